"""Counting what the user brought, once: results cached by a hash of the content.

Counting itself is ``tokenizers.count_stream`` (batches, per-document arrays, group sums); this
module feeds it the documents of an upload, drives the progress bar, shows a quick sampled
estimate first for a large upload, and keeps the result in the app's cache. A rerun after a
slider or model change finds the counts here and never tokenizes again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import streamlit as st

from ingest import Document, Problem, ReadOptions
from ingest.streaming import iter_stream
from tokenizers import (
    SUPPORTED_ENCODINGS,
    TokenEstimate,
    count_stream,
    estimate_texts,
    split_safely,
)
from tokenizers.streaming import utf8_length
from ui.formatting import escape_markdown, format_share, format_tokens
from ui.i18n import t

# Text handed to each count_stream batch: small enough for the progress bar to move often.
BATCH_BYTES = 2 << 20
PROGRESS_FROM_BYTES = 1_000_000
# An upload bigger than this gets a sampled estimate on screen before its exact count.
QUICK_ESTIMATE_FROM_BYTES = 20_000_000
QUICK_SAMPLE_CHARS = 4 << 20
# A long document is offered to the sampler as safe pieces of about this many characters, so a
# single huge text still has many rows to draw from (the pieces' counts add up to the whole's).
SAMPLE_PIECE_CHARS = 1 << 16
CACHE_ENTRIES = 64


@dataclass(frozen=True)
class CountedSource:
    """One source (a pasted text or an uploaded file) read and counted exactly on every encoding.

    Per-document columns (``sources``, ``groups``, ``tokens``: one item per document, the parts
    of a huge text folded into it) are stored packed, because every cache hit copies this object.
    """

    name: str
    documents: int = 0
    totals: dict[str, int] = field(default_factory=dict)
    # Per group value: (documents, tokens per encoding).
    group_sums: dict[str | None, tuple[int, dict[str, int]]] = field(default_factory=dict)
    skipped: tuple[Problem, ...] = ()
    notes: tuple[Problem, ...] = ()
    packed_sources: str = ""  # NUL-separated
    group_labels: tuple[str | None, ...] = ()
    group_index: array = field(default_factory=lambda: array("i"))
    tokens: dict[str, array] = field(default_factory=dict)

    def total(self, encoding: str) -> int:
        return self.totals.get(encoding, 0)

    @property
    def sources(self) -> list[str]:
        return self.packed_sources.split(_SEP) if self.documents else []

    @property
    def groups(self) -> list[str | None]:
        return [self.group_labels[i] for i in self.group_index]


_SEP = "\x00"


def content_digest(data: bytes) -> str:
    """The sha256 of ``data`` (the cache key of its counts)."""
    return hashlib.sha256(data).hexdigest()


class _Reading:
    """The documents of an upload, read lazily (once), with the problems met and each document's source.

    ``text_bytes`` is the UTF-8 size of the text read so far: once reading is done, the total
    that count_stream's progress (UTF-8 bytes counted) runs up to.
    """

    def __init__(self, name: str, data: bytes, options: ReadOptions):
        self.name = name
        self.problems: list[Problem] = []
        self.sources: list[str] = []
        self.text_bytes = 0
        self._data = data
        self._options = options

    def __iter__(self) -> Iterator[Document]:
        last_source = None
        for doc in iter_stream(self.name, io.BytesIO(self._data), len(self._data), self._options, self.problems):
            # The same rule as count_stream's for a continuation part, so the columns line up.
            if doc.part == 0 or not self.sources or doc.source != last_source:
                self.sources.append(doc.source)
                last_source = doc.source
            self.text_bytes += utf8_length(doc.text)
            yield doc


def count_source(
    name: str, data: bytes, options: ReadOptions, on_progress: Callable[[float], None] | None = None
) -> CountedSource:
    """Read ``data`` as the file ``name`` and count every document exactly on every encoding.

    ``on_progress`` receives the share of the text counted (0..1, ending at 1) after each batch;
    without it the documents are read lazily, as they are counted.
    """
    reading = _Reading(name, data, options)
    # The share needs the total: with a progress bar the documents are read first.
    return _count(reading, list(reading) if on_progress else reading, on_progress)


def _count(
    reading: _Reading, documents: Iterable[Document], on_progress: Callable[[float], None] | None
) -> CountedSource:
    """``documents`` (``reading`` itself, or the list it gave) counted by count_stream."""
    last = [0.0]

    def progress(done: int) -> None:
        last[0] = min(1.0, done / max(1, reading.text_bytes))
        on_progress(last[0])

    counts = count_stream(
        documents, SUPPORTED_ENCODINGS, batch_bytes=BATCH_BYTES, progress=progress if on_progress else None
    )
    if on_progress is not None and last[0] < 1.0:
        on_progress(1.0)  # nothing to count (an empty or skipped file) still finishes the bar
    problems = reading.problems
    return CountedSource(
        name=reading.name,
        documents=counts.documents,
        totals=dict(counts.tokens),
        group_sums={g: (c.documents, dict(c.tokens)) for g, c in counts.groups.items()},
        skipped=tuple(p for p in problems if not p.is_note),
        notes=tuple(p for p in problems if p.is_note),
        packed_sources=_SEP.join(reading.sources),
        group_labels=tuple(counts.group_names),
        group_index=counts.document_groups,
        tokens=counts.per_document,
    )


def sample_rows(documents: Iterable[Document]) -> list[str]:
    """The texts the quick estimate samples from: each document, a long one as safe pieces."""
    rows: list[str] = []
    for doc in documents:
        if len(doc.text) > SAMPLE_PIECE_CHARS:
            rows.extend(split_safely(doc.text, SAMPLE_PIECE_CHARS))
        elif doc.text:
            rows.append(doc.text)
    return rows


def quick_estimate(documents: Iterable[Document]) -> dict[str, TokenEstimate]:
    """A stratified-sample estimate of the tokens of ``documents`` on every encoding (95%)."""
    return estimate_texts(sample_rows(documents), SUPPORTED_ENCODINGS, sample_chars=QUICK_SAMPLE_CHARS)


def estimate_margin(estimate: TokenEstimate) -> Decimal:
    """The interval's wider side as a share of the estimate (0 for an exact count)."""
    if estimate.tokens == 0:
        return Decimal(0)
    wider = max(estimate.high - estimate.tokens, estimate.tokens - estimate.low)
    return Decimal(wider) / Decimal(estimate.tokens)


def show_quick_estimate(name: str, estimates: dict[str, TokenEstimate]) -> None:
    """Metric cards of the estimated tokens per encoding, each labelled as an estimate ±x%."""
    st.caption(t("quick_estimate_intro", file=name))
    cards = st.columns(len(estimates))
    for card, (encoding, estimate) in zip(cards, estimates.items()):
        margin = format_share(estimate_margin(estimate))
        confidence = f"{estimate.confidence:.0%}"
        card.metric(
            t("quick_estimate_tokens", encoding=encoding, margin=margin, confidence=confidence),
            format_tokens(estimate.tokens),
            help=t("quick_estimate_help"),
        )
        card.caption(
            t("quick_estimate_range", low=format_tokens(estimate.low), high=format_tokens(estimate.high),
              confidence=confidence)
        )


# cache_resource, not cache_data: a hit hands back the stored object itself instead of
# unpickling every per-document array on each rerun (0.29 s at 2M rows). Safe because a
# CountedSource is never changed after counting: pages only read it (dataclasses.replace
# makes a new one, as counted_text does).
@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner=False)
def _cached_count(digest: str, name: str, options_key: tuple, _data: bytes) -> CountedSource:
    # Keyed by the content hash (plus name and every read option); the bytes themselves are not
    # hashed again. The estimate and progress bar live inside, so a cache hit replays them
    # already emptied and shows the exact figures directly.
    options = ReadOptions(*options_key)
    if len(_data) < PROGRESS_FROM_BYTES:
        return count_source(name, _data, options)
    reading = _Reading(name, _data, options)
    # Reserved first, so the estimate appears above the bar.
    placeholder = st.empty() if len(_data) > QUICK_ESTIMATE_FROM_BYTES else None
    # The label is ours, not the file name: progress text is rendered as Markdown.
    label = t("counting_tokens")
    bar = st.progress(0.0, text=label)
    shown = [0.0]

    def advance(share: float) -> None:
        if share - shown[0] >= 0.05 or share >= 1:
            shown[0] = share
            bar.progress(share, text=label)

    try:
        documents = list(reading)  # read first: the bar's total, and the sample, come from them
        estimates = quick_estimate(documents) if placeholder is not None else {}
        # A sample that took every row (little text in a big table) is no estimate: the exact
        # count, due right after, is shown alone.
        if any(e.is_estimate for e in estimates.values()):
            with placeholder.container():
                # The file name is user text: st.caption renders Markdown, so it goes in escaped.
                show_quick_estimate(escape_markdown(name), estimates)
        counted_source = _count(reading, documents, advance)
    finally:
        bar.empty()
    if placeholder is not None:
        placeholder.empty()  # the exact figures below replace the estimate
    return counted_source


def counted(name: str, data: bytes, options: ReadOptions, digest: str | None = None) -> CountedSource:
    """``count_source`` through the app's cache (sha256 of the bytes + name + every read option).

    An upload over PROGRESS_FROM_BYTES shows a progress bar while it is counted; one over
    QUICK_ESTIMATE_FROM_BYTES first shows a sampled estimate, replaced once the count is exact.
    """
    return _cached_count(digest or content_digest(data), name, dataclasses.astuple(options), data)


PASTED_NAME = "pasted-text.txt"


def counted_text(text: str) -> CountedSource:
    """Pasted text, counted through the same cache: it is UTF-8 by construction, so its bytes are
    never guessed at."""
    return counted(PASTED_NAME, text.encode("utf-8"), ReadOptions(encoding="utf-8"))
