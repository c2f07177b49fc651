"""The other vendors' shutdowns and start days as ``cli.py prices --as-of DATE`` shows them (issue 19:
"the history goes back as far as a source dates it; a period without a source is not invented"). Each
shutdown and start day names its source and says whether it is the vendor's own page or a third party's
in data/catalog/<vendor>.json (``shutdown_source``, the first period's ``source`` and ``note``)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest

import cli
from pricing import load_catalog
from pricing.today import todays_prices

CATALOG = load_catalog()


def prices_on(day: str, vendor: str) -> dict[str, dict]:
    """``prices --vendor VENDOR --as-of day --format json``, one row per id."""
    out = io.StringIO()
    assert cli.main(["prices", "--vendor", vendor, "--as-of", day, "--format", "json"], out=out) == 0
    return {row["model"]: row for row in json.loads(out.getvalue())}


def refused(capsys, model: str, day: str) -> str:
    assert cli.main(["cost", "--models", model, "--input-tokens", "10", "--as-of", day]) == 2
    return capsys.readouterr().err


def _day_before(day: str) -> str:
    return (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()


SHUTDOWNS = [
    # Anthropic: the Claude 3.x snapshots, then the first Claude 4 pair.
    ("anthropic", "claude-3-5-sonnet-20241022", "2025-10-28", "claude-sonnet-4-5-20250929"),
    ("anthropic", "claude-3-opus-20240229", "2026-01-05", None),
    ("anthropic", "claude-3-7-sonnet-20250219", "2026-02-19", None),
    ("anthropic", "claude-3-haiku-20240307", "2026-04-20", "claude-haiku-4-5-20251001"),
    ("anthropic", "claude-sonnet-4-20250514", "2026-06-15", "claude-sonnet-4-6"),
    ("anthropic", "claude-opus-4-20250514", "2026-06-15", "claude-opus-4-8"),
    # Google: Gemini 2.0 Flash, then Gemini 2.5 Pro and Flash.
    ("google", "gemini-2.0-flash", "2026-06-01", "gemini-2.5-flash"),
    ("google", "gemini-2.5-pro", "2026-12-01", "gemini-3.8-flash"),
    ("google", "gemini-2.5-flash", "2026-12-01", "gemini-3.5-flash-lite"),
    # Mistral: its own model pages give the retirement days and replacements.
    ("mistral", "pixtral-large-2411", "2026-05-31", "mistral-medium-3-5"),
    ("mistral", "open-mistral-nemo", "2026-07-31", "ministral-8b-2512"),
    # Groq's Llama models (the host's file is meta.json).
    ("groq", "llama-3.3-70b-versatile", "2026-08-16", None),
    ("groq", "llama-3.1-8b-instant", "2026-08-16", None),
]


@pytest.mark.parametrize(("vendor", "model", "shutdown", "replacement"), SHUTDOWNS)
def test_a_shut_down_model_is_listed_until_the_day_before_and_marked_retired_from_the_day(
        capsys, vendor, model, shutdown, replacement):
    before = prices_on(_day_before(shutdown), vendor)
    assert model in before and before[model]["effective_to"] is None
    assert model not in prices_on(shutdown, vendor)
    (row,) = [r for r in todays_prices(CATALOG, dt.date.fromisoformat(shutdown), vendor) if r.model == model]
    assert (row.status, row.shutdown) == ("retired", dt.date.fromisoformat(shutdown))
    entry = CATALOG.models[model]
    assert entry.replacement == replacement
    assert entry.shutdown_source and ("secondary" in entry.shutdown_source or "vendor's page" in entry.shutdown_source)
    assert refused(capsys, model, shutdown) == (f"error: {model} was shut down on {shutdown}; price it as of an "
                                                 "earlier date or pick a current model\n")


def test_no_price_period_starts_after_the_model_was_retired():
    # genai-prices checked cache and Batch prices on 2026-07-29 for models Anthropic had retired before: those
    # periods priced a model no one could call, so they are not kept.
    for vendor in ("anthropic", "google", "groq", "deepseek", "mistral"):
        for model in CATALOG.ids(vendor):
            entry = CATALOG.models.get(model)
            if entry is not None and entry.shutdown is not None:
                assert all(p.effective_from < entry.shutdown for p in entry.prices), model
    assert CATALOG.models["claude-3-opus-20240229"].prices[-1].effective_to is None


@pytest.mark.parametrize("model", ["deepseek-chat", "deepseek-reasoner"])
def test_deepseeks_legacy_names_are_retired_on_2026_07_24(capsys, model):
    # Their catalog prices end on 2025-09-05 (the last period a source dates); the names were served, routed to
    # deepseek-v4-flash, until 15:59 UTC on 2026-07-24.
    entry = CATALOG.models[model]
    assert (entry.shutdown, entry.replacement) == (dt.date(2026, 7, 24), "deepseek-v4-flash")
    (row,) = [r for r in todays_prices(CATALOG, dt.date(2026, 7, 24), "deepseek") if r.model == model]
    assert row.status == "retired"
    assert f"error: {model} was shut down on 2026-07-24;" in refused(capsys, model, "2026-07-24")


@pytest.mark.parametrize(("vendor", "model", "start", "dated_by"), [
    # Google's deprecations page gives the release days.
    ("google", "gemini-3.5-flash-lite", "2026-07-21", "Google's Gemini API deprecations page"),
    ("google", "gemini-3.7-flash", "2026-08-13", "Google's Gemini API deprecations page"),
    ("google", "gemini-3.8-flash", "2026-09-02", "Google's Gemini API deprecations page"),
    ("google", "gemini-3.1-flash-lite", "2026-05-07", "Google's Gemini API deprecations page"),
    # Released on 2026-07-21, but its first price record disagrees with the corrected one until 2026-08-13.
    ("google", "gemini-3.6-flash", "2026-08-13", "pydantic/genai-prices prices/providers/google.yml @ d492ce0f"),
    # The first record of the same price in genai-prices' provider file.
    ("anthropic", "claude-fable-5", "2026-06-09", "pydantic/genai-prices prices/providers/anthropic.yml @ e187d25a"),
    ("xai", "grok-3-fast", "2025-07-12", "pydantic/genai-prices prices/providers/x_ai.yml @ 42ca128c"),
    ("mistral", "codestral-2508", "2026-06-09", "pydantic/genai-prices prices/providers/mistral.yml @ cee9e74c"),
    # Mistral's own model page: its release day, and the price the same page prints.
    ("mistral", "pixtral-large-2411", "2024-11-18", "Mistral's own model page docs.mistral.ai/models/pixtral-large"),
    ("bedrock", "meta.llama3-1-70b-instruct-v1:0", "2025-11-19",
     "pydantic/genai-prices prices/providers/aws.yml @ 03daecc4"),
])
def test_an_imported_models_start_is_the_day_a_source_dates(vendor, model, start, dated_by):
    assert model not in prices_on(_day_before(start), vendor)
    row = prices_on(start, vendor)[model]
    assert (row["effective_from"], row["evidence"]) == (start, "secondary")
    first = CATALOG.models[model].prices[0]
    assert dated_by in first.source and first.note.startswith(f"Start day: {start}, dated by ")


def test_a_price_period_that_starts_after_the_shutdown_is_refused():
    from pydantic import ValidationError

    from pricing.schema import ModelEntry

    entry = CATALOG.models["claude-3-opus-20240229"].model_dump()
    late = {**entry["prices"][-1], "effective_from": dt.date(2026, 7, 29), "effective_to": None}
    first = {**entry["prices"][-1], "effective_to": dt.date(2026, 7, 29)}
    with pytest.raises(ValidationError, match="a price period starts on 2026-07-29, on or after the shutdown "
                                              "2026-01-05: no one could buy the model then; remove the period"):
        ModelEntry.model_validate({**entry, "prices": [first, late]})
