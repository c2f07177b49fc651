"""The tokenizer comparison on a price date when a model of its pair has no price: it compares with
one of the chosen models that has one, and says so (the CLI's JSON and table, the Estimate page)."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import cli
from ui.formatting import format_money
from tokenizers import get_encoding

M = Decimal(1_000_000)
TEXT = "Where is my order? 我的订单在哪里？"


def run(*args: str) -> str:
    out = io.StringIO()
    assert cli.main(["estimate", "--text", TEXT, "--as-of", "2024-06-01", "--models", "gpt-4o,gpt-4-turbo",
                     "--task", "classify", *args], out=out) == 0
    return out.getvalue()


def test_the_pair_falls_back_to_the_cheapest_chosen_model_with_a_price():
    # gpt-4o-mini was first priced on 2024-07-18: on 2024-06-01 the default pair's "to" has no price.
    saving = json.loads(run("--format", "json"))["tokenizer_saving"]
    assert saving["pair_asked"] == {"from": "gpt-3.5-turbo", "to": "gpt-4o-mini"}
    pair = saving["pair"]
    assert (pair["from"], pair["to"]) == ("gpt-3.5-turbo", "gpt-4o")
    cl100k = len(get_encoding("cl100k_base").encode_ordinary(TEXT))
    o200k = len(get_encoding("o200k_base").encode_ordinary(TEXT))
    # Traffic of 1,000 requests with a 5-token label: gpt-3.5-turbo-0125 $0.50/$1.50, gpt-4o $5/$15 per 1M.
    from_cost = (cl100k * 1000 * Decimal("0.5") + 5000 * Decimal("1.5")) / M
    to_cost = (o200k * 1000 * Decimal(5) + 5000 * Decimal(15)) / M
    assert (Decimal(pair["from_cost_usd"]), Decimal(pair["to_cost_usd"])) == (from_cost, to_cost)


def test_the_table_says_which_pair_stood_in():
    assert ("gpt-3.5-turbo -> gpt-4o-mini cannot be compared on 2024-06-01: compared with gpt-3.5-turbo -> gpt-4o "
            "instead (a chosen model with a price that day)") in run()


def test_a_pair_that_can_be_priced_is_not_replaced():
    saving = json.loads(run("--format", "json", "--as-of", "2024-08-01"))["tokenizer_saving"]
    assert saving["pair_asked"] is None and saving["pair"]["to"] == "gpt-4o-mini"


def test_the_estimate_page_compares_with_the_chosen_model_and_says_so(open_app):
    at = open_app({"lang": "en", "date": "2024-06-01", "models": "gpt-4o,gpt-4-turbo", "task": "classify"})
    at.text_area(key="s_estimate_text").set_value(TEXT).run()
    assert not at.exception, at.exception
    said = [i.value for i in at.info]
    assert any(s.startswith("gpt-3.5-turbo → gpt-4o-mini cannot be compared on 2024-06-01, so gpt-3.5-turbo → gpt-4o "
                            "is compared instead") for s in said), said
    saving = json.loads(run("--format", "json"))["tokenizer_saving"]["pair"]
    shown = {m.label: m.value for m in at.metric}
    assert shown["gpt-3.5-turbo → gpt-4o: saved"] == format_money(Decimal(saving["saving_usd"]))
