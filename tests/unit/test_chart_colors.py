"""One colour per model on every chart: distinct for the models compared, stable across pages,
never pale on white; value axes leave room above the highest bar."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pricing import load_catalog
from ui.charts import bound_chart, cost_split_chart, growth_chart, style
from ui.colors import MAX_LUMINANCE, PALETTE, axis_top, model_colors, relative_luminance
from pricing.currency import MoneyView

TEN = ["gpt-4o", "gpt-4o-mini", "gpt-4-0125-preview", "gpt-3.5-turbo", "gpt-4.1", "gpt-4.1-mini", "o3", "o4-mini",
       "gpt-5", "gpt-5-mini"]


def test_the_palette_has_enough_distinct_strong_colours():
    assert len(PALETTE) == len(set(PALETTE)) >= 40
    assert PALETTE[:3] == ("#2E91E5", "#E15F99", "#1CA71C")  # plotly's Dark24 first
    assert all(relative_luminance(c) <= MAX_LUMINANCE for c in PALETTE)
    assert "#E2E2E2" not in PALETTE and "#F7E1A0" not in PALETTE  # Alphabet's pale greys/creams dropped


def test_relative_luminance_of_black_white_and_a_grey():
    assert relative_luminance("#000000") == 0
    assert relative_luminance("#FFFFFF") == pytest.approx(1)
    assert relative_luminance("#808080") == pytest.approx(0.2158605)


def test_the_chosen_models_get_the_first_colours_and_never_share_one():
    catalog = load_catalog()
    colors = model_colors(TEN, catalog.ids())
    assert [colors[m] for m in TEN] == list(PALETTE[:10])
    # The pair: gpt-4o and gpt-4-0125-preview shared a colour.
    assert colors["gpt-4o"] != colors["gpt-4-0125-preview"]
    # Twelve chosen models (the sidebar's limit) are all different.
    twelve = catalog.ids()[-12:]
    assert len(set(model_colors(twelve, catalog.ids())[m] for m in twelve)) == 12


def test_every_catalog_id_has_a_colour_and_the_map_does_not_depend_on_the_page():
    catalog = load_catalog()
    first = model_colors(TEN, catalog.ids())
    assert set(first) == set(catalog.ids())
    # The same choice gives the same colours wherever the map is built (and in any order of ids).
    assert model_colors(TEN, reversed(catalog.ids()))["gpt-4o"] == first["gpt-4o"]
    # Ids beyond the palette come round again rather than failing.
    many = [f"m{i}" for i in range(len(PALETTE) + 2)]
    assert model_colors(many)[many[-1]] == PALETTE[1]


def test_axis_top_leaves_headroom_above_the_highest_bar():
    assert axis_top([30.06, 12.0]) == pytest.approx(30.06 * 1.12)
    assert axis_top([30.06]) > 33.6
    assert axis_top([None, 0.0]) is None
    assert axis_top([]) is None


def _row(model, inp, out):
    from types import SimpleNamespace
    return SimpleNamespace(model=model, input_cost=Decimal(inp), output_cost=Decimal(out),
                           total_cost=Decimal(inp) + Decimal(out))


def test_cost_split_chart_colours_each_model_and_keeps_the_top_bar_inside():
    rows = [_row("gpt-4o", "10.03", "20.03"), _row("gpt-4o-mini", "1", "2")]
    colors = model_colors(["gpt-4o", "gpt-4o-mini"])
    fig = cost_split_chart(rows, MoneyView(), "T", "In", "Out", "Cost", colors, "en")
    bars = [tr for tr in fig.data if tr.x and tr.x[0] is not None]
    assert list(bars[0].marker.color) == [PALETTE[0], PALETTE[1]]
    assert bars[1].marker.pattern.shape == "/"
    assert fig.layout.yaxis.range[1] == pytest.approx(30.06 * 1.12)
    assert [tr.name for tr in fig.data if tr.showlegend] == ["In", "Out"]


def test_the_legend_sits_right_of_the_plot_never_over_the_title():
    fig = growth_chart([1, 10], {m: [Decimal(1), Decimal(10)] for m in TEN}, MoneyView(), "Growth", "Requests",
                       "Cost", model_colors(TEN), "en")
    assert fig.layout.legend.x > 1 and fig.layout.legend.xanchor == "left"
    assert fig.layout.title.x == 0 and fig.layout.margin.t >= 50
    assert len({tr.line.color for tr in fig.data}) == 10
    # Two entries: a row of its own between the title (in the top margin) and the plot.
    split = cost_split_chart([_row("gpt-4o", "1", "2")], MoneyView(), "T", "In", "Out", "Cost", {}, "en")
    assert split.layout.legend.orientation == "h" and split.layout.legend.yanchor == "bottom"
    assert split.layout.title.yref == "container" and split.layout.margin.t >= 80


def test_chinese_axes_write_whole_numbers_without_si_suffixes():
    fig = bound_chart(["gpt-4o"], [Decimal(30000)], [None], MoneyView("CNY"), "T", "Sure", "Bound", "Cost",
                      model_colors(["gpt-4o"]), "zh")
    assert fig.layout.yaxis.exponentformat == "none" and fig.layout.yaxis.separatethousands
    assert fig.layout.yaxis.tickprefix == "¥"
    english = style(__import__("plotly.graph_objects").graph_objects.Figure(), "T", "", "", "en")
    assert english.layout.yaxis.exponentformat is None


def test_money_axes_write_amounts_out_in_english_too():
    # A Batch request file's chart read "$50μ $100μ $150μ": plotly's SI prefixes on millionths.
    tiny = [_row("gpt-4o-mini", "0.00005", "0.0001")]
    charts = [cost_split_chart(tiny, MoneyView(), "T", "In", "Out", "Cost", {}, "en"),
              growth_chart([1, 10], {"gpt-4o-mini": [Decimal("0.00005"), Decimal("0.0005")]}, MoneyView(), "G",
                           "Requests", "Cost", {}, "en"),
              bound_chart(["gpt-4o"], [Decimal("0.00015")], [None], MoneyView(), "T", "Sure", "Bound", "Cost", {}, "en")]
    for fig in charts:
        assert fig.layout.yaxis.tickprefix == "$"
        assert fig.layout.yaxis.exponentformat == "none" and fig.layout.yaxis.separatethousands


def test_the_title_starts_below_plotlys_toolbar():
    # The modebar is drawn over the figure's top right corner: at 390 px a title that starts at the
    # top runs under it. Every chart's title is pushed below it, inside a top margin that holds both.
    from ui.charts import MODEBAR_ROOM

    for fig in (growth_chart([1, 10], {"gpt-4o": [Decimal(1), Decimal(10)]}, MoneyView(), "Growth", "Requests",
                             "Cost", model_colors(["gpt-4o"]), "en"),
                cost_split_chart([_row("gpt-4o", "1", "2")], MoneyView(), "T", "In", "Out", "Cost", {}, "en")):
        assert fig.layout.title.pad.t >= MODEBAR_ROOM >= 28
        assert fig.layout.margin.t >= fig.layout.title.pad.t + 24  # the title's line fits under the toolbar
