"""Command line over the same core as the app: `prices`, `estimate`, `cost`, `fine-tune` and `tokenizers`.

Exit status 0 on success, 2 on any failure, with one line on stderr (never a traceback).
"""

from __future__ import annotations

import argparse
import codecs
import datetime as dt
import io
import sys
import time
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ingest import Problem, ReadOptions, iter_files
from ingest.documents import visible
from ingest.decoding import codec_name, detect_encoding, with_byte_order
from ingest.remote import RemoteFile, is_url
from ingest.requests import looks_like_requests, read_requests, sniff_head
from ingest.sniff import binary_kind
from ingest.streaming import JSONL_SUFFIXES, SAMPLE_HEAD, SAMPLE_MIDDLE, TABLE_SUFFIXES, XLSX_SUFFIXES
from pricing import (
    Assumptions,
    CatalogError,
    NotPricedError,
    PricingError,
    UnknownModelError,
    load_catalog,
)
from corpus.pipeline import count_inputs
from pricing.count_methods import tokenizers_for_models
from corpus.summary import DocumentSummary
from pricing.estimates import (
    DEFAULT_PAIR,
    build_estimate,
    dominant_language,
    request_thresholds,
    totals_of_inputs,
)
from pricing.freshness import freshness
from pricing.fine_tuning import (
    FINE_TUNING_MODELS,
    ImagesNotAcceptedError,
    default_fine_tuning_models,
    estimate_fine_tuning,
)
from pricing.reports import (
    PRICE_FIELDS,
    estimate_report,
    fine_tuning_report,
    price_rows,
    quick_report,
    request_files_report,
)
from report_output import dumps, write_estimate_report, write_fine_tuning_report, write_request_report, write_table
from pricing.schema import TIERS
from pricing.tasks import TASKS, Workplan, make_plan, output_assumption, request_file_assumptions, task_models
import cli_tokenizers
from tokenizers import EncodingUnavailableError, TokenEstimate, estimate_file
from tokenizers.sampling import DEFAULT_SAMPLE_BYTES, DEFAULT_STRATA
from tokenizers.images import DEFAULT_IMAGE_SIZE

# --quick samples about this many bytes of each plain text file bigger than it, in this many
# strata; smaller files and every other input are counted exactly.
QUICK_SAMPLE_BYTES = DEFAULT_SAMPLE_BYTES
QUICK_STRATA = DEFAULT_STRATA
# Inputs ingest splits into rows or items by their suffix: never one plain text to sample.
_SPLIT_SUFFIXES = set(TABLE_SUFFIXES) | JSONL_SUFFIXES | XLSX_SUFFIXES | {".json"}
# Bounds of the numbers a user gives, as in the app: wider than any real workload, narrow
# enough that no figure runs into Decimal's or int's limits.
MAX_OUTPUT_RATIO = Decimal(100)
MAX_OUTPUT_TOKENS = 10_000_000
MAX_REQUESTS = 10**12
MAX_EPOCHS = 100
MAX_EXAMPLE_TOKENS = 10_000_000
MAX_IMAGE_SIDE = 100_000
MAX_REQUEST_TOKENS = 100_000_000  # one request's tokens of one kind: far past any context window

CHECK_FIELDS = ["vendor", "model", "snapshot", "field", "catalog", "genai-prices", "reference_model", "status", "note"]


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


def _shown(value: str) -> str:
    """``value`` quoted for an error line, a long one cut (the line stays one readable line)."""
    return repr(value if len(value) <= 40 else value[:37] + "...")


def _decimal(low: Decimal, high: Decimal):
    """An argparse type: a decimal number from ``low`` to ``high``."""

    def parse(value: str) -> Decimal:
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise argparse.ArgumentTypeError(f"not a number: {_shown(value)}") from None
        if not number.is_finite():
            raise argparse.ArgumentTypeError(f"not a finite number: {_shown(value)}")
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high:,}: {_shown(value)}")
        return number

    return parse


def _count(most: int):
    """An argparse type: a whole number from 0 to ``most``."""

    def parse(value: str) -> int:
        if len(value) > 30 and value.strip().lstrip("+").isdigit():  # int() refuses past 4,300 digits
            raise argparse.ArgumentTypeError(f"cannot be more than {most:,}: {_shown(value)}")
        try:
            number = int(value)
        except ValueError:  # also a number of more than 4,300 digits
            raise argparse.ArgumentTypeError(f"not a whole number: {_shown(value)}") from None
        if number < 0:
            raise argparse.ArgumentTypeError(f"cannot be negative: {_shown(value)}")
        if number > most:
            raise argparse.ArgumentTypeError(f"cannot be more than {most:,}: {_shown(value)}")
        return number

    return parse


def _image_size(value: str) -> tuple[int, int]:
    width, sep, height = value.strip().lower().partition("x")
    try:
        size = (int(width), int(height)) if sep else None
    except ValueError:
        size = None
    if size is None or min(size) < 1 or max(size) > MAX_IMAGE_SIDE:
        raise argparse.ArgumentTypeError(f"not an image size WIDTHxHEIGHT (e.g. 1024x768, each side at most "
                                         f"{MAX_IMAGE_SIDE:,}): {_shown(value)}")
    return size


def _pair(value: str) -> tuple[str, str]:
    models = [m.strip() for m in value.split(",") if m.strip()]
    if len(models) != 2:
        raise argparse.ArgumentTypeError(f"not two models FROM,TO: {value!r}")
    return models[0], models[1]


def _model_list(value: str | None, catalog=None) -> list[str]:
    """The comma-separated ids of ``value``; with ``catalog``, each as the catalog spells it (a
    ``vendor:id`` or a differently cased id resolved; an ambiguous one refused with the candidates)."""
    names = [m.strip() for m in value.split(",") if m.strip()] if value else []
    return [catalog.resolve(n) for n in names] if catalog is not None else names


def _read_file(path: Path, limit: int | None = None) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(limit if limit is not None else -1)
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}") from None


def _sniff(path: Path) -> bytes:
    try:
        with path.open("rb") as f:
            return sniff_head(f)
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}") from None


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


def _assumptions(args) -> Assumptions:
    """Assumptions for API request files: each line sent ``--runs`` times, the app's default reply."""
    return request_file_assumptions(reply_tokens=args.output_tokens, reply_ratio=args.output_ratio,
                                    passes=1 if args.runs is None else args.runs, tier=_tier(args),
                                    cached_share=args.cached_share, as_of=args.as_of, **_rule_settings(args))


def _rule_settings(args) -> dict:
    """The vendors' rule settings the flags give (cache writes, cache hours, off-peak share, region)."""
    return {"cache_write_share": args.cache_write_share, "cache_lifetime": args.cache_lifetime,
            "cache_hours": args.cache_hours, "off_peak_share": args.off_peak_share, "regional": args.regional}


def _tier(args) -> str:
    """The processing tier asked for: ``--tier``, or ``--batch`` as its short form."""
    if args.batch and args.tier not in (None, "batch"):
        raise CliError(f"--batch means --tier batch; it cannot be combined with --tier {args.tier}")
    return "batch" if args.batch else (args.tier or "standard")


def _plan(args, source_language: str | None = None) -> Workplan:
    """The workload the flags describe, with the app's defaults for the same question: files
    are a corpus processed once, a text alone (--text, stdin) is traffic of 1,000 requests a
    month; the task's preset sets the output unless --output-tokens/--output-ratio do."""
    if args.per_month is not None and args.runs is not None:
        raise CliError("give either --runs (the corpus, processed N times) or --per-month (traffic), not both")
    custom = args.output_tokens is not None or args.output_ratio is not None
    if custom and args.task not in (None, "custom"):
        raise CliError(f"--task {args.task} sets the output itself: drop --output-tokens/--output-ratio, "
                       "or use --task custom")
    question = "traffic" if args.per_month is not None else "corpus" if args.runs is not None else None
    try:
        return make_plan(
            pasted_only=not args.paths, question=question, task="custom" if custom else args.task,
            runs=args.runs, per_month=args.per_month, custom_output_tokens=args.output_tokens or 0,
            custom_output_ratio=args.output_ratio, target_language=args.translate_to,
            source_language=source_language,
        )
    except ValueError as exc:
        raise CliError(f"--translate-to: {exc}") from None


def _plan_assumptions(plan: Workplan, args) -> Assumptions:
    try:
        return plan.assumptions(tier=_tier(args), cached_share=args.cached_share, as_of=args.as_of,
                                **_rule_settings(args))
    except PricingError as exc:
        raise CliError(str(exc)) from None


def _options(args) -> ReadOptions:
    # Several text columns ("title,description") are priced together, joined in the order given.
    columns = tuple(c.strip() for c in args.column.split(",")) if args.column is not None else ()
    column = columns[0] if len(columns) == 1 else columns or None
    return ReadOptions(column=column, group_by=args.group_by, encoding=args.encoding)


def _texts(args) -> list[tuple[str, str]]:
    """The texts given on the command line or piped in, as (name, text) pairs."""
    if args.text is not None:
        return [("--text", args.text)]
    if not args.paths:
        if sys.stdin is None or sys.stdin.isatty():
            raise CliError("nothing to estimate: give files, --text TEXT, or pipe text on stdin")
        return [("<stdin>", sys.stdin.read())]
    return []


def _check_inputs(args) -> None:
    if args.output_tokens is not None and args.output_ratio is not None:
        raise CliError("give either --output-tokens or --output-ratio, not both")
    if args.encoding is not None:
        try:
            codecs.lookup(args.encoding)
        except LookupError:
            raise CliError(f"unknown text encoding: {args.encoding}") from None
    for path in args.paths:
        if not is_url(path) and not Path(path).exists():
            raise CliError(f"no such file or directory: {path}")


def cmd_estimate(args, out) -> None:
    _check_inputs(args)
    cli_tokenizers.use_given_files(args)
    if args.tokenizers:
        if args.quick or args.engine != "local":
            raise CliError("--tokenizers counts every document here: drop --quick and --engine dask")
        with _Progress("counting text") as bar:
            counted = count_inputs(args.paths, _options(args), _texts(args), on_progress=bar.text,
                                   encodings=args.tokenizers, summary=DocumentSummary())  # totals only: bounded
        cli_tokenizers.write_counts(counted, args, out)
        return
    catalog = load_catalog(overrides=tuple(args.prices))
    if args.models is not None and not _model_list(args.models):
        raise CliError("--models is empty")
    request_paths = _request_paths(args)
    if request_paths:
        write_request_report(_request_files_report(request_paths, args, catalog), args.format, out)
        return
    # The models priced (only "embed" changes them, so they are known before the text is read)
    # and the tokenizers their counts need, the corpus counted once on all of them.
    models = task_models(args.task, _model_list(args.models, catalog), catalog.default_models(args.as_of))
    encodings = tokenizers_for_models(models, catalog, args.as_of)
    if args.quick:
        if args.engine != "local":
            raise CliError("--quick samples in this process: drop --engine dask")
        _quick_estimate(args, models, catalog, _plan(args), out, encodings)
        return
    # Languages are detected when asked for, or when a translation needs the source language.
    detect = args.by_language or (args.task == "translate" and bool(args.translate_to))
    if args.engine == "dask":
        counted = _count_on_cluster(args, detect, encodings)
    else:
        texts = _texts(args)
        with _Progress("counting text") as bar:
            # Per-document counts are summed up as they come, not kept: memory stays bounded on any number of rows.
            counted = count_inputs(args.paths, _options(args), texts, languages=detect, on_progress=bar.text,
                                   summary=DocumentSummary(request_thresholds(catalog)), encodings=encodings)
    totals = totals_of_inputs(counted, request_thresholds(catalog))
    if counted.counts.documents == 0 and totals.skipped and args.text is None:
        raise CliError("nothing could be read: " + "; ".join(visible(f"{p.where}: {p.message()}") for p in totals.skipped))
    plan = _plan(args, dominant_language(totals.languages))
    assumptions = _plan_assumptions(plan, args)
    estimate = build_estimate(totals, models, catalog, plan, assumptions, pair=args.compare, strict=True)
    write_estimate_report(estimate_report(estimate, catalog, by_language=args.by_language), args.format, out)


#: A progress bar appears on a terminal's stderr once a count has run this long (never in a pipe).
PROGRESS_DELAY_SECONDS = 2.0


class _Progress:
    """A tqdm bar on stderr when stderr is a terminal; nothing otherwise (pipes, files, JSON)."""

    def __init__(self, description: str, unit: str = "B", total: int | None = None):
        self.bar = None
        isatty = getattr(sys.stderr, "isatty", None)
        if isatty is not None and isatty():
            from tqdm import tqdm

            self.bar = tqdm(desc=description, unit=unit, unit_scale=unit == "B", total=total, file=sys.stderr,
                            delay=PROGRESS_DELAY_SECONDS, leave=False, dynamic_ncols=True)
        self.started = time.monotonic()

    def to(self, done: int, total: int | None = None) -> None:
        """Move the bar to ``done`` (of ``total``, when it becomes known)."""
        if self.bar is not None:
            if total is not None and self.bar.total != total:
                self.bar.total = total
            self.bar.update(done - self.bar.n)

    def text(self, counted: int, documents: int) -> None:
        """Move the bar to ``counted`` bytes of text, with the documents read so far beside it."""
        if self.bar is not None:
            self.bar.set_postfix_str(f"documents: {documents:,}", refresh=False)
            self.to(counted)
            if time.monotonic() - self.started >= PROGRESS_DELAY_SECONDS:
                self.bar.refresh()  # once a batch (megabytes apart): the count shows at once

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.close()


def _count_on_cluster(args, detect: bool, encodings: tuple[str, ...]):
    """count_inputs on a Dask cluster (--engine dask), the same numbers as one process."""
    from corpus.cluster import close_client, cluster_client, count_inputs_on_cluster

    texts = _texts(args)
    try:
        client = cluster_client(args.scheduler)  # dask is imported here, on first use
    except ImportError as exc:
        raise CliError(f"--engine dask needs dask.distributed: pip install -r requirements-cluster.txt ({exc})") from None
    except (OSError, TimeoutError, ValueError) as exc:
        where = args.scheduler or "a local cluster"
        raise CliError(f"cannot reach the Dask scheduler ({where}): {exc}") from None
    try:
        with _Progress("counting partitions", unit="partition") as bar:
            return count_inputs_on_cluster(args.paths, _options(args), client, texts, languages=detect,
                                           on_progress=bar.to, encodings=encodings)
    finally:
        close_client(client)


def _quick_estimate(args, models: list[str], catalog, plan: Workplan, out, encodings: tuple[str, ...]) -> None:
    """`estimate --quick`: big plain text files sampled (tokens with an interval), the rest exact."""
    if args.group_by:
        raise CliError("--quick gives totals only: drop --group-by, or count exactly without --quick")
    sampled: list[dict[str, TokenEstimate]] = []
    exact_paths: list[str] = []
    problems: list[Problem] = []
    for path in iter_files(args.paths, problems):
        estimates = None if isinstance(path, RemoteFile) else _sample_text_file(Path(path), args.encoding, encodings)
        if estimates is None:
            exact_paths.append(str(path))
        else:
            sampled.append(estimates)
    # The same pipeline as an exact run, in the same bounded memory (only the totals are reported).
    counted = count_inputs(exact_paths, _options(args), _texts(args), summary=DocumentSummary(), encodings=encodings)
    counts = counted.counts
    skipped = [p for p in problems + counted.problems if not p.is_note]
    if counts.documents == 0 and not sampled and skipped and args.text is None:
        raise CliError("nothing could be read: " + "; ".join(visible(f"{p.where}: {p.message()}") for p in skipped))
    assumptions = _plan_assumptions(plan, args)
    report = quick_report(counts, sampled, skipped, models, catalog, assumptions)
    write_estimate_report(report, args.format, out)


def _sample_text_file(path: Path, forced: str | None, encodings: tuple[str, ...]) -> dict[str, TokenEstimate] | None:
    """Sampled token estimates of ``path`` when it is a plain text file bigger than
    QUICK_SAMPLE_BYTES in an ASCII-compatible encoding (as ingest decides: by content, the
    suffix only telling tables and JSON apart); None when it is to be counted exactly."""
    if not path.is_file() or path.suffix.lower() in _SPLIT_SUFFIXES:
        return None
    try:
        size = path.stat().st_size
        if size <= QUICK_SAMPLE_BYTES:
            return None
        with path.open("rb") as stream:
            head = stream.read(SAMPLE_HEAD)
            stream.seek(size // 2)
            middle = stream.read(SAMPLE_MIDDLE)
    except OSError:
        return None  # the exact path reports it like any unreadable file
    if binary_kind(head) is not None:
        return None  # binary, or UTF-16/32 (NUL bytes): the exact path reads or reports it
    if forced is not None:
        name = codec_name(forced)
        if name is None:
            return None
        encoding = "utf-8-sig" if name == "utf-8" else with_byte_order(name, head)
    else:
        encoding = detect_encoding(head, middle, complete=False)
    try:
        return estimate_file(path, encoding, encodings, sample_bytes=QUICK_SAMPLE_BYTES, strata=QUICK_STRATA)
    except ValueError:  # not ASCII-compatible: byte windows cannot be cut safely, count exactly
        return None


def _request_paths(args) -> list[Path]:
    """The input paths when they are API request files (detected by content), [] when none is.

    Raises CliError when request files are mixed with other inputs (they are priced differently).
    """
    paths = [Path(p) for p in args.paths if not is_url(p)]
    found = [p for p in paths if p.is_file() and looks_like_requests(_sniff(p))]
    others = [str(p) for p in paths if p not in found] + [p for p in args.paths if is_url(p)]
    others += ["--text"] if args.text is not None else []
    if found and others:
        raise CliError(f"API request files ({', '.join(map(str, found))}) cannot be mixed with other inputs "
                       f"({', '.join(others)}): estimate them in separate calls")
    return found


def _request_files_report(paths: list[Path], args, catalog) -> dict:
    from pricing.requests import price_request_file  # only request files need it

    models = _model_list(args.models, catalog) or None
    reports = [
        price_request_file(read_requests(str(path), _read_file(path)), catalog, models, _assumptions(args),
                           image_size=args.image_size).as_dict() | {"file": str(path)}
        for path in paths
    ]
    return request_files_report(reports, args.as_of) | {"output_assumption": output_assumption(_assumptions(args))}


def cmd_cost(args, out) -> None:
    """`cost`: one request's token counts (as a usage block reports them) priced on each model."""
    from pricing.rules import Usage
    from pricing.vendors import REQUEST_COST_FIELDS, price_request

    catalog = load_catalog(overrides=tuple(args.prices))
    models = _model_list(args.models, catalog)
    if not models:
        raise CliError("--models is empty")
    usage = Usage(args.input_tokens, args.cache_read_tokens, args.cache_write_5m_tokens, args.cache_write_1h_tokens,
                  args.output_tokens)
    rows = [price_request(catalog, m, usage, args.as_of, _tier(args), regional=args.regional,
                          off_peak=args.off_peak, cache_hours=args.cache_hours).row() for m in models]
    if args.format == "json":
        out.write(dumps(rows) + "\n")
        return
    write_table(rows, REQUEST_COST_FIELDS if args.format == "csv" else REQUEST_COST_FIELDS[:-3], args.format, out)
    if args.format == "table":
        for row in rows:
            out.write(f"{row['model']} priced by: {row['rules'] or 'the listed rates'} ({row['evidence']})\n")


def cmd_fine_tune(args, out) -> None:
    catalog = load_catalog(overrides=tuple(args.prices))
    path = Path(args.path)
    if not path.is_file():
        raise CliError(f"no such file: {path}")
    data = _read_file(path)
    if not looks_like_requests(data):
        raise CliError(f"{path} is not a chat-format training file (one {{\"messages\": [...]}} object per line)")
    if args.models is not None:
        models = _model_list(args.models)
        if not models:
            raise CliError("--models is empty")
    else:
        models = default_fine_tuning_models(catalog, args.as_of)
        if not models:
            raise CliError(f"none of the default base models ({', '.join(FINE_TUNING_MODELS)}) is offered on "
                           f"{args.as_of.isoformat()}; name one with --models")
    parsed = read_requests(str(path), data)
    estimates, refused = [], []
    for model in models:
        try:
            estimates.append(estimate_fine_tuning(parsed, catalog, model, args.as_of, epochs=args.epochs,
                                                  example_limit=args.example_limit, image_size=args.image_size))
        except ImagesNotAcceptedError as error:  # the other models are still priced
            refused.append(error)
    if not estimates:
        raise CliError("; ".join(map(str, refused)))
    write_fine_tuning_report(fine_tuning_report(path, estimates, args.as_of, refused), args.format, out)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="cli.py", description="What LLM API calls cost on each vendor's models, counted and priced offline.")
    sub = parser.add_subparsers(dest="command", required=True)

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--as-of", type=_date, default=dt.date.today(), help="price date (default: today)")
    common.add_argument("--prices", action="append", default=[], type=Path, metavar="FILE",
                        help="a catalog file that overrides or adds models (repeatable)")
    common.add_argument("--format", choices=["table", "json", "csv"], default="table")

    prices = sub.add_parser("prices", parents=[common], help="list the catalog's prices on a date")
    prices.add_argument("--vendor", metavar="NAME",
                        help="only this vendor's or host's models (openai, anthropic, google, deepseek, xai, mistral, "
                             "qwen, meta, groq, bedrock), with its pricing rules in words")
    prices.add_argument("--check", action="store_true",
                        help="compare the catalog with the installed genai-prices data on the date (offline); "
                             "exit 2 when a disagreement is not explained in data/catalog/known_disagreements.json")

    image_size = argparse.ArgumentParser(add_help=False)
    image_size.add_argument("--image-size", type=_image_size, default=DEFAULT_IMAGE_SIZE, metavar="WxH",
                            help="assumed size of images at remote URLs in request files "
                                 f"(default: {DEFAULT_IMAGE_SIZE[0]}x{DEFAULT_IMAGE_SIZE[1]})")

    est = sub.add_parser("estimate", parents=[common, image_size], help="count tokens and price them per model")
    est.add_argument("paths", nargs="*", metavar="PATH",
                     help="files, directories or URLs (s3://bucket/prefix/, gs://, https://): text, csv, tsv, "
                          "xlsx, json, jsonl, parquet, arrow/feather, zip, any of them .gz/.bz2/.xz/.zst")
    est.add_argument("--text", help="a text to estimate instead of (or beside) files")
    est.add_argument("--column", help="the CSV/TSV/XLSX/Parquet/Arrow column holding the text, or several "
                                      "(title,description: each row's cells joined in that order with a newline, "
                                      "priced together) (default: chosen by content, and said)")
    est.add_argument("--group-by", help="a CSV/TSV column or JSONL field to total the counts by")
    est.add_argument("--encoding", help="read the files with this text encoding (default: detect)")
    est.add_argument("--models", help="comma-separated model ids (default: gpt-4o,gpt-4o-mini,gpt-3.5-turbo, a "
                                      "model shut down by --as-of replaced by its successor (gpt-3.5-turbo by "
                                      "gpt-4.1-mini from 2026-10-23); the embedding models for --task embed)")
    est.add_argument("--task", choices=TASKS,
                     help="what the requests do, which sets the output: classify (5 tokens), extract (150), "
                          "summarize (0.2 of the input), translate (about the input), embed (input only, on "
                          "the embedding models), chat (500); default: classify for files, chat for a text")
    est.add_argument("--translate-to", metavar="LANG",
                     help="with --task translate: the target language (en, zh-Hans, hi, ...), its tokens counted")
    est.add_argument("--runs", "--requests", dest="runs", type=_count(MAX_REQUESTS),
                     help="the corpus, processed N times: each document one request (default for files: 1)")
    est.add_argument("--per-month", type=_count(MAX_REQUESTS),
                     help="traffic like this: N requests a month, the text a typical request "
                          "(default for --text/stdin: 1000)")
    est.add_argument("--output-tokens", type=_count(MAX_OUTPUT_TOKENS), help="output tokens per request (task: custom)")
    est.add_argument("--output-ratio", type=_decimal(Decimal(0), MAX_OUTPUT_RATIO),
                     help="output tokens as a ratio of input tokens (task: custom)")
    est.add_argument("--by-language", action="store_true",
                     help="detect each document's language and total the counts per language")
    est.add_argument("--compare", type=_pair, default=DEFAULT_PAIR, metavar="FROM,TO",
                     help=f"the model pair whose saving is split into tokenizer and price effects "
                          f"(default: {','.join(DEFAULT_PAIR)})")
    est.add_argument("--batch", action="store_true", help="price with the Batch API (short for --tier batch)")
    est.add_argument("--tier", choices=TIERS, default=None,
                     help="processing tier: standard (default), batch, flex or priority (where OpenAI prices it)")
    est.add_argument("--quick", action="store_true",
                     help="estimate big plain text files from a sample, with a 95%% interval (others exact)")
    est.add_argument("--cached-share", type=_decimal(Decimal(0), Decimal(1)), default=Decimal(0),
                     help="share of input billed as cached (0-1)")
    est.add_argument("--cache-write-share", type=_decimal(Decimal(0), Decimal(1)), default=Decimal(0),
                     help="share of input written to the prompt cache (priced where the vendor charges writes: "
                          "Anthropic 1.25x input for 5 minutes, 2x for 1 hour); with --cached-share at most 1")
    est.add_argument("--cache-lifetime", choices=("5m", "1h"), default="5m",
                     help="lifetime of the cache writes (default 5m)")
    est.add_argument("--cache-hours", type=_decimal(Decimal(0), Decimal(8760)), default=Decimal(1),
                     help="hours an explicit context cache is kept (Gemini storage per hour; default 1)")
    est.add_argument("--off-peak-share", type=_decimal(Decimal(0), Decimal(1)), default=Decimal(0),
                     help="share of the traffic sent in a model's off-peak window, where its price has one")
    est.add_argument("--regional", action="store_true",
                     help="apply each model's regional / data-residency uplift (e.g. 1.1x) where it has one")
    est.add_argument("--engine", choices=("local", "dask"), default="local",
                     help="count in this process (local, default) or on a Dask cluster (dask: files and Parquet "
                          "row groups counted on its workers; requirements-cluster.txt)")
    est.add_argument("--scheduler", metavar="ADDRESS",
                     help="with --engine dask: the scheduler of an existing cluster (tcp://host:8786); "
                          "default: a local cluster of one worker process per core")

    cost = sub.add_parser("cost", parents=[common],
                          help="price one request's token counts (a usage block) on any vendor's models")
    cost.add_argument("--models", required=True, help="comma-separated model ids, as each vendor's API spells them "
                                                     "(or vendor:id)")
    tokens = _count(MAX_REQUEST_TOKENS)
    cost.add_argument("--input-tokens", type=tokens, default=0, help="prompt tokens not read from or written to a cache")
    cost.add_argument("--cache-read-tokens", type=tokens, default=0, help="prompt tokens read from the cache (hits)")
    cost.add_argument("--cache-write-5m-tokens", type=tokens, default=0,
                      help="prompt tokens written to the cache for 5 minutes")
    cost.add_argument("--cache-write-1h-tokens", type=tokens, default=0, help="prompt tokens written to the cache for 1 hour")
    cost.add_argument("--output-tokens", type=tokens, default=0, help="output tokens (reasoning included)")
    cost.add_argument("--batch", action="store_true", help="price with the Batch API (short for --tier batch)")
    cost.add_argument("--tier", choices=TIERS, default=None, help="processing tier (default: standard)")
    cost.add_argument("--regional", action="store_true",
                      help="with the model's regional / data-residency uplift (e.g. 1.1x), where it has one")
    cost.add_argument("--off-peak", action="store_true", help="sent in the model's off-peak window, where it has one")
    cost.add_argument("--cache-hours", type=_decimal(Decimal(0), Decimal(8760)), default=Decimal(0),
                      help="hours the cache reads were kept in an explicit context cache (storage, where priced)")

    cli_tokenizers.add_options(est)
    tok = sub.add_parser("tokenizers", parents=[common],
                         help="list the tokenizers: how each is counted, the models, package, size, speed")
    cli_tokenizers.add_file_option(tok)

    ft = sub.add_parser("fine-tune", parents=[common, image_size],
                        help="price fine-tuning on a chat-format training file (JSONL)")
    ft.add_argument("path", metavar="FILE", help="training file: one {\"messages\": [...]} object per line")
    ft.add_argument("--models", help=f"comma-separated base models (default: those of {','.join(FINE_TUNING_MODELS)} "
                         "offered on the price date)")
    ft.add_argument("--epochs", type=_count(MAX_EPOCHS),
                    help="epochs (default: the cookbook's rule: 3, raised to floor(100 / examples), lowered to stay "
                         "within 25,000)")
    ft.add_argument("--example-limit", type=_count(MAX_EXAMPLE_TOKENS), help="tokens per example before it is cut "
                                                         "(default: the model's context window)")
    return parser


def main(argv: list[str] | None = None, out=None) -> int:
    out = out or sys.stdout
    # The report is written to ``out`` only once it is whole: a failure leaves stdout empty.
    report = io.StringIO()
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
            cmd_prices(args, report)
        elif args.command == "fine-tune":
            cmd_fine_tune(args, report)
        elif args.command == "cost":
            cmd_cost(args, report)
        elif args.command == "tokenizers":
            cli_tokenizers.cmd_tokenizers(args, report)
        else:
            cmd_estimate(args, report)
        out.write(report.getvalue())
        out.flush()
    except CheckFailed as exc:  # the report is whole: it lists what failed
        out.write(report.getvalue())
        out.flush()
        print(f"error: {exc}", file=sys.stderr)
        return 2
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
