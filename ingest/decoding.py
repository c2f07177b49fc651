"""Which text encoding bytes are in, and decoding them block by block without ever crashing.

Order: a byte-order mark; then BOM-less UTF-16 (its NUL bytes are valid UTF-8); then strict
UTF-8; then the candidates (GB18030, Big5, Shift-JIS, cp932, cp1252, latin-1, and
charset-normalizer's guess) that decode the sample strictly, ranked by how plausible their text is. Plausibility matters because legacy
encodings decode each other's bytes silently: short GBK text is valid Big5, cp1252 text is
often valid GB18030. Real text is made of common characters; misread text is not.
"""

from __future__ import annotations

import codecs
import functools
import re
import unicodedata

from ingest.common_chars import COMMON_CJK
from ingest.documents import Problem

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
CANDIDATES = ("gb18030", "big5", "shift_jis", "cp932", "cp1252", "latin-1")

# Undecodable bytes become this lone surrogate (which no valid decoding produces), one per byte,
# so they can be counted after decoding and shown as U+FFFD.
# BOM-less UTF-16 Chinese: the share of these characters in its first pairs that decides it.
_CJK_TEXT = re.compile("[\u4e00-\u9fff\u3400-\u4dbf\u3000-\u303f\uff00-\uffef\t\n\r\x20-\x7e]")
_CJK_SHARE = 0.9
_CJK_PLAUSIBLE = 0.7
_CJK_SAMPLE_PAIRS = 1 << 15
#: A ``nul_bytes`` problem names at most this many lines.
NUL_LINES = 20
_MARK = "\udcff"
ERRORS = "ingest-mark"  # the error handler name, for io.TextIOWrapper; pair it with Decoder.clean
codecs.register_error(ERRORS, lambda exc: (_MARK * (exc.end - exc.start), exc.end))

_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
# GB18030's four-byte form: a lead byte, a digit, a lead byte, a digit.
_GB18030_FOUR_BYTE = re.compile(rb"[\x81-\xfe][\x30-\x39][\x81-\xfe][\x30-\x39]")
# What cp1252 adds to Latin-1 (0x80-0x9F) that real Western text uses: quotes, dashes, €, Œ ...
_CP1252_EXTRAS = frozenset("\u2018\u2019\u201a\u201c\u201d\u201e\u2013\u2014\u2026\u2022\u20ac\u2122ŒœŠšŽžŸƒ")
_ASCII = bytes(range(128))
# Valid UTF-8 with at most this many non-ASCII bytes is weighed against the legacy encodings,
# which must then be clearly more plausible to win.
_SHORT_NON_ASCII = 256
_UTF8_MARGIN = 0.3
_CLEARLY_TEXT = 0.9
# Non-ASCII characters scored; enough to judge, cheap on a megabyte sample.
_SCORED_CHARS = 20000


def codec_name(encoding: str) -> str | None:
    """Python's name for ``encoding`` ("GBK" -> "gbk"), or None if there is no such codec."""
    try:
        return codecs.lookup(encoding).name
    except (LookupError, TypeError, ValueError):
        return None


@functools.lru_cache(maxsize=64)
def is_single_byte(encoding: str) -> bool:
    """Whether ``encoding`` maps every byte to one character on its own (cp1252, latin-1, cp1251 ...).

    Such an encoding decodes any bytes at all, so a file read in one by detection may be another
    encoding misread: the reader is told, with the way to name the right one.
    """
    try:
        decoder = codecs.getincrementaldecoder(encoding)("replace")
    except (LookupError, TypeError):
        return False
    # A multi-byte encoding (UTF-8, GB18030, UTF-16 ...) waits for more after some lone byte.
    return all(len(decoder.decode(bytes([b]), False)) == 1 for b in range(256))


def bom_encoding(head: bytes) -> str | None:
    """The encoding a byte-order mark at the start of ``head`` announces, or None."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    return None


def utf16_without_bom(head: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when ``head`` looks like BOM-less UTF-16: NUL every other byte
    (mostly ASCII), or Chinese (see ``_cjk_utf16``)."""
    pairs = len(head) // 2
    if pairs < 2:
        return None
    even_nul = head[0 : 2 * pairs : 2].count(0)
    odd_nul = head[1 : 2 * pairs : 2].count(0)
    # Mostly-ASCII UTF-16 has a NUL in one half of (nearly) every pair and none in the other.
    if odd_nul >= 0.4 * pairs and even_nul <= 0.02 * pairs:
        return "utf-16-le"
    if even_nul >= 0.4 * pairs and odd_nul <= 0.02 * pairs:
        return "utf-16-be"
    return _cjk_utf16(head[: 2 * min(pairs, _CJK_SAMPLE_PAIRS)])


def _cjk_utf16(sample: bytes) -> str | None:
    """The UTF-16 byte order in which ``sample`` (not UTF-8) reads as Chinese text: nearly every
    character an ideograph, CJK or full-width punctuation, or ASCII text. Chinese in UTF-16 has
    few NUL bytes, so the test above misses it. ASCII (which any pair of letters reads as an
    ideograph in UTF-16) is valid UTF-8, and GBK or UTF-8 Chinese read as UTF-16 gives mostly
    Hangul, private-use and other characters: none of them passes."""
    if len(sample) < 8 or decode_strict("utf-8", sample, False) is not None:
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        text = decode_strict(encoding, sample, False)
        # Letters of a Latin text read in pairs are ideographs too, but rare ones: plausibility
        # (common characters score 1, rare ones 0.3) tells them from real Chinese.
        if text and _CJK_TEXT.subn("", text)[1] >= _CJK_SHARE * len(text) and plausibility(text) >= _CJK_PLAUSIBLE:
            return encoding
    return None


def with_byte_order(encoding: str, head: bytes) -> str:
    """``encoding``, made explicit for UTF-16/32 named without byte order and used without a BOM.

    Python's incremental "utf-16"/"utf-32" decoders refuse a stream that lacks a BOM.
    """
    if encoding not in ("utf-16", "utf-32") or bom_encoding(head) == encoding:
        return encoding
    if encoding == "utf-16" and utf16_without_bom(head) == "utf-16-be":
        return "utf-16-be"
    return encoding + "-le"


def decode_strict(encoding: str, data: bytes, final: bool) -> str | None:
    """``data`` decoded as ``encoding``, or None if any byte is invalid.

    With ``final`` False a multi-byte character cut at the end of ``data`` is not an error.
    """
    try:
        return codecs.getincrementaldecoder(encoding)("strict").decode(data, final)
    except UnicodeDecodeError:
        return None


def _decode_slice(encoding: str, data: bytes) -> str | None:
    # A slice from the middle of a file may start inside a multi-byte character.
    for skip in range(4):
        text = decode_strict(encoding, data[skip:], False)
        if text is not None:
            return text
    return None


def detect_encoding(head: bytes, middle: bytes = b"", complete: bool = True) -> str:
    """The encoding of a file from its first bytes ``head`` and a ``middle`` slice (maybe empty).

    ``complete`` says ``head`` is the whole file. Returns a Python codec name; the result
    always decodes the file, undecodable bytes being replaced (see ``Decoder``).
    """
    bom = bom_encoding(head)
    if bom:
        return bom
    utf16 = utf16_without_bom(head)
    if utf16 and decode_strict(utf16, head[: len(head) // 2 * 2], complete) is not None:
        return utf16
    utf8 = decode_strict("utf-8", head, complete)
    if utf8 is not None and (not middle or _decode_slice("utf-8", middle) is not None):
        # Long valid UTF-8 is never chance; a few GBK characters often are valid UTF-8 ("实").
        non_ascii = len(head.translate(None, _ASCII))
        if non_ascii == 0 or non_ascii > _SHORT_NON_ASCII:
            return "utf-8"
        return _most_plausible(head, middle, complete, "utf-8", plausibility(utf8) + _UTF8_MARGIN, _CLEARLY_TEXT)
    if _has_gb18030_four_byte_forms(head, middle, complete):
        return "gb18030"
    lenient = head.decode("utf-8", "replace") + middle.decode("utf-8", "replace")
    return _most_plausible(head, middle, complete, "utf-8", plausibility(lenient))


def _most_plausible(
    head: bytes, middle: bytes, complete: bool, best: str, best_score: float, floor: float = -3.0
) -> str:
    """The candidate whose text scores highest (and at least ``floor``), else ``best``."""
    for encoding in _candidates(head):
        text = decode_strict(encoding, head, complete)
        rest = _decode_slice(encoding, middle) if middle else ""
        if text is None or rest is None:
            continue
        score = plausibility(text + rest)
        if score > best_score and score >= floor:
            best, best_score = encoding, score
    return best


def _has_gb18030_four_byte_forms(head: bytes, middle: bytes, complete: bool) -> bool:
    """Whether the bytes are valid GB18030 holding a character only its four-byte forms encode.

    A four-byte form (lead, digit, lead, digit) is valid in no other candidate: Big5 and
    Shift-JIS never follow a lead byte with a digit, and a single-byte reading of it is a
    coincidence of accented letters and digits that real text almost never makes. So rare
    ideographs (CJK extensions), Tibetan, Mongolian or Hangul in GB18030 decide the question
    even where their single-byte misreading looks like punctuation ("•2‚6").
    """
    text = decode_strict("gb18030", head, complete)
    rest = _decode_slice("gb18030", middle) if middle else ""
    if text is None or rest is None or not _GB18030_FOUR_BYTE.search(head + middle):
        return False
    return any(_is_four_byte_character(char) for char in set(text + rest) if char > "\x7f")


def _is_four_byte_character(char: str) -> bool:
    # Assigned and not private use: a four-byte form decoding to nothing real is no evidence.
    return unicodedata.category(char) not in ("Cn", "Co", "Cs", "Cc") and len(char.encode("gb18030")) == 4


def _candidates(head: bytes) -> list[str]:
    names = list(CANDIDATES)
    try:
        from charset_normalizer import from_bytes

        guess = from_bytes(head[:65536]).best()
    except Exception:  # the detector is a hint; a failure of it is no reason to fail reading
        guess = None
    if guess is not None:
        name = codec_name(guess.encoding)
        # Only ASCII-compatible guesses: an EBCDIC reading of ASCII text is never what was meant.
        if name and name not in {codec_name(n) for n in names} and _ascii_compatible(name):
            names.append(name)
    return names


def _ascii_compatible(encoding: str) -> bool:
    try:
        return bytes(range(32, 127)).decode(encoding) == "".join(map(chr, range(32, 127)))
    except (UnicodeDecodeError, LookupError):
        return False


def plausibility(text: str) -> float:
    """How much ``text`` looks like real writing, from -3 (garbage) to 1, judged on non-ASCII.

    Common CJK characters, kana, CJK punctuation and isolated Latin-1/cp1252 letters score 1; rare
    ideographs 0.3; letters of other scripts 0.5; unassigned 0; control, private-use and
    replacement characters -3. Runs of three or more Latin-1 letters (as CJK bytes read as
    cp1252 give) score 0. Text without non-ASCII characters scores 0.
    """
    score = 0.0
    total = 0
    for match in _NON_ASCII_RUN.finditer(text):
        run = match.group()
        short = len(run) <= 2
        if not _utf8_read_as_cp1252(run):
            for char in run:
                score += _weight(char, short)
        total += len(run)
        if total >= _SCORED_CHARS:
            break
    return score / total if total else 0.0


def _utf8_read_as_cp1252(run: str) -> bool:
    """Whether a two-character run is one UTF-8 character read as cp1252 ("Ä€" for "Ā", "Ð–" for "Ж").

    Such a pair is a lead byte (C2-DF) and a continuation byte (80-BF): mojibake, not writing.
    """
    if len(run) != 2 or not 0xC2 <= ord(run[0]) <= 0xDF:
        return False
    try:
        return 0x80 <= run[1].encode("cp1252")[0] <= 0xBF
    except UnicodeEncodeError:
        return False


def _weight(char: str, short_run: bool) -> float:
    code = ord(char)
    if char in COMMON_CJK or 0x3000 <= code <= 0x30FF or 0xFF01 <= code <= 0xFF5E:
        return 1.0
    category = unicodedata.category(char)
    if category in ("Cc", "Co", "Cs") or char == "\ufffd":
        return -3.0
    if category == "Cn":  # unassigned here, maybe assigned in a newer Unicode: no evidence
        return 0.0
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF:
        return 0.3
    if 0xFF61 <= code <= 0xFF9F:  # half-width katakana: what GBK bytes look like as Shift-JIS
        return 0.2
    if 0xA0 <= code <= 0xFF or char in _CP1252_EXTRAS:
        if category[0] == "L" or char in _CP1252_EXTRAS or char in "\u00a0«»°©®·¿¡":
            return 1.0 if short_run else 0.0
        return 0.1
    if category[0] == "L":
        return 0.5
    return 0.1


class Decoder:
    """Incremental decoding that never raises: each undecodable byte becomes U+FFFD and is counted,
    and so does each NUL character (a stray one in a text file), with the lines it is on.

    ``invalid`` is the number of bytes replaced so far; ``nuls`` the NUL characters replaced,
    ``nul_lines`` the first NUL_LINES lines (from 1) that held them.
    """

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self.invalid = 0
        self.nuls = 0
        self.nul_lines: list[int] = []
        self._lines = 0  # newlines seen so far
        self._decoder = codecs.getincrementaldecoder(encoding)(ERRORS)

    def decode(self, data: bytes, final: bool = False) -> str:
        """The text of the next ``data`` bytes (a character cut at the end waits for more)."""
        return self.clean(self._decoder.decode(data, final))

    def clean(self, text: str) -> str:
        """``text`` decoded with errors="ingest-mark", its marks counted and shown as U+FFFD."""
        if _MARK in text:
            self.invalid += text.count(_MARK)
            text = text.replace(_MARK, "\ufffd")
        if "\x00" in text:
            self._note_nuls(text)
            text = text.replace("\x00", "\ufffd")
        self._lines += text.count("\n")
        return text

    def _note_nuls(self, text: str) -> None:
        self.nuls += text.count("\x00")
        at = text.find("\x00")
        while at >= 0 and len(self.nul_lines) < NUL_LINES:
            line = self._lines + text.count("\n", 0, at) + 1
            if not self.nul_lines or self.nul_lines[-1] != line:
                self.nul_lines.append(line)
            at = text.find("\x00", at + 1)

    def nul_problem(self, name: str) -> Problem | None:
        """The ``nul_bytes`` problem of the text read as ``name``; None when it held no NUL."""
        if not self.nuls:
            return None
        lines = ", ".join(map(str, self.nul_lines)) + (", …" if len(self.nul_lines) >= NUL_LINES else "")
        return Problem("nul_bytes", name, {"count": self.nuls, "lines": lines})

