"""An upload read as a guessed single-byte encoding is said to be a guess, with the box to change it."""

from __future__ import annotations

from tokenizers import get_encoding
from ui.formatting import format_tokens

RARE = "𠀀𠀁𠀂𠀃 𠮷𡈽𪚥\n㐀㐁㐂 㒨㓁\n한국어 문장입니다"
FRENCH = "Größe und Qualität, à la française : très cher, trop cher."


def n(text: str, encoding: str = "o200k_base") -> int:
    return len(get_encoding(encoding).encode_ordinary(text))


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_a_cp1252_guess_is_a_warning_in_both_languages_and_gone_once_chosen(open_app):
    at = open_app({"lang": "en"})
    at.file_uploader(key="estimate_files").set_value([("notes.txt", FRENCH.encode("cp1252"), "text/plain")]).run()
    assert not at.exception, at.exception
    assert [w.value for w in at.warning if "single-byte" in w.value] == [
        "Read as cp1252, a single-byte encoding guessed from the bytes. Such an encoding reads any file, so if this "
        "text is not in a Latin or Cyrillic alphabet the count is of garbled text: choose the file's encoding in the "
        "box above (GB18030, Big5, Shift-JIS …)."]
    assert metrics(at)["Tokens (o200k_base, exact)"] == format_tokens(n(FRENCH))
    at.selectbox(key="encoding_0_notes.txt").set_value("cp1252").run()  # named: no longer a guess
    assert not [w for w in at.warning if "single-byte" in w.value]

    zh = open_app({"lang": "zh"})
    zh.file_uploader(key="estimate_files").set_value([("notes.txt", FRENCH.encode("cp1252"), "text/plain")]).run()
    assert any(w.value.startswith("已按 cp1252 读取：这是根据字节猜测的单字节编码") for w in zh.warning)


def test_a_gb18030_upload_of_rare_characters_is_counted_exactly(open_app):
    at = open_app({"lang": "en"})
    at.file_uploader(key="estimate_files").set_value([("rare.txt", RARE.encode("gb18030"), "text/plain")]).run()
    assert not at.exception, at.exception
    assert "Detected: gb18030" in [c.value for c in at.caption]
    assert not [w for w in at.warning if "single-byte" in w.value]
    assert metrics(at)["Tokens (o200k_base, exact)"] == format_tokens(n(RARE))
    assert metrics(at)["Tokens (cl100k_base, exact)"] == format_tokens(n(RARE, "cl100k_base"))
