"""Deciding by content (not by name) whether bytes are text, and what they are if not."""

from __future__ import annotations

import zipfile
from typing import BinaryIO

# Leading bytes of common binary formats, checked in order.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x28\xb5\x2f\xfd", "zstd archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Office 97-2003 document"),
    (b"\x7fELF", "executable"),
    (b"\xca\xfe\xba\xbe", "executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\x00asm", "WebAssembly module"),
    (b"PAR1", "Parquet file"),
    (b"ID3", "MP3 audio"),
    (b"OggS", "Ogg media"),
    (b"fLaC", "FLAC audio"),
)
# Share of control bytes (other than tab, newlines, form feed, escape) above which bytes are
# not text; of NUL bytes, past a few (stray ones in a log are text, replaced and reported when read).
_CONTROL_LIMIT = 0.10
_NUL_LIMIT = 0.01
_NUL_FEW = 16
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v\x1b")
_CONTROLS = bytes(b for b in range(32) if b not in _TEXT_CONTROLS) + b"\x7f"


def magic_kind(head: bytes) -> str | None:
    """The binary format whose magic number starts ``head`` ("PNG image", ...), or None."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head[4:8] == b"ftyp":
        return "MP4 media"
    if head.startswith(b"RIFF") and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}[head[8:12]]
    return None


def binary_kind(head: bytes) -> str | None:
    """What ``head`` (the first bytes of a file) is if it is not text, or None for text.

    Decided by magic numbers and the shares of NUL and other control bytes. Callers check for
    UTF-16/32 first: those are text full of NUL bytes.
    """
    kind = magic_kind(head)
    if kind:
        return kind
    if head.count(0) > max(_NUL_FEW, _NUL_LIMIT * len(head)):
        return "binary data"
    if head and len(head) - len(head.translate(None, _CONTROLS)) > _CONTROL_LIMIT * len(head):
        return "binary data"
    return None


def is_xlsx(stream: BinaryIO) -> bool:
    """True if the seekable ``stream`` (at its start) is an Excel workbook; leaves it at its start."""
    try:
        with zipfile.ZipFile(stream) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        stream.seek(0)
