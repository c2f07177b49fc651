"""Token counts by tokenizer name: the one door for counting.

o200k_base and cl100k_base go to the OpenAI engine (toktok when it passes its self-check, else
tiktoken: tokenizers/engines/openai.py), which also picks by the size of the call; every other
tokenizer the registry counts goes to its own engine. Special-token text such as
``<|endoftext|>`` or ``<|begin_of_text|>`` is always counted as ordinary text.
"""

from __future__ import annotations

from collections.abc import Sequence

from tokenizers.encodings import SUPPORTED_ENCODINGS, EncodingUnavailableError
from tokenizers.engines.openai import (  # noqa: F401  (the OpenAI engine's names, used across the code)
    _SELF_CHECK,
    _SELF_CHECK_COUNTS,
    _THREADS,
    SMALL_TEXT_CHARS,
    _toktok_ready,
    count_with_tiktoken,
    encode,
    engine_name,
)
from tokenizers.engines import openai as _openai
from tokenizers.registry import tokenizer


def _counted_entry(encoding: str):
    """The registry entry of a tokenizer counted offline now; raises EncodingUnavailableError."""
    try:
        entry = tokenizer(encoding)
    except KeyError as exc:
        raise EncodingUnavailableError(str(exc.args[0])) from None
    if not entry.counted:
        raise EncodingUnavailableError(f"{encoding} is not counted offline")
    return entry


def check_encoding(encoding: str) -> None:
    """Raises EncodingUnavailableError unless ``encoding`` is a tokenizer counted offline here
    (without loading it)."""
    if encoding not in SUPPORTED_ENCODINGS:
        _counted_entry(encoding)


def engine_for(encoding: str, chars: int | None = None) -> str:
    """The engine that counts a call of ``chars`` characters on ``encoding`` now: "toktok" or
    "tiktoken" for o200k_base / cl100k_base (``engines.openai.engine_for``), else the registry's
    engine (or "ratio" for a labelled estimate). Raises EncodingUnavailableError."""
    if encoding in SUPPORTED_ENCODINGS:
        return _openai.engine_for(encoding, chars)
    entry = _counted_entry(encoding)
    return entry.engine if entry.available else "ratio"


def count_tokens(text: str, encoding: str) -> int:
    """The number of tokens ``text`` has on ``encoding`` (``encode_ordinary`` semantics)."""
    return count_many([text], encoding)[0]


def count_many(texts: Sequence[str], encoding: str, threads: int = _THREADS, engine: str | None = None) -> list[int]:
    """Token counts for each of ``texts`` on the tokenizer ``encoding``, in order.

    ``threads`` and ``engine`` apply to o200k_base and cl100k_base (``engines.openai.count_many``).
    Raises EncodingUnavailableError for a tokenizer this project cannot count offline, or whose
    vocabulary file is not the pinned one.
    """
    if encoding in SUPPORTED_ENCODINGS:
        return _openai.count_many(texts, encoding, threads, engine)
    entry = _counted_entry(encoding)
    if not texts:
        return []
    return list(entry.counter()(texts))
