"""Corners of the pages: a saving card needs two models, a saving is green with no arrow,
"pick today's models" picks current models (Streamlit's alphabetical "Select all" is off)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pricing import load_catalog
from pricing.today import current_models
from ui.catalog import countable_ids

APP = Path(__file__).resolve().parents[2] / "app.py"
TEXT = "How much will this paragraph cost every month on each model?"


def estimate(query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update(query)
    at.switch_page("app_pages/estimate.py")
    at.run()
    at.text_area(key="s_estimate_text").set_value(TEXT).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(("lang", "caption"), [
    ("en", "Only gpt-4o can be priced with these settings, so there is no saving to show: choose two or more "
           "models in the sidebar to compare them."),
    ("zh", "在当前设置下只有 gpt-4o 可以计价，因此没有可显示的节省额：请在侧边栏选择两个或更多模型进行比较。"),
])
def test_one_priceable_model_says_why_there_is_no_saving_card(lang, caption):
    at = estimate({"lang": lang, "models": "gpt-4o"})
    assert caption in [c.value for c in at.caption]
    labels = [m.label for m in at.metric]
    assert not any("vs gpt-4o" in label or "相比 gpt-4o" in label for label in labels)
    assert "s_baseline" not in [s.key for s in at.selectbox]


def test_a_saving_is_green_without_an_arrow_and_a_self_baseline_is_explained():
    at = estimate({"lang": "en", "models": "gpt-4o,gpt-4o-mini"})
    card = next(m for m in at.metric if m.label == "Saving with gpt-4o-mini vs gpt-4o")
    assert card.proto.delta == "94.0%"
    fields = card.proto.DESCRIPTOR.fields_by_name
    color = fields["color"].enum_type.values_by_number[card.proto.color].name
    direction = fields["direction"].enum_type.values_by_number[card.proto.direction].name
    assert (color, direction) == ("GREEN", "NONE")  # green, and no up arrow on a saving
    # The cheapest model chosen as its own baseline: said in words, not "$0.00 vs itself".
    at.selectbox(key="s_baseline").set_value("gpt-4o-mini").run()
    assert ("gpt-4o-mini is the cheapest of the chosen models: pick a dearer baseline to see what it saves."
            in [c.value for c in at.caption])
    assert not any(m.label.startswith("Saving with") for m in at.metric)


def test_pick_todays_models_picks_current_ones_not_the_first_ids_alphabetically():
    at = estimate({"lang": "en"})
    box = next(w for w in at.multiselect if w.key == "s_models")
    assert box.proto.select_all == 0  # Streamlit's "Select all" is off
    at.button(key="sidebar_pick_current").click().run()
    catalog = load_catalog()
    countable = set(countable_ids(catalog))
    expected = [m for m in current_models(catalog, dt.date.today()) if m in countable][:12]
    assert list(at.session_state["s_models"]) == expected
    assert len(expected) == 12 and "gpt-3.5-turbo" not in expected and "text-davinci-003" not in expected
    assert expected != sorted(countable)[:12]
