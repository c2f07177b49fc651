"""The import from genai-prices is a review: on a small fake dataset it shows new models, new dated
periods, other prices and ended models; it writes only what is accepted, with its source, never
over a verified period, never an undated price, and it keeps DeepSeek's ended off-peak window ended."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import json
import shutil
from decimal import Decimal as D
from pathlib import Path

import pytest
from genai_prices.types import (ClauseEquals, ClauseStartsWith, ConditionalPrice, ModelInfo, ModelPrice, Provider,
                                StartDateConstraint, TimeOfDateConstraint)

from pricing import load_catalog
from pricing.catalog import CATALOG_DIR
from pricing.crosscheck import load_known_disagreements
from pricing.price_import import PriceImportError, apply, differences, explained

ROOT = Path(__file__).resolve().parents[2]
CATALOG = load_catalog()
DAY = dt.date(2026, 12, 7)


def _script():
    spec = importlib.util.spec_from_file_location("update_prices", ROOT / "scripts" / "update_prices.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fake_providers() -> list[Provider]:
    """Three xAI models and one DeepSeek model, as genai-prices would hold them."""
    xai = Provider(id="x-ai", name="xAI", api_pattern="x", models=[
        # Same as ours today, then a dated cut on 2027-01-10: a new period to import.
        ModelInfo(id="grok-4.7", match=ClauseEquals(equals="grok-4.7"), prices=[
            ConditionalPrice(constraint=None, prices=ModelPrice(input_mtok=D(2), cache_read_mtok=D("0.5"),
                                                                 output_mtok=D(6))),
            ConditionalPrice(constraint=StartDateConstraint(start_date=dt.date(2027, 1, 10)),
                             prices=ModelPrice(input_mtok=D("1.5"), cache_read_mtok=D("0.5"), output_mtok=D(5)))]),
        # An undated other price: shown, never written.
        ModelInfo(id="grok-4.3", match=ClauseEquals(equals="grok-4.3"),
                  prices=ModelPrice(input_mtok=D("1.25"), cache_read_mtok=D("0.2"), output_mtok=D(2))),
        ModelInfo(id="grok-9", match=ClauseStartsWith(starts_with="grok-9"), name="Grok 9", context_window=1_000_000,
                  prices=ModelPrice(input_mtok=D(4), cache_read_mtok=D(1), output_mtok=D(20))),
        ModelInfo(id="grok-3-mini", match=ClauseEquals(equals="grok-3-mini"), deprecated=True,
                  prices=ModelPrice(input_mtok=D("0.3"), output_mtok=D("0.5"))),
    ])
    deepseek = Provider(id="deepseek", name="DeepSeek", api_pattern="d", models=[
        ModelInfo(id="deepseek-chat", match=ClauseEquals(equals="deepseek-chat"), prices=[
            ConditionalPrice(constraint=None, prices=ModelPrice(input_mtok=D("0.135"), cache_read_mtok=D("0.035"),
                                                                 output_mtok=D("0.55"))),
            ConditionalPrice(constraint=TimeOfDateConstraint(start_time=dt.time(0, 30, tzinfo=dt.timezone.utc),
                                                             end_time=dt.time(16, 30, tzinfo=dt.timezone.utc)),
                             prices=ModelPrice(input_mtok=D("0.27"), cache_read_mtok=D("0.07"), output_mtok=D("1.1")))]),
    ])
    return [xai, deepseek]


def test_differences_name_new_models_new_periods_other_prices_and_ended_models():
    found = {(d.kind, d.model, d.field, d.ours, d.theirs, d.day) for d in differences(CATALOG, "xai", fake_providers(), DAY)}
    assert found == {
        ("new_period", "grok-4.7", "input_per_mtok", D(2), D("1.5"), dt.date(2027, 1, 10)),
        ("new_period", "grok-4.7", "output_per_mtok", D(6), D(5), dt.date(2027, 1, 10)),
        ("changed", "grok-4.3", "output_per_mtok", D("2.5"), D(2), DAY),
        ("new_model", "grok-9", "model", None, None, None),
        ("ended", "grok-3-mini", "model", None, None, None),
    }


def test_deepseek_off_peak_window_that_ended_is_not_taken_and_is_explained():
    # The dataset still prices deepseek-chat with its 2025 window; ours ended on 2025-09-05.
    found = differences(CATALOG, "deepseek", fake_providers(), DAY)
    assert [(d.kind, d.model) for d in found] == [("not_priced", "deepseek-chat")]
    ((difference, entry),) = explained(found, load_known_disagreements())
    assert entry is not None and entry.verdict == "catalog_sourced" and "2025-09-05" in entry.reason
    # Before the end both sides agree at noon UTC (the standard hours, outside the window).
    assert differences(CATALOG, "deepseek", fake_providers(), dt.date(2025, 8, 1)) == []


def test_accepting_a_dated_change_writes_a_new_period_with_its_source(tmp_path):
    copy = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, copy)
    out = io.StringIO()
    code = _script().run(["--vendor", "xai", "--as-of", str(DAY), "--accept", "grok-4.7", "--add", "grok-9",
                          "--write"], providers=fake_providers(), out=out, catalog_dir=copy)
    assert code == 0, out.getvalue()
    text = out.getvalue()
    assert "written: xai: grok-4.7 input_per_mtok from 2027-01-10: catalog $2, genai-prices $1.5 (grok-4.7)" in text
    assert "added: grok-9 from 2026-12-07 -> xai.json" in text
    catalog = _script()._load_dir(copy)
    new = catalog.price("grok-4.7", dt.date(2027, 1, 10)).period
    assert (new.input_per_mtok, new.output_per_mtok, new.cached_input_per_mtok) == (D("1.5"), D(5), D("0.5"))
    assert new.evidence == "secondary" and new.source == "genai-prices 0.2.5 (grok-4.7): start_date 2027-01-10"
    assert new.long_context is not None  # the rules of the period before are kept
    assert catalog.price("grok-4.7", dt.date(2027, 1, 9)).period.input_per_mtok == D(2)
    added = catalog.price("grok-9", DAY)
    assert (added.input_per_mtok, added.encoding, added.encoding_evidence) == (D(4), "grok", "unverified")
    # The undated grok-4.3 price was shown and not written.
    assert "to review: xai: grok-4.3 output_per_mtok on 2026-12-07: catalog $2.5, genai-prices $2 (grok-4.3)" in text
    assert catalog.price("grok-4.3", DAY).output_per_mtok == D("2.5")
    # Nothing else in the file changed.
    before = json.loads((CATALOG_DIR / "anthropic.json").read_text(encoding="utf-8"))
    assert json.loads((copy / "anthropic.json").read_text(encoding="utf-8")) == before


def test_an_undated_price_and_a_verified_period_are_never_written():
    (changed,) = [d for d in differences(CATALOG, "xai", fake_providers(), DAY) if d.kind == "changed"]
    document = json.loads((CATALOG_DIR / "xai.json").read_text(encoding="utf-8"))
    with pytest.raises(PriceImportError, match="genai-prices does not date this price"):
        apply(document, changed, "0.2.5")
    (period,) = [d for d in differences(CATALOG, "xai", fake_providers(), DAY) if d.kind == "new_period"][:1]
    for entry in document["models"]:
        if entry["id"] == "grok-4.7":
            entry["prices"][-1]["evidence"] = "verified"
    with pytest.raises(PriceImportError, match="our own facts win"):
        apply(document, period, "0.2.5")


def test_without_write_nothing_changes(tmp_path):
    copy = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, copy)
    before = (copy / "xai.json").read_bytes()
    assert _script().run(["--vendor", "xai", "--accept", "grok-4.7"], providers=fake_providers(), out=io.StringIO(),
                         catalog_dir=copy) == 0
    assert (copy / "xai.json").read_bytes() == before


def test_every_reviewed_vendor_entry_still_explains_something_in_the_installed_data():
    pytest.importorskip("genai_prices")
    from pricing.price_import import PROVIDERS, installed_providers

    providers = installed_providers()
    known = load_known_disagreements()
    used = {id(k) for vendor in PROVIDERS if vendor != "openai"
            for _, k in explained(differences(CATALOG, vendor, providers, DAY), known) if k is not None}
    assert [(k.model, k.field) for k in known.vendor_disagreements if id(k) not in used] == []


def test_every_price_difference_with_the_installed_data_is_explained_today():
    from pricing.price_import import PROVIDERS, installed_providers

    providers, known = installed_providers(), load_known_disagreements()
    unexplained = [d.describe() for vendor in PROVIDERS if vendor != "openai"
                   for d, entry in explained(differences(CATALOG, vendor, providers, DAY), known)
                   if entry is None and d.kind != "new_model"]
    assert unexplained == []
