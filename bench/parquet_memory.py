"""A Parquet corpus bigger than the memory its count may use, streamed: peak RSS of the whole process.

    python bench/parquet_memory.py                    # 1,000 MB of text in row groups of ~32 MB
    python bench/parquet_memory.py --mb 300 --row-group-mb 16 --limit-mb 800 --keep /tmp/c.parquet

Writes a Parquet file (uncompressed, so the file is as big as its text) with an id, a date and a
text column, then counts it in a fresh process exactly as `cli.py estimate FILE` does
(``corpus.pipeline.count_inputs``: the text column chosen by content, row groups streamed), and
reports that process's peak RSS, its time and its counts (``--limit-mb``: run it under that
``RLIMIT_DATA``, which also counts address space the allocators reserve but never touch). Never
part of the test run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MB = 1_000_000

_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
start = time.perf_counter()
from ingest import ReadOptions
from corpus.pipeline import count_inputs
counted = count_inputs([{path!r}], ReadOptions())
print(json.dumps({{"seconds": time.perf_counter() - start, "documents": counted.counts.documents,
    "tokens": counted.counts.tokens, "column": counted.sources[0].column, "skipped": len(counted.skipped),
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def write_corpus(path: Path, mb: int, row_group_mb: int) -> tuple[int, int]:
    """A Parquet file of about ``mb`` MB of text; (rows, row groups)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tests.unit.multilingual_samples import MULTILINGUAL

    rows_per_group = max(1, row_group_mb * MB // 400)
    rows = groups = written = 0
    schema = pa.schema([("id", pa.int64()), ("day", pa.string()), ("text", pa.string())])
    with pq.ParquetWriter(path, schema, compression="none") as writer:
        while written < mb * MB:
            texts = [" ".join(MULTILINGUAL[(rows + i + k) % len(MULTILINGUAL)] for k in range(3)) + f" #{rows + i}"
                     for i in range(rows_per_group)]
            batch = pa.table({"id": range(rows, rows + len(texts)),
                              "day": [f"2026-{1 + (rows + i) % 12:02d}-01" for i in range(len(texts))],
                              "text": texts}, schema=schema)
            writer.write_table(batch, row_group_size=len(texts))
            written += sum(len(t.encode()) for t in texts)
            rows += len(texts)
            groups += 1
    return rows, groups


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=1000, help="MB of text in the file (default 1000)")
    parser.add_argument("--row-group-mb", type=int, default=32)
    parser.add_argument("--limit-mb", type=int, default=0, help="RLIMIT_DATA of the counting process (0: none)")
    parser.add_argument("--keep", type=Path, help="write the file here (reused when it exists) instead of a temp dir")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.keep or Path(folder) / "corpus.parquet"
        start = time.perf_counter()
        if not path.exists():
            rows, groups = write_corpus(path, args.mb, args.row_group_mb)
            print(f"wrote {path.name}: {rows:,} rows in {groups} row groups ({time.perf_counter() - start:.0f} s)")
        size = path.stat().st_size
        print(f"{path.name}: {size / MB:,.0f} MB")

        def limit() -> None:
            if args.limit_mb:
                cap = args.limit_mb * MB
                resource.setrlimit(resource.RLIMIT_DATA, (cap, cap))

        child = subprocess.run([sys.executable, "-c", _CHILD.format(root=str(ROOT), path=str(path))],
                               capture_output=True, text=True, preexec_fn=limit, env=os.environ.copy())
        if child.returncode != 0:
            print(f"counting failed under RLIMIT_DATA={args.limit_mb} MB:\n{child.stderr[-2000:]}")
            sys.exit(1)
        result = json.loads(child.stdout)
        print(f"counted (RLIMIT_DATA {args.limit_mb or 'none'} MB): {result['documents']:,} documents on column "
              f"{result['column']!r}, {result['tokens']['o200k_base']:,} o200k_base / "
              f"{result['tokens']['cl100k_base']:,} cl100k_base tokens in {result['seconds']:.1f} s "
              f"({size / MB / result['seconds']:.1f} MB/s)")
        print(f"peak RSS of the whole counting process: {result['peak_rss_mb']:,.0f} MB "
              f"for a {size / MB:,.0f} MB file ({result['peak_rss_mb'] / (size / MB):.2f} x its size)")


if __name__ == "__main__":
    main()
