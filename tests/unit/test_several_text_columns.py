"""Several text columns priced together: each row's cells joined in the order given with a newline
between them (as one request per row would send them), in every table format and in the CLI."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import cli
from ingest import ReadOptions, read_bytes
from tokenizers import get_encoding

ROOT = Path(__file__).resolve().parents[2]
TICKETS = ROOT / "tests" / "fixtures" / "surfaces" / "tickets.csv"
ROWS = list(csv.DictReader(io.StringIO(TICKETS.read_text(encoding="utf-8"))))


def tokens(texts, encoding="o200k_base") -> int:
    return sum(len(get_encoding(encoding).encode_ordinary(t)) for t in texts)


def test_two_columns_are_read_as_one_text_per_row_in_the_order_given():
    data = TICKETS.read_bytes()
    both = read_bytes("tickets.csv", data, ReadOptions(column=("title", "description"))).documents
    assert [d.text for d in both] == [f"{r['title']}\n{r['description']}" for r in ROWS]
    reversed_ = read_bytes("tickets.csv", data, ReadOptions(column=("description", "title"))).documents
    assert reversed_[0].text == f"{ROWS[0]['description']}\n{ROWS[0]['title']}"


def test_a_missing_one_of_several_columns_is_named():
    result = read_bytes("tickets.csv", TICKETS.read_bytes(), ReadOptions(column=("title", "body")))
    assert result.documents == []
    assert [(p.code, p.params["column"]) for p in result.skipped] == [("missing_column", "body")]


@pytest.mark.parametrize("kind", ["csv", "xlsx", "parquet"])
def test_the_cli_prices_several_columns_together(tmp_path, kind):
    if kind == "csv":
        path = TICKETS
    elif kind == "xlsx":
        path = ROOT / "tests" / "fixtures" / "surfaces" / "tickets.xlsx"
    else:
        path = tmp_path / "tickets.parquet"
        pq.write_table(pa.table({k: [r[k] for r in ROWS] for k in ("id", "title", "description")}), path)
    out = io.StringIO()
    assert cli.main(["estimate", str(path), "--column", "title,description", "--as-of", "2026-10-01",
                     "--models", "gpt-4o", "--format", "json"], out=out) == 0
    report = json.loads(out.getvalue())
    joined = [f"{r['title']}\n{r['description']}" for r in ROWS]
    assert report["tokens"] == {"o200k_base": tokens(joined), "cl100k_base": tokens(joined, "cl100k_base")}
    assert report["sources"][0]["column"] == "title, description"
    assert report["documents"] == len(ROWS)
