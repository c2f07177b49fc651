"""`--engine dask`: a mixed folder counted on a real local Dask cluster gives the same numbers,
sources and skipped items as one process (files and Parquet row groups as partitions)."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cli import main
from ingest import ReadOptions
from corpus.cluster import Partition, count_inputs_on_cluster, plan_partitions
from corpus.pipeline import count_inputs
from tests.unit.multilingual_samples import MULTILINGUAL

distributed = pytest.importorskip("dask.distributed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as local, distributed.Client(local) as client:
        yield local, client


@pytest.fixture
def mixed(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    (folder / "b").mkdir(parents=True)
    pq.write_table(pa.table({"id": list(range(24)), "channel": ["web", "app", "mail"] * 8,
                             "text": (MULTILINGUAL * 2)[:24]}), folder / "a.parquet", row_group_size=5)
    lines = "".join(json.dumps({"text": t, "channel": "app"}) + "\n" for t in MULTILINGUAL[:6]) + "{bad\n"
    (folder / "b" / "c.jsonl.gz").write_bytes(gzip.compress(lines.encode()))
    (folder / "b" / "d.csv").write_text("n,text,channel\n1,\"hello, world\",web\n2,short,web,extra\n")
    (folder / "b" / ".hidden").write_text("x")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("e.txt", MULTILINGUAL[8])
        z.writestr("f.png", b"\x89PNG\r\n\x1a\n" + bytes(20))
    (folder / "e.zip").write_bytes(archive.getvalue())
    (folder / "g.txt").write_text("\n".join(MULTILINGUAL[:20]) * 50)
    return folder


def test_the_plan_splits_files_and_row_groups(mixed: Path) -> None:
    plan = plan_partitions([str(mixed)])
    parts = [p for p in plan if isinstance(p, Partition)]
    assert parts[:5] == [Partition(str(mixed / "a.parquet"), (i,)) for i in range(5)]
    assert [p.path for p in parts[5:]] == [str(mixed / n) for n in ("e.zip", "g.txt", "b/c.jsonl.gz", "b/d.csv")]
    assert [(p.code, p.where) for p in plan if not isinstance(p, Partition)] == [("hidden", str(mixed / "b/.hidden"))]


def test_a_local_cluster_gives_the_numbers_of_one_process(cluster, mixed: Path) -> None:
    options = ReadOptions(group_by="channel")
    one = count_inputs([str(mixed)], options, [("--text", "and a text")])
    many = count_inputs_on_cluster([str(mixed)], options, cluster[1], [("--text", "and a text")])
    assert many.counts.tokens == one.counts.tokens and many.counts.documents == one.counts.documents == 34
    for encoding in one.counts.encodings:
        assert list(many.counts.per_document[encoding]) == list(one.counts.per_document[encoding])
    assert many.counts.group_names == one.counts.group_names
    assert {g: (c.documents, c.tokens) for g, c in many.counts.groups.items()} == \
        {g: (c.documents, c.tokens) for g, c in one.counts.groups.items()}
    assert [s.as_dict() for s in many.sources] == [s.as_dict() for s in one.sources]
    assert [p.row() for p in many.problems] == [p.row() for p in one.problems]
    assert [p.code for p in one.skipped] == ["not_text", "hidden", "bad_json", "ragged_row"]


def test_the_cli_json_is_identical_on_a_scheduler(cluster, mixed: Path) -> None:
    def run(*extra: str) -> dict:
        out = io.StringIO()
        assert main(["estimate", str(mixed), "--group-by", "channel", "--format", "json",
                     "--as-of", "2025-06-01", *extra], out=out) == 0
        return json.loads(out.getvalue())

    assert run("--engine", "dask", "--scheduler", cluster[0].scheduler_address) == run()


def test_languages_on_the_cluster_are_those_of_one_process(cluster, mixed: Path, monkeypatch) -> None:
    # A small sample threshold, so the systematic sample (by place in the whole corpus) is in play.
    monkeypatch.setattr("ingest.languages.FULL_DOCUMENTS", 4)
    one = count_inputs([str(mixed)], ReadOptions(), languages=True)
    many = count_inputs_on_cluster([str(mixed)], ReadOptions(), cluster[1], languages=True)
    assert any(name.startswith("~") for name in one.counts.label_names)
    assert [one.counts.label_names[i] for i in one.counts.document_labels] == \
        [many.counts.label_names[i] for i in many.counts.document_labels]
    assert {n: (c.documents, c.tokens) for n, c in many.counts.labels.items()} == \
        {n: (c.documents, c.tokens) for n, c in one.counts.labels.items()}


def test_the_cli_by_language_json_is_identical_on_a_scheduler(cluster, mixed: Path) -> None:
    def run(*extra: str) -> dict:
        out = io.StringIO()
        assert main(["estimate", str(mixed), "--by-language", "--format", "json", "--as-of", "2025-06-01",
                     *extra], out=out) == 0
        return json.loads(out.getvalue())

    report = run()
    assert report["languages"] and run("--engine", "dask", "--scheduler", cluster[0].scheduler_address) == report


@pytest.fixture
def big_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A text and a JSON Lines file several times RANGE_BYTES (made small here), with bad lines."""
    monkeypatch.setattr("corpus.cluster.RANGE_BYTES", 20_000)
    folder = tmp_path / "big"
    folder.mkdir()
    texts = MULTILINGUAL[:20]
    (folder / "a.txt").write_text("\n".join(texts * 40) + "   \n\n  spaces  ", encoding="utf-8")
    lines = [json.dumps({"text": t, "channel": str(i % 3)}) for i, t in enumerate(texts * 30)]
    lines[17], lines[350] = "{not json", "[1, 2]"
    (folder / "b.jsonl").write_text("\n".join(lines) + "\n\n\n" + '{"text": "last", "channel": "0"}',
                                    encoding="utf-8")
    (folder / "c.txt").write_bytes((("中文的句子。" * 7 + "\nAnd a line in English.\n") * 800).encode("gb18030"))
    return folder


def test_big_text_and_jsonl_files_are_split_in_byte_ranges(cluster, big_files: Path) -> None:
    plan = [p for p in plan_partitions([str(big_files)]) if isinstance(p, Partition)]
    ranges = {path: [p.byte_range for p in plan if p.path == path] for path in {p.path for p in plan}}
    for path, spans in ranges.items():
        assert len(spans) > 2, path
        assert spans[0][0] == 0 and spans[-1][1] == Path(path).stat().st_size
        assert all(a[1] == b[0] for a, b in zip(spans, spans[1:]))
    options = ReadOptions(group_by="channel")
    one = count_inputs([str(big_files)], options)
    many = count_inputs_on_cluster([str(big_files)], options, cluster[1])
    assert (many.counts.documents, many.counts.tokens) == (one.counts.documents, one.counts.tokens)
    for encoding in one.counts.encodings:
        assert list(many.counts.per_document[encoding]) == list(one.counts.per_document[encoding])
    assert list(many.counts.document_bytes) == list(one.counts.document_bytes)
    assert {g: (c.documents, c.tokens) for g, c in many.counts.groups.items()} == \
        {g: (c.documents, c.tokens) for g, c in one.counts.groups.items()}
    assert [s.as_dict() for s in many.sources] == [s.as_dict() for s in one.sources]
    assert [p.row() for p in many.problems] == [p.row() for p in one.problems]
    assert [(p.code, p.where) for p in one.skipped] == [
        ("bad_json", f"{big_files}/b.jsonl:18"), ("not_object", f"{big_files}/b.jsonl:351")]
