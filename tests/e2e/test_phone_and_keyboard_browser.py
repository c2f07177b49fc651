"""What only a browser shows: a price date typed in the sidebar applies on Enter, and at phone
width (390 px) Chinese table headers stay on one line instead of one character per line."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]
WAIT = 20_000


def test_a_typed_price_date_applies_on_enter(server, browser_page):
    from playwright.sync_api import expect

    page, dialogs = browser_page
    page.goto(f"{server}/?lang=en&date=2025-01-15", wait_until="networkidle")
    field = page.get_by_test_id("stDateInputField").first
    field.get_by_role("spinbutton", name="year, Price date").click()
    page.keyboard.type("2024")
    page.keyboard.press("Enter")
    # The address bar follows the settings (history.replaceState: no navigation to wait for).
    expect(page).to_have_url(re.compile(r"date=2024-01-15"), timeout=WAIT)
    assert dialogs == []


def test_chinese_table_headers_stay_on_one_line_at_phone_width(server, browser_page):
    from playwright.sync_api import expect

    page, _ = browser_page
    page.set_viewport_size({"width": 390, "height": 1600})
    page.goto(f"{server}/?lang=zh&date=2025-01-15", wait_until="networkidle")
    box = page.get_by_label("要估算的文本")
    box.fill("你好，世界")
    box.press("Control+Enter")
    table = page.get_by_test_id("stTable").first
    expect(table).to_contain_text("gpt-4o-mini", timeout=WAIT)
    line = table.locator("tbody td").first.bounding_box()["height"]
    for header in table.locator("thead th").all():
        assert header.bounding_box()["height"] <= line * 1.5, header.inner_text()
