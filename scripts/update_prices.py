"""Review the installed genai-prices data against our vendors' catalog files; write what you accept.

    .venv/bin/python scripts/update_prices.py                         # every vendor: what differs, today
    .venv/bin/python scripts/update_prices.py --vendor deepseek --as-of 2026-10-01
    .venv/bin/python scripts/update_prices.py --vendor deepseek --accept deepseek-v4-pro --write
    .venv/bin/python scripts/update_prices.py --vendor xai --add grok-4.6 --write

Without --write nothing is written. --accept MODEL writes that model's dated new periods (a price
genai-prices does not date is shown, never written: check the vendor's page and write it by hand);
--add REFERENCE_ID adds a new model from the day of the import. A verified period is never changed:
our own facts win, and a difference we keep belongs in data/catalog/known_disagreements.json.
Exit status 0; 2 on a bad argument or a change that cannot be written (one line on stderr).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pricing.catalog import CATALOG_DIR, CatalogError, load_catalog, vendor_files  # noqa: E402
from pricing.crosscheck import load_known_disagreements  # noqa: E402
from pricing.price_import import (  # noqa: E402
    PROVIDERS,
    PriceImportError,
    add_model,
    apply,
    differences,
    explained,
    installed_providers,
    reference_version,
)


def _decimal_as_number(value):
    if isinstance(value, Decimal):
        return float(value)  # prices are short decimals: the shortest repr round-trips them
    raise TypeError(f"not JSON: {value!r}")


def write_document(path: Path, document: dict) -> None:
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False, default=_decimal_as_number) + "\n",
                    encoding="utf-8")


def _file_of(catalog_dir: Path, vendor: str, model: str | None = None) -> Path:
    """The vendor file holding ``model`` (or, for a new model, the file of ``vendor``/its host's vendor)."""
    for path in vendor_files(catalog_dir):
        document = json.loads(path.read_text(encoding="utf-8"))
        if model is not None and any(m["id"] == model for m in document["models"]):
            return path
        if model is None and (document.get("vendor", "openai") == vendor
                              or any(m.get("host") == vendor for m in document["models"])):
            return path
    raise PriceImportError(f"no catalog file holds {model or vendor}")


def run(argv: list[str], providers: list | None = None, out=sys.stdout, catalog_dir: Path = CATALOG_DIR) -> int:
    parser = argparse.ArgumentParser(prog="update_prices.py", description=__doc__.splitlines()[0])
    parser.add_argument("--vendor", action="append", choices=sorted(PROVIDERS), help="a vendor or host (repeatable)")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date.today())
    parser.add_argument("--accept", action="append", default=[], metavar="MODEL", help="write MODEL's dated new periods")
    parser.add_argument("--add", action="append", default=[], metavar="REFERENCE_ID", help="add a new model")
    parser.add_argument("--write", action="store_true", help="write the accepted changes (default: only show)")
    args = parser.parse_args(argv)
    providers = installed_providers() if providers is None else providers
    version = reference_version()
    catalog = load_catalog() if catalog_dir == CATALOG_DIR else _load_dir(catalog_dir)
    known = load_known_disagreements()
    vendors = args.vendor or [v for v in PROVIDERS if v != "openai"]  # OpenAI: `cli.py prices --check`
    try:
        for vendor in vendors:
            found = differences(catalog, vendor, providers, args.as_of)
            out.write(f"{vendor}: {len(found)} differences with genai-prices {version} on {args.as_of}\n")
            for difference, entry in explained(found, known):
                status = entry.verdict if entry is not None else (
                    "accepted" if difference.model in args.accept else "to review")
                out.write(f"  {status}: {difference.describe()}\n")
            if args.write:
                _write(catalog_dir, vendor, found, args, providers, version, out)
    except (PriceImportError, CatalogError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def _write(catalog_dir: Path, vendor: str, found, args, providers, version: str, out) -> None:
    for difference in found:
        if difference.model in args.accept and difference.kind == "new_period":
            path = _file_of(catalog_dir, vendor, difference.model)
            write_document(path, apply(_read(path), difference, version))
            out.write(f"  written: {difference.describe()} -> {path.name}\n")
    for reference_id in args.add:
        reference = next((m for p in providers if p.id in PROVIDERS[vendor] for m in p.models if m.id == reference_id),
                         None)
        if reference is None:
            continue
        path = _file_of(catalog_dir, vendor)
        write_document(path, add_model(_read(path), vendor, reference, args.as_of, version))
        out.write(f"  added: {reference_id} from {args.as_of} -> {path.name}\n")


def _read(path: Path) -> dict:
    from pricing.catalog import catalog_json

    return catalog_json(path.read_text(encoding="utf-8"), path)


def _load_dir(catalog_dir: Path):
    """The catalog of the vendor files in ``catalog_dir`` (a copy, in tests)."""
    from pricing.catalog import _combined

    return _combined([(p, p.read_bytes()) for p in vendor_files(catalog_dir)])


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
