"""The API requests page through AppTest: figures equal the core's and hand-worked Decimals."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

from ingest.requests import read_requests
from pricing import Assumptions, load_catalog
from pricing.fine_tuning import default_epochs, estimate_fine_tuning
from pricing.requests import price_request_file
from tokenizers import get_encoding
from ui.formatting import format_money, format_tokens
from ui.request_results import annotated_csv, card_view

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "requests" / "support_triage_batch.jsonl"
DATA = FIXTURE.read_bytes()
AS_OF = dt.date(2026, 10, 1)  # before the 2026-10-23 shutdowns (gpt-3.5-turbo, o3-mini, o4-mini ...)
QUERY = {"date": AS_OF.isoformat(), "out_tokens": "60"}
M = Decimal(1_000_000)
PAGE = "app_pages/requests.py"


def n(text: str) -> int:
    return len(get_encoding("o200k_base").encode_ordinary(text))


def core_report(models=None, data=DATA, name="batch.jsonl", image_size=(1024, 1024)):
    a = Assumptions(output_tokens_per_request=60, as_of=AS_OF)
    return price_request_file(read_requests(name, data), load_catalog(), models, a, image_size=image_size)


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def shown(at, first_column: str):
    """The shown table (st.table or st.dataframe) whose first column is ``first_column``."""
    return next(df.value for df in [*at.table, *at.dataframe] if df.value.columns[0] == first_column)


@pytest.fixture
def requests_page(open_app):
    """``requests_page(lang, upload=(name, bytes), **query)`` -> the page after the upload."""

    def run(lang: str = "en", upload: tuple[str, bytes] | None = ("batch.jsonl", DATA), **query: str):
        at = open_app({**QUERY, "lang": lang, **query})
        at.switch_page(PAGE).run()
        if upload is not None:
            at.file_uploader(key="requests_file").set_value([(*upload, "application/jsonl")]).run()
        assert not at.exception, at.exception
        return at

    return run


def line_one_by_hand() -> tuple[int, Decimal]:
    """Line 1 of the fixture on gpt-4o-mini, Batch API, 60 output tokens: (prompt tokens, USD)."""
    system, user = json.loads(DATA.splitlines()[0])["body"]["messages"]
    # Cookbook rules: 3 per message + role + content, 3 to prime the reply.
    tokens = 3 + n("system") + n(system["content"]) + 3 + n("user") + n(user["content"]) + 3
    # gpt-4o-mini Batch API: $0.075 per 1M input tokens, $0.30 per 1M output tokens.
    return tokens, tokens * Decimal("0.075") / M + 60 * Decimal("0.30") / M


def test_batch_fixture_in_english_equals_the_core(requests_page):
    at = requests_page()
    report = core_report()
    assert report.batch and report.requests == 6
    figures, _ = card_view(report)
    cards = metrics(at)
    assert cards["Requests"] == "6"
    assert cards["Prompt tokens"] == format_tokens(figures.prompt_tokens)
    assert cards["Total cost"] == format_money(figures.total_cost)
    assert cards["Upper bound"] == format_money(figures.max_total_cost)
    assert cards["With caching (est.)"] == format_money(figures.total_cost_with_cache_estimate)
    # A Batch file is priced at Batch prices whatever the toggle says, and the page says so.
    assert at.selectbox(key="requests_tier_forced").value == "batch"
    assert any("Batch API file · Batch API prices · prices of 2026-10-01" in c.value for c in at.caption)

    models = shown(at, "Model").set_index("Model")
    assert list(models.index) == ["gpt-4o-mini", "gpt-4o"]
    for total in report.totals:
        assert models.loc[total.model, "Requests"] == str(total.requests)
        assert models.loc[total.model, "Prompt tokens"] == format_tokens(total.prompt_tokens)
        assert models.loc[total.model, "Total cost"] == format_money(total.total_cost)
        assert models.loc[total.model, "Upper bound"] == format_money(total.max_total_cost)
    assert models.loc["gpt-4o-mini", "Flagged requests"] == "1"

    per_request = shown(at, "Line").set_index("Line")
    tokens, cost = line_one_by_hand()
    assert per_request.loc[1, "custom_id"] == "ticket-10231"
    assert per_request.loc[1, "Prompt tokens"] == format_tokens(tokens)
    assert per_request.loc[1, "Total cost"] == format_money(cost)
    # 300 max tokens: the upper bound is the prompt plus 300 output tokens at Batch prices.
    assert per_request.loc[1, "Upper bound"] == format_money(tokens * Decimal("0.075") / M + 300 * Decimal("0.30") / M)
    assert per_request.loc[6, "Flags"] == "asks for more output tokens than the model can give"
    assert per_request.loc[4, "Estimated parts"] == "image size assumed: a remote URL cannot be measured offline"
    assert per_request.loc[2, "Cached tokens (estimate)"] == "1,024"
    assert [x.value for x in at.text] == [
        "batch.jsonl:4: line 4: an image at a remote URL cannot be measured offline; assumed 1024x1024"]
    assert [b.label for b in at.download_button] == ["Requests with counts, costs and flags (CSV)",
                                                      "Full report (JSON)"]


def test_chinese_page_translates_labels_flags_and_notes(requests_page):
    at = requests_page("zh")
    assert at.title[0].value == "这些 API 请求要花多少钱？"
    cards = metrics(at)
    assert cards["请求数"] == "6"
    assert cards["总费用"] == format_money(card_view(core_report())[0].total_cost)
    per_request = shown(at, "行号").set_index("行号")
    assert per_request.loc[6, "标记"] == "请求的输出 token 数超过了模型的上限"
    assert per_request.loc[4, "估算部分"] == "图片尺寸为假设值：远程 URL 无法离线测量"
    assert [x.value for x in at.text] == ["batch.jsonl:4: 第 4 行：远程 URL 的图片无法离线测量，假设为 1024x1024"]
    assert "Line" not in "".join(str(c) for df in at.dataframe for c in df.value.columns)


def test_annotated_csv_has_a_row_per_request_with_exact_costs_and_flags():
    data = annotated_csv(core_report())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [r["line"] for r in rows] == ["1", "2", "3", "4", "5", "6"]
    tokens, cost = line_one_by_hand()
    first = rows[0]
    assert (first["custom_id"], first["request_model"], first["max_output_tokens"]) == ("ticket-10231", "gpt-4o-mini", "300")
    assert first["prompt_tokens_gpt-4o-mini"] == str(tokens) and first["output_tokens_gpt-4o-mini"] == "60"
    assert Decimal(first["cost_usd_gpt-4o-mini"]) == cost
    assert first["cost_usd_gpt-4o"] == ""  # line 1 is priced on its own model only
    assert rows[4]["cost_usd_gpt-4o-mini"] == "" and rows[4]["request_model"] == "gpt-4o"
    assert rows[5]["flags"] == "gpt-4o-mini:max_output_above_limit"
    assert rows[3]["estimates"] == "gpt-4o-mini:estimate_image_size"
    assert rows[1]["cached_tokens_estimate_gpt-4o-mini"] == "1024"


def test_annotated_csv_neutralises_a_formula_in_custom_id():
    line = {"custom_id": "=HYPERLINK(\"http://evil\")", "method": "POST", "url": "/v1/chat/completions",
            "body": {"model": "gpt-4o", "messages": [{"role": "user", "content": "Hi"}]}}
    report = core_report(data=json.dumps(line).encode(), name="evil.jsonl")
    rows = list(csv.reader(io.StringIO(annotated_csv(report).decode("utf-8-sig"), newline="")))
    assert rows[1][1] == "'=HYPERLINK(\"http://evil\")"
    # 3 + role + content + 3 on gpt-4o Batch ($1.25 in, $5 out per 1M) with 60 output tokens.
    assert Decimal(rows[1][rows[0].index("cost_usd_gpt-4o")]) == (3 + n("user") + n("Hi") + 3) * Decimal("1.25") / M + 60 * 5 / M


BAD = (
    b'{"model": "gpt-4o", "messages": [{"role": "user", "content": "Hello"}]}\n'
    b'{"model": "gpt-4o", "messages": [\n'
    b'{"custom_id": "x", "method": "POST", "url": "/v1/embeddings", "body": {"input": "a"}}\n'
)


@pytest.mark.parametrize(
    ("lang", "warning", "where", "problem", "line_2"),
    [
        ("en", "2 line(s) were skipped:", "Where", "Problem",
         "line 2 is not valid JSON: Expecting value"),
        ("zh", "跳过了 2 行：", "位置", "问题", "第 2 行不是有效的 JSON：Expecting value"),
    ],
)
def test_malformed_lines_are_reported_with_their_numbers(requests_page, lang, warning, where, problem, line_2):
    at = requests_page(lang, upload=("bad.jsonl", BAD))
    assert any(w.value == warning for w in at.warning)
    problems = shown(at, where)
    assert list(problems[where]) == ["bad.jsonl:2", "bad.jsonl:3"]
    assert problems[problem].iloc[0] == line_2
    endpoint = {"en": "line 3 calls /v1/embeddings; only /v1/chat/completions requests are priced",
                "zh": "第 3 行调用的是 /v1/embeddings；只对 /v1/chat/completions 请求计价"}[lang]
    assert problems[problem].iloc[1] == endpoint
    # The good line is still priced: on gpt-4o, 3 + role + content + 3, 60 output tokens at $2.50 / $10.
    prompt = 3 + n("user") + n("Hello") + 3
    assert metrics(at)[{"en": "Prompt tokens", "zh": "提示词 token 数"}[lang]] == format_tokens(prompt)
    assert metrics(at)[{"en": "Total cost", "zh": "总费用"}[lang]] == format_money(
        prompt * Decimal("2.5") / M + 60 * Decimal(10) / M)


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "notes.txt is not an API request file"),
        ("zh", "notes.txt 不是 API 请求文件"),
    ],
)
def test_a_file_that_is_not_requests_gets_a_clear_message(requests_page, lang, message):
    at = requests_page(lang, upload=("notes.txt", "Just some notes, 你好.\nSecond line.".encode()))
    assert len(at.error) == 1 and at.error[0].value.startswith(message)
    assert not at.metric and not at.download_button
    # The file name is user text: Markdown in it stays literal.
    at.file_uploader(key="requests_file").set_value([("**x**[a](b).txt", b"plain", "text/plain")]).run()
    assert at.error[0].value.startswith(message.replace("notes.txt", "\\*\\*x\\*\\*\\[a\\](b).txt"))


def test_pasted_text_that_is_not_a_request(requests_page):
    at = requests_page("zh", upload=None)
    at.text_area(key="s_requests_paste").set_value("Hello, how much is this?").run()
    assert [e.value for e in at.error] == [
        '粘贴的内容不是 API 请求：需要带 "messages" 的 JSON 请求、每行一个请求，或形如 '
        '[{"role": "user", "content": "…"}] 的 messages 数组。'
    ]


def test_pasted_messages_array_on_the_sidebar_models(requests_page):
    # The request names no model: it is priced on the sidebar's models.
    at = requests_page(upload=None, models="gpt-4o,gpt-3.5-turbo")
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "<|endoftext|> 你好"}]
    at.text_area(key="s_requests_paste").set_value(json.dumps(messages, ensure_ascii=False)).run()
    assert not at.exception
    models = shown(at, "Model").set_index("Model")
    assert list(models.index) == ["gpt-4o", "gpt-3.5-turbo"]
    cl100k = get_encoding("cl100k_base")
    gpt4o = 3 + n("system") + n("Be brief.") + 3 + n("user") + n("<|endoftext|> 你好") + 3
    gpt35 = 3 + sum(len(cl100k.encode_ordinary(s)) for s in ("system", "Be brief.")) + 3 + sum(
        len(cl100k.encode_ordinary(s)) for s in ("user", "<|endoftext|> 你好")) + 3
    assert models.loc["gpt-4o", "Prompt tokens"] == format_tokens(gpt4o)
    assert models.loc["gpt-3.5-turbo", "Prompt tokens"] == format_tokens(gpt35)
    # gpt-3.5-turbo on 2026-10-01: $0.50 in, $1.50 out per 1M (no Batch: a pasted request is not a Batch file).
    assert models.loc["gpt-3.5-turbo", "Total cost"] == format_money(gpt35 * Decimal("0.5") / M + 60 * Decimal("1.5") / M)
    # No max_tokens: no upper bound.
    assert models.loc["gpt-4o", "Upper bound"] == "–"
    assert metrics(at)["Upper bound"] == "–"


def test_repricing_on_the_sidebar_models_and_a_remote_image_size(requests_page):
    at = requests_page(models="gpt-4o,gpt-4.1-mini")
    at.toggle(key="s_req_reprice").set_value(True).run()
    at.number_input(key="s_req_image_w").set_value(512).run()
    at.number_input(key="s_req_image_h").set_value(256).run()
    assert not at.exception
    report = core_report(["gpt-4o", "gpt-4.1-mini"], image_size=(512, 256))
    models = shown(at, "Model").set_index("Model")
    assert list(models.index) == ["gpt-4o", "gpt-4.1-mini"]
    for total in report.totals:
        assert models.loc[total.model, "Requests"] == "6"
        assert models.loc[total.model, "Total cost"] == format_money(total.total_cost)
    cheapest = min(report.totals, key=lambda x: x.total_cost)
    assert metrics(at)["Total cost"] == format_money(cheapest.total_cost)
    assert any(c.value.startswith(f"The cards show {cheapest.model}") for c in at.caption)
    assert [x.value for x in at.text] == [
        "batch.jsonl:4: line 4: an image at a remote URL cannot be measured offline; assumed 512x256"]


@pytest.mark.parametrize("lang, flag, note", [
    ("en", "the image URL is not one the API accepts: not opened, its size assumed",
     "pasted-request.json:1: line 1: the image URL 'file:///etc/hostname' is not one the API accepts "
     "(only https: and data: URLs); it was not opened, its size is assumed 1024x1024"),
    ("zh", "API 不接受此图片 URL：未打开，尺寸为假设值",
     "pasted-request.json:1: 第 1 行：图片 URL 'file:///etc/hostname' 不是 API 接受的地址（只接受 https: 和 "
     "data: URL）；未打开，尺寸假设为 1024x1024"),
])
def test_a_pasted_file_url_is_flagged_not_opened(requests_page, lang, flag, note):
    at = requests_page(lang, upload=None, models="gpt-4o")
    request = {"messages": [{"role": "user", "content": [
        {"type": "image_url", "image_url": {"url": "file:///etc/hostname", "detail": "high"}}]}]}
    at.text_area(key="s_requests_paste").set_value(json.dumps(request)).run()
    assert not at.exception
    per_request = shown(at, "Line" if lang == "en" else "行号")
    assert flag in per_request.iloc[0]["Flags" if lang == "en" else "标记"]
    assert [x.value for x in at.text] == [note]


TRAIN = (Path(__file__).resolve().parents[2] / "examples" / "fine_tune_train.jsonl").read_bytes()


def test_fine_tuning_section(requests_page):
    at = requests_page(upload=("train.jsonl", TRAIN))
    parsed = read_requests("train.jsonl", TRAIN)
    epochs = default_epochs(len(parsed.requests))
    assert epochs > 3  # a small file: the default rule raises 3 epochs to 100 // examples
    training = next(t.value for t in at.table if "Training cost" in t.value.columns).set_index("Model")
    # Training prices per 1M: 3, 25, 8 USD.
    for model, rate in (("gpt-4o-mini", 3), ("gpt-4o", 25), ("gpt-3.5-turbo", 8)):
        one_pass = estimate_fine_tuning(parsed, load_catalog(), model, AS_OF).dataset_tokens
        assert training.loc[model, "Epochs"] == f"{epochs} (default)"
        assert training.loc[model, "Tokens per epoch"] == format_tokens(one_pass)
        assert training.loc[model, "Training tokens"] == format_tokens(one_pass * epochs)
        assert training.loc[model, "Training cost"] == format_money(one_pass * epochs * Decimal(rate) / M)
        assert training.loc[model, "Examples over the limit"] == "0"
    at.toggle(key="s_req_ft_default_epochs").set_value(False).run()
    at.number_input(key="s_req_ft_epochs").set_value(2).run()
    training = next(t.value for t in at.table if "Training cost" in t.value.columns).set_index("Model")
    mini = estimate_fine_tuning(parsed, load_catalog(), "gpt-4o-mini", AS_OF).dataset_tokens
    assert training.loc["gpt-4o-mini", "Epochs"] == "2"
    assert training.loc["gpt-4o-mini", "Training cost"] == format_money(mini * 2 * Decimal(3) / M)


def test_requests_without_an_assistant_reply_are_not_billed_as_training(requests_page):
    at = requests_page()  # a Batch file of 6 requests: no assistant turn in any
    assert ("6 examples have no assistant reply and are not billed as training (OpenAI rejects them): "
            "lines 1, 2, 3, 4, 5, 6." in [w.value for w in at.warning])
    assert not any("Training cost" in t.value.columns for t in at.table)


def test_fine_tuning_flags_an_example_over_the_limit(requests_page):
    long_text = "hello " * 17_000
    example = {"messages": [{"role": "user", "content": long_text}, {"role": "assistant", "content": "ok"}]}
    at = requests_page("zh", upload=("train.jsonl", json.dumps(example).encode()))
    cl100k = get_encoding("cl100k_base")
    tokens = 3 + 1 + len(cl100k.encode_ordinary(long_text)) + 3 + 1 + len(cl100k.encode_ordinary("ok")) + 3
    assert tokens > 16_385
    assert any(w.value == "有 1 个样本超过单个样本上限，将被截断：" for w in at.warning)
    too_long = next(df.value for df in at.dataframe if "单个样本上限" in df.value.columns)
    assert too_long.to_dict("records") == [
        {"模型": "gpt-3.5-turbo", "行号": 1, "提示词 token": format_tokens(tokens), "单个样本上限": "16,385"}
    ]
    training = next(t.value for t in at.table if "训练费用" in t.value.columns).set_index("模型")
    # One example: 25 epochs (the rule's maximum); gpt-3.5-turbo bills it at its 16,385-token limit, $8 per 1M.
    assert training.loc["gpt-3.5-turbo", "轮数"] == "25（默认）"
    assert training.loc["gpt-3.5-turbo", "训练费用"] == format_money(16_385 * 25 * Decimal(8) / M)
    assert training.loc["gpt-3.5-turbo", "超限样本"] == "1"
    assert training.loc["gpt-4o-mini", "超限样本"] == "0"


def test_a_model_of_the_file_without_a_price_on_the_date(requests_page):
    # gpt-4o-mini (lines 1-4 and 6) was first priced on 2024-07-18.
    at = requests_page(date="2024-06-01", models="gpt-4o")
    assert [e.value for e in at.error] == [
        "A model named in the file had no price on 2024-06-01; choose another price date or re-price on the "
        "sidebar's models."
    ]
    at.toggle(key="s_req_reprice").set_value(True).run()
    assert not at.error
    assert list(shown(at, "Model")["Model"]) == ["gpt-4o"]


_request = hs.fixed_dictionaries(
    {"model": hs.sampled_from(["gpt-4o", "gpt-4o-mini", "gpt-3.5-turbo"]),
     "messages": hs.lists(hs.fixed_dictionaries({"role": hs.sampled_from(["system", "user", "assistant"]),
                                                 "content": hs.text(max_size=40)}), min_size=1, max_size=3)},
    optional={"max_tokens": hs.integers(0, 40_000)},
)


@settings(max_examples=25, deadline=None)
@given(requests=hs.lists(_request, min_size=1, max_size=6), reprice=hs.booleans())
def test_csv_columns_add_up_to_the_model_totals(requests, reprice):
    data = "\n".join(json.dumps(r) for r in requests).encode()
    report = core_report(["gpt-4o-mini", "gpt-4.1"] if reprice else None, data=data, name="r.jsonl")
    rows = list(csv.DictReader(io.StringIO(annotated_csv(report).decode("utf-8-sig"), newline="")))
    assert len(rows) == len(requests)
    for total in report.totals:
        costs = [r[f"cost_usd_{total.model}"] for r in rows if r[f"cost_usd_{total.model}"]]
        assert len(costs) == total.requests
        assert sum(Decimal(c) for c in costs) == total.total_cost
        assert sum(int(r[f"prompt_tokens_{total.model}"] or 0) for r in rows) == total.prompt_tokens
        bounds = [r[f"max_cost_usd_{total.model}"] for r in rows if r[f"cost_usd_{total.model}"]]
        expected = None if "" in bounds else sum(Decimal(b) for b in bounds)
        assert expected == total.max_total_cost


@pytest.mark.parametrize(
    ("lang", "problem"),
    [
        ("en", "line 1 is nested too deeply (more than 200 levels of brackets)"),
        ("zh", "第 1 行嵌套过深（括号超过 200 层）"),
    ],
)
def test_a_line_nested_too_deeply_is_skipped_and_the_rest_priced(requests_page, lang, problem):
    good = b'{"model": "gpt-4o", "messages": [{"role": "user", "content": "Hello"}]}\n'
    at = requests_page(lang, upload=("deep.jsonl", b"[" * 100_000 + b"]" * 100_000 + b"\n" + good))
    problems = shown(at, {"en": "Where", "zh": "位置"}[lang])
    assert problems.values.tolist() == [["deep.jsonl:1", problem]]
    prompt = 3 + n("user") + n("Hello") + 3
    assert metrics(at)[{"en": "Prompt tokens", "zh": "提示词 token 数"}[lang]] == format_tokens(prompt)
