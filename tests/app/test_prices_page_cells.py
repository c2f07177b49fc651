"""The Prices page's cells: an embedding model's output price is an empty cell ("–"), never "$0",
and the Snapshot column is wide enough for a dated snapshot id."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"


def open_prices() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update({"lang": "en", "date": "2026-10-01"})
    at.switch_page("app_pages/prices.py")
    at.run()
    assert not at.exception, at.exception
    return at


def test_embedding_models_show_no_output_price_and_chat_models_theirs():
    today = open_prices().dataframe[0].value.set_index("Model")
    small = today.loc["text-embedding-3-small"]
    assert small["Input"] == 0.02 and small.isna()["Output"]
    assert today.loc["gpt-4o-mini", "Output"] == 0.6


def test_the_snapshot_column_is_wide_enough_for_a_dated_snapshot():
    frame = open_prices().dataframe[0]
    config = json.loads(frame.proto.columns)
    assert config["Snapshot"]["width"] >= 200
