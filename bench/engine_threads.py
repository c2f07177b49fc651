"""Whether each tokenizer engine counts right from several threads sharing one object, and what
threads gain: the pipeline (tokenizers/streaming.py) counts two slices of one tokenizer at once.

For each engine: the counts of ~130 texts (data/samples, pieces of them, a long control-character
run, emoji, code) from one thread, then from THREADS threads each counting them in its own order;
prints the time of each and the number of counts that differ (must be 0). Each engine runs in a
child process, so a crash is printed as its return code. SentencePiece is measured on a small
model trained here from the samples (Gemma's file is the user's to give).

    .venv/bin/python bench/engine_threads.py [--threads 4] [--rounds 40]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENGINES = ("o200k_base", "llama3", "qwen3.6", "tekken-240718", "deepseek-v3", "claude-3", "sentencepiece")

_CHILD = r"""
import random, sys, threading, time
from pathlib import Path
name, threads, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
samples = [p.read_text(encoding="utf-8") for p in sorted(Path("data/samples").glob("*.txt"))]
rng = random.Random(1)
texts = samples + [s[i:i + rng.randrange(1, 300)] for s in samples for i in range(0, len(s), 97)]
texts += ["\x00" * 20000 + "a", " " * 5000 + "x", "\U0001F468\u200d\U0001F469\u200d\U0001F467" * 300,
          "e\u0301" * 2000, "def f(x):\n    return x\n" * 200]
if name == "sentencepiece":
    import io
    import sentencepiece
    model = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(sentence_iterator=iter("\n".join(samples).splitlines()), model_writer=model,
                                             vocab_size=1500, byte_fallback=True, character_coverage=1.0, minloglevel=2)
    processor = sentencepiece.SentencePieceProcessor(model_proto=model.getvalue())
    count = lambda batch: [len(ids) for ids in processor.encode(list(batch))]
else:
    from tokenizers.counting import count_many
    count = lambda batch: count_many(batch, name, 1)
expected = count(texts)
wrong = []
def work(seed):
    order = list(range(len(texts)))
    for _ in range(rounds):
        random.Random(seed).shuffle(order)
        wrong.extend(i for i, n in zip(order, count([texts[i] for i in order])) if n != expected[i])
start = time.perf_counter(); work(0); one = time.perf_counter() - start
workers = [threading.Thread(target=work, args=(seed,)) for seed in range(1, threads + 1)]
start = time.perf_counter(); [w.start() for w in workers]; [w.join() for w in workers]; many = time.perf_counter() - start
print(f"{name:14} {len(texts)} texts x {rounds}: 1 thread {one:.2f} s, {threads} threads {many:.2f} s "
      f"({threads * one / many:.2f}x the work rate), counts that differ: {len(wrong)}")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    for name in ENGINES:
        rounds = max(1, args.rounds // 10) if name.startswith("claude") else args.rounds  # ctok is pure Python
        child = subprocess.run([sys.executable, "-c", _CHILD, name, str(args.threads), str(rounds)], cwd=ROOT,
                               capture_output=True, text=True)
        print(child.stdout.strip() if child.returncode == 0 else f"{name:14} crashed: return code {child.returncode}")


if __name__ == "__main__":
    main()
