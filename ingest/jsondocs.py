"""JSON Lines (one object per line) and JSON files (a list of texts or objects)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator

from ingest.documents import Document, Problem
from ingest.jsonlimits import MAX_JSON_DEPTH, JsonTooDeepError, load_json
from ingest.limits import spend
from ingest.options import ReadOptions

TEXT_FIELDS = ("text", "content", "prompt", "body", "message")
_JSON_KINDS = {dict: "object", int: "number", float: "number", bool: "boolean", type(None): "null"}


def _fields(options: ReadOptions) -> tuple[str, ...]:
    return (options.text_field,) if options.text_field else TEXT_FIELDS


def _from_object(value: dict, source: str, options: ReadOptions, name: str, used: set[str],
                 problems: list[Problem]) -> Document | None:
    """The object's document from its first text field, None when it has none.

    A field counted for the first time in the file (``used``) gets a ``json_field`` note, as a
    table's counted column does: the note comes before the first document read from it.
    """
    field = next((f for f in _fields(options) if isinstance(value.get(f), str)), None)
    if field is None:
        return None
    if field not in used:
        used.add(field)
        problems.append(Problem("json_field", name, {"field": field}))
    group = value.get(options.group_by) if options.group_by else None
    return Document(text=value[field], source=source, group=None if group is None else str(group))


def iter_jsonl(name: str, lines: Iterable[str], options: ReadOptions, problems: list[Problem]) -> Iterator[Document]:
    """Documents of a JSON Lines file read from its ``lines`` (newlines kept), one per object.

    Blank lines are passed over (a file of nothing else is ``empty_file``); every other line not
    read is added to ``problems`` with its number (a last line without a newline that does not
    parse is ``truncated_line``).
    """
    blank = True
    used: set[str] = set()
    for number, line in enumerate(lines, start=1):
        spend(rows=1)
        if not line.strip():
            continue
        blank = False
        where = f"{name}:{number}"
        try:
            value = load_json(line)
        except JsonTooDeepError:
            problems.append(Problem("too_deep", where, {"line": number, "limit": MAX_JSON_DEPTH}))
            continue
        except json.JSONDecodeError as exc:
            if line.endswith(("\n", "\r")):
                problems.append(Problem("bad_json", where, {"line": number, "error": exc.msg}))
            else:
                problems.append(Problem("truncated_line", where, {"line": number}))
            continue
        if not isinstance(value, dict):
            problems.append(Problem("not_object", where, {"line": number}))
            continue
        document = _from_object(value, where, options, name, used, problems)
        if document is None:
            problems.append(Problem("missing_field", where, {"line": number, "fields": ", ".join(_fields(options))}))
            continue
        yield document
    if blank:
        problems.append(Problem("empty_file", name))


def iter_json(name: str, text: str, options: ReadOptions, problems: list[Problem]) -> Iterator[Document]:
    """Documents of a JSON file: a list of texts and/or objects, a single text, or one object.

    A file that is really JSON Lines (several values, one per line) is read as such.
    """
    try:
        value = load_json(text)
    except JsonTooDeepError as exc:
        problems.append(Problem("too_deep", f"{name}:{exc.line}", {"line": exc.line, "limit": MAX_JSON_DEPTH}))
        return
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":
            yield from iter_jsonl(name, io.StringIO(text, newline=""), options, problems)
        else:
            problems.append(Problem("bad_json", f"{name}:{exc.lineno}", {"line": exc.lineno, "error": exc.msg}))
        return
    if isinstance(value, str):
        yield Document(text=value, source=name)
        return
    used: set[str] = set()
    if isinstance(value, dict):
        document = _from_object(value, name, options, name, used, problems)
        if document is None:
            problems.append(Problem("json_not_list", name, {"kind": "object"}))
        else:
            yield document
            return
    if not isinstance(value, list):
        problems.append(Problem("json_not_list", name, {"kind": _JSON_KINDS.get(type(value), "value")}))
        return
    if not value:
        problems.append(Problem("empty_list", name))
    for index, item in enumerate(value):
        spend(rows=1)
        where = f"{name}[{index}]"
        if isinstance(item, str):
            yield Document(text=item, source=where)
        elif isinstance(item, dict):
            document = _from_object(item, where, options, name, used, problems)
            if document is None:
                fields = ", ".join(_fields(options))
                problems.append(Problem("item_missing_field", where, {"index": index, "fields": fields}))
            else:
                yield document
        else:
            problems.append(Problem("item_not_text", where, {"index": index}))
