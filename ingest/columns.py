"""What a person picks before reading a table: which files are tables, their columns, a preview."""

from __future__ import annotations

import csv
import dataclasses
import io
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import BinaryIO

from ingest.columnar import ARROW_SUFFIXES, PARQUET_SUFFIXES, columnar_errors, columnar_kind, first_rows, open_columnar
from ingest.compression import (
    COMPRESSION_SUFFIXES,
    BoundedStream,
    DecompressionBudget,
    DecompressionLimitError,
    compression_of,
    decompressed,
    inner_suffix,
    read_errors,
)
from ingest.decoding import ERRORS, Decoder
from ingest.limits import LimitExceeded
from ingest.options import ReadOptions
from ingest.streaming import JSONL_SUFFIXES, SAMPLE_HEAD, TABLE_SUFFIXES, WORKBOOK, XLSX_SUFFIXES, read_as
from ingest.tables import (
    CHOICE_ROWS,
    CsvRecords,
    choose_from_rows,
    pad_row,
    sheet_header,
    sheet_records,
)
from ingest.text_column import ColumnChoice

#: File types offered for upload (content decides in the end: a text file of any name is read).
UPLOAD_SUFFIXES: tuple[str, ...] = tuple(
    sorted({".txt", ".md", ".markdown", ".rst", ".log", ".json", *TABLE_SUFFIXES, *JSONL_SUFFIXES, *XLSX_SUFFIXES,
            *PARQUET_SUFFIXES, *ARROW_SUFFIXES, *COMPRESSION_SUFFIXES, ".zip"})
)
#: The rows a preview keeps (for showing) have their cells cut to this many characters.
PREVIEW_CELL_CHARS = 1000


@dataclass(frozen=True)
class TablePreview:
    """The start of a table as reading sees it: its ``header``, its first ``rows`` (those that
    will be counted, at the header's width, cells as text) and the text column reading would
    choose (``choice``, None when the table has no header)."""

    header: list[str]
    rows: list[list[str]]
    choice: ColumnChoice | None


_NO_TABLE = TablePreview([], [], None)


def is_table_name(name: str) -> bool:
    """Whether a file of this name is read as a table (and so needs a column choice); a compressed
    file by the name inside ("a.csv.gz" is a table)."""
    return inner_suffix(name) in {*TABLE_SUFFIXES, *XLSX_SUFFIXES, *PARQUET_SUFFIXES, *ARROW_SUFFIXES}


# Formats whose bytes are not text in some encoding: a text encoding choice means nothing for them.
BINARY_FORMAT_SUFFIXES = frozenset({*PARQUET_SUFFIXES, *ARROW_SUFFIXES, *XLSX_SUFFIXES, ".zip"})
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


def has_text_encoding(name: str, data: bytes) -> bool:
    """Whether a text encoding applies to the file ``name`` holding ``data``: False for a Parquet or
    Arrow table, a workbook or a ZIP archive, by its name or (uncompressed) by its first bytes, so
    a workbook renamed .csv too; True for everything else (text, CSV, JSON, compressed text)."""
    suffix = inner_suffix(name)
    if suffix in BINARY_FORMAT_SUFFIXES:
        return False
    head = data[:16]
    if compression_of(name, head) is not None:
        return True  # decided by the name inside: decompressing on every look would cost too much
    return columnar_kind(suffix, head) is None and not head.startswith(_ZIP_MAGIC)


def table_preview(name: str, data: bytes, options: ReadOptions = ReadOptions(), rows: int = 5) -> TablePreview:
    """The header, first ``rows`` rows and chosen text column of a CSV/TSV/XLSX/Parquet/Arrow upload ``data``.

    Read the way the table itself will be read (same encoding detection, delimiter sniffing,
    decompression and workbook handling, ``options.encoding`` and ``options.sheet`` obeyed), and
    the column chosen from the same first CHOICE_ROWS rows, however long they are: the app's
    preview and the CLI's read choose the same column. ``options.column`` is ignored: ``choice``
    is what reading chooses without one. The rows kept have their cells cut to
    PREVIEW_CELL_CHARS. Never raises for bad content: a file that is not a readable table gives
    an empty preview (reading it then reports why); a read limit met on the way leaves the rows
    read before it (as reading does).
    """
    head = data[:16]
    kind = columnar_kind(inner_suffix(name), head)
    if kind is not None:
        return _columnar_preview(kind, data, options, rows)
    compression = compression_of(name, head)
    plain = dataclasses.replace(options, max_bytes=None)
    try:
        if compression is None:
            stream: BinaryIO = io.BytesIO(data)
            size = len(data)
        else:  # decompressed as it is read, charged to the budget reading charges it to
            budget = DecompressionBudget(len(data), options.max_expanded_bytes)
            stream = BoundedStream(decompressed(compression, io.BytesIO(data)), budget, SAMPLE_HEAD + 1)
            size = len(stream.head)
        how = read_as(name, stream, size, plain, [])
        if how == WORKBOOK:
            return _workbook_preview(stream.read(), options, rows)
        suffix = inner_suffix(name)
        if how is None or suffix not in TABLE_SUFFIXES:
            return _NO_TABLE
        records = _first_records(stream, how, TABLE_SUFFIXES[suffix])
    except (DecompressionLimitError, *read_errors()):  # reading it reports the problem
        return _NO_TABLE
    if not records or records[0][1] is None:
        return _NO_TABLE
    return _preview(records[0][1], [row for _, row in records[1:]], options, rows, pad=False)


def _first_records(stream: BinaryIO, encoding: str, delimiter: str | None) -> list[tuple[int, list[str] | None]]:
    """The header and first CHOICE_ROWS records of a CSV/TSV ``stream``, decoded and split as
    ``ingest.streaming`` reads it; the records before an error or a read limit when one comes."""
    decoder = Decoder(encoding)
    text = io.TextIOWrapper(stream, encoding=encoding, errors=ERRORS, newline="")
    records: list[tuple[int, list[str] | None]] = []
    try:
        records.extend(islice(CsvRecords(map(decoder.clean, text), delimiter), CHOICE_ROWS + 1))
    except (csv.Error, LimitExceeded, DecompressionLimitError, *read_errors()):
        pass  # reading stops there too; the records before it are what it chooses from
    finally:
        text.detach()  # the caller owns the stream
    return records


def _columnar_preview(kind: str, data: bytes, options: ReadOptions, rows: int) -> TablePreview:
    try:
        table = open_columnar(kind, io.BytesIO(data))
        body = first_rows(table)
    except columnar_errors():  # reading it reports the problem
        return _NO_TABLE
    if not table.header:
        return _NO_TABLE
    return _preview(table.header, body, options, rows, pad=False)


def table_columns(name: str, data: bytes, options: ReadOptions = ReadOptions()) -> list[str]:
    """The column names of a CSV/TSV/XLSX table, each once, read the way the table itself will be read.

    Empty when the file has no header or cannot be read (reading it then reports why).
    """
    return list(dict.fromkeys(table_preview(name, data, options, rows=0).header))


def _workbook_preview(data: bytes, options: ReadOptions, rows: int) -> TablePreview:
    import openpyxl  # only needed for workbooks

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # a damaged workbook: reading it reports the problem
        return _NO_TABLE
    try:
        if options.sheet is not None and options.sheet not in book.sheetnames:
            return _NO_TABLE
        sheet = book[options.sheet] if options.sheet is not None else book.worksheets[0]
        head = list(islice(sheet_records(sheet), CHOICE_ROWS + 1))
    except Exception:  # a sheet that breaks halfway: reading it reports the problem
        return _NO_TABLE
    finally:
        book.close()
    if not head:
        return _NO_TABLE
    return _preview(sheet_header(head[0][1]), [row for _, row in head[1:]], options, rows, pad=True)


def _preview(
    header: list[str], body: list[list[str] | None], options: ReadOptions, rows: int, pad: bool
) -> TablePreview:
    choice = choose_from_rows(header, body, pad, options) if header else None
    width = len(header)
    shown = (pad_row(row, width) if pad else row for row in body if row is not None)
    kept = islice((row for row in shown if len(row) == width), rows)
    return TablePreview(header, [[cell[:PREVIEW_CELL_CHARS] for cell in row] for row in kept], choice)
