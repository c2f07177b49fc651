"""Tables the API requests page shows: money and counts formatted for screen, headers translated."""

from __future__ import annotations

from decimal import Decimal
from typing import Sequence

import pandas as pd

from pricing.fine_tuning import FineTuningEstimate
from pricing.requests import ModelTotal, RequestCost
from pricing.currency import MoneyView
from ui.count_labels import count_method_text
from ui.formatting import format_money, format_tokens
from ui.i18n import t

NONE = "–"  # no upper bound / no max_tokens


def _money_or_none(usd: Decimal | None, view: MoneyView) -> str:
    return NONE if usd is None else format_money(usd, view)


def _count_method(total: ModelTotal) -> str:
    """How a model's prompts were counted, as the Estimate page says it, and that its chat
    overhead is not counted where the registry states none."""
    method = count_method_text(total.price)
    if total.chat_overhead_stated:
        return method
    return t("count_method_no_chat_overhead", method=method, encoding=total.price.encoding)


def model_table(totals: Sequence[ModelTotal], view: MoneyView) -> pd.DataFrame:
    """One row per model: sure cost, tokenizer and how its count was made, requests, prompt and
    output tokens, upper bound, cache estimate, flags."""
    return pd.DataFrame({
        # Model and total first: they stay on a phone's screen.
        t("col_model"): [x.model for x in totals],
        t("col_total_cost"): [format_money(x.total_cost, view) for x in totals],
        t("col_encoding"): [x.price.encoding for x in totals],
        t("col_count_method"): [_count_method(x) for x in totals],
        t("col_requests"): [format_tokens(x.requests) for x in totals],
        t("col_prompt_tokens"): [format_tokens(x.prompt_tokens) for x in totals],
        t("col_output_tokens"): [format_tokens(x.output_tokens) for x in totals],
        t("col_upper_bound"): [_money_or_none(x.max_total_cost, view) for x in totals],
        t("col_cache_estimate"): [format_money(x.total_cost_with_cache_estimate, view) for x in totals],
        t("col_flagged"): [format_tokens(x.flagged_requests) for x in totals],
    })


def request_table(rows: Sequence[RequestCost], view: MoneyView) -> pd.DataFrame:
    """One row per (request, model) with its flags and estimated parts in the user's language.

    ``custom_id`` is user text: show the frame with st.dataframe (escaped), never st.table.
    """
    return pd.DataFrame({
        t("col_line"): [r.request.line for r in rows],
        t("col_custom_id"): [r.request.custom_id or "" for r in rows],
        t("col_model"): [r.model for r in rows],
        t("col_prompt_tokens"): [format_tokens(r.prompt.total) for r in rows],
        t("col_max_output"): [NONE if r.max_output_tokens is None else format_tokens(r.max_output_tokens)
                              for r in rows],
        t("col_total_cost"): [format_money(r.cost.total_cost, view) for r in rows],
        t("col_upper_bound"): [_money_or_none(r.max_total_cost, view) for r in rows],
        t("col_cached_estimate"): [format_tokens(r.cached_tokens_estimate) for r in rows],
        t("col_flags"): ["; ".join(t(f"problem_flag_{flag}") for flag in r.flags) for r in rows],
        t("col_estimates"): ["; ".join(t(f"problem_{code}") for code in r.prompt.estimates) for r in rows],
    })


def fine_tuning_table(estimates: Sequence[FineTuningEstimate], view: MoneyView) -> pd.DataFrame:
    """One row per base model: examples, epochs (marked when defaulted), tokens, training price and cost."""
    return pd.DataFrame({
        t("col_model"): [e.model for e in estimates],
        t("col_examples"): [format_tokens(len(e.examples)) for e in estimates],
        t("col_epochs"): [t("requests_ft_epochs_auto", epochs=e.epochs) if e.epochs_defaulted else str(e.epochs)
                          for e in estimates],
        t("col_dataset_tokens"): [format_tokens(e.dataset_tokens) for e in estimates],
        t("col_training_tokens"): [format_tokens(e.training_tokens) for e in estimates],
        t("col_training_price"): [format_money(e.training_per_mtok, view) for e in estimates],
        t("col_training_cost"): [format_money(e.training_cost, view) for e in estimates],
        t("col_too_long"): [format_tokens(len(e.too_long)) for e in estimates],
    })


def too_long_table(estimates: Sequence[FineTuningEstimate]) -> pd.DataFrame:
    """One row per (model, example) over that model's per-example limit."""
    long = [(e, x) for e in estimates for x in e.too_long]
    return pd.DataFrame({
        t("col_model"): [e.model for e, _ in long],
        t("col_line"): [x.line for _, x in long],
        t("col_prompt_tokens"): [format_tokens(x.tokens) for _, x in long],
        t("col_example_limit"): [format_tokens(e.example_limit) for e, _ in long],
    })
