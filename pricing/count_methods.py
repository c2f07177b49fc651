"""Which tokenizer's count prices each model, and how that count is made.

A model names its tokenizer in the catalog (``encoding``). When this project counts that
tokenizer offline and the catalog confirms it is the model's own, the model is priced on its
own count, made the way the registry says (``exact`` or ``reconstructed``). Otherwise the count
is an ``estimate``: on the tokenizer the catalog assumes, or, for another vendor's tokenizer
that cannot be counted offline, on o200k_base. A corpus is counted once on the set of
tokenizers the chosen models need (``tokenizers_for``), plus o200k_base and cl100k_base for
the saving between OpenAI's two encodings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Protocol

from tokenizers.registry import REGISTRY, tokenizer

#: Always counted: what o200k_base saves over cl100k_base is shown for every corpus.
SAVING_ENCODINGS: tuple[str, ...] = ("o200k_base", "cl100k_base")
#: What another vendor's tokenizer that is not counted offline is estimated with.
ESTIMATED_WITH = "o200k_base"
#: OpenAI's older encodings: not estimated with o200k_base (their models cannot be priced on a
#: count that is not theirs, as before: tiktoken counts them only where it can download them).
NOT_ESTIMATED = frozenset({"p50k_base", "r50k_base"})

#: ``count_method`` values.
EXACT = "exact"
RECONSTRUCTED = "reconstructed"
ESTIMATE = "estimate"
COUNT_METHODS = (EXACT, RECONSTRUCTED, ESTIMATE)


def counted_with(encoding: str) -> str:
    """The tokenizer whose count prices a model of ``encoding``: itself when it is counted
    offline, else ESTIMATED_WITH (or itself, not counted, for NOT_ESTIMATED)."""
    if tokenizer(encoding).counted or encoding in NOT_ESTIMATED:
        return encoding
    return ESTIMATED_WITH


def estimated_with(encoding: str) -> str | None:
    """The tokenizer whose count a model of ``encoding`` is estimated from, when its own is not
    counted: ``counted_with`` when that is another one, the base of the registry's labelled
    estimate when the tokenizer is counted that way (Gemini's without its model file), else None."""
    if counted_with(encoding) != encoding:
        return counted_with(encoding)
    entry = tokenizer(encoding)
    if entry.counted and tokenizer_method(encoding) == ESTIMATE:
        return getattr(getattr(entry, "fallback", None), "base", None) or ESTIMATED_WITH
    return None


def count_method(encoding: str, tokenizer_confirmed: bool) -> str:
    """How a model's count is made: ESTIMATE when its tokenizer is not confirmed or not counted
    offline, else the registry's method for it (EXACT, or RECONSTRUCTED for Claude's)."""
    if not (tokenizer_confirmed and tokenizer(encoding).counted):
        return ESTIMATE
    return tokenizer_method(encoding)


def tokenizer_method(name: str) -> str:
    """How counts on the tokenizer ``name`` are made, as the registry says (EXACT for one that
    says nothing: o200k_base and cl100k_base; RECONSTRUCTED for Claude's)."""
    return getattr(tokenizer(name), "method", EXACT)


def counted_tokenizers() -> tuple[str, ...]:
    """Every tokenizer counted offline here: SAVING_ENCODINGS first, then the registry's order."""
    return tokenizers_for(name for name, entry in REGISTRY.items() if entry.counted)


class _Catalog(Protocol):
    def encoding_of(self, model_id: str, as_of: dt.date) -> str: ...

    def retired_on(self, model_id: str, as_of: dt.date) -> dt.date | None: ...


def tokenizers_for(encodings: Iterable[str]) -> tuple[str, ...]:
    """The tokenizers to count for models of ``encodings``: SAVING_ENCODINGS, then each one's
    ``counted_with`` that is counted offline, in the registry's order (so the same models in
    another order ask for the same counts, and find them in a cache)."""
    wanted = {counted_with(e) for e in encodings} - set(SAVING_ENCODINGS)
    return (*SAVING_ENCODINGS, *(name for name, entry in REGISTRY.items() if name in wanted and entry.counted))


def tokenizers_for_models(models: Sequence[str], catalog: _Catalog, as_of: dt.date) -> tuple[str, ...]:
    """``tokenizers_for`` the encodings of ``models`` on ``as_of``; a model the catalog cannot
    place (unknown, not priced then, shut down by then) adds nothing: it fails, with its reason,
    when priced, and no card of tokens is shown for a tokenizer no priced model uses."""
    encodings = []
    for model in models:
        try:
            if catalog.retired_on(model, as_of) is not None:
                continue
            encodings.append(catalog.encoding_of(model, as_of))
        except (KeyError, LookupError, ValueError):
            continue
    return tokenizers_for(encodings)
