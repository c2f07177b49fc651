"""How fast the project counts tokens, against plain single-thread tiktoken, and in how much memory.

    python bench/count_speed.py                      # generates 80 MB of mixed text in /tmp
    python bench/count_speed.py --generate-mb 1000   # 1 GB; tiktoken timed on a 100 MB slice
    python bench/count_speed.py path/to/corpus.txt --text-encoding utf-8

Each method runs in its own subprocess (so one's memory does not inflate another's peak RSS),
``--repeats`` times; times are medians. Both methods read the file the same way (incremental
decoding, cut at safe places) and count every piece: the project's counter streams batches to
toktok-rs on a pool of 2 threads, one core per task (tokenizers.streaming.count_file); the baseline calls tiktoken's
``encode_ordinary`` on each piece, on one thread. Never part of the test run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MB = 1_000_000
ENCODINGS = ("o200k_base", "cl100k_base")


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _worker(args: argparse.Namespace) -> None:
    """Runs in a subprocess: count with one method, print one JSON line."""
    from tokenizers import get_encoding
    from tokenizers.streaming import count_file, count_stream, iter_text_pieces, utf8_length

    encodings = tuple(args.encodings.split(","))
    if args.worker == "tiktoken":
        encs = [get_encoding(e) for e in encodings]
        [enc.encode_ordinary("warm up") for enc in encs]
        cpu_start, start = _cpu_seconds(), time.perf_counter()
        done, tokens = 0, dict.fromkeys(encodings, 0)
        for piece in iter_text_pieces(args.path, args.text_encoding):
            for name, enc in zip(encodings, encs):
                tokens[name] += len(enc.encode_ordinary(piece))
            done += utf8_length(piece)
            if args.limit_bytes and done >= args.limit_bytes:
                break
    else:
        from tokenizers import count_many

        [count_many(["warm up"], e) for e in encodings]
        cpu_start, start = _cpu_seconds(), time.perf_counter()
        if args.worker == "ingest":
            import ingest
            import tokenizers

            problems: list = []
            docs = ingest.iter_documents([Path(args.path)], ingest.ReadOptions(), problems, tokenizers.safe_prefix_end)
            counts = count_stream(docs, encodings, batch_bytes=args.batch_mb * MB)
        else:
            counts = count_file(args.path, args.text_encoding, encodings, batch_bytes=args.batch_mb * MB)
        done, tokens = counts.bytes, counts.tokens
    seconds = time.perf_counter() - start
    cpu = _cpu_seconds() - cpu_start
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "bytes": done, "tokens": tokens, "peak_rss_mb": _peak_rss_mb()}))


def _run_once(method: str, encodings: tuple[str, ...], args: argparse.Namespace, limit: int = 0) -> dict:
    command = [
        sys.executable, __file__, str(args.path), "--worker", method, "--encodings", ",".join(encodings),
        "--text-encoding", args.text_encoding, "--batch-mb", str(args.batch_mb), "--limit-bytes", str(limit),
    ]
    started = time.perf_counter()
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    result["process_seconds"] = time.perf_counter() - started
    return result


def _median(runs: list[dict]) -> dict:
    first = runs[0]
    return {
        "seconds": statistics.median(r["seconds"] for r in runs),
        "process_seconds": statistics.median(r["process_seconds"] for r in runs),
        "cpu_seconds": statistics.median(r["cpu_seconds"] for r in runs),
        "bytes": first["bytes"],
        "tokens": first["tokens"],
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
        "runs": len(runs),
    }


def _run_interleaved(jobs: list[tuple[str, tuple[str, ...], int]], args: argparse.Namespace) -> list[dict]:
    """Medians of ``args.repeats`` rounds of the jobs, run in turn within each round, so that
    load from other processes on the machine falls on all methods alike."""
    runs: list[list[dict]] = [[] for _ in jobs]
    for _ in range(args.repeats):
        for i, (method, encodings, limit) in enumerate(jobs):
            runs[i].append(_run_once(method, encodings, args, limit))
    return [_median(r) for r in runs]


def _row(label: str, result: dict, scale: float = 1.0) -> str:
    seconds = result["seconds"] * scale
    tokens = sum(result["tokens"].values()) * scale
    mb = result["bytes"] * scale / MB
    return (
        f"{label:<56} {mb / seconds:8.1f} {tokens / seconds / 1e6:8.2f} {seconds:9.2f} "
        f"{result['process_seconds'] * scale:9.2f} {result['cpu_seconds'] * scale:9.2f} {result['peak_rss_mb']:8.0f}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", nargs="?", type=Path, help="a text file (default: generate one in /tmp)")
    parser.add_argument("--generate-mb", type=float, default=80, help="size of the generated corpus")
    parser.add_argument("--text-encoding", default="utf-8")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch-mb", type=int, default=8)
    parser.add_argument("--tiktoken-mb", type=float, default=100, help="time tiktoken on at most this much")
    parser.add_argument("--ingest", action="store_true", help="also count via ingest.iter_documents, if present")
    parser.add_argument("--worker", choices=["stream", "tiktoken", "ingest"], help=argparse.SUPPRESS)
    parser.add_argument("--encodings", default=",".join(ENCODINGS), help=argparse.SUPPRESS)
    parser.add_argument("--limit-bytes", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        _worker(args)
        return

    if args.path is None:
        from bench.mixed_text import write_corpus

        args.path = Path(f"/tmp/count_speed_{args.generate_mb:g}MB.txt")
        started = time.perf_counter()
        write_corpus(args.path, args.generate_mb)
        print(f"corpus: generated {args.path} in {time.perf_counter() - started:.1f} s")
    size = args.path.stat().st_size
    print(f"corpus: {args.path}, {size / MB:.1f} MB; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f}")
    print(f"medians of {args.repeats} runs, each method in its own process; MB = 10^6 bytes of UTF-8 text\n")
    print("seconds: counting, wall clock; process: the whole subprocess (start-up, vocabulary load);")
    print("cpu: CPU seconds spent counting (all threads), which load from other processes barely changes\n")
    print(f"{'method':<56} {'MB/s':>8} {'Mtok/s':>8} {'seconds':>9} {'process':>9} {'cpu':>9} {'peak MB':>8}")

    limit = int(args.tiktoken_mb * MB) if size > args.tiktoken_mb * MB else 0
    jobs = [("stream", ENCODINGS, 0)]
    for encoding in ENCODINGS:
        jobs += [("stream", (encoding,), 0), ("tiktoken", (encoding,), limit)]
    both, *rest = _run_interleaved(jobs, args)
    print(_row("project, streamed, 2 threads, both encodings", both))
    per_encoding = {}
    for encoding, ours, base in zip(ENCODINGS, rest[0::2], rest[1::2]):
        scale = ours["bytes"] / base["bytes"]  # 1.0 unless tiktoken ran on a slice
        per_encoding[encoding] = (ours, base, scale)
        assert ours["tokens"][encoding] == both["tokens"][encoding]
        if not limit:
            assert base["tokens"][encoding] == ours["tokens"][encoding], "counts differ from tiktoken"
        print(_row(f"project, streamed, 2 threads, {encoding}", ours))
        note = f" (x{scale:.2f} from {base['bytes'] / MB:.0f} MB)" if limit else ""
        print(_row(f"tiktoken, 1 thread, {encoding}{note}", base, scale))
    if args.ingest:
        import ingest

        if hasattr(ingest, "iter_documents"):
            (via_ingest,) = _run_interleaved([("ingest", ENCODINGS, 0)], args)
            print(_row("project, via ingest.iter_documents, both", via_ingest))
        else:
            print("ingest.iter_documents is not there yet: skipped")

    print()
    if limit:
        print(
            f"tiktoken was timed on the first {args.tiktoken_mb:g} MB only; its seconds above are "
            "extrapolated linearly to the whole corpus (peak RSS is the slice's)."
        )
    for encoding, (ours, base, scale) in per_encoding.items():
        ratio = (base["seconds"] * scale) / ours["seconds"]
        cpu_ratio = (base["cpu_seconds"] * scale) / ours["cpu_seconds"]
        print(
            f"speed-up on {encoding}: {ratio:.1f}x wall clock, {cpu_ratio:.1f}x in CPU time   "
            f"tokens: {ours['tokens'][encoding]:,}"
        )
    base_total = sum(base["seconds"] * scale for _, base, scale in per_encoding.values())
    print(f"speed-up, both encodings in one pass vs tiktoken on each: {base_total / both['seconds']:.1f}x")
    # What a user waits for: whole processes (start-up, imports, vocabulary builds, reading).
    base_process = sum(base["process_seconds"] * scale for _, base, scale in per_encoding.values())
    base_cpu = sum(base["cpu_seconds"] * scale for _, base, scale in per_encoding.values())
    print(f"whole process, both encodings: {both['process_seconds']:.2f} s vs tiktoken's {base_process:.2f} s "
          f"(o200k_base + cl100k_base, 1 thread): {base_process / both['process_seconds']:.1f}x; counting CPU "
          f"{both['cpu_seconds']:.2f} s vs {base_cpu:.2f} s: {base_cpu / both['cpu_seconds']:.1f}x")
    print(f"load average at the end: {os.getloadavg()[0]:.2f} (other processes share these CPUs)")
    print(f"peak RSS of the project's counter: {max(both['peak_rss_mb'], *(o['peak_rss_mb'] for o, _, _ in per_encoding.values())):.0f} MB")


if __name__ == "__main__":
    main()
