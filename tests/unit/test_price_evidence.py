"""An evidence level of ``verified`` needs a source that states that price on that date: a
verified price (a period, a tier's rates, a long-context rule, a fine-tuning price) whose own
note says its figure or date is unverified, secondary or not found is refused, on the whole
catalog (issue 19)."""

from __future__ import annotations

import re

from pricing import load_catalog
from pricing.schema import CatalogFile

#: Words by which a note says that what it annotates is not stated by a primary source.
DOUBT = re.compile(r"unverified|secondary|not found in a read source", re.IGNORECASE)


def _verified_but_doubted(catalog) -> list[str]:
    """"model effective_from part" for every verified price whose own note doubts it."""
    found = []
    for entry in catalog.models.values():
        for period in entry.prices:
            parts = {"period": period, "flex": period.flex, "priority": period.priority,
                     "long_context": period.long_context}
            for part, block in parts.items():
                if block is not None and block.evidence == "verified" and DOUBT.search(block.note):
                    found.append(f"{entry.id} {period.effective_from} {part}")
        tuned = entry.fine_tuning
        if tuned is not None and tuned.evidence == "verified" and DOUBT.search(tuned.note):
            found.append(f"{entry.id} fine_tuning")
    return found


def test_no_verified_price_in_the_catalog_has_a_note_that_doubts_it():
    assert _verified_but_doubted(load_catalog()) == []


def test_a_verified_period_whose_note_says_its_date_is_unverified_is_caught():
    catalog = load_catalog()
    entry = catalog.models["gpt-4o-mini-2024-07-18"]
    first = entry.prices[0]
    assert first.evidence == "verified"
    doubted = first.model_copy(update={"note": first.note + " Launch day UNVERIFIED."})
    copy = catalog.merged(CatalogFile(models=[entry.model_copy(update={"prices": [doubted, *entry.prices[1:]]})]))
    assert _verified_but_doubted(copy) == ["gpt-4o-mini-2024-07-18 2024-07-18 period"]


def test_a_verified_tier_whose_note_says_secondary_is_caught():
    catalog = load_catalog()
    entry = catalog.models["gpt-4o-mini-2024-07-18"]
    last = entry.prices[-1]
    priority = last.priority.model_copy(update={"evidence": "verified"})
    assert "secondary" not in priority.note  # its note says where the start day comes from, not "secondary"
    doubted = priority.model_copy(update={"note": "Rates from a secondary source."})
    period = last.model_copy(update={"priority": doubted})
    copy = catalog.merged(CatalogFile(models=[entry.model_copy(update={"prices": [*entry.prices[:-1], period]})]))
    assert _verified_but_doubted(copy) == ["gpt-4o-mini-2024-07-18 2024-10-01 priority"]
