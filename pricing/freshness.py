"""When the catalog was last checked against its sources, and whether that is too long ago.

The catalog file carries a ``checked`` date. A price date more than ``STALE_AFTER_DAYS`` after
it is priced with figures nobody has looked at since: the app and the CLI say so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pricing.catalog import Catalog

STALE_AFTER_DAYS = 60
#: The fields each `prices --format json` row carries about the catalog's last check.
FRESHNESS_FIELDS = ("catalog_checked", "catalog_stale")


@dataclass(frozen=True)
class Freshness:
    """How old the catalog's last check is on the price date ``as_of``."""

    checked: dt.date | None
    as_of: dt.date

    @property
    def days_since_check(self) -> int | None:
        """Days from the check to the price date (negative for a date before the check)."""
        return None if self.checked is None else (self.as_of - self.checked).days

    @property
    def stale(self) -> bool:
        """True when the check is more than STALE_AFTER_DAYS before the price date, or unknown."""
        days = self.days_since_check
        return days is None or days > STALE_AFTER_DAYS

    def as_fields(self) -> dict:
        """The JSON fields a report carries: ``catalog_checked`` (ISO date or None), ``catalog_stale``."""
        return dict(zip(FRESHNESS_FIELDS, (self.checked, self.stale)))

    def line(self) -> str:
        """One English line for the CLI's table output."""
        if self.checked is None:
            return "warning: the catalog does not say when it was last checked"
        days = self.days_since_check
        if self.stale:
            return (f"warning: the catalog was last checked on {self.checked}, {days} days before the price "
                    f"date {self.as_of} (more than {STALE_AFTER_DAYS}); prices may have changed since "
                    "(python cli.py prices --check compares it with genai-prices)")
        if days < 0:
            return f"catalog last checked on {self.checked} (after the price date {self.as_of})"
        return f"catalog last checked on {self.checked}, {days} days before the price date {self.as_of}"


def freshness(catalog: Catalog, as_of: dt.date) -> Freshness:
    """The freshness of ``catalog`` for prices on ``as_of``."""
    return Freshness(catalog.checked, as_of)
