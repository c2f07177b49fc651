"""Counting what the user brought, once, in the app: results cached by a hash of the content.

Reading and counting is the core's (``pricing.corpus``: documents, counts, languages, sources);
this module drives the progress bar, shows a quick sampled estimate first for a large upload,
and keeps the result in the app's cache. A rerun after a slider or model change finds the
counts here and never tokenizes again.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator

import streamlit as st

from ingest import ReadOptions
from ingest.limits import ReadLimits, within
from pricing.corpus import (
    CountedSource,
    Reading,
    content_digest,
    count_reading,
    count_source,
    estimate_margin,
    quick_estimate,
)
from tokenizers import TokenEstimate
from ui.formatting import escape_markdown, format_share, format_tokens
from ui.i18n import t

__all__ = ["CountedSource", "content_digest", "count_source", "counted", "counted_text"]

PROGRESS_FROM_BYTES = 1_000_000
# An upload bigger than this gets a sampled estimate on screen before its exact count.
QUICK_ESTIMATE_FROM_BYTES = 20_000_000
CACHE_ENTRIES = 64


def show_quick_estimate(name: str, estimates: dict[str, TokenEstimate]) -> None:
    """Metric cards of the estimated tokens per encoding, each labelled as an estimate ±x%."""
    st.caption(t("quick_estimate_intro", file=name))
    cards = st.columns(len(estimates))
    for card, (encoding, estimate) in zip(cards, estimates.items()):
        margin = format_share(estimate_margin(estimate))
        confidence = f"{estimate.confidence:.0%}"
        card.metric(
            t("quick_estimate_tokens", encoding=encoding, margin=margin, confidence=confidence),
            format_tokens(estimate.tokens),
            help=t("quick_estimate_help"),
        )
        card.caption(
            t("quick_estimate_range", low=format_tokens(estimate.low), high=format_tokens(estimate.high),
              confidence=confidence)
        )


# cache_resource, not cache_data: a hit hands back the stored object itself instead of
# unpickling every per-document array on each rerun (0.29 s at 2M rows). Safe because a
# CountedSource is never changed after counting: pages only read it (dataclasses.replace
# makes a new one, as counted_text does).
@st.cache_resource(max_entries=CACHE_ENTRIES, show_spinner=False)
def _cached_count(digest: str, name: str, options_key: tuple, _data: bytes) -> CountedSource:
    # Keyed by the content hash (plus name and every read option); the bytes themselves are not
    # hashed again. The estimate and progress bar live inside, so a cache hit replays them
    # already emptied and shows the exact figures directly.
    with within_limits():
        return _count(name, ReadOptions(*options_key), _data)


@contextlib.contextmanager
def within_limits() -> Iterator[None]:
    """Reading an upload under the server's limits (``ingest.limits``, from the environment),
    stopped as soon as its session ends or reruns.

    The checkpoint empties an empty placeholder: any Streamlit call is where Streamlit stops a
    script whose page was closed or rerun (it raises there), so work nobody waits for ends
    within a quarter of a second instead of running on (a workbook bomb kept a core busy for
    minutes after its page was closed).
    """
    slot = st.empty()
    with within(ReadLimits.from_env(), slot.empty):
        yield


def _count(name: str, options: ReadOptions, _data: bytes) -> CountedSource:
    if len(_data) < PROGRESS_FROM_BYTES:
        return count_source(name, _data, options)
    reading = Reading(name, _data, options)
    # Reserved first, so the estimate appears above the bar.
    placeholder = st.empty() if len(_data) > QUICK_ESTIMATE_FROM_BYTES else None
    # The label is ours, not the file name: progress text is rendered as Markdown.
    label = t("counting_tokens")
    bar = st.progress(0.0, text=label)
    shown = [0.0]

    def advance(share: float) -> None:
        if share - shown[0] >= 0.05 or share >= 1:
            shown[0] = share
            bar.progress(share, text=label)

    try:
        documents = list(reading)  # read first: the bar's total, and the sample, come from them
        estimates = quick_estimate(documents) if placeholder is not None else {}
        # A sample that took every row (little text in a big table) is no estimate: the exact
        # count, due right after, is shown alone.
        if any(e.is_estimate for e in estimates.values()):
            with placeholder.container():
                # The file name is user text: st.caption renders Markdown, so it goes in escaped.
                show_quick_estimate(escape_markdown(name), estimates)
        counted_source = count_reading(reading, documents, advance)
    finally:
        bar.empty()
    if placeholder is not None:
        placeholder.empty()  # the exact figures below replace the estimate
    return counted_source


def counted(name: str, data: bytes, options: ReadOptions, digest: str | None = None) -> CountedSource:
    """``count_source`` through the app's cache (sha256 of the bytes + name + every read option).

    An upload over PROGRESS_FROM_BYTES shows a progress bar while it is counted; one over
    QUICK_ESTIMATE_FROM_BYTES first shows a sampled estimate, replaced once the count is exact.
    """
    return _cached_count(digest or content_digest(data), name, dataclasses.astuple(options), data)


PASTED_NAME = "pasted-text.txt"


def counted_text(text: str) -> CountedSource:
    """Pasted text, counted through the same cache: it is UTF-8 by construction, so its bytes are
    never guessed at."""
    return counted(PASTED_NAME, text.encode("utf-8"), ReadOptions(encoding="utf-8"))
