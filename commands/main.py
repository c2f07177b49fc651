"""The command line over the same core as the app: `prices`, `estimate`, `cost`, `fine-tune` and `tokenizers`.

Exit status 0 on success, 2 on any failure, with one line on stderr (never a traceback).
"""

from __future__ import annotations

import io
import sys

from commands.common import CliError
from commands.cost import cmd_cost
from commands.estimate import cmd_estimate
from commands.fine_tune import cmd_fine_tune
from commands.parser import build_parser
from commands.prices import CheckFailed, cmd_prices
from commands.tokenizers import cmd_tokenizers
from pricing import CatalogError, NotPricedError, PricingError, UnknownModelError
from tokenizers import EncodingUnavailableError


def main(argv: list[str] | None = None, out=None) -> int:
    """Run the command ``argv`` (default: ``sys.argv[1:]``), writing its report to ``out`` (default:
    stdout); returns the exit status: 0, or 2 after one line on stderr."""
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
            cmd_tokenizers(args, report)
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
