"""Hugging Face ``tokenizer.json`` vocabularies (DeepSeek V3) counted without HF ``tokenizers``
(which this project's own ``tokenizers`` package shadows): kitoken reads the file, pre-tokenizer
chain included, and encodes with the added (special) tokens left out, as ``encode_ordinary`` would.

kitoken's regex overflows its stack (and aborts the process) on a million whitespace characters
in a row, so such runs are cut out first (whitespace_runs) and each, being one pre-token, is
merged by tiktoken's byte-pair merge on the same vocabulary: DeepSeek's merges are listed in the
order of the ids they make, so merging by rank is merging by the file's merge list.
"""

from __future__ import annotations

import functools
import json

import tiktoken

from tokenizers.engines import Counter, encode_bounded, length_counter


def _byte_level_alphabet() -> dict[str, int]:
    """GPT-2's ByteLevel mapping, character -> byte (the one HF's ByteLevel pre-tokenizer uses)."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), 256))
    chars = printable[:]
    extra = 0
    for byte in range(256):
        if byte not in printable:
            printable.append(byte)
            chars.append(256 + extra)
            extra += 1
    return {chr(c): b for b, c in zip(printable, chars)}


@functools.cache
def _kitoken(entry):
    """kitoken on the pinned file without its added tokens: user text is ordinary text (with them,
    kitoken still cuts the text around a special-token string, and " <｜" then counts two tokens)."""
    import kitoken

    definition = json.loads(entry.vocabulary.read())
    definition["added_tokens"] = []
    return kitoken.Kitoken.from_tokenizers(json.dumps(definition).encode("utf-8"))


@functools.cache
def _ranks_encoding(entry) -> tiktoken.Encoding:
    """The file's BPE model as a tiktoken Encoding, used only to merge a long whitespace run."""
    model = json.loads(entry.vocabulary.read())["model"]
    alphabet = _byte_level_alphabet()
    ranks = {bytes(alphabet[ch] for ch in token): rank for token, rank in model["vocab"].items()
             if all(ch in alphabet for ch in token)}  # not special tokens spelled in the vocabulary
    return tiktoken.Encoding(f"{entry.encoding}-ranks", pat_str=r"\s+", mergeable_ranks=ranks, special_tokens={})


def encode(text: str, entry) -> list[int]:
    """The ids of ``text`` on ``entry`` with special-token strings as ordinary text, in bounded pieces."""
    model = _kitoken(entry)
    return encode_bounded(text, entry, lambda piece: model.encode(piece, False),
                          lambda run: _ranks_encoding(entry)._encode_single_piece(run))


def counter(entry) -> Counter:
    _kitoken(entry)  # load (and check) the file now, so a bad one fails before counting
    return length_counter(encode, entry)


def token_bytes(entry):
    """id -> the bytes of that token, on ``entry`` (the file's byte-level vocabulary)."""
    return _ranks_encoding(entry).decode_single_token_bytes
