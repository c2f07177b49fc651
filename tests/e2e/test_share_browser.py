"""Share links in a real browser, at desktop (1400 px) and phone (400 px) width, in English and
Chinese: each page opened from a link carrying every setting shows what the link holds; a
changed setting reaches the address bar and a reload from it shows the same view; the Chinese
pages hold no English words outside an allow list.

One server (tests/e2e/conftest.py) and one chromium for the module; a fresh browser context
per width and language. Screenshots go to tests/e2e/artifacts/ (docs/screenshots/ with
UPDATE_SCREENSHOTS=1).
"""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from pricing import load_catalog
from pricing.languages import load_samples
from pricing.schema import CatalogFile
from tests.e2e.conftest import ARTIFACTS, BROWSER_ARGS, CHROMIUM, save_screenshot
from tokenizers import SUPPORTED_ENCODINGS, get_encoding
from tokenizers.registry import KNOWN_ENCODINGS
from pricing.currency import MoneyView
from ui.formatting import format_money
from ui.i18n import translate
from ui.links import encode_prices
from ui.settings import encode_text

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

CATALOG = load_catalog()
TEXT = "How much will this cost? 这要花多少钱？"
REQUEST = '{"model": "gpt-4o", "messages": [{"role": "user", "content": "Hello there, how are you?"}]}'
M = Decimal(1_000_000)
WAIT = 30_000


def _custom_prices() -> CatalogFile:
    entry = CATALOG.models["gpt-4o-mini-2024-07-18"]
    periods = [p.model_copy(update={"input_per_mtok": Decimal("0.2")}) for p in entry.prices]
    return CatalogFile(models=[entry.model_copy(update={"prices": periods})])


PRICES = encode_prices(_custom_prices())
LINKS = {
    "estimate": {"models": "gpt-4o,gpt-4o-mini", "q": "traffic", "req": "5000", "task": "classify", "base": "gpt-4o",
                 "cur": "CNY", "rate": "7.25", "text": encode_text(TEXT), "prices": PRICES},
    "languages": {"q": "corpus", "runs": "5000", "task": "custom", "out": "ratio", "ratio": "1",
                  "from": "gpt-4-turbo", "vs": "gpt-4o", "wf": "hi", "sample": "ja", "ids": "1"},
    "prices": {"models": "gpt-4o,gpt-4o-mini", "hist": "gpt-4o,gpt-4", "side": "output", "date": "2025-06-01"},
    "requests": {"models": "gpt-4o-mini", "reprice": "1", "img_w": "512", "img_h": "256", "out_tokens": "60",
                 "prices": PRICES},
}

# --- English leftovers in the Chinese pages -------------------------------------------------
# Words that are the same in a Chinese page: model ids and families, encodings, units,
# currencies, file formats, product names; numbers and links are removed before looking.
ALLOWED_TERMS = {
    *CATALOG.ids(), *(m.family for m in CATALOG.models.values()), *SUPPORTED_ENCODINGS, *KNOWN_ENCODINGS,  # tokenizer names (tekken-240718, qwen3.6 ...)
    "p50k_base", "r50k_base",
    "USD", "CNY", "token", "tokens", "Token", "ID", "API", "Batch", "OpenAI", "GPT", "JSON", "JSONL", "CSV", "TSV",
    "UTF", "px", "MB", "KB", "GB", "Flex", "Priority", "JSON", "messages", "custom_id", "tiktoken", "lingua",
    "Parquet", "xlsx", "txt", "md", "jsonl", "json", "csv", "tsv", "zip", "gz",
    "cl100k_base", "o200k_base", "ja", "zh", "en", "max_tokens", "Chat",
    "Turbo", "mini",  # product names in "GPT-3.5 Turbo", "GPT-4o mini"
    # Vendors' and hosts' names (brands, written the same in Chinese).
    "Anthropic", "Google", "Gemini", "DeepSeek", "xAI", "Mistral", "Alibaba", "Qwen", "Meta", "Llama", "Groq",
    "Amazon", "Bedrock",
}
# Streamlit's own widget text: the framework does not translate it (not ours to fix).
STREAMLIT_TEXT = {"Skip", "main", "content", "Drag", "and", "drop", "files", "here", "Limit", "per", "file", "Browse", "Press", "Enter", "to",
                  "apply", "Choose", "options", "No", "results"}
# English month names on the Prices page's history axis (Plotly's own date ticks, "Jan 2023").
WT_LOOK = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}  # wt-look fixes
ALLOWED_WORDS = {w.lower() for w in ALLOWED_TERMS | STREAMLIT_TEXT | WT_LOOK}
_ID_PATTERN = re.compile(r"(?<![\w.-])(?:" + "|".join(re.escape(x) for x in sorted(ALLOWED_TERMS, key=len, reverse=True))
                         + r")(?![\w-])")
_WORD = re.compile(r"[A-Za-z][A-Za-z’']+")


def english_leftovers(text: str) -> set[str]:
    """Latin-script words of ``text`` not in the allow list (model ids, units, ... removed first)."""
    # Links and their queries, file paths and addresses (a price source shown as
    # "mistral.ai/pricing#api-pricing" or ".../model-studio/model-pricing"), bytes shown as \xNN
    # in the token view.
    text = re.sub(r"https?://\S+|\?\S*=\S*|[\w.-]+/[\w./#%-]+|\\x[0-9A-Fa-f]{2}|\\xNN", " ", text)
    text = _ID_PATTERN.sub(" ", text)
    return {w for w in _WORD.findall(text) if w.lower() not in ALLOWED_WORDS}


# The page's visible text without icon ligatures (a material icon is drawn from its name).
VISIBLE_TEXT = """() => {
  const style = document.createElement("style");
  style.textContent = '[translate="no"][aria-hidden="true"] { display: none !important; }';
  document.head.appendChild(style);
  const text = document.body.innerText;
  style.remove();
  return text;
}"""


@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def query_of(url: str) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}


class Visit:
    """One width and language: opens pages from links and checks them."""

    def __init__(self, page, server: str, lang: str, width: int):
        self.page, self.server, self.lang, self.width = page, server, lang, width
        self.leftovers: dict[str, set[str]] = {}

    def t(self, key: str, **params) -> str:
        return translate(key, self.lang, **params)

    def open(self, path: str, query: dict[str, str]) -> None:
        self.page.goto(f"{self.server}/{path}?{urlencode({'lang': self.lang, **query})}", wait_until="networkidle")

    def settle(self) -> None:
        """Wait until Streamlit has finished running the script."""
        from playwright.sync_api import expect

        self.page.wait_for_timeout(300)
        expect(self.page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=WAIT)

    def reload(self) -> None:
        self.page.reload(wait_until="networkidle")
        self.settle()

    def wait_for_query(self, **wanted: str | None) -> dict[str, str]:
        """Wait until the address holds ``wanted`` (None: the parameter is absent); returns the query."""
        deadline = 60
        for _ in range(deadline * 4):
            query = query_of(self.page.url)
            if all(query.get(k) == v for k, v in wanted.items()):
                return query
            self.page.wait_for_timeout(250)
        raise AssertionError(f"address {self.page.url} never held {wanted}")

    def finish(self, name: str, focus=None) -> None:
        """Look for English leftovers (Chinese pages) and take the screenshot (``focus`` in view:
        Streamlit scrolls inside its own container, so a screenshot shows one screen)."""
        if self.lang == "zh":
            text = self.page.evaluate(VISIBLE_TEXT)
            self.leftovers[name] = english_leftovers(text)
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            (ARTIFACTS / f"text-{name}-{self.lang}-{self.width}.txt").write_text(text, encoding="utf-8")
        if focus is not None:
            focus.scroll_into_view_if_needed()
        save_screenshot(self.page, f"share-{name}-{self.lang}-{self.width}.png")

    def number(self, label: str):
        return self.page.get_by_label(label, exact=True)

    def banner(self) -> None:
        from playwright.sync_api import expect

        banner = self.t("share_custom_prices_in_link", models="gpt-4o-mini-2024-07-18").replace("**", "")
        expect(self.page.get_by_test_id("stAlert").filter(has_text=banner.split("（")[0].split(" (")[0])
               ).to_contain_text("gpt-4o-mini-2024-07-18", timeout=WAIT)

    # --- the pages ---------------------------------------------------------------------------

    def estimate(self) -> None:
        from playwright.sync_api import expect

        page = self.page
        self.open("", LINKS["estimate"])  # the default page lives at the root
        table = page.get_by_test_id("stTable").first
        expect(table).to_contain_text("gpt-4o-mini", timeout=WAIT)
        self.settle()
        self.banner()
        expect(page.get_by_label(self.t("estimate_text_label"))).to_have_value(TEXT)
        expect(self.number(self.t("assume_requests"))).to_have_value("5000")
        expect(page.get_by_role("radio", name=self.t("workload_question_traffic"), exact=True)).to_be_checked()
        headers = table.locator("thead th")
        assert [headers.nth(i).inner_text().strip() for i in range(2)] == [self.t("col_model"),
                                                                             self.t("col_total_cost")]
        # The decisive columns stay on screen at phone width.
        total_box = headers.nth(1).bounding_box()
        assert total_box is not None and total_box["x"] + total_box["width"] <= self.width, total_box
        # ... and a model id keeps to one line ("gpt-4o-mini" is as tall as "gpt-4o").
        heights = [table.locator("tbody tr").nth(i).bounding_box()["height"] for i in range(2)]
        assert max(heights) - min(heights) < 8, heights  # a second line would add ~20 px
        # gpt-4o-mini's input at the link's custom $0.20 per 1M tokens, 5,000 requests, in CNY at 7.25.
        tokens = len(get_encoding("o200k_base").encode_ordinary(TEXT))
        view = MoneyView(currency="CNY", cny_per_usd=Decimal("7.25"))
        row = table.locator("tbody tr").filter(has=page.locator("td, th").get_by_text("gpt-4o-mini", exact=True))
        expect(row).to_contain_text(format_money(tokens * 5000 * Decimal("0.2") / M, view))
        assert query_of(page.url) == {"lang": self.lang, **LINKS["estimate"]}
        self.finish("estimate", focus=table)
        box = self.number(self.t("assume_requests"))
        box.fill("6000")
        box.press("Enter")
        self.wait_for_query(req="6000")
        self.reload()
        expect(self.number(self.t("assume_requests"))).to_have_value("6000", timeout=WAIT)
        expect(page.get_by_label(self.t("estimate_text_label"))).to_have_value(TEXT)
        assert query_of(page.url) == {"lang": self.lang, **LINKS["estimate"], "req": "6000"}

    def languages(self) -> None:
        from playwright.sync_api import expect

        page = self.page
        self.open("languages", LINKS["languages"])
        expect(page.get_by_test_id("stDataFrame").first).to_be_visible(timeout=WAIT)
        self.settle()
        expect(self.number(self.t("workload_runs"))).to_have_value("5000")
        expect(page.get_by_role("combobox", name=self.t("saving_from"), exact=True)).to_have_value("gpt-4-turbo")
        expect(page.get_by_role("combobox", name=self.t("saving_to"), exact=True)).to_have_value("gpt-4o")
        expect(page.get_by_role("switch", name=self.t("lang_view_ids"), exact=True)).to_be_checked()
        japanese = next(s for s in load_samples() if s.code == "ja")
        expect(page.get_by_role("combobox", name=self.t("lang_view_start"), exact=True)).to_have_value(japanese.name(self.lang))
        hindi = next(s for s in load_samples() if s.code == "hi")
        expect(page.get_by_role("combobox", name=self.t("lang_waterfall_for"), exact=True).first).to_have_value(
            hindi.name(self.lang))
        assert query_of(page.url) == {"lang": self.lang, **LINKS["languages"]}
        self.finish("languages")
        page.get_by_role("radiogroup", name=self.t("assume_output_mode")).get_by_text(
            self.t("assume_output_mode_fixed"), exact=True).click(force=True)
        self.wait_for_query(out=None)
        self.reload()
        expect(self.number(self.t("assume_output_tokens"))).to_be_visible(timeout=WAIT)
        expect(self.number(self.t("workload_runs"))).to_have_value("5000")
        expect(page.get_by_role("switch", name=self.t("lang_view_ids"), exact=True)).to_be_checked()

    def prices(self) -> None:
        from playwright.sync_api import expect

        page = self.page
        self.open("prices", LINKS["prices"])
        expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=WAIT)
        self.settle()
        expect(page.get_by_role("radio", name=self.t("prices_side_output"), exact=True)).to_be_checked()
        chosen = page.get_by_test_id("stMultiSelect").filter(has=page.get_by_text(self.t("prices_history_models"),
                                                                                  exact=True)).first
        expect(chosen).to_contain_text("gpt-4o")
        expect(chosen).to_contain_text("gpt-4")
        assert query_of(page.url) == {"lang": self.lang, **LINKS["prices"]}
        self.finish("prices")
        page.get_by_role("radio", name=self.t("prices_side_input"), exact=True).click(force=True)
        self.wait_for_query(side=None)
        self.reload()
        expect(page.get_by_role("radio", name=self.t("prices_side_input"), exact=True)).to_be_checked(timeout=WAIT)
        expect(chosen).to_contain_text("gpt-4")

    def requests(self) -> None:
        from playwright.sync_api import expect

        page = self.page
        self.open("requests", LINKS["requests"])
        self.settle()
        self.banner()
        self.paste_request()
        expect(page.get_by_role("switch", name=self.t("requests_reprice"), exact=True)).to_be_checked()
        expect(self.number(self.t("requests_image_width"))).to_have_value("512")
        expect(self.number(self.t("requests_image_height"))).to_have_value("256")
        assert query_of(page.url) == {"lang": self.lang, **LINKS["requests"]}
        self.finish("requests")
        box = self.number(self.t("requests_image_width"))
        box.fill("640")
        box.press("Enter")
        self.wait_for_query(img_w="640")
        self.reload()
        self.paste_request()
        expect(self.number(self.t("requests_image_width"))).to_have_value("640", timeout=WAIT)
        expect(page.get_by_role("switch", name=self.t("requests_reprice"), exact=True)).to_be_checked()

    def paste_request(self) -> None:
        from playwright.sync_api import expect

        self.page.get_by_role("tab", name=self.t("requests_tab_paste"), exact=True).click()
        box = self.page.get_by_label(self.t("requests_paste_label"))
        box.fill(REQUEST)
        box.press("Control+Enter")
        expect(self.page.get_by_test_id("stTable").first).to_contain_text("gpt-4o-mini", timeout=WAIT)
        self.settle()


@pytest.mark.parametrize(("width", "lang"), [(1400, "en"), (1400, "zh"), (400, "en"), (400, "zh")],
                         ids=["1400-en", "1400-zh", "400-en", "400-zh"])
def test_every_page_from_a_share_link(server, chromium, width, lang):
    context = chromium.new_context(viewport={"width": width, "height": 900 if width < 800 else 1400},
                                   locale="zh-CN" if lang == "zh" else "en-US")
    dialogs: list[str] = []
    try:
        page = context.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        visit = Visit(page, server, lang, width)
        for name in ("estimate", "languages", "prices", "requests"):
            getattr(visit, name)()
        assert dialogs == []
        leftovers = {name: sorted(words) for name, words in visit.leftovers.items() if words}
        assert leftovers == {}, leftovers
    finally:
        context.close()


def test_the_leftover_check_finds_english():
    assert english_leftovers("每月请求次数 gpt-4o-mini o200k_base 5,000 USD") == set()
    assert english_leftovers("对比 Requests per month 模型") == {"Requests", "month"}
    assert english_leftovers("与 mistral.ai/pricing#api-pricing 核对，与 x.com/help/model-studio/model-pricing 核对") == set()
