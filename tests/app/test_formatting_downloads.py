"""Money on screen and files handed back: exact rounding, formula cells neutralised."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from hypothesis import given, strategies as st

from pricing.export import csv_bytes, json_bytes, neutralise_formula
from pricing.currency import MoneyView
from ui.formatting import format_money, format_rate, format_share, format_tokens

CNY = MoneyView("CNY", Decimal("7.2"))


def test_money_keeps_small_sums_visible():
    assert format_money(Decimal("1234.567")) == "$1,234.57"
    assert format_money(Decimal("0.0425")) == "$0.0425"
    assert format_money(Decimal("0.000125")) == "$0.000125"
    assert format_money(Decimal("0.0000004")) == "$0.00000040"  # two significant digits, never $0.000000
    assert format_money(Decimal("0.00000594")) == "$0.0000059"
    assert format_money(Decimal(0)) == "$0.00"
    assert format_money(Decimal("-2.5")) == "-$2.50"
    assert format_money(Decimal("0.005"), CNY) == "¥0.0360"
    assert format_money(Decimal("10"), CNY) == "¥72.00"
    assert format_rate(CNY) == "1 USD = 7.2 CNY"


def test_counts_and_shares():
    assert format_tokens(1234567) == "1,234,567"
    assert format_share(Decimal("0.9375")) == "93.8%"
    assert format_share(None) == "–"


def test_formula_cells_are_neutralised():
    for cell in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://x\")"):
        assert neutralise_formula(cell) == "'" + cell
    assert neutralise_formula("hello =1") == "hello =1"
    assert neutralise_formula(-3) == "-3"
    assert neutralise_formula(Decimal("-0.50")) == "-0.5"
    assert neutralise_formula(None) == ""


def test_a_formula_after_leading_spaces_or_line_breaks_is_neutralised():
    # Spreadsheets skip these before a formula sign: " =1+1" and "\n=1+1" still run.
    for cell in (" =1+1", "   @SUM(A1)", "\n=HYPERLINK(\"http://x\")", "\r\n+1", " \n -1", "\t=1"):
        assert neutralise_formula(cell) == "'" + cell
    text = csv_bytes(["h"], [[" =1+1"], ["\n=1+1"]]).decode("utf-8-sig")
    assert [row[0] for row in csv.reader(io.StringIO(text, newline=""))] == ["h", "' =1+1", "'\n=1+1"]
    assert neutralise_formula(" plain text = fine") == " plain text = fine"


@given(st.lists(st.text(max_size=20), min_size=1, max_size=5))
def test_no_csv_cell_can_start_a_formula(cells):
    text = csv_bytes(["h"] * len(cells), [cells]).decode("utf-8-sig")
    row = list(csv.reader(io.StringIO(text, newline="")))[1]
    for written, original in zip(row, cells):
        assert not written.startswith(("=", "+", "-", "@", "\t", "\r"))
        assert written in (original, "'" + original)


def test_json_money_is_exact_text():
    data = json.loads(json_bytes({"cost": Decimal("0.1") + Decimal("0.2"), "n": 3}))
    assert data == {"cost": "0.3", "n": 3}


def test_markdown_in_user_names_is_escaped():
    from ui.formatting import escape_markdown

    assert escape_markdown("**x**_[a](b).csv") == r"\*\*x\*\*\_\[a\](b).csv"
    assert escape_markdown("reviews (1).csv") == "reviews (1).csv"
    assert escape_markdown("~~x~~ $a$ `c` ![i](u)") == r"\~\~x\~\~ \$a\$ \`c\` \!\[i\](u)"
    assert escape_markdown(":red[hi] <img>") == r"\:red\[hi\] \<img\>"
    assert escape_markdown("评论 data") == "评论 data"


def test_an_underscore_inside_a_word_is_left_as_it_is():
    from ui.formatting import escape_markdown

    assert escape_markdown("load_s1.csv") == "load_s1.csv"  # no "\_" for a screen reader to read
    assert escape_markdown("_draft_.csv") == r"\_draft\_.csv"  # these could make italics
    assert escape_markdown("a__b") == r"a\_\_b"


def test_control_and_bidi_characters_in_user_names_are_shown_not_obeyed():
    from ui.formatting import escape_markdown, visible

    # U+202E reverses what follows ("invoice_\u202Efdp.exe" reads "invoice_exe.pdf"); ESC starts
    # a terminal sequence; a newline would start a line of its own in a notice.
    assert visible("invoice_\u202efdp.exe") == "invoice_[U+202E]fdp.exe"
    assert visible("a\x1b[31mb\nc\u2066d\u200fe\x7f") == "a[U+001B][31mb[U+000A]c[U+2066]d[U+200F]e[U+007F]"
    assert visible("评论 data\u3000ok") == "评论 data\u3000ok"
    assert escape_markdown("x\u202e.csv") == r"x\[U+202E\].csv"


def test_a_notice_names_a_file_with_its_bidi_override_shown(open_app):
    at = open_app({"lang": "en"})
    name = "notes\u202evsc.csv"
    at.file_uploader(key="estimate_files").set_value([(name, b"id,text\n", "text/csv")]).run()
    assert not at.exception, at.exception
    assert "notes[U+202E]vsc.csv: the table has a header but no rows" in [x.value for x in at.text]
