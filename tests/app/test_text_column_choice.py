"""An uploaded table is counted on its text column by default, with a preview and a warning
when the column picked looks like ids, numbers, dates or links (AppTest, both UI languages)."""

from __future__ import annotations

import csv
import io

import pytest

from tokenizers import get_encoding
from ui.formatting import format_tokens

QUERY = {"date": "2025-01-15", "req": "1000", "out_tokens": "200"}
REVIEWS = [
    "Great product, arrived on time and works well.",
    "Too slow, and it broke after two days.",
    "Would buy again! 很好用",
    "The colour is not what the picture shows.",
    "Fine for the price; the manual is useless.",
    "Five stars, my kids love it.",
    "价格太贵了，但是质量很好。",
]
ROWS = [["id", "review", "language", "channel"]] + [
    [str(1000 + i), text, "zh" if any("\u4e00" <= c <= "\u9fff" for c in text) else "en", ["web", "app"][i % 2]]
    for i, text in enumerate(REVIEWS)
]
NAME = "reviews.csv"
# Per language: the tokens card, "chosen by content" caption, "your choice" caption, the id warning.
SHOWN = {
    "en": ("Tokens (o200k_base, exact)", "Counting column “review” (chosen by content)",
           "Counting column “id” (your choice)",
           "Column “id” looks like IDs, not text. The text seems to be in “review”."),
    "zh": ("Token 数（o200k_base，精确）", "统计“review”列（按内容自动选择）", "统计“id”列（你选择的）",
           "“id”列看起来是编号，而不是文本。文本似乎在“review”列中。"),
}


def n(text: str) -> int:
    return len(get_encoding("o200k_base").encode_ordinary(text))


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def preview(at):
    return next(df.value for df in at.dataframe if any(str(c).startswith("▶ ") for c in df.value.columns))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_id_first_csv_counts_its_review_column_and_warns_when_the_ids_are_picked(open_app, lang):
    tokens_label, chosen_caption, yours_caption, id_warning = SHOWN[lang]
    at = open_app({**QUERY, "lang": lang})
    at.file_uploader(key="estimate_files").set_value([(NAME, csv_bytes(ROWS), "text/csv")]).run()
    assert not at.exception, at.exception
    column = at.selectbox(key=f"column_0_{NAME}")
    assert (column.value, column.options) == ("review", ["id", "review", "language", "channel"])
    assert metrics(at)[tokens_label] == format_tokens(sum(n(text) for text in REVIEWS))
    shown = preview(at)
    # The counted column first (at 390 px the others run off the screen), the rest in file order.
    assert list(shown.columns) == ["▶ review", "id", "language", "channel"]
    assert shown.values.tolist() == [[row[1], row[0], *row[2:]] for row in ROWS[1:6]]
    assert chosen_caption in [c.value for c in at.caption]
    assert not at.warning

    column.set_value("id").run()
    assert not at.exception, at.exception
    assert metrics(at)[tokens_label] == format_tokens(sum(n(row[0]) for row in ROWS[1:]))
    assert list(preview(at).columns) == ["▶ id", "review", "language", "channel"]
    assert yours_caption in [c.value for c in at.caption]
    assert [w.value for w in at.warning] == [id_warning]

    at.selectbox(key=f"column_0_{NAME}").set_value("language").run()  # a category: text, no warning
    assert not at.warning


def test_a_table_without_text_warns_that_no_column_looks_like_text(open_app):
    at = open_app({**QUERY, "lang": "en"})
    data = b"order,placed,total\n1,2024-01-02,$12.00\n2,2024-01-03,$7.50\n3,2024-01-05,$3.25\n"
    at.file_uploader(key="estimate_files").set_value([("orders.csv", data, "text/csv")]).run()
    assert at.selectbox(key="column_0_orders.csv").value == "order"
    assert [w.value for w in at.warning] == [
        "Column “order” looks like IDs, not text. No column of this table looks like text; check that this is the "
        "right file."
    ]
    at.selectbox(key="column_0_orders.csv").set_value("placed").run()
    assert [w.value for w in at.warning][0].startswith("Column “placed” looks like dates or times, not text.")


def test_column_names_reach_the_caption_escaped_and_long_cells_are_cut(open_app):
    at = open_app({**QUERY, "lang": "en"})
    long_text = "word " * 100
    data = csv_bytes([["id", "**note**"], ["1", long_text], ["2", "short words here"]])
    at.file_uploader(key="estimate_files").set_value([("notes.csv", data, "text/csv")]).run()
    assert at.selectbox(key="column_0_notes.csv").value == "**note**"
    assert r"Counting column “\*\*note\*\*” (chosen by content)" in [c.value for c in at.caption]
    cell = preview(at)["▶ **note**"][0]
    assert len(cell) == 200 and cell.endswith("…") and long_text.startswith(cell[:-1])
    assert metrics(at)["Tokens (o200k_base, exact)"] == format_tokens(n(long_text) + n("short words here"))


def test_the_app_and_the_cli_choose_the_same_column_beside_a_long_field(open_app, tmp_path):
    """One 1.5 MB field: the app chose "id" (its preview read 1 MB) while the CLI counted "text"."""
    import json

    import cli

    field = "many words of text " * 80_000
    data = csv_bytes([["id", "text"], ["1", field], ["2", "short words here"]])
    at = open_app({**QUERY, "lang": "en"})
    at.file_uploader(key="estimate_files").set_value([("long.csv", data, "text/csv")]).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="column_0_long.csv").value == "text"
    tokens = n(field) + n("short words here")
    assert metrics(at)["Tokens (o200k_base, exact)"] == format_tokens(tokens)
    (tmp_path / "long.csv").write_bytes(data)
    out = io.StringIO()
    assert cli.main(["estimate", str(tmp_path / "long.csv"), "--format", "json"], out=out) == 0
    report = json.loads(out.getvalue())
    assert [s["column"] for s in report["sources"]] == ["text"]
    assert report["tokens"]["o200k_base"] == tokens


def test_the_languages_page_chooses_the_text_column_too(open_app):
    at = open_app({"lang": "en"})
    at.switch_page("app_pages/languages.py").run()
    data = csv_bytes([["id", "lang", "text"], ["1", "zh", "价格是多少？"], ["2", "en", "What does it cost?"]])
    at.file_uploader(key="lang_files").set_value([("corpus.csv", data, "text/csv")]).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="lang_column_0_corpus.csv").value == "text"
    assert list(preview(at).columns) == ["▶ text", "id", "lang"]


@pytest.mark.parametrize("lang, offered, more", [
    ("en", "This table has 16,400 columns: the text column is chosen among the first 16,384, and only those are "
           "offered here (the command line's --column takes any).", "16,350 more columns are not shown here."),
    ("zh", "这个表格有 16,400 列：文本列只在前 16,384 列中选择，这里也只列出这些列（命令行的 --column 可以指定任意一列）。",
     "此处未显示另外 16,350 列。"),
])
def test_a_very_wide_table_offers_the_columns_reading_chooses_among(open_app, lang, offered, more):
    columns = 16_400
    header = [f"c{i}" for i in range(columns)]
    row = ["7"] * columns
    row[3] = "a review in several plain words"
    at = open_app({**QUERY, "lang": lang})
    at.file_uploader(key="estimate_files").set_value([("wide.csv", csv_bytes([header, row]), "text/csv")]).run()
    assert not at.exception, at.exception
    column = at.selectbox(key="column_0_wide.csv")
    assert (column.value, len(column.options)) == ("c3", 16_384)
    captions = [c.value for c in at.caption]
    assert offered in captions and more in captions
    assert list(preview(at).columns)[:2] == ["▶ c3", "c0"]
