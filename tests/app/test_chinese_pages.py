"""Every page in Chinese, as a reader sees it: no cell reads "None" or "nan", and no English
word is left outside an allow list (model ids, encodings, units, API field names, and the
catalog's quoted English sources, which are data)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pricing import load_catalog

ROOT = Path(__file__).resolve().parents[2]
CATALOG = load_catalog()
#: English a Chinese reader meets on purpose: product and API names, units, file formats,
#: fields of OpenAI's request format, the tokenizer names' parts.
ALLOWED = {
    "API", "Batch", "Chat", "ChatGPT", "CNY", "CSV", "csv", "GPT", "ID", "JSON", "JSONL", "json", "jsonl", "md",
    "messages", "mini", "nano", "OpenAI", "Token", "token", "TSV", "tsv", "txt", "Turbo", "USD", "tokens", "Flex",
    "Priority", "Standard", "max_tokens", "custom_id", "xNN", "N", "data", "catalog", "openai", "lang", "zh",
    # Vendors' and hosts' names (brands, written the same in Chinese).
    "Anthropic", "Google", "Gemini", "DeepSeek", "xAI", "Mistral", "Alibaba", "Qwen", "Meta", "Llama", "Groq",
    "Amazon", "Bedrock", "grok", "ministral",
    # Model families as the catalog's family column spells them, and OpenAI's name for its Priority tier.
    "claude", "codestral", "deepseek", "gemini", "mistral", "pixtral", "voxtral", "Fast",
}
#: Table columns that hold quoted sources, notes and links (data in the language it was written in).
DATA_COLUMNS = {"来源", "备注", "模型页面"}
#: Words in a text that are identifiers: model ids, encodings, file names, dates, numbers.
IDENTIFIER = re.compile(r"[\w.\-/:@?=&]*[\d_\-./][\w.\-/:@?=&]*")
WORD = re.compile(r"[A-Za-z]+")
NULL_TEXT = {"None", "nan", "NaN", "<NA>", "NaT"}


def shown_table(element) -> tuple[list[str], list[str]]:
    """(headers, cells) of a dataframe/table element as shown: headers and choice labels from
    its column config; a missing value is the element's placeholder when it has one, else what
    Streamlit prints ("None"); ticks (bools) are not words. Data columns are left out."""
    frame: pd.DataFrame = element.value
    proto = element.proto
    fields = proto.DESCRIPTOR.fields_by_name
    placeholder = proto.placeholder if "placeholder" in fields and proto.HasField("placeholder") else "None"
    config = json.loads(proto.columns) if "columns" in fields and proto.columns else {}
    headers, cells = [], []
    for column in frame.columns:
        column_config = config.get(str(column), {})
        header = column_config.get("label") or str(column)
        if header in DATA_COLUMNS:
            continue
        headers.append(header)
        labels = {o["value"]: o["label"] for o in column_config.get("type_config", {}).get("options", [])
                  if isinstance(o, dict)}
        for value in frame[column]:
            if isinstance(value, bool):
                continue
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                cells.append(placeholder)
            else:
                cells.append(labels.get(value, str(value)))
    return headers, cells


def read_texts(at: AppTest) -> list[tuple[str, str]]:
    """(where, text) for everything the page shows in words."""
    found: list[tuple[str, str]] = []
    for kind in ("title", "header", "subheader", "caption", "markdown", "info", "warning", "error", "success", "text"):
        found += [(kind, str(el.value)) for el in getattr(at, kind)]
    for metric in at.metric:
        found += [("metric", metric.label), ("metric", str(metric.value))]
    for kind in ("button", "text_area", "number_input", "selectbox", "multiselect", "radio", "toggle", "checkbox",
                 "date_input"):
        found += [(kind, str(w.label)) for w in getattr(at, kind)]
    for kind in ("selectbox", "radio"):
        found += [(kind, str(w.format_func(w.value))) for w in getattr(at, kind) if w.value is not None]
    # An empty placeholder is Streamlit's own, in English ("Choose options").
    found += [("placeholder", w.proto.placeholder or "Choose options") for w in at.multiselect]
    found += [("expander", e.label) for e in at.expander] + [("tab", tab.label) for tab in at.tabs]
    for element in [*at.dataframe, *at.table]:
        headers, cells = shown_table(element)
        found += [("column", h) for h in headers] + [("cell", c) for c in cells]
    for chart in at.get("plotly_chart"):
        layout = json.loads(chart.proto.spec)["layout"]
        found.append(("chart", str(layout.get("title", {}).get("text", ""))))
        found += [("chart", str(layout.get(ax, {}).get("title", {}).get("text", ""))) for ax in ("xaxis", "yaxis")]
    return found


def english_words(text: str) -> list[str]:
    return [w for w in WORD.findall(IDENTIFIER.sub(" ", text)) if w not in ALLOWED]


def open_zh(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["lang"] = "zh"
    at.switch_page(f"app_pages/{page}.py")
    at.run()
    assert not at.exception, at.exception
    return at


def _estimate() -> AppTest:
    at = open_zh("estimate")
    at.text_area(key="s_estimate_text").set_value("你好，世界。这段话每月要花多少钱？").run()
    return at


def _requests() -> AppTest:
    at = open_zh("requests")
    data = (ROOT / "examples" / "chat_requests.jsonl").read_bytes()
    at.file_uploader(key="requests_file").set_value(("chat.jsonl", data, "application/json")).run()
    return at


PAGES = {"estimate": _estimate, "languages": lambda: open_zh("languages"), "prices": lambda: open_zh("prices"),
         "requests": _requests}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_chinese_page_has_no_none_cells_and_no_english_leftovers(page):
    at = PAGES[page]()
    assert not at.exception, at.exception
    texts = read_texts(at)
    assert [t for kind, t in texts if kind == "cell" and t in NULL_TEXT] == []
    leftovers = sorted({(kind, text) for kind, text in texts if english_words(text)})
    assert leftovers == []


def test_the_scanner_finds_english_and_none_cells():
    assert english_words("gpt-4o-mini 每月 cl100k_base $0.15 (2024-05-13)") == []
    assert english_words("第 2 行 verified") == ["verified"]
    assert english_words("Saving with gpt-4o") == ["Saving", "with"]

    from streamlit.proto.Dataframe_pb2 import Dataframe

    class Element:
        value = pd.DataFrame({"a": [None, 1.0], "来源": [None, "x"], "ok": [True, False], "e": ["verified", None]})
        proto = Dataframe(columns=json.dumps({"e": {"label": "可信度", "type_config": {
            "type": "selectbox", "options": [{"value": "verified", "label": "已核实"}]}}}))

    assert shown_table(Element()) == (["a", "ok", "可信度"], ["None", "1.0", "已核实", "None"])
    Element.proto.placeholder = "–"
    assert shown_table(Element())[1] == ["–", "1.0", "已核实", "–"]


def _estimate_with_a_table() -> AppTest:
    at = open_zh("estimate")
    data = (ROOT / "examples" / "reviews.csv").read_bytes()
    at.file_uploader(key="estimate_files").set_value([("reviews.csv", data, "text/csv")]).run()
    return at


@pytest.mark.parametrize(("page", "labels"), [
    ("estimate", {"对比的模型", "reviews.csv 中一并计价的其他文本列"}),
    ("prices", {"对比的模型", "厂商", "模型"}),
    ("languages", {"对比的模型", "您的语言", "要显示的分词器"}),
])
def test_every_multiselect_of_a_chinese_page_has_a_chinese_placeholder(page, labels):
    at = _estimate_with_a_table() if page == "estimate" else open_zh(page)
    assert not at.exception, at.exception
    shown = {w.label: w.proto.placeholder for w in at.multiselect}
    assert set(shown) == labels
    # Each placeholder is set (else Streamlit shows its English "Choose options") and Chinese.
    assert [label for label, p in shown.items() if not re.search(r"[\u4e00-\u9fff]", p) or english_words(p)] == []
    assert shown.get("reviews.csv 中一并计价的其他文本列", "请选择（可多选）") == "请选择（可多选）"
