"""Widgets for the workload, asked plainly, and the core's ``Workplan`` / ``Assumptions`` they describe.

Two questions (this corpus processed N times; traffic like this, N requests a month) and a task
preset that sets the output. Until the person picks one, the question follows the input (files:
the corpus; pasted text alone: traffic) and the task follows the question: the settings hold
None and the widgets show the default.
"""

from __future__ import annotations

import streamlit as st

from pricing.schema import TIERS
from pricing import Assumptions
from pricing.languages import load_samples
from pricing.tasks import DEFAULT_TASK, PRESETS, QUESTIONS, TASKS, Workplan, default_question, make_plan
from pricing.vendors import vendor_tier_names
from ui.catalog import app_catalog
from ui.i18n import current_language, t
from ui.settings import Settings, price_date, settings_from_state, widget_key

_QUESTION_BOX = "question_box"
_TASK_BOX = "task_box"


def _follow(box: str, field: str, default: str) -> None:
    """Show ``default`` in the widget ``box`` until the person picks (the setting ``field``)."""
    chosen = st.session_state.get(widget_key(field))
    st.session_state[box] = chosen if chosen is not None else default


def _picked(box: str, field: str) -> None:
    st.session_state[widget_key(field)] = st.session_state[box]


def render_workload_inputs(pasted_only: bool) -> None:
    """Draw the question, its volume, the task (and its target language or custom output),
    Batch API and the cached share."""
    question = st.session_state.get(widget_key("question")) or default_question(pasted_only)
    _follow(_QUESTION_BOX, "question", question)
    question_labels = {q: t(f"workload_question_{q}") for q in QUESTIONS}
    st.radio(t("workload_question"), QUESTIONS, key=_QUESTION_BOX, format_func=question_labels.__getitem__,
             on_change=_picked, args=(_QUESTION_BOX, "question"), help=t("workload_question_help"))
    left, right = st.columns(2)
    with left:
        if question == "traffic":
            st.number_input(t("assume_requests"), key=widget_key("requests"), min_value=0, max_value=10**12,
                            step=100, help=t("assume_requests_help"))
        else:
            st.number_input(t("workload_runs"), key=widget_key("runs"), min_value=0, max_value=10**9, step=1,
                            help=t("workload_runs_help"))
        _follow(_TASK_BOX, "task", DEFAULT_TASK[question])
        task_labels = {task: t(f"task_{task}") for task in TASKS}
        task = st.selectbox(t("workload_task"), TASKS, key=_TASK_BOX, format_func=task_labels.__getitem__,
                            on_change=_picked, args=(_TASK_BOX, "task"), help=t("workload_task_help"))
        if task == "translate":
            language = current_language()
            samples = {s.code: s.name(language) for s in load_samples()}
            st.selectbox(t("workload_target"), [None, *samples], key=widget_key("target"),
                         format_func=lambda c: t("workload_target_none") if c is None else samples[c])
        elif task == "custom":
            _custom_output_inputs()
    with right:
        tier_selector(st)
        st.slider(t("assume_cached_share"), key=widget_key("cached_share"), min_value=0.0, max_value=1.0,
                  step=0.05, help=t("assume_cached_share_help"))
        vendor_rule_inputs()


def vendor_rule_inputs() -> None:
    """The assumptions other vendors' rules read: cache writes and their lifetime (Anthropic),
    hours a context cache is kept (Gemini), traffic in off-peak windows (DeepSeek), a regional
    uplift (Anthropic, xAI). Folded away: the defaults price as before."""
    lifetimes = {life: t(f"assume_cache_lifetime_{life}") for life in ("5m", "1h")}
    with st.expander(t("assume_vendor_rules"), icon=":material/rule:"):
        st.slider(t("assume_cache_write_share"), key=widget_key("cache_write_share"), min_value=0.0, max_value=1.0,
                  step=0.05, help=t("assume_cache_write_share_help"))
        st.radio(t("assume_cache_lifetime"), ("5m", "1h"), key=widget_key("cache_lifetime"), horizontal=True,
                 format_func=lifetimes.__getitem__)
        st.number_input(t("assume_cache_hours"), key=widget_key("cache_hours"), min_value=0.0, max_value=8760.0,
                        step=1.0, help=t("assume_cache_hours_help"))
        st.slider(t("assume_off_peak_share"), key=widget_key("off_peak_share"), min_value=0.0, max_value=1.0,
                  step=0.05, help=t("assume_off_peak_share_help"))
        st.checkbox(t("assume_regional"), key=widget_key("regional"), help=t("assume_regional_help"))


def tier_selector(container) -> str:
    """The processing tier (Standard, Batch, Flex, Priority) drawn into ``container``; one setting
    (``tier``) shared by the pages that price. A tier a chosen model's vendor names otherwise on the
    price date says so ("Priority (named “Fast” …)"). Returns the chosen tier."""
    settings = settings_from_state()
    day, catalog = price_date(settings), app_catalog()
    tier_labels = {}
    for tier in TIERS:
        names = vendor_tier_names(catalog, list(settings.models), tier, day)
        label = t(f"tier_{tier}")
        tier_labels[tier] = t("tier_named", tier=label, names="”, “".join(names)) if names else label
    return container.selectbox(t("tier_label"), TIERS, key=widget_key("tier"), format_func=tier_labels.__getitem__,
                               help=t("tier_help"))


def _custom_output_inputs() -> None:
    # Labels are looked up now: a format_func must not depend on state at call time.
    mode_labels = {mode: t(f"assume_output_mode_{mode}") for mode in ("fixed", "ratio")}
    st.radio(t("assume_output_mode"), ("fixed", "ratio"), key=widget_key("output_mode"), horizontal=True,
             format_func=mode_labels.__getitem__)
    if st.session_state.get(widget_key("output_mode")) == "ratio":
        st.number_input(t("assume_output_ratio"), key=widget_key("output_ratio"), min_value=0.0, max_value=100.0,
                        step=0.1, help=t("assume_output_ratio_help"))
    else:
        st.number_input(t("assume_output_tokens"), key=widget_key("output_tokens"), min_value=0,
                        max_value=10_000_000, step=50, help=t("assume_output_tokens_help"))


def plan_from(settings: Settings, pasted_only: bool, source_language: str | None = None) -> Workplan:
    """The workload the settings describe (defaults by the input and the question: the core's
    ``make_plan``, as the CLI's)."""
    return make_plan(
        pasted_only=pasted_only, question=settings.question, task=settings.task, runs=settings.runs,
        per_month=settings.requests, custom_output_tokens=settings.output_tokens,
        custom_output_ratio=settings.output_ratio if settings.output_mode == "ratio" else None,
        target_language=settings.target, source_language=source_language,
    )


def assumptions_from(settings: Settings, plan: Workplan) -> Assumptions:
    """The core's ``Assumptions`` for ``plan`` under ``settings`` (tier, cached share, the vendors'
    rule settings, date). Cache writes take at most what the cached share leaves of the input."""
    return plan.assumptions(tier=settings.tier, cached_share=settings.cached_share, as_of=price_date(settings),
                            cache_write_share=min(settings.cache_write_share, 1 - settings.cached_share),
                            cache_lifetime=settings.cache_lifetime, cache_hours=settings.cache_hours,
                            off_peak_share=settings.off_peak_share, regional=settings.regional)


def passes_text(times: int) -> str:
    """How often the corpus is processed, in words ("once", "3 times")."""
    return t("workload_passes_once") if times == 1 else t("workload_passes_many", times=f"{times:,}")


def plan_caption(plan: Workplan, documents: int, requests: int, tier: str = "standard") -> str:
    """The workload in words: how many requests are priced, what each one returns and, when not
    Standard, the processing tier whose prices apply."""
    fixed, ratio = plan.output()
    if plan.task == "embed":
        output = t("workload_output_none")
    elif plan.translation_ratios:
        names = {s.code: s.name(current_language()) for s in load_samples()}
        ratios = ", ".join(f"{r:.2f} ({enc})" for enc, r in plan.translation_ratios)
        output = t("workload_output_translate", name=names.get(plan.target_language, plan.target_language),
                   ratios=ratios)
    elif ratio is not None:
        output = t("workload_output_ratio", ratio=f"{ratio:g}")
    else:
        output = t("workload_output_fixed", tokens=f"{fixed:,}")
    if plan.question == "traffic":
        key = "workload_caption_traffic_one" if documents == 1 else "workload_caption_traffic"
        volume = t(key, requests=f"{requests:,}", documents=f"{documents:,}")
    else:
        key = "workload_caption_corpus_one" if documents == 1 else "workload_caption_corpus"
        volume = t(key, requests=f"{requests:,}", documents=f"{documents:,}", passes=passes_text(plan.times))
    caption = f"{volume} {t('workload_caption_task', task=t(f'task_{plan.task}'), output=output)}"
    return caption if tier == "standard" else f"{caption} {t('workload_caption_tier', tier=t(f'tier_{tier}'))}"


__all__ = ["PRESETS", "assumptions_from", "passes_text", "plan_caption", "plan_from", "render_workload_inputs"]
