"""Price history: steps per model from the catalog, and the points that draw them."""

import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pricing import NotPricedError, UnknownModelError, load_catalog
from pricing.catalog import Catalog
from pricing.history import DEFAULT_HISTORY_MODELS, PriceStep, price_history, step_points
from pricing.schema import ModelEntry, PricePeriod

CATALOG = load_catalog()
TODAY = dt.date(2026, 11, 23)


def _steps(model):
    return [(s.snapshot, s.start, s.end, s.input_per_mtok, s.output_per_mtok) for s in price_history(CATALOG, model)]


def test_alias_follows_its_snapshots_and_their_price_cuts():
    # 0613 until 2024-02-16: OpenAI's models page said the alias still pointed to 0613 then
    # (the planned 2023-12-11 move to 1106 did not happen).
    assert _steps("gpt-3.5-turbo") == [
        ("gpt-3.5-turbo-0301", dt.date(2023, 3, 1), dt.date(2023, 6, 13), D("2"), D("2")),
        ("gpt-3.5-turbo-0301", dt.date(2023, 6, 13), dt.date(2023, 6, 27), D("1.5"), D("2")),
        ("gpt-3.5-turbo-0613", dt.date(2023, 6, 27), dt.date(2024, 2, 16), D("1.5"), D("2")),
        ("gpt-3.5-turbo-0125", dt.date(2024, 2, 16), dt.date(2026, 10, 23), D("0.5"), D("1.5")),
    ]
    assert _steps("gpt-4o") == [
        ("gpt-4o-2024-05-13", dt.date(2024, 5, 13), dt.date(2024, 10, 2), D("5"), D("15")),
        # Shut down on 2027-01-14 (OpenAI's deprecations of 2026-10-14; issue 19's audit).
        ("gpt-4o-2024-08-06", dt.date(2024, 10, 2), dt.date(2027, 1, 14), D("2.5"), D("10")),
    ]


def test_a_shut_down_model_has_no_step_after_its_shutdown():
    # OpenAI deprecations page: text-davinci-003 shut down 2024-01-04.
    assert _steps("text-davinci-003") == [
        ("text-davinci-003", dt.date(2022, 11, 28), dt.date(2024, 1, 4), D("20"), D("20")),
    ]


def test_snapshot_with_a_price_cut():
    assert _steps("o3-2025-04-16") == [
        ("o3-2025-04-16", dt.date(2025, 4, 16), dt.date(2025, 6, 10), D("10"), D("40")),
        ("o3-2025-04-16", dt.date(2025, 6, 10), dt.date(2026, 12, 11), D("2"), D("8")),
    ]


def test_every_step_is_the_catalogs_price_on_its_first_day():
    for model in DEFAULT_HISTORY_MODELS:
        steps = price_history(CATALOG, model)
        assert steps, model
        for step in steps:
            price = CATALOG.price(model, step.start)
            assert (price.snapshot, price.input_per_mtok, price.output_per_mtok) == (
                step.snapshot, step.input_per_mtok, step.output_per_mtok)
            assert step.evidence == price.period.evidence


def test_points_carry_the_last_price_to_the_end_day():
    points = step_points(price_history(CATALOG, "gpt-4o"), TODAY)
    assert points == [
        (dt.date(2024, 5, 13), D("5"), D("15")),
        (dt.date(2024, 10, 2), D("2.5"), D("10")),
        (TODAY, D("2.5"), D("10")),
    ]
    # Before the price cut only the first step shows, carried to that day.
    assert step_points(price_history(CATALOG, "gpt-4o"), dt.date(2024, 6, 1)) == [
        (dt.date(2024, 5, 13), D("5"), D("15")),
        (dt.date(2024, 6, 1), D("5"), D("15")),
    ]
    assert step_points(price_history(CATALOG, "gpt-4o"), dt.date(2024, 1, 1)) == []


def _period(start, end, price):
    return PricePeriod(effective_from=start, effective_to=end, input_per_mtok=D(price),
                       output_per_mtok=D(price) * 2, evidence="verified", source="test")


def test_a_gap_breaks_the_line_and_a_retired_model_ends():
    entry = ModelEntry(
        id="m", label="M", family="f", encoding="o200k_base", source_url="https://example.com",
        checked=dt.date(2024, 1, 1),
        prices=[_period(dt.date(2024, 1, 1), dt.date(2024, 2, 1), "3"),
                _period(dt.date(2024, 3, 1), dt.date(2024, 4, 1), "1")],
    )
    catalog = Catalog([entry], [], None)
    steps = price_history(catalog, "m")
    assert steps == [
        PriceStep("m", "m", dt.date(2024, 1, 1), dt.date(2024, 2, 1), D("3"), D("6"), "verified"),
        PriceStep("m", "m", dt.date(2024, 3, 1), dt.date(2024, 4, 1), D("1"), D("2"), "verified"),
    ]
    assert step_points(steps, dt.date(2024, 12, 31)) == [
        (dt.date(2024, 1, 1), D("3"), D("6")),
        (dt.date(2024, 2, 1), D("3"), D("6")),
        (dt.date(2024, 2, 1), None, None),
        (dt.date(2024, 3, 1), D("1"), D("2")),
        (dt.date(2024, 4, 1), D("1"), D("2")),
        (dt.date(2024, 4, 1), None, None),
    ]


def test_unknown_model():
    with pytest.raises(UnknownModelError):
        price_history(CATALOG, "gpt-4x")


@settings(max_examples=60, deadline=None)
@given(model=st.sampled_from(sorted(CATALOG.ids())), offset=st.integers(min_value=0, max_value=4000))
def test_any_day_inside_a_step_has_that_steps_price(model, offset):
    day = dt.date(2022, 11, 1) + dt.timedelta(days=offset)
    step = next((s for s in price_history(CATALOG, model) if s.start <= day and (s.end is None or day < s.end)), None)
    try:
        price = CATALOG.price(model, day)
    except NotPricedError:
        assert step is None
        return
    assert step is not None
    assert (price.snapshot, price.input_per_mtok, price.output_per_mtok) == (
        step.snapshot, step.input_per_mtok, step.output_per_mtok)
