"""Parquet and Arrow IPC (Feather v2) tables, one record batch at a time.

Only the text column (and the group column) is read past the first rows, a row group / record
batch at a time, so a table far bigger than memory streams through. Without ``--column`` the
text column is chosen by content from the first CHOICE_ROWS rows, as for CSV.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from ingest.documents import Document, Problem
from ingest.limits import spend
from ingest.options import ReadOptions, join_cells
from ingest.tables import CHOICE_ROWS, choose_from_rows, column_list

PARQUET_SUFFIXES = frozenset({".parquet", ".pq"})
ARROW_SUFFIXES = frozenset({".arrow", ".feather", ".arrows", ".ipc"})
#: Rows converted to Python strings at a time.
BATCH_ROWS = 8192
# A dictionary-encoded chunk's pages hold an index per row (a few bits to 4 bytes) and the
# dictionary: at most this many bytes a row on average, and the values repeat.
_DICTIONARY_BYTES_PER_ROW = 8
_ARROW_FILE_MAGIC = b"ARROW1"
_ARROW_STREAM_MARKER = b"\xff\xff\xff\xff"


def columnar_kind(suffix: str, head: bytes) -> str | None:
    """"parquet", "arrow" (the IPC file format, Feather v2) or "arrow_stream" from a file's first
    bytes (the stream format has no magic of its own: its suffix must say so), else None."""
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(_ARROW_FILE_MAGIC):
        return "arrow"
    if suffix in ARROW_SUFFIXES and head.startswith(_ARROW_STREAM_MARKER):
        return "arrow_stream"
    return None


@dataclass
class ColumnarTable:
    """An open Parquet / Arrow table: its column names and its batches, read lazily."""

    kind: str
    header: list[str]
    _source: object
    # An Arrow stream is read once: the batches the column choice looked at are kept for the count.
    _seen: list = field(default_factory=list)
    _keep: bool = False

    @property
    def row_groups(self) -> int:
        """How many independent pieces the table has (Parquet row groups, Arrow record batches);
        0 for an Arrow stream, which can only be read from its start."""
        if self.kind == "parquet":
            return self._source.metadata.num_row_groups
        if self.kind == "arrow":
            return self._source.num_record_batches
        return 0

    def is_nested(self, column: str) -> bool:
        """Whether ``column`` holds lists, records or maps (counted as their values joined)."""
        schema = self._source.schema_arrow if self.kind == "parquet" else self._source.schema
        return _is_nested(schema.field(column).type)

    def row_group_rows(self) -> list[int]:
        """The number of rows in each piece (see ``row_groups``)."""
        if self.kind == "parquet":
            meta = self._source.metadata
            return [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
        return [self._source.get_batch(i).num_rows for i in range(self.row_groups)]

    def batches(self, columns: Sequence[str] | None, pieces: Iterable[int] | None = None) -> Iterator:
        """Record batches of ``columns`` (None: all), of the pieces ``pieces`` (None: all, in order)."""
        if self.kind == "parquet":
            # One reader per row group: a single reader over them all holds on to what it read
            # (measured: 1.1 GB RSS for a 1 GB file, against 0.1 GB row group by row group).
            for i in range(self.row_groups) if pieces is None else pieces:
                yield from self._source.iter_batches(batch_size=BATCH_ROWS, row_groups=[i], columns=columns,
                                                     use_threads=False)
        elif self.kind == "arrow":
            for i in range(self.row_groups) if pieces is None else pieces:
                batch = self._source.get_batch(i)
                yield batch if columns is None else batch.select(list(columns))
        else:
            if pieces is not None:
                raise ValueError("an Arrow stream cannot be read piece by piece")
            seen, self._seen = self._seen, []
            for batch in seen:
                yield batch if columns is None else batch.select(list(columns))
            for batch in self._source:
                if self._keep:
                    self._seen.append(batch)
                yield batch if columns is None else batch.select(list(columns))


def open_columnar(kind: str, stream: BinaryIO) -> ColumnarTable:
    """The table in ``stream``; raises ``pyarrow.ArrowException`` (or OSError) when it is damaged."""
    import pyarrow as pa

    if kind == "parquet":
        import pyarrow.parquet as pq

        source = pq.ParquetFile(stream, pre_buffer=False, buffer_size=1 << 20)
        repeated = dictionary_columns(source.metadata)
        if repeated:  # read as values and indices: each value is turned into text once per batch
            source = pq.ParquetFile(stream, pre_buffer=False, buffer_size=1 << 20, read_dictionary=repeated)
        return ColumnarTable(kind, list(source.schema_arrow.names), source)
    if kind == "arrow":
        source = pa.ipc.open_file(stream)
    else:
        source = pa.ipc.open_stream(stream)
    return ColumnarTable(kind, list(source.schema.names), source)


def dictionary_columns(metadata) -> list[str]:
    """The text columns of a Parquet file stored as a dictionary of values and, per row, an
    index into it (every row group's chunk has a dictionary page and its pages hold little more
    than the indices): read densely, one small file of 100,000 rows of one 256 KiB value
    expands to 25 GB. Columns that fell back to plain values are read densely (as dictionaries
    they would read 25x slower)."""
    columns: dict[str, bool] = {}
    for g in range(metadata.num_row_groups):
        group = metadata.row_group(g)
        for c in range(group.num_columns):
            chunk = group.column(c)
            if chunk.physical_type != "BYTE_ARRAY":
                continue
            name = chunk.path_in_schema
            indices_only = chunk.has_dictionary_page and (
                chunk.total_uncompressed_size <= _DICTIONARY_BYTES_PER_ROW * max(1, chunk.num_values))
            columns[name] = columns.get(name, True) and indices_only
    return [name for name, repeated in columns.items() if repeated and "." not in name]


def columnar_errors() -> tuple[type[BaseException], ...]:
    """What reading a damaged table raises."""
    import pyarrow as pa

    return (pa.ArrowException, OSError, ValueError)


def iter_columnar(
    name: str, stream: BinaryIO, kind: str, options: ReadOptions, problems: list[Problem],
    pieces: Sequence[int] | None = None,
) -> Iterator[Document]:
    """Documents of a Parquet / Arrow table, one per row, placed as ``name[row]`` (rows from 0).

    The text column is ``options.column`` or chosen by content from the first CHOICE_ROWS rows
    (a ``column_chosen`` note says which); null cells are empty texts, other values their text.
    ``pieces`` reads only those row groups / record batches (rows keep their place in the file);
    the column is still chosen from the table's first rows, so every piece counts the same one.
    ``options.row_cells``: every column is read and each row's cells are on ``Document.fields``.
    """
    try:
        table = open_columnar(kind, stream)
        text_columns = _text_columns(name, table, options, problems, note=not pieces or pieces[0] == 0)
        if not text_columns:
            return
        if not pieces or pieces[0] == 0:  # said once, by the first piece
            for nested in (c for c in text_columns if table.is_nested(c)):
                problems.append(Problem("nested_values_joined", name, {"column": nested}))
        columns = list(dict.fromkeys([*text_columns, *([options.group_by] if options.group_by else [])]))
        if options.row_cells:
            columns = table.header
        row = _first_row(table, pieces)
        read_any = False
        for batch in table.batches(None if options.row_cells else columns, pieces):
            cells = [_strings(column) for column in batch.columns] if options.row_cells else None
            read = cells if cells is not None else [_strings(column) for column in batch.columns]
            parts = [read[columns.index(c)] for c in text_columns]
            texts = parts[0] if len(parts) == 1 else [join_cells([p or "" for p in cells_of_row])
                                                      for cells_of_row in zip(*parts)]
            groups = read[columns.index(options.group_by)] if options.group_by else None
            spend(rows=len(texts), cells=len(texts) * len(columns))
            for i, text in enumerate(texts):
                read_any = True
                group = groups[i] if groups is not None else None
                fields = None if cells is None else tuple((c, column[i] or "") for c, column in zip(columns, cells))
                yield Document(text=text or "", source=f"{name}[{row + i}]", group=group, fields=fields)
            row += len(texts)
        if not read_any and not pieces:
            problems.append(Problem("header_only", name))
    except columnar_errors() as exc:
        problems.append(Problem("bad_table", name, {"error": str(exc).splitlines()[0] if str(exc) else type(exc).__name__}))


def _first_row(table: ColumnarTable, pieces: Sequence[int] | None) -> int:
    if not pieces:
        return 0
    return sum(table.row_group_rows()[: pieces[0]])


def _text_columns(
    name: str, table: ColumnarTable, options: ReadOptions, problems: list[Problem], note: bool
) -> tuple[str, ...]:
    header = table.header
    for wanted in (*options.text_columns(), options.group_by):
        if wanted is not None and wanted not in header:
            problems.append(Problem("missing_column", name, {"column": wanted, "columns": column_list(header)}))
            return ()
    if options.column is not None:
        return options.text_columns()
    if not header:
        problems.append(Problem("empty_file", name))
        return ()
    if len(header) == 1:
        return (header[0],)
    rows = first_rows(table)
    choice = choose_from_rows(header, rows, pad=False, options=options)
    if rows and note:
        problems.append(Problem("column_chosen", name, {"column": choice.column, "columns": column_list(header)}))
    return (choice.column,)


def first_rows(table: ColumnarTable, count: int = CHOICE_ROWS) -> list[list[str]]:
    """The first ``count`` rows of every column, cells as text (null: empty)."""
    rows: list[list[str]] = []
    table._keep = True
    for batch in table.batches(None):
        cells = [_strings(column) for column in batch.columns]
        for i in range(batch.num_rows):
            rows.append([column[i] or "" for column in cells])
            if len(rows) >= count:
                table._keep = False
                return rows
    table._keep = False
    return rows


def _is_nested(kind) -> bool:
    import pyarrow as pa

    return pa.types.is_nested(kind)


def _strings(column) -> list[str | None]:
    """An Arrow column's values as text (None for null): a list, record or map as the texts of its
    values joined by newlines (never its Python repr), bytes decoded as UTF-8."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        return column.to_pylist()
    if pa.types.is_dictionary(column.type):
        # Only the values this batch uses, each made text once: rows that share a value share
        # one string (counted once downstream), never a copy per row.
        used = pc.unique(column.indices).drop_null()
        values = dict(zip(used.to_pylist(), _strings(column.dictionary.take(used))))
        return [None if i is None else values[i] for i in column.indices.to_pylist()]
    if _is_nested(column.type) or pa.types.is_binary(column.type) or pa.types.is_large_binary(column.type):
        return [None if value is None else "\n".join(_texts(value)) for value in column.to_pylist()]
    try:
        return pc.cast(column, pa.string()).to_pylist()
    except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
        return [None if value is None else str(value) for value in column.to_pylist()]


def _texts(value: object) -> Iterator[str]:
    """The texts of a nested value, depth first: strings as they are, bytes decoded, numbers and
    dates as text; the keys of records and maps left out, nulls skipped."""
    if value is None:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, bytes):
        yield value.decode("utf-8", "replace")
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, tuple):  # a map's entry (key, value): pyarrow gives lists and dicts otherwise
        yield from _texts(value[-1])
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)
    else:
        yield str(value)
