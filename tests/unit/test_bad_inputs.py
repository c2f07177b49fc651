"""What users really bring: each case is a file a person could upload, and what they would expect.

Every case asserts the exact documents (and their token counts against tiktoken's
``encode_ordinary``), the exact problems (code and location) and, for text, the encoding used.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ingest import MESSAGES, ReadOptions, read_bytes
from tokenizers import SUPPORTED_ENCODINGS, count_tokens, get_encoding

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@dataclass
class Case:
    name: str
    data: bytes
    texts: list[str]
    problems: list[tuple[str, str]] = field(default_factory=list)
    encoding: str | None = None
    options: ReadOptions = ReadOptions()
    params: dict | None = None  # the params of the first problem, when they matter
    groups: list[str | None] | None = None


def zip_of(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


ZH_UTF8 = "这是一段很长的中文文本，用来测试编码。" * 5
LONG_CELL = "word " * 40_000  # 200 KB: over the csv module's default 128 KB field limit

CASES = {
    # --- text encodings -------------------------------------------------------------------
    "utf8": Case("a.txt", "héllo 世界\n".encode(), ["héllo 世界\n"], encoding="utf-8"),
    "utf8_bom": Case("a.txt", b"\xef\xbb\xbfhello\n", ["hello\n"], encoding="utf-8-sig"),
    "utf16le_bom": Case(
        "notes.txt", fixture("notes_utf16le_bom.txt"),
        ["Meeting notes — 会议记录\r\nNext: ship v2 🚀\r\n"], encoding="utf-16",
    ),
    "utf16be_bom": Case("notes.txt", fixture("notes_utf16be_bom.txt"), ["Meeting notes — 会议记录\n"], encoding="utf-16"),
    "utf16le_no_bom": Case("a.txt", "plain ASCII in UTF-16\n".encode("utf-16-le"), ["plain ASCII in UTF-16\n"], encoding="utf-16-le"),
    "gbk_short": Case("a.txt", "你好世界".encode("gbk"), ["你好世界"], encoding="gb18030"),
    "big5": Case("a.txt", fixture("traditional_big5.txt"), ["這是繁體中文的測試資料，價格很便宜。"], encoding="big5"),
    "shift_jis": Case(
        "a.txt", fixture("japanese_shift_jis.txt"), ["これは日本語のテキストです。価格は安いです。"], encoding="shift_jis"
    ),
    "cp1252": Case("a.txt", fixture("french_cp1252.txt"), ["Ça coûte 5 € — voilà « très » cher.\r\n"], encoding="cp1252"),
    "latin1_german": Case("a.txt", "Größe: groß".encode("latin-1"), ["Größe: groß"], encoding="cp1252"),
    "override_encoding": Case(
        "a.txt", "你好".encode("gbk"), ["ÄãºÃ"], encoding="cp1252", options=ReadOptions(encoding="cp1252")
    ),
    "override_utf8_keeps_bom_out": Case(
        "a.txt", b"\xef\xbb\xbfhi", ["hi"], encoding="utf-8-sig", options=ReadOptions(encoding="UTF8")
    ),
    "override_utf16_without_bom": Case(
        "a.txt", "hi 你好".encode("utf-16-le"), ["hi 你好"], encoding="utf-16-le", options=ReadOptions(encoding="UTF-16")
    ),
    "unknown_encoding": Case(
        "a.txt", b"hi", [], [("unknown_encoding", "a.txt")], options=ReadOptions(encoding="klingon"),
        params={"encoding": "klingon"},
    ),
    "invalid_utf8_byte": Case(
        "a.txt", ZH_UTF8.encode() + b"\xff" + "结尾".encode(), [ZH_UTF8 + "\ufffd结尾"],
        [("invalid_bytes", "a.txt")], encoding="utf-8", params={"encoding": "utf-8", "count": 1},
    ),
    "utf8_cut_mid_character": Case(
        "a.txt", ZH_UTF8.encode() + "中".encode()[:2], [ZH_UTF8 + "\ufffd\ufffd"],
        [("invalid_bytes", "a.txt")], encoding="utf-8", params={"encoding": "utf-8", "count": 2},
    ),
    # --- CSV / TSV --------------------------------------------------------------------------
    "excel_gbk_csv": Case(
        "export.csv", fixture("excel_export_gbk.csv"),
        ["这个产品很好，价格也便宜", "质量一般, 物流太慢", "NA"], encoding="gb18030",
        options=ReadOptions(group_by="渠道"), groups=["线上", "门店", "线上"],
    ),
    "na_null_empty_cells": Case(
        "a.csv", b"text,n\nNA,1\nnull,2\n,3\nNaN,4\n", ["NA", "null", "", "NaN"], options=ReadOptions(column="text")
    ),
    "semicolon_csv": Case(
        "a.csv", b"name;comment\nBob;Hi, there\nAnn;1,5 kg\n", ["Hi, there", "1,5 kg"], options=ReadOptions(column="comment")
    ),
    "tsv": Case("a.tsv", b"id\ttext\n1\thello, world; ok\n", ["hello, world; ok"], options=ReadOptions(column="text")),
    "tab_delimited_named_csv": Case("a.csv", b"id\ttext\n1\tone\n2\ttwo\n", ["one", "two"], options=ReadOptions(column="text")),
    "one_column_with_commas": Case(
        "a.csv", b"review\nGreat, loved it\nBad; broke, twice\n", ["Great, loved it", "Bad; broke, twice"]
    ),
    "quoted_newlines_and_quotes": Case(
        "a.csv", b'text,n\n"line one\nline two",1\n"she said ""hi""",2\n', ['line one\nline two', 'she said "hi"']
    ),
    "crlf_rows": Case("a.csv", b"text,n\r\nfirst,1\r\nsecond,2\r\n", ["first", "second"]),
    "blank_lines_between_rows": Case("a.csv", b"text,n\n\nfirst,1\n\n\nsecond,2\n\n", ["first", "second"]),
    "ragged_rows": Case(
        "a.csv", b"text,n\nok,1\ntoo,many,3\nshort\nfine,4\n", ["ok", "fine"],
        [("ragged_row", "a.csv:3"), ("ragged_row", "a.csv:4")], params={"line": 3, "found": 3, "expected": 2},
    ),
    "ragged_after_quoted_newline": Case(
        "a.csv", b'text,n\n"a\nb",1\nbad\n', ["a\nb"], [("ragged_row", "a.csv:4")]
    ),
    "field_over_128kb": Case("a.csv", ("text,n\n" + LONG_CELL + ",1\n").encode(), [LONG_CELL]),
    "header_only": Case("a.csv", b"text,n\n", [], encoding="utf-8"),
    "missing_column": Case(
        "a.csv", b"review,stars\nok,5\n", [], [("missing_column", "a.csv")], options=ReadOptions(column="text"),
        params={"column": "text", "columns": "review, stars"},
    ),
    "unclosed_quote": Case(
        "a.csv", b'text,n\nfine,1\n"never closed,2\nmore,3\n', ["fine"], [("unclosed_quote", "a.csv:3")],
        params={"line": 3},
    ),
    # --- spreadsheets -----------------------------------------------------------------------
    "xlsx_first_sheet": Case(
        "reviews.xlsx", fixture("reviews.xlsx"), ["Great value", "Too slow, broke", "", "NA"],
        options=ReadOptions(group_by="shop"), groups=["north", "", "south", "north"],
    ),
    "xlsx_number_column": Case("reviews.xlsx", fixture("reviews.xlsx"), ["5", "1", "3", ""], options=ReadOptions(column="stars")),
    "xlsx_chosen_sheet": Case("reviews.xlsx", fixture("reviews.xlsx"), ["second sheet text"], options=ReadOptions(sheet="Other")),
    "xlsx_missing_sheet": Case(
        "reviews.xlsx", fixture("reviews.xlsx"), [], [("missing_sheet", "reviews.xlsx")],
        options=ReadOptions(sheet="Nope"), params={"sheet": "Nope", "sheets": "Reviews, Other"},
    ),
    "xlsx_damaged": Case(
        "book.xlsx", zip_of({"xl/workbook.xml": "not xml", "[Content_Types].xml": "<"}), [], [("bad_workbook", "book.xlsx")]
    ),
    "xlsx_renamed_csv": Case("reviews.csv", fixture("reviews_xlsx_renamed.csv"), ["Great value", "Too slow, broke", "", "NA"]),
    # --- JSON Lines / JSON ------------------------------------------------------------------
    "jsonl_partial_last_line": Case(
        "dump.jsonl", fixture("dump_broken_last_line.jsonl"), ["first", "second"], [("truncated_line", "dump.jsonl:3")],
        options=ReadOptions(group_by="user"), groups=["a", "b"], params={"line": 3},
    ),
    # One short non-Latin-1 letter in UTF-8 is not cp1252 mojibake ("Ā" is not "Ä€").
    "utf8_one_latin_extended_letter": Case("a.csv", "text,group\r\nĀ,x\r\n".encode(), ["Ā"], []),
    "utf8_one_cyrillic_letter": Case("a.txt", "Ж".encode(), ["Ж"], []),
    "jsonl_only_blank_lines": Case("blank.jsonl", b"\t\n\n  \r\n", [], [("empty_file", "blank.jsonl")]),
    "jsonl_not_object": Case(
        "a.jsonl", b'{"text": "a"}\n["x"]\n"y"\n{"content": "b"}\n', ["a", "b"],
        [("not_object", "a.jsonl:2"), ("not_object", "a.jsonl:3")],
    ),
    "jsonl_bad_line_in_middle": Case(
        "a.jsonl", b'{"text": "a"}\n{"text": oops}\n{"text": "c"}\n', ["a", "c"], [("bad_json", "a.jsonl:2")],
        params={"line": 2, "error": "Expecting value"},
    ),
    "jsonl_missing_field": Case(
        "a.jsonl", b'{"title": "x"}\n{"text": "y"}\n', ["y"], [("missing_field", "a.jsonl:1")],
        params={"line": 1, "fields": "text, content, prompt, body, message"},
    ),
    "jsonl_line_separator_in_string": Case(
        "a.jsonl", '{"text": "one\u2028two"}\n{"text": "three"}\n'.encode(), ["one\u2028two", "three"]
    ),
    "json_array_of_strings": Case("a.json", '["one", "二"]'.encode(), ["one", "二"]),
    "json_array_of_objects": Case(
        "a.json", b'[{"prompt": "p1", "k": 1}, {"prompt": "p2", "k": 2}]', ["p1", "p2"],
        options=ReadOptions(group_by="k"), groups=["1", "2"],
    ),
    "json_array_mixed": Case(
        "a.json", b'["ok", 3, {"x": 1}]', ["ok"], [("item_not_text", "a.json[1]"), ("item_missing_field", "a.json[2]")]
    ),
    "json_that_is_jsonl": Case("a.json", b'{"text": "a"}\n{"text": "b"}\n', ["a", "b"]),
    "json_empty_list": Case("a.json", b"[]", []),
    "json_nested_too_deeply": Case(
        "a.json", b"[" * 100_000, [], [("too_deep", "a.json:1")], params={"line": 1, "limit": 200}
    ),
    "jsonl_nested_too_deeply": Case(
        "a.jsonl", b'{"text": "ok"}\n' + b"[" * 100_000 + b"\n", ["ok"], [("too_deep", "a.jsonl:2")]
    ),
    "json_number": Case("a.json", b"42", [], [("json_not_list", "a.json")], params={"kind": "number"}),
    "json_broken": Case("a.json", b'[\n"a",\n', [], [("bad_json", "a.json:3")]),
    # --- not text ---------------------------------------------------------------------------
    "png_renamed_csv": Case("photo.csv", fixture("image_renamed.csv"), [], [("not_text", "photo.csv")], params={"kind": "PNG image"}),
    # content decides: a ZIP archive renamed .csv is read as an archive (its member a.txt)
    "zip_renamed_csv": Case("a.csv", fixture("archive_renamed.csv"), ["hello"], []),
    "pdf_renamed_txt": Case("a.txt", fixture("report_renamed.txt"), [], [("not_text", "a.txt")], params={"kind": "PDF document"}),
    "nul_bytes": Case("a.txt", b"abc\x00\x01\x02def" * 10, [], [("not_text", "a.txt")], params={"kind": "binary data"}),
    "control_bytes": Case("a.log", bytes(range(1, 32)) * 10, [], [("not_text", "a.log")], params={"kind": "binary data"}),
    "old_excel": Case("a.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), [], [("unsupported_type", "a.xls")]),
    "unknown_extension_text": Case("notes.weird", b"plain text\n", ["plain text\n"]),
    "no_extension_text": Case("README", b"# Title\n", ["# Title\n"]),
    "empty_file": Case("a.txt", b"", [], [("empty_file", "a.txt")]),
    "bom_only": Case("a.txt", b"\xef\xbb\xbf", [], [("empty_file", "a.txt")]),
    "too_large": Case(
        "a.txt", b"x" * 101, [], [("too_large", "a.txt")], options=ReadOptions(max_bytes=100),
        params={"limit": 100, "size": 101},
    ),
    # --- pathological text ------------------------------------------------------------------
    "emoji_zwj_rtl_zero_width": Case(
        "a.txt", "👩‍👩‍👧 family \u200f\u05e9\u05dc\u05d5\u05dd\u200e a\u200bb \ufeffmid\u2066x\u2069".encode(),
        ["👩‍👩‍👧 family \u200f\u05e9\u05dc\u05d5\u05dd\u200e a\u200bb \ufeffmid\u2066x\u2069"],
    ),
    "special_token_text": Case("a.txt", b"a <|endoftext|> b <|fim_prefix|>", ["a <|endoftext|> b <|fim_prefix|>"]),
    "one_letter_200kb": Case("a.txt", b"a" * 200_000, ["a" * 200_000]),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bad_input(case: Case) -> None:
    corpus = read_bytes(case.name, case.data, case.options)
    assert [d.text for d in corpus.documents] == case.texts
    assert [(p.code, p.where) for p in corpus.skipped] == case.problems
    if case.params is not None:
        assert dict(corpus.skipped[0].params) == case.params
    if case.encoding is not None:
        assert [dict(p.params) for p in corpus.notes if p.code == "encoding_used"] == [{"encoding": case.encoding}]
    if case.groups is not None:
        assert corpus.groups() == case.groups
    for document, expected in zip(corpus.documents, case.texts):
        for encoding in SUPPORTED_ENCODINGS:
            assert count_tokens(document.text, encoding) == len(get_encoding(encoding).encode_ordinary(expected))


def test_header_only_is_a_note() -> None:
    corpus = read_bytes("a.csv", b"text,n\n")
    assert corpus.documents == [] and corpus.skipped == []
    assert [p.code for p in corpus.notes] == ["encoding_used", "header_only"]


BROKEN_QUOTE = b'id,text\n1,"hello world\n2,this is fine\n3,"another "bad" quote\n'


def test_a_quote_that_merges_rows_is_counted_as_read_and_noted_with_its_lines() -> None:
    # The lenient reader closes the quote opened on line 2 at `3,"` and keeps the text after it:
    # one row, counted as read (nothing lost), with a note saying where rows may have merged.
    corpus = read_bytes("a.csv", BROKEN_QUOTE)
    assert [d.text for d in corpus.documents] == ['hello world\n2,this is fine\n3,another "bad" quote']
    assert corpus.skipped == []
    merged = [p for p in corpus.notes if p.code == "quote_merged_rows"]
    assert [(p.where, dict(p.params), p.is_note) for p in merged] == [("a.csv:2", {"line": 2, "last": 4}, True)]
    assert merged[0].message() == (
        "line 2: a quoted field runs to line 4 and text follows its closing quote: "
        "rows may have been merged; check the quotes"
    )


def test_a_merged_record_before_other_rows_is_noted_at_its_first_line() -> None:
    data = b'text,n\nok,1\n"a\nb" tail,2\nafter,3\n'
    corpus = read_bytes("a.csv", data)
    assert [d.text for d in corpus.documents] == ["ok", "a\nb tail", "after"]
    assert [(p.where, dict(p.params)) for p in corpus.notes if p.code == "quote_merged_rows"] == [
        ("a.csv:3", {"line": 3, "last": 4})
    ]


@pytest.mark.parametrize("data", [
    b'id,text\n1,"hello\nworld"\n2,fine\n',  # a newline inside a quoted field is legitimate
    b'id,text\n1,"say ""hi""\nthere"\n',  # and so are doubled quotes inside it, last row included
    b'id,text\n1,"he said ""no"""\n',  # one line: never read again
])
def test_a_quoted_field_that_reads_strictly_gets_no_note(data: bytes) -> None:
    corpus = read_bytes("a.csv", data)
    assert corpus.skipped == []
    assert [p.code for p in corpus.notes if p.code == "quote_merged_rows"] == []


def test_a_million_spaces_is_one_document_of_7813_tokens() -> None:
    # 1,000,000 spaces are one pre-token: tiktoken's encode_ordinary overflows its regex on
    # them, so the count is the one measured in the counting notes (both encodings).
    corpus = read_bytes("spaces.txt", b" " * 1_000_000)
    assert [len(d.text) for d in corpus.documents] == [1_000_000]
    assert set(corpus.documents[0].text) == {" "}
    assert [count_tokens(corpus.documents[0].text, e) for e in SUPPORTED_ENCODINGS] == [7813, 7813]


def test_every_problem_code_has_english_wording() -> None:
    corpus_codes = {code for case in CASES.values() for code, _ in case.problems}
    assert corpus_codes <= set(MESSAGES)
    for case in CASES.values():
        for problem in read_bytes(case.name, case.data, case.options).skipped:
            assert "{" not in problem.message(), problem


def test_json_empty_list_is_a_note() -> None:
    corpus = read_bytes("a.json", b"[]")
    assert (corpus.documents, corpus.skipped) == ([], [])
    assert [p.code for p in corpus.notes] == ["encoding_used", "empty_list"]


def test_the_codes_in_the_core_are_exactly_those_in_messages() -> None:
    root = Path(__file__).resolve().parents[2]
    # pricing/overrides.py reports price-table edits, a vocabulary of its own (prices.json).
    files = [p for pkg in ("ingest", "tokenizers", "pricing") for p in (root / pkg).glob("*.py")]
    source = "".join(p.read_text() for p in files if p.name != "overrides.py")
    assert set(re.findall(r'Problem\("([a-z_]+)"', source)) <= set(MESSAGES)
    # and no wording is left for a code nothing reports any more (the server's memory watch in
    # ui/memory.py stops a read with a core code too)
    reporters = source + (root / "ui" / "memory.py").read_text()
    unused = {code for code in MESSAGES if f'"{code}"' not in reporters.replace(f'    "{code}": ', "")}
    assert not {c for c in unused if not c.startswith(("flag_", "estimate_"))}, unused


def test_a_row_the_csv_reader_gives_up_on_is_reported_with_its_line() -> None:
    import csv

    limit = csv.field_size_limit()
    csv.field_size_limit(10)
    try:
        rows = "".join(f"r{i},1\n" for i in range(60))  # past the lines the delimiter is sniffed on
        corpus = read_bytes("a.csv", f"text,n\n{rows}this field is too long,2\nafter,3\n".encode())
    finally:
        csv.field_size_limit(limit)
    assert [d.text for d in corpus.documents] == [f"r{i}" for i in range(60)]
    assert [(p.code, p.where, dict(p.params)) for p in corpus.skipped] == [
        ("unreadable", "a.csv:62", {"error": "field larger than field limit (10)"})
    ]
