"""Several text columns in the app: a multiselect prices them with the text column, joined in the
order chosen with a newline, the same tokens as the CLI's --column title,description; the choice and
the group column travel in the share link and come back when the same file is uploaded."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import cli
from ui.formatting import format_tokens

ROOT = Path(__file__).resolve().parents[2]
TICKETS = ROOT / "tests" / "fixtures" / "surfaces" / "tickets.csv"


def address(at) -> dict[str, str]:
    return {k: at.query_params[k] for k in at.query_params}


def upload(at, key: str = "estimate_files"):
    at.file_uploader(key=key).set_value([(TICKETS.name, TICKETS.read_bytes(), "text/csv")]).run()
    assert not at.exception, at.exception
    return at


def test_two_columns_are_priced_together_and_kept_in_the_link(open_app):
    at = upload(open_app({"lang": "en", "date": "2026-10-01"}))
    at.selectbox(key="column_0_tickets.csv").set_value("title").run()
    at.multiselect(key="more_columns_0_tickets.csv").set_value(["description"]).run()
    at.selectbox(key="group_0_tickets.csv").set_value("channel").run()
    out = io.StringIO()
    assert cli.main(["estimate", str(TICKETS), "--column", "title,description", "--as-of", "2026-10-01",
                     "--format", "json"], out=out) == 0
    expected = json.loads(out.getvalue())["tokens"]
    shown = {m.label: m.value for m in at.metric}
    assert shown["Tokens (o200k_base, exact)"] == format_tokens(expected["o200k_base"])
    assert shown["Tokens (cl100k_base, exact)"] == format_tokens(expected["cl100k_base"])
    link = address(at)
    assert (link["cols"], link["group"]) == ("title,description", "channel")

    again = upload(open_app(link))
    assert again.selectbox(key="column_0_tickets.csv").value == "title"
    assert again.multiselect(key="more_columns_0_tickets.csv").value == ["description"]
    assert again.selectbox(key="group_0_tickets.csv").value == "channel"
    assert {m.label: m.value for m in again.metric}["Tokens (o200k_base, exact)"] == shown["Tokens (o200k_base, exact)"]


def test_the_languages_pages_link_keeps_the_group_column(open_app):
    at = open_app({"lang": "en"})
    at.switch_page("app_pages/languages.py").run()
    upload(at, "lang_files")
    at.selectbox(key="lang_group_0_tickets.csv").set_value("channel").run()
    assert address(at)["group"] == "channel"
    groups = {r["channel"] for r in csv.DictReader(io.StringIO(TICKETS.read_text(encoding="utf-8")))}
    yours = next(df.value for df in at.dataframe if "Documents" in df.value.columns)
    assert set(yours["Group"]) == groups
