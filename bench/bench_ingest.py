"""Ingestion throughput and peak memory: streaming (iter_documents) against reading whole files.

    python bench/bench_ingest.py [--mb 200] [--kind mixed|gbk|csv]

Writes a test file under /tmp, then measures each way in a fresh process (peak RSS is per
process) and prints MB/s and peak MiB.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINE = "2026-11-23 18:00:00 INFO user=42 价格查询 ok, latency 12ms — résumé 👍\n"


def write_file(path: Path, megabytes: int, kind: str) -> None:
    if kind == "csv":
        block = "".join(f'{i},"{LINE.strip()}",g{i % 7}\n' for i in range(20000))
        header, encoding = "id,text,group\n", "utf-8"
    else:
        block, header = LINE * 20000, ""
        encoding = "gb18030" if kind == "gbk" else "utf-8"
    data = block.encode(encoding, "replace")
    with path.open("wb") as f:
        f.write(header.encode())
        for _ in range(megabytes * (1 << 20) // len(data) + 1):
            f.write(data)


def measure(mode: str, path: str) -> None:
    sys.path.insert(0, str(ROOT))
    from ingest import ReadOptions, iter_documents, read_paths
    from tokenizers import safe_prefix_end

    start = time.perf_counter()
    if mode == "stream":
        problems: list = []
        documents = chars = 0
        for document in iter_documents([path], ReadOptions(), problems, safe_prefix_end):
            documents += 1
            chars += len(document.text)
    else:
        corpus = read_paths([path])
        documents, chars = len(corpus.documents), sum(len(d.text) for d in corpus.documents)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mib": peak, "documents": documents, "chars": chars}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=200)
    parser.add_argument("--kind", choices=["mixed", "gbk", "csv"], default="mixed")
    parser.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(*args.measure)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("bench.csv" if args.kind == "csv" else "bench.txt")
        write_file(path, args.mb, args.kind)
        size_mb = path.stat().st_size / (1 << 20)
        print(f"{args.kind} file: {size_mb:.0f} MB")
        for mode in ("stream", "whole"):
            out = subprocess.run(
                [sys.executable, __file__, "--measure", mode, str(path)], capture_output=True, text=True, check=True
            ).stdout
            r = json.loads(out)
            print(
                f"{mode:>6}: {r['seconds']:.2f} s  {size_mb / r['seconds']:.0f} MB/s  "
                f"peak {r['peak_mib']:.0f} MiB  documents {r['documents']}"
            )


if __name__ == "__main__":
    main()
