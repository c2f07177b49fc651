"""count_stream / count_file: exact per-document, per-group and total counts, in bounded memory."""

from __future__ import annotations

import threading
from array import array

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tokenizers.streaming as streaming
from ingest.documents import Document
from multilingual_samples import MULTILINGUAL, generate_text
from tokenizers import (
    SUPPORTED_ENCODINGS,
    EncodingUnavailableError,
    count_with_tiktoken,
    get_encoding,
    safe_prefix_end,
    split_safely,
)
from tokenizers.streaming import count_file, count_stream, iter_text_pieces, utf8_length


def _tiktoken(text: str, encoding: str) -> int:
    return len(get_encoding(encoding).encode_ordinary(text))


def _documents() -> list[Document]:
    docs = [Document(text, f"rows.csv:{i}", group="ab"[i % 2]) for i, text in enumerate(MULTILINGUAL)]
    big = generate_text(300_000, seed=3)
    parts = list(split_safely(big, 20_000))
    assert len(parts) > 5
    docs += [Document(piece, "big.txt", group=None, part=i) for i, piece in enumerate(parts)]
    docs.append(Document("tail <|endoftext|> doc", "tail.txt", group="ab"[0]))
    return docs


def _whole_texts(docs: list[Document]) -> list[tuple[str, str | None]]:
    whole: list[tuple[str, str | None]] = []
    for doc in docs:
        if doc.part and whole:
            whole[-1] = (whole[-1][0] + doc.text, whole[-1][1])
        else:
            whole.append((doc.text, doc.group))
    return whole


@pytest.mark.parametrize("batch_bytes", [1, 50_000, 8 << 20])
@pytest.mark.parametrize("threads", [2, 3])  # a batch cut into slices, parts of big.txt in several
def test_count_stream_is_exact_per_document_group_and_total(batch_bytes, threads):
    docs = _documents()
    whole = _whole_texts(docs)
    counts = count_stream(docs, batch_bytes=batch_bytes, threads=threads)

    assert counts.method == "exact"
    assert counts.documents == len(whole) == len(MULTILINGUAL) + 2
    assert counts.characters == sum(len(t) for t, _ in whole)
    assert counts.bytes == sum(len(t.encode("utf-8")) for t, _ in whole)
    for encoding in SUPPORTED_ENCODINGS:
        expected = [_tiktoken(t, encoding) for t, _ in whole]
        assert isinstance(counts.per_document[encoding], array)
        assert list(counts.per_document[encoding]) == expected
        assert counts.tokens[encoding] == sum(expected)
        for group in ("a", "b", None):
            members = [t for t, g in whole if g == group]
            totals = counts.groups[group]
            assert totals.documents == len(members)
            assert totals.tokens[encoding] == sum(_tiktoken(t, encoding) for t in members)
            assert totals.characters == sum(len(t) for t in members)
    assert list(counts.document_bytes) == [len(t.encode("utf-8")) for t, _ in whole]
    assert [counts.group_names[g] for g in counts.document_groups] == [g for _, g in whole]


def test_a_part_of_another_source_starts_a_new_document():
    docs = [Document("one", "a.txt"), Document(" two", "b.txt", part=1), Document(" three", "b.txt", part=2)]
    counts = count_stream(docs, ["o200k_base"])
    assert counts.documents == 2
    assert list(counts.per_document["o200k_base"]) == [_tiktoken("one", "o200k_base"), _tiktoken(" two three", "o200k_base")]


def test_one_encoding_and_empty_input():
    counts = count_stream([], ["cl100k_base"])
    assert counts.encodings == ("cl100k_base",)
    assert counts.tokens == {"cl100k_base": 0}
    assert counts.documents == 0 and counts.groups == {}


def test_unknown_encoding_fails_before_reading():
    consumed = []

    def docs():
        consumed.append(1)
        yield Document("x", "x")

    with pytest.raises(EncodingUnavailableError):
        count_stream(docs(), ["p50k_base"])
    assert consumed == []


def test_a_failing_reader_stops_cleanly():
    def docs():
        yield Document("a" * 100, "a.txt")
        yield Document("b" * 100, "b.txt")
        raise OSError("disk gone")

    with pytest.raises(OSError, match="disk gone"):
        count_stream(docs(), batch_bytes=10)


def test_a_failing_counter_reports_its_error(monkeypatch):
    def broken(texts, encoding, threads=2, engine=None):
        raise RuntimeError("engine failed")

    monkeypatch.setattr(streaming, "count_many", broken)
    with pytest.raises(RuntimeError, match="engine failed"):
        count_stream([Document("x" * 100, f"d{i}") for i in range(5)], batch_bytes=10)


def test_memory_stays_bounded_to_about_two_batches():
    # The reader may run at most about two batches ahead of what has been counted.
    batch = 40_000
    counted = [0]
    produced = [0]
    ahead = []

    def docs():
        for i in range(200):
            text = generate_text(2_000, seed=i)
            produced[0] += utf8_length(text)
            ahead.append(produced[0] - counted[0])
            yield Document(text, f"d{i}")

    def progress(done: int) -> None:
        assert done >= counted[0]
        counted[0] = done

    counts = count_stream(docs(), batch_bytes=batch, progress=progress)
    assert counted[0] == counts.bytes == produced[0]
    assert max(ahead) <= 2 * batch + 10_000
    assert max(ahead) > batch  # the worker really overlaps with reading


def test_progress_runs_on_the_callers_thread():
    threads = set()
    count_stream(_documents(), batch_bytes=10_000, progress=lambda _: threads.add(threading.get_ident()))
    assert threads == {threading.get_ident()}


# utf-8-sig and utf-16 write a BOM, which the decoder must drop.
@pytest.mark.parametrize("text_encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16", "shift_jis"])
def test_count_file_decodes_incrementally_and_counts_exactly(tmp_path, monkeypatch, text_encoding):
    # Tiny reads put block edges inside multi-byte characters and CRLF pairs.
    monkeypatch.setattr(streaming, "_READ_BYTES", 997)
    if text_encoding == "shift_jis":
        text = ("東京の天気は晴れ。\r\nカタカナもＯＫ next line\n" * 2000)
    else:
        text = generate_text(200_000, seed=7, sections=4)
    path = tmp_path / "corpus.txt"
    path.write_bytes(text.encode(text_encoding))
    seen = []
    counts = count_file(path, text_encoding, batch_bytes=30_000, progress=seen.append)
    assert counts.documents == 1
    assert counts.characters == len(text)
    assert seen == sorted(seen) and seen[-1] == counts.bytes == len(text.encode("utf-8"))
    for encoding in SUPPORTED_ENCODINGS:
        assert counts.tokens[encoding] == _tiktoken(text, encoding)
        assert list(counts.per_document[encoding]) == [_tiktoken(text, encoding)]


def test_file_pieces_join_to_the_text_and_their_counts_add_up(tmp_path, monkeypatch):
    monkeypatch.setattr(streaming, "_READ_BYTES", 4096)
    text = generate_text(100_000, seed=11) + "x" * 20_000 + " 中文" * 3000
    path = tmp_path / "t.txt"
    path.write_text(text, encoding="utf-8", newline="")
    pieces = list(iter_text_pieces(path))
    assert len(pieces) > 10
    assert "".join(pieces) == text
    for encoding in SUPPORTED_ENCODINGS:
        assert sum(_tiktoken(p, encoding) for p in pieces) == _tiktoken(text, encoding)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "中" * 50_000,  # no safe cut anywhere: carried whole
        "word " + " " * 1_000_000 + "after\nnext",  # beyond tiktoken's own limit
        "a\r\n" * 30_000,
    ],
    ids=["empty", "no-cuts", "million-spaces", "crlf"],
)
def test_count_file_edge_texts(tmp_path, monkeypatch, text):
    monkeypatch.setattr(streaming, "_READ_BYTES", 8192)
    path = tmp_path / "edge.txt"
    path.write_bytes(text.encode("utf-8"))
    counts = count_file(path)
    assert counts.documents == 1
    for encoding in SUPPORTED_ENCODINGS:
        assert counts.tokens[encoding] == count_with_tiktoken(text, encoding)


def test_count_file_reports_bad_bytes(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"fine text\n" * 10 + b"\xff\xfe broken")
    with pytest.raises(UnicodeDecodeError):
        count_file(path, "utf-8")
    replaced = count_file(path, "utf-8", errors="replace")
    text = (b"fine text\n" * 10 + b"\xff\xfe broken").decode("utf-8", "replace")
    assert replaced.tokens["o200k_base"] == _tiktoken(text, "o200k_base")


def test_utf8_length():
    for text in ["", "abc", "é中😀", "\ud800x"]:
        assert utf8_length(text) == len(text.encode("utf-8", "surrogatepass"))


# Text built from the characters that decide where tiktoken's regex may cut: newlines, spaces,
# tabs, punctuation, '/', letters (Latin, Cyrillic, CJK), marks, digits.
_PIECES = st.sampled_from(
    ["\n", "\n\n", "\r\n", " ", "  ", "\t", "/", "//", ".", ",", "!?", "'s", "-", "a", "Word", "the",
     "xyz", "Ж", "中文", "東", "\u0301", "7", "2026", "3.14", "😀", "\u00a0", "http://x.y/z"]
)
_TEXTS = st.lists(_PIECES, max_size=60).map("".join)


def _reference(text: str, encoding: str) -> int:
    return len(get_encoding(encoding).encode_ordinary(text))


@settings(max_examples=200, deadline=None)
@given(text=_TEXTS, limit=st.integers(1, 40))
def test_split_safely_pieces_add_up_to_the_whole(text, limit):
    pieces = list(split_safely(text, limit))
    assert "".join(pieces) == text
    for encoding in SUPPORTED_ENCODINGS:
        assert sum(_reference(p, encoding) for p in pieces) == _reference(text, encoding)


@settings(max_examples=200, deadline=None)
@given(text=_TEXTS, sizes=st.lists(st.integers(1, 30), min_size=1, max_size=20))
def test_streaming_cuts_at_safe_prefix_end_add_up_to_the_whole(text, sizes):
    # Feed the text in blocks of the drawn sizes, count each safe prefix, carry the rest.
    pieces, carry, pos, i = [], "", 0, 0
    while pos < len(text):
        block = text[pos : pos + sizes[i % len(sizes)]]
        pos += len(block)
        i += 1
        carry += block
        cut = safe_prefix_end(carry)
        if cut:
            pieces.append(carry[:cut])
            carry = carry[cut:]
    pieces.append(carry)
    assert "".join(pieces) == text
    for encoding in SUPPORTED_ENCODINGS:
        assert sum(_reference(p, encoding) for p in pieces) == _reference(text, encoding)


def test_a_huge_document_is_counted_in_batches(monkeypatch):
    monkeypatch.setattr(streaming, "_PIECE_CHARS", 1000)
    batches = []
    real = streaming.count_many

    def recording(texts, encoding, threads=2, engine=None):
        batches.append(sum(len(t) for t in texts))
        return real(texts, encoding, threads=threads, engine=engine)

    monkeypatch.setattr(streaming, "count_many", recording)
    text = generate_text(60_000, seed=2)
    counts = count_stream([Document(text, "huge.txt")], ["cl100k_base"], batch_bytes=10_000)
    assert list(counts.per_document["cl100k_base"]) == [_reference(text, "cl100k_base")]
    assert counts.bytes == len(text.encode("utf-8"))
    assert len(batches) > 4 and max(batches) < 20_000


def test_merged_counts_of_consecutive_pieces_are_the_counts_of_the_whole():
    from tokenizers.merging import merge_counts

    docs = [Document(f"text {i} " * (i + 1), f"d{i}", group="ab"[i % 2]) for i in range(7)]
    long_text = "A first line.\nA second line that continues.\n"
    whole = count_stream([*docs, Document(long_text, "long")])
    # the long text is cut after its first line (a safe place), its rest in the next piece
    pieces = [docs[:3], docs[3:], [Document(long_text[:14], "long")], [Document(long_text[14:], "long", part=1)]]
    merged = merge_counts([count_stream(p) for p in pieces], continues=[False, False, False, True])
    assert (merged.documents, merged.tokens, merged.characters, merged.bytes) == \
        (whole.documents, whole.tokens, whole.characters, whole.bytes)
    for e in whole.encodings:
        assert list(merged.per_document[e]) == list(whole.per_document[e])
    assert merged.group_names == whole.group_names
    assert {g: (c.documents, c.tokens, c.bytes) for g, c in merged.groups.items()} == \
        {g: (c.documents, c.tokens, c.bytes) for g, c in whole.groups.items()}
