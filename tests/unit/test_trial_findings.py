"""Findings of the new-user trial: fine-tuning defaults offered on the price date, training-file detection."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import cli
from ingest.requests import read_requests
from pricing import load_catalog
from pricing.fine_tuning import FINE_TUNING_MODELS, default_fine_tuning_models, looks_like_training_file

ROOT = Path(__file__).resolve().parents[2]
CATALOG = load_catalog()
TODAY = dt.date(2026, 12, 1)  # after gpt-3.5-turbo's shutdown on 2026-10-23


def test_fine_tuning_defaults_leave_out_a_model_shut_down_by_the_price_date():
    assert FINE_TUNING_MODELS == ("gpt-4o-mini", "gpt-4o", "gpt-3.5-turbo")
    assert default_fine_tuning_models(CATALOG, dt.date(2026, 10, 22)) == ["gpt-4o-mini", "gpt-4o", "gpt-3.5-turbo"]
    assert default_fine_tuning_models(CATALOG, dt.date(2026, 10, 23)) == ["gpt-4o-mini", "gpt-4o"]
    assert default_fine_tuning_models(CATALOG, TODAY) == ["gpt-4o-mini", "gpt-4o"]
    # gpt-4o-mini was first priced on 2024-07-18.
    assert default_fine_tuning_models(CATALOG, dt.date(2024, 6, 1)) == ["gpt-4o", "gpt-3.5-turbo"]


def test_cli_fine_tune_defaults_to_the_models_offered_on_the_date():
    out = io.StringIO()
    path = ROOT / "examples" / "fine_tune_train.jsonl"
    assert cli.main(["fine-tune", str(path), "--as-of", TODAY.isoformat(), "--format", "json"], out=out) == 0
    report = json.loads(out.getvalue())
    assert [m["model"] for m in report["models"]] == ["gpt-4o-mini", "gpt-4o"]
    assert report["not_priced"] == []
    # 995 tokens per epoch x 8 epochs (12 examples: 100 // 12) at $3 per 1M on gpt-4o-mini.
    mini = report["models"][0]
    assert (mini["dataset_tokens"], mini["epochs"]) == (995, 8)
    assert Decimal(mini["training_cost_usd"]) == Decimal(995 * 8 * 3) / 1_000_000


def test_a_file_is_training_data_only_when_every_example_has_an_assistant_reply():
    train = (ROOT / "examples" / "fine_tune_train.jsonl").read_bytes()
    requests = (ROOT / "examples" / "chat_requests.jsonl").read_bytes()
    assert looks_like_training_file(read_requests("train.jsonl", train))
    assert not looks_like_training_file(read_requests("chat_requests.jsonl", requests))
    assert not looks_like_training_file(read_requests("empty.jsonl", b""))
