"""Every JSON the project reads (price files, request files, JSON/JSONL corpora) has one depth
limit, said with "nested too deeply" and the place; a price file may not give a key twice."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

import cli
from ingest import read_bytes
from ingest.jsonlimits import MAX_JSON_DEPTH, JsonDuplicateKeyError, JsonTooDeepError, load_json
from ingest.requests import looks_like_requests, read_requests, sniff_head
from pricing import CatalogError, load_catalog

ROOT = Path(__file__).resolve().parent.parent.parent
DAY = "2026-11-23"
DEEP = "[" * 100_000 + "]" * 100_000  # far past Python's recursion limit
REQUEST = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Where is my order?"}]}
EXAMPLE = {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello!"}]}


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def run(capsys, *args: str) -> tuple[int, str, str]:
    out = io.StringIO()
    code = cli.main(list(args), out=out)
    return code, out.getvalue(), capsys.readouterr().err


# --- the limit itself ------------------------------------------------------------------------


def test_the_limit_is_exact_and_says_the_line():
    assert load_json(nested(MAX_JSON_DEPTH)) == json.loads(nested(MAX_JSON_DEPTH))
    for text, line in [(nested(MAX_JSON_DEPTH + 1), 1), ('{"a": 1,\n "b":\n ' + DEEP + "}", 3)]:
        with pytest.raises(JsonTooDeepError) as raised:
            load_json(text)
        assert (str(raised.value), raised.value.line) == (f"nested too deeply (more than 200 levels) at line {line}", line)


def test_brackets_inside_strings_are_text():
    text = json.dumps({"text": "[" * 5000 + "{" * 5000})
    assert load_json(text) == {"text": "[" * 5000 + "{" * 5000}


def test_a_key_given_twice_is_found_with_its_line():
    text = '{"a": {"k": 1, "x": "\\"k\\": 2"},\n "b": [{"k": 1}, {"k": 2}],\n "c": {"k": 1,\n  "k": 2}}'
    assert load_json(text) == json.loads(text)  # plain reading keeps the last one
    with pytest.raises(JsonDuplicateKeyError) as raised:
        load_json(text, unique_keys=True)
    assert (raised.value.key, raised.value.line) == ("k", 4)


# --- corpora ---------------------------------------------------------------------------------


def test_a_jsonl_corpus_skips_the_deep_line_and_reads_the_rest():
    data = "\n".join([json.dumps({"text": "first"}), DEEP, json.dumps({"text": "third"})]).encode() + b"\n"
    corpus = read_bytes("notes.jsonl", data)
    assert [d.text for d in corpus.documents] == ["first", "third"]
    assert [(p.where, p.message()) for p in corpus.skipped] == [
        ("notes.jsonl:2", "line 2 is nested too deeply (more than 200 levels of brackets)")
    ]


def test_a_json_corpus_too_deep_is_one_problem_with_its_line():
    corpus = read_bytes("notes.json", ('[\n"one",\n' + DEEP + "\n]").encode())
    assert corpus.documents == []
    assert [(p.where, p.message()) for p in corpus.skipped] == [
        ("notes.json:3", "line 3 is nested too deeply (more than 200 levels of brackets)")
    ]


# --- request files ---------------------------------------------------------------------------


def request_lines(first: str) -> bytes:
    return "\n".join([first, json.dumps(REQUEST), json.dumps(REQUEST)]).encode() + b"\n"


def test_a_request_jsonl_skips_the_deep_line_and_goes_on():
    data = request_lines(DEEP)
    assert looks_like_requests(data)
    assert sniff_head(io.BytesIO(data)).startswith(json.dumps(REQUEST).encode())
    result = read_requests("req.jsonl", data)
    assert [r.line for r in result.requests] == [2, 3]
    assert [(p.where, p.message()) for p in result.skipped] == [
        ("req.jsonl:1", "line 1 is nested too deeply (more than 200 levels of brackets)")
    ]


def test_the_cli_prices_a_request_jsonl_whose_first_line_is_too_deep(tmp_path, capsys):
    path = tmp_path / "req.jsonl"
    path.write_bytes(request_lines(DEEP))
    code, out, err = run(capsys, "estimate", str(path), "--as-of", DAY, "--output-tokens", "10")
    assert (code, err) == (0, "")
    assert out.startswith(f"requests: 2 (chat)  skipped: 1  prices of: {DAY}\n")
    assert f"{path}:1: line 1 is nested too deeply (more than 200 levels of brackets)\n" in out

    code, out, err = run(capsys, "estimate", str(path), "--as-of", DAY, "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out)["skipped"] == [{"where": f"{path}:1", "code": "too_deep",
                                           "why": "line 1 is nested too deeply (more than 200 levels of brackets)"}]


def test_fine_tune_skips_the_deep_line_and_goes_on(tmp_path, capsys):
    path = tmp_path / "train.jsonl"
    path.write_bytes("\n".join([DEEP] + [json.dumps(EXAMPLE)] * 3).encode() + b"\n")
    code, out, err = run(capsys, "fine-tune", str(path), "--as-of", DAY, "--models", "gpt-4o-mini")
    assert (code, err) == (0, "")
    assert out.startswith("examples: 3  skipped: 1\n")
    assert out.endswith(f"skipped {path}:1: line 1 is nested too deeply (more than 200 levels of brackets)\n")


# --- price files -----------------------------------------------------------------------------


def price_file(tmp_path, text: str) -> Path:
    path = tmp_path / "mine.json"
    path.write_text(text, encoding="utf-8")
    return path


MODEL = """{
  "models": [
    {"id": "my-model", "label": "Mine", "family": "gpt-4o", "encoding": "o200k_base",
     "source_url": "https://example.invalid/", "checked": "2026-11-01",
     "prices": [{"effective_from": "2024-01-01",
       "input_per_mtok": 2.0,
       "input_per_mtok": 2000.0,
       "output_per_mtok": 8.0, "evidence": "verified", "source": "contract"}]}
  ]
}"""


def test_a_price_file_with_a_key_given_twice_is_refused(tmp_path, capsys):
    path = price_file(tmp_path, MODEL)
    with pytest.raises(CatalogError) as raised:
        load_catalog(overrides=(path,))
    assert str(raised.value) == f'{path}: key "input_per_mtok" appears twice in one object (line 7); keep one'
    code, out, err = run(capsys, "estimate", "--text", "x", "--prices", str(path), "--models", "my-model")
    assert (code, out) == (2, "")
    assert err == f'error: {path}: key "input_per_mtok" appears twice in one object (line 7); keep one\n'


def test_a_price_file_with_two_models_arrays_is_refused(tmp_path, capsys):
    path = price_file(tmp_path, '{"models": [],\n "aliases": [],\n "models": []}')
    code, out, err = run(capsys, "prices", "--prices", str(path))
    assert (code, out) == (2, "")
    assert err == f'error: {path}: key "models" appears twice in one object (line 3); keep one\n'


def test_a_price_file_too_deep_is_refused_with_its_line(tmp_path, capsys):
    path = price_file(tmp_path, '{\n"models": ' + DEEP + "}")
    code, out, err = run(capsys, "prices", "--prices", str(path))
    assert (code, out) == (2, "")
    assert err == (f"error: {path}: nested too deeply at line 2 (more than 200 levels of brackets); "
                   "a price file has a few\n")
