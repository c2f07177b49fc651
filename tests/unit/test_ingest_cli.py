"""The CLI's input reading: what it reads, what it lists as skipped, and when it gives up."""

from __future__ import annotations

import io
import json
from pathlib import Path

import cli
from tokenizers import SUPPORTED_ENCODINGS, get_encoding

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest"


def run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    return cli.main(argv, out), out.getvalue()


def exact(texts: list[str]) -> dict[str, int]:
    return {e: sum(len(get_encoding(e).encode_ordinary(t)) for t in texts) for e in SUPPORTED_ENCODINGS}


def test_nothing_readable_exits_2_with_one_line(capsys):
    png = FIXTURES / "image_renamed.csv"
    code, out = run(["estimate", str(png), "--models", "gpt-4o"])
    err = capsys.readouterr().err
    assert (code, out) == (2, "")
    assert err == f"error: nothing could be read: {png}: this is not a text file (PNG image)\n"


def test_what_was_skipped_is_listed_beside_what_was_read(tmp_path):
    (tmp_path / "a.txt").write_text("hello world")
    (tmp_path / "b.csv").write_bytes(b"\x00\x01binary")
    code, out = run(["estimate", str(tmp_path), "--models", "gpt-4o"])
    assert code == 0
    assert out.splitlines()[0].startswith("documents: 1  skipped: 1")
    assert out.splitlines()[-1] == f"skipped {tmp_path / 'b.csv'}: this is not a text file (binary data)"


def test_gbk_excel_export_is_counted_exactly():
    texts = ["这个产品很好，价格也便宜", "质量一般, 物流太慢", "NA"]
    code, out = run(["estimate", str(FIXTURES / "excel_export_gbk.csv"), "--format", "json", "--models", "gpt-4o"])
    report = json.loads(out)
    assert code == 0
    assert (report["documents"], report["skipped"], report["tokens"]) == (3, [], exact(texts))


def test_encoding_flag_overrides_detection(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("你好".encode("gbk"))
    code, out = run(["estimate", str(path), "--encoding", "cp1252", "--format", "json", "--models", "gpt-4o"])
    assert code == 0
    assert json.loads(out)["tokens"] == exact(["ÄãºÃ"])


def test_unknown_encoding_flag_exits_2(tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text("hi")
    code, _ = run(["estimate", str(path), "--encoding", "klingon"])
    assert code == 2
    assert capsys.readouterr().err == "error: unknown text encoding: klingon\n"


def test_a_file_name_with_a_terminal_escape_is_printed_shown_not_obeyed(tmp_path):
    import io

    import cli

    (tmp_path / "ok.txt").write_text("hello there")
    evil = tmp_path / "evil\x1b[2J\u202etxt.csv"
    evil.write_bytes(b"id,text\n")  # a header and no rows: a note names the file
    out = io.StringIO()
    assert cli.main(["estimate", str(tmp_path / "ok.txt"), str(evil)], out=out) == 0
    printed = out.getvalue()
    assert "\x1b" not in printed and "\u202e" not in printed
    assert f"note {tmp_path}/evil[U+001B][2J[U+202E]txt.csv: the table has a header but no rows" in printed
