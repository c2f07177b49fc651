"""The command line's tokenizer parts: ``cli.py tokenizers`` (what is counted, how, how fast),
``estimate --tokenizers NAMES`` (counts keyed by tokenizer, no prices) and ``--tokenizer-file
NAME=PATH`` (a vocabulary the user gives, e.g. Gemma 3's SentencePiece model for Gemini)."""

from __future__ import annotations

import argparse
from pathlib import Path

from commands.output import dumps, write_table
from tokenizers import vocabulary_files
from tokenizers.listing import TOKENIZER_FIELDS, token_counts_report, tokenizer_rows
from tokenizers.registry import KNOWN_ENCODINGS, REGISTRY

COUNT_FIELDS = ["tokenizer", "tokens", "count_method", "label"]


def tokenizer_names(value: str) -> list[str]:
    """``--tokenizers``: comma-separated names the registry counts offline now."""
    names = [n.strip() for n in value.split(",") if n.strip()]
    if not names:
        raise argparse.ArgumentTypeError("no tokenizer named")
    for name in names:
        if name not in REGISTRY:
            raise argparse.ArgumentTypeError(f"unknown tokenizer {name!r}; known: {', '.join(KNOWN_ENCODINGS)}")
    return list(dict.fromkeys(names))


def tokenizer_file(value: str) -> tuple[str, str]:
    """``--tokenizer-file NAME=PATH``: a vocabulary file for a tokenizer no package ships."""
    name, sep, path = value.partition("=")
    users_file = [n for n, e in REGISTRY.items() if e.vocabulary is not None and not e.vocabulary.package]
    if not sep or not path:
        raise argparse.ArgumentTypeError(f"give NAME=PATH, e.g. gemma3=/path/to/model (got {value!r})")
    if name not in users_file:
        raise argparse.ArgumentTypeError(f"{name!r} does not read a file you give; one of: {', '.join(users_file)}")
    if not Path(path).is_file():
        raise argparse.ArgumentTypeError(f"no such file: {path}")
    return name, path


def add_options(estimate: argparse.ArgumentParser) -> None:
    """The tokenizer options of ``estimate`` (and of ``tokenizers``: ``--tokenizer-file``)."""
    estimate.add_argument("--tokenizers", type=tokenizer_names, metavar="NAMES",
                          help="count on these tokenizers, without pricing (comma-separated; "
                               "see `cli.py tokenizers`): tokens keyed by tokenizer name")
    add_file_option(estimate)


def add_file_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--tokenizer-file", type=tokenizer_file, action="append", default=[], metavar="NAME=PATH",
                        help="a vocabulary file no package ships, checked against its pinned SHA-256 "
                             "(gemma3: Gemma 3's SentencePiece model, for exact Gemini counts)")


def use_given_files(args) -> None:
    """Register the ``--tokenizer-file`` files (each checked against its pin when it is read)."""
    for name, path in args.tokenizer_file:
        vocabulary_files.give_file(name, path)


def cmd_tokenizers(args, out) -> None:
    use_given_files(args)
    rows = tokenizer_rows()
    if args.format == "json":
        out.write(dumps({"tokenizers": rows}) + "\n")
    else:
        write_table(rows, TOKENIZER_FIELDS, args.format, out)


def write_counts(counted, args, out) -> None:
    """``estimate --tokenizers``: the counts of what was read, keyed by tokenizer, no prices."""
    report = token_counts_report(counted.counts.tokens, counted.counts.documents,
                                 [f"{p.where}: {p.message()}" for p in counted.skipped])
    if args.format == "json":
        out.write(dumps({k: v for k, v in report.items() if k != "rows"}) + "\n")
    else:
        write_table(report["rows"], COUNT_FIELDS, args.format, out)
