"""Exact, offline token counting on OpenAI's encodings (o200k_base, cl100k_base)."""

from tokenizers.boundaries import find_cut, safe_prefix_end, split_safely
from tokenizers.counting import count_many, count_tokens, count_with_tiktoken, encode, engine_name
from tokenizers.encodings import (
    SUPPORTED_ENCODINGS,
    EncodingUnavailableError,
    get_encoding,
    seed_cache,
)

__all__ = [
    "SUPPORTED_ENCODINGS",
    "EncodingUnavailableError",
    "count_many",
    "count_tokens",
    "count_with_tiktoken",
    "encode",
    "engine_name",
    "find_cut",
    "get_encoding",
    "safe_prefix_end",
    "seed_cache",
    "split_safely",
]
