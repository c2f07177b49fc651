"""Hostile links on every page: no traceback, no dead session, the fallback notice, defaults used.

Written against what a visitor sees (the notice, the figures, the address bar afterwards), not
against how the parameters are parsed.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from pricing import load_catalog
from tokenizers import get_encoding
from ui.formatting import format_money

PAGES = ["app_pages/estimate.py", "app_pages/languages.py", "app_pages/prices.py", "app_pages/requests.py"]
BIG = "9" * 100_000  # a 100 kB value
HOSTILE = {
    "req": ["5", "NaN"],  # a repeated key, its last value bad
    "runs": "inf",
    "out_tokens": "1" + "0" * 400,  # a 401-digit integer
    "rate": "-Infinity",
    "ratio": "nan",
    "cached": "1e309",
    "date": "2024-02-30",  # no such day
    "models": "<script>alert(1)</script>",
    "lang": "<img src=x onerror=alert(1)>",
    "cur": BIG,
    "text": BIG,
    "q": "x" * 100_000,
    "task": "'; DROP TABLE prices; --",
    "to": "zz",
    "tier": "Infinity",
    "batch": "maybe",
    "vs": "../../etc/passwd",
    "utm_source": BIG,  # unknown keys
    "": "an empty key",
}
BAD_NAMES = {"req", "runs", "out_tokens", "rate", "ratio", "cached", "date", "models", "lang", "cur", "text", "q",
             "task", "to", "tier", "batch", "vs"}
RAW_MARKUP = re.compile(r"(?<!\\)<(script|img)")  # markup not escaped for Markdown


def fallback_notices(at) -> list[str]:
    """The warnings that name several of the link's bad parameters (however they are worded)."""
    return [w.value for w in at.warning
            if sum(bool(re.search(rf"\b{re.escape(name)}\b", w.value)) for name in BAD_NAMES) >= 3]


def opened(page: str, query: dict) -> object:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file("../../app.py", default_timeout=60)
    at.query_params.update(query)
    at.switch_page(page)
    return at.run()


def shown_text(at) -> str:
    kinds = (at.markdown, at.caption, at.warning, at.info, at.error, at.code)
    return "\n".join(str(e.value) for kind in kinds for e in kind)


@pytest.mark.parametrize("page", PAGES)
def test_a_hostile_link_falls_back_with_a_notice_on_every_page(page):
    at = opened(page, HOSTILE)
    assert not at.exception, at.exception
    assert not at.error
    assert len(fallback_notices(at)) == 1
    text = shown_text(at)
    assert not RAW_MARKUP.search(text) and BIG not in text and "Traceback" not in text
    # The address bar keeps none of the hostile values (settings written back are the defaults).
    for name, value in HOSTILE.items():
        assert at.query_params.get(name) != value
    at.run()  # the session lives on: a rerun works
    assert not at.exception, at.exception


def test_after_a_hostile_link_the_estimate_uses_the_defaults():
    at = opened("app_pages/estimate.py", HOSTILE)
    at.text_area(key="s_estimate_text").set_value("hello world").run()
    assert not at.exception, at.exception
    tokens = len(get_encoding("o200k_base").encode_ordinary("hello world"))
    price = load_catalog().price("gpt-4o-mini", dt.date.today())
    # Defaults: 1,000 requests a month, a 500-token reply (the chat task), gpt-4o-mini the cheapest default model.
    month = 1000 * (tokens * price.input_per_mtok + 500 * price.output_per_mtok) / Decimal(1_000_000)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Requests priced"] == "1,000"
    assert metrics["Per month on gpt-4o-mini"] == format_money(month)


@pytest.mark.parametrize("page", ["app_pages/estimate.py", "app_pages/requests.py"])
def test_extreme_but_valid_values_and_unknown_keys_raise_nothing(page):
    at = opened(page, {"req": "1000000000000", "runs": "1000000000", "out_tokens": "10000000", "rate": "1000",
                       "cur": "CNY", "out": "ratio", "ratio": "100", "cached": "1", "date": "2020-01-01",
                       "models": ",".join(["gpt-4o"] * 5000), "lang": ["zh", "en"], "zzz": BIG})
    assert not at.exception, at.exception
    assert not fallback_notices(at)  # nothing was invalid
    if page.endswith("estimate.py"):
        at.text_area(key="s_estimate_text").set_value("hello world " * 50).run()
        assert not at.exception, at.exception
        assert {m.label: m.value for m in at.metric}["Requests priced"] == "1,000,000,000,000"
