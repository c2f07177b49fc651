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
from array import array
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from tokenizers.boundaries import safe_prefix_end, split_safely
from tokenizers.counting import SMALL_TEXT_CHARS, check_encoding, count_many, engine_for
from tokenizers.encodings import SUPPORTED_ENCODINGS
from tokenizers.repeats import RepeatedTexts

DEFAULT_BATCH_BYTES = 8 << 20
# A document longer than this is counted in safe pieces, so both threads get work.
_PIECE_CHARS = 1 << 20
_READ_BYTES = 1 << 20
# At most this many texts a batch: a batch of tiny rows (8 MB of "hi there") would otherwise hold
# a million Python strings and their owners, some 75 MB, twice.
_BATCH_TEXTS = 1 << 16
# Repeats of a long text waiting for its first count before the batch holding it is counted.
_MAX_WAITING_REPEATS = 4096

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
    # False: the per-document columns were handed on while counting (``count_stream``'s
    # ``on_documents``) and are not here; the totals still are.
    kept_documents: bool = True


#: Receives a run of counted documents: the first one's index and their counts (per-document
#: columns of just those documents; ``group_names`` and ``label_names`` those of the corpus).
DocumentsDone = Callable[[int, "CorpusCounts"], None]


def utf8_length(text: str) -> int:
    """The number of bytes ``text`` takes in UTF-8 (lone surrogates count 3, as tiktoken sees them)."""
    if text.isascii():  # O(1) on CPython: compact ASCII strings know it
        return len(text)
    return len(text.encode("utf-8", "surrogatepass"))


class _Tally:
    """Batches texts, counts each batch on a worker thread, and adds the counts up.

    With ``on_documents`` the per-document columns are not kept: each run of documents known to
    be complete is handed to it (its first index and a CorpusCounts of just those documents) and
    dropped, so memory stays bounded on any number of documents.
    """

    def __init__(self, encodings: Iterable[str], batch_bytes: int, threads: int, progress: Progress | None,
                 label: Labeller | None = None, on_documents: DocumentsDone | None = None):
        self.encodings = tuple(encodings)
        if not self.encodings:
            raise ValueError("no encodings to count")
        for encoding in self.encodings:
            check_encoding(encoding)  # raises EncodingUnavailableError early, before any reading
        self.batch_bytes = max(1, batch_bytes)
        self.threads = threads
        self.progress = progress
        self.on_documents = on_documents
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
        self._reported = 0
        self._engines: dict[str, str] = {}
        self._repeats = RepeatedTexts(self.encodings)
        # Documents before _base were handed to on_documents and dropped from the columns;
        # _documents counts them all. _done: their totals (and per group and label).
        self._base = 0
        self._documents = 0
        self._done = GroupCounts(tokens={e: 0 for e in self.encodings})
        self._groups: dict[str | None, GroupCounts] = {}
        self._labels: dict[str, GroupCounts] = {}
        self._executor = ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="count")
        # The batch being counted: its UTF-8 size, its texts and, per task, (encoding, start, owners, future).
        self._running: tuple[int, list[str], list[tuple[str, int, array, Future]]] | None = None
        self._warming: Future | None = None

    def add(self, text: str, source: str, group: str | None, part: int) -> None:
        """Count ``text`` as a new document, or as the continuation of the last one."""
        if part == 0 or not self._documents or source != self._last_source:
            self._start_document(source, group, text)
        owner = self._documents - 1
        self.document_characters[owner - self._base] += len(text)
        pieces = split_safely(text, _PIECE_CHARS) if len(text) > _PIECE_CHARS else (text,)
        for piece in pieces:  # a huge text is flushed piece by piece, not held as one batch
            size = utf8_length(piece)
            self.document_bytes[owner - self._base] += size
            if self._repeats.is_candidate(piece):
                known = self._repeats.counted(piece)
                if known is not None:  # counted once already: its counts are this piece's
                    for e, n in known.items():
                        self.per_document[e][owner - self._base] += n
                    self._bytes_done += size
                    continue
                if self._repeats.seen(piece, owner, size):
                    # Being counted: its counts come once known. Many waiting for a count still
                    # queued: count the queue now, so the wait ends.
                    if self._repeats.waiting() >= _MAX_WAITING_REPEATS:
                        self._flush()
                        self._wait()
                    continue
            self._texts.append(piece)
            self._owners.append(owner)
            self._pending_bytes += size
            if self._pending_bytes >= self.batch_bytes or len(self._texts) >= _BATCH_TEXTS:
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
        self._fold(self._documents)
        return CorpusCounts(
            encodings=self.encodings,
            engines={e: self._engines.get(e) or engine_for(e, 0) for e in self.encodings},
            tokens=dict(self._done.tokens),
            documents=self._documents,
            characters=self._done.characters,
            bytes=self._done.bytes,
            per_document=self.per_document,
            document_characters=self.document_characters,
            document_bytes=self.document_bytes,
            document_groups=self.document_groups,
            group_names=self.group_names,
            groups={name: self._groups[name] for name in self.group_names},
            document_labels=self.document_labels,
            label_names=self.label_names,
            labels={name: self._labels[name] for name in self.label_names},
            kept_documents=self.on_documents is None,
        )

    def _fold(self, end: int) -> None:
        """Add documents up to ``end`` (exclusive; all counted) to the totals; without kept
        columns, hand them to on_documents and drop them."""
        kept = self.on_documents is None
        first = self._done.documents  # the first document not yet added up
        if end <= first:
            return
        at, upto = first - self._base, end - self._base
        whole = at == 0 and upto == len(self.document_bytes)

        def part(column: array) -> array:  # the columns themselves when all is taken: no copy
            return column if whole else column[at:upto]

        chunk = CorpusCounts(
            encodings=self.encodings, engines={}, tokens={}, documents=end - first, characters=0, bytes=0,
            per_document={e: part(self.per_document[e]) for e in self.encodings},
            document_characters=part(self.document_characters), document_bytes=part(self.document_bytes),
            document_groups=part(self.document_groups), group_names=self.group_names, groups={},
            document_labels=part(self.document_labels), label_names=self.label_names,
        )
        for names, totals in ((self.group_names, self._groups), (self.label_names, self._labels)):
            for name in names:
                totals.setdefault(name, GroupCounts(tokens={e: 0 for e in self.encodings}))
        self._add_up(self._groups, self.group_names, chunk.document_groups, chunk)
        self._add_up(self._labels, self.label_names, chunk.document_labels, chunk)
        self._done.documents = end
        self._done.characters += sum(chunk.document_characters)
        self._done.bytes += sum(chunk.document_bytes)
        for e in self.encodings:
            self._done.tokens[e] += sum(chunk.per_document[e])
        if kept:
            return
        self.on_documents(first, chunk)
        for column in (*self.per_document.values(), self.document_characters, self.document_bytes,
                       self.document_groups, *([self.document_labels] if self.label is not None else [])):
            del column[:upto]
        self._base = end

    def _add_up(self, totals: dict, names: list, index: array, chunk: CorpusCounts) -> None:
        add_by_name(totals, names, index, chunk.document_characters, chunk.document_bytes, chunk.per_document)

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
        self._documents += 1
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
        if self.on_documents is not None:
            # Every document before this batch's first, the last one and any repeat still
            # waiting is counted in full: it can be handed on and dropped.
            waiting = self._repeats.first_waiting()
            self._fold(min(owners[0], self._documents - 1, self._documents if waiting is None else waiting))
        chars = sum(map(len, texts))
        slices = max(1, min(self.threads, len(texts)))
        step = -(-len(texts) // slices)
        tasks = []
        for e in self.encodings:
            for start in range(0, len(texts), step):
                future = self._executor.submit(_count_part, texts[start:start + step], e, chars)
                tasks.append((e, start, owners[start:start + step], future))
        self._running = (size, texts, tasks)

    def _wait(self) -> None:
        if self._running is not None:
            (size, texts, tasks), self._running = self._running, None
            for e, start, owners, future in tasks:
                # Added up here, on one thread: two slices may hold parts of the same document.
                engine, counts = future.result()  # re-raises what the worker raised
                seen = self._engines.get(e)
                self._engines[e] = engine if seen in (None, engine) else "toktok+tiktoken"
                target = self.per_document[e]
                base = self._base
                for i, (owner, n) in enumerate(zip(owners, counts), start=start):
                    target[owner - base] += n
                    if self._repeats.is_candidate(texts[i]):
                        self._repeats.learn(texts[i], e, n)
            self._bytes_done += size
        for owner, counts, repeat_size in self._repeats.take_resolved():
            for e, n in counts.items():
                self.per_document[e][owner - self._base] += n
            self._bytes_done += repeat_size
        # Called here, on the caller's thread: Streamlit widgets cannot be updated from others.
        if self.progress is not None and self._bytes_done != self._reported:
            self._reported = self._bytes_done
            self.progress(self._bytes_done)


def _count_part(texts: list[str], encoding: str, chars: int) -> tuple[str, list[int]]:
    """The engine for a batch of ``chars`` characters (tiktoken for a small corpus: its
    vocabularies build faster; another tokenizer's own engine) and its counts of ``texts``, on
    one core: the pool's threads are the parallelism (toktok's own threads did not help here,
    see bench/README.md)."""
    # Every engine may count two slices at once: tiktoken (OpenAI's and the tiktoken-format
    # vocabularies), SentencePiece and ctok gave the same counts from four threads sharing one
    # object as from one (bench/engine_threads.py); kitoken makes its calls on its own thread.
    engine = engine_for(encoding, chars)
    return engine, count_many(texts, encoding, 1, engine)


def count_stream(
    documents: Iterable[CountableDocument],
    encodings: Iterable[str] = SUPPORTED_ENCODINGS,
    *,
    batch_bytes: int = DEFAULT_BATCH_BYTES,
    progress: Progress | None = None,
    threads: int = 2,
    label: Labeller | None = None,
    on_documents: DocumentsDone | None = None,
) -> CorpusCounts:
    """Exact counts of ``documents`` on each of ``encodings``, holding about two batches at a time.

    A document with ``part`` > 0 and the same ``source`` as the one before continues it.
    ``progress`` is called (on the caller's thread) with the UTF-8 bytes counted so far.
    ``label``, when given, names each document from its first part's text (a language code,
    say): the counts then carry ``document_labels`` and per-label totals (``labels``).
    ``on_documents``, when given, receives the per-document columns run by run as documents are
    counted (in order, each document once) and they are not kept: the memory used stays
    bounded on any number of documents, and the result has only the totals.
    A long text that comes back (a dictionary-encoded column, a shared string) is counted once.
    Raises EncodingUnavailableError for an encoding that cannot be counted offline.
    """
    tally = _Tally(encodings, batch_bytes, threads, progress, label, on_documents)
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
