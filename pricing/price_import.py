"""Reviewing genai-prices' data against our vendors' catalog files, and writing accepted changes.

genai-prices (pydantic; a dev requirement) prices dozens of providers with dated changes. It is the
maintained source to build on, but it has errors (0.2.5 still prices DeepSeek's off-peak window
that ended on 2025-09-05), so an import is a review, never a copy: ``differences`` lists what the
dataset has that our files do not (new models, new dated periods, other prices, models it marks
deprecated), each price difference explained or not by ``known_disagreements.json``; ``apply``
writes only the changes a person accepts, each with its source, and never over a ``verified``
period (our own facts win).

The dataset is a parameter (a list of genai-prices ``Provider`` objects): tests hand in a small
fake one; ``installed_providers`` reads the installed package.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from pricing.catalog import Catalog, NotPricedError

#: Our vendor (or host) -> the genai-prices provider ids that price its API.
PROVIDERS = {"anthropic": ("anthropic",), "google": ("google",), "deepseek": ("deepseek",), "xai": ("x-ai",),
             "mistral": ("mistral",), "qwen": ("openrouter",), "groq": ("groq",), "bedrock": ("aws",),
             "openai": ("openai",)}
GENAI_PRICES_URL = "https://github.com/pydantic/genai-prices"
#: Our field -> genai-prices' price key (USD per 1M tokens on both sides).
FIELDS = {"input_per_mtok": "input_mtok", "cached_input_per_mtok": "cache_read_mtok",
          "output_per_mtok": "output_mtok", "cache_write_5m_per_mtok": "cache_write_mtok",
          "cache_write_1h_per_mtok": "cache_write_1h_mtok"}
#: A provider that serves many vendors' models: only its models whose id holds this are ours.
NEW_MODEL_FILTER = {"qwen": "qwen", "groq": "llama", "bedrock": "llama"}
#: What a model added by an import is counted with until someone confirms its tokenizer.
NEW_MODEL_ENCODING = {"anthropic": "claude-4.7", "google": "gemma3", "deepseek": "deepseek-v3", "xai": "grok",
                      "mistral": "tekken-240718", "qwen": "qwen2", "groq": "llama4", "bedrock": "llama4",
                      "openai": "o200k_base"}


class PriceImportError(ValueError):
    """A change that cannot be written (unknown model, a verified period, an undated price)."""


def installed_providers() -> list:
    """genai-prices' providers from the installed package; raises PriceImportError without it."""
    try:
        from genai_prices.data import providers
    except ImportError:
        raise PriceImportError("genai-prices is not installed: pip install -r requirements-dev.txt") from None
    return list(providers)


def reference_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("genai-prices")
    except metadata.PackageNotFoundError:
        return "unknown"


@dataclass(frozen=True)
class Difference:
    """One thing genai-prices has that our catalog does not, on ``day``.

    ``kind``: "new_model" (a reference model no catalog id matches), "new_period" (a dated
    reference price change after our last period starts), "changed" (a field priced otherwise on
    ``day``), "ended" (genai-prices marks the model deprecated), "not_priced" (our prices ended by
    ``day``, genai-prices still prices it). ``model``/``field``/``ours``/
    ``theirs`` are what ``KnownDisagreement.explains`` compares.
    """

    kind: str
    vendor: str
    model: str
    reference_model: str
    field: str
    ours: Decimal | None
    theirs: Decimal | None
    day: dt.date | None

    def describe(self) -> str:
        if self.kind == "new_model":
            return f"{self.vendor}: new model {self.reference_model} (not in our catalog)"
        if self.kind == "ended":
            return f"{self.vendor}: {self.model} is marked deprecated by genai-prices ({self.reference_model})"
        if self.kind == "not_priced":
            return (f"{self.vendor}: {self.model} has no catalog price on {self.day} (its last period ended); "
                    f"genai-prices still prices it ({self.reference_model})")
        when = f" from {self.day}" if self.kind == "new_period" else f" on {self.day}"
        return (f"{self.vendor}: {self.model} {self.field}{when}: catalog {_usd(self.ours)}, genai-prices "
                f"{_usd(self.theirs)} ({self.reference_model})")


def _usd(value: Decimal | None) -> str:
    return "none" if value is None else f"${value.normalize():f}"


def _base(value) -> Decimal | None:
    """A genai-prices price as one Decimal (a tiered price by its base rate)."""
    value = getattr(value, "base", value)
    return None if value is None else Decimal(str(value))


def _starts(reference) -> list[dt.date]:
    """The days a reference model's price changes (its start_date constraints)."""
    prices = reference.prices if isinstance(reference.prices, list) else []
    return sorted({c.constraint.start_date for c in prices if getattr(c.constraint, "start_date", None)})


def reference_price(reference, day: dt.date):
    """The reference model's prices in force at noon UTC on ``day`` (outside any time window)."""
    if not isinstance(reference.prices, list):
        return reference.prices
    chosen = reference.prices[0].prices
    when = dt.datetime.combine(day, dt.time(12), tzinfo=dt.timezone.utc)
    for conditional in reference.prices:
        constraint = conditional.constraint
        start = getattr(constraint, "start_date", None)
        if constraint is None or (start is not None and start <= day):
            chosen = conditional.prices
        elif start is None and constraint.active(when):
            chosen = conditional.prices
    return chosen


def _providers(providers: list, vendor: str) -> list:
    wanted = PROVIDERS.get(vendor, ())
    return [p for p in providers if p.id in wanted]


def differences(catalog: Catalog, vendor: str, providers: list, day: dt.date) -> list[Difference]:
    """What genai-prices (``providers``) has for ``vendor`` (or host) that the catalog does not,
    on ``day`` and on every later dated change it knows, oldest first within each model."""
    found: list[Difference] = []
    matched: set[str] = set()
    for provider in _providers(providers, vendor):
        for model in catalog.ids(vendor):
            if model not in catalog.models:
                continue
            reference = provider.find_model(model)
            if reference is None:
                continue
            matched.add(reference.id)
            found.extend(_model_differences(catalog, vendor, model, reference, day))
        mark = NEW_MODEL_FILTER.get(vendor, "")
        found.extend(Difference("new_model", vendor, reference.id, reference.id, "model", None, None, None)
                     for reference in provider.models
                     if reference.id not in matched and mark in reference.id.lower() and _priced(reference)
                     and not reference.deprecated)
    return found


def _priced(reference) -> bool:
    prices = reference.prices[0].prices if isinstance(reference.prices, list) else reference.prices
    return getattr(prices, "input_mtok", None) is not None or getattr(prices, "output_mtok", None) is not None


def _model_differences(catalog: Catalog, vendor: str, model: str, reference, day: dt.date) -> list[Difference]:
    entry = catalog.models[model]
    if reference.deprecated:
        return [Difference("ended", vendor, model, reference.id, "model", None, None, None)]
    last_start = entry.prices[-1].effective_from
    days = [day] + [d for d in _starts(reference) if d > last_start and d != day]
    found = []
    for when in days:
        try:
            period = catalog.price(model, when).period
        except NotPricedError:
            last = entry.prices[-1].effective_to or entry.shutdown
            if when == day and last is not None and day >= last:
                # Our prices end (a source dates the end); genai-prices still prices it.
                found.append(Difference("not_priced", vendor, model, reference.id, "model", None, None, day))
            continue
        theirs = reference_price(reference, when)
        kind = "changed" if when == day else "new_period"
        for ours_name, their_name in FIELDS.items():
            ours, their = getattr(period, ours_name), _base(getattr(theirs, their_name, None))
            if their is not None and ours != their:
                found.append(Difference(kind, vendor, model, reference.id, ours_name, ours, their, when))
    return found


def explained(found: list[Difference], known) -> list[tuple[Difference, object | None]]:
    """Each difference with the ``known_disagreements.json`` entry (``vendor_disagreements``) that
    explains it, or None."""
    return [(d, next((k for k in known.vendor_disagreements if k.explains(d)), None)) for d in found]


def apply(document: dict, difference: Difference, version: str) -> dict:
    """``document`` (a vendor file's JSON) with ``difference`` written in: a new dated period for a
    "new_period" (the one before it ended that day), a new model for a "new_model". Raises
    PriceImportError for a change that cannot be written: a price without a date of its own ("changed":
    review it against the vendor's page and write the period by hand), or a verified period."""
    source = f"genai-prices {version} ({difference.reference_model})"
    if difference.kind == "new_period":
        entry = _entry(document, difference.model)
        last = entry["prices"][-1]
        if last["evidence"] == "verified":
            raise PriceImportError(f"{difference.model}: its price from {last['effective_from']} is verified; "
                               "our own facts win: explain the difference in known_disagreements.json")
        start = difference.day.isoformat()
        if last["effective_from"] != start:
            new = {k: v for k, v in last.items() if k not in ("effective_to", "note", "source", "evidence")}
            last["effective_to"] = start
            entry["prices"].append({**new, "effective_from": start, "evidence": "secondary",
                                    "source": f"{source}: start_date {start}",
                                    "note": "Imported from genai-prices' dated change; check it against the vendor's page."})
        entry["prices"][-1][difference.field] = difference.theirs
        return document
    if difference.kind == "new_model":
        raise PriceImportError(f"{difference.reference_model}: a new model is added with add_model (it needs a day)")
    raise PriceImportError(f"{difference.model} {difference.field}: genai-prices does not date this price, so an import "
                       "cannot say from when it holds; check the vendor's page and write the period by hand")


def add_model(document: dict, vendor: str, reference, day: dt.date, version: str) -> dict:
    """``document`` with ``reference`` (a genai-prices model) added from ``day`` (the day of the
    import: genai-prices does not date a launch), its prices as secondary and its tokenizer as an
    unconfirmed guess."""
    if any(m["id"] == reference.id for m in document["models"]):
        raise PriceImportError(f"{reference.id} is already in the file")
    prices = reference_price(reference, day)
    period = {"effective_from": day.isoformat(), "evidence": "secondary",
              "source": f"genai-prices {version} ({reference.id})",
              "note": "Start day: the day of the import (genai-prices does not date the launch); check it against "
                      "the vendor's page."}
    for ours, theirs in FIELDS.items():
        value = _base(getattr(prices, theirs, None))
        if value is not None:
            period[ours] = value
    if "input_per_mtok" not in period or "output_per_mtok" not in period:
        raise PriceImportError(f"{reference.id}: genai-prices has no input and output price for it")
    entry = {"id": reference.id, "label": reference.name or reference.id, "family": reference.id.split("-")[0],
             "encoding": NEW_MODEL_ENCODING.get(vendor, "o200k_base"), "encoding_evidence": "unverified",
             "limits_evidence": "secondary",
             "source_url": document["models"][0]["source_url"] if document["models"] else GENAI_PRICES_URL,
             "checked": day.isoformat(), "notes": "Imported from genai-prices; tokenizer not confirmed (an estimate).",
             "prices": [period]}
    if reference.context_window:
        entry["context_window"] = reference.context_window
    document["models"].append(entry)
    return document


def _entry(document: dict, model: str) -> dict:
    for entry in document["models"]:
        if entry["id"] == model:
            return entry
    raise PriceImportError(f"{model} is not in this vendor's file")
