"""The shareable-link model: parse, fall back per parameter, round trip, shared text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings as hsettings, strategies as st

from pricing import load_catalog
from ui.settings import (
    DEFAULTS,
    TEXT_PARAM_LIMIT,
    Settings,
    decode_text,
    encode_text,
    parse_query_params,
    share_url,
    to_query_params,
)

KNOWN = set(load_catalog().ids())


def test_empty_query_gives_defaults():
    parsed, bad = parse_query_params({}, KNOWN)
    assert parsed == DEFAULTS and bad == []
    # Today's defaults: gpt-3.5-turbo (shut down on 2026-10-23) gives way to gpt-5.6-terra, the
    # replacement named on OpenAI's late-2026 deprecations page (issue 19's audit).
    assert parsed.models == ("gpt-4o", "gpt-4o-mini", "gpt-5.6-terra")


def test_valid_parameters_are_read():
    parsed, bad = parse_query_params(
        {"lang": "zh", "models": "gpt-4o,gpt-4-turbo", "date": "2025-01-15", "req": "250", "out": "ratio",
         "ratio": "0.25", "batch": "1", "cached": "0.5", "cur": "CNY", "rate": "7.2"},
        KNOWN,
    )
    assert bad == []
    assert parsed.lang == "zh"
    assert parsed.models == ("gpt-4o", "gpt-4-turbo")
    assert parsed.as_of == dt.date(2025, 1, 15)
    assert parsed.requests == 250 and parsed.output_mode == "ratio" and parsed.output_ratio == Decimal("0.25")
    # ``batch=1`` is read as the Batch tier (one control says which prices apply).
    assert (parsed.tier, parsed.batch) == ("batch", False) and parsed.cached_share == Decimal("0.5")
    assert parsed.currency == "CNY" and parsed.cny_per_usd == Decimal("7.2")


def test_each_bad_parameter_falls_back_alone():
    parsed, bad = parse_query_params(
        {"lang": "fr", "models": "gpt-4o,gpt-9000", "req": "-5", "cached": "2", "date": "yesterday",
         "out_tokens": "300", "utm_source": "x"},
        KNOWN,
    )
    assert sorted((d.param, d.value, d.reason) for d in bad) == [
        ("cached", "2", "invalid"), ("date", "yesterday", "invalid"), ("lang", "fr", "invalid"),
        ("models", "gpt-9000", "unknown_model"), ("req", "-5", "invalid")]
    # The unknown model is dropped alone: the good one stays.
    assert parsed.lang is None and parsed.models == ("gpt-4o",) and parsed.requests == DEFAULTS.requests
    assert parsed.cached_share == 0 and parsed.as_of is None
    assert parsed.output_tokens == 300  # the good one survives


def test_query_round_trip_keeps_only_non_defaults():
    chosen = Settings(lang="zh", models=("gpt-4o-mini",), as_of=dt.date(2024, 9, 1), requests=42, batch=True,
                      cached_share=Decimal("0.25"), output_tokens=0)
    assert chosen.tier == "batch" and chosen.batch is False  # the short form becomes the tier
    query = to_query_params(chosen)
    assert query == {"lang": "zh", "models": "gpt-4o-mini", "date": "2024-09-01", "out_tokens": "0", "req": "42",
                     "tier": "batch", "cached": "0.25"}
    assert parse_query_params(query, KNOWN) == (chosen, [])
    assert to_query_params(DEFAULTS) == {}


def test_share_url_replaces_the_query():
    url = share_url("https://x.streamlit.app/estimate?old=1", Settings(requests=5))
    assert url == "https://x.streamlit.app/estimate?req=5"


def test_text_parameter_round_trip_and_limit():
    text = "价格 <|endoftext|> <script>alert(1)</script>"
    packed = encode_text(text)
    assert packed is not None and "=" not in packed and "+" not in packed and "/" not in packed
    assert decode_text(packed) == text
    assert parse_query_params({"text": packed}, KNOWN)[0].text == packed
    noise = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(3000))  # does not compress to 2 KB
    assert encode_text(noise) is None
    assert [(d.param, d.reason) for d in parse_query_params({"text": "!!not-ours"}, KNOWN)[1]] == [("text", "invalid")]
    assert len(encode_text("a" * 100_000)) <= TEXT_PARAM_LIMIT


@hsettings(max_examples=60, deadline=None)
@given(
    models=st.lists(st.sampled_from(sorted(KNOWN)), min_size=1, max_size=5, unique=True),
    requests=st.integers(0, 10**9),
    out=st.integers(0, 10**6),
    cached=st.decimals(0, 1, places=2),
    batch=st.booleans(),
    lang=st.sampled_from([None, "en", "zh"]),
)
def test_any_settings_survive_the_link(models, requests, out, cached, batch, lang):
    chosen = Settings(models=tuple(models), requests=requests, output_tokens=out, cached_share=cached, batch=batch,
                      lang=lang)
    parsed, bad = parse_query_params(to_query_params(chosen), KNOWN)
    assert bad == [] and parsed == chosen
