"""Language detection: py3langid against lingua on our own corpus, and what detecting the
documents of a 100 MB corpus costs the project.

    python bench/language_detection.py                  # generates ~100 MB of documents in /tmp
    python bench/language_detection.py docs.jsonl       # one document per line: {"text": ...} or plain text
    python bench/language_detection.py --detectors py3langid,lingua-low --corpus-mb 20

Part 1 runs each detector in its own subprocess (so peak RSS is its own) on
tests/fixtures/languages: accuracy on paragraphs and on short sentences (the library's own
answer, mapped to ISO 639-1), documents/s and MB/s over the paragraphs, time to import and
load the model, peak RSS, installed size. "project" is ingest.languages.detect_language
(py3langid weighed by a prior, fastText's second opinion on unsure texts, the script's rules,
a 1000-character prefix). bench/language_heldout.py measures it on held-out UI strings.

Part 2 detects every document of the corpus (detect_languages: the reference), then counts it
with the project's pipeline (corpus.pipeline.count_inputs, as `cli.py estimate --by-language`
does) without and with languages, the corpus shuffled and sorted by language, and prints the
cost of detection and how far the sampled shares are from the full detection's. Never part of
the test run.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FIXTURES = ROOT / "tests" / "fixtures" / "languages"
MB = 1_000_000
DETECTORS = ("py3langid", "lingua-low", "lingua-high", "project")
PACKAGES = {"py3langid": "py3langid", "lingua-low": "lingua-language-detector",
            "lingua-high": "lingua-language-detector", "project": "py3langid"}


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _load_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _make_detector(name: str):
    """Return a function text -> ISO 639-1 code (or "und") for one detector."""
    if name == "py3langid":
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        return lambda text: identifier.classify(text)[0]
    if name == "project":
        from ingest.languages import detect_language

        return detect_language
    from lingua import LanguageDetectorBuilder

    builder = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models()
    if name == "lingua-low":
        builder = builder.with_low_accuracy_mode()
    detector = builder.build()

    def detect(text: str) -> str:
        language = detector.detect_language_of(text)
        return language.iso_code_639_1.name.lower() if language else "und"

    return detect


def _worker(name: str, seconds: float) -> None:
    """Runs in a subprocess: measure one detector, print one JSON line."""
    paragraphs, short = _load_jsonl(FIXTURES / "paragraphs.jsonl"), _load_jsonl(FIXTURES / "short.jsonl")
    start = time.perf_counter()
    detect = _make_detector(name)
    detect("warm up: the model is loaded now")
    load_s = time.perf_counter() - start

    def accuracy(rows):
        return sum(detect(row["text"]) == row["lang"] for row in rows) / len(rows)

    para, short_acc = accuracy(paragraphs), accuracy(short)
    texts = [row["text"] for row in paragraphs]
    size = sum(len(text.encode()) for text in texts)
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for text in texts:
            detect(text)
        done += 1
    elapsed = time.perf_counter() - start
    print(json.dumps({"detector": name, "paragraphs": para, "short": short_acc, "load_s": load_s,
                      "docs_s": done * len(texts) / elapsed, "mb_s": done * size / MB / elapsed,
                      "rss_mb": _peak_rss_mb()}))


def _installed_mb(package: str) -> float | None:
    try:
        dist = distribution(package)
    except PackageNotFoundError:
        return None
    return sum(f.size or 0 for f in dist.files or []) / MB


def generate_corpus(path: Path, megabytes: float, seed: int = 7) -> None:
    """Write ~``megabytes`` of JSONL documents, one fixture paragraph each, shuffled."""
    paragraphs = _load_jsonl(FIXTURES / "paragraphs.jsonl")
    rng, written = random.Random(seed), 0
    with open(path, "w", encoding="utf-8") as fh:
        while written < megabytes * MB:
            batch = paragraphs[:]
            rng.shuffle(batch)
            for row in batch:
                line = json.dumps({"lang": row["lang"], "text": row["text"]}, ensure_ascii=False) + "\n"
                fh.write(line)
                written += len(row["text"].encode())


def _read_documents(path: Path) -> list[str]:
    texts = []
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.startswith("{"):
                try:
                    texts.append(str(json.loads(line)["text"]))
                    continue
                except (ValueError, KeyError):
                    pass
            texts.append(line)
    return texts


def _shares(documents: dict[str, int]) -> dict[str, float]:
    total = sum(documents.values())
    return {language: n / total for language, n in documents.items()}


def _corpus_worker(path: Path) -> None:
    """Runs in a subprocess: detect every document (the reference), then count the corpus with
    the project's pipeline without and with languages (its sample rule), shuffled and sorted by
    language; print JSON."""
    import tempfile
    from collections import Counter

    from ingest import ReadOptions
    from ingest.languages import FULL_DOCUMENTS, detect_language, detect_languages
    from corpus.pipeline import count_inputs, language_sums, languages_detected

    texts = _read_documents(path)
    size = sum(len(text.encode()) for text in texts)
    detect_language("warm up: the model is loaded now")
    start = time.perf_counter()
    labels = detect_languages(texts)
    full_s = time.perf_counter() - start
    full = Counter(labels)
    result = {"documents": len(texts), "mb": size / MB, "full_s": full_s, "full": dict(full.most_common()),
              "full_documents": FULL_DOCUMENTS}
    for order in ("shuffled", "sorted"):
        positions = list(range(len(texts)))
        if order == "shuffled":
            random.Random(1).shuffle(positions)
        else:
            positions.sort(key=labels.__getitem__)
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8", delete=False) as out:
            for i in positions:
                out.write(json.dumps({"text": texts[i]}, ensure_ascii=False) + "\n")
        start = time.perf_counter()
        count_inputs([out.name], ReadOptions())
        plain_s = time.perf_counter() - start
        start = time.perf_counter()
        counted = count_inputs([out.name], ReadOptions(), languages=True)
        with_s = time.perf_counter() - start
        Path(out.name).unlink()
        result[order] = {"count_s": plain_s, "seconds": with_s, "detected": languages_detected(counted.counts),
                         "documents": {k: v[0] for k, v in language_sums(counted.counts).items()}}
    result["rss_mb"] = _peak_rss_mb()
    print(json.dumps(result))


def _run(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _print_detectors(names: list[str], seconds: float) -> None:
    print(f"{'detector':12} {'para':>6} {'short':>6} {'docs/s':>7} {'MB/s':>5} {'load s':>6} {'RSS MB':>6} {'install MB':>10}")
    for name in names:
        r = _run(["--worker", name, "--seconds", str(seconds)])
        installed = _installed_mb(PACKAGES[name])
        print(f"{name:12} {r['paragraphs']:6.1%} {r['short']:6.1%} {r['docs_s']:7.0f} {r['mb_s']:5.2f} "
              f"{r['load_s']:6.2f} {r['rss_mb']:6.0f} {installed:10.1f}", flush=True)
    print("(RSS is the whole interpreter's peak; python + numpy alone is ~25 MB. "
          "lingua-high is lingua with every model preloaded, as its high-accuracy mode needs.)")


def _print_corpus(path: Path) -> None:
    from ingest.languages import PREFIX_CHARS

    r = _run(["--corpus-worker", str(path)])
    print(f"\n{path}: {r['documents']:,} documents, {r['mb']:.1f} MB (UTF-8)")
    print(f"every document, first {PREFIX_CHARS} characters each: {r['full_s']:.0f} s, "
          f"{r['documents'] / r['full_s']:,.0f} docs/s, {r['mb'] / r['full_s']:.2f} MB/s")
    full = _shares(r["full"])
    for order in ("shuffled", "sorted"):
        sampled = r[order]
        shares = _shares(sampled["documents"])
        worst = max(full.keys() | shares.keys(), key=lambda k: abs(full.get(k, 0) - shares.get(k, 0)))
        error = abs(full.get(worst, 0) - shares.get(worst, 0))
        print(f"pipeline, corpus {order:8}: counted in {sampled['count_s']:.1f} s without languages, "
              f"{sampled['seconds']:.1f} s with them ({sampled['detected']:,} documents detected: all of the "
              f"first {r['full_documents']:,}, then a sample); largest share error {error * 100:.2f} points ({worst})")
    top = ", ".join(f"{k} {v:.1%}" for k, v in list(full.items())[:6])
    print(f"full-detection shares (top 6): {top}; peak RSS {r['rss_mb']:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, help="documents, one per line (default: generated)")
    parser.add_argument("--corpus-mb", type=float, default=100.0, help="size of the generated corpus")
    parser.add_argument("--detectors", default=",".join(DETECTORS), help="comma-separated, of " + ", ".join(DETECTORS))
    parser.add_argument("--seconds", type=float, default=3.0, help="how long each speed run lasts")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--corpus-worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        _worker(args.worker, args.seconds)
        return
    if args.corpus_worker:
        _corpus_worker(args.corpus_worker)
        return
    _print_detectors([name for name in args.detectors.split(",") if name], args.seconds)
    path = args.corpus
    if path is None:
        path = Path(f"/tmp/language_corpus_{args.corpus_mb:g}mb.jsonl")
        if not path.exists():
            generate_corpus(path, args.corpus_mb)
    _print_corpus(path)


if __name__ == "__main__":
    main()
