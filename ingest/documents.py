"""What ingestion produces: documents to count, and problems to show (never silently dropped)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping


@dataclass(frozen=True)
class Document:
    """One text to count: a file, a CSV row, a JSONL line."""

    text: str
    source: str  # where it came from, e.g. "notes.md" or "reviews.csv:12"
    group: str | None = None
    # A huge text arrives in pieces cut where counts add up: part 0 starts a document,
    # parts 1, 2, ... continue the one before (same source), so memory stays bounded.
    part: int = 0
    # A table row's cells as (column, value) in the file's order, so a per-row download can
    # hand the user's whole row back; None for documents that are not table rows.
    fields: tuple[tuple[str, str], ...] | None = None
    # The archive member it was read from ("corpus.zip/a.txt"); None: the file named.
    origin: str | None = None


# English wording of each problem code; the app's message catalog has the same keys.
# This is the one list of codes: core code reports a code + params, never a finished sentence.
MESSAGES: dict[str, str] = {
    # what could not be read (Corpus.skipped)
    "empty_file": "the file is empty",
    "not_text": "this is not a text file ({kind})",
    "unknown_encoding": "unknown text encoding {encoding!r}",
    "invalid_bytes": "{count} bytes could not be decoded as {encoding} and were replaced by \ufffd",
    "nul_bytes": "{count} NUL bytes were replaced by \ufffd (lines {lines})",
    "missing_column": "no column {column!r}; the columns are: {columns}",
    "missing_sheet": "no sheet {sheet!r}; the sheets are: {sheets}",
    "bad_workbook": "cannot read the workbook: {error}",
    "bad_json": "line {line} is not valid JSON: {error}",
    "truncated_line": "the last line ({line}) is cut off",
    "too_deep": "line {line} is nested too deeply (more than {limit} levels of brackets)",
    "not_object": "line {line} is not a JSON object",
    "missing_field": "line {line} has no text field ({fields})",
    "item_not_text": "item {index} is neither a text nor an object",
    "item_missing_field": "item {index} has no text field ({fields})",
    "json_not_list": "the JSON holds a single {kind}, not a list of texts or objects",
    "ragged_row": "row {line} has {found} fields, the header has {expected}",
    "unclosed_quote": "row {line} opens a quote that is never closed",
    "unsupported_type": "files of type {suffix!r} are not supported",
    "unreadable": "cannot read the file: {error}",
    "too_large": "the file ({size} bytes) is larger than the limit of {limit} bytes",
    "hidden": "hidden, not read",
    "no_files": "the folder has no files",
    # a read on a server stopped at one of its limits (ingest/limits.py); the CLI reads without them
    "limit_time": "reading stopped after {seconds:g} seconds, this server's limit for one file",
    "limit_rows": "reading stopped after {limit} rows, this server's limit for one file",
    "limit_cells": "reading stopped after {limit} cells (empty ones included), this server's limit for one file",
    "limit_sheet_size": "the sheet declares the range {declared} ({cells} cells), more than the {limit} this server reads",
    "limit_memory": "reading stopped: it took {used} MB of memory, more than the {reserved} MB reserved for it",
    "decompression_limit": "not read past {limit} bytes: it expands to more than {ratio}x its {size} bytes, "
                           "like a decompression bomb",
    "expanded_too_large": "not read past {limit} bytes: an upload may expand to no more than that",
    "bad_compressed": "cannot decompress it ({compression}): {error}",
    "bad_table": "cannot read the table: {error}",
    # how something was read (Corpus.notes)
    "encoding_used": "read as {encoding}",
    "header_only": "the table has a header but no rows",
    "empty_list": "the JSON list is empty",
    "column_chosen": "counted column {column!r} (chosen by content; columns: {columns})",
    "json_field": "counted JSON field {field!r}",
    "nested_values_joined": "column {column!r} holds lists or records: each row's values are counted joined by newlines",
    "sheet_dimension_wrong": "the sheet declares the range {declared}, but it has cells up to {actual}; every row was read",
    "quote_merged_rows": "line {line}: a quoted field runs to line {last} and text follows its closing quote: "
                         "rows may have been merged; check the quotes",
    # API request files (ingest/requests.py, pricing/requests.py)
    "request_no_messages": "line {line} is not a chat request: it has no messages",
    "request_bad_message": "line {line}: message {index} is not an object with a role",
    "request_no_body": "line {line} is a Batch API line without a request body",
    "request_endpoint": "line {line} calls {url}; only /v1/chat/completions requests are priced",
    "request_unknown_model": "line {line} names model {model!r}, which the price catalog does not have",
    "image_not_measured": "line {line}: an image at a remote URL cannot be measured offline; assumed {width}x{height}",
    "image_url_not_accepted": "line {line}: the image URL {url!r} is not one the API accepts (only https: and data: "
                              "URLs); it was not opened, its size is assumed {width}x{height}",
    # Why a request's count is an estimate (tokenizers/chat.py) and per-request flags (pricing/requests.py)
    "estimate_family_rules": "message overhead counted with the gpt-4o rules (the cookbook does not cover this model)",
    "estimate_tool_calls": "tool calls inside messages counted as their JSON text",
    "estimate_unknown_part": "content parts of an unknown type counted as their JSON text",
    "estimate_image_size": "image size assumed: a remote URL cannot be measured offline",
    "estimate_image_rules": "image tokens counted with the gpt-4o tile rules (no published rule for this model)",
    "estimate_patch_rounding": "image patches times the model's multiplier: OpenAI's rounding is not stated",
    "estimate_chat_frame": "chat overhead: the tokenizer's frame for one user message, stated for that request shape "
                           "only (other messages counted as their text alone)",
    "estimate_no_chat_overhead": "no chat overhead is stated for this tokenizer: the messages' text alone is counted",
    "estimate_tools_as_text": "tool definitions counted as their JSON text (no rule for this vendor)",
    "flag_context_overflow": "the prompt plus the maximum output is more than the model's context window",
    "flag_max_output_above_limit": "asks for more output tokens than the model can give",
    "flag_estimated_count": "part of this count is an estimate",
    "flag_no_batch_price": "the model has no Batch API price: priced at the standard rate",
    "flag_image_url_not_accepted": "the image URL is not one the API accepts: not opened, its size assumed",
}

# Characters that a notice shows as "[U+XXXX]" instead of obeying: C0/C1 controls (a newline
# would fake a line of its own, ESC starts a terminal sequence) and the bidirectional overrides,
# embeddings, isolates and marks ("invoice_\u202efdp.exe" reads "invoice_exe.pdf").
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """``text`` (a file name, a cell, a URL from the user) with every control and bidi character
    written as "[U+XXXX]": for a notice on a page or a terminal (JSON keeps the text as it is)."""
    return _HIDDEN.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


# Codes that describe how a source was read rather than something left out.
NOTE_CODES = frozenset({"encoding_used", "header_only", "empty_list", "column_chosen", "json_field",
                        "nested_values_joined", "sheet_dimension_wrong", "quote_merged_rows"})


@dataclass(frozen=True)
class Problem:
    """Something that could not be read, or a note on how it was read.

    ``code`` is a key of MESSAGES (and of the app's message catalog); ``params`` fill it in.
    """

    code: str
    where: str
    params: Mapping[str, object] = field(default_factory=dict)

    @property
    def is_note(self) -> bool:
        """True for a note on how a source was read, False for something not read."""
        return self.code in NOTE_CODES

    def row(self) -> dict[str, str]:
        """This problem as plain data: {where, why (the English sentence), code}."""
        return {"where": self.where, "why": self.message(), "code": self.code}

    def message(self) -> str:
        """The English sentence for this problem."""
        template = MESSAGES.get(self.code, self.code)
        try:
            return template.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return template


@dataclass
class Corpus:
    """Documents read from one or more sources, with what was skipped and how it was read."""

    documents: list[Document] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)

    def extend(self, other: Corpus) -> None:
        self.documents.extend(other.documents)
        self.skipped.extend(other.skipped)
        self.notes.extend(other.notes)

    def add(self, problem: Problem) -> None:
        """File ``problem`` under notes or skipped, by its code."""
        (self.notes if problem.is_note else self.skipped).append(problem)

    def groups(self) -> list[str | None]:
        return [d.group for d in self.documents]
