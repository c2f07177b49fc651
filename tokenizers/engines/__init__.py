"""Engines: each turns one kind of vocabulary file into a counter of texts.

``counter_for(entry)`` takes a registry entry (tokenizers/registry.py) and returns a function
that counts a batch of texts on it. Engines read the entry they are handed and never import the
registry, so the imports run one way: counting -> registry -> engines.
"""

from __future__ import annotations

import functools
import threading
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from tokenizers import whitespace_runs
from tokenizers.boundaries import split_safely

Counter = Callable[[Sequence[str]], list[int]]

_LOADING = threading.Lock()
#: Pieces handed to a vendor engine stay this small so memory and latency stay bounded.
PIECE_CHARS = 1 << 20


def counter_for(entry) -> Counter:
    """The counter for a registry entry: its own engine when that is here, else its labelled
    ratio estimate. Raises LookupError for an entry with neither."""
    # One load at a time: the pipeline's worker threads asking for the same vocabulary at once
    # would otherwise each build it (up to ~140 MB apiece) before the cache holds one.
    with _LOADING:
        return _counter_for(entry)


def _counter_for(entry) -> Counter:
    if not entry.available and entry.vocabulary is not None and entry.vocabulary.url:
        _try_download(entry.vocabulary)
    if not entry.available:
        if entry.fallback is None:
            raise LookupError(f"{entry.encoding} is not counted offline")
        return _ratio_counter(entry.fallback.base, entry.fallback.ratio)
    if entry.engine == "openai":
        from tokenizers.engines import openai

        return lambda texts: openai.count_many(texts, entry.encoding)
    if entry.engine in ("tiktoken-bpe", "tekken"):
        from tokenizers.engines import bpe_ranks

        return bpe_ranks.counter(entry)
    if entry.engine == "tokenizer-json":
        from tokenizers.engines import tokenizer_json

        return tokenizer_json.counter(entry)
    if entry.engine == "sentencepiece":
        from tokenizers.engines import sentencepiece_model

        return sentencepiece_model.counter(entry)
    if entry.engine == "ctok":
        from tokenizers.engines import reconstructed

        return reconstructed.counter(entry)
    raise LookupError(f"{entry.encoding}: no engine {entry.engine!r}")


@dataclass(frozen=True)
class Encoder:
    """A tokenizer's ids and each id's bytes, with tiktoken's ``Encoding`` method names (the
    token view shows them): ``encode_ordinary(text)`` and ``decode_single_token_bytes(id)``."""

    encode_ordinary: Callable[[str], list[int]]
    decode_single_token_bytes: Callable[[int], bytes]


def encoder_for(entry) -> Encoder:
    """The ids of an exactly counted tokenizer. Raises LookupError for one counted otherwise (a
    reconstruction or an estimate has no vendor's tokens to show)."""
    if not entry.available or entry.best_method != "exact" or entry.engine == "openai":
        raise LookupError(f"{entry.encoding} has no token view here")
    with _LOADING:
        if entry.engine in ("tiktoken-bpe", "tekken"):
            from tokenizers.engines import bpe_ranks as engine
        elif entry.engine == "tokenizer-json":
            from tokenizers.engines import tokenizer_json as engine
        else:
            from tokenizers.engines import sentencepiece_model as engine
        return Encoder(lambda text: engine.encode(text, entry), engine.token_bytes(entry))


@functools.cache
def _try_download(vocabulary) -> None:
    """Download a vocabulary no package ships, where downloads are allowed: tried once per process;
    on failure the entry stays unavailable and its labelled estimate counts."""
    from tokenizers import downloads
    from tokenizers.encodings import EncodingUnavailableError

    if downloads.downloads_allowed():
        try:
            downloads.download(vocabulary)
        except EncodingUnavailableError:
            pass


def _ratio_counter(base: str, ratio: float) -> Counter:
    from tokenizers.engines import openai

    return lambda texts: [round(count * ratio) for count in openai.count_many(texts, base)]


def absorbs_newlines(entry) -> Callable[[str], bool]:
    """Whether a piece ending in a character takes the newlines after it, on ``entry``'s pattern."""
    if entry.punctuation is not None:
        return lambda ch: unicodedata.category(ch)[0] in entry.punctuation
    return lambda ch: unicodedata.category(ch)[0] not in entry.wordlike


def encode_bounded(text: str, entry, encode_piece: Callable[[str], list[int]],
                   merge_run: Callable[[bytes], list[int]]) -> list[int]:
    """The ids of ``text``: ``encode_piece`` on each bounded piece, ``merge_run`` (a byte-pair merge
    without the regex) on each long whitespace run (``bounded_pieces``)."""
    ids: list[int] = []
    for piece, whole in bounded_pieces(text, absorbs_newlines(entry), _isolated(entry.isolated)):
        ids.extend(merge_run(piece.encode("utf-8")) if whole else encode_piece(piece))
    return ids


@functools.cache
def _isolated(character_class: str) -> Callable[[str], bool] | None:
    if not character_class:
        return None
    import regex  # tiktoken's own dependency; Python's re has no \p{N}

    return regex.compile(character_class).fullmatch


def length_counter(encode: Callable[[str, object], list[int]], entry) -> Counter:
    """A counter that counts the ids ``encode(text, entry)`` gives."""
    return lambda texts: [len(encode(text, entry)) for text in texts]


def bounded_pieces(text: str, absorbs: Callable[[str], bool],
                   isolated: Callable[[str], bool] | None = None) -> Iterator[tuple[str, bool]]:
    """``text`` in pieces whose counts add up to the whole's: (piece, is_one_pretoken). A piece
    marked True is a long whitespace run the regex must not see (whitespace_runs); the others
    are at most about PIECE_CHARS long, cut where no split pattern joins the sides (boundaries)."""
    for segment, whole in whitespace_runs.segments(text, absorbs, isolated):
        if whole:
            yield segment, True
        else:
            for piece in split_safely(segment, PIECE_CHARS):
                yield piece, False
