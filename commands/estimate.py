"""``cli.py estimate``: count the tokens of files, a text or stdin and price them per model (exact,
``--quick`` from a sample, or on a Dask cluster); API request files priced request by request."""

from __future__ import annotations

import codecs
import sys
import time
from pathlib import Path

from commands import tokenizers as tokenizers_command
from commands.common import CliError, model_list, processing_tier, read_file
from commands.output import write_estimate_report, write_request_report
from corpus.pipeline import count_inputs
from corpus.summary import DocumentSummary
from ingest import Problem, ReadOptions, iter_files
from ingest.documents import visible
from ingest.decoding import codec_name, detect_encoding, with_byte_order
from ingest.remote import RemoteFile, is_url
from ingest.requests import looks_like_requests, read_requests, sniff_head
from ingest.sniff import binary_kind
from ingest.streaming import JSONL_SUFFIXES, SAMPLE_HEAD, SAMPLE_MIDDLE, TABLE_SUFFIXES, XLSX_SUFFIXES
from pricing import Assumptions, PricingError, load_catalog
from pricing.count_methods import tokenizers_for_models
from pricing.estimates import build_estimate, dominant_language, request_thresholds, totals_of_inputs
from pricing.reports import estimate_report, quick_report, request_files_report
from pricing.tasks import Workplan, make_plan, output_assumption, request_file_assumptions, task_models
from tokenizers import TokenEstimate, estimate_file
from tokenizers.sampling import DEFAULT_SAMPLE_BYTES, DEFAULT_STRATA

# --quick samples about this many bytes of each plain text file bigger than it, in this many
# strata; smaller files and every other input are counted exactly.
QUICK_SAMPLE_BYTES = DEFAULT_SAMPLE_BYTES
QUICK_STRATA = DEFAULT_STRATA
# Inputs ingest splits into rows or items by their suffix: never one plain text to sample.
_SPLIT_SUFFIXES = set(TABLE_SUFFIXES) | JSONL_SUFFIXES | XLSX_SUFFIXES | {".json"}


def _assumptions(args) -> Assumptions:
    """Assumptions for API request files: each line sent ``--runs`` times, the app's default reply."""
    return request_file_assumptions(reply_tokens=args.output_tokens, reply_ratio=args.output_ratio,
                                    passes=1 if args.runs is None else args.runs, tier=processing_tier(args),
                                    cached_share=args.cached_share, as_of=args.as_of, **_rule_settings(args))


def _rule_settings(args) -> dict:
    """The vendors' rule settings the flags give (cache writes, cache hours, off-peak share, region)."""
    return {"cache_write_share": args.cache_write_share, "cache_lifetime": args.cache_lifetime,
            "cache_hours": args.cache_hours, "off_peak_share": args.off_peak_share, "regional": args.regional}


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
        return plan.assumptions(tier=processing_tier(args), cached_share=args.cached_share, as_of=args.as_of,
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
    tokenizers_command.use_given_files(args)
    if args.tokenizers:
        if args.quick or args.engine != "local":
            raise CliError("--tokenizers counts every document here: drop --quick and --engine dask")
        with _Progress("counting text") as bar:
            counted = count_inputs(args.paths, _options(args), _texts(args), on_progress=bar.text,
                                   encodings=args.tokenizers, summary=DocumentSummary())  # totals only: bounded
        tokenizers_command.write_counts(counted, args, out)
        return
    catalog = load_catalog(overrides=tuple(args.prices))
    if args.models is not None and not model_list(args.models):
        raise CliError("--models is empty")
    request_paths = _request_paths(args)
    if request_paths:
        write_request_report(_request_files_report(request_paths, args, catalog), args.format, out)
        return
    # The models priced (only "embed" changes them, so they are known before the text is read)
    # and the tokenizers their counts need, the corpus counted once on all of them.
    models = task_models(args.task, model_list(args.models, catalog), catalog.default_models(args.as_of))
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


def _sniff(path: Path) -> bytes:
    try:
        with path.open("rb") as f:
            return sniff_head(f)
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}") from None


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

    models = model_list(args.models, catalog) or None
    reports = [
        price_request_file(read_requests(str(path), read_file(path)), catalog, models, _assumptions(args),
                           image_size=args.image_size).as_dict() | {"file": str(path)}
        for path in paths
    ]
    return request_files_report(reports, args.as_of) | {"output_assumption": output_assumption(_assumptions(args))}
