"""One answer on every surface: the same input under the same settings gives the same tokens and
the same total per model on the Estimate page, the Languages page, the API requests page and in
the CLI's JSON.

Inputs: a pasted text, a multi-language tickets CSV, the same tickets as an xlsx, and a chat
request file. Settings: the defaults, and changed ones (passes or requests a month, task, tier,
cached share, price date) given to every surface the same way (a share link's parameters for the
pages, the matching flags for the CLI). Money is compared as the page shows it: the CLI's exact
total through the page's own formatter.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

import cli
from ui.formatting import format_money, format_tokens

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "surfaces"
TICKETS_CSV = FIXTURES / "tickets.csv"
TICKETS_XLSX = FIXTURES / "tickets.xlsx"
REQUESTS = ROOT / "examples" / "chat_requests.jsonl"
TEXT = "Where is my order 4411? 我的订单在哪里？ मेरा ऑर्डर कहाँ है? =SUM(A1) <|endoftext|>"
MODELS = ("gpt-4o", "gpt-4o-mini")
ENCODINGS = ("o200k_base", "cl100k_base")

# Every page reads these from its link; the CLI gets the same as flags.
DEFAULT = {"page": {"date": "2026-10-01"}, "cli": ["--as-of", "2026-10-01"]}
CHANGED = {
    "page": {"date": "2025-06-01", "runs": "3", "req": "250", "task": "summarize", "tier": "batch", "cached": "0.5"},
    "cli": ["--as-of", "2025-06-01", "--task", "summarize", "--tier", "batch", "--cached-share", "0.5"],
    "corpus": ["--runs", "3"],
    "traffic": ["--per-month", "250"],
}
# A request file has no task or passes: its reply is the output tokens (default a 500-token reply).
# (Batch prices have no cached-input discount: the cached share is changed on Standard.)
REQUESTS_CHANGED = {
    "page": {"date": "2025-06-01", "cached": "0.5", "out_tokens": "120", "runs": "3"},
    "cli": ["--as-of", "2025-06-01", "--cached-share", "0.5", "--output-tokens", "120", "--runs", "3"],
}
REQUESTS_BATCH = {"page": {"date": "2025-06-01", "tier": "batch"}, "cli": ["--as-of", "2025-06-01", "--tier", "batch"]}
LINK = {"lang": "en", "models": ",".join(MODELS), "from": MODELS[0], "vs": MODELS[1]}


def cli_json(*args: str) -> dict:
    out = io.StringIO()
    assert cli.main(["estimate", *args, "--format", "json"], out=out) == 0
    return json.loads(out.getvalue())


def cli_answer(inputs: list[str], settings: dict, question: str) -> tuple[dict[str, str], dict[str, str]]:
    """(tokens per encoding, total per model) as the CLI reports them, formatted as a page shows them."""
    report = cli_json(*inputs, "--models", ",".join(MODELS), *settings["cli"], *settings.get(question, []))
    totals = {m["model"]: format_money(Decimal(m["total_cost_usd"])) for m in report["models"]}
    return {enc: format_tokens(report["tokens"][enc]) for enc in ENCODINGS}, totals


def give_input(at, page: str, kind: str):
    """Paste the text or upload the file on ``page`` ("estimate" or "languages")."""
    if kind == "text":
        at.text_area(key="s_estimate_text").set_value(TEXT).run()
    else:
        path = {"csv": TICKETS_CSV, "xlsx": TICKETS_XLSX}[kind]
        at.file_uploader(key={"estimate": "estimate_files", "languages": "lang_files"}[page]).set_value(
            [(path.name, path.read_bytes(), "application/octet-stream")]).run()
    assert not at.exception, at.exception
    return at


def estimate_answer(at) -> tuple[dict[str, str], dict[str, str]]:
    shown = {m.label: m.value for m in at.metric}
    tokens = {enc: shown[f"Tokens ({enc}, exact)"] for enc in ENCODINGS}
    table = next(df.value for df in at.table if df.value.columns[0] == "Model").set_index("Model")
    return tokens, {m: table.loc[m, "Total cost"] for m in MODELS}


def languages_answer(at) -> tuple[dict[str, str], dict[str, str]]:
    """The user's part of the Languages page: tokens added over its groups (exact integers), and
    the pair's totals for everything the person gave (the cards under "Your text")."""
    yours = [df.value for df in at.dataframe if "Documents" in df.value.columns]
    assert len(yours) == 1, [list(df.value.columns) for df in at.dataframe]
    tokens = {enc: format_tokens(int(yours[0][f"Tokens ({enc})"].sum())) for enc in ENCODINGS}
    shown = {m.label: m.value for m in at.metric}
    return tokens, {m: shown[f"Total on {m}"] for m in MODELS}


@pytest.mark.parametrize("settings", [DEFAULT, CHANGED], ids=["default", "changed"])
@pytest.mark.parametrize("kind", ["text", "csv", "xlsx"])
def test_a_corpus_or_a_text_costs_the_same_on_estimate_languages_and_the_cli(open_app, kind, settings):
    inputs = ["--text", TEXT] if kind == "text" else [str({"csv": TICKETS_CSV, "xlsx": TICKETS_XLSX}[kind])]
    question = "traffic" if kind == "text" else "corpus"
    expected = cli_answer(inputs, settings, question)

    estimate = give_input(open_app({**LINK, **settings["page"]}), "estimate", kind)
    assert estimate_answer(estimate) == expected

    languages = open_app({**LINK, **settings["page"]})
    languages.switch_page("app_pages/languages.py").run()
    give_input(languages, "languages", kind)
    assert languages_answer(languages) == expected


@pytest.mark.parametrize("settings", [DEFAULT, REQUESTS_CHANGED, REQUESTS_BATCH], ids=["default", "changed", "batch"])
def test_a_request_file_costs_the_same_on_the_requests_page_and_in_the_cli(open_app, settings):
    report = cli_json(str(REQUESTS), *settings["cli"])
    expected = {m["model"]: format_money(Decimal(m["total_cost_usd"])) for m in report["models"]}
    bounds = {m["model"]: format_money(Decimal(m["max_total_cost_usd"])) for m in report["models"]}

    at = open_app({**LINK, **settings["page"]})
    at.switch_page("app_pages/requests.py").run()
    at.file_uploader(key="requests_file").set_value(
        [(REQUESTS.name, REQUESTS.read_bytes(), "application/jsonl")]).run()
    assert not at.exception, at.exception
    table = next(df.value for df in at.table if df.value.columns[0] == "Model").set_index("Model")
    assert {m: table.loc[m, "Total cost"] for m in expected} == expected
    assert {m: table.loc[m, "Upper bound"] for m in expected} == bounds
    tokens = {m["model"]: format_tokens(m["input_tokens"]) for m in report["models"]}
    assert {m: table.loc[m, "Prompt tokens"] for m in expected} == tokens


def test_the_cli_prices_a_request_file_with_the_apps_default_reply_and_says_so():
    report = cli_json(str(REQUESTS), "--as-of", "2026-10-01")
    # gpt-4o-mini: 4 requests, each with a 500-token reply held to its own max_tokens.
    requests = [json.loads(line) for line in REQUESTS.read_text(encoding="utf-8").splitlines() if line.strip()]
    held = sum(min(500, r.get("max_tokens") or r.get("max_completion_tokens") or 500)
               for r in requests if r["model"] == "gpt-4o-mini")
    mini = next(m for m in report["models"] if m["model"] == "gpt-4o-mini")
    assert mini["output_tokens"] == held
    assert report["output_assumption"] == {"reply_tokens": 500, "reply_ratio": None, "held_to_max_tokens": True}
    out = io.StringIO()
    assert cli.main(["estimate", str(REQUESTS), "--as-of", "2026-10-01"], out=out) == 0
    assert ("output: an assumed reply of 500 tokens per request, held to each request's max_tokens; "
            "max_total_cost_usd: the upper bound, each request using its whole max_tokens") in out.getvalue()
