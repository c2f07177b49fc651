"""The real app under ``streamlit run`` on 127.0.0.1, and what its process spends (Linux /proc).

Used by the load harness (``bench/load.py``) and by the browser test that checks the server is
idle after a refused or abandoned upload: CPU seconds from ``/proc/<pid>/stat`` (user + system,
all threads), resident memory from ``/proc/<pid>/status`` (VmRSS now, VmHWM the peak).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int, reaped_children: bool = False) -> float:
    """User + system CPU seconds the process ``pid`` has used so far (all its threads); with
    ``reaped_children``, also those of its children that have ended and been waited for."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()  # the name may hold spaces; fields after it are fixed
    ticks = int(fields[11]) + int(fields[12])
    if reaped_children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / _TICKS


def children_by_parent() -> dict[int, set[int]]:
    """Every process now, grouped by its parent's pid (from each ``/proc/<pid>/stat``)."""
    children: dict[int, set[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # it ended while we looked
            continue
        parent = int(text[text.rindex(")") + 2 :].split()[1])
        children.setdefault(parent, set()).add(int(stat.parent.name))
    return children


def tree_cpu_seconds(roots: set[int]) -> float:
    """CPU seconds used so far by the processes ``roots`` and everything under them: the living
    ones' own, plus those of processes that ended and were waited for by one of the tree."""
    children = children_by_parent()
    total, seen, todo = 0.0, set(), set(roots)
    while todo:
        pid = todo.pop()
        seen.add(pid)
        try:
            total += cpu_seconds(pid, reaped_children=True)
        except OSError:  # it ended while we looked
            continue
        todo |= children.get(pid, set()) - seen
    return total


def memory_bytes(pid: int) -> tuple[int, int]:
    """(resident memory now, peak resident memory) of the process ``pid``, in bytes."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) * 1024
    return values["VmRSS"], values["VmHWM"]


def cpu_over(pid: int, seconds: float) -> float:
    """CPU seconds ``pid`` uses during the next ``seconds`` of wall time."""
    before = cpu_seconds(pid)
    time.sleep(seconds)
    return cpu_seconds(pid) - before


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Server:
    url: str
    pid: int
    port: int


@contextlib.contextmanager
def running_server(
    env: dict[str, str] | None = None, log: Path | None = None, start_seconds: float = 60, args: tuple[str, ...] = (),
    root: Path = ROOT, command: tuple[str, ...] | None = None,
) -> Iterator[Server]:
    """``streamlit run app.py`` of the checkout ``root`` on a free port of 127.0.0.1 until the block
    ends; ``env`` is added to the environment, ``args`` to the command line, output goes to ``log``
    (or is discarded); ``command`` replaces ``python -m streamlit`` before ``run app.py`` (a probe
    that runs Streamlit in-process, say).
    Raises RuntimeError if the server is not healthy within ``start_seconds``."""
    port = free_port()
    out = log.open("wb") if log is not None else subprocess.DEVNULL
    proc = subprocess.Popen(
        [*(command or (sys.executable, "-m", "streamlit")), "run", "app.py", "--server.headless", "true", "--server.address",
         "127.0.0.1", "--server.port", str(port), "--server.fileWatcherType", "none",
         "--browser.gatherUsageStats", "false", *args],
        cwd=root, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})},
    )
    try:
        deadline = time.monotonic() + start_seconds
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start (exit status {proc.poll()})")
            time.sleep(0.3)
        yield Server(f"http://127.0.0.1:{port}", proc.pid, port)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if log is not None:
            out.close()
