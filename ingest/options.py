"""How to read a source: which column or field holds the text, which encoding, which limit."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReadOptions:
    """Options for reading files.

    ``column``/``group_by``: the table column (CSV/TSV/XLSX) holding the text (or several,
    a tuple: each row's cells joined in that order with ``COLUMN_JOINER`` between them, as one
    request per row would send them) and the one to total by (``group_by`` is also a JSON field); ``text_field``: the JSON/JSONL field holding
    the text (default: the first of text, content, prompt, body, message); ``encoding``: a text
    encoding that overrides detection; ``sheet``: the XLSX sheet (default: the first);
    ``max_bytes``: files larger than this are skipped as ``too_large`` (None: no limit);
    ``max_expanded_bytes``: what a compressed file or ZIP archive may expand to in all, below the
    decompression-bomb bound (None: that bound alone); ``row_cells``: a Parquet/Arrow row also
    carries its other cells on ``Document.fields``, as a CSV row always does (every column is
    read, so only the per-row download asks for it).
    """

    column: str | tuple[str, ...] | None = None
    group_by: str | None = None
    text_field: str | None = None
    encoding: str | None = None
    sheet: str | None = None
    max_bytes: int | None = None
    max_expanded_bytes: int | None = None
    row_cells: bool = False

    def text_columns(self) -> tuple[str, ...]:
        """The text columns asked for, in order (empty: none, the column is chosen by content)."""
        if self.column is None:
            return ()
        return (self.column,) if isinstance(self.column, str) else tuple(self.column)


#: What several text columns of one row are joined with (the row's cells become one text).
COLUMN_JOINER = "\n"


def join_cells(cells: list[str] | tuple[str, ...]) -> str:
    """One row's text columns as the one text they are counted as."""
    return cells[0] if len(cells) == 1 else COLUMN_JOINER.join(cells)
