"""The tokenizer tax across vendors: each language's tokens per English token of the same
meaning, on every tokenizer counted (the parallel samples), read off for the user's own
languages, and priced on the cheapest model counted on each tokenizer; values checked against
tiktoken and the test tokenizer "small-bpe"."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from cli import main
from pricing import Assumptions, Workload, load_catalog
from pricing.count_methods import counted_tokenizers
from pricing.languages import load_samples
from pricing.tokenizer_tax import (
    corpus_tax,
    models_by_tokenizer,
    sample_counts_record,
    sample_tax,
    stored_sample_counts,
    tax_costs,
    tax_tokenizers,
)
from tests.small_tokenizer import NAME, small_count
from tokenizers import get_encoding

MODELS_FILE = Path(__file__).resolve().parents[1] / "fixtures" / "catalogs" / "small_bpe_models.json"
DAY = dt.date(2026, 11, 1)


def o200k(text: str) -> int:
    return len(get_encoding("o200k_base").encode_ordinary(text))


def test_the_tax_compares_every_tokenizer_counted_exactly_or_reconstructed(small_tokenizer):
    assert counted_tokenizers()[:2] == ("o200k_base", "cl100k_base") and NAME in counted_tokenizers()
    assert {NAME, "small-recon"} <= set(tax_tokenizers()) and "small-none" not in tax_tokenizers()


def test_the_stored_sample_counts_are_the_counts_of_these_samples(small_tokenizer, tmp_path):
    samples = load_samples()
    stored = stored_sample_counts(samples)
    for name in ("o200k_base", "cl100k_base"):
        assert stored[name] == {s.code: o200k(s.text) if name == "o200k_base" else
                                len(get_encoding(name).encode_ordinary(s.text)) for s in samples}
    # Every tokenizer stored that is counted here (the vendors' once their engines are installed)
    # gives the same counts now; the test tokenizers, not stored, are counted live.
    here = [n for n in stored if n in tax_tokenizers()]
    assert sample_counts_record(here, samples, "today")["tokens"] == {n: stored[n] for n in here}
    # Counts of other texts are never read: a changed sample is counted again.
    changed = [dataclasses.replace(samples[0], text=samples[0].text + " more"), *samples[1:]]
    assert stored_sample_counts(changed) == {}
    assert sample_tax(("o200k_base",), changed, stored_sample_counts(changed))[0].tokens["o200k_base"] == o200k(
        changed[0].text)


def test_a_languages_tax_is_its_samples_tokens_over_englishs_on_each_tokenizer(small_tokenizer):
    samples = {s.code: s for s in load_samples()}
    rows = {r.language: r for r in sample_tax(("o200k_base", NAME), list(samples.values()))}
    en, hi = samples["en"].text, samples["hi"].text
    assert rows["hi"].tokens == {"o200k_base": o200k(hi), NAME: small_count(hi)}
    assert rows["hi"].relative[NAME] == Decimal(small_count(hi)) / Decimal(small_count(en))
    assert rows["hi"].relative["o200k_base"] == Decimal(o200k(hi)) / Decimal(o200k(en))
    assert rows["en"].relative == {"o200k_base": 1, NAME: 1}
    # The small vocabulary has few merges beyond ASCII: o200k_base is cheaper for Hindi.
    assert rows["hi"].cheapest() == "o200k_base"


def test_the_users_languages_take_their_samples_tax_and_each_vendors_price(small_tokenizer):
    catalog = load_catalog(overrides=(MODELS_FILE,))
    on_samples = sample_tax(("o200k_base", NAME), load_samples())
    mine = corpus_tax({"zh": Workload(tokens={"o200k_base": 500, NAME: 1200}, documents=2),
                       "xx": Workload(tokens={"o200k_base": 10, NAME: 30}, documents=1),
                       "fr": Workload(tokens={"o200k_base": 0, NAME: 0}, documents=0)}, on_samples)
    assert [r.language for r in mine] == ["zh", "xx"]  # no documents: no row
    zh_sample = next(r for r in on_samples if r.language == "zh-Hans")  # "zh" takes the zh-Hans sample
    assert mine[0].relative == dict(zh_sample.relative)
    assert mine[0].english_tokens(NAME) == Decimal(1200) / zh_sample.relative[NAME]
    assert mine[1].relative == {"o200k_base": None, NAME: None} and mine[1].english_tokens(NAME) is None

    models = models_by_tokenizer(catalog, DAY, ("o200k_base", NAME, "cl100k_base"))
    assert models[NAME] == "small-chat"
    assert "uncounted-chat" not in models.values()  # an estimate on o200k_base is no vendor's own count
    costs = tax_costs(mine, {NAME: "small-chat"}, catalog, Assumptions(output_tokens_per_request=0, requests=1,
                                                                         as_of=DAY))
    assert costs == {"zh": {NAME: Decimal(1200) / Decimal(10**6)}, "xx": {NAME: Decimal(30) / Decimal(10**6)}}


def test_the_cli_by_language_reports_the_tax_on_every_tokenizer(small_tokenizer, tmp_path, capsys):
    text = "這是一段關於價格的中文文字，用來測試分詞器。\n" * 4
    path = tmp_path / "zh.txt"
    path.write_text(text, encoding="utf-8")
    assert main(["estimate", str(path), "--by-language", "--prices", str(MODELS_FILE), "--models", "small-chat",
                 "--as-of", DAY.isoformat(), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    tax = report["tokenizer_tax"]
    assert report["tokens"][NAME] == small_count(text)
    assert set(tax["samples"]["en"]) == set(tax_tokenizers())  # the samples on every tokenizer compared
    assert tax["models"][NAME] == "small-chat"
    (code, mine), = tax["languages"].items()
    assert mine[NAME]["tokens"] == small_count(text)
    samples = {s.code: s.text for s in load_samples()}
    sample = samples["zh-Hant"] if code == "zh-Hant" else samples["zh-Hans"]
    expected = (Decimal(small_count(sample)) / Decimal(small_count(samples["en"]))).quantize(Decimal("0.0001"))
    assert Decimal(mine[NAME]["relative_to_english"]) == expected
    assert Decimal(tax["samples"]["hi"][NAME]["relative_to_english"]) == (
        Decimal(small_count(samples["hi"])) / Decimal(small_count(samples["en"]))).quantize(Decimal("0.0001"))


def test_a_translation_into_hindi_is_sized_on_each_tokenizers_own_ratio(small_tokenizer, tmp_path, capsys):
    samples = {s.code: s.text for s in load_samples()}
    text = samples["en"]
    path = tmp_path / "en.txt"
    path.write_text(text, encoding="utf-8")
    report = json.loads(_run(capsys, "estimate", str(path), "--task", "translate", "--translate-to", "hi",
                             "--models", "small-chat,gpt-4o", "--prices", str(MODELS_FILE), "--as-of",
                             DAY.isoformat(), "--format", "json"))
    rows = {m["model"]: m for m in report["models"]}
    # The English sample translated into Hindi: its Hindi sample's tokens, on each model's tokenizer.
    assert rows["small-chat"]["output_tokens"] == small_count(samples["hi"])
    assert rows["gpt-4o"]["output_tokens"] == o200k(samples["hi"])


def _run(capsys, *args: str) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out
