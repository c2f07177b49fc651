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
from pricing.currency import MoneyView
from ui.formatting import SYMBOLS

#: The second bar of a pair (output on top of input, the upper bound beside the sure cost) is
#: the model's colour hatched, so colour still says which model it is.
HATCH = dict(shape="/", fillmode="overlay", fgopacity=0.55, solidity=0.45)
#: Dates on a time axis: "2024年5月" in Chinese (plotly's default month names are English).
DATE_FORMATS = {"en": "%b %Y", "zh": "%Y年%-m月"}
#: Legends of up to this many entries sit in a row above the plot; longer ones to its right.
SHORT_LEGEND = 3
DAY_FORMATS = {"en": "%-d %b %Y", "zh": "%Y年%-m月%-d日"}
#: Room at the top of every figure for plotly's toolbar (the modebar, drawn over the top right
#: corner): the title starts below it, so on a 390 px phone a long title is never covered.
MODEBAR_ROOM = 30


def style_layout(traces: Sequence[Mapping], title: str, x_title: str, y_title: str, language: str = "en",
                 height: int = 400) -> dict:
    """The layout of every chart, as a plain dict: title top left and the legend where it cannot
    cover it: a short legend (up to ``SHORT_LEGEND`` entries of ``traces``) in its own row between
    the title and the plot, a longer one to the right of the plot. Numbers for ``language``: in
    Chinese whole numbers with separators (30,000, never the SI "30k" / "2M")."""
    entries = sum(1 for tr in traces if tr.get("showlegend") is not False and tr.get("name"))
    short = entries <= SHORT_LEGEND
    # Axis titles and rotated tick labels widen the margins rather than fall off the figure.
    axis = dict(automargin=True, **(dict(exponentformat="none", separatethousands=True) if language == "zh" else {}))
    return dict(
        title=dict(text=title, x=0, xanchor="left", yref="container", y=1, yanchor="top", pad=dict(t=MODEBAR_ROOM)),
        xaxis=dict(title=dict(text=x_title), **axis),
        yaxis=dict(title=dict(text=y_title), **axis),
        margin=dict(l=10, r=10, t=(84 if short else 56) + MODEBAR_ROOM - 12, b=10),
        legend=(dict(orientation="h", x=1, xanchor="right", y=1.02, yanchor="bottom") if short
                else dict(orientation="v", x=1.02, xanchor="left", y=1, yanchor="top")),
        height=height,
    )


def value_axis_layout(tops: Sequence[float | None], prefix: str = "") -> dict:
    """The value axis (``yaxis``) from zero to above the highest of ``tops`` (``ui.colors.axis_top``).
    A money axis (a currency ``prefix``) writes amounts out ("$0.00015", "$1,200"), never with SI
    prefixes: plotly's "$50μ" for fifty millionths of a dollar reads as nothing a price list says."""
    top = axis_top(tops)
    money = dict(exponentformat="none", separatethousands=True) if prefix else {}
    return dict(tickprefix=prefix, rangemode="tozero", **money, **({"range": [0, top]} if top is not None else {}))


def figure(traces: list[dict], layout: dict, y_axis: dict | None = None) -> go.Figure:
    """One plotly figure from plain dicts, built in one go: each ``update_layout`` / ``add_bar``
    validates the whole figure again, which made two charts most of a rerun's CPU time."""
    if y_axis:
        layout = {**layout, "yaxis": {**layout.get("yaxis", {}), **y_axis}}
    return go.Figure(data=traces, layout=layout)


def style(fig: go.Figure, title: str, x_title: str, y_title: str, language: str = "en", height: int = 400) -> go.Figure:
    """``style_layout`` applied to a figure built step by step (see ``figure`` for the fast way)."""
    traces = [{"name": tr.name, "showlegend": tr.showlegend} for tr in fig.data]
    fig.update_layout(style_layout(traces, title, x_title, y_title, language, height))
    return fig


def date_axis(fig: go.Figure, language: str) -> go.Figure:
    """Month ticks and day hovers in ``language``'s form (no "Jan 2023" in Chinese)."""
    fig.update_xaxes(tickformat=DATE_FORMATS.get(language, DATE_FORMATS["en"]),
                     hoverformat=DAY_FORMATS.get(language, DAY_FORMATS["en"]))
    return fig


def value_axis(fig: go.Figure, tops: Sequence[float | None], prefix: str = "") -> go.Figure:
    """The value axis from zero to above the highest of ``tops`` (see ``ui.colors.axis_top``)."""
    fig.update_yaxes(value_axis_layout(tops, prefix))
    return fig


def money_axis(fig: go.Figure, view: MoneyView, tops: Sequence[float | None]) -> go.Figure:
    """The currency prefix on the value axis, from zero to above the highest of ``tops``."""
    return value_axis(fig, tops, SYMBOLS.get(view.currency, ""))


def _bar(name: str, x: Sequence, y: Sequence, color, hatched: bool, **more) -> dict:
    marker = dict(color=color, **(dict(pattern=HATCH) if hatched else {}))
    return dict(type="bar", name=name, x=list(x), y=list(y), marker=marker, **more)


def _legend_key(name: str, hatched: bool) -> dict:
    # A neutral legend entry for a bar series whose bars each wear their model's colour.
    return _bar(name, [None], [None], TOTAL_GREY, hatched, showlegend=True, hoverinfo="skip")


def cost_split_chart(
    rows: Sequence[ModelCost], view: MoneyView, title: str, input_label: str, output_label: str, y_title: str,
    colors: Mapping[str, str], language: str = "en",
) -> go.Figure:
    """Stacked bars in each model's colour: input (solid) and output (hatched), in ``view``'s currency."""
    models = [r.model for r in rows]
    palette = [colors.get(m, TOTAL_GREY) for m in models]
    traces = [
        _bar(input_label, models, [float(view.convert(r.input_cost)) for r in rows], palette, False, showlegend=False),
        _bar(output_label, models, [float(view.convert(r.output_cost)) for r in rows], palette, True,
             showlegend=False),
        _legend_key(input_label, hatched=False),
        _legend_key(output_label, hatched=True),
    ]
    layout = dict(style_layout(traces, title, "", y_title, language), barmode="stack")
    tops = [float(view.convert(r.total_cost)) for r in rows]
    return figure(traces, layout, value_axis_layout(tops, SYMBOLS.get(view.currency, "")))


def growth_chart(
    volumes: Sequence[int], totals: Mapping[str, Sequence[Decimal]], view: MoneyView, title: str, x_title: str,
    y_title: str, colors: Mapping[str, str], language: str = "en",
) -> go.Figure:
    """One line per model in its colour: monthly cost as the number of requests grows."""
    traces, tops = [], []
    for model, costs in totals.items():
        ys = [float(view.convert(c)) for c in costs]
        tops.extend(ys)
        traces.append(dict(type="scatter", name=model, x=list(volumes), y=ys, mode="lines+markers",
                           line=dict(color=colors.get(model, TOTAL_GREY))))
    layout = style_layout(traces, title, x_title, y_title, language)
    return figure(traces, layout, value_axis_layout(tops, SYMBOLS.get(view.currency, "")))


def bound_chart(
    models: Sequence[str], sure: Sequence[Decimal], bounds: Sequence[Decimal | None], view: MoneyView, title: str,
    sure_label: str, bound_label: str, y_title: str, colors: Mapping[str, str], language: str = "en",
) -> go.Figure:
    """Grouped bars per model in its colour: the sure cost (solid) beside its upper bound
    (hatched; no bar where there is none)."""
    palette = [colors.get(m, TOTAL_GREY) for m in models]
    sure_y = [float(view.convert(c)) for c in sure]
    bound_y = [None if b is None else float(view.convert(b)) for b in bounds]
    traces = [
        _bar(sure_label, models, sure_y, palette, False, showlegend=False),
        _bar(bound_label, models, bound_y, palette, True, showlegend=False),
        _legend_key(sure_label, hatched=False),
        _legend_key(bound_label, hatched=True),
    ]
    layout = dict(style_layout(traces, title, "", y_title, language), barmode="group")
    return figure(traces, layout, value_axis_layout([*sure_y, *bound_y], SYMBOLS.get(view.currency, "")))


def tax_chart(
    languages: Sequence[str], taxes: Mapping[str, Sequence[Decimal | None]], colors: Mapping[str, str], title: str,
    y_title: str, english_label: str, language: str = "en",
) -> go.Figure:
    """Grouped bars: for each of ``languages`` (names, already escaped), one bar per tokenizer of
    ``taxes`` (tokenizer -> tokens per English token, one per language), in its colour, and a
    dashed line at 1x labelled ``english_label``: the shortest bar is the cheapest tokenizer."""
    traces = [_bar(name, languages, [None if v is None else float(v) for v in values], colors.get(name, TOTAL_GREY),
                   False, hovertemplate="%{x}: %{y:.2f}×<extra>" + name + "</extra>")
              for name, values in taxes.items()]
    layout = dict(style_layout(traces, title, "", y_title, language, height=420), barmode="group",
                  shapes=[dict(type="line", xref="paper", x0=0, x1=1, y0=1, y1=1, line=dict(dash="dash",
                                                                                              color=TOTAL_GREY))],
                  annotations=[dict(xref="paper", x=0, y=1, text=english_label, showarrow=False, xanchor="left",
                                    yanchor="bottom", font=dict(color=TOTAL_GREY))])
    tops = [float(v) for values in taxes.values() for v in values if v is not None]
    return figure(traces, layout, dict(value_axis_layout(tops), ticksuffix="×"))
