"""What a page needs to know about an upload before reading it: its kind and header."""

from __future__ import annotations

from ingest import UPLOAD_SUFFIXES, ReadOptions, is_table_name, table_columns

UPLOAD_TYPES = sorted(s.lstrip(".") for s in UPLOAD_SUFFIXES)


def is_table(name: str) -> bool:
    """Whether ``name`` is read as a table (and so needs a column choice)."""
    return is_table_name(name)


def table_header(name: str, data: bytes, options: ReadOptions = ReadOptions()) -> list[str]:
    """The column names of a table upload, read as ingest will read it (empty when none)."""
    return table_columns(name, data, options)
