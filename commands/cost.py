"""``cli.py cost``: one request's token counts (a usage block) priced on any vendor's models."""

from __future__ import annotations

from commands.common import CliError, model_list, processing_tier
from commands.output import dumps, write_table
from pricing import load_catalog


def cmd_cost(args, out) -> None:
    """`cost`: one request's token counts (as a usage block reports them) priced on each model."""
    from pricing.rules import Usage
    from pricing.vendors import REQUEST_COST_FIELDS, price_request

    catalog = load_catalog(overrides=tuple(args.prices))
    models = model_list(args.models, catalog)
    if not models:
        raise CliError("--models is empty")
    usage = Usage(args.input_tokens, args.cache_read_tokens, args.cache_write_5m_tokens, args.cache_write_1h_tokens,
                  args.output_tokens)
    rows = [price_request(catalog, m, usage, args.as_of, processing_tier(args), regional=args.regional,
                          off_peak=args.off_peak, cache_hours=args.cache_hours).row() for m in models]
    if args.format == "json":
        out.write(dumps(rows) + "\n")
        return
    write_table(rows, REQUEST_COST_FIELDS if args.format == "csv" else REQUEST_COST_FIELDS[:-3], args.format, out)
    if args.format == "table":
        for row in rows:
            out.write(f"{row['model']} priced by: {row['rules'] or 'the listed rates'} ({row['evidence']})\n")
