"""The price catalog a session prices with: the embedded one plus the Prices page's overrides."""

from __future__ import annotations

import datetime as dt
import hashlib

import streamlit as st

from pricing import Catalog, load_catalog
from pricing.vendors import models_by_vendor, vendor_label
from pricing.schema import CatalogFile
from pricing.count_methods import counted_with
from tokenizers.registry import tokenizer
from ui.colors import model_colors
from ui.settings import settings_from_state
from ui.i18n import t

# Session-state key of this session's overrides (a CatalogFile) made on the Prices page.
CATALOG_OVERRIDE_KEY = "catalog_override"


@st.cache_resource(show_spinner=False)
def embedded_catalog() -> Catalog:
    """The embedded catalog (every vendor's ``data/catalog/<vendor>.json``), validated once and shared by sessions."""
    return load_catalog()


def session_override() -> CatalogFile | None:
    """This session's price overrides, if it has any."""
    override = st.session_state.get(CATALOG_OVERRIDE_KEY)
    return override if isinstance(override, CatalogFile) else None


def catalog_key() -> str:
    """A short key that changes whenever the session's catalog does (for cache keys)."""
    override = session_override()
    if override is None:
        return "embedded"
    return hashlib.sha256(override.model_dump_json().encode()).hexdigest()[:16]


@st.cache_resource(show_spinner=False, max_entries=64)
def _merged(key: str, _override: CatalogFile) -> Catalog:
    return embedded_catalog().merged(_override)


def app_catalog() -> Catalog:
    """The catalog every page prices with: embedded, plus this session's overrides."""
    override = session_override()
    return embedded_catalog() if override is None else _merged(catalog_key(), override)


def countable_ids(catalog: Catalog) -> list[str]:
    """The ids of ``catalog`` (sorted) whose tokens can be counted offline: a snapshot whose count
    is made offline (on its own tokenizer, or estimated on o200k_base: ``counted_with``), an
    alias whose every target is such a snapshot."""

    def countable(snapshot: str) -> bool:
        entry = catalog.models.get(snapshot)
        return entry is not None and tokenizer(counted_with(entry.encoding)).counted

    def targets(model_id: str) -> list[str]:
        alias = catalog.aliases.get(model_id)
        return [model_id] if alias is None else [period.target for period in alias.periods]

    return [model_id for model_id in catalog.ids() if all(countable(x) for x in targets(model_id))]


def chart_colors() -> dict[str, str]:
    """Model id -> colour for every chart this session draws: the sidebar's models first (so
    the ones compared never share a colour), then every other id of the catalog."""
    return model_colors(settings_from_state().models, app_catalog().ids())

def offered_first(catalog: Catalog, ids: list[str], as_of: dt.date) -> list[str]:
    """``ids`` grouped by vendor (OpenAI first; a host's models under the host), the models shut
    down by ``as_of`` after all of today's, in the same vendor order: a picker offers today's models
    first and still lets a past date pick the others. (Retired last within each vendor only, typing
    "llama" listed Groq's shut-down llama-3.1-8b-instant above Bedrock's current Llamas.)"""
    retired = {m for m in ids if _retired(catalog, m, as_of) is not None}
    grouped = [m for group in models_by_vendor(catalog, ids).values() for m in group]
    return [*(m for m in grouped if m not in retired), *(m for m in grouped if m in retired)]


def model_option(catalog: Catalog, model: str) -> str:
    """How a model is named in a picker: the id, after its vendor's name when not OpenAI's."""
    try:
        host = catalog.host_of(model)
    except KeyError:
        return model
    return model if host == "openai" else t("sidebar_model_vendor", vendor=vendor_label(catalog, host), model=model)


def retired_notes(catalog: Catalog, models: list[str], as_of: dt.date) -> list[str]:
    """One line per model of ``models`` shut down by ``as_of``, in the user's language."""
    notes = []
    for model in models:
        shutdown = _retired(catalog, model, as_of)
        if shutdown is not None:
            notes.append(t("model_retired_mark", model=model, shutdown=shutdown.isoformat()))
    return notes


def _retired(catalog: Catalog, model_id: str, as_of: dt.date) -> dt.date | None:
    try:
        return catalog.retired_on(model_id, as_of)
    except KeyError:  # an id the catalog lacks is reported where it is priced
        return None
