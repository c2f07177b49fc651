"""Which column of a table holds the text: each column scored from its cells, the most text-like chosen.

A table's first column is often an id, a date or a number; counting it would price the wrong
text. Each column's sample cells are sorted into numbers, dates/times, URLs (and e-mails and
paths), ids and text; a column's score is how much of it is text, how wordy and how varied.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ingest.limits import spend

#: Kinds of column that are not text to count; the app warns when one of them is selected.
WRONG_KINDS = frozenset({"id", "number", "date", "url", "empty"})

# Cells that stand for "no value" in exports (pandas, R, SQL dumps, Excel).
_NULLS = frozenset({"na", "n/a", "nan", "null", "none", "nil", "-", "--", "—", "#n/a"})
# Only the start of a long cell is looked at: a long cell is text, whatever its characters.
_CELL_CHARS = 1000
# Mean lengths (in characters) around this are where a column stops looking like labels.
_LENGTH_SCALE = 10
_CURRENCY = r"[$€£¥￥₹₩₽]"
_NUMBER = re.compile(
    rf"""[+\-−(]?\s*{_CURRENCY}?\s*[+\-−]?
    (?:\d{{1,3}}(?:[,.'\u00a0\u202f\u2009 ]\d{{3}})+|\d+)   # 1,234,567 / 1.234 / 1 234 / 12
    (?:[.,]\d+)?(?:[eE][+-]?\d+)?                             # decimals, exponent
    \s*(?:%|‰|{_CURRENCY}|元|円|[A-Z]{{3}})?\)?""",
    re.VERBOSE,
)
_TIME = r"\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*[AaPp]\.?[Mm]\.?)?(?:\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2}))?"
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DAY = (
    r"(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"  # 2024-01-02, 2024/01/02, 2024.01.02
    r"|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}"  # 02.01.2024, 1/2/24
    r"|\d{4}年\d{1,2}月(?:\d{1,2}日)?"  # 2024年1月2日
    rf"|\d{{1,2}}\s+{_MONTH}\s+\d{{4}}"  # 2 Jan 2024
    rf"|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}})"  # Jan 2, 2024
)
_DATE = re.compile(rf"(?:{_DAY}(?:[T\s]+{_TIME}|(?:\d{{1,2}}[时時点:]\d{{2}}分?))?|{_TIME})", re.IGNORECASE)
_URL = re.compile(
    r"(?:(?:https?|ftp)://\S+|www\.\S+\.\S+|mailto:\S+"
    r"|[^@\s]+@[^@\s]+\.[^@\s.]+"  # e-mail
    r"|[A-Za-z]:[\\/][^\n]*|(?:\\\\|~?/|\.{1,2}[\\/])\S+)",  # C:\My files\a.txt, \\server\share, /var/log, ./a
    re.IGNORECASE,
)
_UUID = re.compile(r"\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?", re.IGNORECASE)
_HASH = re.compile(r"(?:0x)?[0-9a-f]{16,}", re.IGNORECASE)
# A code: letters, digits and joiners, no spaces, at least one digit (A-1023, ORD_00012, x7f3k).
_CODE = re.compile(r"(?=\S*\d)[A-Za-z0-9]+(?:[-_./:#][A-Za-z0-9]+)*")
_INTEGER = re.compile(r"\d+")
# Codes that are (nearly) all different are ids; repeated ones are labels ("SKU-7" in every row).
_UNIQUE = 0.9
# A text column with at most this many distinct values (relative to its cells) is a category.
_CATEGORY_SHARE = 0.5
_CATEGORY_LENGTH = 24
# Columns profiled between two looks at the read's limits (a clock read and the checkpoint).
_CHECK_COLUMNS = 1024
#: The text column is chosen among this many first columns (as many as a spreadsheet can hold):
#: profiling a million took 9 s and 470 MB, for a table nobody writes text into its millionth column.
PROFILED_COLUMNS = 16_384


@dataclass(frozen=True)
class ColumnProfile:
    """How text-like one column's sample cells are.

    ``kind`` is "text", "category" (few distinct short labels), "id", "number", "date", "url"
    or "empty"; ``score`` is in [0, 1], higher for more text-like. ``filled`` is the share of
    cells that hold a value, ``text_share`` the share of those that are text (not a number,
    date, URL or id), ``letters`` the share of letters (any script) in the text cells,
    ``mean_length`` their mean length in characters and ``distinct`` the share of distinct values.
    """

    name: str
    index: int
    kind: str
    score: float
    filled: float = 0.0
    text_share: float = 0.0
    letters: float = 0.0
    mean_length: float = 0.0
    distinct: float = 0.0


@dataclass(frozen=True)
class ColumnChoice:
    """The column chosen to count (``column``, at ``index`` of the header), and every column's profile."""

    column: str
    index: int
    profiles: tuple[ColumnProfile, ...]

    def profile(self, column: str | int) -> ColumnProfile | None:
        """The profile of ``column`` (a name, its first occurrence, or an index); None if there is none."""
        if isinstance(column, int):
            return self.profiles[column] if 0 <= column < len(self.profiles) else None
        return next((p for p in self.profiles if p.name == column), None)

    def looks_wrong(self, column: str | int) -> str | None:
        """The kind ("id", "number", "date", "url", "empty") when ``column`` does not look like text
        to count, else None (also for a column not in the table)."""
        found = self.profile(column)
        return found.kind if found is not None and found.kind in WRONG_KINDS else None

    @property
    def is_text(self) -> bool:
        """Whether the chosen column looks like text (else no column did, and it is the best of the rest)."""
        return self.looks_wrong(self.index) is None


def profile_columns(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[ColumnProfile]:
    """A profile of each of the first PROFILED_COLUMNS columns of ``header`` from the sample
    ``rows`` (missing cells count as empty).

    Under ``ingest.limits.within`` the time limit and the checkpoint are met every
    _CHECK_COLUMNS columns.
    """
    rows = list(rows)
    profiles = []
    for index, name in enumerate(header[:PROFILED_COLUMNS]):
        if index % _CHECK_COLUMNS == 0:
            spend()
        cells = [row[index] if index < len(row) else "" for row in rows]
        profiles.append(_profile(name, index, cells))
    return profiles


def choose_text_column(
    header: Sequence[str], rows: Iterable[Sequence[str]], exclude: Iterable[str] = ()
) -> ColumnChoice:
    """The most text-like column of a table, from its ``header`` and sample ``rows``.

    The highest score wins, the leftmost on a tie; a repeated name counts at its first
    occurrence only (a column is named by its name). Only the first PROFILED_COLUMNS columns
    are profiled and can be chosen (``ColumnChoice.profile`` is None for the others). Columns named in ``exclude`` (e.g. the
    group column) are chosen only when nothing else is left. When no column is text-like the
    best of the rest is chosen anyway: ``ColumnChoice.is_text`` is then False.
    Raises ValueError for an empty ``header``.
    """
    if not header:
        raise ValueError("a table without columns has no text column")
    profiles = tuple(profile_columns(header, rows))
    avoid = set(exclude)
    first_index: dict[str, int] = {}
    for index, name in enumerate(header[:PROFILED_COLUMNS]):
        first_index.setdefault(name, index)
    first = [p for p in profiles if first_index[p.name] == p.index]
    candidates = [p for p in first if p.name not in avoid] or first
    best = max(candidates, key=lambda p: (p.score, -p.index))
    return ColumnChoice(column=best.name, index=best.index, profiles=profiles)


def _profile(name: str, index: int, cells: list[str]) -> ColumnProfile:
    values = [cell.strip() for cell in cells]
    values = [v for v in values if v and v.lower() not in _NULLS]
    if not values:
        return ColumnProfile(name, index, "empty", 0.0)
    filled = len(values) / len(cells)
    distinct = len(set(values)) / len(values)
    kinds = [_cell_kind(v) for v in values]
    if "code" in kinds:
        code_kind = "id" if distinct >= _UNIQUE else "text"
        kinds = [code_kind if k == "code" else k for k in kinds]
    texts = [v for v, k in zip(values, kinds) if k == "text"]
    text_share = len(texts) / len(values)
    letters = _letter_share(texts)
    mean_length = sum(len(v) for v in texts) / len(texts) if texts else 0.0
    kind = _column_kind(values, kinds, text_share, distinct, mean_length)
    textness = text_share * (0.25 + 0.75 * letters) * mean_length / (mean_length + _LENGTH_SCALE)
    textness *= 0.5 + 0.5 * distinct
    if kind == "category":
        textness *= 0.5
    # Any value beats none: a column of numbers is a better last resort than an empty one.
    score = (0.5 + 0.5 * filled) * (0.01 + 0.99 * textness)
    return ColumnProfile(
        name, index, kind, round(score, 6), round(filled, 6), round(text_share, 6), round(letters, 6),
        round(mean_length, 6), round(distinct, 6),
    )


def _cell_kind(value: str) -> str:
    """"number", "date", "url", "id", "code" (an id if its column is unique) or "text"."""
    if len(value) > 200:
        return "text"
    if _DATE.fullmatch(value):
        return "date"
    if _NUMBER.fullmatch(value):
        return "number"
    if _UUID.fullmatch(value) or _HASH.fullmatch(value):
        return "id"
    if _URL.fullmatch(value):
        return "url"
    if _CODE.fullmatch(value):
        return "code"
    return "text"


def _letter_share(texts: list[str]) -> float:
    """The share of letters (str.isalpha: any script, CJK included) among non-space characters."""
    letters = visible = 0
    for text in texts:
        sample = text[:_CELL_CHARS]
        visible += sum(not c.isspace() for c in sample)
        letters += sum(c.isalpha() for c in sample)
    return letters / visible if visible else 0.0


def _column_kind(values: list[str], kinds: list[str], text_share: float, distinct: float, mean_length: float) -> str:
    if text_share < 0.5:
        counts = {k: kinds.count(k) for k in ("number", "date", "url", "id")}
        kind = max(counts, key=lambda k: counts[k])  # ties: the first of number, date, url, id
        if kind == "number" and _is_serial(values, distinct):
            return "id"
        return kind
    labels = len(values) * distinct
    few = labels <= _CATEGORY_SHARE * len(values) or (
        labels <= 2 and len(values) < 10 and not any(" " in v for v in values) and max(map(len, values)) <= 12
    )
    return "category" if few and len(values) > 1 and mean_length <= _CATEGORY_LENGTH else "text"


def _is_serial(values: list[str], distinct: float) -> bool:
    """Whether numbers look like ids: unique integers counting up, or of one width (00012, 104233)."""
    if distinct < 1 or len(values) < 2 or not all(_INTEGER.fullmatch(v) for v in values):
        return False
    numbers = [int(v) for v in values]
    widths = {len(v) for v in values}
    return numbers == sorted(numbers) or (len(widths) == 1 and widths.pop() >= 4) or any(v[0] == "0" for v in values)
