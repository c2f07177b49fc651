"""The API requests page in a real browser: upload the Batch fixture, read the cards; screenshot.

Reuses the Estimate browser test's ``server`` fixture (streamlit run app.py on a free port).
"""

from __future__ import annotations

import datetime as dt

import pytest

from ingest.requests import read_requests
from pricing import Assumptions, load_catalog
from pricing.requests import price_request_file
from tests.e2e.conftest import ROOT, save_screenshot
from ui.formatting import format_money, format_tokens
from ui.request_results import card_view

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

FIXTURE = ROOT / "tests" / "fixtures" / "requests" / "support_triage_batch.jsonl"


def test_requests_page_in_a_browser(server, browser_page, tmp_path):
    from playwright.sync_api import expect

    page, dialogs = browser_page

    a = Assumptions(output_tokens_per_request=60, as_of=dt.date(2026, 10, 1))
    figures, _ = card_view(price_request_file(read_requests(FIXTURE.name, FIXTURE.read_bytes()), load_catalog(), None, a))
    page.goto(f"{server}/requests?lang=en&date=2026-10-01&out_tokens=60", wait_until="networkidle")
    expect(page.get_by_role("heading", name="What will these API requests cost?")).to_be_visible(
        timeout=20_000)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(FIXTURE))
    cards = page.get_by_test_id("stMetric")
    expect(cards.filter(has_text="Requests")).to_contain_text("6", timeout=30_000)
    expect(cards.filter(has_text="Prompt tokens")).to_contain_text(format_tokens(figures.prompt_tokens))
    expect(cards.filter(has_text="Total cost")).to_contain_text(format_money(figures.total_cost))
    # Batch requests have no assistant reply: not a training file, so the fine-tuning section is
    # folded; opened, it says why nothing is billed as training.
    section = page.get_by_text("Fine-tuning: this file as a training file")
    expect(section).to_be_visible(timeout=20_000)
    notice = page.get_by_text("6 examples have no assistant reply and are not billed as training")
    expect(notice).to_be_hidden()
    section.click()
    expect(notice).to_be_visible(timeout=20_000)
    page.wait_for_timeout(1000)
    assert dialogs == []
    save_screenshot(page, "requests.png")
