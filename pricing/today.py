"""Today's prices: the models a user would pick on a day, apart from the legacy and retired ones.

A model id is, on a day:

- ``retired`` when its snapshot was shut down on or before that day (``Catalog.retired_on``);
- ``legacy`` when it is a chat model of the generation before GPT-4o (counted on
  ``cl100k_base`` or older: GPT-3, GPT-3.5 Turbo, GPT-4, GPT-4 Turbo), or a dated snapshot
  that an alias used to point to and no longer does (``gpt-4o-2024-05-13`` once ``gpt-4o``
  moved on);
- ``current`` otherwise, when it has a price that day.

An alias stands for the snapshot it points to that day, so a snapshot some alias points to is
listed once, under the alias's name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from pricing.catalog import Catalog, NotPricedError, RetiredModelError
from pricing.schema import ModelEntry, PricePeriod

Status = Literal["current", "legacy", "retired"]
#: Tokenizers of the chat models before GPT-4o (o200k_base): their models are legacy.
LEGACY_ENCODINGS = frozenset({"cl100k_base", "p50k_base", "r50k_base"})


@dataclass(frozen=True)
class TodayPrice:
    """One id's price on a day (for a retired id: its last price) and its status."""

    model: str
    snapshot: str
    status: Status
    kind: str
    encoding: str
    context_window: int | None
    period: PricePeriod
    shutdown: dt.date | None
    launched: dt.date  # the snapshot's first price
    vendor: str = "openai"
    host: str = "openai"  # who serves it (the vendor, or Groq, Bedrock ... for Llama)


def billed_price(kind: str, period: PricePeriod, field: str) -> Decimal | None:
    """``period``'s price ``field`` for a model of ``kind``; None where the model bills no such
    tokens: an embedding model returns vectors, so it has no output price (not a free one)."""
    if kind == "embedding" and "output" in field:
        return None
    return getattr(period, field)


def _alias_targets(catalog: Catalog, day: dt.date) -> dict[str, str]:
    """snapshot -> the alias pointing to it on ``day``."""
    targets = {}
    for alias in catalog.aliases.values():
        for period in alias.periods:
            if period.covers(day):
                targets.setdefault(period.target, alias.id)
    return targets


def _former_targets(catalog: Catalog, day: dt.date) -> set[str]:
    return {p.target for a in catalog.aliases.values() for p in a.periods
            if p.effective_to is not None and p.effective_to <= day}


def _is_legacy(entry: ModelEntry, superseded: bool) -> bool:
    return superseded or (entry.kind == "chat" and entry.encoding in LEGACY_ENCODINGS)


def todays_prices(catalog: Catalog, day: dt.date, vendor: str | None = None) -> list[TodayPrice]:
    """Every id with a price on ``day`` or retired by then, newest launch first within each
    status (current, legacy, retired); only ``vendor``'s (or its host's) when given. Ids not yet
    launched on ``day`` are left out."""
    pointed = _alias_targets(catalog, day)
    former = _former_targets(catalog, day) - set(pointed)
    rows: list[TodayPrice] = []
    for model_id in catalog.ids(vendor):
        if model_id in pointed:
            continue  # listed under its alias's name
        try:
            snapshot = catalog.snapshot_for(model_id, day)
        except NotPricedError:
            continue
        entry = catalog.models[snapshot]
        try:
            period = catalog.price(model_id, day).period
            status: Status = "legacy" if _is_legacy(entry, snapshot in former) else "current"
        except RetiredModelError:
            period, status = entry.prices[-1], "retired"
        except NotPricedError:
            continue
        rows.append(TodayPrice(model_id, snapshot, status, entry.kind, entry.encoding, entry.context_window,
                               period, entry.shutdown, entry.prices[0].effective_from, catalog.vendor_of(model_id),
                               catalog.host_of(model_id)))
    order = {"current": 0, "legacy": 1, "retired": 2}
    return sorted(rows, key=lambda r: (order[r.status], -r.launched.toordinal(), r.model))


def current_models(catalog: Catalog, day: dt.date, kind: str = "chat", vendor: str | None = "openai") -> list[str]:
    """The current ids of ``kind`` on ``day`` (``vendor``'s: the product's own by default; None:
    every vendor's), newest launch first (what "pick today's models" picks)."""
    return [r.model for r in todays_prices(catalog, day, vendor) if r.status == "current" and r.kind == kind]
