"""Where a text can be cut without changing its token count on o200k_base or cl100k_base.

Both encodings pre-split text with a regex before byte-pair merging; a cut is safe only where
that regex never joins the two sides. Two such places are known and cheap to find:
after a newline followed by printable ASCII other than "/" (o200k's punctuation rule takes
"[\\r\\n/]*"), and, in text without newlines, before a space that follows a non-space and
precedes an ASCII letter. Nowhere else is cut: "\\n\\n" is one token, two "\\n" are two.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_AFTER_NEWLINE = re.compile(r"\n(?=[!-.0-~])")
_BEFORE_WORD = re.compile(r"(?<=\S) (?=[A-Za-z])")


def find_cut(text: str, limit: int, start: int = 0) -> int:
    """A safe cut position in ``text[start:]`` near ``start + limit``, or -1 if none exists.

    Prefers the last safe place at or before the limit (but past half of it); otherwise the
    first one after it, so a long line without cuts makes one longer piece, never a wrong count.
    """
    end = start + limit
    if end >= len(text):
        return -1
    floor = start + limit // 2
    for pattern, shift in ((_AFTER_NEWLINE, 1), (_BEFORE_WORD, 0)):
        last = -1
        for match in pattern.finditer(text, floor, end):
            last = match.start() + shift
        if last > start:
            return last
    for pattern, shift in ((_AFTER_NEWLINE, 1), (_BEFORE_WORD, 0)):
        match = pattern.search(text, end)
        if match and match.start() + shift > start:
            return match.start() + shift
    return -1


def split_safely(text: str, limit: int) -> Iterator[str]:
    """Yield pieces of ``text`` of about ``limit`` characters whose counts add up to the whole's."""
    start = 0
    while start < len(text):
        cut = find_cut(text, limit, start)
        if cut <= start:
            yield text[start:]
            return
        yield text[start:cut]
        start = cut


def safe_prefix_end(text: str) -> int:
    """The end of the longest prefix of ``text`` that can be counted now, when more text may follow.

    Used when streaming: the tail after the returned position is carried over to the next block.
    Returns 0 when no safe place exists yet.
    """
    last = -1
    for match in _AFTER_NEWLINE.finditer(text, max(0, len(text) - 65536)):
        last = match.start() + 1
    if last > 0:
        return last
    for match in _BEFORE_WORD.finditer(text, max(0, len(text) - 65536)):
        last = match.start()
    return max(last, 0)
