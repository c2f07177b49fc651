"""Long texts that come back in a corpus, counted once: a dictionary-encoded Parquet column or
an xlsx shared string hands every row the same value, and counting it again for each row costs
minutes for nothing (100,000 rows of one 256 KiB value: 25 GB of text to tokenize). The count of
a text is a function of the text, so a repeat takes the first one's counts: exact and instant.
"""

from __future__ import annotations

from collections.abc import Iterator

#: Texts shorter than this are counted each time (looking them up costs about as much).
REPEAT_MIN_CHARS = 1024
#: The texts remembered may hold this many characters in all (they are the corpus's own strings,
#: not copies; past it the oldest are forgotten).
REPEAT_MEMORY_CHARS = 64 << 20


class RepeatedTexts:
    """The counts of long texts already counted (or being counted), per encoding, and the
    documents waiting for a text whose count is still on its way."""

    def __init__(self, encodings: tuple[str, ...], min_chars: int = REPEAT_MIN_CHARS,
                 memory_chars: int = REPEAT_MEMORY_CHARS) -> None:
        self.encodings = encodings
        self.min_chars = min_chars
        self.memory_chars = memory_chars
        self._counts: dict[str, dict[str, int]] = {}  # a text's counts, complete or not yet
        self._chars = 0
        self._waiting: list[tuple[int, str, int]] = []  # (document, text, its UTF-8 size)
        self._last_text: str | None = None
        self._last_counts: dict[str, int] | None = None

    def is_candidate(self, text: str) -> bool:
        """Whether ``text`` is long enough to be looked up."""
        return len(text) >= self.min_chars

    def counted(self, text: str) -> dict[str, int] | None:
        """The counts of ``text`` on every encoding, once it has been counted (else None)."""
        if text is self._last_text:  # rows sharing one string: no comparison of its characters
            return self._last_counts
        counts = self._counts.get(text)
        if counts is None or len(counts) != len(self.encodings):
            return None
        self._last_text, self._last_counts = text, counts
        return counts

    def seen(self, text: str, owner: int, size: int) -> bool:
        """True when ``text`` was met before: its counts go to document ``owner`` once known
        (``take_resolved``). False the first time: the caller counts it, then calls ``learn``."""
        if text in self._counts:
            self._waiting.append((owner, text, size))
            return True
        if self._chars + len(text) > self.memory_chars:
            self._forget_counted()
        self._counts[text] = {}
        self._chars += len(text)
        return False

    def learn(self, text: str, encoding: str, tokens: int) -> None:
        """The count of ``text`` on ``encoding`` (ignored for a text not registered by ``seen``)."""
        counts = self._counts.get(text)
        if counts is not None:
            counts[encoding] = tokens

    def take_resolved(self) -> Iterator[tuple[int, dict[str, int], int]]:
        """(document, counts, UTF-8 size) of each waiting repeat whose text is now counted."""
        still: list[tuple[int, str, int]] = []
        for owner, text, size in self._waiting:
            counts = self._counts.get(text)
            if counts is not None and len(counts) == len(self.encodings):
                yield owner, counts, size
            else:
                still.append((owner, text, size))
        self._waiting = still

    def waiting(self) -> int:
        """How many repeats wait for a count."""
        return len(self._waiting)

    def first_waiting(self) -> int | None:
        """The earliest document still waiting for a count (None: none)."""
        return min((owner for owner, _, _ in self._waiting), default=None)

    def _forget_counted(self) -> None:
        waited = {text for _, text, _ in self._waiting}
        for text in [t for t, c in self._counts.items() if len(c) == len(self.encodings) and t not in waited]:
            del self._counts[text]
            self._chars -= len(text)
