"""Streaming files into documents with bounded memory: blocks, parts, rows one by one."""

from __future__ import annotations

import dataclasses
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from ingest.decoding import (
    ERRORS,
    Decoder,
    bom_encoding,
    codec_name,
    detect_encoding,
    utf16_without_bom,
    with_byte_order,
)
from ingest.archives import iter_zip
from ingest.columnar import columnar_kind, iter_columnar
from ingest.compression import (
    BoundedStream,
    DecompressionBudget,
    DecompressionLimitError,
    compression_of,
    decompressed,
    inner_suffix,
    read_errors,
)
from ingest.documents import Document, Problem
from ingest.jsondocs import iter_json, iter_jsonl
from ingest.limits import LimitExceeded, spend
from ingest.options import ReadOptions
from ingest.remote import RemoteFile, is_url, iter_remote_files
from ingest.sniff import binary_kind, is_xlsx
from ingest.tables import iter_csv, iter_xlsx

# Text is read and decoded this many bytes at a time; a longer text is yielded in parts.
BLOCK_BYTES = 8 << 20
# Encoding detection looks at the first megabyte and a slice from the middle, never the whole file.
SAMPLE_HEAD = 1 << 20
SAMPLE_MIDDLE = 1 << 16
# Parts end at a safe place in the last this-many characters of a block.
_CUT_WINDOW = 1 << 16

TABLE_SUFFIXES = {".csv": None, ".tsv": "\t", ".tab": "\t"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
XLSX_SUFFIXES = {".xlsx", ".xlsm"}
OLD_OFFICE_SUFFIXES = {".xls", ".doc", ".ppt"}
#: ZIP members of these types are read with seeks: copied out first, in memory up to SPOOL_BYTES.
SPOOLED_SUFFIXES = {*XLSX_SUFFIXES, ".parquet", ".pq", ".arrow", ".feather", ".ipc"}
SPOOL_BYTES = 32 << 20
#: What ``read_as`` returns for an Excel workbook (never a codec name).
WORKBOOK = "workbook"

#: Where a text may be cut so that the token counts of the pieces add up to the whole's: the
#: length of the longest safe prefix, 0 for none (``tokenizers.safe_prefix_end``). Ingest takes
#: it as a parameter and never imports the tokenizers; without one a text is never cut.
CutPoint = Callable[[str], int]


def iter_documents(
    paths: Iterable[str | os.PathLike[str]], options: ReadOptions, problems: list[Problem],
    cut: CutPoint | None = None,
) -> Iterator[Document]:
    """Documents from files and directories (recursively), in the order given, read lazily.

    Every problem and note (``Problem.is_note``) is appended to ``problems`` as it is met.
    Given ``cut``, a text longer than BLOCK_BYTES comes as consecutive documents with ``part``
    0, 1, ... whose token counts add up to the whole text's (without it, whole); table and JSON
    Lines rows come one by one.
    """
    for path in iter_files(paths, problems):
        yield from iter_file(path, options, problems, cut)


def iter_files(paths: Iterable[str | os.PathLike[str]], problems: list[Problem]) -> Iterator[Path | RemoteFile]:
    """The files named, and the files in the folders named (recursively, sorted); a URL
    (``s3://bucket/prefix/``, ``https://...``) gives the RemoteFile(s) it names.

    Hidden names are skipped with a "hidden" problem; a folder without files is "no_files"; a
    folder that cannot be listed is "unreadable". Named files are yielded as they are.
    """
    for named in paths:
        if is_url(named):
            yield from iter_remote_files(named, problems)
            continue
        path = Path(named)
        if path.is_dir():
            yield from _walk(path, problems)
        else:
            yield path


def _walk(root: Path, problems: list[Problem]) -> Iterator[Path]:
    found = False

    def unreadable(exc: OSError) -> None:
        problems.append(Problem("unreadable", str(exc.filename or root), {"error": exc.strerror or str(exc)}))

    for folder, dirs, files in os.walk(root, onerror=unreadable):
        dirs.sort()
        for hidden in [d for d in dirs if d.startswith(".")]:
            problems.append(Problem("hidden", str(Path(folder, hidden))))
            dirs.remove(hidden)
        for name in sorted(files):
            found = True
            if name.startswith("."):
                problems.append(Problem("hidden", str(Path(folder, name))))
                continue
            yield Path(folder, name)
    if not found:
        problems.append(Problem("no_files", str(root)))


def iter_file(
    path: Path | RemoteFile, options: ReadOptions, problems: list[Problem], cut: CutPoint | None = None,
    pieces: Sequence[int] | None = None,
) -> Iterator[Document]:
    """Documents of the one file ``path`` (see ``iter_stream``); an unreadable file is a problem.
    ``pieces``: only these row groups / record batches of a Parquet or Arrow file."""
    try:
        if isinstance(path, RemoteFile):
            stream, size = path.open(), path.size
        else:
            stream = path.open("rb")
            size = os.fstat(stream.fileno()).st_size
    except OSError as exc:
        problems.append(Problem("unreadable", str(path), {"error": exc.strerror or str(exc)}))
        return
    with stream:
        try:
            yield from iter_stream(str(path), stream, size, options, problems, cut, pieces=pieces)
        except OSError as exc:  # a disk error halfway: keep what was read, say what was not
            problems.append(Problem("unreadable", str(path), {"error": exc.strerror or str(exc)}))


def iter_stream(
    name: str, stream: BinaryIO, size: int, options: ReadOptions, problems: list[Problem],
    cut: CutPoint | None = None, *, suffix: str | None = None, budget: DecompressionBudget | None = None,
    pieces: Sequence[int] | None = None,
) -> Iterator[Document]:
    """Documents in the binary ``stream`` of ``size`` bytes named ``name``.

    The content decides what it is: gzip / bzip2 / xz / zstd (decompressed as it is read, then
    read as what it holds), a ZIP archive (each member a file: ``name/member``), a Parquet or
    Arrow table (one document per row), a workbook, or text; anything else is listed in
    ``problems``. The name's suffix (``suffix`` when given: "a.jsonl.gz" is split as ".jsonl")
    decides how text is split (.csv/.tsv: rows, .jsonl/.ndjson: lines, .json: items, anything
    else: one text). ``stream`` must be seekable except for compressed content (it is read
    forward), which cannot hold a ZIP, a Parquet file or an Arrow file. Everything decompressed
    from one physical file is charged to one ``budget`` (made here for the outermost stream);
    past it the rest is refused as ``decompression_limit``. ``pieces`` reads only those row
    groups / record batches of a Parquet or Arrow table (a partition of it). Under
    ``ingest.limits.within`` a read that passes a limit stops there, the limit added to
    ``problems`` (the documents before it were yielded).
    """
    suffix = Path(name).suffix.lower() if suffix is None else suffix
    if options.max_bytes is not None and size > options.max_bytes:
        problems.append(Problem("too_large", name, {"limit": options.max_bytes, "size": size}))
        return
    if size == 0:
        problems.append(Problem("empty_file", name))
        return
    own = budget is None
    budget = DecompressionBudget(size, options.max_expanded_bytes) if budget is None else budget
    try:
        yield from _dispatch(name, stream, size, options, problems, cut, suffix, budget, pieces)
    except DecompressionLimitError as exc:
        if not own:
            raise
        problems.append(Problem(exc.budget.code, name, exc.budget.params()))
    except LimitExceeded as exc:  # a server's read limit (ingest.limits): said once, for the whole file
        if not own:
            raise
        problems.append(Problem(exc.code, name, exc.params))


def _dispatch(
    name: str, stream: BinaryIO, size: int, options: ReadOptions, problems: list[Problem],
    cut: CutPoint | None, suffix: str, budget: DecompressionBudget, pieces: Sequence[int] | None = None,
) -> Iterator[Document]:
    head = stream.read(16)
    stream.seek(0)
    compression = compression_of(name, head)
    if compression is not None:
        yield from _iter_compressed(name, stream, compression, options, problems, cut, budget)
        return
    seekable = stream.seekable()
    table = columnar_kind(suffix, head)
    if table is not None and (seekable or table == "arrow_stream"):
        yield from iter_columnar(name, stream, table, options, problems, pieces)
        return
    if seekable and head.startswith((b"PK\x03\x04", b"PK\x05\x06")) and not is_xlsx(stream):
        def member(where: str, member_stream: BinaryIO, _size: int) -> Iterator[Document]:
            if inner_suffix(where) in SPOOLED_SUFFIXES:
                yield from _iter_spooled(where, member_stream, options, problems, cut, budget)
            else:
                yield from _iter_forward(where, member_stream, inner_suffix(where), options, problems, cut, budget)

        yield from iter_zip(name, stream, budget, problems, member)
        return
    yield from _iter_plain(name, stream, size, options, problems, cut, suffix)


def _iter_compressed(
    name: str, stream: BinaryIO, compression: str, options: ReadOptions, problems: list[Problem],
    cut: CutPoint | None, budget: DecompressionBudget,
) -> Iterator[Document]:
    """Documents of compressed content, decompressed forward and read as what it holds."""
    try:
        raw = decompressed(compression, stream)
        if inner_suffix(name) in SPOOLED_SUFFIXES:  # "t.parquet.gz": a table is read with seeks
            yield from _iter_spooled(name, raw, options, problems, cut, budget)
        else:
            yield from _iter_forward(name, raw, inner_suffix(name), options, problems, cut, budget)
    except read_errors() as exc:
        error = str(exc) or type(exc).__name__
        problems.append(Problem("bad_compressed", name, {"compression": compression, "error": error}))


def _iter_forward(
    name: str, raw: BinaryIO, suffix: str, options: ReadOptions, problems: list[Problem],
    cut: CutPoint | None, budget: DecompressionBudget,
) -> Iterator[Document]:
    """Documents of a stream that can only be read forward (decompressed content, a ZIP member)."""
    bounded = BoundedStream(raw, budget, SAMPLE_HEAD + 1)
    # Its size is known only when it is short: a longer one is "more than its first megabyte".
    inner = dataclasses.replace(options, max_bytes=None)  # the budget bounds what it expands to
    yield from iter_stream(name, bounded, len(bounded.head), inner, problems, cut, suffix=suffix, budget=budget)


def _iter_spooled(
    name: str, raw: BinaryIO, options: ReadOptions, problems: list[Problem], cut: CutPoint | None,
    budget: DecompressionBudget,
) -> Iterator[Document]:
    """Documents of a ZIP member or compressed file that must be read with seeks (a workbook, a
    Parquet / Arrow table): copied to a temporary file first (in memory up to SPOOL_BYTES),
    every byte charged to the budget."""
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
        while chunk := raw.read(1 << 20):
            budget.charge(len(chunk))
            spool.write(chunk)
        size = spool.tell()
        spool.seek(0)
        inner = dataclasses.replace(options, max_bytes=None)
        yield from iter_stream(name, spool, size, inner, problems, cut, budget=budget)


def _iter_plain(
    name: str, stream: BinaryIO, size: int, options: ReadOptions, problems: list[Problem],
    cut: CutPoint | None, suffix: str,
) -> Iterator[Document]:
    how = read_as(name, stream, size, options, problems)
    if how is None:
        return
    if how == WORKBOOK:
        yield from iter_xlsx(name, stream, options, problems)
        return
    encoding = how
    problems.append(Problem("encoding_used", name, {"encoding": encoding}))
    decoder = Decoder(encoding)
    if suffix in TABLE_SUFFIXES or suffix in JSONL_SUFFIXES:
        text = io.TextIOWrapper(stream, encoding=encoding, errors=ERRORS, newline="")
        try:
            lines = map(decoder.clean, text)
            if suffix in JSONL_SUFFIXES:
                yield from iter_jsonl(name, lines, options, problems)
            else:
                yield from iter_csv(name, lines, options, problems, TABLE_SUFFIXES[suffix])
        finally:
            text.detach()  # the caller owns (and closes) the stream
    elif suffix == ".json":
        yield from iter_json(name, decoder.decode(stream.read(), final=True), options, problems)
    else:
        yield from iter_text_parts(name, stream, decoder, problems, cut)
    if decoder.invalid:
        problems.append(Problem("invalid_bytes", name, {"encoding": encoding, "count": decoder.invalid}))
    if (nuls := decoder.nul_problem(name)) is not None:
        problems.append(nuls)


def read_as(name: str, stream: BinaryIO, size: int, options: ReadOptions, problems: list[Problem]) -> str | None:
    """How the seekable binary ``stream`` of ``size`` bytes is read: WORKBOOK, or the text
    encoding; None (the reason added to ``problems``) when it is not read at all.

    Looks at the first SAMPLE_HEAD bytes and, in a big file, a slice from the middle; leaves
    the stream at its start.
    """
    if options.max_bytes is not None and size > options.max_bytes:
        problems.append(Problem("too_large", name, {"limit": options.max_bytes, "size": size}))
        return None
    if size == 0:
        problems.append(Problem("empty_file", name))
        return None
    suffix = Path(name).suffix.lower()
    head = stream.read(SAMPLE_HEAD)
    middle = b""
    if size > 2 * SAMPLE_HEAD:
        stream.seek(size // 2)
        middle = stream.read(SAMPLE_MIDDLE)
    stream.seek(0)
    forced = None
    if options.encoding:
        forced = codec_name(options.encoding)
        if forced is None:
            problems.append(Problem("unknown_encoding", name, {"encoding": options.encoding}))
            return None
        forced = "utf-8-sig" if forced == "utf-8" else with_byte_order(forced, head)
    wide = (forced or bom_encoding(head) or utf16_without_bom(head) or "").startswith(("utf-16", "utf-32"))
    kind = binary_kind(head)
    if kind is not None and not (wide and kind == "binary data"):
        if kind == "ZIP archive" and is_xlsx(stream):
            return WORKBOOK
        if suffix in OLD_OFFICE_SUFFIXES:
            problems.append(Problem("unsupported_type", name, {"suffix": suffix}))
        else:
            problems.append(Problem("not_text", name, {"kind": kind}))
        return None
    return forced or detect_encoding(head, middle, complete=size <= len(head))


def _cut(before: str, text: str, safe_prefix_end: CutPoint) -> int:
    """Where ``text`` (after the character ``before``) can end a part: 0 for nowhere.

    Only the block's tail is searched (as safe_prefix_end does): parts stay about a block long.
    """
    start = max(0, len(text) - _CUT_WINDOW)
    prefix = text[start - 1] if start else before
    found = safe_prefix_end(prefix + text[start:])
    return start + found - len(prefix) if found > len(prefix) else 0


def iter_text_parts(
    name: str, stream: BinaryIO, decoder: Decoder, problems: list[Problem], cut_point: CutPoint | None
) -> Iterator[Document]:
    """One document, or consecutive parts cut where token counts add up, one block at a time."""
    pending: list[str] = []
    part = 0
    before = ""  # the character before the current block: a cut's safety depends on it
    block = stream.read(BLOCK_BYTES)
    while block:
        spend()
        following = stream.read(BLOCK_BYTES)
        text = decoder.decode(block, final=not following)
        cut = _cut(before, text, cut_point) if following and cut_point is not None else 0
        if cut > 0:
            pending.append(text[:cut])
            yield Document(text="".join(pending), source=name, part=part)
            part += 1
            pending = [text[cut:]]
        else:
            pending.append(text)
        before = text[-1:] or before
        block = following
    rest = "".join(pending)
    if part == 0 and not rest:
        problems.append(Problem("empty_file", name))
        return
    yield Document(text=rest, source=name, part=part)
