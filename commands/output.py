"""Writing the command line's reports as a table, JSON or CSV (money as exact decimal text)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from ingest import MESSAGES
from ingest.documents import visible
from ingest.languages import FULL_DOCUMENTS
from pricing.export import write_csv
from pricing.export import plain
from pricing.count_methods import tokenizer_method
from pricing.rules import RuleNote, in_words
from tokenizers.sampling import EXACT

ESTIMATE_FIELDS = ["model", "tokenizer", "count_method", "counted_with", "input_tokens", "output_tokens",
                   "input_cost_usd", "output_cost_usd", "total_cost_usd"]
QUICK_FIELDS = ["total_cost_usd_low", "total_cost_usd_high"]
REQUEST_FIELDS = ["model", "encoding", "count_method", "requests", "input_tokens", "output_tokens", "total_cost_usd",
                  "max_total_cost_usd", "cached_input_tokens_estimate", "total_cost_usd_with_cache_estimate"]
FINE_TUNING_FIELDS = ["model", "encoding", "examples", "epochs", "example_limit", "dataset_tokens",
                      "training_tokens", "training_per_mtok", "training_cost_usd", "too_long"]


#: The rule of a row priced at the listed rates alone: not repeated under the table.
STANDARD_RULE = in_words(RuleNote("rule_standard"))


def cell(value) -> str:
    """One value as text: Decimal without exponent or trailing zeros, dates ISO, None as "-"."""
    if value is None:
        return "-"
    if isinstance(value, (Decimal, dt.date)):
        return str(plain(value))
    return str(value)


def dumps(value) -> str:
    """JSON with money as exact decimal strings."""
    return json.dumps(plain(value), indent=2, ensure_ascii=False)


def write_table(rows: list[dict], fields: list[str], fmt: str, out) -> None:
    """``rows`` as CSV (``fmt == "csv"``) or as an aligned text table."""
    if fmt == "csv":
        # The one CSV writer (formula cells neutralised, as in the app's downloads).
        write_csv(out, fields, ([None if row.get(k) is None else cell(row[k]) for k in fields] for row in rows),
                  line_end="\n")
        return
    text_rows = [[cell(row.get(k)) for k in fields] for row in rows]
    widths = [max(len(f), *(len(r[i]) for r in text_rows)) if text_rows else len(f) for i, f in enumerate(fields)]
    out.write("  ".join(f.ljust(w) for f, w in zip(fields, widths)).rstrip() + "\n")
    for r in text_rows:
        out.write("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() + "\n")


def _interval(low: int, high: int) -> str:
    # Millions with as many decimals as it takes for the two ends to differ ("3.01M-3.04M").
    if high < 100_000:
        return f"{low:,}-{high:,}"
    for places in range(1, 7):
        lo, hi = f"{low / 1_000_000:.{places}f}M", f"{high / 1_000_000:.{places}f}M"
        if lo != hi:
            return f"{lo}-{hi}"
    return f"{low:,}-{high:,}"


def estimate_tokens_label(encoding: str, estimate: dict) -> str:
    """One encoding's tokens in a quick report: exact ("o200k_base: 1,234 tokens (exact)") or
    "o200k_base: ~52,837,800 tokens (95%: 52.6M-53.0M, estimate)"."""
    if estimate["method"] == EXACT:  # not sampled: counted as the tokenizer counts (exact, or reconstructed)
        return f"{encoding}: {estimate['tokens']:,} tokens ({tokenizer_method(encoding)})"
    return (f"{encoding}: ~{estimate['tokens']:,} tokens ({estimate['confidence']:.0%}: "
            f"{_interval(estimate['low'], estimate['high'])}, estimate)")


GROUP_FIELDS = ["documents", "fewer_tokens_share", "cost_from_usd", "cost_to_usd", "saving_usd", "input_saving_usd",
                "tokenizer_saving_usd", "price_saving_usd"]
_QUESTION_WORDS = {"corpus": "the corpus, processed {times}: each document one request",
                   "traffic": "traffic: {times} requests a month, each like the average document"}
_TASK_WORDS = {"classify": "classify", "extract": "extract", "summarize": "summarize", "translate": "translate",
               "embed": "embed (input only)", "chat": "chat", "custom": "custom"}


def _share(value) -> str:
    return "-" if value is None else f"{Decimal(value) * 100:.1f}%"


def _workload_lines(report: dict) -> list[str]:
    """What was asked and read, in words: the question, the task's output, each source."""
    w = report["workload"]
    output = (f"{w['output_ratio']} x the input tokens per request" if w["output_ratio"] is not None
              else f"{w['output_tokens_per_request']} output tokens per request")
    times = ("once" if w["times"] == 1 else f"{w['times']:,} times") if w["question"] == "corpus" else f"{w['times']:,}"
    lines = [f"requests priced: {report['requests']:,} ({_QUESTION_WORDS[w['question']].format(times=times)})",
             f"task: {_TASK_WORDS[w['task']]}: {output}" + ("" if w.get("tier", "standard") == "standard"
                                                            else f"; processing tier: {w['tier']}")]
    for s in report.get("sources", []):
        column = ""
        if s["column"] is not None:
            column = f", column {s['column']!r} ({'chosen by content' if s['column_chosen_by_content'] else 'given'})"
        if s.get("json_field"):
            column = f", field {s['json_field']!r}"
        encoding = f", read as {s['encoding']}" if s["encoding"] else ""
        if s.get("encoding_single_byte_guess"):
            encoding += (" (a single-byte encoding, guessed: it decodes any bytes, so if the text is not in a"
                         " Latin or Cyrillic alphabet, name the file's encoding with --encoding, e.g. --encoding gb18030)")
        documents = f"{s['documents']:,} document{'' if s['documents'] == 1 else 's'}"
        compression = f", {s['compression']}" if s.get("compression") else ""
        lines.append(visible(f"source {s['path']}: {s['format']}{compression}{encoding}{column}, {documents}"))
    saving = report.get("tokenizer_saving")
    if saving:
        lines.append(f"o200k_base needs {_share(saving['fewer_tokens_share'])} fewer tokens than cl100k_base here "
                     f"({saving['o200k_base']:,} vs {saving['cl100k_base']:,})")
        pair, asked = saving["pair"], saving.get("pair_asked")
        if pair and asked:
            lines.append(f"{asked['from']} -> {asked['to']} cannot be compared on {cell(report['as_of'])}: compared "
                         f"with {pair['from']} -> {pair['to']} instead (a chosen model with a price that day)")
        if pair:
            lines.append(f"{pair['from']} -> {pair['to']}: saves {cell(pair['saving_usd'])} USD "
                         f"(input side {cell(pair['input_saving_usd'])}): the tokenizer saves "
                         f"{cell(pair['tokenizer_saving_usd'])}, the prices {cell(pair['price_saving_usd'])}")
            if pair.get("from_shutdown"):
                lines.append(f"{pair['from']} was shut down on {pair['from_shutdown']}: priced at its last price, "
                             "what moving away from it saved")
    return lines


def _breakdown_rows(entries: dict, key: str) -> list[dict]:
    rows = []
    for name, e in entries.items():
        row = {key: name, **{f: e.get(f) for f in GROUP_FIELDS if f in e}}
        row.update({f"tokens_{enc}": n for enc, n in e["tokens"].items()})
        rows.append(row)
    return rows


def tax_rows(tax: dict) -> tuple[list[dict], list[str]]:
    """The tokenizer tax as one row per language (the user's, "sample:<code>" for the built-in
    parallel texts): per tokenizer, tokens per English token ("x_<name>") and, for the user's
    languages, the cost on that tokenizer's cheapest model ("cost_usd_<name>")."""
    names = list(dict.fromkeys(n for per in (*tax["samples"].values(), *tax["languages"].values()) for n in per))
    rows = [{"tax_language": code, **{f"x_{n}": v[n]["relative_to_english"] for n in v},
             **{f"cost_usd_{n}": v[n]["cost_usd"] for n in v}} for code, v in tax["languages"].items()]
    rows += [{"tax_language": f"sample:{code}", **{f"x_{n}": v[n]["relative_to_english"] for n in v}}
             for code, v in tax["samples"].items()]
    return rows, ["tax_language", *(f"x_{n}" for n in names), *(f"cost_usd_{n}" for n in names)]


def write_estimate_report(report: dict, fmt: str, out) -> None:
    """An `estimate` report (estimate_report or quick_report) as JSON, CSV or a table.

    The table starts with the workload in words (requests priced, task, each source as read,
    the tokenizer saving), then one row per model, then the groups and languages when present.
    CSV holds the same tables one after another, a blank line between them. A quick report's
    rows add the cost bounds, its table header the token intervals.
    """
    if fmt == "json":
        out.write(dumps(report) + "\n")
        return
    quick = "estimate" in report
    if fmt == "table":
        tokens = (
            [estimate_tokens_label(enc, e) for enc, e in report["estimate"].items()]
            if quick
            else [f"{enc}: {n} tokens" for enc, n in report["tokens"].items()]
        )
        out.write(f"documents: {report['documents']}  skipped: {len(report['skipped'])}  " + "  ".join(tokens)
                  + _price_date(report) + "\n")
        if "workload" in report:
            out.write("\n".join(_workload_lines(report)) + "\n")
        out.write("\n")
    fields = ESTIMATE_FIELDS + (QUICK_FIELDS if quick else ["cost_per_request_usd"])
    write_table(report["models"], fields, fmt, out)
    for key, title in (("groups", "group"), ("languages", "language")):
        if key in report:
            out.write("\n")
            rows = _breakdown_rows(report[key], title)
            # After the documents, one column per tokenizer counted (tokens_<name>), in the report's order.
            counted = list(dict.fromkeys(f for r in rows for f in r if f.startswith("tokens_")))
            present = [f for f in GROUP_FIELDS if any(f in r for r in rows)]
            write_table(rows, [title, *present[:1], *counted, *present[1:]], fmt, out)
    if "tokenizer_tax" in report:
        out.write("\n")
        rows, fields = tax_rows(report["tokenizer_tax"])
        write_table(rows, fields, fmt, out)
    if fmt == "table" and report.get("languages_detected", report["documents"]) < report["documents"]:
        out.write(f"languages: detected on a sample of {report['languages_detected']:,} of {report['documents']:,} "
                  f"documents (all of the first {FULL_DOCUMENTS:,}, then about {FULL_DOCUMENTS // 2:,} more each time "
                  "the corpus doubles); the others are shared out by the languages of the sample\n")
    if fmt == "table":
        for row in report["models"]:
            rules = [r for r in row.get("rules", ()) if r != STANDARD_RULE]
            if rules:
                out.write(f"{row['model']} priced by: {'; '.join(rules)}\n")
            for note in row.get("notes", ()):
                out.write(f"{row['model']}: {note}\n")
        for s in report["skipped"]:
            out.write(f"skipped {_problem_line(s)}\n")
        for n in report.get("notes", ()):
            out.write(f"note {_problem_line(n)}\n")


def write_request_report(report: dict, fmt: str, out) -> None:
    if fmt == "json":
        out.write(dumps(report) + "\n")
        return
    several = "files" in report
    files = report["files"] if several else [report]
    if fmt == "table":
        if several:
            out.write(f"files: {len(files)}  requests: {report['documents']}  skipped: {len(report['skipped'])}"
                      f"{_price_date(report)}\n")
        for f in files:
            out.write(f"{f['file'] + ': ' if several else ''}requests: {f['documents']} "
                      f"({f['form']}{', Batch API' if f['batch'] else ''})"
                      f"{'' if several else '  skipped: ' + str(len(f['skipped'])) + _price_date(report)}\n")
        out.write("\n")
    write_table(report["models"], REQUEST_FIELDS, fmt, out)
    if fmt == "table":
        if "output_assumption" in report:
            out.write(_output_assumption_line(report["output_assumption"]) + "\n")
        for m in report["models"]:
            if not m["chat_overhead_stated"]:
                out.write(f"{m['model']} ({m['encoding']}): {MESSAGES['estimate_no_chat_overhead']}\n")
        for f in files:
            for r in f["requests"]:
                if r["flags"]:
                    out.write(f"{f['file'] + ' ' if several else ''}line {r['line']} on {r['model']}: "
                              f"{'; '.join(MESSAGES['flag_' + flag] for flag in r['flags'])}\n")
        for p in report["skipped"] + report["notes"]:
            out.write(f"{_problem_line(p)}\n")


def _problem_line(problem: dict) -> str:
    """A problem's place and sentence for a terminal: control characters in them (an ESC in a
    file name starts a terminal sequence) shown, never obeyed."""
    return f"{visible(problem['where'])}: {visible(problem['why'])}"


def _price_date(report: dict) -> str:
    """The price date a table's figures are of (every table names it)."""
    return f"  prices of: {cell(report['as_of'])}" if report.get("as_of") is not None else ""


def _output_assumption_line(assumed: dict) -> str:
    """A request file's output assumption in words (what the totals rest on, and the bound)."""
    reply = (f"{assumed['reply_tokens']} tokens" if assumed["reply_ratio"] is None
             else f"{cell(assumed['reply_ratio'])} x its prompt tokens")
    return (f"output: an assumed reply of {reply} per request, held to each request's max_tokens; "
            "max_total_cost_usd: the upper bound, each request using its whole max_tokens")


def _lines(lines: list[int]) -> str:
    return f"line {lines[0]}" if len(lines) == 1 else f"lines {', '.join(map(str, lines))}"


def write_fine_tuning_report(report: dict, fmt: str, out) -> None:
    if fmt == "json":
        out.write(dumps(report) + "\n")
        return
    rows = [m | {"too_long": len(m["too_long"])} for m in report["models"]]
    if fmt == "table":
        out.write(f"examples: {report['examples']}  skipped: {len(report['skipped'])}\n\n")
    write_table(rows, FINE_TUNING_FIELDS, fmt, out)
    if fmt == "table":
        for m in report["models"]:
            for x in m["too_long"]:
                out.write(f"line {x['line']} on {m['model']}: {x['tokens']} tokens, more than the limit of "
                          f"{m['example_limit']}: cut in training and billed at the limit\n")
        for p in report["skipped"]:
            out.write(f"skipped {_problem_line(p)}\n")
        if report.get("no_assistant_lines"):
            out.write(f"{_lines(report['no_assistant_lines'])}: no assistant reply; "
                      "not billed as training (OpenAI rejects such examples)\n")
        for m in report.get("not_priced", []):
            out.write(f"{m['model']}: not priced: it is fine-tuned on text only, and the examples on "
                      f"{_lines(m['lines'])} have images\n")
