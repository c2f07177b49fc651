"""One sentence from the command line against the floor: a bare script that loads tiktoken's two
encodings and counts it. Whole processes, interleaved, medians.

    python bench/quick_answer.py              # 7 runs of each
    python bench/quick_answer.py --runs 15

Prints each command's median wall time and the ratio. Run it on an idle machine:
start-up is most of what a short question pays for, and a busy machine stretches it.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SENTENCE = "你好，世界。这段话每月要花多少钱？"

_FLOOR = f"""
import tiktoken
from tokenizers.encodings import seed_cache  # the same offline vocabulary files the project uses
for name in ("o200k_base", "cl100k_base"):
    seed_cache(name)
text = {SENTENCE!r}
print([len(tiktoken.get_encoding(e).encode_ordinary(text)) for e in ("o200k_base", "cl100k_base")])
"""


def _run(command: list[str]) -> float:
    """Wall seconds of one process."""
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    commands = {
        "cli.py estimate --text": [sys.executable, "cli.py", "estimate", "--text", SENTENCE, "--models",
                                   "gpt-4o,gpt-3.5-turbo"],
        "tiktoken floor": [sys.executable, "-c", _FLOOR],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for name, command in commands.items():  # warm the disk cache once
        _run(command)
    for _ in range(args.runs):
        for name, command in commands.items():
            times[name].append(_run(command))
    for name in commands:
        print(f"{name:>24}: median {statistics.median(times[name]):.3f} s over {args.runs} interleaved runs")
    ratio = statistics.median(times["cli.py estimate --text"]) / statistics.median(times["tiktoken floor"])
    print(f"ratio: {ratio:.2f}x the floor (goal: 1.1x)")


if __name__ == "__main__":
    main()
