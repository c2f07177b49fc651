"""How a count is named on screen: its tokenizer, and how it was made (exact, reconstructed or
an estimate), in the user's language. The answers are the core's (``pricing.count_methods``)."""

from __future__ import annotations

from pricing.catalog import ModelPrice
from pricing.count_methods import ESTIMATE, RECONSTRUCTED, SAVING_ENCODINGS, estimated_with, tokenizer_method
from ui.i18n import t


def count_method_text(price: ModelPrice) -> str:
    """How ``price``'s model was counted: "exact", "reconstructed", or "estimate (counted with
    o200k_base)" naming the tokenizer whose count it is: another tokenizer's, or its assumed one
    when the model's tokenizer is not confirmed (claude-opus-5 "estimate (counted with claude-4.7)"
    under a card "Tokens (claude-4.7, reconstructed)": the count is that card's, the estimate is
    that it is the model's)."""
    method = price.count_method
    if method == ESTIMATE:
        return t("count_method_estimate_with", encoding=estimated_with(price.encoding) or price.counted_with)
    return t(f"count_method_{method}")


def tokens_metric_label(name: str) -> str:
    """The label of a card of tokens counted on the tokenizer ``name``: "Tokens (o200k_base, exact)"
    or "Tokens (claude-4.7, reconstructed)"; never "exact" for a reconstruction."""
    method = tokenizer_method(name)
    if method == ESTIMATE:  # Gemini's without the Gemma 3 model: another tokenizer's count
        return t("metric_tokens_estimate", encoding=name, base=estimated_with(name) or name)
    key = "metric_tokens_reconstructed" if method == RECONSTRUCTED else "metric_tokens"
    return t(key, encoding=name)


def tokens_metric_help(name: str) -> str:
    """The card's help: OpenAI's tokenizer (tiktoken) for o200k/cl100k, the vendor's vocabulary else,
    how an estimate was made for one estimated."""
    if tokenizer_method(name) == ESTIMATE:
        return t("metric_tokens_help_estimate", encoding=name, base=estimated_with(name) or name)
    return t("metric_tokens_help") if name in SAVING_ENCODINGS else t("metric_tokens_help_vendor", encoding=name)
