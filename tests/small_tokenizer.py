"""A third tokenizer for tests: counted offline, different from o200k_base and cl100k_base.

"small-bpe" is cl100k_base cut down to its first 3,000 ranks (every byte is among them, and the
first N merges of a BPE vocabulary are a BPE vocabulary), with cl100k_base's split pattern: a
real tiktoken Encoding whose counts differ from both OpenAI encodings, add up over text cut at
the safe places, and are checked against its own ``encode_ordinary``. The ``small_tokenizer``
fixture (tests/conftest.py) registers it for one test, so a third tokenizer is shown to flow
through every layer before the vendors' engines exist.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import tiktoken

from tokenizers.encodings import get_encoding

NAME = "small-bpe"
RANKS = 3000


@functools.cache
def small_encoding() -> tiktoken.Encoding:
    """The test tokenizer as a tiktoken Encoding (built once per process)."""
    cl100k = get_encoding("cl100k_base")
    ranks = {token: rank for token, rank in cl100k._mergeable_ranks.items() if rank < RANKS}
    return tiktoken.Encoding(NAME, pat_str=cl100k._pat_str, mergeable_ranks=ranks, special_tokens={})


def small_count(text: str) -> int:
    """The reference count of ``text`` on the test tokenizer."""
    return len(small_encoding().encode_ordinary(text))


@dataclass(frozen=True)
class SmallTokenizer:
    """The registry entry of the test tokenizer, with the attributes the code reads of one (a
    plain object, so it does not depend on how the registry builds its own entries): its
    counter is tiktoken's on the small vocabulary."""

    encoding: str
    method: str = "exact"
    engine: str = "tiktoken (test vocabulary)"
    counted: bool = True
    available: bool = True

    @property
    def name(self) -> str:
        return self.encoding

    @property
    def best_method(self) -> str:
        return self.method

    @property
    def label(self) -> str:
        return f"{self.encoding} ({self.method})"

    def encoder(self) -> tiktoken.Encoding:
        """Ids and token bytes, for the token view."""
        return small_encoding()

    def counter(self) -> Callable[[Sequence[str]], list[int]]:
        encoding = small_encoding()
        return lambda texts: [len(ids) for ids in encoding.encode_ordinary_batch(list(texts), num_threads=1)]


ENTRY = SmallTokenizer(NAME)
#: The same vocabulary registered as a reconstruction (as Claude's are): its counts must be called
#: "reconstructed" everywhere, never "exact".
RECONSTRUCTED_NAME = "small-recon"
RECONSTRUCTED_ENTRY = SmallTokenizer(RECONSTRUCTED_NAME, method="reconstructed")
#: A vendor's tokenizer that is not counted offline (its models are priced on o200k_base, labelled).
UNCOUNTED_NAME = "small-none"
UNCOUNTED_ENTRY = SmallTokenizer(UNCOUNTED_NAME, method="none", engine="none", counted=False, available=False)
