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

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Mapping, Sequence

from ingest.documents import Problem
from ingest.requests import ChatRequest, RequestFile
from pricing.catalog import Catalog, ModelPrice, NotPricedError, UnknownModelError
from pricing.cost import PricingError, money
from pricing.estimates import ModelFailure, model_failure
from tokenizers import EncodingUnavailableError
from tokenizers.chat import chat_rules, count_prompt
from tokenizers.images import DEFAULT_IMAGE_SIZE, OfflineSizer, image_rule

# The base models a training file is priced on unless the caller names others (those of them
# offered on the price date: see ``default_fine_tuning_models``).
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


#: Content part types that carry an image in a chat message.
IMAGE_PARTS = frozenset({"image_url", "input_image"})


class ImagesNotAcceptedError(PricingError):
    """The training file has examples with images and the base model is fine-tuned on text only."""

    def __init__(self, model: str, lines: list[int]):
        self.model = model
        self.lines = lines
        super().__init__(f"{model} is not fine-tuned on images; examples with images on lines "
                         f"{', '.join(map(str, lines))}")


def has_assistant_turn(request: ChatRequest) -> bool:
    """Whether the example has an assistant message (what training learns from)."""
    return any(isinstance(m, Mapping) and m.get("role") == "assistant" for m in request.messages)


def default_fine_tuning_models(catalog: Catalog, as_of: dt.date) -> list[str]:
    """FINE_TUNING_MODELS that ``catalog`` offers on ``as_of``: a model shut down by then is not a default."""
    return [model for model in FINE_TUNING_MODELS if catalog.offered(model, as_of)]


def looks_like_training_file(parsed: RequestFile) -> bool:
    """True when the file has examples and every one has an assistant reply (what a training file needs)."""
    return bool(parsed.requests) and all(has_assistant_turn(r) for r in parsed.requests)


def has_image(request: ChatRequest) -> bool:
    """Whether any message of the example carries an image content part."""
    for message in request.messages:
        content = message.get("content") if isinstance(message, Mapping) else None
        if isinstance(content, list) and any(isinstance(p, Mapping) and p.get("type") in IMAGE_PARTS for p in content):
            return True
    return False


@dataclass
class FineTuningEstimate:
    """A training file priced on one base model.

    ``no_assistant``: the lines of examples without an assistant reply; OpenAI's data checks
    reject them, so they are not billed (not in ``examples``).
    """

    model: str
    price: ModelPrice
    examples: list[ExampleCount]
    epochs: int
    epochs_defaulted: bool  # True: the cookbook's default rule chose ``epochs``
    example_limit: int
    training_per_mtok: Decimal
    skipped: list[Problem] = field(default_factory=list)
    no_assistant: list[int] = field(default_factory=list)

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
) -> FineTuningEstimate:
    """Price training on a chat-format file (read by ``ingest.read_requests``) for base ``model``
    on day ``as_of``.

    ``epochs`` None: the cookbook's default rule. Examples without an assistant reply are left
    out and listed (``no_assistant``). Raises ImagesNotAcceptedError when an example has an
    image and the catalog does not say the model is fine-tuned on images; PricingError when
    the model has no fine-tuning price or the epochs / limit are not positive;
    UnknownModelError / NotPricedError from the catalog. Bad lines are in ``skipped``, never
    raised.
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
    sizer = OfflineSizer(image_size)
    trained = [r for r in parsed.requests if has_assistant_turn(r)]
    with_images = [r.line for r in trained if has_image(r)]
    if with_images and price.fine_tuning.images is None:
        raise ImagesNotAcceptedError(model, with_images)
    examples = []
    for request in trained:
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
        no_assistant=[r.line for r in parsed.requests if not has_assistant_turn(r)],
    )


def estimate_fine_tuning_each(
    parsed: RequestFile, catalog: Catalog, models: Sequence[str], as_of: dt.date, *, epochs: int | None = None,
    image_size: tuple[int, int] = DEFAULT_IMAGE_SIZE, example_limit: int | None = None,
) -> tuple[list[FineTuningEstimate], list[ModelFailure]]:
    """The file as a training file on each of ``models``, and why the others cannot train on it.

    Failure codes: "unknown_model", "not_priced", "retired", "not_counted", "no_fine_tuning",
    and "no_image_fine_tuning" (params model, lines: the lines with images, comma-separated).
    """
    estimates: list[FineTuningEstimate] = []
    failures: list[ModelFailure] = []
    for model in models:
        try:
            estimates.append(estimate_fine_tuning(parsed, catalog, model, as_of, epochs=epochs, image_size=image_size,
                                                  example_limit=example_limit))
        except ImagesNotAcceptedError as error:
            failures.append(ModelFailure(model, "no_image_fine_tuning",
                                         {"model": model, "lines": lines_text(error.lines)}))
        except (UnknownModelError, NotPricedError, PricingError, EncodingUnavailableError) as error:
            failures.append(model_failure(model, error, as_of, other="no_fine_tuning"))
    return estimates, failures


def lines_text(lines: Sequence[int], shown: int = 20) -> str:
    """Line numbers for a message: "2, 5, 9", the first ``shown`` then "…" when there are more."""
    text = ", ".join(map(str, lines[:shown]))
    return text + (", …" if len(lines) > shown else "")
