"""The price catalog: the committed data against the reference facts, validation on load, overrides."""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from pricing import (
    DEFAULT_CATALOG,
    CatalogError,
    NotPricedError,
    UnknownModelError,
    json_schema,
    load_catalog,
)
from pricing.catalog import SCHEMA_FILE

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "catalogs"
MINIMAL = FIXTURES / "minimal.json"
NEGOTIATED = FIXTURES / "negotiated.json"
TODAY = dt.date(2026, 11, 23)  # the catalog's `checked` day; fixed so the tests do not drift
PRICE_FIELDS = (
    "input_per_mtok",
    "cached_input_per_mtok",
    "output_per_mtok",
    "batch_input_per_mtok",
    "batch_output_per_mtok",
)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def _reference_rows() -> list[dict]:
    return json.loads((FIXTURES / "reference_prices.json").read_text(encoding="utf-8"), parse_float=Decimal)["rows"]


def _reference_id(row: dict) -> str:
    return f"{row['model']}@{row['effective_from'] or 'current'}"


# --- the committed catalog against the reference facts ---------------------------------------


def test_schema_file_is_in_step_with_the_models():
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == json_schema()


def test_committed_catalog_points_at_its_schema():
    raw = json.loads(DEFAULT_CATALOG.read_text(encoding="utf-8"))
    assert raw["$schema"] == "./catalog.schema.json"


def test_every_reference_model_is_in_the_catalog(catalog):
    assert {r["model"] for r in _reference_rows()} <= set(catalog.models)
    # 43 chat snapshots + 3 embedding models, and the 12 the audit of 2026-12 found missing (issue 19)
    assert len([m for m in catalog.models if catalog.vendor_of(m) == "openai"]) == 58
    assert len(catalog.aliases) == 17


# The reference's "current" row for gpt-5.6-sol is the promotional price, which the pricing page
# said was offered "at least through November 21, 2026"; the catalog's later period is assumed.
REFERENCE_DAY = {"gpt-5.6-sol": dt.date(2026, 11, 21)}


def _last_day(catalog, model: str) -> dt.date:
    """TODAY, or the last day ``model`` was served if it was shut down by then."""
    if model in REFERENCE_DAY:
        return REFERENCE_DAY[model]
    shutdown = catalog.models[model].shutdown
    return TODAY if shutdown is None or shutdown > TODAY else shutdown - dt.timedelta(days=1)


@pytest.mark.parametrize("row", _reference_rows(), ids=_reference_id)
def test_prices_limits_and_encoding_match_the_reference(catalog, row):
    day = dt.date.fromisoformat(row["effective_from"]) if row["effective_from"] else _last_day(catalog, row["model"])
    price = catalog.price(row["model"], day)
    assert price.snapshot == row["model"]
    for name in PRICE_FIELDS:
        assert getattr(price.period, name) == row[name], name
    assert price.context_window == row["context_window"]
    assert price.max_output_tokens == row["max_output_tokens"]
    if row["effective_from"]:
        assert price.period.effective_from == day
    if row["encoding"] is None:
        # tiktoken has no mapping (GPT-6): the catalog may assume one, but must say so.
        assert price.encoding_evidence == "unverified"
        assert "ASSUMED" in catalog.models[row["model"]].notes
    else:
        assert (price.encoding, price.encoding_evidence) == (row["encoding"], "verified")


def test_every_doubtful_figure_carries_a_note(catalog):
    for entry in catalog.models.values():
        for period in entry.prices:
            if period.evidence != "verified":
                assert period.note, f"{entry.id} {period.effective_from}"
        if entry.encoding_evidence != "verified":
            assert entry.notes, entry.id


@pytest.mark.parametrize(
    ("model", "day", "evidence"),
    [
        ("text-davinci-003", dt.date(2023, 12, 1), "unverified"),  # third-party price, unknown date
        ("gpt-3.5-turbo-0301", dt.date(2023, 3, 1), "verified"),
        ("gpt-3.5-turbo-0301", dt.date(2023, 6, 13), "secondary"),
        ("gpt-4-0125-preview", dt.date(2026, 3, 25), "secondary"),  # its last day (shut down 2026-03-26)
        ("gpt-4o-2024-11-20", TODAY, "secondary"),
        ("o3-2025-04-16", dt.date(2025, 4, 16), "secondary"),  # launch price: conflicting sources
        ("o3-2025-04-16", TODAY, "secondary"),  # the price is OpenAI's; its 2025-06-10 start is secondary
        ("gpt-5.6-sol", dt.date(2026, 11, 21), "secondary"),  # promotional price
        ("gpt-5.6-sol", TODAY, "unverified"),  # the list price assumed back after the promotion
        ("gpt-6-astra", TODAY, "secondary"),  # as printed by OpenAI, but its 2026-09-03 start is secondary
        ("gpt-4o-2024-08-06", TODAY, "verified"),  # stated by OpenAI on its launch day
    ],
)
def test_price_evidence_is_flagged(catalog, model, day, evidence):
    assert catalog.price(model, day).period.evidence == evidence


@pytest.mark.parametrize(
    ("model", "limits_evidence"),
    [
        ("text-davinci-003", "unverified"),
        ("gpt-4-32k", "secondary"),
        ("gpt-4o-2024-05-13", "secondary"),  # 4,096 max output from a third party
        ("gpt-4o-2024-08-06", "verified"),
        ("o1-2024-12-17", "secondary"),
        ("gpt-6-sol", "secondary"),  # 1,050,000 from LiteLLM's launch-day post
    ],
)
def test_limits_evidence_is_flagged(catalog, model, limits_evidence):
    assert catalog.models[model].limits_evidence == limits_evidence


@pytest.mark.parametrize(
    ("alias", "day", "snapshot", "prices"),
    [
        ("gpt-4o", dt.date(2024, 5, 20), "gpt-4o-2024-05-13", ("5", None, "15")),
        ("gpt-4o", TODAY, "gpt-4o-2024-08-06", ("2.5", "1.25", "10")),
        ("gpt-4o-mini", TODAY, "gpt-4o-mini-2024-07-18", ("0.15", "0.075", "0.6")),
        ("gpt-3.5-turbo", dt.date(2023, 3, 1), "gpt-3.5-turbo-0301", ("2", None, "2")),
        # Their last day: all three were shut down on 2026-10-23.
        ("gpt-3.5-turbo", dt.date(2026, 10, 22), "gpt-3.5-turbo-0125", ("0.5", None, "1.5")),
        ("gpt-4", dt.date(2026, 10, 22), "gpt-4-0613", ("30", None, "60")),
        ("gpt-4-turbo", dt.date(2026, 10, 22), "gpt-4-turbo-2024-04-09", ("10", None, "30")),
        ("o3", dt.date(2025, 5, 1), "o3-2025-04-16", ("10", "2.5", "40")),
        ("o3", TODAY, "o3-2025-04-16", ("2", "0.5", "8")),
    ],
)
def test_aliases_resolve_by_date(catalog, alias, day, snapshot, prices):
    price = catalog.price(alias, day)
    assert (price.model, price.snapshot) == (alias, snapshot)
    expected = tuple(None if p is None else Decimal(p) for p in prices)
    assert (price.input_per_mtok, price.period.cached_input_per_mtok, price.output_per_mtok) == expected


def test_ids_list_snapshots_and_aliases(catalog):
    ids = catalog.ids()
    assert ids == sorted(ids)
    assert {"gpt-4o", "gpt-4o-mini", "gpt-3.5-turbo", "gpt-4o-2024-08-06"} <= set(ids)


def test_alias_before_it_existed_is_not_priced(catalog):
    with pytest.raises(NotPricedError, match=r"gpt-4o did not exist on 2024-05-12 \(it starts on 2024-05-13\)"):
        catalog.price("gpt-4o", dt.date(2024, 5, 12))


def test_unknown_model_suggests_close_ids(catalog):
    with pytest.raises(UnknownModelError) as info:
        catalog.price("gpt-4o-mni", TODAY)
    assert info.value.suggestions[0] == "gpt-4o-mini"
    assert str(info.value).startswith("unknown model 'gpt-4o-mni'; did you mean gpt-4o-mini")


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        # training, input, cached input, output, batch input, batch output (USD per 1M tokens)
        ("gpt-4o-mini", ("3", "0.3", "0.15", "1.2", "0.15", "0.6")),
        ("gpt-4o", ("25", "3.75", "1.875", "15", "2.225", "12.5")),  # batch as printed by OpenAI
        ("gpt-3.5-turbo", ("8", "3", None, "6", "1.5", "3")),
    ],
)
def test_fine_tuning_prices(catalog, model, expected):
    ft = catalog.last_price(model, TODAY).fine_tuning  # gpt-3.5-turbo: its last price (shut down 2026-10-23)
    got = (
        ft.training_per_mtok,
        ft.input_per_mtok,
        ft.cached_input_per_mtok,
        ft.output_per_mtok,
        ft.batch_input_per_mtok,
        ft.batch_output_per_mtok,
    )
    assert got == tuple(None if e is None else Decimal(e) for e in expected)
    assert ft.evidence == "verified"


def test_prices_are_exact_decimals(catalog):
    # 0.075 read as a binary float would not be 0.075 exactly.
    cached = catalog.price("gpt-4o-mini", TODAY).period.cached_input_per_mtok
    assert isinstance(cached, Decimal) and cached == Decimal("0.075")


# --- validation on load --------------------------------------------------------------------


def _write(tmp_path: Path, change=None, raw: bytes | None = None) -> Path:
    path = tmp_path / "prices.json"
    if raw is not None:
        path.write_bytes(raw)
        return path
    doc = json.loads(MINIMAL.read_text(encoding="utf-8"))
    if change is not None:
        change(doc)
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _period(doc: dict, model: int, period: int) -> dict:
    return doc["models"][model]["prices"][period]


def test_minimal_fixture_loads(tmp_path):
    catalog = load_catalog(_write(tmp_path))
    assert catalog.ids() == ["tiny", "tiny-4o", "tiny-cl"]
    assert catalog.price("tiny", dt.date(2024, 6, 30)).snapshot == "tiny-cl"
    assert catalog.price("tiny", dt.date(2024, 7, 1)).snapshot == "tiny-4o"


BAD_FILES = [
    (
        "unknown field",
        lambda d: d["models"][0].__setitem__("inptu_per_mtok", 1),
        "model 'tiny-4o': inptu_per_mtok: unknown field; remove it or check its spelling",
    ),
    (
        "unknown field in a period",
        lambda d: _period(d, 0, 0).__setitem__("discount", 0.1),
        "model 'tiny-4o': prices[2024-01-01].discount: unknown field; remove it or check its spelling",
    ),
    (
        "unknown top-level field",
        lambda d: d.__setitem__("modles", []),
        "modles: unknown field; remove it or check its spelling",
    ),
    (
        "negative price",
        lambda d: _period(d, 0, 1).__setitem__("input_per_mtok", -1),
        "model 'tiny-4o': prices[2024-07-01].input_per_mtok: got -1; it cannot be below 0 (prices are USD per 1M tokens)",
    ),
    (
        "missing price",
        lambda d: _period(d, 0, 1).pop("output_per_mtok"),
        "model 'tiny-4o': prices[2024-07-01].output_per_mtok: required field is missing; add it",
    ),
    (
        "price that is not a number",
        lambda d: _period(d, 1, 0).__setitem__("input_per_mtok", "cheap"),
        "model 'tiny-cl': prices[2023-01-01].input_per_mtok: got 'cheap'; write a number (USD per 1M tokens)",
    ),
    (
        "unknown encoding",
        lambda d: d["models"][1].__setitem__("encoding", "o300k_base"),
        "model 'tiny-cl': encoding: unknown encoding; use one of o200k_base, cl100k_base, p50k_base, r50k_base, llama3, llama4, qwen2, qwen3.6, deepseek-v3, tekken-240718, gemma3, claude-3, claude-4.7, gemma4, grok (tokenizers/registry.py) (got 'o300k_base')",
    ),
    (
        "overlapping periods",
        lambda d: _period(d, 0, 0).__setitem__("effective_to", "2024-08-01"),
        "model 'tiny-4o': price periods overlap: the one from 2024-01-01 must end (effective_to) on or before 2024-07-01",
    ),
    (
        "an open period before another",
        lambda d: _period(d, 0, 0).pop("effective_to"),
        "model 'tiny-4o': price periods overlap: the one from 2024-01-01 must end (effective_to) on or before 2024-07-01",
    ),
    (
        "unordered periods",
        lambda d: d["models"][0]["prices"].reverse(),
        "model 'tiny-4o': price periods must be in date order: 2024-01-01 comes after 2024-07-01; sort them oldest first",
    ),
    (
        "period ending before it starts",
        lambda d: _period(d, 0, 0).__setitem__("effective_to", "2023-12-01"),
        "model 'tiny-4o': prices[2024-01-01]: effective_to 2023-12-01 must be after effective_from 2024-01-01",
    ),
    (
        "overlapping alias periods",
        lambda d: d["aliases"][0]["periods"][0].__setitem__("effective_to", "2024-08-01"),
        "alias 'tiny': alias periods overlap: the one from 2023-01-01 must end (effective_to) on or before 2024-07-01",
    ),
    (
        "duplicate model id",
        lambda d: d["models"].append(copy.deepcopy(d["models"][1])),
        "model 'tiny-cl' appears twice; keep one entry per id",
    ),
    (
        "duplicate alias",
        lambda d: d["aliases"].append(copy.deepcopy(d["aliases"][0])),
        "alias 'tiny' appears twice; keep one entry per id",
    ),
    (
        "alias to a missing model",
        lambda d: d["aliases"][0]["periods"][1].__setitem__("target", "tiny-5o"),
        "alias 'tiny' points to 'tiny-5o', which is not a model in the catalog; add the model or fix the target",
    ),
    (
        "alias named like a model",
        lambda d: d["aliases"][0].__setitem__("id", "tiny-cl"),
        "alias 'tiny-cl' has the same id as a model; rename one",
    ),
    (
        "model without an id",
        lambda d: d["models"][1].pop("id"),
        "model #2: id: required field is missing; add it",
    ),
]


@pytest.mark.parametrize(("change", "message"), [b[1:] for b in BAD_FILES], ids=[b[0] for b in BAD_FILES])
def test_bad_catalog_is_refused_naming_file_model_and_fix(tmp_path, change, message):
    path = _write(tmp_path, change)
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    assert str(info.value) == f"{path}: {message}"


def test_every_problem_in_a_file_is_listed(tmp_path):
    def two_problems(doc):
        _period(doc, 0, 1)["input_per_mtok"] = -1
        doc["models"][1]["encoding"] = "gpt2"

    path = _write(tmp_path, two_problems)
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    lines = str(info.value).splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{path}: model 'tiny-4o': prices[2024-07-01].input_per_mtok: got -1")
    assert lines[1].startswith(f"{path}: model 'tiny-cl': encoding: unknown encoding; use one of o200k_base")
    assert lines[1].endswith("(got 'gpt2')")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b'{"models": [\n  {"id": "x",}\n]}', "not valid JSON at line 2, column 14: Expecting property name enclosed in double quotes; fix the syntax there"),
        (b"", "not valid JSON at line 1, column 1: Expecting value; fix the syntax there"),
        ('{"models": [], "checked": "caf\u00e9"}'.encode("latin-1"), "the catalog is not UTF-8 text; save it as UTF-8"),
        (b"[]", 'expected a JSON object (with "models" and optionally "aliases")'),
    ],
    ids=["bad JSON", "empty file", "not UTF-8", "not an object"],
)
def test_unreadable_catalog_is_refused_naming_file_and_fix(tmp_path, raw, message):
    path = _write(tmp_path, raw=raw)
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    assert str(info.value) == f"{path}: {message}"


def test_utf8_with_bom_is_accepted(tmp_path):
    path = _write(tmp_path, raw=b"\xef\xbb\xbf" + MINIMAL.read_bytes())
    assert load_catalog(path).ids() == ["tiny", "tiny-4o", "tiny-cl"]


def test_missing_catalog_file(tmp_path):
    path = tmp_path / "nowhere.json"
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    assert str(info.value) == f"{path}: cannot read the catalog (No such file or directory)"


# --- a user's own catalog file ---------------------------------------------------------------


def test_override_file_changes_a_price_and_adds_a_fine_tuned_model():
    catalog = load_catalog(overrides=(NEGOTIATED,))
    # The negotiated snapshot price also applies through the alias.
    for model in ("gpt-4o-mini", "gpt-4o-mini-2024-07-18"):
        price = catalog.price(model, TODAY)
        assert (price.input_per_mtok, price.period.cached_input_per_mtok, price.output_per_mtok) == (
            Decimal("0.12"),
            Decimal("0.06"),
            Decimal("0.48"),
        )
        assert price.label == "GPT-4o mini (our contract)"
    tuned = catalog.price("ft:gpt-4o-mini-2024-07-18:acme::support-v1", TODAY)
    assert (tuned.encoding, tuned.input_per_mtok, tuned.output_per_mtok) == ("o200k_base", Decimal("0.3"), Decimal("1.2"))
    # Everything else is the embedded catalog, unchanged.
    assert catalog.price("gpt-4o", TODAY).input_per_mtok == Decimal("2.5")
    assert len([m for m in catalog.models if catalog.vendor_of(m) == "openai"]) == 59


def test_override_model_named_like_an_alias_replaces_the_alias(tmp_path):
    doc = json.loads(NEGOTIATED.read_text(encoding="utf-8"))
    doc["models"] = [dict(doc["models"][0], id="gpt-4o-mini")]
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    catalog = load_catalog(overrides=(path,))
    assert "gpt-4o-mini" not in catalog.aliases
    assert catalog.price("gpt-4o-mini", TODAY).input_per_mtok == Decimal("0.12")
    # The snapshot keeps its list price.
    assert catalog.price("gpt-4o-mini-2024-07-18", TODAY).input_per_mtok == Decimal("0.15")


def test_override_with_a_dangling_alias_names_the_override_file(tmp_path):
    path = tmp_path / "mine.json"
    doc = {
        "aliases": [
            {
                "id": "support-bot",
                "periods": [
                    {"effective_from": "2024-01-01", "target": "ft:missing", "evidence": "verified", "source": "us"}
                ],
            }
        ]
    }
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(overrides=(path,))
    assert str(info.value) == (
        f"{path}: alias 'support-bot' points to 'ft:missing', which is not a model in the catalog; "
        "add the model or fix the target"
    )


def test_bad_override_file_is_named(tmp_path):
    path = tmp_path / "mine.json"
    doc = json.loads(NEGOTIATED.read_text(encoding="utf-8"))
    doc["models"][1]["prices"][0]["output_per_mtok"] = -1.2
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(overrides=(path,))
    assert str(info.value) == (
        f"{path}: model 'ft:gpt-4o-mini-2024-07-18:acme::support-v1': prices[2024-09-01].output_per_mtok: "
        "got -1.2; it cannot be below 0 (prices are USD per 1M tokens)"
    )


@pytest.mark.parametrize(
    ("model", "day", "standard", "batch"),
    [
        ("text-embedding-3-small", dt.date(2026, 12, 1), Decimal("0.02"), Decimal("0.01")),
        ("text-embedding-3-large", dt.date(2026, 12, 1), Decimal("0.13"), Decimal("0.065")),
        ("text-embedding-ada-002", dt.date(2026, 12, 1), Decimal("0.10"), None),
        ("text-embedding-3-small", dt.date(2024, 2, 1), Decimal("0.02"), None),  # before the Batch API
    ],
)
def test_embedding_models_bill_input_only_on_cl100k_base(catalog, model, day, standard, batch):
    price = catalog.price(model, day)
    assert (price.kind, price.encoding) == ("embedding", "cl100k_base")
    assert price.period.input_per_mtok == standard
    assert price.period.output_per_mtok == 0
    assert price.period.batch_input_per_mtok == batch
