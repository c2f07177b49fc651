"""iter_documents: bounded memory, parts whose counts add up, rows one by one, directories."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

import ingest.streaming as streaming
from ingest import ReadOptions, iter_documents, read_paths
from tokenizers import SUPPORTED_ENCODINGS, count_many, count_tokens, get_encoding, safe_prefix_end

WORDS = "The quick brown fox, 价格 12.5%, jumps over the lazy dog! "


def exact(text: str, encoding: str) -> int:
    return len(get_encoding(encoding).encode_ordinary(text))


def stream(path: Path, options: ReadOptions = ReadOptions()):
    problems = []
    return list(iter_documents([path], options, problems, safe_prefix_end)), problems


@pytest.fixture
def small_blocks(monkeypatch):
    monkeypatch.setattr(streaming, "BLOCK_BYTES", 4093)  # odd: multi-byte characters straddle blocks


def test_text_with_lines_comes_in_parts_whose_counts_add_up(tmp_path, small_blocks):
    text = "".join(f"{i}: {WORDS}\n" for i in range(600))
    path = tmp_path / "log.txt"
    path.write_bytes(text.encode())
    documents, problems = stream(path)
    assert len(documents) > 5
    assert [d.part for d in documents] == list(range(len(documents)))
    assert {d.source for d in documents} == {str(path)}
    assert "".join(d.text for d in documents) == text
    for encoding in SUPPORTED_ENCODINGS:
        assert sum(count_many([d.text for d in documents], encoding)) == exact(text, encoding)
    assert [(p.code, dict(p.params)) for p in problems] == [("encoding_used", {"encoding": "utf-8"})]


def test_one_long_line_is_cut_before_words(tmp_path, small_blocks):
    text = WORDS * 800
    path = tmp_path / "line.txt"
    path.write_bytes(text.encode())
    documents, _ = stream(path)
    assert len(documents) > 5
    assert "".join(d.text for d in documents) == text
    for encoding in SUPPORTED_ENCODINGS:
        assert sum(count_many([d.text for d in documents], encoding)) == exact(text, encoding)


def test_text_without_a_safe_cut_stays_one_document(tmp_path, small_blocks):
    text = "这是没有空格也没有换行的中文" * 1000  # no place where both encodings' counts add up
    path = tmp_path / "zh.txt"
    path.write_bytes(text.encode())
    documents, _ = stream(path)
    assert [(d.text, d.part) for d in documents] == [(text, 0)]


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-16", "shift_jis"])
def test_characters_split_across_blocks_decode_whole(tmp_path, small_blocks, encoding):
    text = "".join(f"{i}: 第行これは価格のテスト\n" for i in range(800))
    path = tmp_path / "multi.txt"
    path.write_bytes(text.encode(encoding))
    documents, problems = stream(path, ReadOptions(encoding=encoding))
    assert len(documents) > 2
    assert "".join(d.text for d in documents) == text
    assert [p.code for p in problems] == ["encoding_used"]


def test_read_paths_joins_parts_into_one_document(tmp_path, small_blocks):
    text = "".join(f"{i}: {WORDS}\n" for i in range(300))
    path = tmp_path / "log.txt"
    path.write_bytes(text.encode())
    corpus = read_paths([path])
    assert [(d.text, d.part, d.source) for d in corpus.documents] == [(text, 0, str(path))]


def test_memory_stays_bounded_on_a_file_much_larger_than_a_block(tmp_path, monkeypatch):
    monkeypatch.setattr(streaming, "BLOCK_BYTES", 1 << 20)
    line = (WORDS * 3 + "\n").encode()
    path = tmp_path / "big.log"
    with path.open("wb") as f:
        for _ in range(32):
            f.write(line * ((1 << 20) // len(line)))
    size = path.stat().st_size
    tracemalloc.start()
    try:
        total = 0
        parts = 0
        for document in iter_documents([path], ReadOptions(), [], safe_prefix_end):
            total += len(document.text.encode())
            parts += 1
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert total == size and parts >= 30
    assert peak < 12 * (1 << 20) < size / 2  # a few blocks, never the whole 32 MB file


def test_fifty_megabytes_on_one_line(tmp_path):
    text = "lorem ipsum dolor sit amet " * (50_000_000 // 27)
    path = tmp_path / "one_line.txt"
    path.write_bytes(text.encode())
    documents, _ = stream(path)
    assert len(documents) == 6  # 8 MB blocks
    # a part is a block, give or take the tail carried over (cuts are in a block's last 64 KB)
    assert all(abs(len(d.text) - streaming.BLOCK_BYTES) <= 65536 for d in documents[:-1])
    assert "".join(d.text for d in documents) == text
    assert sum(count_many([d.text for d in documents], "o200k_base")) == count_tokens(text, "o200k_base")


def test_detection_looks_at_the_middle_of_a_big_file(tmp_path, monkeypatch):
    monkeypatch.setattr(streaming, "SAMPLE_HEAD", 1000)
    text = "ascii header line\n" * 300 + "这是中间的中文内容，价格很便宜。\n" * 300
    path = tmp_path / "mixed.txt"
    path.write_bytes(text.encode("gbk"))
    documents, problems = stream(path)
    assert [d.text for d in documents] == [text]
    assert [dict(p.params) for p in problems] == [{"encoding": "gb18030"}]


def test_a_sample_cut_inside_a_character_is_still_utf8(tmp_path, monkeypatch):
    monkeypatch.setattr(streaming, "SAMPLE_HEAD", 1000)  # not a multiple of 3: cuts a character
    text = "中文" * 1000
    path = tmp_path / "zh.txt"
    path.write_bytes(text.encode())
    documents, problems = stream(path)
    assert [d.text for d in documents] == [text]
    assert [dict(p.params) for p in problems] == [{"encoding": "utf-8"}]


def test_rows_are_yielded_one_by_one(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_bytes(b"text,n\nfirst,1\nsecond,2\nbroken\n")
    problems = []
    documents = iter_documents([path], ReadOptions(), problems, safe_prefix_end)
    assert next(documents).text == "first"
    # The text column was chosen from the first rows, but the bad row is not reported before it is reached.
    assert [p.code for p in problems] == ["encoding_used", "column_chosen"]
    assert [d.text for d in documents] == ["second"]
    assert [(p.code, p.where) for p in problems][2:] == [("ragged_row", f"{path}:4")]


def test_max_bytes_skips_big_files_only(tmp_path):
    (tmp_path / "small.txt").write_bytes(b"tiny")
    (tmp_path / "big.txt").write_bytes(b"x" * 5000)
    corpus = read_paths([tmp_path], ReadOptions(max_bytes=1000))
    assert [d.text for d in corpus.documents] == ["tiny"]
    assert [(p.code, p.where, dict(p.params)) for p in corpus.skipped] == [
        ("too_large", str(tmp_path / "big.txt"), {"limit": 1000, "size": 5000})
    ]


def test_directory_reads_text_files_and_lists_what_it_skipped(tmp_path):
    (tmp_path / "a.txt").write_text("alpha")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(20))
    (tmp_path / ".hidden.txt").write_text("secret")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("[core]")
    (tmp_path / "sub" / "deep").mkdir(parents=True)
    (tmp_path / "sub" / "b.md").write_text("# beta")
    (tmp_path / "sub" / "deep" / "c.csv").write_text("text\ngamma\ndelta\n")
    (tmp_path / "sub" / "empty").mkdir()
    corpus = read_paths([tmp_path])
    assert [(d.text, d.source) for d in corpus.documents] == [
        ("alpha", str(tmp_path / "a.txt")),
        ("# beta", str(tmp_path / "sub" / "b.md")),
        ("gamma", str(tmp_path / "sub" / "deep" / "c.csv:2")),
        ("delta", str(tmp_path / "sub" / "deep" / "c.csv:3")),
    ]
    assert [(p.code, p.where) for p in corpus.skipped] == [
        ("hidden", str(tmp_path / ".git")),
        ("hidden", str(tmp_path / ".hidden.txt")),
        ("not_text", str(tmp_path / "image.png")),
    ]


def test_empty_and_missing_directories(tmp_path):
    (tmp_path / "empty").mkdir()
    corpus = read_paths([tmp_path / "empty", tmp_path / "missing.txt"])
    assert corpus.documents == []
    assert [(p.code, p.where) for p in corpus.skipped] == [
        ("no_files", str(tmp_path / "empty")),
        ("unreadable", str(tmp_path / "missing.txt")),
    ]
    assert corpus.skipped[1].params == {"error": "No such file or directory"}
