"""Edited prices are held to the catalog's own rules; problems come back as codes."""

import datetime as dt
import json
from decimal import Decimal as D

import pytest

from pricing import load_catalog, parse_catalog_file
from pricing.overrides import EditError, edited_entry, override_file, period_rows

CATALOG = load_catalog()
MINI = CATALOG.models["gpt-4o-mini-2024-07-18"]


def _row(**changes):
    row = period_rows(MINI)[-1]  # the price in force (from prompt caching's launch, 2024-10-01)
    row.update(changes)
    return row


def test_rows_round_trip():
    assert edited_entry(MINI, period_rows(MINI)) == MINI


def test_a_price_cut_from_editor_floats_is_exact_and_priced():
    rows = [
        _row(effective_to=dt.date(2026, 1, 1)),
        _row(effective_from=dt.date(2026, 1, 1), effective_to=None, input_per_mtok=0.075,
             output_per_mtok=0.3, evidence="unverified", source="my contract"),
    ]
    entry = edited_entry(MINI, rows)
    assert entry.prices[1].input_per_mtok == D("0.075")  # not 0.07499999...
    catalog = CATALOG.merged(override_file([entry]))
    assert catalog.price("gpt-4o-mini", dt.date(2026, 2, 1)).input_per_mtok == D("0.075")
    assert catalog.price("gpt-4o-mini", dt.date(2025, 2, 1)).input_per_mtok == D("0.15")
    assert CATALOG.price("gpt-4o-mini", dt.date(2026, 2, 1)).input_per_mtok == D("0.15")  # untouched


def _codes(rows):
    with pytest.raises(EditError) as caught:
        edited_entry(MINI, rows)
    return [(p.code, p.params["row"], p.params["field"]) for p in caught.value.problems]


def test_bad_cells_are_reported_by_row_and_field():
    assert _codes([_row(input_per_mtok=-1.0)]) == [("edit_negative", 1, "input_per_mtok")]
    assert _codes([_row(), _row(output_per_mtok=None)]) == [("edit_missing", 2, "output_per_mtok")]
    assert _codes([_row(input_per_mtok=0.1234567)]) == [("edit_decimal_places", 1, "input_per_mtok")]
    assert _codes([_row(evidence="trust me")]) == [("edit_evidence", 1, "evidence")]
    assert _codes([_row(effective_from="yesterday")]) == [("edit_not_a_date", 1, "effective_from")]
    assert _codes([_row(effective_to=dt.date(2020, 1, 1))]) == [("edit_ends_before_start", 1, "")]
    assert _codes([_row(source="  ")]) == [("edit_missing", 1, "source")]


def test_periods_must_be_in_order_and_must_not_overlap():
    late = _row(effective_from=dt.date(2026, 1, 1))
    assert _codes([late, _row()])[0][0] == "edit_out_of_order"
    assert _codes([_row(), _row(effective_from=dt.date(2026, 1, 1))])[0][0] == "edit_overlap"


def test_blank_rows_are_ignored_but_some_row_is_needed():
    blank = {k: None for k in period_rows(MINI)[0]}
    assert edited_entry(MINI, [blank, *period_rows(MINI)]) == MINI
    assert _codes([blank]) == [("edit_no_rows", "", "")]


def test_override_file_is_a_valid_catalog_file():
    entry = edited_entry(MINI, [_row(input_per_mtok=0.2)])
    raw = json.loads(override_file([entry]).model_dump_json(by_alias=True, exclude_none=True))
    parsed = parse_catalog_file(raw, "override.json")
    assert parsed.models[0].prices[0].input_per_mtok == D("0.2")
