"""What holds the server's memory after sessions close: the real app under a probe.

Starts ``streamlit run app.py`` in a Python process with ``tracemalloc`` on and a SIGUSR1
handler that appends a report to a file: RSS (``/proc/self/smaps_rollup``), what Python still
has live (tracemalloc's total and its top allocations by traceback), what glibc's malloc holds
in use and free (``mallinfo2``, its arena count from ``malloc_info``), Streamlit's sessions,
caches, media files and uploads (its own stats providers), our counted-corpus cache, and the
commonest objects by type; then the same RSS after ``gc.collect()`` + ``malloc_trim(0)``.
Python-live memory that stays is a reference someone keeps; RSS far above what is live is
memory freed but not handed back (fragmented pymalloc or glibc arenas).

Then drives it with the lightweight client (``bench/streamlit_client.py``): a warm-up, N
distinct 5 MB CSV uploads (5 sessions at a time), the sessions closed, a new visitor after the
reconnect time; a report at rest, after the uploads, once the sessions' reconnect time is over
(before any new visitor) and once the sessions are gone.

    python bench/server_memory_probe.py [--uploads 10] [--frames 0] [--env MALLOC_ARENA_MAX=2] [--root ../main]

``--frames 0`` turns tracemalloc off (with it, counting runs several times slower and RSS is
inflated by its own tables, so the memory guard refuses uploads sooner); ``--env
MALLOC_MMAP_THRESHOLD_=131072`` makes every large block a mapping of its own, which the report
then lists one by one, by Python type and holder.
"""

from __future__ import annotations

import argparse
import collections
import ctypes
import ctypes.util
import gc
import io
import os
import signal
import sys
import tempfile
import threading
import time
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 2**20


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")


def _smaps() -> dict[str, int]:
    values = {}
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines()[1:]:
        key, _, rest = line.partition(":")
        values[key] = int(rest.split()[0]) * 1024
    return values


def _malloc_lines() -> list[str]:
    libc = _libc()
    libc.mallinfo2.restype = _MallInfo2
    info = libc.mallinfo2()
    lines = [(f"glibc malloc: in use {info.uordblks / MB:.1f} MB + mmapped {info.hblkhd / MB:.1f} MB "
              f"({info.hblks} blocks), free inside arenas {info.fordblks / MB:.1f} MB, "
              f"arenas' total {info.arena / MB:.1f} MB")]
    with tempfile.NamedTemporaryFile(suffix=".xml") as out:
        libc.fopen.restype = ctypes.c_void_p
        libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
        libc.fclose.argtypes = [ctypes.c_void_p]
        libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
        stream = libc.fopen(out.name.encode(), b"w")
        libc.malloc_info(0, stream)
        libc.fclose(stream)
        xml = Path(out.name).read_text()
    lines.append(f"glibc arenas (heaps): {xml.count('<heap nr=')}; threads now: {threading.active_count()}")
    return lines


def _pymalloc_lines() -> list[str]:
    """pymalloc's arenas in use and the bytes in its free pools (sys._debugmallocstats, on fd 2)."""
    with tempfile.TemporaryFile(mode="w+") as out:
        saved = os.dup(2)
        sys.stderr.flush()
        os.dup2(out.fileno(), 2)
        try:
            sys._debugmallocstats()
            _libc().fflush(None)  # it writes through C stdio, buffered: out before fd 2 is put back
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        out.seek(0)
        text = out.read()
    keep = ("# arenas allocated current", "# arenas highwater mark", "bytes/arena", "# bytes in allocated blocks",
            "# bytes in available blocks", "unused pools")
    return ["pymalloc " + " ".join(line.split()) for line in text.splitlines() if any(k in line for k in keep)]


def _streamlit_lines() -> list[str]:
    from streamlit.runtime import Runtime

    runtime = Runtime.instance()
    sessions = runtime._session_mgr
    lines = [f"streamlit sessions: {len(sessions.list_sessions())} kept, {len(sessions.list_active_sessions())} active"]
    stats = runtime._stats_mgr.get_stats()
    totals: collections.Counter[str] = collections.Counter()
    for family, items in stats.items():
        for item in items:
            byte_length = getattr(item, "byte_length", None)
            if byte_length is not None:
                totals[f"{family}:{item.category_name}:{item.cache_name}"] += byte_length
    for name, size in totals.most_common(12):
        lines.append(f"  {size / MB:8.1f} MB  {name}")
    counts = sys.modules.get("ui.counts")
    if counts is not None:
        lines.append(f"our counted-corpus cache: {len(counts.COUNTS)} entries, {counts.COUNTS.total_bytes / MB:.1f} MB")
    return lines


def _object_lines(top: int = 12) -> list[str]:
    by_type: collections.Counter[str] = collections.Counter()
    for obj in gc.get_objects():
        by_type[type(obj).__qualname__] += 1
    big = [(sys.getsizeof(o), type(o).__qualname__) for o in gc.get_objects() if isinstance(o, (bytes, bytearray))]
    lines = ["objects by type: " + ", ".join(f"{name} {n}" for name, n in by_type.most_common(top))]
    big_bytes = sorted(big, reverse=True)[:8]
    lines.append("largest bytes objects tracked by gc: " + ", ".join(f"{s / MB:.1f} MB" for s, _ in big_bytes))
    return lines


def _large_block_lines(smallest: int = MB) -> list[str]:
    """glibc's mmapped blocks of ``smallest`` bytes or more, walked chunk by chunk through the
    anonymous mappings (with MALLOC_MMAP_THRESHOLD_ set, every large block is one), each named by
    the Python type at its start when it holds one (and who refers to it), else by its first bytes."""
    known = {id(t): t.__name__ for t in (bytes, str, bytearray, memoryview, list, dict, tuple)}
    lines = []
    for line in Path("/proc/self/maps").read_text().splitlines():
        fields = line.split()
        if len(fields) > 5 or not fields[1].startswith("rw"):
            continue
        start, end = (int(x, 16) for x in fields[0].split("-"))
        address = start
        while address + 32 <= end:
            size_field = ctypes.c_size_t.from_address(address + 8).value
            size = size_field & ~7
            if not size_field & 2 or size < 4096 or address + size > end:  # not an mmapped chunk
                break
            if size >= smallest:
                type_name = known.get(ctypes.c_size_t.from_address(address + 24).value)
                if type_name is None:
                    head = ctypes.string_at(address + 16, 48)
                    lines.append(f"  {size / MB:7.1f} MB  C block: {head!r}")
                else:
                    obj = ctypes.cast(address + 16, ctypes.py_object).value
                    holders = [type(r).__qualname__ for r in gc.get_referrers(obj)][:4]
                    lines.append(f"  {size / MB:7.1f} MB  {type_name} (len {len(obj):,}) held by {holders}: "
                                 f"{bytes(memoryview(obj)[:40]) if type_name == 'bytes' else str(obj)[:40]!r}")
            address += size
    return [f"large mmapped blocks: {len(lines)}", *sorted(lines, key=lambda x: -float(x.split()[0]))[:40]]


def _tracemalloc_lines(top: int = 12) -> list[str]:
    if not tracemalloc.is_tracing():
        return ["tracemalloc off"]
    current, peak = tracemalloc.get_traced_memory()
    lines = [f"python live (tracemalloc): {current / MB:.1f} MB, peak {peak / MB:.1f} MB"]
    snapshot = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
    for stat in snapshot.statistics("traceback")[:top]:
        lines.append(f"  {stat.size / MB:8.1f} MB in {stat.count} blocks")
        for frame in stat.traceback.format(limit=6, most_recent_first=True)[::2]:
            lines.append(f"      {frame.strip()}")
    return lines


def report(label: str) -> str:
    """Everything above, as text; then RSS after gc.collect() and malloc_trim(0)."""
    out = io.StringIO()
    rollup = _smaps()
    print(f"=== {label} === RSS {rollup['Rss'] / MB:.1f} MB (anonymous {rollup['Anonymous'] / MB:.1f} MB)", file=out)
    parts = [_malloc_lines, _pymalloc_lines, _streamlit_lines, _object_lines, _tracemalloc_lines]
    if os.environ.get("MALLOC_MMAP_THRESHOLD_"):
        parts.append(_large_block_lines)
    for part in parts:
        try:
            for line in part():
                print(line, file=out)
        except Exception as error:  # noqa: BLE001 - a diagnostic: say what failed and go on
            print(f"{part.__name__} failed: {error!r}", file=out)
    collected = gc.collect()
    _libc().malloc_trim(0)
    print(f"after gc.collect() ({collected} objects) and malloc_trim(0): RSS {_smaps()['Rss'] / MB:.1f} MB", file=out)
    return out.getvalue()


def serve(streamlit_args: list[str], frames: int) -> None:
    """Run Streamlit here; SIGUSR1 appends a report to $PROBE_OUT (its first line: $PROBE_OUT.label)."""
    if frames:
        tracemalloc.start(frames)
    out = Path(os.environ["PROBE_OUT"])

    def on_signal(signum, frame) -> None:
        label_file = out.with_suffix(".label")
        label = label_file.read_text() if label_file.exists() else "report"
        text = report(label)
        with out.open("a") as f:
            f.write(text + "\n")
        out.with_suffix(".done").write_text(label)

    signal.signal(signal.SIGUSR1, on_signal)
    from streamlit.web import cli

    sys.argv = ["streamlit", *streamlit_args]
    cli.main()


def drive(uploads: int, frames: int, env: dict[str, str], settle: float, root: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from bench.load import SERVER_ARGS, expected_tokens, upload_session, visit, warm_up
    from bench.rerun_speed import corpus_csv
    from bench.server_process import running_server

    files = []
    for i in range(uploads):
        data = corpus_csv(5, seed=100 + i)
        files.append((f"reviews_{i}.csv", data, expected_tokens(data)))
    workdir = Path(tempfile.mkdtemp(prefix="memory-probe-"))
    out = workdir / "report.txt"
    env = {**env, "PROBE_OUT": str(out), "PROBE_FRAMES": str(frames)}
    with running_server(env=env, args=SERVER_ARGS, log=workdir / "server.log", root=root,
                        command=(sys.executable, str(Path(__file__).resolve()), "--serve")) as server:

        def ask(label: str) -> None:
            done = out.with_suffix(".done")
            done.unlink(missing_ok=True)
            out.with_suffix(".label").write_text(label)
            os.kill(server.pid, signal.SIGUSR1)
            deadline = time.monotonic() + 300
            while not done.exists() and time.monotonic() < deadline:
                time.sleep(0.5)

        warm_up(server.url)
        ask("warm at rest")
        started = time.monotonic()
        with ThreadPoolExecutor(5) as pool:
            results = list(pool.map(lambda f: upload_session(server.url, *f), files))
        ask(f"after {uploads} distinct 5 MB uploads, {sum(ok for _, ok in results)} right, "
            f"in {time.monotonic() - started:.0f} s")
        time.sleep(settle)
        # Before anyone comes: the sessions' reconnect time is over, and no visitor has touched
        # Streamlit's session store (which used to forget closed sessions only then).
        ask(f"sessions closed, {settle:.0f} s later, no new visitor yet")
        visit(server.url)
        time.sleep(35)
        ask(f"sessions closed, {settle:.0f} s later a new visitor, 35 s later")
    print(out.read_text())
    print(f"(report and server log in {workdir})")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        serve(sys.argv[2:], int(os.environ.get("PROBE_FRAMES", "8")))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=10)
    parser.add_argument("--frames", type=int, default=8, help="tracemalloc frames kept (0: tracemalloc off)")
    parser.add_argument("--settle", type=float, default=65.0)
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the server's environment")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose app.py to run (an older one, say)")
    args = parser.parse_args()
    drive(args.uploads, args.frames, dict(item.split("=", 1) for item in args.env), args.settle, args.root)


if __name__ == "__main__":
    main()
