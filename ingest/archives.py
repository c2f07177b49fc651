"""ZIP archives: each member read as a file of its own, named ``archive.zip/member/path``."""

from __future__ import annotations

import dataclasses
import zipfile
from collections.abc import Callable, Iterator
from pathlib import PurePosixPath
from typing import BinaryIO

from ingest.compression import DecompressionBudget, DecompressionLimitError
from ingest.documents import Document, Problem

#: Reads one member: (its name, its decompressed stream, its declared size) -> documents.
MemberReader = Callable[[str, BinaryIO, int], Iterator[Document]]


def member_name(archive: str, member: str) -> str:
    """Where a member's documents come from: "corpus.zip/notes/a.txt"."""
    return f"{archive}/{member}"


def iter_zip(
    name: str, stream: BinaryIO, budget: DecompressionBudget, problems: list[Problem], read_member: MemberReader
) -> Iterator[Document]:
    """Documents of every file in the ZIP archive ``stream``, in the archive's order.

    Folders are passed over; hidden members (a name part starting with ".", e.g. __MACOSX
    resource forks) are listed as ``hidden``; an encrypted or damaged member as ``unreadable``.
    When the sizes the archive declares already exceed ``budget`` nothing is read
    (``decompression_limit``); the bytes actually read are charged to it as well.
    """
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        problems.append(Problem("unreadable", name, {"error": str(exc)}))
        return
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        if sum(info.file_size for info in members) > budget.limit:
            problems.append(Problem(budget.code, name, budget.params()))
            return
        if not members:
            problems.append(Problem("no_files", name))
        for info in members:
            where = member_name(name, info.filename)
            parts = PurePosixPath(info.filename).parts
            if any(part.startswith(".") or part == "__MACOSX" for part in parts):
                problems.append(Problem("hidden", where))
                continue
            if info.flag_bits & 0x1:
                problems.append(Problem("unreadable", where, {"error": "encrypted"}))
                continue
            try:
                member = archive.open(info)
            except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError) as exc:
                problems.append(Problem("unreadable", where, {"error": str(exc)}))
                continue
            try:
                with member:
                    for document in read_member(where, member, info.file_size):
                        yield dataclasses.replace(document, origin=where)
            except DecompressionLimitError:
                raise
            except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:  # e.g. a CRC mismatch
                problems.append(Problem("unreadable", where, {"error": str(exc)}))
