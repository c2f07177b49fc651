"""The catalog against an independent price list: pydantic's ``genai-prices`` package, offline.

``compare_with_reference`` lists, for one day, every catalog id (snapshot or alias) and field
(input, cached input, output per 1M tokens) where the installed genai-prices data and our
catalog disagree, or a model it does not know; each id is looked up in the genai-prices provider
of its vendor (``data/catalog/reference_coverage.json``). ``data/catalog/known_disagreements.json``
is the reviewed record of each known one, with its source and reason; ``check`` splits the
disagreements into explained and unexplained, so a test fails on any new one, and adds what
``pricing.reference_coverage`` finds: the models genai-prices prices that the catalog lacks, and
the catalog's days genai-prices cannot date.

genai-prices is a dev/CI tool (requirements-dev.txt): it is imported only when a check runs,
and ``ReferenceUnavailableError`` says plainly when it is not installed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from pricing.catalog import DATA_DIR, Catalog, NotPricedError
from pricing.reference_coverage import (
    Coverage,
    ReferenceCoverageFile,
    coverage,
    coverage_rows,
    load_reference_coverage,
    load_reviewed_file,
)

KNOWN_DISAGREEMENTS = DATA_DIR / "catalog" / "known_disagreements.json"
REFERENCE = "genai-prices"
#: Our field -> genai-prices' price key, both USD per 1M tokens.
COMPARED_FIELDS = {
    "input_per_mtok": "input_mtok",
    "cached_input_per_mtok": "cache_read_mtok",
    "output_per_mtok": "output_mtok",
}
#: The field of a disagreement where genai-prices has no model for one of our ids.
MISSING = "model"
Field_ = Literal["input_per_mtok", "cached_input_per_mtok", "output_per_mtok", "model"]


class ReferenceUnavailableError(RuntimeError):
    """genai-prices is not installed (it is a dev tool: pip install -r requirements-dev.txt)."""


@dataclass(frozen=True)
class Disagreement:
    """One id and field where the catalog and genai-prices differ on ``day``.

    ``ours``/``theirs`` are USD per 1M tokens, None where that side has no such price (or, for
    the field "model", where genai-prices has no model for ``model``).
    """

    model: str  # the catalog id compared (an alias or a snapshot)
    snapshot: str  # the snapshot our price belongs to on ``day``
    reference_model: str | None  # the genai-prices model id it was matched to
    field: str
    ours: Decimal | None
    theirs: Decimal | None
    day: dt.date


class KnownDisagreement(BaseModel):
    """A reviewed disagreement: which id and field, both values, why, and where that is read.

    ``verdict``: "catalog_sourced" (our figure is the sourced one; genai-prices differs),
    "catalog_to_fix" (genai-prices is right or closer; the reason names where the fix is tracked),
    "catalog_assumed" (no source covers the day: our figure is an assumption marked "unverified" in
    the catalog, and the reason says what it assumes and what would settle it).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: Annotated[str, Field(min_length=1)]
    field: Field_
    ours: Decimal | None
    theirs: Decimal | None
    verdict: Literal["catalog_sourced", "catalog_to_fix", "catalog_assumed"]
    reason: Annotated[str, Field(min_length=10)]
    source: Annotated[str, Field(min_length=5)]

    def explains(self, d: Disagreement) -> bool:
        return (self.model, self.field, self.ours, self.theirs) == (d.model, d.field, d.ours, d.theirs)


class KnownDisagreementsFile(BaseModel):
    """``data/catalog/known_disagreements.json``: the reviewed list, and the version it was read with."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reviewed_with: Annotated[str, Field(min_length=1)]  # e.g. "genai-prices 0.2.3"
    reviewed_on: dt.date
    disagreements: list[KnownDisagreement]
    # The other vendors' reviewed differences (scripts/update_prices.py, pricing/price_import.py).
    vendor_disagreements: list[KnownDisagreement] = []


@dataclass(frozen=True)
class CheckResult:
    """A day's comparison: every disagreement, each with its explanation or None."""

    day: dt.date
    reference_version: str
    compared: int  # catalog ids priced on ``day`` and compared
    rows: list[tuple[Disagreement, KnownDisagreement | None]]
    coverage: Coverage  # what genai-prices prices that the catalog lacks; the days it cannot date

    @property
    def unexplained(self) -> list[Disagreement]:
        return [d for d, known in self.rows if known is None]

    @property
    def ok(self) -> bool:
        """No disagreement without an explanation and no missing model without a reason."""
        return not self.unexplained and not self.coverage.failing


def load_known_disagreements(path: Path = KNOWN_DISAGREEMENTS) -> KnownDisagreementsFile:
    """The reviewed disagreements; raises CatalogError naming the file, the entry and the fix."""
    return load_reviewed_file(path, KnownDisagreementsFile)


def _providers() -> list:
    """genai-prices' providers; raises ReferenceUnavailableError without it."""
    try:
        from genai_prices.data import providers
    except ImportError:
        raise ReferenceUnavailableError(
            f"{REFERENCE} is not installed, so there is nothing to check against: "
            "pip install -r requirements-dev.txt"
        ) from None
    return providers


def _vendor_providers(reviewed: ReferenceCoverageFile) -> dict[str, object]:
    """catalog vendor -> its genai-prices provider, for the vendors whose prices are compared."""
    by_id = {p.id: p for p in _providers()}
    return {vendor: by_id[ref.provider] for vendor, ref in reviewed.vendors.items()
            if ref.compare_prices and ref.provider in by_id}


def reference_version() -> str:
    """The installed genai-prices version ("0.2.3"); raises ReferenceUnavailableError without it."""
    try:
        return metadata.version(REFERENCE)
    except metadata.PackageNotFoundError:
        _providers()  # raises the plain message
        return "unknown"


def _base(value) -> Decimal | None:
    """A genai-prices price as one Decimal: a long-context tiered price by its base rate."""
    return getattr(value, "base", value)


def compare_with_reference(catalog: Catalog, day: dt.date, reviewed: ReferenceCoverageFile | None = None
                           ) -> tuple[int, list[Disagreement]]:
    """(how many ids were compared, the disagreements) between ``catalog`` and genai-prices on ``day``.

    Every id priced on ``day`` is looked up in its vendor's genai-prices provider by genai-prices'
    own matching (which maps dated snapshots and aliases to its models); an alias is compared at
    the snapshot it meant on ``day``. Embedding models have no output price to compare. Raises
    ReferenceUnavailableError, CatalogError for a bad ``reference_coverage.json``.
    """
    vendor_providers = _vendor_providers(reviewed if reviewed is not None else load_reference_coverage())
    when = dt.datetime.combine(day, dt.time(12), tzinfo=dt.timezone.utc)
    compared, found = 0, []
    # Only the vendors data/catalog/reference_coverage.json says are compared (the others' differences:
    # scripts/update_prices.py).
    for model_id in catalog.ids():
        try:
            price = catalog.price(model_id, day)
        except NotPricedError:
            continue
        provider = vendor_providers.get(catalog.host_of(model_id))
        if provider is None:
            continue  # a vendor whose prices are not compared (data/catalog/reference_coverage.json)
        compared += 1
        reference = provider.find_model(model_id)
        if reference is None:
            found.append(Disagreement(model_id, price.snapshot, None, MISSING, None, None, day))
            continue
        theirs = reference.get_prices(when)
        for ours_name, their_name in COMPARED_FIELDS.items():
            if price.kind == "embedding" and ours_name == "output_per_mtok":
                continue
            ours, their = getattr(price.period, ours_name), _base(getattr(theirs, their_name))
            if ours != their:  # Decimal("2.0") == Decimal("2"); None only equals None
                found.append(Disagreement(model_id, price.snapshot, reference.id, ours_name, ours, their, day))
    return compared, found


def change_days(catalog: Catalog) -> list[dt.date]:
    """Every day on which either side's prices may change (ours: period and alias bounds;
    genai-prices: its dated prices): checking these days checks the whole history."""
    days: set[dt.date] = set()
    compared = _vendor_providers(load_reference_coverage())
    for entry in catalog.models.values():
        if catalog.host_of(entry.id) not in compared:
            continue
        for period in entry.prices:
            days.update(d for d in (period.effective_from, period.effective_to) if d is not None)
    for alias in catalog.aliases.values():
        for period in alias.periods:
            days.update(d for d in (period.effective_from, period.effective_to) if d is not None)
    for model in (m for p in compared.values() for m in p.models):
        for conditional in model.prices if isinstance(model.prices, list) else ():
            start = getattr(conditional.constraint, "start_date", None)
            if start is not None:
                days.add(start)
    return sorted(days)


def check(catalog: Catalog, day: dt.date, known: KnownDisagreementsFile | None = None,
          reviewed: ReferenceCoverageFile | None = None) -> CheckResult:
    """The disagreements on ``day``, each paired with the known entry that explains it (or None),
    and the coverage (absent models, undated days) against ``reviewed`` (default: the data file).

    Raises ReferenceUnavailableError without genai-prices, CatalogError for a bad data file.
    """
    known = known if known is not None else load_known_disagreements()
    reviewed = reviewed if reviewed is not None else load_reference_coverage()
    compared, found = compare_with_reference(catalog, day, reviewed)
    rows = [(d, next((k for k in known.disagreements if k.explains(d)), None)) for d in found]
    return CheckResult(day, reference_version(), compared, rows, coverage(catalog, day, _providers(), reviewed))


def _money(value: Decimal | None) -> str:
    return "none" if value is None else f"${value.normalize():f}"


def check_rows(result: CheckResult) -> list[dict]:
    """One row per disagreement (for the CLI's table, CSV and JSON): status "unexplained" or the
    entry's verdict, with both values; then the coverage rows (``reference_coverage.coverage_rows``)."""
    return [
        {
            "vendor": None,
            "model": d.model,
            "snapshot": d.snapshot,
            "field": d.field,
            "catalog": d.ours,
            REFERENCE: d.theirs,
            "reference_model": d.reference_model,
            "status": "unexplained" if known is None else known.verdict,
            "note": "",
        }
        for d, known in result.rows
    ] + coverage_rows(result.coverage)


def describe(d: Disagreement) -> str:
    """One line: ``gpt-4o input_per_mtok: catalog $5 (gpt-4o-2024-05-13), genai-prices $2.5 (gpt-4o)``."""
    if d.field == MISSING:
        return f"{d.model}: not in {REFERENCE} (catalog snapshot {d.snapshot})"
    return (f"{d.model} {d.field}: catalog {_money(d.ours)} ({d.snapshot}), "
            f"{REFERENCE} {_money(d.theirs)} ({d.reference_model})")
