"""The sidebar every page shares: language, price date, models to compare, currency, share link."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from pricing import Catalog
from pricing.today import current_models
from ui.catalog import countable_ids, model_option, offered_first, retired_notes
from ui.freshness import warn_if_stale
from ui.i18n import LANGUAGE_KEY, LANGUAGES, current_language, t
from ui.links import query_for
from ui.settings import (
    EARLIEST_PRICE_DATE,
    LATEST_PRICE_DATE_AHEAD,
    MAX_MODELS,
    price_date,
    settings_from_state,
    share_url,
    sync_shared_text,
    widget_key,
    write_query_params,
)

LANGUAGE_NAMES = {"en": "English", "zh": "简体中文"}
# Streamlit's date field applies a typed date only when focus moves to another element (1.67: its
# key handler knows Tab and Alt+ArrowDown, its blur handler commits): Enter in it moves focus out,
# so a typed price date applies on Enter as in every other box. A fixed script, installed once.
DATE_ENTER_SCRIPT = """<script>
if (!window.priceDateOnEnter) {
  window.priceDateOnEnter = true;
  // Focus must go somewhere for the field to commit (a bare blur() does not): to this sink.
  const sink = document.createElement("span");
  sink.tabIndex = -1;
  sink.setAttribute("aria-hidden", "true");
  sink.style.position = "fixed";
  document.body.appendChild(sink);
  document.addEventListener("keydown", (event) => {
    const field = event.key === "Enter" && event.target.closest
      && event.target.closest("[data-testid='stDateInputField']");
    if (field) { setTimeout(() => sink.focus(), 0); }  // after the field has handled the key
  }, true);
}
</script>"""


def render_sidebar(catalog: Catalog) -> None:
    """Draw the shared controls; their values live in session state (see ui.settings)."""
    state = st.session_state
    if LANGUAGE_KEY not in state:
        state[LANGUAGE_KEY] = current_language()
    with st.sidebar:
        st.selectbox(
            t("sidebar_language"), LANGUAGES, key=LANGUAGE_KEY, format_func=LANGUAGE_NAMES.__getitem__
        )
        st.date_input(
            t("sidebar_price_date"),
            key=widget_key("as_of"),
            min_value=EARLIEST_PRICE_DATE,
            max_value=dt.date.today() + LATEST_PRICE_DATE_AHEAD,
            help=t("sidebar_price_date_help"),
        )
        st.html(DATE_ENTER_SCRIPT, unsafe_allow_javascript=True)
        as_of = price_date(settings_from_state())
        warn_if_stale(catalog, as_of)
        models_key = widget_key("models")
        _follow_date_defaults(catalog, as_of)
        if models_key in state and not state[models_key]:
            # Nothing can be priced on no model: the defaults come back, in the widget and said so.
            state[models_key] = catalog.default_models(as_of)
            st.info(t("sidebar_models_restored"), icon=":material/restart_alt:")
        options = {m: model_option(catalog, m) for m in offered_first(catalog, countable_ids(catalog), as_of)}
        st.multiselect(
            t("sidebar_models"),
            list(options),
            format_func=lambda m: options.get(m, m),
            key=widget_key("models"),
            max_selections=MAX_MODELS,
            help=t("sidebar_models_help"),
            placeholder=t("sidebar_models_placeholder"),
            # Streamlit's "Select all" would take the first MAX_MODELS ids alphabetically (all
            # legacy); the button below picks today's models instead.
            select_all=False,
        )
        for note in retired_notes(catalog, list(state.get(models_key, [])), as_of):
            st.caption(note)
        st.button(t("look_sidebar_pick_current", count=MAX_MODELS), key="sidebar_pick_current",
                  on_click=pick_current_models, args=(catalog,), icon=":material/new_releases:",
                  help=t("look_sidebar_pick_current_help"), type="tertiary")
        st.radio(
            t("sidebar_currency"),
            ("USD", "CNY"),
            key=widget_key("currency"),
            horizontal=True,
            format_func={"USD": t("currency_usd"), "CNY": t("currency_cny")}.__getitem__,
        )
        if state.get(widget_key("currency")) == "CNY":
            st.number_input(
                t("sidebar_cny_rate"),
                key=widget_key("cny_per_usd"),
                min_value=0.0001,
                max_value=1000.0,
                step=0.01,
                format="%.4f",
                help=t("sidebar_cny_rate_help"),
            )


def pick_current_models(catalog: Catalog) -> None:
    """Choose today's models (newest first, at most MAX_MODELS) that can be counted offline."""
    countable = set(countable_ids(catalog))
    picked = [m for m in current_models(catalog, price_date(settings_from_state())) if m in countable]
    if picked:
        st.session_state[widget_key("models")] = picked[:MAX_MODELS]


# Session-state key: the price date the models widget's defaults were last chosen for.
_DEFAULTS_DATE_KEY = "models_defaults_date"


def _follow_date_defaults(catalog: Catalog, as_of: dt.date) -> None:
    """While the models are still the defaults, keep them the defaults of the price date: a
    model shut down by then gives way to its replacement, one not launched yet is left out
    (``Catalog.default_models``). A list the person chose is never touched."""
    state = st.session_state
    key = widget_key("models")
    # Widgets are first seeded with today's defaults (ui.settings.DEFAULT_MODELS).
    before = state.get(_DEFAULTS_DATE_KEY, dt.date.today())
    state[_DEFAULTS_DATE_KEY] = as_of
    if key in state and before != as_of and list(state[key]) == catalog.default_models(before):
        state[key] = catalog.default_models(as_of)


def render_share_link(container, query: dict[str, str], text_too_long: bool = False) -> None:
    """A copyable link that reopens this page with ``query`` (drawn into ``container``);
    ``text_too_long``: say that the ticked text was left out of the link."""
    with container:
        if text_too_long:
            st.info(t("estimate_share_text_too_long"), icon=":material/info:")
        with st.expander(t("share_title"), icon=":material/link:"):
            st.caption(t("share_help"))
            st.code(share_url(st.context.url, query), language=None, wrap_lines=True)



# Session-state key: whether this run's share link is drawn (a page's fragment draws its own).
_LINK_DRAWN_KEY = "_share_link_drawn"


def start_page_run() -> None:
    """Before a full run of a page: no share link is drawn yet."""
    st.session_state[_LINK_DRAWN_KEY] = False


def share_link_drawn() -> bool:
    """Whether the page drew the share link itself in this run (see ``sync_link``)."""
    return bool(st.session_state.get(_LINK_DRAWN_KEY))


def sync_link(page: str, container) -> None:
    """After ``page`` has drawn its widgets: the settings into the address bar and the share link
    into ``container``. The router calls it after the page; a page whose fragment holds settings
    calls it at the fragment's end instead, so a rerun of the fragment alone keeps the link and
    the address bar in step (its writes to the sidebar are redrawn in place)."""
    text_too_long = sync_shared_text()  # the shared text box (Estimate, Languages) may have changed
    query = query_for(page)
    write_query_params(query)
    render_share_link(container, query, text_too_long)
    st.session_state[_LINK_DRAWN_KEY] = True
