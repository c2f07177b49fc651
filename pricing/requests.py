"""Pricing a file of API requests as the API counts them: per request, per model, and in total.

Each request is priced on its own ``model`` (or the default models when it names none), or on
every model the caller lists. Batch API files get the Batch discount. Beside the sure figure
(prompt + the expected output), each row carries an upper bound (prompt + its
``max_tokens``/``max_completion_tokens``) and an ESTIMATE of prompt caching: OpenAI caches
prompt prefixes of 1,024 tokens and more, in 128-token steps, so a request whose prefix
repeats one sent earlier in the file (same model) is assumed to hit the cache. Real cache hits
depend on timing and routing; this is a best case, never part of the sure figure.

Every model the app can count prices a request: on its own tokenizer (``ModelPrice.counted_with``)
under the chat overhead the registry states for it (``tokenizers.chat.request_rules``). The
cache estimate applies OpenAI's prefix rule to every vendor alike (another vendor's text is
compared by stand-ins, not token ids).
"""

from __future__ import annotations

import hashlib
from array import array
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Sequence

from ingest.documents import MESSAGES, Problem
from ingest.requests import ChatRequest, RequestFile
from pricing.catalog import Catalog, ModelPrice, UnknownModelError
from pricing.cost import (
    Assumptions,
    LongRequests,
    ModelCost,
    PricingError,
    cost_for,
    long_context_note,
    long_request,
    output_tokens,
)
from tokenizers.chat import ESTIMATE_NO_CHAT_OVERHEAD, PromptCount, count_prompt, prompt_blocks, request_rules
from tokenizers.images import DEFAULT_IMAGE_SIZE, OfflineSizer, image_rule

CACHE_MIN_TOKENS = 1024
CACHE_STEP = 128

# Row flags (keys of the app's message catalog, prefixed "flag_").
CONTEXT_OVERFLOW = "context_overflow"  # prompt + max output is more than the context window
ABOVE_MAX_OUTPUT = "max_output_above_limit"  # the request asks for more output than the model gives
ESTIMATED = "estimated_count"  # some part of the prompt count is an estimate
NO_BATCH_PRICE = "no_batch_price"  # Batch file, but the model has no Batch price: standard price used
IMAGE_URL_NOT_ACCEPTED = "image_url_not_accepted"  # an image URL the API refuses (a path, file: ...): never opened
# A URL quoted in a note is cut to this many characters.
_URL_SHOWN = 80


@dataclass(frozen=True)
class RequestCost:
    """One request priced on one model."""

    request: ChatRequest
    price: ModelPrice
    prompt: PromptCount
    cost: ModelCost  # prompt + expected output: the sure figure
    max_output_tokens: int | None  # the request's own bound
    max_total_cost: Decimal | None  # prompt + that bound; None when the request sets none
    cached_tokens_estimate: int
    total_cost_with_cache_estimate: Decimal
    flags: tuple[str, ...] = ()

    @property
    def model(self) -> str:
        return self.price.model


@dataclass
class ModelTotal:
    """All requests priced on one model."""

    model: str
    price: ModelPrice
    requests: int = 0
    prompt_tokens: int = 0
    cached_input_tokens: int = 0
    output_tokens: int = 0
    input_cost: Decimal = Decimal(0)
    output_cost: Decimal = Decimal(0)
    max_output_tokens: int | None = 0  # None once any request sets no bound
    max_total_cost: Decimal | None = Decimal(0)
    cached_tokens_estimate: int = 0
    total_cost_with_cache_estimate: Decimal = Decimal(0)
    flagged_requests: int = 0
    exact: bool = True
    estimates: list[str] = field(default_factory=list)  # ESTIMATE_* codes of tokenizers.chat
    notes: list[str] = field(default_factory=list)  # English: the cost engine's notes and the estimates
    long_context_requests: int = 0  # requests priced with the long-context surcharge

    @property
    def total_cost(self) -> Decimal:
        return self.input_cost + self.output_cost

    @property
    def chat_overhead_stated(self) -> bool:
        """False when the registry states no chat overhead for this model's tokenizer: its
        prompts are the messages' text alone (tokenizers.chat.ESTIMATE_NO_CHAT_OVERHEAD)."""
        return ESTIMATE_NO_CHAT_OVERHEAD not in self.estimates


@dataclass
class RequestReport:
    """A priced request file: rows per (request, model), totals per model, and what was skipped."""

    name: str
    form: str  # "chat", "batch" or "messages"
    batch: bool
    rows: list[RequestCost] = field(default_factory=list)
    totals: list[ModelTotal] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return len({row.request.line for row in self.rows})

    def as_dict(self) -> dict:
        """Plain data (money as Decimal) in the shape of the CLI's ``estimate`` JSON.

        ``models[].input_tokens`` is the sum of prompt tokens under that model's rules; the
        estimate fields (cache, upper bound) are named as such.
        """
        return {
            "kind": "requests",
            "form": self.form,
            "batch": self.batch,
            "documents": self.requests,
            "skipped": [p.row() for p in self.skipped],
            "notes": [p.row() for p in self.notes],
            "models": [
                {
                    "model": t.model,
                    "snapshot": t.price.snapshot,
                    "encoding": t.price.encoding,
                    "count_method": t.price.count_method,
                    "counted_with": t.price.counted_with,
                    "chat_overhead_stated": t.chat_overhead_stated,
                    "input_tokens": t.prompt_tokens,
                    "cached_input_tokens": t.cached_input_tokens,
                    "output_tokens": t.output_tokens,
                    "input_cost_usd": t.input_cost,
                    "output_cost_usd": t.output_cost,
                    "total_cost_usd": t.total_cost,
                    "notes": list(t.notes),
                    "requests": t.requests,
                    "exact": t.exact,
                    "estimates": list(t.estimates),
                    "max_output_tokens": t.max_output_tokens,
                    "max_total_cost_usd": t.max_total_cost,
                    "cached_input_tokens_estimate": t.cached_tokens_estimate,
                    "total_cost_usd_with_cache_estimate": t.total_cost_with_cache_estimate,
                    "flagged_requests": t.flagged_requests,
                }
                for t in self.totals
            ],
            "requests": [
                {
                    "line": r.request.line,
                    "custom_id": r.request.custom_id,
                    "model": r.model,
                    "prompt_tokens": r.prompt.total,
                    "message_tokens": r.prompt.text,
                    "tool_tokens": r.prompt.tools,
                    "image_tokens": r.prompt.images,
                    "exact": r.prompt.exact,
                    "estimates": list(r.prompt.estimates),
                    "output_tokens": r.cost.output_tokens,
                    "max_output_tokens": r.max_output_tokens,
                    "total_cost_usd": r.cost.total_cost,
                    "max_total_cost_usd": r.max_total_cost,
                    "cached_input_tokens_estimate": r.cached_tokens_estimate,
                    "flags": list(r.flags),
                }
                for r in self.rows
            ],
        }


def _cached_prefix(blocks: list[int], seen: set[bytes]) -> int:
    """Tokens of ``blocks`` whose prefix was seen before (cacheable steps only); records this one."""
    cached = 0
    chain = b""
    hit = True
    raw = array("q", blocks).tobytes()
    for end in range(CACHE_STEP, len(blocks) + 1, CACHE_STEP):
        chain = hashlib.blake2b(chain + raw[(end - CACHE_STEP) * 8 : end * 8], digest_size=16).digest()
        if hit and chain in seen:
            cached = end
        else:
            hit = False
            seen.add(chain)
    return cached if cached >= CACHE_MIN_TOKENS else 0


def _cost_with_cache(price: ModelPrice, prompt: int, cached: int, out: int, assumptions: Assumptions,
                     long: LongRequests | None = None) -> Decimal:
    plain = replace(assumptions, cached_share=Decimal(0))
    # A long request pays the surcharge on its cached and uncached parts alike.
    long_uncached = long and LongRequests(long.requests, prompt - cached, out)
    long_cached = long and LongRequests(long.requests, cached, 0)
    uncached = cost_for(price, prompt - cached, out, plain, long_uncached).total_cost
    return uncached + cost_for(price, cached, 0, replace(plain, cached_share=Decimal(1)), long_cached).total_cost


def _models_for(request: ChatRequest, models: Sequence[str] | None, catalog: Catalog, assumptions: Assumptions,
                defaults: Sequence[str], notes: list[Problem]) -> Sequence[str]:
    if models:
        return models
    if request.model is None:
        return defaults
    try:
        catalog.snapshot_for(request.model, assumptions.as_of)
    except UnknownModelError:
        notes.append(Problem("request_unknown_model", request.where, {"line": request.line, "model": request.model}))
        return defaults
    return [request.model]


def price_requests(
    requests: Sequence[ChatRequest],
    catalog: Catalog,
    models: Sequence[str] | None,
    assumptions: Assumptions,
    *,
    default_models: Sequence[str] | None = None,
    image_size: tuple[int, int] = DEFAULT_IMAGE_SIZE,
) -> tuple[list[RequestCost], list[ModelTotal], list[Problem]]:
    """Rows, per-model totals and notes for ``requests`` (see ``price_request_file``)."""
    default_models = default_models or catalog.default_models(assumptions.as_of)
    plain = replace(assumptions, cached_share=Decimal(0))
    sizer = OfflineSizer(image_size)
    prices: dict[str, ModelPrice] = {}
    totals: dict[str, ModelTotal] = {}
    seen: dict[str, set[bytes]] = {}
    notes: list[Problem] = []
    rows: list[RequestCost] = []
    batch_fallback = replace(assumptions, batch=False)
    for request in requests:
        for model in _models_for(request, models, catalog, assumptions, default_models, notes):
            if model not in prices:
                prices[model] = catalog.price(model, assumptions.as_of)
            price = prices[model]
            # Counted on the model's own tokenizer (or the one its count is estimated with), under
            # the chat overhead the registry states for it.
            rules = request_rules(price.encoding, price.snapshot, price.family)
            prompt = count_prompt(request.messages, price.counted_with, rules,
                                  image_rule(price.snapshot, price.family), sizer, request.tools)
            flags: list[str] = []
            _note_images(request, prompt, image_size, notes)
            if not prompt.exact:
                flags.append(ESTIMATED)
            if prompt.unaccepted_urls:
                flags.append(IMAGE_URL_NOT_ACCEPTED)
            row_a = assumptions
            try:
                cost_for(price, 0, 0, assumptions)
            except PricingError:
                if not assumptions.batch:
                    raise  # Flex or Priority asked for: the model's lack of it is the answer
                row_a = batch_fallback
                flags.append(NO_BATCH_PRICE)
            n = assumptions.requests
            bound = request.max_output_tokens
            # The API never returns more than the request's own bound or the model's limit.
            out = min(c for c in (output_tokens(prompt.total, 1, assumptions), bound, price.max_output_tokens)
                      if c is not None)
            cost = cost_for(price, prompt.total * n, out * n, row_a, long_request(price, prompt.total, out, n))
            max_cost = cost_for(price, prompt.total * n, bound * n, row_a,
                                long_request(price, prompt.total, bound, n)).total_cost if bound is not None else None
            window = price.context_window
            if window is not None and prompt.total + (bound or 0) > window:
                flags.append(CONTEXT_OVERFLOW)
            if bound is not None and price.max_output_tokens is not None and bound > price.max_output_tokens:
                flags.append(ABOVE_MAX_OUTPUT)
            blocks = prompt_blocks(request.messages, price.counted_with, rules, prompt, request.tools)
            cached = _cached_prefix(blocks, seen.setdefault(price.model, set()))
            with_cache = _cost_with_cache(price, prompt.total * n, cached * n, out * n, replace(plain, batch=row_a.batch),
                                          long_request(price, prompt.total, out, n))
            row = RequestCost(request, price, prompt, cost, bound, max_cost, cached, with_cache, tuple(flags))
            rows.append(row)
            _add(totals.setdefault(model, ModelTotal(model, price)), row)
    return rows, list(totals.values()), notes


def _note_images(request: ChatRequest, prompt: PromptCount, image_size: tuple[int, int], notes: list[Problem]) -> None:
    """Once per request: its images at URLs the API does not accept, and those at remote URLs."""
    if any(n.where == request.where and n.code in ("image_not_measured", "image_url_not_accepted") for n in notes):
        return  # the request was priced on another model already
    size = {"width": image_size[0], "height": image_size[1]}
    for url in dict.fromkeys(prompt.unaccepted_urls):
        shown = url if len(url) <= _URL_SHOWN else url[: _URL_SHOWN - 1] + "…"
        notes.append(Problem("image_url_not_accepted", request.where, {"line": request.line, "url": shown, **size}))
    if prompt.images_assumed_size > len(prompt.unaccepted_urls):
        notes.append(Problem("image_not_measured", request.where, {"line": request.line, **size}))


def _add(total: ModelTotal, row: RequestCost) -> None:
    total.requests += 1
    total.prompt_tokens += row.cost.input_tokens
    total.cached_input_tokens += row.cost.cached_input_tokens
    total.output_tokens += row.cost.output_tokens
    total.input_cost += row.cost.input_cost
    total.output_cost += row.cost.output_cost
    if row.max_total_cost is None or total.max_total_cost is None:
        total.max_total_cost = None
        total.max_output_tokens = None
    else:
        total.max_total_cost += row.max_total_cost
        total.max_output_tokens += row.max_output_tokens
    total.cached_tokens_estimate += row.cached_tokens_estimate
    total.total_cost_with_cache_estimate += row.total_cost_with_cache_estimate
    total.flagged_requests += bool(set(row.flags) - {ESTIMATED})
    total.exact = total.exact and row.prompt.exact
    for code in row.prompt.estimates:
        if code not in total.estimates:
            total.estimates.append(code)
    rule = total.price.period.long_context
    row_long_note = long_context_note(row.cost.long_context_requests, rule) if row.cost.long_context_requests else None
    for note in (*row.cost.notes, *(MESSAGES[code] for code in row.prompt.estimates)):
        if note != row_long_note and note not in total.notes:
            total.notes.append(note)
    if row_long_note:
        # One note for the file, counting every long request (not one per request).
        if total.long_context_requests:
            total.notes.remove(long_context_note(total.long_context_requests, rule))
        total.long_context_requests += row.cost.long_context_requests
        total.notes.append(long_context_note(total.long_context_requests, rule))


def price_request_file(
    parsed: RequestFile,
    catalog: Catalog,
    models: Sequence[str] | None,
    assumptions: Assumptions,
    *,
    default_models: Sequence[str] | None = None,
    image_size: tuple[int, int] = DEFAULT_IMAGE_SIZE,
) -> RequestReport:
    """Price every chat request of a request file read by ``ingest.read_requests``.

    ``models``: re-price every request on each of these ids; None or empty: each request on
    its own model (``default_models``, by default the catalog's defaults on the price date, when
    it names none or one the catalog lacks, noted).
    A Batch API file is priced with ``assumptions.batch`` set. ``image_size`` is used for
    images that cannot be measured offline (remote URLs) and for image URLs the API does not
    accept (a path, ``file:``: never opened, flagged IMAGE_URL_NOT_ACCEPTED and noted). Output per request follows ``assumptions`` (fixed tokens or a ratio of the prompt);
    ``assumptions.requests`` repeats each request.

    Raises UnknownModelError / NotPricedError for a listed model the catalog cannot price on
    ``assumptions.as_of``, and NotPricedError when a model named on a line had no price on that
    date; bad lines never raise, they are in ``skipped``.
    """
    assumptions = replace(assumptions, batch=True) if parsed.is_batch else assumptions
    rows, totals, notes = price_requests(parsed.requests, catalog, models, assumptions, default_models=default_models,
                                         image_size=image_size)
    return RequestReport(parsed.name, parsed.form, assumptions.batch, rows, totals, parsed.skipped, notes)
