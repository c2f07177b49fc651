"""The processing-tier selector on the Estimate page: labels in both languages, the query
parameter, and a model without the tier's price listed as not priced."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("lang, label, flex, missing", [
    ("en", "Processing tier", "Flex", "gpt-4o-mini has no Flex price; choose another processing tier to include it."),
    ("zh", "处理层级", "Flex（弹性）", "gpt-4o-mini 没有“Flex（弹性）”层级的价格；选择其他处理层级即可显示。"),
])
def test_the_tier_selector_in_both_languages(open_app, lang, label, flex, missing):
    at = open_app({"lang": lang, "tier": "flex", "models": "gpt-5.4,gpt-4o-mini", "date": "2026-11-01"})
    box = at.selectbox(key="s_tier")
    assert box.label == label
    assert box.value == "flex"
    assert flex in box.options
    at.text_area[0].input("hello world").run()
    assert any(missing in w.value for w in at.warning), [w.value for w in at.warning]
    assert at.query_params["tier"] == "flex"
    # The default pair starts from gpt-3.5-turbo, which had no Flex price: the saving panel says so.
    assert any(i.value.endswith(missing.replace("gpt-4o-mini", "gpt-3.5-turbo")) for i in at.info), \
        [i.value for i in at.info]


def test_a_bad_tier_parameter_falls_back_to_standard(open_app):
    at = open_app({"lang": "en", "tier": "fast"})
    assert at.selectbox(key="s_tier").value == "standard"


REQUEST = b'[{"role":"user","content":"Hello there, how are you?"}]'


@pytest.mark.parametrize("lang, missing, file_error", [
    ("en", "gpt-4o-mini has no Flex price; choose another processing tier to include it.",
     "A model named in the file has no price on the Flex tier; choose another tier, or turn on re-pricing to price "
     "the requests on the chosen models."),
    ("zh", "gpt-4o-mini 没有“Flex（弹性）”层级的价格；选择其他处理层级即可显示。",
     "文件中指定的某个模型在“Flex（弹性）”层级没有价格；请选择其他层级，或开启重新定价，用所选模型为这些请求定价。"),
])
def test_the_requests_page_prices_on_the_chosen_tier(open_app, lang, missing, file_error):
    """Flex on the API requests page: gpt-5.4 at its Flex prices ($1.25 in / $7.50 out per 1M, half
    of $2.50 / $15), gpt-4o-mini (no Flex price) named as such, a file naming it refused plainly."""
    import datetime as dt
    from decimal import Decimal

    from ingest.requests import read_requests
    from pricing import Assumptions, load_catalog
    from pricing.requests import price_request_file
    from ui.formatting import format_money

    at = open_app({"lang": lang, "tier": "flex", "models": "gpt-5.4,gpt-4o-mini", "date": "2026-10-01"})
    at.switch_page("app_pages/requests.py").run()
    at.text_area(key="s_requests_paste").set_value(REQUEST.decode()).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="s_tier").value == "flex"  # the same setting as the Estimate page's
    assert any(missing in w.value for w in at.warning), [w.value for w in at.warning]
    a = Assumptions(output_tokens_per_request=500, tier="flex", as_of=dt.date(2026, 10, 1))
    (total,) = price_request_file(read_requests("pasted.json", REQUEST), load_catalog(), None, a,
                                  default_models=["gpt-5.4"]).totals
    by_hand = (total.prompt_tokens * Decimal("1.25") + 500 * Decimal("7.5")) / Decimal(1_000_000)
    assert total.total_cost == by_hand
    assert {m.label: m.value for m in at.metric}[("Total cost" if lang == "en" else "总费用")] == format_money(by_hand)
    # A request naming a model without Flex: the page says so instead of failing.
    at.text_area(key="s_requests_paste").set_value(
        '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}').run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [file_error]


@pytest.mark.parametrize("lang, sentence", [
    ("en", "Prices: Priority."),
    ("zh", "价格：Priority（优先）。"),
])
def test_one_control_for_the_tier_and_the_priced_sentence_names_it(open_app, lang, sentence):
    """No Batch switch beside the tier box (they could disagree); the "Priced:" sentence names a
    tier other than Standard."""
    at = open_app({"lang": lang, "tier": "priority", "models": "gpt-4o-mini", "date": "2026-10-01"})
    at.text_area[0].input("hello world").run()
    assert not at.exception, at.exception
    assert "s_batch" not in [w.key for w in at.toggle]
    assert any(c.value.endswith(sentence) for c in at.caption), [c.value for c in at.caption]
    at.selectbox(key="s_tier").set_value("standard").run()
    assert not any(sentence in c.value for c in at.caption)


@pytest.mark.parametrize("lang, models, date, priority", [
    ("en", "gpt-6-sol,gpt-4o", "2026-12-07", "Priority (named “Fast” for some chosen models)"),
    ("zh", "gpt-6-sol,gpt-4o", "2026-12-07", "Priority（优先）（部分所选模型称为“Fast”）"),
    # GPT-5.6's Fast price starts with OpenAI's 2026-07-30 cut; the day before, the tier is just Priority.
    ("en", "gpt-5.6-terra,gpt-5.4", "2026-07-30", "Priority (named “Fast” for some chosen models)"),
    ("en", "gpt-5.6-terra,gpt-5.4", "2026-07-29", "Priority"),
    ("en", "gpt-5.4,gpt-4o", "2026-12-07", "Priority"),  # neither is in a renamed family
])
def test_the_selector_names_the_tier_as_the_chosen_models_vendor_does(open_app, lang, models, date, priority):
    at = open_app({"lang": lang, "tier": "priority", "models": models, "date": date})
    box = at.selectbox(key="s_tier")
    assert box.value == "priority"
    assert list(box.options)[-1] == priority


@pytest.mark.parametrize("lang, said, wrong", [
    ("en", "Only gpt-5.4 can be priced with these settings (gpt-4o-mini: no price for them, see above)",
     "choose two or more models"),
    ("zh", "在当前设置下只有 gpt-5.4 可以计价（gpt-4o-mini：没有对应价格，见上文）", "请在侧边栏选择两个或更多模型"),
])
def test_one_model_left_by_the_tier_is_not_told_to_choose_more_models(open_app, lang, said, wrong):
    # Two models chosen, one without a Flex price: the reason there is no saving is the tier, and
    # the page used to advise choosing "two or more models" (which the user had done).
    at = open_app({"lang": lang, "tier": "flex", "models": "gpt-5.4,gpt-4o-mini", "date": "2026-11-01"})
    at.text_area[0].input("hello world").run()
    captions = [c.value for c in at.caption]
    assert any(said in c for c in captions), captions
    assert not any(wrong in c for c in captions)
