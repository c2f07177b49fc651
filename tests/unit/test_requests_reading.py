"""Reading API request files: every form, detection by content, bad lines with exact messages."""

import json
from pathlib import Path

import pytest

from ingest.requests import looks_like_requests, read_requests

HELLO = [{"role": "user", "content": "Hello"}]


def jsonl(*values):
    return "\n".join(v if isinstance(v, str) else json.dumps(v) for v in values).encode()


def batch_line(custom_id, body, url="/v1/chat/completions"):
    return {"custom_id": custom_id, "method": "POST", "url": url, "body": body}


def test_chat_jsonl():
    data = jsonl(
        {"model": "gpt-4o", "messages": HELLO, "max_tokens": 50},
        "",
        {"messages": HELLO, "max_completion_tokens": 70, "max_tokens": 10, "tools": [{"type": "function"}]},
        {"messages": HELLO, "functions": [{"name": "f"}]},
    )
    parsed = read_requests("chat.jsonl", data)
    assert parsed.form == "chat" and not parsed.is_batch and parsed.skipped == []
    first, second, third = parsed.requests
    assert (first.model, first.max_output_tokens, first.line, first.where) == ("gpt-4o", 50, 1, "chat.jsonl:1")
    # max_completion_tokens wins over the deprecated max_tokens; the blank line 2 is ignored.
    assert (second.model, second.max_output_tokens, second.line) == (None, 70, 3)
    assert second.tools == [{"type": "function"}] and third.tools == [{"name": "f"}]


def test_batch_jsonl():
    data = jsonl(batch_line("a", {"model": "gpt-4o-mini", "messages": HELLO}),
                 batch_line("b", {"model": "gpt-4o", "messages": HELLO, "max_tokens": 5}))
    parsed = read_requests("batch.jsonl", data)
    assert parsed.form == "batch" and parsed.is_batch
    assert [(r.custom_id, r.model, r.max_output_tokens) for r in parsed.requests] == [
        ("a", "gpt-4o-mini", None), ("b", "gpt-4o", 5)]


def test_single_request_array_and_bare_messages():
    single = json.dumps({"model": "gpt-4o", "messages": HELLO}, indent=2).encode()
    parsed = read_requests("req.json", single)
    assert parsed.form == "chat" and [r.model for r in parsed.requests] == ["gpt-4o"]
    many = json.dumps([{"messages": HELLO}, {"model": "gpt-4o", "messages": HELLO}]).encode()
    assert [r.line for r in read_requests("reqs.json", many).requests] == [1, 2]
    bare = json.dumps([{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]).encode()
    parsed = read_requests("messages.json", bare)
    assert parsed.form == "messages" and len(parsed.requests) == 1 and len(parsed.requests[0].messages) == 2


def test_bad_lines_are_reported_with_line_numbers():
    data = jsonl(
        {"messages": HELLO},
        '{"messages": [',
        {"model": "gpt-4o", "prompt": "no messages"},
        batch_line("e", {"model": "text-embedding-3-small", "input": "x"}, url="/v1/embeddings"),
        {"messages": [{"role": "user", "content": "ok"}, {"content": "no role"}]},
        "42",
        {"custom_id": "x", "method": "POST", "url": "/v1/chat/completions"},
    )
    parsed = read_requests("mixed.jsonl", data)
    assert [r.line for r in parsed.requests] == [1]
    got = [(p.code, p.where, p.message()) for p in parsed.skipped]
    assert got == [
        ("bad_json", "mixed.jsonl:2", "line 2 is not valid JSON: Expecting value"),
        ("request_no_messages", "mixed.jsonl:3", "line 3 is not a chat request: it has no messages"),
        ("request_endpoint", "mixed.jsonl:4", "line 4 calls /v1/embeddings; only /v1/chat/completions requests are priced"),
        ("request_bad_message", "mixed.jsonl:5", "line 5: message 2 is not an object with a role"),
        ("not_object", "mixed.jsonl:6", "line 6 is not a JSON object"),
        ("request_no_body", "mixed.jsonl:7", "line 7 is a Batch API line without a request body"),
    ]


def test_undecodable_and_empty_files():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    assert [p.message() for p in read_requests("x.jsonl", png).skipped] == ["this is not a text file (PNG image)"]
    assert [p.code for p in read_requests("x.jsonl", b"{\x00\x01\x02}" * 50).skipped] == ["not_text"]
    utf16 = (json.dumps({"messages": HELLO}) + "\n").encode("utf-16")
    assert len(read_requests("x.jsonl", utf16).requests) == 1
    assert [p.code for p in read_requests("x.jsonl", b"  \n").skipped] == ["empty_file"]


@pytest.mark.parametrize(
    "data",
    [
        jsonl({"model": "gpt-4o", "messages": HELLO}),
        jsonl(batch_line("a", {"messages": HELLO})),
        json.dumps({"messages": HELLO}, indent=2).encode(),
        json.dumps(HELLO).encode(),
        b"\xef\xbb\xbf" + jsonl({"messages": HELLO}),  # UTF-8 BOM
    ],
)
def test_detects_request_files(data):
    assert looks_like_requests(data)


@pytest.mark.parametrize(
    "data",
    [
        b"Just some text about messages.",
        b"text,label\nhello,1\n",
        jsonl({"text": "a document"}, {"text": "another"}),
        json.dumps({"messages": "not a list"}).encode(),
        b"",
        b"\x89PNG\r\n\x1a\n\x00\x00",
    ],
)
def test_other_files_are_not_request_files(data):
    assert not looks_like_requests(data)


def test_a_file_is_batch_only_when_all_its_requests_are_batch_lines():
    mixed = jsonl({"messages": HELLO}, batch_line("a", {"messages": HELLO}))
    assert read_requests("m.jsonl", mixed).form == "chat"
    bad_batch_lines = jsonl({"messages": HELLO}, batch_line("e", {"input": "x"}, url="/v1/embeddings"))
    assert read_requests("m.jsonl", bad_batch_lines).form == "chat"
    assert read_requests("b.json", json.dumps([batch_line("a", {"messages": HELLO})]).encode()).form == "batch"


def test_every_code_has_english_wording():
    from ingest.documents import MESSAGES
    from pricing import requests as pricing_requests
    from tokenizers import chat

    codes = [v for k, v in vars(chat).items() if k.startswith("ESTIMATE_")]
    codes += ["flag_" + getattr(pricing_requests, k) for k in
              ("CONTEXT_OVERFLOW", "ABOVE_MAX_OUTPUT", "ESTIMATED", "NO_BATCH_PRICE", "IMAGE_URL_NOT_ACCEPTED")]
    codes += ["request_no_messages", "request_bad_message", "request_no_body", "request_endpoint",
              "request_unknown_model", "image_not_measured", "image_url_not_accepted"]
    assert len(codes) == 21  # 9 ESTIMATE_ codes (3 for other vendors' chat overhead), 5 flags, 7 problems
    assert [c for c in codes if c not in MESSAGES] == []


def test_a_file_that_cannot_start_a_request_is_told_apart_without_guessing_its_encoding(monkeypatch):
    # The Estimate page asks this of every upload on every rerun: a 5 MB CSV cost 15 ms a rerun
    # in the encoding guess before its first character ("r", not "{" or "[") was looked at.
    import ingest.requests as requests_module

    def no_guess(data):
        raise AssertionError("the encoding was guessed")

    monkeypatch.setattr(requests_module, "_encoding", no_guess)
    table = ("review,lang\n" + "a long enough review text,en\n" * 200_000).encode()
    assert len(table) > 5_000_000 and not requests_module.looks_like_requests(table)
    assert not requests_module.looks_like_requests("\ufeff  plain text, not JSON".encode("utf-16"))
    monkeypatch.undo()
    chat = (Path(__file__).resolve().parents[2] / "examples" / "chat_requests.jsonl").read_bytes()
    for encoded in (chat, b"\xef\xbb\xbf" + chat, chat.decode().encode("utf-16"), chat.decode().encode("utf-16-le"),
                    b"  \n" + chat):
        assert requests_module.looks_like_requests(encoded)
