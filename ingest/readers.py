"""Reading sources whole: bytes in memory (uploads) or paths, as a Corpus of whole documents."""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator

from ingest.documents import Corpus, Document, Problem
from ingest.options import ReadOptions
from ingest.streaming import iter_documents, iter_stream

__all__ = ["ReadOptions", "read_bytes", "read_paths"]


def read_bytes(name: str, data: bytes, options: ReadOptions = ReadOptions()) -> Corpus:
    """Documents in one named source held in memory (an upload).

    The content decides whether it is text (and its encoding); the name's suffix decides how
    it is split. Never raises for bad content: problems and notes are in the Corpus.
    """
    problems: list[Problem] = []
    documents = list(iter_stream(name, io.BytesIO(data), len(data), options, problems))
    return _corpus(documents, problems)


def read_paths(paths: Iterable[str | os.PathLike[str]], options: ReadOptions = ReadOptions()) -> Corpus:
    """Documents from files (and directories, recursively), in the order given.

    The materialised ``iter_documents``: the parts of a huge text are joined back into one
    document, so one file is one document.
    """
    problems: list[Problem] = []
    documents = list(iter_documents(paths, options, problems))
    return _corpus(documents, problems)


def _corpus(documents: list[Document], problems: list[Problem]) -> Corpus:
    corpus = Corpus(documents=list(_join_parts(documents)))
    for problem in problems:
        corpus.add(problem)
    return corpus


def _join_parts(documents: list[Document]) -> Iterator[Document]:
    whole: list[Document] = []
    for document in documents:
        if document.part == 0 and whole:
            yield _joined(whole)
            whole = []
        whole.append(document)
    if whole:
        yield _joined(whole)


def _joined(parts: list[Document]) -> Document:
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    return Document(text="".join(p.text for p in parts), source=first.source, group=first.group, fields=first.fields)
