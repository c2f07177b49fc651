"""Every vendor on every surface: the sidebar's picker grouped by vendor with the cheapest of each
vendor for the input, the rules that priced each row in words (English and Chinese), the Prices
page's vendor filter with each vendor's rules, and links that carry the vendors and the rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pricing import Assumptions, Workload, load_catalog
from pricing.today import current_models
from pricing.vendors import cheapest_per_vendor
from tokenizers import get_encoding
from ui.formatting import escape_markdown

CATALOG = load_catalog()
TEXT = "The invoice is late again; please send it today."
DAY = "2026-12-07"


def _models_box(at):
    return next(w for w in at.multiselect if w.key == "s_models")


def test_picker_groups_models_by_vendor_openai_first(open_app):
    at = open_app({"date": DAY})
    options = _models_box(at).options
    assert options[0].startswith("gpt") or options[0].startswith("o")  # OpenAI's ids, unprefixed, first
    claude = [o for o in options if "claude-opus-4-5-20251101" in o]
    assert claude == ["Anthropic · claude-opus-4-5-20251101"]
    bedrock = options.index("Amazon Bedrock · meta.llama3-3-70b-instruct-v1:0")
    served = options.index("Groq · meta-llama/llama-4-maverick-17b-128e-instruct")
    assert bedrock < served  # hosts grouped, by id: bedrock before groq
    # Groq's current models side by side; its Llama 3.x models (shut down on 2026-08-16) come after
    # every model still served, with the other vendors' shut-down ones.
    assert options[served:served + 2] == [
        "Groq · meta-llama/llama-4-maverick-17b-128e-instruct", "Groq · meta-llama/llama-4-scout-17b-16e-instruct"]
    retired = [options.index("Groq · llama-3.1-8b-instant"), options.index("Groq · llama-3.3-70b-versatile")]
    assert retired == [retired[0], retired[0] + 1] and retired[0] > served + 1
    assert "Groq · " not in " ".join(options[served + 2:retired[0]])


def test_cheapest_of_each_vendor_is_picked_for_the_input(open_app):
    at = open_app({"date": DAY})
    at.text_area(key="s_estimate_text").set_value(TEXT).run()
    at.button(key="estimate_cheapest_each_vendor").click().run()
    assert not at.exception, at.exception
    chosen = _models_box(at).value
    tokens = len(get_encoding("o200k_base").encode_ordinary(TEXT))
    assumptions = Assumptions(output_tokens_per_request=500, requests=1000, traffic=True, as_of=dt.date(2026, 12, 7))
    expected = list(cheapest_per_vendor(CATALOG, Workload({"o200k_base": tokens, "cl100k_base": tokens}),
                                        assumptions).values())
    assert chosen == expected
    assert len({CATALOG.host_of(m) for m in chosen}) == len(chosen) >= 8
    assert set(chosen) <= set(current_models(CATALOG, dt.date(2026, 12, 7), vendor=None))


def test_rules_that_priced_each_row_are_said_in_words_in_both_languages(open_app):
    for lang, words in (("en", "claude-opus-4-5-20251101 priced by: cache reads (hits) at $0.5/1M; cache writes at "
                               "$6.25/1M (5-minute lifetime) or $10/1M (1-hour lifetime)"),
                        ("zh", "claude-opus-4-5-20251101 的计价规则：缓存读取（命中）按每百万 token $0.5 计价")):
        at = open_app({"date": DAY, "lang": lang, "models": "claude-opus-4-5-20251101,gpt-4o", "cached": "0.5",
                       "cwrite": "0.2", "ttl": "1h"})
        at.text_area(key="s_estimate_text").set_value(TEXT).run()
        captions = [c.value for c in at.caption]
        assert any(escape_markdown(words) in c for c in captions), captions


def test_rule_settings_round_trip_through_the_link(open_app):
    query = {"cwrite": "0.25", "ttl": "1h", "chours": "3", "offpeak": "0.5", "region": "1"}
    at = open_app(query)
    assert at.slider(key="s_cache_write_share").value == 0.25
    assert at.radio(key="s_cache_lifetime").value == "1h"
    assert at.number_input(key="s_cache_hours").value == 3.0
    assert at.checkbox(key="s_regional").value is True
    assert {k: at.query_params[k][0] if isinstance(at.query_params[k], list) else at.query_params[k]
            for k in query} == query


def test_prices_page_filters_by_vendor_and_shows_its_rules(open_app):
    at = open_app({"date": DAY, "vendors": "xai"}, page="prices")
    box = next(w for w in at.multiselect if w.key == "s_prices_vendors")
    assert box.value == ["xai"]
    table = at.dataframe[0].value  # today's prices, the page's first table
    assert set(table["Vendor"]) == {"xAI"}
    assert "grok-4.7" in set(table["Model"])
    rules = [m.value for m in at.markdown]
    assert any("once a prompt reaches 200,000 tokens, every token of that request at 2x input, 2x output" in r
               for r in rules), rules


def test_an_unknown_vendor_in_a_link_falls_back_with_a_notice(open_app):
    at = open_app({"vendors": "acme,xai"}, page="prices")
    box = next(w for w in at.multiselect if w.key == "s_prices_vendors")
    assert box.value == ["xai"]  # the known vendor kept, the unknown one dropped and said
    assert any("acme" in w.value for w in at.warning), [w.value for w in at.warning]


def test_a_vendor_count_is_said_to_be_an_estimate_and_with_what(open_app):
    at = open_app({"date": DAY, "models": "gemini-3.5-flash,gpt-4o"})
    at.text_area(key="s_estimate_text").set_value(TEXT).run()
    captions = [c.value for c in at.caption]
    assert ("gemini-3.5-flash: its tokenizer (gemma4) is not counted offline yet; its tokens are estimated with "
            "o200k_base, so its count may differ.") in captions


@pytest.mark.parametrize("lang, said", [
    ("en", "Priority processing is offered but not priced here: no source read states its rate for these models "
           "exactly (see each model's notes)"),
    ("zh", "提供 Priority 处理，但此处未定价：所读来源均未确切给出这些模型的费率（见各模型说明）"),
])
def test_prices_page_says_gemini_priority_is_offered_but_not_priced(open_app, lang, said):
    """Google's Priority tier is reported as "75% to 100% higher" than Standard (a range, no per-model rate):
    the catalog leaves it unpriced and the Google rules say so."""
    at = open_app({"lang": lang, "date": DAY, "vendors": "google"}, page="prices")
    rules = [m.value for m in at.markdown]
    assert any(escape_markdown(said) in r and "gemini-3.5-flash" in r for r in rules), rules
