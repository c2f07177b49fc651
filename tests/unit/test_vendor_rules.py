"""Vendors' rules as data, read by the one cost engine from the app's assumptions, each worked by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from pydantic import ValidationError

from pricing import Assumptions, PricingError, Workload, estimate, load_catalog
from pricing.rules import Usage, in_words, usage_cost
from tokenizers.registry import KNOWN_ENCODINGS

CATALOG = load_catalog()

DAY = dt.date(2026, 12, 7)
MILLION = D(1_000_000)


def one(model: str, tokens: int, **settings):
    """``tokens`` input tokens in one document, the same count on every tokenizer (the rules are
    tested here, not the counts), no output."""
    (row,) = estimate(Workload({name: tokens for name in KNOWN_ENCODINGS}), [model], CATALOG,
                      Assumptions(as_of=settings.pop("as_of", DAY), **settings))
    return row


def test_anthropic_cache_writes_and_reads_map_onto_the_shares_and_the_lifetime():
    # Opus 4.5: input $5, 5-minute writes $6.25, 1-hour writes $10, reads $0.50 per 1M.
    row = one("claude-opus-4-5-20251101", 1_000_000, cached_share=D("0.5"), cache_write_share=D("0.2"))
    assert row.total_cost == D("0.3") * 5 + D("0.5") * D("0.5") + D("0.2") * D("6.25") == D("3")
    row = one("claude-opus-4-5-20251101", 1_000_000, cached_share=D("0.5"), cache_write_share=D("0.2"),
              cache_lifetime="1h")
    assert row.total_cost == D("0.3") * 5 + D("0.5") * D("0.5") + D("0.2") * 10
    assert [in_words(r) for r in row.rules] == [
        "cache reads (hits) at $0.5/1M", "cache writes at $6.25/1M (5-minute lifetime) or $10/1M (1-hour lifetime)"]
    assert [in_words(r, "zh") for r in row.rules][0] == "缓存读取（命中）按每百万 token $0.5 计价"


def test_a_vendor_without_a_write_price_bills_cache_writes_as_input():
    # gpt-4o-mini: input $0.15, cached $0.075: OpenAI caches on its own, writes cost input.
    row = one("gpt-4o-mini", 1_000_000, cache_write_share=D("0.5"))
    assert row.total_cost == D("0.15")
    assert in_words(row.rules[0]) == "cache writes cost no more than input (the vendor caches on its own)"


def test_gemini_context_cache_adds_storage_per_hour_for_the_hours_assumed():
    # gemini-2.5-pro: cached $0.125 per 1M, storage $4.50 per 1M tokens per hour (unverified figure).
    # One request of 100,000 tokens, half cached, kept 3 hours: 50,000 x 4.5 / 1M x 3 = 0.675 of storage.
    # Priced on 2026-11-30: Google retired gemini-2.5-pro on 2026-12-01.
    row = one("gemini-2.5-pro", 100_000, cached_share=D("0.5"), cache_hours=D(3), as_of=dt.date(2026, 11, 30))
    assert row.input_cost == (50_000 * D("1.25") + 50_000 * D("0.125")) / MILLION + D("0.675")
    assert "kept 3 h (an assumption)" in in_words(row.rules[-1])


def test_gemini_over_200k_is_priced_per_request_on_the_whole_request():
    row = one("gemini-3-pro-preview", 250_000)
    assert row.total_cost == 250_000 * D(4) / MILLION  # $2 doubled: the whole prompt, not only what is past 200K
    assert row.long_context_requests == 1
    assert one("gemini-3-pro-preview", 200_000).total_cost == 200_000 * D(2) / MILLION


def test_gemini_flex_is_half_price():
    assert one("gemini-3-pro-preview", 100_000, tier="flex").total_cost == 100_000 * D(1) / MILLION
    with pytest.raises(PricingError, match="gemini-2.5-pro has no Flex processing price"):
        one("gemini-2.5-pro", 10, tier="flex", as_of=dt.date(2026, 11, 30))


def test_xai_long_context_starts_when_the_prompt_reaches_the_threshold():
    assert one("grok-4.7", 200_000).total_cost == 200_000 * D(4) / MILLION
    assert one("grok-4.7", 199_999).total_cost == 199_999 * D(2) / MILLION


def test_deepseek_off_peak_share_blends_the_window_rates_while_the_window_existed():
    # deepseek-reasoner: cache miss $0.55, off-peak (UTC 16:30-00:30) $0.135 until 2025-09-05.
    row = one("deepseek-reasoner", 1_000_000, off_peak_share=D("0.25"), as_of=dt.date(2025, 8, 1))
    assert row.total_cost == D("0.75") * D("0.55") + D("0.25") * D("0.135")
    assert in_words(row.rules[-1]) == "25% of the traffic in the off-peak window 16:30-00:30 UTC, at its rates (an assumption)"


def test_regional_uplift_is_off_by_default_and_multiplies_when_asked():
    assert one("grok-4.7", 100_000).total_cost == D("0.2")
    assert one("grok-4.7", 100_000, regional=True).total_cost == D("0.22")
    assert one("gpt-4o-mini", 1_000_000, regional=True).total_cost == D("0.15")  # no uplift in its data


def test_shares_that_add_up_to_more_than_the_input_are_refused():
    with pytest.raises(PricingError, match="the cache-write share must be between 0 and 1 minus the cached share"):
        Assumptions(cached_share=D("0.8"), cache_write_share=D("0.3"))


def test_a_vendor_tokenizer_is_priced_on_its_own_count_and_grok_on_an_estimate_from_o200k_base():
    row = one("llama-3.3-70b-versatile", 1_000, as_of=dt.date(2026, 8, 15))  # Groq shut it down on 2026-08-16
    assert (row.notes, row.price.counted_with, row.price.count_method) == ((), "llama3", "exact")
    grok = one("grok-4.7", 1_000)
    assert grok.price.count_method == "estimate"
    assert grok.notes[-1] == f"grok is not counted offline yet: {grok.price.snapshot}'s tokens estimated with o200k_base"


def test_usage_cost_prices_each_kind_of_token_once():
    period = CATALOG.price("claude-haiku-4-5-20251001", DAY).period  # $1, 5m $1.25, 1h $2, read $0.10, out $5
    cost = usage_cost("claude-haiku-4-5-20251001", period, Usage(100, 200, 300, 400, 500))
    assert cost.total_cost == (100 * D(1) + 200 * D("0.1") + 300 * D("1.25") + 400 * D(2) + 500 * D(5)) / MILLION


def test_editing_a_period_on_the_prices_page_keeps_its_vendor_rules():
    from pricing.overrides import edited_entry

    entry = CATALOG.models["claude-opus-4-6"]
    last = entry.prices[-1]
    rows = [{"effective_from": p.effective_from, "effective_to": p.effective_to, "input_per_mtok": p.input_per_mtok,
             "cached_input_per_mtok": p.cached_input_per_mtok, "output_per_mtok": D(20), "evidence": "unverified",
             "source": "our contract", "note": "negotiated"} for p in entry.prices]
    edited = edited_entry(entry, rows).prices[-1]
    assert edited.output_per_mtok == D(20)
    assert (edited.cache_write_5m_per_mtok, edited.cache_write_1h_per_mtok, edited.regional_uplift) == (
        last.cache_write_5m_per_mtok, last.cache_write_1h_per_mtok, last.regional_uplift) == (D("6.25"), D(10),
                                                                                              last.regional_uplift)
    assert edited.regional_uplift is not None and edited_entry(entry, rows).prices[0].long_context is not None


def test_gemini_flex_exists_only_from_the_day_it_landed():
    with pytest.raises(PricingError, match="Flex processing began on 2026-04-01"):
        one("gemini-3-pro-preview", 10, tier="flex", as_of=dt.date(2026, 3, 31))
    assert one("gemini-3-pro-preview", 100_000, tier="flex", as_of=dt.date(2026, 4, 1)).total_cost == D("0.1")


def test_the_rules_in_words_name_the_tier_as_the_vendor_does():
    """OpenAI's Priority is "Fast" for the GPT-6 family (gpt-6-sol: $4 / $20 per 1M, 2x its $2 / $10);
    gpt-5.4 keeps the name Priority. The same name heads the selector: ``vendor_tier_names``."""
    from pricing.vendors import vendor_rules, vendor_tier_names

    catalog, day = load_catalog(), dt.date(2026, 12, 7)
    rules = {rule.words(): rule.models for rule in vendor_rules(catalog, "openai", day)}
    assert "gpt-6-sol" in rules["Fast processing: input $4/1M, output $20/1M"]
    zh = {rule.words("zh") for rule in vendor_rules(catalog, "openai", day) if "gpt-6-sol" in rule.models}
    assert "Fast 处理：输入每百万 token $4，输出 $20" in zh
    assert any(words.startswith("Priority processing: ") and "gpt-5.4" in models for words, models in rules.items())
    assert vendor_tier_names(catalog, ["gpt-5.4", "gpt-6-sol", "gpt-6-luna", "no-such-model"], "priority", day) == ["Fast"]
    assert vendor_tier_names(catalog, ["gpt-5.4", "gpt-6-sol"], "flex", day) == []


def test_a_tier_offered_but_unpriced_is_said_and_cannot_also_be_priced():
    from pricing.schema import ModelEntry
    from pricing.vendors import vendor_rules

    catalog, day = load_catalog(), dt.date(2026, 12, 7)
    (unpriced,) = [r for r in vendor_rules(catalog, "google", day) if r.rule.code == "rule_tier_unpriced"]
    assert unpriced.words().startswith("Priority processing is offered but not priced here")
    assert {"gemini-2.5-flash-lite", "gemini-3.5-flash"} <= set(unpriced.models)  # gemini-2.5-pro: retired
    entry = catalog.models["gpt-5.4"].model_dump()
    with pytest.raises(ValidationError, match="unpriced_tiers names a tier a price period prices: priority"):
        ModelEntry.model_validate({**entry, "unpriced_tiers": ["priority"]})
