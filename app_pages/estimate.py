"""Estimate: paste text or upload files, pick models and assumptions, see what it costs."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from tokenizers import SUPPORTED_ENCODINGS
from ui.assumptions import assumptions_from, render_assumption_inputs
from ui.catalog import app_catalog
from ui.charts import cost_split_chart, growth_chart
from ui.counts import CountedSource, counted, counted_text
from ui.formatting import escape_markdown, format_money, format_rate, format_share, format_tokens
from ui.i18n import problem_text, t
from ui.results import (
    cheapest,
    cost_at_volumes,
    estimate_each,
    group_totals,
    growth_volumes,
    results_csv,
    results_json,
    rows_csv,
    saving_against,
    unconfirmed_tokenizer,
    workload_of,
)
from ui.settings import SHARE_TEXT_TICK_KEY, SHARED_TEXT_KEY, money_view, settings_from_state, widget_key
from ui.tables import cost_table, group_table
from ui.uploads import UPLOAD_TYPES, is_table, read_uploads, show_detected


def show_problems(sources: list[CountedSource]) -> None:
    skipped = [p for s in sources for p in s.skipped]
    # How a file was decoded is shown under its encoding selector ("Detected: ..."), not again here.
    notes = [p for s in sources for p in s.notes if p.code != "encoding_used"]
    if skipped:
        st.warning(t("estimate_skipped", count=len(skipped)), icon=":material/warning:")
        st.dataframe(
            pd.DataFrame(
                {t("col_where"): [p.where for p in skipped], t("col_problem"): [problem_text(p) for p in skipped]}
            ),
            hide_index=True,
            width="stretch",
        )
    for note in notes:
        st.text(f"{note.where}: {problem_text(note)}")  # st.text: the file name is not Markdown


def render() -> None:
    catalog = app_catalog()
    st.title(t("estimate_title"))
    st.caption(t("estimate_intro"))

    tab_text, tab_files = st.tabs([t("estimate_tab_text"), t("estimate_tab_files")])
    with tab_text:
        text = st.text_area(
            t("estimate_text_label"), key=SHARED_TEXT_KEY, height=180, placeholder=t("estimate_text_placeholder")
        )
        st.checkbox(t("estimate_share_text"), key=SHARE_TEXT_TICK_KEY, help=t("estimate_share_text_help"))
    with tab_files:
        files = st.file_uploader(
            t("estimate_upload"),
            type=UPLOAD_TYPES,
            accept_multiple_files=True,
            key="estimate_files",
            help=t("estimate_upload_help"),
        )
        uploads = read_uploads(files, "estimate")

    with st.expander(t("estimate_assumptions"), expanded=True, icon=":material/tune:"):
        render_assumption_inputs()

    sources: list[CountedSource] = []
    if text:
        sources.append(counted_text(text))
    for upload in uploads:
        sources.append(counted(upload.name, upload.data, upload.options, upload.digest))
        show_detected(upload, sources[-1].notes)
    show_problems(sources)

    workload = workload_of(sources)
    if workload.documents == 0:
        st.info(t("estimate_nothing_yet"), icon=":material/edit_note:")
        return

    settings = settings_from_state()
    view = money_view(settings)
    a = assumptions_from(settings)
    rows, failures = estimate_each(workload, settings.models, catalog, a)
    for failure in failures:
        st.warning(t(f"estimate_fail_{failure.code}", **failure.params), icon=":material/warning:")

    st.subheader(t("estimate_results"))
    cards = st.columns(2 + len(SUPPORTED_ENCODINGS))
    cards[0].metric(t("metric_documents"), format_tokens(workload.documents))
    for card, enc in zip(cards[1:], SUPPORTED_ENCODINGS):
        card.metric(t("metric_tokens", encoding=enc), format_tokens(workload.tokens[enc]), help=t("metric_tokens_help"))
    best = cheapest(rows)
    if best is None:
        return
    cards[-1].metric(t("metric_cheapest"), best.model, help=format_money(best.total_cost, view))
    if view.currency == "CNY":
        st.caption(t("rate_shown", rate=format_rate(view)))

    models = [r.model for r in rows]
    baseline_key = widget_key("baseline")
    if st.session_state.get(baseline_key) not in models:
        st.session_state[baseline_key] = max(rows, key=lambda r: r.total_cost).model
    base_col, saving_col = st.columns(2)
    baseline = base_col.selectbox(t("estimate_baseline"), models, key=baseline_key, help=t("estimate_baseline_help"))
    saving, share = saving_against(rows, baseline, best.model)
    saving_col.metric(
        t("metric_saving", model=best.model, baseline=baseline), format_money(saving, view), format_share(share),
        delta_color="off",
    )

    # A static table (readable and copyable); every cell is a catalog model id or a number.
    st.table(cost_table(rows, view), hide_index=True)
    st.caption(t("estimate_table_note", requests=format_tokens(a.requests), date=a.as_of.isoformat()))
    for row in unconfirmed_tokenizer(rows):
        st.caption(t("estimate_tokenizer_unconfirmed", model=row.model, snapshot=row.price.snapshot,
                     encoding=row.encoding))

    left, right = st.columns(2)
    left.plotly_chart(
        cost_split_chart(rows, view, t("chart_split_title"), t("chart_input"), t("chart_output"), t("chart_cost_axis")),
        key="chart_split",
    )
    volumes = growth_volumes(a.requests)
    right.plotly_chart(
        growth_chart(
            volumes, cost_at_volumes(rows, a, volumes, workload, catalog), view, t("chart_growth_title"),
            t("chart_requests_axis"), t("chart_cost_axis"),
        ),
        key="chart_growth",
    )

    groups = group_totals(sources)
    if any(g is not None for g in groups):
        st.subheader(t("estimate_groups"))
        # Group names are user text: st.dataframe shows them escaped (st.table would render Markdown).
        st.dataframe(group_table(groups, models, catalog, a, view), hide_index=True, width="stretch")

    st.subheader(t("estimate_downloads"))
    d1, d2, d3 = st.columns(3)
    d1.download_button(
        t("download_results_csv"), results_csv(rows), "estimate.csv", "text/csv", icon=":material/download:"
    )
    d2.download_button(
        t("download_results_json"), results_json(rows, workload, a), "estimate.json", "application/json",
        icon=":material/download:",
    )
    for i, (upload, source) in enumerate(zip(uploads, sources[-len(uploads):] if uploads else [])):
        if is_table(upload.name) and source.documents:
            d3.download_button(
                t("download_rows_csv", file=escape_markdown(upload.name)),
                lambda upload=upload, source=source: rows_csv(source, upload.data, upload.options, models, catalog, a),
                f"{upload.name.rsplit('.', 1)[0]}-costs.csv",
                "text/csv",
                icon=":material/table_view:",
                key=f"rows_{i}_{upload.digest}_{upload.name}"  # the same table may be uploaded twice,
            )


render()
