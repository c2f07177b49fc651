"""The Languages and Prices pages in a real browser: real figures shown, user text stays text."""

from __future__ import annotations

import pytest

from pricing import load_catalog
from pricing.languages import load_samples
from tests.e2e.conftest import save_screenshot
from tokenizers import get_encoding

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

HOSTILE = "价格 <script>alert(1)</script> <img src=x onerror=alert(1)>"


def test_languages_page_in_chinese(server, browser_page):
    from playwright.sync_api import expect

    page, dialogs = browser_page
    page.goto(f"{server}/languages?lang=zh", wait_until="networkidle")
    expect(page.get_by_role("heading", name="各语言的 token 数")).to_be_visible(timeout=20_000)
    gujarati = next(s for s in load_samples() if s.code == "gu")
    cl100k = len(get_encoding("cl100k_base").encode_ordinary(gujarati.text))
    o200k = len(get_encoding("o200k_base").encode_ordinary(gujarati.text))
    assert cl100k > 2.5 * o200k  # the saving the page is about
    grid = page.get_by_test_id("stDataFrame").first
    expect(grid).to_be_visible(timeout=20_000)

    box = page.get_by_label("要查看的文本（可随意编辑）")
    box.fill(HOSTILE)
    box.press("Control+Enter")
    for encoding in ("cl100k_base", "o200k_base"):
        count = len(get_encoding(encoding).encode_ordinary(HOSTILE))
        expect(page.get_by_text(f"{len(HOSTILE)} 个字符，{count} 个 token").first).to_be_visible(timeout=20_000)
    # Every token of the hostile text is shown as text, not markup.
    expect(page.get_by_text("<script", exact=False).first).to_be_visible()
    page.wait_for_timeout(500)
    assert dialogs == []
    assert page.locator("img[src='x']").count() == 0
    save_screenshot(page, "languages.png")


def test_prices_page_shows_the_catalog(server, browser_page):
    from playwright.sync_api import expect

    page, dialogs = browser_page
    page.goto(f"{server}/prices?lang=en", wait_until="networkidle")
    expect(page.get_by_role("heading", name="Price catalog")).to_be_visible(timeout=20_000)
    catalog = load_catalog()
    expect(page.get_by_text(f"{len(catalog.models)} model snapshots, {len(catalog.aliases)} aliases")).to_be_visible()
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible(timeout=20_000)
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=20_000)
    assert dialogs == []
    save_screenshot(page, "prices.png")
