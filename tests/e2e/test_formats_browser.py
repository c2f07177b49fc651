"""The app takes the formats the CLI reads, in a real browser: a Parquet table (its text column
chosen by content and shown in the picker) and gzip-compressed JSON Lines, counted exactly."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tokenizers import get_encoding

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

ROOT = Path(__file__).resolve().parents[2]


def test_a_parquet_table_and_a_gzipped_jsonl_are_uploaded_and_counted(server, browser_page):
    from playwright.sync_api import expect

    page, dialogs = browser_page
    page.goto(f"{server}/?lang=en&date=2025-01-15", wait_until="networkidle")
    page.get_by_role("tab", name="Upload files").click()
    files = [ROOT / "examples" / "reviews.parquet", ROOT / "examples" / "reviews.jsonl.gz"]
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files([str(f) for f in files])
    picker = page.get_by_role("combobox", name="Text column of reviews.parquet")
    expect(picker).to_have_value("review", timeout=30_000)
    reviews = [r["review"] for r in csv.DictReader(io.StringIO((ROOT / "examples" / "reviews.csv").read_text("utf-8")))]
    encoding = get_encoding("o200k_base")
    tokens = 2 * sum(len(encoding.encode_ordinary(r)) for r in reviews)  # the same reviews in both files
    expect(page.get_by_test_id("stMetric").filter(has_text="o200k_base")).to_contain_text(f"{tokens:,}",
                                                                                      timeout=30_000)
    expect(page.get_by_test_id("stMetric").filter(has_text="Requests priced")).to_contain_text(f"{2 * len(reviews)}")
    assert dialogs == []
