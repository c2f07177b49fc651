"""Many users at once: the real server under N websocket sessions, its cost measured apart.

Starts ``streamlit run app.py`` on 127.0.0.1 (a fresh server per N, XSRF off for the
lightweight client of ``bench/streamlit_client.py``) and drives N sessions at once:

- upload: each session opens the Estimate page and uploads its own 5 MB CSV (distinct
  content); time from opening the page to the exact counts, every count checked against
  tiktoken.
- changes: each session pastes a text, then (once every session's text is counted) changes
  "Requests per month" ``--changes`` times, back to back; time per change (median / P95 / max),
  every answer checked.

``--browsers K`` (default 2): K of the N sessions are real Chromium pages driven by Playwright
(``bench/browser_sessions.py``) doing the same, timed from the browser's side and checked the same
way; the rest are lightweight clients. Their figures are printed in rows of their own.

Server CPU seconds come from /proc/<pid>/stat (so the clients' own CPU is not in them), per
upload and per widget change; RSS before the sessions, at peak (VmHWM), and after they close.
The clients' own CPU is printed beside it: the lightweight clients' threads (``time.thread_time``),
the browsers' processes (chromium and the Playwright driver, from /proc) and their driving thread.
``--memory`` runs the memory scenario instead: 30 distinct 5 MB uploads (5 sessions at a time),
then two 150 MB text uploads at once, RSS after each step and after the sessions are gone.

    python bench/load.py [--sessions 1,5,10,20] [--browsers 2] [--changes 20] [--upload-mb 5]
    python bench/load.py --memory [--big-mb 150]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import random
import statistics
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.browser_sessions import BrowserSessions, Changes, PageLabels, Upload  # noqa: E402
from bench.rerun_speed import WORDS, corpus_csv  # noqa: E402
from bench.server_process import cpu_seconds, memory_bytes, running_server  # noqa: E402
from bench.streamlit_client import StreamlitSession  # noqa: E402
from tokenizers import get_encoding  # noqa: E402
from ui.formatting import format_tokens  # noqa: E402
from ui.i18n import translate  # noqa: E402

# The page's labels from the message catalog (English), so the harness follows the app's wording.
UPLOADER = translate("estimate_upload", "en")
TEXT_BOX = translate("estimate_text_label", "en")
REQUESTS = translate("assume_requests", "en")
TOKENS = translate("metric_tokens", "en", encoding="o200k_base")
PRICED = translate("metric_requests_priced", "en")
LABELS = PageLabels(upload_tab=translate("estimate_tab_files", "en"), text_box=TEXT_BOX, requests=REQUESTS,
                    tokens=TOKENS, requests_priced=PRICED)
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


def change_text(seed: int) -> str:
    """The text a changes session pastes: 300 words, its own per seed."""
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(300))


def change_values(seed: int, changes: int) -> list[int]:
    """The "Requests per month" values a changes session types, one after the other."""
    return [1000 + 37 * (i + 1) + seed for i in range(changes)]


def changes_session(url: str, seed: int, changes: int, ready: Callable[[], object] = lambda: None
                    ) -> tuple[list[float], bool, float]:
    """Paste a text, call ``ready``, then change "Requests per month" ``changes`` times;
    (seconds each, all right, this thread's CPU seconds over the changes)."""
    session = StreamlitSession(url, "lang=en")
    right = True
    times = []
    try:
        session.run()
        session.set_value(TEXT_BOX, change_text(seed))
        session.run()
        ready()
        cpu_start = time.thread_time()
        for value in change_values(seed, changes):
            session.set_value(REQUESTS, value)
            run = session.run()
            times.append(run.seconds)
            right &= run.metrics.get(PRICED) == f"{value:,}" and not run.exception
        return times, right, time.thread_time() - cpu_start
    finally:
        session.close()


def browser_changes(seed: int, changes: int) -> Changes:
    """What a browser session does in the changes phase: the same as ``changes_session``."""
    text = change_text(seed)
    return Changes(text, format_tokens(len(get_encoding("o200k_base").encode_ordinary(text))),
                   tuple(change_values(seed, changes)))


def on_threads(function, items: list) -> tuple[list, float]:
    """``function`` over ``items``, each on a thread of its own, all at once; (the results, the
    CPU seconds those threads used)."""
    def measured(item):
        start = time.thread_time()
        result = function(item)
        return result, time.thread_time() - start

    if not items:
        return [], 0.0
    with ThreadPoolExecutor(len(items)) as pool:
        pairs = list(pool.map(measured, items))
    return [result for result, _ in pairs], sum(cpu for _, cpu in pairs)


def warm_up(url: str, browsers: BrowserSessions | None = None) -> None:
    """One upload counted: imports, the catalog, the language models (its first row is one of a
    few words, which asks the second one) and both tokenizers (their fast engine is built at the
    first count of 64K characters or more, ~100 MB once per process) loaded before anything is
    timed, so RSS "before" is the warm server's; the browser, if any, has opened the page once."""
    rows = ["Guardar cambios,es"] + [f"warming up the server {i},en" for i in range(4_000)]
    data = ("review,lang\n" + "".join(row + "\n" for row in rows)).encode()
    upload_session(url, "warm-up.csv", data, expected_tokens(data))
    if browsers is not None:
        browsers.uploads(url, [Upload("warm-up.csv", data, format_tokens(expected_tokens(data)))]).result()
    time.sleep(1)


def visit(url: str) -> None:
    """A new visitor opens the page: Streamlit drops expired closed sessions only when touched."""
    session = StreamlitSession(url, "lang=en")
    session.run()
    session.close()


def measure_level(n: int, files: list[tuple[str, bytes, int]], changes: int,
                  browsers: BrowserSessions | None, browser_count: int) -> dict:
    """One fresh server, N sessions uploading at once, then N sessions changing a number; the
    last ``browser_count`` of them (at most N) in real browsers, the others lightweight clients."""
    real = min(browser_count, n) if browsers is not None else 0
    light = n - real
    with running_server(args=SERVER_ARGS) as server:
        warm_up(server.url, browsers if real else None)
        rss_before, _ = memory_bytes(server.pid)
        cpu_start, browser_start = cpu_seconds(server.pid), browsers.cpu_seconds() if real else 0.0
        pending = browsers.uploads(server.url, [Upload(name, data, format_tokens(expected))
                                                for name, data, expected in files[light:n]]) if real else None
        uploads, light_cpu_uploads = on_threads(lambda f: upload_session(server.url, *f), files[:light])
        browser_uploads = pending.result() if real else []
        cpu_uploads = cpu_seconds(server.pid) - cpu_start
        browser_cpu_uploads = browsers.cpu_seconds() - browser_start if real else 0.0
        # Changes: every session first opens the page and has its text counted; the clock for the
        # CPU per change starts when the last of them is ready (a barrier), so opening is not in it.
        marks = {}

        def mark() -> None:
            marks["server"], marks["browsers"] = cpu_seconds(server.pid), browsers.cpu_seconds() if real else 0.0

        everyone = threading.Barrier(n, action=mark, timeout=600)

        def light_changes(seed: int) -> tuple[list[float], bool, float]:
            try:
                return changes_session(server.url, seed, changes, everyone.wait)
            except BaseException:
                everyone.abort()  # a session that failed must not leave the others waiting
                raise

        pending = browsers.changes(server.url, [browser_changes(seed, changes) for seed in range(light, n)],
                                   ready=everyone.wait) if real else None
        if pending is not None:
            pending.add_done_callback(lambda done: done.exception() is not None and everyone.abort())
        light_edits, _ = on_threads(light_changes, list(range(light)))
        browser_edits = pending.result() if real else []
        cpu_changes = cpu_seconds(server.pid) - marks["server"]
        browser_cpu_changes = browsers.cpu_seconds() - marks["browsers"] if real else 0.0
        edits = [(times, right) for times, right, _ in light_edits]
        light_cpu_changes = sum(cpu for _, _, cpu in light_edits)
        time.sleep(5)
        rss_after, rss_peak = memory_bytes(server.pid)
    clients = [client_figures("light", uploads, edits, light_cpu_uploads, light_cpu_changes),
               client_figures("browser", browser_uploads, browser_edits, browser_cpu_uploads, browser_cpu_changes)]
    return {
        "n": n,
        "clients": [c for c in clients if c is not None],
        "cpu_per_upload": cpu_uploads / n,
        "cpu_per_change": cpu_changes / (n * changes),
        "rss_before": rss_before / MB,
        "rss_peak": rss_peak / MB,
        "rss_after": rss_after / MB,
    }


def client_figures(kind: str, uploads: list[tuple[float, bool]], edits: list[tuple[list[float], bool]],
                   cpu_uploads: float, cpu_changes: float) -> dict | None:
    """The figures of one kind of client at one level (None if there were none of that kind)."""
    if not uploads:
        return None
    upload_times = [t for t, _ in uploads]
    change_times = [t for times, _ in edits for t in times]
    return {
        "kind": kind,
        "count": len(uploads),
        "uploads_right": sum(ok for _, ok in uploads),
        "upload_median": statistics.median(upload_times),
        "upload_p95": percentile(upload_times, 0.95),
        "upload_max": max(upload_times),
        "changes_right": all(ok for _, ok in edits),
        "change_median": statistics.median(change_times),
        "change_p95": percentile(change_times, 0.95),
        "change_max": max(change_times),
        "cpu_per_upload": cpu_uploads / len(upload_times),
        "cpu_per_change": cpu_changes / len(change_times),
    }


def print_table(rows: list[dict], upload_mb: float, changes: int, browser_count: int) -> None:
    print(f"\nN sessions at once on a fresh server, {browser_count} of them (at most N) real Chromium pages "
          f"(Playwright), the others lightweight websocket clients; upload: each its own {upload_mb:g} MB CSV, "
          f"page open -> exact counts, run finished; changes: {changes} changes of a number input per session, "
          f"back to back, each until the new answer and the run finished. Server figures are over all N "
          f"sessions; clients' CPU: the light clients' threads, the browsers' processes (/proc) and driver thread")
    print("| N | clients | uploads right | counts median / P95 / max s | changes right | "
          "change median / P95 / max s | clients' CPU s per upload / ms per change | "
          "server CPU s per upload / ms per change | server RSS before / peak / after MB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        server = (f"{r['cpu_per_upload']:.2f} / {1000 * r['cpu_per_change']:.0f} | "
                  f"{r['rss_before']:.0f} / {r['rss_peak']:.0f} / {r['rss_after']:.0f}")
        for c in r["clients"]:
            print(f"| {r['n']} | {c['count']} {c['kind']} | {c['uploads_right']}/{c['count']} | "
                  f"{c['upload_median']:.1f} / {c['upload_p95']:.1f} / {c['upload_max']:.1f} | "
                  f"{'all' if c['changes_right'] else 'NOT ALL'} | "
                  f"{c['change_median']:.2f} / {c['change_p95']:.2f} / {c['change_max']:.2f} | "
                  f"{c['cpu_per_upload']:.2f} / {1000 * c['cpu_per_change']:.0f} | {server} |")
            server = "same | same"


def big_text(megabytes: float, seed: int) -> bytes:
    """A plain text of exactly ``megabytes`` MiB: lines of 60 words."""
    rng = random.Random(seed)
    size = int(megabytes * MB)
    lines, length = [], 0
    while length < size:
        line = " ".join(rng.choice(WORDS) for _ in range(60))
        lines.append(line)
        length += len(line) + 1
    return "\n".join(lines).encode("utf-8")[:size]


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
    parser.add_argument("--browsers", type=int, default=2,
                        help="how many of each level's N sessions are real Chromium pages (at most N)")
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
    with contextlib.ExitStack() as stack:
        browsers = stack.enter_context(BrowserSessions(LABELS)) if args.browsers > 0 else None
        for n in levels:
            rows.append(measure_level(n, files, args.changes, browsers, args.browsers))
            print_table(rows[-1:], args.upload_mb, args.changes, args.browsers)
            sys.stdout.flush()
    print_table(rows, args.upload_mb, args.changes, args.browsers)

if __name__ == "__main__":
    main()
