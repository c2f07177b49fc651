"""The validated catalog kept between runs: the same answer, and any change to the file seen."""

import json
import os
from decimal import Decimal

import pytest

from pricing import CatalogError, DEFAULT_CATALOG, load_catalog
from pricing import catalog_cache


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("LLM_COST_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _entries(cache):
    return sorted(cache.glob("catalog-*.pickle"))


def _same(a, b):
    assert a.models == b.models and a.aliases == b.aliases and a.checked == b.checked


def test_a_second_load_comes_from_the_cache_with_the_same_catalog(cache, monkeypatch):
    first = load_catalog()
    assert len(_entries(cache)) == 1
    assert oct(_entries(cache)[0].stat().st_mode & 0o777) == "0o600"
    monkeypatch.setattr("pricing.catalog.parse_catalog_file", lambda *a: pytest.fail("validated again"))
    second = load_catalog()
    _same(first, second)
    assert second.price("gpt-4o", first.checked).input_per_mtok == first.price("gpt-4o", first.checked).input_per_mtok


def test_any_change_to_the_file_is_validated_again(cache, tmp_path):
    raw = json.loads(DEFAULT_CATALOG.read_text(encoding="utf-8"), parse_float=Decimal)
    path = tmp_path / "openai.json"
    path.write_text(DEFAULT_CATALOG.read_text(encoding="utf-8"), encoding="utf-8")
    load_catalog(path)
    model = next(m for m in raw["models"] if m["id"] == "gpt-4o-2024-08-06")
    day = model["prices"][-1]["effective_from"]
    model["prices"][-1]["input_per_mtok"] = Decimal("1.25")
    path.write_text(json.dumps(raw, indent=1, default=str), encoding="utf-8")
    assert load_catalog(path).price("gpt-4o-2024-08-06", __import__("datetime").date.fromisoformat(day)) \
        .input_per_mtok == Decimal("1.25")
    model["prices"][-1]["input_per_mtok"] = Decimal("-1")  # invalid now: the cached valid one must not answer
    path.write_text(json.dumps(raw, indent=1, default=str), encoding="utf-8")
    with pytest.raises(CatalogError, match="gpt-4o-2024-08-06.*cannot be below 0"):
        load_catalog(path)
    assert len(_entries(cache)) == 2  # a failure is never cached


def test_a_corrupted_or_foreign_entry_is_ignored_and_replaced(cache):
    reference = load_catalog()
    [entry] = _entries(cache)
    entry.write_bytes(b"not a pickle")
    _same(load_catalog(), reference)
    assert entry.read_bytes() != b"not a pickle"
    os.chmod(entry, 0o666)  # writable by others: never unpickled
    entry.write_bytes(b"not a pickle either")
    _same(load_catalog(), reference)


def test_an_unwritable_cache_falls_back_to_validating(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("LLM_COST_CACHE_DIR", str(blocker / "cache"))
    _same(load_catalog(), load_catalog())


def test_the_cache_directory_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("LLM_COST_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert catalog_cache.cache_dir() == tmp_path / "llm-cost-calculator"
