"""The command line's contract: output columns and JSON fields, exact counts and costs, exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import cli
import commands.estimate
from pricing.freshness import FRESHNESS_FIELDS
from pricing.reports import PRICE_FIELDS
from tokenizers import get_encoding

ROOT = Path(__file__).resolve().parent.parent.parent
NEGOTIATED = ROOT / "tests" / "fixtures" / "catalogs" / "negotiated.json"
DAY = "2026-10-22"  # every run names its price date so the figures do not drift (the last day gpt-3.5-turbo was served)
MILLION = Decimal(1_000_000)
D = Decimal
TEXT = "Héllo, wörld! 你好，世界 <|endoftext|> costs   money\n\n"


def tiktoken_count(text: str, encoding: str) -> int:
    return len(get_encoding(encoding).encode_ordinary(text))


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = cli.main(list(args), out=out)
    return code, out.getvalue()


def run_json(*args: str):
    code, text = run(*args, "--format", "json")
    assert code == 0
    return json.loads(text, parse_float=Decimal)


# --- prices ------------------------------------------------------------------------------


def test_prices_json_has_the_documented_columns_and_aliases():
    rows = run_json("prices", "--as-of", DAY)
    assert all(list(row) == [*PRICE_FIELDS, *FRESHNESS_FIELDS] for row in rows)
    by_model = {row["model"]: row for row in rows}
    assert {"gpt-4o", "gpt-4o-mini", "gpt-3.5-turbo", "gpt-4o-2024-08-06"} <= set(by_model)
    gpt4o = by_model["gpt-4o"]
    # Money is an exact decimal string, never a float.
    assert (gpt4o["snapshot"], gpt4o["input_per_mtok"], gpt4o["cached_input_per_mtok"], gpt4o["output_per_mtok"]) == (
        "gpt-4o-2024-08-06",
        "2.5",
        "1.25",
        "10",
    )
    assert (gpt4o["encoding"], gpt4o["context_window"], gpt4o["max_output_tokens"]) == ("o200k_base", 128000, 16384)
    assert by_model["gpt-3.5-turbo"]["cached_input_per_mtok"] is None


def test_prices_as_of_a_past_day():
    by_model = {row["model"]: row for row in run_json("prices", "--as-of", "2024-05-20")}
    gpt4o = by_model["gpt-4o"]
    assert (gpt4o["snapshot"], gpt4o["input_per_mtok"], gpt4o["output_per_mtok"]) == ("gpt-4o-2024-05-13", "5", "15")
    assert (gpt4o["effective_from"], gpt4o["effective_to"]) == ("2024-05-13", None)
    # Models not yet launched on that day are left out.
    assert "gpt-4o-mini" not in by_model and "gpt-4o-2024-08-06" not in by_model


def test_prices_csv():
    code, text = run("prices", "--as-of", "2024-05-20", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == PRICE_FIELDS
    gpt4o = next(r for r in rows if r["model"] == "gpt-4o")
    assert (gpt4o["input_per_mtok"], gpt4o["cached_input_per_mtok"], gpt4o["output_per_mtok"]) == ("5", "", "15")
    assert gpt4o["source"].startswith("OpenAI pricing page")


def test_prices_csv_neutralises_formulas_in_a_users_sources(tmp_path):
    catalog = json.loads(NEGOTIATED.read_text(encoding="utf-8"))
    sources = ["@SUM(1+1)", '=HYPERLINK("https://evil.example","click")']
    for model, source in zip(catalog["models"], sources):
        model["prices"][0]["source"] = source
    path = tmp_path / "formulas.json"
    path.write_text(json.dumps(catalog), encoding="utf-8")
    code, text = run("prices", "--prices", str(path), "--format", "csv", "--as-of", DAY)
    assert code == 0
    rows = {row["model"]: row for row in csv.DictReader(io.StringIO(text))}
    ids = [m["id"] for m in catalog["models"][:2]]
    assert [rows[i]["source"] for i in ids] == ["'@SUM(1+1)", "'=HYPERLINK(\"https://evil.example\",\"click\")"]


def test_prices_table():
    code, text = run("prices", "--as-of", "2024-05-20")
    assert code == 0
    lines = text.splitlines()
    assert lines[0].split() == PRICE_FIELDS[:-2]  # the long rules and source columns are left to csv/json
    gpt4o = next(line.split() for line in lines if line.startswith("gpt-4o "))
    assert gpt4o[:6] == ["gpt-4o", "gpt-4o-2024-05-13", "o200k_base", "5", "-", "15"]


def test_prices_with_a_users_catalog_file():
    by_model = {row["model"]: row for row in run_json("prices", "--as-of", DAY, "--prices", str(NEGOTIATED))}
    assert (by_model["gpt-4o-mini"]["input_per_mtok"], by_model["gpt-4o-mini"]["output_per_mtok"]) == ("0.12", "0.48")
    tuned = by_model["ft:gpt-4o-mini-2024-07-18:acme::support-v1"]
    assert (tuned["input_per_mtok"], tuned["output_per_mtok"]) == ("0.3", "1.2")
    assert by_model["gpt-4o"]["input_per_mtok"] == "2.5"


# --- estimate ----------------------------------------------------------------------------


def test_estimate_json_counts_and_costs():
    report = run_json("estimate", "--text", TEXT, "--as-of", DAY, "--output-tokens", "100", "--per-month", "1")
    o200k, cl100k = tiktoken_count(TEXT, "o200k_base"), tiktoken_count(TEXT, "cl100k_base")
    assert report["documents"] == 1
    assert report["skipped"] == []
    assert report["tokens"] == {"o200k_base": o200k, "cl100k_base": cl100k}
    expected = {
        # model: (encoding, input tokens, USD per 1M in, USD per 1M out)
        "gpt-4o": ("o200k_base", o200k, D("2.5"), D("10")),
        "gpt-4o-mini": ("o200k_base", o200k, D("0.15"), D("0.6")),
        "gpt-3.5-turbo": ("cl100k_base", cl100k, D("0.5"), D("1.5")),
    }
    assert [m["model"] for m in report["models"]] == list(expected)  # the default models, in order
    for row in report["models"]:
        encoding, tokens, rate_in, rate_out = expected[row["model"]]
        input_cost, output_cost = tokens * rate_in / MILLION, 100 * rate_out / MILLION
        assert {k: row[k] for k in ("encoding", "input_tokens", "output_tokens")} == {
            "encoding": encoding,
            "input_tokens": tokens,
            "output_tokens": 100,
        }
        assert D(row["input_cost_usd"]) == input_cost
        assert D(row["output_cost_usd"]) == output_cost
        assert D(row["total_cost_usd"]) == input_cost + output_cost


def test_special_token_text_is_counted_as_ordinary_text():
    report = run_json("estimate", "--text", "<|endoftext|>", "--as-of", DAY, "--models", "gpt-4o")
    assert report["tokens"]["o200k_base"] == tiktoken_count("<|endoftext|>", "o200k_base") > 1


def test_estimate_json_notes_a_quote_that_merged_rows(tmp_path):
    data = tmp_path / "broken.csv"
    data.write_bytes(b'id,text\n1,"hello world\n2,this is fine\n3,"another "bad" quote\n')
    report = run_json("estimate", str(data), "--as-of", DAY, "--models", "gpt-4o")
    assert report["documents"] == 1 and report["skipped"] == []
    assert report["notes"] == [{
        "where": f"{data}:2",
        "why": "line 2: a quoted field runs to line 4 and text follows its closing quote: "
               "rows may have been merged; check the quotes",
        "code": "quote_merged_rows",
    }]
    text = 'hello world\n2,this is fine\n3,another "bad" quote'
    assert report["tokens"]["o200k_base"] == tiktoken_count(text, "o200k_base")


def test_estimate_csv_with_groups_and_skipped_rows(tmp_path):
    data = tmp_path / "reviews.csv"
    rows = [("Great product, would buy again.", "en"), ("质量很好，物流很快。", "zh"), ("Terrible <|endoftext|> support", "en")]
    with data.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["review", "lang"])
        writer.writerows(rows[:2])
        writer.writerow(["a ragged row"])
        writer.writerow(rows[2])
    odd = tmp_path / "photo.bin"
    odd.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    report = run_json(
        "estimate", str(data), str(odd), "--column", "review", "--group-by", "lang",
        "--as-of", DAY, "--models", "gpt-4o-mini,gpt-4", "--output-ratio", "0.5",
    )  # fmt: skip
    assert report["documents"] == 3
    assert report["skipped"] == [
        {"where": f"{data}:4", "why": "row 4 has 1 fields, the header has 2", "code": "ragged_row"},
        {"where": str(odd), "why": "this is not a text file (PNG image)", "code": "not_text"},
    ]

    def count(texts, encoding):
        return sum(tiktoken_count(t, encoding) for t in texts)

    en, zh = [rows[0][0], rows[2][0]], [rows[1][0]]
    assert {g: {k: v[k] for k in ("documents", "tokens")} for g, v in report["groups"].items()} == {
        "en": {"documents": 2, "tokens": {"o200k_base": count(en, "o200k_base"), "cl100k_base": count(en, "cl100k_base")}},
        "zh": {"documents": 1, "tokens": {"o200k_base": count(zh, "o200k_base"), "cl100k_base": count(zh, "cl100k_base")}},
    }
    texts = [r[0] for r in rows]
    assert report["tokens"] == {"o200k_base": count(texts, "o200k_base"), "cl100k_base": count(texts, "cl100k_base")}
    mini, gpt4 = report["models"]
    # gpt-4 (cl100k_base) at $30/$60; output is half the input, rounded half up.
    cl = count(texts, "cl100k_base")
    out = int((D(cl) / 2).to_integral_value("ROUND_HALF_UP"))
    assert (gpt4["model"], gpt4["encoding"], gpt4["input_tokens"], gpt4["output_tokens"]) == ("gpt-4", "cl100k_base", cl, out)
    assert D(gpt4["total_cost_usd"]) == cl * D(30) / MILLION + out * D(60) / MILLION
    assert (mini["encoding"], mini["input_tokens"]) == ("o200k_base", count(texts, "o200k_base"))


def test_estimate_without_groups_has_no_groups_key():
    assert "groups" not in run_json("estimate", "--text", "hello", "--as-of", DAY)


def test_estimate_requests_batch_and_cached_share():
    tokens = tiktoken_count(TEXT, "o200k_base")
    args = ("estimate", "--text", TEXT, "--as-of", DAY, "--models", "gpt-4o", "--output-tokens", "40")
    (row,) = run_json(*args, "--requests", "1000", "--batch")["models"]
    # Batch: $1.25 in, $5 out per 1M.
    assert (row["input_tokens"], row["output_tokens"]) == (1000 * tokens, 40_000)
    assert D(row["total_cost_usd"]) == 1000 * tokens * D("1.25") / MILLION + 40_000 * D(5) / MILLION
    (row,) = run_json(*args, "--requests", "1000", "--cached-share", "0.25")["models"]
    # A quarter of the input at the $1.25 cached price, the rest at $2.50.
    total_in = 1000 * tokens
    assert D(row["input_cost_usd"]) == (total_in * D("0.25") * D("1.25") + total_in * D("0.75") * D("2.5")) / MILLION


def test_estimate_with_a_users_catalog_file():
    tokens = tiktoken_count(TEXT, "o200k_base")
    report = run_json(
        "estimate", "--text", TEXT, "--as-of", DAY, "--prices", str(NEGOTIATED), "--output-tokens", "10",
        "--per-month", "1", "--models", "ft:gpt-4o-mini-2024-07-18:acme::support-v1,gpt-4o-mini",
    )  # fmt: skip
    tuned, mini = report["models"]
    assert D(tuned["total_cost_usd"]) == tokens * D("0.3") / MILLION + 10 * D("1.2") / MILLION
    assert D(mini["total_cost_usd"]) == tokens * D("0.12") / MILLION + 10 * D("0.48") / MILLION


def test_estimate_table_and_csv():
    tokens = tiktoken_count("hello world", "o200k_base")
    once = ("--per-month", "1", "--output-tokens", "0")
    code, text = run("estimate", "--text", "hello world", "--as-of", DAY, "--models", "gpt-4o", *once)
    assert code == 0
    lines = text.splitlines()
    assert lines[0].startswith(f"documents: 1  skipped: 0  o200k_base: {tokens} tokens")
    assert lines[1] == "requests priced: 1 (traffic: 1 requests a month, each like the average document)"
    assert lines[2] == "task: custom: 0 output tokens per request"
    at = next(i for i, line in enumerate(lines) if line.startswith("model "))
    assert lines[at].split() == [
        "model", "tokenizer", "count_method", "counted_with", "input_tokens", "output_tokens", "input_cost_usd",
        "output_cost_usd", "total_cost_usd", "cost_per_request_usd",
    ]  # fmt: skip
    model, encoding, method, counted_with, tokens_in, tokens_out, input_cost, output_cost, total, per_request = \
        lines[at + 1].split()
    assert (model, encoding, method, counted_with, tokens_in, tokens_out, output_cost) == (
        "gpt-4o", "o200k_base", "exact", "o200k_base", str(tokens), "0", "0")
    assert D(input_cost) == D(total) == tokens * D("2.5") / MILLION
    code, text = run("estimate", "--text", "hello world", "--as-of", DAY, "--models", "gpt-4o", "--format", "csv", *once)
    (row,) = csv.DictReader(io.StringIO(text))
    assert (row["model"], row["input_tokens"], D(row["total_cost_usd"])) == ("gpt-4o", str(tokens), tokens * D("2.5") / MILLION)


# --- failures: exit 2, one line on stderr, nothing on stdout ---------------------------------


@pytest.fixture
def bad_catalog(tmp_path):
    path = tmp_path / "mine.json"
    path.write_text('{"models": [', encoding="utf-8")
    return path


@pytest.fixture
def big_catalog(tmp_path):
    """A valid price file one byte over the 2 MB cap (the app's cap on an uploaded one)."""
    path = tmp_path / "big.json"
    path.write_text('{"models": []}' + " " * (2 * 1024 * 1024 - 13), encoding="utf-8")
    return path


FAILURES = [
    (("estimate", "--text", "x", "--models", "gpt-4p"), "error: unknown model 'gpt-4p'; did you mean gpt-4, gpt-4o"),
    (("estimate", "--text", "x", "--as-of", "2024-13-01"), "error: cli.py estimate: argument --as-of: not a date (YYYY-MM-DD): '2024-13-01'"),
    (("prices", "--as-of", "yesterday"), "error: cli.py prices: argument --as-of: not a date (YYYY-MM-DD): 'yesterday'"),
    (("estimate", "--text", "x", "--models", "gpt-4o", "--as-of", "2024-01-01"), "error: gpt-4o did not exist on 2024-01-01 (it starts on 2024-05-13)"),
    (("estimate", "{tmp}/missing.txt"), "error: no such file or directory: {tmp}/missing.txt"),
    (("estimate", "--text", "x", "--prices", "{bad}"), "error: {bad}: not valid JSON at line 1, column 13: Expecting value; fix the syntax there"),
    (("prices", "--prices", "{tmp}/nowhere.json"), "error: {tmp}/nowhere.json: cannot read the catalog (No such file or directory)"),
    (("prices", "--prices", "{big}"), "error: {big}: the price file is larger than 2 MB (a catalog is a few KB); give only the models you change"),
    (("estimate", "--text", "x", "--output-tokens", "5", "--output-ratio", "0.5"), "error: give either --output-tokens or --output-ratio, not both"),
    (("estimate", "--text", "x", "--output-tokens", "-5"), "error: cli.py estimate: argument --output-tokens: cannot be negative: '-5'"),
    (("estimate", "--text", "x", "--requests", "-1"), "error: cli.py estimate: argument --runs/--requests: cannot be negative: '-1'"),
    (("estimate", "--text", "x", "--output-ratio", "-0.5"), "error: cli.py estimate: argument --output-ratio: must be between 0 and 100: '-0.5'"),
    (("estimate", "--text", "x", "--cached-share", "1.5"), "error: cli.py estimate: argument --cached-share: must be between 0 and 1: '1.5'"),
    (("estimate", "--text", "x", "--cached-share", "-0.1"), "error: cli.py estimate: argument --cached-share: must be between 0 and 1: '-0.1'"),
    (("estimate", "--text", "x", "--output-ratio", "1e5000"), "error: cli.py estimate: argument --output-ratio: must be between 0 and 100: '1e5000'"),
    (("estimate", "--text", "x", "--output-ratio", "100.5"), "error: cli.py estimate: argument --output-ratio: must be between 0 and 100: '100.5'"),
    (("estimate", "--text", "x", "--output-ratio", "NaN"), "error: cli.py estimate: argument --output-ratio: not a finite number: 'NaN'"),
    (("estimate", "--text", "x", "--output-tokens", "10000001"), "error: cli.py estimate: argument --output-tokens: cannot be more than 10,000,000: '10000001'"),
    (("estimate", "--text", "x", "--output-tokens", "9" * 5000), "error: cli.py estimate: argument --output-tokens: cannot be more than 10,000,000: '" + "9" * 37 + "...'"),
    (("estimate", "--text", "x", "--runs", str(10**12 + 1)), "error: cli.py estimate: argument --runs/--requests: cannot be more than 1,000,000,000,000: '1000000000001'"),
    (("estimate", "--text", "x", "--per-month", "1e3"), "error: cli.py estimate: argument --per-month: not a whole number: '1e3'"),
    (("estimate", "--text", "x", "--per-month", str(10**13)), "error: cli.py estimate: argument --per-month: cannot be more than 1,000,000,000,000: '10000000000000'"),
    (("estimate", "--text", "x", "--image-size", "1x1000000"), "error: cli.py estimate: argument --image-size: not an image size WIDTHxHEIGHT (e.g. 1024x768, each side at most 100,000): '1x1000000'"),
    (("fine-tune", "{tmp}/train.jsonl", "--epochs", "101"), "error: cli.py fine-tune: argument --epochs: cannot be more than 100: '101'"),
    (("prices", "--as-of", "1900-01-01"), "error: no model had a price on 1900-01-01; the earliest price is from 2022-11-28"),
    (("estimate", "--text", "x", "--output-ratio", "lots"), "error: cli.py estimate: argument --output-ratio: not a number: 'lots'"),
    (("estimate", "--text", "x", "--models", "gpt-4o,o1-preview", "--batch", "--as-of", "2025-07-27"),
     "error: o1-preview has no Batch API price (prices from 2024-10-01); price it without Batch"),
    (("estimate", "--text", "x", "--models", "text-davinci-003", "--as-of", "2023-12-01"), "error: text-davinci-003 uses p50k_base, which was not counted (counted: o200k_base, cl100k_base)"),
    (("estimate", "--text", "x", "--models", "o1-preview", "--as-of", DAY),
     "error: o1-preview was shut down on 2025-07-28; price it as of an earlier date or pick a current model"),
    (("estimate", "--text", "x", "--models", ","), "error: --models is empty"),
    (("estimate", "--text", "x", "--format", "xml"), "error: cli.py estimate: argument --format: invalid choice: 'xml'"),
    (("bogus",), "error: cli.py: argument command: invalid choice: 'bogus'"),
]


@pytest.mark.parametrize(("args", "message"), FAILURES, ids=[(" ".join(a[:3]) + " " + a[-1])[:80] for a, _ in FAILURES])
def test_failures_exit_2_with_one_line(tmp_path, bad_catalog, big_catalog, capsys, args, message):
    fill = {"tmp": str(tmp_path), "bad": str(bad_catalog), "big": str(big_catalog)}
    code, out = run(*(a.format(**fill) for a in args))
    err = capsys.readouterr().err
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.endswith("\n")
    assert err.startswith(message.format(**fill))
    assert "Traceback" not in err


def test_a_failure_while_writing_leaves_stdout_empty(monkeypatch, capsys):
    def half_written(report, fmt, out):
        out.write("documents: 1\n")
        raise ValueError("broken halfway")

    monkeypatch.setattr(commands.estimate, "write_estimate_report", half_written)
    assert run("estimate", "--text", "x", "--as-of", DAY) == (2, "")
    assert capsys.readouterr().err == "error: unexpected ValueError: broken halfway\n"


def test_help_exits_0(capsys):
    assert run("estimate", "--help")[0] == 0
    assert "--output-ratio" in capsys.readouterr().out


# --- as a real process -------------------------------------------------------------------


def test_as_a_process_failure_and_stdin(tmp_path):
    bad = tmp_path / "prices.json"
    bad.write_bytes(b"\xff\xfe{}")
    failed = subprocess.run(
        [sys.executable, "cli.py", "estimate", "--text", "hi", "--prices", str(bad)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert failed.returncode == 2
    assert failed.stdout == ""
    assert failed.stderr == f"error: {bad}: the catalog is not UTF-8 text; save it as UTF-8\n"

    done = subprocess.run(
        [sys.executable, "cli.py", "estimate", "--format", "json", "--as-of", DAY, "--models", "gpt-4o-mini",
         "--per-month", "1"],
        cwd=ROOT, input=TEXT, capture_output=True, text=True, encoding="utf-8", timeout=120,
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (0, "")
    report = json.loads(done.stdout)
    assert report["tokens"] == {"o200k_base": tiktoken_count(TEXT, "o200k_base"), "cl100k_base": tiktoken_count(TEXT, "cl100k_base")}
    assert D(report["models"][0]["input_cost_usd"]) == tiktoken_count(TEXT, "o200k_base") * D("0.15") / MILLION


def test_an_unconfirmed_tokenizer_is_said_in_every_format():
    args = ("estimate", "--text", "hello world", "--models", "gpt-6-astra,gpt-4o", "--as-of", "2026-11-23")
    note = "tokenizer of gpt-6-astra is not confirmed: counted with o200k_base"
    code, table = run(*args)
    assert code == 0 and f"gpt-6-astra: {note}" in table.splitlines()
    assert not [line for line in table.splitlines() if line.startswith("gpt-4o: ")]
    models = {m["model"]: m for m in run_json(*args)["models"]}
    assert (models["gpt-6-astra"]["notes"], models["gpt-4o"]["notes"]) == ([note], [])


def test_prices_lists_flex_and_priority_where_published():
    by_model = {row["model"]: row for row in run_json("prices", "--as-of", DAY)}
    tiers = ("flex_input_per_mtok", "flex_output_per_mtok", "priority_input_per_mtok", "priority_output_per_mtok")
    assert [by_model["gpt-5.4"][f] for f in tiers] == ["1.25", "7.5", "5", "30"]
    assert [by_model["gpt-4o-mini"][f] for f in tiers] == [None, None, "0.25", "1"]  # no Flex for gpt-4o-mini
    # Flex began on 2025-04-17 (o3 and o4-mini): the day before, no Flex price is listed.
    before = {row["model"]: row for row in run_json("prices", "--as-of", "2025-04-16")}
    after = {row["model"]: row for row in run_json("prices", "--as-of", "2025-04-17")}
    assert before["o4-mini"]["flex_input_per_mtok"] is None and after["o4-mini"]["flex_input_per_mtok"] == "0.55"


def test_the_results_csv_says_what_produced_it():
    """Each row of the app's results CSV carries the price date, tier, question, task, requests
    priced and output per request (a download read later explains itself)."""
    import datetime as dt

    from pricing import load_catalog
    from pricing.estimates import CorpusTotals, build_estimate
    from pricing.reports import estimate_context, results_csv
    from pricing.tasks import make_plan
    from pricing.cost import Workload

    workload = Workload({"o200k_base": 100, "cl100k_base": 120}, documents=1)
    totals = CorpusTotals(workload, {None: workload}, {}, [], [])
    plan = make_plan(pasted_only=True)
    assumptions = plan.assumptions(tier="batch", as_of=dt.date(2026, 10, 1))
    est = build_estimate(totals, ["gpt-4o-mini"], load_catalog(), plan, assumptions)
    lines = list(csv.reader(io.StringIO(results_csv(est.rows, estimate_context(est)).decode("utf-8-sig"))))
    row = dict(zip(lines[0], lines[1]))
    assert (row["price_date"], row["tier"], row["question"], row["task"], row["requests_priced"],
            row["output_tokens_per_request"], row["output_ratio"]) == (
        "2026-10-01", "batch", "traffic", "chat", "1000", "500", "")
    # 1,000 requests of 100 input and 500 output tokens at gpt-4o-mini's Batch $0.075 / $0.30 per 1M.
    assert Decimal(row["total_cost_usd"]) == (100_000 * Decimal("0.075") + 500_000 * Decimal("0.3")) / 1_000_000


@pytest.mark.parametrize("inputs", [["--text", "hello"], [str(ROOT / "examples" / "chat_requests.jsonl")],
                                    ["--quick", str(ROOT / "examples" / "reviews.csv")]])
def test_every_table_names_its_price_date(inputs):
    out = io.StringIO()
    assert cli.main(["estimate", *inputs, "--as-of", DAY], out=out) == 0
    assert out.getvalue().splitlines()[0].endswith(f"  prices of: {DAY}")
