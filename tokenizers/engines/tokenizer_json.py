"""Hugging Face ``tokenizer.json`` vocabularies (DeepSeek V3) counted without HF ``tokenizers``
(which this project's own ``tokenizers`` package shadows): kitoken reads the file, pre-tokenizer
chain included, and encodes with the added (special) tokens left out, as ``encode_ordinary`` would.

kitoken's regex overflows its stack (and aborts the process) on a million whitespace characters
in a row, so such runs are cut out first (whitespace_runs) and each, being one pre-token, is
merged by tiktoken's byte-pair merge on the same vocabulary: DeepSeek's merges are listed in the
order of the ids they make, so merging by rank is merging by the file's merge list.

kitoken also aborts the process (a Rust panic: fancy-regex's BacktrackLimitExceeded) on some
150,000 characters in a row that no rule of the split pattern matches: controls, format
characters (ZWJ), private-use and unassigned code points. Such a run is one pre-token (what
lies between matches is kept whole), so it is merged the same way (``_encode_with_gaps``).

kitoken allocates with its own bundled mimalloc, whose heaps belong to threads: a Kitoken built on
a thread that then ends crashes the process (SIGSEGV) when another thread uses it, and the app's
and the pipeline's threads come and go (a Streamlit script run, count_stream's pool). So one
long-lived thread builds the Kitoken and makes every call on it (``_on_kitoken_thread``).
"""

from __future__ import annotations

import functools
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import regex
import tiktoken

from tokenizers.engines import Counter, _isolated, encode_bounded

# Characters no rule of DeepSeek's split pattern matches: not a letter, mark, number,
# punctuation, symbol or (Unicode) whitespace. A run this long is merged without the regex
# (kitoken aborts from about 150,000; far below that it is fine). Read at call time: tests lower it.
_GAP_CLASS = r"[^\p{L}\p{M}\p{N}\p{P}\p{S}\p{Z}\t\n\x0b\x0c\r\x85]"
LONG_GAP = 10_000

_ON_KITOKEN_THREAD = threading.local()
# Its one thread lives as long as the process (an idle pool thread waits, it does not end).
_KITOKEN_THREAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kitoken",
                                     initializer=lambda: setattr(_ON_KITOKEN_THREAD, "here", True))


def _on_kitoken_thread(function, *args):
    """``function(*args)`` run on the one thread that touches kitoken (see the module's docstring)."""
    if getattr(_ON_KITOKEN_THREAD, "here", False):
        return function(*args)
    return _KITOKEN_THREAD.submit(function, *args).result()


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
    return _on_kitoken_thread(_encode_here, text, entry)


def _encode_here(text: str, entry) -> list[int]:
    try:
        return _encode_valid(text, entry)
    except UnicodeEncodeError:
        # A lone surrogate (a JSON "\ud83d" escape, say) is U+FFFD, as tiktoken counts it;
        # kitoken takes only text that UTF-8 can spell.
        return _encode_valid(text.encode("utf-16", "surrogatepass").decode("utf-16", "replace"), entry)


def _encode_valid(text: str, entry) -> list[int]:
    return encode_bounded(text, entry, lambda piece: _encode_with_gaps(piece, entry),
                          lambda run: _ranks_encoding(entry)._encode_single_piece(run))


@functools.cache
def _long_gap(length: int):
    return regex.compile(f"{_GAP_CLASS}{{{length},}}")


def _encode_with_gaps(text: str, entry) -> list[int]:
    """kitoken's ids of ``text``, with each long run of unmatched characters merged by hand.

    No match reaches into such a run from the left, and the one before it sees the run's first
    character after it (``\\s+(?!\\S)`` looks ahead): so the text before goes to kitoken with
    that character, whose own piece's ids are then taken off the end. The run is one pre-token,
    less its last character when a letter or mark follows in the same part (the pattern's
    ``[^\\r\\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+`` takes it into the word)."""
    model = _kitoken(entry)
    merge = _ranks_encoding(entry)._encode_single_piece
    isolated = _isolated(entry.isolated)
    ids: list[int] = []
    pos = 0
    for match in _long_gap(LONG_GAP).finditer(text):
        start, end = match.span()
        before = model.encode(text[pos:start + 1], False)
        ids.extend(before[:len(before) - len(merge(text[start].encode("utf-8")))])
        joins_next = (end < len(text) and regex.match(r"[\p{L}\p{M}]", text[end]) is not None
                      and not (isolated and isolated(text[end])))
        pos = end - 1 if joins_next else end
        ids.extend(merge(text[start:pos].encode("utf-8")))
    ids.extend(model.encode(text[pos:], False) if pos < len(text) else [])
    return ids


def _count_here(texts, entry) -> list[int]:
    return [len(_encode_here(text, entry)) for text in texts]


def counter(entry) -> Counter:
    _on_kitoken_thread(_kitoken, entry)  # load (and check) the file now, so a bad one fails before counting
    return lambda texts: _on_kitoken_thread(_count_here, texts, entry)


def token_bytes(entry):
    """id -> the bytes of that token, on ``entry`` (the file's byte-level vocabulary)."""
    return _ranks_encoding(entry).decode_single_token_bytes
