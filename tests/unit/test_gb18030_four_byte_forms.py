"""GB18030's four-byte forms decide for GB18030; a single-byte reading is said to be a guess."""

from __future__ import annotations

import io
import json

import pytest

import cli
from ingest import ReadOptions
from ingest.decoding import detect_encoding, is_single_byte
from corpus.pipeline import count_source
from tokenizers import get_encoding

# Only characters GBK lacks, each a four-byte GB18030 form: CJK Extension B and A ideographs,
# Tibetan, Mongolian, Hangul syllables. Read as cp1252 they look like punctuation ("•2‚6").
RARE_LINES = [
    "𠀀𠀁𠀂𠀃 𠮷𡈽𪚥",
    "㐀㐁㐂 㒨㓁",
    "བོད་ཡིག ᠮᠣᠩᠭᠣᠯ",
    "한국어 문장입니다",
]


def n(text: str, encoding: str) -> int:
    return len(get_encoding(encoding).encode_ordinary(text))


@pytest.mark.parametrize("text", ["\n".join(RARE_LINES), "𠀀", "𡈽𪚥", "㐀", "한국"])
def test_text_of_four_byte_forms_only_is_read_as_gb18030(text):
    data = text.encode("gb18030")
    assert all(len(c.encode("gb18030")) == 4 for c in text if c.strip())
    assert detect_encoding(data) == "gb18030"


def test_a_gb18030_file_of_rare_characters_counts_exactly():
    text = "\n".join(RARE_LINES * 50)
    counted = count_source("rare.txt", text.encode("gb18030"), ReadOptions())
    assert counted.info.encoding == "gb18030" and not counted.info.single_byte_guess
    assert counted.totals == {"o200k_base": n(text, "o200k_base"), "cl100k_base": n(text, "cl100k_base")}
    assert counted.totals["o200k_base"] != n(text.encode("gb18030").decode("cp1252", "replace"), "o200k_base")


@pytest.mark.parametrize("text", ["Größe 3ä4ö", "Ü1Ü2", "le 1er été 2é3", "Straße 12, 3ème étage", "Größe 1½ Zoll"])
def test_western_text_with_digits_stays_cp1252(text):
    assert detect_encoding(text.encode("cp1252")) == "cp1252"


@pytest.mark.parametrize(("encoding", "single"), [("cp1252", True), ("latin-1", True), ("cp1251", True),
                                                  ("utf-8", False), ("gb18030", False), ("big5", False),
                                                  ("shift_jis", False), ("utf-16-le", False)])
def test_single_byte_encodings_are_told_apart(encoding, single):
    assert is_single_byte(encoding) is single


def run_cli(*args: str) -> str:
    out = io.StringIO()
    assert cli.main(list(args), out=out) == 0
    return out.getvalue()


def test_the_cli_says_a_detected_cp1252_is_a_guess_and_how_to_override(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_bytes("Größe und Qualität, à la française".encode("cp1252"))
    table = run_cli("estimate", str(path), "--models", "gpt-4o")
    assert (f"source {path}: text, read as cp1252 (a single-byte encoding, guessed: it decodes any bytes, so if "
            "the text is not in a Latin or Cyrillic alphabet, name the file's encoding with --encoding, e.g. "
            "--encoding gb18030), 1 document") in table
    report = json.loads(run_cli("estimate", str(path), "--models", "gpt-4o", "--format", "json"))
    assert report["sources"][0]["encoding"] == "cp1252" and report["sources"][0]["encoding_single_byte_guess"]
    given = json.loads(run_cli("estimate", str(path), "--encoding", "cp1252", "--format", "json"))
    assert not given["sources"][0]["encoding_single_byte_guess"]  # named by the user: no guess
