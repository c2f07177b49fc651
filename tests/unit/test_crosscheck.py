"""The catalog against genai-prices (offline): every disagreement on any day is explained in
data/catalog/known_disagreements.json, and a wrong price is caught. CI runs this file."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import pytest

import cli
from pricing import load_catalog
from pricing.crosscheck import (
    COMPARED_FIELDS,
    KNOWN_DISAGREEMENTS,
    change_days,
    check,
    compare_with_reference,
    load_known_disagreements,
)
from pricing.schema import CatalogFile

pytest.importorskip("genai_prices", reason="genai-prices is a dev requirement (requirements-dev.txt)")


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def known():
    return load_known_disagreements()


def test_every_disagreement_on_every_day_either_side_changes_is_explained(catalog, known):
    # Prices are constant between the days either side changes, so these days cover the history.
    days = change_days(catalog) + [dt.date.today()]
    unexplained = {(d.model, d.field, d.ours, d.theirs) for day in days for d in check(catalog, day, known).unexplained}
    assert unexplained == set()


def test_every_reviewed_entry_still_explains_something(catalog, known):
    used = {id(k) for day in change_days(catalog) for _, k in check(catalog, day, known).rows}
    stale = [(k.model, k.field) for k in known.disagreements if id(k) not in used]
    assert stale == []


def test_the_gpt_4o_alias_disagreement_is_found_with_both_prices(catalog):
    _, found = compare_with_reference(catalog, dt.date(2024, 6, 1))
    got = {(d.model, d.snapshot, d.reference_model, d.field, d.ours, d.theirs) for d in found}
    assert got == {
        ("gpt-4o", "gpt-4o-2024-05-13", "gpt-4o", "input_per_mtok", Decimal("5"), Decimal("2.5")),
        ("gpt-4o", "gpt-4o-2024-05-13", "gpt-4o", "cached_input_per_mtok", None, Decimal("1.25")),
        ("gpt-4o", "gpt-4o-2024-05-13", "gpt-4o", "output_per_mtok", Decimal("15"), Decimal("10")),
    }


def _with(catalog, model_id: str, **changes):
    entry = catalog.models[model_id]
    period = entry.prices[-1].model_copy(update=changes)
    return catalog.merged(CatalogFile(models=[entry.model_copy(update={"prices": [*entry.prices[:-1], period]})]))


def test_a_wrong_price_in_the_catalog_is_caught(catalog, known):
    wrong = _with(catalog, "gpt-4o-mini-2024-07-18", input_per_mtok=Decimal("0.16"))
    result = check(wrong, dt.date(2026, 12, 1), known)
    assert not result.ok
    assert {(d.model, d.field, d.ours, d.theirs) for d in result.unexplained} == {
        ("gpt-4o-mini-2024-07-18", "input_per_mtok", Decimal("0.16"), Decimal("0.15")),
        ("gpt-4o-mini", "input_per_mtok", Decimal("0.16"), Decimal("0.15")),
    }


def test_a_missing_cached_price_is_caught(catalog, known):
    wrong = _with(catalog, "o4-mini-2025-04-16", cached_input_per_mtok=None)
    got = {(d.model, d.field, d.ours, d.theirs) for d in check(wrong, dt.date(2026, 10, 22), known).unexplained}
    assert got == {(m, "cached_input_per_mtok", None, Decimal("0.275")) for m in ("o4-mini", "o4-mini-2025-04-16")}


def test_a_model_genai_prices_does_not_know_is_a_disagreement(catalog, known):
    entry = catalog.models["gpt-4o-mini-2024-07-18"].model_copy(update={"id": "gpt-zz-test"})
    result = check(catalog.merged(CatalogFile(models=[entry])), dt.date(2026, 12, 1), known)
    assert [(d.model, d.field, d.reference_model) for d in result.unexplained] == [("gpt-zz-test", "model", None)]


def test_cli_check_exits_0_and_lists_the_explained_ones():
    out = io.StringIO()
    assert cli.main(["prices", "--check", "--as-of", "2024-06-01"], out=out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0] == ("catalog_sourced: gpt-4o input_per_mtok: catalog $5 (gpt-4o-2024-05-13), "
                        "genai-prices $2.5 (gpt-4o)")
    assert lines[-1].endswith("on 2024-06-01: 3 disagreements, 3 explained in data/catalog/known_disagreements.json")


def test_cli_check_exits_2_listing_the_unexplained_ones(tmp_path, capsys):
    doc = json.loads((KNOWN_DISAGREEMENTS.parent / "openai.json").read_text(encoding="utf-8"))
    mini = next(m for m in doc["models"] if m["id"] == "gpt-4o-mini-2024-07-18")
    mini["prices"][-1]["output_per_mtok"] = 0.7
    path = tmp_path / "wrong.json"
    path.write_text(json.dumps({"models": [mini]}), encoding="utf-8")
    code = cli.main(["prices", "--check", "--as-of", "2026-12-01", "--prices", str(path)])
    captured = capsys.readouterr()
    assert code == 2
    assert [line for line in captured.out.splitlines() if line.startswith("unexplained")] == [
        "unexplained: gpt-4o-mini output_per_mtok: catalog $0.7 (gpt-4o-mini-2024-07-18), genai-prices $0.6 (gpt-4o-mini)",
        "unexplained: gpt-4o-mini-2024-07-18 output_per_mtok: catalog $0.7 (gpt-4o-mini-2024-07-18), "
        "genai-prices $0.6 (gpt-4o-mini)",
    ]
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("error: 2 disagreement(s) with genai-prices ")


def test_cli_check_json_rows(capsys):
    assert cli.main(["prices", "--check", "--as-of", "2023-04-01", "--format", "json"]) == 0
    rows = [r for r in json.loads(capsys.readouterr().out) if r["field"] in COMPARED_FIELDS]
    assert {(r["model"], r["field"], r["catalog"], r["genai-prices"], r["status"]) for r in rows} == {
        ("gpt-3.5-turbo", "input_per_mtok", "2", "0.5", "catalog_sourced"),
        ("gpt-3.5-turbo", "output_per_mtok", "2", "1.5", "catalog_sourced"),
        ("gpt-3.5-turbo-0301", "input_per_mtok", "2", "1.5", "catalog_sourced"),
        ("text-embedding-ada-002", "input_per_mtok", "0.4", "0.1", "catalog_sourced"),
    }


def test_without_genai_prices_the_check_says_so_plainly(monkeypatch, capsys):
    import sys

    monkeypatch.setitem(sys.modules, "genai_prices", None)
    monkeypatch.setitem(sys.modules, "genai_prices.data", None)
    assert cli.main(["prices", "--check"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ("error: genai-prices is not installed, so there is nothing to check against: "
                            "pip install -r requirements-dev.txt\n")
