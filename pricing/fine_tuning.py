"""What a fine-tuning job costs: training tokens x epochs x the model's training price.

Follows the OpenAI Cookbook's "Chat fine-tuning data prep" notebook: each example's tokens are
counted like a chat prompt (``tokenizers.chat.count_prompt``: message overhead, names, tools,
reply priming); an example longer than the per-example limit is truncated in training, so it is
billed at the limit (and flagged); the default epoch count is the cookbook's: 3, raised to
floor(100 / examples) when that is more (at most 25 epochs), or lowered to floor(25,000 /
examples) when examples x 3 passes 25,000 (at least 1 epoch).

Per-example limit: the caller's, else the model's context window from the price catalog
(16,385 for gpt-3.5-turbo-0125, the cookbook's MAX_TOKENS_PER_EXAMPLE; 128,000 for gpt-4o and
gpt-4o-mini). ASSUMPTION: OpenAI's training limit per example for gpt-4o/-mini is not in the
project's sourced facts; pass ``example_limit`` when you know it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ingest.documents import Problem
from ingest.requests import RequestFile
from pricing.catalog import Catalog, ModelPrice
from pricing.cost import PricingError, money
from tokenizers.chat import chat_rules, count_prompt
from tokenizers.images import DEFAULT_IMAGE_SIZE, OfflineSizer, image_rule

# The base models a training file is priced on unless the caller names others.
FINE_TUNING_MODELS = ("gpt-4o-mini", "gpt-4o", "gpt-3.5-turbo")
TARGET_EPOCHS = 3
MIN_TARGET_EXAMPLES = 100
MAX_TARGET_EXAMPLES = 25_000
MIN_DEFAULT_EPOCHS = 1
MAX_DEFAULT_EPOCHS = 25


@dataclass(frozen=True)
class ExampleCount:
    """One training example: where it is, its tokens, and whether it exceeds the limit."""

    where: str
    line: int
    tokens: int
    billed_tokens: int
    too_long: bool
    exact: bool


@dataclass
class FineTuningEstimate:
    """A training file priced on one base model."""

    model: str
    price: ModelPrice
    examples: list[ExampleCount]
    epochs: int
    epochs_defaulted: bool  # True: the cookbook's default rule chose ``epochs``
    example_limit: int
    training_per_mtok: Decimal
    skipped: list[Problem] = field(default_factory=list)

    @property
    def dataset_tokens(self) -> int:
        """Tokens in one pass over the file, as billed (long examples cut at the limit)."""
        return sum(e.billed_tokens for e in self.examples)

    @property
    def training_tokens(self) -> int:
        return self.dataset_tokens * self.epochs

    @property
    def training_cost(self) -> Decimal:
        return money(self.training_tokens, self.training_per_mtok)

    @property
    def too_long(self) -> list[ExampleCount]:
        return [e for e in self.examples if e.too_long]

    @property
    def exact(self) -> bool:
        return all(e.exact for e in self.examples)


def default_epochs(examples: int) -> int:
    """The cookbook's default epoch count for a file of ``examples`` training examples."""
    if examples <= 0:
        return TARGET_EPOCHS
    if examples * TARGET_EPOCHS < MIN_TARGET_EXAMPLES:
        return min(MAX_DEFAULT_EPOCHS, MIN_TARGET_EXAMPLES // examples)
    if examples * TARGET_EPOCHS > MAX_TARGET_EXAMPLES:
        return max(MIN_DEFAULT_EPOCHS, MAX_TARGET_EXAMPLES // examples)
    return TARGET_EPOCHS


def estimate_fine_tuning(
    parsed: RequestFile,
    catalog: Catalog,
    model: str,
    as_of,
    *,
    epochs: int | None = None,
    example_limit: int | None = None,
    image_size: tuple[int, int] = DEFAULT_IMAGE_SIZE,
    base_dir: Path | None = None,
) -> FineTuningEstimate:
    """Price training on a chat-format file (read by ``ingest.read_requests``) for base ``model``
    on day ``as_of``.

    ``epochs`` None: the cookbook's default rule. Raises PricingError when the model has no
    fine-tuning price or the epochs / limit are not positive; UnknownModelError /
    NotPricedError from the catalog. Bad lines are in ``skipped``, never raised.
    """
    if epochs is not None and epochs < 1:
        raise PricingError("epochs must be at least 1")
    price = catalog.price(model, as_of)
    if price.fine_tuning is None:
        raise PricingError(f"{model} has no fine-tuning price in the catalog")
    limit = example_limit if example_limit is not None else price.context_window
    if limit is None or limit < 1:
        raise PricingError(f"no per-example token limit for {model}: give one")
    rules = chat_rules(price.snapshot, price.family)
    images = image_rule(price.snapshot, price.family)
    sizer = OfflineSizer(image_size, base_dir)
    examples = []
    for request in parsed.requests:
        count = count_prompt(request.messages, price.encoding, rules, images, sizer, request.tools)
        examples.append(
            ExampleCount(
                where=request.where,
                line=request.line,
                tokens=count.total,
                billed_tokens=min(count.total, limit),
                too_long=count.total > limit,
                exact=count.exact,
            )
        )
    chosen = epochs if epochs is not None else default_epochs(len(examples))
    return FineTuningEstimate(
        model=model,
        price=price,
        examples=examples,
        epochs=chosen,
        epochs_defaulted=epochs is None,
        example_limit=limit,
        training_per_mtok=price.fine_tuning.training_per_mtok,
        skipped=list(parsed.skipped),
    )
