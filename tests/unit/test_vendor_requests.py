"""One request per vendor, costed by hand from the vendor's pricing page (quoted), equals `cli.py cost`.

Token counts are given, as a usage block reports them: pricing takes counts as it is handed them.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal as D

import pytest

import cli

MILLION = D(1_000_000)


def cost(*args: str) -> list[dict]:
    out = io.StringIO()
    assert cli.main(["cost", *args, "--format", "json"], out=out) == 0
    return json.loads(out.getvalue(), parse_float=D)


def total(*args: str) -> D:
    (row,) = cost(*args)
    return D(row["total_cost_usd"])


def failure(capsys, *args: str) -> str:
    assert cli.main(list(args), out=io.StringIO()) == 2
    return capsys.readouterr().err


def test_claude_request_with_5_minute_and_1_hour_cache_writes_and_reads():
    # platform.claude.com/docs/en/docs/about-claude/pricing: "| Model | Base Input Tokens | 5m Cache Writes |
    # 1h Cache Writes | Cache Hits & Refreshes | Output Tokens |" ... "| Claude Opus 4.5 | $5 / MTok | $6.25 / MTok |
    # $10 / MTok | $0.50 / MTok | $25 / MTok |"
    by_hand = (1_000 * D("5") + 3_000 * D("6.25") + 4_000 * D("10") + 2_000 * D("0.50") + 500 * D("25")) / MILLION
    assert by_hand == D("0.07725")
    args = ("--models", "claude-opus-4-5-20251101", "--input-tokens", "1000", "--cache-write-5m-tokens", "3000",
            "--cache-write-1h-tokens", "4000", "--cache-read-tokens", "2000", "--output-tokens", "500",
            "--as-of", "2026-12-07")
    (row,) = cost(*args)
    assert D(row["total_cost_usd"]) == by_hand
    assert D(row["cache_write_cost_usd"]) == (3_000 * D("6.25") + 4_000 * D("10")) / MILLION
    assert "cache writes at $6.25/1M (5-minute lifetime) or $10/1M (1-hour lifetime)" in row["rules"]
    # "Message Batches API usage is charged at 50% of the standard rates" -- cache writes and reads too.
    assert total(*args, "--batch") == by_hand / 2


def test_gemini_pro_request_over_200k_is_priced_whole_at_the_higher_tier():
    """Google's own page (ai.google.dev/gemini-api/docs/pricing) has no stored copy: searched on 2026-12-07
    (stored pages and docs), only third-party copies of it were found, so the prices stay secondary.

    deploybase.ai/articles/gemini-api-pricing-2026 ("Data from Google's official pricing page (March 2026)"):
    "Gemini 2.5 Pro: $1.25 input per 1M tokens for prompts up to 200K tokens; $2.50 input over 200K. Output:
    $10 per 1M tokens under 200K context, $15 over." The cached-input rates (0.125 -> 0.25) are genai-prices'
    record of the same page ("tiers: start: 200000").
    """
    by_hand = (250_000 * D("2.50") + 50_000 * D("0.25") + 2_000 * D("15")) / MILLION
    assert by_hand == D("0.6675")
    args = ("--models", "gemini-2.5-pro", "--input-tokens", "250000", "--cache-read-tokens", "50000",
            "--output-tokens", "2000", "--as-of", "2026-12-07")
    assert total(*args) == by_hand
    # 200,000 prompt tokens is not over 200K: the base rates.
    assert total("--models", "gemini-2.5-pro", "--input-tokens", "200000", "--output-tokens", "2000",
                 "--as-of", "2026-12-07") == (200_000 * D("1.25") + 2_000 * D("10")) / MILLION


def test_grok_request_reaching_the_long_context_threshold_pays_the_long_rate_on_every_token():
    # apidog.com/blog/how-to-use-grok-4-7-api: "$2 per million input tokens, $0.50 per million cached input tokens,
    # and $6 per million output tokens for prompts under 200,000 tokens"; "Input / cached / output, 200k and
    # above $4.00 / $1.00 / $12.00 per 1M tokens".
    at_threshold = (150_000 * D("4.00") + 50_000 * D("1.00") + 1_000 * D("12.00")) / MILLION
    assert at_threshold == D("0.662")
    assert total("--models", "grok-4.7", "--input-tokens", "150000", "--cache-read-tokens", "50000",
                 "--output-tokens", "1000", "--as-of", "2026-12-07") == at_threshold
    under = (149_999 * D("2") + 50_000 * D("0.50") + 1_000 * D("6")) / MILLION
    assert total("--models", "grok-4.7", "--input-tokens", "149999", "--cache-read-tokens", "50000",
                 "--output-tokens", "1000", "--as-of", "2026-12-07") == under == D("0.330998")


def test_deepseek_request_with_cache_hits_and_the_off_peak_window_that_ended(capsys):
    # api-docs.deepseek.com/quick_start/pricing-details-usd: "| deepseek-chat | 64K | - | 8K | $0.07 | $0.27 |
    # $1.10 |" (1M tokens input price (cache hit), input price (cache miss), output price).
    by_hand = (10_000 * D("0.27") + 30_000 * D("0.07") + 2_000 * D("1.10")) / MILLION
    assert by_hand == D("0.007")
    args = ("--models", "deepseek-chat", "--input-tokens", "10000", "--cache-read-tokens", "30000",
            "--output-tokens", "2000", "--as-of", "2025-08-01")
    assert total(*args) == by_hand
    # The off-peak window (UTC 16:30-00:30) halved deepseek-chat's prices until 2025-09-05.
    assert total(*args, "--off-peak") == by_hand / 2
    err = failure(capsys, "cost", "--models", "deepseek-chat", "--input-tokens", "10", "--as-of", "2025-09-05")
    assert "deepseek-chat has no price on 2025-09-05; its last price ended earlier" in err


def test_llama_request_on_two_hosts():
    """Neither host's own price table has a stored copy that shows these rows (searched on 2026-12-07), so both
    prices stay secondary:

    - groq.com/pricing: no stored copy found. Third-party copies: mastra.ai ("groq/llama-3.3-70b-versatile |
      131K | $0.59 | $0.79") and theneuralbase.com ("Llama 3.3 70B: $0.59 per million input tokens, $0.79 per
      million output tokens as of April 2026").
    - aws.amazon.com/bedrock/pricing: stored copies exist, but their text stops at the overview ("For
      text-generation models, you are charged for every input token processed and every output token
      generated"; "Pricing for Batch mode is the same as pricing for On-Demand mode"): the per-model tables
      are not in them. The $0.72 / $0.72 is genai-prices' aws record (meta.llama3-3-70b-instruct-v1:0).

    Third-party reports (a GitHub issue citing "Groq's announcement"; papi-ai/groq v0.15.2's release notes)
    say Groq decommissioned llama-3.3-70b-versatile and llama-3.1-8b-instant on 2026-08-16. No stored Groq page
    confirms it, so the catalog gives them no shutdown and this request is still priced on 2026-12-07.
    """
    rows = cost("--models", "llama-3.3-70b-versatile,meta.llama3-3-70b-instruct-v1:0", "--input-tokens", "100000",
                "--output-tokens", "20000", "--as-of", "2026-12-07")
    assert [(r["host"], D(r["total_cost_usd"])) for r in rows] == [
        ("groq", (100_000 * D("0.59") + 20_000 * D("0.79")) / MILLION),
        ("bedrock", (100_000 * D("0.72") + 20_000 * D("0.72")) / MILLION),
    ]
    assert [r["vendor"] for r in rows] == ["meta", "meta"]


def test_mistral_and_qwen_requests():
    """Mistral: as recorded by genai-prices ("id: mistral-nemo ... input_mtok: 0.15 output_mtok: 0.15").

    Qwen Plus: Alibaba Cloud Model Studio's international billing page
    (alibabacloud.com/help/en/model-studio/billing-for-model-studio, stored copies "Updated at: 2025-04-03" and
    "Last Updated: Apr 22, 2025"): "Qwen-Plus ... Minimum input price (Million tokens) $0.4 ... Minimum output
    price (Million tokens) $1.2" and "The unit price of cached_token is 40% of the unit price of input_token"
    (0.4 x 40% = $0.16). "Minimum" is the price of the shortest-prompt tier, so the evidence stays secondary.
    """
    assert total("--models", "open-mistral-nemo", "--input-tokens", "40000", "--output-tokens", "10000",
                 "--as-of", "2026-12-07") == (40_000 * D("0.15") + 10_000 * D("0.15")) / MILLION == D("0.0075")
    assert total("--models", "qwen-plus", "--input-tokens", "30000", "--cache-read-tokens", "10000",
                 "--output-tokens", "5000", "--as-of", "2026-12-07") == (
        30_000 * D("0.4") + 10_000 * D("0.16") + 5_000 * D("1.2")) / MILLION == D("0.0196")


def test_anthropic_long_context_rate_until_the_day_it_ended():
    # genai-prices: claude-sonnet-4-6 tiered from 200,000 tokens (input 3 -> 6, output 15 -> 22.5) until a
    # price from 2026-03-13 without tiers.
    args = ("--models", "claude-sonnet-4-6", "--input-tokens", "300000", "--output-tokens", "1000")
    assert total(*args, "--as-of", "2026-03-12") == (300_000 * D("6") + 1_000 * D("22.5")) / MILLION
    assert total(*args, "--as-of", "2026-03-13") == (300_000 * D("3") + 1_000 * D("15")) / MILLION


def test_regional_uplift_is_a_setting_off_by_default():
    args = ("--models", "claude-opus-4-6", "--input-tokens", "1000", "--output-tokens", "1000", "--as-of", "2026-12-07")
    base = (1_000 * D("5") + 1_000 * D("25")) / MILLION
    assert total(*args) == base
    (row,) = cost(*args, "--regional")
    assert D(row["total_cost_usd"]) == base * D("1.1")
    assert "regional processing (inference_geo=us): 1.1x" in row["rules"]


def test_an_id_that_names_two_hosts_models_is_refused_with_the_candidates(tmp_path, capsys):
    other = tmp_path / "together.json"
    other.write_text(json.dumps({"vendor": "together", "models": [{
        "id": "Llama-3.3-70B-Versatile", "label": "Llama 3.3 70B (Together)", "family": "llama-3.3",
        "encoding": "llama3", "source_url": "https://www.together.ai/pricing", "checked": "2026-12-07",
        "prices": [{"effective_from": "2026-01-01", "input_per_mtok": 0.88, "output_per_mtok": 0.88,
                    "evidence": "unverified", "source": "a test", "note": "a test"}]}]}), encoding="utf-8")
    err = failure(capsys, "cost", "--prices", str(other), "--models", "LLAMA-3.3-70B-VERSATILE",
                  "--input-tokens", "10", "--as-of", "2026-12-07")
    assert ("model id 'LLAMA-3.3-70B-VERSATILE' is ambiguous: it names groq:llama-3.3-70b-versatile, "
            "together:Llama-3.3-70B-Versatile; give one of these") in err
    rows = cost("--prices", str(other), "--models", "together:Llama-3.3-70B-Versatile", "--input-tokens", "1000000",
                "--as-of", "2026-12-07")
    assert D(rows[0]["total_cost_usd"]) == D("0.88")


def test_estimate_takes_any_vendors_id_and_refuses_an_ambiguous_one(tmp_path, capsys):
    out = io.StringIO()
    assert cli.main(["estimate", "--text", "Hello there", "--models", "bedrock:meta.llama3-3-70b-instruct-v1:0,GEMINI-2.5-PRO",
                     "--as-of", "2026-12-07", "--format", "json"], out=out) == 0
    rows = json.loads(out.getvalue())["models"]
    assert [r["model"] for r in rows] == ["meta.llama3-3-70b-instruct-v1:0", "gemini-2.5-pro"]
    other = tmp_path / "together.json"
    other.write_text(json.dumps({"vendor": "together", "models": [{
        "id": "GEMINI-2.5-pro", "label": "a look-alike", "family": "x", "encoding": "o200k_base",
        "source_url": "https://example.com", "checked": "2026-12-07",
        "prices": [{"effective_from": "2026-01-01", "input_per_mtok": 1, "output_per_mtok": 1,
                    "evidence": "unverified", "source": "a test", "note": "a test"}]}]}), encoding="utf-8")
    err = failure(capsys, "estimate", "--text", "Hello", "--prices", str(other), "--models", "Gemini-2.5-Pro")
    assert "is ambiguous: it names google:gemini-2.5-pro, together:GEMINI-2.5-pro; give one of these" in err


def test_an_override_without_a_vendor_keeps_the_models_vendor(tmp_path):
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({"models": [{
        "id": "claude-haiku-4-5-20251001", "label": "Haiku (our contract)", "family": "claude-4.5", "encoding": "claude-3",
        "encoding_evidence": "secondary", "notes": "ours", "source_url": "https://example.com", "checked": "2026-12-07",
        "prices": [{"effective_from": "2025-10-01", "input_per_mtok": 0.8, "output_per_mtok": 4,
                    "evidence": "unverified", "source": "our contract", "note": "negotiated"}]}]}), encoding="utf-8")
    (row,) = cost("--prices", str(path), "--models", "claude-haiku-4-5-20251001", "--input-tokens", "1000000",
                  "--as-of", "2026-12-07")
    assert (row["vendor"], D(row["total_cost_usd"])) == ("anthropic", D("0.8"))


def test_cost_table_says_which_rules_priced_each_row():
    out = io.StringIO()
    assert cli.main(["cost", "--models", "grok-4.7", "--input-tokens", "200000", "--as-of", "2026-12-07"], out=out) == 0
    assert out.getvalue().splitlines()[-1] == ("grok-4.7 priced by: prompt reached 200,000 tokens: every token of the "
                                               "request at 2x input, 2x output (secondary)")


@pytest.mark.parametrize("vendor, some_model", [
    ("anthropic", "claude-opus-4-5-20251101"), ("google", "gemini-2.5-pro"), ("deepseek", "deepseek-v4-pro"),
    ("xai", "grok-4.7"), ("mistral", "open-mistral-nemo"), ("qwen", "qwen-plus"), ("groq", "llama-3.3-70b-versatile"),
    ("bedrock", "meta.llama3-3-70b-instruct-v1:0"),
])
def test_prices_vendor_lists_only_that_vendors_models_and_its_rules(vendor, some_model):
    out = io.StringIO()
    assert cli.main(["prices", "--vendor", vendor, "--as-of", "2026-12-07", "--format", "json"], out=out) == 0
    rows = json.loads(out.getvalue())
    assert some_model in {r["model"] for r in rows}
    assert {vendor} == {r["vendor"] for r in rows} or {vendor} == {r["host"] for r in rows}
    text = io.StringIO()
    assert cli.main(["prices", "--vendor", vendor, "--as-of", "2026-12-07"], out=text) == 0
    assert "pricing rules on 2026-12-07:" in text.getvalue()


def test_an_unknown_vendor_is_refused_naming_the_known_ones(capsys):
    err = failure(capsys, "prices", "--vendor", "acme")
    assert "--vendor: unknown vendor 'acme'; known: openai, anthropic, bedrock, deepseek, google, groq, meta" in err


@pytest.mark.parametrize("args, message", [
    (("--models", "claude-opus-9", "--input-tokens", "1"), "unknown model 'claude-opus-9'; did you mean"),
    (("--models", "gemini-2.5-pro", "--input-tokens", "-5"), "--input-tokens: cannot be negative: '-5'"),
    (("--models", "gemini-2.5-pro", "--input-tokens", "1", "--tier", "flex"),
     "gemini-2.5-pro has no Flex processing price"),
    (("--models", "grok-4.7", "--input-tokens", "1", "--off-peak"), "grok-4.7 has no off-peak prices on 2026-12-07"),
])
def test_cost_refuses_bad_input_in_one_line(capsys, args, message):
    err = failure(capsys, "cost", *args, "--as-of", "2026-12-07")
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
