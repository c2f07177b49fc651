"""The preview of an upload: header, first rows and chosen column, read as reading will read it."""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

from ingest import ReadOptions, read_bytes, table_columns, table_preview
from ingest.columns import PREVIEW_CELL_CHARS
from ingest.tables import CHOICE_ROWS

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest"


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


ROWS = [["id", "review", "lang"]] + [[f"ORD_{i:05d}", f"Review number {i}, which says something", "en"]
                                     for i in range(1, 301)]


def test_an_id_first_csv_previews_its_first_rows_and_chooses_the_review():
    preview = table_preview("orders.csv", csv_bytes(ROWS))
    assert preview.header == ["id", "review", "lang"]
    assert preview.rows == ROWS[1:6]
    assert (preview.choice.column, preview.choice.index) == ("review", 1)
    assert preview.choice.looks_wrong("id") == "id"
    assert table_preview("orders.csv", csv_bytes(ROWS), rows=2).rows == ROWS[1:3]


def test_the_preview_chooses_what_reading_counts():
    data = csv_bytes(ROWS, "utf-16", "\t")
    preview = table_preview("orders.tsv", data)
    corpus = read_bytes("orders.tsv", data)
    assert preview.choice.column == "review"
    assert [d.text for d in corpus.documents][:5] == [r[preview.choice.index] for r in preview.rows]


def test_a_gbk_export_is_decoded_as_reading_decodes_it():
    preview = table_preview("export.csv", (FIXTURES / "excel_export_gbk.csv").read_bytes())
    assert preview.header == ["评论", "评分", "渠道"]
    assert preview.rows[1] == ["质量一般, 物流太慢", "2", "门店"]
    assert preview.choice.column == "评论"
    forced = table_preview("export.csv", (FIXTURES / "excel_export_gbk.csv").read_bytes(), ReadOptions(encoding="latin-1"))
    assert forced.header[0] == "ÆÀÂÛ"  # the chosen encoding is obeyed, mojibake and all


def test_ragged_rows_are_left_out_of_the_preview():
    data = b"id,text,lang\n1,hello there,en\n2,too,many,cells\n3\n4,fine words,en\n"
    preview = table_preview("a.csv", data)
    assert preview.rows == [["1", "hello there", "en"], ["4", "fine words", "en"]]
    assert preview.choice.column == "text"


def test_a_workbook_preview_pads_its_rows_and_obeys_the_sheet():
    preview = table_preview("reviews.xlsx", (FIXTURES / "reviews.xlsx").read_bytes())
    assert preview.header == ["review", "stars", "shop"]
    assert preview.rows[:3] == [["Great value", "5", "north"], ["Too slow, broke", "1", ""], ["", "3", "south"]]
    assert preview.choice.column == "review"
    assert table_preview("reviews.xlsx", (FIXTURES / "reviews.xlsx").read_bytes(), ReadOptions(sheet="Other")).rows == [
        ["second sheet text"]
    ]
    # Content decides, as in reading: a workbook named .csv is previewed as a workbook.
    assert table_preview("reviews.csv", (FIXTURES / "reviews_xlsx_renamed.csv").read_bytes()).header == [
        "review", "stars", "shop"
    ]


def test_an_id_first_workbook_built_here_chooses_its_text():
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["uuid", "created", "comment"])
    for i in range(4):
        book.active.append([f"550e8400-e29b-41d4-a716-44665544000{i}", f"2024-03-0{i + 1} 09:30", f"Comment {i} in words"])
    buffer = io.BytesIO()
    book.save(buffer)
    preview = table_preview("c.xlsx", buffer.getvalue())
    assert preview.choice.column == "comment"
    assert [preview.choice.looks_wrong(c) for c in preview.header] == ["id", "date", None]


def test_what_is_not_a_table_previews_empty():
    for name, data, options in [
        ("photo.csv", (FIXTURES / "image_renamed.csv").read_bytes(), ReadOptions()),
        ("notes.txt", b"plain text", ReadOptions()),
        ("a.csv", b"", ReadOptions()),
        ("a.csv", b"x,y\n1,2\n", ReadOptions(encoding="klingon")),
        ("reviews.xlsx", (FIXTURES / "reviews.xlsx").read_bytes(), ReadOptions(sheet="Nope")),
        ("a.csv", b'"never closed,x\n1,2\n', ReadOptions()),
    ]:
        preview = table_preview(name, data, options)
        assert (preview.header, preview.rows, preview.choice) == ([], [], None), name


# One 1.5 MB field: the row holding it ended past the 1 MB the preview used to read, so the
# preview chose "id" while reading (the CLI, the count) chose "text".
LONG_FIELD = "many words of text " * 80_000
LONG_ROWS = [["id", "text"], ["1", LONG_FIELD], ["2", "short words here"]]


def chosen_by_reading(name, data):
    return [n.params["column"] for n in read_bytes(name, data).notes if n.code == "column_chosen"]


def test_the_preview_chooses_from_the_rows_reading_chooses_from_however_long():
    data = csv_bytes(LONG_ROWS)
    assert len(data) > 1 << 20
    preview = table_preview("long.csv", data)
    assert preview.choice.column == "text" and chosen_by_reading("long.csv", data) == ["text"]
    # The rows kept for showing are cut (the cache holds them), the choice was made on the whole cells.
    assert preview.rows == [["1", LONG_FIELD[:PREVIEW_CELL_CHARS]], ["2", "short words here"]]
    packed = gzip.compress(data)
    assert table_preview("long.csv.gz", packed).choice.column == "text" == chosen_by_reading("long.csv.gz", packed)[0]


def test_the_preview_reads_no_more_than_the_rows_the_choice_needs():
    cell = "word " * 1200  # 6 KB a row
    rows = [["n", "text"]] + [[str(i), f"{i} {cell}"] for i in range(400)]
    preview = table_preview("big.csv", csv_bytes(rows), rows=CHOICE_ROWS)
    assert preview.rows == [[n, text[:PREVIEW_CELL_CHARS]] for n, text in rows[1 : CHOICE_ROWS + 1]]
    assert preview.choice.column == "text"


def test_table_columns_lists_each_name_once():
    assert table_columns("a.csv", b"note,id,note\nx,1,y\n") == ["note", "id"]
    assert table_columns("reviews.xlsx", (FIXTURES / "reviews.xlsx").read_bytes()) == ["review", "stars", "shop"]
    assert table_columns("a.csv", b"") == []
