"""Exact token counts, as tiktoken's ``encode_ordinary`` gives them.

The engine is toktok-rs (a Rust counter whose ids are identical to tiktoken's, proved by
tests/unit/test_counting_differential.py) when it is installed and passes a self-check on
first use; otherwise tiktoken itself. Special-token text such as ``<|endoftext|>`` is always
counted as ordinary text.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Sequence

from tokenizers.boundaries import split_safely
from tokenizers.encodings import SUPPORTED_ENCODINGS, EncodingUnavailableError, get_encoding

# What tiktoken's regex calls \s: Unicode White_Space. Python's own \s also takes
# U+001C..U+001F, which tiktoken treats as punctuation, so the class is spelled out.
_WHITESPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# tiktoken's regex overflows its stack on about a million whitespace characters in a row; far
# below that it is fine. Longer runs are split into the regex's own pieces by hand.
_LONG_WHITESPACE = re.compile(f"[{_WHITESPACE}]{{100000,}}")
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
    """Split ``text`` around whitespace runs too long for tiktoken's regex.

    Yields (segment, is_single_pretoken_piece). Long runs are cut the way both encodings'
    regexes cut them: up to the last newline of the run is one piece; of the rest, all but the
    last character is one piece when a non-space follows (the last one joins the next word).
    """
    pos = 0
    for match in _LONG_WHITESPACE.finditer(text):
        start, end = match.span()
        # A punctuation piece absorbs the newlines right after it ("[\r\n]*" in both patterns).
        if start > 0 and unicodedata.category(text[start - 1])[0] not in _WORDLIKE[encoding]:
            while start < end and text[start] in "\r\n":
                start += 1
            if start == end:
                # All newlines, so all in that punctuation piece (which, on o200k, goes on
                # through a following "/"); tiktoken handles such runs itself.
                continue
        if start > pos:
            yield text[pos:start], False
        run = text[start:end]
        followed = end < len(text)
        last_newline = max(run.rfind("\n"), run.rfind("\r"))
        if last_newline >= 0:
            yield run[: last_newline + 1], True
            run = run[last_newline + 1 :]
        if run and followed:
            if len(run) > 1:
                yield run[:-1], True
            pos = end - 1
        else:
            if run:
                yield run, True
            pos = end
    if pos < len(text):
        yield text[pos:], False
