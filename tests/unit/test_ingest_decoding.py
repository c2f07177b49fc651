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
