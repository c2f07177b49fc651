"""What a person picks before reading a table: which files are tables, and their column names."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ingest.decoding import detect_encoding
from ingest.options import ReadOptions
from ingest.streaming import JSONL_SUFFIXES, TABLE_SUFFIXES, XLSX_SUFFIXES
from ingest.tables import ONE_COLUMN, sniff_delimiter

#: File types offered for upload (content decides in the end: a text file of any name is read).
UPLOAD_SUFFIXES: tuple[str, ...] = tuple(
    sorted({".txt", ".md", ".markdown", ".rst", ".log", ".json", *TABLE_SUFFIXES, *JSONL_SUFFIXES, *XLSX_SUFFIXES})
)
_HEAD_BYTES = 1 << 16
_HEAD_LINES = 50


def is_table_name(name: str) -> bool:
    """Whether a file of this name is read as a table (and so needs a column choice)."""
    return Path(name).suffix.lower() in {*TABLE_SUFFIXES, *XLSX_SUFFIXES}


def table_columns(name: str, data: bytes, options: ReadOptions = ReadOptions()) -> list[str]:
    """The column names of a CSV/TSV/XLSX table, read the way the table itself will be read.

    Uses the same encoding detection and delimiter sniffing as reading; empty when the file has
    no header or cannot be read (reading it then reports why).
    """
    suffix = Path(name).suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return _workbook_columns(data, options)
    head = data[:_HEAD_BYTES]
    complete = len(data) <= _HEAD_BYTES
    encoding = options.encoding or detect_encoding(head, complete=complete)
    try:
        text = head.decode(encoding, "replace").lstrip("\ufeff")
    except LookupError:
        return []
    lines = text.splitlines(keepends=True)[:_HEAD_LINES]
    delimiter = TABLE_SUFFIXES.get(suffix) or sniff_delimiter(lines, complete)
    if delimiter == ONE_COLUMN:
        first = lines[0].rstrip("\r\n") if lines else ""
        return [first] if first else []
    try:
        row = next(csv.reader(io.StringIO("".join(lines), newline=""), delimiter=delimiter), None)
    except csv.Error:
        return []
    return list(dict.fromkeys(row)) if row else []


def _workbook_columns(data: bytes, options: ReadOptions) -> list[str]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book[options.sheet] if options.sheet in book.sheetnames else book.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            if any(v not in (None, "") for v in values):
                return list(dict.fromkeys("" if v is None else str(v) for v in values))
    except Exception:  # a damaged workbook: reading it reports the problem
        return []
    return []
