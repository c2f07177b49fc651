"""What the Estimate page needs to know about an upload before reading it: its kind and header."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ingest.readers import JSONL_SUFFIXES, TABLE_SUFFIXES, TEXT_SUFFIXES

UPLOAD_TYPES = sorted(s.lstrip(".") for s in (*TEXT_SUFFIXES, *TABLE_SUFFIXES, *JSONL_SUFFIXES))
HEADER_BYTES = 1 << 16


def is_table(name: str) -> bool:
    """Whether ``name`` is read as a CSV/TSV table (and so needs a column choice)."""
    return Path(name).suffix.lower() in TABLE_SUFFIXES


def table_header(name: str, data: bytes) -> list[str]:
    """The column names of a CSV/TSV upload (empty when it has none or cannot be decoded)."""
    delimiter = TABLE_SUFFIXES.get(Path(name).suffix.lower(), ",")
    head = data[:HEADER_BYTES].decode("utf-8-sig", errors="ignore")
    row = next(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter), None)
    return list(dict.fromkeys(row)) if row else []
