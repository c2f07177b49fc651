"""The quick estimate of a big upload: a stratified random sample of its text, counted, with a 95%
interval, shown while the exact count runs (``quick_estimate``), and the interval's width as a
share (``estimate_margin``)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from ingest import Document
from tokenizers import SUPPORTED_ENCODINGS, RowSample, TokenEstimate, split_safely

#: Characters of text the quick estimate's sample holds at most.
QUICK_SAMPLE_CHARS = 4 << 20
# A long document is offered to the sampler as safe pieces of about this many characters, so a
# single huge text still has many rows to draw from (the pieces' counts add up to the whole's).
SAMPLE_PIECE_CHARS = 1 << 16


def sample_rows(documents: Iterable[Document]) -> Iterator[str]:
    """The texts the quick estimate samples from: each document, a long one as safe pieces."""
    for doc in documents:
        if len(doc.text) > SAMPLE_PIECE_CHARS:
            yield from split_safely(doc.text, SAMPLE_PIECE_CHARS)
        elif doc.text:
            yield doc.text


def quick_estimate(documents: Iterable[Document], encodings: Sequence[str] = SUPPORTED_ENCODINGS
                   ) -> dict[str, TokenEstimate]:
    """A stratified-sample estimate of the tokens of ``documents`` on each of ``encodings`` (95%).

    The documents are streamed once (a ``Reading`` itself will do): only a bounded random
    sample of their text is held, so a big upload is not read into memory to be estimated.
    """
    sample = RowSample(QUICK_SAMPLE_CHARS)
    for row in sample_rows(documents):
        sample.add(row)
    return sample.estimate(encodings)


def estimate_margin(estimate: TokenEstimate) -> Decimal:
    """The interval's wider side as a share of the estimate (0 for an exact count)."""
    if estimate.tokens == 0:
        return Decimal(0)
    wider = max(estimate.high - estimate.tokens, estimate.tokens - estimate.low)
    return Decimal(wider) / Decimal(estimate.tokens)
