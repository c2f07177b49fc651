"""A value that repeats (a dictionary-encoded Parquet column, an xlsx shared string) is counted
once and multiplied: exact, fast, and in bounded memory (issue 21 item 2, issue 20 item 7)."""

from __future__ import annotations

import io
import json
import time
import tracemalloc
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cli import main
from ingest import Document, ReadOptions
from corpus.pipeline import count_inputs, count_source
from tests.workbook_bombs import shared_string_workbook
from tokenizers import SUPPORTED_ENCODINGS, count_stream, get_encoding

ROWS = 100_000
VALUE = "".join(f"word{i % 97} " for i in range(256 * 1024 // 7))[: 256 * 1024]  # 256 KiB


def tokens_of(text: str, encoding: str) -> int:
    return len(get_encoding(encoding).encode_ordinary(text))


def dictionary_parquet(store_schema: bool) -> bytes:
    """100,000 rows of one 256 KiB value, dictionary-encoded: a few hundred bytes."""
    column = pa.DictionaryArray.from_arrays(pa.array([0] * ROWS, pa.int32()), pa.array([VALUE]))
    buffer = io.BytesIO()
    pq.write_table(pa.table({"text": column}), buffer, compression="zstd", store_schema=store_schema)
    return buffer.getvalue()


@pytest.mark.parametrize("store_schema", [True, False])  # without Arrow's schema it reads as plain strings
def test_a_dictionary_parquet_is_counted_once_per_value_exactly_fast_and_in_bounded_memory(store_schema):
    data = dictionary_parquet(store_schema)
    assert len(data) < 1000  # the file was 682 bytes
    expected = {e: ROWS * tokens_of(VALUE, e) for e in SUPPORTED_ENCODINGS}
    count_source("warm.txt", b"warm the vocabularies up")  # their one-time build is not the file's
    # The pipeline's own cost of 100,000 rows (a document each), on this machine now.
    started = time.perf_counter()
    count_source("short.parquet", short_rows_parquet(), ReadOptions(), languages=False)
    per_rows = time.perf_counter() - started
    started = time.perf_counter()
    counted = count_source("bomb.parquet", data, ReadOptions(), languages=False)
    seconds = time.perf_counter() - started
    assert counted.documents == ROWS
    assert counted.totals == expected
    assert not counted.skipped
    # Was 133 s (and 6.1 GB): now what 100,000 short rows cost, the 256 KiB value counted once.
    assert seconds < max(1.0, 2 * per_rows), (seconds, per_rows)
    tracemalloc.start()
    again = count_source("bomb.parquet", data, ReadOptions(), languages=False)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert again.totals == expected
    assert peak < 64 << 20, peak  # the expanded text is 25 GB


def short_rows_parquet() -> bytes:
    buffer = io.BytesIO()
    pq.write_table(pa.table({"text": [f"row {i} short" for i in range(ROWS)]}), buffer)
    return buffer.getvalue()


def test_the_cli_counts_a_dictionary_parquet_the_same(tmp_path: Path, capsys):
    path = tmp_path / "bomb.parquet"
    path.write_bytes(dictionary_parquet(store_schema=False))
    assert main(["estimate", str(path), "--models", "gpt-4o", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["tokens"]["o200k_base"] == ROWS * tokens_of(VALUE, "o200k_base")
    assert report["documents"] == ROWS


def test_repeats_of_a_long_text_get_its_counts_wherever_they_fall_in_the_batches():
    long_a, long_b = VALUE[:5000], VALUE[3000:9000]
    texts = [long_a, "short one", long_b, long_a, long_a, long_b, "short two", long_a] * 50
    docs = [Document(text, f"rows[{i}]") for i, text in enumerate(texts)]
    for batch_bytes in (1, 12_000, 8 << 20):
        counts = count_stream(docs, batch_bytes=batch_bytes)
        for e in SUPPORTED_ENCODINGS:
            assert list(counts.per_document[e]) == [tokens_of(t, e) for t in texts]
        assert list(counts.document_bytes) == [len(t.encode()) for t in texts]


def test_the_cli_counts_an_xlsx_whose_rows_share_one_string_once(tmp_path: Path, capsys):
    shared = " ".join(f"shared{i}" for i in range(12_500))[: 100_000]  # 100 KB
    rows = 3_000
    path = tmp_path / "shared.xlsx"
    path.write_bytes(shared_string_workbook(shared, rows))
    started = time.perf_counter()
    assert main(["estimate", str(path), "--models", "gpt-4o", "--format", "json"]) == 0
    seconds = time.perf_counter() - started
    report = json.loads(capsys.readouterr().out)
    assert report["documents"] == rows
    assert report["tokens"]["o200k_base"] == rows * tokens_of(shared, "o200k_base")
    assert report["tokens"]["cl100k_base"] == rows * tokens_of(shared, "cl100k_base")
    assert seconds < 10, seconds  # counting each row's copy took minutes
