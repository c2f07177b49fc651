"""How fresh the catalog is, in the user's language: a warning (sidebar); the Prices page says it per vendor."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from pricing import Catalog
from pricing.freshness import STALE_AFTER_DAYS, freshness
from ui.i18n import t


def warn_if_stale(catalog: Catalog, as_of: dt.date) -> None:
    """A warning when the catalog was last checked more than STALE_AFTER_DAYS before ``as_of``."""
    fresh = freshness(catalog, as_of)
    if not fresh.stale:
        return
    if fresh.checked is None:
        st.warning(t("freshness_unknown"), icon=":material/history:")
        return
    st.warning(t("freshness_stale", checked=fresh.checked.isoformat(), days=fresh.days_since_check,
                 as_of=as_of.isoformat(), limit=STALE_AFTER_DAYS), icon=":material/history:")
