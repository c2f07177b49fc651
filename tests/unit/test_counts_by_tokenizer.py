"""Counts are keyed by tokenizer name from the pipeline to the JSON and the per-row CSV: a third
tokenizer (the test tokenizer "small-bpe", tests/small_tokenizer.py) counted because a chosen
model needs it flows through count_stream, the quick estimate, the app's counted sources, the
per-row table, the CLI's JSON and the Dask engine, each value checked against its own encoder.
A model whose tokenizer is not counted offline is priced on o200k_base and says "estimate"."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from cli import main
from ingest import Document, ReadOptions
from pricing import Assumptions, load_catalog
from corpus.pipeline import Reading, count_inputs, count_source
from corpus.quick import quick_estimate
from corpus.more_tokenizers import add_tokenizers, on_tokenizers
from pricing.count_methods import ESTIMATE, EXACT, SAVING_ENCODINGS, counted_with, count_method, tokenizers_for_models
from pricing.estimates import row_cells, row_costs, totals_of_sources
from pricing.export import csv_bytes
from tests.small_tokenizer import NAME, small_count
from tests.unit.multilingual_samples import MULTILINGUAL
from tokenizers import EncodingUnavailableError, count_stream, get_encoding
from tokenizers.sampling import RowSample

MODELS_FILE = Path(__file__).resolve().parents[1] / "fixtures" / "catalogs" / "small_bpe_models.json"
THREE = (*SAVING_ENCODINGS, NAME)
A = Assumptions(output_tokens_per_request=5, requests=1, as_of=dt.date(2026, 11, 1))


def o200k(text: str) -> int:
    return len(get_encoding("o200k_base").encode_ordinary(text))


def test_a_model_shut_down_by_the_date_adds_no_tokenizer_to_count():
    # llama-3.1-8b-instant (Groq) was shut down on 2026-08-16: chosen on 2026-12-07 it is refused
    # when priced, and its llama3 card of tokens was shown anyway beside the priced models'.
    catalog = load_catalog()
    assert catalog.retired_on("llama-3.1-8b-instant", dt.date(2026, 12, 7)) == dt.date(2026, 8, 16)
    models = ["gpt-4o", "llama-3.1-8b-instant"]
    assert tokenizers_for_models(models, catalog, dt.date(2026, 8, 1)) == (*SAVING_ENCODINGS, "llama3")
    assert tokenizers_for_models(models, catalog, dt.date(2026, 12, 7)) == SAVING_ENCODINGS


def test_the_tokenizers_counted_are_what_the_chosen_models_need(small_tokenizer):
    catalog = load_catalog(overrides=(MODELS_FILE,))
    day = dt.date(2026, 11, 1)
    assert tokenizers_for_models(["gpt-4o"], catalog, day) == SAVING_ENCODINGS
    assert tokenizers_for_models(["small-chat", "gpt-4o", "no-such-model"], catalog, day) == THREE
    # small-none is not counted offline: its model is estimated on o200k_base, nothing more is counted.
    assert tokenizers_for_models(["uncounted-chat"], catalog, day) == SAVING_ENCODINGS
    assert (counted_with("small-none"), count_method("small-none", True)) == ("o200k_base", ESTIMATE)
    assert (counted_with(NAME), count_method(NAME, True), count_method(NAME, False)) == (NAME, EXACT, ESTIMATE)
    # OpenAI's older encodings are not passed off as o200k_base estimates.
    assert counted_with("p50k_base") == "p50k_base"


def test_count_stream_counts_a_third_tokenizer_per_document_in_small_batches(small_tokenizer):
    texts = [*MULTILINGUAL[:12], "x" * 5 + " " * 300_000 + "end", "<|endoftext|> special text"]
    docs = [Document(text=t, source=f"d{i}") for i, t in enumerate(texts)]
    counts = count_stream(docs, THREE, batch_bytes=4096)
    assert counts.encodings == THREE
    assert list(counts.per_document[NAME]) == [small_count(t) for t in texts]
    assert counts.tokens[NAME] == sum(small_count(t) for t in texts)
    assert counts.tokens["o200k_base"] == sum(o200k(t) for t in texts)
    assert counts.engines[NAME] == "tiktoken (test vocabulary)"


def test_a_tokenizer_not_counted_offline_is_refused_before_reading(small_tokenizer):
    with pytest.raises(EncodingUnavailableError, match="small-none is not counted offline"):
        count_stream([Document(text="x", source="a")], ("o200k_base", "small-none"))


def test_the_quick_estimate_covers_every_tokenizer_asked_for(small_tokenizer):
    rows = [MULTILINGUAL[i % len(MULTILINGUAL)] + f" row {i}" for i in range(3000)]
    exact = sum(small_count(r) for r in rows)
    sample = RowSample(sample_chars=60_000)
    for row in rows:
        sample.add(row)
    estimates = sample.estimate(THREE, strata=16)
    assert set(estimates) == set(THREE)
    mine = estimates[NAME]
    # Sampled from the same rows as o200k_base's estimate, within a few percent of the truth.
    assert mine.is_estimate and mine.low < mine.tokens < mine.high
    assert abs(mine.tokens - exact) / exact < 0.05
    # Small enough to keep every row: the "estimate" is the exact count.
    whole = quick_estimate(Reading("a.txt", "\n".join(rows[:20]).encode(), ReadOptions()), THREE)
    assert whole[NAME].tokens == small_count("\n".join(rows[:20])) and not whole[NAME].is_estimate


def test_counted_sources_per_row_csv_and_costs_carry_the_third_tokenizer(small_tokenizer):
    catalog = load_catalog(overrides=(MODELS_FILE,))
    reviews = ["Great product and fast delivery!", "价格太贵了，但是质量很好。", "बहुत अच्छा उत्पाद"]
    data = ("id,review\n" + "".join(f"{i},{r}\n" for i, r in enumerate(reviews))).encode()
    options = ReadOptions(column="review")
    source = count_source("reviews.csv", data, options, languages=False, encodings=THREE)
    assert list(source.tokens[NAME]) == [small_count(r) for r in reviews]
    totals = totals_of_sources([source, count_source("b.txt", b"hello there", ReadOptions(), encodings=THREE)])
    assert totals.workload.tokens[NAME] == sum(map(small_count, reviews)) + small_count("hello there")

    header, lines = row_cells(source, data, options)
    assert header == ["id", "review", "source", "language", "tokens_o200k_base", "tokens_cl100k_base",
                      f"tokens_{NAME}"]
    assert [line[-1] for line in lines] == [small_count(r) for r in reviews]
    cost_header, costs = row_costs(source, ["small-chat", "uncounted-chat"], catalog, A)
    assert cost_header == ["cost_usd_small-chat", "cost_usd_uncounted-chat"]
    # small-chat: $1 in / $2 out per 1M on its own count; uncounted-chat: $3 / $15 on o200k_base's.
    assert [c[0] for c in costs] == [(small_count(r) * 1 + 5 * 2) / Decimal(10**6) for r in reviews]
    assert [c[1] for c in costs] == [(o200k(r) * 3 + 5 * 15) / Decimal(10**6) for r in reviews]
    written = list(csv.reader(io.StringIO(csv_bytes(header, lines).decode("utf-8-sig"))))
    assert written[0][-1] == f"tokens_{NAME}" and written[2][-1] == str(small_count(reviews[1]))


def test_the_cli_json_keys_tokens_by_tokenizer_and_says_how_each_model_was_counted(small_tokenizer, tmp_path, capsys):
    text = "Hello world, 价格是多少？ the quick brown fox\n" * 3
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    assert main(["estimate", str(path), "--models", "small-chat,uncounted-chat,gpt-4o", "--prices", str(MODELS_FILE),
                 "--as-of", "2026-11-01", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["tokens"] == {"o200k_base": o200k(text), "cl100k_base": len(get_encoding("cl100k_base").encode_ordinary(text)),
                                NAME: small_count(text)}
    rows = {m["model"]: m for m in report["models"]}
    assert {m: (r["tokenizer"], r["counted_with"], r["count_method"], r["input_tokens"]) for m, r in rows.items()} == {
        "small-chat": (NAME, NAME, EXACT, small_count(text)),
        "uncounted-chat": ("small-none", "o200k_base", ESTIMATE, o200k(text)),
        "gpt-4o": ("o200k_base", "o200k_base", EXACT, o200k(text)),
    }
    # One pass, classify (5 output tokens): small-chat at $1 / $2 per 1M, worked by hand.
    assert Decimal(str(rows["small-chat"]["total_cost_usd"])) == (small_count(text) + 5 * 2) / Decimal(10**6)
    assert rows["uncounted-chat"]["notes"] == [
        "small-none is not counted offline yet: uncounted-chat's tokens estimated with o200k_base"]


def test_the_cli_csv_has_the_tokenizer_and_count_method_per_model(small_tokenizer, tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text("bonjour tout le monde", encoding="utf-8")
    assert main(["estimate", str(path), "--models", "small-chat,uncounted-chat", "--prices", str(MODELS_FILE),
                 "--as-of", "2026-11-01", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["model"], r["tokenizer"], r["counted_with"], r["count_method"]) for r in rows] == [
        ("small-chat", NAME, NAME, EXACT), ("uncounted-chat", "small-none", "o200k_base", ESTIMATE)]
    assert rows[0]["input_tokens"] == str(small_count("bonjour tout le monde"))


def test_count_inputs_on_a_local_dask_cluster_counts_the_third_tokenizer_too(small_tokenizer, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    from corpus.cluster import count_inputs_on_cluster

    folder = tmp_path / "corpus"
    folder.mkdir()
    for i in range(3):
        (folder / f"{i}.txt").write_text("\n".join(MULTILINGUAL[i * 5:(i + 1) * 5]), encoding="utf-8")
    one = count_inputs([str(folder)], ReadOptions(), encodings=THREE)
    # Workers in this process (processes=False): they see the test tokenizer's registry entry.
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as local, distributed.Client(local) as client:
        many = count_inputs_on_cluster([str(folder)], ReadOptions(), client, encodings=THREE)
    assert many.counts.encodings == THREE
    assert dict(many.counts.tokens) == dict(one.counts.tokens)
    assert list(many.counts.per_document[NAME]) == [
        small_count("\n".join(MULTILINGUAL[i * 5:(i + 1) * 5])) for i in range(3)]


def test_a_counted_source_gains_a_tokenizer_without_counting_the_others_again(small_tokenizer, monkeypatch):
    texts = ["Great product and fast delivery!", "价格太贵了，但是质量很好。", "बहुत अच्छा उत्पाद", "Très bien."]
    data = ("id,channel,review\n" + "".join(f"{i},{'web' if i % 2 else 'app'},{r}\n" for i, r in enumerate(texts))
            ).encode()
    options = ReadOptions(column="review", group_by="channel")
    base = count_source("r.csv", data, options, encodings=SAVING_ENCODINGS)
    import tokenizers.streaming as streaming

    asked: list[str] = []
    real = streaming.count_many
    monkeypatch.setattr(streaming, "count_many", lambda t, e, *a: asked.append(e) or real(t, e, *a))
    more = add_tokenizers(base, data, options, THREE)
    assert set(asked) == {NAME}  # o200k_base and cl100k_base were not counted again
    whole = count_source("r.csv", data, options, encodings=THREE)
    assert more.totals == whole.totals and {e: list(a) for e, a in more.tokens.items()} == {
        e: list(a) for e, a in whole.tokens.items()}
    assert more.group_sums == whole.group_sums and more.language_sums == whole.language_sums
    assert more.language_labels == base.language_labels  # languages kept, not detected again
    back = on_tokenizers(more, ("cl100k_base", NAME))
    assert list(back.totals) == ["cl100k_base", NAME] and set(back.tokens) == {"cl100k_base", NAME}
    assert back.group_sums["web"][1] == {e: whole.group_sums["web"][1][e] for e in ("cl100k_base", NAME)}


def test_every_tokenizer_counted_adds_up_over_the_pipelines_cuts(monkeypatch):
    """A long document is counted in safe pieces and batches (tokenizers.streaming): on every
    tokenizer counted exactly here (the vendors' once their engines are installed) the pieces add
    up to the tokenizer's own count of the whole. (Claude's reconstruction does not quite: 6,667
    over the pieces against 6,670 for this text whole, measured with ctok 1.3.0.)"""
    import tokenizers.streaming as streaming
    from pricing.count_methods import tokenizer_method
    from pricing.tokenizer_tax import tax_tokenizers
    from tokenizers.registry import tokenizer

    monkeypatch.setattr(streaming, "_PIECE_CHARS", 2000)
    text = "\n".join(f"{t} {i}, naïve café — {t}" for i, t in enumerate(MULTILINGUAL * 3)) + "\n\n   \t end"
    names = tuple(n for n in tax_tokenizers() if tokenizer_method(n) == EXACT)
    counts = count_stream([Document(text=text, source="long.txt")], names, batch_bytes=3000)
    for name in names:
        whole = o200k(text) if name == "o200k_base" else tokenizer(name).counter()([text])[0]
        assert counts.per_document[name][0] == whole, name
