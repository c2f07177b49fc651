"""Languages: the same text's tokens per language on cl100k_base and o200k_base, what GPT-4o's
tokenizer saves (split from what its prices save), and a side-by-side view of the tokens."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ingest.languages import language_name
from pricing import Assumptions, NotPricedError, PricingError, UnknownModelError
from pricing.estimates import CorpusTotals, Estimate, build_estimate, dominant_language, request_thresholds, \
    totals_of_sources
from pricing.languages import (
    COMPARED_ENCODINGS,
    GroupCount,
    GroupSaving,
    Sample,
    compare_groups,
    count_groups,
    from_workload,
    load_samples,
    matching_code,
    total,
)
from tokenizers.views import TokenView, token_view, viewable_tokenizers
from ui.assumptions import assumptions_from, plan_caption, plan_from, render_workload_inputs
from ui.catalog import app_catalog, countable_ids
from ui.links import ALL_GROUPS
from ui.counts import CountedSource, counted, counted_text, needed_tokenizers
from ui.charts import money_axis, style, tax_chart, value_axis
from ui.colors import ENCODING_COLORS, INCREASE_RED, SAVING_GREEN, TOTAL_GREY, tokenizer_colors
from pricing.currency import MoneyView
from ui.formatting import escape_markdown, format_money, format_share, format_tokens
from ui.guard import friendly_errors
from ui.i18n import current_language, failure_text, problem_text, t
from pricing.tokenizer_tax import (
    ENGLISH,
    corpus_tax,
    mean_tax,
    models_by_tokenizer,
    samples_tax,
    tax_tokenizers,
    tax_costs,
)
from ui.settings import SHARE_TEXT_TICK_KEY, SHARED_TEXT_KEY, money_view, settings_from_state, widget_key
from ui.sidebar import sync_link
from ui.uploads import UPLOAD_TYPES, read_uploads, show_detected

#: The languages the tax chart shows until the user's text brings its own.
DEFAULT_TAX_LANGUAGES = ("zh-Hans", "hi", "ja", "ar", "es")
VIEW_LIMIT = 1000  # tokens per side of the token view
VIEW_MAX_CHARS = 20_000
# Pale, distinct backgrounds so neighbouring tokens are told apart; text stays dark.
TOKEN_COLORS = ("#fde68a", "#bfdbfe", "#bbf7d0", "#fbcfe8", "#ddd6fe", "#fed7aa")




@st.cache_data(show_spinner=False)
def sample_counts() -> tuple[list[Sample], list[GroupCount]]:
    samples = load_samples()
    return samples, count_groups((s.code, s.text) for s in samples)


def token_html(view: TokenView, show_ids: bool) -> str:
    """The tokens of ``view`` as coloured spans; every piece of text is HTML-escaped."""
    spans = []
    for i, piece in enumerate(view.pieces):
        border = "border-bottom:2px dotted #b45309;" if piece.partial else ""
        sub = f"<sub style='color:#6b7280'>{piece.id}</sub>" if show_ids else ""
        spans.append(
            f"<span class='tok' title='{piece.id}' style='background:{TOKEN_COLORS[i % len(TOKEN_COLORS)]};"
            f"color:#111827;border-radius:3px;padding:0 1px;{border}'>{html.escape(piece.text)}{sub}</span>"
        )
    return (
        "<div style='white-space:pre-wrap;word-break:break-word;font-family:monospace;line-height:1.9'>"
        + "".join(spans)
        + "</div>"
    )


def saving_rows(counts: list[GroupCount], pair: tuple[str, str], assumptions: Assumptions) -> list[GroupSaving] | None:
    """Each group's saving on ``pair``; None (after a translated warning) when it cannot be priced."""
    try:
        return compare_groups(counts, *pair, app_catalog(), assumptions)
    except (UnknownModelError, NotPricedError):
        st.warning(t("lang_not_priced", old=pair[0], new=pair[1], date=assumptions.as_of.isoformat()), icon=":material/warning:")
    except PricingError:
        st.warning(t("lang_no_batch"), icon=":material/warning:")
    return None


def comparison_table(rows: list[GroupSaving], names: dict[str, str], pair: tuple[str, str], view: MoneyView,
                     scripts: dict[str, str] | None = None, by_language: bool = False) -> pd.DataFrame:
    """The groups' table; its first column is "Language" for the samples (``scripts``) and for a
    corpus grouped by detected language (``by_language``), else "Group"."""
    old, new = pair
    first = "lang_col_language" if scripts or by_language else "lang_col_group"
    table: dict[str, list] = {t(first): [names[r.counts.group] for r in rows]}
    if scripts:
        table[t("lang_col_script")] = [scripts[r.counts.group] for r in rows]
        table[t("lang_col_characters")] = [r.counts.characters for r in rows]
    else:
        table[t("lang_col_documents")] = [r.counts.documents for r in rows]
    for enc in COMPARED_ENCODINGS:
        table[t("lang_col_tokens", encoding=enc)] = [r.counts.tokens[enc] for r in rows]
    table[t("lang_col_ratio")] = [f"{r.counts.ratio:.2f}×" if r.counts.ratio else "–" for r in rows]
    table[t("lang_col_fewer_tokens")] = [format_share(r.counts.token_saving_share) for r in rows]
    table[t("lang_col_cost", model=old)] = [format_money(r.saving.from_cost, view) for r in rows]
    table[t("lang_col_cost", model=new)] = [format_money(r.saving.to_cost, view) for r in rows]
    table[t("lang_col_tokenizer_effect")] = [format_money(r.saving.tokenizer_effect, view) for r in rows]
    table[t("lang_col_price_effect")] = [format_money(r.saving.price_effect, view) for r in rows]
    table[t("lang_col_saving")] = [format_money(r.money_saved, view) for r in rows]
    table[t("lang_col_saving_share")] = [format_share(r.money_saving_share) for r in rows]
    return pd.DataFrame(table)


def tokens_chart(counts: list[GroupCount], names: dict[str, str]) -> go.Figure:
    fig = go.Figure()
    for enc in COMPARED_ENCODINGS:
        # Plotly reads a few HTML tags in labels; group names can be user text, so they are escaped.
        fig.add_bar(name=enc, x=[html.escape(names[c.group]) for c in counts], y=[c.tokens[enc] for c in counts],
                    marker_color=ENCODING_COLORS.get(enc))
    fig.update_layout(barmode="group")
    # Every language labelled (plotly skips every other category label when they are crowded,
    # as on a phone); the labels turn to fit instead.
    fig.update_xaxes(tickmode="linear", dtick=1)
    value_axis(fig, [c.tokens[e] for c in counts for e in COMPARED_ENCODINGS])
    return style(fig, t("lang_chart_tokens"), "", t("lang_axis_tokens"), current_language(), height=380)


def waterfall(row: GroupSaving, pair: tuple[str, str], view: MoneyView) -> go.Figure:
    """Old model's cost -> tokenizer effect -> price effect -> new model's cost; what lowers the
    cost (a saving) is green, what raises it red."""
    s = row.saving
    values = [s.from_cost, s.tokenizer_effect, s.price_effect, s.to_cost]
    levels = [s.from_cost, s.from_cost + s.tokenizer_effect, s.from_cost + s.tokenizer_effect + s.price_effect, s.to_cost]
    fig = go.Figure(
        go.Waterfall(
            measure=["absolute", "relative", "relative", "total"],
            x=[t("lang_wf_old", model=pair[0]), t("lang_wf_tokenizer"), t("lang_wf_price"),
               t("lang_wf_new", model=pair[1])],
            y=[float(view.convert(v)) for v in values],
            text=[format_money(v, view) for v in values],
            textposition="outside",
            cliponaxis=False,
            decreasing=dict(marker=dict(color=SAVING_GREEN)),
            increasing=dict(marker=dict(color=INCREASE_RED)),
            totals=dict(marker=dict(color=TOTAL_GREY)),
        )
    )
    fig.update_layout(showlegend=False)
    money_axis(fig, view, [float(view.convert(v)) for v in levels])
    return style(fig, t("lang_chart_waterfall"), "", t("lang_axis_cost"), current_language())


def show_comparison(counts: list[GroupCount], names: dict[str, str], pair: tuple[str, str], assumptions: Assumptions,
                    view: MoneyView, key: str, scripts: dict[str, str] | None = None,
                    choice_key: str | None = None, by_language: bool = False) -> None:
    """The table, the tokens chart and the waterfall of one group (or of all together).

    ``choice_key``: the waterfall's choice is a share-link setting under this key, its options
    the group keys themselves (the samples' codes); else the groups (user text, named anything)
    are offered by position.
    """
    rows = saving_rows(counts, pair, assumptions)
    if rows is None:
        return
    st.dataframe(comparison_table(rows, names, pair, view, scripts, by_language), hide_index=True, width="stretch",
                 key=f"{key}_table")
    left, right = st.columns(2)
    left.plotly_chart(tokens_chart(counts, names), key=f"{key}_tokens_chart")
    everything = total(counts, "")
    (whole,) = compare_groups([everything], *pair, app_catalog(), assumptions)
    # ALL_GROUPS stands for all groups together (a selectbox shows a None option as "Choose an
    # option", so None is not one).
    group_of = {c.group if choice_key else str(i): c.group for i, c in enumerate(counts)}
    options = [ALL_GROUPS, *group_of] if len(counts) > 1 else list(group_of)
    labels = {ALL_GROUPS: t("lang_all_groups"), **{o: names[g] for o, g in group_of.items()}}
    widget = choice_key or f"{key}_wf_group"
    if st.session_state.get(widget, options[0]) not in options:
        st.session_state[widget] = options[0]  # the groups changed under a kept choice
    chosen = right.selectbox(t("lang_waterfall_for"), options, format_func=labels.__getitem__, key=widget)
    row = whole if chosen == ALL_GROUPS else next(r for r in rows if r.counts.group == group_of[chosen])
    right.plotly_chart(waterfall(row, pair, view), key=f"{key}_waterfall")


def user_sources() -> tuple[list[CountedSource], bool]:
    """The user's pasted text and uploads, counted (pasted text first), and whether there is an
    upload (the question then is the corpus; pasted text alone is traffic, as on Estimate)."""
    tab_text, tab_files = st.tabs([t("lang_tab_text"), t("lang_tab_files")])
    sources = []
    with tab_text:
        text = st.text_area(t("lang_text_label"), key=SHARED_TEXT_KEY, height=140, placeholder=t("lang_text_placeholder"))
        # As on the Estimate page: the text goes into the share link only when the person asks.
        st.checkbox(t("estimate_share_text"), key=SHARE_TEXT_TICK_KEY, help=t("estimate_share_text_help"))
        if text:
            sources.append(counted_text(text, needed_tokenizers(settings_from_state())))
    with tab_files:
        files = st.file_uploader(t("lang_upload"), type=UPLOAD_TYPES, accept_multiple_files=True,
                                 key="lang_files", help=t("lang_upload_help"))
        for upload in read_uploads(files, "lang", key_prefix="lang_"):
            sources.append(counted(upload.name, upload.data, upload.options, upload.digest,
                                   needed_tokenizers(settings_from_state())))
            show_detected(upload, sources[-1].notes)
    for source in sources:
        for problem in source.skipped:
            st.warning(escape_markdown(f"{source.name}: {problem_text(problem)}"), icon=":material/warning:")
    return sources, bool(files)


def pair_inputs(container) -> tuple[str, str]:
    """Any two models, as on the Estimate page (the same two settings)."""
    choices = countable_ids(app_catalog())
    left, right = container.columns(2)
    old = left.selectbox(t("saving_from"), choices, key=widget_key("pair_from"), help=t("lang_pair_help"))
    new = right.selectbox(t("saving_to"), choices, key=widget_key("pair_to"))
    return old, new


def show_totals(est: Estimate, view: MoneyView) -> None:
    """What everything the person gave costs on each of the two models, under the workload asked
    (the Estimate page's totals: the same core estimate)."""
    for failure in est.failures:
        st.warning(failure_text(failure), icon=":material/warning:")
    if not est.rows:
        return
    st.caption(plan_caption(est.plan, est.totals.workload.documents, est.requests, est.assumptions.tier))
    cards = st.columns(len(est.rows))
    for card, row in zip(cards, est.rows):
        card.metric(t("lang_total_on", model=row.model), format_money(row.total_cost, view))


def user_comparison(totals: CorpusTotals, pair: tuple[str, str], assumptions: Assumptions, view: MoneyView) -> None:
    """The user's groups (a group column, else the detected languages of a corpus) compared."""
    language = current_language()
    groups = totals.groups
    by_language = set(groups) == {None} and totals.workload.documents > 1
    if by_language:
        # A corpus with no group column: the languages detected in it are the groups.
        st.caption(t("lang_grouped_by_language"))
        mine = [from_workload(code, w) for code, w in totals.languages.items() if w.documents]
        mine_names = {c.group: language_name(c.group, language) for c in mine}
    else:
        unnamed = t("lang_your_text")
        mine = [from_workload(unnamed if g is None else g, w) for g, w in groups.items()]
        mine = [c for c in mine if c.documents]
        mine_names = {c.group: c.group for c in mine}
    if mine:
        show_comparison(mine, mine_names, pair, assumptions, view, "lang_yours", by_language=by_language)


def render() -> None:
    st.title(t("lang_title"))
    st.caption(t("lang_intro"))
    settings = settings_from_state()
    view = money_view(settings)
    language = current_language()
    catalog = app_catalog()

    # The workload is asked first on the page, but it follows the input (an upload is a corpus,
    # a pasted text traffic), which is read further down: its place is kept here.
    workload_area = st.container()
    samples_area = st.container()
    st.header(t("lang_yours_header"))
    sources, uploaded = user_sources()
    totals = totals_of_sources(sources, request_thresholds(catalog))
    with workload_area:
        with st.expander(t("estimate_assumptions"), expanded=True, icon=":material/tune:"):
            render_workload_inputs(not uploaded)
            pair = pair_inputs(st)
        settings = settings_from_state()
        plan = plan_from(settings, not uploaded, dominant_language(totals.languages))
        assumptions = assumptions_from(settings, plan)
        st.caption(t("lang_assumption_note", date=assumptions.as_of.isoformat()))
        shutdown = catalog.retired_on(pair[0], assumptions.as_of)
        if shutdown is not None:
            st.caption(t("saving_from_retired", old=pair[0], shutdown=shutdown.isoformat()))

    with samples_area:
        st.header(t("lang_samples_header"))
        st.caption(t("lang_samples_intro"))
        samples, counts = sample_counts()
        names = {s.code: s.name(language) for s in samples}
        scripts = {s.code: s.script_name(language) for s in samples}
        show_comparison(counts, names, pair, assumptions, view, "lang_samples", scripts,
                        choice_key=widget_key("lang_wf_group"))

    if totals.workload.documents:
        show_totals(build_estimate(totals, list(dict.fromkeys(pair)), catalog, plan, assumptions, pair=pair), view)
        user_comparison(totals, pair, assumptions, view)
    else:
        st.info(t("lang_yours_empty"), icon=":material/edit_note:")

    with friendly_errors():
        show_vendor_tax(totals.languages, names, assumptions, view)
    token_view_section(samples, names)


def show_vendor_tax(languages: dict, sample_names: dict[str, str], assumptions: Assumptions, view: MoneyView) -> None:
    """Each chosen language's tax on every tokenizer counted (the chart), the cheapest one for
    them, and the user's detected languages with their tax and their cost on each vendor."""
    st.header(t("lang_tax_header"))
    st.caption(t("lang_tax_intro"))
    names = tax_tokenizers()
    rows = {r.language: r for r in samples_tax(names)}  # stored counts (data/samples/tokens.json)
    ui_language = current_language()
    mine = corpus_tax(languages, rows.values())
    detected = [code for code in (matching_code(r.language, rows) for r in mine) if code not in (None, ENGLISH)]
    default = list(dict.fromkeys(detected)) or [c for c in DEFAULT_TAX_LANGUAGES if c in rows]
    if st.session_state.get("lang_tax_default") != default:  # new text brings its languages to the chart
        st.session_state["lang_tax_default"] = st.session_state["lang_tax_languages"] = default
    chosen = st.multiselect(t("lang_tax_languages"), [c for c in rows if c != ENGLISH],
                            format_func=sample_names.__getitem__, key="lang_tax_languages",
                            placeholder=t("choose_options"))
    if chosen:
        taxes = {n: [rows[c].relative[n] for c in chosen] for n in names}
        labels = [html.escape(sample_names[c]) for c in chosen]
        st.plotly_chart(tax_chart(labels, taxes, tokenizer_colors(names), t("lang_tax_chart"), t("lang_tax_axis"),
                                  t("lang_tax_english"), ui_language), key="lang_tax_chart")
        best, tax = next(iter(mean_tax((rows[c] for c in chosen), names).items()))
        st.markdown(f"**{t('lang_tax_cheapest', encoding=best, tax=f'{tax:.2f}')}**")
    if not mine:
        return
    st.caption(t("lang_tax_yours"))
    models = models_by_tokenizer(app_catalog(), assumptions.as_of, dict.fromkeys(n for r in mine for n in r.tokens))
    costs = tax_costs(mine, models, app_catalog(), assumptions)
    table: dict[str, list] = {t("lang_col_language"): [language_name(r.language, ui_language) for r in mine]}
    for n in dict.fromkeys(n for r in mine for n in r.tokens):  # the tokenizers the text was counted on
        table[t("lang_col_tokens", encoding=n)] = [format_tokens(r.tokens.get(n, 0)) for r in mine]
        table[t("lang_tax_col_tax", encoding=n)] = [
            "–" if r.relative.get(n) is None else f"{r.relative[n]:.2f}×" for r in mine]
        if n in models:
            table[t("lang_tax_col_cost", model=models[n], encoding=n)] = [
                format_money(costs[r.language][n], view) if n in costs[r.language] else "–" for r in mine]
    st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch", key="lang_tax_table")


@st.fragment
def token_view_section(samples: list[Sample], names: dict[str, str]) -> None:
    """The token view, as one fragment: a change of its sample, its text or the ids switch reruns
    it alone (the comparisons above and the user's corpus are not run again), and then the
    address bar and the share link (redrawn in place at the sidebar's foot)."""
    with friendly_errors():
        show_token_view(samples, names)
    sync_link("languages", st.sidebar)


def show_token_view(samples: list[Sample], names: dict[str, str]) -> None:
    st.header(t("lang_view_header"))
    st.caption(t("lang_view_intro"))
    by_code = {s.code: s for s in samples}
    start = st.selectbox(t("lang_view_start"), list(by_code), format_func=names.__getitem__,
                         key=widget_key("lang_view_sample"))
    text = st.text_area(t("lang_view_text"), value=by_code[start].text, key=f"lang_view_text_{start}", height=120,
                        max_chars=VIEW_MAX_CHARS)
    show_ids = st.toggle(t("lang_view_ids"), key=widget_key("lang_view_ids"))
    shown = list(COMPARED_ENCODINGS)
    viewable = viewable_tokenizers()
    if len(viewable) > len(shown):  # another vendor's exact tokenizer can be shown beside OpenAI's
        shown = st.multiselect(t("lang_view_tokenizers"), viewable, default=shown, max_selections=4,
                               key="lang_view_tokenizers", placeholder=t("choose_options")) or shown
    columns = st.columns(len(shown))
    for column, enc in zip(columns, shown):
        tokens = token_view(text, enc, limit=VIEW_LIMIT)
        with column:
            st.subheader(enc)
            st.caption(t("lang_view_count", tokens=format_tokens(tokens.total), characters=format_tokens(len(text))))
            if tokens.truncated:
                st.caption(t("lang_view_truncated", shown=format_tokens(len(tokens.pieces))))
            st.html(token_html(tokens, show_ids))
    st.caption(t("lang_view_partial_note"))


render()
