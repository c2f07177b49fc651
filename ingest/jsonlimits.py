"""One reader for every JSON the project reads (price files, request files, JSON/JSONL corpora):
a document nested deeper than MAX_JSON_DEPTH is refused, with the line where it gets too deep,
before Python's recursion limit is reached; price files also refuse a key given twice."""

from __future__ import annotations

import json
import re

#: Arrays and objects nested deeper than this are refused (real files nest a handful of levels).
MAX_JSON_DEPTH = 200

# A JSON string (escapes included) or one structural character; strings are matched whole so
# the brackets and colons inside them are not taken for structure.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}:]')


class JsonTooDeepError(ValueError):
    """A JSON text nested deeper than MAX_JSON_DEPTH; ``line`` (1-based) is where it gets too deep."""

    def __init__(self, line: int) -> None:
        self.line = line
        super().__init__(f"nested too deeply (more than {MAX_JSON_DEPTH} levels) at line {line}")


class JsonDuplicateKeyError(ValueError):
    """A JSON object that gives the same ``key`` twice; ``line`` (1-based) is where it comes again."""

    def __init__(self, key: str, line: int) -> None:
        self.key = key
        self.line = line
        super().__init__(f"key {json.dumps(key, ensure_ascii=False)} appears twice in one object (line {line})")


class _Duplicate(Exception):
    pass


def load_json(text: str, *, parse_float=None, unique_keys: bool = False) -> object:
    """``json.loads(text)``, refusing what no file of ours holds.

    Raises json.JSONDecodeError for bad syntax, JsonTooDeepError for a document nested deeper
    than MAX_JSON_DEPTH, and (with ``unique_keys``) JsonDuplicateKeyError for an object that
    gives a key twice (plain json keeps the last one silently).
    """
    hook = _unique_pairs if unique_keys else None
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:  # cannot be too deep: the common case, fast
        return _loads(text, parse_float, hook)
    try:
        value = _loads(text, parse_float, hook)
    except RecursionError:  # json's own recursion gave out first
        raise JsonTooDeepError(too_deep_line(text) or 1) from None
    if _deeper_than_limit(value):
        raise JsonTooDeepError(too_deep_line(text) or 1)
    return value


def _loads(text: str, parse_float, hook) -> object:
    try:
        return json.loads(text, parse_float=parse_float, object_pairs_hook=hook)
    except _Duplicate as exc:
        key, line = duplicate_key(text) or (str(exc.args[0]), 1)
        raise JsonDuplicateKeyError(key, line) from None


def _unique_pairs(pairs: list[tuple[str, object]]) -> dict:
    value = dict(pairs)
    if len(value) != len(pairs):
        seen: set[str] = set()
        raise _Duplicate(next(k for k, _ in pairs if k in seen or seen.add(k)))
    return value


def _deeper_than_limit(value: object) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if depth > MAX_JSON_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def too_deep_line(text: str) -> int | None:
    """The line (1-based) where ``text`` (JSON, possibly cut short) first nests deeper than
    MAX_JSON_DEPTH; None when it never does."""
    depth = 0
    for match in _TOKENS.finditer(text):
        char = text[match.start()]
        if char in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return text.count("\n", 0, match.start()) + 1
        elif char in "]}":
            depth -= 1
    return None


def duplicate_key(text: str) -> tuple[str, int] | None:
    """(key, line) of the first key that an object of the JSON ``text`` gives a second time, the
    line (1-based) being that of the second; None when there is none."""
    keys: list[set[str] | None] = []  # per open bracket: the keys of an object, None for an array
    last_string: re.Match | None = None
    for match in _TOKENS.finditer(text):
        char = text[match.start()]
        if char == '"':
            last_string = match
            continue
        if char == ":" and last_string is not None and keys and keys[-1] is not None:
            key = json.loads(last_string.group())
            if key in keys[-1]:
                return key, text.count("\n", 0, last_string.start()) + 1
            keys[-1].add(key)
        elif char in "[{":
            keys.append(set() if char == "{" else None)
        elif char in "]}" and keys:
            keys.pop()
        last_string = None
    return None
