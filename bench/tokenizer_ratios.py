"""Tokens per language on each tokenizer relative to o200k_base, on the parallel samples
(data/samples/*.txt): the ratios behind the registry's labelled estimates and their stated error.

    python bench/tokenizer_ratios.py                     # every tokenizer counted here
    python bench/tokenizer_ratios.py --gemma3 PATH       # also Gemma 3, from its SentencePiece model

For each tokenizer: the median over the languages of its count / o200k_base's count (what an
estimate multiplies o200k's count by), and how far that estimate is from the real count per
language (the smallest and largest error). Never part of the test run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gemma3", type=Path,
                        help="the Gemma 3 SentencePiece model (gemma3_cleaned_262144_v2.spiece.model)")
    args = parser.parse_args()

    from tokenizers import vocabulary_files
    from tokenizers.counting import count_many
    from tokenizers.registry import REGISTRY

    if args.gemma3:
        vocabulary_files.give_file("gemma3", args.gemma3)
    samples = sorted((ROOT / "data" / "samples").glob("*.txt"))
    languages = [p.stem for p in samples]
    texts = [p.read_text(encoding="utf-8") for p in samples]
    base = count_many(texts, "o200k_base")
    names = [n for n, e in REGISTRY.items() if e.available and n != "o200k_base"]
    print(f"{'language':<9}" + "".join(f"{n:>14}" for n in names))
    counts = {n: count_many(texts, n) for n in names}
    for i, language in enumerate(languages):
        print(f"{language:<9}" + "".join(f"{counts[n][i] / base[i]:>14.2f}" for n in names))
    print("\nthe median of the languages' ratios (an estimate's multiplier) and its error per language:")
    for n in names:
        ratio = round(statistics.median(c / b for c, b in zip(counts[n], base)), 2)
        errors = [(ratio * b - c) / c for b, c in zip(base, counts[n])]
        low, high = min(errors), max(errors)
        print(f"  {n:<14} {ratio:.2f}   {low:+.0%} ({languages[errors.index(low)]}) to "
              f"{high:+.0%} ({languages[errors.index(high)]})")


if __name__ == "__main__":
    main()
