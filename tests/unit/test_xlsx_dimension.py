"""A workbook whose declared range (``<dimension ref>``) is wrong is still read whole, and the
mismatch is said: some tools write ``A1:A2`` over a sheet of many rows and columns."""

from __future__ import annotations

import io
import json
import re
import zipfile

import openpyxl

import cli
from ingest import read_bytes, table_preview
from tokenizers import get_encoding

TEXTS = [f"review number {i}, in words" for i in range(5)]


def workbook(dimension: str | None, texts: list[str] = TEXTS) -> bytes:
    """An xlsx of a header and one row per text (id, review, shop), its <dimension ref> set to
    ``dimension`` (None: the element removed)."""
    book = openpyxl.Workbook()
    book.active.append(["id", "review", "shop"])
    for i, text in enumerate(texts):
        book.active.append([i + 1, text, "north" if i % 2 else "south"])
    buffer = io.BytesIO()
    book.save(buffer)
    return with_dimension(buffer.getvalue(), dimension)


def with_dimension(data: bytes, dimension: str | None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            content = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                replacement = b"" if dimension is None else f'<dimension ref="{dimension}"/>'.encode()
                content, found = re.subn(rb"<dimension [^>]*/>", replacement, content)
                assert found == 1
            zout.writestr(item, content)
    return out.getvalue()


def test_every_row_is_read_whatever_the_declared_dimension():
    corpus = read_bytes("book.xlsx", workbook("A1:A2"))
    assert [d.text for d in corpus.documents] == TEXTS
    assert [d.source for d in corpus.documents] == [f"book.xlsx:{n}" for n in range(2, 7)]
    assert corpus.skipped == []
    wrong = [p for p in corpus.notes if p.code == "sheet_dimension_wrong"]
    assert [(p.where, p.message()) for p in wrong] == [
        ("book.xlsx", "the sheet declares the range A1:A2, but it has cells up to C6; every row was read")
    ]


def test_a_one_cell_dimension_is_not_a_header_without_rows():
    corpus = read_bytes("book.xlsx", workbook("A1"))
    assert [d.text for d in corpus.documents] == TEXTS
    assert [p.message() for p in corpus.notes if p.code == "sheet_dimension_wrong"] == [
        "the sheet declares the range A1:A1, but it has cells up to C6; every row was read"
    ]


def test_a_right_or_missing_dimension_gives_no_note():
    for dimension in ("A1:C6", "A1:Z1000", None):
        corpus = read_bytes("book.xlsx", workbook(dimension))
        assert [d.text for d in corpus.documents] == TEXTS, dimension
        assert [p.code for p in corpus.notes] == ["column_chosen"], dimension


def test_the_preview_sees_every_column_and_row():
    preview = table_preview("book.xlsx", workbook("A1:A2"))
    assert preview.header == ["id", "review", "shop"]
    assert [row[1] for row in preview.rows] == TEXTS
    assert preview.choice.column == "review"


def test_the_cli_counts_every_row(tmp_path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(workbook("A1:A2"))
    out = io.StringIO()
    assert cli.main(["estimate", str(path), "--format", "json", "--as-of", "2026-11-23"], out=out) == 0
    report = json.loads(out.getvalue())
    assert report["documents"] == 5
    assert report["skipped"] == []
    assert [n["code"] for n in report["notes"]] == ["sheet_dimension_wrong"]
    assert report["notes"][0]["why"].startswith("the sheet declares the range A1:A2, but it has cells up to")
    encoding = get_encoding("o200k_base")
    assert report["tokens"]["o200k_base"] == sum(len(encoding.encode_ordinary(t)) for t in TEXTS)
    table = io.StringIO()
    assert cli.main(["estimate", str(path), "--as-of", "2026-11-23"], out=table) == 0
    assert f"note {path}: the sheet declares the range A1:A2" in table.getvalue()

