"""Price history: what a model id cost per 1M tokens over time, as steps for a chart.

An alias (``gpt-4o``) follows the snapshot it pointed to on each day, so its history shows
both the snapshot changes and the price cuts within a snapshot.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from pricing.catalog import Catalog, NotPricedError
from pricing.schema import Evidence

#: Models the history chart shows unless told otherwise: from text-davinci-003 to today.
DEFAULT_HISTORY_MODELS = (
    "text-davinci-003",
    "gpt-4",
    "gpt-3.5-turbo",
    "gpt-4-turbo",
    "gpt-4o",
    "gpt-4o-mini",
    "gpt-4.1",
    "gpt-5",
    "gpt-5-mini",
)


@dataclass(frozen=True)
class PriceStep:
    """``model``'s price from ``start`` (inclusive) to ``end`` (exclusive; None = still in force)."""

    model: str
    snapshot: str
    start: dt.date
    end: dt.date | None
    input_per_mtok: Decimal
    output_per_mtok: Decimal
    evidence: Evidence


def _change_days(catalog: Catalog, model_id: str) -> list[dt.date]:
    """Every day on which ``model_id``'s price may change (period and alias boundaries)."""
    alias = catalog.aliases.get(model_id)
    periods = list(alias.periods) if alias else []
    snapshots = {p.target for p in periods} if alias else {catalog.snapshot_for(model_id, dt.date.min)}
    for snapshot in snapshots:
        periods.extend(catalog.models[snapshot].prices)
    days = {p.effective_from for p in periods}
    days |= {p.effective_to for p in periods if p.effective_to is not None}
    # A shutdown ends the last step: the model is not priced from that day on.
    days |= {catalog.models[s].shutdown for s in snapshots if catalog.models[s].shutdown is not None}
    return sorted(days)


def price_history(catalog: Catalog, model_id: str) -> list[PriceStep]:
    """The steps of ``model_id``'s price (a snapshot or an alias), oldest first.

    Days without a price (before launch, gaps, from the shutdown on) have no step. Raises UnknownModelError for an
    id the catalog lacks.
    """
    days = _change_days(catalog, model_id)
    steps: list[PriceStep] = []
    for i, day in enumerate(days):
        end = days[i + 1] if i + 1 < len(days) else None
        try:
            price = catalog.price(model_id, day)
        except NotPricedError:
            continue
        period = price.period
        previous = steps[-1] if steps else None
        if (
            previous is not None
            and previous.end == day
            and previous.snapshot == price.snapshot
            and previous.input_per_mtok == period.input_per_mtok
            and previous.output_per_mtok == period.output_per_mtok
        ):
            # Same snapshot and price on both sides of a boundary of some other period: one step.
            steps[-1] = PriceStep(model_id, price.snapshot, previous.start, end, previous.input_per_mtok,
                                  previous.output_per_mtok, previous.evidence)
            continue
        steps.append(PriceStep(model_id, price.snapshot, day, end, period.input_per_mtok,
                               period.output_per_mtok, period.evidence))
    return steps


def step_points(steps: list[PriceStep], until: dt.date) -> list[tuple[dt.date, Decimal | None, Decimal | None]]:
    """Points (day, input, output) that draw ``steps`` as a step line ("hv" shape) up to ``until``.

    Each step gives a point on its first day; a step that ends without a next one right after
    also gives a point on its last boundary and a (day, None, None) point so the line breaks
    there; the step still in force is carried to ``until``. Steps from after ``until`` are
    left out.
    """
    shown = [s for s in steps if s.start <= until]
    points: list[tuple[dt.date, Decimal | None, Decimal | None]] = []
    for i, step in enumerate(shown):
        points.append((step.start, step.input_per_mtok, step.output_per_mtok))
        following = shown[i + 1] if i + 1 < len(shown) else None
        end = step.end if step.end is not None and step.end <= until else None
        if end is None:
            if following is None:
                points.append((until, step.input_per_mtok, step.output_per_mtok))
        elif following is None or following.start > end:
            points.append((end, step.input_per_mtok, step.output_per_mtok))
            points.append((end, None, None))
    return points
