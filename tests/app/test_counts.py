"""Counting an upload once: packed per-document columns, totals and group sums agree with tiktoken."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings, strategies as st

from ingest import ReadOptions, read_bytes
from tokenizers import SUPPORTED_ENCODINGS, get_encoding
from ui.counts import count_source
from pricing.estimates import document_counts, totals_of_sources


def tiktoken_count(text: str, encoding: str) -> int:
    return len(get_encoding(encoding).encode_ordinary(text))


def table_bytes(rows: list[tuple[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(["text", "group"])
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def test_csv_rows_are_counted_per_document_and_per_group():
    rows = [("Hello <|endoftext|>", "a"), ("你好，世界", "b"), ("=1+1 and more", "a")]
    source = count_source("t.csv", table_bytes(rows), ReadOptions(column="text", group_by="group"))
    assert source.documents == 3
    assert source.sources == ["t.csv:2", "t.csv:3", "t.csv:4"]
    assert source.groups == ["a", "b", "a"]
    for enc in SUPPORTED_ENCODINGS:
        expected = [tiktoken_count(text, enc) for text, _ in rows]
        assert list(source.tokens[enc]) == expected
        assert source.total(enc) == sum(expected)
        assert [d.tokens[enc] for d in document_counts(source)] == expected
    groups = totals_of_sources([source]).groups
    assert list(groups) == ["a", "b"]
    assert groups["a"].documents == 2
    assert groups["a"].tokens["o200k_base"] == tiktoken_count(rows[0][0], "o200k_base") + tiktoken_count(
        rows[2][0], "o200k_base"
    )


def test_a_bad_file_has_no_documents_and_one_problem():
    source = count_source("x.pdf", b"%PDF-1.4", ReadOptions())
    assert source.documents == 0 and source.sources == [] and source.total("o200k_base") == 0
    assert [p.code for p in source.skipped] == ["not_text"]  # by content: a PDF is not text, whatever its name
    assert totals_of_sources([source]).workload.documents == 0


# Control characters are left out: a lone one makes a short file's encoding ambiguous, which is
# ingest's decoding law (tested there), not this one.
_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(_TEXT, st.sampled_from(["x", "y", "z"])), min_size=1, max_size=8))
def test_group_sums_add_up_to_the_totals(rows):
    data, options = table_bytes(rows), ReadOptions(column="text", group_by="group")
    source = count_source("p.csv", data, options)
    groups = totals_of_sources([source]).groups
    assert sum(w.documents for w in groups.values()) == source.documents == len(rows)
    # Compared with the texts as ingest decoded them: a tiny file's encoding can be ambiguous
    # (one row "Ā" reads as cp1252), and that is ingest's law, not this one.
    texts = [d.text for d in read_bytes("p.csv", data, options).documents]
    for enc in SUPPORTED_ENCODINGS:
        assert sum(w.tokens[enc] for w in groups.values()) == source.total(enc)
        assert list(source.tokens[enc]) == [tiktoken_count(text, enc) for text in texts]


def test_progress_follows_the_upload_and_reaches_one(monkeypatch):
    import corpus.pipeline

    monkeypatch.setattr(corpus.pipeline, "BATCH_BYTES", 10)  # a batch per row or two
    rows = [(f"row number {i} 你好", "g") for i in range(6)]
    seen: list[float] = []
    source = count_source("p.csv", table_bytes(rows), ReadOptions(column="text"), seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0 and seen.count(1.0) == 1
    assert len(seen) >= 3 and 0 < seen[0] < 1
    assert source.total("o200k_base") == sum(tiktoken_count(t, "o200k_base") for t, _ in rows)


def test_nothing_to_count_still_finishes_the_progress():
    seen: list[float] = []
    source = count_source("x.pdf", b"%PDF-1.4", ReadOptions(), seen.append)
    assert seen == [1.0] and source.documents == 0


def test_a_text_read_in_parts_is_one_document_counted_whole(monkeypatch):
    import ingest.streaming
    import corpus.pipeline

    monkeypatch.setattr(ingest.streaming, "BLOCK_BYTES", 64)  # ingest yields the text in parts
    monkeypatch.setattr(corpus.pipeline, "BATCH_BYTES", 50)
    text = "Line one of a long note.\n" * 40 + "最后一行 <|endoftext|> end"
    source = count_source("note.txt", text.encode("utf-8"), ReadOptions())
    assert source.documents == 1 and source.sources == ["note.txt"] and source.groups == [None]
    for enc in SUPPORTED_ENCODINGS:
        assert list(source.tokens[enc]) == [tiktoken_count(text, enc)] == [source.total(enc)]
    assert [d.tokens for d in document_counts(source)] == [dict(source.totals)]


def test_the_cache_key_holds_every_read_option():
    from ui.counts import COUNTS, counted

    COUNTS.clear()
    data = table_bytes([("some text", "a")])
    whole = counted("t.csv", data, ReadOptions(column="text"))
    limited = counted("t.csv", data, ReadOptions(column="text", max_bytes=5))
    assert whole.documents == 1 and whole.total("cl100k_base") == tiktoken_count("some text", "cl100k_base")
    assert limited.documents == 0
    assert [(p.code, dict(p.params)) for p in limited.skipped] == [("too_large", {"limit": 5, "size": len(data)})]
    on_sheet = counted("t.csv", data, ReadOptions(column="text", sheet="Other"))
    assert on_sheet is not whole  # a different sheet is another cache entry, not the first result
