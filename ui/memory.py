"""The server's memory: a budget for the whole process, counted corpora kept least recently
used first within a share of it, and freed memory handed back to the system.

One small container (Streamlit Community Cloud: about 1 GB) serves every visitor, so before an
upload is counted the app checks that the process's resident memory plus what the count will
need (and what counts running in other sessions have reserved) stays within the budget; if not,
the visitor is told to use the command line, which streams files of any size from disk.
Plain Python (no Streamlit): the pages use it through ``ui.counts``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Generic, TypeVar

from ingest.limits import LimitExceeded

DEFAULT_BUDGET_MB = 1024
# Counting an upload in the app streams it (two passes over its bytes: a bounded sample for the
# quick estimate, then the count), so beyond the upload itself, which Streamlit already holds
# and the resident size already shows, it needs the pieces and batches in flight and the garbage
# they leave: a 150 MB text raised the peak by 161 MB, a 157 MB CSV by 108 MB (after the
# tokenizers' one-time build, ~100 MB, at the first large count). So 1.5x, plus per document
# (a line: a table row, a JSONL line) its columns of counts, index and source (38 bytes
# measured) and its share of the batch; and each session counting at the same time costs about
# 20 MB more whatever the size (its page run, the language labels, the counting thread).
# A line's 64 bytes were measured on the counts kept; while it is counted, each document's source
# ("file.csv:123456") is held too: counting a 1M-row CSV (32 MB) a second time grew the process by
# 179 MB (122 bytes a line: its 64 were exceeded), 126 MB once sources are packed as they are read
# (corpus.pipeline.Reading): 58 bytes a line, 96 reserved.
COUNT_MEMORY_FACTOR = 1.5
COUNT_MEMORY_PER_LINE = 96
COUNT_MEMORY_OVERHEAD = 20 * 2**20
# A batch of a table decoded at once is held as Arrow buffers and as Python strings.
COUNT_MEMORY_PIECE_FACTOR = 2
# Counted corpora (their per-document columns) may take this share of the budget.
CACHE_SHARE = 0.15
# One count may reserve at most this share of the budget, so one file never leaves the others
# nothing to spare (a 50 KB Arrow file declaring 1.5 GB is refused before it is read).
COUNT_SHARE = 0.5

T = TypeVar("T")


def budget_bytes() -> int:
    """The server's memory budget: ``LLMCOST_MEMORY_MB`` (default 1024 MB, Community Cloud's size)."""
    try:
        megabytes = float(os.environ.get("LLMCOST_MEMORY_MB", ""))
    except ValueError:
        megabytes = DEFAULT_BUDGET_MB
    return int((megabytes if megabytes > 0 else DEFAULT_BUDGET_MB) * 2**20)


def resident_bytes() -> int:
    """This process's resident memory now (0 where /proc is not there to tell)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def count_memory(size: int, lines: int = 0, piece: int = 0, tokenizers: int = 2) -> int:
    """The memory counting an upload of ``size`` bytes and ``lines`` lines (or declared rows) on
    ``tokenizers`` tokenizers in the app needs, at most, when ``piece`` bytes are decoded at once (a
    table's largest batch, ``ingest.expansion``): the decoded piece and the Python strings made of
    it, twice; each tokenizer beyond o200k_base and cl100k_base adds a column of counts (8 bytes a line)."""
    per_line = COUNT_MEMORY_PER_LINE + 8 * max(0, tokenizers - 2)
    return int(COUNT_MEMORY_FACTOR * size) + per_line * lines + COUNT_MEMORY_PIECE_FACTOR * piece + COUNT_MEMORY_OVERHEAD


def piece_fits_share(piece: int) -> bool:
    """Whether decoding ``piece`` bytes at once (a table's batch) fits in one count's share."""
    return count_memory(0, 0, piece) <= budget_bytes() * COUNT_SHARE


@dataclass(frozen=True)
class TooBig:
    """Why an upload is not counted here: what it ``needs`` and what the server has ``free``."""

    needs: int
    free: int
    budget: int
    # True: it would fit in what is free, but not in one count's share of the budget (COUNT_SHARE).
    over_share: bool = False

    @property
    def share(self) -> int:
        """The most one count may reserve."""
        return int(self.budget * COUNT_SHARE)


_reserved = 0
_reserved_changed = threading.Condition()
# When a reservation was last returned (time.monotonic()).
_returned_at = -1.0


@contextmanager
def reserved(
    size: int,
    resident: Callable[[], int] = resident_bytes,
    wait_seconds: float = 0.0,
    on_wait: Callable[[], None] | None = None,
    lines: int = 0,
    piece: int = 0,
    tokenizers: int = 2,
) -> Iterator[TooBig | None]:
    """Reserve the memory counting an upload of ``size`` bytes (``lines`` lines or declared rows,
    ``piece`` bytes decoded at once) needs, for the block's duration.

    Yields None when it fits in the budget (the reservation held until the block ends), else a
    TooBig (nothing reserved). Reservations of sessions counting at the same time add up, so
    two big uploads at once cannot both be let in on the same free memory. While other counts
    hold reservations, a count that does not fit waits for them, up to ``wait_seconds``,
    calling ``on_wait`` about every quarter second (it may raise to give up: a closed page); it
    is refused at once when nothing is running that could make room, or when it needs more than
    one count's share of the budget (``COUNT_SHARE``).
    """
    global _reserved, _returned_at
    needs = count_memory(size, lines, piece, tokenizers)
    budget = budget_bytes()
    if needs > budget * COUNT_SHARE:  # could never fit fairly: refused before anything is read
        free = budget - resident() - _reserved
        # Said as over the share when it would fit in what is free now, else as not fitting.
        yield TooBig(needs, max(0, free), budget, over_share=needs <= free)
        return
    deadline = time.monotonic() + wait_seconds
    trimmed_at = -1.0
    while True:
        with _reserved_changed:
            free = budget - resident() - _reserved
            if needs <= free:
                _reserved += needs
                break
            others = _reserved > 0
        # Garbage glibc still holds may be all that is in the way: trimmed at most once a second,
        # and always once after another count has finished (its garbage is new).
        if time.monotonic() - trimmed_at > 1.0 or trimmed_at < _returned_at:
            release_memory()
            trimmed_at = time.monotonic()
            continue
        if not others or time.monotonic() >= deadline:
            yield TooBig(needs, max(0, free), budget)
            return
        if on_wait is not None:
            on_wait()
        with _reserved_changed:
            _reserved_changed.wait(0.25)
    try:
        yield None
    finally:
        with _reserved_changed:
            _reserved -= needs
            _returned_at = time.monotonic()
            _reserved_changed.notify_all()


# What a read's growth may pass the reservations by before it is stopped: garbage not yet
# collected, and the tokenizers' one-time build (about 100 MB) at the first large count.
READ_MEMORY_SLACK = 128 * 2**20


def check_read_memory(started: int, resident: Callable[[], int] = resident_bytes) -> None:
    """Stop a read (raise ``LimitExceeded("limit_memory")``) once the process has grown by more
    than every running count's reservation (this one's included) since it began at ``started``
    bytes: the read decoded more than it reserved for."""
    grown = resident() - started
    if grown > _reserved + READ_MEMORY_SLACK:
        raise LimitExceeded("limit_memory", {"used": grown >> 20, "reserved": _reserved >> 20})


def release_memory() -> None:
    """Hand memory Python has freed back to the system (glibc keeps it otherwise: after a
    150 MB upload was counted and its session closed, 430 MB stayed resident)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (musl, say): nothing to hand back this way
        pass


# glibc's mallopt parameter numbers (malloc.h).
_M_ARENA_MAX = -8
# Two malloc arenas for the whole process instead of glibc's default 8 per core: every Streamlit
# script run and every counting pool is a new thread, and each thread may take an arena of its own,
# where memory it freed stays resident, out of malloc_trim's reach. Once ten 5 MB uploads' sessions
# had closed, the 16 arenas of a 2-core server held about 70 MB that two do not
# (bench/server_memory_probe.py); the uploads took no longer (73 s against 75 s, 5 at a time).
# Set when app.py first runs, the server has made 5 arenas already: it keeps to those instead of 16.
MALLOC_ARENAS = 2
_arenas_limited = False


def limit_malloc_arenas(arenas: int = MALLOC_ARENAS) -> bool:
    """Have glibc's malloc make no more than ``arenas`` arenas from now on (once per process;
    threads that have one keep it). True when set (glibc on Linux), False elsewhere.

    Inside the process because that is what a host honours: Streamlit Community Cloud starts the
    server itself, so an environment variable (MALLOC_ARENA_MAX) in a start script would not apply.
    """
    global _arenas_limited
    if _arenas_limited:
        return True
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        _arenas_limited = bool(libc.mallopt(_M_ARENA_MAX, arenas))
    except (OSError, AttributeError):  # not glibc (musl, say): its malloc has no such arenas
        return False
    return _arenas_limited


_trimmer: threading.Thread | None = None
_trimmer_lock = threading.Lock()


def keep_releasing_memory(every_seconds: float = 10.0, first: Callable[[], object] | None = None) -> None:
    """Start (once per process) a daemon thread that hands freed memory back every
    ``every_seconds``, after calling ``first`` (which frees: ``ui.sessions.end_expired_sessions``):
    a closed session's upload and text are freed when its session ends, with no hook of
    Streamlit's to run then."""
    global _trimmer
    with _trimmer_lock:
        if _trimmer is not None:
            return

        def run() -> None:
            while True:
                threading.Event().wait(every_seconds)
                if first is not None:
                    try:
                        first()
                    except Exception:  # never let the trimmer die: memory would stop coming back
                        pass
                release_memory()

        _trimmer = threading.Thread(target=run, name="release-memory", daemon=True)
        _trimmer.start()


class SizedCache(Generic[T]):
    """Values by key, least recently used evicted first once their sizes pass ``max_bytes``
    (or there are more than ``max_entries``). Thread-safe; the newest value always stays."""

    def __init__(self, max_bytes: int, size_of: Callable[[T], int], max_entries: int = 64) -> None:
        self.max_bytes = max_bytes
        self.max_entries = max_entries
        self._size_of = size_of
        self._items: OrderedDict[Hashable, tuple[T, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> T | None:
        """The value under ``key`` (now the most recently used), or None."""
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
            return item[0]

    def put(self, key: Hashable, value: T) -> int:
        """Keep ``value`` under ``key``; returns how many older values were evicted."""
        size = self._size_of(value)
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._items[key] = (value, size)
            self._bytes += size
            evicted = 0
            while len(self._items) > 1 and (self._bytes > self.max_bytes or len(self._items) > self.max_entries):
                _, (_, dropped) = self._items.popitem(last=False)
                self._bytes -= dropped
                evicted += 1
            return evicted

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0

    @property
    def total_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)
