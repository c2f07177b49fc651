"""Price overrides a user types in: table rows in, a validated ``ModelEntry`` out.

The rows are checked by the catalog's own pydantic models (``PricePeriod``, ``ModelEntry``),
so an edit is held to exactly the rules a catalog file is. What is wrong comes back as
``Problem`` codes with parameters (``ingest.documents.Problem``) for the UI to translate.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from pydantic import ValidationError

from ingest.documents import Problem
from pricing.schema import CatalogFile, ModelEntry, PricePeriod

#: The columns of a price period a user may edit, in table order.
PERIOD_FIELDS = (
    "effective_from",
    "effective_to",
    "input_per_mtok",
    "cached_input_per_mtok",
    "output_per_mtok",
    "batch_input_per_mtok",
    "batch_output_per_mtok",
    "evidence",
    "source",
    "note",
)
PRICE_FIELDS = tuple(f for f in PERIOD_FIELDS if f.endswith("_per_mtok"))
#: Pricing rules of a period the table does not show: kept from the period that starts the same day.
KEPT_FIELDS = ("flex", "priority", "long_context", "cache_write_5m_per_mtok", "cache_write_1h_per_mtok",
               "cache_storage_per_mtok_hour", "off_peak", "regional_uplift")

# pydantic error types -> problem codes (the UI's message keys are "prices_problem_<code>").
_CODES = {
    "missing": "edit_missing",
    "greater_than_equal": "edit_negative",
    "decimal_max_places": "edit_decimal_places",
    "decimal_max_digits": "edit_too_large",
    "decimal_whole_digits": "edit_too_large",
    "decimal_parsing": "edit_not_a_number",
    "decimal_type": "edit_not_a_number",
    "date_parsing": "edit_not_a_date",
    "date_from_datetime_parsing": "edit_not_a_date",
    "date_type": "edit_not_a_date",
    "literal_error": "edit_evidence",
    "string_too_short": "edit_missing",
}


class EditError(ValueError):
    """Edited prices that cannot be used; ``problems`` says what and where."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(p.message() for p in problems))


def period_rows(entry: ModelEntry) -> list[dict[str, object]]:
    """``entry``'s price periods as editable rows (one dict per period, PERIOD_FIELDS keys)."""
    return [{f: getattr(p, f) for f in PERIOD_FIELDS} for p in entry.prices]


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        isinstance(value, str) and not value.strip()
    )


def _clean(field: str, value: object) -> object:
    """A cell as the schema expects it: blanks None, numbers exact, timestamps as dates."""
    if _blank(value):
        return None
    if field in PRICE_FIELDS and isinstance(value, (int, float)) and not isinstance(value, bool):
        # Editors hand back binary floats; repr gives the shortest decimal that round-trips.
        try:
            return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            return value
    if field.startswith("effective_") and isinstance(value, dt.datetime):
        return value.date()
    if field.startswith("effective_") and hasattr(value, "to_pydatetime"):  # a pandas Timestamp
        return value.to_pydatetime().date()
    if isinstance(value, str):
        return value.strip()
    return value


def _problem(row: int | None, error: Mapping) -> Problem:
    loc = [str(p) for p in error.get("loc", ()) if not isinstance(p, int)]
    field = loc[-1] if loc else ""
    code = _CODES.get(error["type"])
    message = str(error.get("msg", ""))
    if code is None:
        if "must not be above" in message:
            code = "edit_cached_above_input"
        elif "must be after effective_from" in message:
            code = "edit_ends_before_start"
        elif "date order" in message:
            code = "edit_out_of_order"
        elif "overlap" in message:
            code = "edit_overlap"
        else:
            code = "edit_invalid"
    where = f"row {row}" if row is not None else "prices"
    return Problem(code, where, {"row": row if row is not None else "", "field": field, "detail": message})


def edited_entry(entry: ModelEntry, rows: Iterable[Mapping[str, object]]) -> ModelEntry:
    """``entry`` with its price periods replaced by ``rows`` (PERIOD_FIELDS keys; blank
    rows are ignored). Rows are taken oldest first, as a catalog file lists them. A row that
    starts on the day one of ``entry``'s periods starts keeps that period's KEPT_FIELDS.

    Raises EditError listing every problem (codes: edit_missing, edit_negative,
    edit_decimal_places, edit_too_large, edit_not_a_number, edit_not_a_date, edit_evidence,
    edit_ends_before_start, edit_out_of_order, edit_overlap, edit_cached_above_input, edit_no_rows,
    edit_invalid;
    params: row (1-based), field, detail).
    """
    periods: list[PricePeriod] = []
    problems: list[Problem] = []
    kept = {p.effective_from: {f: getattr(p, f) for f in KEPT_FIELDS if getattr(p, f) is not None}
            for p in entry.prices}
    for number, row in enumerate(rows, start=1):
        values = {f: _clean(f, row.get(f)) for f in PERIOD_FIELDS}
        if all(v is None for v in values.values()):
            continue
        values = {k: v for k, v in values.items() if v is not None}
        values.setdefault("note", "")
        if isinstance(values.get("effective_from"), dt.date):
            values.update(kept.get(values["effective_from"], {}))
        try:
            periods.append(PricePeriod.model_validate(values))
        except ValidationError as exc:
            problems.extend(_problem(number, err) for err in exc.errors())
    if problems:
        raise EditError(problems)
    if not periods:
        raise EditError([Problem("edit_no_rows", "prices", {"row": "", "field": "", "detail": ""})])
    try:
        return ModelEntry.model_validate({**entry.model_dump(), "prices": periods})
    except ValidationError as exc:
        raise EditError([_problem(None, err) for err in exc.errors()]) from None


def price_warnings(entry: ModelEntry) -> list[Problem]:
    """Prices that are valid but probably a slip: a chat model's input or output at $0 (an
    embedding model's output is $0 by nature). Code "edit_zero_price"; params: row (1-based),
    field."""
    fields = ("input_per_mtok",) if entry.kind == "embedding" else ("input_per_mtok", "output_per_mtok")
    return [
        Problem("edit_zero_price", f"row {number}", {"row": number, "field": field})
        for number, period in enumerate(entry.prices, start=1)
        for field in fields
        if getattr(period, field) == 0
    ]


def override_file(entries: Iterable[ModelEntry]) -> CatalogFile:
    """A catalog file holding ``entries`` (later ones replace earlier ones with the same id)."""
    by_id = {e.id: e for e in entries}
    return CatalogFile(models=list(by_id.values()))
