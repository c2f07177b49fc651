"""What the catalog lacks, and what the reference cannot date: the other half of ``prices --check``.

``pricing.crosscheck`` compares the prices of models both sides have. That says nothing of a
model genai-prices prices and the catalog lacks, nor of a day the dataset cannot confirm: it
dates price changes, not launches, tier starts or shutdowns. So this module lists

- per vendor the catalog covers, every genai-prices model no catalog id matches (by genai-prices'
  own matching), each either ignored with its reason in ``data/catalog/reference_coverage.json``
  or ``missing``; a genai-prices provider no catalog vendor maps to is one line saying so;
- every date the catalog gives on a day (launch, price change, tier start, alias move,
  shutdown) that genai-prices has no date for, with the catalog's evidence, so "0 disagreements"
  is not read as "verified".
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from pricing.catalog import DATA_DIR, Catalog, CatalogError, NotPricedError, catalog_json
from pricing.schema import ModelEntry, PricePeriod

Reviewed = TypeVar("Reviewed", bound=BaseModel)
REFERENCE_COVERAGE = DATA_DIR / "catalog" / "reference_coverage.json"
#: Why a genai-prices model is not in the catalog.
IgnoreKind = Literal[
    "not_text_tokens",  # billed per audio second, image, call or not at all: not text tokens
    "retired",  # shut down before the day checked; not priced here
    "fine_tuned",  # fine-tuned inference: priced on the base model's fine_tuning block
    "other_host",  # not served by the vendor's own API (an open-weight model, a router's variant)
    "moving_alias",  # a name the vendor moves between models without notice
    "restricted",  # offered to vetted programs only, not to every API account
    "tool_calls",  # its requests also bill tool calls the calculator does not count
    "host_scope",  # a host's model the catalog does not price on that host (it prices the host for named models only)
    "version_name",  # a model version the vendor's API serves under an id the catalog prices
    "preview",  # a preview id of a model the catalog lists under its released id
    "not_generation",  # an embedding or moderation classifier: priced per token, but not text generation
    "free",  # offered free of charge: nothing to price
    "deprecated",  # the vendor (or genai-prices' flag) marks it deprecated: on its way out, not added
]


class IgnoredModel(BaseModel):
    """A genai-prices model the catalog leaves out on purpose: which, why, and where that is read."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    provider: Annotated[str, Field(min_length=1)]  # the genai-prices provider id ("openai", "x-ai")
    model: Annotated[str, Field(min_length=1)]  # the genai-prices model id
    kind: IgnoreKind
    reason: Annotated[str, Field(min_length=10)]
    source: Annotated[str, Field(min_length=5)]


class VendorReference(BaseModel):
    """How a catalog vendor (or host) is checked against genai-prices.

    ``provider``: its genai-prices provider id (None: genai-prices has none, so nothing is checked);
    ``compare_prices``: its prices are compared (once its disagreements are reviewed);
    ``complete``: its absent models are reviewed, so one without a reason fails the check (until
    then they are listed as missing all the same, and the vendor's count line says it is not reviewed).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    provider: Annotated[str, Field(min_length=1)] | None
    compare_prices: bool
    complete: bool
    note: str = ""


class ReferenceCoverageFile(BaseModel):
    """``data/catalog/reference_coverage.json``: how each catalog vendor is checked against
    genai-prices, and the genai-prices models the catalog leaves out, each with its reason."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reviewed_with: Annotated[str, Field(min_length=1)]  # e.g. "genai-prices 0.2.5"
    reviewed_on: dt.date
    #: catalog vendor or host (``Catalog.host_of``) -> how it is checked
    vendors: dict[Annotated[str, Field(min_length=1)], VendorReference]
    ignored: list[IgnoredModel]

    def provider_of(self, vendor: str) -> str | None:
        """``vendor``'s genai-prices provider id; raises CatalogError when the file does not say."""
        if vendor not in self.vendors:
            raise CatalogError(f"{REFERENCE_COVERAGE}: vendors: catalog vendor {vendor!r} is not listed; add it with "
                               "its genai-prices provider (or null) and whether it is compared and complete")
        return self.vendors[vendor].provider


@dataclass(frozen=True)
class ReferenceModel:
    """A genai-prices model no catalog id matches, with the entry that ignores it (or None: missing)."""

    vendor: str
    provider: str
    model: str
    ignored: IgnoredModel | None


@dataclass(frozen=True)
class UndatedDay:
    """A date the catalog gives that genai-prices cannot confirm: ``what`` happened to ``model``."""

    model: str  # the catalog id (an alias or a snapshot)
    snapshot: str
    what: Literal["launch", "price_change", "flex_from", "priority_from", "alias_move", "shutdown"]
    day: dt.date
    evidence: str | None  # the catalog's evidence for the price dated (None: a shutdown, see its source)


@dataclass(frozen=True)
class Coverage:
    """What the reference prices that the catalog lacks, and the catalog's days it cannot date."""

    absent: list[ReferenceModel]  # per covered vendor, ignored or missing
    uncovered: list[tuple[str, int]]  # genai-prices providers no catalog vendor maps to, with model counts
    undated: list[UndatedDay]
    unreviewed: list[str]  # vendors whose absent models are not reviewed yet (``complete`` false)
    unreferenced: list[str]  # vendors genai-prices has no provider for

    @property
    def missing(self) -> list[ReferenceModel]:
        """Absent models without a reason."""
        return [m for m in self.absent if m.ignored is None]

    @property
    def failing(self) -> list[ReferenceModel]:
        """Missing models of the vendors whose coverage is reviewed: what the check fails on."""
        return [m for m in self.missing if m.vendor not in self.unreviewed]


def load_reviewed_file(path: Path, model: type[Reviewed]) -> Reviewed:
    """A reviewed data file (this one, ``known_disagreements.json``) validated as ``model``;
    raises CatalogError naming the file, the entry and what is wrong."""
    try:
        raw = catalog_json(path.read_text(encoding="utf-8"), path)
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    except json.JSONDecodeError as exc:
        raise CatalogError(f"{path}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise CatalogError(f"{path}: {where}: {first['msg']}") from None


def load_reference_coverage(path: Path = REFERENCE_COVERAGE) -> ReferenceCoverageFile:
    """The reviewed provider map and ignore list; raises CatalogError as ``load_reviewed_file``."""
    return load_reviewed_file(path, ReferenceCoverageFile)


def _vendor_ids(catalog: Catalog) -> dict[str, list[str]]:
    """vendor (or host: who serves the model, which is what genai-prices' providers are) -> the
    catalog ids it serves (snapshots and aliases)."""
    by_vendor: dict[str, list[str]] = {}
    for model_id in catalog.ids():
        by_vendor.setdefault(catalog.host_of(model_id), []).append(model_id)
    return by_vendor


def absent_models(catalog: Catalog, providers, reviewed: ReferenceCoverageFile
                  ) -> tuple[list[ReferenceModel], list[tuple[str, int]]]:
    """(each genai-prices model of a covered vendor that no catalog id of that vendor matches,
    the providers no catalog vendor maps to with their model counts).

    ``providers`` is genai-prices' provider list. A vendor of the catalog the file does not list,
    or one whose provider genai-prices lacks, raises CatalogError.
    """
    by_provider = {p.id: p for p in providers}
    vendor_ids = _vendor_ids(catalog)
    absent: list[ReferenceModel] = []
    covered: set[str] = set()
    for vendor in sorted(vendor_ids):
        provider_id = reviewed.provider_of(vendor)
        if provider_id is None:
            continue
        if provider_id not in by_provider:
            raise CatalogError(f"{REFERENCE_COVERAGE}: vendors: {vendor!r} names genai-prices provider "
                               f"{provider_id!r}, which the installed genai-prices does not have")
        covered.add(provider_id)
        provider = by_provider[provider_id]
        matched = {ref.id for ref in map(provider.find_model, vendor_ids[vendor]) if ref is not None}
        for ref in provider.models:
            if ref.id not in matched:
                known = next((i for i in reviewed.ignored if (i.provider, i.model) == (provider_id, ref.id)), None)
                absent.append(ReferenceModel(vendor, provider_id, ref.id, known))
    uncovered = [(p.id, len(p.models)) for p in providers if p.id not in covered]
    return absent, uncovered


def _reference_days(providers, reviewed: ReferenceCoverageFile, catalog: Catalog, model_id: str) -> set[dt.date]:
    """The start dates genai-prices gives the model ``model_id`` matches (its dated prices and variants)."""
    provider = next((p for p in providers if p.id == reviewed.provider_of(catalog.host_of(model_id))), None)
    ref = provider.find_model(model_id) if provider is not None else None
    if ref is None:
        return set()
    dated = list(ref.prices) if isinstance(ref.prices, list) else []
    dated += list(ref.price_variants or ())
    return {c.constraint.start_date for c in dated if getattr(c.constraint, "start_date", None) is not None}


def _period_days(entry: ModelEntry, period: PricePeriod) -> list[tuple[str, dt.date, str]]:
    """(what, day, evidence) for the days a price period gives: its start, and its tiers' starts."""
    what = "launch" if period is entry.prices[0] else "price_change"
    days = [(what, period.effective_from, period.evidence)]
    for tier in ("flex", "priority"):
        rates = getattr(period, tier)
        if rates is not None:
            days.append((f"{tier}_from", rates.available_from or period.effective_from, rates.evidence))
    return days


def undated_days(catalog: Catalog, day: dt.date, providers, reviewed: ReferenceCoverageFile) -> list[UndatedDay]:
    """Every date behind a catalog price on ``day`` that genai-prices gives no date for: each
    snapshot's launch, last price change, tier starts and shutdown (once, under the snapshot id),
    and each alias's last move."""
    found: list[UndatedDay] = []
    seen: set[str] = set()
    for model_id in catalog.ids():
        try:
            price = catalog.price(model_id, day)
        except NotPricedError:
            continue
        entry = catalog.models[price.snapshot]
        known = _reference_days(providers, reviewed, catalog, model_id)
        dates: list[tuple[str, dt.date, str | None]] = []
        alias = catalog.aliases.get(model_id)
        if alias is not None:
            moved = next(p for p in alias.periods if p.covers(day))
            if moved is not alias.periods[0]:
                dates.append(("alias_move", moved.effective_from, moved.evidence))
        if entry.id not in seen:
            seen.add(entry.id)
            if price.period is not entry.prices[0]:
                dates.append(("launch", entry.prices[0].effective_from, entry.prices[0].evidence))
            dates += _period_days(entry, price.period)
            if entry.shutdown is not None:
                dates.append(("shutdown", entry.shutdown, None))
        found += [UndatedDay(model_id if what == "alias_move" else entry.id, entry.id, what, when, evidence)
                  for what, when, evidence in dates if when not in known]
    return found


def coverage(catalog: Catalog, day: dt.date, providers, reviewed: ReferenceCoverageFile | None = None) -> Coverage:
    """The absent models and the undated days of ``catalog`` on ``day`` against genai-prices'
    ``providers``. Raises CatalogError for a bad or incomplete ignore file."""
    reviewed = reviewed if reviewed is not None else load_reference_coverage()
    absent, uncovered = absent_models(catalog, providers, reviewed)
    served = sorted(set(_vendor_ids(catalog)))
    return Coverage(absent, uncovered, undated_days(catalog, day, providers, reviewed),
                    [v for v in served if reviewed.provider_of(v) is not None and not reviewed.vendors[v].complete],
                    [v for v in served if reviewed.provider_of(v) is None])


def coverage_rows(result: Coverage) -> list[dict]:
    """One row per absent model, uncovered provider and undated day, in the columns of the
    disagreement rows (``crosscheck.check_rows``) plus ``vendor`` and ``note``."""
    rows = [{"vendor": m.vendor, "model": m.model, "snapshot": None, "field": "model", "catalog": None,
             "genai-prices": None, "reference_model": m.model,
             "status": "missing" if m.ignored is None else f"ignored: {m.ignored.kind}",
             "note": "" if m.ignored is None else m.ignored.reason} for m in result.absent]
    rows += [{"vendor": None, "model": None, "snapshot": None, "field": "provider", "catalog": None,
              "genai-prices": None, "reference_model": provider, "status": "not_covered",
              "note": f"{count} genai-prices models; the catalog has no vendor for this provider"}
             for provider, count in result.uncovered]
    rows += [{"vendor": None, "model": u.model, "snapshot": u.snapshot, "field": u.what, "catalog": u.day,
              "genai-prices": None, "reference_model": None, "status": "undated",
              "note": f"catalog evidence: {u.evidence}" if u.evidence else "catalog: shutdown_source"}
             for u in result.undated]
    return rows


def coverage_lines(result: Coverage) -> list[str]:
    """The table form: each missing model, each snapshot's undated days on one line, each provider
    not covered, then one count line per vendor and one for the undated days."""
    lines = [f"missing: {m.vendor} {m.model}: genai-prices ({m.provider}) prices it, the catalog lacks it, and "
             f"{REFERENCE_COVERAGE.name} gives no reason" for m in result.missing]
    per_snapshot: dict[str, list[str]] = {}
    for u in result.undated:
        said = f"{u.what} {u.day}" + (f" ({u.evidence})" if u.evidence else "")
        per_snapshot.setdefault(u.model, []).append(said)
    lines += [f"undated: {model}: {', '.join(days)}" for model, days in per_snapshot.items()]
    lines += [f"not covered: genai-prices provider {provider} ({count} models): no vendor of the catalog"
              for provider, count in result.uncovered]
    for vendor in sorted({m.vendor for m in result.absent}):
        absent = [m for m in result.absent if m.vendor == vendor]
        missing = sum(m.ignored is None for m in absent)
        unreviewed = " (not reviewed yet: they do not fail the check)" if vendor in result.unreviewed else ""
        lines.append(f"{vendor}: {len(absent)} genai-prices models not in the catalog, {len(absent) - missing} with "
                     f"a reason in data/catalog/{REFERENCE_COVERAGE.name}, {missing} missing{unreviewed}")
    lines += [f"{vendor}: genai-prices has no provider for it: its models are not checked"
              for vendor in result.unreferenced]
    lines.append(f"{len(result.undated)} catalog days genai-prices cannot date (undated above): prices that agree "
                 "do not verify these days")
    return lines
