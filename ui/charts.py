"""Plotly figures shared by pages. Money arrives exact and becomes float only here, to draw.

Every chart: each model in its own colour from ``ui.colors`` (the same on every page), the
title at the top left and the legend to the right of the plot (it never covers the title),
room above the highest bar, and axis numbers and dates written for the reader's language.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Mapping, Sequence

import plotly.graph_objects as go

from pricing import ModelCost
from ui.colors import TOTAL_GREY, axis_top
from ui.formatting import SYMBOLS, MoneyView

#: The second bar of a pair (output on top of input, the upper bound beside the sure cost) is
#: the model's colour hatched, so colour still says which model it is.
HATCH = dict(shape="/", fillmode="overlay", fgopacity=0.55, solidity=0.45)
#: Dates on a time axis: "2024年5月" in Chinese (plotly's default month names are English).
DATE_FORMATS = {"en": "%b %Y", "zh": "%Y年%-m月"}
#: Legends of up to this many entries sit in a row above the plot; longer ones to its right.
SHORT_LEGEND = 3
DAY_FORMATS = {"en": "%-d %b %Y", "zh": "%Y年%-m月%-d日"}


def style(fig: go.Figure, title: str, x_title: str, y_title: str, language: str = "en", height: int = 400) -> go.Figure:
    """Title top left and the legend where it cannot cover it: a short legend (up to
    ``SHORT_LEGEND`` entries) in its own row between the title and the plot, a longer one to
    the right of the plot. Numbers for ``language``: in Chinese whole numbers with separators
    (30,000, never the SI "30k" / "2M")."""
    entries = sum(1 for tr in fig.data if tr.showlegend is not False and tr.name)
    short = entries <= SHORT_LEGEND
    fig.update_layout(
        title=dict(text=title, x=0, xanchor="left", yref="container", y=1, yanchor="top", pad=dict(t=12)),
        xaxis_title=x_title,
        yaxis_title=y_title,
        margin=dict(l=10, r=10, t=84 if short else 56, b=10),
        legend=(dict(orientation="h", x=1, xanchor="right", y=1.02, yanchor="bottom") if short
                else dict(orientation="v", x=1.02, xanchor="left", y=1, yanchor="top")),
        height=height,
    )
    # Axis titles and rotated tick labels widen the margins rather than fall off the figure.
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    if language == "zh":
        fig.update_xaxes(exponentformat="none", separatethousands=True)
        fig.update_yaxes(exponentformat="none", separatethousands=True)
    return fig


def date_axis(fig: go.Figure, language: str) -> go.Figure:
    """Month ticks and day hovers in ``language``'s form (no "Jan 2023" in Chinese)."""
    fig.update_xaxes(tickformat=DATE_FORMATS.get(language, DATE_FORMATS["en"]),
                     hoverformat=DAY_FORMATS.get(language, DAY_FORMATS["en"]))
    return fig


def value_axis(fig: go.Figure, tops: Sequence[float | None], prefix: str = "") -> go.Figure:
    """The value axis from zero to above the highest of ``tops`` (see ``ui.colors.axis_top``)."""
    top = axis_top(tops)
    fig.update_yaxes(tickprefix=prefix, rangemode="tozero", **({"range": [0, top]} if top is not None else {}))
    return fig


def money_axis(fig: go.Figure, view: MoneyView, tops: Sequence[float | None]) -> go.Figure:
    """The currency prefix on the value axis, from zero to above the highest of ``tops``."""
    return value_axis(fig, tops, SYMBOLS.get(view.currency, ""))


def _legend_key(fig: go.Figure, name: str, hatched: bool) -> None:
    # A neutral legend entry for a bar series whose bars each wear their model's colour.
    fig.add_bar(x=[None], y=[None], name=name, marker_color=TOTAL_GREY, showlegend=True,
                marker_pattern=HATCH if hatched else None, hoverinfo="skip")


def cost_split_chart(
    rows: Sequence[ModelCost], view: MoneyView, title: str, input_label: str, output_label: str, y_title: str,
    colors: Mapping[str, str], language: str = "en",
) -> go.Figure:
    """Stacked bars in each model's colour: input (solid) and output (hatched), in ``view``'s currency."""
    models = [r.model for r in rows]
    palette = [colors.get(m, TOTAL_GREY) for m in models]
    fig = go.Figure()
    fig.add_bar(name=input_label, x=models, y=[float(view.convert(r.input_cost)) for r in rows],
                marker_color=palette, showlegend=False)
    fig.add_bar(name=output_label, x=models, y=[float(view.convert(r.output_cost)) for r in rows],
                marker_color=palette, marker_pattern=HATCH, showlegend=False)
    _legend_key(fig, input_label, hatched=False)
    _legend_key(fig, output_label, hatched=True)
    fig.update_layout(barmode="stack")
    money_axis(fig, view, [float(view.convert(r.total_cost)) for r in rows])
    return style(fig, title, "", y_title, language)


def growth_chart(
    volumes: Sequence[int], totals: Mapping[str, Sequence[Decimal]], view: MoneyView, title: str, x_title: str,
    y_title: str, colors: Mapping[str, str], language: str = "en",
) -> go.Figure:
    """One line per model in its colour: monthly cost as the number of requests grows."""
    fig = go.Figure()
    tops = []
    for model, costs in totals.items():
        ys = [float(view.convert(c)) for c in costs]
        tops.extend(ys)
        fig.add_scatter(name=model, x=list(volumes), y=ys, mode="lines+markers",
                        line_color=colors.get(model, TOTAL_GREY))
    money_axis(fig, view, tops)
    return style(fig, title, x_title, y_title, language)


def bound_chart(
    models: Sequence[str], sure: Sequence[Decimal], bounds: Sequence[Decimal | None], view: MoneyView, title: str,
    sure_label: str, bound_label: str, y_title: str, colors: Mapping[str, str], language: str = "en",
) -> go.Figure:
    """Grouped bars per model in its colour: the sure cost (solid) beside its upper bound
    (hatched; no bar where there is none)."""
    palette = [colors.get(m, TOTAL_GREY) for m in models]
    sure_y = [float(view.convert(c)) for c in sure]
    bound_y = [None if b is None else float(view.convert(b)) for b in bounds]
    fig = go.Figure()
    fig.add_bar(name=sure_label, x=list(models), y=sure_y, marker_color=palette, showlegend=False)
    fig.add_bar(name=bound_label, x=list(models), y=bound_y, marker_color=palette, marker_pattern=HATCH,
                showlegend=False)
    _legend_key(fig, sure_label, hatched=False)
    _legend_key(fig, bound_label, hatched=True)
    fig.update_layout(barmode="group")
    money_axis(fig, view, [*sure_y, *bound_y])
    return style(fig, title, "", y_title, language)
