"""The message catalog: both languages everywhere, every key the app uses exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

from ingest import MESSAGES, Problem
from ui.i18n import LANGUAGES, language_from, load_messages, problem_text, translate

ROOT = Path(__file__).resolve().parents[2]
CODE = [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py")), *sorted((ROOT / "ui").glob("*.py"))]
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z0-9_]+)["']""")
PREFIX_KEY = re.compile(r"""\bt\(\s*f["']([a-z0-9_]+)\{""")
# Keys named in data rather than in a t("...") call (router titles).
ROUTER_KEY = re.compile(r"""\(\s*"app_pages/[^"]+",\s*"([a-z0-9_]+)\"""")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_has_every_language_with_the_same_placeholders():
    messages = load_messages()
    assert len(messages) > 50
    for key, texts in messages.items():
        for lang in LANGUAGES:
            assert texts[lang].strip(), f"{key} has an empty {lang} text"
        assert _fields(texts["en"]) == _fields(texts["zh"]), key


def test_every_key_used_in_the_app_exists():
    messages = load_messages()
    used, prefixes = set(), set()
    for path in CODE:
        source = path.read_text(encoding="utf-8")
        used |= set(LITERAL_KEY.findall(source)) | set(ROUTER_KEY.findall(source))
        prefixes |= set(PREFIX_KEY.findall(source))
    assert "estimate_title" in used and "page_estimate" in used
    assert sorted(used - set(messages)) == []
    for prefix in prefixes:
        assert any(k.startswith(prefix) for k in messages), prefix


def test_dynamic_keys_exist():
    messages = load_messages()
    for key in ("assume_output_mode_fixed", "assume_output_mode_ratio", "currency_usd", "currency_cny",
                "estimate_fail_unknown_model", "estimate_fail_not_priced", "estimate_fail_no_batch"):
        assert key in messages


def test_every_ingest_problem_code_is_translated():
    messages = load_messages()
    for code, english in MESSAGES.items():
        assert f"problem_{code}" in messages, code
        # A translation may leave a detail out, never ask for one the core does not give.
        assert _fields(messages[f"problem_{code}"]["en"]) <= _fields(english), code


def test_problem_text_translates_and_falls_back_to_english():
    ragged = Problem("ragged_row", "a.csv:3", {"line": 3, "found": 1, "expected": 2})
    assert problem_text(ragged, "en") == "row 3 has 1 fields, the header has 2"
    assert problem_text(ragged, "zh") == "第 3 行有 1 个字段，表头有 2 个"
    unknown = Problem("brand_new_code", "x.txt", {})
    assert problem_text(unknown, "zh") == "brand_new_code"
    changed = Problem("ragged_row", "a.csv:3", {"line": 3})  # params the translation cannot fill
    assert problem_text(changed, "zh") == changed.message()


def test_translate_formats_params_and_keeps_unknown_keys():
    assert translate("metric_tokens", "zh", encoding="o200k_base") == "Token 数（o200k_base，精确）"
    assert translate("no_such_key", "en") == "no_such_key"


def test_language_choice_order():
    assert language_from("zh", "en-US") == "zh"
    assert language_from("en", "zh-CN") == "en"
    assert language_from(None, "zh-TW") == "zh"
    assert language_from("fr", "de-DE") == "en"
    assert language_from(None, None) == "en"


def test_no_message_takes_a_parameter_named_like_translates_own():
    # translate(key, language, **params): a {language} or {key} placeholder could never be filled.
    import string

    from ui.i18n import load_messages

    clashing = {
        key: name
        for key, texts in load_messages().items()
        for text in texts.values()
        for _, name, _, _ in string.Formatter().parse(text)
        if name in ("language", "key")
    }
    assert clashing == {}
