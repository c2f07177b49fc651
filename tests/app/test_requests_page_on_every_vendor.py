"""The API requests page re-prices a request file on every sidebar model the app can count
(Claude on its reconstructed tokenizer, Gemini 3.5 on a labelled estimate), with the Estimate
page's method label beside each, in English and Chinese; `cli.py estimate` gives the same totals."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

import cli
from ingest.requests import read_requests
from pricing import Assumptions, load_catalog
from pricing.requests import price_request_file
from ui.formatting import format_money, format_tokens
from ui.i18n import translate

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "chat_requests.jsonl"
AS_OF = dt.date(2026, 10, 1)
MODELS = ["gpt-4o-mini", "claude-haiku-4-5-20251001", "gemini-3.5-flash"]
PAGE = "app_pages/requests.py"


def core_report(tier: str):
    a = Assumptions(output_tokens_per_request=60, as_of=AS_OF, tier=tier)
    return price_request_file(read_requests(EXAMPLE.name, EXAMPLE.read_bytes()), load_catalog(), MODELS, a)


def repriced_page(open_app, lang: str, tier: str):
    at = open_app({"date": AS_OF.isoformat(), "out_tokens": "60", "lang": lang, "models": ",".join(MODELS),
                   "tier": tier})
    at.switch_page(PAGE).run()
    at.file_uploader(key="requests_file").set_value([(EXAMPLE.name, EXAMPLE.read_bytes(), "application/jsonl")]).run()
    at.toggle(key="s_req_reprice").set_value(True).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("tier", ["standard", "batch"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_sidebar_model_is_priced_with_its_count_method(open_app, lang, tier):
    at = repriced_page(open_app, lang, tier)
    said = " ".join(str(e.value) for e in [*at.warning, *at.error, *at.info, *at.caption, *at.text])
    for model in MODELS:
        assert translate("estimate_fail_not_counted", lang, model=model) not in said
    assert "cannot be counted offline" not in said and "无法离线计数" not in said
    col = lambda key: translate(key, lang)  # noqa: E731
    table = next(t.value for t in at.table if col("col_model") in t.value.columns).set_index(col("col_model"))
    assert list(table.index) == MODELS
    method = {
        "gpt-4o-mini": translate("count_method_exact", lang),
        # Claude Haiku 4.5's tokenizer is assumed in the catalog: an estimate on claude-3's
        # (reconstructed) count, named as on the Estimate page.
        "claude-haiku-4-5-20251001": translate("count_method_estimate_with", lang, encoding="claude-3"),
        # Gemini 3.5: Gemma 4's tokenizer is estimated from o200k_base, and no chat overhead is stated for it.
        "gemini-3.5-flash": translate("count_method_no_chat_overhead", lang, encoding="gemma4",
                                      method=translate("count_method_estimate_with", lang, encoding="o200k_base")),
    }
    report = core_report(tier)
    for total in report.totals:
        row = table.loc[total.model]
        assert row[col("col_count_method")] == method[total.model]
        assert row[col("col_prompt_tokens")] == format_tokens(total.prompt_tokens)
        assert row[col("col_total_cost")] == format_money(total.total_cost)


@pytest.mark.parametrize("tier", ["standard", "batch"])
def test_the_cli_gives_the_page_s_totals(tier):
    out = io.StringIO()
    args = ["estimate", str(EXAMPLE), "--models", ",".join(MODELS), "--as-of", AS_OF.isoformat(),
            "--output-tokens", "60", "--format", "json"] + (["--batch"] if tier == "batch" else [])
    assert cli.main(args, out=out) == 0
    cli_models = {m["model"]: m for m in json.loads(out.getvalue(), parse_float=Decimal)["models"]}
    for total in core_report(tier).totals:
        shown = cli_models[total.model]
        assert (shown["input_tokens"], Decimal(str(shown["total_cost_usd"]))) == (total.prompt_tokens, total.total_cost)
        assert shown["count_method"] == total.price.count_method
