"""How fast each tokenizer counts real text, per core, beside single-thread tiktoken o200k_base.

    python bench/tokenizer_speed.py            # prints the table, writes data/tokenizers/speed.json
    python bench/tokenizer_speed.py --no-write

The corpus is the real text the repository ships: the parallel samples (data/samples/*.txt, 21
languages) and the examples' texts (examples/notes, the CSV/JSONL files as text). Each tokenizer
counts it on one thread, repeated for at least ``--seconds``; MB/s is UTF-8 megabytes per CPU
second (time.process_time: other processes' load barely moves it). Vocabulary loading is timed
apart. The committed result is what ``cli.py tokenizers`` shows. Never part of the test run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
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
    parser.add_argument("--seconds", type=float, default=2.0, help="CPU seconds per tokenizer (at least)")
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
    baseline = _per_core_mb_s(lambda ts: [len(o200k.encode_ordinary(t)) for t in ts], texts, args.seconds)
    print(f"corpus: {len(texts)} files x{args.repeat}, {size / 1e6:.2f} MB of real text (data/samples + examples)")
    print(f"single-thread tiktoken o200k_base (encode_ordinary): {baseline:.2f} MB/s\n")
    print(f"{'tokenizer':<15} {'method':<14} {'load s':>7} {'MB/s/core':>10} {'vs tiktoken':>12}")
    speeds, loads = {}, {}
    for name, entry in REGISTRY.items():
        if entry.method in ("none", "estimate"):
            continue
        start = time.perf_counter()
        counter = (lambda ts, n=name: count_many(ts, n, threads=1)) if entry.engine == "openai" else entry.counter()
        counter(["warm up"])
        loads[name] = round(time.perf_counter() - start, 2)
        speeds[name] = round(_per_core_mb_s(counter, texts, args.seconds), 2)
        slower = "  slower" if speeds[name] < baseline else ""
        print(f"{name:<15} {entry.method:<14} {loads[name]:>7.2f} {speeds[name]:>10.2f} "
              f"{speeds[name] / baseline:>11.2f}x{slower}")
    result = {"measured": dt.date.today().isoformat(), "corpus": f"data/samples + examples, each file x{args.repeat}, {size} bytes",
              "command": "python bench/tokenizer_speed.py", "baseline_mb_per_s": round(baseline, 2),
              "tokenizers": speeds, "load_seconds": loads}
    if not args.no_write:
        SPEED_FILE.parent.mkdir(parents=True, exist_ok=True)
        SPEED_FILE.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
        print(f"\nwritten: {SPEED_FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
