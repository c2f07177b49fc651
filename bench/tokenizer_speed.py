"""How fast each tokenizer counts real text, per core, beside single-thread tiktoken o200k_base.

    python bench/tokenizer_speed.py            # prints the table, writes data/tokenizers/speed.json
    python bench/tokenizer_speed.py --no-write

The corpus is the real text the repository ships: the parallel samples (data/samples/*.txt, 22
languages) and the examples' texts (examples/notes, the CSV/JSONL files as text). Each tokenizer
counts it on one thread for at least ``--seconds``, in ``--rounds`` rounds each timed right after
single-thread tiktoken o200k_base (the ratio is the median of the rounds'); MB/s is UTF-8
megabytes per CPU second (time.process_time). Vocabulary loading is timed
apart, and the peak RSS it adds is measured in a fresh process per tokenizer. The committed
result is what ``cli.py tokenizers`` shows. Never part of the test run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

EXAMPLE_TEXTS = ("examples/notes/*", "examples/*.csv", "examples/*.jsonl", "examples/README.md")


def real_corpus(repeat: int) -> list[str]:
    """The repository's real texts, one document per file (the GBK export decoded as GBK), each
    repeated ``repeat`` times so a call's fixed cost does not hide the speed per byte."""
    paths = sorted((ROOT / "data" / "samples").glob("*.txt"))
    for pattern in EXAMPLE_TEXTS:
        paths += sorted(ROOT.glob(pattern))
    return ["\n".join([p.read_bytes().decode("gbk" if "gbk" in p.name else "utf-8")] * repeat) for p in paths]


def peak_rss_added_mb(name: str) -> int:
    """The peak RSS a fresh process adds by loading ``name``'s vocabulary and counting one text."""
    # VmHWM, not ru_maxrss: a child inherits its parent's ru_maxrss across fork, and this parent is big.
    code = ("import re\nfrom tokenizers.counting import count_many\n"
            "hwm = lambda: int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))\n"
            f"before = hwm()\ncount_many(['hello world'], {name!r})\nprint((hwm() - before) // 1024)")
    return int(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout)


def _per_core_mb_s(count, texts: list[str], seconds: float) -> float:
    size = sum(len(t.encode("utf-8")) for t in texts)
    count(texts)  # warm up
    runs, cpu = 0, 0.0
    while cpu < seconds:
        start = time.process_time()
        count(texts)
        cpu += time.process_time() - start
        runs += 1
    return size * runs / cpu / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=3.0, help="CPU seconds per tokenizer (at least)")
    parser.add_argument("--rounds", type=int, default=5, help="alternate rounds of tiktoken and the tokenizer")
    parser.add_argument("--repeat", type=int, default=25, help="copies of each file in its document (default 25)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave data/tokenizers/speed.json")
    args = parser.parse_args()

    from tokenizers.counting import count_many
    from tokenizers.encodings import get_encoding
    from tokenizers.listing import SPEED_FILE
    from tokenizers.registry import REGISTRY

    texts = real_corpus(args.repeat)
    size = sum(len(t.encode("utf-8")) for t in texts)
    o200k = get_encoding("o200k_base")

    def baseline(ts):
        return [len(o200k.encode_ordinary(t)) for t in ts]

    print(f"corpus: {len(texts)} files x{args.repeat}, {size / 1e6:.2f} MB of real text (data/samples + examples)")
    print(f"{'tokenizer':<15} {'method':<14} {'tokens':>7} {'load s':>7} {'+RSS MB':>8} {'MB/s/core':>10} "
          f"{'vs tiktoken':>12}")
    speeds, ratios, loads, memory, tokens, baselines = {}, {}, {}, {}, {}, []
    for name, entry in REGISTRY.items():
        if entry.method in ("none", "estimate"):
            continue
        start = time.perf_counter()
        counter = (lambda ts, n=name: count_many(ts, n, threads=1)) if entry.engine == "openai" else entry.counter()
        counter(["warm up"])
        loads[name] = round(time.perf_counter() - start, 2)
        # The machine is shared: each round times tiktoken o200k right before the tokenizer, and the
        # ratio is the median of the rounds' ratios, so load from other processes cancels out.
        rounds = []
        for _ in range(args.rounds):
            base = _per_core_mb_s(baseline, texts, args.seconds / args.rounds)
            rounds.append((_per_core_mb_s(counter, texts, args.seconds / args.rounds), base))
        baselines += [b for _, b in rounds]
        speeds[name] = round(statistics.median(t for t, _ in rounds), 2)
        ratios[name] = round(statistics.median(t / b for t, b in rounds), 2)
        memory[name] = peak_rss_added_mb(name)
        tokens[name] = sum(counter(real_corpus(1)))
        slower = "  slower" if ratios[name] < 1 else ""
        print(f"{name:<15} {entry.method:<14} {tokens[name]:>7} {loads[name]:>7.2f} {memory[name]:>8} {speeds[name]:>10.2f} "
              f"{ratios[name]:>11.2f}x{slower}")
    base_speed = round(statistics.median(baselines), 2)
    print(f"\nsingle-thread tiktoken o200k_base (encode_ordinary), median of the rounds: {base_speed:.2f} MB/s")
    result = {"measured": dt.date.today().isoformat(),
              "corpus": f"data/samples + examples, each file x{args.repeat}, {size} bytes",
              "command": "python bench/tokenizer_speed.py", "baseline_mb_per_s": base_speed,
              "tokenizers": speeds, "vs_tiktoken_o200k": ratios, "load_seconds": loads,
              "peak_rss_added_mb": memory, "tokens_of_one_copy": tokens}
    if not args.no_write:
        SPEED_FILE.parent.mkdir(parents=True, exist_ok=True)
        SPEED_FILE.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
        print(f"\nwritten: {SPEED_FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
