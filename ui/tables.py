"""Tables pages show: money and counts formatted for screen, headers in the user's language."""

from __future__ import annotations

from typing import Mapping, Sequence

import pandas as pd

from pricing import Assumptions, Catalog, ModelCost, Workload
from tokenizers import SUPPORTED_ENCODINGS
from ui.formatting import MoneyView, format_money, format_tokens
from ui.i18n import t
from ui.results import estimate_each


def cost_table(rows: Sequence[ModelCost], view: MoneyView) -> pd.DataFrame:
    """One row per model: tokenizer, tokens in/cached/out, input, output and total cost."""
    return pd.DataFrame(
        {
            t("col_model"): [r.model for r in rows],
            t("col_encoding"): [r.encoding for r in rows],
            t("col_input_tokens"): [format_tokens(r.input_tokens) for r in rows],
            t("col_cached_tokens"): [format_tokens(r.cached_input_tokens) for r in rows],
            t("col_output_tokens"): [format_tokens(r.output_tokens) for r in rows],
            t("col_input_cost"): [format_money(r.input_cost, view) for r in rows],
            t("col_output_cost"): [format_money(r.output_cost, view) for r in rows],
            t("col_total_cost"): [format_money(r.total_cost, view) for r in rows],
        }
    )


def group_table(
    groups: Mapping[str | None, Workload], models: Sequence[str], catalog: Catalog, a: Assumptions, view: MoneyView
) -> pd.DataFrame:
    """One row per group: documents, tokens per encoding, total cost on each of ``models``.

    ``models`` must be priceable under ``a`` (the models of ``estimate_each``'s rows).
    """
    columns: dict[str, list[str]] = {t("col_group"): [], t("metric_documents"): []}
    for enc in SUPPORTED_ENCODINGS:
        columns[t("metric_tokens", encoding=enc)] = []
    for model in models:
        columns[t("col_cost_of", model=model)] = []
    for group, workload in groups.items():
        columns[t("col_group")].append(t("estimate_no_group") if group is None else group)
        columns[t("metric_documents")].append(format_tokens(workload.documents))
        for enc in SUPPORTED_ENCODINGS:
            columns[t("metric_tokens", encoding=enc)].append(format_tokens(workload.tokens[enc]))
        for cost in estimate_each(workload, models, catalog, a)[0]:
            columns[t("col_cost_of", model=cost.model)].append(format_money(cost.total_cost, view))
    return pd.DataFrame(columns)
