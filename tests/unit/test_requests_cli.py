"""`cli.py estimate` on an API request file: detected by content, priced under each model's rules."""

import io
import json
from decimal import Decimal
from pathlib import Path

import cli
from tokenizers import get_encoding

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "requests" / "support_triage_batch.jsonl"
M = Decimal(1_000_000)


def n(text):
    return len(get_encoding("o200k_base").encode_ordinary(text))


def run(*argv):
    out = io.StringIO()
    code = cli.main(["estimate", *argv, "--as-of", "2026-11-01", "--format", "json"], out=out)
    return code, json.loads(out.getvalue()) if out.getvalue() else None


def hand_counted_prompts(on_model=None):
    """Prompt tokens of each fixture line on its own model (or ``on_model``: gpt-4o or gpt-4o-mini),
    by the cookbook and tile rules."""
    prompts = []
    for line in FIXTURE.read_text().splitlines():
        body = json.loads(line)["body"]
        system, user = body["messages"]
        tokens = 3 + n("system") + n(system["content"]) + 3 + n("user") + 3
        if "name" in user:
            tokens += 1 + n(user["name"])
        if isinstance(user["content"], str):
            tokens += n(user["content"])
        else:
            text, image = user["content"]
            tokens += n(text["text"])
            base, tile = (85, 170) if (on_model or body["model"]) == "gpt-4o" else (2833, 5667)
            # The data URL is 1280x720 at high detail (3x2 tiles); the remote one is low detail.
            tokens += base + 6 * tile if image["image_url"]["detail"] == "high" else base
        if "tools" in body:
            tokens += (7 + n("lookup_order:Look up an order by its number") + 3
                       + 3 + n("order_number:string:The order number without the # sign")
                       + 3 - 3 + 3 + n("items") + 3 + n("shipping") + 3 + n("payments")
                       + n("include:string:What to include") + 12)
        prompts.append((body["model"], tokens))
    return prompts


def test_batch_fixture_priced_on_each_lines_model():
    code, report = run(str(FIXTURE), "--output-tokens", "60")
    assert code == 0
    assert (report["kind"], report["form"], report["batch"], report["documents"]) == ("requests", "batch", True, 6)
    prompts = hand_counted_prompts()
    assert [r["prompt_tokens"] for r in report["requests"]] == [t for _, t in prompts]
    by_model = {m["model"]: m for m in report["models"]}
    rates = {"gpt-4o-mini": (Decimal("0.075"), Decimal("0.30")), "gpt-4o": (Decimal("1.25"), Decimal("5.00"))}
    for model, (rate_in, rate_out) in rates.items():
        tokens = sum(t for m, t in prompts if m == model)
        lines = sum(1 for m, _ in prompts if m == model)
        row = by_model[model]
        assert row["input_tokens"] == tokens and row["output_tokens"] == 60 * lines
        assert Decimal(row["total_cost_usd"]) == tokens * rate_in / M + 60 * lines * rate_out / M
    # Line 6 asks for 20,000 output tokens; gpt-4o-mini gives at most 16,384.
    assert report["requests"][5]["flags"] == ["max_output_above_limit"]
    assert [p["code"] for p in report["notes"]] == ["image_not_measured"]
    # Lines 2-4 repeat line 1's system prompt (1,120 tokens): 1,024 of it is cacheable each.
    assert [r["cached_input_tokens_estimate"] for r in report["requests"]] == [0, 1024, 1024, 1024, 0, 0]


def test_batch_fixture_repriced_on_listed_models():
    code, report = run(str(FIXTURE), "--models", "gpt-4o,gpt-4.1-mini")
    assert code == 0
    gpt4o, mini41 = report["models"]
    assert (gpt4o["model"], gpt4o["requests"], gpt4o["exact"]) == ("gpt-4o", 6, False)  # line 4's image size is assumed
    # On gpt-4o every line's images follow the 85/170 tile rule.
    assert gpt4o["input_tokens"] == sum(t for _, t in hand_counted_prompts(on_model="gpt-4o"))
    assert (mini41["model"], mini41["exact"]) == ("gpt-4.1-mini", False)  # not a cookbook family


def test_plain_jsonl_still_goes_through_the_corpus_path(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps({"text": "hello world"}) + "\n")
    code, report = run(str(path), "--models", "gpt-4o")
    assert code == 0 and report["tokens"]["o200k_base"] == 2 and "kind" not in report


def test_unknown_listed_model_fails_with_one_line(capsys):
    code, _ = run(str(FIXTURE), "--models", "gpt-nope")
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: unknown model 'gpt-nope'") and err.count("\n") == 1


def test_table_output_lists_flags_and_notes():
    out = io.StringIO()
    assert cli.main(["estimate", str(FIXTURE), "--as-of", "2026-11-01"], out=out) == 0
    text = out.getvalue()
    assert text.startswith("requests: 6 (batch, Batch API)  skipped: 0")
    assert "line 6 on gpt-4o-mini: asks for more output tokens than the model can give" in text
    assert "line 4: an image at a remote URL cannot be measured offline; assumed 1024x1024" in text
