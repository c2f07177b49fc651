"""The real app in a real browser: paste text, upload a CSV, read the cost table, no script runs.

Starts ``streamlit run app.py`` on a free port and drives Debian's chromium with Playwright.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import save_screenshot
from tokenizers import get_encoding
from ui.formatting import format_money, format_tokens

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
TEXT = f"Hello {SCRIPT} and {IMG} 你好"
CSV_TEXT = f"{IMG},group\n{SCRIPT},a\nplain words,b\n"  # a user header shows in the column picker


def test_estimate_in_a_browser(server, browser_page, tmp_path):
    from playwright.sync_api import expect

    page, dialogs = browser_page

    csv_file = tmp_path / "reviews.csv"
    csv_file.write_text(CSV_TEXT, encoding="utf-8")
    page.goto(f"{server}/?lang=en&date=2025-01-15&req=1000&runs=1000&task=custom&out_tokens=200", wait_until="networkidle")

    box = page.get_by_label("Text to estimate")
    box.fill(TEXT)
    box.press("Control+Enter")
    o200k = len(get_encoding("o200k_base").encode_ordinary(TEXT))
    expect(page.get_by_test_id("stMetric").filter(has_text="o200k_base")).to_contain_text(
        format_tokens(o200k), timeout=20_000
    )
    expect(box).to_have_value(TEXT)

    page.get_by_role("tab", name="Upload files").click()
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(csv_file))
    # The header is user content: it must show as literal text in the column pickers.
    picker = page.get_by_role("combobox", name="Text column of reviews.csv")
    expect(picker).to_have_value(IMG, timeout=20_000)
    o200k += sum(len(get_encoding("o200k_base").encode_ordinary(t)) for t in (SCRIPT, "plain words"))
    expect(page.get_by_test_id("stMetric").filter(has_text="o200k_base")).to_contain_text(
        format_tokens(o200k), timeout=20_000
    )
    expect(page.get_by_test_id("stMetric").filter(has_text="Documents")).to_contain_text("3")

    table = page.get_by_test_id("stTable").first
    expect(table).to_contain_text("gpt-4o-mini")
    from decimal import Decimal

    gpt4o_out = Decimal(3 * 200 * 1000) * 10 / Decimal(1_000_000)
    expect(table).to_contain_text(format_money(gpt4o_out))

    # The share link reproduces the settings but never carries the text unasked.
    page.get_by_text("Share these settings").click()
    link = page.get_by_test_id("stSidebar").get_by_test_id("stCode")
    expect(link).to_contain_text("date=2025-01-15")
    expect(link).to_contain_text("out_tokens=200")
    assert "text=" not in link.inner_text()
    assert page.url.split("?", 1)[1].count("date=2025-01-15") == 1

    page.wait_for_timeout(500)
    assert dialogs == []
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("script", has_text="alert(1)").count() == 0
    save_screenshot(page, "estimate.png")
