"""A validated catalog kept on disk between runs, so a short question does not validate it again.

The key is the sha256 of the catalog file's bytes and of the code that validates it (the
schema models, the loader, the encoding registry, the JSON reader), with the Python and
pydantic versions: any change to the file or to its rules makes a new entry. The cache lives
in the user's cache directory (``$LLM_COST_CACHE_DIR``, else ``$XDG_CACHE_HOME`` or ``~/.cache``);
where it cannot be read or written, the catalog is simply validated as before.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from tokenizers.downloads import user_cache_dir

T = TypeVar("T")

_ROOT = Path(__file__).resolve().parent.parent
# The code whose rules decide what a valid catalog is.
_RULES = ("pricing/schema.py", "pricing/catalog.py", "pricing/catalog_cache.py", "tokenizers/registry.py",
          "ingest/jsonlimits.py")


def cache_dir() -> Path:
    """Where validated catalogs are kept: the project's cache directory (``$LLM_COST_CACHE_DIR``,
    else ``$XDG_CACHE_HOME/llm-cost-calculator``, default ``~/.cache``)."""
    return user_cache_dir()


def _key(data: bytes) -> str | None:
    import pydantic

    digest = hashlib.sha256(data)
    try:
        for name in _RULES:
            digest.update((_ROOT / name).read_bytes())
    except OSError:  # the sources are not there (a frozen build): no key, no cache
        return None
    digest.update(f"{sys.version}|{pydantic.VERSION}".encode())
    return digest.hexdigest()


def _trusted(path: Path) -> bool:
    """Only a file of ours that nobody else can write is unpickled (pickle runs what it loads)."""
    try:
        info = path.stat()
    except OSError:
        return False
    owner = getattr(os, "getuid", None)
    return (owner is None or info.st_uid == owner()) and not info.st_mode & 0o022


def cached(data: bytes, build: Callable[[], T]) -> T:
    """What ``build()`` returns for the catalog whose file holds ``data``, from the cache when
    an entry for these exact bytes and rules is there, else built and stored (silently skipped
    when the cache cannot be written). Raises what ``build`` raises; a failure is never cached."""
    key = _key(data)
    if key is None:
        return build()
    path = cache_dir() / f"catalog-{key}.pickle"
    if _trusted(path):
        try:
            return pickle.loads(path.read_bytes())
        except Exception:  # a truncated or foreign file: validate again and replace it
            pass
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        with open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: a parallel reader never sees half a file
    except OSError:
        pass
    return value
