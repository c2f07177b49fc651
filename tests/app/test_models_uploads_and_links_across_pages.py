"""Models, uploads and links as every page handles them, each pinned by the page's real figures (AppTest): unpriceable models named, uploads read once, the link keeping the text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ingest.requests import read_requests
from pricing import load_catalog
from tokenizers import get_encoding
from ui.formatting import format_money, format_tokens

AS_OF = dt.date(2026, 10, 1)  # before the 2026-10-23 shutdowns (gpt-3.5-turbo, o3-mini, o4-mini ...)
M = Decimal(1_000_000)
REQUESTS_PAGE = "app_pages/requests.py"
# The app's default models today: gpt-3.5-turbo was shut down on 2026-10-23, so its published
# replacement gpt-5.6-terra stands in for it (Catalog.default_models).
TODAYS_DEFAULTS = ("gpt-4o", "gpt-4o-mini", "gpt-5.6-terra")


def n(text: str, encoding: str = "o200k_base") -> int:
    return len(get_encoding(encoding).encode_ordinary(text))


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_request_cards_describe_one_model_per_line_not_a_sum(open_app):
    at = open_app({"date": AS_OF.isoformat(), "out_tokens": "60", "lang": "en"})
    at.switch_page(REQUESTS_PAGE).run()
    at.text_area(key="s_requests_paste").set_value('[{"role":"user","content":"Hello there, how are you?"}]').run()
    assert not at.exception, at.exception
    # Cookbook rules: 3 per message + role + content, 3 to prime the reply; the same on both encodings.
    tokens = 3 + n("user") + n("Hello there, how are you?") + 3
    assert tokens == 3 + n("user", "cl100k_base") + n("Hello there, how are you?", "cl100k_base") + 3 == 14
    # The three default models price it; gpt-4o-mini ($0.15 in, $0.60 out per 1M) is the cheapest.
    catalog = load_catalog()
    assert catalog.price("gpt-4o-mini", AS_OF).input_per_mtok == Decimal("0.15")
    assert catalog.price("gpt-4o-mini", AS_OF).output_per_mtok == Decimal("0.60")
    cost = tokens * Decimal("0.15") / M + 60 * Decimal("0.60") / M
    cards = metrics(at)
    assert cards["Requests"] == "1"
    assert cards["Prompt tokens"] == format_tokens(14)
    assert cards["Total cost"] == format_money(cost)
    assert any("The cards show gpt-4o-mini" in c.value for c in at.caption)


def test_a_model_that_cannot_be_counted_offline_is_not_offered_and_fails_for_the_right_reason(open_app):
    from pricing import Assumptions, Workload
    from ui.catalog import countable_ids
    from pricing.estimates import estimate_each

    catalog = load_catalog()
    assert catalog.price("text-davinci-003", dt.date(2023, 6, 1)).encoding == "p50k_base"
    ids = countable_ids(catalog)
    assert "text-davinci-003" not in ids and {"gpt-4o", "gpt-4o-mini", "gpt-3.5-turbo"} <= set(ids)
    # Priced anyway (a caller passing it), it fails as "not counted", not as "no Batch API price".
    workload = Workload(tokens={"o200k_base": 10, "cl100k_base": 11}, documents=1)
    rows, failures = estimate_each(workload, ["text-davinci-003"], catalog, Assumptions(as_of=dt.date(2023, 6, 1)))
    assert rows == [] and [(f.model, f.code) for f in failures] == [("text-davinci-003", "not_counted")]

    query = {"date": "2023-06-01", "models": "text-davinci-003", "lang": "en"}
    at = open_app(query)
    assert "text-davinci-003" not in at.sidebar.multiselect[0].options
    assert at.sidebar.multiselect[0].value == ["gpt-3.5-turbo"]  # the defaults of 2023-06-01: gpt-4o and gpt-4o-mini were not out yet
    assert [w.value for w in at.warning] == [
        "Some parts of this link could not be used. They were left out; the rest of the link applies:\n\n"
        "- models: there is no model “text-davinci-003” to choose"]
    at.text_area(key="s_estimate_text").set_value("Hello there").run()
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning]
    assert not any("Batch API" in w for w in warnings), warnings
    at = open_app(query)
    at.switch_page(REQUESTS_PAGE).run()
    at.text_area(key="s_requests_paste").set_value('[{"role":"user","content":"Hello there, how are you?"}]').run()
    assert not at.exception, at.exception
    # On that day only gpt-3.5-turbo of the defaults had a price: the page prices the request on it.
    from pricing.requests import price_request_file

    pasted = b'[{"role":"user","content":"Hello there, how are you?"}]'
    a = Assumptions(output_tokens_per_request=500, as_of=dt.date(2023, 6, 1))
    (total,) = price_request_file(read_requests("pasted-request.json", pasted), catalog, None, a,
                                  default_models=("gpt-3.5-turbo",)).totals
    assert metrics(at)["Prompt tokens"] == format_tokens(total.prompt_tokens)
    assert metrics(at)["Total cost"] == format_money(total.total_cost)
    # The defaults follow the price date, so none of them is reported as unpriced there.
    assert not any("choose another price date" in w.value for w in at.warning), [w.value for w in at.warning]


CSV_BYTES = "id,review\n1,Great product! 很好\n2,Bad\n".encode("utf-8")
BIG5_TEXT = "繁體中文測試"  # short enough that detection takes it for GB18030
BIG5_BYTES = BIG5_TEXT.encode("big5")


def test_the_same_table_uploaded_twice_gets_its_own_widgets_on_every_page(open_app):
    twice = [("reviews.csv", CSV_BYTES, "text/csv")] * 2
    at = open_app({"lang": "en"})
    at.file_uploader(key="estimate_files").set_value(twice).run()
    assert not at.exception, at.exception
    # Both copies count the review column (chosen by content); then the second is set to its ids.
    assert [at.selectbox(key=f"column_{i}_reviews.csv").value for i in (0, 1)] == ["review", "review"]
    at.selectbox(key="column_1_reviews.csv").set_value("id").run()
    assert not at.exception, at.exception
    tokens = n("1") + n("2") + n("Great product! 很好") + n("Bad")
    assert metrics(at)["Tokens (o200k_base, exact)"] == format_tokens(tokens)
    labels = [b.label for b in at.download_button]
    assert labels.count("Rows of reviews.csv with counts and costs (CSV)") == 2
    at.switch_page("app_pages/languages.py").run()
    at.file_uploader(key="lang_files").set_value(twice).run()
    assert not at.exception, at.exception
    assert {s.key for s in at.selectbox} >= {"lang_column_0_reviews.csv", "lang_column_1_reviews.csv"}


def test_big5_upload_is_read_right_once_big5_is_chosen(open_app):
    wrong = BIG5_BYTES.decode("gb18030")
    assert wrong != BIG5_TEXT and n(wrong) != n(BIG5_TEXT)
    at = open_app({"lang": "en"})
    at.file_uploader(key="estimate_files").set_value([("notes.txt", BIG5_BYTES, "text/plain")]).run()
    assert at.selectbox(key="encoding_0_notes.txt").value is None  # auto-detection first
    assert "Detected: gb18030" in [c.value for c in at.caption]
    assert metrics(at)["Tokens (o200k_base, exact)"] == format_tokens(n(wrong))
    at.selectbox(key="encoding_0_notes.txt").set_value("big5").run()
    assert not at.exception, at.exception
    assert metrics(at)["Tokens (o200k_base, exact)"] == format_tokens(n(BIG5_TEXT))
    assert metrics(at)["Tokens (cl100k_base, exact)"] == format_tokens(n(BIG5_TEXT, "cl100k_base"))
    assert "Detected: gb18030" not in [c.value for c in at.caption]

    at.switch_page("app_pages/languages.py").run()
    at.file_uploader(key="lang_files").set_value([("notes.txt", BIG5_BYTES, "text/plain")]).run()
    assert at.selectbox(key="lang_encoding_0_notes.txt").options[0] == "auto-detect"
    at.selectbox(key="lang_encoding_0_notes.txt").set_value("big5").run()
    assert not at.exception, at.exception
    row = at.dataframe[1].value.iloc[0]
    assert row["Tokens (o200k_base)"] == n(BIG5_TEXT) and row["Tokens (cl100k_base)"] == n(BIG5_TEXT, "cl100k_base")


def test_uploads_are_hashed_once_per_file_on_every_page(open_app, monkeypatch):
    import ui.uploads

    hashed = []
    real = ui.uploads.content_digest
    monkeypatch.setattr(ui.uploads, "content_digest", lambda data: hashed.append(len(data)) or real(data))
    at = open_app({"lang": "en"})
    at.switch_page("app_pages/languages.py").run()
    at.file_uploader(key="lang_files").set_value([("notes.txt", BIG5_BYTES, "text/plain")]).run()
    at.number_input(key="s_runs").set_value(3).run()
    at.run()
    assert not at.exception, at.exception
    assert hashed == [len(BIG5_BYTES)]


def test_table_preview_is_read_once_per_file_and_options(monkeypatch):
    import ui.uploads
    from ingest import ReadOptions

    calls = []
    real = ui.uploads.table_preview
    monkeypatch.setattr(ui.uploads, "table_preview", lambda *args: calls.append(args[0]) or real(*args))
    data = b"id,text_for_header_cache_test\n1,x\n"
    assert ui.uploads.upload_preview("h.csv", data).header == ["id", "text_for_header_cache_test"]
    assert ui.uploads.upload_preview("h.csv", data).header == ["id", "text_for_header_cache_test"]
    assert calls == ["h.csv"]
    ui.uploads.upload_preview("h.csv", data, ReadOptions(encoding="latin-1"))
    assert calls == ["h.csv", "h.csv"]


def test_the_link_carries_the_current_text_from_every_page(open_app):
    from ui.settings import decode_text

    at = open_app({"lang": "en"})
    at.text_area(key="s_estimate_text").set_value("first text").run()
    at.checkbox(key="s_share_text").check().run()
    assert decode_text(at.query_params["text"]) == "first text"
    at.switch_page("app_pages/languages.py").run()
    at.text_area(key="s_estimate_text").set_value("changed on the Languages page").run()
    assert not at.exception, at.exception
    assert decode_text(at.query_params["text"]) == "changed on the Languages page"
    at.text_area(key="s_estimate_text").set_value("").run()
    assert "text" not in at.query_params
    at.text_area(key="s_estimate_text").set_value("back again").run()
    assert decode_text(at.query_params["text"]) == "back again"
    at.switch_page("app_pages/estimate.py").run()
    at.checkbox(key="s_share_text").uncheck().run()
    assert "text" not in at.query_params
    # Ticked but too long for a link: left out, and the sidebar says so.
    import random

    rng = random.Random(7)
    long_text = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz 价格") for _ in range(6000))
    at.text_area(key="s_estimate_text").set_value(long_text).run()
    at.checkbox(key="s_share_text").check().run()
    assert "text" not in at.query_params
    assert [i.value for i in at.sidebar.info] == ["Your text is too long for a link; the link is shared without it."]


def test_clearing_every_model_restores_the_defaults_visibly(open_app):
    at = open_app({"lang": "en"})
    at.sidebar.multiselect(key="s_models").set_value(["gpt-4.1"]).run()
    at.text_area(key="s_estimate_text").set_value("Hello there").run()
    at.sidebar.multiselect(key="s_models").set_value([]).run()
    assert not at.exception, at.exception
    assert at.sidebar.multiselect(key="s_models").value == list(TODAYS_DEFAULTS)
    assert [i.value for i in at.sidebar.info] == [
        "At least one model is needed: the default models are chosen again."]
    costs = next(tb.value for tb in at.table if tb.value.columns[0] == "Model")
    assert list(costs["Model"]) == list(TODAYS_DEFAULTS)
    at.run()  # the notice is for the rerun that cleared the list only
    assert not at.sidebar.info


def test_a_model_with_an_unconfirmed_tokenizer_is_marked_under_the_cost_table(open_app):
    catalog = load_catalog()
    price = catalog.price("gpt-6-astra", AS_OF)
    assert (price.encoding, price.encoding_evidence) == ("o200k_base", "unverified")
    at = open_app({"lang": "en", "date": AS_OF.isoformat(), "models": "gpt-6-astra,gpt-4o"})
    at.text_area(key="s_estimate_text").set_value("Hello there").run()
    assert not at.exception, at.exception
    note = (f"gpt-6-astra: OpenAI has not confirmed the tokenizer of {price.snapshot}; its tokens are counted "
            "with o200k_base, so its count may differ.")
    captions = [c.value for c in at.caption]
    assert note in captions and not any(c.startswith("gpt-4o:") for c in captions)
    at.sidebar.selectbox(key="s_lang").set_value("zh").run()
    assert (f"gpt-6-astra：OpenAI 尚未确认 {price.snapshot} 的分词器；其 token 按 o200k_base 计数，实际数量可能不同。"
            in [c.value for c in at.caption])
    at.switch_page(REQUESTS_PAGE).run()
    at.text_area(key="s_requests_paste").set_value('[{"role":"user","content":"Hello there"}]').run()
    assert not at.exception, at.exception
    assert (f"gpt-6-astra：OpenAI 尚未确认 {price.snapshot} 的分词器；其 token 按 o200k_base 计数，实际数量可能不同。"
            in [c.value for c in at.caption])


def test_a_counted_upload_is_handed_back_as_is_on_a_rerun():
    from ingest import ReadOptions
    from ui.counts import counted

    data = "lang,text\nen,one counted source kept as is\nzh,价格是多少？\n".encode()
    first = counted("kept.csv", data, ReadOptions(column="text", group_by="lang"))
    again = counted("kept.csv", data, ReadOptions(column="text", group_by="lang"))
    assert again is first  # no copy (unpickling every array) per rerun
    assert list(first.tokens["o200k_base"]) == [n("one counted source kept as is"), n("价格是多少？")]


def test_a_request_naming_a_model_counted_nowhere_offline_is_refused_with_a_reason(open_app):
    at = open_app({"date": "2023-06-01", "lang": "en"})
    at.switch_page(REQUESTS_PAGE).run()
    request = '{"model":"text-davinci-003","messages":[{"role":"user","content":"Hello there, how are you?"}]}'
    at.text_area(key="s_requests_paste").set_value(request).run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [
        "A model named in the file cannot be counted offline (its tokenizer is not one this app has); turn on "
        "re-pricing to price the requests on the chosen models."]
    at.toggle(key="s_req_reprice").set_value(True).run()
    assert not at.exception and not at.error
    assert metrics(at)["Requests"] == "1"
