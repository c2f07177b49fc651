"""The language comparison: sample texts, counts per group, savings worked out by hand."""

import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pricing import Assumptions, NotPricedError, Workload, load_catalog
from pricing.languages import DEFAULT_PAIRS, GroupCount, compare_groups, count_groups, from_workload, load_samples, total
from tokenizers import get_encoding

CATALOG = load_catalog()
AS_OF = dt.date(2026, 10, 1)  # before the 2026-10-23 shutdowns (gpt-3.5-turbo, o3-mini, o4-mini ...)
SAMPLES = {s.code: s for s in load_samples()}


def _tiktoken(text, encoding):
    return len(get_encoding(encoding).encode_ordinary(text))


def test_samples_cover_the_languages_and_scripts():
    for code in ("en", "zh-Hans", "zh-Hant", "ja", "ko", "hi", "gu", "bn", "ta", "ar", "he", "ru", "el",
                 "th", "vi", "es", "fr", "de", "pt", "tr", "id", "sw"):
        sample = SAMPLES[code]
        assert sample.name_en and sample.name_zh and sample.script and sample.script_zh
        assert 130 <= len(sample.text) <= 600, code
    assert SAMPLES["gu"].name("zh") == "古吉拉特语" and SAMPLES["gu"].name("en") == "Gujarati"
    assert "\ufffd" not in "".join(s.text for s in SAMPLES.values())


def test_counts_per_sample_equal_tiktoken():
    counts = count_groups((s.code, s.text) for s in SAMPLES.values())
    assert [c.group for c in counts] == list(SAMPLES)
    for c in counts:
        text = SAMPLES[c.group].text
        assert c.documents == 1 and c.characters == len(text)
        assert c.tokens == {e: _tiktoken(text, e) for e in ("cl100k_base", "o200k_base")}


def test_the_known_tokenizer_facts_hold_on_the_samples():
    ratio = {c.group: c.ratio for c in count_groups((s.code, s.text) for s in SAMPLES.values())}
    assert ratio["gu"] > 4 and ratio["hi"] > 3  # Indic scripts: 3-5x fewer tokens on o200k_base
    assert D("1.3") < ratio["zh-Hans"] < D("1.6")
    assert ratio["en"] == 1


def test_groups_add_up_in_order_of_first_appearance():
    texts = [("b", "hello world"), ("a", "价格是多少？"), ("b", " again")]
    counts = count_groups(texts)
    assert [c.group for c in counts] == ["b", "a"]
    b = counts[0]
    assert b.documents == 2 and b.characters == len("hello world") + len(" again")
    for e in ("cl100k_base", "o200k_base"):
        assert b.tokens[e] == _tiktoken("hello world", e) + _tiktoken(" again", e)
    whole = total(counts, "all")
    assert whole.group == "all" and whole.documents == 3
    assert whole.tokens["o200k_base"] == sum(_tiktoken(t, "o200k_base") for _, t in texts)


def test_empty_group_has_no_ratio():
    (empty,) = count_groups([("x", "")])
    assert empty.tokens == {"cl100k_base": 0, "o200k_base": 0}
    assert empty.ratio is None and empty.token_saving_share is None
    assert count_groups([]) == []


def test_saving_splits_into_tokenizer_and_price_effects_by_hand():
    zh = GroupCount("zh-Hans", 1, 139, {"cl100k_base": 152, "o200k_base": 100})
    (row,) = compare_groups([zh], "gpt-4-turbo", "gpt-4o", CATALOG, Assumptions(as_of=AS_OF))
    # GPT-4 Turbo: $10 / 1M input; GPT-4o (2024-08-06): $2.50 / 1M input; no output.
    old = D(152) * D(10) / D(1_000_000)
    mixed = D(100) * D(10) / D(1_000_000)
    new = D(100) * D("2.5") / D(1_000_000)
    s = row.saving
    assert (s.from_cost, s.to_cost) == (old, new) == (D("0.00152"), D("0.00025"))
    assert s.tokenizer_effect == mixed - old == D("-0.00052")
    assert s.price_effect == new - mixed == D("-0.00075")
    assert row.money_saved == D("0.00127")
    assert row.money_saving_share == D("0.00127") / D("0.00152")
    assert zh.ratio == D(152) / D(100) and zh.token_saving_share == D(52) / D(152)


def test_saving_with_output_and_requests_by_hand():
    gu = GroupCount("gu", 1, 418, {"cl100k_base": 677, "o200k_base": 146})
    a = Assumptions(output_tokens_per_request=200, requests=1000, as_of=AS_OF)
    (row,) = compare_groups([gu], "gpt-3.5-turbo", "gpt-4o-mini", CATALOG, a)
    # gpt-3.5-turbo-0125: $0.50 in / $1.50 out; gpt-4o-mini: $0.15 in / $0.60 out (per 1M).
    out = D(200 * 1000)
    old = D(677_000) * D("0.5") / 10**6 + out * D("1.5") / 10**6
    mixed = D(146_000) * D("0.5") / 10**6 + out * D("1.5") / 10**6
    new = D(146_000) * D("0.15") / 10**6 + out * D("0.6") / 10**6
    assert row.saving.from_cost == old == D("0.6385")
    assert row.saving.tokenizer_effect == mixed - old == D("-0.2655")
    assert row.saving.price_effect == new - mixed == D("-0.2311")
    assert row.saving.to_cost == new == D("0.1419")
    assert row.saving.from_cost + row.saving.tokenizer_effect + row.saving.price_effect == row.saving.to_cost


def test_model_not_yet_priced():
    en = GroupCount("en", 1, 10, {"cl100k_base": 5, "o200k_base": 5})
    with pytest.raises(NotPricedError):
        compare_groups([en], "gpt-4-turbo", "gpt-4o", CATALOG, Assumptions(as_of=dt.date(2024, 1, 1)))


def test_group_from_a_workload():
    counts = from_workload("reviews", Workload(tokens={"cl100k_base": 15, "o200k_base": 12, "p50k_base": 20}, documents=3))
    # Every tokenizer counted is kept (a vendor's beside OpenAI's two), not only the compared pair.
    assert counts == GroupCount("reviews", 3, 0, {"cl100k_base": 15, "o200k_base": 12, "p50k_base": 20})
    with pytest.raises(KeyError):
        from_workload("x", Workload(tokens={"o200k_base": 1}))


@settings(max_examples=80, deadline=None)
@given(
    old=st.integers(min_value=0, max_value=10**9),
    new=st.integers(min_value=0, max_value=10**9),
    requests=st.integers(min_value=0, max_value=10**6),
    with_answer=st.booleans(),
    pair=st.sampled_from(DEFAULT_PAIRS),
)
def test_effects_always_add_up(old, new, requests, with_answer, pair):
    counts = GroupCount("g", 1, 0, {"cl100k_base": old, "o200k_base": new})
    a = Assumptions(output_ratio=D(1) if with_answer else None, requests=requests, as_of=AS_OF)
    (row,) = compare_groups([counts], *pair, CATALOG, a)
    s = row.saving
    assert s.from_cost + s.tokenizer_effect + s.price_effect == s.to_cost
    assert row.money_saved == s.from_cost - s.to_cost
    # The tokenizer effect has the sign of the change in tokens (at the old model's rates).
    assert (s.tokenizer_effect <= 0) if new <= old else (s.tokenizer_effect >= 0)
