"""Print the built-in samples' token counts on cl100k_base and o200k_base, and the ratio.

    python bench/language_ratios.py

Counts are checked against tiktoken's encode_ordinary before printing.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pricing.languages import count_groups, load_samples  # noqa: E402
from tokenizers import get_encoding  # noqa: E402


def main() -> None:
    samples = load_samples()
    counts = count_groups((s.code, s.text) for s in samples)
    print(f"{'code':8} {'language':22} {'chars':>5} {'cl100k':>6} {'o200k':>6} {'ratio':>6} {'fewer':>6}")
    for sample, c in zip(samples, counts):
        for enc in ("cl100k_base", "o200k_base"):
            assert c.tokens[enc] == len(get_encoding(enc).encode_ordinary(sample.text)), (sample.code, enc)
        print(f"{c.group:8} {sample.name_en:22} {c.characters:5} {c.tokens['cl100k_base']:6} "
              f"{c.tokens['o200k_base']:6} {c.ratio:6.2f} {c.token_saving_share:6.1%}")


if __name__ == "__main__":
    main()
