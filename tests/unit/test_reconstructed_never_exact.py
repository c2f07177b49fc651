"""A count made on a reconstruction of a vendor's tokenizer (as Claude's are) is called
"reconstructed" on every surface of the command line, never "exact"; a model whose tokenizer is
not counted offline is called "estimate". The test tokenizer "small-recon" stands in for
Claude's until its engine lands (tests/small_tokenizer.py)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import commands.estimate
from cli import main
from tests.small_tokenizer import RECONSTRUCTED_NAME, small_count

MODELS_FILE = Path(__file__).resolve().parents[1] / "fixtures" / "catalogs" / "small_bpe_models.json"
ARGS = ["--models", "recon-chat,uncounted-chat", "--prices", str(MODELS_FILE), "--as-of", "2026-11-01"]
TEXT = "Hello there, 价格是多少？\n" * 20


def run(capsys, *args: str) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out


def test_json_csv_and_table_call_a_reconstruction_reconstructed(small_tokenizer, tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    report = json.loads(run(capsys, "estimate", str(path), *ARGS, "--format", "json"))
    assert report["tokens"][RECONSTRUCTED_NAME] == small_count(TEXT)
    methods = {m["model"]: m["count_method"] for m in report["models"]}
    assert methods == {"recon-chat": "reconstructed", "uncounted-chat": "estimate"}
    rows = list(csv.DictReader(io.StringIO(run(capsys, "estimate", str(path), *ARGS, "--format", "csv"))))
    assert [(r["model"], r["count_method"]) for r in rows] == [("recon-chat", "reconstructed"),
                                                               ("uncounted-chat", "estimate")]
    table = run(capsys, "estimate", str(path), *ARGS)
    recon_line = next(line for line in table.splitlines() if line.startswith("recon-chat "))
    assert "reconstructed" in recon_line.split() and "exact" not in recon_line.split()


def test_the_quick_report_says_reconstructed_for_a_file_counted_whole(small_tokenizer, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(commands.estimate, "QUICK_SAMPLE_BYTES", 10_000)
    path = tmp_path / "small.txt"
    path.write_text(TEXT, encoding="utf-8")  # under the sample size: counted whole
    table = run(capsys, "estimate", str(path), *ARGS, "--quick")
    assert f"{RECONSTRUCTED_NAME}: {small_count(TEXT):,} tokens (reconstructed)" in table.splitlines()[0]
    assert "o200k_base" in table.splitlines()[0] and f"{RECONSTRUCTED_NAME}: {small_count(TEXT):,} tokens (exact)" \
        not in table


def test_the_quick_estimate_samples_every_tokenizer_the_models_need(small_tokenizer, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(commands.estimate, "QUICK_SAMPLE_BYTES", 20_000)
    monkeypatch.setattr(commands.estimate, "QUICK_STRATA", 16)
    path = tmp_path / "big.txt"
    lines = [f"line {i}: " + ("Hello there, 价格是多少？ " * (1 + i % 5)) for i in range(4000)]
    path.write_text("\n".join(lines), encoding="utf-8")
    report = json.loads(run(capsys, "estimate", str(path), *ARGS, "--quick", "--format", "json"))
    sampled = report["estimate"][RECONSTRUCTED_NAME]
    exact = small_count("\n".join(lines))
    assert sampled["method"] == "stratified_byte_ranges" and sampled["low"] <= sampled["tokens"] <= sampled["high"]
    assert abs(sampled["tokens"] - exact) / exact < 0.05
    assert {m["model"]: m["count_method"] for m in report["models"]}["recon-chat"] == "reconstructed"
