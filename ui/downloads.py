"""Files the app hands back: CSV with formula cells neutralised, JSON with exact money.

Every download goes through ``csv_bytes`` / ``json_bytes`` so a spreadsheet never runs a
formula that came from a user's text.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Iterable, Sequence

from pricing.reports import decimal_text, plain

# A cell starting with one of these is read as a formula by Excel, LibreOffice or Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: object) -> str:
    """``value`` as a CSV cell that spreadsheets show as text: a leading ``'`` when it could run.

    Numbers are left alone (a negative number is not a formula).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """UTF-8 CSV (with BOM, so Excel reads Chinese correctly) with every cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise_formula(h) for h in header])
    for row in rows:
        writer.writerow([neutralise_formula(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def json_bytes(value: object) -> bytes:
    """Indented UTF-8 JSON; Decimals become exact decimal strings, dates ISO strings."""
    return json.dumps(plain(value), indent=2, ensure_ascii=False).encode("utf-8")
