"""What a new user sees on the Estimate page by default, in both languages: the workload in
words, the tokenizer saving of a Hindi or Chinese paragraph, languages detected in a corpus."""

from __future__ import annotations

import csv
import io
import random
from decimal import Decimal

import pytest

from pricing.languages import load_samples
from tokenizers import get_encoding
from ui.formatting import format_money, format_share, format_tokens

SAMPLES = {s.code: s.text for s in load_samples()}
DAY = {"date": "2025-01-15"}  # gpt-3.5-turbo $0.50/$1.50, gpt-4o-mini $0.15/$0.60 per 1M
M = Decimal(1_000_000)


def count(text: str, encoding: str) -> int:
    return len(get_encoding(encoding).encode_ordinary(text))


def markdown(at) -> list[str]:
    return [m.value for m in at.markdown]


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize(
    ("lang", "code", "fewer", "saved", "language"),
    [
        ("en", "hi", "o200k_base needs {share} fewer tokens than cl100k_base here",
         "gpt-3.5-turbo → gpt-4o-mini: saved", "Detected language: Hindi"),
        ("zh", "zh-Hans", "o200k_base 比 cl100k_base 少用 {share} 的 token",
         "gpt-3.5-turbo → gpt-4o-mini：节省", "识别的语言：中文"),
    ],
)
def test_a_pasted_paragraph_shows_the_fewer_tokens_and_the_money_saved(open_app, lang, code, fewer, saved, language):
    text = SAMPLES[code]
    at = open_app({**DAY, "lang": lang})
    at.text_area(key="s_estimate_text").set_value(text).run()
    assert not at.exception
    old, new = count(text, "cl100k_base"), count(text, "o200k_base")
    share = format_share(Decimal(old - new) / Decimal(old))
    assert f"**{fewer.format(share=share)}**" in markdown(at)
    # Traffic of 1,000 requests a month, a 500-token chat reply each (the defaults for pasted text).
    before = old * 1000 * Decimal("0.5") / M + 500_000 * Decimal("1.5") / M
    after = new * 1000 * Decimal("0.15") / M + 500_000 * Decimal("0.6") / M
    shown = metrics(at)
    assert shown[saved] == format_money(before - after)
    input_side = old * 1000 * Decimal("0.5") / M - new * 1000 * Decimal("0.15") / M
    assert format_money(input_side) in shown.values()
    assert any(c.value == language for c in at.caption)
    requests = "Requests priced" if lang == "en" else "计价请求数"
    assert shown[requests] == "1,000"


def test_the_workload_is_said_in_words_and_follows_the_input(open_app):
    at = open_app({**DAY, "lang": "en"})
    at.text_area(key="s_estimate_text").set_value("Where is my parcel? It was due on Monday.").run()
    assert at.radio(key="question_box").value == "traffic"
    assert at.selectbox(key="task_box").value == "chat"
    assert any(c.value.startswith("Priced: 1,000 requests a month") for c in at.caption)
    at.text_area(key="s_estimate_text").set_value("").run()
    data = "id,review\n1,Great kettle and fast delivery\n2,Broke after a week\n3,Does the job well\n".encode()
    at.file_uploader(key="estimate_files").set_value([("r.csv", data, "text/csv")]).run()
    assert at.radio(key="question_box").value == "corpus"
    assert at.selectbox(key="task_box").value == "classify"
    assert any(c.value.startswith("Priced: 3 requests — each of the 3 documents") for c in at.caption)
    # A choice the person made sticks, and goes into the link.
    at.selectbox(key="task_box").set_value("summarize").run()
    at.text_area(key="s_estimate_text").set_value("x").run()
    assert at.selectbox(key="task_box").value == "summarize" and at.query_params["task"] == "summarize"


def test_a_corpus_without_a_language_column_gets_its_languages(open_app):
    rows = [(i, SAMPLES[code]) for i, code in enumerate(["en", "hi", "zh-Hans", "ja", "de", "hi"])]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "text"])
    writer.writerows(rows)
    for lang, heading, column in (("en", "By language (detected)", "Language"), ("zh", "按语言（自动识别）", "语言")):
        at = open_app({**DAY, "lang": lang})
        at.file_uploader(key="estimate_files").set_value([("mix.csv", out.getvalue().encode(), "text/csv")]).run()
        assert not at.exception
        assert heading in [s.value for s in at.subheader]
        table = next(df.value for df in at.dataframe if df.value.columns[0] == column)
        by_name = table.set_index(column)
        hindi = "Hindi" if lang == "en" else "印地语"
        assert by_name.loc[hindi, table.columns[1]] == "2"
        hi = SAMPLES["hi"]
        assert by_name.loc[hindi, table.columns[2]] == format_tokens(2 * count(hi, "o200k_base"))
        assert len(table) == 5


def test_a_corpus_past_the_full_detection_says_its_languages_come_from_a_sample(open_app):
    from ingest.languages import FULL_DOCUMENTS, is_detected

    rng = random.Random(5)
    codes = [rng.choice(["en", "de", "hi", "zh-Hans"]) for _ in range(600)]
    rows = [(i, SAMPLES[code]) for i, code in enumerate(codes)]
    out = io.StringIO()
    csv.writer(out).writerows([("id", "text"), *rows])
    detected = sum(is_detected(i) for i in range(len(rows)))
    assert FULL_DOCUMENTS < detected < len(rows)
    for lang, said, hindi in (("en", f"Languages were detected on a sample: {detected:,} of 600 documents", "Hindi"),
                              ("zh", f"语言识别基于样本：600 个文档中识别了 {detected:,} 个", "印地语")):
        at = open_app({**DAY, "lang": lang})
        at.file_uploader(key="estimate_files").set_value([("big.csv", out.getvalue().encode(), "text/csv")]).run()
        assert not at.exception
        assert any(c.value.startswith(said) for c in at.caption), [c.value for c in at.caption]
        table = next(df.value for df in at.dataframe if df.value.columns[0] in ("Language", "语言"))
        documents = table.set_index(table.columns[0])[table.columns[1]]
        # The sample's share of Hindi, within the bound of test_language_detection's sampling law.
        assert abs(int(documents[hindi]) - codes.count("hi")) <= 0.05 * 600
        assert sum(int(n.replace(",", "")) for n in documents) == 600


def test_a_translation_is_priced_in_the_target_languages_tokens_and_a_bad_target_is_named(open_app):
    from pricing.languages import translation_ratios

    text = SAMPLES["en"]
    at = open_app({**DAY, "lang": "en", "task": "translate", "to": "hi", "models": "gpt-3.5-turbo"})
    at.text_area(key="s_estimate_text").set_value(text).run()
    ratio = dict(translation_ratios("en", "hi", load_samples()))["cl100k_base"]
    out = 1000 * (Decimal(count(text, "cl100k_base")) * ratio)  # 1,000 requests, each like the text
    row = next(df.value for df in at.table if df.value.columns[0] == "Model").set_index("Model")
    assert row.loc["gpt-3.5-turbo", "Output cost"] == format_money(out * Decimal("1.5") / M)
    assert any("output counted in Hindi tokens" in c.value and f"{ratio:.2f} (cl100k_base)" in c.value for c in at.caption)
    bad = open_app({**DAY, "lang": "en", "task": "translate", "to": "xx"})
    assert any("to" in w.value for w in bad.warning)
    assert bad.selectbox(key="task_box").value == "translate"


def test_equal_counts_and_embeddings_are_said_plainly(open_app):
    at = open_app({**DAY, "lang": "en"})
    at.text_area(key="s_estimate_text").set_value("1234567 7654321").run()
    n = count("1234567 7654321", "o200k_base")
    assert n == count("1234567 7654321", "cl100k_base")
    assert f"**o200k_base and cl100k_base need the same number of tokens here ({n}).**" in markdown(at)
    embed = open_app({"lang": "en", "task": "embed"})
    embed.text_area(key="s_estimate_text").set_value(SAMPLES["en"]).run()
    assert any(c.value.startswith("Embedding models all use cl100k_base") for c in embed.caption)
    assert not any("saved" in label for label in metrics(embed))
    models = next(df.value for df in embed.table if df.value.columns[0] == "Model")["Model"].tolist()
    assert models == ["text-embedding-3-small", "text-embedding-3-large", "text-embedding-ada-002"]


def test_a_big_tables_rows_are_prepared_when_asked_for(open_app):
    rows = "".join(f"{i},Review {i}: fine kettle\n" for i in range(20_001))
    at = open_app({**DAY, "lang": "en"})
    at.file_uploader(key="estimate_files").set_value([("big.csv", ("id,review\n" + rows).encode(), "text/csv")]).run()
    assert not at.exception
    labels = [b.label for b in at.download_button]
    assert "Rows of big.csv with counts and costs (CSV)" not in labels
    prepare = next(b for b in at.button if b.label.startswith("Prepare the rows of big.csv"))
    assert prepare.label == "Prepare the rows of big.csv with counts and costs (20,001 rows, CSV)"
    prepare.click().run()
    assert "Rows of big.csv with counts and costs (CSV)" in [b.label for b in at.download_button]


@pytest.mark.parametrize(("lang", "line"), [
    ("en", "o1-mini was shut down on 2025-10-27: it is not offered on 2026-01-15; choose an earlier price date or a current model."),
    ("zh", "o1-mini 已于 2025-10-27 停用，2026-01-15 不再提供；请选择更早的价格日期或当前模型。"),
])
def test_a_retired_model_is_named_as_retired_and_the_others_still_priced(open_app, lang, line):
    at = open_app({"date": "2026-01-15", "lang": lang, "models": "o1-mini,gpt-4o-mini"})
    at.text_area(key="s_estimate_text").set_value("What does this cost?").run()
    assert line in [w.value for w in at.warning]
    column = "Model" if lang == "en" else "模型"
    assert next(df.value for df in at.table if df.value.columns[0] == column)[column].tolist() == ["gpt-4o-mini"]


@pytest.mark.parametrize(("lang", "retired_line", "mark"), [
    ("en", "gpt-3.5-turbo was shut down on 2026-10-23: it is priced at its last price, so this is what moving "
           "away from it saved.", "gpt-4-turbo: shut down on 2026-10-23, not offered on this price date."),
    ("zh", "gpt-3.5-turbo 已于 2026-10-23 停用：按其停用前的最后价格计算，这里显示的是从它迁移出来所节省的费用。",
     "gpt-4-turbo：已于 2026-10-23 停用，此价格日期不再提供。"),
])
def test_after_gpt_35_turbos_shutdown_the_defaults_and_the_comparison_say_so(open_app, lang, retired_line, mark):
    """On 2026-12-01 a new user gets today's models (gpt-5.6-terra stands in for gpt-3.5-turbo) and
    the Hindi saving against GPT-3.5 Turbo at its last price, named as shut down."""
    at = open_app({"lang": lang, "date": "2026-12-01"})
    text = SAMPLES["hi"]
    at.text_area(key="s_estimate_text").set_value(text).run()
    assert not at.exception, at.exception
    assert at.sidebar.multiselect(key="s_models").value == ["gpt-4o", "gpt-4o-mini", "gpt-5.6-terra"]
    assert not at.warning, [w.value for w in at.warning]
    assert retired_line in [c.value for c in at.caption]
    old, new = count(text, "cl100k_base"), count(text, "o200k_base")
    # 1,000 requests a month with a 500-token reply; gpt-3.5-turbo at its last price $0.50/$1.50,
    # gpt-4o-mini $0.15/$0.60 per 1M.
    saved = (old * 1000 * Decimal("0.5") + 500_000 * Decimal("1.5") - new * 1000 * Decimal("0.15")
             - 500_000 * Decimal("0.6")) / M
    total_label = next(label for label in metrics(at) if "gpt-3.5-turbo" in label)
    assert metrics(at)[total_label] == format_money(saved)
    # A retired model the person picks is marked in the sidebar and listed after today's models.
    options = at.sidebar.multiselect(key="s_models").options
    assert options.index("gpt-4-turbo") > options.index("gpt-5.4")
    at.sidebar.multiselect(key="s_models").set_value(["gpt-4o", "gpt-4-turbo"]).run()
    assert mark in [c.value for c in at.sidebar.caption]


def test_the_picker_offers_every_current_model_before_any_shut_down_one():
    # Typing "llama" listed Groq's shut-down llama-3.1-8b-instant above Bedrock's current Llamas.
    import datetime as dt

    from pricing import load_catalog
    from ui.catalog import offered_first

    catalog, day = load_catalog(), dt.date(2026, 12, 7)
    options = offered_first(catalog, list(catalog.ids()), day)
    shut = [catalog.retired_on(m, day) is not None for m in options]
    assert sorted(options) == sorted(catalog.ids()) and shut.count(True) > 0
    assert shut == sorted(shut)  # every current model, then every retired one
    llamas = [m for m in options if "llama" in m]
    assert catalog.retired_on(llamas[0], day) is None and "llama-3.1-8b-instant" in llamas[-10:]
