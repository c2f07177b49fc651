"""Compressed streams (gzip, bzip2, xz, zstd) read forward, with a bound on what they expand to.

A few kilobytes of gzip can expand to gigabytes (a "decompression bomb"). Every decompressed
byte of one physical file, through however many layers (a .gz inside a .zip), is charged to
one ``DecompressionBudget``; past it reading stops with ``DecompressionLimitError``, which
ingest reports as the ``decompression_limit`` problem.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

#: A physical file may expand to at most this many times its own size ...
MAX_DECOMPRESSION_RATIO = 100
#: ... or this many bytes, whichever is more (a small file of repeated text compresses far better than 100x).
DECOMPRESSION_FLOOR_BYTES = 64 << 20
#: What an upload (read in memory by the app) may expand to in all: no more text than the
#: largest uncompressed upload (200 MB) would bring.
MAX_UPLOAD_EXPANDED_BYTES = 256 << 20

COMPRESSION_SUFFIXES: dict[str, str] = {
    ".gz": "gzip", ".gzip": "gzip", ".bz2": "bzip2", ".xz": "xz", ".lzma": "xz", ".zst": "zstd", ".zstd": "zstd",
}
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
)


class DecompressionLimitError(Exception):
    """A stream expanded past its DecompressionBudget."""

    def __init__(self, budget: DecompressionBudget):
        super().__init__(f"expanded past {budget.limit} bytes")
        self.budget = budget


class DecompressionBudget:
    """How many decompressed bytes one physical file of ``size`` bytes may yield in all:
    MAX_DECOMPRESSION_RATIO times its size (at least DECOMPRESSION_FLOOR_BYTES), and never more
    than ``cap`` when one is given."""

    def __init__(self, size: int, cap: int | None = None):
        self.size = size
        self.limit = max(DECOMPRESSION_FLOOR_BYTES, MAX_DECOMPRESSION_RATIO * size)
        self.capped = cap is not None and cap < self.limit
        if self.capped:
            self.limit = cap
        self.used = 0

    def charge(self, count: int) -> None:
        """Count ``count`` more decompressed bytes; raises DecompressionLimitError past the limit."""
        self.used += count
        if self.used > self.limit:
            raise DecompressionLimitError(self)

    @property
    def code(self) -> str:
        """The problem to report past the limit: "expanded_too_large" under a cap, else "decompression_limit"."""
        return "expanded_too_large" if self.capped else "decompression_limit"

    def params(self) -> dict[str, object]:
        """The problem's parameters (see ``code``)."""
        return {"limit": self.limit, "size": self.size, "ratio": MAX_DECOMPRESSION_RATIO}


def compression_of(name: str, head: bytes) -> str | None:
    """"gzip", "bzip2", "xz" or "zstd" when ``head`` (a stream's first bytes) starts compressed
    data, else None. Decided by the magic bytes; the suffix only names it (a .gz that is not
    gzip is read as what its bytes are)."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    return None


def inner_suffix(name: str) -> str:
    """The suffix that decides how the decompressed content of ``name`` is split: "a.jsonl.gz" -> ".jsonl"."""
    path = Path(name)
    if path.suffix.lower() in COMPRESSION_SUFFIXES:
        path = path.with_suffix("")
    return path.suffix.lower()


def decompressed(kind: str, stream: BinaryIO) -> BinaryIO:
    """A forward-only binary stream of the decompressed content of ``stream`` (compressed as ``kind``)."""
    if kind == "gzip":
        import gzip

        return gzip.GzipFile(fileobj=stream, mode="rb")
    if kind == "bzip2":
        import bz2

        return bz2.BZ2File(stream, mode="rb")
    if kind == "xz":
        import lzma

        return lzma.LZMAFile(stream, mode="rb")
    if kind == "zstd":
        import zstandard

        return zstandard.ZstdDecompressor().stream_reader(stream, read_across_frames=True, closefd=False)
    raise ValueError(f"unknown compression {kind!r}")


def read_errors() -> tuple[type[BaseException], ...]:
    """The exceptions a damaged compressed stream raises while it is read."""
    import lzma
    import zlib

    import zstandard

    # gzip.BadGzipFile is an OSError; a stream cut short is an EOFError.
    return (OSError, EOFError, zlib.error, lzma.LZMAError, zstandard.ZstdError)


class BoundedStream(io.BufferedIOBase):
    """A forward-only binary stream over ``raw`` whose bytes are charged to ``budget``.

    Its first ``head`` bytes are kept, so ``seek`` can go back to any place among them (reading
    decides a stream's encoding from its start, then reads it from the start again).
    """

    def __init__(self, raw: BinaryIO, budget: DecompressionBudget, head: int):
        super().__init__()
        self._raw = raw
        self._budget = budget
        self._head = self._read_raw(head)
        self._at = 0  # the position while still within the kept head

    def _read_raw(self, size: int) -> bytes:
        chunks: list[bytes] = []
        wanted = size
        while wanted > 0:
            chunk = self._raw.read(wanted)
            if not chunk:
                break
            chunks.append(chunk)
            wanted -= len(chunk)
        data = b"".join(chunks)
        self._budget.charge(len(data))
        return data

    @property
    def head(self) -> bytes:
        """The first bytes of the stream (all of it when it is shorter than asked)."""
        return self._head

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False  # only within the head: TextIOWrapper must not rely on tell()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence != io.SEEK_SET or not 0 <= offset <= len(self._head) or self._at is None:
            raise io.UnsupportedOperation("a decompressed stream can only go back within its first bytes")
        self._at = offset
        return offset

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            parts = [self._take_head(len(self._head))]
            while chunk := self._read_raw(1 << 20):
                parts.append(chunk)
            return b"".join(parts)
        data = self._take_head(size)
        if len(data) < size:
            data += self._read_raw(size - len(data))
        return data

    def read1(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = 1 << 16
        data = self._take_head(size)
        return data if data else self._read_raw(size)

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def _take_head(self, size: int) -> bytes:
        if self._at is None or self._at >= len(self._head):
            self._at = None  # past the head: no going back any more
            return b""
        data = self._head[self._at : self._at + size]
        self._at += len(data)
        return data
