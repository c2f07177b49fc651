"""Gemini on the Estimate page: without the Gemma 3 model its count is an estimate and says how it
was made; the model uploaded in the page's expander (checked against the pinned SHA-256) makes it
exact, equal to the SentencePiece model's count; a wrong file is refused with a message and
changes nothing. In English and Chinese.

The production entry pins Google's 4.5 MB file, which no test downloads: the registry's gemma3
entry is pinned to a small model trained here (tests/small_sentencepiece.py) for each test."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest

from tests.app.conftest import open_estimate_with_catalog
from tests.small_sentencepiece import pin_gemma3_to, train_small_model
from tokenizers import get_encoding, vocabulary_files
from ui.formatting import format_money, format_tokens

MODELS_FILE = Path(__file__).resolve().parents[1] / "fixtures" / "catalogs" / "gemini_test_models.json"
TEXT = "价格是多少？ The quick brown fox, हिन्दी 👩‍👩‍👧"
QUERY = {"date": "2026-11-01", "req": "1000", "task": "custom", "out_tokens": "0", "models": "gemini-test,gpt-4o"}
M = Decimal(1_000_000)
WORDS = {
    "en": {"card": "Tokens (gemma3, {})", "exact": "exact", "estimate from": "estimate from o200k_base",
           "method": "Count", "estimate": "estimate (counted with o200k_base)", "cost": "Total cost",
           "downloads": "Downloads are turned off on this server (LLM_COST_DOWNLOADS=0): the file is counted on only "
                        "when given here.",
           "in use": "gemma3: counted exactly on the pinned model file.",
           "wrong": "wrong.model is not the gemma3 tokenizer (its SHA-256 is {sha}; the pinned one is {pinned}). "
                    "Nothing was changed: the counts stay an estimate."},
    "zh": {"card": "Token 数（gemma3，{}）", "exact": "精确", "estimate from": "按 o200k_base 估算",
           "method": "计数方式", "estimate": "估算（按 o200k_base 计数）", "cost": "总费用",
           "downloads": "本服务器已关闭下载（LLM_COST_DOWNLOADS=0）：只有在此提供文件才会按它计数。",
           "in use": "gemma3：已按固定的模型文件精确计数。",
           "wrong": "wrong.model 不是 gemma3 分词器（其 SHA-256 为 {sha}；固定值为 {pinned}）。未做任何更改：计数仍为估算。"},
}


@pytest.fixture(scope="module")
def small_model(tmp_path_factory) -> Path:
    return train_small_model(tmp_path_factory.mktemp("gemma"))


@pytest.fixture
def gemma_pinned(small_model, monkeypatch, tmp_path):
    """gemma3 pinned to the small model; accepted uploads kept in this test's own cache directory."""
    monkeypatch.setenv("LLM_COST_CACHE_DIR", str(tmp_path))
    yield pin_gemma3_to(small_model, monkeypatch)
    vocabulary_files.forget_file("gemma3")


def open_page(language: str):
    return open_estimate_with_catalog(MODELS_FILE, {**QUERY, "lang": language}, TEXT)


def shown(at, words):
    cards = {m.label: m.value for m in at.metric}
    table = next(t.value for t in at.table if t.value.columns[1] == words["cost"])
    return cards, table.set_index(table.columns[0])


@pytest.mark.parametrize("language", ["en", "zh"])
def test_gemini_is_an_estimate_until_its_model_is_uploaded(gemma_pinned, small_model, language):
    import sentencepiece

    words = WORDS[language]
    at = open_page(language)
    o200k = len(get_encoding("o200k_base").encode_ordinary(TEXT))
    cards, rows = shown(at, words)
    assert cards[words["card"].format(words["estimate from"])] == format_tokens(o200k)
    assert rows.loc["gemini-test", words["method"]] == words["estimate"]
    assert rows.loc["gemini-test", words["cost"]] == format_money(o200k * 1000 * Decimal(2) / M)
    # The setting that turns the download off is said (the tests run with it off), beside the uploader.
    assert words["downloads"] in [c.value for c in at.caption]

    link = dict(at.query_params)
    at.file_uploader(key="tokenizer_file_gemma3").set_value(
        ("small.spiece.model", small_model.read_bytes(), "application/octet-stream")).run()
    assert not at.exception, at.exception
    assert dict(at.query_params) == link  # the file is not in the share link
    exact = len(sentencepiece.SentencePieceProcessor(model_file=str(small_model)).encode(TEXT))
    assert exact != o200k  # the two counts differ, so the test sees which one is shown
    cards, rows = shown(at, words)
    assert cards[words["card"].format(words["exact"])] == format_tokens(exact)
    assert rows.loc["gemini-test", words["method"]] == words["exact"]
    assert rows.loc["gemini-test", words["cost"]] == format_money(exact * 1000 * Decimal(2) / M)
    assert not at.error and [m.value for m in at.success] == [words["in use"]]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_wrong_file_is_refused_and_changes_nothing(gemma_pinned, language):
    words = WORDS[language]
    at = open_page(language)
    before = shown(at, words)
    wrong = b"not a SentencePiece model"
    at.file_uploader(key="tokenizer_file_gemma3").set_value(("wrong.model", wrong, "application/octet-stream")).run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [words["wrong"].format(sha=hashlib.sha256(wrong).hexdigest(),
                                                                 pinned=gemma_pinned.vocabulary.sha256)]
    after = shown(at, words)
    assert after[0] == before[0] and after[1].equals(before[1])
    assert gemma_pinned.method == "estimate"
