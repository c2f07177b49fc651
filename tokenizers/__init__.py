"""Offline token counting: exact on OpenAI's encodings (o200k_base, cl100k_base) and on every vendor
tokenizer a package ships; reconstructed or a labelled estimate for the rest (tokenizers/registry.py
says which, tokenizers/engines/ count them)."""

from tokenizers.boundaries import find_cut, safe_prefix_end, split_safely
from tokenizers.counting import count_many, count_tokens, count_with_tiktoken, encode, engine_name
from tokenizers.sampling import RowSample, TokenEstimate, estimate_file, estimate_texts
from tokenizers.streaming import CorpusCounts, count_file, count_stream
from tokenizers.encodings import (
    SUPPORTED_ENCODINGS,
    EncodingUnavailableError,
    get_encoding,
    seed_cache,
)

__all__ = [
    "SUPPORTED_ENCODINGS",
    "CorpusCounts",
    "TokenEstimate",
    "count_file",
    "count_stream",
    "estimate_file",
    "estimate_texts",
    "RowSample",
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
