"""Which encodings this project knows, which it counts, and how: the one place that says so.

Each entry: the encoding id, whether its counts are exact offline (``counted``), the engine
that counts it, and an English label. A new provider adds an entry here (and a counter), not
edits across the code. The catalog validates its models' encodings against ``KNOWN_ENCODINGS``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Tokenizer:
    """One encoding: ``counted`` is True when this project counts it exactly, offline."""

    encoding: str
    counted: bool
    engine: str  # "toktok/tiktoken" (toktok when it passes its self-check, else tiktoken) or "none"
    label: str

    def counter(self) -> Callable[[Sequence[str]], list[int]]:
        """The function that counts a batch of texts on this encoding (exact, ``encode_ordinary``).

        Raises LookupError for an encoding that is not counted offline.
        """
        if not self.counted:
            raise LookupError(f"{self.encoding} is not counted offline")
        from tokenizers.counting import count_many  # here, not above: counting imports this module's data

        return lambda texts: count_many(texts, self.encoding)


REGISTRY: dict[str, Tokenizer] = {
    t.encoding: t
    for t in (
        Tokenizer("o200k_base", True, "toktok/tiktoken", "o200k_base (exact)"),
        Tokenizer("cl100k_base", True, "toktok/tiktoken", "cl100k_base (exact)"),
        Tokenizer("p50k_base", False, "none", "p50k_base (not counted offline)"),
        Tokenizer("r50k_base", False, "none", "r50k_base (not counted offline)"),
        # Other vendors' tokenizers, by the names the catalog uses (issue 18 gives them engines).
        *(Tokenizer(name, False, "none", f"{name} (not counted offline)") for name in (
            "llama3", "llama4", "qwen2", "qwen3.6", "deepseek-v3", "tekken-240718",
            "gemma3", "claude-3", "claude-4.7", "grok")),
    )
}
#: Every encoding a catalog may name.
KNOWN_ENCODINGS: tuple[str, ...] = tuple(REGISTRY)
#: The encodings counted exactly, offline (in this order everywhere counts are shown).
COUNTED_ENCODINGS: tuple[str, ...] = tuple(e for e, t in REGISTRY.items() if t.counted)


def tokenizer(encoding: str) -> Tokenizer:
    """The registry entry for ``encoding``; raises KeyError naming the known ones."""
    try:
        return REGISTRY[encoding]
    except KeyError:
        raise KeyError(f"unknown encoding {encoding!r}; known: {', '.join(KNOWN_ENCODINGS)}") from None


def count_is_estimate(encoding: str, tokenizer_confirmed: bool) -> bool:
    """True when a count on ``encoding`` for a model is an estimate: the model's tokenizer is not
    confirmed (counted with the encoding the catalog assumes), or the encoding is not counted."""
    return not (tokenizer_confirmed and tokenizer(encoding).counted)


def count_label(encoding: str, tokenizer_confirmed: bool) -> str:
    """How a model's count is to be read, in English: "exact (o200k_base)", or "estimate: tokenizer
    not confirmed, counted with o200k_base", or "p50k_base (not counted offline)"."""
    entry = tokenizer(encoding)
    if not entry.counted:
        return entry.label
    if not tokenizer_confirmed:
        return f"estimate: tokenizer not confirmed, counted with {encoding}"
    return f"exact ({encoding})"
