"""``cli.py prices``: the catalog's prices on a date (``--vendor``: one vendor's, with its rules in
words); ``--check``: the catalog compared with genai-prices."""

from __future__ import annotations

from commands.common import CliError
from commands.output import dumps, write_table
from pricing import CatalogError, load_catalog
from pricing.freshness import freshness
from pricing.reports import PRICE_FIELDS, price_rows

CHECK_FIELDS = ["vendor", "model", "snapshot", "field", "catalog", "genai-prices", "reference_model", "status", "note"]


class CheckFailed(Exception):
    """``prices --check`` found disagreements nobody has explained: the report still goes to stdout."""


def _vendor(catalog, name: str | None) -> str | None:
    from pricing.vendors import check_vendor

    try:
        return None if name is None else check_vendor(catalog, name)
    except ValueError as exc:
        raise CliError(f"--vendor: {exc}") from None


def cmd_prices(args, out) -> None:
    catalog = load_catalog(overrides=tuple(args.prices))
    if args.check:
        _check_prices(catalog, args, out)
        return
    vendor = _vendor(catalog, args.vendor)
    rows = price_rows(catalog, args.as_of, vendor)
    if not rows:
        first = catalog.first_price_date()
        since = f"; the earliest price is from {first}" if first is not None and args.as_of < first else ""
        raise CliError(f"no model had a price on {args.as_of}{since}")
    fresh = freshness(catalog, args.as_of)
    if args.format == "json":
        out.write(dumps([row | fresh.as_fields() for row in rows]) + "\n")
    else:
        write_table(rows, PRICE_FIELDS if args.format == "csv" else PRICE_FIELDS[:-2], args.format, out)
        if args.format == "table":
            if vendor is not None:
                _write_vendor_rules(catalog, vendor, args.as_of, out)
            out.write(fresh.line() + "\n")


def _write_vendor_rules(catalog, vendor: str, day, out) -> None:
    """``prices --vendor``: the vendor's pricing rules in words, each with the models it covers."""
    from pricing.vendors import vendor_label, vendor_rules

    out.write(f"\n{vendor_label(catalog, vendor)}'s pricing rules on {day}:\n")
    for rule in vendor_rules(catalog, vendor, day):
        shown = ", ".join(rule.models[:4]) + (f" and {len(rule.models) - 4} more" if len(rule.models) > 4 else "")
        out.write(f"- {rule.words()} ({shown})\n")


def _check_prices(catalog, args, out) -> None:
    """`prices --check`: every disagreement with genai-prices on the date, explained or not; every
    genai-prices model the catalog lacks, ignored with a reason or missing; every catalog day
    genai-prices cannot date.

    Raises CheckFailed (exit 2, the rows still printed) when a disagreement is unexplained or a
    model is missing without a reason.
    """
    # Imported here: only `prices --check` needs it, and a short estimate should not pay for it.
    from pricing.crosscheck import KNOWN_DISAGREEMENTS, ReferenceUnavailableError, check, check_rows, describe
    from pricing.reference_coverage import REFERENCE_COVERAGE, coverage_lines

    try:
        result = check(catalog, args.as_of)
    except (ReferenceUnavailableError, CatalogError) as exc:
        raise CliError(str(exc)) from None
    rows = check_rows(result)
    if args.format == "json":
        out.write(dumps(rows) + "\n")
    elif args.format == "csv":
        write_table(rows, CHECK_FIELDS, "csv", out)
    else:
        for (d, known), row in zip(result.rows, rows):
            out.write(f"{row['status']}: {describe(d)}\n")
        explained = len(result.rows) - len(result.unexplained)
        out.write("".join(line + "\n" for line in coverage_lines(result.coverage)))
        out.write(f"{result.compared} catalog ids compared with genai-prices {result.reference_version} on "
                  f"{result.day}: {len(result.rows)} disagreements, {explained} explained in "
                  f"{KNOWN_DISAGREEMENTS.relative_to(KNOWN_DISAGREEMENTS.parents[2])}\n")
    failures = []
    if result.unexplained:
        failures.append(f"{len(result.unexplained)} disagreement(s) with genai-prices {result.reference_version} on "
                        f"{result.day} are not explained: fix the catalog, or add each to "
                        "data/catalog/known_disagreements.json with its source and reason")
    if result.coverage.failing:
        failures.append(f"{len(result.coverage.failing)} model(s) genai-prices prices are missing from the catalog: "
                        f"add them, or give each a reason in data/catalog/{REFERENCE_COVERAGE.name}")
    if failures:
        raise CheckFailed("; ".join(failures))
