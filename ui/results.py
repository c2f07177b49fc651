"""From counts to what the Estimate page shows and hands back: costs per model, per group, per row.

Failures are kept per model as codes + params so one unpriced model does not hide the others.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping, Sequence, TypeVar

from ingest import ReadOptions, read_bytes
from pricing import (
    Assumptions,
    Catalog,
    ModelCost,
    NotCountedError,
    NotPricedError,
    PricingError,
    UnknownModelError,
    Workload,
    compare,
    estimate,
)
from pricing.reports import COST_FIELDS, cost_record
from pricing.requests import ModelTotal
from tokenizers import SUPPORTED_ENCODINGS, EncodingUnavailableError
from ui.counts import CountedSource
from ui.downloads import csv_bytes, json_bytes


_Priced = TypeVar("_Priced", bound=ModelCost | ModelTotal)


@dataclass(frozen=True)
class ModelFailure:
    """A model that could not be priced: ``code`` is a message key suffix, ``params`` fill it."""

    model: str
    code: str  # "unknown_model" | "not_priced" | "not_counted" | "no_batch" | "no_fine_tuning"
    params: Mapping[str, object]


def model_failure(model: str, error: Exception, as_of: dt.date, other: str = "no_batch") -> ModelFailure:
    """Why ``model`` could not be priced on ``as_of``, from the error the core raised.

    UnknownModelError -> "unknown_model", NotPricedError -> "not_priced", NotCountedError or
    EncodingUnavailableError (its encoding is not counted offline) -> "not_counted", any other
    PricingError -> ``other`` ("no_batch" for an estimate, "no_fine_tuning" for fine-tuning).
    Raises ``error`` again when it is none of these.
    """
    if isinstance(error, UnknownModelError):
        return ModelFailure(model, "unknown_model", {"model": model})
    if isinstance(error, NotPricedError):
        return ModelFailure(model, "not_priced", {"model": model, "date": as_of.isoformat()})
    if isinstance(error, (NotCountedError, EncodingUnavailableError)):
        return ModelFailure(model, "not_counted", {"model": model})
    if isinstance(error, PricingError):
        return ModelFailure(model, other, {"model": model})
    raise error


def workload_of(sources: Sequence[CountedSource]) -> Workload:
    """Tokens per encoding and documents over all counted sources."""
    tokens = {enc: sum(s.total(enc) for s in sources) for enc in SUPPORTED_ENCODINGS}
    return Workload(tokens=tokens, documents=sum(s.documents for s in sources))


def estimate_each(
    workload: Workload, models: Sequence[str], catalog: Catalog, a: Assumptions
) -> tuple[list[ModelCost], list[ModelFailure]]:
    """The cost on each model that can be priced, and why the others cannot."""
    rows: list[ModelCost] = []
    failures: list[ModelFailure] = []
    for model in models:
        try:
            rows.extend(estimate(workload, [model], catalog, a))
        except (UnknownModelError, NotPricedError, PricingError) as error:
            failures.append(model_failure(model, error, a.as_of))
    return rows, failures


def unconfirmed_tokenizer(rows: Sequence[_Priced]) -> list[_Priced]:
    """The rows (ModelCost, or a request file's ModelTotal) whose model's tokenizer is not
    confirmed: they are counted with the encoding the catalog assumes."""
    return [r for r in rows if r.price.encoding_evidence != "verified"]


def cheapest(rows: Sequence[ModelCost]) -> ModelCost | None:
    """The row with the lowest total (the first one on a tie)."""
    return min(rows, key=lambda r: r.total_cost) if rows else None


def saving_against(rows: Sequence[ModelCost], baseline: str, model: str) -> tuple[Decimal, Decimal | None]:
    """What ``model`` saves against ``baseline``: (USD, share of the baseline's cost)."""
    for c in compare(list(rows), baseline):
        if c.model == model:
            return c.saving, c.saving_share
    raise KeyError(model)


def cost_at_volumes(rows: Sequence[ModelCost], a: Assumptions, volumes: Sequence[int], workload: Workload,
                    catalog: Catalog) -> dict[str, list[Decimal]]:
    """Each model's total at each number of requests per month (exact)."""
    out: dict[str, list[Decimal]] = {}
    for r in rows:
        out[r.model] = [
            estimate(workload, [r.model], catalog, dataclasses.replace(a, requests=v))[0].total_cost for v in volumes
        ]
    return out


def growth_volumes(requests: int, points: int = 9) -> list[int]:
    """Request volumes around ``requests``: from a tenth of it to ten times it (at least 1..10)."""
    top = max(requests, 1) * 10
    low = max(top // 100, 1)
    step = (top - low) / (points - 1)
    return sorted({round(low + i * step) for i in range(points)})


def result_records(rows: Sequence[ModelCost]) -> list[dict[str, object]]:
    """One plain record per model (exact Decimals), the shape of the CSV/JSON downloads."""
    return [cost_record(r) for r in rows]


def results_csv(rows: Sequence[ModelCost]) -> bytes:
    """The cost table as CSV (exact USD)."""
    records = result_records(rows)
    return csv_bytes(COST_FIELDS, ([rec[f] for f in COST_FIELDS] for rec in records))


def results_json(rows: Sequence[ModelCost], workload: Workload, a: Assumptions) -> bytes:
    """The estimate as JSON: counts, assumptions and each model's cost (money as decimal strings)."""
    return json_bytes(
        {
            "documents": workload.documents,
            "tokens": dict(workload.tokens),
            "assumptions": {
                "as_of": a.as_of,
                "output_tokens_per_request": a.output_tokens_per_request,
                "output_ratio": a.output_ratio,
                "requests": a.requests,
                "batch": a.batch,
                "cached_share": a.cached_share,
            },
            "models": result_records(rows),
        }
    )


@dataclass(frozen=True)
class DocumentCount:
    """One document with its parts folded together: where it came from and its tokens."""

    source: str
    group: str | None
    tokens: dict[str, int]


def document_counts(source: CountedSource) -> list[DocumentCount]:
    """Per-document counts of ``source`` (the parts of a huge text are already folded in)."""
    return [
        DocumentCount(where, group, {enc: source.tokens[enc][i] for enc in SUPPORTED_ENCODINGS})
        for i, (where, group) in enumerate(zip(source.sources, source.groups))
    ]


def group_totals(sources: Sequence[CountedSource]) -> dict[str | None, Workload]:
    """A workload per group value (None for documents without a group), in first-seen order."""
    totals: dict[str | None, dict[str, int]] = {}
    documents: dict[str | None, int] = {}
    for source in sources:
        for group, (count, tokens) in source.group_sums.items():
            bucket = totals.setdefault(group, {enc: 0 for enc in SUPPORTED_ENCODINGS})
            for enc in SUPPORTED_ENCODINGS:
                bucket[enc] += tokens[enc]
            documents[group] = documents.get(group, 0) + count
    return {g: Workload(tokens=tokens, documents=documents[g]) for g, tokens in totals.items()}


def rows_csv(
    source: CountedSource, data: bytes, options: ReadOptions, models: Sequence[str], catalog: Catalog, a: Assumptions
) -> bytes:
    """An uploaded table's rows with their text, token counts and cost per model (exact USD).

    ``models`` must all be priceable under ``a`` (pass the models of ``estimate_each``'s rows).
    """
    texts = {d.source: d.text for d in read_bytes(source.name, data, options).documents if d.part == 0}
    header = ["source", "group", "text", *(f"tokens_{enc}" for enc in SUPPORTED_ENCODINGS),
              *(f"cost_usd_{m}" for m in models)]

    def lines():
        for doc in document_counts(source):
            costs = estimate(Workload(tokens=doc.tokens, documents=1), list(models), catalog, a)
            yield [doc.source, doc.group, texts.get(doc.source, ""),
                   *(doc.tokens[enc] for enc in SUPPORTED_ENCODINGS), *(c.total_cost for c in costs)]

    return csv_bytes(header, lines())
