"""What `cli.py estimate` answers by default: the text column chosen by content, the question
and task said, the sources as read, groups and languages in every format, formula-safe CSV."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal as D
from pathlib import Path

import pytest

from cli import main
from ingest import ReadOptions
from corpus.pipeline import count_inputs
from tokenizers import get_encoding

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLES = ROOT / "examples"
PARAGRAPHS = ROOT / "tests" / "fixtures" / "languages" / "paragraphs.jsonl"
DAY = "2025-01-15"  # gpt-4o-mini $0.15/$0.60, gpt-3.5-turbo $0.50/$1.50 per 1M
M = D(1_000_000)


def count(text: str, encoding: str = "o200k_base") -> int:
    return len(get_encoding(encoding).encode_ordinary(text))


def run(*args: str) -> str:
    out = io.StringIO()
    assert main(list(args), out=out) == 0
    return out.getvalue()


REVIEWS = [
    "Arrived quickly and the battery lasts two full days.",
    "质量很好，物流也快，会再买。",
    "बहुत अच्छा उत्पाद है, मैं इसे फिर से खरीदूंगा।",
    "La pantalla se rompió al segundo día.",
]


@pytest.fixture
def id_first_csv(tmp_path):
    path = tmp_path / "orders.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["order_id", "created", "url", "comment", "stars"])
        for i, text in enumerate(REVIEWS):
            writer.writerow([f"{90000 + i}", f"2025-03-0{i + 1}", f"https://shop.example.com/o/{90000 + i}", text, i + 1])
    return path


def test_an_id_date_and_url_first_csv_is_counted_on_its_text_column(id_first_csv):
    report = json.loads(run("estimate", str(id_first_csv), "--as-of", DAY, "--format", "json"))
    assert report["tokens"]["o200k_base"] == sum(count(t) for t in REVIEWS)
    assert report["tokens"]["cl100k_base"] == sum(count(t, "cl100k_base") for t in REVIEWS)
    assert report["sources"] == [{"path": str(id_first_csv), "format": "csv", "compression": None, "encoding": "utf-8", "column": "comment",
                                  "json_field": None, "column_chosen_by_content": True, "documents": 4,
                                  "encoding_single_byte_guess": False}]
    table = run("estimate", str(id_first_csv), "--as-of", DAY)
    assert f"source {id_first_csv}: csv, read as utf-8, column 'comment' (chosen by content), 4 documents" in table


def test_a_given_column_is_said_as_given(id_first_csv):
    report = json.loads(run("estimate", str(id_first_csv), "--column", "url", "--format", "json"))
    assert report["sources"][0]["column"] == "url" and not report["sources"][0]["column_chosen_by_content"]


def test_the_gbk_excel_export_is_read_and_counted_on_its_chinese_text():
    path = EXAMPLES / "excel_export_gbk.csv"
    report = json.loads(run("estimate", str(path), "--format", "json"))
    (source,) = report["sources"]
    assert (source["encoding"], source["column"], source["documents"]) == ("gb18030", "评论", 20)
    texts = list(csv.DictReader(io.StringIO(path.read_bytes().decode("gb18030"))))
    assert report["tokens"]["o200k_base"] == sum(count(row["评论"]) for row in texts)


def test_a_file_is_a_corpus_processed_once_and_a_text_is_monthly_traffic(id_first_csv):
    corpus = json.loads(run("estimate", str(id_first_csv), "--as-of", DAY, "--models", "gpt-4o-mini",
                            "--format", "json"))
    assert corpus["workload"] == {"question": "corpus", "task": "classify", "times": 1, "tier": "standard",
                                  "output_tokens_per_request": 5, "output_ratio": None}
    assert corpus["requests"] == 4 and corpus["models"][0]["output_tokens"] == 20
    text = "Summarise this support ticket in one line."
    traffic = json.loads(run("estimate", "--text", text, "--as-of", DAY, "--models", "gpt-4o-mini",
                             "--format", "json"))
    assert traffic["workload"]["question"] == "traffic" and traffic["workload"]["task"] == "chat"
    assert traffic["requests"] == 1000
    (row,) = traffic["models"]
    assert (row["input_tokens"], row["output_tokens"]) == (1000 * count(text), 500_000)
    assert D(row["total_cost_usd"]) == 1000 * count(text) * D("0.15") / M + 500_000 * D("0.6") / M
    assert D(row["cost_per_request_usd"]) == D(row["total_cost_usd"]) / 1000
    per_month = json.loads(run("estimate", str(id_first_csv), "--per-month", "10", "--format", "json"))
    assert per_month["requests"] == 10 and per_month["workload"]["task"] == "chat"


def test_embed_prices_the_embedding_models_on_input_alone(id_first_csv):
    report = json.loads(run("estimate", str(id_first_csv), "--task", "embed", "--format", "json"))
    assert [m["model"] for m in report["models"]] == ["text-embedding-3-small", "text-embedding-3-large",
                                                      "text-embedding-ada-002"]
    small = report["models"][0]
    assert small["output_tokens"] == 0
    assert D(small["total_cost_usd"]) == sum(count(t, "cl100k_base") for t in REVIEWS) * D("0.02") / M


def test_conflicting_workload_flags_are_refused(id_first_csv, capsys):
    assert main(["estimate", str(id_first_csv), "--runs", "2", "--per-month", "5"]) == 2
    assert "give either --runs" in capsys.readouterr().err
    assert main(["estimate", str(id_first_csv), "--task", "classify", "--output-tokens", "5"]) == 2
    assert "--task classify sets the output itself" in capsys.readouterr().err
    assert main(["estimate", str(id_first_csv), "--task", "translate", "--translate-to", "xx"]) == 2
    assert "no sample text for xx" in capsys.readouterr().err


def test_groups_are_printed_in_table_and_csv_with_the_tokenizer_saving():
    path = EXAMPLES / "reviews.csv"
    table = run("estimate", str(path), "--group-by", "channel", "--as-of", DAY)
    assert "o200k_base needs" in table and "gpt-3.5-turbo -> gpt-4o-mini: saves" in table
    header = next(line for line in table.splitlines() if line.startswith("group "))
    assert header.split()[:5] == ["group", "documents", "tokens_o200k_base", "tokens_cl100k_base", "fewer_tokens_share"]
    text = run("estimate", str(path), "--group-by", "channel", "--as-of", DAY, "--format", "csv")
    models, groups = text.strip().split("\n\n")
    rows = list(csv.DictReader(io.StringIO(groups)))
    report = json.loads(run("estimate", str(path), "--group-by", "channel", "--as-of", DAY, "--format", "json"))
    assert {r["group"]: int(r["documents"]) for r in rows} == {g: v["documents"] for g, v in report["groups"].items()}
    assert sum(int(r["tokens_o200k_base"]) for r in rows) == report["tokens"]["o200k_base"]
    for r in rows:
        g = report["groups"][r["group"]]
        assert D(r["input_saving_usd"]) == D(g["input_saving_usd"])
    assert [r["model"] for r in csv.DictReader(io.StringIO(models))] == ["gpt-4o", "gpt-4o-mini", "gpt-3.5-turbo"]


def test_cli_csv_neutralises_formula_cells(tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text("note,channel\nhello there friend,=HYPERLINK(\"http://evil\")\nsecond row of text, @SUM(1+1)\n",
                    encoding="utf-8")
    text = run("estimate", str(path), "--column", "note", "--group-by", "channel", "--format", "csv")
    groups = list(csv.DictReader(io.StringIO(text.strip().split("\n\n")[1])))
    assert [g["group"] for g in groups] == ["'=HYPERLINK(\"http://evil\")", "' @SUM(1+1)"]


def test_by_language_names_at_least_95_percent_of_paragraphs_right_in_ten_plus_languages(tmp_path):
    rows = [json.loads(line) for line in PARAGRAPHS.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len({r["lang"] for r in rows}) >= 10
    counted = count_inputs([str(PARAGRAPHS)], ReadOptions(), languages=True)
    names = counted.counts.label_names
    found = [names[i] for i in counted.counts.document_labels]
    right = sum(f == r["lang"] for f, r in zip(found, rows))
    assert right / len(rows) >= 0.95, [(r["lang"], f) for f, r in zip(found, rows) if f != r["lang"]]
    report = json.loads(run("estimate", str(PARAGRAPHS), "--by-language", "--format", "json"))
    truth = {}
    for r in rows:
        truth[r["lang"]] = truth.get(r["lang"], 0) + 1
    assert sum(v["documents"] for v in report["languages"].values()) == len(rows) == report["languages_detected"]
    assert sum(min(v["documents"], truth.get(code, 0)) for code, v in report["languages"].items()) >= 0.95 * len(rows)
    table = run("estimate", str(PARAGRAPHS), "--by-language")
    assert any(line.startswith("language ") for line in table.splitlines())
    assert any(line.startswith("hi ") for line in table.splitlines())
    assert "detected on a sample" not in table  # 152 documents: every one detected


def test_by_language_on_a_big_corpus_says_its_languages_come_from_a_sample(tmp_path):
    from ingest.languages import is_detected

    rows = [json.loads(line) for line in PARAGRAPHS.read_text(encoding="utf-8").splitlines() if line.strip()]
    corpus = tmp_path / "big.jsonl"
    corpus.write_text("".join(json.dumps({"text": rows[i % len(rows)]["text"]}) + "\n" for i in range(600)), encoding="utf-8")
    detected = sum(is_detected(i) for i in range(600))
    report = json.loads(run("estimate", str(corpus), "--by-language", "--format", "json"))
    assert report["languages_detected"] == detected < 600 == report["documents"]
    assert sum(v["documents"] for v in report["languages"].values()) == 600
    table = run("estimate", str(corpus), "--by-language")
    assert (f"languages: detected on a sample of {detected} of 600 documents (all of the first 256, then about 128 "
            "more each time the corpus doubles); the others are shared out by the languages of the sample") in table


def test_embed_has_no_model_pair_to_compare(id_first_csv):
    report = json.loads(run("estimate", str(id_first_csv), "--task", "embed", "--group-by", "stars", "--format", "json"))
    assert report["tokenizer_saving"]["pair"] is None
    assert set(report["groups"]["1"]) == {"documents", "tokens"}
