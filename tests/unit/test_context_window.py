"""Requests longer than a model's context window: flagged per model (the API refuses them),
still priced as if sent; and whose the yuan rate is."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal as D

import cli
from corpus.summary import long_requests_of
from pricing import Assumptions, Workload, estimate, load_catalog
from pricing.cost import OverContextWindow
from pricing.estimates import long_context_thresholds, request_thresholds
from pricing.currency import MoneyView
from ui.formatting import rate_caption_key

DAY = dt.date(2026, 11, 1)
M = D(1_000_000)
CATALOG = load_catalog()
NOTE = ("1 document is longer than gpt-4o's 128,000-token context window (200,000 input tokens): the API "
        "refuses such requests; split them. The cost still prices them as sent (1 request)")


def rows(workload: Workload, models=("gpt-4o", "gpt-4.1"), **kw):
    return {r.model: r for r in estimate(workload, list(models), CATALOG, Assumptions(as_of=DAY, **kw))}


def test_a_200000_token_document_is_over_gpt_4o_but_not_gpt_4_1():
    assert CATALOG.price("gpt-4o", DAY).context_window == 128_000
    assert CATALOG.price("gpt-4.1", DAY).context_window == 1_047_576
    by_model = rows(Workload({"o200k_base": 200_000, "cl100k_base": 200_000}))
    gpt_4o, gpt_4_1 = by_model["gpt-4o"], by_model["gpt-4.1"]
    assert gpt_4o.over_context_window == OverContextWindow(128_000, 1, 200_000, 1)
    assert gpt_4o.notes == (NOTE,)
    # Still priced as sent: 200,000 x $2.50 / 1M.
    assert gpt_4o.total_cost == D(200_000) * D("2.50") / M == D("0.5")
    assert gpt_4_1.over_context_window is None and gpt_4_1.notes == ()
    assert gpt_4_1.total_cost == D(200_000) * D(2) / M


def test_a_document_exactly_at_the_window_is_sendable():
    assert rows(Workload({"o200k_base": 128_000}), ["gpt-4o"])["gpt-4o"].over_context_window is None


def test_a_corpus_counts_each_document_against_the_window():
    thresholds = request_thresholds(CATALOG)
    assert {128_000, 1_047_576, 272_000} <= set(thresholds)
    assert set(long_context_thresholds(CATALOG)) < set(thresholds)
    per_document = {"o200k_base": [200_000, 1_000, 130_000, 128_000]}
    long_requests = long_requests_of(per_document, thresholds)
    assert long_requests[128_000] == {"o200k_base": (2, 330_000)}
    assert long_requests[1_047_576] == {"o200k_base": (0, 0)}
    assert long_requests[4_097] == {"o200k_base": (3, 458_000)}
    work = Workload({"o200k_base": 459_000}, documents=4, long_requests=long_requests)
    by_model = rows(work, requests=3)  # the corpus processed three times: 6 refused requests
    assert by_model["gpt-4o"].over_context_window == OverContextWindow(128_000, 2, 330_000, 6)
    assert by_model["gpt-4o"].notes == (
        ("2 documents are longer than gpt-4o's 128,000-token context window (330,000 input tokens): the API "
         "refuses such requests; split them. The cost still prices them as sent (6 requests)"),)
    assert by_model["gpt-4o"].input_cost == 3 * D(459_000) * D("2.50") / M
    assert by_model["gpt-4.1"].over_context_window is None


def test_a_corpus_without_per_document_counts_says_the_window_was_not_checked():
    row = rows(Workload({"o200k_base": 200_000}, documents=2), ["gpt-4o"])["gpt-4o"]
    assert row.over_context_window is None
    assert row.notes == ("documents over gpt-4o's 128,000-token context window not known",)


def test_traffic_is_over_the_window_when_its_average_request_is():
    work = Workload({"o200k_base": 390_000}, documents=3)  # 130,000 tokens a request on average
    row = rows(work, ["gpt-4o"], traffic=True, requests=1_000)["gpt-4o"]
    assert row.over_context_window == OverContextWindow(128_000, None, 130_000, 1_000)
    assert row.notes == (
        ("the average request (130,000 input tokens) is longer than gpt-4o's 128,000-token context window: the "
         "API refuses such requests; shorten or split them. The cost still prices them as sent (1,000 requests)"),)
    assert row.input_cost == 1_000 * D(130_000) * D("2.50") / M


def test_cli_json_has_over_context_window_per_model(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("x" * 1_600_000)  # one line of 200,000 tokens on both encodings (tiktoken: 8 x a token)
    out = io.StringIO()
    assert cli.main(["estimate", str(path), "--models", "gpt-4o,gpt-4.1", "--as-of", DAY.isoformat(),
                     "--output-tokens", "0", "--format", "json"], out=out) == 0
    report = json.loads(out.getvalue(), parse_float=D)
    by_model = {m["model"]: m for m in report["models"]}
    assert report["tokens"] == {"o200k_base": 200_000, "cl100k_base": 200_000}
    assert by_model["gpt-4o"]["over_context_window"] == {
        "context_window": 128_000, "documents": 1, "tokens": 200_000, "requests": 1}
    assert by_model["gpt-4o"]["notes"] == [NOTE]
    assert D(by_model["gpt-4o"]["total_cost_usd"]) == D("0.5")
    assert by_model["gpt-4.1"]["over_context_window"] is None
    table = io.StringIO()
    assert cli.main(["estimate", str(path), "--models", "gpt-4o,gpt-4.1", "--as-of", DAY.isoformat(),
                     "--output-tokens", "0"], out=table) == 0
    assert f"gpt-4o: {NOTE}\n" in table.getvalue()
    assert "gpt-4.1: " not in table.getvalue()


def test_the_rate_is_called_assumed_until_the_user_changes_it():
    assert rate_caption_key(MoneyView("CNY")) == "window_rate_assumed"
    assert rate_caption_key(MoneyView("CNY", D("7.2"))) == "rate_shown"
