"""Corpora in object storage or at a URL (``s3://``, ``gs://``, ``https://`` ...), through fsspec.

Credentials come from each store's usual environment and configuration (for S3: the
``AWS_*`` variables, ``~/.aws``, an instance role; ``AWS_ENDPOINT_URL`` for an S3-compatible
server); they are never read, shown or passed along here. fsspec and the store's package
(s3fs, gcsfs) are imported only when a URL is given.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ingest.documents import Problem

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(path: object) -> bool:
    """Whether ``path`` names a file or prefix by URL ("s3://bucket/prefix/", "https://...")."""
    return isinstance(path, str) and bool(_URL.match(path))


@dataclass(frozen=True)
class RemoteFile:
    """One file in a store: its URL (where its documents come from) and its size in bytes."""

    url: str
    size: int
    fs: object
    path: str

    def __str__(self) -> str:
        return self.url

    def open(self):
        """The file as a seekable binary stream (read in ranges, not downloaded whole)."""
        return self.fs.open(self.path, "rb")


def _error(exc: BaseException) -> str:
    # The store's own message (no credentials are in it); its type when it has none.
    return (str(exc).splitlines() or [""])[0] or type(exc).__name__


def iter_remote_files(url: str, problems: list[Problem]) -> Iterator[RemoteFile]:
    """The file at ``url``, or every file under it when it is a prefix/folder (recursively, sorted).

    Hidden names (a part starting with ".") are listed as ``hidden``; an empty prefix as
    ``no_files``; a URL that cannot be reached or listed as ``unreadable`` with the store's reason.
    """
    try:
        import fsspec

        fs, root = fsspec.core.url_to_fs(url)
        protocol = url.split("://", 1)[0]
        if fs.isdir(root):
            found = fs.find(root, detail=True)
            if not found:
                problems.append(Problem("no_files", url))
            for path in sorted(found):
                info = found[path]
                if info.get("type") == "directory":
                    continue
                full = _unstrip(protocol, fs, path)
                relative = path[len(root.rstrip("/")) + 1:] if path.startswith(root.rstrip("/") + "/") else path
                if any(part.startswith(".") for part in relative.split("/")):
                    problems.append(Problem("hidden", full))
                    continue
                yield RemoteFile(full, int(info.get("size") or 0), fs, path)
            return
        info = fs.info(root)
        yield RemoteFile(url, int(info.get("size") or 0), fs, root)
    except FileNotFoundError:
        problems.append(Problem("unreadable", url, {"error": "no such file or prefix"}))
    except Exception as exc:  # fsspec and the stores raise many types (botocore, aiohttp, ImportError)
        problems.append(Problem("unreadable", url, {"error": _error(exc)}))


def _unstrip(protocol: str, fs, path: str) -> str:
    """The URL of a path a filesystem listed (fsspec lists object-store paths without the protocol)."""
    if "://" in path:
        return path
    return fs.unstrip_protocol(path) if hasattr(fs, "unstrip_protocol") else f"{protocol}://{path}"
