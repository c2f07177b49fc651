"""Pricing request files: hand-computed costs in Decimal, in chat-JSONL and Batch-JSONL forms."""

import base64
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from ingest.requests import read_requests
from pricing import Assumptions, load_catalog
from pricing.requests import (
    ABOVE_MAX_OUTPUT,
    CONTEXT_OVERFLOW,
    ESTIMATED,
    IMAGE_URL_NOT_ACCEPTED,
    NO_BATCH_PRICE,
    price_request_file,
)
from tokenizers import get_encoding

AS_OF = dt.date(2026, 10, 1)  # before the 2026-10-23 shutdowns (gpt-3.5-turbo, o3-mini, o4-mini ...)
M = Decimal(1_000_000)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def n(text, encoding="o200k_base"):
    return len(get_encoding(encoding).encode_ordinary(text))


def user(text):
    return [{"role": "user", "content": text}]


def as_chat(bodies):
    return "\n".join(json.dumps(b) for b in bodies).encode()


def as_batch(bodies):
    return "\n".join(
        json.dumps({"custom_id": f"r{i}", "method": "POST", "url": "/v1/chat/completions", "body": b})
        for i, b in enumerate(bodies, start=1)
    ).encode()


FORMS = pytest.mark.parametrize("form", [as_chat, as_batch], ids=["chat", "batch"])


def price(catalog, data, models=None, as_of=AS_OF, **assume):
    return price_request_file(read_requests("f.jsonl", data), catalog, models, Assumptions(as_of=as_of, **assume))


def png_data_url(width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (9, 9, 9)).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


@FORMS
def test_own_model_expected_output_and_batch_discount(catalog, form):
    bodies = [{"model": "gpt-4o-mini", "messages": user("Hello"), "max_tokens": 500}]
    report = price(catalog, form(bodies), output_tokens_per_request=100)
    batch = form is as_batch
    assert report.batch is batch and report.form == ("batch" if batch else "chat")
    (row,) = report.rows
    prompt = 3 + 3 + n("user") + n("Hello")
    assert row.prompt.total == prompt and row.cost.output_tokens == 100
    rate_in, rate_out = (Decimal("0.075"), Decimal("0.30")) if batch else (Decimal("0.15"), Decimal("0.60"))
    assert row.cost.input_cost == prompt * rate_in / M
    assert row.cost.output_cost == 100 * rate_out / M
    # max_tokens: the upper bound beside the expected output.
    assert row.max_output_tokens == 500
    assert row.max_total_cost == prompt * rate_in / M + 500 * rate_out / M
    assert row.flags == ()
    (total,) = report.totals
    assert (total.model, total.requests, total.prompt_tokens, total.total_cost) == (
        "gpt-4o-mini", 1, prompt, row.cost.total_cost)


@FORMS
def test_expected_output_never_exceeds_max_tokens_or_the_model_limit(catalog, form):
    bodies = [
        {"model": "gpt-4o-mini", "messages": user("Hello"), "max_tokens": 50},
        {"model": "gpt-3.5-turbo", "messages": user("Hello")},  # model limit: 4,096 output tokens
    ]
    report = price(catalog, form(bodies), output_tokens_per_request=10_000)
    capped, limited = report.rows
    assert capped.cost.output_tokens == 50
    assert capped.cost.total_cost == capped.max_total_cost  # the bound is never below the sure figure
    assert limited.cost.output_tokens == 4096


@FORMS
def test_output_ratio_and_repricing_on_other_models(catalog, form):
    bodies = [{"model": "gpt-4o", "messages": user("Hello world")}, {"messages": user("Bonjour")}]
    report = price(catalog, form(bodies), models=["gpt-4o-mini", "gpt-3.5-turbo"], output_ratio=Decimal(2))
    p4o = [3 + 3 + n("user") + n(t) for t in ("Hello world", "Bonjour")]
    p35 = [3 + 3 + n("user", "cl100k_base") + n(t, "cl100k_base") for t in ("Hello world", "Bonjour")]
    mini, turbo = report.totals
    assert (mini.model, mini.requests, mini.prompt_tokens, mini.output_tokens) == ("gpt-4o-mini", 2, sum(p4o), 2 * sum(p4o))
    assert (turbo.model, turbo.prompt_tokens) == ("gpt-3.5-turbo", sum(p35))
    rin, rout = (Decimal("0.25"), Decimal("0.75")) if form is as_batch else (Decimal("0.50"), Decimal("1.50"))
    assert turbo.total_cost == sum(p35) * rin / M + 2 * sum(p35) * rout / M
    # No max_tokens anywhere: no upper bound.
    assert mini.max_total_cost is None


def test_lines_without_a_model_or_with_an_unknown_one_use_the_defaults(catalog):
    data = as_chat([{"messages": user("a")}, {"model": "gpt-9-imaginary", "messages": user("b")},
                    {"model": "gpt-4o", "messages": user("c")}])
    report = price(catalog, data)
    assert [(r.request.line, r.model) for r in report.rows] == [
        (1, "gpt-4o"), (1, "gpt-4o-mini"), (1, "gpt-3.5-turbo"),
        (2, "gpt-4o"), (2, "gpt-4o-mini"), (2, "gpt-3.5-turbo"),
        (3, "gpt-4o"),
    ]
    assert [(p.code, p.message()) for p in report.notes] == [
        ("request_unknown_model", "line 2 names model 'gpt-9-imaginary', which the price catalog does not have")]
    assert report.requests == 3


@FORMS
def test_context_window_and_max_output_checks(catalog, form):
    bodies = [
        {"model": "gpt-3.5-turbo-0613", "messages": user("Hi"), "max_tokens": 4096},  # 4097 window
        {"model": "gpt-3.5-turbo-0613", "messages": user("Hi"), "max_tokens": 4000},
        {"model": "gpt-4o-mini", "messages": user("Hi"), "max_completion_tokens": 20000},  # limit 16,384
    ]
    last_day = dt.date(2024, 9, 12)  # gpt-3.5-turbo-0613 was shut down on 2024-09-13
    rows = price(catalog, form(bodies), as_of=last_day).rows
    prompt35 = 3 + 3 + n("user", "cl100k_base") + n("Hi", "cl100k_base")
    assert prompt35 + 4096 > 4097 and prompt35 + 4000 <= 4097
    assert [r.flags for r in rows] == [(CONTEXT_OVERFLOW,), (), (ABOVE_MAX_OUTPUT,)]
    assert price(catalog, form(bodies), as_of=last_day).totals[0].flagged_requests == 1


def test_batch_file_on_a_model_without_batch_price_uses_standard_and_says_so(catalog):
    report = price(catalog, as_batch([{"model": "o1-preview", "messages": user("Hi")}]), output_tokens_per_request=10,
                   as_of=dt.date(2025, 7, 27))  # o1-preview's last day (shut down 2025-07-28)
    (row,) = report.rows
    assert row.flags == (ESTIMATED, NO_BATCH_PRICE)  # o1 is not a cookbook family: an estimate
    prompt = 3 + 3 + n("user") + n("Hi")
    assert row.cost.total_cost == prompt * Decimal(15) / M + 10 * Decimal(60) / M


@FORMS
def test_images_in_requests(catalog, form):
    content = [{"type": "text", "text": "What is this?"},
               {"type": "image_url", "image_url": {"url": png_data_url(1280, 720), "detail": "high"}},
               {"type": "image_url", "image_url": {"url": "https://example.com/x.png", "detail": "low"}}]
    data = form([{"messages": [{"role": "user", "content": content}]}])
    report = price(catalog, data, models=["gpt-4o", "gpt-4o-mini"])
    text = 3 + 3 + n("user") + n("What is this?")
    on_4o, on_mini = report.rows
    assert on_4o.prompt.images == (85 + 6 * 170) + 85 and on_4o.prompt.total == text + 1105 + 85
    assert on_mini.prompt.images == (2833 + 6 * 5667) + 2833
    # The remote image could not be measured: its size is assumed and the count is an estimate.
    assert ESTIMATED in on_4o.flags
    assert [p.message() for p in report.notes] == [
        "line 1: an image at a remote URL cannot be measured offline; assumed 1024x1024"]


@FORMS
def test_an_image_url_the_api_does_not_accept_is_flagged_and_never_opened(catalog, form, tmp_path):
    Image.new("RGB", (333, 222)).save(tmp_path / "private.png")  # 1 tile at high detail: 85 + 170
    shot = f"file://{tmp_path / 'private.png'}"
    content = [{"type": "image_url", "image_url": {"url": shot, "detail": "high"}}]
    data = form([{"messages": [{"role": "user", "content": content}]},
                 {"messages": user("no image")}])
    report = price(catalog, data, models=["gpt-4o"])
    first, second = report.rows
    # The assumed 1024x1024 (2x2 tiles), never the file's own size.
    assert first.prompt.images == 85 + 4 * 170
    assert first.flags == (ESTIMATED, IMAGE_URL_NOT_ACCEPTED) and second.flags == ()
    assert report.totals[0].flagged_requests == 1
    shown = shot if len(shot) <= 80 else shot[:79] + "…"  # a long URL is cut in the note
    assert [p.message() for p in report.notes] == [
        f"line 1: the image URL {shown!r} is not one the API accepts (only https: and data: URLs); "
        "it was not opened, its size is assumed 1024x1024"]


def test_cached_prefix_estimate(catalog):
    system = {"role": "system", "content": "Follow the support policy. " * 300}
    bodies = [{"model": "gpt-4o-mini", "messages": [system, *user(t)]} for t in ("alpha", "beta", "gamma")]
    bodies.append(bodies[0])  # an exact repeat
    bodies.append({"model": "gpt-4o-mini", "messages": user("short and alone")})
    report = price(catalog, as_chat(bodies), output_tokens_per_request=0)
    shared = 3 + n("system") + n(system["content"]) + 3 + n("user")
    assert shared >= 1024
    prompts = [shared + n(t) + 3 for t in ("alpha", "beta", "gamma")]
    assert [r.prompt.total for r in report.rows[:3]] == prompts
    expected = [0, shared // 128 * 128, shared // 128 * 128, prompts[0] // 128 * 128, 0]
    assert [r.cached_tokens_estimate for r in report.rows] == expected
    # The sure figure ignores the cache; the estimate bills cached tokens at the cached rate.
    row = report.rows[1]
    assert row.cost.input_cost == prompts[1] * Decimal("0.15") / M
    cached = expected[1]
    assert row.total_cost_with_cache_estimate == (prompts[1] - cached) * Decimal("0.15") / M + cached * Decimal("0.075") / M
    assert report.totals[0].cached_tokens_estimate == sum(expected)


def test_cached_prefix_estimate_on_batch_has_no_discount_where_openai_prints_none(catalog):
    system = {"role": "system", "content": "Follow the support policy. " * 300}
    bodies = [{"model": "gpt-4o-mini", "messages": [system, *user(t)]} for t in ("alpha", "beta")]
    row = price(catalog, as_batch(bodies)).rows[1]
    cached = row.cached_tokens_estimate
    assert cached >= 1024
    # gpt-4o-mini's Batch cached input is "-" on OpenAI's page: cached tokens pay the $0.075 Batch rate.
    assert row.total_cost_with_cache_estimate == row.prompt.total * Decimal("0.075") / M


def test_short_shared_prefixes_are_not_cached(catalog):
    bodies = [{"model": "gpt-4o", "messages": user("word " * 200 + t)} for t in ("a", "b")]
    assert [r.cached_tokens_estimate for r in price(catalog, as_chat(bodies)).rows] == [0, 0]


def test_tools_and_names_in_both_forms(catalog):
    tools = [{"type": "function", "function": {"name": "lookup", "description": "Find an order.",
                                               "parameters": {"type": "object", "properties": {}}}}]
    body = {"model": "gpt-4o", "messages": [{"role": "user", "name": "ann", "content": "Order 12?"}], "tools": tools}
    expected = 3 + 1 + 3 + n("user") + n("ann") + n("Order 12?") + 7 + n("lookup:Find an order") + 12
    for form in (as_chat, as_batch):
        (row,) = price(catalog, form([body])).rows
        assert row.prompt.total == expected and row.prompt.tools == 7 + n("lookup:Find an order") + 12


def test_as_dict_keeps_the_estimate_contract(catalog):
    data = as_batch([{"model": "gpt-4o-mini", "messages": user("Hello"), "max_tokens": 9}])
    out = price(catalog, data, output_tokens_per_request=5).as_dict()
    (model,) = out["models"]
    prompt = 3 + 3 + n("user") + n("Hello")
    assert model["input_tokens"] == prompt and model["output_tokens"] == 5
    assert model["total_cost_usd"] == prompt * Decimal("0.075") / M + 5 * Decimal("0.30") / M
    for key in ("model", "snapshot", "encoding", "cached_input_tokens", "input_cost_usd", "output_cost_usd", "notes"):
        assert key in model
    assert out["requests"][0]["custom_id"] == "r1" and out["requests"][0]["max_output_tokens"] == 9
    assert out["batch"] is True and out["documents"] == 1


_words = st.sampled_from(["policy", "order", "refund", "你好", "tent", "\n", " ", "<|endoftext|>"])
_texts = st.lists(_words, max_size=400).map("".join)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), _texts), min_size=1, max_size=6))
def test_cache_estimates_and_totals_obey_their_laws(catalog, specs):
    systems = ["Rules. " * 700, "Other rules. " * 500, ""]
    bodies = [{"model": "gpt-4o-mini", "messages": ([{"role": "system", "content": systems[s]}] if systems[s] else [])
               + user(t)} for s, t in specs]
    report = price(catalog, as_chat(bodies), output_tokens_per_request=7)
    for row in report.rows:
        cached = row.cached_tokens_estimate
        assert cached == 0 or (cached >= 1024 and cached % 128 == 0 and cached <= row.prompt.total)
        assert row.total_cost_with_cache_estimate <= row.cost.total_cost
    (total,) = report.totals
    assert total.prompt_tokens == sum(r.prompt.total for r in report.rows)
    assert total.total_cost == sum(r.cost.total_cost for r in report.rows)
    # The first request can never hit the cache; a repeat of an earlier one reuses all its whole steps.
    assert report.rows[0].cached_tokens_estimate == 0
    for i, row in enumerate(report.rows):
        if row.prompt.total >= 1024 and bodies[i] in bodies[:i]:
            assert row.cached_tokens_estimate == row.prompt.total // 128 * 128
