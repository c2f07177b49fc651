"""Estimate: paste text or upload files, say what you are pricing, see what it costs and what
GPT-4o's tokenizer saves on it. The answers are the core's (``pricing.estimates``)."""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from ingest.languages import FULL_DOCUMENTS, LANGUAGE_DETECTOR, language_name
from ingest.requests import looks_like_requests
from pricing.currency import MoneyView
from pricing.estimates import (
    Estimate,
    build_estimate,
    cheapest,
    cost_at_volumes,
    dominant_language,
    growth_volumes,
    request_thresholds,
    row_cells,
    row_cost_lines,
    saving_against,
    totals_of_sources,
    tokenizer_note,
    unconfirmed_tokenizer,
)
from pricing.export import CsvLines, csv_bytes_joined, csv_lines, json_bytes
from pricing.reports import estimate_context, estimate_report, results_csv
from pricing.tasks import task_models
from pricing.vendors import cheapest_per_vendor
from ui.assumptions import assumptions_from, passes_text, plan_caption, plan_from, render_workload_inputs
from ui.catalog import app_catalog, catalog_key, chart_colors, countable_ids
from ui.charts import cost_split_chart, growth_chart
from ui.count_labels import tokens_metric_help, tokens_metric_label
from ui.counts import CountedSource, counted, counted_text, needed_tokenizers
from ui.formatting import (
    escape_markdown,
    format_money,
    format_rate,
    format_share,
    format_tokens,
    rate_caption_key,
)
from ui.guard import friendly_errors
from ui.i18n import current_language, failure_text, note_line, problem_text, t, where_text
from ui.settings import MAX_MODELS, SHARE_TEXT_TICK_KEY, SHARED_TEXT_KEY, money_view, settings_from_state, widget_key
from ui.sidebar import sync_link
from ui.tables import breakdown_table, cost_table
from ui.tokenizer_files import offer_tokenizer_files
from ui.uploads import UPLOAD_TYPES, Upload, is_table, read_uploads, show_detected


# A per-row CSV of up to this many rows is made with the page; a bigger one when asked for. Made
# at once, the file of a 5 MB CSV (10,848 rows: read again, priced, written) was a third of the
# server's CPU for the upload (bench/load.py).
EAGER_ROWS = 5_000
# The result cards (documents, each tokenizer's tokens, requests priced) are laid out this many a row.
CARDS_PER_ROW = 4


def show_problems(sources: list[CountedSource]) -> None:
    skipped = [p for s in sources for p in s.skipped]
    # How a file was decoded and which column was counted are shown under its own boxes.
    notes = [p for s in sources for p in s.notes if p.code not in ("encoding_used", "column_chosen", "json_field")]
    if skipped:
        st.warning(t("estimate_skipped", count=len(skipped)), icon=":material/warning:")
        st.dataframe(
            pd.DataFrame(
                {t("col_where"): [where_text(p) for p in skipped], t("col_problem"): [problem_text(p) for p in skipped]}
            ),
            hide_index=True,
            width="stretch",
        )
    for note in notes:
        st.text(note_line(note))  # st.text: the file name is not Markdown


def show_json_field(source: CountedSource) -> None:
    """Which JSON field of a JSON/JSONL upload was counted, as a table names its column."""
    if source.info is not None and source.info.json_field:
        fields = source.info.json_field.split(", ")
        key = "uploads_counting_field" if len(fields) == 1 else "uploads_counting_fields"
        st.caption(t(key, field=escape_markdown("”, “".join(fields))))


def read_input() -> tuple[list[Upload], list[CountedSource], bool]:
    """The input section: pasted text and uploads, counted. Returns the uploads, the counted
    sources (pasted text first) and whether there is no upload (pasted text alone, or nothing)."""
    tab_text, tab_files = st.tabs([t("estimate_tab_text"), t("estimate_tab_files")])
    with tab_text:
        text = st.text_area(
            t("estimate_text_label"), key=SHARED_TEXT_KEY, height=180, placeholder=t("estimate_text_placeholder")
        )
        st.checkbox(t("estimate_share_text"), key=SHARE_TEXT_TICK_KEY, help=t("estimate_share_text_help"))
    with tab_files:
        files = st.file_uploader(
            t("estimate_upload"), type=UPLOAD_TYPES, accept_multiple_files=True, key="estimate_files",
            help=t("estimate_upload_help"),
        )
        uploads = read_uploads(files, "estimate")
    if text and uploads:
        # Both are counted, and that is said, with a way to drop the paste (an upload has its own ×).
        said, drop = st.columns([4, 1], vertical_alignment="center")
        key = "estimate_counted_together_one" if len(uploads) == 1 else "estimate_counted_together"
        said.info(t(key, files=len(uploads)), icon=":material/join:")
        drop.button(t("estimate_drop_text"), key="drop_pasted_text", on_click=_drop_text, icon=":material/close:")
    # Counted on the tokenizers the chosen models need (and o200k/cl100k for the saving).
    encodings = needed_tokenizers(settings_from_state())
    offer_tokenizer_files(encodings)  # before counting: a model file given now counts in this run
    sources: list[CountedSource] = [counted_text(text, encodings)] if text else []
    for upload in uploads:
        sources.append(counted(upload.name, upload.data, upload.options, upload.digest, encodings))
        show_detected(upload, sources[-1].notes)
        show_json_field(sources[-1])
        if looks_like_requests(upload.data):
            show_request_file_hint(upload.name)
    # No upload: pasted text (or nothing yet) is a typical request of some traffic.
    return uploads, sources, not uploads


def show_request_file_hint(name: str) -> None:
    """Say that upload ``name`` is an API request file (chat, Batch or fine-tuning), which this page
    reads as plain text, and link the page that prices it as the API counts it."""
    st.info(t("estimate_request_file", file=escape_markdown(name)), icon=":material/data_object:")
    st.page_link("app_pages/requests.py", label=t("estimate_request_file_link"), icon=":material/arrow_forward:")


def _drop_text() -> None:
    st.session_state[SHARED_TEXT_KEY] = ""


def show_results(est: Estimate, view: MoneyView) -> None:
    """Cards (documents, tokens, requests, cheapest), the per-request/run cards, the cost table."""
    workload, rows = est.totals.workload, est.rows
    metrics = [(t("metric_documents"), format_tokens(workload.documents), None),
               *((tokens_metric_label(name), format_tokens(tokens), tokens_metric_help(name))
                 for name, tokens in workload.tokens.items()),
               (t("metric_requests_priced"), format_tokens(est.requests), None)]
    # At most four cards a row: with seven tokenizers in one row, labels and values were cut
    # ("Tokens (o2…", "Requests priced 250,…") even at 1400 px.
    for start in range(0, len(metrics), CARDS_PER_ROW):
        for card, (label, value, help_text) in zip(st.columns(CARDS_PER_ROW), metrics[start:start + CARDS_PER_ROW]):
            card.metric(label, value, help=help_text)
    st.caption(plan_caption(est.plan, workload.documents, est.requests, est.assumptions.tier))
    best = cheapest(rows)
    if best is None:
        return
    if est.requests == 0:
        # Every model costs $0.00 for no requests: naming one "cheapest" (and a "$0.00 –" saving)
        # would be an answer to no question.
        label = t("assume_requests") if est.assumptions.traffic else t("workload_runs")
        st.info(t("estimate_no_requests", label=label), icon=":material/info:")
        return
    per = st.columns(4)
    per[0].metric(t("metric_cheapest"), best.model, help=format_money(best.total_cost, view))
    # The total of what was asked first (every pass, or the month), the per-pass figure beside it.
    if est.assumptions.traffic:
        per[1].metric(t("metric_per_month", model=best.model), format_money(best.total_cost, view))
    else:
        per[1].metric(t("metric_total_passes", model=best.model, passes=passes_text(est.assumptions.requests)),
                      format_money(best.total_cost, view))
    per_run = est.cost_per_run(best)
    if per_run is not None:
        per[2].metric(t("metric_per_run", model=best.model), format_money(per_run, view))
    per_request = est.cost_per_request(best)
    if per_request is not None:
        per[3].metric(t("metric_per_request", model=best.model), format_money(per_request, view))
    if view.currency == "CNY":
        st.caption(t(rate_caption_key(view), rate=format_rate(view)))
    show_saving_card(rows, best, view, unpriced=[f.model for f in est.failures])
    # A static table (readable and copyable); every cell is a catalog model id or a number.
    st.table(cost_table(rows, view), hide_index=True)
    assumptions = est.assumptions
    note = "estimate_table_note_traffic" if assumptions.traffic else "estimate_table_note_corpus"
    st.caption(t(note, requests=format_tokens(est.requests), passes=passes_text(assumptions.requests),
                 date=assumptions.as_of.isoformat()))
    if est.plan.task == "embed":
        st.caption(t("estimate_embed_models"))
    for row in unconfirmed_tokenizer(rows):
        note = tokenizer_note(row.price)
        st.caption(t(note.code, **dict(note.params)))


def show_saving_card(rows, best, view: MoneyView, unpriced: list[str] = ()) -> None:
    """What the cheapest model saves against a baseline the user picks; with one model there is
    nothing to compare, and that is said instead of a "$0.00 vs itself" card: when other chosen
    models could not be priced with these settings (no Batch price, say), that is the reason given,
    not "choose two or more models"."""
    models = [r.model for r in rows]
    if len(models) < 2:
        if unpriced:
            st.caption(t("look_saving_others_unpriced", model=best.model, others=", ".join(unpriced)))
        else:
            st.caption(t("look_saving_one_model", model=best.model))
        return
    baseline_key = widget_key("baseline")
    if st.session_state.get(baseline_key) not in models:
        st.session_state[baseline_key] = max(rows, key=lambda r: r.total_cost).model
    base_col, saving_col = st.columns(2)
    baseline = base_col.selectbox(t("estimate_baseline"), models, key=baseline_key, help=t("estimate_baseline_help"))
    if baseline == best.model:
        saving_col.caption(t("look_saving_baseline_is_cheapest", model=best.model))
        return
    saving, share = saving_against(rows, baseline, best.model)
    # A saving is good news: green, and no arrow (an up arrow reads as a cost going up).
    saving_col.metric(t("metric_saving", model=best.model, baseline=baseline), format_money(saving, view),
                      format_share(share), delta_color="normal", delta_arrow="off")


def show_charts(est: Estimate, view: MoneyView) -> None:
    left, right = st.columns(2)
    colors, language = chart_colors(), current_language()
    left.plotly_chart(
        cost_split_chart(est.rows, view, t("chart_split_title"), t("chart_input"), t("chart_output"),
                         t("chart_cost_axis"), colors, language),
        key="chart_split",
    )
    assumptions = est.assumptions
    volumes = growth_volumes(assumptions.requests)
    title, axis = ("chart_growth_title", "chart_requests_axis") if assumptions.traffic else (
        "chart_growth_title_corpus", "chart_passes_axis")
    right.plotly_chart(
        growth_chart(volumes, cost_at_volumes(est.rows, assumptions, volumes, est.totals.workload, app_catalog()), view,
                     t(title), t(axis), t("chart_cost_axis"), colors, language),
        key="chart_growth",
    )


def show_tokenizer_saving(est: Estimate, view: MoneyView, choices: list[str]) -> None:
    """How many fewer tokens o200k_base needs here, and the pair's saving split in two."""
    st.subheader(t("saving_header"))
    counts = est.encoding_saving
    share = counts.token_saving_share
    old, new = (counts.tokens[e] for e in ("cl100k_base", "o200k_base"))
    if old == new:
        st.markdown(f"**{t('saving_same_tokens', tokens=format_tokens(new))}**")
    else:
        key = "saving_fewer_tokens" if share is None or share >= 0 else "saving_more_tokens"
        st.markdown(f"**{t(key, share=format_share(abs(share) if share is not None else None))}**")
        ratio = f"{counts.ratio:.2f}" if counts.ratio else "–"
        st.caption(t("saving_tokens_detail", new=format_tokens(new), old=format_tokens(old), ratio=ratio))
    if est.plan.task == "embed":
        st.caption(t("saving_embed"))
        return
    left, right = st.columns(2)
    left.selectbox(t("saving_from"), choices, key=widget_key("pair_from"))
    right.selectbox(t("saving_to"), choices, key=widget_key("pair_to"))
    s = est.pair_saving
    if s is None:
        reason = f" {failure_text(est.pair_failure)}" if est.pair_failure is not None else ""
        st.info(t("saving_not_priced", old=est.pair[0], new=est.pair[1], date=est.assumptions.as_of.isoformat()) + reason)
        return
    if est.pair_asked is not None:
        reason = f" {failure_text(est.pair_failure)}" if est.pair_failure is not None else ""
        st.info(t("saving_pair_substituted", old=est.pair_asked[0], new=est.pair_asked[1], used_old=s.from_model,
                  used_new=s.to_model, date=est.assumptions.as_of.isoformat()) + reason, icon=":material/swap_horiz:")
    if s.from_shutdown is not None:
        st.caption(t("saving_from_retired", old=s.from_model, shutdown=s.from_shutdown.isoformat()))
    cards = st.columns(4)
    cards[0].metric(t("saving_total", old=s.from_model, new=s.to_model), format_money(s.saving, view),
                    format_share(s.saving / s.from_cost if s.from_cost else None), delta_color="normal",
                    delta_arrow="off")  # a saving green, a dearer move (negative) red; never an arrow
    cards[1].metric(t("saving_tokenizer"), format_money(-s.tokenizer_effect, view),
                    help=t("saving_tokenizer_help", old=s.from_model, new=s.to_model))
    cards[2].metric(t("saving_prices"), format_money(-s.price_effect, view),
                    help=t("saving_prices_help", old=s.from_model, new=s.to_model))
    cards[3].metric(t("saving_input"), format_money(s.input_saving, view))
    st.caption(t("saving_input_detail", old_cost=format_money(s.from_input_cost, view),
                 new_cost=format_money(s.to_input_cost, view), old_tokens=format_tokens(s.from_tokens),
                 new_tokens=format_tokens(s.to_tokens)))


def show_breakdowns(est: Estimate, view: MoneyView) -> None:
    """Per group (a column the user chose) and per detected language."""
    catalog, models, assumptions = app_catalog(), [r.model for r in est.rows], est.assumptions
    groups = est.totals.groups
    if any(g is not None for g in groups):
        st.subheader(t("estimate_groups"))
        names = {g: t("estimate_no_group") if g is None else g for g in groups}
        # Group names are user text: st.dataframe shows them escaped (st.table would render Markdown).
        st.caption(t("estimate_breakdown_pair", old=est.pair[0], new=est.pair[1]))
        st.dataframe(breakdown_table(groups, names, models, catalog, assumptions, view, est.savings_by(groups, catalog),
                                     est.pair, t("col_group")), hide_index=True, width="stretch")
    languages = est.totals.languages
    ui_language = current_language()
    names = {code: language_name(code, ui_language) for code in languages}
    if est.totals.workload.documents == 1 and len(languages) == 1:
        st.caption(t("estimate_language_detected", name=next(iter(names.values()))))
        return
    if languages:
        st.subheader(t("estimate_languages"))
        st.caption(t("estimate_languages_caption", detector=LANGUAGE_DETECTOR, old=est.pair[0], new=est.pair[1]))
        if est.totals.languages_detected < est.totals.workload.documents:
            st.caption(t("estimate_languages_sampled", detected=f"{est.totals.languages_detected:,}",
                         documents=f"{est.totals.workload.documents:,}", full=f"{FULL_DOCUMENTS:,}",
                         half=f"{FULL_DOCUMENTS // 2:,}"))
        st.dataframe(breakdown_table(languages, names, models, catalog, assumptions, view, est.savings_by(languages, catalog),
                                     est.pair, t("col_language")), hide_index=True, width="stretch")


def show_downloads(est: Estimate, uploads: list[Upload], sources: list[CountedSource]) -> None:
    catalog, models, assumptions = app_catalog(), [r.model for r in est.rows], est.assumptions
    st.subheader(t("estimate_downloads"))
    d1, d2, d3 = st.columns(3)
    d1.download_button(t("download_results_csv"), results_csv(est.rows, estimate_context(est)), "estimate.csv", "text/csv",
                       icon=":material/download:")
    d2.download_button(t("download_results_json"), json_bytes(estimate_report(est, catalog, by_language=True)),
                       "estimate.json", "application/json", icon=":material/download:")
    for i, (upload, source) in enumerate(zip(uploads, sources[-len(uploads):] if uploads else [])):
        if not (is_table(upload.name) and source.documents):
            continue
        key = (upload.digest, upload.name, dataclasses.astuple(upload.options), tuple(models), assumptions, catalog_key())
        label = t("download_rows_csv", file=escape_markdown(upload.name))
        # The file is made with the page it belongs to (a deferred file can vanish in a rerun):
        # at once for a table of up to EAGER_ROWS rows, on request for a bigger one.
        if source.documents > EAGER_ROWS and st.session_state.get(f"rows_ready_{i}") != key:
            if d3.button(t("download_rows_prepare", file=escape_markdown(upload.name), rows=format_tokens(source.documents)),
                         key=f"rows_prepare_{i}_{upload.digest}_{upload.name}", icon=":material/table_view:"):
                st.session_state[f"rows_ready_{i}"] = key
                st.rerun()
            continue
        data = _rows_csv(i, key, source, upload.data, upload.options, tuple(models), assumptions)
        d3.download_button(label, data, f"{upload.name.rsplit('.', 1)[0]}-costs.csv", "text/csv",
                           icon=":material/table_view:", key=f"rows_{i}_{upload.digest}_{upload.name}")


def _rows_csv(slot: int, key: tuple, source: CountedSource, data: bytes, options, models: tuple[str, ...],
              assumptions) -> bytes:
    # Kept in the session, one file per upload slot, keyed by ``key`` (content hash, name, read
    # options, models, assumptions, catalog): a rerun that changes none of them hands back the same
    # bytes at once (the download button holds them for the session anyway), and they go with the
    # session. A cache shared by every session kept its last 8 files (43 MB of 5 MB uploads) for 10
    # minutes after their sessions had closed (bench/server_memory_probe.py). One that changes them
    # prices the rows again beside the user's columns, written once per upload (``_row_lines``).
    made = st.session_state.get(f"_rows_csv_{slot}")
    if made is None or made[0] != key:
        left = _row_lines(slot, key[:3], source, data, options)
        made = (key, csv_bytes_joined(left, row_cost_lines(source, list(models), app_catalog(), assumptions)))
        st.session_state[f"_rows_csv_{slot}"] = made
    return made[1]


def _row_lines(slot: int, key: tuple, source: CountedSource, data: bytes, options) -> CsvLines:
    # The user's columns, places, languages and counts as CSV lines, in the session by upload slot
    # and ``key`` (content hash, name, read options): no setting changes them, so a change of the
    # volume or the output does not read the upload again.
    made = st.session_state.get(f"_row_lines_{slot}")
    if made is None or made[0] != key:
        made = (key, csv_lines(*row_cells(source, data, options)))
        st.session_state[f"_row_lines_{slot}"] = made
    return made[1]


def show_long_context(rows) -> None:
    """A caption for each model whose long requests paid the long-context surcharge."""
    for row in rows:
        rule = row.price.period.long_context
        if row.long_context_requests and rule is not None:
            st.caption(t("tier_long_context", model=row.model, requests=f"{row.long_context_requests:,}",
                         threshold=f"{rule.threshold_tokens:,}", input=f"{rule.input_multiplier.normalize():f}",
                         output=f"{rule.output_multiplier.normalize():f}"))


def show_vendor_rules(rows) -> None:
    """A caption per model saying, in words, which of its vendor's rules priced its row (a row
    priced at the listed rates alone says nothing)."""
    for row in rows:
        rules = [r for r in row.rules if r.code != "rule_standard"]
        if rules:
            words = "; ".join(t(r.code, **dict(r.params)) for r in rules)
            st.caption(escape_markdown(t("estimate_rules_row", model=row.model, rules=words)))


def show_cheapest_each_vendor(est: Estimate) -> None:
    """A button that puts the cheapest current model of each vendor for this input in the sidebar."""
    if st.button(t("estimate_cheapest_each_vendor"), key="estimate_cheapest_each_vendor",
                 help=t("estimate_cheapest_each_vendor_help"), icon=":material/savings:", on_click=_pick_cheapest,
                 args=(est.totals.workload, est.assumptions)):
        st.rerun()  # the whole app: the sidebar shows the new models


def _pick_cheapest(workload, assumptions) -> None:
    catalog = app_catalog()
    countable = set(countable_ids(catalog))
    picked = [m for m in cheapest_per_vendor(catalog, workload, assumptions).values() if m in countable]
    if picked:
        st.session_state[widget_key("models")] = picked[:MAX_MODELS]


def show_context_window(rows) -> None:
    """A warning for each model with requests the API would refuse (input over its context window)."""
    for row in rows:
        over = row.over_context_window
        if over is None:
            continue
        params = {"model": row.model, "window": format_tokens(over.context_window), "tokens": format_tokens(over.tokens)}
        if over.documents is None:
            text = t("window_over_traffic", **params)
        elif over.documents == 1:
            text = t("window_over_documents_one", **params)
        else:
            text = t("window_over_documents_other", documents=format_tokens(over.documents),
                     requests=format_tokens(over.requests), **params)
        st.warning(text, icon=":material/block:")


def render() -> None:
    st.title(t("estimate_title"))
    st.caption(t("estimate_intro"))
    uploads, sources, pasted_only = read_input()
    priced_section(uploads, sources, pasted_only)


@st.fragment
def priced_section(uploads: list[Upload], sources: list[CountedSource], pasted_only: bool) -> None:
    """The assumptions and all that is priced from them, as one fragment: a change of the volume,
    the output, the tier, the baseline or the pair reruns this section alone (the input above
    is not read or counted again, the sidebar not redrawn), and then the address bar and the
    share link (at the sidebar's foot, redrawn in place)."""
    with friendly_errors():
        show_priced(uploads, sources, pasted_only)
    sync_link("estimate", st.sidebar)


def show_priced(uploads: list[Upload], sources: list[CountedSource], pasted_only: bool) -> None:
    catalog = app_catalog()
    with st.expander(t("estimate_assumptions"), expanded=True, icon=":material/tune:"):
        render_workload_inputs(pasted_only)
    show_problems(sources)
    totals = totals_of_sources(sources, request_thresholds(catalog))
    if totals.workload.documents == 0:
        if not uploads:
            st.info(t("estimate_nothing_yet"), icon=":material/edit_note:")
        elif any(s.skipped for s in sources):  # the skipped table above says why
            st.info(t("uploads_nothing_read_skipped"), icon=":material/info:")
        else:
            st.info(t("uploads_nothing_read"), icon=":material/info:")
        return
    settings = settings_from_state()
    view = money_view(settings)
    plan = plan_from(settings, pasted_only, dominant_language(totals.languages))
    assumptions = assumptions_from(settings, plan)
    models = task_models(plan.task, settings.models)
    est = build_estimate(totals, models, catalog, plan, assumptions, pair=(settings.pair_from, settings.pair_to))
    for failure in est.failures:
        st.warning(failure_text(failure), icon=":material/warning:")
    st.subheader(t("estimate_results"))
    show_results(est, view)
    show_long_context(est.rows)
    show_vendor_rules(est.rows)
    show_context_window(est.rows)
    if not est.rows:
        return
    show_cheapest_each_vendor(est)
    show_tokenizer_saving(est, view, countable_ids(catalog))
    show_charts(est, view)
    show_breakdowns(est, view)
    show_downloads(est, uploads, sources)


render()
