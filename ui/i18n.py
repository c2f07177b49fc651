"""The message catalog: every string a user reads, in English and Simplified Chinese.

Catalogs are ``data/messages/<area>.json`` files, each ``{"key": {"en": "...", "zh": "..."}}``;
all of them are merged (a key may live in one file only). ``t(key, **params)`` formats the
message for the current language with ``str.format``.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
import streamlit as st

from ingest import Problem
from ui.formatting import visible

MESSAGES_DIR = Path(__file__).resolve().parent.parent / "data" / "messages"
LANGUAGES = ("en", "zh")
DEFAULT_LANGUAGE = "en"
# Session-state key of the sidebar's language selector (None until the sidebar has run).
LANGUAGE_KEY = "s_lang"


class MessageCatalogError(ValueError):
    """A message file that is not valid: names the file, the key and the fix."""


@functools.cache
def load_messages(directory: Path = MESSAGES_DIR) -> dict[str, dict[str, str]]:
    """Every message, by key, from all ``*.json`` files in ``directory``.

    Raises MessageCatalogError for a key defined twice, a missing language or a non-string.
    """
    merged: dict[str, dict[str, str]] = {}
    origin: dict[str, str] = {}
    for path in sorted(directory.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for key, texts in data.items():
            if key in merged:
                raise MessageCatalogError(f"{path.name}: key {key!r} is already defined in {origin[key]}")
            if not isinstance(texts, dict) or any(not isinstance(texts.get(lang), str) for lang in LANGUAGES):
                raise MessageCatalogError(f"{path.name}: key {key!r} needs a string for each of {LANGUAGES}")
            merged[key] = texts
            origin[key] = path.name
    return merged


def language_from(query_value: str | None, locale: str | None) -> str:
    """The language to use: ``?lang=`` when valid, else the browser locale (zh* -> zh), else English."""
    if query_value in LANGUAGES:
        return query_value
    if locale and locale.lower().startswith("zh"):
        return "zh"
    return DEFAULT_LANGUAGE


def current_language() -> str:
    """The language of this session: the sidebar's choice, else ``?lang=``, else the browser's."""
    chosen = st.session_state.get(LANGUAGE_KEY)
    if chosen in LANGUAGES:
        return chosen
    return language_from(st.query_params.get("lang"), st.context.locale)


def translate(key: str, language: str, **params: object) -> str:
    """The message ``key`` in ``language``, formatted with ``params``.

    An unknown key is returned as itself (a test keeps every used key in the catalog).
    """
    texts = load_messages().get(key)
    if texts is None:
        return key
    template = texts.get(language) or texts[DEFAULT_LANGUAGE]
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def t(key: str, **params: object) -> str:
    """The message ``key`` in the session's language, formatted with ``params``."""
    return translate(key, current_language(), **params)


def t_count(key: str, count: int) -> str:
    """``count`` with its noun, singular or plural: ``key + "_one"`` for 1, else ``key + "_other"``
    ("1 model", "3 models"), ``count`` written with thousands separators."""
    return t(f"{key}_one" if count == 1 else f"{key}_other", count=f"{count:,}")


def problem_text(problem: Problem, language: str | None = None) -> str:
    """A reading problem (``ingest.Problem``) in the user's language.

    Codes this catalog lacks fall back to the core's English sentence.
    """
    texts = load_messages().get(f"problem_{problem.code}")
    if texts is None:
        return problem.message()
    language = language or current_language()
    try:
        return texts[language].format(**_translated_params(problem.params, language))
    except (KeyError, IndexError, ValueError):
        # The core changed a code's parameters: its own sentence is still right.
        return problem.message()


def failure_text(failure) -> str:
    """Why a model could not be priced (a ``pricing.estimates.ModelFailure``), in the user's
    language; a processing tier is named by its label."""
    params = dict(failure.params)
    if "tier" in params:
        params["tier"] = t(f"tier_{params['tier']}")
    return t(f"estimate_fail_{failure.code}", **params)


def _translated_params(params: dict[str, object], language: str) -> dict[str, object]:
    """``params`` with a ``kind`` the core names in English ("binary data", "PNG image") in ``language``.

    Its message key is ``problem_kind_`` + the kind in lower case, runs of other characters as
    "_"; a kind without one stays as the core wrote it.
    """
    # Names, cells and URLs in the parameters are the user's: their control characters are shown.
    params = {key: visible(value) if isinstance(value, str) else value for key, value in params.items()}
    kind = params.get("kind")
    if not isinstance(kind, str):
        return params
    texts = load_messages().get("problem_kind_" + re.sub(r"[^a-z0-9]+", "_", kind.lower()).strip("_"))
    return params if texts is None else {**params, "kind": texts.get(language, kind)}


def note_line(problem: Problem) -> str:
    """A note as a line of plain text (for ``st.text``): where, then what, in the user's language."""
    return f"{visible(problem.where)}: {problem_text(problem)}"


def where_text(problem: Problem) -> str:
    """Where a problem is (a file, a row), its control characters shown."""
    return visible(problem.where)
