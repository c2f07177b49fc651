"""`cli.py estimate` on an API request file: detected by content, priced under each model's rules."""

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

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


def image_request(tmp_path):
    """A gpt-4o request with a high-detail image at a remote URL (its size cannot be measured offline)."""
    body = {"model": "gpt-4o", "messages": [{"role": "user", "content": [
        {"type": "text", "text": "What is this?"},
        {"type": "image_url", "image_url": {"url": "https://example.com/a.png", "detail": "high"}},
    ]}]}
    path = tmp_path / "image.jsonl"
    path.write_text(json.dumps(body) + "\n")
    return path


def test_image_size_sets_the_assumed_size_of_remote_images(tmp_path):
    path = image_request(tmp_path)
    text = 3 + n("user") + n("What is this?") + 3
    # gpt-4o high detail: 85 + 170 per 512-px tile. 768x768 is 2x2 tiles; 2048x4096 is cut to
    # 1024x2048, then to 768x1536 (shortest side 768): 2x3 tiles.
    for size, tiles in (("768x768", 4), ("2048x4096", 6)):
        code, report = run(str(path), "--image-size", size, "--output-tokens", "0")
        assert code == 0
        assert report["requests"][0]["prompt_tokens"] == text + 85 + 170 * tiles
        assert report["notes"][0]["why"].endswith(f"assumed {size}")
        assert Decimal(report["models"][0]["total_cost_usd"]) == (text + 85 + 170 * tiles) * Decimal("2.5") / M
    code, report = run(str(path))
    assert report["requests"][0]["prompt_tokens"] == text + 85 + 170 * 4  # 1024x1024 by default: 768x768


def test_local_image_paths_are_flagged_and_never_opened(tmp_path):
    """A file:// URL and a path beside the request file point at a real 333x222 PNG: the CLI
    neither measures it nor opens it; the assumed size is priced and each line is flagged."""
    from PIL import Image

    Image.new("RGB", (333, 222)).save(tmp_path / "shot.png")
    lines = []
    for url in (f"file://{tmp_path / 'shot.png'}", "shot.png"):
        lines.append({"model": "gpt-4o", "messages": [{"role": "user", "content": [
            {"type": "image_url", "image_url": {"url": url, "detail": "high"}}]}]})
    path = tmp_path / "local.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    code, report = run(str(path), "--output-tokens", "0")
    assert code == 0
    assumed = 3 + n("user") + 3 + 85 + 170 * 4  # 1024x1024, not the file's 333x222 (85 + 170)
    assert [r["prompt_tokens"] for r in report["requests"]] == [assumed, assumed]
    assert [r["flags"] for r in report["requests"]] == [["estimated_count", "image_url_not_accepted"]] * 2
    assert [(p["where"], p["code"]) for p in report["notes"]] == [
        (f"{path}:1", "image_url_not_accepted"), (f"{path}:2", "image_url_not_accepted")]
    out = io.StringIO()
    assert cli.main(["estimate", str(path), "--as-of", "2026-11-01"], out=out) == 0
    assert "line 2: the image URL 'shot.png' is not one the API accepts" in out.getvalue()


@pytest.mark.parametrize("size", ["12", "0x10", "axb", "10x"])
def test_bad_image_size_fails_with_one_line(tmp_path, capsys, size):
    code, _ = run(str(image_request(tmp_path)), "--image-size", size)
    assert code == 2
    err = capsys.readouterr().err
    assert "--image-size: not an image size WIDTHxHEIGHT" in err and err.count("\n") == 1


def test_several_request_files_in_one_call(tmp_path):
    image = image_request(tmp_path)
    code, report = run(str(FIXTURE), str(image), "--output-tokens", "60")
    assert code == 0
    one_code, alone = run(str(FIXTURE), "--output-tokens", "60")
    assert (report["kind"], report["documents"]) == ("requests", 7)
    assert [f["file"] for f in report["files"]] == [str(FIXTURE), str(image)]
    assert report["files"][0]["models"] == alone["models"]
    assert [f["batch"] for f in report["files"]] == [True, False]
    by_model = {m["model"]: m for m in report["models"]}
    fixture_4o = {m["model"]: m for m in alone["models"]}["gpt-4o"]
    image_prompt = 3 + n("user") + n("What is this?") + 3 + 85 + 170 * 4
    # The image file is not a Batch file: gpt-4o at $2.50 / $10 per 1M, 60 output tokens.
    assert by_model["gpt-4o"]["requests"] == 2
    assert by_model["gpt-4o"]["input_tokens"] == fixture_4o["input_tokens"] + image_prompt
    assert Decimal(by_model["gpt-4o"]["total_cost_usd"]) == (
        Decimal(fixture_4o["total_cost_usd"]) + image_prompt * Decimal("2.5") / M + 60 * Decimal(10) / M)
    assert by_model["gpt-4o"]["max_total_cost_usd"] is None  # the image request sets no max_tokens
    assert by_model["gpt-4o-mini"] == {m["model"]: m for m in alone["models"]}["gpt-4o-mini"]
    assert [p["where"] for p in report["notes"]] == [f"{FIXTURE}:4", f"{image}:1"]


def test_several_request_files_as_a_table():
    out = io.StringIO()
    assert cli.main(["estimate", str(FIXTURE), str(FIXTURE), "--as-of", "2026-11-01"], out=out) == 0
    text = out.getvalue()
    assert text.startswith("files: 2  requests: 12  skipped: 0  prices of: 2026-11-01\n")
    assert f"{FIXTURE} line 6 on gpt-4o-mini: asks for more output tokens than the model can give" in text


def test_request_files_cannot_be_mixed_with_other_inputs(tmp_path, capsys):
    notes = tmp_path / "notes.txt"
    notes.write_text("plain words")
    for extra in ([str(notes)], ["--text", "hello"]):
        code, _ = run(str(FIXTURE), *extra)
        assert code == 2
        err = capsys.readouterr().err
        assert err.startswith(f"error: API request files ({FIXTURE}) cannot be mixed with other inputs")
        assert err.count("\n") == 1


def fine_tune(*argv):
    out = io.StringIO()
    code = cli.main(["fine-tune", *argv, "--as-of", "2026-11-01", "--format", "json"], out=out)
    return code, json.loads(out.getvalue()) if out.getvalue() else None


REPLY = "Done."


def training_file(tmp_path) -> Path:
    """The fixture's requests as training examples: each with an assistant reply."""
    path = tmp_path / "train.jsonl"
    lines = []
    for line in FIXTURE.read_text().splitlines():
        body = json.loads(line)["body"]
        example = {"messages": [*body["messages"], {"role": "assistant", "content": REPLY}]}
        if "tools" in body:
            example["tools"] = body["tools"]
        lines.append(json.dumps(example))
    path.write_text("\n".join(lines) + "\n")
    return path


def hand_counted_examples(on_model):
    """Each training example's tokens: its prompt plus the reply message (3 + role + content)."""
    return [t + 3 + n("assistant") + n(REPLY) for _, t in hand_counted_prompts(on_model=on_model)]


def image_lines():
    return [i for i, line in enumerate(FIXTURE.read_text().splitlines(), start=1)
            if not isinstance(json.loads(line)["body"]["messages"][1]["content"], str)]


def test_fine_tune_prices_training_tokens_times_epochs(tmp_path):
    code, report = fine_tune(str(training_file(tmp_path)), "--models", "gpt-4o-mini,gpt-4o", "--epochs", "2")
    assert code == 0
    assert (report["kind"], report["examples"], report["skipped"], report["no_assistant_lines"]) == (
        "fine_tuning", 6, [], [])
    # The file has images: gpt-4o-mini is fine-tuned on text only, gpt-4o (2024-08-06) on images too.
    assert image_lines() and report["not_priced"] == [
        {"model": "gpt-4o-mini", "reason": "images_not_accepted", "lines": image_lines()}]
    (gpt4o,) = report["models"]
    tokens = sum(hand_counted_examples("gpt-4o"))
    assert (gpt4o["model"], gpt4o["epochs"], gpt4o["epochs_defaulted"]) == ("gpt-4o", 2, False)
    assert gpt4o["dataset_tokens"] == tokens and gpt4o["training_tokens"] == 2 * tokens
    assert Decimal(gpt4o["training_cost_usd"]) == 2 * tokens * Decimal(25) / M  # $25 per 1M training tokens
    assert gpt4o["too_long"] == []


def test_fine_tune_on_requests_without_replies_bills_nothing_as_training():
    code, report = fine_tune(str(FIXTURE), "--models", "gpt-4o")
    assert code == 0
    assert report["no_assistant_lines"] == [1, 2, 3, 4, 5, 6] and report["examples"] == 0
    assert report["models"][0]["training_tokens"] == 0


def test_fine_tune_default_epochs_and_the_per_example_limit(tmp_path):
    path = training_file(tmp_path)
    code, report = fine_tune(str(path), "--models", "gpt-4o", "--example-limit", "1200")
    assert code == 0
    (row,) = report["models"]
    examples = hand_counted_examples("gpt-4o")
    assert row["epochs"] == 16 and row["epochs_defaulted"]  # 6 examples: 100 // 6 epochs
    over = [(i, t) for i, t in enumerate(examples, start=1) if t > 1200]
    assert over and len(over) < 6
    assert row["too_long"] == [{"line": i, "tokens": t} for i, t in over]
    assert row["dataset_tokens"] == sum(min(t, 1200) for t in examples)
    assert Decimal(row["training_cost_usd"]) == row["dataset_tokens"] * 16 * Decimal(25) / M
    out = io.StringIO()
    assert cli.main(["fine-tune", str(path), "--models", "gpt-4o", "--example-limit", "1200",
                     "--as-of", "2026-11-01"], out=out) == 0
    line, tokens = over[0]
    assert (f"line {line} on gpt-4o: {tokens} tokens, more than the limit of 1200: cut in training and billed "
            "at the limit") in out.getvalue()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--epochs", "0"], "error: epochs must be at least 1"),
        (["--models", "gpt-5.4"], "error: gpt-5.4 has no fine-tuning price in the catalog"),
        (["--models", "gpt-nope"], "error: unknown model 'gpt-nope'"),
    ],
)
def test_fine_tune_failures_exit_2_with_one_line(capsys, argv, message):
    code, _ = fine_tune(str(FIXTURE), *argv)
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1


def test_fine_tune_on_a_file_that_is_not_a_training_file(tmp_path, capsys):
    notes = tmp_path / "notes.txt"
    notes.write_text("plain words")
    code, _ = fine_tune(str(notes))
    assert code == 2
    assert capsys.readouterr().err == f"error: {notes} is not a chat-format training file (one {{\"messages\": [...]}} object per line)\n"


@pytest.mark.parametrize(("name", "form", "lines"), [
    ("chat_requests.jsonl", "chat", 5), ("batch_requests.jsonl", "batch", 5), ("fine_tune_train.jsonl", "chat", 12),
])
def test_the_request_files_the_estimate_page_sends_on_are_priced_as_requests(name, form, lines):
    # The app's Estimate page points these to its API requests page; the CLI prices them as requests itself.
    code, report = run(str(Path(__file__).resolve().parents[2] / "examples" / name))
    assert code == 0
    assert (report["kind"], report["form"], report["skipped"]) == ("requests", form, [])
    assert len({r["line"] for r in report["requests"]}) == lines
