"""Fine-tuning cost: training tokens x epochs x the catalog's training price, worked out by hand."""

import datetime as dt
import json
from decimal import Decimal

import pytest

from ingest.requests import read_requests
from pricing import PricingError, load_catalog
from pricing.fine_tuning import default_epochs, estimate_fine_tuning
from tokenizers import get_encoding

AS_OF = dt.date(2026, 10, 1)  # before the 2026-10-23 shutdowns (gpt-3.5-turbo, o3-mini, o4-mini ...)
M = Decimal(1_000_000)
SYSTEM = "Marv is a factual chatbot that is also sarcastic."
EXAMPLES = [
    ("What's the capital of France?", "Paris, as if everyone doesn't know that already."),
    ("Who wrote 'Romeo and Juliet'?", "Oh, just some guy named William Shakespeare. Ever heard of him?"),
    ("How far is the Moon from Earth?", "Around 384,400 kilometers. Give or take a few, like that really matters."),
]


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def n(text, encoding="o200k_base"):
    return len(get_encoding(encoding).encode_ordinary(text))


def training_file():
    lines = []
    for question, answer in EXAMPLES:
        messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": question},
                    {"role": "assistant", "content": answer, "weight": 1}]
        lines.append(json.dumps({"messages": messages}))
    return ("\n".join(lines) + "\n").encode()


def example_tokens(encoding):
    # Cookbook: 3 per message + each string (the numeric weight is not text) + 3 reply priming.
    return [
        3 * 3 + 3 + sum(n(s, encoding) for s in ("system", SYSTEM, "user", q, "assistant", a))
        for q, a in EXAMPLES
    ]


def test_gpt4o_mini_training_cost(catalog):
    got = estimate_fine_tuning(read_requests("train.jsonl", training_file()), catalog, "gpt-4o-mini", AS_OF, epochs=2)
    tokens = example_tokens("o200k_base")
    assert [e.tokens for e in got.examples] == tokens
    assert got.dataset_tokens == sum(tokens) and got.training_tokens == 2 * sum(tokens)
    assert got.training_per_mtok == Decimal(3)
    assert got.training_cost == 2 * sum(tokens) * Decimal(3) / M
    assert got.example_limit == 128000 and got.too_long == [] and got.exact


def test_default_epochs_follow_the_cookbook():
    assert default_epochs(3) == 25  # 3 x 3 < 100: raised to 100 // 3 = 33, capped at 25
    assert default_epochs(20) == 5  # 100 // 20
    assert default_epochs(50) == 3
    assert default_epochs(10000) == 2  # 30,000 > 25,000: 25,000 // 10,000
    assert default_epochs(30000) == 1


def test_three_base_models_with_default_epochs(catalog):
    rows = [estimate_fine_tuning(read_requests("train.jsonl", training_file()), catalog, m, AS_OF)
            for m in ["gpt-4o-mini", "gpt-4o", "gpt-3.5-turbo"]]
    o200k, cl100k = sum(example_tokens("o200k_base")), sum(example_tokens("cl100k_base"))
    assert [(r.model, r.epochs, r.epochs_defaulted) for r in rows] == [
        ("gpt-4o-mini", 25, True), ("gpt-4o", 25, True), ("gpt-3.5-turbo", 25, True)]
    assert [r.training_cost for r in rows] == [
        25 * o200k * Decimal(3) / M, 25 * o200k * Decimal(25) / M, 25 * cl100k * Decimal(8) / M]
    assert rows[2].example_limit == 16385  # gpt-3.5-turbo-0125's context window (the cookbook's limit)


def test_long_examples_are_flagged_and_billed_at_the_limit(catalog):
    limit = 30
    got = estimate_fine_tuning(read_requests("train.jsonl", training_file()), catalog, "gpt-4o-mini", AS_OF, epochs=1,
                               example_limit=limit)
    tokens = example_tokens("o200k_base")
    assert all(t > limit for t in tokens)
    assert [e.line for e in got.too_long] == [1, 2, 3]
    assert got.dataset_tokens == 3 * limit and got.training_cost == 3 * limit * Decimal(3) / M


def test_bad_lines_and_unpriceable_models(catalog):
    data = training_file() + b'{"messages": [\n{"prompt": "old format", "completion": "x"}\n'
    got = estimate_fine_tuning(read_requests("train.jsonl", data), catalog, "gpt-4o-mini", AS_OF, epochs=1)
    assert len(got.examples) == 3
    assert [p.message() for p in got.skipped] == [
        "line 4 is not valid JSON: Expecting value", "line 5 is not a chat request: it has no messages"]
    with pytest.raises(PricingError, match="no fine-tuning price"):
        estimate_fine_tuning(read_requests("t.jsonl", training_file()), catalog, "o3", AS_OF)
    with pytest.raises(PricingError, match="epochs"):
        estimate_fine_tuning(read_requests("t.jsonl", training_file()), catalog, "gpt-4o-mini", AS_OF, epochs=0)
