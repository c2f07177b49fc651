"""Counts against tiktoken's encode_ordinary on real multilingual text and pathological input."""

import pytest

from tokenizers import SUPPORTED_ENCODINGS, count_many, count_tokens, count_with_tiktoken, encode, get_encoding
from tokenizers.counting import engine_name

SAMPLES = [
    "The quick brown fox jumps over the lazy dog.",
    "我们的用户大多用中文写作，价格表必须准确。",
    "日本語のテキストも正しく数えます。東京都",
    "한국어 문장도 정확하게 셉니다.",
    "ગુજરાતી ભાષામાં લખાણ ઘણા ટોકન લે છે.",
    "हिन्दी में लिखा गया पाठ अधिक टोकन लेता है।",
    "Русский текст тоже считается точно.",
    "النص العربي يُكتب من اليمين إلى اليسار\u200f.",
    "Emoji: 👩‍👩‍👧‍👦 🏳️‍🌈 and zero\u200bwidth",
    "def f(x):\n    return x ** 2  # code\n\n\n",
    "text with <|endoftext|> and <|fim_prefix|> inside",
]


@pytest.mark.parametrize("encoding", SUPPORTED_ENCODINGS)
@pytest.mark.parametrize("text", SAMPLES)
def test_counts_match_tiktoken_encode_ordinary(text, encoding):
    expected = len(get_encoding(encoding).encode_ordinary(text))
    assert count_tokens(text, encoding) == expected
    assert count_with_tiktoken(text, encoding) == expected
    assert encode(text, encoding) == get_encoding(encoding).encode_ordinary(text)


def test_known_values():
    # Fixed points worked out once with tiktoken 0.14: a regression here means a changed vocabulary.
    assert count_tokens("hello world", "o200k_base") == 2
    assert count_tokens("<|endoftext|>", "cl100k_base") == 7


@pytest.mark.parametrize("encoding", SUPPORTED_ENCODINGS)
def test_million_spaces_counts_exactly(encoding):
    # tiktoken's own regex overflows its stack here (PanicException); both our paths must not.
    text = " " * 1_000_000
    assert count_tokens(text, encoding) == 7813
    assert count_with_tiktoken(text, encoding) == 7813
    assert count_tokens("a" + text + "b", encoding) == count_with_tiktoken("a" + text + "b", encoding) == 7815


def test_count_many_keeps_order():
    texts = ["a", "", "hello world again", "中文"]
    for enc in SUPPORTED_ENCODINGS:
        assert count_many(texts, enc) == [len(get_encoding(enc).encode_ordinary(t)) for t in texts]


def test_engine_is_named():
    assert engine_name("o200k_base") in {"toktok", "tiktoken"}


def test_self_check_answers_are_tiktokens():
    from tokenizers.counting import _SELF_CHECK, _SELF_CHECK_COUNTS

    for enc in SUPPORTED_ENCODINGS:
        assert _SELF_CHECK_COUNTS[enc] == [len(get_encoding(enc).encode_ordinary(t)) for t in _SELF_CHECK]


def test_a_short_text_is_counted_without_building_toktok() -> None:
    # A fresh process: one sentence is counted by tiktoken (whose vocabularies build faster),
    # toktok's are never built; past SMALL_TEXT_CHARS toktok counts. Counts are the same.
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "from tokenizers import count_stream, get_encoding\n"
        "from tokenizers import counting\n"
        "from ingest import Document\n"
        "s = '你好，世界。这段话每月要花多少钱？'\n"
        "c = count_stream([Document(s, 'a')])\n"
        "print(c.engines, counting._toktok_ready.cache_info().currsize,"
        " c.tokens == {e: len(get_encoding(e).encode_ordinary(s)) for e in c.encodings})\n"
        "big = s * (counting.SMALL_TEXT_CHARS // len(s) + 1)\n"
        "c = count_stream([Document(big, 'b')])\n"
        "print(c.engines, c.tokens == {e: len(get_encoding(e).encode_ordinary(big)) for e in c.encodings})\n"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == [
        "{'o200k_base': 'tiktoken', 'cl100k_base': 'tiktoken'} 0 True",
        "{'o200k_base': 'toktok', 'cl100k_base': 'toktok'} True",
    ]
