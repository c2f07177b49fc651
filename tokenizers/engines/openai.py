"""The OpenAI engine: exact counts on o200k_base and cl100k_base, as tiktoken's ``encode_ordinary``
gives them.

The engine is toktok-rs (a Rust counter whose ids are identical to tiktoken's, proved by
tests/unit/test_counting_differential.py) when it is installed and passes a self-check on
first use; otherwise tiktoken itself. Special-token text such as ``<|endoftext|>`` is always
counted as ordinary text.
"""

from __future__ import annotations

import functools
import os
import unicodedata
from collections.abc import Sequence

from tokenizers import whitespace_runs
from tokenizers.boundaries import split_safely
from tokenizers.encodings import SUPPORTED_ENCODINGS, EncodingUnavailableError, get_encoding

# Unicode categories (first letter) that end a word or number piece, not a punctuation piece:
# o200k's word pattern includes marks (\p{M}), cl100k's (\p{L}+) does not.
_WORDLIKE = {"o200k_base": "LNM", "cl100k_base": "LN"}
# Pieces handed to tiktoken stay this small so memory and latency stay bounded.
_PIECE_CHARS = 1 << 20
_THREADS = max(1, min(2, os.cpu_count() or 1))

#: A call with fewer characters than this is counted by tiktoken unless toktok's vocabulary is
#: already built: tiktoken builds o200k_base + cl100k_base in about 0.55 s, toktok in about
#: 0.72 s (measured here), and a short text gains nothing from toktok's speed per byte.
SMALL_TEXT_CHARS = 1 << 16
_TOKTOK_BUILT: set[str] = set()

_SELF_CHECK = [
    "Hello, world! <|endoftext|>",
    "价格是多少？ 東京 \u0a97\u0ac1\u0a9c\u0ab0\u0abe\u0aa4\u0ac0 हिन्दी 👩‍👩‍👧",
    " \n\n\t  x  \r\n",
]
# tiktoken's counts of _SELF_CHECK (a test keeps them in step): checking toktok against known
# answers, not against a loaded tiktoken, spares every process tiktoken's vocabularies.
_SELF_CHECK_COUNTS = {"o200k_base": [11, 14, 4], "cl100k_base": [10, 40, 4]}


def _check_encoding(encoding: str) -> None:
    if encoding not in SUPPORTED_ENCODINGS:
        raise EncodingUnavailableError(
            f"unsupported encoding {encoding!r}; supported: {', '.join(SUPPORTED_ENCODINGS)}"
        )


@functools.cache
def _toktok_ready(encoding: str) -> bool:
    try:
        import toktok
    except ImportError:
        return False
    try:
        got = toktok.batch_count(_SELF_CHECK, encoding, threads=1)
    except Exception:  # a broken build: fall back to the reference
        return False
    return got == _SELF_CHECK_COUNTS[encoding]


def engine_name(encoding: str) -> str:
    """Which engine counts ``encoding`` in this process: "toktok" or "tiktoken"."""
    return engine_for(encoding)


def engine_for(encoding: str, chars: int | None = None) -> str:
    """The engine that counts a call of ``chars`` characters on ``encoding`` now: tiktoken for a
    small call while toktok is not built yet (SMALL_TEXT_CHARS), else toktok when it is installed
    and passes its self-check. Raises EncodingUnavailableError for an unsupported encoding."""
    _check_encoding(encoding)
    if chars is not None and chars < SMALL_TEXT_CHARS and encoding not in _TOKTOK_BUILT:
        return "tiktoken"
    _TOKTOK_BUILT.add(encoding)
    return "toktok" if _toktok_ready(encoding) else "tiktoken"


def check_encoding(encoding: str) -> None:
    """Raises EncodingUnavailableError unless ``encoding`` is one this project counts offline
    (without loading it)."""
    _check_encoding(encoding)


def count_tokens(text: str, encoding: str) -> int:
    """The number of tokens ``text`` has on ``encoding`` (``encode_ordinary`` semantics)."""
    return count_many([text], encoding)[0]


def count_many(texts: Sequence[str], encoding: str, threads: int = _THREADS, engine: str | None = None) -> list[int]:
    """Token counts for each of ``texts`` on ``encoding``, in order, on up to ``threads`` cores,
    by ``engine`` (default: ``engine_for`` the texts' size).

    Raises EncodingUnavailableError for an encoding this project cannot count offline.
    """
    _check_encoding(encoding)
    if not texts:
        return []
    if engine is None:
        engine = engine_for(encoding, sum(map(len, texts)))
    if engine == "toktok":
        import toktok

        return toktok.batch_count(list(texts), encoding, threads=threads)
    return [count_with_tiktoken(text, encoding) for text in texts]


def count_with_tiktoken(text: str, encoding: str) -> int:
    """The reference count: tiktoken's ``encode_ordinary``, made safe for any input size."""
    enc = get_encoding(encoding)
    total = 0
    for segment, whole_piece in _segments(text, encoding):
        if whole_piece:
            total += len(enc._encode_single_piece(segment.encode("utf-8")))
        else:
            pieces = list(split_safely(segment, _PIECE_CHARS))
            total += sum(len(ids) for ids in enc.encode_ordinary_batch(pieces, num_threads=_THREADS))
    return total


def encode(text: str, encoding: str) -> list[int]:
    """tiktoken's ``encode_ordinary`` ids for ``text``, safe for huge whitespace runs."""
    enc = get_encoding(encoding)
    ids: list[int] = []
    for segment, whole_piece in _segments(text, encoding):
        if whole_piece:
            ids.extend(enc._encode_single_piece(segment.encode("utf-8")))
        else:
            for piece in split_safely(segment, _PIECE_CHARS):
                ids.extend(enc.encode_ordinary(piece))
    return ids


def _segments(text: str, encoding: str):
    """``text`` cut around whitespace runs too long for tiktoken's regex (whitespace_runs.segments):
    a piece ending in a character of a word-like category keeps the newlines after it apart."""
    wordlike = _WORDLIKE[encoding]
    return whitespace_runs.segments(text, lambda ch: unicodedata.category(ch)[0] not in wordlike)
