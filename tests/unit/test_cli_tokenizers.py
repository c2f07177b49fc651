"""``cli.py estimate --tokenizers`` counts a corpus on each vendor's tokenizer exactly as the vendor's
own encoder does; ``cli.py tokenizers`` lists how each is counted; Claude and a fileless Gemini are
never called exact."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import pytest

import cli
from tokenizers.counting import count_many
from tokenizers.listing import measured_speeds, tokenizer_rows
from tokenizers.registry import REGISTRY, count_is_estimate, count_label, tokenizer

from vendor_encoders import HuggingFaceEncoder, tiktoken_format_references

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
VENDORS = ("llama3", "llama4", "qwen2", "qwen3.6", "deepseek-v3", "tekken-240718")


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return cli.main(list(argv), out=out), out.getvalue()


def unseen_corpus(seed: int) -> list[str]:
    """Three documents no other test counts: the samples' sentences shuffled across languages,
    with generated code, numbers, emoji, whitespace runs and special-token strings between them."""
    rng = random.Random(seed)
    sentences = [s for p in sorted(SAMPLES.glob("*.txt")) for s in p.read_text(encoding="utf-8").split("。") if s]
    extras = ["\n\n", "    ", "\t", " " * rng.randint(20, 3000), "\r\n", "😀👩‍👩‍👧🇫🇷", "<|begin_of_text|>", "<|im_end|>",
              "<｜User｜>", "[INST]", "e\u0301\u0301", "x" * 500, "3.14159265358979", "١٢٣٤", "'ll 'S"]
    documents = []
    for _ in range(3):
        parts = []
        for _ in range(400):
            if rng.random() < 0.6:
                parts.append(rng.choice(sentences))
            elif rng.random() < 0.5:
                parts.append(f"def f_{rng.randint(0, 999)}(x):\n    return x * {rng.randint(0, 10**6)}  # {rng.random()}\n")
            else:
                parts.append(rng.choice(extras))
        documents.append("".join(parts))
    return documents


@pytest.fixture(scope="module")
def deepseek_reference():
    encoder = HuggingFaceEncoder(str(tokenizer("deepseek-v3").vocabulary.location()))
    yield encoder.encode
    encoder.close()


def test_estimate_tokenizers_counts_an_unseen_corpus_as_each_vendors_encoder(tmp_path, deepseek_reference):
    documents = unseen_corpus(seed=20261207)
    paths = []
    for i, text in enumerate(documents):
        path = tmp_path / f"doc{i}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    code, out = run("estimate", *paths, "--tokenizers", ",".join(VENDORS), "--format", "json")
    assert code == 0
    report = json.loads(out)
    references = {**tiktoken_format_references(), "deepseek-v3": deepseek_reference}
    expected = {name: sum(len(references[name](text)) for text in documents) for name in VENDORS}
    assert report["tokens"] == expected
    assert report["count_method"] == dict.fromkeys(VENDORS, "exact")
    assert report["documents"] == 3 and report["skipped"] == []


@pytest.mark.parametrize(("options", "message"), [
    (["--tokenizers", "llama3,o300k"], "argument --tokenizers: unknown tokenizer 'o300k'; known: o200k_base, "
     "cl100k_base, p50k_base, r50k_base, llama3, llama4, qwen2, qwen3.6, deepseek-v3, tekken-240718, gemma3, "
     "claude-3, claude-4.7, gemma4, grok (see cli.py estimate --help)"),
    (["--tokenizers", "p50k_base"], "p50k_base is not counted offline"),
    (["--tokenizers", "llama3", "--tokenizer-file", "llama3=README.md"],
     "argument --tokenizer-file: 'llama3' does not read a file you give; one of: gemma3 (see cli.py estimate --help)"),
    (["--tokenizers", "gemma3", "--tokenizer-file", "gemma3=/no/such.model"],
     "argument --tokenizer-file: no such file: /no/such.model (see cli.py estimate --help)"),
])
def test_estimate_tokenizers_refuses_bad_names_and_files_in_one_line(options, message, capsys):
    code, out = run("estimate", "--text", "hi", *options)
    assert (code, out) == (2, "")
    assert capsys.readouterr().err.replace("cli.py estimate: ", "") == f"error: {message}\n"


def test_claude_and_a_fileless_gemini_are_never_called_exact():
    assert tokenizer("gemma3").method == "estimate"  # no Gemma 3 model on a machine that did not give one
    for name in ("claude-3", "claude-4.7", "gemma3", "grok"):
        entry = REGISTRY[name]
        assert entry.method != "exact" and not entry.label.startswith(f"{name} (exact"), name
        assert count_is_estimate(name, True) and not count_label(name, True).startswith("exact"), name
    code, out = run("estimate", "--text", "Hello, 世界", "--tokenizers", "claude-3,claude-4.7,gemma3,grok",
                    "--format", "json")
    assert code == 0
    methods = json.loads(out)["count_method"]
    assert methods == {"claude-3": "reconstructed", "claude-4.7": "reconstructed", "gemma3": "estimate",
                       "grok": "estimate"}
    rows = {row["tokenizer"]: row for row in tokenizer_rows()}
    assert {n: rows[n]["method"] for n in methods} == methods


def test_the_tokenizers_command_lists_method_package_size_and_measured_speed():
    code, out = run("tokenizers", "--format", "json")
    assert code == 0
    rows = {row["tokenizer"]: row for row in json.loads(out)["tokenizers"]}
    assert list(rows) == list(REGISTRY)
    speeds = measured_speeds()
    assert rows["llama3"]["method"] == "exact" and rows["llama3"]["package"] == "llama-models"
    assert rows["llama3"]["vocabulary"] == 128256
    assert rows["llama3"]["mb_per_s_per_core"] == speeds["tokenizers"]["llama3"]
    for name, row in rows.items():
        ratio = row["vs_tiktoken_o200k"]
        assert ratio == speeds["vs_tiktoken_o200k"].get(name) or row["method"] in ("estimate", "none"), name
        assert ("slower than single-thread tiktoken o200k_base" in row["note"]) == (ratio is not None and ratio < 1), name
    assert rows["claude-3"]["note"].startswith("slower than single-thread tiktoken o200k_base")


def test_claude_counts_are_ctoks_content_tokens_by_generation():
    import ctok

    texts = ["Hello, world!", "你好，世界。这段话每月要花多少钱？", "def f(x):\n    return x\n\n"]
    # ctok counts a text as one user message: its frame is 7 tokens for Claude 3 – 4.6, 11 for 4.7.
    assert count_many(texts, "claude-3") == [ctok.token_count(t, version="3.0") - 7 for t in texts]
    assert count_many(texts, "claude-4.7") == [ctok.token_count(t, version="4.7") - 11 for t in texts]
    assert count_many([""], "claude-3") == [0]
