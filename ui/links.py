"""Share links for every page: each page's own settings, opening a link, the address bar.

A link holds the shared settings (``ui.settings.Settings``: language, models, date, currency,
custom prices) and the settings of the page it points at: the Estimate and API requests pages
read ``Settings`` whole, the Languages and Prices pages have their own models below. Opening a
link reads its custom prices first (they decide which model ids exist), then everything else;
each part that cannot be used is dropped alone and named in a notice.
"""

from __future__ import annotations

import json
from typing import Literal

import streamlit as st
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from pricing import CatalogError, parse_catalog_file
from pricing.catalog import catalog_json
from pricing.history import DEFAULT_HISTORY_MODELS
from pricing.schema import CatalogFile
from ui.catalog import CATALOG_OVERRIDE_KEY, app_catalog, catalog_key, countable_ids, embedded_catalog, session_override
from ui.formatting import escape_markdown
from ui.i18n import t
from ui.settings import (
    LOADED_KEY,
    NOTICES_KEY,
    PRICES_PARAM_LIMIT,
    Dropped,
    Settings,
    bad_params,
    decode_text,
    encode_text,
    parse_params,
    persist_widget_state,
    query_dict,
    sample_codes,
    vendor_names,
    seed_state,
    settings_from_state,
    state_settings,
    to_params,
    widget_key,
)

# The Languages page's waterfall of all samples together (no sample code is "all").
ALL_GROUPS = "all"
# The Languages page's token view starts on this sample (when there is one).
DEFAULT_VIEW_SAMPLE = "zh-Hans"
MAX_HISTORY_MODELS = 40
# Notices name at most this many dropped parts (a hostile link may hold thousands).
MAX_NOTICES = 10
# The fields of ``Settings`` every page's link carries: the sidebar's, custom prices, and the
# text box the Estimate and Languages pages share (when the person ticked "include my text").
SHARED_FIELDS = ("lang", "models", "as_of", "currency", "cny_per_usd", "prices", "text")
# The workload (the question, its volume, the task and its output, tier, cached share) and the
# two models compared: the Estimate page's, which the Languages page asks the same way.
WORKLOAD_FIELDS = ("question", "runs", "requests", "task", "target", "output_mode", "output_tokens", "output_ratio",
                   "tier", "cached_share", "pair_from", "pair_to", "text_columns", "group_column")
# The fields of ``Settings`` a page with settings of its own carries besides them.
PAGE_SHARED_FIELDS = {"languages": SHARED_FIELDS + WORKLOAD_FIELDS, "prices": SHARED_FIELDS}


class LanguagesSettings(BaseModel):
    """The Languages page's own settings; field aliases are the query-parameter names."""

    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="ignore")

    lang_wf_group: str = Field(default=ALL_GROUPS, alias="wf")  # the samples' waterfall: all, or one
    lang_view_sample: str = Field(default=DEFAULT_VIEW_SAMPLE, alias="sample")
    lang_view_ids: bool = Field(default=False, alias="ids")

    @field_validator("lang_view_sample", "lang_wf_group")
    @classmethod
    def _has_sample(cls, value: str, info: ValidationInfo) -> str:
        if value not in sample_codes() and not (info.field_name == "lang_wf_group" and value == ALL_GROUPS):
            raise ValueError(f"no sample text for {value}")
        return value


class PricesSettings(BaseModel):
    """The Prices page's own settings: the history chart's models and side."""

    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="ignore")

    prices_history_models: tuple[str, ...] = Field(
        default=DEFAULT_HISTORY_MODELS, alias="hist", max_length=MAX_HISTORY_MODELS,
        json_schema_extra={"ids": "price_ids"},
    )
    prices_history_side: Literal["input", "output"] = Field(default="input", alias="side")
    # The vendor filter of today's prices (none: every vendor).
    prices_vendors: tuple[str, ...] = Field(default=(), alias="vendors", max_length=20,
                                            json_schema_extra={"ids": "vendor_names", "item": "vendor"})

    @field_validator("prices_vendors", mode="before")
    @classmethod
    def _known_vendors(cls, value: object) -> object:
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        unknown = [v for v in value if v not in vendor_names()]
        if unknown:
            raise ValueError(f"unknown vendors: {', '.join(unknown)}")
        return tuple(dict.fromkeys(value))

    @field_validator("prices_history_models", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        if isinstance(value, str):
            value = tuple(v.strip() for v in value.split(",") if v.strip())
        return value


# Pages with settings of their own (by url path); the others read ``Settings`` whole.
PAGE_MODELS: dict[str, type[BaseModel]] = {"languages": LanguagesSettings, "prices": PricesSettings}


def encode_prices(override: CatalogFile) -> str | None:
    """Custom prices as a link parameter, or None when they do not fit PRICES_PARAM_LIMIT."""
    text = override.model_dump_json(by_alias=True, exclude_none=True)
    if len(text) > 64 * PRICES_PARAM_LIMIT:  # cannot compress that far: do not spend the time
        return None
    return encode_text(text, PRICES_PARAM_LIMIT)


def decode_prices(packed: str) -> CatalogFile:
    """The custom prices in a ``prices`` parameter; raises ValueError (CatalogError, a JSON
    error) when it is not a valid catalog file."""
    return parse_catalog_file(catalog_json(decode_text(packed, PRICES_PARAM_LIMIT), "link"), "link")


@st.cache_data(max_entries=16, show_spinner=False)
def _packed_prices(key: str, _override: CatalogFile) -> str | None:
    return encode_prices(_override)  # keyed by the override's hash: not re-packed each rerun


def shared_prices() -> str | None:
    """This session's custom prices as a link parameter (None: none, or too large)."""
    override = session_override()
    return None if override is None else _packed_prices(catalog_key(), override)


def _apply_prices(values: list[str]) -> list[Dropped]:
    """Use the custom prices a link carries; the reasons they cannot be used, if any."""
    distinct = list(dict.fromkeys(values))
    if len(distinct) != 1:
        return [Dropped.of("prices", " | ".join(distinct), "repeated")] if distinct else []
    (packed,) = distinct
    if len(packed) > PRICES_PARAM_LIMIT:
        return [Dropped.of("prices", packed, "too_long")]
    try:
        override = decode_prices(packed)
        embedded_catalog().merged(override)  # references must resolve, as on the Prices page
    except (ValueError, CatalogError, json.JSONDecodeError):
        return [Dropped.of("prices", packed, "prices_invalid")]
    st.session_state[CATALOG_OVERRIDE_KEY] = override
    return []


def open_link(page: str) -> None:
    """Once per session: seed every widget from the opening link of ``page`` (a url path).

    Custom prices first, then the page's own settings (if it has a model), then ``Settings``
    from the parameters the page model did not take; the dropped parts are kept for
    ``show_link_notices``. Later runs only keep the widgets' values across pages.
    """
    state = st.session_state
    if state.get(LOADED_KEY):
        persist_widget_state()
        return
    params = query_dict()
    dropped = _apply_prices(params.pop("prices", []))
    catalog = app_catalog()
    context = {"known_models": set(countable_ids(catalog)), "price_ids": set(catalog.ids()),
               "vendor_names": set(catalog.vendor_names())}
    for path, model in PAGE_MODELS.items():
        if path != page:
            seed_state(model())  # defaults, so the page's widgets need no default of their own
            continue
        own, bad = parse_params(model, params, context)
        seed_state(own)
        dropped.extend(bad)
        taken = {info.alias or name for name, info in model.model_fields.items()}
        params = {k: v for k, v in params.items() if k not in taken}
    settings, bad = parse_params(Settings, params, context)
    seed_state(settings)
    state[NOTICES_KEY] = [*dropped, *bad]
    state[LOADED_KEY] = True


def query_for(page: str) -> dict[str, str]:
    """The query a link to ``page`` carries now: shared settings and the page's own."""
    state = st.session_state
    state[widget_key("prices")] = shared_prices()
    settings = settings_from_state()
    model = PAGE_MODELS.get(page)
    if model is None:
        return to_params(settings)
    return {**to_params(settings, PAGE_SHARED_FIELDS[page]), **to_params(state_settings(model))}


def show_link_notices() -> None:
    """Name each part of the opening link that could not be used (it fell back to its default)."""
    dropped = bad_params()
    if not dropped:
        return
    lines = [t(f"share_dropped_{d.reason}", param=d.param, value=escape_markdown(d.value)) for d in dropped[:MAX_NOTICES]]
    if len(dropped) > MAX_NOTICES:
        lines.append(t("share_dropped_more", count=len(dropped) - MAX_NOTICES))
    body = "\n".join(f"- {line}" for line in lines)
    st.warning(f"{t('share_dropped_intro')}\n\n{body}", icon=":material/link_off:")


def show_custom_prices_banner() -> None:
    """On every page: say that custom prices are in use, and whether the share link carries them."""
    override = session_override()
    if override is None:
        return
    ids = sorted({m.id for m in override.models} | {a.id for a in override.aliases})
    shown = ", ".join(ids[:5]) + (" …" if len(ids) > 5 else "")
    key = "share_custom_prices_in_link" if shared_prices() else "share_custom_prices_not_in_link"
    st.warning(t(key, models=escape_markdown(shown)), icon=":material/price_change:")
