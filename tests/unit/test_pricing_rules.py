"""Pricing rules as data: the >272K long-context surcharge priced per request, and the
processing tiers (Standard, Batch, Flex, Priority), each cost worked out by hand."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from decimal import Decimal as D

import pytest

import cli
from corpus.summary import long_requests_of
from pricing import Assumptions, PricingError, Workload, cost_for, estimate, load_catalog
from pricing.cost import long_request
from pricing.estimates import long_context_thresholds

DAY = dt.date(2026, 11, 1)
M = D(1_000_000)
CATALOG = load_catalog()
NOTE = "1 request over 272,000 input tokens priced at 2x input, 1.5x output"


def one(workload: Workload, model: str = "gpt-5.4", **kw):
    return estimate(workload, [model], CATALOG, Assumptions(as_of=DAY, **kw))[0]


def test_a_300001_token_request_on_gpt_5_4_pays_the_long_context_rates():
    # Issue 9: $5/M input and $22.50/M output (2x $2.50, 1.5x $15) on the whole request.
    row = one(Workload({"o200k_base": 300_001}), output_tokens_per_request=1_000)
    assert row.input_cost == D("1.500005")  # 300,001 x $5 / 1M
    assert row.output_cost == D("0.0225")  # 1,000 x $22.50 / 1M
    assert row.total_cost == D("1.522505")
    assert row.notes == (NOTE,) and row.long_context_requests == 1


def test_a_request_at_the_threshold_is_not_long():
    row = one(Workload({"o200k_base": 272_000}), output_tokens_per_request=1_000)
    assert row.total_cost == D(272_000) * D("2.5") / M + D(1_000) * 15 / M  # 0.68 + 0.015
    assert row.notes == () and row.long_context_requests == 0


def test_a_corpus_prices_its_long_document_long_and_its_short_one_short():
    long_requests = long_requests_of({"o200k_base": [300_001, 1_000]}, [272_000])
    assert long_requests == {272_000: {"o200k_base": (1, 300_001)}}
    work = Workload({"o200k_base": 301_001}, documents=2, long_requests=long_requests)
    row = one(work, output_tokens_per_request=100, requests=3)
    # Short: 1,000 in at $2.50, 100 out at $15; long: 300,001 in at $5, 100 out at $22.50; three passes.
    assert row.input_cost == 3 * (D("0.0025") + D("1.500005"))
    assert row.output_cost == 3 * (D("0.0015") + D("0.00225"))
    assert row.notes == ("3 requests over 272,000 input tokens priced at 2x input, 1.5x output",)


def test_a_corpus_without_per_document_counts_says_the_surcharge_was_not_checked():
    row = one(Workload({"o200k_base": 301_001}, documents=2))
    assert row.input_cost == D(301_001) * D("2.5") / M
    assert row.notes == ("documents over 272,000 input tokens not known: priced without the long-context surcharge",)


def test_traffic_prices_every_request_long_when_the_average_request_is():
    over = one(Workload({"o200k_base": 600_002}, documents=2), traffic=True, requests=10,
               output_tokens_per_request=1_000)
    assert over.input_cost == D("15.00005")  # 10 x 300,001 x $5 / 1M
    assert over.output_cost == D("0.225")  # 10 x 1,000 x $22.50 / 1M
    assert over.long_context_requests == 10
    under = one(Workload({"o200k_base": 544_000}, documents=2), traffic=True, requests=10,
                output_tokens_per_request=1_000)
    assert under.input_cost == D("6.8")  # 10 x 272,000 x $2.50 / 1M
    assert under.output_cost == D("0.15") and under.long_context_requests == 0


def test_cached_input_of_a_long_request_pays_twice_the_cached_rate():
    row = one(Workload({"o200k_base": 400_000}), cached_share=D("0.5"))
    # 200,000 at $5 + 200,000 at $0.50 (2 x $0.25).
    assert row.input_cost == D("1.0") + D("0.1")


def test_a_request_file_line_is_priced_by_its_own_length():
    price = CATALOG.price("gpt-5.4", DAY)
    a = Assumptions(as_of=DAY)
    assert long_request(price, 272_000, 10) is None
    row = cost_for(price, 300_001 * 2, 1_000 * 2, a, long_request(price, 300_001, 1_000, times=2))
    assert row.total_cost == 2 * D("1.522505")
    assert row.notes == ("2 requests over 272,000 input tokens priced at 2x input, 1.5x output",)


def test_models_with_the_long_context_rule_are_the_1_05m_context_ones():
    ruled = sorted(m for m in CATALOG.ids("openai") if m in CATALOG.models
                   and CATALOG.models[m].prices[-1].long_context is not None)
    assert ruled == ["gpt-5.4", "gpt-5.4-pro", "gpt-5.5", "gpt-5.5-pro", "gpt-5.6-luna", "gpt-5.6-sol",
                     "gpt-5.6-terra", "gpt-6-astra", "gpt-6-luna", "gpt-6-sol", "gpt-6.1-sol", "gpt-6.1-terra",
                     "gpt-6.2-astra", "gpt-6.2-sol"]
    # claude-haiku-5-5: over 100K; xAI's "reaches 200K" is over 199,999
    assert long_context_thresholds(CATALOG) == [100_000, 199_999, 200_000, 272_000]
    assert one(Workload({"o200k_base": 300_001}), model="gpt-5.4-mini").notes == ()  # 400K context: no rule


MILLION_EACH = Workload({"o200k_base": 1_000_000})


@pytest.mark.parametrize("tier, total", [
    ("standard", D("2.5") + D(15)),
    ("batch", D("1.25") + D("7.5")),
    ("flex", D("1.25") + D("7.5")),
    ("priority", D(5) + D(30)),
])
def test_each_tier_of_gpt_5_4(tier, total):
    row = one(MILLION_EACH, model="gpt-5.4", tier=tier, output_tokens_per_request=1_000_000 - 272_001)
    # Over the threshold: standard, batch and flex pay the surcharge; priority excludes long context.
    out = D(1_000_000 - 272_001)
    if tier == "priority":
        assert row.total_cost == D(5) + out * 30 / M
        assert "Priority prices exclude long context" in row.notes[0]
    else:
        rate_in, rate_out = {"standard": (D("2.5"), D(15)), "batch": (D("1.25"), D("7.5")),
                             "flex": (D("1.25"), D("7.5"))}[tier]
        assert row.total_cost == 2 * rate_in + out * rate_out * D("1.5") / M
    short = one(Workload({"o200k_base": 200_000}), model="gpt-5.4", tier=tier, output_tokens_per_request=200_000)
    assert short.total_cost == total / 5  # 200,000 in and out at the tier's rates


def test_flex_cached_input_uses_the_flex_cached_rate():
    row = one(Workload({"o200k_base": 200_000}), model="gpt-5.4", tier="flex", cached_share=D("0.5"))
    assert row.input_cost == D(100_000) * D("1.25") / M + D(100_000) * D("0.13") / M


def test_priority_on_gpt_4o_mini_and_flex_on_o4_mini():
    assert one(MILLION_EACH, model="gpt-4o-mini", tier="priority").input_cost == D("0.25")
    # o4-mini was shut down on 2026-10-23: asked on a day it was still offered.
    flex = estimate(MILLION_EACH, ["o4-mini"], CATALOG, Assumptions(as_of=dt.date(2026, 10, 1), tier="flex"))[0]
    assert flex.input_cost == D("0.55")


@pytest.mark.parametrize("model, tier, message", [
    ("gpt-5-nano", "priority", "gpt-5-nano has no Priority processing price"),
    ("gpt-4o-mini", "flex", "gpt-4o-mini has no Flex processing price"),
    ("o1-preview", "batch", "o1-preview has no Batch API price"),
])
def test_a_model_without_the_tier_is_refused_plainly(model, tier, message):
    # o1-preview was shut down on 2025-07-28: asked on a day it was still offered.
    day = dt.date(2024, 10, 15) if model == "o1-preview" else DAY
    with pytest.raises(PricingError, match=message):
        estimate(MILLION_EACH, [model], CATALOG, Assumptions(as_of=day, tier=tier))


def test_flex_is_refused_before_it_began():
    with pytest.raises(PricingError, match="Flex processing began on 2025-04-17"):
        estimate(MILLION_EACH, ["o4-mini"], CATALOG, Assumptions(as_of=dt.date(2025, 4, 16), tier="flex"))


def test_batch_stays_the_short_form_of_the_batch_tier():
    assert Assumptions(batch=True).tier == "batch"
    assert Assumptions(tier="batch").batch is True
    assert Assumptions().batch is False and Assumptions().tier == "standard"
    off = replace(Assumptions(batch=True), batch=False)
    assert (off.tier, off.batch) == ("standard", False)
    assert one(MILLION_EACH, model="gpt-4o", batch=True) == one(MILLION_EACH, model="gpt-4o", tier="batch")
    with pytest.raises(PricingError, match="cannot be combined"):
        Assumptions(batch=True, tier="flex")
    with pytest.raises(PricingError, match="unknown processing tier"):
        Assumptions(tier="fast")


def run_json(*args):
    import io
    out = io.StringIO()
    assert cli.main([*args, "--format", "json"], out=out) == 0
    return json.loads(out.getvalue(), parse_float=D)


def test_cli_tier_flex_and_batch_as_tier_batch():
    args = ("estimate", "--text", "hello world", "--as-of", DAY.isoformat(), "--models", "gpt-5.4",
            "--output-tokens", "40", "--requests", "1000")
    tokens = 2  # "hello world" on o200k_base
    (flex,) = run_json(*args, "--tier", "flex")["models"]
    assert D(flex["total_cost_usd"]) == (1000 * tokens * D("1.25") + 40_000 * D("7.5")) / M
    assert run_json(*args, "--batch") == run_json(*args, "--tier", "batch")


def test_cli_tier_a_model_lacks_is_an_error(capsys):
    import io
    code = cli.main(["estimate", "--text", "hi", "--as-of", DAY.isoformat(), "--models", "gpt-5-nano",
                     "--tier", "priority"], out=io.StringIO())
    assert code != 0
    assert "no Priority processing price" in capsys.readouterr().err
    code = cli.main(["estimate", "--text", "hi", "--batch", "--tier", "flex"], out=io.StringIO())
    assert code != 0 and "--batch means --tier batch" in capsys.readouterr().err
