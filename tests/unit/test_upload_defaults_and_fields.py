"""Uploads read as a person expects: fine-tuning defaults offered on the price date, training-file detection, the JSON field named, a Parquet/Arrow row keeping its columns, a text encoding only for text formats."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import cli
from ingest.requests import read_requests
from pricing import load_catalog
from pricing.fine_tuning import FINE_TUNING_MODELS, default_fine_tuning_models, looks_like_training_file

ROOT = Path(__file__).resolve().parents[2]
CATALOG = load_catalog()
TODAY = dt.date(2026, 12, 1)  # after gpt-3.5-turbo's shutdown on 2026-10-23


def test_fine_tuning_defaults_leave_out_a_model_shut_down_by_the_price_date():
    assert FINE_TUNING_MODELS == ("gpt-4o-mini", "gpt-4o", "gpt-3.5-turbo")
    assert default_fine_tuning_models(CATALOG, dt.date(2026, 10, 22)) == ["gpt-4o-mini", "gpt-4o", "gpt-3.5-turbo"]
    assert default_fine_tuning_models(CATALOG, dt.date(2026, 10, 23)) == ["gpt-4o-mini", "gpt-4o"]
    assert default_fine_tuning_models(CATALOG, TODAY) == ["gpt-4o-mini", "gpt-4o"]
    # gpt-4o-mini was first priced on 2024-07-18.
    assert default_fine_tuning_models(CATALOG, dt.date(2024, 6, 1)) == ["gpt-4o", "gpt-3.5-turbo"]


def test_cli_fine_tune_defaults_to_the_models_offered_on_the_date():
    out = io.StringIO()
    path = ROOT / "examples" / "fine_tune_train.jsonl"
    assert cli.main(["fine-tune", str(path), "--as-of", TODAY.isoformat(), "--format", "json"], out=out) == 0
    report = json.loads(out.getvalue())
    assert [m["model"] for m in report["models"]] == ["gpt-4o-mini", "gpt-4o"]
    assert report["not_priced"] == []
    # 995 tokens per epoch x 8 epochs (12 examples: 100 // 12) at $3 per 1M on gpt-4o-mini.
    mini = report["models"][0]
    assert (mini["dataset_tokens"], mini["epochs"]) == (995, 8)
    assert Decimal(mini["training_cost_usd"]) == Decimal(995 * 8 * 3) / 1_000_000


def test_a_file_is_training_data_only_when_every_example_has_an_assistant_reply():
    train = (ROOT / "examples" / "fine_tune_train.jsonl").read_bytes()
    requests = (ROOT / "examples" / "chat_requests.jsonl").read_bytes()
    assert looks_like_training_file(read_requests("train.jsonl", train))
    assert not looks_like_training_file(read_requests("chat_requests.jsonl", requests))
    assert not looks_like_training_file(read_requests("empty.jsonl", b""))


def test_the_json_field_counted_is_named_in_the_cli_source_line_and_json():
    path = ROOT / "examples" / "reviews.jsonl.gz"
    out = io.StringIO()
    assert cli.main(["estimate", str(path), "--as-of", TODAY.isoformat(), "--format", "json"], out=out) == 0
    (source,) = json.loads(out.getvalue())["sources"]
    assert (source["format"], source["compression"], source["json_field"], source["documents"]) == (
        "jsonl", "gzip", "text", 60)
    out = io.StringIO()
    assert cli.main(["estimate", str(path), "--as-of", TODAY.isoformat()], out=out) == 0
    assert f"source {path}: jsonl, gzip, read as utf-8, field 'text', 60 documents" in out.getvalue().splitlines()


def test_objects_counted_on_different_fields_name_each_once(tmp_path):
    from corpus.pipeline import count_inputs
    from ingest import ReadOptions

    path = tmp_path / "mixed.jsonl"
    path.write_text('{"text": "a"}\n{"content": "b"}\n{"text": "c"}\n{"id": 4}\n', encoding="utf-8")
    counted = count_inputs([str(path)], ReadOptions())
    assert counted.sources[0].json_field == "text, content"
    assert [(p.code, p.where) for p in counted.skipped] == [("missing_field", f"{path}:4")]
    listed = tmp_path / "list.json"
    listed.write_text('[{"prompt": "a"}, "b", {"prompt": "c"}]', encoding="utf-8")
    assert count_inputs([str(listed)], ReadOptions()).sources[0].json_field == "prompt"
    plain = tmp_path / "plain.json"
    plain.write_text('["a", "b"]', encoding="utf-8")
    assert count_inputs([str(plain)], ReadOptions()).sources[0].json_field is None


def test_a_parquet_or_arrow_per_row_table_keeps_the_users_columns(tmp_path):
    import csv as csvmod

    import pyarrow as pa
    import pyarrow.parquet as pq

    from ingest import ReadOptions
    from pricing import Assumptions
    from corpus.pipeline import count_source
    from pricing.estimates import row_table
    from tokenizers import get_encoding

    parquet = (ROOT / "examples" / "reviews.parquet").read_bytes()
    table = pq.read_table(io.BytesIO(parquet))
    sink = io.BytesIO()
    with pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table, max_chunksize=25)  # three record batches
    original = list(csvmod.reader(io.StringIO((ROOT / "examples" / "reviews.csv").read_text(encoding="utf-8"))))
    a = Assumptions(output_tokens_per_request=5, requests=1, as_of=dt.date(2026, 11, 1))
    for name, data in (("reviews.parquet", parquet), ("reviews.arrow", sink.getvalue())):
        source = count_source(name, data, ReadOptions(), languages=False)
        header, lines = row_table(source, data, ReadOptions(), ["gpt-4o"], CATALOG, a)
        assert header[:8] == ["id", "created", "url", "review", "channel", "rating", "source", "language"], name
        assert [line[:6] for line in lines] == original[1:], name  # every cell as the CSV has it
        assert [line[6] for line in lines[:2]] == [f"{name}[0]", f"{name}[1]"]
        n = len(get_encoding("o200k_base").encode_ordinary(original[1][3]))
        assert lines[0][8] == n
        assert lines[0][10] == (n * Decimal("2.5") + 5 * Decimal(10)) / Decimal(1_000_000)
    # Counting alone reads the text column only: no cells are carried.
    from ingest import read_bytes

    assert read_bytes("reviews.parquet", parquet, ReadOptions()).documents[0].fields is None


def _workbook() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["id", "review"])
    book.active.append([1, "Sturdy kettle."])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_text_encoding_applies_to_text_formats_only():
    from ingest import has_text_encoding

    parquet = (ROOT / "examples" / "reviews.parquet").read_bytes()
    workbook = _workbook()
    assert not has_text_encoding("reviews.parquet", parquet)
    assert not has_text_encoding("reviews.data", parquet)  # by its PAR1 magic
    assert not has_text_encoding("t.arrow", b"ARROW1\x00\x00")
    assert not has_text_encoding("t.feather", b"")
    assert not has_text_encoding("book.xlsx", workbook)
    assert not has_text_encoding("export.csv", workbook)  # a workbook renamed .csv
    assert not has_text_encoding("files.zip", b"PK\x05\x06" + bytes(18))
    assert has_text_encoding("reviews.csv", (ROOT / "examples" / "reviews.csv").read_bytes())
    assert has_text_encoding("reviews.jsonl.gz", (ROOT / "examples" / "reviews.jsonl.gz").read_bytes())
    assert has_text_encoding("notes.txt", "笔记".encode("gb18030"))
    assert has_text_encoding("empty.txt", b"")
