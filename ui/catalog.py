"""The price catalog, loaded once per server process."""

from __future__ import annotations

import streamlit as st

from pricing import Catalog, load_catalog


@st.cache_resource(show_spinner=False)
def app_catalog() -> Catalog:
    """The embedded catalog (``data/catalog/openai.json``), validated once and shared by sessions."""
    return load_catalog()
