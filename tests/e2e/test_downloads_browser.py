"""The per-row CSV download, clicked right after a setting changes (the window in which issue 13
saw a file go missing), arrives with the user's rows and the costs of a setting in force."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from tokenizers import get_encoding

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

# Enough rows that a rerun takes a moment, so a click can land while one is running.
ROWS = [f"Review {i}: " + text for i in range(1000)
        for text in ("Great kettle, boils fast.", "The lid broke after a week.", "质量很好，物流很快。")][:3000]


def test_the_row_download_arrives_when_clicked_right_after_a_change(server, browser_page, tmp_path):
    from playwright.sync_api import expect

    page, dialogs = browser_page
    table = tmp_path / "reviews.csv"
    out = io.StringIO()
    csv.writer(out).writerows([("id", "review"), *enumerate(ROWS)])
    table.write_text(out.getvalue(), encoding="utf-8")
    page.goto(f"{server}/?lang=en&date=2025-01-15&models=gpt-4o-mini&task=custom&out_tokens=0",
              wait_until="networkidle")
    page.get_by_role("tab", name="Upload files").click()
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(table))
    button = page.get_by_role("button", name="Rows of reviews.csv with counts and costs (CSV)")
    expect(button).to_be_visible(timeout=30_000)
    runs = page.get_by_role("spinbutton", name="Times the corpus is processed")
    tokens = sum(len(get_encoding("o200k_base").encode_ordinary(t)) for t in ROWS)
    passes_tried = [3, 7, 2, 9, 5, 4, 8, 6]
    for passes, delay in zip(passes_tried, (0, 100, 200, 300, 400, 500, 150, 250)):
        runs.fill(str(passes))
        runs.press("Enter")
        page.wait_for_timeout(delay)  # the window: 200-500 ms after the change
        with page.expect_download(timeout=20_000) as info:
            button.click()
        rows = list(csv.DictReader(io.StringIO(info.value.path().read_text(encoding="utf-8-sig"))))
        assert [r["review"] for r in rows] == ROWS  # the user's own columns come back
        assert [r["id"] for r in rows] == [str(i) for i in range(len(ROWS))]
        total = sum(Decimal(r["cost_usd_gpt-4o-mini"]) for r in rows)
        # Either the setting before the change or after it, never a missing file.
        assert total in {tokens * p * Decimal("0.15") / 1_000_000 for p in (1, *passes_tried)}
    assert dialogs == []
