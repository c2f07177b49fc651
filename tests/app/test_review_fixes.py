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


def test_a_model_that_cannot_be_counted_offline_is_not_offered_and_fails_for_the_right_reason(open_app):
    from pricing import Assumptions, Workload
    from ui.catalog import countable_ids
    from ui.results import estimate_each

    catalog = load_catalog()
    assert catalog.price("text-davinci-003", dt.date(2023, 6, 1)).encoding == "p50k_base"
    ids = countable_ids(catalog)
    assert "text-davinci-003" not in ids and {"gpt-4o", "gpt-4o-mini", "gpt-3.5-turbo"} <= set(ids)
    # Priced anyway (a caller passing it), it fails as "not counted", not as "no Batch API price".
    workload = Workload(tokens={"o200k_base": 10, "cl100k_base": 11}, documents=1)
    rows, failures = estimate_each(workload, ["text-davinci-003"], catalog, Assumptions(as_of=dt.date(2023, 6, 1)))
    assert rows == [] and [(f.model, f.code) for f in failures] == [("text-davinci-003", "not_counted")]

    query = {"date": "2023-06-01", "models": "text-davinci-003", "lang": "en"}
    at = open_app(query)
    assert "text-davinci-003" not in at.sidebar.multiselect[0].options
    assert at.sidebar.multiselect[0].value == ["gpt-4o", "gpt-4o-mini", "gpt-3.5-turbo"]
    assert [w.value for w in at.warning] == ["Some link parameters were not valid and were reset to their defaults: models"]
    at.text_area(key="s_estimate_text").set_value("Hello there").run()
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning]
    assert not any("Batch API" in w for w in warnings), warnings
    at = open_app(query)
    at.switch_page(REQUESTS_PAGE).run()
    at.text_area(key="s_requests_paste").set_value('[{"role":"user","content":"Hello there, how are you?"}]').run()
    assert not at.exception, at.exception
    # On that day only gpt-3.5-turbo of the defaults had a price: the page prices the request on it.
    from pricing.requests import price_request_file

    pasted = b'[{"role":"user","content":"Hello there, how are you?"}]'
    a = Assumptions(output_tokens_per_request=500, as_of=dt.date(2023, 6, 1))
    (total,) = price_request_file(pasted, "pasted-request.json", catalog, None, a,
                                  default_models=("gpt-3.5-turbo",)).totals
    assert metrics(at)["Prompt tokens"] == format_tokens(total.prompt_tokens)
    assert metrics(at)["Total cost"] == format_money(total.total_cost)
    assert "gpt-4o had no price on 2023-06-01; choose another price date." in [w.value for w in at.warning]
