"""Money in the user's currency: USD as priced, or CNY at the user's rate (exact Decimal).

Conversion happens here, once, on exact amounts; rounding happens only on screen (``ui.formatting``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

#: The yuan per US dollar assumed until the user sets a rate (the sidebar, or a shared link).
DEFAULT_CNY_PER_USD = Decimal("7.1")


@dataclass(frozen=True)
class MoneyView:
    """How to show money: the currency and, for CNY, how many yuan one US dollar buys."""

    currency: str = "USD"
    cny_per_usd: Decimal = DEFAULT_CNY_PER_USD

    def convert(self, usd: Decimal) -> Decimal:
        """``usd`` in this view's currency (exact); see ``to_currency``."""
        return to_currency(usd, self)


def to_currency(usd: Decimal, view: MoneyView) -> Decimal:
    """``usd`` (a Decimal, or anything Decimal takes exactly) in ``view``'s currency, unrounded."""
    usd = Decimal(usd)
    return usd * view.cny_per_usd if view.currency == "CNY" else usd
