"""The Prices page in both languages: prices shown equal the catalog's; overrides are checked,
translated when wrong, and reach the other pages' pricing."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pricing import load_catalog
from tokenizers import get_encoding
from ui.formatting import escape_markdown, format_money

APP = Path(__file__).resolve().parents[2] / "app.py"
CATALOG = load_catalog()
EDITOR = "prices_editor_gpt-4o-mini-2024-07-18_0"


def open_page(language: str = "en", page: str = "prices") -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["lang"] = language
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, at.exception
    return at


def _chart(at: AppTest, key: str) -> dict:
    return json.loads(next(c for c in at.get("plotly_chart") if c.proto.id.endswith("-" + key)).proto.spec)


@pytest.mark.parametrize(
    ("language", "title", "model", "start", "inp", "out", "evidence", "verified"),
    [
        ("en", "Price catalog", "Model", "From", "Input", "Output", "Evidence", "verified"),
        ("zh", "价格目录", "模型", "生效日期", "输入", "输出", "可信度", "已核实"),
    ],
)
def test_every_price_shown_is_the_catalogs(language, title, model, start, inp, out, evidence, verified):
    at = open_page(language)
    assert at.title[0].value == title
    table = _table(at, "prices_catalog_table")
    assert len(table) == sum(len(m.prices) for m in CATALOG.models.values())
    for _, row in table.iterrows():
        entry = CATALOG.models[row[model]]
        period = next(p for p in entry.prices if p.effective_from == row[start])
        assert Decimal(str(row[inp])) == period.input_per_mtok
        if entry.kind == "embedding":  # no output billed: an empty cell ("–"), never "$0"
            assert pd.isna(row[out])
        else:
            assert Decimal(str(row[out])) == period.output_per_mtok
    mini = table[table[model] == "gpt-4o-mini-2024-07-18"].iloc[0]
    assert (mini[inp], mini[out], mini[evidence]) == (0.15, 0.6, verified)


def test_history_chart_steps_on_a_log_scale():
    at = open_page("en")
    spec = _chart(at, "prices_history_chart")
    assert spec["layout"]["yaxis"]["type"] == "log"
    traces = {tr["name"]: tr for tr in spec["data"]}
    assert {"text-davinci-003", "gpt-3.5-turbo", "gpt-4o", "gpt-4o-mini"} <= set(traces)
    gpt4o = traces["gpt-4o"]
    assert gpt4o["line"]["shape"] == "hv"
    assert gpt4o["x"][:2] == ["2024-05-13", "2024-10-02"] and gpt4o["y"][:2] == [5.0, 2.5]
    assert traces["text-davinci-003"]["y"][0] == 20.0

    at.radio(key="s_prices_history_side").set_value("output").run()
    traces = {tr["name"]: tr for tr in _chart(at, "prices_history_chart")["data"]}
    assert traces["gpt-4o"]["y"][:2] == [15.0, 10.0]


# The page's read-only tables, in page order (st.dataframe without selections has no id to find).
TABLES = ("prices_today_table", "prices_older_table", "prices_catalog_table", "prices_alias_table")


def _table(at: AppTest, key: str):
    return at.dataframe[TABLES.index(key)].value


def _edit(at: AppTest, changes: dict, row: int = 1) -> AppTest:
    # gpt-4o-mini has two periods: row 1 (index 0) its launch price, row 2 (index 1) the one in force
    # since prompt caching launched (2024-10-01).
    at.session_state[EDITOR] = {"edited_rows": {row: changes}, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="prices_edit_apply").click().run()
    assert not at.exception, at.exception
    return at


def test_invalid_edit_shows_the_reason_and_is_not_applied():
    at = _edit(open_page("en"), {"input_per_mtok": -1})
    assert [e.value for e in at.error] == ["These prices for gpt-4o-mini-2024-07-18 were not applied:"]
    assert [x.value for x in at.text] == ["• Row 2: Input cannot be negative."]
    assert "catalog_override" not in at.session_state
    table = _table(at, "prices_catalog_table")
    assert table[table["Model"] == "gpt-4o-mini-2024-07-18"].iloc[0]["Input"] == 0.15


def test_invalid_edit_in_chinese():
    at = _edit(open_page("zh"), {"input_per_mtok": 0.1234567, "evidence": None})
    assert [e.value for e in at.error] == ["gpt-4o-mini-2024-07-18 的这些价格未被应用："]
    assert [x.value for x in at.text] == ["• 第 2 行：输入的小数位超过 6 位。\n• 第 2 行：可信度为必填项。"]
    assert "catalog_override" not in at.session_state


def test_valid_edit_is_applied_and_reaches_the_languages_page():
    at = _edit(open_page("en"), {"input_per_mtok": 0.075})
    assert [s.value for s in at.success] == ["New prices for gpt-4o-mini-2024-07-18 are in use."]
    table = _table(at, "prices_catalog_table")
    row = table[table["Model"] == "gpt-4o-mini-2024-07-18"].iloc[-1]  # the period in force
    assert (row["Input"], bool(row["Overridden"])) == (0.075, True)
    override = at.session_state["catalog_override"]
    assert override.models[0].prices[1].input_per_mtok == Decimal("0.075")

    at.switch_page("app_pages/languages.py").run()
    at.selectbox(key="s_pair_to").set_value("gpt-4o-mini").run()
    at.selectbox(key="task_box").set_value("custom").run()
    at.number_input(key="s_output_tokens").set_value(0)
    at.number_input(key="s_requests").set_value(1_000_000).run()
    assert not at.exception, at.exception
    english = at.dataframe[0].value.set_index("Language").loc["English"]
    # 96 tokens x 1,000,000 requests (no reply) at the edited $0.075 per 1M.
    assert english["Cost on gpt-4o-mini"] == "$7.20"


def test_uploaded_catalog_is_validated_and_merged():
    at = open_page("en")
    bad = json.dumps({"models": [{"id": "my-model", "label": "Mine"}]}).encode()
    at.file_uploader(key="prices_upload").set_value(("mine.json", bad, "application/json")).run()
    assert [e.value for e in at.error] == ["mine.json is not a valid price catalog; nothing was applied. Details:"]
    assert "required field is missing" in at.code[0].value
    assert "catalog_override" not in at.session_state

    name = "[click](https://evil.example) **x**.json"
    at.file_uploader(key="prices_upload").set_value((name, b'{"models": [', "application/json")).run()
    assert [e.value for e in at.error] == [
        f"{escape_markdown(name)} is not valid JSON (line 1, column 13); nothing was applied."]
    # The file name is user text inside a Markdown message: no link, no bold.
    assert escape_markdown(name).startswith("\\[click\\](https\\:")

    entry = CATALOG.models["gpt-4o-2024-08-06"].model_dump(mode="json")
    entry.update(id="my-model", label="My model")
    entry["prices"] = [{**entry["prices"][-1], "input_per_mtok": "1.1", "cached_input_per_mtok": "0.55",
                        "effective_from": "2025-01-01"}]
    good = json.dumps({"models": [entry]}).encode()
    at.file_uploader(key="prices_upload").set_value(("mine.json", good, "application/json")).run()
    assert not at.error
    assert [s.value for s in at.success] == ["mine.json: 1 model and 0 aliases are in use."]
    table = _table(at, "prices_catalog_table")
    assert table[table["Model"] == "my-model"].iloc[0]["Input"] == 1.1
    assert "my-model" in at.multiselect(key="s_prices_history_models").options


def test_reset_returns_to_the_built_in_prices():
    at = _edit(open_page("en"), {"output_per_mtok": 0.5})
    at.button(key="prices_reset").click().run()
    assert "catalog_override" not in at.session_state
    table = _table(at, "prices_catalog_table")
    assert table[table["Model"] == "gpt-4o-mini-2024-07-18"].iloc[0]["Output"] == 0.6


def test_an_edited_price_reaches_the_estimate_page():
    at = _edit(open_page("en"), {"input_per_mtok": 0.075})
    at.switch_page("app_pages/estimate.py").run()
    text = "Prices edited on one page are used on every page."
    at.text_area(key="s_estimate_text").set_value(text).run()
    assert not at.exception, at.exception
    tokens = len(get_encoding("o200k_base").encode_ordinary(text))
    costs = next(df.value for df in [*at.table, *at.dataframe] if df.value.columns[0] == "Model").set_index("Model")
    # 1,000 requests (the default) at the edited $0.075 per 1M input tokens, not the catalog's $0.15.
    shown_in = costs.loc["gpt-4o-mini", "Input cost"]
    assert shown_in == format_money(tokens * 1000 * Decimal("0.075") / Decimal(1_000_000))
    # Not the catalog's $0.15 (which would show twice the input cost).
    assert shown_in != format_money(tokens * 1000 * Decimal("0.15") / Decimal(1_000_000))


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        (b'{"models": [],\n "models": []}', 'mine.json: key "models" appears twice in one object (line 2); keep one'),
        (b'{"models":\n' + b"[" * 100_000 + b"]" * 100_000 + b"}",
         "mine.json: nested too deeply at line 2 (more than 200 levels of brackets); a price file has a few"),
    ],
    ids=["duplicate key", "too deep"],
)
def test_an_uploaded_catalog_with_a_key_twice_or_too_deep_is_refused(data, detail):
    at = open_page("en")
    at.file_uploader(key="prices_upload").set_value(("mine.json", data, "application/json")).run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["mine.json is not a valid price catalog; nothing was applied. Details:"]
    assert at.code[0].value == detail
    assert "catalog_override" not in at.session_state


@pytest.mark.parametrize(("lang", "model_col", "shutdown_col"), [("en", "Model", "Shut down"), ("zh", "模型", "停用日期")])
def test_retired_models_are_marked_with_their_shutdown_day(lang, model_col, shutdown_col):
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update({"lang": lang})
    at.switch_page("app_pages/prices.py").run()
    assert not at.exception
    table = _table(at, "prices_catalog_table")
    by_model = table.groupby(model_col)[shutdown_col].first()
    assert by_model["text-davinci-003"] == "2024-01-04"
    assert by_model["o1-mini"] == "2025-10-27"
    assert by_model["gpt-4o-2024-08-06"] == "2027-01-14"  # scheduled (OpenAI's deprecations of 2026-10-14)
    assert by_model["gpt-5.4"] == ""



@pytest.mark.parametrize("url", ["javascript:alert(document.cookie)", "data:text/html,<script>alert(1)</script>",
                                 " JavaScript:alert(1)", "//evil.example/x"])
def test_a_source_url_that_is_not_a_web_address_is_never_a_link(url):
    at = open_page("en")
    entry = CATALOG.models["gpt-4o-2024-08-06"].model_dump(mode="json")
    entry.update(id="my-model", label="My model", source_url=url)
    entry["prices"] = [{**entry["prices"][-1], "effective_from": "2025-01-01"}]
    at.file_uploader(key="prices_upload").set_value(
        ("mine.json", json.dumps({"models": [entry]}).encode(), "application/json")).run()
    assert not at.error
    table = _table(at, "prices_catalog_table")
    assert pd.isna(table[table["Model"] == "my-model"].iloc[0]["Model page"])  # an empty cell, no link
    assert table[table["Model"] == "gpt-4o-2024-08-06"].iloc[0]["Model page"].startswith("https://")
