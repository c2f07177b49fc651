"""`cli.py estimate --quick`: big plain text files sampled with an interval that holds the exact
count, every other input counted exactly, costs of the bounds from the cost engine."""

from __future__ import annotations

import csv
import io
import json
import random
import re
from decimal import Decimal
from pathlib import Path

import pytest

import cli
import commands.estimate
import commands.parser
from pricing import Assumptions, load_catalog
from pricing.cost import Workload, estimate
from tokenizers import get_encoding

DAY = "2026-10-22"  # the last day gpt-3.5-turbo was served (it is among MODELS)
MODELS = "gpt-4o,gpt-3.5-turbo"
MILLION = Decimal(1_000_000)
ENCODINGS = ("o200k_base", "cl100k_base")
# Words of several scripts, so stretches of the file differ in tokens per byte.
WORDS = [
    "the", "of", "and", "price", "model", "token", "estimate", "sample", "costs", "money", "Héllo", "wörld",
    "naïve", "你好", "世界", "价格", "模型", "Привет", "мир", "こんにちは", "東京", "مرحبا", "123", "4567", "#tag",
    "http://x.io/a?b=c",
]
QUICK_BYTES = 256 << 10  # sample about 256 KB of the ~4 MB file (the default would count it all)


def tiktoken_count(text: str, encoding: str) -> int:
    return len(get_encoding(encoding).encode_ordinary(text))


@pytest.fixture(autouse=True)
def small_sample(monkeypatch):
    monkeypatch.setattr(commands.estimate, "QUICK_SAMPLE_BYTES", QUICK_BYTES)
    monkeypatch.setattr(commands.estimate, "QUICK_STRATA", 32)


@pytest.fixture(scope="module")
def big_text(tmp_path_factory) -> Path:
    """~4 MB of UTF-8 lines whose mix of scripts drifts along the file."""
    rng = random.Random(7)
    lines = []
    size = 0
    while size < 4 << 20:
        share = size / (4 << 20)  # later lines use more of the non-Latin words
        pool = WORDS[: 13 + int(share * (len(WORDS) - 13))]
        line = " ".join(rng.choice(pool) for _ in range(rng.randint(2, 30))) + "\n"
        lines.append(line)
        size += len(line.encode())
    path = tmp_path_factory.mktemp("quick") / "big.txt"
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def big_exact(big_text) -> dict[str, int]:
    """The exact counts of big.txt, from `cli.py estimate` without --quick."""
    return run_json("estimate", str(big_text))["tokens"]


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = cli.main([*args, "--as-of", DAY, "--models", MODELS], out=out)
    return code, out.getvalue()


def run_json(*args: str) -> dict:
    code, text = run(*args, "--format", "json")
    assert code == 0
    return json.loads(text, parse_float=Decimal)


def test_big_text_file_exact_counts_agree_with_tiktoken(big_text, big_exact):
    text = big_text.read_text(encoding="utf-8")
    assert big_exact == {e: tiktoken_count(text, e) for e in ENCODINGS}


def test_quick_interval_holds_the_exact_count_on_both_encodings(big_text, big_exact):
    report = run_json("estimate", str(big_text), "--quick")
    assert report["exact"] is False
    assert report["documents"] == 1
    assert set(report["estimate"]) == set(ENCODINGS)
    for encoding in ENCODINGS:
        e = report["estimate"][encoding]
        assert (e["method"], e["confidence"]) == ("stratified_byte_ranges", Decimal("0.95"))
        assert e["low"] <= big_exact[encoding] <= e["high"], (encoding, e, big_exact[encoding])
        assert e["low"] < e["tokens"] < e["high"]
        assert report["tokens"][encoding] == e["tokens"]
        # A real estimate: within 5% of the exact count, from a sample of a sixteenth of the file.
        assert abs(e["tokens"] - big_exact[encoding]) < big_exact[encoding] * 0.05
        assert e["high"] - e["low"] < big_exact[encoding] * 0.2


def test_quick_costs_of_the_bounds_are_the_cost_engines(big_text):
    report = run_json("estimate", str(big_text), "--quick", "--output-tokens", "100", "--requests", "3")
    e = report["estimate"]
    rows = {r["model"]: r for r in report["models"]}
    # By hand: gpt-4o $2.5 in / $10 out per Mtok; gpt-3.5-turbo $0.5 / $1.5; one document sent 3 times.
    for model, encoding, price_in, price_out in (("gpt-4o", "o200k_base", "2.5", "10"),
                                                  ("gpt-3.5-turbo", "cl100k_base", "0.5", "1.5")):
        for bound, field in (("tokens", "total_cost_usd"), ("low", "total_cost_usd_low"),
                             ("high", "total_cost_usd_high")):
            by_hand = (e[encoding][bound] * 3 * Decimal(price_in) + 300 * Decimal(price_out)) / MILLION
            assert Decimal(rows[model][field]) == by_hand, (model, field)
        assert rows[model]["input_tokens"] == e[encoding]["tokens"] * 3
    # And the engine itself, on the low token numbers.
    a = Assumptions(output_tokens_per_request=100, requests=3, as_of=commands.parser._date(DAY))
    low = {enc: v["low"] for enc, v in e.items()}
    engine = estimate(Workload(tokens=low, documents=1), MODELS.split(","), load_catalog(), a)
    assert [r.total_cost for r in engine] == [Decimal(rows[m]["total_cost_usd_low"]) for m in MODELS.split(",")]


@pytest.fixture
def big_csv(tmp_path) -> tuple[Path, list[str]]:
    """A CSV bigger than the quick sample size (it must still be counted row by row, exactly)."""
    rng = random.Random(3)
    reviews = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 40))) for _ in range(3000)]
    path = tmp_path / "reviews.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["review", "stars"])
        writer.writerows([r, i % 5] for i, r in enumerate(reviews))
    assert path.stat().st_size > QUICK_BYTES
    return path, reviews


def test_quick_counts_a_csv_exactly(big_csv):
    path, reviews = big_csv
    report = run_json("estimate", str(path), "--quick")
    assert report["exact"] is True
    assert report["documents"] == len(reviews)
    for encoding in ENCODINGS:
        exact = sum(tiktoken_count(r, encoding) for r in reviews)
        assert report["estimate"][encoding] == {"tokens": exact, "low": exact, "high": exact,
                                                "confidence": Decimal("1.0"), "method": "exact"}
        assert report["tokens"][encoding] == exact
    for row in report["models"]:
        assert row["total_cost_usd_low"] == row["total_cost_usd"] == row["total_cost_usd_high"]


def test_quick_adds_exact_inputs_to_every_bound(big_text, big_csv):
    path, reviews = big_csv
    text = "你好，世界 <|endoftext|> costs money"
    alone = run_json("estimate", str(big_text), "--quick")["estimate"]
    report = run_json("estimate", str(big_text), str(path), "--quick", "--text", text)
    assert report["documents"] == 1 + len(reviews) + 1
    assert report["exact"] is False
    for encoding in ENCODINGS:
        exact = sum(tiktoken_count(r, encoding) for r in reviews) + tiktoken_count(text, encoding)
        got = report["estimate"][encoding]
        assert [got[k] for k in ("tokens", "low", "high")] == [alone[encoding][k] + exact for k in ("tokens", "low", "high")]


def test_quick_with_text_only_is_exact():
    text = "Héllo <|endoftext|> 你好"
    report = run_json("estimate", "--text", text, "--quick")
    assert report["exact"] is True and report["documents"] == 1
    for encoding in ENCODINGS:
        n = tiktoken_count(text, encoding)
        assert report["estimate"][encoding] == {"tokens": n, "low": n, "high": n, "confidence": Decimal("1.0"),
                                                      "method": "exact"}


def test_quick_counts_utf16_and_small_files_exactly(tmp_path, big_text):
    text = big_text.read_text(encoding="utf-8")[: 300_000]
    wide = tmp_path / "wide.txt"
    wide.write_text(text, encoding="utf-16")  # 600 KB, more than the sample size
    assert wide.stat().st_size > QUICK_BYTES
    small = tmp_path / "small.txt"
    small.write_text(text[:1000], encoding="utf-8")
    for path, content in ((wide, text), (small, text[:1000])):
        e = run_json("estimate", str(path), "--quick")["estimate"]
        for encoding in ENCODINGS:
            n = tiktoken_count(content, encoding)
            assert (e[encoding]["tokens"], e[encoding]["low"], e[encoding]["high"], e[encoding]["method"]) == (
                n, n, n, "exact")


def test_quick_table_labels_the_estimate(big_text):
    code, out = run("estimate", str(big_text), "--quick")
    assert code == 0
    report = run_json("estimate", str(big_text), "--quick")["estimate"]
    header = out.splitlines()[0]
    for encoding in ENCODINGS:
        e = report[encoding]
        found = re.search(rf"{encoding}: ~{e['tokens']:,} tokens \(95%: ([0-9.]+)M-([0-9.]+)M, estimate\)", header)
        assert found, header
        low, high = found.groups()
        # Millions with just enough decimals for the two ends to differ.
        places = len(low.split(".")[1])
        assert low != high and len(high.split(".")[1]) == places
        assert (low, high) == (f"{e['low'] / 1e6:.{places}f}", f"{e['high'] / 1e6:.{places}f}")
        assert places == 1 or f"{e['low'] / 1e6:.{places - 1}f}" == f"{e['high'] / 1e6:.{places - 1}f}"
    assert re.search(r"total_cost_usd_low\s+total_cost_usd_high$", out.splitlines()[2])


def test_quick_csv_output_has_the_bounds(big_text):
    code, out = run("estimate", str(big_text), "--quick", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    report = run_json("estimate", str(big_text), "--quick")
    assert [(r["model"], r["total_cost_usd_low"], r["total_cost_usd_high"]) for r in rows] == [
        (m["model"], m["total_cost_usd_low"], m["total_cost_usd_high"]) for m in report["models"]]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--text", "x", "--group-by", "stars"], "error: --quick gives totals only: drop --group-by, or count exactly without --quick"),
        (["missing.txt"], "error: no such file or directory: missing.txt"),
        (["binary.bin"], "error: nothing could be read: binary.bin: "),
    ],
)
def test_quick_failures_exit_2_with_one_line(tmp_path, monkeypatch, capsys, args, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "binary.bin").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 2000)
    code, out = run("estimate", *args, "--quick")
    err = capsys.readouterr().err
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith(message), err


def test_quick_samples_big_text_files_in_folders_and_counts_the_rest_exactly(tmp_path, big_text, big_exact, big_csv):
    csv_path, reviews = big_csv
    folder = tmp_path / "docs"
    (folder / "sub" / ".git").mkdir(parents=True)
    (folder / "sub" / "big.txt").write_bytes(big_text.read_bytes())
    (folder / "reviews.csv").write_bytes(csv_path.read_bytes())
    (folder / ".hidden.txt").write_text("secret", encoding="utf-8")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(200))
    quick = run_json("estimate", str(folder), "--quick")
    exact = run_json("estimate", str(folder))
    assert quick["documents"] == exact["documents"] == 1 + len(reviews)
    assert sorted((s["where"], s["code"]) for s in quick["skipped"]) == sorted(
        (s["where"], s["code"]) for s in exact["skipped"]) == sorted(
        [(str(folder / ".hidden.txt"), "hidden"), (str(folder / "image.png"), "not_text"),
         (str(folder / "sub" / ".git"), "hidden")])
    for encoding in ENCODINGS:
        e = quick["estimate"][encoding]
        rows = sum(tiktoken_count(r, encoding) for r in reviews)
        assert exact["tokens"][encoding] == big_exact[encoding] + rows
        assert e["method"] == "stratified_byte_ranges"
        assert e["low"] - rows <= big_exact[encoding] <= e["high"] - rows
        assert e["low"] < e["tokens"] < e["high"]
