"""The per-row download hands the user's table back: every column they had, in their order,
then where the row is, its language, its tokens and its cost per model; rows add up to the
estimate; formula cells neutralised by the one CSV writer."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

from ingest import ReadOptions
from pricing import Assumptions, Workload, estimate, load_catalog
from corpus.pipeline import count_source
from pricing.estimates import row_table
from pricing.export import csv_bytes
from tokenizers import get_encoding

REVIEWS = (Path(__file__).resolve().parents[2] / "examples" / "reviews.csv").read_bytes()
CATALOG = load_catalog()
A = Assumptions(output_tokens_per_request=5, requests=1, as_of=dt.date(2026, 11, 1))


def _rows(data: bytes, options: ReadOptions, models, a=A):
    source = count_source("reviews.csv", data, options, languages=True)
    header, lines = row_table(source, data, options, models, CATALOG, a)
    return source, header, lines


def test_every_user_column_comes_back_then_counts_and_costs():
    _, header, lines = _rows(REVIEWS, ReadOptions(column="review"), ["gpt-4o", "gpt-4o-mini"])
    assert header == ["id", "created", "url", "review", "channel", "rating", "source", "language",
                      "tokens_o200k_base", "tokens_cl100k_base", "cost_usd_gpt-4o", "cost_usd_gpt-4o-mini"]
    original = list(csv.reader(io.StringIO(REVIEWS.decode("utf-8"))))[1:]
    assert len(lines) == len(original) == 60
    assert [line[:6] for line in lines] == original  # the user's row, untouched
    first = lines[0]
    assert first[6] == "reviews.csv:2" and first[7] == "en"
    n = len(get_encoding("o200k_base").encode_ordinary(original[0][3]))
    assert first[8] == n
    # One pass, 5 output tokens: gpt-4o at $2.50 / $10 per 1M.
    assert first[10] == (n * Decimal("2.5") + 5 * Decimal(10)) / Decimal(1_000_000)


def test_the_rows_add_up_to_the_estimate():
    source, header, lines = _rows(REVIEWS, ReadOptions(column="review"), ["gpt-4o"])
    total = estimate(Workload(tokens={e: sum(source.tokens[e]) for e in source.tokens}, documents=source.documents),
                     ["gpt-4o"], CATALOG, A)[0].total_cost
    assert sum(line[header.index("cost_usd_gpt-4o")] for line in lines) == total


def test_a_formula_in_any_user_column_is_neutralised():
    data = "id,channel,review\n=1+1,@web,fine\n".encode()
    _, header, lines = _rows(data, ReadOptions(column="review"), ["gpt-4o-mini"])
    text = csv_bytes(header, lines).decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(text)))
    assert (row["id"], row["channel"], row["review"]) == ("'=1+1", "'@web", "fine")


# --- The columns no setting changes are written once, the costs beside them on each change ---

from hypothesis import given, settings, strategies as st  # noqa: E402

from pricing.estimates import row_cells, row_cost_lines, row_costs  # noqa: E402
from pricing.export import csv_bytes_joined, csv_lines  # noqa: E402

CELL = st.one_of(st.none(), st.integers(-10**6, 10**6), st.decimals(allow_nan=False, allow_infinity=False, places=7), st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
                 st.sampled_from(["=1+1", " -2", "a,b", 'q"x', "line\nbreak", "x\r", "", "\t@"]))


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 4), st.integers(1, 3), st.data())
def test_lines_written_once_then_joined_are_the_bytes_of_the_whole_table(left_width, right_width, data):
    rows = data.draw(st.lists(st.lists(CELL, min_size=left_width + right_width, max_size=left_width + right_width),
                              max_size=6))
    header = [f"c{i}" for i in range(left_width + right_width)]
    left = csv_lines(header[:left_width], [r[:left_width] for r in rows])
    joined = csv_bytes_joined(left, csv_lines(header[left_width:], [r[left_width:] for r in rows]))
    assert joined == csv_bytes(header, rows)


def test_the_halves_of_the_row_table_are_its_columns_and_rows_of_equal_length_cost_alike():
    options = ReadOptions(column="review")
    source, header, lines = _rows(REVIEWS, options, ["gpt-4o", "gpt-4o-mini"])
    cells_header, cells = row_cells(source, REVIEWS, options)
    costs_header, costs = row_costs(source, ["gpt-4o", "gpt-4o-mini"], CATALOG, A)
    assert [*cells_header, *costs_header] == header
    assert [[*c, *k] for c, k in zip(cells, costs)] == lines
    by_tokens = {}
    for line in lines:  # one price per token count (priced once, handed to every such row)
        by_tokens.setdefault(line[8], set()).add(line[10])
    assert all(len(v) == 1 for v in by_tokens.values())
    n = lines[0][8]
    assert by_tokens[n] == {(n * Decimal("2.5") + 5 * Decimal(10)) / Decimal(1_000_000)}
    written = row_cost_lines(source, ["gpt-4o", "gpt-4o-mini"], CATALOG, A)
    assert written == csv_lines(costs_header, costs)
    assert csv_bytes_joined(csv_lines(cells_header, cells), written) == csv_bytes(header, lines)
