"""One estimate, two faces: every answer the Estimate page shows and the CLI prints.

From counted sources (``corpus.pipeline``) and a workload plan (``pricing.tasks``): costs per
model (failures kept per model, so one unpriced model does not hide the others), how many
requests were priced, cost per request / run / month, what o200k_base saves over cl100k_base
on this text, the move between a pair of models split into tokenizer and price effects, and
the same per group and per detected language; and the per-row annotated table.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping, Sequence, TypeVar

from ingest import Problem, ReadOptions, read_bytes
from corpus.pipeline import CountedInputs, CountedSource
from corpus.sources import SourceInfo
from corpus.summary import DocumentSummary, add_long_requests, long_requests_of
from pricing.catalog import Catalog, NotPricedError, RetiredModelError, UnknownModelError
from pricing.count_methods import RECONSTRUCTED, SAVING_ENCODINGS, estimated_with, tokenizer_method
from pricing.cost import (
    Assumptions,
    ModelCost,
    NotCountedError,
    PricingError,
    Workload,
    cost_for,
    estimate,
    priced_volume,
    requests_priced,
)
from pricing.export import CsvLines, csv_line
from pricing.rules import RuleNote
from pricing.saving import TokenizerSaving, compare, tokenizer_saving
from pricing.languages import DEFAULT_PAIRS, GroupCount, GroupSaving, compare_groups, from_workload
from pricing.requests import ModelTotal
from pricing.tasks import Workplan
from tokenizers import EncodingUnavailableError
from tokenizers.counting import check_encoding

_Priced = TypeVar("_Priced", bound=ModelCost | ModelTotal)
#: The comparison the Estimate page and the CLI show by default: GPT-3.5 Turbo -> GPT-4o mini
#: (same tier, one generation apart: the cl100k_base -> o200k_base move).
DEFAULT_PAIR: tuple[str, str] = DEFAULT_PAIRS[-1]
UNKNOWN_LANGUAGE = "und"
#: Notes that ``sources`` already says (the encoding read as, the column counted).
SOURCE_NOTES = frozenset({"encoding_used", "column_chosen", "json_field"})


@dataclass(frozen=True)
class ModelFailure:
    """A model that could not be priced: ``code`` is a message key suffix, ``params`` fill it."""

    model: str
    code: str  # "unknown_model" | "not_priced" | "not_counted" | "no_batch" | "no_tier" | "no_fine_tuning"
    params: Mapping[str, object]


def model_failure(model: str, error: Exception, as_of: dt.date, other: str = "no_batch",
                  tier: str = "standard") -> ModelFailure:
    """Why ``model`` could not be priced on ``as_of``, from the error the core raised.

    UnknownModelError -> "unknown_model", RetiredModelError -> "retired", NotPricedError ->
    "not_priced", NotCountedError or
    EncodingUnavailableError (its encoding is not counted offline) -> "not_counted", any other
    PricingError -> ``other`` ("no_batch" for an estimate, "no_tier" with the processing ``tier``
    asked for, "no_fine_tuning" for fine-tuning).
    Raises ``error`` again when it is none of these.
    """
    if isinstance(error, UnknownModelError):
        return ModelFailure(model, "unknown_model", {"model": model})
    if isinstance(error, RetiredModelError):
        return ModelFailure(model, "retired", {"model": model, "shutdown": error.shutdown.isoformat(),
                                               "date": as_of.isoformat()})
    if isinstance(error, NotPricedError):
        return ModelFailure(model, "not_priced", {"model": model, "date": as_of.isoformat()})
    if isinstance(error, (NotCountedError, EncodingUnavailableError)):
        return ModelFailure(model, "not_counted", {"model": model})
    if isinstance(error, PricingError):
        return ModelFailure(model, other, {"model": model, **({"tier": tier} if other == "no_tier" else {})})
    raise error


def estimate_each(
    workload: Workload, models: Sequence[str], catalog: Catalog, assumptions: Assumptions
) -> tuple[list[ModelCost], list[ModelFailure]]:
    """The cost on each model that can be priced, and why the others cannot."""
    rows: list[ModelCost] = []
    failures: list[ModelFailure] = []
    for model in models:
        try:
            rows.extend(estimate(workload, [model], catalog, assumptions))
        except (UnknownModelError, NotPricedError, PricingError) as error:
            other = "no_batch" if assumptions.tier in ("standard", "batch") else "no_tier"
            failures.append(model_failure(model, error, assumptions.as_of, other, assumptions.tier))
    return rows, failures


def priceable(models: Sequence[str], catalog: Catalog, assumptions: Assumptions) -> tuple[list[str], list[ModelFailure]]:
    """The models of ``models`` that can price requests under ``assumptions``, and why the others
    cannot: codes of ``model_failure`` ("unknown_model", "retired", "not_priced"), "not_counted"
    for a model whose count cannot be made offline (its ``counted_with`` is not counted: p50k_base),
    "no_tier" for a model without the chosen Flex or Priority price. (A missing Batch price is not
    a failure: a request file then falls back to standard prices, flagged per request.)
    """
    ok: list[str] = []
    failures: list[ModelFailure] = []
    for model in models:
        try:
            price = catalog.price(model, assumptions.as_of)
            check_encoding(price.counted_with)  # any tokenizer counted offline, as the Estimate page
            if assumptions.tier in ("flex", "priority"):
                cost_for(price, 0, 0, assumptions)
        except (UnknownModelError, NotPricedError, PricingError, EncodingUnavailableError) as error:
            failures.append(model_failure(model, error, assumptions.as_of, "no_tier", assumptions.tier))
            continue
        ok.append(model)
    return ok, failures


def unconfirmed_tokenizer(rows: Sequence[_Priced]) -> list[_Priced]:
    """The rows (ModelCost, or a request file's ModelTotal) whose model's tokenizer is not
    confirmed: they are counted with the encoding the catalog assumes."""
    return [r for r in rows if r.price.count_is_estimate]


def tokenizer_note(price) -> RuleNote:
    """Why a model's count is not exact, as a message code and its values: its tokenizer is not
    counted offline (estimated from another one's count), counted on a reconstruction (Claude's),
    or its vendor has not confirmed it."""
    estimate = estimated_with(price.encoding)
    if estimate is not None:
        return RuleNote("estimate_tokenizer_estimated", (("model", price.model), ("encoding", price.encoding),
                                                         ("counted", estimate)))
    if price.tokenizer_confirmed and tokenizer_method(price.encoding) == RECONSTRUCTED:
        return RuleNote("estimate_tokenizer_reconstructed", (("model", price.model), ("encoding", price.encoding)))
    code = "estimate_tokenizer_unconfirmed" if price.vendor == "openai" else "estimate_tokenizer_unconfirmed_vendor"
    return RuleNote(code, (("model", price.model), ("snapshot", price.snapshot), ("encoding", price.encoding)))


def cheapest(rows: Sequence[ModelCost]) -> ModelCost | None:
    """The row with the lowest total (the first one on a tie)."""
    return min(rows, key=lambda r: r.total_cost) if rows else None


def saving_against(rows: Sequence[ModelCost], baseline: str, model: str) -> tuple[Decimal, Decimal | None]:
    """What ``model`` saves against ``baseline``: (USD, share of the baseline's cost)."""
    for c in compare(list(rows), baseline):
        if c.model == model:
            return c.saving, c.saving_share
    raise KeyError(model)


def cost_at_volumes(rows: Sequence[ModelCost], assumptions: Assumptions, volumes: Sequence[int], workload: Workload,
                    catalog: Catalog) -> dict[str, list[Decimal]]:
    """Each model's total at each volume (passes, or requests a month) (exact)."""
    return {
        r.model: [estimate(workload, [r.model], catalog, dataclasses.replace(assumptions, requests=v))[0].total_cost
                  for v in volumes]
        for r in rows
    }


def growth_volumes(requests: int, points: int = 9) -> list[int]:
    """Volumes around ``requests``: from a tenth of it to ten times it (at least 1..10)."""
    top = max(requests, 1) * 10
    low = max(top // 100, 1)
    step = (top - low) / (points - 1)
    return sorted({round(low + i * step) for i in range(points)})


# --- What was counted, added up ------------------------------------------------------------


@dataclass(frozen=True)
class CorpusTotals:
    """Tokens of everything counted, and per group value and per detected language."""

    workload: Workload
    groups: dict[str | None, Workload]
    languages: dict[str, Workload]
    sources: list[SourceInfo]
    skipped: list[Problem]
    languages_detected: int = 0  # documents whose language was detected (fewer than all: a sample)
    notes: list[Problem] = dataclasses.field(default_factory=list)  # how things were read (beyond sources)


def _add(into: dict, key, documents: int, tokens: Mapping[str, int]) -> None:
    docs, sums = into.get(key, (0, {}))
    into[key] = (docs + documents, {name: sums.get(name, 0) + tokens.get(name, 0) for name in {**sums, **tokens}})


def _workloads(sums: dict) -> dict:
    return {key: Workload(tokens=tokens, documents=docs) for key, (docs, tokens) in sums.items()}


def long_context_thresholds(catalog: Catalog) -> list[int]:
    """Every long-context threshold in ``catalog`` (what per-document counts are summarised by)."""
    return sorted({p.long_context.over_tokens for m in catalog.models.values() for p in m.prices
                   if p.long_context is not None})


def request_thresholds(catalog: Catalog) -> list[int]:
    """Every long-context threshold and context window in ``catalog``: the input sizes
    per-document counts are summarised by (the surcharge, and requests the API refuses)."""
    windows = {m.context_window for m in catalog.models.values() if m.context_window is not None}
    return sorted(set(long_context_thresholds(catalog)) | windows)


def counted_tokenizers(sources: Sequence[CountedSource]) -> tuple[str, ...]:
    """The tokenizers every one of ``sources`` was counted on, in the order they were counted
    (a total over sources is only whole on those)."""
    names = [tuple(s.totals) for s in sources if s.documents or s.totals]
    if not names:
        return SAVING_ENCODINGS
    return tuple(n for n in names[0] if all(n in other for other in names[1:]))


def totals_of_sources(sources: Sequence[CountedSource], thresholds: Sequence[int] = ()) -> CorpusTotals:
    """The totals of counted sources (the app's pasted text and uploads), groups and languages
    in first-seen order. ``thresholds``: long-context thresholds to summarise the documents
    over (``Workload.long_requests`` of the whole; groups and languages are left without)."""
    groups: dict = {}
    languages: dict = {}
    for source in sources:
        for group, (docs, tokens) in source.group_sums.items():
            _add(groups, group, docs, tokens)
        for language, (docs, tokens) in source.language_sums.items():
            _add(languages, language, docs, tokens)
    tokens = {name: sum(s.total(name) for s in sources) for name in counted_tokenizers(sources)}
    return CorpusTotals(
        workload=Workload(tokens=tokens, documents=sum(s.documents for s in sources),
                          long_requests=add_long_requests(long_requests_of(s.tokens, thresholds) for s in sources)),
        groups=_workloads(groups),
        languages=_workloads(languages),
        sources=[s.info for s in sources if s.info is not None],
        skipped=[p for s in sources for p in s.skipped],
        languages_detected=sum(s.languages_detected for s in sources),
        notes=[p for s in sources for p in s.notes if p.code not in SOURCE_NOTES],
    )


def totals_of_inputs(counted: CountedInputs, thresholds: Sequence[int] = ()) -> CorpusTotals:
    """The totals of what the CLI counted (``thresholds`` as for ``totals_of_sources``; those of
    its summary when it was counted with one)."""
    counts = counted.counts
    summary = counted.summary or DocumentSummary.of(counts, thresholds)
    return CorpusTotals(
        workload=Workload(tokens=dict(counts.tokens), documents=counts.documents,
                          long_requests=summary.long_requests),
        groups={g: Workload(tokens=dict(c.tokens), documents=c.documents) for g, c in counts.groups.items()},
        languages=_workloads(summary.language_sums()),
        sources=counted.sources,
        skipped=counted.skipped,
        languages_detected=summary.languages_detected,
        notes=[p for p in counted.problems if p.is_note and p.code not in SOURCE_NOTES],
    )


def dominant_language(languages: Mapping[str, Workload]) -> str | None:
    """The detected language holding the most o200k_base tokens (None when none is known)."""
    known = {code: w for code, w in languages.items() if code != UNKNOWN_LANGUAGE}
    if not known:
        return None
    return max(known, key=lambda code: known[code].tokens.get("o200k_base", 0))


# --- The estimate ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    """Everything one estimate answers (see the module docstring)."""

    totals: CorpusTotals
    plan: Workplan
    assumptions: Assumptions
    rows: list[ModelCost]
    failures: list[ModelFailure]
    pair: tuple[str, str]
    pair_saving: TokenizerSaving | None  # None: not priceable on this date / with Batch, or embeddings
    encoding_saving: GroupCount  # cl100k_base vs o200k_base on everything counted
    pair_failure: ModelFailure | None = None  # why the pair could not be compared, when it could not
    # The pair asked for, when it could not be priced and ``pair`` is a chosen model put in its
    # place (``pair_failure`` says why the one asked for could not be).
    pair_asked: tuple[str, str] | None = None

    @property
    def requests(self) -> int:
        """How many requests were priced in all."""
        return requests_priced(self.totals.workload.documents, self.assumptions)

    def cost_per_request(self, row: ModelCost) -> Decimal | None:
        """``row``'s total over the requests priced (None when none were)."""
        return row.total_cost / self.requests if self.requests else None

    def cost_per_run(self, row: ModelCost) -> Decimal | None:
        """One pass over the corpus (the corpus question; None for traffic or zero passes)."""
        if self.assumptions.traffic or not self.assumptions.requests:
            return None
        return row.total_cost / self.assumptions.requests

    def savings_by(self, workloads: Mapping[object, Workload], catalog: Catalog) -> list[GroupSaving] | None:
        """The pair's saving for each of ``workloads`` (groups or languages); None when the pair
        cannot be priced."""
        if self.pair_saving is None:
            return None
        counts = [from_workload(key, w) for key, w in workloads.items() if w.documents]
        return compare_groups(counts, *self.pair, catalog, self.assumptions)


def build_estimate(
    totals: CorpusTotals,
    models: Sequence[str],
    catalog: Catalog,
    plan: Workplan,
    assumptions: Assumptions,
    pair: tuple[str, str] = DEFAULT_PAIR,
    strict: bool = False,
) -> Estimate:
    """The estimate of ``totals`` on ``models`` under ``plan`` (and its ``assumptions``).

    With ``strict`` a model that cannot be priced raises (UnknownModelError, NotPricedError,
    PricingError) as ``estimate`` does; otherwise it is kept in ``failures``.
    """
    if strict:
        rows, failures = estimate(totals.workload, list(models), catalog, assumptions), []
    else:
        rows, failures = estimate_each(totals.workload, models, catalog, assumptions)
    pair_saving, pair_failure, asked = None, None, None
    # Embedding models all count on cl100k_base: no model pair to move between for that task.
    if plan.task != "embed":
        try:
            pair_saving = tokenizer_saving(totals.workload, *pair, catalog, assumptions)
        except (UnknownModelError, NotPricedError, PricingError, KeyError):
            pair_failure = _pair_failure(pair, catalog, assumptions)
            # A model of the pair has no price on this date: compare with one of the chosen
            # models that has (the cheapest first, it is what the person is looking at).
            for substitute in _pair_substitutes(pair, pair_failure, rows):
                try:
                    pair_saving = tokenizer_saving(totals.workload, *substitute, catalog, assumptions)
                except (UnknownModelError, NotPricedError, PricingError, KeyError):
                    continue
                pair, asked = substitute, pair
                break
    return Estimate(totals, plan, assumptions, rows, failures, pair, pair_saving, from_workload("", totals.workload),
                    pair_failure, asked)


def _pair_substitutes(pair: tuple[str, str], failure: ModelFailure | None, rows: Sequence[ModelCost]
                      ) -> list[tuple[str, str]]:
    """Pairs with the model of ``pair`` that could not be priced (``failure``) replaced by a priced
    row's model, cheapest first."""
    if failure is None or failure.model not in pair:
        return []
    side = pair.index(failure.model)
    other = pair[1 - side]
    models = [r.model for r in sorted(rows, key=lambda r: r.total_cost) if r.model not in pair]
    return [(other, m) if side == 1 else (m, other) for m in models]


def _pair_failure(pair: tuple[str, str], catalog: Catalog, assumptions: Assumptions) -> ModelFailure | None:
    """Why the pair cannot be compared: the first of its models that cannot be priced (the
    "from" model at its last price when it was shut down, as ``tokenizer_saving`` prices it)."""
    for model in pair:
        try:
            price = catalog.last_price(model, assumptions.as_of) if model == pair[0] else \
                catalog.price(model, assumptions.as_of)
            cost_for(price, 0, 0, assumptions)
        except (UnknownModelError, NotPricedError, PricingError) as error:
            other = "no_batch" if assumptions.tier in ("standard", "batch") else "no_tier"
            return model_failure(model, error, assumptions.as_of, other, assumptions.tier)
    return None


# --- The per-row annotated table ---------------------------------------------------------------


@dataclass(frozen=True)
class DocumentCount:
    """One document with its parts folded together: where it came from, its group, its detected
    language and its tokens."""

    source: str
    group: str | None
    language: str | None
    tokens: dict[str, int]


def document_counts(source: CountedSource) -> list[DocumentCount]:
    """Per-document counts of ``source`` (the parts of a huge text are already folded in)."""
    languages = source.languages or [None] * source.documents
    return [
        DocumentCount(where, group, language, {name: column[i] for name, column in source.tokens.items()})
        for i, (where, group, language) in enumerate(zip(source.sources, source.groups, languages))
    ]


def row_table(
    source: CountedSource, data: bytes, options: ReadOptions, models: Sequence[str], catalog: Catalog,
    assumptions: Assumptions,
) -> tuple[list[str], list[list[object]]]:
    """An uploaded table handed back row by row: ALL of the user's columns as read (id,
    channel, the text, ...), then where the row is, its detected language, its token counts
    and its cost per model (exact USD): each row's share of the estimate, so the rows add up to
    its totals. A source that is not a table (no columns) gets source, group and text instead.

    ``models`` must all be priceable under ``assumptions`` (the models of ``estimate_each``'s rows).
    The two halves are ``row_cells`` (what the prices do not change) and ``row_costs``.
    """
    cells_header, cells = row_cells(source, data, options)
    costs_header, costs = row_costs(source, models, catalog, assumptions)
    return [*cells_header, *costs_header], [[*left, *right] for left, right in zip(cells, costs)]


def row_cells(source: CountedSource, data: bytes, options: ReadOptions) -> tuple[list[str], list[list[object]]]:
    """The part of ``row_table`` that no setting changes: the user's columns (or source, group and
    text), where the row is, its language and its token counts; one row per document of ``source``."""
    # row_cells: a Parquet/Arrow row carries its other cells as a CSV row does (read for this table only).
    cells_options = dataclasses.replace(options, row_cells=True)
    documents = {d.source: d for d in read_bytes(source.name, data, cells_options).documents if d.part == 0}
    columns = next(([c for c, _ in d.fields] for d in documents.values() if d.fields is not None), None)
    appended = ["source", "language", *(f"tokens_{name}" for name in source.tokens)]
    header = [*columns, *appended] if columns is not None else ["source", "group", "language", "text",
                                                               *appended[2:]]
    lines = []
    for doc in document_counts(source):
        counts = list(doc.tokens.values())
        read = documents.get(doc.source)
        if columns is not None:
            cells = [value for _, value in read.fields] if read is not None and read.fields else [""] * len(columns)
            lines.append([*cells, doc.source, doc.language, *counts])
        else:
            lines.append([doc.source, doc.group, doc.language, read.text if read is not None else "", *counts])
    return header, lines


def row_costs(source: CountedSource, models: Sequence[str], catalog: Catalog, assumptions: Assumptions
              ) -> tuple[list[str], list[list[Decimal]]]:
    """The part of ``row_table`` that the settings change: each document's cost per model
    (exact USD, ``cost_usd_<model>``), in the order of ``row_cells``."""
    counts, costs = _row_pricing(source, models, catalog, assumptions)
    return [f"cost_usd_{m}" for m in models], [list(costs(c)) for c in counts]


def row_cost_lines(source: CountedSource, models: Sequence[str], catalog: Catalog, assumptions: Assumptions
                   ) -> CsvLines:
    """``row_costs`` written as CSV lines (``pricing.export``), for ``csv_bytes_joined`` beside
    the lines of ``row_cells``: rows of equal token counts are priced and written once."""
    counts, costs = _row_pricing(source, models, catalog, assumptions)
    written: dict[tuple[int, ...], str] = {}
    lines = tuple([written.get(c) or written.setdefault(c, csv_line(costs(c))) for c in counts])
    return CsvLines(csv_line([f"cost_usd_{m}" for m in models]), lines)


def _row_pricing(source: CountedSource, models: Sequence[str], catalog: Catalog, assumptions: Assumptions):
    """(each document's tokens on the encodings of ``models``, a function from such tokens to
    the document's cost per model): a row's cost on a model depends only on its tokens, so each
    token count is priced once per model."""
    # Traffic: the text is a typical request, so each row carries 1/documents of the volume.
    share = Decimal(1) / Decimal(max(source.documents, 1)) if assumptions.traffic else Decimal(1)
    per_row = dataclasses.replace(assumptions, traffic=False)
    prices = [catalog.price(m, assumptions.as_of) for m in models]  # looked up once, not once per row

    priced = [functools.lru_cache(maxsize=None)(lambda n, p=p: priced_volume(p, n, 1, per_row).total_cost * share)
              for p in prices]  # per model: one price per token count

    def costs(tokens: tuple[int, ...]) -> tuple[Decimal, ...]:
        return tuple(cost(n) for cost, n in zip(priced, tokens))

    return list(zip(*(source.tokens[p.counted_with] for p in prices))), costs
