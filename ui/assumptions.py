"""Widgets for how the counted text is used, and the core ``Assumptions`` they describe."""

from __future__ import annotations

import streamlit as st

from pricing import Assumptions
from ui.i18n import t
from ui.settings import Settings, price_date, widget_key


def render_assumption_inputs() -> None:
    """Draw output size (fixed or ratio), requests per month, Batch API and cached share."""
    # Labels are looked up now: a format_func must not depend on state at call time.
    mode_labels = {mode: t(f"assume_output_mode_{mode}") for mode in ("fixed", "ratio")}
    left, right = st.columns(2)
    with left:
        st.radio(
            t("assume_output_mode"),
            ("fixed", "ratio"),
            key=widget_key("output_mode"),
            horizontal=True,
            format_func=mode_labels.__getitem__,
        )
        if st.session_state.get(widget_key("output_mode")) == "ratio":
            st.number_input(
                t("assume_output_ratio"),
                key=widget_key("output_ratio"),
                min_value=0.0,
                max_value=100.0,
                step=0.1,
                help=t("assume_output_ratio_help"),
            )
        else:
            st.number_input(
                t("assume_output_tokens"),
                key=widget_key("output_tokens"),
                min_value=0,
                max_value=10_000_000,
                step=50,
                help=t("assume_output_tokens_help"),
            )
        st.number_input(
            t("assume_requests"),
            key=widget_key("requests"),
            min_value=0,
            max_value=10**12,
            step=100,
            help=t("assume_requests_help"),
        )
    with right:
        st.toggle(t("assume_batch"), key=widget_key("batch"), help=t("assume_batch_help"))
        st.slider(
            t("assume_cached_share"),
            key=widget_key("cached_share"),
            min_value=0.0,
            max_value=1.0,
            step=0.05,
            help=t("assume_cached_share_help"),
        )


def assumptions_from(settings: Settings) -> Assumptions:
    """The core's ``Assumptions`` for ``settings`` (exact decimals, the chosen price date)."""
    ratio = settings.output_mode == "ratio"
    return Assumptions(
        output_tokens_per_request=0 if ratio else settings.output_tokens,
        output_ratio=settings.output_ratio if ratio else None,
        requests=settings.requests,
        batch=settings.batch,
        cached_share=settings.cached_share,
        as_of=price_date(settings),
    )
