"""How long a rerun takes after a slider change, once a 10 MB upload has been counted.

Drives the real app with Streamlit's AppTest: uploads a ~10 MB CSV (text + group column),
lets it be counted once, then moves the cached-share slider and the passes input and
times each rerun (wall clock, and CPU time, which a busy shared machine disturbs less).
Goal: median < 150 ms. With ``--quick-mb N`` it also times, on an N MB CSV, the quick sampled
estimate that large uploads show first against the exact count that replaces it.
Prints figures; not part of the test run.

    python bench/rerun_speed.py [--mb 10] [--reruns 15] [--quick-mb 25]
"""

from __future__ import annotations

import argparse
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=10.0)
    parser.add_argument("--reruns", type=int, default=15)
    parser.add_argument("--quick-mb", type=float, default=0.0, help="also time the quick estimate on this size")
    args = parser.parse_args()
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
