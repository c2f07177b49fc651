"""Numbers on screen: money (USD, or CNY at the user's rate), token counts, shares.

The core's Decimals are rounded here and only here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SYMBOLS = {"USD": "$", "CNY": "¥"}


@dataclass(frozen=True)
class MoneyView:
    """How to show money: the currency and, for CNY, how many yuan one US dollar buys."""

    currency: str = "USD"
    cny_per_usd: Decimal = Decimal("7.1")

    def convert(self, usd: Decimal) -> Decimal:
        """``usd`` in this view's currency (exact)."""
        return usd * self.cny_per_usd if self.currency == "CNY" else usd


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
    """``usd`` as text in ``view``'s currency, e.g. ``$1,234.57``, ``$0.0042``, ``¥8.88``."""
    amount = view.convert(Decimal(usd))
    places = _places(amount)
    rounded = amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
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


# Labels render inline Markdown only (bold, italics, strikethrough, code, links, images, emoji,
# :color[...] and math), so only the characters that open those are escaped; common file
# names such as "reviews (1).csv" stay unchanged, which keeps aria labels clean.
_MARKDOWN_SPECIALS = frozenset("\\`*_[]<>!:~$&|")


def escape_markdown(text: str) -> str:
    """``text`` with every Markdown/Streamlit markup character backslash-escaped.

    For user text (a file name, a column name) placed in a label, which Streamlit renders as
    Markdown: ``**x**`` stays ``**x**``, a ``[link](...)`` or ``:red[...]`` stays literal.
    """
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIALS and not _intraword_underscore(text, i) else ch
                   for i, ch in enumerate(text))


def _intraword_underscore(text: str, i: int) -> bool:
    # CommonMark never opens or closes emphasis with an "_" between two letters or digits
    # ("load_s1.csv"), so it stays unescaped and screen readers do not read a backslash.
    return (text[i] == "_" and 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum())
