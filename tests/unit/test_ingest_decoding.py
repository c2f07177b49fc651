"""Which encoding bytes are read in: BOMs, UTF-8, and plausible text among legacy encodings."""

from __future__ import annotations

import pytest

from ingest.decoding import Decoder, decode_strict, detect_encoding, plausibility


@pytest.mark.parametrize(
    "text",
    ["Größe", "naïve", "Ärger über Öl", "Œuvre complète", "São Paulo"],
)
def test_cp1252_that_gb18030_also_decodes_is_read_as_cp1252(text):
    data = text.encode("cp1252")
    assert decode_strict("gb18030", data, True) is not None  # the trap: valid, but garbage
    assert detect_encoding(data) == "cp1252"


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        ("你好", "gbk", "gb18030"),  # valid Big5 too
        ("价格太贵了", "gbk", "gb18030"),
        ("實", "gbk", "gb18030"),  # GBK "实" is valid UTF-8 ("ʵ")
        ("這個價格", "big5", "big5"),  # valid GB18030 too
        ("カタカナ", "shift_jis", "shift_jis"),
        ("Привет, как дела? Всё хорошо.", "cp1251", "cp1251"),  # charset-normalizer's guess
    ],
)
def test_short_legacy_text_is_read_in_its_encoding(text, encoding, expected):
    assert detect_encoding(text.encode(encoding)) == expected


def test_valid_utf8_past_a_few_bytes_is_utf8_without_weighing():
    data = ("ʵ" * 200).encode()  # each "ʵ" is also GBK "实", but 400 bytes of that is no accident
    assert detect_encoding(data) == "utf-8"


def test_ascii_is_utf8():
    assert detect_encoding(b"??A") == "utf-8"  # not an EBCDIC reading of it


def test_plausibility_prefers_real_text():
    assert plausibility("价格很好") == 1.0
    assert plausibility("Ã¤Ã¶Ã¼") < 0.1  # UTF-8 read as cp1252: long Latin-1 runs
    assert plausibility("plain ascii") == 0.0
    assert plausibility("\ue000\ufffd") == -3.0


def test_decoder_counts_each_invalid_byte_and_never_raises():
    decoder = Decoder("utf-8")
    text = decoder.decode(b"ok \xff\xfe ") + decoder.decode(b"\xe4\xb8", final=True)
    assert text == "ok \ufffd\ufffd \ufffd\ufffd"
    assert decoder.invalid == 4


def test_decoder_keeps_a_real_replacement_character_apart_from_invalid_bytes():
    decoder = Decoder("utf-8")
    assert decoder.decode("a\ufffdb".encode(), final=True) == "a\ufffdb"
    assert decoder.invalid == 0


CHINESE = "价格是多少？我们的模型按照令牌数量收费。\n这是第二行，包含一些中文文本。\n" * 20


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_chinese_without_a_bom_is_detected(encoding):
    from ingest import read_bytes

    data = CHINESE.encode(encoding)  # no NUL in most pairs: the ASCII test cannot see it
    assert detect_encoding(data) == encoding
    corpus = read_bytes("notes.txt", data)
    assert [d.text for d in corpus.documents] == [CHINESE] and corpus.skipped == []
    table = "评论,渠道\n质量一般，物流太慢,门店\n很好用,网店\n".encode(encoding)
    assert [d.text for d in read_bytes("r.csv", table).documents] == ["质量一般，物流太慢", "很好用"]


def test_text_that_utf16_would_also_decode_keeps_its_encoding():
    assert detect_encoding(b"plain lowercase english words " * 20) == "utf-8"  # 'pl' -> U+6C70, a CJK ideograph
    assert detect_encoding(CHINESE.encode("gb18030")) in ("gb18030", "gbk")
    assert detect_encoding(CHINESE.encode("utf-8")) == "utf-8"


def test_a_few_nul_bytes_are_reported_with_their_lines_and_replaced():
    from ingest import read_bytes

    filler = "an ordinary line of a log, nothing to see here\n" * 2
    text = ("first line\nsecond\x00 line\n" + filler) * 3 + "last \x00line\n"  # 4 NULs in 335 bytes
    corpus = read_bytes("log.txt", text.encode())
    assert [d.text for d in corpus.documents] == [text.replace("\x00", "\ufffd")]
    assert [p.message() for p in corpus.skipped] == [
        "4 NUL bytes were replaced by \ufffd (lines 2, 6, 10, 13)"]
    rows = ("id,text\n1,hello\x00 world\n" + "".join(f"{i},fine words\n" for i in range(2, 12))).encode()
    table = read_bytes("t.csv", rows)
    assert [d.text for d in table.documents][:2] == ["hello\ufffd world", "fine words"]
    assert [(p.code, dict(p.params)) for p in table.skipped] == [("nul_bytes", {"count": 1, "lines": "2"})]


def test_bytes_full_of_nuls_are_still_not_text():
    from ingest import read_bytes

    data = bytes(range(256)) * 40
    assert [p.message() for p in read_bytes("blob.txt", data).skipped] == ["this is not a text file (binary data)"]
    zeros = b"header\n" + b"\x00" * 4000
    assert [p.code for p in read_bytes("z.txt", zeros).skipped] == ["not_text"]
