"""The app says when the catalog was last checked, and warns in the sidebar past 60 days."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"


def open_prices(language: str, date: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["lang"] = language
    at.query_params["date"] = date
    at.switch_page("app_pages/prices.py")
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(("language", "caption"), [
    ("en", "OpenAI: 58 model snapshots, 17 aliases; prices last checked against "
           "[developers.openai.com/api/docs/pricing](https://developers.openai.com/api/docs/pricing) on 2026-11-23, "
           "8 days before the price date 2026-12-01."),
    ("zh", "OpenAI：58 个模型快照、17 个别名；价格最近一次与 "
           "[developers.openai.com/api/docs/pricing](https://developers.openai.com/api/docs/pricing) 核对是在 "
           "2026-11-23，比所选价格日期 2026-12-01 早 8 天。"),
])
def test_the_prices_page_says_when_each_vendor_was_checked(language, caption):
    at = open_prices(language, "2026-12-01")
    # One line per vendor, OpenAI's first.
    assert caption in [line for c in at.caption for line in c.value.split("  \n")]
    assert [w.value for w in at.sidebar.warning] == []


@pytest.mark.parametrize(("language", "warning"), [
    ("en", "The price catalog was last checked on 2026-11-23, 61 days before the price date 2027-01-23 "
           "(more than 60). Prices may have changed since: compare with OpenAI's pricing page before relying "
           "on these figures."),
    ("zh", "价格目录最近一次核对是在 2026-11-23，比所选价格日期 2027-01-23 早 61 天（超过 60 天）。此后价格可能已有变动："
           "使用这些数字前，请先对照 OpenAI 官方价格页面。"),
])
def test_the_sidebar_warns_when_the_check_is_older_than_60_days(language, warning):
    at = open_prices(language, "2027-01-23")
    assert [w.value for w in at.sidebar.warning] == [warning]
