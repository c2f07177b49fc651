"""Vocabulary files no package ships (Gemma 3's SentencePiece model), downloaded once from the
address their vendor's SDK uses, refused unless their SHA-256 is the pinned one, kept in the
user's cache directory.

``LLM_COST_DOWNLOADS=0`` turns downloading off (the tests do; so may a server without network):
the tokenizer is then counted as its labelled estimate, or exactly from a file the user gives.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from tokenizers.encodings import EncodingUnavailableError

_TIMEOUT_SECONDS = 30
_MAX_BYTES = 64 << 20  # far above the Gemma 3 model's 4.5 MB: a wrong address cannot fill the disk


def user_cache_dir() -> Path:
    """The project's cache directory: ``$LLM_COST_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/llm-cost-calculator`` (default ``~/.cache``)."""
    if os.environ.get("LLM_COST_CACHE_DIR"):
        return Path(os.environ["LLM_COST_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "llm-cost-calculator"


def downloads_allowed() -> bool:
    """False when ``LLM_COST_DOWNLOADS`` is ``0`` (or ``false``/``no``/``off``)."""
    return os.environ.get("LLM_COST_DOWNLOADS", "1").strip().lower() not in ("0", "false", "no", "off")


def cached_path(vocabulary) -> Path:
    """Where a downloaded copy of ``vocabulary`` is kept."""
    return user_cache_dir() / "tokenizers" / vocabulary.path


def cached_file(vocabulary) -> Path | None:
    """The downloaded copy of ``vocabulary`` if there is one (its hash is checked when it is read)."""
    path = cached_path(vocabulary)
    return path if path.is_file() else None


def download(vocabulary) -> Path:
    """Fetch ``vocabulary.url`` once, check its SHA-256, keep it in the cache; returns its path.

    Raises EncodingUnavailableError when downloads are off, the fetch fails, or the bytes are not
    the pinned file (then nothing is kept)."""
    if not vocabulary.url:
        raise EncodingUnavailableError(f"{vocabulary.path} has no download address")
    if not downloads_allowed():
        raise EncodingUnavailableError(f"downloads are turned off (LLM_COST_DOWNLOADS=0): give {vocabulary.path}")
    import urllib.request  # here: only a download needs it (importing it costs every process memory)

    try:
        with urllib.request.urlopen(vocabulary.url, timeout=_TIMEOUT_SECONDS) as response:
            data = response.read(_MAX_BYTES + 1)
    except OSError as exc:
        raise EncodingUnavailableError(f"{vocabulary.path} could not be downloaded ({type(exc).__name__})") from exc
    if len(data) > _MAX_BYTES or hashlib.sha256(data).hexdigest() != vocabulary.sha256:
        raise EncodingUnavailableError(f"the download of {vocabulary.path} is not the pinned file; nothing was kept")
    return keep(vocabulary, data)


def keep(vocabulary, data: bytes) -> Path:
    """Keep ``data`` (already checked against the pinned SHA-256) as the cached copy of
    ``vocabulary``; returns its path. Raises OSError when the cache directory cannot be written."""
    target = cached_path(vocabulary)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)  # atomic: a parallel reader never sees half a file
    return target
