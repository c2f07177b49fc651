"""One colour per model, the same on every chart of every page (pure functions, no Streamlit).

The palette is plotly's qualitative ``Dark24`` followed by the colours of ``Alphabet`` that
read on a white background (the pale ones dropped): 24 strong, distinct colours for the
models a user compares, and twenty more before any colour comes round again.
``model_colors`` gives the chosen models (the sidebar's) the first colours, in their order, so
the twelve a chart can hold never share one; every other id gets the next colours in the
catalog's order, so the Prices page's history chart agrees with the Estimate page.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from plotly.colors import qualitative

#: A colour whose relative luminance is above this is too pale for a line on white.
MAX_LUMINANCE = 0.6
#: Savings are drawn green, increases red, totals in a neutral slate (waterfalls, deltas).
SAVING_GREEN = "#1B9E4B"
INCREASE_RED = "#D62728"
TOTAL_GREY = "#5B6770"


def relative_luminance(hex_colour: str) -> float:
    """WCAG relative luminance of ``#RRGGBB`` (0 black .. 1 white)."""
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _palette() -> tuple[str, ...]:
    colours: list[str] = []
    for colour in (*qualitative.Dark24, *qualitative.Alphabet):
        colour = colour.upper()
        if colour not in colours and relative_luminance(colour) <= MAX_LUMINANCE:
            colours.append(colour)
    return tuple(colours)


PALETTE: tuple[str, ...] = _palette()


def model_colors(chosen: Sequence[str], all_ids: Iterable[str] = ()) -> dict[str, str]:
    """Model id -> colour: ``chosen`` first (in order, distinct while they fit the palette),
    then the rest of ``all_ids`` in their order; the palette repeats only after ``PALETTE``
    colours."""
    order = list(dict.fromkeys([*chosen, *all_ids]))
    return {model: PALETTE[i % len(PALETTE)] for i, model in enumerate(order)}


#: OpenAI's two encodings keep one colour each on every chart: the older one grey, GPT-4o's blue.
ENCODING_COLORS = {"cl100k_base": "#8C99A6", "o200k_base": "#2E91E5"}


def tokenizer_colors(names: Iterable[str]) -> dict[str, str]:
    """Tokenizer name -> colour: ENCODING_COLORS for OpenAI's two, the palette's for the others,
    in order."""
    others = iter(c for c in PALETTE if c not in ENCODING_COLORS.values())
    return {name: ENCODING_COLORS.get(name) or next(others) for name in names}


def axis_top(values: Iterable[float | None], headroom: float = 0.12) -> float | None:
    """The top of a value axis that leaves ``headroom`` (a share of the largest value) above the
    highest bar, so no bar or its label touches the frame ($30.06 gets a ~$33.7 axis, not $30).
    None when there is nothing positive to draw (the axis is left to plotly)."""
    largest = max((v for v in values if v is not None), default=None)
    if largest is None or largest <= 0:
        return None
    return largest * (1 + headroom)
