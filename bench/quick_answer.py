"""One sentence from the command line against the floor: a bare script that loads tiktoken's two
encodings and counts it. Whole processes, interleaved, medians.

    python bench/quick_answer.py              # 7 runs of each
    python bench/quick_answer.py --runs 15

Prints each command's median wall and CPU time and the ratios (CPU time is what a busy machine
does not stretch; ``--baseline DIR`` times another checkout's cli.py the same way). Run it on an idle machine:
start-up is most of what a short question pays for, and a busy machine stretches it.
"""

from __future__ import annotations

import argparse
import os
import resource
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

# The same with the project's own vocabulary loader (tokenizers.encodings.get_encoding builds the
# Encoding from the checked bytes, faster than tiktoken.get_encoding): what the command line adds
# on top of counting, start-up and imports, shows against this one.
_PROJECT_FLOOR = f"""
from tokenizers.encodings import get_encoding
text = {SENTENCE!r}
print([len(get_encoding(e).encode_ordinary(text)) for e in ("o200k_base", "cl100k_base")])
"""

# As a user's machine runs it: bytecode cached after the first run (some shells and CI set
# PYTHONDONTWRITEBYTECODE, which makes every run compile the project's modules again).
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _run(command: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system: what a busy machine does not stretch) of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, env=_ENV)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--baseline", type=Path, help="another checkout whose cli.py is timed the same way")
    args = parser.parse_args()
    question = ["estimate", "--text", SENTENCE, "--models", "gpt-4o,gpt-4o-mini"]
    commands = {
        "cli.py estimate --text": [sys.executable, "cli.py", *question],
        "tiktoken floor": [sys.executable, "-c", _FLOOR],
        "project loader floor": [sys.executable, "-c", _PROJECT_FLOOR],
    }
    if args.baseline:
        commands["baseline cli.py"] = [sys.executable, str(args.baseline.resolve() / "cli.py"), *question]
    times: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    for name, command in commands.items():  # warm the disk cache once
        _run(command)
    for _ in range(args.runs):
        for name, command in commands.items():
            wall, used = _run(command)
            times[name].append(wall)
            cpu[name].append(used)
    for name in commands:
        print(f"{name:>24}: median {statistics.median(times[name]):.3f} s wall, "
              f"{statistics.median(cpu[name]):.3f} s CPU over {args.runs} interleaved runs")
    for what, values in (("wall", times), ("CPU", cpu)):
        floor = statistics.median(values["tiktoken floor"])
        line = f"{what}: {statistics.median(values['cli.py estimate --text']) / floor:.2f}x the floor (goal: 1.1x)"
        if args.baseline:
            line += f"; baseline {statistics.median(values['baseline cli.py']) / floor:.2f}x"
        print(line)
        ours = statistics.median(values["project loader floor"])
        print(f"{what}: {statistics.median(values['cli.py estimate --text']) / ours:.2f}x the same script with the "
              f"project's vocabulary loader ({ours / floor:.2f}x the floor): the command line's own cost")


if __name__ == "__main__":
    main()
