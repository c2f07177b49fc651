"""What a table file expands to, read from its metadata before any of it is decoded.

A few kilobytes of Parquet or Arrow can declare gigabytes: 1,500 zstd strings of 1 MiB make a
50 KB Arrow file whose one record batch decodes to 1.5 GB at once. A server checks these
figures against its memory before reading (``ui.memory.reserved``): the rows a table
declares (each becomes a document with its own counts) and the largest piece decoded at once.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from ingest.columnar import BATCH_ROWS, columnar_kind

# Arrow's IPC messages (format/Message.fbs): the header's union type, and the fields (vtable
# slots) of the tables read here.
_RECORD_BATCH, _DICTIONARY_BATCH = 3, 2
_MESSAGE_HEADER_TYPE, _MESSAGE_HEADER, _MESSAGE_BODY_LENGTH = 1, 2, 3
_BATCH_LENGTH, _BATCH_BUFFERS, _BATCH_COMPRESSION = 0, 2, 3
_DICTIONARY_DATA = 1


@dataclass(frozen=True)
class Expansion:
    """A table's declared ``rows`` and the bytes of the ``largest_piece`` decoded at once (a
    Parquet batch of BATCH_ROWS rows, an Arrow record batch with its dictionaries)."""

    rows: int = 0
    largest_piece: int = 0


def declared_expansion(name: str, data: bytes) -> Expansion:
    """The Expansion of ``data`` when it is a Parquet or Arrow IPC file (else nothing declared:
    a text's size is its bytes, a compressed file's is checked while it is read). A damaged
    table declares nothing here; reading it says what is wrong."""
    from pathlib import Path

    kind = columnar_kind(Path(name).suffix.lower(), data[:8])
    try:
        if kind == "parquet":
            return _parquet(data)
        if kind == "arrow":
            return _arrow(memoryview(data)[8:])
        if kind == "arrow_stream":
            return _arrow(memoryview(data))
    except (ValueError, OSError, struct.error, IndexError):
        return Expansion()
    except Exception as exc:  # pyarrow's own errors (ArrowInvalid ...) on a damaged footer
        if type(exc).__module__.startswith("pyarrow"):
            return Expansion()
        raise
    return Expansion()


def _parquet(data: bytes) -> Expansion:
    import io

    import pyarrow.parquet as pq

    metadata = pq.ParquetFile(io.BytesIO(data)).metadata
    largest = 0
    for g in range(metadata.num_row_groups):
        group = metadata.row_group(g)
        rows = max(1, group.num_rows)
        largest = max(largest, group.total_byte_size * min(rows, BATCH_ROWS) // rows)
    return Expansion(metadata.num_rows, largest)


def _arrow(stream: memoryview) -> Expansion:
    """Walk the stream's messages (length-prefixed flatbuffers, each followed by its body),
    adding up each buffer's decoded size: a compressed buffer starts with it (an int64)."""
    rows = largest = dictionaries = 0
    at = 0
    while at + 8 <= len(stream):
        length = struct.unpack_from("<i", stream, at)[0]
        if length == -1:  # continuation marker, then the length
            length = struct.unpack_from("<i", stream, at + 4)[0]
            at += 8
        else:
            at += 4
        if length <= 0:
            break  # end of stream
        meta = stream[at:at + length]
        at += length
        message = _root(meta)
        body_at, kind_at = _field(meta, message, _MESSAGE_BODY_LENGTH), _field(meta, message, _MESSAGE_HEADER_TYPE)
        body_length = struct.unpack_from("<q", meta, body_at)[0] if body_at else 0
        kind = meta[kind_at] if kind_at else 0
        if kind in (_RECORD_BATCH, _DICTIONARY_BATCH):
            header = _offset_table(meta, message, _MESSAGE_HEADER)
            if kind == _DICTIONARY_BATCH:
                header = _offset_table(meta, header, _DICTIONARY_DATA)
            batch_rows, decoded = _batch(meta, header, stream[at:at + body_length])
            if kind == _RECORD_BATCH:
                rows += batch_rows
                largest = max(largest, decoded)
            else:
                dictionaries += decoded
        at += body_length
    return Expansion(rows, largest + dictionaries)


def _batch(meta: memoryview, batch: int, body: memoryview) -> tuple[int, int]:
    rows_at = _field(meta, batch, _BATCH_LENGTH)
    rows = struct.unpack_from("<q", meta, rows_at)[0] if rows_at else 0
    compressed = bool(_field(meta, batch, _BATCH_COMPRESSION))
    vector = _offset(meta, batch, _BATCH_BUFFERS)
    if vector is None:
        return rows, 0
    count = struct.unpack_from("<I", meta, vector)[0]
    decoded = 0
    for i in range(count):
        offset, length = struct.unpack_from("<qq", meta, vector + 4 + 16 * i)
        if compressed and length >= 8:
            size = struct.unpack_from("<q", body, offset)[0]
            decoded += length - 8 if size == -1 else size
        else:
            decoded += length
    return rows, decoded


# Flatbuffers, as little as needed: a table starts with the signed offset back to its vtable,
# whose slots hold each field's offset from the table's start (0: absent).
def _root(buf: memoryview) -> int:
    return struct.unpack_from("<I", buf, 0)[0]


def _field(buf: memoryview, table: int, slot: int) -> int:
    vtable = table - struct.unpack_from("<i", buf, table)[0]
    vtable_size = struct.unpack_from("<H", buf, vtable)[0]
    where = 4 + 2 * slot
    if where >= vtable_size:
        return 0
    offset = struct.unpack_from("<H", buf, vtable + where)[0]
    return table + offset if offset else 0


def _offset(buf: memoryview, table: int, slot: int) -> int | None:
    at = _field(buf, table, slot)
    return at + struct.unpack_from("<I", buf, at)[0] if at else None


def _offset_table(buf: memoryview, table: int, slot: int) -> int:
    at = _offset(buf, table, slot)
    if at is None:
        raise ValueError("a message without its header")
    return at
