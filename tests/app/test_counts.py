"""Counting an upload once: packed per-document columns, totals and group sums agree with tiktoken."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings, strategies as st

from ingest import ReadOptions
from tokenizers import SUPPORTED_ENCODINGS, get_encoding
from ui.counts import count_source
from ui.results import document_counts, group_totals, workload_of


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
    groups = group_totals([source])
    assert list(groups) == ["a", "b"]
    assert groups["a"].documents == 2
    assert groups["a"].tokens["o200k_base"] == tiktoken_count(rows[0][0], "o200k_base") + tiktoken_count(
        rows[2][0], "o200k_base"
    )


def test_a_bad_file_has_no_documents_and_one_problem():
    source = count_source("x.pdf", b"%PDF-1.4", ReadOptions())
    assert source.documents == 0 and source.sources == [] and source.total("o200k_base") == 0
    assert [p.code for p in source.skipped] == ["unsupported_type"]
    assert workload_of([source]).documents == 0


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=30), st.sampled_from(["x", "y", "z"])), min_size=1, max_size=8))
def test_group_sums_add_up_to_the_totals(rows):
    source = count_source("p.csv", table_bytes(rows), ReadOptions(column="text", group_by="group"))
    groups = group_totals([source])
    assert sum(w.documents for w in groups.values()) == source.documents == len(rows)
    for enc in SUPPORTED_ENCODINGS:
        assert sum(w.tokens[enc] for w in groups.values()) == source.total(enc)
        assert source.total(enc) == sum(tiktoken_count(text, enc) for text, _ in rows)


def test_progress_reaches_one_in_order(monkeypatch):
    import ui.counts

    monkeypatch.setattr(ui.counts, "BATCH_CHARS", 10)
    rows = [(f"row number {i} 你好", "g") for i in range(6)]
    seen: list[float] = []
    source = count_source("p.csv", table_bytes(rows), ReadOptions(column="text"), seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) == 6 * len(SUPPORTED_ENCODINGS)
    assert source.total("o200k_base") == sum(tiktoken_count(t, "o200k_base") for t, _ in rows)
