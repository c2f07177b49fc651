"""The language comparison: tokens per language (or any group) on cl100k_base and o200k_base,
and what moving from the GPT-3.5 Turbo / GPT-4 Turbo generation to GPT-4o saves, split into
the tokenizer effect and the price effect (``pricing.cost.tokenizer_saving``).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from pricing.catalog import DATA_DIR, Catalog
from pricing.cost import Assumptions, Workload
from pricing.saving import TokenizerSaving, tokenizer_saving
from tokenizers.counting import count_many

SAMPLES_DIR = DATA_DIR / "samples"
#: The encodings compared: the older one first.
COMPARED_ENCODINGS = ("cl100k_base", "o200k_base")
#: (older model, newer model) pairs the comparison offers: same tier, one generation apart.
DEFAULT_PAIRS: tuple[tuple[str, str], ...] = (("gpt-4-turbo", "gpt-4o"), ("gpt-3.5-turbo", "gpt-4o-mini"))


@dataclass(frozen=True)
class Sample:
    """A built-in sample text: language ``code`` (BCP 47), its names and script."""

    code: str
    name_en: str
    name_zh: str
    script: str
    script_zh: str
    text: str

    def name(self, language: str) -> str:
        """The language's name in the UI language ``language`` ("en" or "zh")."""
        return self.name_zh if language == "zh" else self.name_en

    def script_name(self, language: str) -> str:
        """The script's name in the UI language ``language`` ("en" or "zh")."""
        return self.script_zh if language == "zh" else self.script


@functools.cache
def load_samples(directory: Path = SAMPLES_DIR) -> tuple[Sample, ...]:
    """The samples listed in ``directory/index.json``, in its order, texts read as UTF-8.

    Raises OSError when a listed file is missing, ValueError when the index is malformed.
    """
    index = json.loads((directory / "index.json").read_text(encoding="utf-8"))
    samples = []
    for entry in index["samples"]:
        text = (directory / f"{entry['code']}.txt").read_text(encoding="utf-8")
        samples.append(Sample(entry["code"], entry["name_en"], entry["name_zh"], entry["script"], entry["script_zh"], text))
    return tuple(samples)


@dataclass(frozen=True)
class GroupCount:
    """What one group (a language, a CSV column value) holds, counted on both encodings."""

    group: str
    documents: int
    characters: int
    tokens: Mapping[str, int]

    @property
    def ratio(self) -> Decimal | None:
        """cl100k_base tokens per o200k_base token; None when o200k_base counts nothing."""
        old, new = (self.tokens[e] for e in COMPARED_ENCODINGS)
        return Decimal(old) / Decimal(new) if new else None

    @property
    def token_saving_share(self) -> Decimal | None:
        """The share of cl100k_base tokens that o200k_base does without; None for no tokens."""
        old, new = (self.tokens[e] for e in COMPARED_ENCODINGS)
        return Decimal(old - new) / Decimal(old) if old else None

    def workload(self) -> Workload:
        return Workload(tokens=dict(self.tokens), documents=self.documents)


def count_groups(texts: Iterable[tuple[str, str]], threads: int = 2,
                 encodings: Sequence[str] = COMPARED_ENCODINGS) -> list[GroupCount]:
    """Counts per group for ``(group, text)`` pairs (each text one document) on each of
    ``encodings`` (tokenizer names), groups in order of first appearance."""
    pairs = list(texts)
    bodies = [text for _, text in pairs]
    tokens = {enc: count_many(bodies, enc, threads=threads) for enc in encodings}
    order: dict[str, list[int]] = {}
    for i, (group, text) in enumerate(pairs):
        row = order.setdefault(group, [0, 0] + [0] * len(encodings))
        row[0] += 1
        row[1] += len(text)
        for j, enc in enumerate(encodings):
            row[2 + j] += tokens[enc][i]
    return [
        GroupCount(group, row[0], row[1], {enc: row[2 + j] for j, enc in enumerate(encodings)})
        for group, row in order.items()
    ]


def from_workload(group: str, workload: Workload) -> GroupCount:
    """A group's counts from a workload counted elsewhere (characters unknown: 0), on every
    tokenizer it was counted on.

    Raises KeyError when the workload was not counted on both compared encodings.
    """
    for e in COMPARED_ENCODINGS:
        workload.tokens[e]  # noqa: B018 -- raises KeyError naming the missing one
    return GroupCount(group, workload.documents, 0, dict(workload.tokens))


def total(counts: Iterable[GroupCount], label: str) -> GroupCount:
    """All groups added up into one, named ``label``."""
    counts = list(counts)
    return GroupCount(
        label,
        sum(c.documents for c in counts),
        sum(c.characters for c in counts),
        {e: sum(c.tokens[e] for c in counts) for e in COMPARED_ENCODINGS},
    )


@dataclass(frozen=True)
class GroupSaving:
    """One group's counts and what moving it from one model to another changes."""

    counts: GroupCount
    saving: TokenizerSaving

    @property
    def money_saved(self) -> Decimal:
        """The old model's cost minus the new one's (USD; negative when the new one costs more)."""
        return self.saving.from_cost - self.saving.to_cost

    @property
    def money_saving_share(self) -> Decimal | None:
        """``money_saved`` as a share of the old cost; None when the old model costs nothing."""
        return self.money_saved / self.saving.from_cost if self.saving.from_cost else None


def compare_groups(
    counts: Iterable[GroupCount], from_model: str, to_model: str, catalog: Catalog, assumptions: Assumptions
) -> list[GroupSaving]:
    """Each group's saving from ``from_model`` to ``to_model`` under ``assumptions``.

    Raises UnknownModelError / NotPricedError from the catalog and PricingError for
    assumptions a model cannot price (e.g. Batch API without a batch price).
    """
    return [
        GroupSaving(c, tokenizer_saving(c.workload(), from_model, to_model, catalog, assumptions))
        for c in counts
    ]


def sample_for(code: str, samples: Iterable[Sample]) -> Sample | None:
    """The sample of language ``code``: an exact match ("zh-Hant"), else the first whose
    language part matches ("zh" -> "zh-Hans")."""
    by_code = {s.code: s for s in samples}
    match = matching_code(code, by_code)
    return None if match is None else by_code[match]


def matching_code(code: str, codes: Iterable[str]) -> str | None:
    """The one of ``codes`` that names language ``code``: an exact match (any case), else the first
    whose language part matches ("zh" -> "zh-Hans"); None when none does."""
    codes = list(codes)
    exact = next((c for c in codes if c.lower() == code.lower()), None)
    return exact or next((c for c in codes if c.split("-")[0].lower() == code.split("-")[0].lower()), None)


def translation_ratios(source: str, target: str, samples: Iterable[Sample],
                       encodings: Sequence[str] = COMPARED_ENCODINGS) -> tuple[tuple[str, Decimal], ...]:
    """How many tokens a translation from ``source`` into ``target`` takes per source token, on
    each of ``encodings`` (tokenizer names): the target sample's tokens over the source sample's
    (the samples say one meaning in every language).

    Raises ValueError when either language has no sample.
    """
    samples = list(samples)
    pair = [sample_for(code, samples) for code in (source, target)]
    missing = [code for code, s in zip((source, target), pair) if s is None]
    if missing:
        known = ", ".join(s.code for s in samples)
        raise ValueError(f"no sample text for {', '.join(missing)} (languages: {known})")
    src, dst = count_groups([("source", pair[0].text), ("target", pair[1].text)], encodings=encodings)
    return tuple((enc, Decimal(dst.tokens[enc]) / Decimal(src.tokens[enc])) for enc in encodings
                 if src.tokens[enc])
