"""From a priced request file to what the API requests page shows and hands back.

The core (``pricing.requests``, ``pricing.fine_tuning``) does the counting and pricing; this
module caches it per upload, checks which chosen models can be priced, sums the figures the
cards show, and builds the annotated CSV and the JSON download.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import streamlit as st

from ingest.requests import RequestFile, read_requests
from pricing import Assumptions, Catalog
from pricing.fine_tuning import (
    FineTuningEstimate,
    default_fine_tuning_models,
    estimate_fine_tuning_each,
    looks_like_training_file,
)
from pricing.requests import RequestCost, RequestReport, price_request_file
from pricing.export import csv_bytes, json_bytes
from pricing.estimates import ModelFailure
from ui.counts import within_limits
from ui.uploads import UPLOAD_CACHE_SECONDS

CACHE_ENTRIES = 32


# cache_resource: one parse per file, handed back as is (pricing only reads it), whatever the
# choices priced on it next.
@st.cache_resource(max_entries=CACHE_ENTRIES, ttl=UPLOAD_CACHE_SECONDS, show_spinner=False)
def parsed_file(digest: str, name: str, _data: bytes) -> RequestFile:
    """The request file read once (``ingest.read_requests``), keyed by its content hash."""
    with within_limits():
        return read_requests(name, _data)


def is_batch_file(digest: str, name: str, _data: bytes) -> bool:
    """Whether the request file is a Batch API file (priced with the Batch discount, always)."""
    return parsed_file(digest, name, _data).is_batch


def is_training_file(digest: str, name: str, _data: bytes) -> bool:
    """Whether every example of the file has an assistant reply (``pricing.fine_tuning.looks_like_training_file``)."""
    return looks_like_training_file(parsed_file(digest, name, _data))


@st.cache_data(max_entries=CACHE_ENTRIES, ttl=UPLOAD_CACHE_SECONDS, show_spinner=False)
def priced_file(digest: str, name: str, models: tuple[str, ...], defaults: tuple[str, ...], assumptions: Assumptions,
                image_size: tuple[int, int], catalog_key: str, _data: bytes, _catalog: Catalog) -> RequestReport:
    """``price_request_file`` through the app's cache (keyed by the content hash and the choices).

    ``models`` empty: each request on its own model, on ``defaults`` when it names none (or one
    the catalog lacks). Raises what ``price_request_file`` raises.
    """
    return price_request_file(parsed_file(digest, name, _data), _catalog, list(models) or None, assumptions,
                              default_models=defaults,
                              image_size=image_size)


@st.cache_data(max_entries=CACHE_ENTRIES, ttl=UPLOAD_CACHE_SECONDS, show_spinner=False)
def fine_tuning_estimates(digest: str, name: str, as_of: dt.date, epochs: int | None, image_size: tuple[int, int],
                          catalog_key: str, _data: bytes, _catalog: Catalog) -> tuple[list[FineTuningEstimate], list[ModelFailure]]:
    """The file as a training file on each default base model offered on ``as_of``, and those that cannot be priced.

    ``epochs`` None: OpenAI's default rule. Failure codes: those of ``estimate_fine_tuning_each``.
    """
    return estimate_fine_tuning_each(parsed_file(digest, name, _data), _catalog,
                                     default_fine_tuning_models(_catalog, as_of), as_of,
                                     epochs=epochs, image_size=image_size)


@dataclass(frozen=True)
class CardFigures:
    """What the metric cards show for a set of per-model totals (money exact, in USD)."""

    prompt_tokens: int
    total_cost: Decimal
    max_total_cost: Decimal | None  # None when some request sets no max_tokens
    cached_tokens_estimate: int
    total_cost_with_cache_estimate: Decimal


def card_view(report: RequestReport) -> tuple[CardFigures, str | None]:
    """What the cards show for ``report``: one priced model per request line, never a sum over models.

    A line priced on several models (re-priced, or naming no model) counts on the cheapest of
    those models over such lines, whose id is returned (None when every line has one model).
    """
    by_line: dict[int, list[RequestCost]] = {}
    for row in report.rows:
        by_line.setdefault(row.request.line, []).append(row)
    shared = [rows for rows in by_line.values() if len(rows) > 1]
    chosen: str | None = None
    if shared:
        sums: dict[str, Decimal] = {}
        for rows in shared:
            for row in rows:
                sums[row.model] = sums.get(row.model, Decimal(0)) + row.cost.total_cost
        chosen = min(sums, key=lambda model: sums[model])  # first one on a tie
    picked = [next((r for r in rows if r.model == chosen), rows[0]) for rows in by_line.values()]
    bounds = [r.max_total_cost for r in picked]
    figures = CardFigures(
        prompt_tokens=sum(r.cost.input_tokens for r in picked),
        total_cost=sum((r.cost.total_cost for r in picked), Decimal(0)),
        max_total_cost=None if any(b is None for b in bounds) else sum(bounds, Decimal(0)),
        cached_tokens_estimate=sum(r.cached_tokens_estimate for r in picked),
        total_cost_with_cache_estimate=sum((r.total_cost_with_cache_estimate for r in picked), Decimal(0)),
    )
    return figures, chosen


PER_MODEL_FIELDS = ("prompt_tokens", "output_tokens", "cost_usd", "max_cost_usd", "cached_tokens_estimate")


def annotated_csv(report: RequestReport) -> bytes:
    """One row per request: its line, custom_id and own model, then per priced model its tokens,
    cost, upper bound and cache estimate, then the flags as ``model:code`` (exact USD, formula
    cells neutralised)."""
    models = [t.model for t in report.totals]
    header = ["line", "custom_id", "request_model", "max_output_tokens",
              *(f"{field}_{model}" for model in models for field in PER_MODEL_FIELDS), "flags", "estimates"]
    by_line: dict[int, dict] = {}
    for row in report.rows:
        entry = by_line.setdefault(row.request.line,
                                   {"request": row.request, "costs": {}, "flags": [], "estimates": []})
        entry["costs"][row.model] = (row.prompt.total, row.cost.output_tokens, row.cost.total_cost,
                                     row.max_total_cost, row.cached_tokens_estimate)
        entry["flags"].extend(f"{row.model}:{flag}" for flag in row.flags)
        entry["estimates"].extend(f"{row.model}:{code}" for code in row.prompt.estimates)

    def lines():
        for line, entry in by_line.items():
            request = entry["request"]
            cells: list[object] = [line, request.custom_id, request.model, request.max_output_tokens]
            for model in models:
                cells.extend(entry["costs"].get(model, (None,) * len(PER_MODEL_FIELDS)))
            yield [*cells, "; ".join(entry["flags"]), "; ".join(entry["estimates"])]

    return csv_bytes(header, lines())


def report_json(report: RequestReport, assumptions: Assumptions, image_size: tuple[int, int]) -> bytes:
    """The report as JSON (the CLI's ``estimate`` shape) with the choices it was priced under."""
    return json_bytes(
        report.as_dict()
        | {
            "as_of": assumptions.as_of,
            "assumptions": {"output_tokens_per_request": assumptions.output_tokens_per_request, "batch": report.batch,
                            "remote_image_size": f"{image_size[0]}x{image_size[1]}"},
        }
    )
