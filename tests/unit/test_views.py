"""Token views: ids equal tiktoken's, spans tile the UTF-8 bytes, partial characters are escaped."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pricing.languages import load_samples
from tokenizers import count_with_tiktoken, encode, get_encoding
from tokenizers.views import token_view

ENCODINGS = ("o200k_base", "cl100k_base")


def _reference(text: str, encoding: str) -> list[int]:
    return get_encoding(encoding).encode_ordinary(text)


def _check_tiling(view, text: str) -> None:
    enc = get_encoding(view.encoding)
    data = text.encode("utf-8")
    offset = 0
    for piece in view.pieces:
        raw = enc.decode_single_token_bytes(piece.id)
        assert (piece.start, piece.end) == (offset, offset + len(raw))
        assert data[piece.start : piece.end] == raw
        offset = piece.end


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_sample_matches_tiktoken(encoding):
    for sample in load_samples():
        view = token_view(sample.text, encoding)
        expected = _reference(sample.text, encoding)
        assert [p.id for p in view.pieces] == expected
        assert view.total == len(expected)
        assert not view.truncated
        _check_tiling(view, sample.text)
        assert view.pieces[-1].end == len(sample.text.encode("utf-8"))


def test_partial_characters_are_escaped_bytes():
    # cl100k_base splits 價 (e5 83 b9) into two tokens: b"\xe5\x83" and b"\xb9".
    view = token_view("價格", "cl100k_base")
    assert [p.id for p in view.pieces] == _reference("價格", "cl100k_base") == [59999, 117, 35083]
    assert [(p.text, p.partial) for p in view.pieces] == [
        ("\\xe5\\x83", True),
        ("\\xb9", True),
        ("格", False),
    ]
    # o200k_base has 價格 as whole characters.
    pieces = token_view("價格", "o200k_base").pieces
    assert "".join(p.text for p in pieces) == "價格"
    assert not any(p.partial for p in pieces)


def test_a_token_mixing_whole_and_partial_characters_keeps_the_whole_ones():
    view = token_view("a 👩", "cl100k_base")
    texts = [p.text for p in view.pieces]
    assert texts[0] == "a"
    assert texts[1].startswith(" \\xf0")  # the space stays readable, the emoji's bytes are escaped
    assert all(p.partial for p in view.pieces[1:])


def test_special_token_text_is_ordinary_text():
    text = "end <|endoftext|> here"
    view = token_view(text, "o200k_base")
    assert [p.id for p in view.pieces] == _reference(text, "o200k_base")
    assert "".join(p.text for p in view.pieces) == text
    assert 199999 not in [p.id for p in view.pieces]  # o200k_base's <|endoftext|> id


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_limit_shows_the_first_tokens_and_reports_the_total(encoding):
    text = "Count the tokens of a typical sample first.\n" * 3000
    expected = _reference(text, encoding)
    view = token_view(text, encoding, limit=25)
    assert [p.id for p in view.pieces] == expected[:25]
    assert view.total == len(expected)
    assert view.truncated


def test_limit_on_text_without_safe_cuts():
    text = "价格是多少" * 4000  # no spaces or newlines: the whole text is encoded
    expected = _reference(text, "o200k_base")
    view = token_view(text, "o200k_base", limit=7)
    assert [p.id for p in view.pieces] == expected[:7]
    assert view.total == len(expected)


def test_huge_whitespace_run_is_safe():
    text = "a" + " " * 150_000 + "b"  # past the 100,000 run the counter splits by hand
    view = token_view(text, "cl100k_base", limit=5)
    assert view.total == count_with_tiktoken(text, "cl100k_base")
    assert [p.id for p in view.pieces] == encode(text, "cl100k_base")[:5]
    assert view.pieces[0].text == "a"


def test_empty_text_and_zero_limit():
    assert token_view("", "o200k_base").pieces == ()
    view = token_view("hello", "o200k_base", limit=0)
    assert view.pieces == () and view.total == 1 and view.truncated
    with pytest.raises(ValueError):
        token_view("hello", "o200k_base", limit=-1)


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=200), limit=st.integers(min_value=0, max_value=80))
def test_view_is_a_prefix_of_tiktoken(text, limit):
    for encoding in ENCODINGS:
        expected = _reference(text, encoding)
        view = token_view(text, encoding, limit=limit)
        assert [p.id for p in view.pieces] == expected[:limit]
        assert view.total == len(expected)
        _check_tiling(view, text)
