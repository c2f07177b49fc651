"""Every loop of reading a table is linear: ten times the columns, rows or field length costs at
most about ten times the CPU (a quadratic loop costs a hundred: a 1,000,000-column header kept a
core busy for 22 minutes)."""

from __future__ import annotations

import gc
import io
import time

import pytest

from ingest import ReadOptions, table_preview
from ingest.streaming import iter_stream
from ingest.tables import sheet_header

# Ten times the input may cost at most this many times the CPU (linear: ~10; quadratic: ~100).
GROWTH_LIMIT = 12
REPEATS = 5
# A ratio is measured again (up to this many times) when it is over the limit: another job on the
# machine can slow one run by a few tens of percent, never by the tenfold a quadratic loop adds.
ATTEMPTS = 3


def cpu_seconds(work) -> float:
    """The least CPU time of REPEATS runs of ``work`` (the least is the one least disturbed)."""
    best = float("inf")
    for _ in range(REPEATS):
        gc.collect()
        started = time.process_time()
        work()
        best = min(best, time.process_time() - started)
    return best


def growth(make, small: int) -> float:
    """How many times more CPU ``make(10 * small)``'s work takes than ``make(small)``'s (the
    least of ATTEMPTS measures, stopping at the first within GROWTH_LIMIT)."""
    little, big = make(small), make(10 * small)
    little()  # warm: imports, caches
    ratios = []
    for _ in range(ATTEMPTS):
        ratios.append(cpu_seconds(big) / cpu_seconds(little))
        if ratios[-1] <= GROWTH_LIMIT:
            break
    return min(ratios)


def read(name: str, data: bytes):
    def work():
        problems = []
        for _ in iter_stream(name, io.BytesIO(data), len(data), ReadOptions(), problems):
            pass
    return work


def wide_csv(columns: int) -> bytes:
    header = ",".join(f"c{i}" for i in range(columns))
    row = ",".join(f"value {i}" for i in range(columns))
    return f"{header}\n{row}\n{row}\n{row}\n".encode()


def long_csv(rows: int) -> bytes:
    return ("id,text\n" + "".join(f"{i},some words of text {i}\n" for i in range(rows))).encode()


def long_field_csv(chars: int) -> bytes:
    return ("id,text\n1," + "word " * (chars // 5) + "\n2,short words\n").encode()


@pytest.mark.parametrize("make, small", [
    (lambda n: read("wide.csv", wide_csv(n)), 2_000),
    (lambda n: lambda: table_preview("wide.csv", wide_csv(n)), 2_000),
    (lambda n: read("long.csv", long_csv(n)), 20_000),
    # Past a few MB the csv module's own buffers leave the caches (12-15x from 2 to 20 MB).
    (lambda n: read("field.csv", long_field_csv(n)), 100_000),
    (lambda n: lambda: table_preview("field.csv", long_field_csv(n)), 100_000),
], ids=["columns", "columns-preview", "rows", "field-length", "field-length-preview"])
def test_ten_times_the_input_costs_at_most_about_ten_times_the_cpu(make, small):
    assert growth(make, small) <= GROWTH_LIMIT


def test_a_sheet_header_drops_trailing_empty_cells_in_linear_time():
    def make(n):
        cells = ["a", "b"] + [""] * n
        return lambda: sheet_header(cells)
    assert sheet_header(["a", "", "b", "", ""]) == ["a", "", "b"]
    assert growth(make, 100_000) <= GROWTH_LIMIT


def test_the_shown_preview_marks_its_column_in_linear_time():
    from ui.uploads import PREVIEW_COLUMNS, hidden_columns, preview_frame

    def make(n):
        preview = table_preview("wide.csv", wide_csv(n))
        return lambda: preview_frame(preview, f"c{n - 1}")
    assert growth(make, 2_000) <= GROWTH_LIMIT
    # Only the first columns and the counted one are drawn (pandas takes 3 s for 100,000 columns).
    preview = table_preview("wide.csv", wide_csv(2_000))
    frame = preview_frame(preview, "c1999")
    assert list(frame.columns) == ["▶ c1999"] + [f"c{i}" for i in range(PREVIEW_COLUMNS)]  # the counted one first
    assert (frame.iloc[0, 0], frame.iloc[0, 1]) == ("value 1999", "value 0")
    assert hidden_columns(preview, "c1999") == 2_000 - PREVIEW_COLUMNS - 1
    assert hidden_columns(preview, "c3") == 2_000 - PREVIEW_COLUMNS
