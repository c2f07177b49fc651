"""Tables pages show: money and counts formatted for screen, headers in the user's language."""

from __future__ import annotations

from decimal import Decimal
from typing import Mapping, Sequence

import pandas as pd

from pricing import Assumptions, Catalog, ModelCost, Workload
from pricing.estimates import estimate_each
from pricing.languages import GroupSaving, from_workload
from ui.count_labels import count_method_text
from pricing.currency import MoneyView
from ui.formatting import format_money, format_share, format_tokens
from ui.i18n import t


def cost_table(rows: Sequence[ModelCost], view: MoneyView) -> pd.DataFrame:
    """One row per model: total cost (second, so it stays on a phone's screen), tokenizer and
    how its count was made (exact / reconstructed / estimate), tokens in/cached/out, input and output
    cost (each its own amount rounded once, ``format_money``)."""
    return pd.DataFrame(
        {
            t("col_model"): [r.model for r in rows],
            t("col_total_cost"): [format_money(r.total_cost, view) for r in rows],
            t("col_encoding"): [r.encoding for r in rows],
            t("col_count_method"): [count_method_text(r.price) for r in rows],
            t("col_input_tokens"): [format_tokens(r.input_tokens) for r in rows],
            t("col_cached_tokens"): [format_tokens(r.cached_input_tokens) for r in rows],
            t("col_output_tokens"): [format_tokens(r.output_tokens) for r in rows],
            t("col_input_cost"): [format_money(r.input_cost, view) for r in rows],
            t("col_output_cost"): [format_money(r.output_cost, view) for r in rows],
        }
    )


def breakdown_table(
    workloads: Mapping[object, Workload],
    names: Mapping[object, str],
    models: Sequence[str],
    catalog: Catalog,
    assumptions: Assumptions,
    view: MoneyView,
    savings: Sequence[GroupSaving] | None,
    pair: tuple[str, str],
    label: str,
) -> pd.DataFrame:
    """One row per group or language: documents, tokens on each tokenizer counted, how many fewer
    o200k_base needs, the total on each of ``models``, and (when the pair could be priced) the
    pair's input-side saving, whole saving and its share of the saving.

    ``models`` must be priceable under ``assumptions`` (the models of ``estimate_each``'s rows).
    """
    old, new = pair
    by_key = {s.counts.group: s for s in savings or ()}
    total_saving = sum((s.money_saved for s in savings or ()), Decimal(0))
    columns: dict[str, list] = {label: [], t("metric_documents"): []}
    counted = list(dict.fromkeys(name for w in workloads.values() for name in w.tokens))
    for enc in counted:
        columns[t("col_tokens_enc", encoding=enc)] = []
    columns[t("col_ratio")] = []
    columns[t("col_fewer_tokens")] = []
    # The saving first (it is what this table is for), then what each chosen model costs.
    if savings is not None:
        for key in ("col_input_saving", "col_saving"):
            columns[t(key, old=old, new=new)] = []
        columns[t("col_share_of_saving")] = []
    for model in models:
        columns[t("col_cost_of", model=model)] = []
    for key, workload in workloads.items():
        if not workload.documents:
            continue
        counts = from_workload("", workload)
        columns[label].append(names[key])
        columns[t("metric_documents")].append(format_tokens(workload.documents))
        for enc in counted:
            columns[t("col_tokens_enc", encoding=enc)].append(format_tokens(workload.tokens.get(enc, 0)))
        columns[t("col_ratio")].append(f"{counts.ratio:.2f}×" if counts.ratio else "–")
        columns[t("col_fewer_tokens")].append(format_share(counts.token_saving_share))
        if savings is not None:
            saving = by_key[key]
            columns[t("col_input_saving", old=old, new=new)].append(format_money(saving.saving.input_saving, view))
            columns[t("col_saving", old=old, new=new)].append(format_money(saving.money_saved, view))
            columns[t("col_share_of_saving")].append(
                format_share(saving.money_saved / total_saving if total_saving else None))
        for cost in estimate_each(workload, models, catalog, assumptions)[0]:
            columns[t("col_cost_of", model=cost.model)].append(format_money(cost.total_cost, view))
    return pd.DataFrame(columns)
