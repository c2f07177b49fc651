"""Tables: CSV/TSV rows (delimiter sniffed, quotes and newlines kept) and XLSX sheets, row by row."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import BinaryIO

from ingest.documents import Document, Problem
from ingest.limits import check_sheet_size, spend
from ingest.options import ReadOptions, join_cells
from ingest.text_column import ColumnChoice, choose_text_column

# Long texts (a whole article in one cell) are normal here; the csv module's default cap is 128 KB.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

DELIMITERS = (",", ";", "\t")
# A one-column file is read with a delimiter no text uses, so commas in its text stay text.
ONE_COLUMN = "\x1f"
#: The delimiter is sniffed on this many first lines.
SNIFF_LINES = 50
#: Without a chosen column, the text column is chosen from this many first rows (held in memory).
CHOICE_ROWS = 200
#: A message lists this many of a table's column names.
LISTED_COLUMNS = 50


class _Lines:
    """The physical lines of a table, remembering those of the record being read."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = iter(lines)
        self.raw: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.raw.append(line)
        return line


def sniff_delimiter(lines: list[str], complete: bool) -> str:
    """The delimiter of the table whose first physical ``lines`` are given.

    The candidate (",", ";", tab) that splits the header in two or more and the most rows like
    the header wins, "," first on a tie; ONE_COLUMN when none splits the header.
    ``complete`` says ``lines`` are the whole file (else the last record may be cut).
    """
    best, best_key = ONE_COLUMN, (-1.0, 0)
    text = "".join(lines)
    for delimiter in DELIMITERS:
        try:
            rows = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if r]
        except csv.Error:
            continue
        if not complete:
            rows = rows[:-1] or rows
        if not rows or len(rows[0]) < 2:
            continue
        body = rows[1:]
        alike = sum(len(r) == len(rows[0]) for r in body) / len(body) if body else 1.0
        key = (alike, len(rows[0]))
        if key > best_key:
            best, best_key = delimiter, key
    return best


class CsvRecords:
    """The non-blank records of a CSV/TSV read from its physical ``lines`` (newlines kept), as
    (first line number, cells); cells None for a last record whose quote never closes (it
    swallowed the rest of the file). ``delimiter`` None means sniff it from the first lines.
    ``on_merged(first, last)`` is called before a record that spans physical lines ``first`` to
    ``last`` and does not read strictly (text after a closing quote): the lenient reader may have
    merged rows into it. Only records of several lines are read again, so other files cost nothing.

    Iterating raises csv.Error where the reader cannot go on (``line_num`` says where).
    """

    def __init__(
        self, lines: Iterable[str], delimiter: str | None = None, on_merged: Callable[[int, int], None] | None = None
    ) -> None:
        lines = iter(lines)
        head = list(islice(lines, SNIFF_LINES))
        if delimiter is None:
            delimiter = sniff_delimiter(head, complete=len(head) < SNIFF_LINES)
        source = _Lines(_chain(head, lines))
        self._reader = csv.reader(source, delimiter=delimiter)
        self._records = _records(self._reader, source, on_merged)

    def __iter__(self) -> Iterator[tuple[int, list[str] | None]]:
        return self._records

    @property
    def line_num(self) -> int:
        """The number of physical lines read so far."""
        return self._reader.line_num


def iter_csv(
    name: str, lines: Iterable[str], options: ReadOptions, problems: list[Problem], delimiter: str | None = None
) -> Iterator[Document]:
    """Documents of a CSV/TSV read from its physical ``lines`` (newlines kept), one per row.

    The first row is the header; ``delimiter`` None means sniff it. Rows that cannot be read
    are added to ``problems`` with their first line number.
    """

    def merged(first: int, last: int) -> None:
        problems.append(Problem("quote_merged_rows", f"{name}:{first}", {"line": first, "last": last}))

    records = CsvRecords(lines, delimiter, merged)
    rows = iter(records)
    try:
        header = next(rows, None)
        if header is None:
            problems.append(Problem("empty_file", name))
            return
        if header[1] is None:
            problems.append(Problem("unclosed_quote", f"{name}:{header[0]}", {"line": header[0]}))
            return
        yield from table_documents(name, header[1], rows, options, problems, pad=False)
    except csv.Error as exc:  # the reader cannot go on past this (e.g. a field over the size cap)
        problems.append(Problem("unreadable", f"{name}:{records.line_num}", {"error": str(exc)}))


def _chain(first: list[str], rest: Iterator[str]) -> Iterator[str]:
    yield from first
    yield from rest


def _records(
    reader, source: _Lines, on_merged: Callable[[int, int], None] | None = None
) -> Iterator[tuple[int, list[str] | None]]:
    """(first line number, cells) of each non-blank record; cells None for a last record whose
    quote never closes (it swallowed the rest of the file). ``on_merged`` as in CsvRecords."""
    line = 1
    pending: tuple[int, list[str], list[str]] | None = None
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error:
            if pending is not None:  # the rows before the one the reader gives up on are fine
                yield pending[0], pending[1]
            raise
        raw, source.raw = source.raw, []
        spend(rows=1, cells=len(row))
        if pending is not None:
            yield _checked(pending, on_merged, reader.dialect)
            pending = None
        if row:
            pending = (line, row, raw)
        line = reader.line_num + 1
    if pending is not None:
        start, row, raw = pending
        if len(raw) > 1 and _strict_error(raw, reader.dialect) == _UNCLOSED:
            yield start, None
        else:
            yield _checked(pending, on_merged, reader.dialect)


# The strict reader's complaint when a quote never closes (the lenient one takes the rest of the file).
_UNCLOSED = "unexpected end of data"


def _checked(
    record: tuple[int, list[str], list[str]], on_merged: Callable[[int, int], None] | None, dialect
) -> tuple[int, list[str]]:
    """(first line, cells) of a record read from its ``raw`` lines, after telling ``on_merged``
    when it spans several lines that a strict reader refuses."""
    start, row, raw = record
    if on_merged is not None and len(raw) > 1 and _strict_error(raw, dialect) is not None:
        on_merged(start, start + len(raw) - 1)
    return start, row


def _strict_error(raw: list[str], dialect) -> str | None:
    """What a strict reader says against a record's ``raw`` lines (None: they read cleanly)."""
    try:
        list(csv.reader(raw, delimiter=dialect.delimiter, strict=True))
    except csv.Error as exc:
        return _UNCLOSED if _UNCLOSED in str(exc) else str(exc)
    return None


def table_documents(
    name: str,
    header: list[str],
    rows: Iterator[tuple[int, list[str] | None]],
    options: ReadOptions,
    problems: list[Problem],
    pad: bool,
) -> Iterator[Document]:
    """Documents from a table's ``header`` and numbered ``rows`` under the column options.

    With ``pad`` (spreadsheets, which drop trailing empty cells) short rows are padded and
    extra empty cells ignored; otherwise a row of another width is a ``ragged_row``. Without
    ``options.column`` the text column is chosen by content from the first CHOICE_ROWS rows
    (see ``choose_text_column``) and a ``column_chosen`` note says which.
    """
    columns = column_list(header)
    for wanted in (*options.text_columns(), options.group_by):
        if wanted is not None and wanted not in header:
            problems.append(Problem("missing_column", name, {"column": wanted, "columns": columns}))
            return
    if options.column is not None:
        text_at = [header.index(column) for column in options.text_columns()]
    else:
        chosen, rows = _choose_column(name, header, rows, options, problems, pad)
        text_at = [chosen]
    group_at = header.index(options.group_by) if options.group_by is not None else None
    width = len(header)
    read_any = False
    for line, row in rows:
        where = f"{name}:{line}"
        read_any = True
        if row is None:
            problems.append(Problem("unclosed_quote", where, {"line": line}))
            continue
        if pad:
            row = pad_row(row, width)
        if len(row) != width:
            problems.append(Problem("ragged_row", where, {"line": line, "found": len(row), "expected": width}))
            continue
        group = row[group_at] if group_at is not None else None
        yield Document(text=join_cells([row[i] for i in text_at]), source=where, group=group,
                       fields=tuple(zip(header, row)))
    if not read_any:
        problems.append(Problem("header_only", name))


def column_list(header: list[str]) -> str:
    """A table's column names for a message: the first LISTED_COLUMNS, then "…" when there are more
    (a header of a million names is 12 MB)."""
    listed = ", ".join(header[:LISTED_COLUMNS])
    return listed + ", …" if len(header) > LISTED_COLUMNS else listed


def pad_row(row: list[str], width: int) -> list[str]:
    """A spreadsheet row at the header's ``width``: padded with empty cells, extra empty cells dropped.

    A row with extra non-empty cells is returned as it is (it is ragged).
    """
    if len(row) < width:
        return row + [""] * (width - len(row))
    if len(row) > width and not any(row[width:]):
        return row[:width]
    return row


def _choose_column(
    name: str,
    header: list[str],
    rows: Iterator[tuple[int, list[str] | None]],
    options: ReadOptions,
    problems: list[Problem],
    pad: bool,
) -> tuple[int, Iterator[tuple[int, list[str] | None]]]:
    """The index of the text column chosen from the first CHOICE_ROWS ``rows``, and all the rows again."""
    if len(header) <= 1:
        return 0, rows
    head: list[tuple[int, list[str] | None]] = []
    error: Exception | None = None
    try:
        for record in rows:
            head.append(record)
            if len(head) >= CHOICE_ROWS:
                break
    except Exception as exc:  # the reader gave up on a row: the rows before it are still read
        error = exc
    choice = choose_from_rows(header, (row for _, row in head), pad, options)
    if head:
        problems.append(Problem("column_chosen", name, {"column": choice.column, "columns": column_list(header)}))
    return choice.index, _replay(head, rows, error)


def choose_from_rows(
    header: list[str], rows: Iterable[list[str] | None], pad: bool, options: ReadOptions
) -> ColumnChoice:
    """The text column of a table as reading chooses it from its first ``rows`` (cells or None):
    only rows of the header's width count (spreadsheet rows padded first), and the group
    column (``options.group_by``) is not chosen unless it is the only one."""
    width = len(header)
    sample = [pad_row(row, width) if pad else row for row in rows if row is not None]
    exclude = [options.group_by] if options.group_by is not None else []
    return choose_text_column(header, [row for row in sample if len(row) == width], exclude=exclude)


def _replay(
    head: list[tuple[int, list[str] | None]], rest: Iterator[tuple[int, list[str] | None]], error: Exception | None
) -> Iterator[tuple[int, list[str] | None]]:
    yield from head
    if error is not None:
        raise error
    yield from rest


def iter_xlsx(name: str, stream: BinaryIO, options: ReadOptions, problems: list[Problem]) -> Iterator[Document]:
    """Documents of an Excel workbook's sheet (``options.sheet`` or the first), one per row."""
    import openpyxl  # only needed for workbooks; keeps plain-text reading light

    try:
        book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged archive
        problems.append(Problem("bad_workbook", name, {"error": str(exc) or type(exc).__name__}))
        return
    try:
        names = book.sheetnames
        if options.sheet is not None and options.sheet not in names:
            problems.append(Problem("missing_sheet", name, {"sheet": options.sheet, "sheets": ", ".join(names)}))
            return
        sheet = book[options.sheet] if options.sheet is not None else book.worksheets[0]
        rows = sheet_records(sheet, name, problems)
        first = next(rows, None)
        if first is None:
            problems.append(Problem("empty_file", name))
            return
        yield from table_documents(name, sheet_header(first[1]), rows, options, problems, pad=True)
    finally:
        book.close()


def sheet_records(sheet, name: str = "", problems: list[Problem] | None = None) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells as text) of each non-blank row of an openpyxl ``sheet``.

    Every row is read, whatever range the sheet declares (its ``<dimension ref>``, which some
    tools write wrong): reading ends where the cells end. When cells lie beyond the declared
    range and ``problems`` is given, a ``sheet_dimension_wrong`` note on ``name`` says so once
    the last row is read.
    """
    declared = _declared_range(sheet)
    if declared is not None:
        check_sheet_size(*declared)
    if hasattr(sheet, "reset_dimensions"):  # read-only sheets trust the declaration unless told not to
        sheet.reset_dimensions()
    last_row = last_column = 0
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        spend(rows=1, cells=len(values))  # blank rows too: a row is as wide as its last cell, even an empty one
        filled = [i for i, v in enumerate(values, start=1) if v is not None and v != ""]
        if filled:
            last_row, last_column = number, max(last_column, filled[-1])
            yield number, [_cell(v) for v in values]
    if declared is not None and problems is not None and (last_row > declared[1] or last_column > declared[2]):
        from openpyxl.utils import get_column_letter

        actual = f"{get_column_letter(last_column)}{last_row}"
        problems.append(Problem("sheet_dimension_wrong", name, {"declared": declared[0], "actual": actual}))


def _declared_range(sheet) -> tuple[str, int, int] | None:
    """(the range a sheet declares, its last row, its last column); None when it declares none."""
    try:
        declared = sheet.calculate_dimension()
        return declared, sheet.max_row, sheet.max_column
    except (ValueError, TypeError):  # a read-only sheet without a <dimension> element is "unsized"
        return None


def sheet_header(cells: list[str]) -> list[str]:
    """A sheet's header row without the empty cells a spreadsheet keeps after the last column."""
    end = len(cells)
    while end and cells[end - 1] == "":
        end -= 1
    return cells[:end]


def _cell(value: object) -> str:
    """A workbook cell as the text a person sees: a date without the midnight time openpyxl
    gives it ("2026-11-01", not "2026-11-01 00:00:00")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds" if value.microsecond == 0 else "auto")
    return str(value)
