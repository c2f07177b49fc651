"""A request file counts and prices on every model the app can count, not only OpenAI's: Claude
on its reconstructed tokenizer plus the chat frame the registry states, Gemini 3.5 on its
labelled estimate with no chat overhead (none is stated), costs worked out by hand in Decimal."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.requests import read_requests
from pricing import Assumptions, load_catalog
from pricing.estimates import priceable
from pricing.requests import price_request_file
from tokenizers.chat import ESTIMATE_CHAT_FRAME, ESTIMATE_NO_CHAT_OVERHEAD
from tokenizers.registry import tokenizer

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "chat_requests.jsonl"
AS_OF = dt.date(2026, 10, 1)  # Claude Haiku 4.5: $1 input, $5 output per million tokens from 2026-07-29
M = Decimal(1_000_000)
REPLY = 100


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def priced(catalog, models):
    assumptions = Assumptions(as_of=AS_OF, output_tokens_per_request=REPLY)
    return price_request_file(read_requests(EXAMPLE.name, EXAMPLE.read_bytes()), catalog, models, assumptions)


def lines():
    return [json.loads(line) for line in EXAMPLE.read_text(encoding="utf-8").splitlines()]


def test_the_registry_states_claude_s_frame_as_a_number():
    assert "7 tokens for one user message" in tokenizer("claude-3").chat_overhead
    assert tokenizer("claude-3").frame_tokens("claude-4.5") == 7
    assert tokenizer("claude-4.7").frame_tokens("claude-4.7") == 11
    assert tokenizer("claude-4.7").frame_tokens("claude-4.8") == 6  # "6 from Opus 4.8 on"
    assert tokenizer("gemma4").frame_tokens("gemini-3.5") is None  # none stated


def test_claude_haiku_prices_the_example_file_on_ctok_plus_the_stated_frame(catalog):
    report = priced(catalog, ["claude-haiku-4-5-20251001"])
    count = tokenizer("claude-3").counter()
    frame = tokenizer("claude-3").frame_tokens("claude-4.5")
    prompts = [sum(count([m["content"] for m in r["messages"]])) + frame for r in lines()]
    outs = [min(REPLY, r["max_tokens"]) for r in lines()]
    assert [row.prompt.total for row in report.rows] == prompts
    (total,) = report.totals
    assert total.prompt_tokens == sum(prompts)
    assert total.output_tokens == sum(outs)
    # claude-haiku-4-5-20251001 on 2026-10-01: input $1, output $5 per million tokens
    assert total.total_cost == (sum(prompts) * Decimal(1) + sum(outs) * Decimal(5)) / M
    assert total.price.count_method == "estimate"  # catalog: tokenizer evidence "secondary"
    assert report.as_dict()["models"][0]["count_method"] == "estimate"
    # One request of one user message is framed as stated; the others have more messages.
    assert [row.prompt.exact for row in report.rows] == [len(r["messages"]) == 1 for r in lines()]
    assert ESTIMATE_CHAT_FRAME in total.estimates


def test_gemini_3_5_counts_message_text_only_and_says_no_overhead_is_stated(catalog):
    report = priced(catalog, ["gemini-3.5-flash"])
    count = tokenizer("gemma4").counter()
    prompts = [sum(count([m["content"] for m in r["messages"]])) for r in lines()]
    assert [row.prompt.total for row in report.rows] == prompts
    (total,) = report.totals
    assert total.estimates == [ESTIMATE_NO_CHAT_OVERHEAD]
    assert report.as_dict()["models"][0]["count_method"] == "estimate"


def test_every_countable_sidebar_model_is_priceable(catalog):
    models = ["gpt-4o-mini", "claude-haiku-4-5-20251001", "gemini-3.5-flash"]
    for tier in ("standard", "batch"):
        ok, failures = priceable(models, catalog, Assumptions(as_of=AS_OF, tier=tier))
        assert (ok, failures) == (models, [])


def test_gpt_4o_mini_rows_are_as_before(catalog):
    alone = priced(catalog, ["gpt-4o-mini"])
    together = priced(catalog, ["gpt-4o-mini", "claude-haiku-4-5-20251001", "gemini-3.5-flash"])
    assert [r.prompt for r in together.rows if r.model == "gpt-4o-mini"] == [r.prompt for r in alone.rows]
    assert together.totals[0] == alone.totals[0]
