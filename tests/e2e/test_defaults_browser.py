"""What a new user gets by default, in a real browser: a Hindi or Chinese paragraph shows how many
fewer tokens GPT-4o's tokenizer needs and the money it saves (GPT-3.5 Turbo -> GPT-4o mini), in
both UI languages; an id-first, multilingual CSV is counted on its text, with its languages.

Screens (UPDATE_SCREENSHOTS=1 copies them to docs/screenshots/): estimate-hindi.png,
estimate-chinese-zh.png, estimate-id-first-csv.png, estimate-languages.png.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from pricing.languages import load_samples
from tests.e2e.conftest import save_screenshot
from tokenizers import get_encoding
from ui.formatting import format_money, format_share

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(180)]

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = {s.code: s.text for s in load_samples()}
M = Decimal(1_000_000)


def count(text: str, encoding: str) -> int:
    return len(get_encoding(encoding).encode_ordinary(text))


def expected(text: str) -> tuple[str, str]:
    """(the fewer-tokens share, the money saved) for the defaults: 1,000 requests a month, a
    500-token reply, gpt-3.5-turbo ($0.50/$1.50) -> gpt-4o-mini ($0.15/$0.60) on 2025-01-15."""
    old, new = count(text, "cl100k_base"), count(text, "o200k_base")
    before = old * 1000 * Decimal("0.5") / M + 500_000 * Decimal("1.5") / M
    after = new * 1000 * Decimal("0.15") / M + 500_000 * Decimal("0.6") / M
    return format_share(Decimal(old - new) / Decimal(old)), format_money(before - after)


@pytest.mark.parametrize(
    ("lang", "code", "sentence", "card", "shot"),
    [
        ("en", "hi", "o200k_base needs {share} fewer tokens than cl100k_base here",
         "gpt-3.5-turbo → gpt-4o-mini: saved", "estimate-hindi.png"),
        ("zh", "zh-Hans", "o200k_base 比 cl100k_base 少用 {share} 的 token",
         "gpt-3.5-turbo → gpt-4o-mini：节省", "estimate-chinese-zh.png"),
    ],
)
def test_a_pasted_paragraph_shows_the_tokenizer_saving(server, browser_page, lang, code, sentence, card, shot):
    from playwright.sync_api import expect

    page, dialogs = browser_page
    page.goto(f"{server}/?lang={lang}&date=2025-01-15", wait_until="networkidle")
    text = SAMPLES[code]
    box = page.get_by_label("Text to estimate" if lang == "en" else "要估算的文本")
    box.fill(text)
    box.press("Control+Enter")
    share, saved = expected(text)
    expect(page.get_by_text(sentence.format(share=share))).to_be_visible(timeout=30_000)
    metric = page.get_by_test_id("stMetric").filter(has_text=card)
    expect(metric).to_contain_text(saved)
    page.get_by_text(sentence.format(share=share)).scroll_into_view_if_needed()
    assert dialogs == []
    save_screenshot(page, shot)


def test_an_id_first_multilingual_csv_is_counted_on_its_text_with_its_languages(server, browser_page):
    from playwright.sync_api import expect

    page, dialogs = browser_page
    page.goto(f"{server}/?lang=en&date=2025-01-15", wait_until="networkidle")
    page.get_by_role("tab", name="Upload files").click()
    reviews = ROOT / "examples" / "reviews.csv"
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(reviews))
    picker = page.get_by_role("combobox", name="Text column of reviews.csv")
    expect(picker).to_have_value("review", timeout=30_000)
    rows = list(csv.DictReader(io.StringIO(reviews.read_text(encoding="utf-8"))))
    tokens = sum(count(r["review"], "o200k_base") for r in rows)
    expect(page.get_by_test_id("stMetric").filter(has_text="o200k_base")).to_contain_text(f"{tokens:,}",
                                                                                      timeout=30_000)
    expect(page.get_by_test_id("stMetric").filter(has_text="Requests priced")).to_contain_text(f"{len(rows)}")
    expect(page.get_by_text(f"Priced: {len(rows)} requests — each of the {len(rows)} documents")).to_be_visible()
    save_screenshot(page, "estimate-id-first-csv.png")
    heading = page.get_by_role("heading", name="By language (detected)")
    expect(heading).to_be_visible()
    heading.scroll_into_view_if_needed()
    # The languages table is a canvas grid: its rows are read through the JSON download instead.
    assert dialogs == []
    save_screenshot(page, "estimate-languages.png")


def test_a_file_name_with_underscores_reads_cleanly_to_a_screen_reader(server, browser_page, tmp_path):
    from playwright.sync_api import expect

    page, dialogs = browser_page
    table = tmp_path / "load_s1.csv"
    table.write_text("id,review\n1,Arrived on time and works well\n2,Stopped charging after a month\n",
                     encoding="utf-8")
    page.goto(f"{server}/?lang=en&date=2025-01-15", wait_until="networkidle")
    page.get_by_role("tab", name="Upload files").click()
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(table))
    picker = page.get_by_role("combobox", name="Text column of load_s1.csv", exact=True)
    expect(picker).to_have_value("review", timeout=30_000)
    label = page.get_by_test_id("stWidgetLabel").filter(has_text="Text column of load_s1.csv").first
    assert label.locator("em").count() == 0  # shown as typed, not in italics
    assert dialogs == []
