"""Plotly figures shared by pages. Money arrives exact and becomes float only here, to draw."""

from __future__ import annotations

from decimal import Decimal
from typing import Mapping, Sequence

import plotly.graph_objects as go

from pricing import ModelCost
from ui.formatting import SYMBOLS, MoneyView


def _layout(fig: go.Figure, title: str, x_title: str, y_title: str) -> go.Figure:
    fig.update_layout(
        title=title,
        xaxis_title=x_title,
        yaxis_title=y_title,
        margin=dict(l=10, r=10, t=50, b=10),
        legend=dict(orientation="h", yanchor="bottom", y=1.0, x=1, xanchor="right"),
        height=380,
    )
    return fig


def cost_split_chart(
    rows: Sequence[ModelCost], view: MoneyView, title: str, input_label: str, output_label: str, y_title: str
) -> go.Figure:
    """Stacked bars: each model's cost split into input and output, in ``view``'s currency."""
    models = [r.model for r in rows]
    fig = go.Figure()
    fig.add_bar(name=input_label, x=models, y=[float(view.convert(r.input_cost)) for r in rows])
    fig.add_bar(name=output_label, x=models, y=[float(view.convert(r.output_cost)) for r in rows])
    fig.update_layout(barmode="stack")
    fig.update_yaxes(tickprefix=SYMBOLS.get(view.currency, ""))
    return _layout(fig, title, "", y_title)


def growth_chart(
    volumes: Sequence[int], totals: Mapping[str, Sequence[Decimal]], view: MoneyView, title: str, x_title: str,
    y_title: str,
) -> go.Figure:
    """One line per model: monthly cost as the number of requests grows."""
    fig = go.Figure()
    for model, costs in totals.items():
        fig.add_scatter(name=model, x=list(volumes), y=[float(view.convert(c)) for c in costs], mode="lines+markers")
    fig.update_yaxes(tickprefix=SYMBOLS.get(view.currency, ""))
    return _layout(fig, title, x_title, y_title)


def bound_chart(
    models: Sequence[str], sure: Sequence[Decimal], bounds: Sequence[Decimal | None], view: MoneyView, title: str,
    sure_label: str, bound_label: str, y_title: str,
) -> go.Figure:
    """Grouped bars per model: the sure cost beside its upper bound (no bar where there is none)."""
    fig = go.Figure()
    fig.add_bar(name=sure_label, x=list(models), y=[float(view.convert(c)) for c in sure])
    fig.add_bar(name=bound_label, x=list(models), y=[None if b is None else float(view.convert(b)) for b in bounds])
    fig.update_layout(barmode="group")
    fig.update_yaxes(tickprefix=SYMBOLS.get(view.currency, ""))
    return _layout(fig, title, "", y_title)
