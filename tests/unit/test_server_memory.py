"""The server's memory budget: reservations that add up, a cache bounded in bytes (LRU)."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ingest import ReadOptions
from corpus.pipeline import count_source
from corpus.sources import line_documents
from ui.memory import (
    COUNT_MEMORY_OVERHEAD,
    SizedCache,
    TooBig,
    budget_bytes,
    count_memory,
    reserved,
)

MB = 2**20
ROOT = Path(__file__).resolve().parents[2]


def test_the_budget_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("LLMCOST_MEMORY_MB", raising=False)
    assert budget_bytes() == 1024 * MB
    monkeypatch.setenv("LLMCOST_MEMORY_MB", "2700")
    assert budget_bytes() == 2700 * MB
    monkeypatch.setenv("LLMCOST_MEMORY_MB", "lots")
    assert budget_bytes() == 1024 * MB


def test_two_big_uploads_at_once_cannot_share_the_same_free_memory(monkeypatch):
    monkeypatch.setenv("LLMCOST_MEMORY_MB", "1000")
    resident = lambda: 600 * MB  # the server, with both uploads already in memory
    upload = 150 * MB  # needs 1.5 x 150 + 20 = 245 MB to count
    assert count_memory(upload) == 245 * MB and COUNT_MEMORY_OVERHEAD == 20 * MB
    with reserved(upload, resident) as first:
        assert first is None
        with reserved(upload, resident) as second:  # another session, meanwhile
            assert second == TooBig(needs=245 * MB, free=155 * MB, budget=1000 * MB)
    with reserved(upload, resident) as again:  # the first one finished: its reservation is returned
        assert again is None


def test_reservations_from_many_threads_add_up_exactly(monkeypatch):
    monkeypatch.setenv("LLMCOST_MEMORY_MB", "1000")
    admitted = []
    gate = threading.Barrier(8)

    def session():
        with reserved(120 * MB, lambda: 0) as too_big:  # 200 MB each: five fit in 1000 MB
            admitted.append(too_big is None)
            gate.wait()

    threads = [threading.Thread(target=session) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert admitted.count(True) == 5


def test_a_count_that_does_not_fit_waits_for_the_running_one(monkeypatch):
    monkeypatch.setenv("LLMCOST_MEMORY_MB", "1000")
    waits = []
    events = []

    def running():
        with reserved(250 * MB, lambda: 300 * MB):  # 395 MB of 700 free: the second one's 395 MB must wait
            events.append("first in")
            time.sleep(0.6)
            events.append("first out")  # said before the reservation is returned on leaving the block

    thread = threading.Thread(target=running)
    thread.start()
    while not events:
        time.sleep(0.01)
    with reserved(250 * MB, lambda: 300 * MB, wait_seconds=10, on_wait=lambda: waits.append(1)) as too_big:
        events.append("second in")
        assert too_big is None
    thread.join()
    assert events == ["first in", "first out", "second in"] and len(waits) >= 2


def test_a_count_that_could_never_fit_is_refused_at_once(monkeypatch):
    monkeypatch.setenv("LLMCOST_MEMORY_MB", "500")
    started = time.monotonic()
    with reserved(150 * MB, lambda: 300 * MB, wait_seconds=30) as too_big:  # nothing running could make room
        assert too_big == TooBig(needs=245 * MB, free=200 * MB, budget=500 * MB)
    with reserved(400 * MB, lambda: 0, wait_seconds=30) as too_big:  # more than one file's share, however free
        assert too_big == TooBig(needs=620 * MB, free=500 * MB, budget=500 * MB)  # more than is free too
    assert time.monotonic() - started < 2


def test_the_cache_evicts_the_least_recently_used_once_past_its_bytes():
    cache = SizedCache(max_bytes=100, size_of=len)
    cache.put("a", "x" * 40)
    cache.put("b", "x" * 40)
    assert cache.get("a") == "x" * 40  # "a" is now the most recently used
    assert cache.put("c", "x" * 40) == 1
    assert cache.get("b") is None and cache.get("a") is not None and cache.get("c") is not None
    assert cache.total_bytes == 80
    assert cache.put("huge", "x" * 500) == 2  # the newest always stays, alone
    assert len(cache) == 1 and cache.get("huge") is not None


def test_the_cache_holds_at_most_its_entries():
    cache = SizedCache(max_bytes=10**9, size_of=len, max_entries=3)
    for key in "abcde":
        cache.put(key, key)
    assert [k for k in "abcde" if cache.get(k)] == ["c", "d", "e"]


def test_every_line_of_an_upload_is_reserved_for_as_a_document():
    # A 10 MB CSV of 1,000,000 short rows: 15 MB for the bytes in flight, 96 MB for the rows'
    # columns and sources, 20 MB for the session (measured: tests/unit/test_expansion_memory.py).
    assert count_memory(10 * MB, lines=1_000_000) == 15 * MB + 96_000_000 + 20 * MB


def test_a_counted_sources_size_grows_with_its_documents():
    small = count_source("s.csv", b"text\n" + b"a few words\n" * 10, ReadOptions())
    large = count_source("l.csv", b"text\n" + b"a few words\n" * 10_000, ReadOptions())
    # Two token columns (8 bytes a document each), two index columns and the sources.
    assert large.memory_bytes() - small.memory_bytes() > 9_990 * (2 * 8 + 2 * 4 + len("l.csv:10000"))


def test_documents_reserved_for_are_the_lines_of_tables_and_jsonl_only():
    rows = b"text\n" + b"a few words\n" * 1_000
    assert line_documents("reviews.csv", rows) == 1_001
    assert line_documents("reviews.TSV", rows) == 1_001
    assert line_documents("chat.jsonl", b'{"text": "a"}\n' * 7) == 7
    assert line_documents("notes.txt", rows) == 0  # a text is one document, however many lines
    assert line_documents("reviews.csv.gz", gzip.compress(rows)) == 0  # its lines are not in its bytes


_ARENAS_SCRIPT = """
import ctypes, sys, tempfile, threading
from pathlib import Path
from ui.memory import limit_malloc_arenas
if sys.argv[1] == "limit":
    assert limit_malloc_arenas(2) is True
start, hold = threading.Barrier(8), threading.Barrier(8)
kept = []
def work():
    start.wait()
    kept.append([bytearray(1000) for _ in range(100)])  # each thread mallocs, all at once
    hold.wait()
threads = [threading.Thread(target=work) for _ in range(8)]
[t.start() for t in threads]
[t.join() for t in threads]
libc = ctypes.CDLL("libc.so.6")
libc.fopen.restype = ctypes.c_void_p
libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
libc.fclose.argtypes = [ctypes.c_void_p]
libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
with tempfile.NamedTemporaryFile(suffix=".xml") as out:
    stream = libc.fopen(out.name.encode(), b"w")
    libc.malloc_info(0, stream)
    libc.fclose(stream)
    print(Path(out.name).read_text().count("<heap nr="))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc arenas")
def test_threads_share_two_malloc_arenas_once_limited():
    def arenas(mode: str) -> int:
        run = subprocess.run([sys.executable, "-c", _ARENAS_SCRIPT, mode], capture_output=True, text=True,
                             cwd=ROOT, env={k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}, timeout=60,
                             check=True)
        return int(run.stdout)

    # glibc gives each new thread an arena of its own (up to 8 per core); limited, they share two.
    assert arenas("default") > 2
    assert arenas("limit") == 2


def test_a_waiting_count_trims_once_more_when_the_running_one_finishes(monkeypatch):
    # The first count's garbage is still in glibc's arenas when its reservation is returned: the
    # waiting count hands it back before deciding, and fits, instead of being refused.
    monkeypatch.setenv("LLMCOST_MEMORY_MB", "1000")
    garbage = {"bytes": 0}
    monkeypatch.setattr("ui.memory.release_memory", lambda: garbage.update(bytes=0))
    resident = lambda: 500 * MB + garbage["bytes"]
    events = []

    def running():
        with reserved(200 * MB, resident):  # 320 MB
            events.append("first in")
            time.sleep(0.3)
            garbage["bytes"] = 300 * MB  # what the count leaves behind, not yet handed back
        events.append("first out")

    thread = threading.Thread(target=running)
    thread.start()
    while not events:
        time.sleep(0.01)
    with reserved(200 * MB, resident, wait_seconds=10) as too_big:  # 500 + 320 + 320 > 1000: waits
        assert too_big is None  # 500 + 300 garbage + 320 > 1000 until trimmed; 820 after
        events.append("second in")
    thread.join()
    assert events == ["first in", "first out", "second in"]
