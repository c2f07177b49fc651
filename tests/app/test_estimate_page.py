"""The Estimate page through AppTest: counts equal tiktoken's, costs equal hand-worked Decimals."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from tokenizers import get_encoding
from ui.formatting import format_money, format_tokens

TEXT = "Hello, world! <|endoftext|> 你好，世界。<script>alert(1)</script> =SUM(A1)"
# Prices on 2025-01-15 (USD per 1M tokens): gpt-4o 2.50/10, gpt-4o-mini 0.15/0.60, gpt-3.5-turbo 0.50/1.50.
# Task "custom" with 200 output tokens; pasted text is traffic (req: 1,000 requests a month), an
# upload a corpus (runs: processed 1,000 times), so both price each document 1,000 times.
QUERY = {"date": "2025-01-15", "req": "1000", "runs": "1000", "task": "custom", "out_tokens": "200", "lang": "en"}
M = Decimal(1_000_000)


def tiktoken_count(text: str, encoding: str) -> int:
    return len(get_encoding(encoding).encode_ordinary(text))


def table(at, first_column: str = "Model"):
    """The shown table whose first column is ``first_column``."""
    return next(df.value for df in [*at.table, *at.dataframe] if df.value.columns[0] == first_column)


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_pasted_text_counts_and_costs_in_english(open_app):
    at = open_app(QUERY)
    at.text_area(key="s_estimate_text").set_value(TEXT).run()
    assert not at.exception
    o200k, cl100k = tiktoken_count(TEXT, "o200k_base"), tiktoken_count(TEXT, "cl100k_base")
    shown = metrics(at)
    assert shown["Tokens (o200k_base, exact)"] == format_tokens(o200k)
    assert shown["Tokens (cl100k_base, exact)"] == format_tokens(cl100k)
    assert shown["Documents"] == "1"
    assert shown["Cheapest of the chosen models"] == "gpt-4o-mini"

    costs = table(at).set_index("Model")
    # 1000 requests: input = tokens x 1000, output = 200 x 1000 tokens.
    expected = {
        "gpt-4o": (o200k * 1000 * Decimal("2.50") / M, 200_000 * Decimal(10) / M),
        "gpt-4o-mini": (o200k * 1000 * Decimal("0.15") / M, 200_000 * Decimal("0.60") / M),
        "gpt-3.5-turbo": (cl100k * 1000 * Decimal("0.50") / M, 200_000 * Decimal("1.50") / M),
    }
    for model, (cost_in, cost_out) in expected.items():
        # Each figure is its own amount rounded once (the total too: the exact sum).
        assert costs.loc[model, "Input cost"] == format_money(cost_in)
        assert costs.loc[model, "Output cost"] == format_money(cost_out)
        assert costs.loc[model, "Total cost"] == format_money(cost_in + cost_out)
    assert costs.loc["gpt-4o", "Output cost"] == "$2.00"
    assert costs.loc["gpt-4o", "Input tokens"] == format_tokens(o200k * 1000)

    # The saving card: gpt-4o-mini against the dearest model (gpt-4o) by default.
    saving = sum(expected["gpt-4o"]) - sum(expected["gpt-4o-mini"])
    assert shown["Saving with gpt-4o-mini vs gpt-4o"] == format_money(saving)


def test_chinese_page_from_query_and_from_locale(open_app):
    at = open_app({**QUERY, "lang": "zh"})
    assert at.title[0].value == "要花多少钱？"
    at.text_area(key="s_estimate_text").set_value(TEXT).run()
    shown = metrics(at)
    assert shown["Token 数（o200k_base，精确）"] == format_tokens(tiktoken_count(TEXT, "o200k_base"))
    assert shown["所选模型中最便宜"] == "gpt-4o-mini"
    assert list(table(at, "模型").columns)[:3] == ["模型", "总费用", "分词器"]  # model and total first (phone width)
    assert at.sidebar.selectbox(key="s_lang").value == "zh"

    by_locale = open_app({}, locale="zh-CN")
    assert by_locale.title[0].value == "要花多少钱？"
    assert open_app({}, locale="de-DE").title[0].value == "What will it cost?"


def test_changing_assumptions_reprices_without_recounting(open_app, monkeypatch):
    at = open_app(QUERY)
    at.text_area(key="s_estimate_text").set_value(TEXT).run()
    import corpus.pipeline

    def no_counting(*args, **kwargs):
        raise AssertionError("counted again")

    monkeypatch.setattr(corpus.pipeline, "count_stream", no_counting)
    at.number_input(key="s_requests").set_value(2000).run()
    assert not at.exception and not at.error
    o200k = tiktoken_count(TEXT, "o200k_base")
    assert table(at).set_index("Model").loc["gpt-4o", "Input cost"] == format_money(o200k * 2000 * Decimal("2.5") / M)
    assert at.query_params["req"] == "2000"


def test_cny_view_shows_the_rate(open_app):
    at = open_app({**QUERY, "cur": "CNY", "rate": "7.2"})
    at.text_area(key="s_estimate_text").set_value(TEXT).run()
    costs = table(at).set_index("Model")
    assert costs.loc["gpt-4o", "Output cost"] == "¥14.40"  # $2.00 x 7.2
    assert any("1 USD = 7.2 CNY" in c.value for c in at.caption)


CSV_BYTES = (
    "id,review,lang\n"
    "1,Great product! 很好,zh\n"
    "2,=HYPERLINK(\"http://evil\"),en\n"
    "3,\"Bad, would not buy\",en\n"
).encode("utf-8")
REVIEWS = {"1": "Great product! 很好", "2": '=HYPERLINK("http://evil")', "3": "Bad, would not buy"}


def upload_reviews(at):
    at.file_uploader(key="estimate_files").set_value([("reviews.csv", CSV_BYTES, "text/csv")]).run()
    at.selectbox(key="column_0_reviews.csv").set_value("review").run()
    at.selectbox(key="group_0_reviews.csv").set_value("lang").run()
    assert not at.exception
    return at


def test_csv_upload_with_a_group_column(open_app):
    at = upload_reviews(open_app(QUERY))
    shown = metrics(at)
    assert shown["Documents"] == "3"
    total = sum(tiktoken_count(t, "o200k_base") for t in REVIEWS.values())
    assert shown["Tokens (o200k_base, exact)"] == format_tokens(total)
    groups = table(at, "Group").set_index("Group")
    zh, en = REVIEWS["1"], [REVIEWS["2"], REVIEWS["3"]]
    assert groups.loc["zh", "Documents"] == "1" and groups.loc["en", "Documents"] == "2"
    assert groups.loc["zh", "Tokens (cl100k_base)"] == format_tokens(tiktoken_count(zh, "cl100k_base"))
    en_tokens = sum(tiktoken_count(t, "o200k_base") for t in en)
    # gpt-4o for the "en" group: 2 rows x 1000 requests, 200 output tokens each.
    en_cost = en_tokens * 1000 * Decimal("2.5") / M + 2 * 200 * 1000 * Decimal(10) / M
    assert groups.loc["en", "Cost on gpt-4o"] == format_money(en_cost)
    labels = [b.label for b in at.download_button]
    assert "Rows of reviews.csv with counts and costs (CSV)" in labels


def test_row_download_neutralises_formulas_and_prices_each_row():
    from ingest import ReadOptions
    from pricing import Assumptions, load_catalog
    from ui.counts import count_source
    from pricing.estimates import row_table
    from pricing.export import csv_bytes
    import datetime as dt

    options = ReadOptions(column="review", group_by="lang")
    source = count_source("reviews.csv", CSV_BYTES, options)
    a = Assumptions(output_tokens_per_request=200, requests=1000, as_of=dt.date(2025, 1, 15))
    data = csv_bytes(*row_table(source, CSV_BYTES, options, ["gpt-4o"], load_catalog(), a))
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    rows = list(reader)
    # The user's own columns first, all of them and in their order; then what was counted and priced.
    assert reader.fieldnames == ["id", "review", "lang", "source", "language", "tokens_o200k_base",
                                 "tokens_cl100k_base", "cost_usd_gpt-4o"]
    assert [(r["id"], r["lang"]) for r in rows] == [("1", "zh"), ("2", "en"), ("3", "en")]
    assert [r["source"] for r in rows] == ["reviews.csv:2", "reviews.csv:3", "reviews.csv:4"]
    assert rows[1]["review"] == "'" + REVIEWS["2"]  # a formula stays text in a spreadsheet
    assert rows[2]["review"] == REVIEWS["3"]
    n = tiktoken_count(REVIEWS["1"], "o200k_base")
    assert rows[0]["tokens_o200k_base"] == str(n)
    assert rows[0]["tokens_cl100k_base"] == str(tiktoken_count(REVIEWS["1"], "cl100k_base"))
    assert Decimal(rows[0]["cost_usd_gpt-4o"]) == n * 1000 * Decimal("2.5") / M + 200_000 * Decimal(10) / M


def test_results_csv_download_is_exact_and_safe(open_app):
    from pricing.reports import results_csv

    at = open_app(QUERY)
    at.text_area(key="s_estimate_text").set_value(TEXT).run()
    assert [b.label for b in at.download_button][:2] == ["Results (CSV)", "Results (JSON)"]
    from pricing import Assumptions, Workload, estimate, load_catalog
    import datetime as dt

    o200k = tiktoken_count(TEXT, "o200k_base")
    rows = estimate(Workload({"o200k_base": o200k, "cl100k_base": 1}), ["gpt-4o"], load_catalog(),
                    Assumptions(output_tokens_per_request=200, requests=1000, as_of=dt.date(2025, 1, 15)))
    lines = list(csv.reader(io.StringIO(results_csv(rows).decode("utf-8-sig"), newline="")))
    assert lines[0][-1] == "total_cost_usd"
    assert Decimal(lines[1][-1]) == o200k * 1000 * Decimal("2.5") / M + 2
    assert lines[1][1] == "gpt-4o-2024-08-06"


def test_bad_files_are_shown_translated(open_app):
    at = open_app({**QUERY, "lang": "zh"})
    at.file_uploader(key="estimate_files").set_value(
        [("empty.txt", b"", "text/plain"), ("rows.csv", b"a,b\n1,2\n3\n", "text/csv")]
    ).run()
    assert not at.exception
    assert any("跳过了 2 个文件或行" in w.value for w in at.warning)
    problems = next(df.value for df in at.dataframe if "问题" in df.value.columns)
    assert list(problems["位置"]) == ["empty.txt", "rows.csv:3"]
    assert list(problems["问题"]) == ["文件为空", "第 3 行有 1 个字段，表头有 2 个"]


def test_query_parameters_round_trip(open_app):
    at = open_app({"models": "gpt-4o,gpt-4-turbo", "req": "5", "batch": "1", "date": "2025-01-15", "lang": "en"})
    assert at.sidebar.multiselect(key="s_models").value == ["gpt-4o", "gpt-4-turbo"]
    assert at.number_input(key="s_requests").value == 5
    # ``batch=1`` (an older link's short form) is the Batch tier: one control says which prices apply.
    assert at.selectbox(key="s_tier").value == "batch"
    at.sidebar.multiselect(key="s_models").set_value(["gpt-4o-mini"]).run()
    assert at.query_params["models"] == "gpt-4o-mini"
    assert at.query_params["req"] == "5" and at.query_params["tier"] == "batch" and "batch" not in at.query_params
    link = at.sidebar.code[0].value
    assert "models=gpt-4o-mini" in link and "req=5" in link and "text=" not in link


def test_bad_parameter_falls_back_with_a_notice(open_app):
    at = open_app({"req": "lots", "models": "gpt-4o,nope", "date": "2019-12-31", "lang": "en"})
    assert not at.exception
    # Each part that cannot be used is named; the good model of the list stays.
    assert [w.value for w in at.warning] == [
        "Some parts of this link could not be used. They were left out; the rest of the link applies:\n\n"
        "- models: there is no model “nope” to choose\n"
        "- date: “2019-12-31” is not a valid value, the default is used\n"
        "- req: “lots” is not a valid value, the default is used"
    ]
    assert at.number_input(key="s_requests").value == 1000
    # The unknown model is dropped alone: the good one of the list stays.
    assert at.sidebar.multiselect(key="s_models").value == ["gpt-4o"]


def test_text_enters_the_link_only_when_asked(open_app):
    at = open_app(QUERY)
    at.text_area(key="s_estimate_text").set_value(TEXT).run()
    assert "text" not in at.query_params
    at.checkbox(key="s_share_text").check().run()
    packed = at.query_params["text"]
    reopened = open_app({**QUERY, "text": packed})
    assert reopened.text_area(key="s_estimate_text").value == TEXT
    assert metrics(reopened)["Documents"] == "1"


def test_unpriced_model_is_reported_and_the_rest_still_shown(open_app):
    at = open_app({**QUERY, "models": "gpt-4o,gpt-4o-mini", "date": "2024-06-01"})
    at.text_area(key="s_estimate_text").set_value(TEXT).run()
    assert any("gpt-4o-mini had no price on 2024-06-01" in w.value for w in at.warning)
    assert list(table(at)["Model"]) == ["gpt-4o"]


def test_switching_language_keeps_every_choice(open_app):
    at = open_app(QUERY)
    at.text_area(key="s_estimate_text").set_value(TEXT).run()
    at.radio(key="s_output_mode").set_value("ratio").run()
    at.number_input(key="s_output_ratio").set_value(0.5).run()
    at.sidebar.radio(key="s_currency").set_value("CNY").run()
    before = table(at)["Total cost"].tolist()
    at.sidebar.selectbox(key="s_lang").set_value("zh").run()
    assert not at.exception
    assert at.radio(key="s_output_mode").value == "ratio"
    assert at.sidebar.radio(key="s_currency").value == "CNY"
    assert table(at, "模型")["总费用"].tolist() == before
    assert at.query_params["lang"] == "zh" and at.query_params["out"] == "ratio"


def test_file_names_reach_labels_escaped(open_app):
    at = open_app(QUERY)
    name = "**big**[x](http://e).csv"
    at.file_uploader(key="estimate_files").set_value([(name, b"a,b\nhi,1\n", "text/csv")]).run()
    assert not at.exception
    assert at.selectbox(key=f"column_0_{name}").label == r"Text column of \*\*big\*\*\[x\](http\://e).csv"


def test_an_unexpected_error_shows_a_message_not_a_traceback(open_app, monkeypatch):
    import pricing.estimates

    def broken(*args, **kwargs):
        raise RuntimeError("internal detail")

    monkeypatch.setattr(pricing.estimates, "estimate_each", broken)
    at = open_app({**QUERY, "lang": "zh"})
    at.text_area(key="s_estimate_text").set_value(TEXT).run()
    assert not at.exception
    assert [e.value for e in at.error] == ["准备此页面时出错。请修改输入或刷新页面；如果问题持续，请反馈给我们。"]
    assert "internal detail" not in str([e.value for e in at.error])
    assert at.sidebar.code  # the rest of the app (sidebar, share link) still renders


def test_float_noise_from_widgets_stays_exact(open_app):
    at = open_app(QUERY)
    at.text_area(key="s_estimate_text").set_value(TEXT).run()
    at.slider(key="s_cached_share").set_value(0.15000000000000002).run()
    at.sidebar.radio(key="s_currency").set_value("CNY").run()
    at.number_input(key="s_cny_per_usd").set_value(7.123456789).run()
    assert at.query_params["cached"] == "0.15"
    assert at.query_params["rate"] == "7.1235"
    assert any("1 USD = 7.1235 CNY" in c.value for c in at.caption)


def test_pasted_text_is_utf8_and_gets_no_read_as_note(open_app):
    at = open_app(QUERY)
    text = "Ā"  # alone, its UTF-8 bytes could pass for cp1252 "Ä€"
    at.text_area(key="s_estimate_text").set_value(text).run()
    assert metrics(at)["Tokens (o200k_base, exact)"] == format_tokens(tiktoken_count(text, "o200k_base"))
    shown = [m.value for m in [*at.markdown, *at.caption]]
    assert not [s for s in shown if "read as" in s]


# What Excel writes for a Chinese sheet: "CSV" in the ANSI code page (GBK), "CSV UTF-8" (with a
# BOM) and "Unicode text" (UTF-16 LE with a BOM, tab-separated).
CHINESE_ROWS = [("价格太贵了，但是质量很好。", "差评"), ("物流很快，包装完好！", "好评"), ("客服回复及时", "好评")]


def _excel_export(kind: str) -> tuple[str, bytes]:
    if kind == "utf16":
        text = "评论\t分类\r\n" + "".join(f"{r}\t{g}\r\n" for r, g in CHINESE_ROWS)
        return "评论.tsv", text.encode("utf-16")
    text = "评论,分类\r\n" + "".join(f"{r},{g}\r\n" for r, g in CHINESE_ROWS)
    return "评论.csv", text.encode("gbk") if kind == "gbk" else "\ufeff".encode() + text.encode("utf-8")


@pytest.mark.parametrize("kind", ["gbk", "utf8_bom", "utf16"])
def test_chinese_excel_exports_just_work_in_the_chinese_ui(open_app, kind):
    at = open_app({**QUERY, "lang": "zh"})
    name, data = _excel_export(kind)
    at.file_uploader(key="estimate_files").set_value([(name, data, "text/csv")]).run()
    column = at.selectbox(key=f"column_0_{name}")
    assert column.options == ["评论", "分类"]  # the header reads as Chinese, not mojibake
    column.set_value("评论").run()
    at.selectbox(key=f"group_0_{name}").set_value("分类").run()
    assert not at.exception
    shown = metrics(at)
    assert shown["文档数"] == "3"
    for encoding in ("o200k_base", "cl100k_base"):
        label = f"Token 数（{encoding}，精确）"
        assert shown[label] == format_tokens(sum(tiktoken_count(r, encoding) for r, _ in CHINESE_ROWS))
    groups = table(at, "分组").set_index("分组")
    assert groups.loc["好评", "文档数"] == "2" and groups.loc["差评", "文档数"] == "1"


@pytest.mark.parametrize("lang, said, cheapest", [
    ("en", "No requests to price: \u201cRequests per month\u201d is 0.", "Cheapest"),
    ("zh", "没有需要计价的请求：\u201c每月请求次数\u201d为 0。", "所选模型中最便宜"),
])
def test_zero_requests_names_no_cheapest_model(open_app, lang, said, cheapest):
    # With 0 requests every model costs $0.00: the page named the first one "cheapest" beside a
    # "$0.00 –" saving.
    at = open_app({"lang": lang, "q": "traffic", "req": "0", "models": "gpt-4o,gpt-4o-mini"})
    at.text_area[0].input("hello world").run()
    assert any(i.value.startswith(said) for i in at.info), [i.value for i in at.info]
    assert not any(m.label.startswith(cheapest) for m in at.metric), [m.label for m in at.metric]


@pytest.mark.parametrize("lang, said", [
    ("en", "Each amount is rounded on its own, so a row's parts may differ from its total in the last digit."),
    ("zh", "每个金额单独舍入，因此一行中各部分之和与总额可能在最后一位相差。"),
])
def test_the_cost_table_says_each_amount_is_rounded_on_its_own(open_app, lang, said):
    # Equal amounts print the same (¥2.50 and ¥2.50), so a row may read ¥2.50 + ¥2.50 beside ¥5.01.
    at = open_app({"lang": lang, "models": "gpt-4o,gpt-4o-mini"})
    at.text_area[0].input("hello world").run()
    assert any(c.value.endswith(said) for c in at.caption), [c.value for c in at.caption]
