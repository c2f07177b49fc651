"""Turning bytes into documents: plain text, CSV/TSV with a chosen column, JSONL with a text field."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from ingest.documents import Corpus, Document, Problem

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ".rst", ".log"}
TABLE_SUFFIXES = {".csv": ",", ".tsv": "\t"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
JSONL_TEXT_FIELDS = ("text", "content", "prompt", "body", "message")


@dataclass(frozen=True)
class ReadOptions:
    """How to read a source: the CSV text and group columns, the JSONL field, an encoding override."""

    column: str | None = None
    group_by: str | None = None
    text_field: str | None = None
    encoding: str | None = None


def decode(data: bytes, name: str, options: ReadOptions) -> tuple[str | None, Problem | None]:
    """The text of ``data`` (UTF-8, with or without BOM, unless overridden) or a problem."""
    encoding = options.encoding or "utf-8-sig"
    try:
        return data.decode(encoding), None
    except (UnicodeDecodeError, LookupError):
        return None, Problem("decode_error", name, {"encoding": encoding})


def read_text(name: str, text: str, options: ReadOptions) -> Corpus:
    return Corpus(documents=[Document(text=text, source=name)])


def read_table(name: str, text: str, options: ReadOptions, delimiter: str) -> Corpus:
    corpus = Corpus()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    if header is None:
        corpus.skipped.append(Problem("empty_file", name))
        return corpus
    columns = ", ".join(header)
    for wanted in (options.column, options.group_by):
        if wanted is not None and wanted not in header:
            corpus.skipped.append(Problem("missing_column", name, {"column": wanted, "columns": columns}))
            return corpus
    column = options.column or header[0]
    text_at = header.index(column)
    group_at = header.index(options.group_by) if options.group_by else None
    for row in reader:
        line = reader.line_num
        if len(row) != len(header):
            corpus.skipped.append(
                Problem("ragged_row", f"{name}:{line}", {"line": line, "found": len(row), "expected": len(header)})
            )
            continue
        group = row[group_at] if group_at is not None else None
        corpus.documents.append(Document(text=row[text_at], source=f"{name}:{line}", group=group))
    return corpus


def read_jsonl(name: str, text: str, options: ReadOptions) -> Corpus:
    corpus = Corpus()
    fields = (options.text_field,) if options.text_field else JSONL_TEXT_FIELDS
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            corpus.skipped.append(Problem("bad_json", where, {"line": number, "error": exc.msg}))
            continue
        if not isinstance(value, dict):
            corpus.skipped.append(Problem("not_object", where, {"line": number}))
            continue
        field = next((f for f in fields if isinstance(value.get(f), str)), None)
        if field is None:
            corpus.skipped.append(Problem("missing_field", where, {"line": number, "fields": ", ".join(fields)}))
            continue
        group = value.get(options.group_by) if options.group_by else None
        corpus.documents.append(Document(text=value[field], source=where, group=None if group is None else str(group)))
    return corpus


def read_bytes(name: str, data: bytes, options: ReadOptions = ReadOptions()) -> Corpus:
    """Documents in one named source (a file's name decides its type)."""
    suffix = Path(name).suffix.lower()
    known = TEXT_SUFFIXES | set(TABLE_SUFFIXES) | JSONL_SUFFIXES
    if suffix not in known:
        return Corpus(skipped=[Problem("unsupported_type", name, {"suffix": suffix})])
    if not data:
        return Corpus(skipped=[Problem("empty_file", name)])
    text, problem = decode(data, name, options)
    if problem is not None:
        return Corpus(skipped=[problem])
    if suffix in TABLE_SUFFIXES:
        return read_table(name, text, options, TABLE_SUFFIXES[suffix])
    if suffix in JSONL_SUFFIXES:
        return read_jsonl(name, text, options)
    return read_text(name, text, options)


def read_paths(paths: list[Path], options: ReadOptions = ReadOptions()) -> Corpus:
    """Documents from files (and directories, recursively), in the order given."""
    corpus = Corpus()
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            try:
                data = file.read_bytes()
            except OSError as exc:
                corpus.skipped.append(Problem("unreadable", str(file), {"error": exc.strerror or str(exc)}))
                continue
            corpus.extend(read_bytes(str(file), data, options))
    return corpus
