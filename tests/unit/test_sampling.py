"""Stratified estimates: labelled as estimates, and their intervals contain the exact count."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from multilingual_samples import generate_text
from tokenizers import SUPPORTED_ENCODINGS, count_many, get_encoding
from tokenizers.sampling import (
    BYTE_RANGES,
    EXACT,
    KEEP_FACTOR,
    ROWS,
    RowSample,
    estimate_file,
    estimate_texts,
    ratio_interval,
)
from tokenizers.streaming import count_file


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    # 3 MB in 7 stretches of different languages, so the tokens-per-byte ratio moves along it.
    text = generate_text(2_000_000, seed=5, sections=7)
    path = tmp_path_factory.mktemp("sampling") / "corpus.txt"
    path.write_bytes(text.encode("utf-8"))
    exact = count_file(path)
    return path, text, exact


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_file_interval_contains_the_exact_count(corpus, seed):
    path, text, exact = corpus
    size = path.stat().st_size
    estimates = estimate_file(path, sample_bytes=256 << 10, strata=32, seed=seed)
    assert set(estimates) == set(SUPPORTED_ENCODINGS)
    for encoding, estimate in estimates.items():
        truth = exact.tokens[encoding]
        assert estimate.method == BYTE_RANGES and estimate.is_estimate
        assert estimate.confidence == 0.95 and estimate.strata == 32
        assert 0 < estimate.sampled_bytes <= 256 << 10
        assert estimate.total_bytes == size
        assert estimate.low <= estimate.tokens <= estimate.high
        assert estimate.low <= truth <= estimate.high
        # Informative, not merely true: narrower than +-5%.
        assert (estimate.high - estimate.low) / truth < 0.1


def test_rows_interval_contains_the_exact_count(corpus):
    _, text, _ = corpus
    rows = text.split("\n")
    estimates = estimate_texts(rows, sample_chars=200_000, strata=32, seed=4)
    for encoding, estimate in estimates.items():
        truth = sum(count_many(rows, encoding))
        assert estimate.method == ROWS
        assert estimate.sampled_bytes <= 200_000 + max(len(r) for r in rows) * 32
        assert estimate.total_bytes == sum(len(r) for r in rows)
        assert estimate.low <= truth <= estimate.high
        assert (estimate.high - estimate.low) / truth < 0.15


def test_small_inputs_are_counted_exactly(tmp_path):
    text = "Small enough to count whole.\n价格\n" * 100
    path = tmp_path / "small.txt"
    path.write_text(text, encoding="utf-8")
    for encoding, estimate in estimate_file(path).items():
        truth = len(get_encoding(encoding).encode_ordinary(text))
        assert (estimate.method, estimate.tokens, estimate.low, estimate.high) == (EXACT, truth, truth, truth)
        assert not estimate.is_estimate
    rows = text.splitlines()
    for encoding, estimate in estimate_texts(rows).items():
        truth = sum(len(get_encoding(encoding).encode_ordinary(r)) for r in rows)
        assert (estimate.method, estimate.low, estimate.high) == (EXACT, truth, truth)


def test_byte_sampling_refuses_utf16(tmp_path):
    path = tmp_path / "wide.txt"
    path.write_bytes(("line of text\n" * 50_000).encode("utf-16"))
    with pytest.raises(ValueError, match="ASCII-compatible"):
        estimate_file(path, "utf-16", sample_bytes=1000)


def test_ratio_interval_worked_by_hand():
    # Ratios 0.5, 0.6, 0.7 over strata of 100, 100, 200: 50 + 60 + 140 = 250. Successive
    # differences 0.1, 0.1 -> ratio variance (0.01 + 0.01) / (2 * 2) = 0.005; times the sum of
    # squared sizes (10000 + 10000 + 40000) = 300, times (1 - 30/400) = 277.5.
    estimate, low, high = ratio_interval([100, 100, 200], [10, 10, 10], [5, 6, 7])
    half = 4.303 * math.sqrt(277.5)  # t(0.975, 2 df)
    assert estimate == pytest.approx(250)
    assert (low, high) == (pytest.approx(250 - half), pytest.approx(250 + half))


def test_ratio_interval_needs_two_strata():
    with pytest.raises(ValueError):
        ratio_interval([100], [10], [5])


@given(
    st.lists(
        st.tuples(st.integers(1, 10_000), st.integers(0, 1_000), st.integers(0, 5_000)),
        min_size=2,
        max_size=40,
    )
)
def test_ratio_interval_laws(strata):
    sizes = [s for s, _, _ in strata]
    sampled = [min(n, s) for s, n, _ in strata]
    tokens = [t if n else 0 for (_, n, t) in strata]
    estimate, low, high = ratio_interval(sizes, sampled, tokens)
    assert low <= estimate <= high
    if all(n == s for s, n in zip(sizes, sampled)):  # everything was counted: no uncertainty
        assert low == pytest.approx(estimate) == pytest.approx(high)
    # The same ratio everywhere gives a zero-width interval around size x ratio.
    same, low, high = ratio_interval(sizes, [max(1, n) for n in sampled], [2 * max(1, n) for n in sampled])
    assert same == pytest.approx(2 * sum(sizes)) == pytest.approx(low) == pytest.approx(high)


@pytest.mark.parametrize("seed", [0, 1])
def test_a_streamed_row_sample_holds_a_bounded_share_and_still_covers_the_truth(corpus, seed):
    # 2 MB of rows streamed through a 40,000-character budget: the texts kept stay within
    # KEEP_FACTOR budgets (plus one row) at every step, yet the sample drawn reaches the budget
    # and its interval holds the exact count.
    _, text, _ = corpus
    rows = text.split("\n")
    sample = RowSample(40_000, seed=seed)
    most_kept = 0
    for row in rows:
        sample.add(row)
        most_kept = max(most_kept, sum(len(t) for _, t in sample._kept.values()))
    longest = max(len(r) for r in rows)
    assert most_kept <= KEEP_FACTOR * 40_000 + longest
    assert list(sample.lengths) == [len(r) for r in rows]
    for encoding, estimate in sample.estimate(strata=32).items():
        truth = sum(count_many(rows, encoding))
        assert estimate.method == ROWS and estimate.total_bytes == len(text) - text.count("\n")
        assert 30_000 <= estimate.sampled_bytes <= 40_000 + longest * 32
        assert estimate.low <= truth <= estimate.high


def test_rows_from_a_generator_give_the_estimate_a_list_gives(corpus):
    _, text, _ = corpus
    rows = text.split("\n")
    assert estimate_texts(iter(rows), sample_chars=50_000, seed=3) == estimate_texts(rows, sample_chars=50_000, seed=3)


def test_one_row_longer_than_every_budget_is_kept_and_counted_exactly():
    row = "word " * 30_000
    sample = RowSample(1_000)
    sample.add(row)
    truth = len(get_encoding("o200k_base").encode_ordinary(row))
    estimate = sample.estimate(["o200k_base"])["o200k_base"]
    assert (estimate.method, estimate.tokens, estimate.low, estimate.high) == (EXACT, truth, truth, truth)
