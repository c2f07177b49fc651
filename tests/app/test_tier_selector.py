"""The processing-tier selector on the Estimate page: labels in both languages, the query
parameter, and a model without the tier's price listed as not priced."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("lang, label, flex, missing", [
    ("en", "Processing tier", "Flex", "gpt-4o-mini has no price on the chosen processing tier"),
    ("zh", "处理层级", "Flex（弹性）", "gpt-4o-mini 在所选处理层级没有价格"),
])
def test_the_tier_selector_in_both_languages(open_app, lang, label, flex, missing):
    at = open_app({"lang": lang, "tier": "flex", "models": "gpt-5.4,gpt-4o-mini", "date": "2026-11-01"})
    box = at.selectbox(key="s_tier")
    assert box.label == label
    assert box.value == "flex"
    assert flex in box.options
    at.text_area[0].input("hello world").run()
    assert any(missing in w.value for w in at.warning), [w.value for w in at.warning]
    assert at.query_params["tier"] == "flex"


def test_a_bad_tier_parameter_falls_back_to_standard(open_app):
    at = open_app({"lang": "en", "tier": "fast"})
    assert at.selectbox(key="s_tier").value == "standard"
