"""The price catalog's schema: strict pydantic models, USD per million tokens as exact decimals.

A model has a price history: periods with an inclusive ``effective_from`` and an exclusive
``effective_to`` (open-ended when null). An alias (``gpt-4o``) points at a snapshot
(``gpt-4o-2024-08-06``) through dated periods of its own, so a corpus can be priced as of
any day. Every figure says how well it is sourced: ``verified`` (read in an OpenAI source),
``secondary`` (third-party catalog only) or ``unverified`` (assumed; shown as such).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema, model_validator

from tokenizers.registry import KNOWN_ENCODINGS


def _known_encoding(value: str) -> str:
    if value not in KNOWN_ENCODINGS:
        raise ValueError(f"unknown encoding; use one of {', '.join(KNOWN_ENCODINGS)} (tokenizers/registry.py)")
    return value


#: An encoding of tokenizers/registry.py (validated against it; the schema lists them).
Encoding = Annotated[str, AfterValidator(_known_encoding),
                     WithJsonSchema({"type": "string", "enum": list(KNOWN_ENCODINGS)})]
Evidence = Literal["verified", "secondary", "unverified"]
EVIDENCE_LEVELS: tuple[str, ...] = ("verified", "secondary", "unverified")
#: What a model does: chat/completion models bill input and output; embedding models bill input only.
ModelKind = Literal["chat", "embedding"]
#: OpenAI's processing tiers: Standard (synchronous), Batch (asynchronous), Flex (slower,
#: cheaper, may be unavailable) and Priority (faster, dearer).
Tier = Literal["standard", "batch", "flex", "priority"]
TIERS: tuple[str, ...] = ("standard", "batch", "flex", "priority")
UsdPerMtok = Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=6)]
Multiplier = Annotated[Decimal, Field(ge=1, max_digits=6, decimal_places=3)]
ModelId = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:\-/]*$")]
#: A vendor or host id: lower case, as in ``data/catalog/<vendor>.json`` ("anthropic", "groq").
VendorId = Annotated[str, Field(min_length=2, max_length=40, pattern=r"^[a-z0-9][a-z0-9-]*$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class _Dated(_Strict):
    effective_from: dt.date
    effective_to: dt.date | None = None

    @model_validator(mode="after")
    def _ordered(self):
        if self.effective_to is not None and self.effective_to <= self.effective_from:
            raise ValueError(
                f"effective_to {self.effective_to} must be after effective_from {self.effective_from}"
            )
        return self

    def covers(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day < self.effective_to)


class _Rates(_Strict):
    """Standard and Batch API rates, with how well they are sourced."""

    input_per_mtok: UsdPerMtok
    cached_input_per_mtok: UsdPerMtok | None = None
    output_per_mtok: UsdPerMtok
    batch_input_per_mtok: UsdPerMtok | None = None
    batch_output_per_mtok: UsdPerMtok | None = None
    # Only where OpenAI prints one (the gpt-5 rows); elsewhere its table says "-".
    batch_cached_input_per_mtok: UsdPerMtok | None = None
    evidence: Evidence
    source: str = Field(min_length=1)
    note: str = ""

    @model_validator(mode="after")
    def _cached_not_above_input(self):
        _check_cached(self.cached_input_per_mtok, self.input_per_mtok, "cached_input_per_mtok", "input_per_mtok")
        _check_cached(self.batch_cached_input_per_mtok, self.batch_input_per_mtok, "batch_cached_input_per_mtok",
                      "batch_input_per_mtok")
        return self


def _check_cached(cached: Decimal | None, full: Decimal | None, cached_name: str, full_name: str) -> None:
    """A cached input token never costs more than an uncached one (OpenAI discounts it)."""
    if cached is not None and full is not None and cached > full:
        raise ValueError(f"{cached_name} {cached} must not be above {full_name} {full}: "
                         "a cached token costs at most what an uncached one does")


def _check_in_order(periods: list[_Dated], what: str) -> None:
    """Periods must be oldest first, each ending (``effective_to``) before the next starts."""
    for earlier, later in zip(periods, periods[1:]):
        if later.effective_from <= earlier.effective_from:
            raise ValueError(
                f"{what} must be in date order: {later.effective_from} "
                f"comes after {earlier.effective_from}; sort them oldest first"
            )
        if earlier.effective_to is None or earlier.effective_to > later.effective_from:
            raise ValueError(
                f"{what} overlap: the one from {earlier.effective_from} must end "
                f"(effective_to) on or before {later.effective_from}"
            )


class TierRates(_Strict):
    """A processing tier's rates (Flex or Priority) within a price period, sourced on their own.

    ``available_from``: the first day the tier was offered, when known (an estimate for an
    earlier date is refused); None: offered for the whole period as far as the sources say.
    ``name``: what OpenAI calls the tier in this period when that is not the tier's own name
    (Priority processing is "Fast" for the GPT-5.6 and GPT-6 families from 2026-07-30).
    """

    input_per_mtok: UsdPerMtok
    cached_input_per_mtok: UsdPerMtok | None = None
    output_per_mtok: UsdPerMtok
    available_from: dt.date | None = None
    name: Literal["Fast"] | None = None
    evidence: Evidence
    source: str = Field(min_length=1)
    note: str = ""

    @model_validator(mode="after")
    def _cached_not_above_input(self):
        _check_cached(self.cached_input_per_mtok, self.input_per_mtok, "cached_input_per_mtok", "input_per_mtok")
        return self


class LongContextRule(_Strict):
    """A request whose input is over ``threshold_tokens`` pays the multipliers on ALL its input
    (cached input and cache writes too) and output, on the tiers listed (OpenAI: "prompts with
    >272K input tokens are priced at 2x input and 1.5x output for the full session for standard,
    batch, and flex"; Gemini Pro: "prompts > 200k tokens"; Anthropic's older 1M-context models).

    ``at_threshold``: True when a prompt that *reaches* the threshold is already long (xAI: "once
    a prompt reaches 200K tokens"), False when it must be over it.
    """

    threshold_tokens: int = Field(gt=0)
    at_threshold: bool = False
    input_multiplier: Multiplier
    cached_input_multiplier: Multiplier
    output_multiplier: Multiplier
    tiers: list[Tier] = Field(min_length=1)
    evidence: Evidence
    source: str = Field(min_length=1)
    note: str = ""

    @model_validator(mode="after")
    def _tiers_once(self):
        if len(set(self.tiers)) != len(self.tiers):
            raise ValueError(f"long_context tiers must each appear once: {self.tiers}")
        return self

    @property
    def over_tokens(self) -> int:
        """A prompt of more than this many input tokens is long (the threshold, or one below it
        when reaching the threshold is enough): the one comparison every caller makes."""
        return self.threshold_tokens - 1 if self.at_threshold else self.threshold_tokens

    def is_long(self, input_tokens: int | Decimal) -> bool:
        """True when a request of ``input_tokens`` prompt tokens is priced at the long-context rates."""
        return input_tokens > self.over_tokens


class OffPeakWindow(_Strict):
    """A daily time window (UTC, ``start_utc`` inclusive to ``end_utc`` exclusive, may wrap past
    midnight) in which the model's rates differ (DeepSeek's off-peak discount of 2025: "UTC
    16:30-00:30"). The share of traffic in the window is an assumption of the estimate."""

    start_utc: dt.time
    end_utc: dt.time
    input_per_mtok: UsdPerMtok
    cached_input_per_mtok: UsdPerMtok | None = None
    output_per_mtok: UsdPerMtok
    evidence: Evidence
    source: str = Field(min_length=1)
    note: str = ""


class RegionalUplift(_Strict):
    """A price multiplier for keeping inference in one region or data residency (Anthropic's
    ``inference_geo``, xAI's regional endpoints): applied only when the estimate asks for it."""

    multiplier: Multiplier
    name: str = Field(min_length=1)  # what the vendor calls the option, e.g. "inference_geo: us"
    evidence: Evidence
    source: str = Field(min_length=1)


class PricePeriod(_Rates, _Dated):
    """Prices in force from ``effective_from`` (inclusive) to ``effective_to`` (exclusive).

    ``flex`` / ``priority``: that tier's rates where the vendor publishes them (None: not offered).
    ``long_context``: the surcharge on long requests, when the model has one.
    ``cache_write_5m_per_mtok`` / ``cache_write_1h_per_mtok``: what writing a token to the prompt
    cache costs, for a 5-minute or a 1-hour lifetime (Anthropic); None: writes cost nothing extra.
    ``cache_storage_per_mtok_hour``: what keeping a token in an explicit context cache costs per
    hour (Gemini), on top of reading it at ``cached_input_per_mtok``.
    ``off_peak``: other rates in a daily window. ``regional_uplift``: a multiplier for a region.
    """

    flex: TierRates | None = None
    priority: TierRates | None = None
    long_context: LongContextRule | None = None
    cache_write_5m_per_mtok: UsdPerMtok | None = None
    cache_write_1h_per_mtok: UsdPerMtok | None = None
    cache_storage_per_mtok_hour: UsdPerMtok | None = None
    off_peak: OffPeakWindow | None = None
    regional_uplift: RegionalUplift | None = None


class ImageTraining(_Strict):
    """That a base model can be fine-tuned on examples with images, and where that is said."""

    evidence: Evidence
    source: str = Field(min_length=1)


class FineTuningPrice(_Rates):
    """Training and fine-tuned-model inference prices for a base model.

    ``images``: set when OpenAI fine-tunes the model on examples with images (vision
    fine-tuning); None: text examples only, so a training file with images is not priced on it.
    """

    training_per_mtok: UsdPerMtok
    images: ImageTraining | None = None


class ModelEntry(_Strict):
    """One model snapshot: its tokenizer, limits, sources and price history."""

    id: ModelId
    label: str = Field(min_length=1)
    family: str = Field(min_length=1)
    #: Who serves the model through its API, when that is not the file's vendor (Llama on Groq,
    #: on Amazon Bedrock): each price names its host.
    host: VendorId | None = None
    kind: ModelKind = "chat"
    encoding: Encoding
    encoding_evidence: Evidence = "verified"
    context_window: int | None = Field(default=None, gt=0)
    max_output_tokens: int | None = Field(default=None, gt=0)
    limits_evidence: Evidence = "verified"
    source_url: str = Field(min_length=1)
    checked: dt.date
    notes: str = ""
    prices: list[PricePeriod] = Field(min_length=1)
    #: Tiers the vendor offers for this model that the catalog leaves unpriced because no source
    #: states their rate exactly (``notes`` says which sources and why): the rules in words say so.
    unpriced_tiers: tuple[Literal["flex", "priority"], ...] = ()
    fine_tuning: FineTuningPrice | None = None
    #: The first day OpenAI no longer served the model (requests fail from this day on).
    shutdown: dt.date | None = None
    #: Where the shutdown date is published (OpenAI's deprecations page, section and copy).
    shutdown_source: str | None = Field(default=None, min_length=1)
    #: The model OpenAI names as the substitute when it shuts this one down (same source).
    replacement: ModelId | None = None

    @model_validator(mode="after")
    def _periods_in_order(self):
        _check_in_order(self.prices, "price periods")
        return self

    @model_validator(mode="after")
    def _unpriced_tiers_unpriced(self):
        priced = [f"{tier} (from {p.effective_from})" for tier in self.unpriced_tiers for p in self.prices
                  if getattr(p, tier) is not None]
        if priced:
            raise ValueError(f"unpriced_tiers names a tier a price period prices: {', '.join(priced)}; "
                             "remove it from unpriced_tiers or from the period")
        return self

    @model_validator(mode="after")
    def _shutdown_sourced(self):
        if (self.shutdown is None) != (self.shutdown_source is None):
            raise ValueError("shutdown and shutdown_source go together: give the date and where it is published, "
                             "or neither")
        if self.replacement is not None and self.shutdown is None:
            raise ValueError("a replacement is named only for a model with a shutdown date")
        if self.shutdown is not None and self.shutdown <= self.prices[0].effective_from:
            raise ValueError(f"shutdown {self.shutdown} must be after the first price "
                             f"(from {self.prices[0].effective_from}); check the date")
        return self


class AliasPeriod(_Dated):
    target: ModelId
    evidence: Evidence
    source: str = Field(min_length=1)


class Alias(_Strict):
    """A moving name (``gpt-4o``) and the snapshot it pointed to over time."""

    id: ModelId
    periods: list[AliasPeriod] = Field(min_length=1)

    @model_validator(mode="after")
    def _periods_in_order(self):
        _check_in_order(self.periods, "alias periods")
        return self


class CatalogFile(_Strict):
    """A whole catalog file; a user's override file may leave out ``checked`` and ``aliases``.

    ``vendor``: whose models these are (``data/catalog/<vendor>.json``); a file without one is
    OpenAI's (the first catalog, and users' override files written for it).
    """

    schema_: str | None = Field(default=None, alias="$schema")
    vendor: VendorId = "openai"
    vendor_label: str | None = Field(default=None, min_length=1)
    currency: Literal["USD"] = "USD"
    checked: dt.date | None = None
    models: list[ModelEntry] = Field(default_factory=list)
    aliases: list[Alias] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


def json_schema() -> dict:
    """The JSON schema of a catalog file (``data/catalog/catalog.schema.json``), generated from
    ``CatalogFile``."""
    return CatalogFile.model_json_schema(by_alias=True)
