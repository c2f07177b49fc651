"""Hostile uploads on the pages: refused within seconds, the reason in the user's language."""

from __future__ import annotations

import time

import pytest

from tests.workbook_bombs import dimension_bomb, wide_rows_bomb

DEEP = ("[" * 100_000 + "]" * 100_000).encode()


def skipped_table(at) -> dict[str, str]:
    frame = next(df.value for df in at.dataframe if "Problem" in df.value.columns or "问题" in df.value.columns)
    return dict(zip(frame.iloc[:, 0], frame.iloc[:, 1]))


@pytest.mark.parametrize(
    ("name", "data", "lang", "expected"),
    [
        ("bomb.xlsx", dimension_bomb(), "en",
         "the sheet declares the range A1:XFD1048576 (17,179,869,184 cells), more than the 30,000,000 cells this "
         "server reads, so it was not read. Save the sheet again from Excel (or as CSV) so that its range covers "
         "only its data, or count it with the command line: .venv/bin/python cli.py estimate <file>"),
        ("bomb.xlsx", dimension_bomb(), "zh",
         "该工作表声明的范围是 A1:XFD1048576（17,179,869,184 个单元格），超过本服务器可读取的 30,000,000 个单元格，"
         "因此未读取。请在 Excel 中重新保存（或另存为 CSV），使范围只覆盖有数据的区域，或用命令行统计：.venv/bin/python cli.py "
         "estimate <文件>"),
        ("wide.xlsx", wide_rows_bomb(2000), "en",
         "reading stopped after 1,000,000 cells (empty ones included: a row is as wide as its last cell), this "
         "server's limit for one file. If the sheet really is this big, save the text column as CSV or count it "
         "with the command line: .venv/bin/python cli.py estimate <file>"),
        ("deep.json", DEEP, "zh", "第 1 行嵌套过深（括号超过 200 层）"),
    ],
)
def test_a_bomb_is_refused_within_seconds_with_its_reason(open_app, monkeypatch, name, data, lang, expected):
    # A lower cell limit than the default 30 million (1.5 s per read here; the browser test reads
    # the bomb at the default) keeps the suite fast; it is read from the environment as deployed.
    monkeypatch.setenv("LLMCOST_READ_CELLS", "1000000")
    at = open_app({"lang": lang})
    started = time.monotonic()
    at.file_uploader(key="estimate_files").set_value([(name, data, "application/octet-stream")]).run()
    assert time.monotonic() - started < 15
    assert not at.exception, at.exception
    table = skipped_table(at)
    where = f"{name}:1" if name.endswith(".json") else name
    assert table == {where: expected}


def test_an_upload_too_big_for_the_servers_memory_gets_the_command_to_use_instead(open_app, monkeypatch):
    monkeypatch.setenv("LLMCOST_MEMORY_MB", "1")  # a server with 1 MB to spare: nothing fits
    at = open_app({"lang": "en"})
    data = ("some words to count\n" * 15_000).encode()  # 300 kB: needs 1.5 x 0.3 + 20 MB; the process alone passes 1 MB
    at.file_uploader(key="estimate_files").set_value([("my notes.txt", data, "text/plain")]).run()
    assert not at.exception, at.exception
    [error] = [e.value for e in at.error]
    assert error.startswith("my notes.txt is too big for this server right now: counting it here needs about 20 MB "
                            "of memory, and the server has 0.0 MB to spare (of 1.0 MB shared by everyone using this app).")
    assert [c.value for c in at.code if "cli.py" in c.value] == [".venv/bin/python cli.py estimate 'my notes.txt'"]
    assert skipped_table(at) == {"my notes.txt": "not counted: it needs about 20 MB of memory and this server has 0.0 MB "
                                                 "to spare; use the command line shown above"}
    monkeypatch.setenv("LLMCOST_MEMORY_MB", "100000")  # memory to spare again: the same upload is counted
    at.run()
    assert not at.error and {m.label: m.value for m in at.metric}["Documents"] == "1"


def test_a_small_arrow_file_that_decodes_to_a_lot_is_refused_before_it_is_read(open_app, monkeypatch):
    import io

    import pyarrow as pa
    import pyarrow.feather as feather

    from ui.memory import resident_bytes

    table = pa.table({"text": pa.array(["a" * 2**20] * 150, pa.string())})  # 150 MiB in one batch
    buffer = io.BytesIO()
    feather.write_feather(table, buffer, compression="zstd")
    data = buffer.getvalue()
    del table
    assert len(data) < 10_000
    monkeypatch.setenv("LLMCOST_MEMORY_MB", "600")  # one file's share: 300 MB; this one needs about 320
    at = open_app({"lang": "en"})
    before = resident_bytes()
    at.file_uploader(key="estimate_files").set_value([("bomb.arrow", data, "application/octet-stream")]).run()
    assert not at.exception, at.exception
    [error] = [e.value for e in at.error]
    assert error.startswith("bomb.arrow is too big for this server")
    assert [why for where, why in skipped_table(at).items() if where == "bomb.arrow"][0].startswith(
        "not counted: it needs about 32")
    assert resident_bytes() - before < 100 * 2**20  # its 150 MiB batch was never decoded, not even for a preview
