"""Share links, parsed without Streamlit running: every page's settings model, each bad part of a
link dropped alone and named, hostile values falling back, custom prices packed into a link."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from pricing import load_catalog
from pricing.history import DEFAULT_HISTORY_MODELS
from pricing.languages import load_samples
from pricing.schema import CatalogFile
from ui.links import LanguagesSettings, PricesSettings, decode_prices, encode_prices
from ui.settings import (
    DEFAULTS,
    DROPPED_VALUE_CHARS,
    MAX_MODELS,
    PRICES_PARAM_LIMIT,
    Dropped,
    Settings,
    encode_text,
    parse_params,
    parse_query_params,
    to_params,
)

CATALOG = load_catalog()
KNOWN = set(CATALOG.ids())
CONTEXT = {"known_models": KNOWN, "price_ids": KNOWN}
CODES = sorted(s.code for s in load_samples())


def _dropped(bad: list[Dropped]) -> list[tuple[str, str, str]]:
    return [(d.param, d.value, d.reason) for d in bad]


def test_an_unknown_model_is_dropped_alone_and_named():
    parsed, bad = parse_query_params({"models": "gpt-4o,nonsense"}, KNOWN)
    assert parsed.models == ("gpt-4o",)
    assert _dropped(bad) == [("models", "nonsense", "unknown_model")]


def test_each_unknown_model_is_named_and_none_left_means_the_defaults():
    parsed, bad = parse_query_params({"models": "nope-1,gpt-4o-mini,nope-2,gpt-4o-mini"}, KNOWN)
    assert parsed.models == ("gpt-4o-mini",)  # a repeat counts once
    assert _dropped(bad) == [("models", "nope-1", "unknown_model"), ("models", "nope-2", "unknown_model")]
    parsed, bad = parse_query_params({"models": "x,y"}, KNOWN)
    assert parsed.models == DEFAULTS.models
    assert _dropped(bad) == [("models", "x", "unknown_model"), ("models", "y", "unknown_model")]


def test_more_models_than_the_limit_keeps_the_first_ones():
    ids = sorted(KNOWN, key=lambda m: (len(m), m))[: MAX_MODELS + 2]  # short ids: the notice shows them whole
    parsed, bad = parse_query_params({"models": ",".join(ids)}, KNOWN)
    assert parsed.models == tuple(ids[:MAX_MODELS])
    assert _dropped(bad) == [("models", ",".join(ids[MAX_MODELS:]), "too_many")]


def test_single_model_fields_name_an_unknown_model():
    parsed, bad = parse_query_params({"base": "gpt-4o", "from": "gpt-0", "vs": "gpt-4o-mini"}, KNOWN)
    assert (parsed.baseline, parsed.pair_from, parsed.pair_to) == ("gpt-4o", DEFAULTS.pair_from, "gpt-4o-mini")
    assert _dropped(bad) == [("from", "gpt-0", "unknown_model")]


@pytest.mark.parametrize(
    ("param", "value", "reason"),
    [
        ("rate", "NaN", "invalid"),
        ("rate", "inf", "invalid"),
        ("cached", "nan", "invalid"),
        ("ratio", "-Infinity", "invalid"),
        ("req", "9" * 4000, "too_long"),
        ("req", "9" * 40, "invalid"),  # a huge int: above the field's bound
        ("runs", "1e3", "invalid"),
        ("date", "9999-99-99", "invalid"),
        ("lang", "<script>alert(1)</script>", "invalid"),
        ("tier", "x" * 100_000, "too_long"),
        ("models", "gpt-4o," * 20_000, "too_long"),
        ("text", "A" * 3000, "too_long"),
        ("text", "<script>", "invalid"),
        ("epochs", "0", "invalid"),
        ("img_w", "-64", "invalid"),
    ],
)
def test_hostile_values_fall_back_with_a_short_one_line_notice(param, value, reason):
    parsed, bad = parse_query_params({param: value, "out_tokens": "300"}, KNOWN)
    assert parsed.output_tokens == 300  # the good part of the link survives
    field = next(name for name, info in Settings.model_fields.items() if info.alias == param)
    assert getattr(parsed, field) == getattr(DEFAULTS, field)
    (dropped,) = bad
    assert (dropped.param, dropped.reason) == (param, reason)
    assert len(dropped.value) <= DROPPED_VALUE_CHARS and "\n" not in dropped.value
    assert dropped.value == (value if len(value) <= DROPPED_VALUE_CHARS else value[: DROPPED_VALUE_CHARS - 1] + "…")


def test_a_key_given_twice_differently_falls_back_and_the_same_twice_is_fine():
    parsed, bad = parse_query_params({"req": ["10", "20"], "runs": ["3", "3"]}, KNOWN)
    assert parsed.requests == DEFAULTS.requests and parsed.runs == 3
    assert _dropped(bad) == [("req", "10 | 20", "repeated")]


def test_unknown_parameter_names_are_ignored():
    assert parse_query_params({"utm_source": "x" * 100_000, "embed": "true"}, KNOWN) == (DEFAULTS, [])


def test_requests_page_settings_round_trip():
    chosen = Settings(req_reprice=True, req_image_w=512, req_image_h=256, req_ft_default_epochs=False, req_ft_epochs=2,
                      output_tokens=100, batch=True)
    query = to_params(chosen)
    assert query == {"out_tokens": "100", "tier": "batch", "reprice": "1", "img_w": "512", "img_h": "256",
                     "ft_auto": "0", "epochs": "2"}
    assert parse_query_params(query, KNOWN) == (chosen, [])


def test_languages_settings_parse_and_round_trip():
    parsed, bad = parse_params(LanguagesSettings, {"wf": "hi", "sample": "ja", "ids": "1"}, CONTEXT)
    assert bad == []
    assert parsed == LanguagesSettings(lang_wf_group="hi", lang_view_sample="ja", lang_view_ids=True)
    assert to_params(parsed) == {"wf": "hi", "sample": "ja", "ids": "1"}
    assert to_params(LanguagesSettings()) == {}


def test_languages_settings_drop_each_bad_part_alone():
    parsed, bad = parse_params(LanguagesSettings, {"wf": "all-of-them", "sample": "all", "ids": "1"}, CONTEXT)
    assert parsed == LanguagesSettings(lang_view_ids=True)
    assert sorted(_dropped(bad)) == [("sample", "all", "invalid"), ("wf", "all-of-them", "invalid")]


def test_prices_settings_keep_known_history_models():
    parsed, bad = parse_params(PricesSettings, {"hist": "gpt-4o,nonsense,gpt-4", "side": "output"}, CONTEXT)
    assert parsed == PricesSettings(prices_history_models=("gpt-4o", "gpt-4"), prices_history_side="output")
    assert _dropped(bad) == [("hist", "nonsense", "unknown_model")]
    assert PricesSettings().prices_history_models == DEFAULT_HISTORY_MODELS
    parsed, bad = parse_params(PricesSettings, {"side": "both"}, CONTEXT)
    assert parsed == PricesSettings() and _dropped(bad) == [("side", "both", "invalid")]
    assert parse_params(PricesSettings, to_params(PricesSettings(prices_history_models=())), CONTEXT)[0] \
        .prices_history_models == ()  # "none chosen" survives the link


@hsettings(max_examples=40, deadline=None)
@given(sample=st.sampled_from(CODES), group=st.sampled_from(["all", *CODES]), ids=st.booleans())
def test_any_languages_settings_survive_the_link(sample, group, ids):
    chosen = LanguagesSettings(lang_wf_group=group, lang_view_sample=sample, lang_view_ids=ids)
    assert parse_params(LanguagesSettings, to_params(chosen), CONTEXT) == (chosen, [])


def _custom_mini(input_price: str) -> CatalogFile:
    entry = CATALOG.models["gpt-4o-mini-2024-07-18"]
    periods = [p.model_copy(update={"input_per_mtok": Decimal(input_price)}) for p in entry.prices]
    return CatalogFile(models=[entry.model_copy(update={"prices": periods})])


def test_custom_prices_round_trip_through_a_link():
    override = _custom_mini("0.2")
    packed = encode_prices(override)
    assert packed is not None and len(packed) <= PRICES_PARAM_LIMIT
    back = decode_prices(packed)
    assert back == override
    assert back.models[0].prices[-1].input_per_mtok == Decimal("0.2")
    assert CATALOG.merged(back).models["gpt-4o-mini-2024-07-18"].prices[0].input_per_mtok == Decimal("0.2")


def test_custom_prices_too_large_for_a_link_are_not_packed():
    override = CatalogFile(models=list(CATALOG.models.values()))
    assert encode_prices(override) is None


@pytest.mark.parametrize("packed", ["!!", encode_text("not json"), encode_text('{"models": [{"id": 1}]}'),
                                    encode_text("[" * 5000)])
def test_a_tampered_prices_parameter_is_refused(packed):
    with pytest.raises(ValueError):
        decode_prices(packed)


def test_an_unknown_vendor_is_dropped_alone_and_called_a_vendor():
    context = {**CONTEXT, "vendor_names": set(CATALOG.vendor_names())}
    parsed, bad = parse_params(PricesSettings, {"vendors": "foo,anthropic"}, context)
    assert parsed.prices_vendors == ("anthropic",)
    assert _dropped(bad) == [("vendors", "foo", "unknown_vendor")]
