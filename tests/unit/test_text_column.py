"""Choosing a table's text column by content: the scorer on small tables, then reading whole files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from ingest import ReadOptions, choose_text_column, profile_columns, read_bytes
from ingest.tables import CHOICE_ROWS

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest"

REVIEWS = [
    "Great product, arrived on time and works well.",
    "Too slow, and it broke after two days.",
    "Would buy again! 很好用",
    "The colour is not what the picture shows.",
    "Fine for the price; the manual is useless.",
    "Five stars, my kids love it.",
]


def kinds(header, rows) -> dict[str, str]:
    return {p.name: p.kind for p in profile_columns(header, rows)}


@pytest.mark.parametrize(
    ("first", "cells", "kind"),
    [
        ("id", [str(i) for i in range(1, 7)], "id"),
        ("order", ["A-1023", "A-1024", "B-0007", "ORD_00012", "ORD_00013", "X-9"], "id"),
        ("uuid", ["550e8400-e29b-41d4-a716-44665544000" + str(i) for i in range(6)], "id"),
        ("sha", ["d41d8cd98f00b204e9800998ecf8427" + c for c in "abcdef"], "id"),
        ("created", ["2024-01-02", "2024/01/03", "04.01.2024", "2024年1月5日", "2024-01-06T10:30:00Z", "1/7/2024"],
         "date"),
        ("when", ["2024-01-02 10:30", "2024年1月2日 10:30", "10:45", "11:02:03 PM", "Jan 2, 2024", "2 January 2024"],
         "date"),
        ("link", ["https://example.com/a", "http://x.org/?q=1", "www.example.com", "ann@example.com",
                  "C:\\Users\\ann\\review.txt", "/var/log/app.log"], "url"),
        ("price", ["1,234.50", "$12", "€ 3,50", "12%", "-7", "¥1 200"], "number"),
    ],
)
def test_a_first_column_that_is_not_text_loses_to_the_reviews(first, cells, kind):
    header = [first, "review", "lang"]
    rows = [[cell, review, "en"] for cell, review in zip(cells, REVIEWS)]
    choice = choose_text_column(header, rows)
    assert (choice.column, choice.index) == ("review", 1)
    assert kinds(header, rows) == {first: kind, "review": "text", "lang": "category"}
    assert choice.looks_wrong(first) == kind
    assert choice.looks_wrong("review") is None and choice.looks_wrong("lang") is None
    assert choice.is_text


def test_a_category_column_does_not_beat_a_long_text_column():
    header = ["lang", "channel", "text"]
    rows = [[lang, channel, review] for lang, channel, review in zip("en hi en hi en hi".split(),
                                                                    ["web", "app", "web", "store", "app", "web"],
                                                                    REVIEWS)]
    choice = choose_text_column(header, rows)
    assert choice.column == "text"
    profiles = {p.name: p for p in choice.profiles}
    assert profiles["lang"].kind == profiles["channel"].kind == "category"
    assert profiles["text"].score > 2 * max(profiles["lang"].score, profiles["channel"].score)


def test_only_numbers_picks_the_best_of_the_rest_and_says_it_is_not_text():
    header = ["id", "stars", "price", "empty"]
    rows = [["1", "5", "12.50", ""], ["2", "1", "3.00", ""], ["3", "4", "8.25", "NA"]]
    choice = choose_text_column(header, rows)
    # Nothing is text: every column with values scores alike, the leftmost wins; an empty one never does.
    assert (choice.column, choice.index) == ("id", 0)
    assert not choice.is_text
    assert kinds(header, rows) == {"id": "id", "stars": "number", "price": "number", "empty": "empty"}
    assert [choice.looks_wrong(c) for c in header] == ["id", "number", "number", "empty"]
    assert choose_text_column(["empty", "n"], [["", "7"], ["null", "9"]]).column == "n"


def test_a_one_column_table_picks_it_whatever_it_holds():
    assert choose_text_column(["id"], [["1"], ["2"]]).column == "id"
    assert choose_text_column(["review"], []).column == "review"


def test_chinese_text_is_text():
    header = ["编号", "评论", "语言"]
    rows = [
        ["1001", "这个产品很好，价格也便宜", "中文"],
        ["1002", "质量一般，物流太慢", "中文"],
        ["1003", "客服回复及时，下次还会再买", "中文"],
    ]
    choice = choose_text_column(header, rows)
    assert choice.column == "评论"
    review = choice.profile("评论")
    assert review.kind == "text" and review.letters > 0.8  # CJK characters are letters
    assert choice.looks_wrong("编号") == "id"


def test_ties_go_to_the_leftmost_and_the_choice_is_deterministic():
    header = ["a", "b", "c"]
    rows = [["same words here", "same words here", "1"], ["other words", "other words", "2"]]
    first = choose_text_column(header, rows)
    assert (first.column, first.index) == ("a", 0)
    assert first.profiles[0].score == first.profiles[1].score
    assert choose_text_column(header, rows) == first


def test_a_repeated_column_name_is_chosen_at_its_first_place_only():
    header = ["note", "id", "note"]
    rows = [["ok", "1", "a much longer text than the first one"], ["fine", "2", "and another long sentence"]]
    choice = choose_text_column(header, rows)
    assert (choice.column, choice.index) == ("note", 0)  # the name reads the first "note"


def test_excluded_columns_are_chosen_only_when_nothing_else_is_left():
    header = ["id", "comment", "topic"]
    rows = [["1", "short", "a long topic label with words"], ["2", "tiny", "another long topic label"]]
    assert choose_text_column(header, rows).column == "topic"
    assert choose_text_column(header, rows, exclude=["topic"]).column == "comment"
    assert choose_text_column(["topic"], [["x"]], exclude=["topic"]).column == "topic"


def test_missing_cells_count_as_empty_and_an_empty_header_is_an_error():
    (profile,) = profile_columns(["text"], [["hello there"], [], ["NA"], ["general kenobi"]])
    assert (profile.filled, profile.text_share, profile.mean_length) == (0.5, 1.0, 12.5)
    with pytest.raises(ValueError):
        choose_text_column([], [])


# --- reading whole tables -------------------------------------------------------------------

def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode(encoding)


ID_FIRST = [["id", "review", "language", "channel"]] + [
    [str(1000 + i), REVIEWS[i % len(REVIEWS)], "en" if i % 3 else "hi", ["web", "app"][i % 2]] for i in range(300)
]


def test_an_id_first_csv_is_counted_on_its_review_column():
    data = csv_bytes(ID_FIRST)
    corpus = read_bytes("reviews.csv", data)
    assert [d.text for d in corpus.documents] == [r[1] for r in ID_FIRST[1:]]  # past the first CHOICE_ROWS too
    assert len(corpus.documents) == 300 > CHOICE_ROWS
    assert corpus.documents[0].source == "reviews.csv:2"
    chosen = [p for p in corpus.notes if p.code == "column_chosen"]
    assert [(p.where, dict(p.params)) for p in chosen] == [
        ("reviews.csv", {"column": "review", "columns": "id, review, language, channel"})
    ]
    assert chosen[0].message() == "counted column 'review' (chosen by content; columns: id, review, language, channel)"
    assert corpus.skipped == []


def test_a_named_column_is_read_as_named_without_a_note():
    corpus = read_bytes("reviews.csv", csv_bytes(ID_FIRST), ReadOptions(column="id"))
    assert [d.text for d in corpus.documents][:2] == ["1000", "1001"]
    assert "column_chosen" not in [p.code for p in corpus.notes]


def test_the_group_column_is_not_chosen_as_the_text():
    header = ["id", "topic", "note"]
    rows = [[str(i), f"a long topic label number {i}", "ok"] for i in range(5)]
    corpus = read_bytes("t.csv", csv_bytes([header, *rows]), ReadOptions(group_by="topic"))
    assert [d.text for d in corpus.documents] == ["ok"] * 5
    assert corpus.groups() == [r[1] for r in rows]


def test_ragged_rows_and_unclosed_quotes_are_still_reported_in_order():
    data = (
        "id,review,lang\n"
        "1,Great product and fast delivery,en\n"
        "2,too,many,fields\n"
        "3,It broke after a week,en\n"
        "4\n"
        '5,"never closed,en\n'
        "6,swallowed by the quote,en\n"
    ).encode()
    corpus = read_bytes("r.csv", data)
    assert [d.text for d in corpus.documents] == ["Great product and fast delivery", "It broke after a week"]
    assert [(p.code, p.where) for p in corpus.skipped] == [
        ("ragged_row", "r.csv:3"), ("ragged_row", "r.csv:5"), ("unclosed_quote", "r.csv:6")
    ]
    assert [p.code for p in corpus.notes] == ["encoding_used", "column_chosen"]


def test_rows_before_a_row_the_reader_gives_up_on_are_still_counted():
    limit = csv.field_size_limit()
    csv.field_size_limit(40)
    try:
        rows = "".join(f"{i},review number {i}\n" for i in range(60))  # past the lines the delimiter is sniffed on
        corpus = read_bytes("a.csv", f"id,text\n{rows}60,{'x' * 50}\n61,after\n".encode())
    finally:
        csv.field_size_limit(limit)
    assert [d.text for d in corpus.documents] == [f"review number {i}" for i in range(60)]
    assert [(p.code, p.where) for p in corpus.skipped] == [("unreadable", "a.csv:62")]


def test_a_header_only_table_gets_no_choice_note():
    assert [p.code for p in read_bytes("a.csv", b"id,text\n").notes] == ["encoding_used", "header_only"]


def test_an_id_first_workbook_is_counted_on_its_text_column():
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["编号", "评论", "日期"])
    texts = ["这个产品很好，价格也便宜", "质量一般，物流太慢", "客服回复及时，下次还会再买"]
    for i, text in enumerate(texts):
        sheet.append([1001 + i, text, f"2024-01-0{i + 1}"])
    sheet.append([1004])  # trailing cells left empty, as Excel does
    buffer = io.BytesIO()
    book.save(buffer)
    corpus = read_bytes("反馈.xlsx", buffer.getvalue())
    assert [d.text for d in corpus.documents] == [*texts, ""]
    assert [dict(p.params) for p in corpus.notes if p.code == "column_chosen"] == [
        {"column": "评论", "columns": "编号, 评论, 日期"}
    ]
    assert corpus.skipped == []


def test_the_gbk_excel_export_picks_its_chinese_text_column():
    corpus = read_bytes("export.csv", (FIXTURES / "excel_export_gbk.csv").read_bytes())
    assert [d.text for d in corpus.documents] == ["这个产品很好，价格也便宜", "质量一般, 物流太慢", "NA"]
    assert [dict(p.params) for p in corpus.notes if p.code == "column_chosen"] == [
        {"column": "评论", "columns": "评论, 评分, 渠道"}
    ]


def test_a_gbk_export_with_the_id_first_picks_the_comment_column():
    rows = [
        ["编号", "评论", "语言"],
        ["1", "价格太贵了，但是质量很好。", "中文"],
        ["2", "物流很快，包装完好！", "中文"],
        ["3", "客服回复及时", "中文"],
    ]
    corpus = read_bytes("导出.csv", csv_bytes(rows, "gbk"))
    assert [d.text for d in corpus.documents] == [r[1] for r in rows[1:]]
    assert [dict(p.params) for p in corpus.notes if p.code == "encoding_used"] == [{"encoding": "gb18030"}]


def test_the_cli_counts_the_text_column_of_an_id_first_csv(tmp_path):
    import json

    import cli
    import tiktoken

    path = tmp_path / "reviews.csv"
    path.write_bytes(csv_bytes(ID_FIRST))
    out = io.StringIO()
    assert cli.main(["estimate", str(path), "--format", "json", "--models", "gpt-4o"], out) == 0
    report = json.loads(out.getvalue())
    texts = [r[1] for r in ID_FIRST[1:]]
    expected = {e: sum(len(tiktoken.get_encoding(e).encode_ordinary(t)) for t in texts)
                for e in ("o200k_base", "cl100k_base")}
    assert (report["documents"], report["skipped"], report["tokens"]) == (300, [], expected)
    assert report["models"][0]["input_tokens"] == expected["o200k_base"]
    ids_only = sum(len(tiktoken.get_encoding("o200k_base").encode_ordinary(r[0])) for r in ID_FIRST[1:])
    assert expected["o200k_base"] > 3 * ids_only  # not the id column's count


def test_only_the_first_columns_of_a_very_wide_table_are_profiled():
    from ingest.text_column import PROFILED_COLUMNS

    header = [f"c{i}" for i in range(PROFILED_COLUMNS + 10)]
    row = ["12"] * (PROFILED_COLUMNS + 9) + ["words of a review, far to the right"]
    choice = choose_text_column(header, [row, row])
    assert len(choice.profiles) == PROFILED_COLUMNS
    assert choice.column == "c0" and not choice.is_text  # numbers everywhere it looked
    assert choice.profile(header[-1]) is None and choice.looks_wrong(header[-1]) is None


def test_choosing_among_many_columns_meets_the_checkpoint(monkeypatch):
    """The time limit and a closed page's stop reach the column choice (a million columns once
    kept a core busy for 22 minutes after its page was closed)."""
    import pytest

    import ingest.limits

    class Closed(BaseException):
        pass

    calls = []

    def closed():
        calls.append(1)
        raise Closed

    monkeypatch.setattr(ingest.limits, "CHECK_SECONDS", 0.0)  # every look at the limits calls the checkpoint
    header = [f"c{i}" for i in range(3_000)]
    with pytest.raises(Closed), ingest.limits.within(ingest.limits.ReadLimits(), closed):
        choose_text_column(header, [[f"value {i}" for i in range(3_000)]])
    assert calls == [1]


def test_messages_list_the_first_fifty_column_names():
    header = [f"c{i}" for i in range(60)]
    data = (",".join(header) + "\n" + ",".join(["words here"] * 60) + "\n").encode()
    corpus = read_bytes("wide.csv", data, ReadOptions(column="nope"))
    listed = ", ".join(header[:50]) + ", …"
    assert [p.message() for p in corpus.skipped] == [f"no column 'nope'; the columns are: {listed}"]
    chosen = [p.params["columns"] for p in read_bytes("wide.csv", data).notes if p.code == "column_chosen"]
    assert chosen == [listed]
