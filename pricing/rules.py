"""Vendors' pricing rules, read from the catalog's fields: one rate card per model, tier and day,
and one request's usage priced on it.

Every rule is data in a price period (``pricing/schema.py``): cache writes by lifetime, cache reads,
context-cache storage per hour, the long-context tier, Batch/Flex/Priority rates, an off-peak
window and a regional uplift. Nothing here asks which vendor a model belongs to: a new vendor
with the same kinds of rules adds a data file, not code. Each rule that priced something is
returned as a ``RuleNote`` (a message code and its values; ``data/messages/rules.json`` holds the
words in English and Chinese, ``in_words`` renders them for the CLI and the app alike).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from pricing.schema import PricePeriod, TierRates

MILLION = Decimal(1_000_000)
TIER_NAMES = {"standard": "Standard", "batch": "Batch API", "flex": "Flex", "priority": "Priority"}


def tier_name(tier: str, rates: TierRates | None = None) -> str:
    """What the vendor calls ``tier`` for a model: the rates' own name where it has one (OpenAI's
    Priority processing is "Fast" for the GPT-5.6 and GPT-6 families from 2026-07-30), else TIER_NAMES."""
    return rates.name if rates is not None and rates.name else TIER_NAMES[tier]
CACHE_LIFETIMES = ("5m", "1h")
MESSAGES_DIR = Path(__file__).resolve().parent.parent / "data" / "messages"


class PricingError(ValueError):
    """An assumption that cannot be priced (e.g. Batch API on a model that has none)."""


RuleError = PricingError  # a tier or rule the model's price period does not offer


@dataclass(frozen=True)
class RuleNote:
    """A rule that priced (part of) a row: ``code`` is a key of data/messages/rules.json."""

    code: str
    params: tuple[tuple[str, str], ...] = ()

    def words(self, lang: str = "en") -> str:
        return in_words(self, lang)


def _note(code: str, **params: object) -> RuleNote:
    return RuleNote(code, tuple((k, str(v)) for k, v in params.items()))


def figure(value: Decimal) -> str:
    """A price or multiplier as written in a sentence: ``Decimal("2.50")`` -> "2.5"."""
    return f"{value.normalize():f}"


_times = figure


def in_words(note: RuleNote, lang: str = "en") -> str:
    """``note`` as a sentence in ``lang`` ("en" or "zh"), from the message catalog (data/messages/)."""
    entry = _rule_messages().get(note.code, {})
    template = entry.get(lang) or entry.get("en") or note.code
    return template.format(**dict(note.params))


_MESSAGES: dict[str, dict[str, str]] = {}


def _rule_messages() -> dict[str, dict[str, str]]:
    if not _MESSAGES:
        for path in sorted(MESSAGES_DIR.glob("*.json")):
            _MESSAGES.update(json.loads(path.read_text(encoding="utf-8")))
    return _MESSAGES


@dataclass(frozen=True)
class RateCard:
    """USD per 1M tokens for one model on one tier and day, and the rules that set them.

    ``cache_write``: lifetime ("5m", "1h") -> rate; a lifetime the model does not price is
    billed at the input rate (no surcharge: OpenAI, Gemini, DeepSeek and xAI cache on their own).
    """

    input: Decimal
    cached_input: Decimal
    output: Decimal
    cache_write: dict[str, Decimal]
    storage_per_hour: Decimal | None
    notes: tuple[RuleNote, ...] = ()


def rate_card(model: str, period: PricePeriod, tier: str, as_of: dt.date) -> RateCard:
    """The rates of ``period`` on ``tier``; raises RuleError when the tier has no price there.

    Batch, Flex and Priority scale cache writes and storage by the tier's input discount (Anthropic:
    "prompt caching multipliers stack with the batch discount"); cached tokens without a cached
    price on the tier pay its input rate (noted).
    """
    notes: list[RuleNote] = []
    cached = period.cached_input_per_mtok
    if tier == "standard":
        rates = (period.input_per_mtok, cached, period.output_per_mtok)
    elif tier == "batch":
        if period.batch_input_per_mtok is None or period.batch_output_per_mtok is None:
            raise RuleError(f"{model} has no Batch API price (prices from {period.effective_from}); "
                            "price it without Batch")
        rates = (period.batch_input_per_mtok, period.batch_cached_input_per_mtok, period.batch_output_per_mtok)
        notes.append(_note("rule_batch", model=model))
    else:
        tier_rates = getattr(period, tier)
        name = tier_name(tier, tier_rates)
        if tier_rates is None:
            raise RuleError(f"{model} has no {name} processing price (prices from {period.effective_from}); "
                            "choose another tier")
        if tier_rates.available_from is not None and as_of < tier_rates.available_from:
            raise RuleError(f"{name} processing began on {tier_rates.available_from}: {model} has no {name} "
                            f"price on {as_of}; choose another tier or a later date")
        rates = (tier_rates.input_per_mtok, tier_rates.cached_input_per_mtok, tier_rates.output_per_mtok)
    rate_in, rate_cached, rate_out = rates
    if rate_cached is None:
        rate_cached = rate_in
    scale = rate_in / period.input_per_mtok if period.input_per_mtok else Decimal(1)
    writes = {"5m": period.cache_write_5m_per_mtok, "1h": period.cache_write_1h_per_mtok}
    cache_write = {life: (rate * scale if rate is not None else rate_in) for life, rate in writes.items()}
    storage = period.cache_storage_per_mtok_hour
    return RateCard(rate_in, rate_cached, rate_out, cache_write, storage * scale if storage is not None else None,
                    tuple(notes))


@dataclass(frozen=True)
class Usage:
    """One request's tokens by how they are billed (what a vendor's usage block reports).

    ``input_tokens``: prompt tokens neither read from nor written to a cache;
    ``cache_read_tokens``: read from the cache (a cache hit); ``cache_write_5m_tokens`` /
    ``cache_write_1h_tokens``: written to it with that lifetime. The prompt is their sum.
    """

    input_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_5m_tokens: int = 0
    cache_write_1h_tokens: int = 0
    output_tokens: int = 0

    def __post_init__(self):
        if min(self.input_tokens, self.cache_read_tokens, self.cache_write_5m_tokens, self.cache_write_1h_tokens,
               self.output_tokens) < 0:
            raise RuleError("token counts cannot be negative")

    @property
    def prompt_tokens(self) -> int:
        return self.input_tokens + self.cache_read_tokens + self.cache_write_5m_tokens + self.cache_write_1h_tokens


@dataclass(frozen=True)
class UsageCost:
    """What one request cost, part by part (exact Decimal USD), and the rules that priced it."""

    input_cost: Decimal
    cache_read_cost: Decimal
    cache_write_cost: Decimal
    storage_cost: Decimal
    output_cost: Decimal
    rules: tuple[RuleNote, ...] = field(default_factory=tuple)

    @property
    def total_cost(self) -> Decimal:
        return self.input_cost + self.cache_read_cost + self.cache_write_cost + self.storage_cost + self.output_cost


def _money(tokens: int | Decimal, usd_per_mtok: Decimal) -> Decimal:
    return Decimal(tokens) * usd_per_mtok / MILLION


def usage_cost(model: str, period: PricePeriod, usage: Usage, tier: str = "standard",
               as_of: dt.date | None = None, regional: bool = False, off_peak: bool = False,
               cache_hours: Decimal = Decimal(0)) -> UsageCost:
    """The exact cost of one request ``usage`` on ``period``'s rules.

    ``off_peak``: sent inside the period's off-peak window (its rates replace the standard ones);
    ``regional``: with the period's regional uplift; ``cache_hours``: how long the request's
    cache reads were kept in an explicit context cache (storage, where the model prices it).
    The long-context rule looks at the whole prompt (uncached, read and written tokens) and, once
    it applies, prices every token of the request at the multiplied rates. Raises RuleError.
    """
    as_of = as_of or period.effective_from
    card = rate_card(model, period, tier, as_of)
    rules = list(card.notes)
    rate_in, rate_cached, rate_out = card.input, card.cached_input, card.output
    if off_peak:
        window = period.off_peak
        if window is None:
            raise RuleError(f"{model} has no off-peak prices on {as_of}")
        rate_in, rate_out = window.input_per_mtok, window.output_per_mtok
        rate_cached = window.cached_input_per_mtok if window.cached_input_per_mtok is not None else rate_in
        rules.append(_note("rule_off_peak", start=window.start_utc.strftime("%H:%M"),
                           end=window.end_utc.strftime("%H:%M")))
    times_in = times_cached = times_out = Decimal(1)
    rule = period.long_context
    if rule is not None and rule.is_long(usage.prompt_tokens) and tier in rule.tiers:
        times_in, times_cached, times_out = rule.input_multiplier, rule.cached_input_multiplier, rule.output_multiplier
        rules.append(_note("rule_long_context_request" + ("_at" if rule.at_threshold else ""),
                           threshold=f"{rule.threshold_tokens:,}", input=_times(times_in), output=_times(times_out)))
    writes = (_money(usage.cache_write_5m_tokens, card.cache_write["5m"] * times_in)
              + _money(usage.cache_write_1h_tokens, card.cache_write["1h"] * times_in))
    if usage.cache_write_5m_tokens or usage.cache_write_1h_tokens:
        rules.append(cache_write_note(period))
    if usage.cache_read_tokens:
        rules.append(_note("rule_cache_read", rate=_times(rate_cached)))
    storage = Decimal(0)
    if cache_hours and usage.cache_read_tokens and card.storage_per_hour is not None:
        storage = _money(usage.cache_read_tokens, card.storage_per_hour) * Decimal(cache_hours)
        rules.append(_note("rule_cache_storage", rate=_times(card.storage_per_hour), hours=_times(Decimal(cache_hours))))
    cost = UsageCost(_money(usage.input_tokens, rate_in * times_in),
                     _money(usage.cache_read_tokens, rate_cached * times_cached), writes, storage,
                     _money(usage.output_tokens, rate_out * times_out), tuple(rules))
    return uplifted(cost, period, regional)


def cache_write_note(period: PricePeriod) -> RuleNote:
    """How cache writes are billed on ``period``: at their own prices, or as input."""
    if period.cache_write_5m_per_mtok is None and period.cache_write_1h_per_mtok is None:
        return _note("rule_cache_write_as_input")
    return _note("rule_cache_write", five=_times(period.cache_write_5m_per_mtok or period.input_per_mtok),
                 hour=_times(period.cache_write_1h_per_mtok or period.input_per_mtok))


def uplifted(cost: UsageCost, period: PricePeriod, regional: bool) -> UsageCost:
    """``cost`` with the period's regional uplift applied when ``regional`` (else unchanged)."""
    uplift = period.regional_uplift
    if not regional or uplift is None:
        return cost
    m = uplift.multiplier
    return UsageCost(cost.input_cost * m, cost.cache_read_cost * m, cost.cache_write_cost * m, cost.storage_cost * m,
                     cost.output_cost * m, (*cost.rules, _note("rule_regional", name=uplift.name, times=_times(m))))


def period_rules(period: PricePeriod) -> list[RuleNote]:
    """Every rule of ``period`` in words-to-be: what the Prices page and ``prices --vendor`` show."""
    notes: list[RuleNote] = []
    if period.cached_input_per_mtok is not None:
        notes.append(_note("rule_cache_read", rate=_times(period.cached_input_per_mtok)))
    if period.cache_write_5m_per_mtok is not None or period.cache_write_1h_per_mtok is not None:
        notes.append(cache_write_note(period))
    if period.cache_storage_per_mtok_hour is not None:
        notes.append(_note("rule_cache_storage_offered", rate=_times(period.cache_storage_per_mtok_hour)))
    if period.batch_input_per_mtok is not None:
        notes.append(_note("rule_batch_offered", input=_times(period.batch_input_per_mtok)))
    if period.flex is not None:
        notes.append(_note("rule_flex_offered", input=_times(period.flex.input_per_mtok),
                           output=_times(period.flex.output_per_mtok)))
    if period.priority is not None:  # named as the vendor names it ("Fast": OpenAI's GPT-5.6 / GPT-6 from 2026-07-30)
        notes.append(_note("rule_priority_offered", name=tier_name("priority", period.priority),
                           input=_times(period.priority.input_per_mtok), output=_times(period.priority.output_per_mtok)))
    rule = period.long_context
    if rule is not None:
        notes.append(_note("rule_long_context_offered" + ("_at" if rule.at_threshold else ""),
                           threshold=f"{rule.threshold_tokens:,}", input=_times(rule.input_multiplier),
                           output=_times(rule.output_multiplier)))
    if period.off_peak is not None:
        w = period.off_peak
        notes.append(_note("rule_off_peak_offered", start=w.start_utc.strftime("%H:%M"), end=w.end_utc.strftime("%H:%M"),
                           input=_times(w.input_per_mtok), output=_times(w.output_per_mtok)))
    if period.regional_uplift is not None:
        notes.append(_note("rule_regional_offered", name=period.regional_uplift.name,
                           times=_times(period.regional_uplift.multiplier)))
    return notes
