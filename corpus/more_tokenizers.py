"""A counted source on more tokenizers, or on fewer: what lets the app count an upload once.

The app keeps one ``CountedSource`` per upload. A model on another vendor's tokenizer added to
the chosen ones needs that tokenizer's counts only: ``add_tokenizers`` reads the bytes again
and counts just the missing tokenizers, keeping the documents' languages; ``on_tokenizers``
hands a page exactly the tokenizers it asked for.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from ingest import ReadOptions
from corpus.pipeline import BATCH_BYTES, CountedSource, Reading, language_sums
from tokenizers import count_stream


def on_tokenizers(source: CountedSource, encodings: Sequence[str]) -> CountedSource:
    """``source`` with the counts of ``encodings`` only, in that order (each must be counted)."""
    if tuple(source.totals) == tuple(encodings):
        return source

    def only(tokens: dict) -> dict:
        return {e: tokens[e] for e in encodings}

    return dataclasses.replace(
        source, totals=only(source.totals), tokens=only(source.tokens),
        group_sums={g: (docs, only(tokens)) for g, (docs, tokens) in source.group_sums.items()},
        language_sums={code: (docs, only(tokens)) for code, (docs, tokens) in source.language_sums.items()},
    )


def add_tokenizers(source: CountedSource, data: bytes, options: ReadOptions, encodings: Sequence[str]
                   ) -> CountedSource:
    """``source`` (counted from ``data`` read with ``options``) counted on ``encodings`` too: only
    the tokenizers it lacks are counted, its documents' languages kept (not detected again).

    Raises RuntimeError when ``data`` no longer gives ``source``'s documents.
    """
    missing = [e for e in encodings if e not in source.tokens]
    if not missing:
        return source
    counts = count_stream(Reading(source.name, data, options), missing, batch_bytes=BATCH_BYTES)
    if counts.documents != source.documents:
        raise RuntimeError(f"{source.name} gave {counts.documents} documents, not {source.documents}")
    labelled = dataclasses.replace(counts, label_names=list(source.language_labels),
                                   document_labels=source.language_index)
    added = language_sums(labelled) if source.language_sums else {}

    def joined(sums: dict, new: Mapping) -> dict:
        # Each group's (or language's) documents, its old tokens and the new ones.
        return {key: (docs, {**tokens, **new.get(key, {})}) for key, (docs, tokens) in sums.items()}

    return dataclasses.replace(
        source, totals={**source.totals, **counts.tokens}, tokens={**source.tokens, **counts.per_document},
        group_sums=joined(source.group_sums, {g: c.tokens for g, c in counts.groups.items()}),
        language_sums=joined(source.language_sums, {code: tokens for code, (_, tokens) in added.items()}),
    )
