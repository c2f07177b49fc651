"""The one writer of files the project hands back (app downloads and CLI output): CSV with
formula cells neutralised, JSON with exact money.

Every CSV goes through ``csv_rows`` (``csv_bytes`` for downloads, ``write_csv`` for the CLI),
so a spreadsheet never runs a formula that came from a user's text.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Sequence, TextIO

import datetime as dt

# A cell starting with one of these is read as a formula by Excel, LibreOffice or Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def plain(value: object) -> object:
    """``value`` as JSON-ready data: Decimal as an exact decimal string (never a binary float),
    dates ISO, dict keys as strings, tuples as lists."""
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def decimal_text(value: Decimal) -> str:
    """An exact decimal without exponent or trailing zeros (``0.0000025``, ``7.5``, ``0``)."""
    return format(value.normalize(), "f") if value else "0"


def neutralise_formula(value: object) -> str:
    """``value`` as a CSV cell that spreadsheets show as text: a leading ``'`` when it could run.

    Numbers are left alone (a negative number is not a formula).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    # Spreadsheets skip leading spaces and line breaks before a formula sign (" =1+1" runs too).
    return "'" + text if text.lstrip(" \n\r\t").startswith(FORMULA_STARTS) or text.startswith(("\t", "\r")) else text


def write_csv(out: TextIO, header: Sequence[str], rows: Iterable[Sequence[object]],
              line_end: str = "\r\n") -> None:
    """``header`` and ``rows`` as CSV on ``out``, every cell neutralised."""
    writer = csv.writer(out, lineterminator=line_end)
    writer.writerow([neutralise_formula(h) for h in header])
    for row in rows:
        writer.writerow([neutralise_formula(cell) for cell in row])


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 CSV (with BOM, so Excel reads Chinese correctly) with every cell neutralised."""
    out = io.StringIO()
    write_csv(out, header, rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


@dataclass(frozen=True)
class CsvLines:
    """Rows already written as CSV (``csv_line``, every cell neutralised), one line each without
    its line end, to be joined beside other columns (``csv_bytes_joined``): the columns of a
    table that a setting does not change are written once, the ones it does on each change."""

    header: str
    lines: tuple[str, ...]


def csv_line(cells: Sequence[object]) -> str:
    """One row (of at least one cell) as a CSV line without its line end, every cell
    neutralised, quoted as ``csv_bytes`` quotes it; a lone empty cell is written as nothing."""
    if all(type(cell) in (Decimal, int) for cell in cells):
        return ",".join([neutralise_formula(cell) for cell in cells])  # digits, a point, a minus
    texts = [neutralise_formula(cell) for cell in cells]
    if texts == [""]:
        return ""  # the writer would write '""' (a line to be joined needs none)
    out = io.StringIO()
    # The line end of ``csv_bytes``: the writer quotes cells holding any of its characters.
    csv.writer(out, lineterminator="\r\n").writerow(texts)
    return out.getvalue()[:-2]  # a quoted cell keeps its own line breaks


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[object]]) -> CsvLines:
    """``header`` and ``rows`` (each of at least one cell) written as ``CsvLines``."""
    return CsvLines(csv_line(header), tuple(csv_line(row) for row in rows))


def csv_bytes_joined(left: CsvLines, right: CsvLines) -> bytes:
    """UTF-8 CSV (with BOM) whose every line is ``left``'s line, then ``right``'s line at the
    same place: the same bytes as ``csv_bytes`` of the joined rows.
    Raises ValueError when the two differ in length."""
    if len(right.lines) != len(left.lines):
        raise ValueError(f"{len(right.lines)} lines beside {len(left.lines)}")
    joined = [f"{a},{b}" for a, b in zip((left.header, *left.lines), (right.header, *right.lines))]
    return ("\ufeff" + "\r\n".join(joined) + "\r\n").encode("utf-8")


def json_bytes(value: object) -> bytes:
    """Indented UTF-8 JSON; Decimals become exact decimal strings, dates ISO strings."""
    return json.dumps(plain(value), indent=2, ensure_ascii=False).encode("utf-8")
