"""Counting what the user brought, once, in the app: results cached by a hash of the content.

Reading and counting is the core's (``corpus.pipeline``: documents, counts, languages, sources);
this module drives the progress bar, shows a quick sampled estimate first for a large upload,
and keeps the result in the app's cache. A rerun after a slider or model change finds the
counts here and never tokenizes again.
"""

from __future__ import annotations

import contextlib
import dataclasses
import shlex
from collections.abc import Iterator

import streamlit as st

from ingest import Problem, ReadOptions
from ingest.expansion import declared_expansion
from ingest.limits import ReadLimits, within
from corpus.pipeline import CountedSource, Reading, content_digest, count_reading, count_source
from corpus.quick import estimate_margin, quick_estimate
from corpus.sources import line_documents
from pricing.count_methods import SAVING_ENCODINGS, tokenizers_for_models
from corpus.more_tokenizers import add_tokenizers, on_tokenizers
from pricing.tasks import task_models
from tokenizers import TokenEstimate
from tokenizers.registry import counting_state
from ui.formatting import escape_markdown, format_share, format_tokens
from ui.catalog import app_catalog
from ui.i18n import t
from ui.memory import (
    CACHE_SHARE,
    SizedCache,
    TooBig,
    budget_bytes,
    check_read_memory,
    keep_releasing_memory,
    release_memory,
    reserved,
    resident_bytes,
)
from ui.settings import Settings, price_date

__all__ = ["CountedSource", "content_digest", "count_source", "counted", "counted_text"]

PROGRESS_FROM_BYTES = 1_000_000
# An upload bigger than this gets a sampled estimate on screen before its exact count.
QUICK_ESTIMATE_FROM_BYTES = 20_000_000
CACHE_ENTRIES = 64
# How long an upload waits for counts of other sessions to finish and free memory.
MEMORY_WAIT_SECONDS = 120


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


# Counted sources, shared by every session, least recently used evicted first once their
# per-document columns pass a share of the server's memory budget. A hit hands back the stored
# object itself (no unpickling of every array per rerun: 0.29 s at 2M rows), which is safe
# because a CountedSource is never changed after counting (dataclasses.replace makes a new one).
COUNTS: SizedCache[CountedSource] = SizedCache(
    int(budget_bytes() * CACHE_SHARE), CountedSource.memory_bytes, max_entries=CACHE_ENTRIES
)


def _cached_count(digest: str, name: str, options_key: tuple, data: bytes, encodings: tuple[str, ...]
                  ) -> CountedSource:
    # Keyed by the content hash (plus name and every read option); the bytes are not hashed again.
    # A source counted on more tokenizers serves fewer; one that lacks some of ``encodings`` is
    # counted on those alone (a model on another vendor's tokenizer added: nothing counted twice).
    keep_releasing_memory()
    # ... and how each tokenizer whose file the user gives is counted now: after an upload of Gemma 3's
    # model, a count made with its labelled estimate is not served for the exact one.
    key = (digest, name, options_key, counting_state())
    source = COUNTS.get(key)
    if source is not None and all(e in source.tokens for e in encodings):
        return on_tokenizers(source, encodings)
    waiting = st.empty()

    def wait_for_memory() -> None:
        # Redrawn while waiting: a Streamlit call is also where a closed page stops the wait.
        waiting.info(t("memory_waiting", file=escape_markdown(name)), icon=":material/hourglass_top:")

    # Every line of a table or JSONL, every row a Parquet/Arrow table declares, may be a document
    # with its own columns of counts; a table's largest batch is decoded at once.
    expansion = declared_expansion(name, data)
    lines = line_documents(name, data) or expansion.rows
    with reserved(len(data), wait_seconds=MEMORY_WAIT_SECONDS, on_wait=wait_for_memory, lines=lines,
                  piece=expansion.largest_piece, tokenizers=len(encodings)) as too_big:
        waiting.empty()
        if too_big is not None:
            show_too_big(name, too_big)
            # Not cached: memory may be free on the next try.
            return CountedSource(name=name, skipped=(too_big_problem(name, too_big),))
        with within_limits(check_memory=True):
            if source is None:
                source = _count(name, ReadOptions(*options_key), data, encodings)
            else:
                with st.spinner(t("counting_tokens")):
                    source = add_tokenizers(source, data, ReadOptions(*options_key), encodings)
    COUNTS.put(key, source)
    if len(data) >= PROGRESS_FROM_BYTES:
        release_memory()  # the text and batches of a big count are garbage now: give the memory back
    return on_tokenizers(source, encodings)


def too_big_problem(name: str, too_big: TooBig) -> Problem:
    """The skipped-list entry of an upload the server has no memory for."""
    if too_big.over_share:
        return Problem("too_big_for_share", name, {"needs": _megabytes(too_big.needs),
                                                   "share": _megabytes(too_big.share)})
    return Problem("too_big_for_server", name, {"needs": _megabytes(too_big.needs), "free": _megabytes(too_big.free),
                                               "budget": _megabytes(too_big.budget)})


def cli_command(name: str) -> str:
    """The command that counts the file ``name`` on the user's own machine, in a clone set up as the
    README says (the name shell-quoted)."""
    return f".venv/bin/python cli.py estimate {shlex.quote(name)}"


def show_too_big(name: str, too_big: TooBig) -> None:
    """Say plainly that ``name`` is too big for this server now, and give the command to use instead."""
    if too_big.over_share:
        st.error(t("memory_too_big_share", file=escape_markdown(name), needs=_megabytes(too_big.needs),
                   share=_megabytes(too_big.share), budget=_megabytes(too_big.budget)), icon=":material/memory:")
    else:
        st.error(t("memory_too_big", file=escape_markdown(name), needs=_megabytes(too_big.needs),
                   free=_megabytes(too_big.free), budget=_megabytes(too_big.budget)), icon=":material/memory:")
    st.code(cli_command(name), language="bash")


def _megabytes(size: int) -> str:
    megabytes = size / 2**20
    return f"{megabytes:,.1f}" if megabytes < 10 else f"{megabytes:,.0f}"


@contextlib.contextmanager
def within_limits(check_memory: bool = False) -> Iterator[None]:
    """Reading an upload under the server's limits (``ingest.limits``, from the environment),
    stopped as soon as its session ends or reruns.

    The checkpoint empties an empty placeholder: any Streamlit call is where Streamlit stops a
    script whose page was closed or rerun (it raises there), so work nobody waits for ends
    within a quarter of a second instead of running on (a workbook bomb kept a core busy for
    minutes after its page was closed). With ``check_memory`` (a count holding a reservation), a
    read that grows the process past the reservations stops with a message too.
    """
    slot = st.empty()
    started = resident_bytes()

    def checkpoint() -> None:
        slot.empty()
        if check_memory:
            check_read_memory(started)

    with within(ReadLimits.from_env(), checkpoint):
        yield


def _count(name: str, options: ReadOptions, _data: bytes, encodings: tuple[str, ...]) -> CountedSource:
    if len(_data) < PROGRESS_FROM_BYTES:
        return count_source(name, _data, options, encodings=encodings)
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
        if placeholder is None:
            # Streamed: read as counted, never all held at once; the bar runs on the upload's size.
            return count_reading(reading, reading, advance, total_bytes=len(_data), encodings=encodings)
        # Two streamed passes over the bytes, neither holding the text: the first keeps a bounded
        # sample for the estimate (and learns the text's size for the bar), the second counts.
        sampled = Reading(name, _data, options)
        estimates = quick_estimate(sampled, encodings)
        # A sample that took every row (little text in a big table) is no estimate: the exact
        # count, due right after, is shown alone.
        if any(e.is_estimate for e in estimates.values()):
            with placeholder.container():
                # The file name is user text: st.caption renders Markdown, so it goes in escaped.
                show_quick_estimate(escape_markdown(name), estimates)
        counted_source = count_reading(reading, reading, advance, total_bytes=sampled.text_bytes,
                                       encodings=encodings)
    finally:
        bar.empty()
    if placeholder is not None:
        placeholder.empty()  # the exact figures below replace the estimate
    return counted_source


def counted(name: str, data: bytes, options: ReadOptions, digest: str | None = None,
            encodings: tuple[str, ...] = SAVING_ENCODINGS) -> CountedSource:
    """``count_source`` on ``encodings`` (the tokenizers the chosen models need:
    ``pricing.count_methods.tokenizers_for_models``) through the app's cache (sha256 of the bytes
    + name + every read option + the tokenizers).

    An upload over PROGRESS_FROM_BYTES shows a progress bar while it is counted; one over
    QUICK_ESTIMATE_FROM_BYTES first shows a sampled estimate, replaced once the count is exact.
    """
    return _cached_count(digest or content_digest(data), name, dataclasses.astuple(options), data, tuple(encodings))


def needed_tokenizers(settings: Settings) -> tuple[str, ...]:
    """The tokenizers the models of ``settings`` need counted (the core's ``tokenizers_for_models``
    on the price date), o200k_base and cl100k_base first."""
    models = task_models(settings.task, settings.models)
    return tokenizers_for_models(models, app_catalog(), price_date(settings))


PASTED_NAME = "pasted-text.txt"


def counted_text(text: str, encodings: tuple[str, ...] = SAVING_ENCODINGS) -> CountedSource:
    """Pasted text, counted through the same cache: it is UTF-8 by construction, so its bytes are
    never guessed at."""
    return counted(PASTED_NAME, text.encode("utf-8"), ReadOptions(encoding="utf-8"), encodings=encodings)
