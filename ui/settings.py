"""Shareable settings: the query-parameter model and its sync with widgets.

Everything a link should reproduce (language, models, price date, assumptions, currency and,
only when the user asks, the pasted text) is one pydantic ``Settings``. ``parse_query_params``
validates each parameter on its own, so one bad value falls back to its default (and is
reported) without losing the others. Widgets hold the live values in session state under
``widget_key(field)``; ``settings_from_state`` reads them back and ``write_query_params``
puts the non-default ones in the URL.
"""

from __future__ import annotations

import base64
import functools
import binascii
import datetime as dt
import zlib
from decimal import Decimal
from typing import Annotated, Any, Literal, Mapping
from urllib.parse import urlencode

import streamlit as st
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from pricing.models import TIERS
from pricing import load_catalog
from pricing.estimates import DEFAULT_PAIR
from pricing.languages import load_samples
from pricing.tasks import DEFAULT_TIMES, QUESTIONS, TASKS
from ui.formatting import MoneyView

# Price dates a link or the date picker may name.
EARLIEST_PRICE_DATE = dt.date(2020, 1, 1)
LATEST_PRICE_DATE_AHEAD = dt.timedelta(days=3 * 365)
# Shared pasted text is capped so links stay usable (browsers and chat apps cut long URLs).
TEXT_PARAM_LIMIT = 2048
MAX_MODELS = 12
# The models a link without ``models`` prices: the product's models as offered today (a model
# shut down by now gives way to its published replacement; see Catalog.default_models).
DEFAULT_MODELS = tuple(load_catalog().default_models(dt.date.today()))
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
    models: tuple[str, ...] = Field(default=DEFAULT_MODELS, alias="models", min_length=1, max_length=MAX_MODELS)
    as_of: dt.date | None = Field(default=None, alias="date")  # None: today
    currency: Literal["USD", "CNY"] = Field(default="USD", alias="cur")
    cny_per_usd: Annotated[Decimal, Field(gt=0, le=1000, decimal_places=4)] = Field(
        default=Decimal("7.1"), alias="rate"
    )
    output_mode: Literal["fixed", "ratio"] = Field(default="fixed", alias="out")
    output_tokens: int = Field(default=500, ge=0, le=10_000_000, alias="out_tokens")
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
    pair_from: str = Field(default=DEFAULT_PAIR[0], alias="from")
    pair_to: str = Field(default=DEFAULT_PAIR[1], alias="vs")
    batch: bool = Field(default=False, alias="batch")  # the Requests page's toggle; short for tier "batch"
    tier: Literal[TIERS] = Field(default="standard", alias="tier")  # type: ignore[valid-type]
    cached_share: Annotated[Decimal, Field(ge=0, le=1, decimal_places=4)] = Field(default=Decimal(0), alias="cached")
    baseline: str | None = Field(default=None, alias="base")
    text: str | None = Field(default=None, alias="text")  # zlib + base64url of the shared text

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
FIELDS = tuple(Settings.model_fields)
PARAM_OF = {name: info.alias or name for name, info in Settings.model_fields.items()}
FIELD_OF = {alias: name for name, alias in PARAM_OF.items()}


def encode_text(text: str) -> str | None:
    """``text`` as a compact URL-safe parameter, or None when longer than TEXT_PARAM_LIMIT."""
    packed = base64.urlsafe_b64encode(zlib.compress(text.encode("utf-8"), 9)).decode("ascii").rstrip("=")
    return packed if len(packed) <= TEXT_PARAM_LIMIT else None


def decode_text(packed: str) -> str:
    """The text in a ``text`` parameter; raises ValueError when it is not one."""
    if len(packed) > TEXT_PARAM_LIMIT:
        raise ValueError("the shared text is too long")
    try:
        raw = base64.urlsafe_b64decode(packed + "=" * (-len(packed) % 4))
        # Bound the inflated size too: a tiny parameter must not become a huge text.
        inflater = zlib.decompressobj()
        data = inflater.decompress(raw, 1 << 20)
        if inflater.unconsumed_tail:
            raise ValueError("the shared text is too long")
        return data.decode("utf-8")
    except (binascii.Error, zlib.error, UnicodeDecodeError) as exc:
        raise ValueError("not a shared text") from exc


def parse_query_params(
    params: Mapping[str, str | list[str]], known_models: set[str] | None = None
) -> tuple[Settings, list[str]]:
    """Settings from query parameters, and the names of the parameters that were invalid.

    Each invalid parameter falls back to its default; unknown parameter names are ignored.
    ``known_models``, when given, is the set of model ids a link may name.
    """
    raw = {k: (v[-1] if isinstance(v, list) else v) for k, v in params.items() if k in FIELD_OF}
    context = {"known_models": known_models}
    bad: list[str] = []
    while True:
        try:
            return Settings.model_validate(raw, context=context), bad
        except ValidationError as exc:
            failed = {str(err["loc"][0]) for err in exc.errors() if err["loc"]}
            failed = {PARAM_OF.get(name, name) for name in failed} & set(raw)
            if not failed:  # cannot tell which one: drop them all rather than loop
                return Settings(), sorted(raw)
            bad.extend(sorted(failed))
            raw = {k: v for k, v in raw.items() if k not in failed}


def to_query_params(settings: Settings) -> dict[str, str]:
    """The parameters that differ from the defaults, as strings (the link's query)."""
    out: dict[str, str] = {}
    for name in FIELDS:
        value = getattr(settings, name)
        if value == getattr(DEFAULTS, name) or value is None:
            continue
        if isinstance(value, tuple):
            text = ",".join(value)
        elif isinstance(value, bool):
            text = "1" if value else "0"
        elif isinstance(value, Decimal):
            text = format(value.normalize(), "f")
        elif isinstance(value, dt.date):
            text = value.isoformat()
        else:
            text = str(value)
        out[PARAM_OF[name]] = text
    return out


def share_url(base_url: str | None, settings: Settings) -> str:
    """A link that reopens the app with ``settings``; ``base_url`` is the page's address."""
    base = (base_url or "").split("?", 1)[0]
    query = urlencode(to_query_params(settings))
    return f"{base}?{query}" if query else base or "?"


# --- Session-state side: widgets own the live values -------------------------------------

_LOADED_KEY = "_settings_loaded"
# The Estimate page's text box and its "include my text in the link" tick.
SHARED_TEXT_KEY = "s_estimate_text"
SHARE_TEXT_TICK_KEY = "s_share_text"
NOTICES_KEY = "_settings_bad_params"


def widget_key(name: str) -> str:
    """The session-state key of the widget for settings field ``name`` (``s_`` keys persist)."""
    return f"s_{name}"


def load_into_state(known_models: set[str]) -> None:
    """Once per session: seed the widgets from the query parameters (bad ones are recorded)."""
    state = st.session_state
    if state.get(_LOADED_KEY):
        # Keep values of widgets on pages not shown in this run (Streamlit drops them otherwise):
        # every key starting with "s_" survives page changes.
        for key in [k for k in state if isinstance(k, str) and k.startswith("s_")]:
            state[key] = state[key]
        return
    settings, bad = parse_query_params(st.query_params.to_dict(), known_models)
    for name in FIELDS:
        value = getattr(settings, name)
        if name == "as_of":
            value = value or dt.date.today()
        elif name == "models":
            value = list(value)
        elif name in ("cny_per_usd", "output_ratio", "cached_share"):
            value = float(value)  # number widgets hold floats; settings_from_state makes them exact
        elif name == "text":
            if value is not None:
                state[SHARED_TEXT_KEY] = decode_text(value)
                state[SHARE_TEXT_TICK_KEY] = True
            continue
        if value is not None:
            state[widget_key(name)] = value
    state[NOTICES_KEY] = bad
    state[_LOADED_KEY] = True


def settings_from_state() -> Settings:
    """The current settings as the widgets hold them (defaults for widgets not yet drawn).

    A value the model rejects falls back to its default alone, never the whole set.
    """
    values: dict[str, Any] = {}
    for name in FIELDS:
        key = widget_key(name)
        if key not in st.session_state:
            continue
        value = st.session_state[key]
        if isinstance(value, float):
            # Widgets hand back binary floats (0.15000000000000002); the settings are exact
            # decimals with the precision the model allows.
            value = Decimal(repr(value)).quantize(_PLACES).normalize()
        if name == "as_of" and value == dt.date.today():
            value = None
        if name == "models":
            value = tuple(value) or DEFAULTS.models
        values[name] = value
    while True:
        try:
            return Settings.model_validate(values)
        except ValidationError as exc:
            failed = {str(err["loc"][0]) for err in exc.errors() if err["loc"]} & set(values)
            if not failed:
                return DEFAULTS
            values = {k: v for k, v in values.items() if k not in failed}


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


def bad_params() -> list[str]:
    """Query parameters of the opening link that were invalid and fell back to defaults."""
    return list(st.session_state.get(NOTICES_KEY, []))


def write_query_params(settings: Settings) -> None:
    """Put ``settings`` in the address bar (only when they changed, to avoid needless updates)."""
    wanted = to_query_params(settings)
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
