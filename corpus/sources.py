"""How each file (or pasted text) was read: its format, encoding, column, documents, compression
and JSON field (``SourceInfo``), worked out from the file's name and the notes ``ingest`` left
while reading it; and how many documents a file's bytes may hold before it is read
(``line_documents``, for the app's memory reservation)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ingest import Problem, ReadOptions
from ingest.columnar import ARROW_SUFFIXES, PARQUET_SUFFIXES
from ingest.compression import COMPRESSION_SUFFIXES, compression_of, inner_suffix
from ingest.decoding import is_single_byte
from ingest.streaming import JSONL_SUFFIXES, TABLE_SUFFIXES, XLSX_SUFFIXES


@dataclass(frozen=True)
class SourceInfo:
    """How one file (or pasted text) was read: its format, the encoding it was decoded with
    (None for a workbook or a Parquet/Arrow table), the table column counted (None when not a
    table), its documents, the compression it was read through (gzip, bzip2, xz, zstd) and the
    JSON field(s) counted ("text"; "text, content" when objects differ; None when not JSON objects)."""

    path: str
    format: str
    encoding: str | None
    column: str | None
    documents: int
    column_chosen: bool = False  # True: chosen by content (no column was given)
    compression: str | None = None
    # True: the encoding was detected (not given) and is a single-byte one (cp1252, latin-1 ...),
    # which decodes any bytes: the file may be another encoding misread, so the reader is told.
    single_byte_guess: bool = False
    json_field: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {"path": self.path, "format": self.format, "compression": self.compression,
                "encoding": self.encoding, "column": self.column, "json_field": self.json_field,
                "column_chosen_by_content": self.column_chosen, "documents": self.documents,
                "encoding_single_byte_guess": self.single_byte_guess}


def file_format(name: str) -> str:
    """The format a file of this name is read as (its content may still make it a workbook);
    a compressed file's is the format inside ("a.jsonl.gz": jsonl)."""
    suffix = inner_suffix(name)
    if suffix in PARQUET_SUFFIXES:
        return "parquet"
    if suffix in ARROW_SUFFIXES:
        return "arrow"
    if suffix == ".zip":
        return "zip"
    if suffix in TABLE_SUFFIXES:
        return "tsv" if TABLE_SUFFIXES[suffix] == "\t" else "csv"
    if suffix in XLSX_SUFFIXES:
        return "xlsx"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    return "json" if suffix == ".json" else "text"


def line_documents(name: str, data: bytes) -> int:
    """About how many documents reading ``data`` as the file ``name`` gives where each line can
    be one (a CSV/TSV row, a JSONL line): its newlines; 0 for other formats (a text is one
    document; a compressed file's lines are not in its bytes)."""
    if compression_of(name, data[:16]) is not None or file_format(name) not in ("csv", "tsv", "jsonl"):
        return 0
    return data.count(b"\n")


def source_info(name: str, documents: int, notes: Iterable[Problem], options: ReadOptions) -> SourceInfo:
    """``name``'s SourceInfo from the notes ingest left while reading it."""
    encoding = column = None
    chosen = False
    json_fields: dict[str, None] = {}  # a file read in ranges has a note per range
    for note in notes:
        if note.where != name:
            continue
        if note.code == "encoding_used":
            encoding = str(note.params["encoding"])
        elif note.code == "column_chosen":
            column, chosen = str(note.params["column"]), True
        elif note.code == "json_field":
            json_fields[str(note.params["field"])] = None
    fmt = file_format(name)
    if encoding is None and documents and fmt not in ("parquet", "arrow", "zip"):
        fmt = "xlsx"  # read as a workbook by its content, whatever its name
    if fmt in ("csv", "tsv", "xlsx", "parquet", "arrow") and column is None:
        column = ", ".join(options.text_columns()) or None
    compression = COMPRESSION_SUFFIXES.get(Path(name).suffix.lower())
    guess = encoding is not None and options.encoding is None and is_single_byte(encoding)
    return SourceInfo(name, fmt, encoding, column, documents, chosen, compression, guess,
                      json_field=", ".join(json_fields) if json_fields else None)
