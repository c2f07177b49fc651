"""Counting what the user brought, once: results cached by a hash of the content.

A rerun after a slider or model change finds the counts here and never tokenizes again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Callable

import streamlit as st

from ingest import Problem, ReadOptions, read_bytes
from tokenizers import SUPPORTED_ENCODINGS, count_many

# Documents are counted in batches so a progress bar can move on large uploads.
BATCH_CHARS = 2_000_000
PROGRESS_FROM_BYTES = 1_000_000
CACHE_ENTRIES = 64


@dataclass(frozen=True)
class CountedSource:
    """One source (a pasted text or an uploaded file) read and counted on every encoding.

    ``sources``, ``groups`` and each ``tokens[encoding]`` run in parallel: one item per
    document (a file, a CSV row, a JSONL line; continuation parts of a huge text included).
    """

    name: str
    sources: tuple[str, ...] = ()
    groups: tuple[str | None, ...] = ()
    tokens: dict[str, tuple[int, ...]] = field(default_factory=dict)
    skipped: tuple[Problem, ...] = ()
    notes: tuple[Problem, ...] = ()

    parts: tuple[int, ...] = ()

    @property
    def documents(self) -> int:
        """Documents (requests); continuation parts of a huge text are not new documents."""
        return sum(1 for part in self.parts if part == 0)

    def total(self, encoding: str) -> int:
        return sum(self.tokens.get(encoding, ()))


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
    return CountedSource(
        name=name,
        sources=tuple(d.source for d in corpus.documents),
        groups=tuple(d.group for d in corpus.documents),
        tokens={enc: tuple(v) for enc, v in tokens.items()},
        skipped=tuple(corpus.skipped),
        notes=tuple(corpus.notes),
        parts=tuple(d.part for d in corpus.documents),
    )


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _cached_count(digest: str, name: str, options_key: tuple, _data: bytes) -> CountedSource:
    # Keyed by the content hash (plus name and options); the bytes themselves are not hashed
    # again. The progress bar lives inside so a cache hit replays it already emptied.
    options = ReadOptions(*options_key)
    if len(_data) < PROGRESS_FROM_BYTES:
        return count_source(name, _data, options)
    bar = st.progress(0.0, text=name)
    last = [0.0]

    def advance(share: float) -> None:
        if share - last[0] >= 0.1 or share >= 1:
            last[0] = share
            bar.progress(share, text=name)

    try:
        return count_source(name, _data, options, advance)
    finally:
        bar.empty()


def counted(name: str, data: bytes, options: ReadOptions, digest: str | None = None) -> CountedSource:
    """``count_source`` through the app's cache (sha256 of the bytes + name + read options)."""
    key = (options.column, options.group_by, options.text_field, options.encoding)
    return _cached_count(digest or content_digest(data), name, key, data)
