"""Reads of an upload under the server's limits: bombs refused within seconds, with their reason."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from ingest import MESSAGES, ReadOptions, table_preview
from ingest.limits import LimitExceeded, ReadLimits, within
from corpus.pipeline import count_source
from tests.workbook_bombs import dimension_bomb, long_honest_sheet, wide_rows_bomb
from tokenizers import get_encoding


def problems(counted) -> list[tuple[str, str, dict]]:
    return [(p.code, p.where, dict(p.params)) for p in counted.skipped]


def test_a_sheet_declaring_17_billion_cells_is_refused_at_once():
    started = time.monotonic()
    with within(ReadLimits()):
        counted = count_source("bomb.xlsx", dimension_bomb(), ReadOptions())
    assert time.monotonic() - started < 3
    assert counted.documents == 0
    assert problems(counted) == [("limit_sheet_size", "bomb.xlsx",
                                  {"declared": "A1:XFD1048576", "cells": 1_048_576 * 16_384, "limit": 30_000_000})]
    assert counted.skipped[0].message() == (
        "the sheet declares the range A1:XFD1048576 (17179869184 cells), more than the 30000000 this server reads")


def test_the_cli_reads_the_same_sheet_without_limits():
    counted = count_source("bomb.xlsx", dimension_bomb(), ReadOptions())  # no ``within``: the CLI's way
    assert counted.documents == 1 and counted.skipped == ()
    assert counted.totals["o200k_base"] == len(get_encoding("o200k_base").encode_ordinary("hello world"))


def test_rows_as_wide_as_the_sheet_stop_at_the_cell_limit_within_seconds():
    data = wide_rows_bomb(20_000)
    assert len(data) < 120_000  # ~100 kB that reads as 330 million cells
    started = time.monotonic()
    with within(ReadLimits()):
        counted = count_source("wide.xlsx", data, ReadOptions())
    assert time.monotonic() - started < 8
    assert problems(counted) == [("limit_cells", "wide.xlsx", {"limit": 30_000_000})]
    with within(ReadLimits(cells=1_000_000)):
        assert table_preview("wide.xlsx", data, ReadOptions()).header == []  # the preview gives up too


def test_a_read_past_its_time_stops_with_what_it_read_so_far():
    rows = "".join(f"{i},review number {i}\n" for i in range(400_000))
    data = ("id,text\n" + rows).encode()
    started = time.monotonic()
    with within(ReadLimits(seconds=0.5)):
        counted = count_source("big.csv", data, ReadOptions(column="text"))
    assert time.monotonic() - started < 3
    assert problems(counted) == [("limit_time", "big.csv", {"seconds": 0.5})]
    assert counted.skipped[0].message() == "reading stopped after 0.5 seconds, this server's limit for one file"
    assert 0 < counted.documents < 400_000
    first = counted.documents
    expected = sum(len(get_encoding("o200k_base").encode_ordinary(f"review number {i}")) for i in range(first))
    assert counted.totals["o200k_base"] == expected  # what was read is counted exactly


def test_rows_past_the_row_limit_are_not_read():
    data = ("text\n" + "".join(f"line {i}\n" for i in range(1000))).encode()
    with within(ReadLimits(rows=100)):
        counted = count_source("t.csv", data, ReadOptions())
    assert problems(counted) == [("limit_rows", "t.csv", {"limit": 100})]
    # The header and 99 rows were read; the last of them waits for the next to begin (a quoted
    # field may go on), so 98 are documents.
    assert counted.documents == 98


def test_a_second_pass_over_a_csv_past_the_row_limit_keeps_its_rows_too():
    """The app reads a big upload twice (a sampled estimate, then the exact count) inside one
    ``within``: the second pass met the rows the first had spent and counted nothing ("nothing
    could be read" beside "reading stopped after 5,000,000 rows")."""
    from corpus.pipeline import Reading, count_reading
    from corpus.quick import quick_estimate

    data = ("id,text\n" + "".join(f"{i},review number {i}\n" for i in range(3000))).encode()
    options = ReadOptions(column="text")
    with within(ReadLimits(rows=1000)):
        quick_estimate(Reading("big.csv", data, options))
        reading = Reading("big.csv", data, options)
        counted = count_reading(reading, reading)
    assert problems(counted) == [("limit_rows", "big.csv", {"limit": 1000})]
    assert counted.documents == 998  # as one pass reads: the header, 998 rows, the 1,000th waiting
    expected = sum(len(get_encoding("o200k_base").encode_ordinary(f"review number {i}")) for i in range(998))
    assert counted.totals["o200k_base"] == expected


class _PageClosed(BaseException):
    """Stands in for Streamlit's StopException (a BaseException, as it is)."""


def test_a_checkpoint_that_raises_stops_the_read_and_the_count():
    calls = []

    def closed() -> None:
        calls.append(time.monotonic())
        raise _PageClosed

    started = time.monotonic()
    with pytest.raises(_PageClosed), within(ReadLimits(), closed):
        count_source("long.xlsx", long_honest_sheet(200_000), ReadOptions())
    assert len(calls) == 1 and calls[0] - started < 1.5  # seen at the first checkpoint, a quarter second in


@pytest.mark.parametrize("name", ["deep.json", "deep.jsonl"])
def test_a_100k_deep_json_is_refused_within_a_second(name):
    data = ("[" * 100_000 + "]" * 100_000).encode()
    started = time.monotonic()
    with within(ReadLimits()):
        counted = count_source(name, data, ReadOptions())
    assert time.monotonic() - started < 2
    assert [(p.code, dict(p.params)) for p in counted.skipped] == [("too_deep", {"line": 1, "limit": 200})]


def test_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("LLMCOST_READ_SECONDS", "30")
    monkeypatch.setenv("LLMCOST_READ_CELLS", "1000")
    monkeypatch.setenv("LLMCOST_READ_ROWS", "not a number")  # ignored: the default stays
    assert ReadLimits.from_env() == ReadLimits(seconds=30.0, rows=5_000_000, cells=1000, sheet_cells=30_000_000)


def test_every_limit_code_has_wording_in_both_languages():
    catalog = json.loads(Path("data/messages/limits.json").read_text(encoding="utf-8"))
    for code in ("limit_time", "limit_rows", "limit_cells", "limit_sheet_size"):
        assert code in MESSAGES and {"en", "zh"} <= set(catalog[f"problem_{code}"])
    assert LimitExceeded("limit_rows", {"limit": 1}).code == "limit_rows"


def test_a_request_file_past_the_row_limit_keeps_what_it_read():
    from ingest.requests import read_requests

    line = '{"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}\n'
    with within(ReadLimits(rows=3)):
        result = read_requests("r.jsonl", (line * 10).encode())
    assert len(result.requests) == 3
    assert [(p.code, p.where, dict(p.params)) for p in result.skipped] == [("limit_rows", "r.jsonl", {"limit": 3})]


def test_a_parquet_table_past_the_row_limit_stops_at_a_batch():
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    pq.write_table(pa.table({"text": [f"review {i}" for i in range(5000)]}), buffer, row_group_size=1000)
    with within(ReadLimits(rows=2500)):
        counted = count_source("t.parquet", buffer.getvalue(), ReadOptions())
    assert problems(counted) == [("limit_rows", "t.parquet", {"limit": 2500})]
    assert counted.documents == 2000  # two whole row groups; the third passed the limit
