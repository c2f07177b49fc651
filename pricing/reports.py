"""Results as plain dicts: the JSON contract of the command line (money stays Decimal here).

Each function turns core results (prices, counts, request and fine-tuning estimates) into the
rows and fields that `cli.py --format json|csv|table` writes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from ingest.documents import Problem
from pricing.catalog import Catalog, NotPricedError
from pricing.cost import Assumptions, ModelCost, Workload, estimate, requests_priced
from pricing.estimates import Estimate
from pricing.export import csv_bytes, decimal_text, plain  # noqa: F401  (plain: the JSON converter)
from pricing.languages import GroupSaving
from pricing.rules import in_words, period_rules, tier_name
from pricing.fine_tuning import FineTuningEstimate, ImagesNotAcceptedError
from pricing.tokenizer_tax import tax_record
from tokenizers.sampling import EXACT, TokenEstimate
from tokenizers.streaming import CorpusCounts

PRICE_FIELDS = [
    "model",
    "snapshot",
    "encoding",
    "input_per_mtok",
    "cached_input_per_mtok",
    "output_per_mtok",
    "batch_input_per_mtok",
    "batch_output_per_mtok",
    "flex_input_per_mtok",
    "flex_output_per_mtok",
    "priority_input_per_mtok",
    "priority_output_per_mtok",
    "priority_name",
    "context_window",
    "max_output_tokens",
    "effective_from",
    "effective_to",
    "vendor",
    "host",
    "evidence",
    "rules",
    "source",
]
# Fields of request-file model rows that add up over several files; the bounds stop adding up
# (become None) as soon as one file has none.
SUMMED_FIELDS = ("requests", "input_tokens", "cached_input_tokens", "output_tokens", "input_cost_usd",
                 "output_cost_usd", "total_cost_usd", "cached_input_tokens_estimate",
                 "total_cost_usd_with_cache_estimate", "flagged_requests")
BOUND_FIELDS = ("max_output_tokens", "max_total_cost_usd")


def problem_rows(problems: Iterable[Problem]) -> list[dict]:
    """Each problem as {where, why (English), code}."""
    return [p.row() for p in problems]


def price_rows(catalog: Catalog, as_of: dt.date, vendor: str | None = None) -> list[dict]:
    """One row per model id (aliases included) priced on ``as_of`` (only ``vendor``'s or its host's
    when given); ids without a price are left out. ``rules``: the period's pricing rules in words."""
    rows = []
    for model in catalog.ids(vendor):
        try:
            price = catalog.price(model, as_of)
        except NotPricedError:
            continue
        p = price.period
        rows.append(
            {
                "model": model,
                "snapshot": price.snapshot,
                "encoding": price.encoding,
                "input_per_mtok": p.input_per_mtok,
                "cached_input_per_mtok": p.cached_input_per_mtok,
                "output_per_mtok": p.output_per_mtok,
                "batch_input_per_mtok": p.batch_input_per_mtok,
                "batch_output_per_mtok": p.batch_output_per_mtok,
                **_tier_fields("flex", p.flex, as_of),
                **_tier_fields("priority", p.priority, as_of),
                "priority_name": tier_name("priority", p.priority) if _offered(p.priority, as_of) else None,
                "context_window": price.context_window,
                "max_output_tokens": price.max_output_tokens,
                "effective_from": p.effective_from,
                "effective_to": p.effective_to,
                "vendor": price.vendor,
                "host": price.host or price.vendor,
                "evidence": p.evidence,
                "rules": "; ".join(in_words(rule) for rule in period_rules(p)),
                "source": p.source,
            }
        )
    return rows


def _offered(prices, as_of: dt.date) -> bool:
    return prices is not None and (prices.available_from is None or prices.available_from <= as_of)


def _tier_fields(tier: str, prices, as_of: dt.date) -> dict:
    """A processing tier's input and output rates, None where the model has none on ``as_of``."""
    offered = _offered(prices, as_of)
    return {f"{tier}_input_per_mtok": prices.input_per_mtok if offered else None,
            f"{tier}_output_per_mtok": prices.output_per_mtok if offered else None}


COST_FIELDS = (
    "model", "snapshot", "encoding", "tokenizer", "counted_with", "count_method", "input_tokens", "cached_input_tokens",
    "output_tokens", "input_cost_usd", "output_cost_usd", "total_cost_usd",
)


def cost_record(r: ModelCost) -> dict:
    """One model's cost as a plain record (COST_FIELDS; exact Decimals)."""
    return {
        "model": r.model,
        "snapshot": r.price.snapshot,
        "encoding": r.encoding,
        # The model's tokenizer, the one whose count priced it (o200k_base when its own is not
        # counted offline) and how that count was made: exact, reconstructed or estimate.
        "tokenizer": r.encoding,
        "counted_with": r.price.counted_with,
        "count_method": r.price.count_method,
        "input_tokens": r.input_tokens,
        "cached_input_tokens": r.cached_input_tokens,
        "output_tokens": r.output_tokens,
        "input_cost_usd": r.input_cost,
        "output_cost_usd": r.output_cost,
        "total_cost_usd": r.total_cost,
        "notes": list(r.notes),
        # The vendor's rules that priced the row, in words (the app shows the same, in the user's language).
        "rules": [in_words(rule) for rule in r.rules],
        # Requests the API would refuse as they are (input over the context window); null: none.
        "over_context_window": None if r.over_context_window is None else dataclasses.asdict(r.over_context_window),
    }


#: What produced a cost table, repeated on each row of its CSV so the file explains itself.
CONTEXT_FIELDS = ("price_date", "tier", "question", "task", "requests_priced", "output_tokens_per_request",
                  "output_ratio")


def estimate_context(est: Estimate) -> dict:
    """CONTEXT_FIELDS of ``est``: the price date, processing tier, question, task, requests priced
    and the output assumed per request (a fixed count or a ratio of the input)."""
    fixed, ratio = est.plan.output()
    return {"price_date": est.assumptions.as_of, "tier": est.assumptions.tier, "question": est.plan.question,
            "task": est.plan.task, "requests_priced": est.requests,
            "output_tokens_per_request": None if ratio is not None else fixed, "output_ratio": ratio}


def results_csv(rows: Iterable[ModelCost], context: Mapping[str, object] | None = None) -> bytes:
    """The cost table as a CSV download (COST_FIELDS, exact USD, formula-safe), each row followed
    by ``context`` (``estimate_context``: what produced the table) when given."""
    records = [cost_record(r) for r in rows]
    extra = list(context or {})
    return csv_bytes([*COST_FIELDS, *extra],
                     ([*(rec[f] for f in COST_FIELDS), *(context[k] for k in extra)] for rec in records))


def combine_request_models(reports: list[dict]) -> list[dict]:
    """Per-model totals over several request-file reports (``RequestReport.as_dict`` shape)."""
    combined: dict[str, dict] = {}
    for report in reports:
        for row in report["models"]:
            into = combined.get(row["model"])
            if into is None:
                combined[row["model"]] = dict(row, notes=list(row["notes"]), estimates=list(row["estimates"]))
                continue
            for key in SUMMED_FIELDS:
                into[key] += row[key]
            for key in BOUND_FIELDS:
                into[key] = None if into[key] is None or row[key] is None else into[key] + row[key]
            into["exact"] = into["exact"] and row["exact"]
            into["chat_overhead_stated"] = into["chat_overhead_stated"] and row["chat_overhead_stated"]
            for key in ("notes", "estimates"):
                into[key] += [x for x in row[key] if x not in into[key]]
    return list(combined.values())


def request_files_report(reports: list[dict], as_of: dt.date) -> dict:
    """One request file's report as it is; several: per-file reports under ``files`` plus
    per-model totals over all of them."""
    if len(reports) == 1:
        return reports[0] | {"as_of": as_of}
    return {
        "kind": "requests",
        "as_of": as_of,
        "documents": sum(r["documents"] for r in reports),
        "skipped": [p for r in reports for p in r["skipped"]],
        "notes": [p for r in reports for p in r["notes"]],
        "models": combine_request_models(reports),
        "files": reports,
    }


def fine_tuning_report(path: Path, estimates: list[FineTuningEstimate], as_of: dt.date,
                       refused: Sequence[ImagesNotAcceptedError] = ()) -> dict:
    """The `fine-tune` result: per base model, training tokens, epochs, cost and over-long
    examples; the lines of examples without an assistant reply (not billed) and the models
    not priced because the file has images and they are fine-tuned on text only."""
    first = estimates[0]
    return {
        "kind": "fine_tuning",
        "file": str(path),
        "as_of": as_of,
        "examples": len(first.examples),
        "skipped": problem_rows(first.skipped),
        "no_assistant_lines": list(first.no_assistant),
        "not_priced": [{"model": e.model, "reason": "images_not_accepted", "lines": e.lines} for e in refused],
        "models": [
            {
                "model": e.model,
                "snapshot": e.price.snapshot,
                "encoding": e.price.encoding,
                "examples": len(e.examples),
                "epochs": e.epochs,
                "epochs_defaulted": e.epochs_defaulted,
                "example_limit": e.example_limit,
                "dataset_tokens": e.dataset_tokens,
                "training_tokens": e.training_tokens,
                "training_per_mtok": e.training_per_mtok,
                "training_cost_usd": e.training_cost,
                "exact": e.exact,
                "too_long": [{"line": x.line, "tokens": x.tokens} for x in e.too_long],
            }
            for e in estimates
        ],
    }


def quick_report(
    counts: CorpusCounts,
    sampled: list[dict[str, TokenEstimate]],
    skipped: list[Problem],
    models: list[str],
    catalog: Catalog,
    assumptions: Assumptions,
) -> dict:
    """The `estimate --quick` result: exactly counted inputs (``counts``) plus sampled files.

    ``sampled`` holds one ``estimate_file`` result per sampled file (one document each). The
    fields are documents, skipped, tokens (the point estimate), as_of and models, plus
    ``requests`` (priced in all),
    ``exact`` (False when any file was sampled), ``estimate`` {encoding: {tokens, low, high,
    confidence, method}} and per model ``total_cost_usd_low`` / ``total_cost_usd_high``.
    Exact counts add the same number to tokens, low and high; the bounds of several sampled
    files are summed, which is wider than needed, never narrower. Raises what ``estimate`` does.
    """
    documents = counts.documents + len(sampled)
    estimates = {}
    for encoding, exact in counts.tokens.items():
        mine = [s[encoding] for s in sampled]
        sampled_only = [e for e in mine if e.method != EXACT]
        estimates[encoding] = {
            "tokens": exact + sum(e.tokens for e in mine),
            "low": exact + sum(e.low for e in mine),
            "high": exact + sum(e.high for e in mine),
            "confidence": min((e.confidence for e in sampled_only), default=1.0),
            "method": sampled_only[0].method if sampled_only else EXACT,
        }
    # Costs are linear in tokens: the engine prices the point estimate and each bound.
    point, low, high = (
        estimate(Workload(tokens={e: v[key] for e, v in estimates.items()}, documents=documents), models, catalog, assumptions)
        for key in ("tokens", "low", "high")
    )
    return {
        "documents": documents,
        "requests": requests_priced(documents, assumptions),
        "exact": all(v["method"] == EXACT for v in estimates.values()),
        "skipped": problem_rows(skipped),
        "tokens": {e: v["tokens"] for e, v in estimates.items()},
        "estimate": estimates,
        "as_of": assumptions.as_of,
        "models": [
            cost_record(r) | {"total_cost_usd_low": lo.total_cost, "total_cost_usd_high": hi.total_cost}
            for r, lo, hi in zip(point, low, high)
        ],
    }


def per_unit(value: Decimal | None) -> Decimal | None:
    """A cost divided by a count (per request, per run): to 1e-12 USD, since a division need not
    end (totals stay exact)."""
    return None if value is None else value.quantize(Decimal("1e-12")).normalize()


def share(value: Decimal | None) -> Decimal | None:
    """A share (0..1) to four decimals, as reports show it (0.6566 = 65.66%)."""
    return None if value is None else value.quantize(Decimal("0.0001"))


def _saving_record(s: GroupSaving) -> dict:
    """One group's or language's counts and the pair's saving on it (exact USD)."""
    return {
        "documents": s.counts.documents,
        "tokens": dict(s.counts.tokens),
        "fewer_tokens_share": share(s.counts.token_saving_share),
        "cost_from_usd": s.saving.from_cost,
        "cost_to_usd": s.saving.to_cost,
        "saving_usd": s.saving.saving,
        "input_saving_usd": s.saving.input_saving,
        # Savings are positive: what the new tokenizer, and the new prices, take off the bill.
        "tokenizer_saving_usd": -s.saving.tokenizer_effect,
        "price_saving_usd": -s.saving.price_effect,
    }


def _counts_record(w: Workload) -> dict:
    return {"documents": w.documents, "tokens": dict(w.tokens)}


def estimate_report(est: Estimate, catalog: Catalog, by_language: bool = False) -> dict:
    """The `estimate` result (and the app's JSON download): one Estimate as plain data.

    Fields: documents, requests (priced in all), workload {question, task, times,
    output_tokens_per_request, output_ratio}, sources [{path, format, encoding, column,
    documents}], skipped and notes [{where, why, code}], tokens {tokenizer name: count} (o200k_base,
    cl100k_base and each model's ``counted_with``), as_of, models [cost
    record (with tokenizer, counted_with, count_method) + cost_per_request_usd, cost_per_run_usd (to 1e-12 USD)], tokenizer_saving {cl100k_base,
    o200k_base, fewer_tokens_share, pair {from, to, ...} or null}; ``groups`` {value: {documents,
    tokens, fewer_tokens_share, input_saving_usd, ...}} when documents carry a group;
    ``languages`` {ISO 639-1 code or "und": {documents, tokens, ...}} and ``languages_detected``
    (documents read by the detector: fewer than ``documents`` when a big corpus was sampled)
    when ``by_language``, with ``tokenizer_tax`` (``pricing.tokenizer_tax.tax_record``).
    """
    assumptions, plan = est.assumptions, est.plan
    fixed, ratio = plan.output()
    enc = est.encoding_saving
    pair = est.pair_saving
    report = {
        "documents": est.totals.workload.documents,
        "requests": est.requests,
        "workload": {"question": plan.question, "task": plan.task, "times": plan.times, "tier": assumptions.tier,
                     "output_tokens_per_request": None if ratio is not None else fixed, "output_ratio": ratio},
        "sources": [s.as_dict() for s in est.totals.sources],
        "skipped": problem_rows(est.totals.skipped),
        "notes": problem_rows(est.totals.notes),
        "tokens": dict(est.totals.workload.tokens),
        "as_of": assumptions.as_of,
        "models": [
            cost_record(r) | {"cost_per_request_usd": per_unit(est.cost_per_request(r)),
                              "cost_per_run_usd": per_unit(est.cost_per_run(r))}
            for r in est.rows
        ],
        "tokenizer_saving": {
            **dict(enc.tokens),
            "fewer_tokens_share": share(enc.token_saving_share),
            # The pair asked for when one of its models had no price and a chosen model stood in.
            "pair_asked": None if est.pair_asked is None else {"from": est.pair_asked[0], "to": est.pair_asked[1]},
            "pair": None if pair is None else {
                "from": pair.from_model, "to": pair.to_model,
                "from_tokens": pair.from_tokens, "to_tokens": pair.to_tokens,
                "from_cost_usd": pair.from_cost, "to_cost_usd": pair.to_cost, "saving_usd": pair.saving,
                "input_saving_usd": pair.input_saving, "tokenizer_saving_usd": -pair.tokenizer_effect,
                "price_saving_usd": -pair.price_effect,
                # The day "from" was shut down when it was by the price date (priced at its last price).
                "from_shutdown": None if pair.from_shutdown is None else pair.from_shutdown.isoformat(),
            },
        },
    }
    for key, workloads, wanted in (("groups", est.totals.groups, any(g is not None for g in est.totals.groups)),
                                   ("languages", est.totals.languages, by_language)):
        if not wanted:
            continue
        savings = est.savings_by(workloads, catalog)
        if savings is None:
            report[key] = {str(k): _counts_record(w) for k, w in workloads.items()}
        else:
            report[key] = {str(s.counts.group): _saving_record(s) for s in savings}
    if by_language:
        report["languages_detected"] = est.totals.languages_detected
        # Every tokenizer counted: a language's tax on each, and its cost on each vendor's model.
        report["tokenizer_tax"] = tax_record(est.totals.languages, catalog, est.assumptions)
    return report
