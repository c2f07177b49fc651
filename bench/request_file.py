"""How fast a Batch request file is priced: python bench/request_file.py [LINES]

Builds LINES Batch API lines from the support-triage fixture (the shared 1,120-token system
prompt, a different ticket per line) and prints the time to price them on their own model and
re-priced on two more models. Prints figures only; not part of the test run.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.requests import read_requests  # noqa: E402
from pricing import Assumptions, load_catalog  # noqa: E402
from pricing.requests import price_request_file  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "requests" / "support_triage_batch.jsonl"


def build(lines: int, unique: bool = False) -> bytes:
    template = json.loads(FIXTURE.read_text().splitlines()[0])
    system = template["body"]["messages"][0]["content"]
    out = []
    for i in range(lines):
        template["custom_id"] = f"ticket-{i}"
        template["body"]["messages"][1]["content"] = f"Ticket {i}: my order #{50000 + i} has not arrived after {i % 20} days."
        if unique:  # no two lines share a system prompt: nothing can be reused
            template["body"]["messages"][0]["content"] = f"Queue {i}. {system}"
        out.append(json.dumps(template))
    return "\n".join(out).encode()


def main() -> None:
    lines = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    catalog = load_catalog()
    a = Assumptions(output_tokens_per_request=60, as_of=dt.date(2026, 11, 1))
    price_request_file(read_requests("warm-up.jsonl", build(1)), catalog, ["gpt-4o", "gpt-3.5-turbo"], a)  # load encodings
    for unique in (False, True):
        data = build(lines, unique)
        for models in (None, ["gpt-4o-mini", "gpt-4o", "gpt-3.5-turbo"]):
            start = time.perf_counter()
            report = price_request_file(read_requests("bench.jsonl", data), catalog, models, a)
            seconds = time.perf_counter() - start
            tokens = sum(t.prompt_tokens for t in report.totals)
            print(f"{lines} lines ({len(data) / 1e6:.1f} MB, {'unique' if unique else 'shared'} system prompts), "
                  f"models={models or 'own'}: {seconds:.2f} s, {len(report.rows) / seconds:,.0f} rows/s, "
                  f"{tokens:,} prompt tokens")


if __name__ == "__main__":
    main()
