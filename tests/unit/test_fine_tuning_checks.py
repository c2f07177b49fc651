"""Fine-tuning checks: an example without an assistant reply is flagged (its line) and not
billed; examples with images are priced only on a model the catalog says is fine-tuned on
images (gpt-4o-2024-08-06, OpenAI's vision fine-tuning guide)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from ingest.requests import read_requests
from pricing import load_catalog
from pricing.fine_tuning import (
    ImagesNotAcceptedError,
    estimate_fine_tuning,
    estimate_fine_tuning_each,
    has_assistant_turn,
    has_image,
    lines_text,
)
from tokenizers import get_encoding

AS_OF = dt.date(2026, 6, 1)  # gpt-3.5-turbo still offered (shut down 2026-10-23)
CATALOG = load_catalog()
IMAGE = {"type": "image_url", "image_url": {"url": "https://example.com/cat.png", "detail": "low"}}


def n(text: str) -> int:
    return len(get_encoding("o200k_base").encode_ordinary(text))


def _file(*examples) -> bytes:
    return ("\n".join(json.dumps({"messages": m}) for m in examples) + "\n").encode()


def _qa(question: str, answer: str | None):
    messages = [{"role": "user", "content": question}]
    return messages + ([{"role": "assistant", "content": answer}] if answer is not None else [])


def test_an_example_without_an_assistant_reply_is_listed_and_not_billed():
    data = _file(_qa("Hi", "Hello!"), _qa("Unanswered question", None), _qa("Bye", "See you."))
    got = estimate_fine_tuning(read_requests("train.jsonl", data), CATALOG, "gpt-4o-mini", AS_OF, epochs=1)
    assert got.no_assistant == [2]
    assert [e.line for e in got.examples] == [1, 3]
    # Cookbook count per example: 3 per message + role and content strings + 3 reply priming.
    one = 3 + n("user") + n("Hi") + 3 + n("assistant") + n("Hello!") + 3
    three = 3 + n("user") + n("Bye") + 3 + n("assistant") + n("See you.") + 3
    assert got.dataset_tokens == one + three
    assert got.training_cost == (one + three) * Decimal(3) / Decimal(1_000_000)


def test_image_examples_are_refused_on_a_text_only_model_with_their_lines():
    with_image = [{"role": "user", "content": [{"type": "text", "text": "What is this?"}, IMAGE]},
                  {"role": "assistant", "content": "A cat."}]
    data = _file(_qa("Hi", "Hello!"), with_image, _qa("q", None))
    parsed = read_requests("train.jsonl", data)
    assert [has_image(r) for r in parsed.requests] == [False, True, False]
    assert [has_assistant_turn(r) for r in parsed.requests] == [True, True, False]
    with pytest.raises(ImagesNotAcceptedError) as caught:
        estimate_fine_tuning(parsed, CATALOG, "gpt-4o-mini", AS_OF)
    assert caught.value.lines == [2]

    estimates, failures = estimate_fine_tuning_each(parsed, CATALOG, ["gpt-4o-mini", "gpt-4o", "gpt-3.5-turbo"], AS_OF)
    assert [e.model for e in estimates] == ["gpt-4o"]
    assert [(f.model, f.code, f.params["lines"]) for f in failures] == [
        ("gpt-4o-mini", "no_image_fine_tuning", "2"), ("gpt-3.5-turbo", "no_image_fine_tuning", "2")]
    gpt4o = estimates[0]
    assert gpt4o.price.snapshot == "gpt-4o-2024-08-06" and gpt4o.no_assistant == [3]
    image_example = gpt4o.examples[1]
    # A low-detail image is 85 tokens on gpt-4o, on top of the text.
    assert image_example.tokens == 3 + n("user") + n("What is this?") + 85 + 3 + n("assistant") + n("A cat.") + 3


def test_the_catalog_says_which_models_are_fine_tuned_on_images():
    images = {m.id for m in CATALOG.models.values() if m.fine_tuning and m.fine_tuning.images}
    assert images == {"gpt-4o-2024-08-06"}
    source = CATALOG.models["gpt-4o-2024-08-06"].fine_tuning.images
    assert source.evidence == "verified" and "vision-fine-tuning" in source.source


def test_lines_text_shortens_a_long_list():
    assert lines_text([2, 5, 9]) == "2, 5, 9"
    assert lines_text(list(range(1, 30)), shown=3) == "1, 2, 3, …"


def test_the_cli_prints_the_same_checks(tmp_path):
    import io

    import cli

    with_image = [{"role": "user", "content": [{"type": "text", "text": "What is this?"}, IMAGE]},
                  {"role": "assistant", "content": "A cat."}]
    path = tmp_path / "train.jsonl"
    path.write_bytes(_file(_qa("Hi", "Hello!"), with_image, _qa("q", None)))
    out = io.StringIO()
    assert cli.main(["fine-tune", str(path), "--as-of", AS_OF.isoformat(), "--format", "json"], out=out) == 0
    report = json.loads(out.getvalue())
    assert report["no_assistant_lines"] == [3] and report["examples"] == 2
    assert [m["model"] for m in report["models"]] == ["gpt-4o"]
    assert report["not_priced"] == [{"model": "gpt-4o-mini", "reason": "images_not_accepted", "lines": [2]},
                                    {"model": "gpt-3.5-turbo", "reason": "images_not_accepted", "lines": [2]}]
    out = io.StringIO()
    assert cli.main(["fine-tune", str(path), "--as-of", AS_OF.isoformat()], out=out) == 0
    assert out.getvalue().splitlines()[-3:] == [
        "line 3: no assistant reply; not billed as training (OpenAI rejects such examples)",
        "gpt-4o-mini: not priced: it is fine-tuned on text only, and the examples on line 2 have images",
        "gpt-3.5-turbo: not priced: it is fine-tuned on text only, and the examples on line 2 have images",
    ]
