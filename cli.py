"""Command line over the same core as the app: `prices`, `estimate` and `fine-tune`.

Exit status 0 on success, 2 on any failure, with one line on stderr (never a traceback).
"""

from __future__ import annotations

import argparse
import codecs
import csv
import datetime as dt
import json
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ingest import MESSAGES, Corpus, Document, ReadOptions, read_paths
from ingest.requests import looks_like_requests
from pricing import (
    DEFAULT_MODELS,
    Assumptions,
    CatalogError,
    NotPricedError,
    PricingError,
    UnknownModelError,
    Workload,
    estimate,
    load_catalog,
)
from pricing.fine_tuning import FINE_TUNING_MODELS, FineTuningEstimate, estimate_fine_tuning
from pricing.requests import price_request_file
from tokenizers import SUPPORTED_ENCODINGS, EncodingUnavailableError, count_many
from tokenizers.images import DEFAULT_IMAGE_SIZE

# Enough of a file to tell an API request file from other inputs (ingest.requests sniffs this much).
SNIFF_BYTES = (1 << 16) + 1

PRICE_FIELDS = [
    "model",
    "snapshot",
    "encoding",
    "input_per_mtok",
    "cached_input_per_mtok",
    "output_per_mtok",
    "batch_input_per_mtok",
    "batch_output_per_mtok",
    "context_window",
    "max_output_tokens",
    "effective_from",
    "effective_to",
    "evidence",
    "source",
]


class CliError(Exception):
    """A failure to report as one line on stderr with exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr like every other failure."""

    def error(self, message: str):
        raise CliError(f"{self.prog}: {message} (see {self.prog} --help)")


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def _decimal(value: str) -> Decimal:
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not number.is_finite():
        raise argparse.ArgumentTypeError(f"not a finite number: {value!r}")
    return number


def _count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"cannot be negative: {value!r}")
    return number


def _image_size(value: str) -> tuple[int, int]:
    width, sep, height = value.strip().lower().partition("x")
    try:
        size = (int(width), int(height)) if sep else None
    except ValueError:
        size = None
    if size is None or min(size) < 1:
        raise argparse.ArgumentTypeError(f"not an image size WIDTHxHEIGHT (e.g. 1024x768): {value!r}")
    return size


def _model_list(value: str | None) -> list[str]:
    return [m.strip() for m in value.split(",") if m.strip()] if value else []


def _read_file(path: Path, limit: int | None = None) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(limit if limit is not None else -1)
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}") from None


def _to_json(value):
    if isinstance(value, Decimal):
        # Money stays exact: a decimal string, never a binary float.
        return _cell(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_json(v) for v in value]
    return value


def dumps(value) -> str:
    """JSON with money as exact decimal strings."""
    return json.dumps(_to_json(value), indent=2, ensure_ascii=False)


def _write_table(rows: list[dict], fields: list[str], fmt: str, out) -> None:
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if row.get(k) is None else _cell(row[k]) for k in fields})
        return
    text_rows = [[_cell(row.get(k)) for k in fields] for row in rows]
    widths = [max(len(f), *(len(r[i]) for r in text_rows)) if text_rows else len(f) for i, f in enumerate(fields)]
    out.write("  ".join(f.ljust(w) for f, w in zip(fields, widths)).rstrip() + "\n")
    for r in text_rows:
        out.write("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() + "\n")


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value else "0"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def price_rows(catalog, as_of: dt.date) -> list[dict]:
    """One row per model id (aliases included) priced on ``as_of``; ids without a price are left out."""
    rows = []
    for model in catalog.ids():
        try:
            price = catalog.price(model, as_of)
        except NotPricedError:
            continue
        p = price.period
        rows.append(
            {
                "model": model,
                "snapshot": price.snapshot,
                "encoding": price.encoding,
                "input_per_mtok": p.input_per_mtok,
                "cached_input_per_mtok": p.cached_input_per_mtok,
                "output_per_mtok": p.output_per_mtok,
                "batch_input_per_mtok": p.batch_input_per_mtok,
                "batch_output_per_mtok": p.batch_output_per_mtok,
                "context_window": price.context_window,
                "max_output_tokens": price.max_output_tokens,
                "effective_from": p.effective_from,
                "effective_to": p.effective_to,
                "evidence": p.evidence,
                "source": p.source,
            }
        )
    return rows


def cmd_prices(args, out) -> None:
    catalog = load_catalog(overrides=tuple(args.prices))
    rows = price_rows(catalog, args.as_of)
    if args.format == "json":
        out.write(dumps(rows) + "\n")
    else:
        fields = PRICE_FIELDS if args.format == "csv" else PRICE_FIELDS[:-1]
        _write_table(rows, fields, args.format, out)


def _assumptions(args) -> Assumptions:
    return Assumptions(
        output_tokens_per_request=args.output_tokens or 0,
        output_ratio=args.output_ratio,
        requests=args.requests,
        batch=args.batch,
        cached_share=args.cached_share,
        as_of=args.as_of,
    )


def _read_inputs(args) -> Corpus:
    corpus = Corpus()
    if args.text is not None:
        corpus.documents.append(Document(text=args.text, source="--text"))
    if args.encoding is not None:
        try:
            codecs.lookup(args.encoding)
        except LookupError:
            raise CliError(f"unknown text encoding: {args.encoding}") from None
    options = ReadOptions(column=args.column, group_by=args.group_by, encoding=args.encoding)
    paths = [Path(p) for p in args.paths]
    for path in paths:
        if not path.exists():
            raise CliError(f"no such file or directory: {path}")
    corpus.extend(read_paths(paths, options))
    if not corpus.documents and corpus.skipped and args.text is None:
        raise CliError("nothing could be read: " + "; ".join(f"{p.where}: {p.message()}" for p in corpus.skipped))
    if args.text is None and not args.paths:
        if sys.stdin is None or sys.stdin.isatty():
            raise CliError("nothing to estimate: give files, --text TEXT, or pipe text on stdin")
        corpus.documents.append(Document(text=sys.stdin.read(), source="<stdin>"))
    return corpus


def estimate_report(corpus: Corpus, models: list[str], catalog, a: Assumptions) -> dict:
    """The `estimate` result as a plain dict (the JSON contract)."""
    texts = [d.text for d in corpus.documents]
    per_doc = {enc: count_many(texts, enc) for enc in SUPPORTED_ENCODINGS}
    tokens = {enc: sum(counts) for enc, counts in per_doc.items()}
    workload = Workload(tokens=tokens, documents=len(texts))
    rows = estimate(workload, models, catalog, a)
    report = {
        "documents": len(texts),
        "skipped": [{"where": p.where, "why": p.message(), "code": p.code} for p in corpus.skipped],
        "tokens": tokens,
        "as_of": a.as_of,
        "models": [
            {
                "model": r.model,
                "snapshot": r.price.snapshot,
                "encoding": r.encoding,
                "input_tokens": r.input_tokens,
                "cached_input_tokens": r.cached_input_tokens,
                "output_tokens": r.output_tokens,
                "input_cost_usd": r.input_cost,
                "output_cost_usd": r.output_cost,
                "total_cost_usd": r.total_cost,
                "notes": list(r.notes),
            }
            for r in rows
        ],
    }
    if any(d.group is not None for d in corpus.documents):
        groups: dict[str, dict] = {}
        for i, doc in enumerate(corpus.documents):
            g = groups.setdefault(str(doc.group), {"documents": 0, "tokens": {e: 0 for e in SUPPORTED_ENCODINGS}})
            g["documents"] += 1
            for enc in SUPPORTED_ENCODINGS:
                g["tokens"][enc] += per_doc[enc][i]
        report["groups"] = groups
    return report


def cmd_estimate(args, out) -> None:
    if args.output_tokens is not None and args.output_ratio is not None:
        raise CliError("give either --output-tokens or --output-ratio, not both")
    catalog = load_catalog(overrides=tuple(args.prices))
    models = _model_list(args.models) if args.models else list(DEFAULT_MODELS)
    if not models:
        raise CliError("--models is empty")
    requests_report = _request_files_report(args, catalog)
    if requests_report is not None:
        _write_request_report(requests_report, args.format, out)
        return
    corpus = _read_inputs(args)
    if args.group_by and not args.column and not any(d.group for d in corpus.documents) and not corpus.documents:
        raise CliError("--group-by needs a CSV/TSV or JSONL input")
    report = estimate_report(corpus, models, catalog, _assumptions(args))
    if args.format == "json":
        out.write(dumps(report) + "\n")
        return
    fields = ["model", "encoding", "input_tokens", "output_tokens", "input_cost_usd", "output_cost_usd", "total_cost_usd"]
    if args.format == "table":
        out.write(
            f"documents: {report['documents']}  skipped: {len(report['skipped'])}  "
            + "  ".join(f"{enc}: {n} tokens" for enc, n in report["tokens"].items())
            + "\n\n"
        )
    _write_table(report["models"], fields, args.format, out)
    if args.format == "table":
        for s in report["skipped"]:
            out.write(f"skipped {s['where']}: {s['why']}\n")


def _request_paths(args) -> list[Path]:
    """The input paths when they are API request files (detected by content), [] when none is.

    Raises CliError when request files are mixed with other inputs (they are priced differently).
    """
    paths = [Path(p) for p in args.paths]
    found = [p for p in paths if p.is_file() and looks_like_requests(_read_file(p, SNIFF_BYTES))]
    others = [str(p) for p in paths if p not in found] + (["--text"] if args.text is not None else [])
    if found and others:
        raise CliError(f"API request files ({', '.join(map(str, found))}) cannot be mixed with other inputs "
                       f"({', '.join(others)}): estimate them in separate calls")
    return found


SUMMED_FIELDS = ("requests", "input_tokens", "cached_input_tokens", "output_tokens", "input_cost_usd",
                 "output_cost_usd", "total_cost_usd", "cached_input_tokens_estimate",
                 "total_cost_usd_with_cache_estimate", "flagged_requests")
BOUND_FIELDS = ("max_output_tokens", "max_total_cost_usd")  # None once any file has no bound


def combine_request_models(reports: list[dict]) -> list[dict]:
    """Per-model totals over several request-file reports (``RequestReport.as_dict`` shape)."""
    combined: dict[str, dict] = {}
    for report in reports:
        for row in report["models"]:
            into = combined.get(row["model"])
            if into is None:
                combined[row["model"]] = dict(row, notes=list(row["notes"]), estimates=list(row["estimates"]))
                continue
            for key in SUMMED_FIELDS:
                into[key] += row[key]
            for key in BOUND_FIELDS:
                into[key] = None if into[key] is None or row[key] is None else into[key] + row[key]
            into["exact"] = into["exact"] and row["exact"]
            for key in ("notes", "estimates"):
                into[key] += [x for x in row[key] if x not in into[key]]
    return list(combined.values())


def _request_files_report(args, catalog) -> dict | None:
    """The report for API request files (all inputs), else None. Several files: per-file reports
    under ``files`` and per-model totals over all of them."""
    paths = _request_paths(args)
    if not paths:
        return None
    models = _model_list(args.models) or None
    reports = [
        price_request_file(_read_file(path), str(path), catalog, models, _assumptions(args),
                           image_size=args.image_size, base_dir=path.parent).as_dict() | {"file": str(path)}
        for path in paths
    ]
    if len(reports) == 1:
        return reports[0] | {"as_of": args.as_of}
    return {
        "kind": "requests",
        "as_of": args.as_of,
        "documents": sum(r["documents"] for r in reports),
        "skipped": [p for r in reports for p in r["skipped"]],
        "notes": [p for r in reports for p in r["notes"]],
        "models": combine_request_models(reports),
        "files": reports,
    }


def _write_request_report(report: dict, fmt: str, out) -> None:
    if fmt == "json":
        out.write(dumps(report) + "\n")
        return
    fields = ["model", "encoding", "requests", "input_tokens", "output_tokens", "total_cost_usd",
              "max_total_cost_usd", "cached_input_tokens_estimate", "total_cost_usd_with_cache_estimate"]
    several = "files" in report
    files = report["files"] if several else [report]
    if fmt == "table":
        if several:
            out.write(f"files: {len(files)}  requests: {report['documents']}  skipped: {len(report['skipped'])}\n")
        for f in files:
            out.write(f"{f['file'] + ': ' if several else ''}requests: {f['documents']} "
                      f"({f['form']}{', Batch API' if f['batch'] else ''})"
                      f"{'' if several else '  skipped: ' + str(len(f['skipped']))}\n")
        out.write("\n")
    _write_table(report["models"], fields, fmt, out)
    if fmt == "table":
        for f in files:
            for r in f["requests"]:
                if r["flags"]:
                    out.write(f"{f['file'] + ' ' if several else ''}line {r['line']} on {r['model']}: "
                              f"{'; '.join(MESSAGES['flag_' + flag] for flag in r['flags'])}\n")
        for p in report["skipped"] + report["notes"]:
            out.write(f"{p['where']}: {p['why']}\n")


def fine_tuning_report(path: Path, estimates: list[FineTuningEstimate], as_of: dt.date) -> dict:
    """The `fine-tune` result as a plain dict (money as Decimal)."""
    first = estimates[0]
    return {
        "kind": "fine_tuning",
        "file": str(path),
        "as_of": as_of,
        "examples": len(first.examples),
        "skipped": [{"where": p.where, "why": p.message(), "code": p.code} for p in first.skipped],
        "models": [
            {
                "model": e.model,
                "snapshot": e.price.snapshot,
                "encoding": e.price.encoding,
                "examples": len(e.examples),
                "epochs": e.epochs,
                "epochs_defaulted": e.epochs_defaulted,
                "example_limit": e.example_limit,
                "dataset_tokens": e.dataset_tokens,
                "training_tokens": e.training_tokens,
                "training_per_mtok": e.training_per_mtok,
                "training_cost_usd": e.training_cost,
                "exact": e.exact,
                "too_long": [{"line": x.line, "tokens": x.tokens} for x in e.too_long],
            }
            for e in estimates
        ],
    }


def cmd_fine_tune(args, out) -> None:
    catalog = load_catalog(overrides=tuple(args.prices))
    path = Path(args.path)
    if not path.is_file():
        raise CliError(f"no such file: {path}")
    data = _read_file(path)
    if not looks_like_requests(data):
        raise CliError(f"{path} is not a chat-format training file (one {{\"messages\": [...]}} object per line)")
    models = _model_list(args.models) if args.models is not None else list(FINE_TUNING_MODELS)
    if not models:
        raise CliError("--models is empty")
    estimates = [
        estimate_fine_tuning(data, str(path), catalog, model, args.as_of, epochs=args.epochs,
                             example_limit=args.example_limit, image_size=args.image_size, base_dir=path.parent)
        for model in models
    ]
    report = fine_tuning_report(path, estimates, args.as_of)
    if args.format == "json":
        out.write(dumps(report) + "\n")
        return
    rows = [m | {"too_long": len(m["too_long"])} for m in report["models"]]
    fields = ["model", "encoding", "examples", "epochs", "example_limit", "dataset_tokens", "training_tokens",
              "training_per_mtok", "training_cost_usd", "too_long"]
    if args.format == "table":
        out.write(f"examples: {report['examples']}  skipped: {len(report['skipped'])}\n\n")
    _write_table(rows, fields, args.format, out)
    if args.format == "table":
        for m in report["models"]:
            for x in m["too_long"]:
                out.write(f"line {x['line']} on {m['model']}: {x['tokens']} tokens, more than the limit of "
                          f"{m['example_limit']}: cut in training and billed at the limit\n")
        for p in report["skipped"]:
            out.write(f"skipped {p['where']}: {p['why']}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="cli.py", description="What OpenAI API calls cost, counted exactly.")
    sub = parser.add_subparsers(dest="command", required=True)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--as-of", type=_date, default=dt.date.today(), help="price date (default: today)")
    common.add_argument("--prices", action="append", default=[], type=Path, metavar="FILE",
                        help="a catalog file that overrides or adds models (repeatable)")
    common.add_argument("--format", choices=["table", "json", "csv"], default="table")

    sub.add_parser("prices", parents=[common], help="list the catalog's prices on a date")

    image_size = argparse.ArgumentParser(add_help=False)
    image_size.add_argument("--image-size", type=_image_size, default=DEFAULT_IMAGE_SIZE, metavar="WxH",
                            help="assumed size of images at remote URLs in request files "
                                 f"(default: {DEFAULT_IMAGE_SIZE[0]}x{DEFAULT_IMAGE_SIZE[1]})")

    est = sub.add_parser("estimate", parents=[common, image_size], help="count tokens and price them per model")
    est.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (text, csv, tsv, xlsx, json, jsonl)")
    est.add_argument("--text", help="a text to estimate instead of (or beside) files")
    est.add_argument("--column", help="the CSV/TSV column holding the text (default: the first)")
    est.add_argument("--group-by", help="a CSV/TSV column or JSONL field to total the counts by")
    est.add_argument("--encoding", help="read the files with this text encoding (default: detect)")
    est.add_argument("--models", help=f"comma-separated model ids (default: {','.join(DEFAULT_MODELS)})")
    est.add_argument("--output-tokens", type=_count, help="output tokens per request")
    est.add_argument("--output-ratio", type=_decimal, help="output tokens as a ratio of input tokens")
    est.add_argument("--requests", type=_count, default=1, help="how many times each document is sent")
    est.add_argument("--batch", action="store_true", help="price with the Batch API")
    est.add_argument("--cached-share", type=_decimal, default=Decimal(0), help="share of input billed as cached (0-1)")

    ft = sub.add_parser("fine-tune", parents=[common, image_size],
                        help="price fine-tuning on a chat-format training file (JSONL)")
    ft.add_argument("path", metavar="FILE", help="training file: one {\"messages\": [...]} object per line")
    ft.add_argument("--models", help=f"comma-separated base models (default: {','.join(FINE_TUNING_MODELS)})")
    ft.add_argument("--epochs", type=_count,
                    help="epochs (default: OpenAI's rule: 3, raised to reach 100 example-passes, lowered to stay "
                         "within 25,000)")
    ft.add_argument("--example-limit", type=_count, help="tokens per example before it is cut "
                                                         "(default: the model's context window)")
    return parser


def main(argv: list[str] | None = None, out=None) -> int:
    out = out or sys.stdout
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help
        return 0 if exc.code == 0 else 2
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        if args.command == "prices":
            cmd_prices(args, out)
        elif args.command == "fine-tune":
            cmd_fine_tune(args, out)
        else:
            cmd_estimate(args, out)
    except (CliError, CatalogError, UnknownModelError, NotPricedError, PricingError, EncodingUnavailableError) as exc:
        print("error: " + " | ".join(str(exc).splitlines()), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `cli.py ... | head` closed the pipe: not an error of ours
        return 0
    except Exception as exc:  # last resort: the contract is one line, never a traceback
        print(f"error: unexpected {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
