"""Counting any tokenizer the registry counts, by name: the one door the corpus pipeline uses.

o200k_base and cl100k_base go to the fast engine (toktok when it passes its self-check, else
tiktoken; ``tokenizers.counting``), which picks by the size of the call; every other counted
tokenizer goes to the counter its registry entry gives. So the streaming count, the sampled
estimate and the Dask workers count a Llama or Qwen corpus the same way they count o200k.
"""

from __future__ import annotations

from collections.abc import Sequence

from tokenizers.counting import count_many, engine_for
from tokenizers.encodings import EncodingUnavailableError
from tokenizers.registry import tokenizer

#: The encodings the fast engine counts (toktok, else tiktoken: ``tokenizers.counting``).
FAST_ENCODINGS: tuple[str, ...] = ("o200k_base", "cl100k_base")


def check_countable(name: str) -> None:
    """Raises EncodingUnavailableError unless ``name`` is a tokenizer counted offline here
    (without loading it)."""
    try:
        entry = tokenizer(name)
    except KeyError as exc:
        raise EncodingUnavailableError(str(exc.args[0])) from None
    if not entry.counted:
        raise EncodingUnavailableError(f"{name} is not counted offline")


def engine_of(name: str, chars: int | None = None) -> str:
    """The engine that counts a call of ``chars`` characters on ``name`` now: "toktok" or
    "tiktoken" for the fast encodings (``counting.engine_for``), else the registry's engine."""
    if name in FAST_ENCODINGS:
        return engine_for(name, chars)
    check_countable(name)
    return tokenizer(name).engine


def count_texts(texts: Sequence[str], name: str, threads: int = 1, engine: str | None = None) -> list[int]:
    """Token counts of each of ``texts`` on the tokenizer ``name``, in order.

    ``threads`` and ``engine`` apply to the fast encodings (``counting.count_many``); another
    tokenizer is counted by its registry counter. Raises EncodingUnavailableError for a name
    that is not counted offline.
    """
    if name in FAST_ENCODINGS:
        return count_many(texts, name, threads, engine)
    check_countable(name)
    if not texts:
        return []
    return list(tokenizer(name).counter()(texts))
