"""What several commands share: the one-line failure, and reading ``--models``, ``--tier``/``--batch``
and a given file."""

from __future__ import annotations

from pathlib import Path


class CliError(Exception):
    """A failure to report as one line on stderr with exit status 2."""


def model_list(value: str | None, catalog=None) -> list[str]:
    """The comma-separated ids of ``value``; with ``catalog``, each as the catalog spells it (a
    ``vendor:id`` or a differently cased id resolved; an ambiguous one refused with the candidates)."""
    names = [m.strip() for m in value.split(",") if m.strip()] if value else []
    return [catalog.resolve(n) for n in names] if catalog is not None else names


def read_file(path: Path, limit: int | None = None) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(limit if limit is not None else -1)
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}") from None


def processing_tier(args) -> str:
    """The processing tier asked for: ``--tier``, or ``--batch`` as its short form."""
    if args.batch and args.tier not in (None, "batch"):
        raise CliError(f"--batch means --tier batch; it cannot be combined with --tier {args.tier}")
    return "batch" if args.batch else (args.tier or "standard")

