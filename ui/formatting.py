"""Numbers on screen: money (USD, or CNY at the user's rate), token counts, shares.

The core's Decimals (converted to the user's currency in ``pricing.currency``) are rounded here
and only here.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Sequence

from ingest.documents import visible
from pricing.currency import DEFAULT_CNY_PER_USD, MoneyView, to_currency

SYMBOLS = {"USD": "$", "CNY": "¥"}


def _places(amount: Decimal) -> int:
    # Small sums keep enough digits to be told apart: $0.000125 must not show as $0.00.
    size = abs(amount)
    if size == 0 or size >= 1:
        return 2
    if size >= Decimal("0.01"):
        return 4
    if size >= Decimal("0.0001"):
        return 6
    # Below a hundredth of a cent: two significant digits ($0.0000059, never $0.000006 or $0.000000).
    return min(-size.adjusted() + 1, 12)


def format_money(usd: Decimal, view: MoneyView = MoneyView()) -> str:
    """``usd`` as text in ``view``'s currency, e.g. ``$1,234.57``, ``$0.0042``, ``¥8.88``.

    One rule for every figure, in every table cell, card and chart label, in both currencies:
    the amount is converted exactly (``pricing.currency``), then rounded half up, once, to the
    places its own size needs (cents from 1 up; 4 places from a cent; 6 from a hundredth of a
    cent; two significant digits below). It depends on nothing but the amount, so two equal
    amounts always print the same (¥2.50 beside ¥2.50, never ¥2.51), and a row's parts are not
    nudged to add up to its total: each is its own amount rounded once.
    """
    amount = to_currency(usd, view)
    places = _places(amount)
    return _money_text(amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), places, view)


def _money_text(rounded: Decimal, places: int, view: MoneyView) -> str:
    sign = "-" if rounded < 0 else ""
    return f"{sign}{SYMBOLS.get(view.currency, '')}{abs(rounded):,.{places}f}"


def format_tokens(count: int) -> str:
    """A token count with thousands separators, e.g. ``1,234,567``."""
    return f"{count:,}"


def format_share(share: Decimal | None) -> str:
    """A share as a percentage with one decimal (``12.5%``); ``–`` when undefined."""
    if share is None:
        return "–"
    percent = (Decimal(share) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{percent}%"


def format_rate(view: MoneyView) -> str:
    """The exchange rate a CNY view uses, e.g. ``1 USD = 7.1 CNY``."""
    return f"1 USD = {format(view.cny_per_usd.normalize(), 'f')} CNY"


def rate_caption_key(view: MoneyView) -> str:
    """The message key for the caption under money in yuan: the rate is the user's only once
    they changed it; until then it is an assumption they should be told how to change."""
    return "window_rate_assumed" if view.cny_per_usd == DEFAULT_CNY_PER_USD else "rate_shown"


# Labels render inline Markdown only (bold, italics, strikethrough, code, links, images, emoji,
# :color[...] and math), so only the characters that open those are escaped; common file
# names such as "reviews (1).csv" stay unchanged, which keeps aria labels clean.
_MARKDOWN_SPECIALS = frozenset("\\`*_[]<>!:~$&|")


def web_link(url: str) -> str | None:
    """``url`` when it is an http(s) address, the only kind a page renders as a link; else None
    (a ``javascript:`` or ``data:`` link from a price file runs in the reader's browser)."""
    return url if url.lower().startswith(("https://", "http://")) else None


def escape_markdown(text: str) -> str:
    """``text`` with every Markdown/Streamlit markup character backslash-escaped, and its control
    and bidi characters shown (see ``visible``).

    For user text (a file name, a column name) placed in a label, which Streamlit renders as
    Markdown: ``**x**`` stays ``**x**``, a ``[link](...)`` or ``:red[...]`` stays literal.
    """
    text = visible(text)
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIALS and not _intraword_underscore(text, i) else ch
                   for i, ch in enumerate(text))


def _intraword_underscore(text: str, i: int) -> bool:
    # CommonMark never opens or closes emphasis with an "_" between two letters or digits
    # ("load_s1.csv"), so it stays unescaped and screen readers do not read a backslash.
    return (text[i] == "_" and 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum())
