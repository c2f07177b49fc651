"""Workbook dates read as a person sees them: "2026-11-01", not openpyxl's "2026-11-01 00:00:00"."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

from ingest import ReadOptions, read_bytes, table_preview

XLSX = Path(__file__).resolve().parents[1] / "fixtures" / "surfaces" / "tickets.xlsx"


def test_a_date_cell_is_its_date_in_the_rows_and_the_preview():
    data = XLSX.read_bytes()
    first = read_bytes("tickets.xlsx", data, ReadOptions(column="opened")).documents[0]
    assert first.text == "2026-11-01"
    assert dict(first.fields)["opened"] == "2026-11-01"
    preview = table_preview("tickets.xlsx", data, ReadOptions())
    assert preview.rows[0][preview.header.index("opened")] == "2026-11-01"


def test_a_date_with_a_time_keeps_its_time():
    book = Workbook()
    book.active.append(["when", "text"])
    book.active.append([datetime(2026, 11, 1, 9, 30), "a note"])
    out = io.BytesIO()
    book.save(out)
    (doc,) = read_bytes("t.xlsx", out.getvalue(), ReadOptions(column="when")).documents
    assert doc.text == "2026-11-01 09:30:00"
