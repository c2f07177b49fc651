"""Many users at once: the real server under N websocket sessions, its cost measured apart.

Starts ``streamlit run app.py`` on 127.0.0.1 (a fresh server per N, XSRF off for the
lightweight client of ``bench/streamlit_client.py``) and drives N sessions at once:

- upload: each session opens the Estimate page and uploads its own 5 MB CSV (distinct
  content); time from opening the page to the exact counts, every count checked against
  tiktoken.
- changes: each session pastes a text, then changes "Requests per month" K times, back to
  back; time per change (median / P95 / max), every answer checked.

Server CPU seconds come from /proc/<pid>/stat (so the clients' own CPU is not in them), per
upload and per widget change; RSS before the sessions, at peak (VmHWM), and after they close.
``--memory`` runs the memory scenario instead: 30 distinct 5 MB uploads (5 sessions at a time),
then two 150 MB text uploads at once, RSS after each step and after the sessions are gone.

    python bench/load.py [--sessions 1,5,10,20] [--changes 20] [--upload-mb 5]
    python bench/load.py --memory [--big-mb 150]
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.rerun_speed import WORDS, corpus_csv  # noqa: E402
from bench.server_process import cpu_seconds, memory_bytes, running_server  # noqa: E402
from bench.streamlit_client import StreamlitSession  # noqa: E402
from tokenizers import get_encoding  # noqa: E402
from ui.formatting import format_tokens  # noqa: E402

UPLOADER = "Files (txt, md, csv, tsv, xlsx, jsonl, parquet, feather, zip, .gz/.zst; several at once)"
TEXT_BOX = "Text to estimate"
REQUESTS = "Requests per month"
TOKENS = "Tokens (o200k_base, exact)"
SERVER_ARGS = ("--server.enableXsrfProtection", "false", "--server.maxUploadSize", "400")
MB = 2**20


def expected_tokens(data: bytes) -> int:
    """o200k_base tokens of the CSV's review column, as the page counts it (tiktoken, by hand)."""
    encoding = get_encoding("o200k_base")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))[1:]
    return sum(len(ids) for ids in encoding.encode_ordinary_batch([r[0] for r in rows]))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def upload_session(url: str, name: str, data: bytes, expected: int) -> tuple[float, bool]:
    """Open the page, upload ``data``; (seconds from opening to the counts, counts right)."""
    started = time.monotonic()
    session = StreamlitSession(url, "lang=en")
    try:
        session.run()
        session.upload(UPLOADER, name, data)
        run = session.run()
        return time.monotonic() - started, run.metrics.get(TOKENS) == format_tokens(expected) and not run.exception
    finally:
        session.close()


def changes_session(url: str, seed: int, changes: int) -> tuple[list[float], bool]:
    """Paste a text, then change "Requests per month" ``changes`` times; (seconds each, all right)."""
    rng = random.Random(seed)
    text = " ".join(rng.choice(WORDS) for _ in range(300))
    session = StreamlitSession(url, "lang=en")
    right = True
    times = []
    try:
        session.run()
        session.set_value(TEXT_BOX, text)
        session.run()
        for i in range(changes):
            value = 1000 + 37 * (i + 1) + seed
            session.set_value(REQUESTS, value)
            run = session.run()
            times.append(run.seconds)
            right &= run.metrics.get("Requests priced") == f"{value:,}" and not run.exception
        return times, right
    finally:
        session.close()


def warm_up(url: str) -> None:
    """One upload counted: imports, the catalog, the tokenizers and the language model loaded
    once, before anything is timed (RSS "before" is the warm server's). Big enough (over
    SMALL_TEXT_CHARS) that the fast engine's vocabularies are built too: about 100 MB, kept for the
    life of the process, which a tiny warm-up would leave to the first real upload."""
    data = ("review,lang\n" + "warming up the server with a review of a kettle,en\n" * 2000).encode("utf-8")
    upload_session(url, "warm-up.csv", data, expected_tokens(data))
    time.sleep(1)


def visit(url: str) -> None:
    """A new visitor opens the page: Streamlit drops expired closed sessions only when touched."""
    session = StreamlitSession(url, "lang=en")
    session.run()
    session.close()


def measure_level(n: int, files: list[tuple[str, bytes, int]], changes: int) -> dict:
    """One fresh server, N sessions uploading at once, then N sessions changing a number."""
    with running_server(args=SERVER_ARGS) as server:
        warm_up(server.url)
        rss_before, _ = memory_bytes(server.pid)
        cpu_start = cpu_seconds(server.pid)
        with ThreadPoolExecutor(n) as pool:
            uploads = list(pool.map(lambda f: upload_session(server.url, *f), files[:n]))
        cpu_uploads = cpu_seconds(server.pid) - cpu_start
        cpu_start = cpu_seconds(server.pid)
        with ThreadPoolExecutor(n) as pool:
            edits = list(pool.map(lambda s: changes_session(server.url, s, changes), range(n)))
        cpu_changes = cpu_seconds(server.pid) - cpu_start
        time.sleep(5)
        rss_after, rss_peak = memory_bytes(server.pid)
    upload_times = [t for t, _ in uploads]
    change_times = [t for times, _ in edits for t in times]
    return {
        "n": n,
        "uploads_right": sum(ok for _, ok in uploads),
        "upload_median": statistics.median(upload_times),
        "upload_p95": percentile(upload_times, 0.95),
        "cpu_per_upload": cpu_uploads / n,
        "changes_right": all(ok for _, ok in edits),
        "change_median": statistics.median(change_times),
        "change_p95": percentile(change_times, 0.95),
        "change_max": max(change_times),
        "cpu_per_change": cpu_changes / len(change_times),
        "rss_before": rss_before / MB,
        "rss_peak": rss_peak / MB,
        "rss_after": rss_after / MB,
    }


def print_table(rows: list[dict], upload_mb: float, changes: int) -> None:
    print(f"\nN sessions at once; upload: each its own {upload_mb:g} MB CSV, page open -> exact counts; "
          f"changes: {changes} changes of a number input per session, back to back")
    print("| N | uploads right | upload median / P95 s | server CPU s per upload | changes right | "
          "change median / P95 / max s | server CPU ms per change | RSS before / peak / after MB |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['n']} | {r['uploads_right']}/{r['n']} | {r['upload_median']:.1f} / {r['upload_p95']:.1f} | "
              f"{r['cpu_per_upload']:.2f} | {'all' if r['changes_right'] else 'NOT ALL'} | "
              f"{r['change_median']:.2f} / {r['change_p95']:.2f} / {r['change_max']:.2f} | "
              f"{1000 * r['cpu_per_change']:.0f} | {r['rss_before']:.0f} / {r['rss_peak']:.0f} / {r['rss_after']:.0f} |")


def big_text(megabytes: float, seed: int) -> bytes:
    rng = random.Random(seed)
    line_count = int(megabytes * 1_000_000 / 400) + 1
    lines = (" ".join(rng.choice(WORDS) for _ in range(60)) for _ in range(line_count))
    return "\n".join(lines).encode("utf-8")


def memory_scenario(files: list[tuple[str, bytes, int]], big_mb: float, settle: float) -> None:
    """RSS after 30 distinct 5 MB uploads, after two big uploads at once, and once sessions are gone."""
    with running_server(args=SERVER_ARGS) as server:
        warm_up(server.url)
        before, _ = memory_bytes(server.pid)
        print(f"RSS at rest, warm: {before / MB:.0f} MB", flush=True)
        data = big_text(big_mb, 899)
        expected = len(get_encoding("o200k_base").encode_ordinary(data.decode("utf-8")))
        alone = upload_big(server.url, "alone.txt", data)
        alone += f" (tiktoken: {format_tokens(expected)})"
        rss, peak = memory_bytes(server.pid)
        print(f"one big upload alone: {alone}; RSS {rss / MB:.0f} MB, peak {peak / MB:.0f} MB", flush=True)
        settle_after_sessions(server, settle, before)
        with ThreadPoolExecutor(5) as pool:
            results = list(pool.map(lambda f: upload_session(server.url, *f), files))
        rss, peak = memory_bytes(server.pid)
        print(f"after {len(files)} distinct uploads (5 at a time): {sum(ok for _, ok in results)} counted right; "
              f"RSS {rss / MB:.0f} MB, peak {peak / MB:.0f} MB", flush=True)
        settle_after_sessions(server, settle, before)
        big = [(f"big{i}.txt", big_text(big_mb, 900 + i)) for i in range(2)]
        with ThreadPoolExecutor(2) as pool:
            outcomes = list(pool.map(lambda item: upload_big(server.url, *item), big))
        rss, peak = memory_bytes(server.pid)
        print("two big uploads at once: " + "; ".join(outcomes))
        print(f"RSS {rss / MB:.0f} MB, peak {peak / MB:.0f} MB (budget LLMCOST_MEMORY_MB, default 1024)", flush=True)
        settle_after_sessions(server, settle, before)


def upload_big(url: str, name: str, data: bytes) -> str:
    """Upload a big text file in a session of its own; what became of it, in words."""
    session = StreamlitSession(url, "lang=en")
    try:
        session.run()
        session.upload(UPLOADER, name, data, "text/plain")
        run = session.run()
        if TOKENS in run.metrics:
            said = f"counted ({run.metrics[TOKENS]} o200k_base tokens)"
        elif any("too big for this server" in t for t in run.texts):
            said = "refused: too big for the server now"
        else:
            said = "neither counted nor refused"
        return f"{name} ({len(data) / MB:.0f} MB): {said} in {run.seconds:.1f} s"
    finally:
        session.close()


def settle_after_sessions(server, settle: float, before: int) -> None:
    """Wait past the closed sessions' reconnect time (disconnectedSessionTTL, 60 s), let a new
    visitor in (which is when Streamlit drops them), wait for memory to be handed back; RSS."""
    time.sleep(settle)
    visit(server.url)
    time.sleep(35)
    rss, _ = memory_bytes(server.pid)
    print(f"sessions closed, {settle:.0f} s later a new visitor, 35 s later: RSS {rss / MB:.0f} MB "
          f"(warm at rest: {before / MB:.0f} MB)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", default="1,5,10,20", help="comma-separated N values")
    parser.add_argument("--changes", type=int, default=20)
    parser.add_argument("--upload-mb", type=float, default=5.0)
    parser.add_argument("--memory", action="store_true", help="run the memory scenario instead")
    parser.add_argument("--big-mb", type=float, default=150.0)
    parser.add_argument("--settle", type=float, default=65.0, help="seconds to wait after sessions close")
    args = parser.parse_args()
    levels = [int(n) for n in args.sessions.split(",")]
    count = 30 if args.memory else max(levels)
    started = time.monotonic()
    files = []
    for i in range(count):
        data = corpus_csv(args.upload_mb, seed=100 + i)
        files.append((f"reviews_{i}.csv", data, expected_tokens(data)))
    print(f"prepared {count} files of {args.upload_mb:g} MB and their tiktoken counts in "
          f"{time.monotonic() - started:.0f} s", flush=True)
    if args.memory:
        memory_scenario(files, args.big_mb, args.settle)
        return
    rows = []
    for n in levels:
        rows.append(measure_level(n, files, args.changes))
        print_table(rows[-1:], args.upload_mb, args.changes)
        sys.stdout.flush()
    print_table(rows, args.upload_mb, args.changes)


if __name__ == "__main__":
    main()
