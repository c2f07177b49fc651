"""Today's prices: the models a user would pick on a day, apart from legacy and retired ones;
a cached input price above the input price is refused by the schema; $0 prices warned about."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from pydantic import ValidationError

from pricing import load_catalog
from pricing.schema import PricePeriod, TierRates
from pricing.overrides import EditError, edited_entry, period_rows, price_warnings
from pricing.today import current_models, todays_prices

CATALOG = load_catalog()
DAY = dt.date(2026, 6, 1)  # legacy models still offered (many were shut down on 2026-10-23)


def _by_model(day=DAY):
    return {r.model: r for r in todays_prices(CATALOG, day)}


def test_each_id_has_its_status_on_the_day():
    rows = _by_model()
    assert rows["gpt-4o"].status == "current" and rows["gpt-4o"].snapshot == "gpt-4o-2024-08-06"
    assert rows["gpt-4o"].period.input_per_mtok == D("2.5") and rows["gpt-4o"].period.output_per_mtok == D("10")
    assert rows["gpt-5.4"].status == "current"
    assert rows["text-embedding-3-small"].status == "current"
    # The generation before GPT-4o (cl100k_base) and a snapshot gpt-4o no longer points to: legacy.
    assert rows["gpt-3.5-turbo"].status == "legacy" and rows["gpt-4"].status == "legacy"
    assert rows["gpt-4o-2024-05-13"].status == "legacy"
    # Shut down before the day: retired, with the last price and the shutdown day.
    assert rows["text-davinci-003"].status == "retired" and rows["text-davinci-003"].shutdown == dt.date(2024, 1, 4)
    assert rows["gpt-4.5-preview"].status == "retired"
    assert rows["gpt-4.5-preview"].period.input_per_mtok == D("75")


def test_a_snapshot_an_alias_points_to_is_listed_once_under_the_alias():
    rows = _by_model()
    assert "gpt-4o-2024-08-06" not in rows and "gpt-4o-mini-2024-07-18" not in rows
    assert "gpt-4o-2024-11-20" in rows  # no alias points to it: listed by its own id


def test_the_order_is_current_legacy_retired_newest_first():
    rows = todays_prices(CATALOG, DAY)
    statuses = [r.status for r in rows]
    assert statuses == sorted(statuses, key=["current", "legacy", "retired"].index)
    current = [r for r in rows if r.status == "current"]
    assert [r.launched for r in current] == sorted((r.launched for r in current), reverse=True)


def test_on_an_earlier_day_models_not_yet_launched_are_left_out_and_davinci_was_current_then():
    rows = _by_model(dt.date(2023, 6, 1))
    assert "gpt-4o" not in rows and "gpt-5" not in rows
    assert rows["text-davinci-003"].status == "legacy"  # p50k_base: before GPT-4o, not yet shut down


def test_current_models_are_todays_chat_models_newest_first():
    models = current_models(CATALOG, dt.date(2026, 12, 1))
    assert models[0].startswith(("gpt-5.6", "gpt-6"))
    assert "gpt-4o" in models and "gpt-3.5-turbo" not in models and "text-davinci-003" not in models
    assert "gpt-3.5-turbo" not in current_models(CATALOG, DAY)  # legacy while it was still offered
    assert not any(m.startswith("text-embedding") for m in models)


@pytest.mark.parametrize("cls", [PricePeriod, TierRates])
def test_a_cached_input_price_above_the_input_price_is_refused(cls):
    fields = dict(input_per_mtok="1", cached_input_per_mtok="1.5", output_per_mtok="2", evidence="verified",
                  source="x")
    if cls is PricePeriod:
        fields["effective_from"] = "2025-01-01"
    with pytest.raises(ValidationError, match="cached_input_per_mtok 1.5 must not be above input_per_mtok 1"):
        cls.model_validate(fields)
    assert cls.model_validate({**fields, "cached_input_per_mtok": "1"}).cached_input_per_mtok == D("1")


def test_an_edited_cached_price_above_input_has_its_own_code():
    mini = CATALOG.models["gpt-4o-mini-2024-07-18"]
    rows = period_rows(mini)
    rows[-1]["cached_input_per_mtok"] = 0.2  # input is 0.15
    with pytest.raises(EditError) as caught:
        edited_entry(mini, rows)
    assert [(p.code, p.params["row"]) for p in caught.value.problems] == [("edit_cached_above_input", 2)]


def test_a_zero_price_is_accepted_with_a_warning_but_not_an_embeddings_output():
    mini = CATALOG.models["gpt-4o-mini-2024-07-18"]
    rows = period_rows(mini)
    rows[-1].update(input_per_mtok=0, cached_input_per_mtok=0)
    entry = edited_entry(mini, rows)
    assert [(p.code, p.params) for p in price_warnings(entry)] == [
        ("edit_zero_price", {"row": 2, "field": "input_per_mtok"})]
    assert price_warnings(mini) == []
    assert price_warnings(CATALOG.models["text-embedding-3-small"]) == []  # output $0 by nature
