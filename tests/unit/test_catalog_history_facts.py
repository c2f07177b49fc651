"""Corrected facts of the catalog's history (issue 9), each with its date and its source.

Sources (copies read for issue 9):
- OpenAI models page, Jan-Feb 2024: "gpt-3.5-turbo: Currently points to gpt-3.5-turbo-0613. The
  gpt-3.5-turbo model alias will be automatically upgraded from gpt-3.5-turbo-0613 to
  gpt-3.5-turbo-0125 on February 16th."
- OpenAI "Prompt Caching in the API", 2024-10-01: "Starting today, Prompt Caching is automatically
  applied ..."; its table prices o1 mini at $3.00 uncached / $1.50 cached / $12.00 output.
- OpenAI Developers "Introducing the Batch API", 2024-04-15 (openai-python "feat(api): add batch
  API", Mon, 15 Apr 2024).
- OpenAI deprecations page: text-davinci-003 shut down 2024-01-04 (section "2023-07-06: GPT and
  embeddings"); the 2026 shutdown tables (section "2026-04-22: Legacy GPT model snapshots":
  gpt-3.5-turbo-0125 on 2026-10-23; substitute gpt-4.1-mini there, gpt-5.6-terra in the late-2026 copy).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
from decimal import Decimal

import pytest

import cli
from pricing import Assumptions, NotPricedError, PricingError, Workload, estimate, load_catalog
from pricing.saving import tokenizer_saving


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_gpt_35_turbo_on_2024_01_15_is_0613_at_1_50_and_2_per_openai_models_page(catalog):
    price = catalog.price("gpt-3.5-turbo", dt.date(2024, 1, 15))
    assert price.snapshot == "gpt-3.5-turbo-0613"
    assert (price.input_per_mtok, price.output_per_mtok) == (Decimal("1.5"), Decimal("2"))
    assert catalog.price("gpt-3.5-turbo", dt.date(2024, 2, 15)).snapshot == "gpt-3.5-turbo-0613"
    assert catalog.price("gpt-3.5-turbo", dt.date(2024, 2, 16)).snapshot == "gpt-3.5-turbo-0125"


def test_gpt_35_turbo_moved_from_0301_to_0613_on_2023_06_27_per_function_calling_post(catalog):
    assert catalog.price("gpt-3.5-turbo", dt.date(2023, 6, 26)).snapshot == "gpt-3.5-turbo-0301"
    assert catalog.price("gpt-3.5-turbo", dt.date(2023, 6, 27)).snapshot == "gpt-3.5-turbo-0613"


def test_o1_mini_launched_2024_09_12_at_3_and_12_per_openai_prompt_caching_post(catalog):
    launch = catalog.price("o1-mini", dt.date(2024, 9, 12)).period
    assert (launch.input_per_mtok, launch.cached_input_per_mtok, launch.output_per_mtok) == (
        Decimal("3"), None, Decimal("12"))
    assert launch.evidence == "verified"
    cached = catalog.price("o1-mini", dt.date(2024, 10, 1)).period
    assert (cached.input_per_mtok, cached.cached_input_per_mtok, cached.output_per_mtok) == (
        Decimal("3"), Decimal("1.5"), Decimal("12"))


def test_o1_mini_cut_to_1_10_and_4_40_with_o3_minis_launch_2025_01_31_secondary(catalog):
    assert catalog.price("o1-mini", dt.date(2025, 1, 30)).input_per_mtok == Decimal("3")
    cut = catalog.price("o1-mini", dt.date(2025, 1, 31)).period
    assert (cut.input_per_mtok, cut.cached_input_per_mtok, cut.output_per_mtok) == (
        Decimal("1.1"), Decimal("0.55"), Decimal("4.4"))
    assert cut.evidence == "secondary"  # the date comes from third-party catalogs


def test_no_batch_price_before_the_batch_api_launched_2024_04_15(catalog):
    work = Workload(tokens={"cl100k_base": 1000})
    with pytest.raises(PricingError, match="gpt-3.5-turbo has no Batch API price"):
        estimate(work, ["gpt-3.5-turbo"], catalog, Assumptions(batch=True, as_of=dt.date(2024, 4, 14)))
    (row,) = estimate(work, ["gpt-3.5-turbo"], catalog, Assumptions(batch=True, as_of=dt.date(2024, 4, 15)))
    assert row.input_cost == 1000 * Decimal("0.25") / 1_000_000
    for entry in catalog.models.values():
        for period in entry.prices:
            if period.effective_from < dt.date(2024, 4, 15):
                assert period.batch_input_per_mtok is None and period.batch_output_per_mtok is None, entry.id


def test_no_cached_discount_before_prompt_caching_launched_2024_10_01(catalog):
    work = Workload(tokens={"o200k_base": 1_000_000})
    day = dt.date(2024, 9, 15)
    (none,) = estimate(work, ["gpt-4o-mini"], catalog, Assumptions(as_of=day))
    (half,) = estimate(work, ["gpt-4o-mini"], catalog, Assumptions(as_of=day, cached_share=Decimal("0.5")))
    assert half.total_cost == none.total_cost == Decimal("0.15")
    assert "no cached-input price: cached tokens billed as input" in half.notes
    (after,) = estimate(work, ["gpt-4o-mini"], catalog,
                        Assumptions(as_of=dt.date(2024, 10, 1), cached_share=Decimal("0.5")))
    assert after.total_cost == Decimal("0.075") + Decimal("0.0375")
    for entry in catalog.models.values():
        for period in entry.prices:
            if period.effective_from < dt.date(2024, 10, 1):
                assert period.cached_input_per_mtok is None, entry.id


SHUTDOWN_LINE = ("text-davinci-003 was shut down on 2024-01-04; price it as of an earlier date "
                 "or pick a current model")


def test_text_davinci_003_is_refused_from_its_shutdown_2024_01_04_per_openai_deprecations(catalog):
    assert catalog.price("text-davinci-003", dt.date(2024, 1, 3)).input_per_mtok == Decimal("20")
    with pytest.raises(NotPricedError) as refused:
        catalog.price("text-davinci-003", dt.date(2024, 1, 4))
    assert str(refused.value) == SHUTDOWN_LINE
    assert catalog.retired_on("text-davinci-003", dt.date(2024, 1, 3)) is None
    assert catalog.retired_on("text-davinci-003", dt.date(2024, 6, 1)) == dt.date(2024, 1, 4)


def test_cli_refuses_text_davinci_003_after_its_shutdown_with_one_line(capsys):
    out = io.StringIO()
    code = cli.main(["estimate", "--text", "x", "--models", "text-davinci-003", "--as-of", "2024-06-01"], out=out)
    assert code == 2
    assert out.getvalue() == ""
    assert capsys.readouterr().err == f"error: {SHUTDOWN_LINE}\n"


@pytest.mark.parametrize(
    ("model", "shutdown"),
    [
        # OpenAI deprecations page, by section
        ("gpt-3.5-turbo-0301", dt.date(2024, 9, 13)),  # 2023-06-13: Updated chat models
        ("gpt-3.5-turbo-0613", dt.date(2024, 9, 13)),  # 2023-11-06: Chat model updates
        ("gpt-3.5-turbo-16k-0613", dt.date(2024, 9, 13)),
        ("gpt-4-32k", dt.date(2025, 6, 6)),  # 2024-06-06: GPT-4-32K and Vision Preview models
        ("gpt-4.5-preview", dt.date(2025, 7, 14)),  # 2025-04-14: GPT-4.5-preview
        ("o1-preview", dt.date(2025, 7, 28)),  # 2025-04-28: o1-preview and o1-mini
        ("o1-mini", dt.date(2025, 10, 27)),
        # 2026 shutdown tables (late-2026 copy of the page)
        ("gpt-4-0314", dt.date(2026, 3, 26)),
        ("gpt-4-1106-preview", dt.date(2026, 3, 26)),
        ("gpt-4-0125-preview", dt.date(2026, 3, 26)),
        ("gpt-3.5-turbo-1106", dt.date(2026, 9, 28)),
        ("gpt-3.5-turbo-0125", dt.date(2026, 10, 23)),  # 2026-04-22: Legacy GPT model snapshots
        ("gpt-4-0613", dt.date(2026, 10, 23)),
        ("gpt-4-turbo-2024-04-09", dt.date(2026, 10, 23)),
        ("gpt-4.1-nano-2025-04-14", dt.date(2026, 10, 23)),
        ("gpt-4o-2024-05-13", dt.date(2026, 10, 23)),
        ("o1-2024-12-17", dt.date(2026, 10, 23)),
        ("o1-pro", dt.date(2026, 10, 23)),
        ("o3-mini-2025-01-31", dt.date(2026, 10, 23)),
        ("o4-mini-2025-04-16", dt.date(2026, 10, 23)),
        ("gpt-5-2025-08-07", dt.date(2026, 12, 11)),
        ("gpt-5-mini-2025-08-07", dt.date(2026, 12, 11)),
        ("gpt-5-nano-2025-08-07", dt.date(2026, 12, 11)),
        ("o3-2025-04-16", dt.date(2026, 12, 11)),
        ("o3-pro", dt.date(2026, 12, 11)),
    ],
)
def test_shutdown_dates_from_openai_deprecations_page(catalog, model, shutdown):
    entry = catalog.models[model]
    assert entry.shutdown == shutdown
    assert "deprecations" in entry.shutdown_source
    catalog.price(model, shutdown - dt.timedelta(days=1))
    with pytest.raises(NotPricedError, match=f"was shut down on {shutdown}"):
        catalog.price(model, shutdown)


def test_an_alias_says_which_snapshot_was_shut_down(catalog):
    with pytest.raises(NotPricedError, match=r"^gpt-3.5-turbo-16k \(gpt-3.5-turbo-16k-0613\) was shut down on 2024-09-13"):
        catalog.price("gpt-3.5-turbo-16k", dt.date(2024, 9, 13))
    assert catalog.retired_on("gpt-3.5-turbo-16k", dt.date(2024, 9, 13)) == dt.date(2024, 9, 13)
    assert catalog.retired_on("gpt-4o", dt.date(2026, 11, 23)) is None


GPT35_LINE = ("gpt-3.5-turbo (gpt-3.5-turbo-0125) was shut down on 2026-10-23; price it as of an earlier date "
              "or pick a current model")


def test_gpt_35_turbo_is_refused_from_2026_10_23_with_one_line(catalog, capsys):
    assert catalog.price("gpt-3.5-turbo", dt.date(2026, 10, 22)).input_per_mtok == Decimal("0.5")
    with pytest.raises(NotPricedError) as refused:
        catalog.price("gpt-3.5-turbo", dt.date(2026, 10, 23))
    assert str(refused.value) == GPT35_LINE
    out = io.StringIO()
    code = cli.main(["estimate", "--text", "x", "--models", "gpt-3.5-turbo", "--as-of", "2026-12-01"], out=out)
    assert (code, out.getvalue(), capsys.readouterr().err) == (2, "", f"error: {GPT35_LINE}\n")


def test_the_replacement_openai_names_is_in_the_data(catalog):
    # Late-2026 copy: "October 23, 2026 | gpt-3.5-turbo-0125 | gpt-3.5-turbo, gpt-3.5-turbo-completions |
    # gpt-5.6-terra" (gpt-4.1-mini was the substitute only in the page's 2026-04-22 version; issue 19's audit).
    assert catalog.models["gpt-3.5-turbo-0125"].replacement == "gpt-5.6-terra"
    # Section "2023-07-06: GPT and embeddings": text-davinci-003's replacement gpt-3.5-turbo-instruct.
    assert catalog.models["text-davinci-003"].replacement == "gpt-3.5-turbo-instruct"


@pytest.mark.parametrize(
    ("day", "models"),
    [
        (dt.date(2023, 6, 1), ["gpt-3.5-turbo"]),  # neither gpt-4o (2024-05-13) nor gpt-4o-mini yet
        (dt.date(2024, 6, 1), ["gpt-4o", "gpt-3.5-turbo"]),
        (dt.date(2026, 10, 22), ["gpt-4o", "gpt-4o-mini", "gpt-3.5-turbo"]),
        (dt.date(2026, 10, 23), ["gpt-4o", "gpt-4o-mini", "gpt-5.6-terra"]),  # its replacement stands in
    ],
)
def test_default_models_are_those_offered_on_the_price_date(catalog, day, models):
    assert catalog.default_models(day) == models
    assert all(catalog.offered(m, day) for m in models)


def test_the_cli_defaults_follow_the_price_date():
    def priced(day: str) -> list[str]:
        out = io.StringIO()
        assert cli.main(["estimate", "--text", "hello", "--as-of", day, "--format", "json"], out=out) == 0
        return [row["model"] for row in json.loads(out.getvalue())["models"]]

    assert priced("2026-10-22") == ["gpt-4o", "gpt-4o-mini", "gpt-3.5-turbo"]
    assert priced("2026-12-01") == ["gpt-4o", "gpt-4o-mini", "gpt-5.6-terra"]


def test_a_shut_down_model_is_compared_at_its_last_price_and_said_so(catalog):
    """The tokenizer comparison keeps GPT-3.5 Turbo after its shutdown: at its last price
    ($0.50 / $1.50 per 1M on 2026-10-22), named as shut down, so the move away from it still shows."""
    last = catalog.last_price("gpt-3.5-turbo", dt.date(2026, 12, 1))
    assert (last.snapshot, last.input_per_mtok, last.output_per_mtok, last.shutdown) == (
        "gpt-3.5-turbo-0125", Decimal("0.5"), Decimal("1.5"), dt.date(2026, 10, 23))
    assert catalog.last_price("gpt-4o-mini", dt.date(2026, 12, 1)) == catalog.price("gpt-4o-mini", dt.date(2026, 12, 1))

    workload = Workload(tokens={"cl100k_base": 3000, "o200k_base": 1000}, documents=1)
    a = Assumptions(output_tokens_per_request=100, requests=10, as_of=dt.date(2026, 12, 1), traffic=True)
    saving = tokenizer_saving(workload, "gpt-3.5-turbo", "gpt-4o-mini", catalog, a)
    m = Decimal(1_000_000)
    from_cost = (30_000 * Decimal("0.5") + 1000 * Decimal("1.5")) / m  # 10 requests of 3,000 in, 100 out
    to_cost = (10_000 * Decimal("0.15") + 1000 * Decimal("0.6")) / m
    assert (saving.from_cost, saving.to_cost, saving.from_shutdown) == (from_cost, to_cost, dt.date(2026, 10, 23))
    # Before the shutdown nothing is said.
    before = tokenizer_saving(workload, "gpt-3.5-turbo", "gpt-4o-mini", catalog,
                              dataclasses.replace(a, as_of=dt.date(2026, 10, 22)))
    assert before.from_shutdown is None and before.from_cost == from_cost


def test_the_cli_says_the_compared_model_was_shut_down():
    out = io.StringIO()
    assert cli.main(["estimate", "--text", "hello", "--as-of", "2026-12-01"], out=out) == 0
    assert "gpt-3.5-turbo was shut down on 2026-10-23: priced at its last price, what moving away from it saved" \
        in out.getvalue().splitlines()
    out = io.StringIO()
    assert cli.main(["estimate", "--text", "hello", "--as-of", "2026-12-01", "--format", "json"], out=out) == 0
    assert json.loads(out.getvalue())["tokenizer_saving"]["pair"]["from_shutdown"] == "2026-10-23"


@pytest.mark.parametrize(
    ("model", "day", "prices", "evidence"),
    [
        # Launch of the limited preview, 2026-06-26, at list prices (public reports of OpenAI's post).
        ("gpt-5.6-sol", dt.date(2026, 6, 26), ("5", "0.5", "30"), "secondary"),
        ("gpt-5.6-terra", dt.date(2026, 6, 26), ("2.5", "0.25", "15"), "secondary"),
        ("gpt-5.6-luna", dt.date(2026, 7, 29), ("1", "0.1", "6"), "secondary"),
        # Terra and Luna cut on 2026-07-30: the prices are on OpenAI's pricing page, the day only in
        # genai-prices (secondary; issue 19's audit).
        ("gpt-5.6-terra", dt.date(2026, 7, 30), ("2", "0.2", "12"), "secondary"),
        ("gpt-5.6-luna", dt.date(2026, 7, 30), ("0.2", "0.02", "1.2"), "secondary"),
        # Sol's promotion from 2026-08-21, "available at least through November 21, 2026".
        ("gpt-5.6-sol", dt.date(2026, 8, 21), ("4", "0.4", "20"), "secondary"),
        ("gpt-5.6-sol", dt.date(2026, 11, 21), ("4", "0.4", "20"), "secondary"),
        # After it: the list price again, an assumption the data marks unverified.
        ("gpt-5.6-sol", dt.date(2026, 11, 22), ("5", "0.5", "30"), "unverified"),
    ],
)
def test_gpt_56_price_periods(catalog, model, day, prices, evidence):
    price = catalog.price(model, day)
    assert (price.input_per_mtok, price.period.cached_input_per_mtok, price.output_per_mtok) == tuple(map(Decimal, prices))
    assert price.period.evidence == evidence
    with pytest.raises(NotPricedError):
        catalog.price(model, dt.date(2026, 6, 25))  # not offered before its preview
