"""The catalog says when it was last checked, and warns past 60 days before the price date."""

from __future__ import annotations

import datetime as dt
import io
import json

import cli
from pricing import load_catalog
from pricing.freshness import Freshness, freshness

CHECKED = dt.date(2026, 11, 23)  # data/catalog/openai.json "checked"


def test_the_embedded_catalog_knows_its_check_date():
    assert freshness(load_catalog(), dt.date(2026, 12, 1)) == Freshness(CHECKED, dt.date(2026, 12, 1))


def test_sixty_days_is_fresh_and_sixty_one_is_stale():
    assert Freshness(CHECKED, CHECKED + dt.timedelta(days=60)).stale is False
    assert Freshness(CHECKED, CHECKED + dt.timedelta(days=61)).stale is True
    assert Freshness(CHECKED, dt.date(2024, 5, 20)).stale is False  # the past is not stale
    assert Freshness(None, CHECKED).stale is True


def _prices(*args: str) -> str:
    out = io.StringIO()
    assert cli.main(["prices", *args], out=out) == 0
    return out.getvalue()


def test_the_table_ends_with_the_check_date():
    assert _prices("--as-of", "2026-12-01").splitlines()[-1] == (
        "catalog last checked on 2026-11-23, 8 days before the price date 2026-12-01")


def test_the_table_warns_when_the_check_is_older_than_60_days():
    assert _prices("--as-of", "2027-01-23").splitlines()[-1] == (
        "warning: the catalog was last checked on 2026-11-23, 61 days before the price date 2027-01-23 "
        "(more than 60); prices may have changed since (python cli.py prices --check compares it with genai-prices)")


def test_json_rows_carry_the_check_date_and_staleness():
    fresh = json.loads(_prices("--as-of", "2026-12-01", "--format", "json"))
    stale = json.loads(_prices("--as-of", "2027-01-23", "--format", "json"))
    assert {(r["catalog_checked"], r["catalog_stale"]) for r in fresh} == {("2026-11-23", False)}
    assert {(r["catalog_checked"], r["catalog_stale"]) for r in stale} == {("2026-11-23", True)}


def test_csv_stays_a_plain_table():
    assert "catalog" not in _prices("--as-of", "2026-12-01", "--format", "csv").splitlines()[-1]
