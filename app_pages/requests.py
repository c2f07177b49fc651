"""API requests: upload a chat/Batch JSONL or a JSON request (or paste a messages array) and price it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ingest import Problem
from ingest.requests import looks_like_requests
from pricing import Assumptions, NotPricedError, PricingError
from pricing.fine_tuning import lines_text
from pricing.requests import RequestReport
from pricing.tasks import request_file_assumptions
from tokenizers import EncodingUnavailableError
from ui.assumptions import tier_selector
from ui.catalog import app_catalog, catalog_key, chart_colors
from ui.charts import bound_chart
from ui.counts import content_digest
from pricing.currency import MoneyView
from ui.formatting import escape_markdown, format_money, format_tokens
from ui.guard import friendly_errors
from ui.i18n import current_language, failure_text, note_line, problem_text, t, where_text
from ui.request_results import (
    annotated_csv,
    card_view,
    fine_tuning_estimates,
    is_batch_file,
    is_training_file,
    priced_file,
    report_json,
)
from ui.request_tables import NONE, fine_tuning_table, model_table, request_table, too_long_table
from pricing.estimates import priceable, tokenizer_note, unconfirmed_tokenizer
from ui.settings import money_view, price_date, settings_from_state, widget_key
from ui.sidebar import sync_link
from ui.uploads import upload_digest

PASTED_NAME = "pasted-request.json"
PASTE_KEY = "s_requests_paste"
# Page choices that a share link carries (ui.settings.Settings, seeded from the link).
REPRICE_KEY = widget_key("req_reprice")
IMAGE_W_KEY, IMAGE_H_KEY = widget_key("req_image_w"), widget_key("req_image_h")
FT_DEFAULT_KEY, FT_EPOCHS_KEY = widget_key("req_ft_default_epochs"), widget_key("req_ft_epochs")


def read_source() -> tuple[str, bytes, str] | None:
    """The uploaded file (it wins) or the pasted request, as (name, bytes, sha256); None when there is neither."""
    tab_upload, tab_paste = st.tabs([t("requests_tab_upload"), t("requests_tab_paste")])
    with tab_upload:
        # Any type: the content decides, and a file that is not a request file gets the page's own
        # message (Streamlit's type filter would refuse it with an English tooltip).
        file = st.file_uploader(t("requests_upload"), key="requests_file", help=t("requests_upload_help"))
    with tab_paste:
        pasted = st.text_area(t("requests_paste_label"), key=PASTE_KEY, height=160,
                              placeholder=t("requests_paste_placeholder"))
    if file is not None:
        if pasted.strip():  # kept apart: one source at a time, and which one is said
            said, drop = st.columns([4, 1], vertical_alignment="center")
            said.info(t("requests_paste_set_aside"), icon=":material/call_split:")
            drop.button(t("requests_drop_paste"), key="drop_pasted_request", on_click=_drop_paste,
                        icon=":material/close:")
        return file.name, file.getvalue(), upload_digest(file)
    if pasted.strip():
        data = pasted.encode("utf-8")
        return PASTED_NAME, data, content_digest(data)
    return None


def _drop_paste() -> None:
    st.session_state[PASTE_KEY] = ""


def render_options(is_batch: bool) -> tuple[bool, str, tuple[int, int]]:
    """Draw the pricing options; returns (Batch API on, processing tier, assumed remote image size)."""
    with st.expander(t("requests_options"), expanded=True, icon=":material/tune:"):
        left, right = st.columns(2)
        left.toggle(t("requests_reprice"), key=REPRICE_KEY, help=t("requests_reprice_help"))
        left.number_input(t("requests_output_tokens"), key=widget_key("output_tokens"), min_value=0,
                          max_value=10_000_000, step=50, help=t("requests_output_tokens_help"))
        # The Estimate page's passes (one setting): the CLI's --runs on a request file.
        left.number_input(t("requests_runs"), key=widget_key("runs"), min_value=0, max_value=10**9, step=1,
                          help=t("requests_runs_help"))
        if is_batch:
            # A Batch API file is priced at Batch prices: the tier is shown, fixed.
            right.selectbox(t("tier_label"), ["batch"], format_func=lambda tier: t(f"tier_{tier}"), disabled=True,
                            key="requests_tier_forced", help=t("requests_batch_forced"))
            batch, tier = True, "batch"
        else:
            tier = tier_selector(right)
            batch = tier == "batch"
        right.slider(t("assume_cached_share"), key=widget_key("cached_share"), min_value=0.0, max_value=1.0,
                     step=0.05, help=t("assume_cached_share_help"))
        width, height = right.columns(2)
        width.number_input(t("requests_image_width"), key=IMAGE_W_KEY, min_value=1, max_value=100_000, step=64,
                           help=t("requests_image_help"))
        height.number_input(t("requests_image_height"), key=IMAGE_H_KEY, min_value=1, max_value=100_000, step=64,
                            help=t("requests_image_help"))
    return bool(batch), tier, (int(st.session_state[IMAGE_W_KEY]), int(st.session_state[IMAGE_H_KEY]))


def show_cards(report: RequestReport, view: MoneyView) -> None:
    figures, model = card_view(report)
    if model is not None:
        # Several models price the same requests: the cards describe one of them, never their sum.
        st.caption(t("requests_cards_model", model=model))
    cards = st.columns(5)
    cards[0].metric(t("metric_requests"), format_tokens(report.requests))
    cards[1].metric(t("metric_prompt_tokens"), format_tokens(figures.prompt_tokens),
                    help=t("metric_prompt_tokens_help"))
    cards[2].metric(t("metric_total_cost"), format_money(figures.total_cost, view), help=t("metric_total_cost_help"))
    bound = figures.max_total_cost
    cards[3].metric(t("metric_upper_bound"), NONE if bound is None else format_money(bound, view),
                    help=t("metric_upper_bound_none") if bound is None else t("metric_upper_bound_help"))
    cards[4].metric(t("metric_cache_estimate"), format_money(figures.total_cost_with_cache_estimate, view),
                    help=t("metric_cache_estimate_help", tokens=format_tokens(figures.cached_tokens_estimate)))


def show_model_table(report: RequestReport, view: MoneyView) -> None:
    totals = report.totals
    st.table(model_table(totals, view), hide_index=True)  # every cell is a catalog model id or a number
    for total in unconfirmed_tokenizer(totals):
        note = tokenizer_note(total.price)
        st.caption(t(note.code, **dict(note.params)))
    st.plotly_chart(
        bound_chart([x.model for x in totals], [x.total_cost for x in totals], [x.max_total_cost for x in totals],
                    view, t("chart_bound_title"), t("chart_sure"), t("chart_bound"), t("chart_cost_axis"),
                    chart_colors(), current_language()),
        key="chart_bound",
    )


def show_request_table(report: RequestReport, view: MoneyView) -> None:
    st.subheader(t("requests_per_request"))
    # custom_id is user text: st.dataframe shows it escaped.
    st.dataframe(request_table(report.rows, view), hide_index=True, width="stretch")


def show_problems(skipped: list[Problem], notes: list[Problem]) -> None:
    if skipped:
        st.warning(t("requests_skipped", count=len(skipped)), icon=":material/warning:")
        st.dataframe(
            pd.DataFrame({t("col_where"): [where_text(p) for p in skipped],
                          t("col_problem"): [problem_text(p) for p in skipped]}),
            hide_index=True, width="stretch",
        )
    for note in notes:
        st.text(note_line(note))  # st.text: the file name is not Markdown


def show_fine_tuning(name: str, data: bytes, digest: str, assumptions: Assumptions, image_size: tuple[int, int],
                     view: MoneyView) -> None:
    # Folded away unless the file looks like training data: a request file would otherwise open on
    # "N examples have no assistant reply".
    with st.expander(t("requests_ft_title"), expanded=is_training_file(digest, name, data),
                     icon=":material/model_training:"):
        show_fine_tuning_body(name, data, digest, assumptions, image_size, view)


def show_fine_tuning_body(name: str, data: bytes, digest: str, assumptions: Assumptions,
                          image_size: tuple[int, int], view: MoneyView) -> None:
    st.caption(t("requests_ft_intro"))
    left, right = st.columns(2)
    left.toggle(t("requests_ft_default_epochs"), key=FT_DEFAULT_KEY, help=t("requests_ft_default_epochs_help"))
    epochs = None
    if not st.session_state[FT_DEFAULT_KEY]:
        epochs = int(right.number_input(t("requests_ft_epochs"), key=FT_EPOCHS_KEY, min_value=1, max_value=100))
    estimates, failures = fine_tuning_estimates(digest, name, assumptions.as_of, epochs, image_size, catalog_key(), data,
                                                app_catalog())
    for failure in failures:
        st.warning(t(f"requests_ft_fail_{failure.code}", **failure.params), icon=":material/warning:")
    missing = estimates[0].no_assistant if estimates else []
    if missing:
        key = "look_ft_no_assistant_one" if len(missing) == 1 else "look_ft_no_assistant"
        st.warning(t(key, count=format_tokens(len(missing)), lines=lines_text(missing)), icon=":material/chat_error:")
    if not estimates or not estimates[0].examples:
        return  # nothing to train on: a table of zeros would read as a free job
    st.table(fine_tuning_table(estimates, view), hide_index=True)
    too_long = sum(len(e.too_long) for e in estimates)
    if too_long:
        st.warning(t("requests_ft_too_long", count=too_long), icon=":material/content_cut:")
        st.dataframe(too_long_table(estimates), hide_index=True, width="stretch")


def render() -> None:
    st.title(t("requests_title"))
    st.caption(t("requests_intro"))
    source = read_source()
    if source is None:
        st.info(t("requests_nothing_yet"), icon=":material/upload_file:")
        return
    name, data, digest = source
    if not data.strip():  # only an upload can be empty: a blank paste is no source
        st.error(t("uploads_requests_empty", file=escape_markdown(name)), icon=":material/error:")
        return
    if not looks_like_requests(data):
        if name == PASTED_NAME:
            st.error(t("requests_pasted_not_requests"), icon=":material/error:")
        else:
            st.error(t("requests_not_requests", file=escape_markdown(name)), icon=":material/error:")
        return
    priced_section(name, data, digest)


@st.fragment
def priced_section(name: str, data: bytes, digest: str) -> None:
    """The options and all that is priced from them, as one fragment: a change of the output,
    the tier, the image size or re-pricing reruns this section alone (the file is not read
    again, the sidebar not redrawn), and then the address bar and the share link (redrawn in
    place at the sidebar's foot)."""
    with friendly_errors():
        show_priced(name, data, digest)
    sync_link("requests", st.sidebar)


def show_priced(name: str, data: bytes, digest: str) -> None:
    catalog = app_catalog()
    batch, tier, image_size = render_options(is_batch_file(digest, name, data))

    settings = settings_from_state()
    view = money_view(settings)
    assumptions = request_file_assumptions(reply_tokens=settings.output_tokens, passes=settings.runs,
                                           tier="batch" if batch else tier, cached_share=settings.cached_share,
                                           as_of=price_date(settings))
    # The sidebar's models: every request's models when re-pricing, else those of a request naming none.
    sidebar_models, failures = priceable(settings.models, catalog, assumptions)
    for failure in failures:
        st.warning(failure_text(failure), icon=":material/warning:")
    repriced = bool(st.session_state[REPRICE_KEY])
    if repriced and not sidebar_models:
        return
    try:
        report = priced_file(digest, name, tuple(sidebar_models) if repriced else (), tuple(sidebar_models), assumptions,
                             image_size, catalog_key(), data, catalog)
    except NotPricedError:  # a model named in the file (the sidebar's were checked above)
        st.error(t("requests_fail_not_priced", date=assumptions.as_of.isoformat()), icon=":material/error:")
        return
    except EncodingUnavailableError:  # a model named in the file uses an encoding not counted offline
        st.error(t("requests_fail_not_counted"), icon=":material/error:")
        return
    except PricingError:  # a model named in the file has no price on the chosen Flex / Priority tier
        st.error(t("requests_fail_no_tier", tier=t(f"tier_{assumptions.tier}")), icon=":material/error:")
        return
    show_problems(report.skipped, report.notes)
    if not report.rows:
        st.info(t("requests_none_read"), icon=":material/info:")
        return

    st.subheader(t("requests_results"))
    st.caption(t(f"requests_form_{report.form}") + (" · " + t("requests_batch_on") if report.batch else "")
               + " · " + t("requests_priced_on", date=assumptions.as_of.isoformat()))
    st.caption(t("requests_output_assumed", tokens=format_tokens(assumptions.output_tokens_per_request)))
    show_cards(report, view)
    show_model_table(report, view)
    show_request_table(report, view)

    st.subheader(t("requests_downloads"))
    left, right = st.columns(2)
    stem = name.rsplit(".", 1)[0]
    # Built only when clicked: a large file's CSV would otherwise be rebuilt on every rerun.
    left.download_button(t("download_requests_csv"), lambda: annotated_csv(report), f"{stem}-costs.csv", "text/csv",
                         icon=":material/download:", key="requests_csv")
    right.download_button(t("download_requests_json"), lambda: report_json(report, assumptions, image_size),
                          f"{stem}-costs.json", "application/json", icon=":material/download:", key="requests_json")
    show_fine_tuning(name, data, digest, assumptions, image_size, view)


render()
