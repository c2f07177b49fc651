"""The same read -> count pipeline on a Dask cluster (``estimate ... --engine dask``).

The inputs are split into partitions: a file each, and a Parquet / Arrow table a row group /
record batch each. Every partition is read and counted on a worker by the same code as one
process (``file_documents`` + ``count_stream``), so a worker's memory stays bounded as one
process's does; the counts, sources and problems come back in input order and are merged
associatively (``merge_counts``), giving the numbers one process gives. ``dask.distributed`` is
imported only here (requirements-cluster.txt).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ingest import Document, Problem, ReadOptions
from ingest.columnar import columnar_kind, open_columnar
from ingest.compression import inner_suffix
from ingest.remote import RemoteFile
from ingest.streaming import iter_files
from pricing.corpus import CountedInputs, SourceInfo, file_documents
from tokenizers import SUPPORTED_ENCODINGS, CorpusCounts, count_stream
from tokenizers.streaming import merge_counts


@dataclass(frozen=True)
class Partition:
    """One piece of work: a file (a path or URL), or some row groups of a table in it."""

    path: str
    pieces: tuple[int, ...] | None = None


#: What a partition gives back: its counts, its sources and every problem met, in order.
PartitionResult = tuple[CorpusCounts, list[SourceInfo], list[Problem]]


def plan_partitions(paths: Iterable[str]) -> list[Partition | Problem]:
    """The partitions of ``paths``, in input order, with the problems met while listing them
    (hidden files, empty folders) at the places one process meets them."""
    problems: list[Problem] = []
    plan: list[Partition | Problem] = []
    for path in iter_files(paths, problems):
        plan.extend(problems)
        problems.clear()
        groups = _table_pieces(path)
        if groups > 1:
            plan.extend(Partition(str(path), (i,)) for i in range(groups))
        else:
            plan.append(Partition(str(path)))
    plan.extend(problems)
    return plan


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


def count_partition(partition: Partition, options: ReadOptions) -> PartitionResult:
    """Read and count one partition, exactly as one process reads and counts that part."""
    problems: list[Problem] = []
    sources: list[SourceInfo] = []

    def documents() -> Iterator[Document]:
        for path in iter_files([partition.path], problems):
            yield from file_documents(path, options, problems, sources, partition.pieces)

    return count_stream(documents(), SUPPORTED_ENCODINGS), sources, problems


def count_texts(texts: Iterable[tuple[str, str]]) -> PartitionResult:
    """``--text`` / stdin, counted here (they are small)."""
    pairs = list(texts)
    sources = [SourceInfo(name, "text", "utf-8", None, 1) for name, _ in pairs]
    return count_stream((Document(text=t, source=n) for n, t in pairs), SUPPORTED_ENCODINGS), sources, []


def merge_results(results: Iterable[Partition | Problem | PartitionResult]) -> CountedInputs:
    """Partition results (and the listing problems between them), in input order, as one CountedInputs."""
    counts: list[CorpusCounts] = []
    sources: list[SourceInfo] = []
    problems: list[Problem] = []
    for result in results:
        if isinstance(result, Problem):
            problems.append(result)
            continue
        part_counts, part_sources, part_problems = result
        counts.append(part_counts)
        for source in part_sources:
            if sources and sources[-1].path == source.path:  # another row group of the same table
                sources[-1] = dataclasses.replace(sources[-1], documents=sources[-1].documents + source.documents)
            else:
                sources.append(source)
        problems.extend(part_problems)
    return CountedInputs(merge_counts(counts), sources, problems)


def count_inputs_on_cluster(
    paths: Iterable[str], options: ReadOptions, client, texts: Iterable[tuple[str, str]] = (),
    on_progress: Callable[[int, int], None] | None = None,
) -> CountedInputs:
    """``count_inputs`` with the partitions counted on the workers of the Dask ``client``.

    ``on_progress`` is called with (partitions done, partitions) as they finish. Every path must
    be readable from the workers (a URL, or a folder they share).
    """
    from dask.distributed import as_completed

    plan = plan_partitions(paths)
    work = [item for item in plan if isinstance(item, Partition)]
    futures = client.map(count_partition, work, options=options, pure=False)
    if on_progress is not None:
        on_progress(0, len(futures))
        for done, _ in enumerate(as_completed(futures), start=1):
            on_progress(done, len(futures))
    results = iter(client.gather(futures))
    ordered = [item if isinstance(item, Problem) else next(results) for item in plan]
    return merge_results([count_texts(texts), *ordered])


def cluster_client(scheduler: str | None = None):
    """A Dask client: of the scheduler at ``scheduler`` ("tcp://host:8786"), or of a local cluster
    of worker processes, one per core, on 127.0.0.1 (closed with the client)."""
    import logging

    from dask.distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler, timeout="30s")
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
