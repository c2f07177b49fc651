"""The same read -> count pipeline on a Dask cluster (``estimate ... --engine dask``).

The inputs are split into partitions: a file each, a Parquet / Arrow table a row group /
record batch each, and a big text or JSON Lines file byte ranges cut at line starts (a text
where the token counts of both sides add up to the whole's). Every partition is read and counted on a worker by the same code as one
process (``file_documents`` + ``count_stream``), so a worker's memory stays bounded as one
process's does; the counts, sources and problems come back in input order and are merged
associatively (``merge_counts``), giving the numbers one process gives. ``dask.distributed`` is
imported only here (requirements-cluster.txt).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ingest import Document, Problem, ReadOptions
from ingest.columnar import columnar_kind, open_columnar
from ingest.compression import inner_suffix
from ingest.languages import SAMPLED_OUT, detect_language, is_detected, stratum
from ingest.remote import RemoteFile
from ingest.ranges import iter_byte_range, split_points
from ingest.streaming import JSONL_SUFFIXES, iter_files
from corpus.pipeline import CountedInputs, file_documents
from corpus.sources import SourceInfo, source_info
from tokenizers import SUPPORTED_ENCODINGS, CorpusCounts, count_stream, safe_prefix_end
from tokenizers.merging import merge_counts, relabel


#: A text or JSON Lines file bigger than this is split into byte ranges of about this size.
RANGE_BYTES = 64 << 20


@dataclass(frozen=True)
class Partition:
    """One piece of work: a file (a path or URL), some row groups of a table in it, or the byte
    range [start, end) of a text / JSON Lines file read as ``encoding``."""

    path: str
    pieces: tuple[int, ...] | None = None
    byte_range: tuple[int, int] | None = None
    encoding: str | None = None


@dataclass
class PartitionResult:
    """What a partition gives back: its counts, its sources and every problem met, in order;
    for a byte range, whether its first document continues the range before (``continues``)
    and how many JSON Lines lines it held (``lines``)."""

    counts: CorpusCounts
    sources: list[SourceInfo]
    problems: list[Problem]
    path: str = ""
    byte_range: tuple[int, int] | None = None
    continues: bool = False
    lines: int = 0


def plan_partitions(paths: Iterable[str], options: ReadOptions = ReadOptions()) -> list[Partition | Problem]:
    """The partitions of ``paths``, in input order, with the problems met while listing them
    (hidden files, empty folders) at the places one process meets them."""
    problems: list[Problem] = []
    plan: list[Partition | Problem] = []
    for path in iter_files(paths, problems):
        plan.extend(problems)
        problems.clear()
        plan.extend(_file_partitions(path, options))
    plan.extend(problems)
    return plan


def _file_partitions(path, options: ReadOptions) -> list[Partition]:
    groups = _table_pieces(path)
    if groups > 1:
        return [Partition(str(path), (i,)) for i in range(groups)]
    split = _byte_ranges(path, options)
    if split is None or not split[1]:
        return [Partition(str(path))]
    encoding, cuts = split
    size = path.size if isinstance(path, RemoteFile) else os.path.getsize(path)
    edges = [0, *cuts, size]
    return [Partition(str(path), byte_range=(a, b), encoding=encoding) for a, b in zip(edges, edges[1:])]


def _byte_ranges(path, options: ReadOptions) -> tuple[str, list[int]] | None:
    try:
        stream = path.open() if isinstance(path, RemoteFile) else open(path, "rb")
        with stream:
            size = path.size if isinstance(path, RemoteFile) else os.fstat(stream.fileno()).st_size
            if options.max_bytes is not None and size > options.max_bytes:
                return None
            return split_points(str(path), stream, size, options, RANGE_BYTES, safe_prefix_end)
    except Exception:  # whatever is wrong with it, the partition that reads it whole reports it
        return None


def _table_pieces(path) -> int:
    """How many row groups / record batches a Parquet or Arrow file has (0 for anything else)."""
    try:
        stream = path.open() if isinstance(path, RemoteFile) else open(path, "rb")
        with stream:
            kind = columnar_kind(inner_suffix(str(path)), stream.read(16))
            if kind not in ("parquet", "arrow"):
                return 0
            stream.seek(0)
            return open_columnar(kind, stream).row_groups
    except Exception:  # whatever is wrong with it, the partition that reads it reports it
        return 0


def count_partition(partition: Partition, options: ReadOptions, languages: bool = False,
                    encodings: Sequence[str] = SUPPORTED_ENCODINGS) -> PartitionResult:
    """Read and count one partition on each of ``encodings``, exactly as one process reads and
    counts that part.

    ``languages``: every document's language is detected (the merge applies the sample one
    process would have taken, by each document's place in the whole corpus).
    """
    problems: list[Problem] = []
    sources: list[SourceInfo] = []
    label = detect_language if languages else None
    if partition.byte_range is not None:
        return _count_range(partition, options, label, encodings)

    def documents() -> Iterator[Document]:
        for path in iter_files([partition.path], problems):
            yield from file_documents(path, options, problems, sources, partition.pieces)

    counts = count_stream(documents(), encodings, label=label)
    return PartitionResult(counts, sources, problems, partition.path)


def _count_range(partition: Partition, options: ReadOptions, label=None,
                 encodings: Sequence[str] = SUPPORTED_ENCODINGS) -> PartitionResult:
    problems: list[Problem] = []
    lines: list[int] = []
    start, end = partition.byte_range
    continues = start > 0 and Path(partition.path).suffix.lower() not in JSONL_SUFFIXES

    def documents() -> Iterator[Document]:
        for path in iter_files([partition.path], problems):
            try:
                stream = path.open() if isinstance(path, RemoteFile) else open(path, "rb")
            except OSError as exc:
                problems.append(Problem("unreadable", partition.path, {"error": exc.strerror or str(exc)}))
                return
            with stream:
                yield from iter_byte_range(partition.path, stream, start, end, partition.encoding, options,
                                           problems, safe_prefix_end, lines)

    counts = count_stream(documents(), encodings, label=label)
    whole = counts.documents - (1 if continues and counts.documents else 0)  # the first one is the range before's
    sources = [source_info(partition.path, whole, problems, options)]
    return PartitionResult(counts, sources, problems, partition.path, partition.byte_range, continues, sum(lines))


def count_texts(texts: Iterable[tuple[str, str]], languages: bool = False,
                encodings: Sequence[str] = SUPPORTED_ENCODINGS) -> PartitionResult:
    """``--text`` / stdin, counted here (they are small)."""
    pairs = list(texts)
    sources = [SourceInfo(name, "text", "utf-8", None, 1) for name, _ in pairs]
    counts = count_stream((Document(text=t, source=n) for n, t in pairs), encodings,
                          label=detect_language if languages else None)
    return PartitionResult(counts, sources, [])


def sampled_labels(counts: CorpusCounts) -> CorpusCounts:
    """Counts whose every document was labelled, relabelled as one process's LanguageLabeller
    labels them: documents outside its systematic sample (by their place in the whole corpus)
    become SAMPLED_OUT + their stratum; the per-label totals are added up again."""
    names = counts.label_names
    return relabel(counts, (names[label] if is_detected(i) else f"{SAMPLED_OUT}{stratum(i)}"
                            for i, label in enumerate(counts.document_labels)))


def merge_results(results: Iterable[Problem | PartitionResult], languages: bool = False) -> CountedInputs:
    """Partition results (and the listing problems between them), in input order, as one
    CountedInputs: the parts of a split file joined (its documents, places and line numbers as
    one process gives them, its undecodable bytes added up into one problem)."""
    counts: list[CorpusCounts] = []
    continues: list[bool] = []
    sources: list[SourceInfo] = []
    problems: list[Problem] = []
    ranged: dict[str, dict] = {}  # path -> line offset, invalid bytes, whether anything was read
    for result in [*results, None]:
        if ranged and (result is None or isinstance(result, Problem) or result.byte_range is None
                       or result.byte_range[0] == 0):
            problems.extend(_close_range(ranged.popitem()))
        if result is None:
            break
        if isinstance(result, Problem):
            problems.append(result)
            continue
        counts.append(result.counts)
        continues.append(result.continues)
        for source in result.sources:
            if sources and sources[-1].path == source.path:  # another piece of the same file
                sources[-1] = dataclasses.replace(sources[-1], documents=sources[-1].documents + source.documents)
            else:
                sources.append(source)
        if result.byte_range is None:
            problems.extend(result.problems)
            continue
        state = ranged.setdefault(result.path, {"path": result.path, "lines": 0, "invalid": None, "read": False})
        state["read"] = state["read"] or result.counts.documents > 0 or any(not p.is_note for p in result.problems)
        for problem in result.problems:
            if problem.code == "invalid_bytes":
                state["invalid"] = _added_invalid(state["invalid"], problem)
            else:
                problems.append(_shifted(problem, result.path, state["lines"]))
        state["lines"] += result.lines
    merged = merge_counts(counts, continues)
    return CountedInputs(sampled_labels(merged) if languages else merged, sources, problems)


def _close_range(item: tuple[str, dict]) -> list[Problem]:
    path, state = item
    closing = [] if state["read"] else [Problem("empty_file", path)]
    return closing + ([state["invalid"]] if state["invalid"] is not None else [])


def _added_invalid(before: Problem | None, problem: Problem) -> Problem:
    if before is None:
        return problem
    count = int(before.params["count"]) + int(problem.params["count"])
    return Problem("invalid_bytes", before.where, {**before.params, "count": count})


def _shifted(problem: Problem, path: str, lines: int) -> Problem:
    """A JSON Lines problem of a range, placed by its line in the whole file."""
    line = problem.params.get("line")
    if not lines or not isinstance(line, int) or problem.where != f"{path}:{line}":
        return problem
    return Problem(problem.code, f"{path}:{line + lines}", {**problem.params, "line": line + lines})


def count_inputs_on_cluster(
    paths: Iterable[str], options: ReadOptions, client, texts: Iterable[tuple[str, str]] = (),
    languages: bool = False, on_progress: Callable[[int, int], None] | None = None,
    encodings: Sequence[str] = SUPPORTED_ENCODINGS,
) -> CountedInputs:
    """``count_inputs`` with the partitions counted on the workers of the Dask ``client``, on
    each of ``encodings`` (tokenizer names).

    ``languages`` labels each document with its detected language, the same labels one
    process gives (the workers detect every document; the merge takes one process's sample).
    ``on_progress`` is called with (partitions done, partitions) as they finish. Every path must
    be readable from the workers (a URL, or a folder they share).
    """
    from dask.distributed import as_completed

    plan = plan_partitions(paths, options)
    work = [item for item in plan if isinstance(item, Partition)]
    futures = client.map(count_partition, work, options=options, languages=languages, encodings=tuple(encodings),
                         pure=False)
    if on_progress is not None:
        on_progress(0, len(futures))
        for done, _ in enumerate(as_completed(futures), start=1):
            on_progress(done, len(futures))
    results = iter(client.gather(futures))
    ordered = [item if isinstance(item, Problem) else next(results) for item in plan]
    return merge_results([count_texts(texts, languages, encodings), *ordered], languages)


def cluster_client(scheduler: str | None = None):
    """A Dask client: of the scheduler at ``scheduler`` ("tcp://host:8786"), or of a local cluster
    of worker processes, one per core, on 127.0.0.1 (closed with the client)."""
    import logging

    from dask.distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler, timeout="15s")
    cluster = LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True,
                           host="127.0.0.1", dashboard_address=None, silence_logs=logging.ERROR)
    client = Client(cluster)
    client._formats_own_cluster = cluster  # closed by close_client
    return client


def close_client(client) -> None:
    """Close ``client`` and the local cluster it started, if any."""
    cluster = getattr(client, "_formats_own_cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()
