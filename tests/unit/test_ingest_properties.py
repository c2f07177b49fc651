"""Laws of reading: decoding gives back the text that was encoded; CSV gives back the cells written."""

from __future__ import annotations

import csv
import io

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ingest import MESSAGES, ReadOptions, read_bytes
from ingest.common_chars import SIMPLIFIED, TRADITIONAL
from ingest.decoding import Decoder

# Text a person writes: any character but surrogates, NUL-like controls and the unit separator.
TEXT_CHARS = st.characters(
    blacklist_categories=("Cs",), blacklist_characters="".join(map(chr, range(0, 32))) + "\x7f"
) | st.sampled_from("\t\n\r")

ALPHABETS = {
    "utf-8": TEXT_CHARS,
    "utf-16": TEXT_CHARS,
    "gb18030": TEXT_CHARS,  # covers all of Unicode
    "big5": st.sampled_from("這是繁體中文資料價格，。 abc\n"),
    "shift_jis": st.sampled_from("これは日本語のテキスト価格、。 abc\n"),
    "cp1252": st.sampled_from("Ça coûte€—«»éèäöüßœ abc\n"),
}


@settings(max_examples=60, deadline=None)
@given(data=st.data(), encoding=st.sampled_from(sorted(ALPHABETS)))
def test_decoding_in_any_blocks_gives_back_the_text(data, encoding):
    text = data.draw(st.text(ALPHABETS[encoding], max_size=200))
    raw = text.encode(encoding)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(raw)), max_size=6)))
    decoder = Decoder(encoding)
    pieces = [raw[a:b] for a, b in zip([0, *cuts], [*cuts, len(raw)])]
    decoded = "".join(decoder.decode(p) for p in pieces) + decoder.decode(b"", final=True)
    assert decoded == text
    assert decoder.invalid == 0


@settings(max_examples=60, deadline=None)
@given(text=st.text(TEXT_CHARS, min_size=1, max_size=300), bom=st.sampled_from(["utf-8-sig", "utf-16", "utf-32"]))
def test_files_with_a_bom_read_back_exactly(text, bom):
    corpus = read_bytes("note.txt", text.encode(bom))
    assert [d.text for d in corpus.documents] == [text]
    assert corpus.skipped == []


@settings(max_examples=60, deadline=None)
@given(text=st.text(TEXT_CHARS, min_size=1, max_size=300))
def test_utf8_with_some_non_ascii_reads_back_exactly(text):
    # A few non-ASCII bytes may be valid UTF-8 by chance (GBK "实" is UTF-8 "ʵ"), so short
    # ones are weighed against legacy encodings; past that, valid UTF-8 is UTF-8.
    if text.startswith("\ufeff"):
        text = "x" + text  # a leading BOM character is the BOM, not text
    text += "价格" * 50
    corpus = read_bytes("note.txt", text.encode())
    assert [d.text for d in corpus.documents] == [text]
    assert corpus.skipped == []


@settings(max_examples=30, deadline=None)
@given(text=st.text(st.characters(min_codepoint=32, max_codepoint=126) | st.sampled_from("\t\n\r"), min_size=1))
def test_ascii_reads_back_exactly(text):
    corpus = read_bytes("note.txt", text.encode())
    assert [d.text for d in corpus.documents] == [text]


@settings(max_examples=40, deadline=None)
@given(text=st.text(st.sampled_from(SIMPLIFIED + "，。 "), min_size=2, max_size=60))
def test_chinese_in_gbk_is_read_as_gb18030(text):
    # A short text's GBK bytes can be valid UTF-8 too (为每 is CE AA C3 BF in GBK, "Ϊÿ" in UTF-8):
    # bytes that are valid UTF-8 are read as UTF-8, so the law is stated for GBK bytes that are not.
    if len(text.strip(" ，。")) < 2:
        text = "价格" + text
    data = text.encode("gbk")
    try:
        data.decode("utf-8")
        assume(False)
    except UnicodeDecodeError:
        pass
    corpus = read_bytes("zh.txt", data)
    assert [d.text for d in corpus.documents] == [text]


@settings(max_examples=40, deadline=None)
@given(text=st.text(st.sampled_from(TRADITIONAL + "，。 "), min_size=4, max_size=60))
def test_chinese_in_big5_is_read_as_big5(text):
    if len(text.strip(" ，。")) < 4:
        text = "這個價格" + text
    corpus = read_bytes("zh.txt", text.encode("big5"))
    assert [d.text for d in corpus.documents] == [text]


CELL_CHARS = st.characters(
    blacklist_categories=("Cs",), blacklist_characters="".join(map(chr, range(0, 32))) + "\x7f"
) | st.sampled_from('\n\r\t",; ')


@settings(max_examples=80, deadline=None)
@given(
    data=st.data(),
    width=st.integers(1, 4),
    delimiter=st.sampled_from([",", ";", "\t"]),
    crlf=st.booleans(),
)
def test_csv_written_by_csv_writer_reads_back_the_same_cells(data, width, delimiter, crlf):
    rows = data.draw(st.lists(st.lists(st.text(CELL_CHARS, max_size=30), min_size=width, max_size=width), min_size=1, max_size=8))
    if not crlf:  # csv.writer quotes only the characters of its line terminator: a bare "\r"
        rows = [[cell.replace("\r", "") for cell in row] for row in rows]  # would be a line end
    header = [f"col{i}" for i in range(width)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(header)
    writer.writerows(rows)
    raw = buffer.getvalue().encode("utf-8-sig")  # as Excel saves "CSV UTF-8"
    for column in range(width):
        options = ReadOptions(column=header[column], group_by=header[-1])
        corpus = read_bytes("table.csv", raw, options)
        assert [d.text for d in corpus.documents] == [r[column] for r in rows]
        assert corpus.groups() == [r[-1] for r in rows]
        assert corpus.skipped == []


@settings(max_examples=150, deadline=None)
@given(
    data=st.binary(max_size=400) | st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
    suffix=st.sampled_from([".txt", ".csv", ".tsv", ".jsonl", ".json", ".xlsx", ".xls", ""]),
    encoding=st.sampled_from([None, "utf-8", "gb18030", "utf-16", "cp1252", "nope"]),
)
def test_any_bytes_are_read_or_reported_never_raised(data, suffix, encoding):
    corpus = read_bytes("input" + suffix, data, ReadOptions(encoding=encoding))
    assert all(p.code in MESSAGES for p in corpus.skipped + corpus.notes)
    assert corpus.documents or corpus.skipped or {p.code for p in corpus.notes} & {"header_only", "empty_list"}
    assert all("\udcff" not in d.text for d in corpus.documents)  # invalid bytes are shown as U+FFFD


PIECES = st.sampled_from(["word", " ", "  ", "\n", "\n\n", "\t", "价格", "👩‍👧", "A", "/", "'s", "123", ".", "\r\n", "é"])


@settings(max_examples=40, deadline=None)
@given(pieces=st.lists(PIECES, min_size=1, max_size=400), block=st.integers(8, 64), encoding=st.sampled_from(["utf-8", "gb18030"]))
def test_streamed_parts_join_to_the_text_and_their_counts_add_up(tmp_path_factory, pieces, block, encoding):
    import ingest.streaming as streaming
    from ingest import iter_documents
    from tokenizers import SUPPORTED_ENCODINGS, count_many, get_encoding

    text = "".join(pieces)
    path = tmp_path_factory.mktemp("parts") / "t.txt"
    path.write_bytes(text.encode(encoding))
    saved = streaming.BLOCK_BYTES
    streaming.BLOCK_BYTES = block
    try:
        documents = list(iter_documents([path], ReadOptions(encoding=encoding), []))
    finally:
        streaming.BLOCK_BYTES = saved
    assert "".join(d.text for d in documents) == text
    assert [d.part for d in documents] == list(range(len(documents)))
    for name in SUPPORTED_ENCODINGS:
        assert sum(count_many([d.text for d in documents], name)) == len(get_encoding(name).encode_ordinary(text))
