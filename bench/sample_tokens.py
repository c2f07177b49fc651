"""Count the built-in samples (data/samples/) on every tokenizer the tax compares and store the
counts in data/samples/tokens.json, then print each language's tax (tokens per English token)
per tokenizer and the time each tokenizer took.

    python bench/sample_tokens.py            # writes data/samples/tokens.json
    python bench/sample_tokens.py --check    # compares the stored counts with a fresh count

The app and the CLI read the stored counts (pricing.tokenizer_tax.samples_tax): loading every
vendor's vocabulary to count 22 paragraphs took 600 MB of memory and 4 s. A count is stored only
for the samples it was made on (their sha256), so a changed sample is counted again, never read stale.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pricing.languages import load_samples  # noqa: E402
from pricing.tokenizer_tax import STORED_COUNTS, sample_counts_record, sample_tax, stored_sample_counts, tax_tokenizers  # noqa: E402,E501


def main() -> None:
    samples = load_samples()
    names = tax_tokenizers()
    seconds = {}
    record = {"measured": dt.date.today().isoformat(), "samples_sha256": "", "tokens": {}}
    for name in names:
        started = time.perf_counter()
        one = sample_counts_record([name], samples, record["measured"])
        seconds[name] = time.perf_counter() - started
        record["samples_sha256"] = one["samples_sha256"]
        record["tokens"].update(one["tokens"])
    if "--check" in sys.argv:
        stored = stored_sample_counts(samples)
        differing = [n for n in names if n in stored and stored[n] != record["tokens"][n]]
        print(f"stored counts checked on {', '.join(n for n in names if n in stored)}: "
              f"{'all equal' if not differing else 'DIFFERENT on ' + ', '.join(differing)}")
    else:
        STORED_COUNTS.write_text(json.dumps(record, indent=1, ensure_ascii=False, sort_keys=True) + "\n",
                                 encoding="utf-8")
        print(f"wrote {STORED_COUNTS}")
    rows = sample_tax(names, samples, record["tokens"])
    print("code     " + " ".join(f"{n[:11]:>11}" for n in names))
    for row in rows:
        print(f"{row.language:8} " + " ".join(f"{row.relative[n]:>10.2f}x" for n in names))
    print("seconds  " + " ".join(f"{seconds[n]:>11.2f}" for n in names))


if __name__ == "__main__":
    main()
