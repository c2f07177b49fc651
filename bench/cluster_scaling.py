"""Counting on a Dask cluster: throughput per worker, scaling from 1 to 2 workers here, and the
capacity plan it implies for 10 GB, 100 GB and 1 TB.

    python bench/cluster_scaling.py                 # 4 files of 50 MB of generated mixed text
    python bench/cluster_scaling.py --files 8 --mb 40

Times ``corpus.pipeline.count_inputs`` (one process) and ``corpus.cluster.count_inputs_on_cluster``
on a LocalCluster of 1 and of 2 worker processes (one thread each, on 127.0.0.1), each on a fresh
cluster so every worker pays its own start-up (vocabulary builds) as a real one does. Prints the
wall time, MB/s, each worker's peak RSS, then the plan: the measured figures, and the corpus sizes
extrapolated from one worker's rate (linear in workers, each on cores of its own). Checks that
every run gives the same token counts. Never part of the test run.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MB = 1_000_000


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_cluster(folder: Path, workers: int) -> tuple[float, dict, list[float]]:
    import logging

    from dask.distributed import Client, LocalCluster

    from ingest import ReadOptions
    from corpus.cluster import count_inputs_on_cluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        client.wait_for_workers(workers)
        start = time.perf_counter()
        counted = count_inputs_on_cluster([str(folder)], ReadOptions(), client)
        seconds = time.perf_counter() - start
        peaks = sorted(client.run(_peak_rss_mb).values())
    return seconds, dict(counted.counts.tokens), peaks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--mb", type=int, default=50, help="MB of text per file")
    args = parser.parse_args()
    from bench.mixed_text import write_corpus
    from ingest import ReadOptions
    from corpus.pipeline import count_inputs

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for i in range(args.files):
            write_corpus(folder / f"part{i}.txt", args.mb, seed=i)
        total = sum(p.stat().st_size for p in folder.iterdir()) / MB
        print(f"corpus: {args.files} files, {total:,.0f} MB of generated mixed text; {os.cpu_count()} cores")

        start = time.perf_counter()
        one = count_inputs([str(folder)], ReadOptions())
        single = time.perf_counter() - start
        print(f"one process (count_inputs):      {single:6.1f} s  {total / single:6.1f} MB/s")
        results = {}
        for workers in (1, 2):
            seconds, tokens, peaks = run_cluster(folder, workers)
            assert tokens == dict(one.counts.tokens), (tokens, one.counts.tokens)
            results[workers] = seconds
            print(f"dask, {workers} worker{'s' if workers > 1 else ' '} (processes):  {seconds:6.1f} s  "
                  f"{total / seconds:6.1f} MB/s  worker peak RSS {', '.join(f'{p:,.0f}' for p in peaks)} MB")
        per_worker = total / results[1]
        print(f"scaling 1 -> 2 workers on these {os.cpu_count()} cores: {results[1] / results[2]:.2f}x "
              f"(one worker already reads on one thread and counts on two); the same token counts in every "
              f"run: {one.counts.tokens['o200k_base']:,} o200k_base")
        print()
        print(f"capacity plan: measured {per_worker:.1f} MB/s for one worker (on 2 cores) and {max(peaks):,.0f} MB "
              f"peak RSS per worker;")
        print("extrapolated, not measured: workers on their own 2 cores each, adding up linearly (partitions are")
        print("independent and the merge only concatenates), storage fast enough, scheduler overhead left out:")
        print("| corpus | workers | minutes | memory per worker |")
        print("|---|---|---|---|")
        for size_gb, workers in ((10, 8), (100, 32), (1000, 128)):
            minutes = size_gb * 1000 / (per_worker * workers) / 60
            print(f"| {size_gb:,} GB | {workers} | {minutes:,.0f} | ~{max(peaks):,.0f} MB |")


if __name__ == "__main__":
    main()
