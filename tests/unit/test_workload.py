"""The workload as a person says it: two questions, task presets, the tokenizer saving split.

Every cost is worked out by hand in Decimal from the catalog's prices.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from pricing import Assumptions, Workload, estimate, load_catalog, requests_priced, tokenizer_saving
from pricing.languages import load_samples, translation_ratios
from pricing.tasks import DEFAULT_TASK, PRESETS, Workplan, default_plan, default_question, task_models
from tokenizers import count_tokens

DAY = dt.date(2025, 1, 15)  # gpt-4o $2.50/$10, gpt-4o-mini $0.15/$0.60, gpt-3.5-turbo $0.50/$1.50
M = D(1_000_000)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_traffic_prices_the_requests_asked_for_each_like_the_average_document(catalog):
    work = Workload(tokens={"o200k_base": 60, "cl100k_base": 90}, documents=3)  # 20 / 30 per request
    a = Assumptions(output_tokens_per_request=500, requests=7, traffic=True, as_of=DAY)
    (row,) = estimate(work, ["gpt-4o-mini"], catalog, a)
    assert requests_priced(3, a) == 7
    assert (row.input_tokens, row.output_tokens) == (140, 3500)
    assert row.total_cost == 140 * D("0.15") / M + 3500 * D("0.60") / M


def test_an_average_that_is_not_whole_is_priced_exactly(catalog):
    work = Workload(tokens={"o200k_base": 10, "cl100k_base": 10}, documents=3)  # 3.333... per request
    a = Assumptions(requests=1000, traffic=True, as_of=DAY)
    (row,) = estimate(work, ["gpt-4o"], catalog, a)
    assert row.input_tokens == 3333  # shown rounded
    assert row.input_cost == D(10) * 1000 / 3 * D("2.5") / M  # priced exact


def test_the_corpus_question_sends_every_document_each_pass(catalog):
    work = Workload(tokens={"o200k_base": 60, "cl100k_base": 90}, documents=3)
    a = Assumptions(output_tokens_per_request=5, requests=2, as_of=DAY)
    (row,) = estimate(work, ["gpt-3.5-turbo"], catalog, a)
    assert requests_priced(3, a) == 6
    assert (row.input_tokens, row.output_tokens) == (180, 30)
    assert row.total_cost == 180 * D("0.5") / M + 30 * D("1.5") / M


def test_embedding_models_bill_input_only_whatever_the_output_assumption(catalog):
    work = Workload(tokens={"o200k_base": 1000, "cl100k_base": 1200}, documents=4)
    (row,) = estimate(work, ["text-embedding-3-small"], catalog, Assumptions(output_tokens_per_request=500,
                                                                             as_of=dt.date(2026, 12, 1)))
    assert (row.encoding, row.input_tokens, row.output_tokens) == ("cl100k_base", 1200, 0)
    assert row.total_cost == 1200 * D("0.02") / M


def test_defaults_follow_the_question():
    assert default_question(pasted_only=True) == "traffic" and default_question(pasted_only=False) == "corpus"
    assert default_plan("corpus") == Workplan("corpus", "classify", 1)
    assert default_plan("traffic") == Workplan("traffic", "chat", 1000)
    assert DEFAULT_TASK == {"corpus": "classify", "traffic": "chat"}
    assert default_plan("traffic").assumptions(as_of=DAY).output_tokens_per_request == 500
    assert default_plan("corpus").assumptions(as_of=DAY).output_tokens_per_request == PRESETS["classify"].output_tokens == 5


def test_task_presets_set_the_output():
    summarize = Workplan("corpus", "summarize", 1).assumptions(as_of=DAY)
    assert (summarize.output_tokens_per_request, summarize.output_ratio) == (0, D("0.2"))
    custom = Workplan("corpus", "custom", 1, custom_output_ratio=D("0.75")).assumptions(as_of=DAY)
    assert custom.output_ratio == D("0.75")
    assert task_models("embed", ["gpt-4o"]) == ["text-embedding-3-small", "text-embedding-3-large",
                                                 "text-embedding-ada-002"]
    assert task_models("embed", ["text-embedding-3-large", "gpt-4o"]) == ["text-embedding-3-large"]
    assert task_models("chat", []) == ["gpt-4o", "gpt-4o-mini", "gpt-3.5-turbo"]


def test_a_translation_is_counted_in_the_target_languages_tokens(catalog):
    samples = {s.code: s.text for s in load_samples()}
    ratios = dict(translation_ratios("en", "hi", load_samples()))
    for enc in ("o200k_base", "cl100k_base"):
        assert ratios[enc] == D(count_tokens(samples["hi"], enc)) / D(count_tokens(samples["en"], enc))
    assert ratios["cl100k_base"] > 3 * ratios["o200k_base"] / 2  # Hindi output is far longer on cl100k_base
    plan = Workplan("corpus", "translate", 1, target_language="hi", translation_ratios=tuple(ratios.items()))
    a = plan.assumptions(as_of=DAY)
    work = Workload(tokens={"o200k_base": 1000, "cl100k_base": 1000}, documents=1)
    mini, turbo = estimate(work, ["gpt-4o-mini", "gpt-3.5-turbo"], catalog, a)
    assert mini.output_tokens == int((1000 * ratios["o200k_base"]).to_integral_value("ROUND_HALF_UP"))
    assert turbo.output_tokens == int((1000 * ratios["cl100k_base"]).to_integral_value("ROUND_HALF_UP"))
    with pytest.raises(ValueError, match="no sample text for xx"):
        translation_ratios("en", "xx", load_samples())


def test_the_pair_saving_splits_into_tokenizer_and_prices_and_shows_the_input_apart(catalog):
    # A Hindi paragraph: 117 tokens on o200k_base, 412 on cl100k_base (the figures).
    work = Workload(tokens={"o200k_base": 117, "cl100k_base": 412}, documents=1)
    a = Assumptions(output_tokens_per_request=500, requests=1000, traffic=True, as_of=DAY)
    s = tokenizer_saving(work, "gpt-3.5-turbo", "gpt-4o-mini", catalog, a)
    old = 412_000 * D("0.5") / M + 500_000 * D("1.5") / M
    new = 117_000 * D("0.15") / M + 500_000 * D("0.6") / M
    assert (s.from_cost, s.to_cost, s.saving) == (old, new, old - new)
    assert s.tokenizer_effect == -(412_000 - 117_000) * D("0.5") / M  # fewer tokens at the old input price
    assert s.tokenizer_effect + s.price_effect == new - old
    assert s.input_saving == 412_000 * D("0.5") / M - 117_000 * D("0.15") / M
    assert s.input_tokenizer_effect == s.tokenizer_effect  # a fixed output: the tokenizer acts on input only
