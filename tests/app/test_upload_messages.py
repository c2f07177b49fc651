"""What the upload paths say, in both languages (AppTest): request files, fine-tuning, skipped uploads, JSON fields, binary formats."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUESTS_PAGE = "app_pages/requests.py"
CHAT_REQUESTS = (ROOT / "examples" / "chat_requests.jsonl").read_bytes()
TRAIN = (ROOT / "examples" / "fine_tune_train.jsonl").read_bytes()
TODAY = "2026-12-01"  # gpt-3.5-turbo was shut down on 2026-10-23


@pytest.fixture
def requests_upload(open_app):
    def run(lang: str, name: str, data: bytes, mime: str = "application/jsonl"):
        at = open_app({"date": TODAY, "lang": lang})
        at.switch_page(REQUESTS_PAGE).run()
        at.file_uploader(key="requests_file").set_value([(name, data, mime)]).run()
        assert not at.exception, at.exception
        return at

    return run


def fine_tuning_expander(at, title: str):
    return next(e for e in at.expander if e.label == title)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_request_file_does_not_open_on_fine_tuning_warnings(requests_upload, lang):
    at = requests_upload(lang, "chat_requests.jsonl", CHAT_REQUESTS)
    title = {"en": "Fine-tuning: this file as a training file", "zh": "微调：把此文件作为训练文件"}[lang]
    section = fine_tuning_expander(at, title)
    assert section.proto.expanded is False  # folded away: 4 of its 5 examples have no assistant reply
    # gpt-3.5-turbo is not offered on the price date, so it is no default base model to warn about.
    assert not any("gpt-3.5-turbo" in w.value for w in at.warning)
    # The "no assistant reply" warning stays inside the folded section, and its table prices the
    # offered defaults only.
    no_reply = [w.value for w in section.warning]
    assert no_reply == [{
        "en": "4 examples have no assistant reply and are not billed as training (OpenAI rejects them): "
              "lines 1, 2, 3, 5.",
        "zh": "有 4 个样本没有助手回复，不计入训练费用（OpenAI 会拒绝这类样本）：第 1, 2, 3, 5 行。",
    }[lang]]
    column, model = {"en": ("Training cost", "Model"), "zh": ("训练费用", "模型")}[lang]
    training = next(tb.value for tb in section.table if column in tb.value.columns)
    assert list(training[model]) == ["gpt-4o-mini", "gpt-4o"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_training_file_opens_the_fine_tuning_section_on_the_offered_models(requests_upload, lang):
    at = requests_upload(lang, "train.jsonl", TRAIN)
    title = {"en": "Fine-tuning: this file as a training file", "zh": "微调：把此文件作为训练文件"}[lang]
    assert fine_tuning_expander(at, title).proto.expanded is True
    column, model = {"en": ("Training cost", "Model"), "zh": ("训练费用", "模型")}[lang]
    training = next(tb.value for tb in at.table if column in tb.value.columns)
    assert list(training[model]) == ["gpt-4o-mini", "gpt-4o"]
    assert not at.warning


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_csv_upload_gets_the_pages_own_message(requests_upload, lang):
    at = requests_upload(lang, "reviews.csv", (ROOT / "examples" / "reviews.csv").read_bytes(), "text/csv")
    expected = {
        "en": "reviews.csv is not an API request file: expected chat requests (JSON objects with \"messages\"), "
              "Batch API lines or a messages array. For plain text, CSV or other files use the Estimate page.",
        "zh": "reviews.csv 不是 API 请求文件：需要 Chat 请求（带 \"messages\" 的 JSON 对象）、Batch API 行或 messages "
              "数组。纯文本、CSV 等文件请使用“费用估算”页面。",
    }[lang]
    assert [e.value for e in at.error] == [expected]


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "empty.jsonl is empty: there is no request in it to price."),
    ("zh", "empty.jsonl 是空文件，其中没有可计价的请求。"),
])
def test_an_empty_request_file_is_called_empty(requests_upload, lang, expected):
    at = requests_upload(lang, "empty.jsonl", b"\n \n")
    assert [e.value for e in at.error] == [expected]


ESTIMATE_PAGE = "app_pages/estimate.py"


@pytest.fixture
def estimate_upload(open_app):
    def run(lang: str, name: str, data: bytes, mime: str = "text/plain"):
        at = open_app({"lang": lang})
        at.switch_page(ESTIMATE_PAGE).run()
        at.file_uploader(key="estimate_files").set_value([(name, data, mime)]).run()
        assert not at.exception, at.exception
        return at

    return run


@pytest.mark.parametrize(("lang", "skipped", "reason", "nothing"), [
    ("en", "1 file(s) or row(s) were skipped:", "this is not a text file (binary data)",
     "Nothing could be read from the upload: see why in the table above."),
    ("zh", "跳过了 1 个文件或行：", "这不是文本文件（二进制数据）", "未能从上传的文件中读取任何内容：原因见上表。"),
])
def test_an_upload_that_is_all_skipped_says_nothing_could_be_read(estimate_upload, lang, skipped, reason, nothing):
    at = estimate_upload(lang, "notes.txt", b"abc\x00\x01\x02def" * 10)
    assert [w.value for w in at.warning] == [skipped]
    table = next(df.value for df in at.dataframe if len(df.value.columns) == 2)
    assert table.values.tolist() == [["notes.txt", reason]]
    assert [i.value for i in at.info] == [nothing]  # not "Paste a text or upload a file to see its cost."


def test_every_kind_the_core_names_is_translated():
    from ingest.jsondocs import _JSON_KINDS
    from ingest.sniff import _MAGIC
    from ingest import Problem
    from ui.i18n import problem_text, translate

    kinds = {kind for _, kind in _MAGIC} | set(_JSON_KINDS.values()) | {
        "binary data", "MP4 media", "WebP image", "WAV audio", "AVI video", "value"}
    zh_kinds = {kind: translate("problem_kind_" + re.sub(r"[^a-z0-9]+", "_", kind.lower()).strip("_"), "zh")
                for kind in kinds}
    assert not [kind for kind, zh in zh_kinds.items() if zh.startswith("problem_kind_")]  # every one has a key
    for kind, zh in zh_kinds.items():
        assert problem_text(Problem("not_text", "f", {"kind": kind}), "zh") == f"这不是文本文件（{zh}）"
        assert problem_text(Problem("not_text", "f", {"kind": kind}), "en") == f"this is not a text file ({kind})"
    assert problem_text(Problem("not_text", "f", {"kind": "PNG image"}), "zh") == "这不是文本文件（PNG 图片）"
    assert problem_text(Problem("json_not_list", "f", {"kind": "object"}), "zh") == (
        "该 JSON 包含的是对象，而不是文本或对象的列表")
    # A kind without a translation stays as the core wrote it.
    assert problem_text(Problem("not_text", "f", {"kind": "brand-new format"}), "zh") == "这不是文本文件（brand-new format）"


@pytest.mark.parametrize(("lang", "caption"), [
    ("en", "Counting JSON field “text”"), ("zh", "统计 JSON 字段“text”"),
])
def test_the_estimate_page_names_the_json_field_it_counts(estimate_upload, lang, caption):
    at = estimate_upload(lang, "reviews.jsonl.gz", (ROOT / "examples" / "reviews.jsonl.gz").read_bytes(),
                         "application/gzip")
    assert caption in [c.value for c in at.caption]
    assert not at.warning


def _workbook() -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["id", "review"])
    book.active.append([1, "Sturdy kettle, boils a full litre in about four minutes."])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_binary_formats_get_no_text_encoding_box(open_app, lang):
    at = open_app({"lang": lang})
    at.switch_page(ESTIMATE_PAGE).run()
    at.file_uploader(key="estimate_files").set_value([
        ("reviews.parquet", (ROOT / "examples" / "reviews.parquet").read_bytes(), "application/octet-stream"),
        ("export.csv", _workbook(), "text/csv"),  # a workbook renamed .csv
        ("reviews.csv", (ROOT / "examples" / "reviews.csv").read_bytes(), "text/csv"),
    ]).run()
    assert not at.exception, at.exception
    encoding_boxes = [box.key for box in at.selectbox if box.key and box.key.startswith("encoding_")]
    assert encoding_boxes == ["encoding_2_reviews.csv"]
    label = {"en": "Text encoding of reviews.csv", "zh": "reviews.csv 的文本编码"}[lang]
    assert [box.label for box in at.selectbox if box.key == "encoding_2_reviews.csv"] == [label]
    assert not at.warning  # all three are read


BROKEN_QUOTE = b'id,text\n1,"hello world\n2,this is fine\n3,"another "bad" quote\n'


@pytest.mark.parametrize(("lang", "note"), [
    ("en", "broken.csv:2: line 2: a quoted field runs to line 4 and text follows its closing quote: "
           "rows may have been merged; check the quotes"),
    ("zh", "broken.csv:2: 第 2 行：一个带引号的字段一直延续到第 4 行，且闭合引号后还有文字：可能有几行被合并成了一行，请检查引号"),
])
def test_a_quote_that_merged_rows_is_noted_with_its_lines(estimate_upload, lang, note):
    at = estimate_upload(lang, "broken.csv", BROKEN_QUOTE, "text/csv")
    assert note in [x.value for x in at.text]
    assert not at.warning  # counted as read: nothing skipped
    assert at.metric[0].value == "1"  # one document, as the lenient reader read it


def test_a_quoted_newline_gets_no_merge_note(estimate_upload):
    at = estimate_upload("en", "fine.csv", b'id,text\n1,"hello\nworld"\n2,fine\n', "text/csv")
    assert not [x.value for x in at.text if "rows may have been merged" in x.value]


REQUEST_HINT = {
    "en": "{file} looks like an API request file (chat, Batch API or fine-tuning requests). This page counts "
          "plain text, so its lines are not read as requests: price it on the API requests page, which counts "
          "each request as the API does.",
    "zh": "{file} 看起来是 API 请求文件（Chat、Batch API 或微调请求）。本页统计的是纯文本，不会把其中各行当作请求读取："
          "请在“API 请求文件”页面计价，那里按 API 的方式计算每个请求。",
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", ["chat_requests.jsonl", "batch_requests.jsonl", "fine_tune_train.jsonl"])
def test_a_request_file_on_the_estimate_page_is_sent_to_the_requests_page(estimate_upload, lang, name):
    at = estimate_upload(lang, name, (ROOT / "examples" / name).read_bytes(), "application/jsonl")
    assert REQUEST_HINT[lang].format(file=name) in [i.value for i in at.info]
    links = [e.proto for e in at.get("page_link")]
    label = {"en": "Price it on the API requests page", "zh": "到“API 请求文件”页面计价"}[lang]
    assert [(link.label, link.page.endswith("requests")) for link in links] == [(label, True)]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_ordinary_jsonl_corpus_gets_no_request_hint(estimate_upload, lang):
    corpus = b'{"text": "Great product"}\n{"text": "Too slow"}\n'
    at = estimate_upload(lang, "reviews.jsonl", corpus, "application/jsonl")
    assert not [i.value for i in at.info if REQUEST_HINT[lang][10:30] in i.value]
    assert not at.get("page_link")
    assert at.metric[0].value == "2"
