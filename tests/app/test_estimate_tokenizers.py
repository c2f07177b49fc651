"""The Estimate page counts what the chosen models need: a model on the test tokenizer
"small-bpe" (tests/small_tokenizer.py) gets its own count card and its own count in the cost
table, with its tokenizer and "exact" beside it; a model whose tokenizer is not counted offline
says "estimate (counted with o200k_base)". In English and in Chinese."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from pricing.catalog import load_catalog_file
from tests.small_tokenizer import NAME, small_count
from tokenizers import get_encoding
from ui.catalog import CATALOG_OVERRIDE_KEY
from ui.formatting import format_money, format_tokens

MODELS_FILE = Path(__file__).resolve().parents[1] / "fixtures" / "catalogs" / "small_bpe_models.json"
TEXT = "价格是多少？ The quick brown fox, हिन्दी 👩‍👩‍👧"
QUERY = {"date": "2026-11-01", "req": "1000", "task": "custom", "out_tokens": "0",
         "models": "small-chat,uncounted-chat,gpt-4o"}
M = Decimal(1_000_000)


@pytest.fixture
def open_with_models(open_app, small_tokenizer, monkeypatch):
    """The app with the test models priced (a session override, as the Prices page makes one)."""
    from tests.app.conftest import open_estimate_with_catalog

    def run(language: str):
        return open_estimate_with_catalog(MODELS_FILE, {**QUERY, "lang": language}, TEXT)

    return run


@pytest.mark.parametrize("language, tokens, method, exact, estimate", [
    ("en", "Tokens ({}, exact)", "Count", "exact", "estimate (counted with o200k_base)"),
    ("zh", "Token 数（{}，精确）", "计数方式", "精确", "估算（按 o200k_base 计数）"),
])
def test_each_model_is_counted_on_its_tokenizer_and_says_how(open_with_models, language, tokens, method, exact,
                                                              estimate):
    at = open_with_models(language)
    o200k = len(get_encoding("o200k_base").encode_ordinary(TEXT))
    shown = {m.label: m.value for m in at.metric}
    assert shown[tokens.format(NAME)] == format_tokens(small_count(TEXT))
    assert shown[tokens.format("o200k_base")] == format_tokens(o200k)
    table = next(t.value for t in at.table if t.value.columns[1] in ("Total cost", "总费用"))
    rows = table.set_index(table.columns[0])
    assert rows.loc["small-chat", method] == exact and rows.loc["gpt-4o", method] == exact
    assert rows.loc["uncounted-chat", method] == estimate
    # 1,000 requests of the text: small-chat at $1 per 1M input tokens on its own count,
    # uncounted-chat at $3 on o200k_base's.
    assert rows.loc["small-chat", table.columns[1]] == format_money(small_count(TEXT) * 1000 * Decimal(1) / M)
    assert rows.loc["uncounted-chat", table.columns[1]] == format_money(o200k * 1000 * Decimal(3) / M)


def test_adding_a_model_on_another_tokenizer_counts_that_tokenizer_alone(open_with_models, monkeypatch):
    import tokenizers.streaming as streaming
    import ui.counts

    ui.counts.COUNTS.clear()
    at = open_with_models("en")
    at.multiselect(key="s_models").set_value(["gpt-4o"]).run()
    text = TEXT + " (a text not counted yet)"
    at.text_area(key="s_estimate_text").set_value(text).run()
    shown = {m.label for m in at.metric}
    assert f"Tokens ({NAME}, exact)" not in shown and "Tokens (o200k_base, exact)" in shown
    asked: list[str] = []
    real = streaming.count_many
    monkeypatch.setattr(streaming, "count_many", lambda t, e, *a: asked.append(e) or real(t, e, *a))
    at.multiselect(key="s_models").set_value(["gpt-4o", "small-chat"]).run()
    assert not at.exception, at.exception
    assert set(asked) == {NAME}  # the text's o200k_base and cl100k_base counts came from the cache
    shown = {m.label: m.value for m in at.metric}
    assert shown[f"Tokens ({NAME}, exact)"] == format_tokens(small_count(text))
    # Back to one model: the counts on fewer tokenizers come from the same cached source.
    asked.clear()
    at.multiselect(key="s_models").set_value(["gpt-4o"]).run()
    assert asked == [] and f"Tokens ({NAME}, exact)" not in {m.label for m in at.metric}


@pytest.mark.parametrize("language, card, method, word", [
    ("en", "Tokens (small-recon, reconstructed)", "Count", "reconstructed"),
    ("zh", "Token 数（small-recon，重建）", "计数方式", "重建"),
])
def test_a_reconstruction_is_never_called_exact_on_the_page(open_app, small_tokenizer, language, card, method, word):
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import APP
    from tests.small_tokenizer import RECONSTRUCTED_NAME

    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state[CATALOG_OVERRIDE_KEY] = load_catalog_file(MODELS_FILE)
    at.query_params.update({**QUERY, "models": "recon-chat", "lang": language})
    at.run()
    at.text_area(key="s_estimate_text").set_value(TEXT).run()
    assert not at.exception, at.exception
    shown = {m.label: m.value for m in at.metric}
    assert shown[card] == format_tokens(small_count(TEXT))
    assert not any(RECONSTRUCTED_NAME in label and ("exact" in label or "精确" in label) for label in shown)
    table = next(t.value for t in at.table if t.value.columns[1] in ("Total cost", "总费用"))
    assert table.set_index(table.columns[0]).loc["recon-chat", method] == word


@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_result_cards_come_at_most_four_a_row(open_with_models, language):
    # Seven tokenizers' cards in one row were cut ("Tokens (o2…", "Requests priced 250,…") at 1400 px.
    from app_pages.estimate import CARDS_PER_ROW

    at = open_with_models(language)

    def rows_of_columns(node):
        children = list(getattr(node, "children", {}).values())
        if children and all(child.type == "column" for child in children):
            yield children
        for child in children:
            yield from rows_of_columns(child)

    rows = list(rows_of_columns(at.main))
    assert CARDS_PER_ROW == 4 and rows and all(len(row) <= CARDS_PER_ROW for row in rows)
    # Documents, the three tokenizers' tokens, then requests priced: four and one, in reading order.
    card_rows = [[m.label for column in row for m in column.get("metric")] for row in rows][1:3]
    expected = [m.label for m in at.metric][:5]
    assert card_rows[0] + card_rows[1][:1] == expected and len(card_rows[0]) == CARDS_PER_ROW
    assert expected[0] == at.metric[0].label and expected[4] in ("Requests priced", "计价请求数")


@pytest.mark.parametrize("language, method, said", [
    ("en", "Count", "estimate (counted with claude-4.7)"),
    ("zh", "计数方式", "估算（按 claude-4.7 计数）"),
])
def test_a_model_on_an_unconfirmed_tokenizer_names_the_count_it_is_priced_on(open_app, language, method, said):
    # claude-opus-5's tokenizer is assumed (claude-4.7, evidence "secondary"): its row said a bare
    # "estimate" under a card "Tokens (claude-4.7, reconstructed)", two labels for one number.
    at = open_app({"lang": language, "models": "claude-opus-5,gpt-4o", "date": "2026-12-07"})
    at.text_area[0].input("How much will this cost on Claude?").run()
    table = next(t.value for t in at.table if t.value.columns[1] in ("Total cost", "总费用"))
    rows = table.set_index(table.columns[0])
    assert rows.loc["claude-opus-5", method] == said
    assert rows.loc["gpt-4o", method] == ("exact" if language == "en" else "精确")
