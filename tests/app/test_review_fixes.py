"""Fixes from the app review, each pinned by the page's real figures (AppTest)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pricing import load_catalog
from tokenizers import get_encoding
from ui.formatting import format_money, format_tokens

AS_OF = dt.date(2026, 11, 1)
M = Decimal(1_000_000)
REQUESTS_PAGE = "app_pages/requests.py"


def n(text: str, encoding: str = "o200k_base") -> int:
    return len(get_encoding(encoding).encode_ordinary(text))


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_request_cards_describe_one_model_per_line_not_a_sum(open_app):
    at = open_app({"date": AS_OF.isoformat(), "out_tokens": "60", "lang": "en"})
    at.switch_page(REQUESTS_PAGE).run()
    at.text_area(key="s_requests_paste").set_value('[{"role":"user","content":"Hello there, how are you?"}]').run()
    assert not at.exception, at.exception
    # Cookbook rules: 3 per message + role + content, 3 to prime the reply; the same on both encodings.
    tokens = 3 + n("user") + n("Hello there, how are you?") + 3
    assert tokens == 3 + n("user", "cl100k_base") + n("Hello there, how are you?", "cl100k_base") + 3 == 14
    # The three default models price it; gpt-4o-mini ($0.15 in, $0.60 out per 1M) is the cheapest.
    catalog = load_catalog()
    assert catalog.price("gpt-4o-mini", AS_OF).input_per_mtok == Decimal("0.15")
    assert catalog.price("gpt-4o-mini", AS_OF).output_per_mtok == Decimal("0.60")
    cost = tokens * Decimal("0.15") / M + 60 * Decimal("0.60") / M
    cards = metrics(at)
    assert cards["Requests"] == "1"
    assert cards["Prompt tokens"] == format_tokens(14)
    assert cards["Total cost"] == format_money(cost)
    assert any("The cards show gpt-4o-mini" in c.value for c in at.caption)
