"""``prices --check`` sees what the catalog lacks: every model genai-prices prices for a vendor the
catalog covers is in the catalog or ignored with its reason, a model removed from a copy of the
catalog is caught, and the days genai-prices cannot date are listed, so "0 disagreements" is
not read as "verified"."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest

import cli
import commands.prices
from pricing import CatalogError, load_catalog
from pricing.catalog import DEFAULT_CATALOG
from pricing.crosscheck import KNOWN_DISAGREEMENTS, KnownDisagreementsFile, check, load_known_disagreements
from pricing.reference_coverage import (
    REFERENCE_COVERAGE,
    ReferenceCoverageFile,
    UndatedDay,
    coverage,
    load_reference_coverage,
)

genai_prices = pytest.importorskip("genai_prices.data", reason="genai-prices is a dev requirement")
TODAY = dt.date(2026, 12, 7)
CATALOG = load_catalog()
REVIEWED = load_reference_coverage()


def _catalog_without(tmp_path, model_id: str, vendor_file=DEFAULT_CATALOG):
    """A copy of one of the embedded catalog's files (OpenAI's unless told) with ``model_id`` taken out."""
    doc = json.loads(vendor_file.read_text(encoding="utf-8"))
    doc["models"] = [m for m in doc["models"] if m["id"] != model_id]
    doc.pop("$schema")
    path = tmp_path / "catalog-copy.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return load_catalog(path)


def test_today_no_openai_model_genai_prices_has_is_missing_without_a_reason():
    result = coverage(CATALOG, TODAY, genai_prices.providers, REVIEWED)
    assert [m for m in result.missing if m.vendor == "openai"] == []
    assert result.failing == []  # a vendor not reviewed yet lists its missing models without failing
    openai = next(p for p in genai_prices.providers if p.id == "openai")
    absent = [m for m in result.absent if m.vendor == "openai"]
    # Everything genai-prices prices for OpenAI is matched by a catalog id or ignored with a reason.
    matched = {ref.id for ref in map(openai.find_model, CATALOG.ids()) if ref is not None}
    assert matched | {m.model for m in absent} == {m.id for m in openai.models}
    assert all(m.ignored.reason and m.ignored.source for m in absent)


def test_today_every_vendor_is_reviewed_and_none_is_missing_a_model():
    result = coverage(CATALOG, TODAY, genai_prices.providers, REVIEWED)
    assert result.missing == []
    assert result.unreviewed == []  # every vendor genai-prices has a provider for fails on a new missing model
    assert sorted({m.vendor for m in result.absent}) == [
        "anthropic", "bedrock", "deepseek", "google", "groq", "mistral", "openai", "xai"]
    assert result.unreferenced == ["qwen"]  # genai-prices 0.2.5 has no provider for Alibaba's international API


@pytest.mark.parametrize(("vendor_file", "removed", "vendor", "reference_id"), [
    ("anthropic.json", "claude-opus-5-5", "anthropic", "claude-opus-5-5"),
    ("google.json", "gemini-3.7-flash", "google", "gemini-3.7-flash"),
    ("deepseek.json", "deepseek-v4-pro", "deepseek", "deepseek-v4-pro"),
    ("mistral.json", "mistral-large-2512", "mistral", "mistral-large-2512"),
    ("xai.json", "grok-4.6", "xai", "grok-4.6"),
    ("meta.json", "llama-3.3-70b-versatile", "groq", "llama-3.3-70b-versatile"),
    ("meta.json", "meta.llama4-scout-17b-instruct-v1:0", "bedrock", "meta.llama4-scout-17b-instruct-v1:0"),
])
def test_a_model_removed_from_a_copy_of_another_vendors_file_is_caught(tmp_path, vendor_file, removed, vendor,
                                                                       reference_id):
    copy = _catalog_without(tmp_path, removed, DEFAULT_CATALOG.parent / vendor_file)
    result = check(copy, TODAY, reviewed=REVIEWED)
    assert [(m.vendor, m.model, m.ignored) for m in result.coverage.failing] == [(vendor, reference_id, None)]
    assert not result.ok


def test_the_cli_on_today_says_so_and_exits_0():
    out = io.StringIO()
    assert cli.main(["prices", "--check", "--as-of", "2026-12-07"], out=out) == 0
    lines = out.getvalue().splitlines()
    assert not [line for line in lines if line.startswith("missing: openai ")]
    assert ("openai: 61 genai-prices models not in the catalog, 61 with a reason in "
            "data/catalog/reference_coverage.json, 0 missing") in lines
    assert "not covered: genai-prices provider cohere (9 models): no vendor of the catalog" in lines


def test_a_model_removed_from_a_copy_of_the_catalog_is_caught(tmp_path):
    copy = _catalog_without(tmp_path, "gpt-6.1-sol")
    result = check(copy, TODAY, reviewed=REVIEWED)
    assert [(m.vendor, m.model, m.ignored) for m in result.coverage.failing] == [("openai", "gpt-6.1-sol", None)]
    assert not result.ok


def test_the_cli_fails_on_the_copy_naming_the_missing_model(tmp_path, monkeypatch, capsys):
    copy = _catalog_without(tmp_path, "gpt-5.3-codex")
    monkeypatch.setattr(commands.prices, "load_catalog", lambda overrides=(): copy)
    assert cli.main(["prices", "--check", "--as-of", "2026-12-07"]) == 2
    captured = capsys.readouterr()
    assert ("missing: openai gpt-5.3-codex: genai-prices (openai) prices it, the catalog lacks it, and "
            "reference_coverage.json gives no reason") in captured.out.splitlines()
    assert captured.err == ("error: 1 model(s) genai-prices prices are missing from the catalog: add them, or give "
                            "each a reason in data/catalog/reference_coverage.json\n")


def test_json_rows_carry_the_reason_of_each_ignored_model(capsys):
    assert cli.main(["prices", "--check", "--as-of", "2026-12-07", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    whisper = next(r for r in rows if r["reference_model"] == "whisper-1")
    assert (whisper["vendor"], whisper["status"]) == ("openai", "ignored: not_text_tokens")
    assert whisper["note"] == ("An audio model (speech to text, billed per minute): the calculator prices text "
                               "tokens it counts, not audio.")


def test_every_ignored_entry_still_names_an_absent_genai_prices_model():
    result = coverage(CATALOG, TODAY, genai_prices.providers, REVIEWED)
    used = {(m.provider, m.model) for m in result.absent if m.ignored is not None}
    assert [(i.provider, i.model) for i in REVIEWED.ignored if (i.provider, i.model) not in used] == []


@pytest.mark.parametrize(("path", "entries", "load", "model"), [
    (REFERENCE_COVERAGE, "ignored", load_reference_coverage, ReferenceCoverageFile),
    (KNOWN_DISAGREEMENTS, "disagreements", load_known_disagreements, KnownDisagreementsFile),
])
def test_the_reviewed_files_are_strict(tmp_path, path, entries, load, model):
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw[entries][0]["why"] = "an unknown key"
    copy = tmp_path / path.name
    copy.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(CatalogError, match=rf"{path.stem}\.json: {entries}\.0\.why: Extra inputs are not permitted"):
        load(copy)
    raw[entries][0].pop("why")
    raw[entries][0]["reason"] = "short"
    copy.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(CatalogError, match=rf"{entries}\.0\.reason: String should have at least 10 characters"):
        load(copy)
    assert model.model_json_schema()["additionalProperties"] is False


def test_a_vendor_the_file_does_not_list_is_refused():
    bare = REVIEWED.model_copy(update={"vendors": {}})
    with pytest.raises(CatalogError, match="catalog vendor '[a-z]+' is not listed; add it with its genai-prices provider"):
        coverage(CATALOG, TODAY, genai_prices.providers, bare)


def test_a_vendor_not_reviewed_yet_lists_its_missing_models_without_failing(tmp_path):
    copy = _catalog_without(tmp_path, "gpt-6.1-sol")
    openai = REVIEWED.vendors["openai"].model_copy(update={"complete": False})
    unreviewed = REVIEWED.model_copy(update={"vendors": {**REVIEWED.vendors, "openai": openai}})
    result = check(copy, TODAY, reviewed=unreviewed)
    assert [m.model for m in result.coverage.missing if m.vendor == "openai"] == ["gpt-6.1-sol"]
    assert result.coverage.failing == [] and result.ok
    assert "openai" in result.coverage.unreviewed


def test_days_genai_prices_cannot_date_are_listed_with_the_catalog_evidence():
    undated = coverage(CATALOG, TODAY, genai_prices.providers, REVIEWED).undated
    gpt4o = [u for u in undated if u.snapshot == "gpt-4o-2024-08-06"]
    assert gpt4o == [
        UndatedDay("gpt-4o", "gpt-4o-2024-08-06", "alias_move", dt.date(2024, 10, 2), "verified"),
        UndatedDay("gpt-4o-2024-08-06", "gpt-4o-2024-08-06", "launch", dt.date(2024, 8, 6), "verified"),
        UndatedDay("gpt-4o-2024-08-06", "gpt-4o-2024-08-06", "price_change", dt.date(2024, 10, 1), "verified"),
        UndatedDay("gpt-4o-2024-08-06", "gpt-4o-2024-08-06", "priority_from", dt.date(2025, 6, 26), "secondary"),
        UndatedDay("gpt-4o-2024-08-06", "gpt-4o-2024-08-06", "shutdown", dt.date(2027, 1, 14), None),
    ]
    # genai-prices dates GPT-5.6 Terra's cut (2026-07-30): that day is not listed, its launch is.
    terra = {(u.what, u.day) for u in undated if u.snapshot == "gpt-5.6-terra"}
    assert ("price_change", dt.date(2026, 7, 30)) not in terra
    assert ("launch", dt.date(2026, 6, 26)) in terra


def test_the_cli_lists_undated_days_and_says_what_agreement_does_not_prove():
    out = io.StringIO()
    assert cli.main(["prices", "--check", "--as-of", "2026-12-07"], out=out) == 0
    lines = out.getvalue().splitlines()
    assert ("undated: gpt-4o-2024-08-06: launch 2024-08-06 (verified), price_change 2024-10-01 (verified), "
            "priority_from 2025-06-26 (secondary), shutdown 2027-01-14") in lines
    assert "undated: gpt-4o: alias_move 2024-10-02 (verified)" in lines
    undated = [line for line in lines if line.startswith("undated: ")]
    assert undated and any(line.endswith("catalog days genai-prices cannot date (undated above): prices that "
                                         "agree do not verify these days") for line in lines)
