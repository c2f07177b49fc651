"""tiktoken-format BPE vocabularies (Llama 3, Llama 4, Qwen) and Mistral's Tekken: ranks plus a
split pattern, built into a ``tiktoken.Encoding`` and counted with ``encode_ordinary`` (user text
such as ``<|begin_of_text|>`` is ordinary text)."""

from __future__ import annotations

import base64
import binascii
import functools
import json
import unicodedata

import tiktoken

from tokenizers.encodings import EncodingUnavailableError
from tokenizers.engines import Counter, encode_bounded, length_counter


def tiktoken_ranks(data: bytes) -> dict[bytes, int]:
    """The ranks of a ``.tiktoken`` file (``base64-token rank`` lines)."""
    fields = data.split()
    if len(fields) % 2:
        raise EncodingUnavailableError("the vocabulary file is not in tiktoken's format")
    return {binascii.a2b_base64(token): int(rank) for token, rank in zip(fields[0::2], fields[1::2])}


def tekken_ranks(data: bytes) -> tuple[str, dict[bytes, int]]:
    """The split pattern and the ranks of a Tekken JSON file: the first ``default_vocab_size -
    default_num_special_tokens`` entries of its vocabulary, as mistral-common's Tekkenizer keeps."""
    model = json.loads(data)
    config = model["config"]
    inner = config["default_vocab_size"] - config["default_num_special_tokens"]
    ranks = {base64.b64decode(token["token_bytes"]): token["rank"] for token in model["vocab"][:inner]}
    return config["pattern"], ranks


@functools.cache
def encoding_for(entry) -> tiktoken.Encoding:
    """The tiktoken Encoding of a registry entry's pinned file (no special tokens: never matched
    in user text)."""
    data = entry.vocabulary.read()
    if entry.engine == "tekken":
        pattern, ranks = tekken_ranks(data)
    else:
        pattern, ranks = entry.pattern, tiktoken_ranks(data)
    return tiktoken.Encoding(entry.encoding, pat_str=pattern, mergeable_ranks=ranks, special_tokens={})


def encode(text: str, entry) -> list[int]:
    """The ranks ``text`` encodes to on ``entry`` (before any special-token offset), in bounded pieces."""
    enc = encoding_for(entry)
    if entry.normalization:
        text = unicodedata.normalize(entry.normalization, text)
    return encode_bounded(text, entry, enc.encode_ordinary, enc._encode_single_piece)


def counter(entry) -> Counter:
    encoding_for(entry)  # load (and check) the file now, so a bad one fails before counting
    return length_counter(encode, entry)


def token_bytes(entry):
    """id -> the bytes of that token, on ``entry``."""
    return encoding_for(entry).decode_single_token_bytes
