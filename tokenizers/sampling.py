"""Quick token estimates for corpora too big to wait for: a stratified sample with a stated error.

The corpus (a file's bytes, or a sequence of rows) is cut into ``strata`` equal stretches; from
each, a random window (or random rows) is counted exactly, giving a tokens-per-byte (or per
character) ratio for that stretch. The estimate is the sum of ratio x stretch size; the
interval comes from the variance between neighbouring strata (successive differences, which
ignore a smooth drift along the corpus but include abrupt changes, so they err on the wide
side), with a finite-population correction and Student's t.
"""

from __future__ import annotations

import math
import os
import random
import re
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import NormalDist

from tokenizers.counting import check_encoding, count_many
from tokenizers.encodings import SUPPORTED_ENCODINGS
from tokenizers.streaming import count_file

DEFAULT_SAMPLE_BYTES = 4 << 20
DEFAULT_STRATA = 64
# A RowSample keeps the texts of at most about this many sample budgets.
KEEP_FACTOR = 4

# Byte-level twins of tokenizers.boundaries' safe cuts: after "\n" before printable ASCII other
# than "/"; else before a space that follows a non-space and precedes an ASCII letter.
_AFTER_NEWLINE = re.compile(rb"\n(?=[!-.0-~])")
_BEFORE_WORD = re.compile(rb"(?<=[^\s]) (?=[A-Za-z])")

#: ``TokenEstimate.method`` values.
EXACT = "exact"
BYTE_RANGES = "stratified_byte_ranges"
ROWS = "stratified_rows"


@dataclass(frozen=True)
class TokenEstimate:
    """Tokens of a corpus on one encoding: an estimate with a ``confidence`` interval, or exact.

    ``method`` is EXACT (then low == tokens == high), BYTE_RANGES (sizes in bytes of the file,
    in its own encoding) or ROWS (sizes in characters).
    """

    encoding: str
    tokens: int
    low: int
    high: int
    method: str
    confidence: float
    strata: int
    sampled_bytes: int
    total_bytes: int

    @property
    def is_estimate(self) -> bool:
        return self.method != EXACT


# Student's t, 97.5% quantile, for 1..10 degrees of freedom (where the expansion below is poor).
_T975 = (12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228)


def _t_quantile(p: float, df: int) -> float:
    """Student's t quantile: from a table for p = 0.975 and df <= 10, else by the Cornish-Fisher
    expansion (within 0.2% for df > 10)."""
    if abs(p - 0.975) < 1e-12 and df <= len(_T975):
        return _T975[df - 1]
    z = NormalDist().inv_cdf(p)
    return (
        z
        + (z**3 + z) / (4 * df)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
    )


def ratio_interval(
    stratum_sizes: Sequence[int],
    sampled_sizes: Sequence[int],
    sampled_tokens: Sequence[int],
    confidence: float = 0.95,
) -> tuple[float, float, float]:
    """(estimate, low, high) of the total tokens, from one sample per stratum.

    ``stratum_sizes[h]`` is the size of stratum h; ``sampled_sizes[h]`` / ``sampled_tokens[h]``
    the size and exact token count of its sample. A stratum with an empty sample takes the
    pooled ratio. Raises ValueError with fewer than two strata.
    """
    k = len(stratum_sizes)
    if k < 2:
        raise ValueError("an interval needs at least two strata")
    pooled = sum(sampled_tokens) / max(1, sum(sampled_sizes))
    ratios = [tokens / sampled if sampled else pooled for sampled, tokens in zip(sampled_sizes, sampled_tokens)]
    estimate = sum(size * ratio for size, ratio in zip(stratum_sizes, ratios))
    # The error variance of a stratum's ratio, from successive differences; a stratum's total
    # carries it times its size squared.
    ratio_variance = sum((b - a) ** 2 for a, b in zip(ratios, ratios[1:])) / (2 * (k - 1))
    coverage = min(1.0, sum(sampled_sizes) / max(1, sum(stratum_sizes)))
    variance = ratio_variance * sum(size * size for size in stratum_sizes) * (1 - coverage)
    half_width = _t_quantile((1 + confidence) / 2, k - 1) * math.sqrt(variance)
    return estimate, estimate - half_width, estimate + half_width


def _estimates(
    encodings: tuple[str, ...],
    method: str,
    stratum_sizes: Sequence[int],
    sampled_sizes: Sequence[int],
    samples: Sequence[list[str]],
    sampled_bytes: int,
    total_bytes: int,
    confidence: float,
) -> dict[str, TokenEstimate]:
    result = {}
    flat = [text for stratum in samples for text in stratum]
    for encoding in encodings:
        counts = iter(count_many(flat, encoding, threads=2))
        tokens = [sum(next(counts) for _ in stratum) for stratum in samples]
        estimate, low, high = ratio_interval(stratum_sizes, sampled_sizes, tokens, confidence)
        counted = sum(tokens)  # the corpus has at least the tokens seen in the sample
        result[encoding] = TokenEstimate(
            encoding=encoding,
            tokens=max(counted, round(estimate)),
            low=max(counted, math.floor(low)),
            high=max(counted, math.ceil(high)),
            method=method,
            confidence=confidence,
            strata=len(stratum_sizes),
            sampled_bytes=sampled_bytes,
            total_bytes=total_bytes,
        )
    return result


def _window(data: bytes, at_start: bool, at_end: bool) -> tuple[int, int]:
    """The part of a byte window between safe cuts (whole lines when there are newlines)."""
    for pattern, shift in ((_AFTER_NEWLINE, 1), (_BEFORE_WORD, 0)):
        cuts = [m.start() + shift for m in pattern.finditer(data)]
        if cuts:
            start = 0 if at_start else cuts[0]
            end = len(data) if at_end else cuts[-1]
            if end > start:
                return start, end
    if at_start and at_end:
        return 0, len(data)
    return 0, 0  # no safe place in this window: sample nothing here


def _check_ascii_compatible(text_encoding: str) -> None:
    probe = "\n a".encode(text_encoding)
    if not probe.endswith(b"\n a") or "\n a\n a".encode(text_encoding) != probe + b"\n a":
        raise ValueError(f"byte-range sampling needs an ASCII-compatible encoding, not {text_encoding!r}")


def estimate_file(
    path: str | Path,
    text_encoding: str = "utf-8",
    encodings: Iterable[str] = SUPPORTED_ENCODINGS,
    *,
    sample_bytes: int = DEFAULT_SAMPLE_BYTES,
    strata: int = DEFAULT_STRATA,
    seed: int = 0,
    confidence: float = 0.95,
) -> dict[str, TokenEstimate]:
    """Estimated tokens of a text file per encoding, from ``strata`` random byte windows.

    Reads about ``sample_bytes`` in all. A file no bigger than that is counted exactly
    (method EXACT). Raises ValueError for an encoding that is not ASCII-compatible (UTF-16/32:
    count those exactly), OSError, and LookupError for an unknown ``text_encoding``.
    """
    encodings = tuple(encodings)
    for encoding in encodings:
        check_encoding(encoding)  # before any reading, as count_stream does
    total = os.path.getsize(path)
    if total <= sample_bytes or strata < 2:
        exact = count_file(path, text_encoding, encodings, errors="replace")
        return {
            e: TokenEstimate(e, exact.tokens[e], exact.tokens[e], exact.tokens[e], EXACT, 1.0, 1, total, total)
            for e in encodings
        }
    _check_ascii_compatible(text_encoding)
    rng = random.Random(seed)
    width = max(1, sample_bytes // strata)
    bounds = [total * h // strata for h in range(strata + 1)]
    stratum_sizes, sampled_sizes, samples = [], [], []
    with open(path, "rb") as handle:
        for lo, hi in zip(bounds, bounds[1:]):
            offset = lo if hi - lo <= width else rng.randrange(lo, hi - width + 1)
            handle.seek(offset)
            data = handle.read(min(width, hi - lo))
            start, end = _window(data, offset == 0, offset + len(data) == total)
            stratum_sizes.append(hi - lo)
            sampled_sizes.append(end - start)
            samples.append([data[start:end].decode(text_encoding, "replace")])
    return _estimates(
        encodings, BYTE_RANGES, stratum_sizes, sampled_sizes, samples, sum(sampled_sizes), total, confidence
    )


class RowSample:
    """Rows as they stream by, for a stratified-sample estimate without holding them all.

    Every row's length is kept; its text only while the row is in a random (Bernoulli) subset,
    whose rate halves whenever the texts kept pass KEEP_FACTOR x ``sample_chars``. So memory
    stays about four sample budgets whatever the corpus, and at the end the subset holds at
    least about two budgets of text spread over every stratum. Drawing a stratum's sample from
    the subset in random order is drawing it from the stratum's rows in random order: a
    Bernoulli subset of an exchangeable sequence is exchangeable.
    """

    def __init__(self, sample_chars: int = DEFAULT_SAMPLE_BYTES, seed: int = 0) -> None:
        self.sample_chars = sample_chars
        self.lengths = array("q")
        self._rng = random.Random(seed)
        self._rate = 1.0
        self._kept: dict[int, tuple[float, str]] = {}  # row index -> (its random key, its text)
        self._kept_chars = 0

    def add(self, text: str) -> None:
        """One more row."""
        index = len(self.lengths)
        self.lengths.append(len(text))
        key = self._rng.random()
        if key >= self._rate:
            return
        self._kept[index] = (key, text)
        self._kept_chars += len(text)
        while self._kept_chars > KEEP_FACTOR * self.sample_chars and len(self._kept) > 1:
            self._rate /= 2
            self._kept = {i: kept for i, kept in self._kept.items() if kept[0] < self._rate}
            self._kept_chars = sum(len(text) for _, text in self._kept.values())

    def estimate(
        self,
        encodings: Iterable[str] = SUPPORTED_ENCODINGS,
        *,
        strata: int = DEFAULT_STRATA,
        confidence: float = 0.95,
    ) -> dict[str, TokenEstimate]:
        """Estimated total tokens of the rows so far per encoding (exact when they fit the budget).

        Strata are equal runs of consecutive rows; in each, kept rows are drawn in random order
        until about ``sample_chars / strata`` characters. The ratio is tokens per character.
        ``sampled_bytes`` / ``total_bytes`` are in characters.
        """
        encodings = tuple(encodings)
        for encoding in encodings:
            check_encoding(encoding)  # before any sampling, as count_stream does
        total = sum(self.lengths)
        strata = min(strata, len(self.lengths))
        if total <= self.sample_chars or strata < 2:
            # Every row is still kept: their texts never passed the keeping threshold.
            texts = [text for _, text in self._kept.values()]
            exact = {e: sum(count_many(texts, e, threads=2)) for e in encodings}
            return {e: TokenEstimate(e, exact[e], exact[e], exact[e], EXACT, 1.0, 1, total, total) for e in encodings}
        budget = max(1, self.sample_chars // strata)
        rows = len(self.lengths)
        bounds = [rows * h // strata for h in range(strata + 1)]
        kept = list(self._kept)  # ascending: rows were added in order
        stratum_sizes, sampled_sizes, samples = [], [], []
        for lo, hi in zip(bounds, bounds[1:]):
            order = kept[bisect_left(kept, lo) : bisect_left(kept, hi)]
            self._rng.shuffle(order)
            chosen: list[str] = []
            size = 0
            for i in order:
                if size >= budget:
                    break
                text = self._kept[i][1]
                chosen.append(text)
                size += len(text)
            stratum_sizes.append(sum(self.lengths[lo:hi]))
            sampled_sizes.append(size)
            samples.append(chosen)
        return _estimates(encodings, ROWS, stratum_sizes, sampled_sizes, samples, sum(sampled_sizes), total, confidence)


def estimate_texts(
    texts: Iterable[str],
    encodings: Iterable[str] = SUPPORTED_ENCODINGS,
    *,
    sample_chars: int = DEFAULT_SAMPLE_BYTES,
    strata: int = DEFAULT_STRATA,
    seed: int = 0,
    confidence: float = 0.95,
) -> dict[str, TokenEstimate]:
    """Estimated total tokens of ``texts`` (rows, streamed once) per encoding, from random rows
    of each stratum (see RowSample). When the budget covers every row, all are counted (method
    EXACT). ``sampled_bytes`` / ``total_bytes`` are in characters here.
    """
    sample = RowSample(sample_chars, seed)
    for text in texts:
        sample.add(text)
    return sample.estimate(encodings, strata=strata, confidence=confidence)
