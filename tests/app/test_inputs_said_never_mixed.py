"""Inputs are said, never mixed in silence: a pasted text beside an upload on the Estimate page is
counted with a line that says so and a way to drop it; a pasted request beside an uploaded file on
the API requests page is said to be left aside; the headline shows the total of all passes."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from tokenizers import get_encoding
from ui.formatting import format_money

ROOT = Path(__file__).resolve().parents[2]
TICKETS = ROOT / "tests" / "fixtures" / "surfaces" / "tickets.csv"
REQUESTS = ROOT / "examples" / "chat_requests.jsonl"
PASTED_REQUEST = '[{"role": "user", "content": "Hello there"}]'
M = Decimal(1_000_000)


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_pasted_text_and_an_upload_are_counted_together_said_and_the_text_can_be_dropped(open_app):
    at = open_app({"lang": "en", "date": "2026-10-01"})
    at.text_area(key="s_estimate_text").set_value("An earlier paste.").run()
    at.file_uploader(key="estimate_files").set_value([(TICKETS.name, TICKETS.read_bytes(), "text/csv")]).run()
    assert metrics(at)["Documents"] == "9"  # 8 rows + the paste
    said = [i.value for i in at.info]
    assert "Counted together: your pasted text (1 document) and 1 uploaded file. Drop the text to price the " \
           "files alone." in said
    at.button(key="drop_pasted_text").click().run()
    assert at.text_area(key="s_estimate_text").value == ""
    assert metrics(at)["Documents"] == "8"
    assert not any(i.value.startswith("Counted together") for i in at.info)


def test_a_pasted_request_beside_an_uploaded_file_is_said_to_be_left_aside(open_app):
    at = open_app({"lang": "en", "date": "2026-10-01"})
    at.switch_page("app_pages/requests.py").run()
    at.text_area(key="s_requests_paste").set_value(PASTED_REQUEST).run()
    at.file_uploader(key="requests_file").set_value([(REQUESTS.name, REQUESTS.read_bytes(), "application/jsonl")]).run()
    assert metrics(at)["Requests"] == "5"  # the file's
    said = [i.value for i in at.info]
    assert "The uploaded file is priced; your pasted request is not (one source at a time). Remove the file to " \
           "price the pasted request, or drop it." in said
    at.button(key="drop_pasted_request").click().run()
    assert at.text_area(key="s_requests_paste").value == ""
    assert not any(i.value.startswith("The uploaded file is priced") for i in at.info)


def test_the_headline_shows_the_total_of_all_passes_and_the_per_pass_figure_beside_it(open_app):
    at = open_app({"lang": "en", "date": "2026-10-01", "runs": "4", "models": "gpt-4o-mini"})
    at.file_uploader(key="estimate_files").set_value([(TICKETS.name, TICKETS.read_bytes(), "text/csv")]).run()
    rows = list(csv.DictReader(io.StringIO(TICKETS.read_text(encoding="utf-8"))))
    tokens = sum(len(get_encoding("o200k_base").encode_ordinary(r["description"])) for r in rows)
    # gpt-4o-mini on 2026-10-01: $0.15 in, $0.60 out per 1M; classify: 5 output tokens per request.
    per_pass = (tokens * Decimal("0.15") + 8 * 5 * Decimal("0.60")) / M
    shown = metrics(at)
    assert shown["Total on gpt-4o-mini (4 times)"] == format_money(4 * per_pass)
    assert shown["Per pass over the corpus on gpt-4o-mini"] == format_money(per_pass)
