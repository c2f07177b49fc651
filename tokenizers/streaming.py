"""Exact token counts for corpora of any size, in bounded memory.

Documents (or the parts of a huge one) are gathered into batches of about ``batch_bytes`` of
UTF-8 and each batch is counted with ``count_many`` on every tokenizer asked for by a pool of ``threads``
worker threads, while the next batch is being read: at most two batches are alive at a time.
Each batch is cut into one slice per thread and each (slice, encoding) is a task counted on one
core, so the threads stay busy whichever encoding is slower, and one thread counts while the
other builds a vocabulary (which holds the GIL). The vocabularies start building as soon as the
text is known not to be small, before the first batch is whole. Per-document counts are kept
in compact arrays, never in a dict per row.
"""

from __future__ import annotations

import codecs
import threading
from array import array
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from tokenizers.boundaries import safe_prefix_end, split_safely
from tokenizers.counting import SMALL_TEXT_CHARS, check_encoding, count_many, engine_for
from tokenizers.encodings import SUPPORTED_ENCODINGS

DEFAULT_BATCH_BYTES = 8 << 20
# A document longer than this is counted in safe pieces, so both threads get work.
_PIECE_CHARS = 1 << 20
_READ_BYTES = 1 << 20

# One lock per vendor tokenizer (see _count_part); dict.setdefault is atomic under the GIL.
_VENDOR_LOCKS: dict[str, threading.Lock] = {}

Progress = Callable[[int], None]
#: Gives a document a label (a language code, say) from the start of its text.
Labeller = Callable[[str], str]


class CountableDocument(Protocol):
    """What count_stream needs of a document (ingest.Document has it)."""

    @property
    def text(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def group(self) -> str | None: ...
    @property
    def part(self) -> int: ...


@dataclass
class GroupCounts:
    """Totals for the documents of one group (``Document.group``)."""

    documents: int = 0
    characters: int = 0
    bytes: int = 0
    tokens: dict[str, int] = field(default_factory=dict)


@dataclass
class CorpusCounts:
    """Exact counts (tiktoken ``encode_ordinary`` semantics) of a corpus on each encoding.

    Per-document arrays are indexed by document number, in input order; the parts of one
    document are summed into it. ``document_groups[i]`` indexes ``group_names``.
    """

    encodings: tuple[str, ...]
    engines: dict[str, str]
    tokens: dict[str, int]
    documents: int
    characters: int
    bytes: int
    per_document: dict[str, array]
    document_characters: array
    document_bytes: array
    document_groups: array
    group_names: list[str | None]
    groups: dict[str | None, GroupCounts]
    method: str = "exact"
    # With a ``label`` function (e.g. language identification): each document's label, indexing
    # ``label_names``, and the totals per label.
    document_labels: array = field(default_factory=lambda: array("i"))
    label_names: list[str] = field(default_factory=list)
    labels: dict[str, GroupCounts] = field(default_factory=dict)


def utf8_length(text: str) -> int:
    """The number of bytes ``text`` takes in UTF-8 (lone surrogates count 3, as tiktoken sees them)."""
    if text.isascii():  # O(1) on CPython: compact ASCII strings know it
        return len(text)
    return len(text.encode("utf-8", "surrogatepass"))


class _Tally:
    """Batches texts, counts each batch on a worker thread, and adds the counts up."""

    def __init__(self, encodings: Iterable[str], batch_bytes: int, threads: int, progress: Progress | None,
                 label: Labeller | None = None):
        self.encodings = tuple(encodings)
        if not self.encodings:
            raise ValueError("no encodings to count")
        for encoding in self.encodings:
            check_encoding(encoding)  # raises EncodingUnavailableError early, before any reading
        self.batch_bytes = max(1, batch_bytes)
        self.threads = threads
        self.progress = progress
        self.per_document = {e: array("q") for e in self.encodings}
        self.document_characters = array("q")
        self.document_bytes = array("q")
        self.document_groups = array("i")
        self.group_names: list[str | None] = []
        self._group_index: dict[str | None, int] = {}
        self.label = label
        self.document_labels = array("i")
        self.label_names: list[str] = []
        self._label_index: dict[str, int] = {}
        self._last_source: str | None = None
        self._texts: list[str] = []
        self._owners = array("q")
        self._pending_bytes = 0
        self._bytes_done = 0
        self._engines: dict[str, str] = {}
        self._executor = ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="count")
        # The batch being counted: its UTF-8 size and, per task, (encoding, owners, future).
        self._running: tuple[int, list[tuple[str, array, Future]]] | None = None
        self._warming: Future | None = None

    def add(self, text: str, source: str, group: str | None, part: int) -> None:
        """Count ``text`` as a new document, or as the continuation of the last one."""
        if part == 0 or not self.document_bytes or source != self._last_source:
            self._start_document(source, group, text)
        owner = len(self.document_bytes) - 1
        self.document_characters[owner] += len(text)
        pieces = split_safely(text, _PIECE_CHARS) if len(text) > _PIECE_CHARS else (text,)
        for piece in pieces:  # a huge text is flushed piece by piece, not held as one batch
            size = utf8_length(piece)
            self.document_bytes[owner] += size
            self._texts.append(piece)
            self._owners.append(owner)
            self._pending_bytes += size
            if self._pending_bytes >= self.batch_bytes:
                self._flush()
            elif self._warming is None and self._pending_bytes >= SMALL_TEXT_CHARS:
                self._warm_up()

    def finish(self) -> CorpusCounts:
        """Count what is left, wait for the worker, and return the totals."""
        try:
            self._flush()
            self._wait()
        finally:
            self._executor.shutdown(wait=True)
        tokens = {e: sum(self.per_document[e]) for e in self.encodings}
        groups: dict[str | None, GroupCounts] = {
            name: GroupCounts(tokens={e: 0 for e in self.encodings}) for name in self.group_names
        }
        self._add_up(groups, self.group_names, self.document_groups)
        labels: dict[str, GroupCounts] = {
            name: GroupCounts(tokens={e: 0 for e in self.encodings}) for name in self.label_names
        }
        self._add_up(labels, self.label_names, self.document_labels)
        return CorpusCounts(
            encodings=self.encodings,
            engines={e: self._engines.get(e) or engine_for(e, 0) for e in self.encodings},
            tokens=tokens,
            documents=len(self.document_bytes),
            characters=sum(self.document_characters),
            bytes=sum(self.document_bytes),
            per_document=self.per_document,
            document_characters=self.document_characters,
            document_bytes=self.document_bytes,
            document_groups=self.document_groups,
            group_names=self.group_names,
            groups=groups,
            document_labels=self.document_labels,
            label_names=self.label_names,
            labels=labels,
        )

    def _add_up(self, totals: dict, names: list, index: array) -> None:
        add_by_name(totals, names, index, self.document_characters, self.document_bytes, self.per_document)

    def abandon(self) -> None:
        """Stop after a failure while reading: drop queued work and let the worker finish."""
        self._executor.shutdown(wait=True, cancel_futures=True)

    def _start_document(self, source: str, group: str | None, text: str) -> None:
        index = self._group_index.get(group)
        if index is None:
            index = self._group_index[group] = len(self.group_names)
            self.group_names.append(group)
        self.document_groups.append(index)
        if self.label is not None:
            # Labelled on the main thread, from the document's first part, while the worker counts.
            name = self.label(text)
            at = self._label_index.get(name)
            if at is None:
                at = self._label_index[name] = len(self.label_names)
                self.label_names.append(name)
            self.document_labels.append(at)
        self.document_characters.append(0)
        self.document_bytes.append(0)
        for e in self.encodings:
            self.per_document[e].append(0)
        self._last_source = source

    def _warm_up(self) -> None:
        """Build the fast engine's vocabularies on a worker thread while the first batch is read
        (one after the other: a build holds the GIL, so two at once would only take turns)."""
        self._warming = self._executor.submit(lambda: [engine_for(e) for e in self.encodings])

    def _flush(self) -> None:
        if not self._texts:
            return
        texts, owners, size = self._texts, self._owners, self._pending_bytes
        self._texts, self._owners, self._pending_bytes = [], array("q"), 0
        # Wait for the batch before this one, so no more than two are alive at once.
        self._wait()
        chars = sum(map(len, texts))
        slices = max(1, min(self.threads, len(texts)))
        step = -(-len(texts) // slices)
        tasks = []
        for e in self.encodings:
            for start in range(0, len(texts), step):
                future = self._executor.submit(_count_part, texts[start:start + step], e, chars)
                tasks.append((e, owners[start:start + step], future))
        self._running = (size, tasks)

    def _wait(self) -> None:
        if self._running is not None:
            (size, tasks), self._running = self._running, None
            for e, owners, future in tasks:
                # Added up here, on one thread: two slices may hold parts of the same document.
                engine, counts = future.result()  # re-raises what the worker raised
                seen = self._engines.get(e)
                self._engines[e] = engine if seen in (None, engine) else "toktok+tiktoken"
                target = self.per_document[e]
                for owner, n in zip(owners, counts):
                    target[owner] += n
            self._bytes_done += size
            # Called here, on the caller's thread: Streamlit widgets cannot be updated from others.
            if self.progress is not None:
                self.progress(self._bytes_done)


def _count_part(texts: list[str], encoding: str, chars: int) -> tuple[str, list[int]]:
    """The engine for a batch of ``chars`` characters (tiktoken for a small corpus: its
    vocabularies build faster; another tokenizer's own engine) and its counts of ``texts``, on
    one core: the pool's threads are the parallelism (toktok's own threads did not help here,
    see bench/README.md)."""
    engine = engine_for(encoding, chars)
    if encoding in SUPPORTED_ENCODINGS:
        return engine, count_many(texts, encoding, 1, engine)
    # Another vendor's engine (kitoken, SentencePiece, ctok, ...) is not known to be safe to call
    # from two threads at once: its slices take turns (other tokenizers still count beside it).
    with _VENDOR_LOCKS.setdefault(encoding, threading.Lock()):
        return engine, count_many(texts, encoding, 1, engine)


def count_stream(
    documents: Iterable[CountableDocument],
    encodings: Iterable[str] = SUPPORTED_ENCODINGS,
    *,
    batch_bytes: int = DEFAULT_BATCH_BYTES,
    progress: Progress | None = None,
    threads: int = 2,
    label: Labeller | None = None,
) -> CorpusCounts:
    """Exact counts of ``documents`` on each of ``encodings``, holding about two batches at a time.

    A document with ``part`` > 0 and the same ``source`` as the one before continues it.
    ``progress`` is called (on the caller's thread) with the UTF-8 bytes counted so far.
    ``label``, when given, names each document from its first part's text (a language code,
    say): the counts then carry ``document_labels`` and per-label totals (``labels``).
    Raises EncodingUnavailableError for an encoding that cannot be counted offline.
    """
    tally = _Tally(encodings, batch_bytes, threads, progress, label)
    try:
        for doc in documents:
            tally.add(doc.text, doc.source, doc.group, doc.part)
    except BaseException:
        tally.abandon()
        raise
    return tally.finish()


def add_by_name(totals: dict, names: list, index: array, characters: array, sizes: array, per_document: dict) -> None:
    """Each document's counts added to the totals of its name (``names[index[i]]``)."""
    for i, g in enumerate(index):
        into = totals[names[g]]
        into.documents += 1
        into.characters += characters[i]
        into.bytes += sizes[i]
        for e, counts in per_document.items():
            into.tokens[e] += counts[i]


def iter_text_pieces(path: str | Path, text_encoding: str = "utf-8", errors: str = "strict"):
    """Yield consecutive pieces of a text file, decoded incrementally and cut where counts add up.

    Each piece ends at ``safe_prefix_end``; text with no safe place is carried over (so a huge
    line without one is held whole). Raises UnicodeDecodeError (with ``errors="strict"``),
    LookupError for an unknown ``text_encoding``, and OSError.
    """
    decoder = codecs.getincrementaldecoder(text_encoding)(errors)
    pending: list[str] = []  # decoded text in which no safe cut has been found yet
    with open(path, "rb") as handle:
        while True:
            block = handle.read(_READ_BYTES)
            text = decoder.decode(block, final=not block)
            if not block:
                rest = "".join(pending) + text
                if rest:
                    yield rest
                return
            if not text:
                continue
            # Only the new text is searched, so a long stretch without cuts is neither rescanned
            # nor recopied (a cut right at the block's start is missed: the next one is used).
            cut = safe_prefix_end(text)
            if cut > 0:
                yield "".join(pending) + text[:cut] if pending else text[:cut]
                pending = [text[cut:]] if cut < len(text) else []
            else:
                pending.append(text)


def count_file(
    path: str | Path,
    text_encoding: str = "utf-8",
    encodings: Iterable[str] = SUPPORTED_ENCODINGS,
    *,
    errors: str = "strict",
    batch_bytes: int = DEFAULT_BATCH_BYTES,
    progress: Progress | None = None,
    threads: int = 2,
) -> CorpusCounts:
    """Exact counts of one text file (one document), read in blocks: memory stays near two batches.

    ``text_encoding`` is the file's character encoding (e.g. "utf-8", "utf-8-sig", "gb18030").
    ``progress`` gets the UTF-8 bytes of text counted so far. Raises as iter_text_pieces does.
    """
    tally = _Tally(encodings, batch_bytes, threads, progress)
    source = str(path)
    try:
        part = -1
        for part, piece in enumerate(iter_text_pieces(path, text_encoding, errors)):
            tally.add(piece, source, None, part)
        if part < 0:  # an empty file is still one document, of no tokens
            tally.add("", source, None, 0)
    except BaseException:
        tally.abandon()
        raise
    return tally.finish()
