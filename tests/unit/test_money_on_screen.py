"""Money on screen: one rule for every figure (table cells, cards) and both currencies. Two equal
amounts print the same, and a figure gets the places its own size needs, never fewer because of
its row.

Worked by hand in Decimal, from the new-user trial (price date 2026-12-07):
- claude-haiku-4-5-20251001, Batch tier ($0.50 in, $2.50 out per 1M), 5,000 requests of 141
  tokens, answers a fifth as long: 705,000 in -> $0.3525, 141,000 out -> $0.3525, total $0.705.
  At 7.1 CNY per USD each part is 0.3525 x 7.1 = 2.50275 -> ¥2.50; the total 5.0055 -> ¥5.01.
  Main showed ¥2.51 and ¥2.50 (the row's parts were nudged to add up to ¥5.01).
- Flex tier, 5,000 requests of 100 tokens, answers a fifth as long: gpt-5.4 ($1.25 in, $7.50 out)
  500,000 in -> $0.625, 100,000 out -> $0.75, total $1.375; gpt-5.4-mini ($0.375, $2.25) in
  $0.1875, out $0.225, total $0.4125. Main showed gpt-5.4's input as $0.63 (its row total is over
  $1) beside $0.1875.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from pricing import Assumptions, Workload, estimate, load_catalog
from pricing.currency import MoneyView, to_currency
from ui.formatting import format_money
from ui.tables import cost_table

USD = MoneyView()
CNY = MoneyView("CNY", D("7.1"))
DAY = dt.date(2026, 12, 7)
CATALOG = load_catalog()


def shown(rows, view) -> dict[str, dict[str, str]]:
    df = cost_table(rows, view).set_index("Model")
    return {m: {c: df.loc[m, c] for c in ("Input cost", "Output cost", "Total cost")} for m in df.index}


def trial_rows(models, tokens, tier):
    workload = Workload(tokens=tokens, documents=1)
    return estimate(workload, models, CATALOG, Assumptions(as_of=DAY, traffic=True, requests=5000,
                                                             output_ratio=D("0.2"), tier=tier))


def test_conversion_is_exact_decimal_in_the_core():
    assert to_currency(D("0.3525"), CNY) == D("2.50275")
    assert to_currency(D("0.625"), CNY) == D("4.4375")
    assert to_currency(D("0.3525"), USD) == D("0.3525")
    assert CNY.convert(D("0.1875")) == D("1.33125")


def test_equal_amounts_print_the_same_in_both_currencies():
    rows = trial_rows(["claude-haiku-4-5-20251001"], {"claude-3": 141}, "batch")
    assert (rows[0].input_cost, rows[0].output_cost) == (D("0.3525"), D("0.3525"))
    assert shown(rows, USD) == {"claude-haiku-4-5-20251001": {
        "Input cost": "$0.3525", "Output cost": "$0.3525", "Total cost": "$0.7050"}}
    assert shown(rows, CNY) == {"claude-haiku-4-5-20251001": {
        "Input cost": "¥2.50", "Output cost": "¥2.50", "Total cost": "¥5.01"}}


def test_a_figure_keeps_the_places_its_own_size_needs():
    rows = trial_rows(["gpt-5.4", "gpt-5.4-mini"], {"o200k_base": 100}, "flex")
    assert shown(rows, USD) == {
        "gpt-5.4": {"Input cost": "$0.6250", "Output cost": "$0.7500", "Total cost": "$1.38"},
        "gpt-5.4-mini": {"Input cost": "$0.1875", "Output cost": "$0.2250", "Total cost": "$0.4125"},
    }
    # In yuan: 4.4375 -> ¥4.44, 5.325 -> ¥5.33, 9.7625 -> ¥9.76; 1.33125 -> ¥1.33, 1.5975 -> ¥1.60,
    # 2.92875 -> ¥2.93.
    assert shown(rows, CNY) == {
        "gpt-5.4": {"Input cost": "¥4.44", "Output cost": "¥5.33", "Total cost": "¥9.76"},
        "gpt-5.4-mini": {"Input cost": "¥1.33", "Output cost": "¥1.60", "Total cost": "¥2.93"},
    }


def test_a_table_cell_and_a_card_print_an_amount_alike():
    row = trial_rows(["gpt-5.4"], {"o200k_base": 100}, "flex")[0]
    for view in (USD, CNY):
        assert shown([row], view)["gpt-5.4"]["Input cost"] == format_money(row.input_cost, view)
    assert [format_money(D(u)) for u in ("0.625", "1234.5678", "0.0000059", "0", "0.00425")] == [
        "$0.6250", "$1,234.57", "$0.0000059", "$0.00", "$0.004250"]


def test_parts_are_not_nudged_to_add_up_to_the_total():
    # The rule's price: a row's parts, each rounded once, may miss its total by a unit. $0.281 in
    # and $0.3374 out at 7.1: ¥1.9951 -> ¥2.00, ¥2.39554 -> ¥2.40, total ¥4.39064 -> ¥4.39.
    assert [format_money(D(u), CNY) for u in ("0.281", "0.3374", "0.6184")] == ["¥2.00", "¥2.40", "¥4.39"]
