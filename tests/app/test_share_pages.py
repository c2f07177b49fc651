"""Every page opened from a share link (AppTest, both languages): the widgets show what the link
holds, the figures follow it, the address bar keeps it, a changed setting reaches the address and
a fresh session opened from that address shows the same; custom prices travel with a banner."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ingest.requests import read_requests
from pricing import Assumptions, load_catalog
from pricing.languages import load_samples
from pricing.schema import CatalogFile
from pricing.requests import price_request_file
from tokenizers import get_encoding
from ui.catalog import CATALOG_OVERRIDE_KEY
from ui.formatting import format_money
from ui.i18n import translate
from ui.links import encode_prices
from ui.settings import encode_text

APP = Path(__file__).resolve().parents[2] / "app.py"
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "requests" / "support_triage_batch.jsonl"
SAMPLES = {s.code: s for s in load_samples()}
M = Decimal(1_000_000)
CATALOG = load_catalog()


def open_link(page: str, query: dict[str, str | list[str]]) -> AppTest:
    """A fresh session (as after a reload) opened at ``page`` with ``query``."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    for name, value in query.items():
        at.query_params[name] = value
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, at.exception
    return at


def address(at: AppTest) -> dict[str, str]:
    return {k: at.query_params[k] for k in at.query_params}


def n(text: str, encoding: str) -> int:
    return len(get_encoding(encoding).encode_ordinary(text))


# The Languages page asks the Estimate page's workload: the samples as a corpus processed 5,000
# times, each answered by as many tokens as it holds, gpt-3.5-turbo against gpt-4o-mini (the
# default pair: a link leaves defaults out).
LANGUAGES_LINK = {"q": "corpus", "runs": "5000", "task": "custom", "out": "ratio", "ratio": "1", "wf": "hi",
                  "sample": "ja", "ids": "1"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_languages_page_from_a_link_and_back(lang):
    at = open_link("languages", {"lang": lang, **LANGUAGES_LINK})
    assert not at.warning  # every part of the link was used
    assert (at.selectbox(key="s_pair_from").value, at.selectbox(key="s_pair_to").value) == (
        "gpt-3.5-turbo", "gpt-4o-mini")
    assert at.number_input(key="s_runs").value == 5000
    assert at.radio(key="s_output_mode").value == "ratio"
    assert at.selectbox(key="s_lang_view_sample").value == "ja"
    assert at.toggle(key="s_lang_view_ids").value is True
    assert at.selectbox(key="s_lang_wf_group").value == "hi"
    (trace,) = json.loads(next(c for c in at.get("plotly_chart")
                               if c.proto.id.endswith("-lang_samples_waterfall")).proto.spec)["data"]
    # Hindi's waterfall: 418 cl100k_base tokens in and out on gpt-3.5-turbo, 128 on gpt-4o-mini.
    old, new = 418 * 5000 * 2 / 1e6, 128 * 5000 * 0.75 / 1e6
    assert trace["y"] == pytest.approx([old, 128 * 5000 * 2 / 1e6 - old, new - 128 * 5000 * 2 / 1e6, new])
    # Hindi: 418 tokens on cl100k_base, 128 on o200k_base, as many out (the answer), 5,000 times:
    # gpt-3.5-turbo $0.50 + $1.50, gpt-4o-mini $0.15 + $0.60 per 1M tokens.
    hindi = SAMPLES["hi"].text
    assert (n(hindi, "cl100k_base"), n(hindi, "o200k_base")) == (418, 128)
    name = translate("lang_col_language", lang)
    table = next(df.value for df in at.dataframe if df.value.columns[0] == name).set_index(name)
    row = table.loc[SAMPLES["hi"].name(lang)]
    assert row[translate("lang_col_cost", lang, model="gpt-3.5-turbo")] == format_money(418 * 5000 * Decimal(2) / M)
    assert row[translate("lang_col_cost", lang, model="gpt-4o-mini")] == format_money(128 * 5000 * Decimal("0.75") / M)
    assert address(at) == {"lang": lang, **LANGUAGES_LINK}

    at.number_input(key="s_runs").set_value(7000).run()
    at.radio(key="s_output_mode").set_value("fixed").run()
    changed = address(at)
    fixed = {k: v for k, v in LANGUAGES_LINK.items() if k != "out"}  # "fixed" is the default
    assert changed == {"lang": lang, **fixed, "runs": "7000"}
    again = open_link("languages", changed)
    assert again.number_input(key="s_runs").value == 7000
    assert again.radio(key="s_output_mode").value == "fixed"
    assert again.selectbox(key="s_pair_from").value == "gpt-3.5-turbo"
    assert address(again) == changed


def test_the_waterfall_choice_is_never_empty():
    """All samples together is an option of its own (a None option reads "Choose an option")."""
    at = open_link("languages", {"lang": "zh"})
    box = at.selectbox(key="s_lang_wf_group")
    assert box.value == "all" and box.options[0] == translate("lang_all_groups", "zh")
    at.text_area(key="s_estimate_text").set_value("第一段。\n\n第二段。").run()
    assert all(b.value is not None for b in at.selectbox)
    assert "wf" not in address(at)


def test_languages_page_link_asks_the_estimate_pages_question():
    """``/languages?req=5000``: the workload is one setting, the same on both pages."""
    at = open_link("languages", {"req": "5000"})
    assert at.number_input(key="s_requests").value == 5000  # text alone (nothing yet): traffic
    assert address(at) == {"lang": "en", "req": "5000"}
    at.switch_page("app_pages/estimate.py").run()
    assert at.number_input(key="s_requests").value == 5000
    assert address(at)["req"] == "5000"


@pytest.mark.parametrize(("lang", "line"), [
    ("en", "vendors: there is no vendor “foo” to choose"),
    ("zh", "vendors：没有可选的厂商“foo”"),
])
def test_prices_page_from_a_link_names_an_unknown_vendor_as_a_vendor(lang, line):
    at = open_link("prices", {"lang": lang, "vendors": "foo,anthropic"})
    assert [w.value for w in at.warning] == [translate("share_dropped_intro", lang) + "\n\n- " + line]
    assert at.multiselect(key="s_prices_vendors").value == ["anthropic"]
    assert address(at)["vendors"] == "anthropic"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_prices_page_from_a_link_drops_the_unknown_model_alone(lang):
    at = open_link("prices", {"lang": lang, "hist": "gpt-4o,nonsense", "side": "output"})
    assert [w.value for w in at.warning] == [
        translate("share_dropped_intro", lang) + "\n\n- "
        + translate("share_dropped_unknown_model", lang, param="hist", value="nonsense")]
    assert at.multiselect(key="s_prices_history_models").value == ["gpt-4o"]
    assert at.radio(key="s_prices_history_side").value == "output"
    chart = next(c for c in at.get("plotly_chart") if c.proto.id.endswith("-prices_history_chart"))
    traces = json.loads(chart.proto.spec)["data"]
    assert [tr["name"] for tr in traces] == ["gpt-4o"]
    assert address(at) == {"lang": lang, "hist": "gpt-4o", "side": "output"}
    at.radio(key="s_prices_history_side").set_value("input").run()
    again = open_link("prices", address(at))
    assert address(again) == {"lang": lang, "hist": "gpt-4o"}
    assert again.radio(key="s_prices_history_side").value == "input"


REQUESTS_LINK = {"date": "2026-11-01", "models": "gpt-4o,gpt-4.1-mini", "out_tokens": "60", "reprice": "1",
                 "img_w": "512", "img_h": "256", "ft_auto": "0", "epochs": "2"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_requests_page_from_a_link(lang):
    at = open_link("requests", {"lang": lang, **REQUESTS_LINK})
    at.file_uploader(key="requests_file").set_value([("batch.jsonl", FIXTURE.read_bytes(), "application/jsonl")]).run()
    assert not at.exception, at.exception
    assert at.toggle(key="s_req_reprice").value is True
    assert (at.number_input(key="s_req_image_w").value, at.number_input(key="s_req_image_h").value) == (512, 256)
    assert at.toggle(key="s_req_ft_default_epochs").value is False
    assert at.number_input(key="s_req_ft_epochs").value == 2
    assert at.number_input(key="s_output_tokens").value == 60
    a = Assumptions(output_tokens_per_request=60, as_of=dt.date(2026, 11, 1))
    report = price_request_file(read_requests("batch.jsonl", FIXTURE.read_bytes()), CATALOG,
                                ["gpt-4o", "gpt-4.1-mini"], a, image_size=(512, 256))
    model, total = translate("col_model", lang), translate("col_total_cost", lang)
    table = next(df.value for df in at.table if df.value.columns[0] == model)
    assert list(table.columns[:2]) == [model, total]  # model and total first: they stay on a phone's screen
    assert dict(zip(table[model], table[total])) == {x.model: format_money(x.total_cost) for x in report.totals}
    assert address(at) == {"lang": lang, **REQUESTS_LINK}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_estimate_page_from_a_link(lang):
    text = "How much does this cost? 价格是多少？"
    link = {"lang": lang, "models": "gpt-4o,nonsense", "q": "traffic", "req": "5000", "task": "summarize",
            "tier": "flex", "cached": "0.5", "base": "gpt-4o", "text": encode_text(text), "cur": "CNY", "rate": "7.25"}
    at = open_link("estimate", link)
    assert [w.value for w in at.warning][0] == translate("share_dropped_intro", lang) + "\n\n- " + translate(
        "share_dropped_unknown_model", lang, param="models", value="nonsense")
    assert at.sidebar.multiselect(key="s_models").value == ["gpt-4o"]
    assert at.number_input(key="s_requests").value == 5000
    assert at.selectbox(key="s_tier").value == "flex"
    assert at.slider(key="s_cached_share").value == 0.5
    assert at.text_area(key="s_estimate_text").value == text
    assert at.checkbox(key="s_share_text").value is True
    assert at.sidebar.radio(key="s_currency").value == "CNY"
    expected = {k: v for k, v in link.items() if k != "models"} | {"models": "gpt-4o"}
    assert address(at) == expected
    at.number_input(key="s_requests").set_value(6000).run()
    again = open_link("estimate", address(at))
    assert again.number_input(key="s_requests").value == 6000
    assert address(again) == expected | {"req": "6000"}


def _custom_mini(input_price: str) -> CatalogFile:
    entry = CATALOG.models["gpt-4o-mini-2024-07-18"]
    periods = [p.model_copy(update={"input_per_mtok": Decimal(input_price)}) for p in entry.prices]
    return CatalogFile(models=[entry.model_copy(update={"prices": periods})])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_custom_prices_travel_in_the_link_with_a_banner_on_every_page(lang):
    text = "Hello, world! 你好"
    packed = encode_prices(_custom_mini("0.2"))
    at = open_link("estimate", {"lang": lang, "models": "gpt-4o-mini", "prices": packed, "text": encode_text(text),
                                "q": "traffic", "req": "1000"})
    banner = translate("share_custom_prices_in_link", lang, models="gpt-4o-mini-2024-07-18")
    assert [w.value for w in at.warning] == [banner]
    model, input_cost = translate("col_model", lang), translate("col_input_cost", lang)
    table = next(df.value for df in at.table if df.value.columns[0] == model).set_index(model)
    # 1,000 requests of the text at the custom $0.20 per 1M input tokens (published: $0.15).
    assert table.loc["gpt-4o-mini", input_cost] == format_money(n(text, "o200k_base") * 1000 * Decimal("0.2") / M)
    assert address(at)["prices"] == packed
    for page in ("languages", "prices", "requests"):
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, at.exception
        assert banner in [w.value for w in at.warning], page
        assert at.query_params["prices"] == packed


def test_custom_prices_too_large_for_the_link_say_so():
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state[CATALOG_OVERRIDE_KEY] = CatalogFile(models=list(CATALOG.models.values()))
    at.run()
    assert not at.exception, at.exception
    (banner,) = [w.value for w in at.warning]
    assert banner.startswith("**Custom prices in use** (") and banner.endswith(
        "They are too large for the share link: a person who opens it sees the published prices.")
    assert "prices" not in address(at)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_unreadable_custom_prices_in_a_link_are_named(lang):
    at = open_link("prices", {"lang": lang, "prices": encode_text('{"models": [{"id": "x"}]}')})
    value = encode_text('{"models": [{"id": "x"}]}')
    shown = value if len(value) <= 40 else value[:39] + "…"
    assert [w.value for w in at.warning] == [translate("share_dropped_intro", lang) + "\n\n- " + translate(
        "share_dropped_prices_invalid", lang, param="prices", value=shown)]
    assert "prices" not in address(at)


def test_hostile_link_falls_back_part_by_part_without_a_traceback():
    at = open_link("estimate", {"models": "gpt-4o," * 20_000, "rate": "NaN", "cur": "CNY", "req": ["1", "2"],
                                "runs": "9" * 40, "lang": "<script>alert(1)</script>", "cached": "inf",
                                "out_tokens": "300"})
    (notice,) = [w.value for w in at.warning]
    assert notice.splitlines()[2:] == [
        "- models: the value is too long (“gpt-4o,gpt-4o,gpt-4o,gpt-4o,gpt-4o,gpt-…”), the default is used",
        r"- req: given more than once (“1 \| 2”), the default is used",
        r"- cached: “inf” is not a valid value, the default is used",
        r"- lang: “\<script\>alert(1)\</script\>” is not a valid value, the default is used",
        "- rate: “NaN” is not a valid value, the default is used",
        "- runs: “" + "9" * 40 + "” is not a valid value, the default is used",
    ]
    assert at.title[0].value == "What will it cost?"
    assert address(at) == {"lang": "en", "cur": "CNY", "out_tokens": "300"}  # the good parts stay


def test_a_link_may_name_a_model_its_own_custom_prices_add():
    entry = CATALOG.models["gpt-4o-mini-2024-07-18"]
    mine = entry.model_copy(update={"id": "my-model", "label": "My model"})
    packed = encode_prices(CatalogFile(models=[mine]))
    at = open_link("estimate", {"lang": "en", "prices": packed, "models": "my-model,gpt-4o"})
    assert not at.exception, at.exception
    assert at.sidebar.multiselect(key="s_models").value == ["my-model", "gpt-4o"]
    assert [w.value for w in at.warning] == [translate("share_custom_prices_in_link", "en", models="my-model")]
    # Without its prices the same model is unknown: named and dropped, gpt-4o kept.
    at = open_link("estimate", {"lang": "en", "models": "my-model,gpt-4o"})
    assert at.sidebar.multiselect(key="s_models").value == ["gpt-4o"]
    assert [w.value for w in at.warning] == [translate("share_dropped_intro", "en") + "\n\n- " + translate(
        "share_dropped_unknown_model", "en", param="models", value="my-model")]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_notice_names_ten_dropped_parts_and_counts_the_rest(lang):
    unknown = [f"nope-{i}" for i in range(30)]
    at = open_link("estimate", {"lang": lang, "models": ",".join(["gpt-4o", *unknown])})
    (notice,) = [w.value for w in at.warning]
    lines = notice.split("\n\n", 1)[1].splitlines()
    assert lines == [f"- {translate('share_dropped_unknown_model', lang, param='models', value=m)}"
                     for m in unknown[:10]] + [f"- {translate('share_dropped_more', lang, count=20)}"]
    assert at.sidebar.multiselect(key="s_models").value == ["gpt-4o"]


def test_the_languages_pages_pasted_text_joins_the_link_only_when_asked():
    at = open_link("languages", {"lang": "en"})
    at.text_area(key="s_estimate_text").set_value("价格是多少？").run()
    assert "text" not in address(at)
    at.checkbox(key="s_share_text").check().run()
    shared = address(at)["text"]
    again = open_link("languages", {"lang": "en", "text": shared})
    assert again.text_area(key="s_estimate_text").value == "价格是多少？"
