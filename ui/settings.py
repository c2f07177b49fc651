"""Shareable settings: the query-parameter model and its sync with widgets.

Everything a link should reproduce (language, models, price date, assumptions, currency, the
API requests page's choices, custom prices and, only when the user asks, the pasted text) is one
pydantic ``Settings`` (the Languages and Prices pages add their own, see ``ui.links``).
``parse_query_params`` validates each part on its own (``ui.link_codec``), so one bad value falls
back to its default (and is named) without losing the others. Widgets hold the live values in session state under
``widget_key(field)``; ``settings_from_state`` reads them back and ``write_query_params``
puts the non-default ones in the URL.
"""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import Annotated, Any, Literal, Mapping, TypeVar

import streamlit as st
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from pricing.schema import TIERS
from pricing import load_catalog
from pricing.estimates import DEFAULT_PAIR
from pricing.languages import load_samples
from pricing.tasks import DEFAULT_TIMES, QUESTIONS, REQUEST_REPLY_TOKENS, TASKS
from tokenizers.images import DEFAULT_IMAGE_SIZE
from pricing.currency import DEFAULT_CNY_PER_USD, MoneyView
from ui.link_codec import (  # noqa: F401  (re-exported: the link's codec, used with Settings)
    DROPPED_VALUE_CHARS,
    MAX_PARAM_CHARS,
    PRICES_PARAM_LIMIT,
    TEXT_PARAM_LIMIT,
    Dropped,
    decode_text,
    encode_text,
    field_extra,
    parse_params,
    share_url,
    to_params,
)

# Price dates a link or the date picker may name.
EARLIEST_PRICE_DATE = dt.date(2020, 1, 1)
LATEST_PRICE_DATE_AHEAD = dt.timedelta(days=3 * 365)
MAX_MODELS = 12
MAX_TEXT_COLUMNS = 20
# The models a link without ``models`` prices: the product's models as offered today (a model
# shut down by now gives way to its published replacement; see Catalog.default_models).
DEFAULT_MODELS = tuple(load_catalog().default_models(dt.date.today()))


@functools.cache
def vendor_names() -> tuple[str, ...]:
    """Every vendor and host of the embedded catalog (what a link's ``vendors`` may name)."""
    return tuple(load_catalog().vendor_names())
# Fields holding model ids: checked one by one against the context's ``known_models``.
MODEL_IDS = {"ids": "known_models"}
# Query parameters Streamlit itself reads; a link keeps them.
STREAMLIT_PARAMS = ("embed", "embed_options")


@functools.cache
def sample_codes() -> frozenset[str]:
    """The languages a translation can target: those with a sample text."""
    return frozenset(s.code for s in load_samples())


class Settings(BaseModel):
    """What a shareable link holds; field aliases are the query-parameter names."""

    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="ignore")

    lang: Literal["en", "zh"] | None = Field(default=None, alias="lang")
    models: tuple[str, ...] = Field(default=DEFAULT_MODELS, alias="models", min_length=1, max_length=MAX_MODELS,
                                    json_schema_extra=MODEL_IDS)
    as_of: dt.date | None = Field(default=None, alias="date")  # None: today
    currency: Literal["USD", "CNY"] = Field(default="USD", alias="cur")
    cny_per_usd: Annotated[Decimal, Field(gt=0, le=1000, decimal_places=4)] = Field(
        default=DEFAULT_CNY_PER_USD, alias="rate"
    )
    output_mode: Literal["fixed", "ratio"] = Field(default="fixed", alias="out")
    output_tokens: int = Field(default=REQUEST_REPLY_TOKENS, ge=0, le=10_000_000, alias="out_tokens")
    output_ratio: Annotated[Decimal, Field(ge=0, le=100, decimal_places=4)] = Field(
        default=Decimal("0.5"), alias="ratio"
    )
    # The workload: which question (None: by the input: files are a corpus, pasted text is
    # traffic), the passes over a corpus, the requests a month of traffic, the task (None: the
    # question's default), a translation's target language.
    question: Literal[QUESTIONS] | None = Field(default=None, alias="q")  # type: ignore[valid-type]
    runs: int = Field(default=DEFAULT_TIMES["corpus"], ge=0, le=10**9, alias="runs")
    requests: int = Field(default=DEFAULT_TIMES["traffic"], ge=0, le=10**12, alias="req")
    task: Literal[TASKS] | None = Field(default=None, alias="task")  # type: ignore[valid-type]
    target: str | None = Field(default=None, max_length=16, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z]{2,4})?$", alias="to")
    pair_from: str = Field(default=DEFAULT_PAIR[0], alias="from", json_schema_extra=MODEL_IDS)
    pair_to: str = Field(default=DEFAULT_PAIR[1], alias="vs", json_schema_extra=MODEL_IDS)
    # Short for tier "batch" (older links): read as that tier, so one control says which prices apply.
    batch: bool = Field(default=False, alias="batch")
    tier: Literal[TIERS] = Field(default="standard", alias="tier")  # type: ignore[valid-type]
    cached_share: Annotated[Decimal, Field(ge=0, le=1, decimal_places=4)] = Field(default=Decimal(0), alias="cached")
    # The vendors' rules the assumptions map onto (pricing.cost.Assumptions): cache writes and their
    # lifetime, hours a context cache is kept, traffic in off-peak windows, a regional uplift.
    cache_write_share: Annotated[Decimal, Field(ge=0, le=1, decimal_places=4)] = Field(default=Decimal(0),
                                                                                        alias="cwrite")
    cache_lifetime: Literal["5m", "1h"] = Field(default="5m", alias="ttl")
    cache_hours: Annotated[Decimal, Field(ge=0, le=8760, decimal_places=4)] = Field(default=Decimal(1), alias="chours")
    off_peak_share: Annotated[Decimal, Field(ge=0, le=1, decimal_places=4)] = Field(default=Decimal(0),
                                                                                     alias="offpeak")
    regional: bool = Field(default=False, alias="region")
    baseline: str | None = Field(default=None, alias="base", json_schema_extra=MODEL_IDS)
    text: str | None = Field(default=None, alias="text", json_schema_extra={"max_chars": TEXT_PARAM_LIMIT})
    # An upload's text columns (several: priced together, joined in this order) and group column,
    # as the person chose them; empty / None: chosen by content, no grouping.
    text_columns: tuple[Annotated[str, Field(max_length=200)], ...] = Field(default=(), alias="cols",
                                                                            max_length=MAX_TEXT_COLUMNS)
    group_column: str | None = Field(default=None, max_length=200, alias="group")
    # The API requests page's own choices (their widget keys are ``s_req_*``).
    req_reprice: bool = Field(default=False, alias="reprice")
    req_image_w: int = Field(default=DEFAULT_IMAGE_SIZE[0], ge=1, le=100_000, alias="img_w")
    req_image_h: int = Field(default=DEFAULT_IMAGE_SIZE[1], ge=1, le=100_000, alias="img_h")
    req_ft_default_epochs: bool = Field(default=True, alias="ft_auto")
    req_ft_epochs: int = Field(default=3, ge=1, le=100, alias="epochs")
    # The session's custom prices (a CatalogFile's JSON, zlib + base64url) when they fit; read
    # from a link before anything else (they decide which models exist), see ui.links.
    prices: str | None = Field(default=None, alias="prices", json_schema_extra={"max_chars": PRICES_PARAM_LIMIT})

    @model_validator(mode="before")
    @classmethod
    def _batch_is_the_batch_tier(cls, data: Any) -> Any:
        # ``batch=1`` with no other tier means the Batch tier; the flag itself is then dropped,
        # so the tier box shows what is priced and a new link says ``tier=batch``.
        if isinstance(data, Mapping) and data.get("batch") in (True, 1, "1", "true", "True") \
                and data.get("tier") in ("standard", None):
            data = {**data, "tier": "batch", "batch": False}
        return data

    @field_validator("models", mode="before")
    @classmethod
    def _split_models(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str):
            value = [m.strip() for m in value.split(",") if m.strip()]
        known = (info.context or {}).get("known_models")
        if known is not None:
            unknown = [m for m in value if m not in known]
            if unknown:
                raise ValueError(f"unknown models: {', '.join(unknown)}")
        return tuple(dict.fromkeys(value))  # keep order, drop repeats

    @field_validator("text_columns", mode="before")
    @classmethod
    def _split_columns(cls, value: Any) -> Any:
        # "title,description" in a link; a column name holding a comma cannot be named there.
        if isinstance(value, str):
            value = [c.strip() for c in value.split(",") if c.strip()]
        return tuple(dict.fromkeys(value))

    @field_validator("baseline", "pair_from", "pair_to")
    @classmethod
    def _known_baseline(cls, value: str | None, info: ValidationInfo) -> str | None:
        known = (info.context or {}).get("known_models")
        if value is not None and known is not None and value not in known:
            raise ValueError(f"unknown model: {value}")
        return value

    @field_validator("target")
    @classmethod
    def _known_target(cls, value: str | None) -> str | None:
        if value is not None and value not in sample_codes():
            raise ValueError(f"no sample text for {value}")
        return value

    @field_validator("as_of")
    @classmethod
    def _date_in_range(cls, value: dt.date | None) -> dt.date | None:
        if value is not None and not EARLIEST_PRICE_DATE <= value <= dt.date.today() + LATEST_PRICE_DATE_AHEAD:
            raise ValueError("the price date is out of range")
        return value

    @field_validator("text")
    @classmethod
    def _decodable_text(cls, value: str | None) -> str | None:
        if value is not None:
            decode_text(value)  # raises ValueError when it is not ours
        return value


DEFAULTS = Settings()
M = TypeVar("M", bound=BaseModel)
FIELDS = tuple(Settings.model_fields)
PARAM_OF = {name: info.alias or name for name, info in Settings.model_fields.items()}
FIELD_OF = {alias: name for name, alias in PARAM_OF.items()}


def parse_query_params(
    params: Mapping[str, str | list[str]], known_models: set[str] | None = None
) -> tuple[Settings, list[Dropped]]:
    """Settings from query parameters, and the parts that could not be used (see parse_params).

    ``known_models``, when given, is the set of model ids a link may name.
    """
    return parse_params(Settings, params, {"known_models": known_models})


def to_query_params(settings: Settings) -> dict[str, str]:
    """The parameters that differ from the defaults, as strings (the link's query)."""
    return to_params(settings)


# --- Session-state side: widgets own the live values -------------------------------------

LOADED_KEY = "_settings_loaded"
# The Estimate page's text box and its "include my text in the link" tick.
SHARED_TEXT_KEY = "s_estimate_text"
SHARE_TEXT_TICK_KEY = "s_share_text"
NOTICES_KEY = "_settings_bad_params"


def widget_key(name: str) -> str:
    """The session-state key of the widget for settings field ``name`` (``s_`` keys persist)."""
    return f"s_{name}"


def persist_widget_state() -> None:
    """Keep values of widgets on pages not shown in this run (Streamlit drops them otherwise):
    every key starting with "s_" survives page changes."""
    state = st.session_state
    for key in [k for k in state if isinstance(k, str) and k.startswith("s_")]:
        state[key] = state[key]


def seed_state(settings: BaseModel) -> None:
    """Put each field of ``settings`` in its widget's session-state key (``widget_key``)."""
    state = st.session_state
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        if name == "as_of":
            value = value or dt.date.today()
        elif name == "text":
            if value is not None:
                state[SHARED_TEXT_KEY] = decode_text(value)
                state[SHARE_TEXT_TICK_KEY] = True
            continue
        elif name == "prices":
            continue  # applied by ui.links before anything else; written back by sync each run
        elif isinstance(value, tuple) and "ids" in field_extra(type(settings), name):
            value = list(value)  # multiselect widgets hold lists
        elif isinstance(value, Decimal):
            value = float(value)  # number widgets hold floats; state_settings makes them exact
        if value is not None:
            state[widget_key(name)] = value


def query_dict() -> dict[str, list[str]]:
    """The address bar's parameters, each with every value it was given (a repeat is seen)."""
    return {name: st.query_params.get_all(name) for name in st.query_params}


def state_settings(model: type[M]) -> M:
    """``model``'s settings as the widgets hold them (defaults for widgets not yet drawn).

    A value the model rejects falls back to its default alone, never the whole set.
    """
    values: dict[str, Any] = {}
    for name in model.model_fields:
        key = widget_key(name)
        if key not in st.session_state:
            continue
        value = st.session_state[key]
        if isinstance(value, float):
            # Widgets hand back binary floats (0.15000000000000002); the settings are exact
            # decimals with the precision the model allows.
            value = Decimal(repr(value)).quantize(_PLACES).normalize()
        elif isinstance(value, list):
            value = tuple(value)
        if name == "as_of" and value == dt.date.today():
            value = None
        values[name] = value
    while True:
        try:
            return model.model_validate(values)
        except ValidationError as exc:
            failed = {str(err["loc"][0]) for err in exc.errors() if err["loc"]} & set(values)
            if not failed:
                return model()
            values = {k: v for k, v in values.items() if k not in failed}


def settings_from_state() -> Settings:
    """The shared and Estimate/API requests settings as the widgets hold them (see state_settings)."""
    return state_settings(Settings)


_PLACES = Decimal("0.0001")


def sync_shared_text() -> bool:
    """Put the text box's current text in the settings' ``text`` when "include my text" is
    ticked, else nothing (run once per rerun, after whichever page drew the box).

    Returns True when the text is ticked but too long for a link (it is left out).
    """
    state = st.session_state
    text = state.get(SHARED_TEXT_KEY) or ""
    packed = encode_text(text) if state.get(SHARE_TEXT_TICK_KEY) and text else None
    state[widget_key("text")] = packed
    return bool(state.get(SHARE_TEXT_TICK_KEY) and text and packed is None)


def bad_params() -> list[Dropped]:
    """The parts of the opening link that could not be used (they fell back to defaults)."""
    return list(st.session_state.get(NOTICES_KEY, []))


def write_query_params(wanted: dict[str, str]) -> None:
    """Put ``wanted`` (see ``to_params``) in the address bar, only when it changed (no needless
    updates); Streamlit's own parameters are kept."""
    wanted = dict(wanted)
    current = st.query_params.to_dict()
    for name in STREAMLIT_PARAMS:
        if name in current:
            wanted[name] = current[name]
    if wanted != current:
        st.query_params.from_dict(wanted)


def money_view(settings: Settings) -> MoneyView:
    """How money is shown under ``settings`` (USD, or CNY at the user's rate)."""
    return MoneyView(currency=settings.currency, cny_per_usd=settings.cny_per_usd)


def price_date(settings: Settings) -> dt.date:
    """The day prices are taken from (today unless the user picked one)."""
    return settings.as_of or dt.date.today()
