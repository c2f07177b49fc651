"""Parquet, Arrow/Feather, gzip/bz2/xz/zstd and ZIP corpora: counted exactly (against tiktoken),
the text column chosen by content, every member or row that cannot be read listed with its place,
and a decompression bomb refused by the budget."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.feather as feather
import pyarrow.parquet as pq
import pytest
import zstandard

from cli import main
from ingest import UPLOAD_SUFFIXES, ReadOptions, is_table_name, read_bytes, table_preview
from ingest.compression import DECOMPRESSION_FLOOR_BYTES, MAX_DECOMPRESSION_RATIO
from corpus.pipeline import count_inputs, count_source
from tests.unit.multilingual_samples import MULTILINGUAL
from tokenizers import get_encoding
from ui.i18n import load_messages

TEXTS = MULTILINGUAL[:20]


def tokens(texts, encoding: str) -> int:
    enc = get_encoding(encoding)
    return sum(len(enc.encode_ordinary(t)) for t in texts)


def table() -> pa.Table:
    """An id, a date and a channel before the text: the text column must be chosen by content."""
    n = len(TEXTS)
    return pa.table({
        "id": pa.array(range(10_000, 10_000 + n), pa.int64()),
        "day": pa.array([f"2026-0{1 + i % 9}-1{i % 10}" for i in range(n)]),
        "channel": pa.array(["web" if i % 3 else "app" for i in range(n)]),
        "review": pa.array(TEXTS),
    })


def assert_exact(counts, texts) -> None:
    assert counts.documents == len(texts)
    for encoding in ("o200k_base", "cl100k_base"):
        assert counts.tokens[encoding] == tokens(texts, encoding), encoding


def test_parquet_row_groups_are_counted_exactly_on_the_column_chosen_by_content(tmp_path: Path) -> None:
    path = tmp_path / "reviews.parquet"
    pq.write_table(table(), path, row_group_size=6)  # 4 row groups
    assert pq.ParquetFile(path).metadata.num_row_groups == 4
    counted = count_inputs([str(path)], ReadOptions())
    assert_exact(counted.counts, TEXTS)
    assert [s.as_dict() for s in counted.sources] == [{
        "path": str(path), "format": "parquet", "compression": None, "encoding": None, "column": "review",
        "json_field": None, "column_chosen_by_content": True, "documents": 20, "encoding_single_byte_guess": False}]
    assert counted.skipped == []


def test_parquet_with_a_given_column_and_groups(tmp_path: Path) -> None:
    path = tmp_path / "reviews.parquet"
    pq.write_table(table(), path, row_group_size=7)
    counted = count_inputs([str(path)], ReadOptions(column="review", group_by="channel"))
    web = [t for i, t in enumerate(TEXTS) if i % 3]
    assert counted.counts.groups["web"].tokens["o200k_base"] == tokens(web, "o200k_base")
    assert counted.counts.groups["app"].documents == len(TEXTS) - len(web)
    assert counted.sources[0].column == "review" and not counted.sources[0].column_chosen


def test_parquet_places_nulls_and_missing_columns() -> None:
    data = io.BytesIO()
    pq.write_table(pa.table({"n": [1, 2], "text": ["a b c", None]}), data)
    corpus = read_bytes("t.parquet", data.getvalue())
    assert [(d.text, d.source) for d in corpus.documents] == [("a b c", "t.parquet[0]"), ("", "t.parquet[1]")]
    missing = read_bytes("t.parquet", data.getvalue(), ReadOptions(column="body"))
    assert [p.row() for p in missing.skipped] == [
        {"where": "t.parquet", "why": "no column 'body'; the columns are: n, text", "code": "missing_column"}]


@pytest.mark.parametrize("kind", ["parquet", "arrow"])
def test_list_and_struct_columns_are_counted_as_their_values_not_their_repr(kind: str) -> None:
    """A column of chat turns (a list of structs) or tags (a list of strings): each row's texts
    joined by newlines are counted, never its Python repr ("[{'role': 'user', ..."), and a note says so."""
    import pyarrow as pa

    turns = [[{"role": "user", "content": "Where is my parcel?"}, {"role": "assistant", "content": "On its way."}],
             None, [{"role": "user", "content": "价格是多少？"}]]
    tags = [["late", "parcel"], [], None]
    data = pa.table({"id": ["1", "2", "3"], "turns": turns, "tags": tags})
    buffer = io.BytesIO()
    if kind == "parquet":
        pq.write_table(data, buffer)
    else:
        with pa.ipc.new_file(buffer, data.schema) as writer:
            writer.write_table(data)
    corpus = read_bytes(f"chats.{kind}", buffer.getvalue(), ReadOptions(column="turns"))
    assert [d.text for d in corpus.documents] == [
        "user\nWhere is my parcel?\nassistant\nOn its way.", "", "user\n价格是多少？"]
    assert [p.message() for p in corpus.notes if p.code == "nested_values_joined"] == [
        "column 'turns' holds lists or records: each row's values are counted joined by newlines"]
    tagged = read_bytes(f"chats.{kind}", buffer.getvalue(), ReadOptions(column="tags"))
    assert [d.text for d in tagged.documents] == ["late\nparcel", "", ""]


def test_a_damaged_parquet_file_is_listed_not_raised() -> None:
    data = io.BytesIO()
    pq.write_table(table(), data)
    cut = data.getvalue()[:-40] + b"PAR1"  # the footer is gone
    corpus = read_bytes("t.parquet", cut)
    assert corpus.documents == []
    assert [(p.code, p.where) for p in corpus.skipped] == [("bad_table", "t.parquet")]


@pytest.mark.parametrize("name", ["reviews.feather", "reviews.arrow", "reviews.arrows"])
def test_arrow_files_and_streams_are_counted_exactly(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name.endswith(".arrows"):
        with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_stream(sink, table().schema) as writer:
            for batch in table().to_batches(max_chunksize=8):
                writer.write_batch(batch)
    else:
        feather.write_feather(table(), path, chunksize=8)
    counted = count_inputs([str(path)], ReadOptions())
    assert_exact(counted.counts, TEXTS)
    assert (counted.sources[0].format, counted.sources[0].column) == ("arrow", "review")


COMPRESSORS = {
    ".gz": gzip.compress,
    ".bz2": bz2.compress,
    ".xz": lzma.compress,
    ".zst": lambda data: zstandard.ZstdCompressor().compress(data),
}


@pytest.mark.parametrize("suffix", COMPRESSORS)
@pytest.mark.parametrize("inner", [".jsonl", ".csv", ".txt"])
def test_compressed_text_formats_are_counted_exactly(tmp_path: Path, suffix: str, inner: str) -> None:
    if inner == ".jsonl":
        raw, texts = "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(TEXTS)), TEXTS
    elif inner == ".csv":
        raw, texts = "id,review\n" + "".join(f'{i},"{t}"\n' for i, t in enumerate(TEXTS) if '"' not in t), \
            [t for t in TEXTS if '"' not in t]
    else:
        raw = "\n\n".join(TEXTS)
        texts = [raw]
    path = tmp_path / f"corpus{inner}{suffix}"
    path.write_bytes(COMPRESSORS[suffix](raw.encode("utf-8")))
    counted = count_inputs([str(path)], ReadOptions())
    assert_exact(counted.counts, texts)
    info = counted.sources[0]
    assert (info.format, info.compression, info.encoding) == ({".txt": "text"}.get(inner, inner[1:]), {
        ".gz": "gzip", ".bz2": "bzip2", ".xz": "xz", ".zst": "zstd"}[suffix], "utf-8")
    assert counted.skipped == []


def test_a_big_compressed_text_streams_in_parts_that_add_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ingest.streaming.BLOCK_BYTES", 1 << 18)
    text = ("\n".join(TEXTS) + "\n") * 400  # ~0.9 MB: several 256 KB blocks
    path = tmp_path / "big.txt.gz"
    path.write_bytes(gzip.compress(text.encode(), compresslevel=1))
    counted = count_inputs([str(path)], ReadOptions())
    assert counted.counts.documents == 1
    enc = get_encoding("cl100k_base")
    assert counted.counts.tokens["cl100k_base"] == len(enc.encode_ordinary(text))


def test_a_compressed_parquet_file_is_copied_out_and_read() -> None:
    data = io.BytesIO()
    pq.write_table(table(), data)
    counted = count_source("t.parquet.zst", zstandard.ZstdCompressor().compress(data.getvalue()), languages=False)
    assert counted.total("o200k_base") == tokens(TEXTS, "o200k_base")
    assert (counted.info.format, counted.info.compression, counted.info.column) == ("parquet", "zstd", "review")


def test_compression_is_found_by_its_bytes_whatever_the_name() -> None:
    corpus = read_bytes("notes.txt", gzip.compress("héllo wörld".encode()))
    assert [d.text for d in corpus.documents] == ["héllo wörld"]


def test_a_cut_gzip_is_listed_with_its_reason() -> None:
    corpus = read_bytes("cut.jsonl.gz", gzip.compress(b'{"text": "a"}\n' * 1000)[:-20])
    assert [p.row() for p in corpus.skipped][-1] == {
        "where": "cut.jsonl.gz", "code": "bad_compressed",
        "why": "cannot decompress it (gzip): Compressed file ended before the end-of-stream marker was reached"}


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_zip_members_are_files_and_the_unreadable_ones_are_listed(tmp_path: Path) -> None:
    jsonl = "".join(json.dumps({"text": t}) + "\n" for t in TEXTS[:5]) + "{broken\n"
    parquet = io.BytesIO()
    pq.write_table(table(), parquet)
    path = tmp_path / "corpus.zip"
    path.write_bytes(zip_bytes({
        "notes/a.txt": TEXTS[5].encode(),
        "notes/b.jsonl": jsonl.encode(),
        "c.txt.gz": gzip.compress(TEXTS[6].encode("utf-16")),
        "photo.png": b"\x89PNG\r\n\x1a\n" + bytes(64),
        "__MACOSX/._a.txt": b"x",
        "t.parquet": parquet.getvalue(),
    }))
    counted = count_inputs([str(path)], ReadOptions())
    assert_exact(counted.counts, [TEXTS[5], *TEXTS[:5], TEXTS[6], *TEXTS])
    assert [(p.code, p.where) for p in counted.skipped] == [
        ("bad_json", f"{path}/notes/b.jsonl:6"),
        ("not_text", f"{path}/photo.png"),
        ("hidden", f"{path}/__MACOSX/._a.txt"),
    ]
    assert [(s.path, s.format, s.compression, s.encoding, s.column, s.documents) for s in counted.sources] == [
        (f"{path}/notes/a.txt", "text", None, "utf-8", None, 1),
        (f"{path}/notes/b.jsonl", "jsonl", None, "utf-8", None, 5),
        (f"{path}/c.txt.gz", "text", "gzip", "utf-16", None, 1),
        (f"{path}/t.parquet", "parquet", None, None, "review", 20),  # copied out: a table is read with seeks
    ]


def test_a_zip_upload_is_counted_like_the_files_it_holds() -> None:
    counted = count_source("corpus.zip", zip_bytes({"a.txt": TEXTS[0].encode(), "b.txt": TEXTS[1].encode()}),
                           languages=False)
    assert counted.documents == 2
    assert counted.total("o200k_base") == tokens(TEXTS[:2], "o200k_base")
    assert counted.sources == ["corpus.zip/a.txt", "corpus.zip/b.txt"]


def test_a_gzip_bomb_is_refused_by_the_named_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ingest.compression.DECOMPRESSION_FLOOR_BYTES", 1 << 20)
    data = gzip.compress(b"ab " * (4 << 20))  # 12 MB of text from ~12 KB
    corpus = read_bytes("bomb.txt.gz", data)
    limit = max(1 << 20, MAX_DECOMPRESSION_RATIO * len(data))
    assert [p.row() for p in corpus.skipped] == [{
        "where": "bomb.txt.gz", "code": "decompression_limit",
        "why": f"not read past {limit} bytes: it expands to more than {MAX_DECOMPRESSION_RATIO}x its {len(data)} "
               "bytes, like a decompression bomb"}]
    assert sum(len(d.text) for d in corpus.documents) <= limit


def test_a_zip_bomb_is_refused_from_its_declared_sizes_without_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    assert DECOMPRESSION_FLOOR_BYTES == 64 << 20 and MAX_DECOMPRESSION_RATIO == 100
    monkeypatch.setattr("ingest.compression.DECOMPRESSION_FLOOR_BYTES", 1 << 20)
    data = zip_bytes({"a.txt": b"a" * (2 << 20)})
    corpus = read_bytes("bomb.zip", data)
    assert (corpus.documents, [(p.code, p.where) for p in corpus.skipped]) == ([], [("decompression_limit", "bomb.zip")])


def test_the_limit_is_said_in_both_languages() -> None:
    message = load_messages()["problem_decompression_limit"]
    assert "{limit}" in message["en"] and "{limit}" in message["zh"] and "解压炸弹" in message["zh"]


def test_the_app_accepts_the_same_files_and_previews_their_tables() -> None:
    assert {".parquet", ".feather", ".arrow", ".gz", ".bz2", ".xz", ".zst", ".zip"} <= set(UPLOAD_SUFFIXES)
    assert is_table_name("a.parquet") and is_table_name("a.csv.gz") and not is_table_name("a.txt.gz")
    data = io.BytesIO()
    pq.write_table(table(), data)
    preview = table_preview("t.parquet", data.getvalue(), rows=2)
    assert preview.header == ["id", "day", "channel", "review"]
    assert preview.rows[0] == ["10000", "2026-01-10", "app", TEXTS[0]]
    assert preview.choice.column == "review"


def test_cli_json_names_format_and_compression(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl.zst"
    path.write_bytes(zstandard.ZstdCompressor().compress(b'{"text": "hello world"}\n'))
    out = io.StringIO()
    assert main(["estimate", str(path), "--format", "json", "--as-of", "2025-01-15"], out=out) == 0
    report = json.loads(out.getvalue())
    assert report["sources"][0]["format"] == "jsonl" and report["sources"][0]["compression"] == "zstd"
    assert report["tokens"]["o200k_base"] == tokens(["hello world"], "o200k_base")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_progress_bar_goes_to_a_terminal_stderr_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    import commands.estimate

    path = tmp_path / "notes.txt"
    path.write_text("\n".join(TEXTS[:5]))
    args = ["estimate", str(path), "--format", "json", "--as-of", "2025-01-15"]
    out = io.StringIO()
    assert main(args, out=out) == 0
    assert capsys.readouterr().err == ""  # stderr is not a terminal here: no bar
    plain = out.getvalue()
    terminal = _Terminal()
    monkeypatch.setattr(commands.estimate, "PROGRESS_DELAY_SECONDS", 0)
    monkeypatch.setattr("sys.stderr", terminal)
    out = io.StringIO()
    assert main(args, out=out) == 0
    assert out.getvalue() == plain  # the report never carries the bar
    assert "counting text" in terminal.getvalue() and "B/s" in terminal.getvalue()
    assert "documents: 1" in terminal.getvalue()  # one text file: one document


def test_an_upload_may_expand_no_further_than_the_upload_cap() -> None:
    from ingest.compression import MAX_UPLOAD_EXPANDED_BYTES
    from corpus.pipeline import Reading

    assert Reading("a.gz", b"", ReadOptions()).options.max_expanded_bytes == MAX_UPLOAD_EXPANDED_BYTES == 256 << 20
    data = gzip.compress(b"word " * (1 << 20))  # 5 MB of text, well within the ratio bound
    counted = count_source("words.txt.gz", data, ReadOptions(max_expanded_bytes=1 << 20), languages=False)
    assert [p.row() for p in counted.skipped] == [{
        "where": "words.txt.gz", "code": "expanded_too_large",
        "why": f"not read past {1 << 20} bytes: an upload may expand to no more than that"}]
    assert load_messages()["problem_expanded_too_large"]["zh"].startswith("读取到 {limit} 字节后停止")
