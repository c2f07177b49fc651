"""toktok-rs against tiktoken's encode_ordinary, ids and counts, on real and pathological text.

Also checks count_with_tiktoken's hand-made split of long whitespace runs (the part of the
reference that tiktoken itself cannot do) against raw tiktoken where tiktoken still works.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tokenizers.counting as counting
from tokenizers import whitespace_runs
from tokenizers import SUPPORTED_ENCODINGS, count_many, count_tokens, count_with_tiktoken, encode, get_encoding
from multilingual_samples import MULTILINGUAL

toktok = pytest.importorskip("toktok")

PATHOLOGICAL = {
    "one letter, 1 MB": "a" * 1_000_000,
    "200k newlines": "\n" * 200_000,
    "200k CRLF after text": "end." + "\r\n" * 100_000 + "next",
    "long line of words": "word " * 200_000,
    "long line without spaces": "x1-" * 100_000,
    "CJK without breaks": "漢字仮名交じり文" * 30_000,
    "RTL and zero-width marks": ("\u202bمرحبا\u202c\u200f\u200e\u200b" * 20_000),
    "emoji ZWJ run": "👩‍👩‍👧" * 20_000,
    "many short lines": "ab\n" * 100_000,
    "long digit run": "7" * 300_000,
    "newline run between slashes": "a/" + "\n" * 1_000_000 + "/b",
}


def _toktok_ids(text: str, encoding: str) -> list[int]:
    return toktok._encoding(encoding).encode_ordinary(text)


def test_the_fast_engine_is_in_use():
    # Otherwise the toktok-vs-tiktoken comparisons below would compare tiktoken with itself.
    assert counting.engine_name("o200k_base") == counting.engine_name("cl100k_base") == "toktok"


@pytest.mark.parametrize("encoding", SUPPORTED_ENCODINGS)
def test_multilingual_ids_and_counts_match_tiktoken(encoding):
    enc = get_encoding(encoding)
    expected = [enc.encode_ordinary(text) for text in MULTILINGUAL]
    assert [_toktok_ids(text, encoding) for text in MULTILINGUAL] == expected
    assert count_many(MULTILINGUAL, encoding, threads=2) == [len(ids) for ids in expected]
    # Joined into one document the counts must still agree (pieces interact across sentences).
    joined = "\n".join(MULTILINGUAL)
    assert count_tokens(joined, encoding) == len(enc.encode_ordinary(joined))


@pytest.mark.parametrize("encoding", SUPPORTED_ENCODINGS)
@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_ids_and_counts_match_tiktoken(name, encoding):
    text = PATHOLOGICAL[name]
    expected = get_encoding(encoding).encode_ordinary(text)
    assert _toktok_ids(text, encoding) == expected
    assert count_tokens(text, encoding) == len(expected)


@pytest.mark.parametrize("encoding", SUPPORTED_ENCODINGS)
@pytest.mark.parametrize(
    "text",
    [" " * 1_000_000, "lead " + " " * 1_000_000 + "tail", "x" + "\n" * 600_000 + " \t" * 300_000 + "!"],
    ids=["spaces", "spaces-between-words", "newlines-then-mixed"],
)
def test_whitespace_runs_beyond_tiktoken_match_the_reference(text, encoding):
    # tiktoken itself panics on these; count_with_tiktoken / encode are the reference there.
    reference = encode(text, encoding)
    assert _toktok_ids(text, encoding) == reference
    assert count_tokens(text, encoding) == count_with_tiktoken(text, encoding) == len(reference)


# Contexts around a ~120k-character whitespace run (above the 100k threshold, below the size
# that crashes tiktoken), so the hand-made split is compared with tiktoken's own.
RUN = 120_000
WHITESPACE_CONTEXTS = {
    "after a letter, before a letter": "word" + " " * RUN + "next",
    "after punctuation": "end." + " " * RUN + "Next",
    "punctuation then newlines": "end." + "\n" * RUN + "Next",
    "punctuation then CRLF and spaces": "end!" + "\r\n" * (RUN // 4) + " " * (RUN // 2) + "x",
    "slash then newlines": "a/" + "\n" * RUN + "/b",
    "mixed newline tab CR": "a" + "\n \r\t" * (RUN // 4) + "b",
    "tabs before punctuation": "a" + "\t" * RUN + "!",
    "spaces before punctuation": "a" + " " * RUN + "?",
    "spaces before a digit": "a" + " " * RUN + "7",
    "tab before a word": "a" + "\t" * RUN + "word",
    "newlines then spaces then word": "a" + "\n" * 1000 + " " * RUN + "word",
    "at the end of the text": "last words" + " \n\t" * (RUN // 3),
    "the whole text": "\t " * (RUN // 2),
    "unicode spaces": "a" + "\u3000\u00a0\u2009" * (RUN // 3) + "b",
    "after a combining mark": "e\u0301" + "\n" * RUN + "x",
    "after CJK": "中文" + "\r\n" * (RUN // 2) + "中文",
    "two long runs": "a" + " " * RUN + "b." + "\n" * RUN + "c",
}


@pytest.mark.parametrize("encoding", SUPPORTED_ENCODINGS)
@pytest.mark.parametrize("name", sorted(WHITESPACE_CONTEXTS))
def test_long_whitespace_emulation_matches_raw_tiktoken(name, encoding):
    text = WHITESPACE_CONTEXTS[name]
    assert whitespace_runs.LONG_WHITESPACE.search(text), "the emulation must be exercised"
    expected = get_encoding(encoding).encode_ordinary(text)
    assert encode(text, encoding) == expected
    assert count_with_tiktoken(text, encoding) == len(expected)


# Short texts dense in whitespace and the characters next to it that change the regex's cuts:
# letters, marks, digits, punctuation, '/', CJK, emoji, and U+001C..U+001F (whitespace to
# Python's str.isspace, punctuation to tiktoken).
_ALPHABET = list(" \t\n\r\x0b\x0c\x85\xa0\u2009\u3000\u2028") + list("aZé9!/.'\u0301\u093f中😀\x1c\x1f\x00")


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=_ALPHABET, max_size=24))
def test_emulation_with_a_low_threshold_matches_raw_tiktoken(text):
    # With the threshold at 3, every run of 3+ whitespace characters goes through the hand-made
    # split, so many short random contexts cover what 120k-character runs would.
    original = whitespace_runs.LONG_WHITESPACE
    whitespace_runs.LONG_WHITESPACE = re.compile(f"[{whitespace_runs.WHITESPACE}]{{3,}}")
    try:
        for encoding in SUPPORTED_ENCODINGS:
            assert encode(text, encoding) == get_encoding(encoding).encode_ordinary(text)
    finally:
        whitespace_runs.LONG_WHITESPACE = original


_ANY_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80
) | st.lists(st.sampled_from(MULTILINGUAL + [" ", "\n", "\t", "  ", "\r\n", "/", "'s", "123"]), max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=_ANY_TEXT)
def test_random_text_ids_and_counts_match_tiktoken(text):
    for encoding in SUPPORTED_ENCODINGS:
        expected = get_encoding(encoding).encode_ordinary(text)
        assert _toktok_ids(text, encoding) == expected
        assert count_many([text, text[::-1]], encoding) == [
            len(expected),
            len(get_encoding(encoding).encode_ordinary(text[::-1])),
        ]
