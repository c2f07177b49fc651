"""What the user brought, read and counted once: the one read -> count pipeline.

``ingest`` decides each file's encoding and text column and turns bytes into documents that
know their place; ``tokenizers.count_stream`` counts them exactly on every encoding, each
document labelled with its detected language on the way. The app (``count_source`` on an
upload's bytes) and the CLI (``count_inputs`` on paths) call this module and nothing below it,
so both see the same documents, counts, languages and sources.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import sys
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from ingest import Document, Problem, ReadOptions
from ingest.limits import new_pass
from ingest.languages import SAMPLED_OUT, LanguageLabeller
from ingest.compression import MAX_UPLOAD_EXPANDED_BYTES
from ingest.streaming import iter_files, iter_file, iter_stream
from tokenizers import SUPPORTED_ENCODINGS, count_stream, safe_prefix_end
from tokenizers.streaming import CorpusCounts, utf8_length
from corpus.sources import SourceInfo, source_info
from corpus.summary import DocumentSummary

# Text handed to each count_stream batch: small enough for a progress bar to move often.
BATCH_BYTES = 2 << 20
_SEP = "\x00"
# Sources packed into one string per this many documents while a source is read.
_PACK_SOURCES = 4096


@dataclass(frozen=True)
class CountedSource:
    """One source (a pasted text or an uploaded file) read and counted on each of its tokenizers.

    Per-document columns (``sources``, ``groups``, ``languages``, ``tokens``: one item per
    document, the parts of a huge text folded into it) are stored packed, because pages keep
    this object in a cache and read it on every rerun.
    """

    name: str
    documents: int = 0
    totals: dict[str, int] = field(default_factory=dict)
    # Per group value and per detected language: (documents, tokens per encoding).
    group_sums: dict[str | None, tuple[int, dict[str, int]]] = field(default_factory=dict)
    language_sums: dict[str, tuple[int, dict[str, int]]] = field(default_factory=dict)
    skipped: tuple[Problem, ...] = ()
    notes: tuple[Problem, ...] = ()
    packed_sources: str = ""  # NUL-separated
    group_labels: tuple[str | None, ...] = ()
    group_index: array = field(default_factory=lambda: array("i"))
    language_labels: tuple[str, ...] = ()
    language_index: array = field(default_factory=lambda: array("i"))
    tokens: dict[str, array] = field(default_factory=dict)
    info: SourceInfo | None = None
    languages_detected: int = 0  # documents that went through the detector (fewer: a sample)

    def total(self, encoding: str) -> int:
        return self.totals.get(encoding, 0)

    def memory_bytes(self) -> int:
        """About how much memory this object holds: its per-document columns and sources (the
        rest is a few small dicts), so a cache can be bounded in bytes."""
        columns = [self.group_index, self.language_index, *self.tokens.values()]
        return sys.getsizeof(self.packed_sources) + sum(sys.getsizeof(c) for c in columns) + 4096

    @property
    def sources(self) -> list[str]:
        return self.packed_sources.split(_SEP) if self.documents else []

    @property
    def groups(self) -> list[str | None]:
        return [self.group_labels[i] for i in self.group_index]

    @property
    def languages(self) -> list[str | None]:
        """Each document's detected language; None for one the sample left out."""
        labels = [None if name.startswith(SAMPLED_OUT) else name for name in self.language_labels]
        return [labels[i] for i in self.language_index]


def content_digest(data: bytes) -> str:
    """The sha256 of ``data`` (the cache key of its counts)."""
    return hashlib.sha256(data).hexdigest()


class Reading:
    """The documents of one source held in memory, read lazily (once), with the problems met and
    each document's source.

    ``text_bytes`` is the UTF-8 size of the text read so far: once reading is done, the total
    that count_stream's progress (UTF-8 bytes counted) runs up to.
    """

    def __init__(self, name: str, data: bytes, options: ReadOptions):
        self.name = name
        if options.max_expanded_bytes is None:  # held in memory: no more text than a plain upload
            options = dataclasses.replace(options, max_expanded_bytes=MAX_UPLOAD_EXPANDED_BYTES)
        self.options = options
        self.problems: list[Problem] = []
        self.text_bytes = 0
        self._data = data
        # Each document's source, packed (NUL-separated) a run at a time: a Python string per row
        # cost about 70 bytes a line while a big table was counted.
        self._packed: list[str] = []
        self._recent: list[str] = []
        self._any = False

    @property
    def sources(self) -> list[str]:
        """Each document's source (file, row, line), in order."""
        packed = self.packed_sources()
        return packed.split(_SEP) if self._any else []

    def packed_sources(self) -> str:
        """``sources`` joined by NUL, as a CountedSource keeps them."""
        return _SEP.join([*self._packed, *self._recent])

    def __iter__(self) -> Iterator[Document]:
        new_pass()  # each pass over the bytes may read as many rows as the limits allow
        last_source = None
        stream = io.BytesIO(self._data)
        for doc in iter_stream(self.name, stream, len(self._data), self.options, self.problems, safe_prefix_end):
            # The same rule as count_stream's for a continuation part, so the columns line up.
            if doc.part == 0 or not self._any or doc.source != last_source:
                self._recent.append(doc.source)
                self._any = True
                last_source = doc.source
                if len(self._recent) >= _PACK_SOURCES:
                    self._packed.append(_SEP.join(self._recent))
                    self._recent = []
            self.text_bytes += utf8_length(doc.text)
            yield doc


def count_source(
    name: str,
    data: bytes,
    options: ReadOptions = ReadOptions(),
    on_progress: Callable[[float], None] | None = None,
    languages: bool = True,
    encodings: Sequence[str] = SUPPORTED_ENCODINGS,
) -> CountedSource:
    """Read ``data`` as the file ``name`` and count every document on each of ``encodings``
    (tokenizer names: ``pricing.count_methods.tokenizers_for`` the chosen models), each
    document's language detected (``languages``).

    ``on_progress`` receives the share of the text counted (0..1, ending at 1) after each batch;
    without it the documents are read lazily, as they are counted.
    """
    reading = Reading(name, data, options)
    # The share needs the total: with a progress bar the documents are read first.
    return count_reading(reading, list(reading) if on_progress else reading, on_progress, languages,
                         encodings=encodings)


def count_reading(
    reading: Reading,
    documents: Iterable[Document],
    on_progress: Callable[[float], None] | None = None,
    languages: bool = True,
    total_bytes: int | None = None,
    encodings: Sequence[str] = SUPPORTED_ENCODINGS,
) -> CountedSource:
    """``documents`` (``reading`` itself, or the list it gave) counted by count_stream on each of
    ``encodings``.

    ``on_progress`` gets the share counted of ``total_bytes`` (the text's UTF-8 size, or about
    it: the file's size when the documents are streamed), by default ``reading.text_bytes``
    (right once the documents were all read first).
    """
    last = [0.0]

    def progress(done: int) -> None:
        last[0] = min(1.0, done / max(1, total_bytes or reading.text_bytes))
        on_progress(last[0])

    counts = count_stream(
        documents, encodings, batch_bytes=BATCH_BYTES, progress=progress if on_progress else None,
        label=LanguageLabeller() if languages else None,
    )
    if on_progress is not None and last[0] < 1.0:
        on_progress(1.0)  # nothing to count (an empty or skipped file) still finishes the bar
    problems = reading.problems
    notes = tuple(p for p in problems if p.is_note)
    summary = DocumentSummary.of(counts)  # once: both the language sums and the detected count
    return CountedSource(
        name=reading.name,
        documents=counts.documents,
        totals=dict(counts.tokens),
        group_sums={g: (c.documents, dict(c.tokens)) for g, c in counts.groups.items()},
        language_sums=summary.language_sums() if languages else {},
        languages_detected=summary.languages_detected,
        skipped=tuple(p for p in problems if not p.is_note),
        notes=notes,
        packed_sources=reading.packed_sources(),
        group_labels=tuple(counts.group_names),
        group_index=counts.document_groups,
        language_labels=tuple(counts.label_names),
        language_index=counts.document_labels,
        tokens=counts.per_document,
        info=source_info(reading.name, counts.documents, notes, reading.options),
    )


def languages_detected(counts: CorpusCounts) -> int:
    """How many documents went through the language detector (all, or a sample)."""
    return DocumentSummary.of(counts).languages_detected


def language_sums(counts: CorpusCounts) -> dict[str, tuple[int, dict[str, int]]]:
    """Documents and tokens per detected language, from counts labelled by a LanguageLabeller
    (``DocumentSummary.language_sums``: the documents a sample left out shared out)."""
    return DocumentSummary.of(counts).language_sums()


@dataclass
class CountedInputs:
    """What the CLI read and counted: the counts, each file's SourceInfo, and every problem."""

    counts: CorpusCounts
    sources: list[SourceInfo]
    problems: list[Problem]
    # What the report needs of each document, added up while counting (the counts then keep no
    # per-document columns); None: the counts kept them.
    summary: DocumentSummary | None = None

    @property
    def skipped(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_note]


def count_inputs(
    paths: Iterable[str],
    options: ReadOptions,
    texts: Iterable[tuple[str, str]] = (),
    languages: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
    summary: DocumentSummary | None = None,
    encodings: Sequence[str] = SUPPORTED_ENCODINGS,
) -> CountedInputs:
    """Read and count ``texts`` ((name, text) pairs: ``--text``, stdin) and then the files and
    folders of ``paths``, streamed, each file's SourceInfo recorded as it is read, on each of
    ``encodings`` (any tokenizer the registry counts).

    ``languages`` labels each document with its detected language (``counts.labels``);
    ``on_progress`` receives the UTF-8 bytes of text counted so far and the documents read so
    far, after each batch. With a ``summary`` the per-document counts are added to it as they
    come and not kept, so memory stays bounded on any number of documents. ``encodings``: the
    tokenizers to count on (``count_source``).
    """
    problems: list[Problem] = []
    sources: list[SourceInfo] = []
    read = [0]

    def documents() -> Iterator[Document]:
        for name, text in texts:
            sources.append(SourceInfo(name, "text", "utf-8", None, 1))
            read[0] += 1
            yield Document(text=text, source=name)
        for path in iter_files(paths, problems):
            for doc in file_documents(path, options, problems, sources):
                read[0] += doc.part == 0
                yield doc

    progress = (lambda done: on_progress(done, read[0])) if on_progress is not None else None
    counts = count_stream(documents(), encodings, label=LanguageLabeller() if languages else None,
                          progress=progress, on_documents=summary)
    return CountedInputs(counts, sources, problems, summary)


def file_documents(
    path, options: ReadOptions, problems: list[Problem], sources: list[SourceInfo],
    pieces: tuple[int, ...] | None = None,
) -> Iterator[Document]:
    """The documents of one file (a path or a RemoteFile; ``pieces``: only those row groups of a
    table), cut where counts add up; its SourceInfo (one per member of a ZIP archive) is added
    to ``sources`` once it is read."""
    start, name = len(problems), str(path)
    counts = {name: 0}  # documents per file read: the file, or each member of a ZIP archive
    for doc in iter_file(path, options, problems, safe_prefix_end, pieces):
        if doc.part == 0:
            unit = doc.origin or name
            counts[unit] = counts.get(unit, 0) + 1
        yield doc
    if len(counts) > 1 and not counts[name]:
        del counts[name]
    sources.extend(source_info(unit, count, problems[start:], options) for unit, count in counts.items())
