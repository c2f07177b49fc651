"""Byte ranges of a big text or JSON Lines file (ingest/ranges.py): cut where counts add up, read
on their own, they give the whole file's documents and token counts."""

from __future__ import annotations

import io
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest import ReadOptions
from ingest.ranges import iter_byte_range, split_points
from multilingual_samples import MULTILINGUAL
from tokenizers import count_tokens, safe_prefix_end

ENCODINGS = ("o200k_base", "cl100k_base")


def ranges(data: bytes, name: str, every: int) -> tuple[str, list[tuple[int, int]]]:
    encoding, cuts = split_points(name, io.BytesIO(data), len(data), ReadOptions(), every, safe_prefix_end)
    edges = [0, *cuts, len(data)]
    return encoding, list(zip(edges, edges[1:]))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from(MULTILINGUAL[:20]), min_size=30, max_size=120),
       st.sampled_from(["\n", "\n\n", " ", "\r\n"]), st.integers(200, 2000))
def test_a_texts_ranges_add_up_to_the_whole(lines, joiner, every):
    text = joiner.join(lines)
    data = text.encode("utf-8")
    encoding, spans = ranges(data, "a.txt", every)
    parts = []
    for start, end in spans:
        docs = list(iter_byte_range("a.txt", io.BytesIO(data), start, end, encoding, ReadOptions(), [],
                                    safe_prefix_end))
        parts.append("".join(d.text for d in docs))
    assert "".join(parts) == text
    for encoding_name in ENCODINGS:
        assert sum(count_tokens(p, encoding_name) for p in parts) == count_tokens(text, encoding_name)


def test_jsonl_ranges_start_at_lines_and_count_their_lines():
    data = "".join(json.dumps({"text": t}) + "\n" for t in MULTILINGUAL[:20] * 10).encode()
    encoding, spans = ranges(data, "a.jsonl", 1000)
    assert encoding == "utf-8" and len(spans) > 5
    assert all(data[start - 1:start] == b"\n" for start, _ in spans[1:])
    texts, lines = [], []
    for start, end in spans:
        texts += [d.text for d in iter_byte_range("a.jsonl", io.BytesIO(data), start, end, encoding,
                                                   ReadOptions(), [], None, lines)]
    assert texts == MULTILINGUAL[:20] * 10 and sum(lines) == 200


def test_files_that_are_not_split():
    big = ("x" * 50 + "\n").encode() * 100
    assert split_points("a.csv", io.BytesIO(big), len(big), ReadOptions(), 100, safe_prefix_end) is None
    utf16 = big.decode().encode("utf-16")
    assert split_points("a.txt", io.BytesIO(utf16), len(utf16), ReadOptions(), 100, safe_prefix_end) is None
    chinese = "中文的句子。".encode() * 1000  # no safe place: one range
    assert split_points("a.txt", io.BytesIO(chinese), len(chinese), ReadOptions(), 100, safe_prefix_end) == \
        ("utf-8", [])
