"""Reading API request files: chat-request JSONL, Batch API JSONL, one JSON request, a messages array.

Forms accepted (detected by content, not by file name):

* JSONL, one chat request per line: ``{"model": ..., "messages": [...], "tools": [...], "max_tokens": ...}``
  (a fine-tuning training file has the same shape);
* Batch API JSONL: ``{"custom_id": ..., "method": "POST", "url": "/v1/chat/completions", "body": {...}}``;
* one JSON request object, or a JSON array of such objects;
* a bare messages array: ``[{"role": "system", "content": ...}, ...]``.

Bad lines become ``Problem``s with their line numbers; good lines are kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import BinaryIO, Mapping

from ingest.decoding import bom_encoding, detect_encoding, utf16_without_bom
from ingest.documents import Problem
from ingest.jsonlimits import MAX_JSON_DEPTH, JsonTooDeepError, load_json, too_deep_line
from ingest.limits import LimitExceeded, spend
from ingest.sniff import binary_kind

CHAT_URL = "/v1/chat/completions"
# How much of a file detection looks at: a request line's keys sit near its start.
_SNIFF_BYTES = 1 << 16


@dataclass(frozen=True)
class ChatRequest:
    """One chat request read from a file."""

    where: str  # "batch.jsonl:3"
    line: int
    messages: list[Mapping]
    model: str | None = None
    tools: list[object] = field(default_factory=list)
    max_output_tokens: int | None = None  # max_completion_tokens, else max_tokens
    custom_id: str | None = None
    batch_line: bool = False  # read from a Batch API line (custom_id/method/url/body)


@dataclass
class RequestFile:
    """The requests of one file, its form ("chat", "batch", "messages"), and what was skipped."""

    name: str
    form: str
    requests: list[ChatRequest] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)

    @property
    def is_batch(self) -> bool:
        return self.form == "batch"


def _is_message(value: object) -> bool:
    return isinstance(value, Mapping) and isinstance(value.get("role"), str)


def _request_kind(value: object) -> str | None:
    """"batch", "chat", "messages" or None for one parsed JSON value."""
    if isinstance(value, Mapping):
        if "custom_id" in value and isinstance(value.get("body"), Mapping):
            return "batch"
        if isinstance(value.get("messages"), list):
            return "chat"
        return None
    if isinstance(value, list) and value:
        if all(_is_message(m) for m in value):
            return "messages"
        if all(_request_kind(v) in ("chat", "batch") for v in value):
            return "chat"
    return None


_DETECT_BYTES = 1 << 20


def _encoding(data: bytes) -> str:
    # JSON should be UTF-8, but Windows tools write UTF-16: detect like any other text file.
    return detect_encoding(data[:_DETECT_BYTES], complete=len(data) <= _DETECT_BYTES)


def _text(data: bytes) -> str | None:
    try:
        return data.decode(_encoding(data))
    except UnicodeDecodeError:
        return None


_BYTE_ORDER_MARKS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def _not_json_at_start(data: bytes) -> bool:
    """True when the first character that is not a space (past a byte-order mark; UTF-16's zero
    bytes ignored) is neither "{" nor "[": no request file starts so, and the encoding guess is
    spared (15 ms on a 5 MB CSV, on each rerun of the Estimate page that checks its uploads)."""
    head = data[:4096]
    for mark in _BYTE_ORDER_MARKS:
        if head.startswith(mark):
            head = head[len(mark):]
            break
    head = head.replace(b"\x00", b"").lstrip()
    return bool(head) and head[:1] not in (b"{", b"[")


def _cut_too_deep(head: bytes) -> bool:
    """Whether ``head`` is all one line, cut short, and already nested too deeply (so reading
    will skip that line: detection must look past it)."""
    return len(head) > _SNIFF_BYTES and b"\n" not in head and too_deep_line(head.decode("latin-1")) is not None


def sniff_head(stream: BinaryIO) -> bytes:
    """What ``looks_like_requests`` needs of a file open at its start: its first 64 KiB and one
    byte more; when those are one line nested too deeply, the same after that line's end
    (the line is streamed past, never held)."""
    head = stream.read(_SNIFF_BYTES + 1)
    while _cut_too_deep(head):
        while (chunk := stream.read(1 << 20)) and b"\n" not in chunk:
            pass
        if not chunk:
            return head
        rest = chunk[chunk.index(b"\n") + 1:]
        head = rest + stream.read(max(0, _SNIFF_BYTES + 1 - len(rest)))
    return head


def looks_like_requests(data: bytes) -> bool:
    """Whether ``data`` looks like an API request file (a quick look at its first line or value)."""
    if _not_json_at_start(data):
        return False
    while _cut_too_deep(data[:_SNIFF_BYTES + 1]) and b"\n" in data:
        data = data[data.index(b"\n") + 1:]
    text = _text(data[:_SNIFF_BYTES]) if len(data) > _SNIFF_BYTES else _text(data)
    if text is None:
        # A multi-byte character cut at the sniff limit: drop the cut tail and retry.
        text = data[:_SNIFF_BYTES].decode("utf-8-sig", errors="ignore")
    stripped = text.lstrip()
    if not stripped.startswith(("{", "[")):
        return False
    # Lines nested too deeply are skipped when the file is read: the first other line decides.
    lines = [line for line in stripped.split("\n") if line.strip()]
    while lines and too_deep_line(lines[0]) is not None:
        lines.pop(0)
    if not lines:
        return False
    try:
        return _request_kind(load_json(lines[0])) is not None
    except (json.JSONDecodeError, JsonTooDeepError):
        pass
    if len(data) > _SNIFF_BYTES:
        # A pretty-printed request larger than the sniff window: look for its keys.
        return '"messages"' in stripped or ('"custom_id"' in stripped and '"body"' in stripped)
    whole = _text(data)
    try:
        return whole is not None and _request_kind(load_json(whole)) is not None
    except (json.JSONDecodeError, JsonTooDeepError):
        return False


def _max_output(body: Mapping) -> int | None:
    for key in ("max_completion_tokens", "max_tokens"):
        value = body.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
    return None


def _request(body: Mapping, where: str, line: int, custom_id: str | None, batch_line: bool) -> ChatRequest | Problem:
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        return Problem("request_no_messages", where, {"line": line})
    for index, message in enumerate(messages, start=1):
        if not _is_message(message):
            return Problem("request_bad_message", where, {"line": line, "index": index})
    model = body.get("model")
    tools = body.get("tools") if isinstance(body.get("tools"), list) else body.get("functions")
    return ChatRequest(
        where=where,
        line=line,
        messages=messages,
        model=model if isinstance(model, str) and model else None,
        tools=list(tools) if isinstance(tools, list) else [],
        max_output_tokens=_max_output(body),
        custom_id=custom_id,
        batch_line=batch_line,
    )


def _from_value(value: object, name: str, line: int, result: RequestFile) -> None:
    where = f"{name}:{line}"
    if not isinstance(value, Mapping):
        result.skipped.append(Problem("not_object", where, {"line": line}))
        return
    custom_id = None
    body: Mapping = value
    batch_line = "custom_id" in value or "body" in value
    if batch_line:
        url = value.get("url")
        if not isinstance(value.get("body"), Mapping):
            result.skipped.append(Problem("request_no_body", where, {"line": line}))
            return
        if url != CHAT_URL:
            result.skipped.append(Problem("request_endpoint", where, {"line": line, "url": str(url)}))
            return
        custom_id = str(value.get("custom_id")) if value.get("custom_id") is not None else None
        body = value["body"]
    made = _request(body, where, line, custom_id, batch_line)
    if isinstance(made, Problem):
        result.skipped.append(made)
    else:
        result.requests.append(made)


def read_requests(name: str, data: bytes) -> RequestFile:
    """The chat requests in a request file's bytes, with every bad line as a ``Problem``.

    Never raises for bad content: an undecodable or empty file yields no requests and one problem.
    Under ``ingest.limits.within`` reading stops at a limit, which is added to ``skipped``.
    """
    partial = RequestFile(name, "chat")
    try:
        return _read_requests(name, data, partial)
    except LimitExceeded as exc:
        partial.skipped.append(Problem(exc.code, name, exc.params))
        return _with_form(partial)


def _read_requests(name: str, data: bytes, result: RequestFile) -> RequestFile:
    head = data[:_DETECT_BYTES]
    if not (bom_encoding(head) or utf16_without_bom(head)) and (kind := binary_kind(head[:4096])):
        return RequestFile(name, "chat", skipped=[Problem("not_text", name, {"kind": kind})])
    text = _text(data)
    if text is None:
        encoding = _encoding(data)
        bad = data.decode(encoding, "replace").count("\ufffd") - data.decode(encoding, "ignore").count("\ufffd")
        return RequestFile(name, "chat", skipped=[Problem("invalid_bytes", name, {"encoding": encoding, "count": bad})])
    if not text.strip():
        return RequestFile(name, "chat", skipped=[Problem("empty_file", name)])
    try:
        whole = load_json(text)
    except (json.JSONDecodeError, JsonTooDeepError):  # JSON Lines (one line may be too deep): line by line
        whole = None
    kind = _request_kind(whole) if whole is not None else None
    if kind == "messages":
        result = RequestFile(name, "messages")
        _from_value({"messages": whole}, name, 1, result)
        return result
    if kind is not None:
        for index, value in enumerate(whole if isinstance(whole, list) else [whole], start=1):
            spend(rows=1)
            _from_value(value, name, index, result)
        return _with_form(result)
    for number, line in enumerate(text.splitlines(), start=1):
        spend(rows=1)
        if not line.strip():
            continue
        try:
            value = load_json(line)
        except JsonTooDeepError:
            result.skipped.append(Problem("too_deep", f"{name}:{number}", {"line": number, "limit": MAX_JSON_DEPTH}))
            continue
        except json.JSONDecodeError as exc:
            result.skipped.append(Problem("bad_json", f"{name}:{number}", {"line": number, "error": exc.msg}))
            continue
        _from_value(value, name, number, result)
    return _with_form(result)


def _with_form(result: RequestFile) -> RequestFile:
    """A file is a Batch file when every request read from it came from a Batch API line."""
    if result.requests and all(r.batch_line for r in result.requests):
        result.form = "batch"
    return result
