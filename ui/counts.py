"""Counting what the user brought, once: results cached by a hash of the content.

A rerun after a slider or model change finds the counts here and never tokenizes again.
"""

from __future__ import annotations

import hashlib
from array import array
from dataclasses import dataclass, field
from typing import Callable

import streamlit as st

from ingest import Problem, ReadOptions, read_bytes
from tokenizers import SUPPORTED_ENCODINGS, count_many
from ui.i18n import t

# Documents are counted in batches so a progress bar can move on large uploads.
BATCH_CHARS = 2_000_000
PROGRESS_FROM_BYTES = 1_000_000
CACHE_ENTRIES = 64


@dataclass(frozen=True)
class CountedSource:
    """One source (a pasted text or an uploaded file) read and counted on every encoding.

    Totals are summed once here. The per-document columns (``sources``, ``groups``,
    ``parts``, ``tokens``: one item per document, continuation parts of a huge text
    included) are stored packed, because every cache hit copies this object.
    """

    name: str
    documents: int = 0  # requests; continuation parts are not new documents
    totals: dict[str, int] = field(default_factory=dict)
    # Per group value: (documents, tokens per encoding).
    group_sums: dict[str | None, tuple[int, dict[str, int]]] = field(default_factory=dict)
    skipped: tuple[Problem, ...] = ()
    notes: tuple[Problem, ...] = ()
    packed_sources: str = ""  # NUL-separated
    group_labels: tuple[str | None, ...] = ()
    group_index: array = field(default_factory=lambda: array("q"))
    tokens: dict[str, array] = field(default_factory=dict)
    parts: array = field(default_factory=lambda: array("q"))

    def total(self, encoding: str) -> int:
        return self.totals.get(encoding, 0)

    @property
    def sources(self) -> list[str]:
        return self.packed_sources.split(_SEP) if len(self.parts) else []

    @property
    def groups(self) -> list[str | None]:
        return [self.group_labels[i] for i in self.group_index]


_SEP = "\x00"


def content_digest(data: bytes) -> str:
    """The sha256 of ``data`` (the cache key of its counts)."""
    return hashlib.sha256(data).hexdigest()


def count_source(
    name: str, data: bytes, options: ReadOptions, on_progress: Callable[[float], None] | None = None
) -> CountedSource:
    """Read ``data`` as the file ``name`` and count every document on every supported encoding.

    ``on_progress`` receives the share done (0..1) after each batch.
    """
    corpus = read_bytes(name, data, options)
    texts = [d.text for d in corpus.documents]
    batches: list[tuple[int, int]] = []
    start, size = 0, 0
    for i, text in enumerate(texts):
        size += len(text)
        if size >= BATCH_CHARS:
            batches.append((start, i + 1))
            start, size = i + 1, 0
    if start < len(texts):
        batches.append((start, len(texts)))
    tokens: dict[str, list[int]] = {enc: [] for enc in SUPPORTED_ENCODINGS}
    steps = len(batches) * len(SUPPORTED_ENCODINGS)
    done = 0
    for lo, hi in batches:
        for enc in SUPPORTED_ENCODINGS:
            tokens[enc].extend(count_many(texts[lo:hi], enc))
            done += 1
            if on_progress is not None:
                on_progress(done / steps)
    group_sums: dict[str | None, tuple[int, dict[str, int]]] = {}
    labels: dict[str | None, int] = {}
    for i, doc in enumerate(corpus.documents):
        documents, sums = group_sums.setdefault(doc.group, (0, {enc: 0 for enc in SUPPORTED_ENCODINGS}))
        for enc in SUPPORTED_ENCODINGS:
            sums[enc] += tokens[enc][i]
        if doc.part == 0:
            group_sums[doc.group] = (documents + 1, sums)
        labels.setdefault(doc.group, len(labels))
    return CountedSource(
        name=name,
        documents=sum(1 for d in corpus.documents if d.part == 0),
        totals={enc: sum(v) for enc, v in tokens.items()},
        group_sums=group_sums,
        skipped=tuple(corpus.skipped),
        notes=tuple(corpus.notes),
        packed_sources=_SEP.join(d.source for d in corpus.documents),
        group_labels=tuple(labels),
        group_index=array("q", (labels[d.group] for d in corpus.documents)),
        tokens={enc: array("q", v) for enc, v in tokens.items()},
        parts=array("q", (d.part for d in corpus.documents)),
    )


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _cached_count(digest: str, name: str, options_key: tuple, _data: bytes) -> CountedSource:
    # Keyed by the content hash (plus name and options); the bytes themselves are not hashed
    # again. The progress bar lives inside so a cache hit replays it already emptied.
    options = ReadOptions(*options_key)
    if len(_data) < PROGRESS_FROM_BYTES:
        return count_source(name, _data, options)
    # The label is ours, not the file name: progress text is rendered as Markdown.
    label = t("counting_tokens")
    bar = st.progress(0.0, text=label)
    last = [0.0]

    def advance(share: float) -> None:
        if share - last[0] >= 0.1 or share >= 1:
            last[0] = share
            bar.progress(share, text=label)

    try:
        return count_source(name, _data, options, advance)
    finally:
        bar.empty()


def counted(name: str, data: bytes, options: ReadOptions, digest: str | None = None) -> CountedSource:
    """``count_source`` through the app's cache (sha256 of the bytes + name + read options)."""
    key = (options.column, options.group_by, options.text_field, options.encoding)
    return _cached_count(digest or content_digest(data), name, key, data)
