"""``cli.py fine-tune``: what fine-tuning on a chat-format training file (JSONL) costs on each base model."""

from __future__ import annotations

from pathlib import Path

from commands.common import CliError, model_list, read_file
from commands.output import write_fine_tuning_report
from ingest.requests import looks_like_requests, read_requests
from pricing import load_catalog
from pricing.fine_tuning import (
    FINE_TUNING_MODELS,
    ImagesNotAcceptedError,
    default_fine_tuning_models,
    estimate_fine_tuning,
)
from pricing.reports import fine_tuning_report


def cmd_fine_tune(args, out) -> None:
    catalog = load_catalog(overrides=tuple(args.prices))
    path = Path(args.path)
    if not path.is_file():
        raise CliError(f"no such file: {path}")
    data = read_file(path)
    if not looks_like_requests(data):
        raise CliError(f"{path} is not a chat-format training file (one {{\"messages\": [...]}} object per line)")
    if args.models is not None:
        models = model_list(args.models)
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
