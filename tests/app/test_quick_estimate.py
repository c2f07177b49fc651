"""A large upload shows a sampled estimate first, then the exact count replaces it; reruns reuse it."""

from __future__ import annotations

import random

import pytest

import corpus.pipeline
import corpus.quick
import ui.counts
from ingest import Document, ReadOptions, read_bytes
from tokenizers import SUPPORTED_ENCODINGS, estimate_texts, get_encoding
from ui.formatting import format_share, format_tokens

QUERY = {"lang": "en", "date": "2025-01-15"}
WORDS = ["the", "price", "of", "tokens", "价格", "取决于", "模型", "les", "modèles", "comptent", "moins", "de", "jetons", "1234", "ok"]
SAMPLE_CHARS = 3_000


def tiktoken_count(text: str, encoding: str) -> int:
    return len(get_encoding(encoding).encode_ordinary(text))


def corpus_csv(rows: int, seed: int) -> bytes:
    rng = random.Random(seed)
    lines = ["text,lang"]
    for _ in range(rows):
        lines.append(" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 30))) + "," + rng.choice("ab"))
    return ("\n".join(lines) + "\n").encode("utf-8")


class Interrupted(Exception):
    pass


@pytest.fixture
def large_is_small(monkeypatch):
    """Thresholds lowered so a 30 KB upload counts as large, with a real (not exact) sample."""
    ui.counts.COUNTS.clear()
    monkeypatch.setattr(ui.counts, "PROGRESS_FROM_BYTES", 1_000)
    monkeypatch.setattr(ui.counts, "QUICK_ESTIMATE_FROM_BYTES", 2_000)
    monkeypatch.setattr(corpus.quick, "QUICK_SAMPLE_CHARS", SAMPLE_CHARS)
    monkeypatch.setattr(corpus.pipeline, "BATCH_BYTES", 4_000)
    yield
    ui.counts.COUNTS.clear()


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def expected_estimates(data: bytes):
    texts = [d.text for d in read_bytes("big.csv", data, ReadOptions(column="text")).documents]
    return estimate_texts(texts, SUPPORTED_ENCODINGS, sample_chars=SAMPLE_CHARS), texts


def upload(at, data: bytes):
    at.file_uploader(key="estimate_files").set_value([("big.csv", data, "text/csv")]).run()
    return at


@pytest.mark.parametrize(
    "lang, label, caption",
    [
        ("en", "Tokens ({enc}), estimate ±{margin} (95%)", "between {low} and {high} tokens (95% confidence)"),
        ("zh", "Token 数（{enc}），估算 ±{margin}（95%）", "介于 {low} 与 {high} 个 token 之间（置信度 95%）"),
    ],
)
def test_the_estimate_shows_first_and_holds_the_exact_count(open_app, monkeypatch, large_is_small, lang, label,
                                                             caption):
    data = corpus_csv(1_200, seed=3 if lang == "en" else 4)
    estimates, texts = expected_estimates(data)
    real_count_stream = corpus.pipeline.count_stream

    def interrupted(*args, **kwargs):
        raise Interrupted  # stops the run while the estimate is on screen

    monkeypatch.setattr(corpus.pipeline, "count_stream", interrupted)
    at = upload(open_app({**QUERY, "lang": lang}), data)
    assert len(at.error) == 1  # the Interrupted above, shown as the app's one-line error
    shown = metrics(at)
    captions = [c.value for c in at.caption]
    for enc in SUPPORTED_ENCODINGS:
        est = estimates[enc]
        assert est.is_estimate and est.low < est.tokens < est.high
        margin = format_share(corpus.quick.estimate_margin(est))
        assert shown[label.format(enc=enc, margin=margin)] == format_tokens(est.tokens)
        assert caption.format(low=format_tokens(est.low), high=format_tokens(est.high)) in captions
        exact = sum(tiktoken_count(text, enc) for text in texts)
        assert est.low <= exact <= est.high

    # The exact count runs on the next run; its figures replace the estimate.
    monkeypatch.setattr(corpus.pipeline, "count_stream", real_count_stream)
    at.run()
    assert not at.exception, at.exception
    shown = metrics(at)
    assert not [k for k in shown if "±" in k]
    exact_label = "Tokens ({enc}, exact)" if lang == "en" else "Token 数（{enc}，精确）"
    for enc in SUPPORTED_ENCODINGS:
        assert shown[exact_label.format(enc=enc)] == format_tokens(sum(tiktoken_count(t, enc) for t in texts))
    assert not at.get("progress")  # the bar is emptied once the count is done


def test_a_csv_stopped_at_the_row_limit_counts_the_rows_it_read_and_says_so(open_app, monkeypatch, large_is_small):
    # Estimated first, then counted: two passes under one limit used to leave the second with none.
    monkeypatch.setenv("LLMCOST_READ_ROWS", "500")
    data = corpus_csv(1_200, seed=5)
    texts = [d.text for d in read_bytes("big.csv", data, ReadOptions(column="text")).documents][:498]
    at = upload(open_app(QUERY), data)
    assert not at.exception, at.exception
    shown = metrics(at)
    assert shown["Tokens (o200k_base, exact)"] == format_tokens(sum(tiktoken_count(t, "o200k_base") for t in texts))
    assert not [e.value for e in at.info if "Nothing could be read" in e.value]
    skipped = [str(df.value.values.tolist()) for df in at.dataframe]
    assert any("reading stopped after 500 rows, this server's limit for one file" in table for table in skipped)


def test_progress_reaches_one_and_a_slider_change_never_counts_again(open_app, monkeypatch, large_is_small):
    data = corpus_csv(1_000, seed=5)
    shares: list[float] = []
    sampled: list[int] = []
    real_count = ui.counts.count_reading
    streamed: list[bool] = []

    def watched_count(reading, documents, on_progress, **kwargs):
        streamed.append(documents is reading)  # not a list of the whole text

        def record(share: float) -> None:
            shares.append(share)
            on_progress(share)

        return real_count(reading, documents, record, **kwargs)

    class WatchedSample(corpus.quick.RowSample):
        def estimate(self, *args, **kwargs):
            sampled.append(len(self.lengths))
            return super().estimate(*args, **kwargs)

    monkeypatch.setattr(ui.counts, "count_reading", watched_count)
    monkeypatch.setattr(corpus.quick, "RowSample", WatchedSample)
    at = upload(open_app(QUERY), data)
    assert not at.exception, at.exception
    assert shares == sorted(shares) and shares[-1] == 1.0 and len(shares) > 2
    assert sampled == [1_000]  # the estimate saw every row once
    assert streamed == [True]
    texts = [d.text for d in read_bytes("big.csv", data, ReadOptions(column="text")).documents]
    o200k = format_tokens(sum(tiktoken_count(t, "o200k_base") for t in texts))
    assert metrics(at)["Tokens (o200k_base, exact)"] == o200k

    def no_counting(*args, **kwargs):
        raise AssertionError("counted again")

    progress_calls = len(shares)
    monkeypatch.setattr(corpus.pipeline, "count_stream", no_counting)
    monkeypatch.setattr(corpus.quick, "RowSample", no_counting)
    at.slider(key="s_cached_share").set_value(0.5).run()
    assert not at.exception, at.exception
    shown = metrics(at)
    assert shown["Tokens (o200k_base, exact)"] == o200k and not [k for k in shown if "±" in k]
    assert len(shares) == progress_calls  # no progress bar moved: nothing was counted
    assert sampled == [1_000]


def test_a_sample_that_took_every_row_is_not_shown_as_an_estimate(open_app, monkeypatch, large_is_small):
    data = corpus_csv(200, seed=6)
    monkeypatch.setattr(corpus.quick, "QUICK_SAMPLE_CHARS", len(data))  # the whole text fits the sample

    def interrupted(*args, **kwargs):
        raise Interrupted

    monkeypatch.setattr(corpus.pipeline, "count_stream", interrupted)
    at = upload(open_app(QUERY), data)
    assert len(at.error) == 1
    assert not [k for k in metrics(at) if "±" in k]
    _, texts = expected_estimates(data)
    assert not any(e.is_estimate for e in estimate_texts(texts, sample_chars=len(data)).values())


def test_a_long_text_is_sampled_as_safe_pieces_that_add_up(monkeypatch):
    monkeypatch.setattr(corpus.quick, "SAMPLE_PIECE_CHARS", 100)
    text = "Première ligne, 第一行 <|endoftext|> and more words.\n" * 60
    rows = list(corpus.quick.sample_rows([Document(text, "a.txt"), Document("", "b.txt"), Document("short", "c.txt")]))
    assert len(rows) > 20 and "".join(rows) == text + "short"
    for enc in SUPPORTED_ENCODINGS:
        assert sum(tiktoken_count(r, enc) for r in rows) == tiktoken_count(text, enc) + tiktoken_count("short", enc)
