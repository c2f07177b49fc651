"""Each item of the audit of OpenAI's late-2026 pages (issue 19, item 5) as ``cli.py prices
--as-of DATE`` (or the same core) shows it on the dates the audit names. Sources are in the
data: data/catalog/openai.json gives every figure its source and evidence level."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal as D

import pytest

import cli
from pricing import Assumptions, Workload, estimate, load_catalog
from pricing.today import todays_prices

CATALOG = load_catalog()
M = D(1_000_000)


def prices_on(day: str) -> dict[str, dict]:
    """``prices --as-of day --format json``, one row per id."""
    out = io.StringIO()
    assert cli.main(["prices", "--as-of", day, "--format", "json"], out=out) == 0
    return {row["model"]: row for row in json.loads(out.getvalue())}


def defaults_on(day: str) -> list[str]:
    """The models ``estimate`` prices when none is named."""
    out = io.StringIO()
    assert cli.main(["estimate", "--text", "hello", "--as-of", day, "--format", "json"], out=out) == 0
    return [row["model"] for row in json.loads(out.getvalue())["models"]]


def test_gpt_35_turbo_0125_gives_way_to_gpt_56_terra_on_2026_10_23():
    # "October 23, 2026 | gpt-3.5-turbo-0125 | gpt-3.5-turbo, gpt-3.5-turbo-completions | gpt-5.6-terra"
    assert CATALOG.models["gpt-3.5-turbo-0125"].replacement == "gpt-5.6-terra"
    assert {"gpt-3.5-turbo", "gpt-3.5-turbo-0125"} <= set(prices_on("2026-10-22"))
    assert not {"gpt-3.5-turbo", "gpt-3.5-turbo-0125"} & set(prices_on("2026-10-23"))
    assert defaults_on("2026-10-23") == ["gpt-4o", "gpt-4o-mini", "gpt-5.6-terra"]


SHUT_2027_01_14 = {
    "gpt-4o-2024-08-06": "gpt-4o", "gpt-4o-2024-11-20": None, "gpt-4o-mini-2024-07-18": "gpt-4o-mini",
    "gpt-4.1-2025-04-14": "gpt-4.1", "gpt-4.1-mini-2025-04-14": "gpt-4.1-mini",
}


def test_the_gpt_4_family_snapshots_are_shut_down_on_2027_01_14():
    before, after = prices_on("2027-01-13"), prices_on("2027-01-14")
    ids = set(SHUT_2027_01_14) | {alias for alias in SHUT_2027_01_14.values() if alias}
    assert ids <= set(before)
    assert not ids & set(after)
    assert (before["gpt-4o"]["input_per_mtok"], before["gpt-4o"]["output_per_mtok"]) == ("2.5", "10")
    retired = {r.snapshot for r in todays_prices(CATALOG, dt.date(2027, 1, 14)) if r.status == "retired"}
    assert set(SHUT_2027_01_14) <= retired
    # The substitute named for GPT-4o there.
    assert CATALOG.models["gpt-4o-2024-08-06"].replacement == "gpt-6-luna"


def test_pricing_gpt_4o_on_2027_01_14_is_refused_in_one_line(capsys):
    assert cli.main(["estimate", "--text", "x", "--models", "gpt-4o", "--as-of", "2027-01-14"]) == 2
    assert capsys.readouterr().err == ("error: gpt-4o (gpt-4o-2024-08-06) was shut down on 2027-01-14; price it as of "
                                       "an earlier date or pick a current model\n")


@pytest.mark.parametrize(("model", "prices"), [
    ("gpt-3.5-turbo-instruct", ("1.5", "2")),
    ("babbage-002", ("0.4", "0.4")),
    ("davinci-002", ("2", "2")),
])
def test_the_completions_models_are_priced_until_their_2026_09_28_shutdown(model, prices):
    row = prices_on("2026-09-27")[model]
    assert (row["input_per_mtok"], row["output_per_mtok"], row["evidence"]) == (*prices, "secondary")
    assert row["encoding"] == "cl100k_base"
    assert model not in prices_on("2026-09-28")


def test_gpt_6_launch_days_and_context_windows():
    assert "gpt-6-astra" not in prices_on("2026-09-02")
    astra = prices_on("2026-09-03")["gpt-6-astra"]
    assert (astra["input_per_mtok"], astra["output_per_mtok"], astra["context_window"]) == ("10", "50", 1050000)
    assert not {"gpt-6-sol", "gpt-6-luna"} & set(prices_on("2026-09-21"))
    rows = prices_on("2026-09-22")
    assert [(rows[m]["input_per_mtok"], rows[m]["output_per_mtok"], rows[m]["context_window"],
             rows[m]["max_output_tokens"], rows[m]["evidence"]) for m in ("gpt-6-sol", "gpt-6-luna")] == [
        ("2", "10", 1050000, 128000, "secondary"),  # launch day from LiteLLM's day-0 post: secondary
        ("0.1", "0.5", 1050000, 128000, "secondary"),
    ]


def test_no_priority_price_before_2025_06_26(capsys):
    before, on = prices_on("2025-06-25")["gpt-4o"], prices_on("2025-06-26")["gpt-4o"]
    assert (before["priority_input_per_mtok"], before["priority_output_per_mtok"], before["priority_name"]) == (
        None, None, None)
    assert (on["priority_input_per_mtok"], on["priority_output_per_mtok"], on["priority_name"]) == (
        "4.25", "17", "Priority")
    assert cli.main(["estimate", "--text", "x", "--models", "gpt-4o", "--tier", "priority",
                     "--as-of", "2025-06-25"]) == 2
    assert capsys.readouterr().err == ("error: Priority processing began on 2025-06-26: gpt-4o has no Priority price "
                                       "on 2025-06-25; choose another tier or a later date\n")


def test_fast_is_the_tier_name_where_openai_renamed_it():
    rows = prices_on("2026-12-07")
    names = {m: rows[m]["priority_name"] for m in ("gpt-5.4", "gpt-5.6-terra", "gpt-6-sol", "gpt-6.2-astra")}
    assert names == {"gpt-5.4": "Priority", "gpt-5.6-terra": "Fast", "gpt-6-sol": "Fast", "gpt-6.2-astra": "Fast"}
    assert rows["gpt-6-sol"]["priority_input_per_mtok"] == "4"  # Fast: 2x the $2 input
    # GPT-5.6's preview (from 2026-06-26) had no Priority price; its Fast price starts with the 2026-07-30 cut.
    assert prices_on("2026-07-29")["gpt-5.6-terra"]["priority_name"] is None


@pytest.mark.parametrize(("model", "day", "prices"), [
    # (input, cached, output, batch input, batch output) per 1M tokens
    ("gpt-6.1-sol", "2026-09-29", ("2", "0.1", "10", "1", "5")),  # changelog: "$2 input, $0.10 cached input ... $10"
    ("gpt-6.1-terra", "2026-10-26", ("1", "0.05", "5", "0.5", "2.5")),  # Batch half
    ("gpt-6.2-astra", "2026-11-17", ("8", "0.4", "40", "4", "20")),
    ("gpt-6.2-sol", "2026-11-17", ("2", "0.1", "10", "1", "5")),
    ("gpt-5-pro", "2026-12-07", ("15", None, "120", "7.5", "60")),
    ("gpt-5.2-pro", "2026-12-07", ("21", None, "168", "10.5", "84")),
    ("gpt-5.4-pro", "2026-12-07", ("30", None, "180", "15", "90")),
    ("gpt-5.5-pro", "2026-12-07", ("30", None, "180", "15", "90")),
    ("gpt-5.3-codex", "2026-12-07", ("1.75", "0.175", "14", None, None)),
])
def test_the_missing_models_are_priced_with_their_source_and_evidence(model, day, prices):
    row = prices_on(day)[model]
    fields = ("input_per_mtok", "cached_input_per_mtok", "output_per_mtok", "batch_input_per_mtok",
              "batch_output_per_mtok")
    assert tuple(row[f] for f in fields) == prices
    assert row["effective_from"] == day if day != "2026-12-07" else row["effective_from"] < day
    assert row["evidence"] == "secondary" and row["source"]
    yesterday = (dt.date.fromisoformat(row["effective_from"]) - dt.timedelta(days=1)).isoformat()
    assert model not in prices_on(yesterday)


def _one(model: str, tokens: int, **kw):
    return estimate(Workload({"o200k_base": tokens}), [model], CATALOG,
                    Assumptions(as_of=dt.date(2026, 12, 7), output_tokens_per_request=1_000, **kw))[0]


def test_the_272k_rule_covers_gpt_5_4_pro_and_gpt_5_5_pro_but_not_gpt_5_pro():
    for model in ("gpt-5.4-pro", "gpt-5.5-pro"):
        row = _one(model, 300_001)
        assert row.input_cost == 300_001 * D(60) / M  # 2 x $30
        assert row.output_cost == 1_000 * D(270) / M  # 1.5 x $180
        assert row.long_context_requests == 1
    plain = _one("gpt-5-pro", 300_001)  # a 400K model: no rule
    assert (plain.input_cost, plain.output_cost, plain.long_context_requests) == (
        300_001 * D(15) / M, 1_000 * D(120) / M, 0)


def test_batch_cached_input_where_printed_and_the_batch_input_rate_where_not():
    assert CATALOG.price("gpt-5.5", dt.date(2026, 12, 7)).period.batch_cached_input_per_mtok == D("0.25")
    half = D("0.5")
    printed = _one("gpt-5.5", 200_000, tier="batch", cached_share=half)
    assert printed.input_cost == 100_000 * D("2.5") / M + 100_000 * D("0.25") / M  # $0.25 + $0.025
    not_printed = _one("gpt-4o", 200_000, tier="batch", cached_share=half)
    assert not_printed.input_cost == 200_000 * D("1.25") / M  # OpenAI's Batch table prints no cached rate


@pytest.mark.parametrize(("day", "models"), [
    ("2024-06-01", ["gpt-4o", "gpt-3.5-turbo"]),  # gpt-4o-mini not yet
    ("2026-10-22", ["gpt-4o", "gpt-4o-mini", "gpt-3.5-turbo"]),
    ("2026-10-23", ["gpt-4o", "gpt-4o-mini", "gpt-5.6-terra"]),
    # GPT-4o gives way to the substitute named for it; no substitute is named for GPT-4o mini.
    ("2027-01-14", ["gpt-6-luna", "gpt-5.6-terra"]),
])
def test_the_defaults_follow_the_date(day, models):
    assert CATALOG.default_models(dt.date.fromisoformat(day)) == models
    assert defaults_on(day) == models


def test_fast_takes_long_requests_at_the_long_context_rates_where_priority_did_not():
    # Changelog 2026-08-05: "Fast mode handles requests beyond 272K tokens"; GPT-6 Sol Fast $4 / $20.
    fast = _one("gpt-6-sol", 300_001, tier="priority")
    assert (fast.input_cost, fast.output_cost, fast.long_context_requests) == (
        300_001 * D(8) / M, 1_000 * D(30) / M, 1)
    # gpt-5.4's Priority prices exclude long context (its model page): no surcharge, said in a note.
    priority = _one("gpt-5.4", 300_001, tier="priority")
    assert priority.long_context_requests == 0
    assert priority.notes == ("1 request over 272,000 input tokens: Priority prices exclude long context; "
                              "priced without a surcharge",)


def test_the_base_completions_models_fine_tune_at_the_printed_prices_until_their_shutdown(capsys):
    # OpenAI's fine-tuning table: davinci-002 training $6.00, babbage-002 $0.40 per 1M tokens.
    args = ["fine-tune", "examples/fine_tune_train.jsonl", "--models", "davinci-002,babbage-002",
            "--example-limit", "16384", "--format", "json"]
    assert cli.main([*args, "--as-of", "2026-09-27"]) == 0
    rows = {r["model"]: r for r in json.loads(capsys.readouterr().out)["models"]}
    tokens = rows["davinci-002"]["training_tokens"]
    assert tokens == rows["babbage-002"]["training_tokens"] > 0
    assert D(rows["davinci-002"]["training_cost_usd"]) == tokens * D(6) / M
    assert D(rows["babbage-002"]["training_cost_usd"]) == tokens * D("0.4") / M
    assert cli.main([*args, "--as-of", "2026-09-28"]) == 2  # both shut down that day
