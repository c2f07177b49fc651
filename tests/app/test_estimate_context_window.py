"""The Estimate page warns, in both languages, about documents longer than a model's context
window, keeps their cost, and shows yuan figures each rounded once, with the rate's origin said."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pricing.currency import MoneyView
from ui.formatting import format_money

LONG = ("long.txt", b"x" * 1_600_000, "text/plain")  # one line: 200,000 tokens on both encodings
QUERY = {"date": "2026-11-01", "models": "gpt-4o,gpt-4.1", "runs": "1", "task": "custom", "out_tokens": "0"}
M = Decimal(1_000_000)

WARNINGS = {
    "en": ("gpt-4o: 1 document is longer than its 128,000-token context window (200,000 input tokens). The API "
           "refuses such a request: split the document. The cost above still includes it, priced as if sent, "
           "about what its split pieces cost."),
    "zh": ("gpt-4o：有 1 个文档超出其 128,000 token 的上下文窗口（输入 200,000 个 token），API 会拒绝这样的请求，"
           "请先拆分该文档。上表的费用仍包含它，按原样发送计价，与拆分后各段的费用大致相当。"),
}


def table(at):
    return next(df.value for df in at.table)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_document_over_gpt_4o_s_window_is_warned_about_and_still_priced(open_app, lang):
    at = open_app({**QUERY, "lang": lang})
    at.file_uploader(key="estimate_files").set_value([LONG]).run()
    assert not at.exception
    assert [w.value for w in at.warning] == [WARNINGS[lang]]  # gpt-4.1 (1,047,576 tokens) takes it
    costs = table(at).set_index(table(at).columns[0])
    assert costs.loc["gpt-4o"].iloc[0] == format_money(200_000 * Decimal("2.50") / M) == "$0.5000"
    assert costs.loc["gpt-4.1"].iloc[0] == format_money(200_000 * Decimal(2) / M) == "$0.4000"


@pytest.mark.parametrize("lang, assumed, yours", [
    ("en", "Converted at 1 USD = 7.1 CNY, an assumed rate: change it in the sidebar",
     "Converted at 1 USD = 7.2 CNY (your rate)"),
    ("zh", "按 1 USD = 7.1 CNY 换算（默认假定的汇率，可在侧边栏修改）", "按 1 USD = 7.2 CNY 换算（你设定的汇率）"),
])
def test_yuan_figures_and_the_rate_says_whose_it_is(open_app, lang, assumed, yours):
    at = open_app({**QUERY, "lang": lang, "cur": "CNY", "req": "1000", "out_tokens": "5"})
    at.text_area(key="s_estimate_text").set_value("x" * 480).run()  # 60 tokens a request, 1,000 requests
    captions = [c.value for c in at.caption]
    assert assumed in captions and yours not in captions
    df = table(at)
    row = df.set_index(df.columns[0]).loc["gpt-4o"]
    total, cost_in, cost_out = row.iloc[0], row.iloc[-2], row.iloc[-1]
    # 60,000 in at $2.50/M = $0.15 = ¥1.065; 5,000 out at $10/M = $0.05 = ¥0.355; total $0.20 =
    # ¥1.42. Each figure is its own amount rounded once (half up; 4 places under ¥1): ¥1.07 and
    # ¥0.3550 beside ¥1.42, as a card would show each.
    view = MoneyView("CNY")
    assert [format_money(Decimal(u), view) for u in ("0.15", "0.05", "0.20")] == ["¥1.07", "¥0.3550", "¥1.42"]
    assert (cost_in, cost_out, total) == ("¥1.07", "¥0.3550", "¥1.42")
    at.sidebar.number_input(key="s_cny_per_usd").set_value(7.2).run()
    captions = [c.value for c in at.caption]
    assert yours in captions and assumed not in captions


def test_traffic_whose_average_request_is_over_the_window_is_warned_about(open_app):
    at = open_app({**QUERY, "lang": "en", "req": "10"})
    at.text_area(key="s_estimate_text").set_value("x" * 1_600_000).run()  # pasted: traffic, 200,000 a request
    assert not at.exception
    assert [w.value for w in at.warning] == [
        ("gpt-4o: the average request (200,000 input tokens) is longer than its 128,000-token context window. The "
         "API refuses such requests: shorten or split them. The cost above still prices every request as if sent.")]
