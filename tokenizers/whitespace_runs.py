"""Whitespace runs too long for a tokenizer's regex, cut the way the regex itself would cut them.

tiktoken's regex (and kitoken's) overflows its stack on about a million whitespace characters in
a row; far below that it is fine. Every BPE split pattern counted here ends in the same three
whitespace rules (``\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+``), so a long run is cut by hand into the
pieces those rules make, and only the text around it goes to the regex.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

# What the tokenizers' regexes call \s: Unicode White_Space. Python's own \s also takes
# U+001C..U+001F, which those regexes treat as punctuation, so the class is spelled out.
WHITESPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
#: Runs at least this long are cut by hand (read at call time: tests lower it).
LONG_WHITESPACE = re.compile(f"[{WHITESPACE}]{{100000,}}")


def segments(text: str, absorbs_newlines: Callable[[str], bool],
             isolated: Callable[[str], bool] | None = None) -> Iterator[tuple[str, bool]]:
    """Split ``text`` around whitespace runs too long for the regex.

    Yields (segment, is_single_pretoken_piece). ``absorbs_newlines(ch)`` says whether a piece
    ending in the character ``ch`` takes the newlines right after it (a punctuation piece's
    ``[\\r\\n]*``). Long runs are cut as the regex cuts them: up to the last newline of the run is
    one piece; of the rest, all but the last character is one piece when a non-space follows
    (the last one joins the next word), the whole rest when the run ends its part of the text:
    ``isolated(ch)`` says whether ``ch`` is split off before the regex runs (DeepSeek isolates
    digits and CJK first), so that a run before it ends its part.
    """
    pos = 0
    for match in LONG_WHITESPACE.finditer(text):
        start, end = match.span()
        if start > 0 and absorbs_newlines(text[start - 1]):
            while start < end and text[start] in "\r\n":
                start += 1
            if start == end:
                # All newlines, so all in that punctuation piece (which, on o200k, goes on
                # through a following "/"); the regex handles such runs itself.
                continue
        if start > pos:
            yield text[pos:start], False
        run = text[start:end]
        followed = end < len(text) and not (isolated and isolated(text[end]))
        last_newline = max(run.rfind("\n"), run.rfind("\r"))
        if last_newline >= 0:
            yield run[: last_newline + 1], True
            run = run[last_newline + 1 :]
        if run and followed:
            if len(run) > 1:
                yield run[:-1], True
            pos = end - 1
        else:
            if run:
                yield run, True
            pos = end
    if pos < len(text):
        yield text[pos:], False
