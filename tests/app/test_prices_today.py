"""The Prices page opens on today's prices (legacy and retired folded below), honours the CNY
view, and its editor refuses a cached price above the input price and warns about $0."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pricing import load_catalog
from pricing.today import todays_prices

APP = Path(__file__).resolve().parents[2] / "app.py"
CATALOG = load_catalog()
EDITOR = "prices_editor_gpt-4o-mini-2024-07-18_0"


def open_prices(query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update(query)
    at.switch_page("app_pages/prices.py")
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(("lang", "header", "model", "inp", "older"),
                         [("en", "Today's prices", "Model", "Input", "Legacy and retired models ({n})"),
                          ("zh", "当前价格", "模型", "输入", "旧版和已下线的模型（{n} 个）")])
def test_todays_prices_come_first_and_older_models_are_folded(lang, header, model, inp, older):
    day = dt.date(2026, 6, 1)  # legacy models still offered, some retired
    at = open_prices({"lang": lang, "date": day.isoformat()})
    assert at.header[0].value == header
    today = at.dataframe[0].value
    rows = todays_prices(CATALOG, day)
    expected = [r for r in rows if r.status == "current"]
    assert list(today[model]) == [r.model for r in expected]
    assert today.set_index(model).loc["gpt-4o", inp] == 2.5
    assert "gpt-3.5-turbo" not in set(today[model])
    assert at.expander[0].label == older.format(n=len(rows) - len(expected))
    assert {"gpt-3.5-turbo", "text-davinci-003"} <= set(at.dataframe[1].value[model])


def test_the_cny_view_converts_every_price_on_the_page():
    at = open_prices({"lang": "en", "cur": "CNY", "rate": "7.2", "date": "2026-12-01"})
    today = at.dataframe[0].value.set_index("Model")
    assert today.loc["gpt-4o", "Input"] == pytest.approx(float(Decimal("2.5") * Decimal("7.2")))
    assert "Converted at 1 USD = 7.2 CNY (your rate)" in [c.value for c in at.caption]
    assert '"format": "\\u00a5%g"' in at.dataframe[0].proto.columns  # ¥ on the price columns
    everything = at.dataframe[2].value
    mini = everything[everything["Model"] == "gpt-4o-mini-2024-07-18"].iloc[-1]
    assert mini["Output"] == pytest.approx(0.6 * 7.2)


def _edit(at: AppTest, changes: dict) -> AppTest:
    at.session_state[EDITOR] = {"edited_rows": {1: changes}, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="prices_edit_apply").click().run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(("lang", "line"), [
    ("en", "• Row 2: the cached input price is above the input price; a cached token costs at most what an "
           "uncached one does."),
    ("zh", "• 第 2 行：缓存输入价格高于输入价格；缓存 token 的价格不能高于普通输入 token。"),
])
def test_a_cached_price_above_the_input_price_is_refused_with_a_clear_line(lang, line):
    at = _edit(open_prices({"lang": lang}), {"cached_input_per_mtok": 0.2})  # input is 0.15
    assert [x.value for x in at.text] == [line]
    assert "catalog_override" not in at.session_state


def test_a_zero_input_price_is_applied_with_a_warning():
    at = _edit(open_prices({"lang": "zh"}), {"input_per_mtok": 0, "cached_input_per_mtok": 0})
    warnings = [w.value for w in at.warning]
    assert "第 2 行：输入为 0 美元，每次请求的这部分费用都将为零。请确认这是你的本意。" in warnings
    # The other one is the banner every page shows while custom prices are in use.
    assert [w for w in warnings if not w.startswith("第 2 行")] == [
        w for w in warnings if w.startswith("**正在使用自定义价格**")]
    assert at.session_state["catalog_override"].models[0].prices[1].input_per_mtok == 0
