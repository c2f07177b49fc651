"""Language detection on held-out software UI strings: how many documents get their language.

    python bench/language_heldout.py                      # the report set (the figure in the README)
    python bench/language_heldout.py --set tune           # the set thresholds may be tuned on
    python bench/language_heldout.py --build django-5.2.20-py3-none-any.whl   # rebuild both sets

The sets (tests/fixtures/languages/heldout/, README.md there) are translated UI strings from the
translation catalogs Django ships in its wheel (``pip download django==5.2.20 --no-deps``;
BSD-3-Clause), in 16 languages. "tune" is drawn from the admin's catalogs, "report" from every
other catalog (core, auth, gis, humanize, ...), with no source string of the tune set: rules and
thresholds are chosen on tune, the figure is read on report. Prints the share of documents with
the right language, the share left undetermined ("und"), the wrong answers by language and by
length, and the detector's speed on these strings.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HELDOUT = ROOT / "tests" / "fixtures" / "languages" / "heldout"
# Catalog folder -> ISO 639-1 code. English is the catalogs' source text (msgid).
LOCALES = {"ar": "ar", "de": "de", "es": "es", "fr": "fr", "hi": "hi", "it": "it", "ja": "ja", "ko": "ko",
           "nl": "nl", "pl": "pl", "pt_BR": "pt", "ru": "ru", "tr": "tr", "uk": "uk", "zh_Hans": "zh"}
TUNE_APPS = ("django/contrib/admin/",)
PER_LANGUAGE = {"tune": 40, "report": 60}
LENGTHS = ((0, 20, "< 20 chars"), (20, 60, "20-59 chars"), (60, 10**9, ">= 60 chars"))
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%[sdr]|\{\w*\}")
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def parse_po(text: str) -> list[tuple[str, str]]:
    """(msgid, first msgstr) of each translated, non-fuzzy entry of a .po catalog."""
    entries, current, key, fuzzy = [], {}, None, False

    def flush():
        if current.get("msgid") and current.get("msgstr") and not fuzzy:
            entries.append((current["msgid"], current["msgstr"]))

    for line in text.splitlines() + [""]:
        line = line.strip()
        if not line:
            flush()
            current, key, fuzzy = {}, None, False
        elif line.startswith("#,"):
            fuzzy = fuzzy or "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif line.startswith(("msgid_plural", "msgctxt")) or re.match(r"msgstr\[[1-9]", line):
            key = None  # the plural's other forms and the context are not the text shown
        elif line.startswith(("msgid ", "msgstr ", "msgstr[0] ")):
            key = "msgid" if line.startswith("msgid") else "msgstr"
            current[key] = _unquote(line)
        elif line.startswith('"') and key:
            current[key] += _unquote(line)
    return entries


def _unquote(line: str) -> str:
    match = _STRING.search(line)
    raw = match.group(1) if match else ""
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), raw)


def build(wheel: Path, seed: int = 20) -> None:
    """Write tune.jsonl and report.jsonl from a Django wheel's catalogs."""
    catalogs: dict[str, dict[str, list[tuple[str, str]]]] = {"tune": {}, "report": {}}
    with zipfile.ZipFile(wheel) as zf:
        for name in sorted(zf.namelist()):
            match = re.match(r"(.+)/locale/([^/]+)/LC_MESSAGES/django\.po$", name)
            if not match or match.group(2) not in LOCALES:
                continue
            part = "tune" if name.startswith(TUNE_APPS) else "report"
            entries = parse_po(zf.read(name).decode("utf-8"))
            catalogs[part].setdefault(LOCALES[match.group(2)], []).extend(
                (msgid, msgstr, match.group(1)) for msgid, msgstr in entries)
    tune_ids = {msgid for rows in catalogs["tune"].values() for msgid, _, _ in rows}
    rng = random.Random(seed)
    words: list[dict] = []
    for part, by_language in catalogs.items():
        rows = []
        english: dict[str, str] = {}
        for lang, entries in sorted(by_language.items()):
            usable = sorted({(msgid, msgstr, app) for msgid, msgstr, app in entries
                             if msgstr != msgid and (part == "tune" or msgid not in tune_ids)})
            if part == "report":
                words.extend({"lang": lang, "text": t, "catalog": f"{a}/locale/<lang>"}
                             for _, t, a in usable if is_single_word(t))
            usable = [entry for entry in usable if not is_single_word(entry[1])]
            for msgid, msgstr, app in rng.sample(usable, min(PER_LANGUAGE[part], len(usable))):
                rows.append({"lang": lang, "text": msgstr, "catalog": f"{app}/locale/<lang>"})
            for msgid, _, app in usable:
                english.setdefault(msgid, f"{app}/locale/<lang>")
        candidates = sorted(m for m in english if not is_single_word(m))
        for msgid in rng.sample(candidates, min(PER_LANGUAGE[part], len(candidates))):
            rows.append({"lang": "en", "text": msgid, "catalog": english[msgid] + " (msgid)"})
        with open(HELDOUT / f"{part}.jsonl", "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"{part}: {len(rows)} strings in {len({r['lang'] for r in rows})} languages")
    by_language: dict[str, list[dict]] = {}
    for row in words:
        by_language.setdefault(row["lang"], []).append(row)
    words = [row for rows in by_language.values() for row in rng.sample(rows, min(PER_LANGUAGE["tune"], len(rows)))]
    with open(HELDOUT / "single_words.jsonl", "w", encoding="utf-8") as fh:
        for row in words:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"single words (report catalogs, a set of their own): {len(words)}")


def is_single_word(text: str) -> bool:
    """A label of one word ("Sessions", "Deutsch"), or fewer than 4 Han/kana letters, or no
    letter at all: often the same string in several languages, so left out of the sets."""
    text = _PLACEHOLDER.sub(" ", text)
    if sum(1 for word in text.split() if sum(c.isalpha() for c in word) >= 2) >= 2:
        return False
    cjk = sum(1 for c in text if "\u3040" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7ff")
    return cjk < 4


def load(part: str) -> list[dict]:
    with open(HELDOUT / f"{part}.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _length_bucket(text: str) -> str:
    return next(label for low, high, label in LENGTHS if low <= len(text) < high)


def evaluate(part: str) -> None:
    from ingest.languages import LANGUAGE_DETECTOR, UNDETERMINED, detect_language

    rows = load(part)
    answers = [detect_language(row["text"]) for row in rows]  # loads both models
    start = time.perf_counter()
    answers = [detect_language(row["text"]) for row in rows]
    seconds = time.perf_counter() - start
    right = sum(a == r["lang"] for a, r in zip(answers, rows))
    und = sum(a == UNDETERMINED for a in answers)
    n = len(rows)
    print(f"{part} set: {n} software UI strings in {len({r['lang'] for r in rows})} languages "
          f"(Django's catalogs), detector: project ({LANGUAGE_DETECTOR} + script rules)")
    print(f"right language: {right}/{n} = {right / n:.1%}; undetermined: {und}/{n} = {und / n:.1%}; "
          f"wrong language: {n - right - und}/{n} = {(n - right - und) / n:.1%}")
    print(f"speed: {n / seconds:,.0f} strings/s ({seconds * 1e3 / n:.3f} ms each, models loaded)")
    by_lang: dict[str, Counter] = {}
    by_length: dict[str, Counter] = {}
    for answer, row in zip(answers, rows):
        verdict = "right" if answer == row["lang"] else answer
        by_lang.setdefault(row["lang"], Counter())[verdict] += 1
        by_length.setdefault(_length_bucket(row["text"]), Counter())[verdict] += 1
    print("\nby language (right/all; wrong answers):")
    for lang, c in sorted(by_lang.items()):
        wrong = ", ".join(f"{k} {v}" for k, v in c.most_common() if k != "right")
        print(f"  {lang:3} {c['right']:3}/{sum(c.values()):3}  {wrong}")
    print("by length:")
    for _, _, label in LENGTHS:
        c = by_length.get(label, Counter())
        total = sum(c.values())
        if total:
            print(f"  {label:12} {c['right']:4}/{total:4} = {c['right'] / total:.1%}  (und {c[UNDETERMINED]})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", choices=("report", "tune", "single_words"), default="report")
    parser.add_argument("--build", type=Path, metavar="WHEEL", help="rebuild the sets from a Django wheel")
    args = parser.parse_args()
    if args.build:
        build(args.build)
        return
    evaluate(args.set)


if __name__ == "__main__":
    main()
