"""The Languages page's tokenizer tax: a chart of each chosen language's tokens per English token
on every tokenizer counted (the test tokenizer "small-bpe" beside OpenAI's two), the cheapest one
named, and the user's languages on each tokenizer with their cost; in English and Chinese."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pricing.catalog import load_catalog_file
from pricing.languages import load_samples
from pricing.tokenizer_tax import mean_tax, samples_tax, tax_tokenizers
from tests.small_tokenizer import NAME, small_count
from tokenizers import get_encoding
from ui.catalog import CATALOG_OVERRIDE_KEY
from ui.formatting import format_money

APP = Path(__file__).resolve().parents[2] / "app.py"
MODELS_FILE = Path(__file__).resolve().parents[1] / "fixtures" / "catalogs" / "small_bpe_models.json"
SAMPLES = {s.code: s.text for s in load_samples()}


def o200k(text: str) -> int:
    return len(get_encoding("o200k_base").encode_ordinary(text))


def open_page(language: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state[CATALOG_OVERRIDE_KEY] = load_catalog_file(MODELS_FILE)
    # Pasted text is traffic: 1,000 requests a month of it, no answer (task custom, 0 output tokens).
    at.query_params.update({"lang": language, "date": "2026-11-01", "models": "small-chat,gpt-4o", "req": "1000",
                            "task": "custom", "out_tokens": "0"})
    at.switch_page("app_pages/languages.py")
    at.run()
    assert not at.exception, at.exception
    return at


def tax_chart(at: AppTest) -> dict:
    chart = next(c for c in at.get("plotly_chart") if "lang_tax_chart" in c.proto.id)
    return json.loads(chart.proto.spec)


@pytest.mark.parametrize("language, cheapest", [
    ("en", "Cheapest tokenizer for these languages: {}"),
    ("zh", "对这些语言最省的分词器：{}"),
])
def test_the_tax_chart_shows_every_tokenizer_against_english(small_tokenizer, language, cheapest):
    at = open_page(language)
    bars = {trace["name"]: trace["y"] for trace in tax_chart(at)["data"]}
    assert list(bars) == list(tax_tokenizers())
    assert {"o200k_base", "cl100k_base", NAME, "small-recon"} <= set(bars)
    chosen = at.multiselect(key="lang_tax_languages").value
    assert chosen == ["zh-Hans", "hi", "ja", "ar", "es"]
    for i, code in enumerate(chosen):
        assert bars[NAME][i] == pytest.approx(small_count(SAMPLES[code]) / small_count(SAMPLES["en"]))
        assert bars["o200k_base"][i] == pytest.approx(o200k(SAMPLES[code]) / o200k(SAMPLES["en"]))
    rows = {r.language: r for r in samples_tax(tax_tokenizers())}
    best = next(iter(mean_tax((rows[c] for c in chosen), tax_tokenizers())))
    assert any(m.value.startswith(f"**{cheapest.format(best)}") for m in at.markdown)


def test_the_users_languages_are_counted_on_every_tokenizer_and_priced_per_vendor(small_tokenizer):
    at = open_page("en")
    text = SAMPLES["hi"] + "\n\n" + SAMPLES["hi"]
    at.text_area(key="s_estimate_text").set_value(text).run()
    assert not at.exception, at.exception
    assert at.multiselect(key="lang_tax_languages").value == ["hi"]  # the language detected in the text
    table = next(df.value for df in at.dataframe if "small-bpe (× English)" in df.value.columns)
    row = table.iloc[0]
    assert row["Tokens (small-bpe)"] == f"{small_count(text):,}"
    tax = Decimal(small_count(SAMPLES["hi"])) / Decimal(small_count(SAMPLES["en"]))
    assert row["small-bpe (× English)"] == f"{tax:.2f}×"
    # small-chat ($1 per 1M input tokens) is the cheapest model counted on small-bpe: 1,000
    # requests of the text, no answer.
    assert row["Cost on small-chat (small-bpe)"] == format_money(small_count(text) * 1000 * Decimal(1) / 10**6)


HOSTILE = "Hi <script>alert('x')</script> & 價格 👩‍👩‍👧 <|endoftext|>"


@pytest.mark.parametrize("language, label", [("en", "Tokenizers to show"), ("zh", "要显示的分词器")])
def test_the_token_view_shows_another_exact_tokenizer_escaped(small_tokenizer, language, label):
    at = open_page(language)
    picker = at.multiselect(key="lang_view_tokenizers")
    assert picker.label == label and NAME in picker.options
    assert "small-recon" not in picker.options  # a reconstruction is not shown as the vendor's tokens
    picker.set_value(["o200k_base", NAME])
    at.text_area(key="lang_view_text_zh-Hans").set_value(HOSTILE)
    at.toggle(key="s_lang_view_ids").set_value(True).run()
    assert not at.exception, at.exception
    bodies = [h.value for h in at.html if h.value.startswith("<div style='white-space")]  # the token views
    assert len(bodies) == 2
    mine = bodies[1]
    assert "<script" not in mine and mine.count("&lt;") == HOSTILE.count("<")
    from tests.small_tokenizer import small_encoding

    ids = small_encoding().encode_ordinary(HOSTILE)
    assert [int(i) for i in __import__("re").findall(r"<sub[^>]*>(\d+)</sub>", mine)] == ids
    assert at.subheader[-1].value == NAME
