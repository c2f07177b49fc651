"""The tokenizer tax across vendors: how many more tokens a language needs than English, on
each vendor's tokenizer, and what that costs on each vendor's cheapest model.

On the parallel samples (``data/samples/``: one meaning in every language) a language's tax on
a tokenizer is its sample's tokens over the English sample's, on that tokenizer. On the user's
own corpus, each detected language's tokens are counted on every tokenizer; the tax is read off
that language's sample (the corpus has no English twin), and gives the tokens the same meaning
would need in English. The cost per vendor prices each language's tokens on the cheapest model
counted on that tokenizer (``models_by_tokenizer``).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from pricing.catalog import Catalog, NotPricedError, UnknownModelError
from pricing.cost import Assumptions, PricingError, Workload, estimate
from pricing.count_methods import ESTIMATE, counted_tokenizers, tokenizer_method
from pricing.languages import SAMPLES_DIR, Sample, count_groups, load_samples, matching_code, sample_for

ENGLISH = "en"
#: The samples' tokens on every tokenizer, counted once (``bench/sample_tokens.py``).
STORED_COUNTS = SAMPLES_DIR / "tokens.json"


@dataclass(frozen=True)
class LanguageTax:
    """One language's tokens on each tokenizer and its tax: tokens per English token of the same
    meaning (``relative``: None where that is not known: no sample, or no English tokens)."""

    language: str
    documents: int
    tokens: Mapping[str, int]
    relative: Mapping[str, Decimal | None]

    def english_tokens(self, name: str) -> Decimal | None:
        """The tokens the same meaning would need in English on ``name`` (None: tax unknown)."""
        tax = self.relative.get(name)
        return None if not tax else Decimal(self.tokens[name]) / tax

    def cheapest(self) -> str | None:
        """The tokenizer with the lowest tax here (the first on a tie; None when none is known)."""
        known = {n: r for n, r in self.relative.items() if r is not None}
        return min(known, key=known.__getitem__) if known else None


def sample_tax(names: Sequence[str], samples: Sequence[Sample],
               stored: Mapping[str, Mapping[str, int]] | None = None) -> list[LanguageTax]:
    """Each sample's tokens on each of ``names`` and its tax against the English sample.

    ``stored`` (``stored_sample_counts``: tokenizer -> sample code -> tokens) gives counts made
    before; a tokenizer it lacks is counted here. Raises ValueError when ``samples`` has no English
    one; EncodingUnavailableError for a name to count that is not counted offline.
    """
    english = sample_for(ENGLISH, samples)
    if english is None:
        raise ValueError("the samples have no English text to compare with")
    stored = stored or {}
    live = [n for n in names if n not in stored]
    counted = {c.group: c for c in count_groups(((s.code, s.text) for s in samples), encodings=tuple(live))}
    tokens = {s.code: {n: stored[n][s.code] if n in stored else counted[s.code].tokens[n] for n in names}
              for s in samples}
    base = tokens[english.code]
    return [
        LanguageTax(code, 1, mine, {n: Decimal(mine[n]) / Decimal(base[n]) if base[n] else None for n in names})
        for code, mine in tokens.items()
    ]


def sample_digest(samples: Sequence[Sample]) -> str:
    """The sha256 of the samples' codes and texts: stored counts are of these texts only."""
    return hashlib.sha256(json.dumps([[s.code, s.text] for s in samples]).encode("utf-8")).hexdigest()


def stored_sample_counts(samples: Sequence[Sample], path: Path = STORED_COUNTS) -> dict[str, dict[str, int]]:
    """The samples' tokens on each tokenizer as stored in ``path`` (``bench/sample_tokens.py``
    writes it), tokenizer -> code -> tokens; empty when the file is missing or counted other texts,
    so nothing stale is ever used."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if data.get("samples_sha256") != sample_digest(samples):
        return {}
    return {name: dict(counts) for name, counts in data.get("tokens", {}).items()}


def sample_counts_record(names: Sequence[str], samples: Sequence[Sample], measured: str) -> dict:
    """What ``bench/sample_tokens.py`` stores: the samples' tokens on each of ``names``, counted
    here, with the samples' digest and the day (``measured``)."""
    counted = count_groups(((s.code, s.text) for s in samples), encodings=tuple(names))
    return {"measured": measured, "samples_sha256": sample_digest(samples),
            "tokens": {n: {c.group: c.tokens[n] for c in counted} for n in names}}


def tax_tokenizers() -> tuple[str, ...]:
    """The tokenizers the tax compares: every one counted offline whose counts are the vendor's
    own or a reconstruction (an estimate from o200k_base's count would only repeat o200k_base's tax)."""
    return tuple(n for n in counted_tokenizers() if tokenizer_method(n) != ESTIMATE)


def corpus_tax(languages: Mapping[str, Workload], on_samples: Iterable[LanguageTax]) -> list[LanguageTax]:
    """The user's detected languages (code -> counted workload), each with the tax its sample
    shows on every tokenizer it was counted on (None where no sample matches the language)."""
    by_code = {t.language: t for t in on_samples}
    rows = []
    for code, workload in languages.items():
        if not workload.documents:
            continue
        match = matching_code(code, by_code)
        sample = None if match is None else by_code[match]
        relative = {n: sample.relative.get(n) if sample is not None else None for n in workload.tokens}
        rows.append(LanguageTax(code, workload.documents, dict(workload.tokens), relative))
    return rows


def models_by_tokenizer(catalog: Catalog, as_of: dt.date, names: Iterable[str]) -> dict[str, str]:
    """For each of ``names``, the cheapest chat model offered on ``as_of`` (by input price, then
    output price, then id) whose count is made on that tokenizer and is not an estimate: the
    vendor's price of the tax. A tokenizer no such model uses is left out."""
    wanted = set(names)
    best: dict[str, tuple] = {}
    for model_id in catalog.models:
        try:
            price = catalog.price(model_id, as_of)
        except (UnknownModelError, NotPricedError):
            continue
        if price.kind != "chat" or price.count_method == ESTIMATE or price.counted_with not in wanted:
            continue
        key = (price.input_per_mtok, price.output_per_mtok, model_id)
        if price.counted_with not in best or key < best[price.counted_with]:
            best[price.counted_with] = key
    return {name: best[name][2] for name in names if name in best}


def tax_costs(rows: Sequence[LanguageTax], models: Mapping[str, str], catalog: Catalog, assumptions: Assumptions
              ) -> dict[str, dict[str, Decimal]]:
    """language -> tokenizer -> what that language's tokens cost on the tokenizer's model
    (``models``: tokenizer -> model id) under ``assumptions`` (exact USD). A model that cannot
    price them (no price on the date, no Batch price) is left out."""
    costs: dict[str, dict[str, Decimal]] = {}
    for row in rows:
        mine = costs.setdefault(row.language, {})
        for name, model in models.items():
            if name not in row.tokens:
                continue
            workload = Workload(tokens={name: row.tokens[name]}, documents=max(row.documents, 1))
            try:
                (cost,) = estimate(workload, [model], catalog, assumptions)
            except (UnknownModelError, NotPricedError, PricingError):
                continue
            mine[name] = cost.total_cost
    return costs


@functools.cache
def samples_tax(names: tuple[str, ...]) -> tuple[LanguageTax, ...]:
    """``sample_tax`` of the built-in samples on ``names``, from the stored counts
    (``data/samples/tokens.json``: the app loads no vendor's vocabulary for them, which took
    600 MB for all of them), counting only a tokenizer they lack; once per set of tokenizers."""
    samples = load_samples()
    return tuple(sample_tax(names, samples, stored_sample_counts(samples)))


def _share(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.0001"))


def tax_record(languages: Mapping[str, Workload], catalog: Catalog, assumptions: Assumptions) -> dict:
    """The tokenizer tax as plain data (the CLI's ``--by-language`` and the app's JSON):
    ``models`` {tokenizer: the cheapest model counted on it}, ``samples`` {code: {tokenizer:
    {tokens, relative_to_english}}} and ``languages`` (the user's, by detected code) {code:
    {tokenizer: {tokens, relative_to_english, english_tokens, cost_usd}}}; relative_to_english
    to four decimals, null when unknown; cost_usd null when no model is counted on it. The samples
    are on ``tax_tokenizers``; the user's languages on the tokenizers their text was counted on."""
    names = tax_tokenizers()
    on_samples = samples_tax(names)
    mine = corpus_tax(languages, on_samples)
    counted = tuple(dict.fromkeys(n for row in mine for n in row.tokens))
    models = models_by_tokenizer(catalog, assumptions.as_of, dict.fromkeys((*names, *counted)))
    costs = tax_costs(mine, models, catalog, assumptions)
    return {
        "models": models,
        "samples": {row.language: {n: {"tokens": row.tokens[n], "relative_to_english": _share(row.relative[n])}
                                   for n in names} for row in on_samples},
        "languages": {
            row.language: {
                n: {"tokens": row.tokens[n], "relative_to_english": _share(row.relative[n]),
                    "english_tokens": None if row.english_tokens(n) is None else round(row.english_tokens(n)),
                    "cost_usd": costs[row.language].get(n)}
                for n in row.tokens
            }
            for row in mine
        },
    }


def mean_tax(rows: Iterable[LanguageTax], names: Sequence[str]) -> dict[str, Decimal]:
    """Each of ``names``' tax averaged over ``rows`` (the languages whose tax is known on it),
    lowest first: the first is the cheapest tokenizer for these languages."""
    rows = list(rows)
    means = {}
    for name in names:
        known = [r.relative[name] for r in rows if r.relative.get(name) is not None]
        if known:
            means[name] = sum(known, Decimal(0)) / len(known)
    return dict(sorted(means.items(), key=lambda item: item[1]))


def sample_ratios(source: str, target: str) -> tuple[tuple[str, Decimal], ...]:
    """How many tokens a translation from ``source`` into ``target`` takes per source token on each
    tokenizer the tax compares: the target sample's tokens over the source sample's, from the
    stored counts (``samples_tax``: no vocabulary loaded; counting them live took 600 MB).

    Raises ValueError when either language has no sample.
    """
    samples = load_samples()
    pair = [sample_for(code, samples) for code in (source, target)]
    missing = [code for code, s in zip((source, target), pair) if s is None]
    if missing:
        raise ValueError(f"no sample text for {', '.join(missing)} (languages: {', '.join(s.code for s in samples)})")
    rows = {r.language: r.tokens for r in samples_tax(tax_tokenizers())}
    src, dst = rows[pair[0].code], rows[pair[1].code]
    return tuple((n, Decimal(dst[n]) / Decimal(src[n])) for n in src if src[n])
