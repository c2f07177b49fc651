"""Big text and JSON Lines files read in byte ranges, each on its own (a partition of a cluster).

``split_points`` finds where a file can be cut: at line starts for JSON Lines, and for a text
only where the token counts of both sides add up to the whole's; ``iter_byte_range`` reads one
range as reading the whole file would read that part of it.
"""

from __future__ import annotations

import codecs
import dataclasses
import io
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ingest.columnar import columnar_kind
from ingest.compression import compression_of
from ingest.decoding import ERRORS, Decoder
from ingest.documents import Document, Problem
from ingest.jsondocs import iter_jsonl
from ingest.options import ReadOptions
from ingest.streaming import (
    BLOCK_BYTES,
    JSONL_SUFFIXES,
    TABLE_SUFFIXES,
    WORKBOOK,
    XLSX_SUFFIXES,
    CutPoint,
    iter_text_parts,
    read_as,
)

# A byte range of a text starts at a safe place within this many bytes after a newline, found
# by reading this much at a time.
_CUT_LOOK = 1 << 12
_WINDOW = 1 << 18

#: Encodings in which a newline byte is always a newline (never part of another character), so a
#: file in them can be cut at line starts and read in independent byte ranges.
SPLITTABLE_ENCODINGS = frozenset({
    "utf-8", "utf-8-sig", "ascii", "gb18030", "gbk", "gb2312", "big5", "big5hkscs", "shift_jis", "cp932",
    "cp1252", "latin-1", "iso8859-1", "euc_jp", "euc_kr",
})


def split_points(
    name: str, stream: BinaryIO, size: int, options: ReadOptions, every: int, safe_prefix_end: CutPoint
) -> tuple[str, list[int]] | None:
    """Where a big plain text or JSON Lines file (uncompressed, in a SPLITTABLE_ENCODINGS encoding)
    can be cut into byte ranges read on their own: (its encoding, the cut offsets), about
    ``every`` bytes apart; None when it is not such a file. A JSON Lines file is cut at line
    starts; a text right after a newline where ``safe_prefix_end`` says the token counts of the
    two sides add up to the whole's. The encoding is decided as reading the whole file decides it.
    """
    suffix = Path(name).suffix.lower()
    if suffix in TABLE_SUFFIXES or suffix in XLSX_SUFFIXES or suffix == ".json" or size <= every:
        return None
    head = stream.read(16)
    stream.seek(0)
    if compression_of(name, head) or columnar_kind(suffix, head) or head.startswith(b"PK"):
        return None
    encoding = read_as(name, stream, size, options, [])
    if encoding is None or encoding == WORKBOOK or codecs.lookup(encoding).name not in SPLITTABLE_ENCODINGS:
        return None
    plain = "utf-8" if encoding == "utf-8-sig" else encoding
    cuts: list[int] = []
    at = every
    while at < size:
        cut = _next_cut(stream, at, size, plain, suffix in JSONL_SUFFIXES, safe_prefix_end)
        if cut is None:
            break
        if cut < size:
            cuts.append(cut)
        at = max(cut, at) + every
    stream.seek(0)
    return encoding, cuts


def _next_cut(
    stream: BinaryIO, at: int, size: int, encoding: str, lines: bool, safe_prefix_end: CutPoint
) -> int | None:
    """The first place at or after byte ``at`` where a range may start (see split_points)."""
    while at < size:
        stream.seek(at)
        window = stream.read(_WINDOW)
        newline = window.find(b"\n")
        if newline < 0:
            at += len(window)
            continue
        start = at + newline + 1
        if lines:
            return start
        # safe_prefix_end finds the longest safe prefix: a short look keeps the cut near ``at``.
        text = window[newline + 1 : newline + 1 + _CUT_LOOK].decode(encoding, "surrogateescape")
        found = safe_prefix_end("\n" + text) - 1  # the newline before it is the context
        if found > 0:
            return start + len(text[:found].encode(encoding, "surrogateescape"))
        at = start
    return None


class _Range(io.RawIOBase):
    """The bytes [start, end) of a seekable stream, as a stream of their own."""

    def __init__(self, stream: BinaryIO, start: int, end: int):
        super().__init__()
        self._stream, self._left = stream, end - start
        stream.seek(start)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._left <= 0:
            return 0
        data = self._stream.read(min(len(buffer), self._left))
        buffer[: len(data)] = data
        self._left -= len(data)
        return len(data)


def iter_byte_range(
    name: str, stream: BinaryIO, start: int, end: int, encoding: str, options: ReadOptions,
    problems: list[Problem], cut: CutPoint | None = None, lines: list[int] | None = None,
) -> Iterator[Document]:
    """Documents of the bytes [start, end) of a file cut by ``split_points``, decoded as ``encoding``.

    JSON Lines: one document per line, numbered from 1 within the range (the caller shifts the
    places by the lines before it). Text: the range's part of the file's one document, parts
    numbered from 1 when it does not start the file (it continues the range before). Only the
    range that starts the file notes its encoding and the JSON field(s) it counted (a field first
    used in a later range is not noted); a range never reports ``empty_file``.
    ``lines``, when given, receives the number of JSON Lines lines the range held.
    """
    if start == 0:
        problems.append(Problem("encoding_used", name, {"encoding": encoding}))
    elif encoding == "utf-8-sig":
        encoding = "utf-8"  # the byte order mark is at the start of the file only
    decoder = Decoder(encoding)
    raw = io.BufferedReader(_Range(stream, start, end), BLOCK_BYTES)
    found: list[Problem] = []
    if Path(name).suffix.lower() in JSONL_SUFFIXES:
        text = io.TextIOWrapper(raw, encoding=encoding, errors=ERRORS, newline="")
        seen = [0]

        def counted(source):
            for line in source:
                seen[0] += 1
                yield decoder.clean(line)

        try:
            yield from iter_jsonl(name, counted(text), options, found)
        finally:
            text.detach()
            if lines is not None:
                lines.append(seen[0])
    else:
        for document in iter_text_parts(name, raw, decoder, found, cut):
            yield document if start == 0 else dataclasses.replace(document, part=document.part + 1)
    problems.extend(p for p in found if p.code != "empty_file" and (start == 0 or p.code != "json_field"))
    if decoder.invalid:
        problems.append(Problem("invalid_bytes", name, {"encoding": encoding, "count": decoder.invalid}))
