"""The CLI's memory stays bounded on any number of rows (issue 21 item 4): per-document counts
are added up as they come, never kept a column per row, and a batch of tiny rows holds a
bounded number of them. It grew 367 -> 1,001 MB on a 10^9-row Parquet."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[2]
# Peak resident size of one child process, in kB: measured by a fresh parent whose only child
# is the CLI (RUSAGE_CHILDREN keeps the largest child's peak).
_PEAK_OF_CHILD = ("import json, resource, subprocess, sys; "
                  "out = subprocess.run(sys.argv[1:], check=True, capture_output=True, text=True).stdout; "
                  "print(json.dumps([resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, json.loads(out)]))")


def cli_peak_kb(path: Path) -> tuple[int, dict]:
    command = [sys.executable, "cli.py", "estimate", str(path), "--models", "gpt-4o", "--format", "json"]
    out = subprocess.run([sys.executable, "-c", _PEAK_OF_CHILD, *command], cwd=ROOT, check=True,
                         capture_output=True, text=True, timeout=600).stdout
    peak, report = json.loads(out)
    return peak, report


def tiny_rows(path: Path, rows: int) -> Path:
    pq.write_table(pa.table({"text": pa.array(["hi there"] * rows)}), path, row_group_size=100_000,
                   use_dictionary=False)
    return path


def test_the_cli_peak_memory_does_not_grow_with_rows(tmp_path: Path):
    small_peak, small = cli_peak_kb(tiny_rows(tmp_path / "small.parquet", 200_000))
    large_peak, large = cli_peak_kb(tiny_rows(tmp_path / "large.parquet", 2_000_000))
    # "hi there" is 2 tokens on both encodings.
    assert small["documents"] == 200_000 and small["tokens"] == {"o200k_base": 400_000, "cl100k_base": 400_000}
    assert large["documents"] == 2_000_000 and large["tokens"] == {"o200k_base": 4_000_000, "cl100k_base": 4_000_000}
    # Was 273 MB -> 636 MB: a column per row, and a million tiny rows in a batch.
    assert large_peak - small_peak < 40 << 10, (small_peak, large_peak)


def test_counts_handed_on_run_by_run_are_the_columns_kept_and_the_same_totals(tmp_path: Path, monkeypatch):
    from array import array

    import ingest.languages
    from ingest import Document, ReadOptions
    from corpus.pipeline import count_inputs
    from corpus.summary import DocumentSummary
    from pricing.estimates import totals_of_inputs
    from tests.unit.multilingual_samples import MULTILINGUAL
    from tokenizers import count_stream

    monkeypatch.setattr(ingest.languages, "FULL_DOCUMENTS", 200)  # the language sample's strata, sooner
    texts = [MULTILINGUAL[i % len(MULTILINGUAL)] * (1 + i % 3) for i in range(1_000)]
    docs = [Document(t, f"rows[{i}]", group="ab"[i % 2]) for i, t in enumerate(texts)]
    kept = count_stream(docs, batch_bytes=20_000)
    runs: list[tuple[int, int]] = []
    handed = {e: array("q") for e in kept.encodings}

    def take(first: int, chunk) -> None:
        assert first == sum(n for _, n in runs)  # in order, each document once
        runs.append((first, chunk.documents))
        for e in kept.encodings:
            handed[e].extend(chunk.per_document[e])

    streamed = count_stream(docs, batch_bytes=20_000, on_documents=take)
    assert len(runs) > 3 and not streamed.kept_documents and len(streamed.per_document["o200k_base"]) == 0
    assert handed == kept.per_document
    assert (streamed.tokens, streamed.documents, streamed.characters, streamed.bytes) == \
        (kept.tokens, kept.documents, kept.characters, kept.bytes)
    assert streamed.groups == kept.groups

    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(json.dumps({"text": t}) for t in texts), encoding="utf-8")
    thresholds = [50, 200, 128_000]
    whole = totals_of_inputs(count_inputs([str(path)], ReadOptions(), languages=True), thresholds)
    summed = totals_of_inputs(count_inputs([str(path)], ReadOptions(), languages=True,
                                           summary=DocumentSummary(thresholds)), thresholds)
    assert summed.workload == whole.workload and summed.workload.long_requests[50]["o200k_base"][0] > 0
    assert summed.languages == whole.languages and summed.languages_detected == whole.languages_detected
