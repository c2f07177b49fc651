"""The Languages page in both languages: real token counts, hand-worked money, escaped token view."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pricing.languages import load_samples
from tokenizers import get_encoding

APP = Path(__file__).resolve().parents[2] / "app.py"
SAMPLES = {s.code: s for s in load_samples()}
HOSTILE = "Hi <script>alert('x')</script> & <img src=x onerror=alert(1)> 價格 👩‍👩‍👧 <|endoftext|>"


def open_page(language: str = "en", **query: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["lang"] = language
    at.query_params.update(query)
    at.switch_page("app_pages/languages.py")
    at.run()
    assert not at.exception, at.exception
    return at


def _tiktoken(text: str, encoding: str) -> int:
    return len(get_encoding(encoding).encode_ordinary(text))


def _table(at: AppTest, key: str):
    # Read-only tables carry no element id; the samples' table comes first, the user's second
    # (an upload's preview, its counted column marked "▶ ", is not one of them).
    tables = [df for df in at.dataframe if not any(str(c).startswith("▶ ") for c in df.value.columns)]
    return tables[{"lang_samples_table": 0, "lang_yours_table": 1}[key]].value


def _chart(at: AppTest, key: str) -> dict:
    return json.loads(next(c for c in at.get("plotly_chart") if c.proto.id.endswith("-" + key)).proto.spec)


@pytest.mark.parametrize(
    ("language", "name_column", "cl100k_column", "o200k_column", "name_of"),
    [
        ("en", "Language", "Tokens (cl100k_base)", "Tokens (o200k_base)", lambda s: s.name_en),
        ("zh", "语言", "Token 数（cl100k_base）", "Token 数（o200k_base）", lambda s: s.name_zh),
    ],
)
def test_sample_counts_equal_tiktoken(language, name_column, cl100k_column, o200k_column, name_of):
    at = open_page(language)
    assert at.title[0].value == ("Tokens per language" if language == "en" else "各语言的 token 数")
    table = _table(at, "lang_samples_table").set_index(name_column)
    assert len(table) == len(SAMPLES)
    for sample in SAMPLES.values():
        row = table.loc[name_of(sample)]
        assert row[cl100k_column] == _tiktoken(sample.text, "cl100k_base")
        assert row[o200k_column] == _tiktoken(sample.text, "o200k_base")
    gujarati = table.loc[name_of(SAMPLES["gu"])]
    assert gujarati[cl100k_column] == 677 and gujarati[o200k_column] == 146


# The Estimate page's workload, asked the same way: here the samples are a corpus processed
# 1,000,000 times with no reply, GPT-4 Turbo against GPT-4o.
INPUT_ONLY = {"from": "gpt-4-turbo", "vs": "gpt-4o", "q": "corpus", "runs": "1000000", "task": "custom",
              "out_tokens": "0"}


def test_money_and_waterfall_worked_out_by_hand():
    at = open_page("en", **INPUT_ONLY)
    table = _table(at, "lang_samples_table").set_index("Language")
    english = table.loc["English"]
    # 96 tokens on both encodings x 1,000,000 requests: GPT-4 Turbo $10/1M, GPT-4o $2.50/1M.
    assert english["Cost on gpt-4-turbo"] == "$960.00"
    assert english["Cost on gpt-4o"] == "$240.00"
    assert english["Tokenizer effect"] == "$0.00"
    assert english["Saving %"] == "75.0%"
    chinese = table.loc["Chinese (Simplified)"]  # 152 -> 100 tokens
    assert (chinese["Cost on gpt-4-turbo"], chinese["Tokenizer effect"], chinese["Price effect"]) == (
        "$1,520.00", "-$520.00", "-$750.00")
    assert chinese["Token ratio"] == "1.52×" and chinese["Fewer tokens"] == "34.2%"

    # By default the waterfall adds up every sample: $10 vs $2.50 per 1M tokens, 1,000,000 times.
    old = sum(_tiktoken(x.text, "cl100k_base") for x in SAMPLES.values())
    new = sum(_tiktoken(x.text, "o200k_base") for x in SAMPLES.values())
    (trace,) = _chart(at, "lang_samples_waterfall")["data"]
    assert trace["y"] == [old * 10.0, (new - old) * 10.0, new * -7.5, new * 2.5]
    # The drawn breakdown is named in its box (never Streamlit's "Choose an option").
    box = at.selectbox(key="s_lang_wf_group")
    assert box.format_func(box.value) == "All together"
    # Savings green, increases red, totals grey.
    assert (trace["decreasing"]["marker"]["color"], trace["increasing"]["marker"]["color"],
            trace["totals"]["marker"]["color"]) == ("#1B9E4B", "#D62728", "#5B6770")

    at.selectbox(key="s_lang_wf_group").set_value("zh-Hans").run()
    (trace,) = _chart(at, "lang_samples_waterfall")["data"]
    assert trace["type"] == "waterfall"
    assert trace["measure"] == ["absolute", "relative", "relative", "total"]
    assert trace["y"] == [1520.0, -520.0, -750.0, 250.0]


def test_any_two_models_and_the_workload_change_the_sums():
    at = open_page("en", **INPUT_ONLY)
    at.selectbox(key="s_pair_from").set_value("gpt-3.5-turbo")
    at.selectbox(key="s_pair_to").set_value("gpt-4o-mini").run()
    at.radio(key="s_output_mode").set_value("ratio").run()  # an answer as long as the text
    at.number_input(key="s_output_ratio").set_value(1.0)
    at.number_input(key="s_runs").set_value(1000).run()
    hindi = _table(at, "lang_samples_table").set_index("Language").loc["Hindi"]
    # 418 -> 128 tokens in and as many out, 1,000 times: 0125 $0.50/$1.50, mini $0.15/$0.60 per 1M.
    assert hindi["Cost on gpt-3.5-turbo"] == "$0.8360"  # 418,000 x (0.5 + 1.5) / 1M
    assert hindi["Cost on gpt-4o-mini"] == "$0.0960"  # 128,000 x (0.15 + 0.6) / 1M


def test_pasted_text_is_counted():
    at = open_page("en")
    assert at.info  # nothing pasted yet
    text = "价格是多少？ Hello, world! <|endoftext|>"
    at.text_area(key="s_estimate_text").set_value(text).run()
    row = _table(at, "lang_yours_table").iloc[0]
    assert row["Group"] == "Your text"
    assert row["Tokens (cl100k_base)"] == _tiktoken(text, "cl100k_base")
    assert row["Tokens (o200k_base)"] == _tiktoken(text, "o200k_base")


def test_uploaded_csv_grouped_by_language():
    at = open_page("zh")
    data = "lang,text\nzh,价格是多少？\nen,What does it cost?\nzh,東京の天気\n<b>x</b>,hi\n".encode()
    at.file_uploader(key="lang_files").set_value(("corpus.csv", data, "text/csv")).run()
    at.selectbox(key="lang_column_0_corpus.csv").set_value("text")
    at.selectbox(key="lang_group_0_corpus.csv").set_value("lang").run()
    assert not at.exception
    table = _table(at, "lang_yours_table").set_index("分组")
    assert list(table.index) == ["zh", "en", "<b>x</b>"]
    # Plotly reads some HTML in labels: a user's group name reaches the chart escaped.
    assert _chart(at, "lang_yours_tokens_chart")["data"][0]["x"] == ["zh", "en", "&lt;b&gt;x&lt;/b&gt;"]
    for group, texts in {"zh": ["价格是多少？", "東京の天気"], "en": ["What does it cost?"]}.items():
        assert table.loc[group, "文档数"] == len(texts)
        for enc in ("cl100k_base", "o200k_base"):
            assert table.loc[group, f"Token 数（{enc}）"] == sum(_tiktoken(t, enc) for t in texts)


class _Spans(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: set[str] = set()
        self.text: list[str] = []
        self.ids: list[int] = []
        self._in_sub = False

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self._in_sub = tag == "sub"

    def handle_endtag(self, tag):
        self._in_sub = False if tag == "sub" else self._in_sub

    def handle_data(self, data):
        (self.ids.append(int(data)) if self._in_sub else self.text.append(data))


@pytest.mark.parametrize("language", ["en", "zh"])
def test_token_view_escapes_every_token(language):
    at = open_page(language)
    at.text_area(key="lang_view_text_zh-Hans").set_value(HOSTILE)
    at.toggle(key="s_lang_view_ids").set_value(True).run()
    # Left out: the router's layout style and the sidebar's fixed date-field script.
    bodies = [h.value for h in at.html if not h.value.startswith(("<style>", "<script>"))]
    assert len(bodies) == 2
    for body, encoding in zip(bodies, ("cl100k_base", "o200k_base")):
        assert "<script" not in body and "<img" not in body
        # Every "<", ">" and "&" of the input is escaped (the markup itself uses none in text).
        assert body.count("&lt;") == HOSTILE.count("<")
        assert body.count("&gt;") == HOSTILE.count(">")
        assert body.count("&amp;") == HOSTILE.count("&")
        parsed = _Spans()
        parsed.feed(body)
        parsed.close()
        assert parsed.tags <= {"div", "span", "sub"}
        ids = get_encoding(encoding).encode_ordinary(HOSTILE)
        assert parsed.ids == ids
        whole = [p for p in parsed.text if "\\x" not in p]
        assert "".join(whole).startswith("Hi <script>alert('x')</script> & <img src=x onerror=alert(1)>")
    expected = {
        "en": "{tokens} tokens for {characters} characters",
        "zh": "{characters} 个字符，{tokens} 个 token",
    }[language]
    counts = [c.value for c in at.caption if c.value.endswith(("characters", "个 token"))]
    assert counts == [expected.format(tokens=_tiktoken(HOSTILE, e), characters=len(HOSTILE))
                      for e in ("cl100k_base", "o200k_base")]


def test_token_view_in_chinese_shows_the_sample_tokens():
    at = open_page("zh")
    text = SAMPLES["zh-Hans"].text
    for body, encoding in zip([h.value for h in at.html if not h.value.startswith("<style>")],
                              ("cl100k_base", "o200k_base")):
        parsed = _Spans()
        parsed.feed(body)
        assert parsed.text.count("\n") == 0
        assert len(parsed.text) == _tiktoken(text, encoding)  # one span of text per token, ids hidden
        assert parsed.ids == []
    counts = [c.value for c in at.caption if c.value.endswith(" 个 token")]
    assert counts == [f"{len(text)} 个字符，{_tiktoken(text, e)} 个 token" for e in ("cl100k_base", "o200k_base")]


def test_a_corpus_without_a_group_column_is_compared_by_detected_language():
    at = open_page("en")
    texts = ["The parcel arrived two days late and the box was damaged.",
             "物流很快，包装也很好，下次还会再买。",
             "The colour is lovely but the strap broke within a week."]
    data = ("text\n" + "\n".join(texts) + "\n").encode()
    at.file_uploader(key="lang_files").set_value(("corpus.csv", data, "text/csv")).run()
    assert not at.exception
    table = _table(at, "lang_yours_table").set_index("Language")
    assert list(table.index) == ["English", "Chinese"]
    english = texts[0], texts[2]
    assert table.loc["English", "Tokens (o200k_base)"] == sum(_tiktoken(t, "o200k_base") for t in english)
    assert table.loc["Chinese", "Tokens (cl100k_base)"] == _tiktoken(texts[1], "cl100k_base")


def test_the_tokens_chart_labels_every_language():
    at = open_page("en")
    xaxis = _chart(at, "lang_samples_tokens_chart")["layout"]["xaxis"]
    # Plotly labels every category only when told to (it skips every other one on a phone).
    assert (xaxis["tickmode"], xaxis["dtick"]) == ("linear", 1)
    assert len(_chart(at, "lang_samples_tokens_chart")["data"][0]["x"]) == len(SAMPLES)


def test_a_corpus_without_a_group_column_is_said_to_be_grouped_by_language():
    at = open_page("en")
    data = "id,text\n1,价格是多少？\n2,What does it cost?\n3,Wie viel kostet das?\n".encode()
    at.file_uploader(key="lang_files").set_value(("corpus.csv", data, "text/csv")).run()
    box = at.selectbox(key="lang_group_0_corpus.csv")
    # Never "(no grouping)" while the table below is grouped by the detected language.
    assert box.value is None and box.format_func(box.value) == "(by detected language)"
    assert "No group column chosen: your documents are grouped by their detected language." in [
        c.value for c in at.caption]
    assert list(_table(at, "lang_yours_table")["Language"])  # one row per detected language
