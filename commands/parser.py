"""The command line's parser: the argument types, the options every command shares, and each
command's options (``build_parser``)."""

from __future__ import annotations

import argparse
import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path

from commands import tokenizers as tokenizers_command
from commands.common import CliError
from pricing.estimates import DEFAULT_PAIR
from pricing.fine_tuning import FINE_TUNING_MODELS
from pricing.schema import TIERS
from pricing.tasks import TASKS
from tokenizers.images import DEFAULT_IMAGE_SIZE

# Bounds of the numbers a user gives, as in the app: wider than any real workload, narrow
# enough that no figure runs into Decimal's or int's limits.
MAX_OUTPUT_RATIO = Decimal(100)
MAX_OUTPUT_TOKENS = 10_000_000
MAX_REQUESTS = 10**12
MAX_EPOCHS = 100
MAX_EXAMPLE_TOKENS = 10_000_000
MAX_IMAGE_SIDE = 100_000
MAX_REQUEST_TOKENS = 100_000_000  # one request's tokens of one kind: far past any context window


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

    tokenizers_command.add_options(est)
    tok = sub.add_parser("tokenizers", parents=[common],
                         help="list the tokenizers: how each is counted, the models, package, size, speed")
    tokenizers_command.add_file_option(tok)

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
