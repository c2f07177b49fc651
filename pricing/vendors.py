"""Answers about vendors: their models grouped, their rules in words, the cheapest of each for
an input, and one request's usage priced on any vendor's model.

The app's sidebar, the Prices page and the CLI (``prices --vendor``, ``cost``) ask these; nothing
here renders.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from pricing.catalog import Catalog, ModelPrice, NotPricedError, UnknownModelError
from pricing.count_methods import ESTIMATED_WITH
from pricing.history import DEFAULT_HISTORY_MODELS
from pricing.rules import TIER_NAMES, RuleNote, Usage, UsageCost, in_words, period_rules, tier_name, usage_cost
from pricing.today import todays_prices
from tokenizers.registry import KNOWN_ENCODINGS

#: What each vendor id is called on screen (a file's ``vendor_label`` wins; hosts are named here).
VENDOR_LABELS = {"openai": "OpenAI", "groq": "Groq", "bedrock": "Amazon Bedrock", "together": "Together AI"}


def vendor_label(catalog: Catalog, vendor: str) -> str:
    """``vendor``'s name as people write it."""
    return catalog.vendor_labels.get(vendor) or VENDOR_LABELS.get(vendor, vendor)


def models_by_vendor(catalog: Catalog, models: list[str]) -> dict[str, list[str]]:
    """``models`` grouped by who serves them (host, else vendor), OpenAI first, order kept within a group."""
    groups: dict[str, list[str]] = {}
    for model in models:
        groups.setdefault(catalog.host_of(model), []).append(model)
    return dict(sorted(groups.items(), key=lambda item: (item[0] != "openai", item[0])))


def check_vendor(catalog: Catalog, vendor: str) -> str:
    """``vendor`` as the catalog spells it; raises ValueError naming the known ones."""
    name = vendor.strip().lower()
    known = catalog.vendor_names()
    if name not in known:
        raise ValueError(f"unknown vendor {vendor!r}; known: {', '.join(known)}")
    return name


#: How many of a vendor's newest models the price history shows when none of the defaults is theirs.
HISTORY_MODELS_PER_VENDOR = 5
#: The snapshot the price editor opens on when its vendor is shown.
DEFAULT_EDITED_SNAPSHOT = "gpt-4o-mini-2024-07-18"


@dataclass(frozen=True)
class VendorFacts:
    """What the catalog holds of one vendor (or host): how many snapshots and aliases, the day
    its prices were last checked (its least recently checked model: a file's ``checked``), and
    the page most of its models were checked against."""

    vendor: str
    snapshots: int
    aliases: int
    checked: dt.date | None
    source_url: str | None


def _serves(catalog: Catalog, vendor: str, model_id: str) -> bool:
    return vendor in (catalog.vendor_of(model_id), catalog.host_of(model_id))


def vendor_facts(catalog: Catalog, vendors: list[str] | tuple[str, ...] = ()) -> list[VendorFacts]:
    """The facts of each of ``vendors`` (vendors or hosts, as the Prices page's filter names them),
    in that order; none: every vendor of the catalog (hosts are counted with their models' vendor,
    so no model is counted twice), OpenAI first."""
    names = list(vendors) or sorted(set(catalog.vendors.values()), key=lambda v: (v != "openai", v))
    facts = []
    for name in names:
        # Filtered: a vendor's models and the ones a host serves; unfiltered: each model once, its vendor's.
        mine = [m for m in catalog.models.values()
                if (_serves(catalog, name, m.id) if vendors else catalog.vendors[m.id] == name)]
        aliases = [a for a in catalog.aliases
                   if (_serves(catalog, name, a) if vendors else catalog.vendor_of(a) == name)]
        pages = Counter(m.source_url for m in mine).most_common(1)
        facts.append(VendorFacts(name, len(mine), len(aliases), min((m.checked for m in mine), default=None),
                                 pages[0][0] if pages else None))
    return facts


def history_models(catalog: Catalog, vendors: list[str] | tuple[str, ...], day: dt.date) -> list[str]:
    """The models the price history shows of ``vendors`` (none: every vendor, DEFAULT_HISTORY_MODELS):
    the defaults that are theirs; for a vendor with none of them, its newest current models on
    ``day`` (up to HISTORY_MODELS_PER_VENDOR)."""
    defaults = [m for m in DEFAULT_HISTORY_MODELS if m in catalog.ids()]
    if not vendors:
        return defaults
    chosen = []
    for vendor in vendors:
        theirs = [m for m in defaults if _serves(catalog, vendor, m)]
        chosen += theirs or [r.model for r in todays_prices(catalog, day, vendor)
                             if r.status == "current"][:HISTORY_MODELS_PER_VENDOR]
    return list(dict.fromkeys(chosen))


def edited_snapshots(catalog: Catalog, vendors: list[str] | tuple[str, ...], day: dt.date) -> tuple[list[str], str]:
    """The snapshots whose prices the editor offers (``vendors``' or, none given, every one),
    sorted, and the one it opens on: DEFAULT_EDITED_SNAPSHOT when offered, else the snapshot of
    the first vendor's newest current model on ``day`` (else the first offered)."""
    offered = sorted(m for m in catalog.models if not vendors or any(_serves(catalog, v, m) for v in vendors))
    if DEFAULT_EDITED_SNAPSHOT in offered:
        return offered, DEFAULT_EDITED_SNAPSHOT
    newest = [r.snapshot for v in vendors for r in todays_prices(catalog, day, v)
              if r.status == "current" and r.snapshot in offered]
    return offered, (newest or offered)[0]


@dataclass(frozen=True)
class VendorRule:
    """One rule of a vendor's prices on a day, and the models it applies to."""

    rule: RuleNote
    models: tuple[str, ...]

    def words(self, lang: str = "en") -> str:
        return in_words(self.rule, lang)


def vendor_rules(catalog: Catalog, vendor: str, day: dt.date) -> list[VendorRule]:
    """Every rule of ``vendor``'s (or host's) prices on ``day``, each with the snapshots it applies
    to (the same rule with other figures is listed once per figure), and the tiers offered but left
    unpriced (``ModelEntry.unpriced_tiers``)."""
    found: dict[RuleNote, list[str]] = {}
    for model in catalog.ids(vendor):
        if model not in catalog.models:
            continue
        try:
            period = catalog.price(model, day).period
        except NotPricedError:
            continue
        for rule in period_rules(period):
            found.setdefault(rule, []).append(model)
        for tier in catalog.models[model].unpriced_tiers:
            found.setdefault(RuleNote("rule_tier_unpriced", (("tier", TIER_NAMES[tier]),)), []).append(model)
    return [VendorRule(rule, tuple(models)) for rule, models in found.items()]


def vendor_tier_names(catalog: Catalog, models: list[str], tier: str, day: dt.date) -> list[str]:
    """The names the vendors give ``tier`` for ``models`` on ``day`` where it is not the usual one
    (OpenAI's Priority is "Fast" for GPT-5.6 / GPT-6 from 2026-07-30), each once, in the models' order;
    a model unknown or without a price on ``day`` is skipped."""
    names: list[str] = []
    for model in models:
        try:
            rates = getattr(catalog.price(model, day).period, tier, None)
        except (NotPricedError, UnknownModelError):
            continue
        name = tier_name(tier, rates) if rates is not None else None
        if name is not None and name != TIER_NAMES[tier] and name not in names:
            names.append(name)
    return names


def cheapest_of_each_vendor(catalog: Catalog, costs: dict[str, Decimal]) -> dict[str, str]:
    """host or vendor -> the model of ``costs`` (model id -> total cost for the current input)
    that costs least, ties broken by id."""
    best: dict[str, tuple[Decimal, str]] = {}
    for model, total in costs.items():
        group = catalog.host_of(model)
        if group not in best or (total, model) < best[group]:
            best[group] = (total, model)
    return {group: model for group, (_, model) in sorted(best.items(), key=lambda i: (i[0] != "openai", i[0]))}


@dataclass(frozen=True)
class RequestCost:
    """One request's usage priced on one model: the price used and the cost part by part."""

    price: ModelPrice
    cost: UsageCost

    def row(self, lang: str = "en") -> dict:
        """A flat row for tables, CSV and JSON (money as exact Decimal)."""
        c = self.cost
        return {"model": self.price.model, "snapshot": self.price.snapshot, "vendor": self.price.vendor,
                "host": self.price.host or self.price.vendor, "input_cost_usd": c.input_cost,
                "cache_read_cost_usd": c.cache_read_cost, "cache_write_cost_usd": c.cache_write_cost,
                "storage_cost_usd": c.storage_cost, "output_cost_usd": c.output_cost,
                "total_cost_usd": c.total_cost, "rules": "; ".join(in_words(r, lang) for r in c.rules),
                "evidence": self.price.period.evidence, "source": self.price.period.source}


REQUEST_COST_FIELDS = ["model", "vendor", "host", "input_cost_usd", "cache_read_cost_usd", "cache_write_cost_usd",
                       "storage_cost_usd", "output_cost_usd", "total_cost_usd", "rules", "evidence", "source"]


def price_request(catalog: Catalog, model: str, usage: Usage, as_of: dt.date, tier: str = "standard",
                  regional: bool = False, off_peak: bool = False, cache_hours: Decimal = Decimal(0)) -> RequestCost:
    """One request of ``usage`` on ``model`` (any vendor's id, ``vendor:id`` or a unique id
    ignoring case) as priced on ``as_of``. Raises what ``Catalog.price`` and ``usage_cost`` raise
    (UnknownModelError, AmbiguousModelError, NotPricedError, PricingError)."""
    price = catalog.price(catalog.resolve(model), as_of)
    cost = usage_cost(price.model, price.period, usage, tier, as_of, regional=regional, off_peak=off_peak,
                      cache_hours=cache_hours)
    return RequestCost(price, cost)


def cheapest_per_vendor(catalog: Catalog, workload, assumptions) -> dict[str, str]:
    """host or vendor -> its current chat model that prices ``workload`` (a ``pricing.cost.Workload``)
    cheapest under ``assumptions``, OpenAI first. Models that cannot price it (no count on their
    encoding, no price on the tier) are left out."""
    from pricing.cost import PricingError, estimate
    from pricing.today import current_models

    # A vendor whose tokenizer was not counted for this input (only the chosen models' are) is
    # ranked on o200k_base's count; the models picked are then counted on their own tokenizers.
    base = workload.tokens.get(ESTIMATED_WITH)
    ranked = workload if base is None else dataclasses.replace(
        workload, tokens={**{name: base for name in KNOWN_ENCODINGS}, **workload.tokens})
    costs: dict[str, Decimal] = {}
    for model in current_models(catalog, assumptions.as_of, vendor=None):
        try:
            (row,) = estimate(ranked, [model], catalog, assumptions)
        except (PricingError, NotPricedError):
            continue
        costs[model] = row.total_cost
    return cheapest_of_each_vendor(catalog, costs)
