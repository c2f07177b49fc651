"""The cost engine: token counts and assumptions in, exact money per model out.

All money is Decimal, USD; nothing is rounded here (round on screen only).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Mapping

from pricing.catalog import Catalog, ModelPrice
from pricing.rules import (CACHE_LIFETIMES, PricingError, RateCard, RuleNote, cache_write_note, figure, rate_card,
                           tier_name)
from pricing.schema import TIERS, LongContextRule
from pricing.count_methods import counted_with, estimated_with

MILLION = Decimal(1_000_000)


class NotCountedError(PricingError, KeyError):
    """The workload has no count on the model's encoding (e.g. p50k_base for text-davinci-003).

    A KeyError too, as ``estimate`` documented before this class existed.
    """

    def __str__(self) -> str:
        return self.args[0]


@dataclass(frozen=True)
class Assumptions:
    """How the counted text is used: which question is asked, and how much comes back.

    Two questions (``traffic``):

    * ``traffic=False`` -- *this corpus, processed ``requests`` times*: each document is one
      request, so ``documents x requests`` requests are priced.
    * ``traffic=True`` -- *traffic like this, ``requests`` requests (a month)*: the counted text
      is a typical request (a corpus of several documents: its average document), so exactly
      ``requests`` requests are priced.

    Output per request is a fixed number of tokens or a ratio of that request's input tokens;
    ``output_ratio_by_encoding`` ((encoding, ratio) pairs) overrides the ratio on the encodings
    it names (a translation is longer or shorter in the target language's tokens).
    ``cached_share`` of the input is billed at the cached-input price where the model has one.

    ``tier`` is the processing tier priced: "standard", "batch", "flex" or "priority";
    ``batch=True`` is the short form of ``tier="batch"`` (after construction the two agree:
    ``batch`` is True exactly when ``tier`` is "batch").

    Each vendor's rules read the same assumptions: ``cached_share`` of the input is read from a
    cache (Anthropic's cache hits, DeepSeek's cache-hit input, Gemini's context cache, OpenAI's
    and xAI's cached input); ``cache_write_share`` of it is written to the cache with a
    ``cache_lifetime`` of "5m" or "1h" (priced where the vendor charges writes, else as input);
    ``cache_hours`` is how long a context cache is kept (storage, where priced per hour);
    ``off_peak_share`` of the traffic is sent in a model's off-peak window (where its price period
    has one); ``regional`` applies a model's regional/data-residency uplift (off by default).
    """

    output_tokens_per_request: int = 0
    output_ratio: Decimal | None = None
    requests: int = 1
    batch: bool | None = None  # None: follow ``tier``; True: tier "batch"
    cached_share: Decimal = Decimal(0)
    as_of: dt.date = field(default_factory=dt.date.today)
    traffic: bool = False
    output_ratio_by_encoding: tuple[tuple[str, Decimal], ...] = ()
    tier: str = "standard"
    cache_write_share: Decimal = Decimal(0)
    cache_lifetime: str = "5m"
    cache_hours: Decimal = Decimal(1)
    off_peak_share: Decimal = Decimal(0)
    regional: bool = False

    def __post_init__(self):
        if self.tier not in TIERS:
            raise PricingError(f"unknown processing tier {self.tier!r}: choose one of {', '.join(TIERS)}")
        # Frozen: the short form and the tier are made to agree once, here. An explicit
        # ``batch`` wins over a tier of "standard"/"batch", so ``replace(assumptions, batch=False)`` still
        # turns Batch off; with Flex or Priority it is a contradiction.
        if self.batch is None:
            object.__setattr__(self, "batch", self.tier == "batch")
        elif self.batch and self.tier in ("standard", "batch"):
            object.__setattr__(self, "tier", "batch")
        elif self.batch:
            raise PricingError(f"batch means the batch tier; it cannot be combined with tier {self.tier!r}")
        elif self.tier == "batch":
            object.__setattr__(self, "tier", "standard")
        if self.output_tokens_per_request < 0:
            raise PricingError("output tokens per request cannot be negative")
        if self.output_ratio is not None and self.output_ratio < 0:
            raise PricingError("the output ratio cannot be negative")
        if any(ratio < 0 for _, ratio in self.output_ratio_by_encoding):
            raise PricingError("the output ratio cannot be negative")
        if self.requests < 0:
            raise PricingError("the number of requests cannot be negative")
        if not Decimal(0) <= Decimal(self.cached_share) <= Decimal(1):
            raise PricingError("the cached share must be between 0 and 1")
        if not Decimal(0) <= Decimal(self.cache_write_share) <= Decimal(1) - Decimal(self.cached_share):
            raise PricingError("the cache-write share must be between 0 and 1 minus the cached share")
        if self.cache_lifetime not in CACHE_LIFETIMES:
            raise PricingError(f"the cache lifetime must be one of {', '.join(CACHE_LIFETIMES)}")
        if Decimal(self.cache_hours) < 0:
            raise PricingError("the cache hours cannot be negative")
        if not Decimal(0) <= Decimal(self.off_peak_share) <= Decimal(1):
            raise PricingError("the off-peak share must be between 0 and 1")

    def ratio_for(self, encoding: str | None) -> Decimal | None:
        """The output ratio on ``encoding`` (None: output is a fixed number of tokens)."""
        for name, ratio in self.output_ratio_by_encoding:
            if name == encoding:
                return ratio
        return self.output_ratio


def requests_priced(documents: int, assumptions: Assumptions) -> int:
    """How many requests an estimate of ``documents`` documents prices under ``assumptions``."""
    return assumptions.requests if assumptions.traffic else documents * assumptions.requests


@dataclass(frozen=True)
class Workload:
    """What was counted: tokens per encoding for the whole corpus, and how many documents.

    ``long_requests``: for each long-context threshold (input tokens), per encoding, the
    documents whose count is over it, as (documents, their tokens) -- what a per-request
    surcharge needs when each document is one request (``corpus.summary.long_requests_of``). A
    threshold left out is unknown (a single document, or a corpus whose total is not over it,
    needs none).
    """

    tokens: Mapping[str, int]
    documents: int = 1
    long_requests: Mapping[int, Mapping[str, tuple[int, int]]] = field(default_factory=dict)


@dataclass(frozen=True)
class LongRequests:
    """The part of a priced volume in requests over a model's long-context threshold: how
    many requests, and their input and output tokens (already inside the volume's totals)."""

    requests: int | Decimal
    input_tokens: int | Decimal
    output_tokens: int | Decimal


@dataclass(frozen=True)
class OverContextWindow:
    """Requests whose input alone is longer than the model's context window: the API refuses
    them (they must be split or shortened). They stay in the cost: see ``priced_volume``.

    ``documents``: documents over the window (a corpus, each document one request); None for
    traffic, where the average request is over it. ``tokens``: those documents' input tokens
    (one pass), or the average request's. ``requests``: priced requests that are over it.
    """

    context_window: int
    documents: int | None
    tokens: int
    requests: int


@dataclass(frozen=True)
class ModelCost:
    model: str
    price: ModelPrice
    input_tokens: int
    cached_input_tokens: int  # the cached share of input_tokens, rounded for display; costs use the exact share
    output_tokens: int
    input_cost: Decimal
    output_cost: Decimal
    notes: tuple[str, ...] = ()
    # Requests priced with the long-context surcharge (the rule is ``price.period.long_context``).
    long_context_requests: int = 0
    # Requests the API would refuse: their input is over the model's context window (None: none).
    over_context_window: OverContextWindow | None = None
    # The vendor's rules that priced this row (words: pricing.rules.in_words, the app's t()).
    rules: tuple[RuleNote, ...] = ()

    @property
    def encoding(self) -> str:
        return self.price.encoding

    @property
    def total_cost(self) -> Decimal:
        return self.input_cost + self.output_cost


def _rates(price: ModelPrice, assumptions: Assumptions) -> tuple[RateCard, list[str]]:
    """The rate card of ``price`` on the tier of ``assumptions``, and notes on cached tokens priced
    without a cached price of their own. Raises PricingError when the tier has no price."""
    period = price.period
    card = rate_card(price.model, period, assumptions.tier, assumptions.as_of)
    notes: list[str] = []
    if period.cached_input_per_mtok is None:
        notes.append("no cached-input price: cached tokens billed as input")
    if assumptions.tier == "batch" and period.batch_cached_input_per_mtok is None:
        # No rate the vendor does not print: without a Batch cached price, cached tokens pay the Batch input rate.
        notes = ["no Batch cached-input price: cached tokens billed at the Batch input rate"]
    elif assumptions.tier in ("flex", "priority") and getattr(period, assumptions.tier).cached_input_per_mtok is None \
            and not notes:
        notes.append("no cached-input price: cached tokens billed as input")
    return card, notes


def _times(multiplier: Decimal) -> str:
    return f"{multiplier.normalize():f}x"


def long_context_note(requests: int, rule: LongContextRule) -> str:
    """The note on a cost whose ``requests`` were over ``rule``'s threshold."""
    what = "request" if requests == 1 else "requests"
    return (f"{requests:,} {what} over {rule.threshold_tokens:,} input tokens priced at "
            f"{_times(rule.input_multiplier)} input, {_times(rule.output_multiplier)} output")


def context_window_note(model: str, over: OverContextWindow) -> str:
    """The note on a cost with requests longer than ``model``'s context window."""
    window = f"{model}'s {over.context_window:,}-token context window"
    if over.documents is None:
        what = (f"the average request ({over.tokens:,} input tokens) is longer than {window}: the API refuses "
                "such requests; shorten or split them")
    else:
        what = (f"{over.documents:,} {'document is' if over.documents == 1 else 'documents are'} longer than "
                f"{window} ({over.tokens:,} input tokens): the API refuses such requests; split them")
    requests = f"{over.requests:,} {'request' if over.requests == 1 else 'requests'}"
    return f"{what}. The cost still prices them as sent ({requests})"


def money(tokens: int | Decimal, usd_per_mtok: Decimal) -> Decimal:
    """The exact cost of ``tokens`` at ``usd_per_mtok``."""
    return Decimal(tokens) * usd_per_mtok / MILLION


def output_tokens(input_tokens: int, documents: int, assumptions: Assumptions, encoding: str | None = None) -> int:
    """Output tokens for one run of the workload (before multiplying by requests)."""
    ratio = assumptions.ratio_for(encoding)
    if ratio is not None:
        return int((Decimal(input_tokens) * ratio).to_integral_value(ROUND_HALF_UP))
    return assumptions.output_tokens_per_request * documents


def _whole(tokens: int | Decimal) -> int:
    return int(Decimal(tokens).to_integral_value(ROUND_HALF_UP))


def cost_for(price: ModelPrice, input_tokens: int | Decimal, out_tokens: int | Decimal, assumptions: Assumptions,
             long: LongRequests | None = None, requests: int | Decimal | None = None) -> ModelCost:
    """The cost of ``input_tokens`` in and ``out_tokens`` out on one priced model.

    Token amounts may be exact Decimals (an average request times a volume); money is computed
    from them exactly and the record's token fields are rounded for display. ``long``: the
    part of the volume in requests over the model's long-context threshold; where the model's
    rule covers the tier of ``assumptions``, that part is billed at the multiplied rates (noted).
    ``requests``: how many requests the volume is (context-cache storage is priced on the average
    request's cached tokens; without it, on one request). The vendor's rules that applied are in
    ``ModelCost.rules``. Raises PricingError when the model has no price on the tier of
    ``assumptions`` (or not yet on ``assumptions.as_of``).
    """
    card, notes = _rates(price, assumptions)
    if not assumptions.cached_share:
        notes = []
    share = Decimal(assumptions.cached_share)
    rules = _row_rules(price, card, assumptions)
    long_in, long_out, long_count = _long_split(price, long, assumptions, notes, rules)
    volume = _Volume(Decimal(input_tokens), Decimal(out_tokens), long_in, long_out, share,
                     Decimal(assumptions.cache_write_share), price.period.long_context if long_count else None)
    write_rate = card.cache_write[assumptions.cache_lifetime]
    in_cost, out_cost = volume.cost(card.input, card.cached_input, write_rate, card.output)
    in_cost, out_cost = _vendor_adjustments(price, card, volume, assumptions, requests, (in_cost, out_cost), rules)
    counted = estimated_with(price.encoding)
    if counted is not None:
        notes.append(f"{price.encoding} is not counted offline yet: {price.snapshot}'s tokens estimated with {counted}")
    elif price.encoding_evidence != "verified":
        notes.append(f"tokenizer of {price.snapshot} is not confirmed: counted with {price.encoding}")
    return ModelCost(
        model=price.model,
        price=price,
        input_tokens=_whole(input_tokens),
        cached_input_tokens=_whole(Decimal(input_tokens) * share),
        output_tokens=_whole(out_tokens),
        input_cost=in_cost,
        output_cost=out_cost,
        notes=tuple(notes),
        long_context_requests=long_count,
        rules=tuple(rules),
    )


@dataclass(frozen=True)
class _Volume:
    """The tokens of a priced volume, its long-context part and the cache shares: priced on any rates."""

    input_tokens: Decimal
    output_tokens: Decimal
    long_in: Decimal
    long_out: Decimal
    share: Decimal  # read from the cache
    written: Decimal  # written to the cache
    rule: LongContextRule | None  # the long-context rule when the long part is surcharged

    def cost(self, rate_in: Decimal, rate_cached: Decimal, rate_write: Decimal, rate_out: Decimal
             ) -> tuple[Decimal, Decimal]:
        """(input, output) USD of the volume at these rates (USD per 1M tokens)."""
        def input_cost(tokens: Decimal, times_in: Decimal, times_cached: Decimal) -> Decimal:
            # The shares are averages over many requests: price them exactly (rounding the cached token
            # count first would make cost jump, not scale, with the number of requests).
            cached, writes = tokens * self.share, tokens * self.written
            return (money(tokens - cached - writes, rate_in * times_in) + money(cached, rate_cached * times_cached)
                    + money(writes, rate_write * times_in))

        in_cost = input_cost(self.input_tokens - self.long_in, Decimal(1), Decimal(1))
        out_cost = money(self.output_tokens - self.long_out, rate_out)
        if self.rule is not None:
            in_cost += input_cost(self.long_in, self.rule.input_multiplier, self.rule.cached_input_multiplier)
            out_cost += money(self.long_out, rate_out * self.rule.output_multiplier)
        return in_cost, out_cost


def _long_split(price: ModelPrice, long: LongRequests | None, assumptions: Assumptions, notes: list[str],
                rules: list[RuleNote]) -> tuple[Decimal, Decimal, int]:
    """(input, output tokens, requests) of ``long`` surcharged on the tier of ``assumptions``,
    noting it (or that the tier's prices exclude long context) in ``notes`` and ``rules``."""
    rule = price.period.long_context
    if long is None or rule is None or not long.requests:
        return Decimal(0), Decimal(0), 0
    count = _whole(long.requests)
    if assumptions.tier not in rule.tiers:
        notes.append(f"{count:,} {'request' if count == 1 else 'requests'} over {rule.threshold_tokens:,} "
                     f"input tokens: {tier_name(assumptions.tier, getattr(price.period, assumptions.tier, None))} "
                     "prices exclude long context; "
                     "priced without a surcharge")
        return Decimal(0), Decimal(0), 0
    notes.append(long_context_note(count, rule))
    rules.append(RuleNote("tier_long_context", (("model", price.model), ("requests", f"{count:,}"),
                                                ("threshold", f"{rule.threshold_tokens:,}"),
                                                ("input", figure(rule.input_multiplier)),
                                                ("output", figure(rule.output_multiplier)))))
    return Decimal(long.input_tokens), Decimal(long.output_tokens), count


def _vendor_adjustments(price: ModelPrice, card: RateCard, volume: _Volume, assumptions: Assumptions,
                        requests: int | Decimal | None, costs: tuple[Decimal, Decimal], rules: list[RuleNote]
                        ) -> tuple[Decimal, Decimal]:
    """``costs`` (input, output) with the period's off-peak window, context-cache storage and
    regional uplift applied as ``assumptions`` ask, each noted in ``rules``."""
    in_cost, out_cost = costs
    period = price.period
    window, off = period.off_peak, Decimal(assumptions.off_peak_share)
    if off and window is not None:
        # The off-peak share of the traffic at the window's rates (DeepSeek's discount hours).
        cached = window.cached_input_per_mtok or window.input_per_mtok
        off_in, off_out = volume.cost(window.input_per_mtok, cached, card.cache_write[assumptions.cache_lifetime],
                                      window.output_per_mtok)
        in_cost, out_cost = in_cost * (1 - off) + off_in * off, out_cost * (1 - off) + off_out * off
        rules.append(RuleNote("rule_off_peak_share", (("share", figure(off * 100)),
                                                      ("start", window.start_utc.strftime("%H:%M")),
                                                      ("end", window.end_utc.strftime("%H:%M")))))
    if volume.share and card.storage_per_hour is not None and assumptions.cache_hours:
        # An explicit context cache keeps the average request's cached tokens for ``cache_hours``.
        stored = volume.input_tokens * volume.share / Decimal(max(requests or 1, 1))
        in_cost += money(stored, card.storage_per_hour) * Decimal(assumptions.cache_hours)
        rules.append(RuleNote("rule_cache_storage", (("rate", figure(card.storage_per_hour)),
                                                     ("hours", figure(Decimal(assumptions.cache_hours))))))
    uplift = period.regional_uplift
    if assumptions.regional and uplift is not None:
        in_cost, out_cost = in_cost * uplift.multiplier, out_cost * uplift.multiplier
        rules.append(RuleNote("rule_regional", (("name", uplift.name), ("times", figure(uplift.multiplier)))))
    return in_cost, out_cost


def _row_rules(price: ModelPrice, card: RateCard, assumptions: Assumptions) -> list[RuleNote]:
    """The rules that price every row of ``price`` under ``assumptions`` (before per-request ones)."""
    rules = list(card.notes)
    if assumptions.cached_share:
        rules.append(RuleNote("rule_cache_read", (("rate", figure(card.cached_input)),)))
    if assumptions.cache_write_share:
        rules.append(cache_write_note(price.period))
    if assumptions.tier in ("flex", "priority"):
        rules.append(RuleNote(f"tier_{assumptions.tier}"))
    return rules or [RuleNote("rule_standard")]


def long_request(price: ModelPrice, input_tokens: int, out_tokens: int | Decimal, times: int = 1
                 ) -> LongRequests | None:
    """The long-context part of ``times`` requests of ``input_tokens`` in and ``out_tokens``
    out each: all of them when one is over the model's threshold, else None."""
    rule = price.period.long_context
    if rule is None or not rule.is_long(input_tokens):
        return None
    return LongRequests(times, input_tokens * times, Decimal(out_tokens) * times)


def _long_part(price: ModelPrice, per_run: int, documents: int, assumptions: Assumptions,
               long_docs: tuple[int, int] | None) -> LongRequests | None | str:
    """The long-context part of a volume; "unknown" when per-document counts are needed but missing."""
    rule = price.period.long_context
    if rule is None:
        return None
    threshold = rule.over_tokens
    if assumptions.traffic:
        # Traffic: every request is like the average document, so the average decides.
        per_request = Decimal(per_run) / Decimal(max(documents, 1))
        if per_request <= threshold:
            return None
        ratio = assumptions.ratio_for(price.counted_with)
        out_per_request = per_request * ratio if ratio is not None else Decimal(assumptions.output_tokens_per_request)
        n = assumptions.requests
        return LongRequests(n, per_request * n, out_per_request * n)
    if long_docs is None:
        if per_run <= threshold:
            return None  # no document can be over the threshold when all of them are not
        if documents > 1:
            return "unknown"
        long_docs = (1, per_run)
    count, tokens = long_docs
    if not count:
        return None
    out = output_tokens(tokens, count, assumptions, price.counted_with)
    return LongRequests(count * assumptions.requests, tokens * assumptions.requests, out * assumptions.requests)


def _over_window(price: ModelPrice, per_run: int, documents: int, assumptions: Assumptions,
                 window_docs: tuple[int, int] | None) -> OverContextWindow | None | str:
    """The requests over the model's context window; "unknown" when per-document counts are
    needed but missing."""
    window = price.context_window
    if window is None:
        return None
    if assumptions.traffic:
        per_request = Decimal(per_run) / Decimal(max(documents, 1))
        if per_request <= window:
            return None
        return OverContextWindow(window, None, _whole(per_request), assumptions.requests)
    if window_docs is None:
        if per_run <= window:
            return None
        if documents > 1:
            return "unknown"
        window_docs = (1, per_run)
    count, tokens = window_docs
    if not count:
        return None
    return OverContextWindow(window, count, tokens, count * assumptions.requests)


def priced_volume(price: ModelPrice, per_run: int, documents: int, assumptions: Assumptions,
                  long_docs: tuple[int, int] | None = None, window_docs: tuple[int, int] | None = None
                  ) -> ModelCost:
    """The cost of ``per_run`` tokens (one pass over ``documents`` documents, counted on the
    model's encoding) under the question and volume of ``assumptions``.

    ``long_docs``: (documents, their tokens) over the model's long-context threshold on its
    encoding; None when unknown (then a single document decides for itself, and a corpus whose
    total is over the threshold is priced without the surcharge, noted). ``window_docs``: the
    same over the model's context window (``ModelCost.over_context_window`` and a note).

    Requests over the context window are still priced, as if sent: the figure stays
    comparable between models, and splitting a document sends about the same input tokens
    (plus a repeated prompt per piece), so it is what the work costs once made sendable; the
    note says the API refuses them as they are.
    """
    if price.kind == "embedding":
        assumptions = dataclasses.replace(assumptions, output_tokens_per_request=0, output_ratio=None,
                                          output_ratio_by_encoding=())
    long = _long_part(price, per_run, documents, assumptions, long_docs)
    unknown = long == "unknown"
    long = None if unknown else long
    if not assumptions.traffic:
        out_per_run = output_tokens(per_run, documents, assumptions, price.counted_with)
        row = cost_for(price, per_run * assumptions.requests, out_per_run * assumptions.requests, assumptions, long,
                       requests=documents * assumptions.requests)
    else:
        # Traffic: ``assumptions.requests`` requests, each like the average document (exact, not rounded).
        per_request = Decimal(per_run) / Decimal(max(documents, 1))
        ratio = assumptions.ratio_for(price.counted_with)
        out_per_request = per_request * ratio if ratio is not None else Decimal(assumptions.output_tokens_per_request)
        n = assumptions.requests
        row = cost_for(price, per_request * n, out_per_request * n, assumptions, long, requests=n)
    if unknown:
        rule = price.period.long_context
        row = dataclasses.replace(row, notes=(*row.notes, (
            f"documents over {rule.threshold_tokens:,} input tokens not known: priced without the long-context surcharge")))
    over = _over_window(price, per_run, documents, assumptions, window_docs)
    if over == "unknown":
        row = dataclasses.replace(row, notes=(*row.notes, (
            f"documents over {price.model}'s {price.context_window:,}-token context window not known")))
    elif over is not None:
        row = dataclasses.replace(row, over_context_window=over,
                                  notes=(*row.notes, context_window_note(price.model, over)))
    return row


def count_for(workload: Workload, model: str, encoding: str) -> int:
    """The workload's tokens on ``encoding`` (``model``'s; one not counted offline is estimated
    with ``pricing.count_methods.ESTIMATED_WITH``: ``counted_with``); raises NotCountedError when
    it was not counted."""
    encoding = counted_with(encoding)
    if encoding not in workload.tokens:
        counted = ", ".join(workload.tokens) or "none"
        raise NotCountedError(f"{model} uses {encoding}, which was not counted (counted: {counted})")
    return workload.tokens[encoding]


def long_docs_of(workload: Workload, price: ModelPrice) -> tuple[int, int] | None:
    """(documents, their tokens) of ``workload`` over the long-context threshold of ``price``, on
    its encoding; None when the model has no such rule or the workload did not record it."""
    rule = price.period.long_context
    if rule is None:
        return None
    return workload.long_requests.get(rule.over_tokens, {}).get(price.counted_with)


def window_docs_of(workload: Workload, price: ModelPrice) -> tuple[int, int] | None:
    """(documents, their tokens) of ``workload`` over the context window of ``price``, on its
    encoding; None when the model has no window or the workload did not record it."""
    if price.context_window is None:
        return None
    return workload.long_requests.get(price.context_window, {}).get(price.counted_with)


def estimate(workload: Workload, models: list[str], catalog: Catalog, assumptions: Assumptions) -> list[ModelCost]:
    """Cost of ``workload`` on each model, in the order given.

    The model's encoding (from the catalog) picks which count applies. Raises
    UnknownModelError / NotPricedError from the catalog, PricingError for impossible
    assumptions, NotCountedError (a PricingError and a KeyError) when the workload was not
    counted on a model's encoding.
    """
    rows = []
    for model in models:
        price = catalog.price(model, assumptions.as_of)
        count = count_for(workload, model, price.encoding)
        rows.append(priced_volume(price, count, workload.documents, assumptions, long_docs_of(workload, price),
                                  window_docs_of(workload, price)))
    return rows
