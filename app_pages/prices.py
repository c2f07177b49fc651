"""Prices: the catalog with dates, evidence and sources; the price history chart; session
overrides (edited in a table or uploaded as a catalog file), checked by the catalog's own models."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from pricing import Catalog, CatalogError, parse_catalog_file
from pricing.catalog import MAX_CATALOG_BYTES, catalog_json
from pricing.history import DEFAULT_HISTORY_MODELS, price_history, step_points
from pricing.schema import EVIDENCE_LEVELS, CatalogFile
from pricing.overrides import (
    PERIOD_FIELDS,
    PRICE_FIELDS,
    EditError,
    edited_entry,
    override_file,
    period_rows,
    price_warnings,
)
from ui.catalog import CATALOG_OVERRIDE_KEY, app_catalog, chart_colors, embedded_catalog, session_override
from ui.charts import date_axis, style
from pricing.today import TodayPrice, billed_price, todays_prices
from pricing.freshness import Freshness
from pricing.vendors import VendorFacts, edited_snapshots, history_models, vendor_facts, vendor_label, vendor_rules
from pricing.currency import MoneyView
from ui.formatting import SYMBOLS, escape_markdown, format_rate, rate_caption_key, web_link
from ui.i18n import current_language, t, t_count
from ui.settings import money_view, price_date, settings_from_state, widget_key

_UPLOADS_SEEN_KEY = "_prices_uploads_seen"
_FLASH_KEY = "_prices_flash"
_WARNINGS_KEY = "_prices_warnings"
_EDITOR_VERSION_KEY = "_prices_editor_version"
# What a table shows where a price or date does not exist (never "None").
EMPTY_CELL = "–"
# Pixels: a dated snapshot id is about 22 characters.
SNAPSHOT_WIDTH = 200


def _money(value: Decimal | None, view: MoneyView = MoneyView()) -> float | None:
    return None if value is None else float(view.convert(value))


def price_columns(view: MoneyView) -> dict:
    """Price columns as numbers (they sort as numbers) with the view's currency sign; the
    context window with thousands separators."""
    return {**{t(f"prices_col_{f}"): st.column_config.NumberColumn(format=f"{SYMBOLS[view.currency]}%g")
               for f in PRICE_FIELDS},
            t("prices_col_context"): st.column_config.NumberColumn(format="localized"),
            # Wide enough for a dated snapshot id ("gpt-4o-mini-2024-07-18") whole.
            t("prices_col_target"): st.column_config.TextColumn(width=SNAPSHOT_WIDTH)}


def vendor_label_of(row: TodayPrice) -> str:
    """Who sells a row's model: the vendor, and the host serving it when that is another."""
    vendor = vendor_label(app_catalog(), row.vendor)
    return vendor if row.host == row.vendor else f"{vendor} · {vendor_label(app_catalog(), row.host)}"


def today_table(rows: list[TodayPrice], view: MoneyView) -> pd.DataFrame:
    """One row per model id on the price date: its snapshot, prices (in ``view``'s currency),
    context window, evidence; legacy and retired rows also say which they are."""
    return pd.DataFrame([{
        t("prices_col_model"): r.model,
        t("prices_col_vendor"): vendor_label_of(r),
        t("prices_col_target"): r.snapshot if r.snapshot != r.model else "",
        **{t(f"prices_col_{f}"): _money(billed_price(r.kind, r.period, f), view) for f in PRICE_FIELDS},
        t("prices_col_context"): r.context_window,
        t("prices_col_evidence"): t(f"prices_evidence_{r.period.evidence}"),
        t("look_prices_col_status"): t(f"look_prices_status_{r.status}"),
        t("prices_col_shutdown"): r.shutdown.isoformat() if r.shutdown else "",
    } for r in rows])


def catalog_table(catalog: Catalog, overridden: set[str], view: MoneyView = MoneyView()) -> pd.DataFrame:
    """One row per model and price period (newest model first), with its evidence and source."""
    rows = []
    for entry in sorted(catalog.models.values(), key=lambda m: (-m.prices[0].effective_from.toordinal(), m.id)):
        for period in entry.prices:
            rows.append({
                t("prices_col_model"): entry.id,
                t("prices_col_family"): entry.family,
                t("prices_col_encoding"): entry.encoding,
                t("prices_col_effective_from"): period.effective_from,
                t("prices_col_effective_to"): period.effective_to,
                **{t(f"prices_col_{f}"): _money(billed_price(entry.kind, period, f), view) for f in PRICE_FIELDS},
                t("prices_col_evidence"): t(f"prices_evidence_{period.evidence}"),
                t("prices_col_context"): entry.context_window,
                # Retired models are marked with their shutdown day (none: still offered).
                t("prices_col_shutdown"): entry.shutdown.isoformat() if entry.shutdown else "",
                t("prices_col_source"): period.source,
                t("prices_col_link"): web_link(entry.source_url),
                t("prices_col_overridden"): entry.id in overridden,
            })
    return pd.DataFrame(rows)


def history_chart(catalog: Catalog, models: list[str], side: str, until: dt.date,
                  view: MoneyView = MoneyView()) -> go.Figure:
    """$ per 1M tokens over time, one step line per model (in its colour on every chart), log scale."""
    fig = go.Figure()
    colors = chart_colors()
    for model in models:
        points = step_points(price_history(catalog, model), until)
        column = 1 if side == "input" else 2
        fig.add_scatter(
            name=model, x=[p[0] for p in points], y=[_money(p[column], view) for p in points],
            mode="lines+markers", line_shape="hv", connectgaps=False, line_color=colors.get(model),
        )
    fig.update_yaxes(type="log", dtick=1, tickprefix=SYMBOLS[view.currency])
    language = current_language()
    unit = t(f"currency_{view.currency.lower()}")
    return date_axis(style(fig, t(f"look_prices_chart_{side}", unit=unit), "", t("look_prices_axis_price", unit=unit),
                           language, height=460), language)


def problem_line(problem) -> str:
    params = dict(problem.params)
    field = params.get("field") or ""
    params["field"] = t(f"prices_col_{field}") if field in PERIOD_FIELDS else field
    return t(f"prices_problem_{problem.code}", **params)


def store_override(models: list, aliases: list | None = None) -> bool:
    """Add ``models`` (and ``aliases``) to the session's overrides; False (after an error) when
    the result is not a usable catalog."""
    current = session_override() or CatalogFile()
    merged_models = override_file([*current.models, *models]).models
    by_alias = {a.id: a for a in [*current.aliases, *(aliases or [])]}
    candidate = CatalogFile(models=merged_models, aliases=list(by_alias.values()))
    try:
        embedded_catalog().merged(candidate)
    except CatalogError as exc:
        st.error(t("prices_override_invalid"), icon=":material/error:")
        st.code(str(exc).replace("the merged catalog", t("prices_your_overrides")), language=None, wrap_lines=True)
        return False
    st.session_state[CATALOG_OVERRIDE_KEY] = candidate
    return True


def render_editor(catalog: Catalog, vendors: list[str], day: dt.date) -> None:
    """The price editor over the snapshots of the vendors shown (opening on one of theirs)."""
    offered, first = edited_snapshots(catalog, vendors, day)
    model = st.selectbox(t("prices_edit_model"), offered, key="prices_edit_model", index=offered.index(first))
    entry = catalog.models[model]
    # Looked up now: a format_func must not depend on state when it is called.
    evidence_labels = {level: t(f"prices_evidence_{level}") for level in EVIDENCE_LEVELS}
    columns = {
        "effective_from": st.column_config.DateColumn(t("prices_col_effective_from"), required=True),
        "effective_to": st.column_config.DateColumn(t("prices_col_effective_to")),
        **{f: st.column_config.NumberColumn(t(f"prices_col_{f}"), min_value=None, format="%.6g") for f in PRICE_FIELDS},
        "evidence": st.column_config.SelectboxColumn(t("prices_col_evidence"), options=list(EVIDENCE_LEVELS),
                                                     format_func=evidence_labels.__getitem__),
        "source": st.column_config.TextColumn(t("prices_col_source")),
        "note": st.column_config.TextColumn(t("prices_col_note")),
    }
    rows = [{f: _money(v) if f in PRICE_FIELDS else v for f, v in row.items()} for row in period_rows(entry)]
    edited = st.data_editor(pd.DataFrame(rows, columns=list(PERIOD_FIELDS)), column_config=columns,
                            num_rows="dynamic", hide_index=True, width="stretch", placeholder="",
                            key=f"prices_editor_{model}_{st.session_state.get(_EDITOR_VERSION_KEY, 0)}")
    if st.button(t("prices_edit_apply"), key="prices_edit_apply", icon=":material/check:"):
        try:
            new_entry = edited_entry(entry, edited.to_dict("records"))
        except EditError as exc:
            st.error(t("prices_edit_invalid", model=model), icon=":material/error:")
            st.text("\n".join(f"• {problem_line(p)}" for p in exc.problems))  # plain text, never Markdown
            return
        if store_override([new_entry]):
            # A fresh editor over the new prices; rerun so every table above shows them.
            st.session_state[_EDITOR_VERSION_KEY] = st.session_state.get(_EDITOR_VERSION_KEY, 0) + 1
            st.session_state[_FLASH_KEY] = t("prices_edit_applied", model=model)
            st.session_state[_WARNINGS_KEY] = [problem_line(p) for p in price_warnings(new_entry)]
            st.rerun()


def render_upload() -> None:
    file = st.file_uploader(t("prices_upload"), type=["json"], key="prices_upload", help=t("prices_upload_help"))
    if file is None:
        return
    seen = st.session_state.setdefault(_UPLOADS_SEEN_KEY, {})
    if file.file_id in seen:
        st.caption(seen[file.file_id])
        return
    data = file.getvalue()
    if len(data) > MAX_CATALOG_BYTES:
        st.error(t("prices_upload_too_large", limit=f"{MAX_CATALOG_BYTES // (1024 * 1024)} MB"), icon=":material/error:")
        return
    shown_name = escape_markdown(file.name)  # messages are Markdown; the name is user text
    try:
        raw = catalog_json(data.decode("utf-8-sig"), file.name)
        parsed = parse_catalog_file(raw, file.name)
    except UnicodeDecodeError:
        st.error(t("prices_upload_not_utf8", file=shown_name), icon=":material/error:")
        return
    except json.JSONDecodeError as exc:
        st.error(t("prices_upload_not_json", file=shown_name, line=exc.lineno, column=exc.colno), icon=":material/error:")
        return
    except CatalogError as exc:
        st.error(t("prices_upload_invalid", file=shown_name), icon=":material/error:")
        st.code(str(exc), language=None, wrap_lines=True)
        return
    if store_override(list(parsed.models), list(parsed.aliases)):
        message = t("prices_upload_applied", file=shown_name, models=t_count("look_count_models", len(parsed.models)),
                    aliases=t_count("look_count_aliases", len(parsed.aliases)))
        seen[file.file_id] = message
        st.session_state[_FLASH_KEY] = message
        st.rerun()


def vendor_filter(catalog: Catalog) -> list[str]:
    """The vendor filter (its value is part of the page's link); returns the vendors chosen."""
    names = catalog.vendor_names()
    key = widget_key("prices_vendors")
    st.session_state[key] = [v for v in st.session_state.get(key, []) if v in names]
    labels = {v: vendor_label(catalog, v) for v in names}
    return st.multiselect(t("prices_vendor_filter"), names, key=key, format_func=labels.__getitem__,
                          help=t("prices_vendor_filter_help"), placeholder=t("prices_vendor_filter_help"))


def show_vendor_rules(catalog: Catalog, vendors: list[str], day: dt.date) -> None:
    """Each vendor's pricing rules on ``day`` in words, with the models each applies to."""
    for vendor in vendors or catalog.vendor_names():
        rules = vendor_rules(catalog, vendor, day)
        if not rules:
            continue
        with st.expander(t("prices_vendor_rules", vendor=vendor_label(catalog, vendor)), icon=":material/rule:"):
            for rule in rules:
                shown = ", ".join(rule.models[:6]) + (" …" if len(rule.models) > 6 else "")
                st.markdown("- " + escape_markdown(t("prices_vendor_rule_models",
                                                     rule=t(rule.rule.code, **dict(rule.rule.params)), models=shown)))


def source_link(url: str) -> str:
    """A price source as a Markdown link (its address without the scheme as the text); plain
    escaped text when it is not an http(s) address."""
    text = escape_markdown(url.split("://", 1)[-1].rstrip("/"))
    link = web_link(url)
    return text if link is None else f"[{text}]({link.replace(' ', '%20').replace(')', '%29')})"


def vendor_line(catalog: Catalog, facts: VendorFacts, day: dt.date) -> str:
    """One vendor's counts, and when and against which page its prices were last checked."""
    counts = {"vendor": vendor_label(catalog, facts.vendor), "models": t_count("prices_count_snapshots", facts.snapshots),
              "aliases": t_count("look_count_aliases", facts.aliases)}
    if facts.checked is None:
        return t("prices_vendor_unchecked", **counts)
    days = Freshness(facts.checked, day).days_since_check
    key = "prices_vendor_checked_after" if days < 0 else "prices_vendor_checked"
    return t(key, **counts, source=source_link(facts.source_url or ""), checked=facts.checked.isoformat(),
             days=days, as_of=day.isoformat())


def show_intro(catalog: Catalog, vendors: list[str], day: dt.date) -> None:
    """What the page shows: the vendors (those filtered, else every one), their counts of
    snapshots and aliases, and when each vendor's prices were last checked, against what."""
    facts = vendor_facts(catalog, vendors)
    names = t("prices_vendor_separator").join(vendor_label(catalog, f.vendor) for f in facts)
    st.caption(t("prices_intro", vendors=names,
                 models=t_count("prices_count_snapshots", sum(f.snapshots for f in facts)),
                 aliases=t_count("look_count_aliases", sum(f.aliases for f in facts))))
    st.caption("  \n".join(vendor_line(catalog, f, day) for f in facts))


def show_today(catalog: Catalog, vendors: list[str], day: dt.date, view: MoneyView) -> None:
    """Today's prices first (of the vendors chosen); the legacy and retired models folded below
    them; each vendor's rules in words."""
    rows = [r for r in todays_prices(catalog, day) if not vendors or r.vendor in vendors or r.host in vendors]
    current = [r for r in rows if r.status == "current"]
    older = [r for r in rows if r.status != "current"]
    st.header(t("look_prices_today_header"))
    st.caption(t("look_prices_today_caption", date=day.isoformat(), count=len(current)))
    if view.currency == "CNY":
        st.caption(t(rate_caption_key(view), rate=format_rate(view)))
    hidden = [t("prices_col_shutdown"), t("look_prices_col_status")]
    st.dataframe(today_table(current, view).drop(columns=hidden), hide_index=True, width="stretch",
                 key="prices_today_table", column_config=price_columns(view), placeholder=EMPTY_CELL)
    with st.expander(t("look_prices_older_header", count=len(older)), icon=":material/history:"):
        st.caption(t("look_prices_older_caption"))
        st.dataframe(today_table(older, view), hide_index=True, width="stretch", key="prices_older_table",
                     column_config=price_columns(view), placeholder=EMPTY_CELL)
    show_vendor_rules(catalog, vendors, day)


def render() -> None:
    st.title(t("prices_title"))
    catalog = app_catalog()
    settings = settings_from_state()
    view = money_view(settings)
    day = price_date(settings)
    override = session_override()
    overridden = {m.id for m in override.models} if override is not None else set()
    intro = st.container()  # above the filter, written once the filter is read
    vendors = vendor_filter(catalog)
    with intro:
        show_intro(catalog, vendors, day)
    # Custom prices in use are announced by the banner every page shows (ui.links).
    show_today(catalog, vendors, day, view)

    st.header(t("prices_history_header"))
    ids = list(dict.fromkeys(i for v in vendors for i in catalog.ids(v))) if vendors else catalog.ids()
    # Keys are the page's share-link settings (ui.links.PricesSettings), seeded from the link;
    # a model the catalog no longer has (custom prices reset) or of a vendor filtered out leaves
    # the choice; when that leaves none, the shown vendors' own models are charted.
    models_key = widget_key("prices_history_models")
    before = st.session_state.get(models_key, list(DEFAULT_HISTORY_MODELS))
    kept = [m for m in before if m in ids]
    st.session_state[models_key] = kept if kept or not before else history_models(catalog, vendors, day)
    chosen = st.multiselect(t("prices_history_models"), ids, key=models_key, placeholder=t("choose_options"))
    # Labels are looked up now: a format_func must not depend on state when it is called.
    sides = {"input": t("prices_side_input"), "output": t("prices_side_output")}
    side = st.radio(t("prices_history_side"), tuple(sides), horizontal=True, key=widget_key("prices_history_side"),
                    format_func=sides.__getitem__)
    until = max(dt.date.today(), day)
    if chosen:
        st.plotly_chart(history_chart(catalog, chosen, side, until, view), key="prices_history_chart")
    st.caption(t("prices_history_note"))

    with st.expander(t("look_prices_all_periods"), icon=":material/table_rows:"):
        st.dataframe(
            catalog_table(catalog, overridden, view), hide_index=True, width="stretch", key="prices_catalog_table",
            column_config={**price_columns(view), t("prices_col_link"): st.column_config.LinkColumn()},
            placeholder=EMPTY_CELL,
        )
        st.caption(t("prices_catalog_note"))
    aliases = [
        {t("prices_col_alias"): a.id, t("prices_col_target"): p.target, t("prices_col_effective_from"): p.effective_from,
         t("prices_col_effective_to"): p.effective_to, t("prices_col_evidence"): t(f"prices_evidence_{p.evidence}")}
        for a in sorted(catalog.aliases.values(), key=lambda a: a.id) for p in a.periods
    ]
    with st.expander(t("prices_aliases_header"), icon=":material/alt_route:"):
        st.dataframe(pd.DataFrame(aliases), hide_index=True, width="stretch", key="prices_alias_table",
                     placeholder=EMPTY_CELL)

    st.header(t("prices_override_header"))
    st.caption(t("prices_override_intro"))
    flash = st.session_state.pop(_FLASH_KEY, None)
    if flash:
        st.success(flash, icon=":material/check_circle:")
    for warning in st.session_state.pop(_WARNINGS_KEY, []):
        st.warning(warning, icon=":material/warning:")
    tab_edit, tab_upload = st.tabs([t("prices_tab_edit"), t("prices_tab_upload")])
    with tab_edit:
        render_editor(catalog, vendors, day)
    with tab_upload:
        render_upload()
    override = session_override()
    if override is not None:
        left, right = st.columns(2)
        left.download_button(t("prices_download_overrides"),
                             override.model_dump_json(by_alias=True, exclude_none=True, indent=2),
                             "price-overrides.json", "application/json", icon=":material/download:")
        if right.button(t("prices_reset"), key="prices_reset", icon=":material/undo:"):
            del st.session_state[CATALOG_OVERRIDE_KEY]
            st.session_state.pop(_UPLOADS_SEEN_KEY, None)
            st.rerun()


render()
