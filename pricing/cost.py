"""The cost engine: token counts and assumptions in, exact money per model out.

All money is Decimal, USD; nothing is rounded here (round on screen only).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Mapping

from pricing.catalog import Catalog, ModelPrice

MILLION = Decimal(1_000_000)


class PricingError(ValueError):
    """An assumption that cannot be priced (e.g. Batch API on a model that has none)."""


class NotCountedError(PricingError, KeyError):
    """The workload has no count on the model's encoding (e.g. p50k_base for text-davinci-003).

    A KeyError too, as ``estimate`` documented before this class existed.
    """

    def __str__(self) -> str:
        return self.args[0]


@dataclass(frozen=True)
class Assumptions:
    """How the counted text is used.

    Each document is one request, sent ``requests`` times (e.g. per month). Output per request
    is either a fixed number of tokens or a ratio of that request's input tokens.
    ``cached_share`` of the input is billed at the cached-input price where the model has one.
    """

    output_tokens_per_request: int = 0
    output_ratio: Decimal | None = None
    requests: int = 1
    batch: bool = False
    cached_share: Decimal = Decimal(0)
    as_of: dt.date = field(default_factory=dt.date.today)

    def __post_init__(self):
        if self.output_tokens_per_request < 0:
            raise PricingError("output tokens per request cannot be negative")
        if self.output_ratio is not None and self.output_ratio < 0:
            raise PricingError("the output ratio cannot be negative")
        if self.requests < 0:
            raise PricingError("the number of requests cannot be negative")
        if not Decimal(0) <= Decimal(self.cached_share) <= Decimal(1):
            raise PricingError("the cached share must be between 0 and 1")


@dataclass(frozen=True)
class Workload:
    """What was counted: tokens per encoding for the whole corpus, and how many documents."""

    tokens: Mapping[str, int]
    documents: int = 1


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

    @property
    def encoding(self) -> str:
        return self.price.encoding

    @property
    def total_cost(self) -> Decimal:
        return self.input_cost + self.output_cost


def _rates(price: ModelPrice, batch: bool) -> tuple[Decimal, Decimal, Decimal, list[str]]:
    """(input, cached input, output) USD per 1M tokens under the chosen API, and notes."""
    period = price.period
    notes: list[str] = []
    cached = period.cached_input_per_mtok
    if cached is None:
        cached = period.input_per_mtok
        notes.append("no cached-input price: cached tokens billed as input")
    if not batch:
        return period.input_per_mtok, cached, period.output_per_mtok, notes
    if period.batch_input_per_mtok is None or period.batch_output_per_mtok is None:
        raise PricingError(
            f"{price.model} has no Batch API price (prices from {period.effective_from}); price it without Batch"
        )
    # OpenAI prints few batch cached rates; they follow the batch/standard input ratio.
    ratio = period.batch_input_per_mtok / period.input_per_mtok if period.input_per_mtok else Decimal(1)
    return period.batch_input_per_mtok, cached * ratio, period.batch_output_per_mtok, notes


def money(tokens: int | Decimal, usd_per_mtok: Decimal) -> Decimal:
    """The exact cost of ``tokens`` at ``usd_per_mtok``."""
    return Decimal(tokens) * usd_per_mtok / MILLION


def output_tokens(input_tokens: int, documents: int, a: Assumptions) -> int:
    """Output tokens for one run of the workload (before multiplying by requests)."""
    if a.output_ratio is not None:
        return int((Decimal(input_tokens) * a.output_ratio).to_integral_value(ROUND_HALF_UP))
    return a.output_tokens_per_request * documents


def cost_for(price: ModelPrice, input_tokens: int, out_tokens: int, a: Assumptions) -> ModelCost:
    """The cost of ``input_tokens`` in and ``out_tokens`` out on one priced model.

    Raises PricingError when ``a.batch`` is set and the model has no Batch price.
    """
    rate_in, rate_cached, rate_out, notes = _rates(price, a.batch)
    # The share is an average over many requests: price it exactly (rounding the cached token
    # count first would make cost jump, not scale, with the number of requests).
    cached_exact = Decimal(input_tokens) * Decimal(a.cached_share)
    cached = int(cached_exact.to_integral_value(ROUND_HALF_UP))
    input_cost = money(input_tokens - cached_exact, rate_in) + money(cached_exact, rate_cached)
    if not a.cached_share:
        notes = []
    if price.encoding_evidence != "verified":
        notes.append(f"tokenizer of {price.snapshot} is not confirmed: counted with {price.encoding}")
    return ModelCost(
        model=price.model,
        price=price,
        input_tokens=input_tokens,
        cached_input_tokens=cached,
        output_tokens=out_tokens,
        input_cost=input_cost,
        output_cost=money(out_tokens, rate_out),
        notes=tuple(notes),
    )


def _count_for(workload: Workload, model: str, encoding: str) -> int:
    if encoding not in workload.tokens:
        counted = ", ".join(workload.tokens) or "none"
        raise NotCountedError(f"{model} uses {encoding}, which was not counted (counted: {counted})")
    return workload.tokens[encoding]


def estimate(workload: Workload, models: list[str], catalog: Catalog, a: Assumptions) -> list[ModelCost]:
    """Cost of ``workload`` on each model, in the order given.

    The model's encoding (from the catalog) picks which count applies. Raises
    UnknownModelError / NotPricedError from the catalog, PricingError for impossible
    assumptions, NotCountedError (a PricingError and a KeyError) when the workload was not
    counted on a model's encoding.
    """
    rows = []
    for model in models:
        price = catalog.price(model, a.as_of)
        per_run = _count_for(workload, model, price.encoding)
        out_per_run = output_tokens(per_run, workload.documents, a)
        rows.append(cost_for(price, per_run * a.requests, out_per_run * a.requests, a))
    return rows


@dataclass(frozen=True)
class Comparison:
    model: str
    baseline: str
    saving: Decimal  # baseline total minus this total (USD)
    saving_share: Decimal | None  # saving / baseline total; None when the baseline costs nothing
    times_cheaper: Decimal | None  # baseline total / this total; None when this costs nothing


def compare(rows: list[ModelCost], baseline: str) -> list[Comparison]:
    """Each row against the row for ``baseline`` (which must be among them)."""
    base = next((r for r in rows if r.model == baseline), None)
    if base is None:
        raise KeyError(f"baseline {baseline!r} is not among the compared models")
    out = []
    for r in rows:
        saving = base.total_cost - r.total_cost
        out.append(
            Comparison(
                model=r.model,
                baseline=baseline,
                saving=saving,
                saving_share=saving / base.total_cost if base.total_cost else None,
                times_cheaper=base.total_cost / r.total_cost if r.total_cost else None,
            )
        )
    return out


@dataclass(frozen=True)
class TokenizerSaving:
    """Moving one workload from model A to model B, split into two effects that add up.

    ``tokenizer_effect``: B's token count priced at A's rates, minus A's cost — what the
    newer tokenizer alone saves. ``price_effect``: B's cost minus that — what B's prices save.
    """

    from_model: str
    to_model: str
    from_tokens: int
    to_tokens: int
    from_cost: Decimal
    to_cost: Decimal
    tokenizer_effect: Decimal
    price_effect: Decimal

    @property
    def token_ratio(self) -> Decimal | None:
        """How many times fewer tokens B needs (A tokens / B tokens)."""
        return Decimal(self.from_tokens) / Decimal(self.to_tokens) if self.to_tokens else None

    @property
    def token_saving_share(self) -> Decimal | None:
        return (
            Decimal(self.from_tokens - self.to_tokens) / Decimal(self.from_tokens)
            if self.from_tokens
            else None
        )


def tokenizer_saving(
    workload: Workload, from_model: str, to_model: str, catalog: Catalog, a: Assumptions
) -> TokenizerSaving:
    """Split the change in cost from ``from_model`` to ``to_model`` into tokenizer and price effects.

    Raises what ``estimate`` raises.
    """
    p_from = catalog.price(from_model, a.as_of)
    p_to = catalog.price(to_model, a.as_of)
    from_tokens = _count_for(workload, from_model, p_from.encoding)
    to_tokens = _count_for(workload, to_model, p_to.encoding)

    def run(price: ModelPrice, tokens: int) -> ModelCost:
        return cost_for(price, tokens * a.requests, output_tokens(tokens, workload.documents, a) * a.requests, a)

    a_cost = run(p_from, from_tokens).total_cost
    mixed = run(p_from, to_tokens).total_cost
    b_cost = run(p_to, to_tokens).total_cost
    return TokenizerSaving(
        from_model=from_model,
        to_model=to_model,
        from_tokens=from_tokens,
        to_tokens=to_tokens,
        from_cost=a_cost,
        to_cost=b_cost,
        tokenizer_effect=mixed - a_cost,
        price_effect=b_cost - mixed,
    )
