"""How long a rerun takes after a slider change, once a 10 MB upload has been counted.

Drives the real app with Streamlit's AppTest: uploads a ~10 MB CSV (text + group column),
lets it be counted once, then moves the cached-share slider and the passes input and
times each rerun (wall clock, and CPU time, which a busy shared machine disturbs less).
Goal: median < 150 ms. With ``--quick-mb N`` it also times, on an N MB CSV, the quick sampled
estimate that large uploads show first against the exact count that replaces it.
With ``--server`` it measures what the real server spends instead (``streamlit run``, one
lightweight websocket session of ``bench/streamlit_client.py``, CPU seconds from /proc): server
CPU ms per change of "Requests per month" (or the passes of a corpus), of the output tokens and
of the sidebar's models, for pasted text and for a counted ``--csv-mb`` MB CSV; medians of
``--repeats`` blocks of ``--changes`` changes, every answer checked. ``--before DIR`` runs the
same against another checkout (e.g. the main worktree) first and prints both and their ratio.
Prints figures; not part of the test run.

    python bench/rerun_speed.py [--mb 10] [--reruns 15] [--quick-mb 25]
    python bench/rerun_speed.py --server [--before /work/main] [--csv-mb 5] [--changes 5] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

WORDS = (
    "the price of tokens depends on the model and the tokenizer 价格 取决于 模型 和 分词器 "
    "les modèles récents comptent moins de jetons pour le même texte"
).split()


def corpus_csv(megabytes: float, seed: int = 7) -> bytes:
    """A CSV of ~``megabytes`` MB: review text (~500 chars) and a language group per row."""
    rng = random.Random(seed)
    lines = ["review,lang"]
    size = 0
    while size < megabytes * 1_000_000:
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 110)))
        line = f'"{text}",{rng.choice(["en", "zh", "fr"])}'
        lines.append(line)
        size += len(line.encode("utf-8")) + 1
    return ("\n".join(lines) + "\n").encode("utf-8")


def quick_estimate_speed(megabytes: float) -> None:
    """Seconds to the quick estimate and to the exact count of one large CSV (warm tokenizers)."""
    from ingest import ReadOptions, read_bytes
    from ui import counts

    data = corpus_csv(megabytes, seed=11)
    options = ReadOptions(column="review")
    counts.quick_estimate(read_bytes("warm-up.csv", data[:1_000_000], options).documents)
    t0 = time.perf_counter()
    documents = read_bytes("big.csv", data, options).documents
    t1 = time.perf_counter()
    estimates = counts.quick_estimate(documents)
    t2 = time.perf_counter()
    exact = counts.count_source("big.csv", data, options)  # reads again, lazily, as it counts
    t3 = time.perf_counter()
    print(f"quick estimate on {len(data) / 1e6:.1f} MB ({exact.documents:,} rows): read {t1 - t0:.2f} s, "
          f"estimate {t2 - t1:.2f} s, exact count (read + count) {t3 - t2:.2f} s")
    for encoding, e in estimates.items():
        truth = exact.total(encoding)
        print(f"  {encoding}: estimate {e.tokens:,} (95%: {e.low:,}..{e.high:,}, "
              f"±{float(counts.estimate_margin(e)):.2%}); exact {truth:,}; "
              f"error {(e.tokens - truth) / truth:+.3%}; inside: {e.low <= truth <= e.high}")


SERVER_ARGS = ("--server.enableXsrfProtection", "false", "--server.maxUploadSize", "400")
# The Estimate page with a custom output (so "Output tokens per request" is on it), prices of a fixed day.
SERVER_QUERY = "lang=en&date=2025-01-15&task=custom"
TEXT_BOX = "Text to estimate"
OUTPUT, MODELS, PRICED = "Output tokens per request", "Models to compare", "Requests priced"
MODEL_SETS = (["gpt-4o", "gpt-4o-mini"], ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini"])


def cpu_ms_per_change(pid: int, session, label: str, value_of, right, changes: int, repeats: int) -> float:
    """Server CPU ms per change of the widget ``label`` to ``value_of(step)``: the median over
    ``repeats`` blocks of ``changes`` changes (after one warm-up block), each answer checked by
    ``right(run, value)`` (CPU ticks are 10 ms: a block, not a change, is timed)."""
    from bench.server_process import cpu_seconds

    blocks, step = [], 0
    for block in range(repeats + 1):  # the first block warms up (caches, imports)
        cpu = cpu_seconds(pid)
        for _ in range(changes):
            step += 1
            value = value_of(step)
            session.set_value(label, value)
            run = session.run()
            assert not run.exception and right(run, value), (label, value, run.metrics, run.exception)
        if block:
            blocks.append((cpu_seconds(pid) - cpu) * 1000 / changes)
    return statistics.median(blocks)


def server_cpu_per_change(root: Path, csv_mb: float, changes: int, repeats: int) -> dict[tuple[str, str], float]:
    """{(input, widget): server CPU ms per change} for the checkout ``root``: the median over
    ``repeats`` blocks of ``changes`` changes each (CPU ticks are 10 ms: a block, not a change, is timed)."""
    from bench.server_process import running_server
    from bench.streamlit_client import StreamlitSession

    figures = {}
    rng = random.Random(3)
    text = " ".join(rng.choice(WORDS) for _ in range(300))
    with running_server(args=SERVER_ARGS, root=root) as server:
        for case in ("pasted text", f"{csv_mb:g} MB CSV"):
            session = StreamlitSession(server.url, SERVER_QUERY)
            try:
                session.run()
                if case == "pasted text":
                    session.set_value(TEXT_BOX, text)
                    volume, per_value = "Requests per month", 1
                else:
                    uploader = json.loads((root / "data/messages/estimate.json").read_text())["estimate_upload"]["en"]
                    session.upload(uploader, "corpus.csv", corpus_csv(csv_mb))
                    volume, per_value = "Times the corpus is processed", None
                first = session.run()
                assert not first.exception, first.exception
                documents = int(first.metrics["Documents"].replace(",", ""))
                per_value = per_value or documents  # a corpus: requests = documents x passes
                # A new value every change (a value seen before may be answered from a cache);
                # the models alternate between two sets, as a person trying a pair would.
                widgets = (
                    (volume, lambda i: 1000 + 37 * i if per_value == 1 else 2 + i,
                     lambda run, v: run.metrics.get(PRICED) == f"{v * per_value:,}"),
                    (OUTPUT, lambda i: 100 + 7 * i, lambda run, v: f"{v:,} output tokens per request" in " ".join(run.texts)),
                    (MODELS, lambda i: MODEL_SETS[i % 2], lambda run, v: not run.exception),
                )
                for label, value_of, right in widgets:
                    figures[case, label] = cpu_ms_per_change(server.pid, session, label, value_of, right, changes, repeats)
            finally:
                session.close()
        figures.update(other_pages_cpu_per_change(server, changes, repeats))
    return figures


def other_pages_cpu_per_change(server, changes: int, repeats: int) -> dict[tuple[str, str], float]:
    """{(input, widget): server CPU ms per change} on the API requests page (a pasted request, its
    output tokens changed; the cost checked by hand) and the Languages page (its token view's ids
    switched; the counts checked against tiktoken)."""
    from decimal import Decimal

    from bench.streamlit_client import StreamlitSession
    from pricing.languages import load_samples
    from tokenizers import get_encoding
    from pricing.currency import MoneyView
    from ui.formatting import format_money
    from ui.i18n import translate

    def en(key: str, **params) -> str:
        return translate(key, "en", **params)

    sample = next(s for s in load_samples() if s.code == "zh-Hans").text
    counts = [en("lang_view_count", tokens=f"{len(get_encoding(e).encode_ordinary(sample)):,}",
                 characters=f"{len(sample):,}") for e in ("o200k_base", "cl100k_base")]
    cases = (
        # gpt-4o-mini on 2025-01-15: $0.15 / $0.60 per 1M input / output tokens.
        ("pasted request (API requests page)", "requests", "lang=en&date=2025-01-15&models=gpt-4o-mini",
         (en("requests_paste_label"), '[{"role": "user", "content": "Summarise the attached review."}]'),
         en("requests_output_tokens"), lambda i: 100 + 7 * i,
         lambda run, v, prompt: run.metrics.get(en("metric_total_cost")) == format_money(
             (prompt * Decimal("0.15") + v * Decimal("0.60")) / 1_000_000, MoneyView())),
        ("sample text (Languages page)", "languages", "lang=en&sample=zh-Hans", None,
         en("lang_view_ids"), lambda i: i % 2 == 1,
         lambda run, v, prompt: all(c in run.texts for c in counts)),
    )
    figures = {}
    for case, page, query, setup, label, value_of, right in cases:
        session = StreamlitSession(server.url, query, page=page)
        try:
            first = session.run()
            if setup is not None:
                session.set_value(*setup)
                first = session.run()
            assert not first.exception, first.exception
            prompt = int(first.metrics.get(en("metric_prompt_tokens"), "0").replace(",", ""))
            figures[case, label] = cpu_ms_per_change(server.pid, session, label, value_of,
                                                     lambda run, v: right(run, v, prompt), changes, repeats)
        finally:
            session.close()
    return figures


def print_server_figures(after: dict, before: dict | None) -> None:
    print("\n| input | change of | server CPU ms per change" + (" before | after | after/before |" if before else " |"))
    print("|---|---|---|" + ("---|---|" if before else ""))
    for (case, label), ms in after.items():
        if before:
            b = before[case, label]
            print(f"| {case} | {label} | {b:.0f} | {ms:.0f} | {ms / b:.2f} |")
        else:
            print(f"| {case} | {label} | {ms:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument("--reruns", type=int, default=15)
    parser.add_argument("--quick-mb", type=float, default=0.0, help="also time the quick estimate on this size")
    parser.add_argument("--server", action="store_true", help="server CPU per change under streamlit run")
    parser.add_argument("--before", type=Path, help="with --server: a checkout to measure first, for comparison")
    parser.add_argument("--csv-mb", type=float, default=5.0)
    parser.add_argument("--changes", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if args.server:
        before = server_cpu_per_change(args.before, args.csv_mb, args.changes, args.repeats) if args.before else None
        after = server_cpu_per_change(ROOT, args.csv_mb, args.changes, args.repeats)
        print(f"server CPU per change: median of {args.repeats} blocks of {args.changes} changes"
              + (f"; before = {args.before}, after = {ROOT}" if before else ""))
        print_server_figures(after, before)
        return
    if args.quick_mb:
        quick_estimate_speed(args.quick_mb)

    data = corpus_csv(args.mb)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.query_params.update({"lang": "en", "date": "2025-01-15"})
    at.run()
    started = time.perf_counter()
    at.file_uploader(key="estimate_files").set_value([("corpus.csv", data, "text/csv")]).run()
    at.selectbox(key="group_0_corpus.csv").set_value("lang").run()
    first = time.perf_counter() - started
    assert not at.exception, at.exception
    docs = next(m.value for m in at.metric if m.label == "Documents")
    print(f"corpus: {len(data) / 1e6:.1f} MB, {docs} rows; upload + count + group (2 runs): {first:.2f} s")

    cpu: list[float] = []

    def timed(change) -> float:
        change()
        t0, c0 = time.perf_counter(), time.process_time()
        at.run()
        elapsed = time.perf_counter() - t0
        # CPU time of this process: what the rerun costs when the machine is not shared.
        cpu.append((time.process_time() - c0) * 1000)
        assert not at.exception, at.exception
        return elapsed * 1000

    slider = [timed(lambda i=i: at.slider(key="s_cached_share").set_value(round(0.05 * (i % 20), 2)))
              for i in range(1, args.reruns + 1)]
    # An upload is the corpus question: its volume is the number of passes over the corpus.
    runs = [timed(lambda i=i: at.number_input(key="s_runs").set_value(2 + i))
            for i in range(1, args.reruns + 1)]
    models = [timed(lambda i=i: at.sidebar.multiselect(key="s_models").set_value(
        ["gpt-4o", "gpt-4o-mini"] if i % 2 else ["gpt-4o", "gpt-4o-mini", "gpt-3.5-turbo", "gpt-4-turbo"]))
        for i in range(1, args.reruns + 1)]
    for name, times in (("cached-share slider", slider), ("passes input", runs), ("models", models)):
        print(f"rerun after {name:<20} median {statistics.median(times):6.1f} ms   "
              f"min {min(times):6.1f}   max {max(times):6.1f}   (n={len(times)})")
    print(f"CPU time per rerun (all {len(cpu)}): median {statistics.median(cpu):6.1f} ms")
    print("goal: median < 150 ms")


if __name__ == "__main__":
    main()
