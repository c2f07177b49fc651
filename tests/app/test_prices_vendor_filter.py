"""The Prices page describes what it shows: with the vendor filter set (``vendors=anthropic``) the
header names Anthropic with its own counts and last check, the price history charts Anthropic's
models and the price editor opens on one of them; unfiltered, every vendor is named."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[2] / "app.py"
ANTHROPIC_PAGE = "[platform.claude.com/docs/en/about-claude/pricing](https://platform.claude.com/docs/en/about-claude/pricing)"


def open_prices(language: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update({"lang": language, "date": "2026-12-01", **params})
    at.switch_page("app_pages/prices.py")
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(("language", "intro", "checked"), [
    ("en", "Prices of Anthropic in USD per 1M tokens, with the day each took effect, how well it is sourced and "
           "where it comes from: 23 model snapshots, 0 aliases.",
     f"Anthropic: 23 model snapshots, 0 aliases; prices last checked against {ANTHROPIC_PAGE} on 2026-12-07, "
     "after the price date 2026-12-01."),
    ("zh", "Anthropic 的价格（美元/百万 token），包括每个价格的生效日期、来源可信度和出处：共 23 个模型快照、0 个别名。",
     f"Anthropic：23 个模型快照、0 个别名；价格最近一次与 {ANTHROPIC_PAGE} 核对是在 2026-12-07，晚于所选价格日期 2026-12-01。"),
])
def test_the_header_chart_and_editor_follow_the_vendor_filter(language, intro, checked):
    at = open_prices(language, vendors="anthropic")
    captions = [c.value for c in at.caption]
    assert captions[:2] == [intro, checked]
    assert not any("OpenAI" in c for c in captions)
    # The history charts Anthropic's newest current models on the price date; the editor opens on one.
    charted = at.multiselect(key="s_prices_history_models").value
    assert charted == ["claude-opus-4-7", "claude-opus-4-8", "claude-opus-5", "claude-sonnet-5", "claude-fable-5"]
    assert all(m.startswith("claude-") for m in at.multiselect(key="s_prices_history_models").options)
    editor = at.selectbox(key="prices_edit_model")
    assert editor.value == "claude-opus-4-7"
    assert all(m.startswith("claude-") for m in editor.options)


@pytest.mark.parametrize(("language", "names", "openai"), [
    ("en", "Prices of OpenAI, Anthropic, DeepSeek, Google Gemini, Meta Llama, Mistral, Alibaba Qwen, xAI in USD",
     "OpenAI: 58 model snapshots, 17 aliases; prices last checked against "
     "[developers.openai.com/api/docs/pricing](https://developers.openai.com/api/docs/pricing) on 2026-11-23, "
     "8 days before the price date 2026-12-01."),
    ("zh", "OpenAI、Anthropic、DeepSeek、Google Gemini、Meta Llama、Mistral、Alibaba Qwen、xAI 的价格",
     "OpenAI：58 个模型快照、17 个别名；价格最近一次与 "
     "[developers.openai.com/api/docs/pricing](https://developers.openai.com/api/docs/pricing) 核对是在 2026-11-23，"
     "比所选价格日期 2026-12-01 早 8 天。"),
])
def test_unfiltered_the_header_names_every_vendor(language, names, openai):
    at = open_prices(language)
    intro, checks = (c.value for c in at.caption[:2])
    assert intro.startswith(names)
    assert intro.endswith(("154 model snapshots, 17 aliases.", "共 154 个模型快照、17 个别名。"))
    lines = checks.split("  \n")
    assert lines[0] == openai and len(lines) == 8
    assert at.selectbox(key="prices_edit_model").value == "gpt-4o-mini-2024-07-18"
