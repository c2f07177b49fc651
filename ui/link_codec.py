"""A share link's codec, without Streamlit: query parameters to a pydantic settings model and
back, each part that cannot be used dropped alone (``Dropped``), and text packed for a URL.

A model's field aliases are the parameter names; ``json_schema_extra`` may mark a field with
``ids`` (its value is a comma-separated list of ids checked one by one against a set the caller
gives) and ``max_chars`` (the longest value read; others stop at MAX_PARAM_CHARS).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import zlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable, Mapping, TypeVar
from urllib.parse import urlencode

from pydantic import BaseModel, ValidationError

# Shared pasted text is capped so links stay usable (browsers and chat apps cut long URLs).
TEXT_PARAM_LIMIT = 2048
# Custom prices carried in a link (zlib + base64url of their JSON): one edited model fits.
PRICES_PARAM_LIMIT = 4096
# Any other parameter longer than this is not ours (a 100 kB value is dropped unread).
MAX_PARAM_CHARS = 1024
# A dropped value is quoted in the notice up to this many characters.
DROPPED_VALUE_CHARS = 40

M = TypeVar("M", bound=BaseModel)


def encode_text(text: str, limit: int = TEXT_PARAM_LIMIT) -> str | None:
    """``text`` as a compact URL-safe parameter, or None when longer than ``limit``."""
    packed = base64.urlsafe_b64encode(zlib.compress(text.encode("utf-8"), 9)).decode("ascii").rstrip("=")
    return packed if len(packed) <= limit else None


def decode_text(packed: str, limit: int = TEXT_PARAM_LIMIT) -> str:
    """The text in a ``text`` parameter (at most ``limit`` characters); raises ValueError when
    it is not one."""
    if len(packed) > limit:
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


@dataclass(frozen=True)
class Dropped:
    """A part of a link that could not be used: its parameter, its value (shortened to
    DROPPED_VALUE_CHARS, one line) and why (``unknown_model``, ``unknown_vendor``, ``invalid``,
    ``too_long``, ``repeated``, ``too_many``, ``prices_invalid``)."""

    param: str
    value: str
    reason: str

    @classmethod
    def of(cls, param: str, value: str, reason: str) -> "Dropped":
        flat = " ".join(value.split())
        if len(flat) > DROPPED_VALUE_CHARS:
            flat = flat[: DROPPED_VALUE_CHARS - 1] + "…"
        return cls(param, flat, reason)


def _aliases(model: type[BaseModel]) -> dict[str, str]:
    """Query-parameter name -> field name of ``model``."""
    return {info.alias or name: name for name, info in model.model_fields.items()}


def field_extra(model: type[BaseModel], name: str) -> dict[str, Any]:
    extra = model.model_fields[name].json_schema_extra
    return extra if isinstance(extra, dict) else {}


def parse_params(
    model: type[M], params: Mapping[str, str | list[str]], context: Mapping[str, Any] | None = None
) -> tuple[M, list[Dropped]]:
    """``model`` from query parameters, and the parts that could not be used.

    Each part falls back alone: a list of ids keeps its known ids and drops the others one by
    one; a value given twice (differently), longer than its field allows or invalid falls back
    to its default. Parameter names ``model`` does not know are ignored. ``context`` maps a
    field's ``ids`` marker (``json_schema_extra={"ids": ...}``) to the set of ids it may name; an
    id it does not name is dropped as ``unknown_<item>``, the marker's ``item`` ("model" unless told).
    """
    context = dict(context or {})
    fields = _aliases(model)
    raw: dict[str, str] = {}
    dropped: list[Dropped] = []
    for param, given in params.items():
        if param not in fields:
            continue
        values = list(dict.fromkeys(given if isinstance(given, list) else [given]))
        if len(values) != 1:
            if values:
                dropped.append(Dropped.of(param, " | ".join(values), "repeated"))
            continue
        (value,) = values
        extra = field_extra(model, fields[param])
        if len(value) > extra.get("max_chars", MAX_PARAM_CHARS):
            dropped.append(Dropped.of(param, value, "too_long"))
            continue
        known = context.get(extra["ids"]) if "ids" in extra else None
        if known is not None:
            ids = list(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
            kept = [v for v in ids if v in known]
            unknown = f"unknown_{extra.get('item', 'model')}"
            dropped.extend(Dropped.of(param, v, unknown) for v in ids if v not in known)
            limit = model.model_fields[fields[param]].metadata
            most = next((m.max_length for m in limit if getattr(m, "max_length", None) is not None), None)
            if most is not None and len(kept) > most:
                dropped.append(Dropped.of(param, ",".join(kept[most:]), "too_many"))
                kept = kept[:most]
            if ids and not kept:
                continue  # every one was named above
            value = ",".join(kept)
        raw[param] = value
    while True:
        try:
            return model.model_validate(raw, context=context), dropped
        except ValidationError as exc:
            failed = {str(err["loc"][0]) for err in exc.errors() if err["loc"]}
            names = {model.model_fields[f].alias or f for f in failed if f in model.model_fields}
            failed_params = (names | failed) & set(raw)
            if not failed_params:  # cannot tell which one: drop them all rather than loop
                failed_params = set(raw)
            dropped.extend(Dropped.of(p, raw[p], "invalid") for p in sorted(failed_params))
            raw = {k: v for k, v in raw.items() if k not in failed_params}


def to_params(settings: BaseModel, names: Iterable[str] | None = None) -> dict[str, str]:
    """The fields of ``settings`` (all, or ``names``) that differ from the defaults, as query strings."""
    out: dict[str, str] = {}
    fields = type(settings).model_fields
    for name in names if names is not None else fields:
        value = getattr(settings, name)
        if value == fields[name].get_default(call_default_factory=True) or value is None:
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
        out[fields[name].alias or name] = text
    return out


def share_url(base_url: str | None, settings: BaseModel | Mapping[str, str]) -> str:
    """A link that reopens the app with ``settings`` (a settings model, or its query as
    ``to_params`` gives it); ``base_url`` is the page's address."""
    base = (base_url or "").split("?", 1)[0]
    query = urlencode(to_params(settings) if isinstance(settings, BaseModel) else dict(settings))
    return f"{base}?{query}" if query else base or "?"
