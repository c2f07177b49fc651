"""Loading the price catalog and answering "what did model X cost on day D".

The embedded catalog is one file per vendor, ``data/catalog/<vendor>.json`` (one schema); a
user's file (same schema, possibly only a few models) overrides models by id and adds new ones.
A model id is found as the vendor's API spells it, or as ``vendor:id``; an id that matches
models of several vendors (ignoring case) is refused with the candidates.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from pydantic import ValidationError

from ingest.jsonlimits import MAX_JSON_DEPTH, JsonDuplicateKeyError, JsonTooDeepError, load_json
from pricing.count_methods import count_method, counted_with
from tokenizers.registry import count_is_estimate, count_label
from pricing.catalog_cache import cached
from pricing.schema import Alias, CatalogFile, Evidence, FineTuningPrice, ModelEntry, PricePeriod

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CATALOG_DIR = DATA_DIR / "catalog"
DEFAULT_CATALOG = CATALOG_DIR / "openai.json"
SCHEMA_FILE = CATALOG_DIR / "catalog.schema.json"
#: Files in data/catalog/ that are not a vendor's prices.
_NOT_VENDOR_FILES = frozenset({"catalog.schema.json", "known_disagreements.json", "reference_coverage.json"})
#: The product's models (the ones the tokenizer story is told with). A model among them that is
#: shut down on the price date gives way to its published replacement (``Catalog.default_models``).
DEFAULT_MODELS = ("gpt-4o", "gpt-4o-mini", "gpt-3.5-turbo")
#: The models an embedding estimate is priced on by default (input only, cl100k_base).
EMBEDDING_MODELS = ("text-embedding-3-small", "text-embedding-3-large", "text-embedding-ada-002")
#: A price file (``--prices``, an upload on the Prices page) may be this big; a real one is a few KB.
MAX_CATALOG_BYTES = 2 * 1024 * 1024


class CatalogError(ValueError):
    """A catalog file that cannot be used; the message names the file, the place and the fix."""


class UnknownModelError(KeyError):
    """A model id the catalog does not have."""

    def __init__(self, model_id: str, suggestions: list[str]):
        self.model_id = model_id
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown model {model_id!r}{hint} (python cli.py prices lists them)")

    def __str__(self) -> str:
        return self.args[0]


class AmbiguousModelError(UnknownModelError):
    """A model id that names models of more than one vendor or host; ``candidates`` are the
    qualified ids (``vendor:id``) to choose from."""

    def __init__(self, model_id: str, candidates: list[str]):
        self.model_id = model_id
        self.suggestions = candidates
        KeyError.__init__(self, f"model id {model_id!r} is ambiguous: it names {', '.join(candidates)}; "
                                "give one of these")


class NotPricedError(LookupError):
    """The model exists but had no price on the requested date."""


class RetiredModelError(NotPricedError):
    """The model was shut down on or before the requested date (``shutdown``)."""

    def __init__(self, message: str, shutdown: dt.date):
        super().__init__(message)
        self.shutdown = shutdown


@dataclass(frozen=True)
class ModelPrice:
    """What one model id costs on one day, with everything needed to explain it."""

    model: str  # the id asked for (an alias or a snapshot)
    snapshot: str  # the snapshot the price belongs to
    label: str
    family: str
    encoding: str
    encoding_evidence: Evidence
    context_window: int | None
    max_output_tokens: int | None
    period: PricePeriod
    fine_tuning: FineTuningPrice | None
    source_url: str
    kind: str = "chat"  # "chat" or "embedding" (input only)
    shutdown: dt.date | None = None  # the day the vendor stops (or stopped) serving the snapshot
    vendor: str = "openai"  # whose model (data/catalog/<vendor>.json)
    host: str | None = None  # who serves it, when not the vendor (Llama on Groq)

    @property
    def tokenizer_confirmed(self) -> bool:
        """True when the catalog's ``encoding`` is known to be the model's own tokenizer."""
        return self.encoding_evidence == "verified"

    @property
    def count_is_estimate(self) -> bool:
        """True when this model's token counts are not exact (its tokenizer is not confirmed, or is
        counted by a reconstruction or an estimate, or not offline: ``counted_with``)."""
        return count_is_estimate(self.encoding, self.encoding_evidence == "verified")

    @property
    def counted_with(self) -> str:
        """The tokenizer whose count prices this model (pricing.count_methods.counted_with)."""
        return counted_with(self.encoding)

    @property
    def count_method(self) -> str:
        """How this model's count is made: "exact", "reconstructed" or "estimate"."""
        return count_method(self.encoding, self.encoding_evidence == "verified")

    @property
    def count_label(self) -> str:
        """How this model's counts are to be read, in English (tokenizers.registry.count_label)."""
        counted = self.counted_with
        if counted != self.encoding:
            return f"estimate: {self.encoding} is not counted offline, counted with {counted}"
        return count_label(self.encoding, self.encoding_evidence == "verified")

    @property
    def input_per_mtok(self) -> Decimal:
        return self.period.input_per_mtok

    @property
    def output_per_mtok(self) -> Decimal:
        return self.period.output_per_mtok


class Catalog:
    """Validated models and aliases, looked up by id and date."""

    def __init__(self, models: list[ModelEntry], aliases: list[Alias], checked: dt.date | None,
                 vendors: dict[str, str] | None = None):
        self.models = {m.id: m for m in models}
        self.aliases = {a.id: a for a in aliases}
        self.checked = checked
        #: model id -> vendor (a model not listed is OpenAI's); an alias is its targets' vendor.
        self.vendors = {m.id: (vendors or {}).get(m.id, "openai") for m in models}
        #: vendor -> the name its file gives it (``vendor_label``).
        self.vendor_labels: dict[str, str] = {}

    def ids(self, vendor: str | None = None) -> list[str]:
        """Every id a user may name: snapshots and aliases, sorted; only ``vendor``'s (or
        served by that host) when given."""
        every = sorted({*self.models, *self.aliases})
        return every if vendor is None else [i for i in every if vendor in (self.vendor_of(i), self.host_of(i))]

    def vendor_of(self, model_id: str) -> str:
        """The vendor of a model or alias id of the catalog."""
        if model_id in self.aliases:
            return self.vendors.get(self.aliases[model_id].periods[-1].target, "openai")
        return self.vendors.get(model_id, "openai")

    def host_of(self, model_id: str) -> str:
        """Who serves ``model_id`` through its API: its host, else its vendor."""
        entry = self.models.get(model_id)
        return entry.host if entry is not None and entry.host else self.vendor_of(model_id)

    def vendor_names(self) -> list[str]:
        """Every vendor and host of the catalog, OpenAI first, then by name."""
        names = set(self.vendors.values()) | {m.host for m in self.models.values() if m.host}
        return sorted(names, key=lambda v: (v != "openai", v))

    def resolve(self, name: str) -> str:
        """The catalog id ``name`` means: itself, ``vendor:id`` (or ``host:id``) qualified, or
        the one id equal to it ignoring case.

        Raises AmbiguousModelError (with ``vendor:id`` candidates) when it names models of
        several vendors or hosts, UnknownModelError (with suggestions) when it names none.
        """
        if name in self.models or name in self.aliases:
            return name
        prefix, sep, rest = name.partition(":")
        if sep and rest and prefix in self.vendor_names():
            if rest in self.ids(prefix):
                return rest
            raise UnknownModelError(name, [f"{prefix}:{i}" for i in difflib.get_close_matches(rest, self.ids(prefix),
                                                                                           n=3, cutoff=0.6)])
        matches = [i for i in self.ids() if i.lower() == name.lower()]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise AmbiguousModelError(name, sorted(f"{self.host_of(i)}:{i}" for i in matches))
        raise UnknownModelError(name, difflib.get_close_matches(name, self.ids(), n=3, cutoff=0.6))

    def first_price_date(self) -> dt.date | None:
        """The day the catalog's earliest price starts; None for a catalog without prices."""
        return min((p.effective_from for m in self.models.values() for p in m.prices), default=None)

    def snapshot_for(self, model_id: str, as_of: dt.date) -> str:
        """The snapshot ``model_id`` meant on ``as_of`` (itself, for a snapshot id)."""
        if model_id in self.models:
            return model_id
        alias = self.aliases.get(model_id)
        if alias is None:
            resolved = self.resolve(model_id)  # a qualified or differently cased id, or raises
            return self.snapshot_for(resolved, as_of)
        for period in alias.periods:
            if period.covers(as_of):
                return period.target
        first = alias.periods[0].effective_from
        raise NotPricedError(f"{model_id} did not exist on {as_of} (it starts on {first})")

    def price(self, model_id: str, as_of: dt.date) -> ModelPrice:
        """The price of ``model_id`` on ``as_of``.

        Raises UnknownModelError for an id the catalog lacks, NotPricedError for a day the
        model had no price (before its launch, after its prices end, or on or after its shutdown).
        """
        entry = self.models[self.snapshot_for(model_id, as_of)]
        if entry.shutdown is not None and as_of >= entry.shutdown:
            raise RetiredModelError(_shut_down(model_id, entry), entry.shutdown)
        for period in entry.prices:
            if period.covers(as_of):
                return ModelPrice(
                    model=model_id,
                    snapshot=entry.id,
                    label=entry.label,
                    family=entry.family,
                    encoding=entry.encoding,
                    encoding_evidence=entry.encoding_evidence,
                    context_window=entry.context_window,
                    max_output_tokens=entry.max_output_tokens,
                    period=period,
                    fine_tuning=entry.fine_tuning,
                    source_url=entry.source_url,
                    kind=entry.kind,
                    shutdown=entry.shutdown,
                    vendor=self.vendors.get(entry.id, "openai"),
                    host=entry.host,
                )
        first = entry.prices[0].effective_from
        if as_of < first:
            raise NotPricedError(f"{model_id} had no price on {as_of}; its first price is from {first}")
        raise NotPricedError(f"{model_id} has no price on {as_of}; its last price ended earlier")

    def last_price(self, model_id: str, as_of: dt.date) -> ModelPrice:
        """The price of ``model_id`` on ``as_of`` or, when it was shut down by then, its last price
        (the day before its shutdown): what it cost while it was offered, for a comparison with
        the model that replaced it. ``ModelPrice.shutdown`` tells the two apart.

        Raises what ``price`` raises for a model that is not retired.
        """
        shutdown = self.retired_on(model_id, as_of)
        return self.price(model_id, shutdown - dt.timedelta(days=1) if shutdown else as_of)

    def default_models(self, as_of: dt.date, preferred: tuple[str, ...] = DEFAULT_MODELS) -> list[str]:
        """The models to price when a person names none: ``preferred`` as offered on ``as_of``.

        A preferred model shut down by ``as_of`` gives way to the replacement OpenAI names for it
        (when that is offered and not already listed); one not offered yet is left out. Falls
        back to ``preferred`` itself when none of them is offered (an early date: each model
        then says why it has no price).
        """
        chosen: list[str] = []
        for model_id in preferred:
            candidate = model_id
            shutdown = self.retired_on(model_id, as_of)
            if shutdown is not None:
                candidate = self.models[self.snapshot_for(model_id, shutdown - dt.timedelta(days=1))].replacement
            if candidate and candidate not in chosen and self.offered(candidate, as_of):
                chosen.append(candidate)
        return chosen or list(preferred)

    def offered(self, model_id: str, as_of: dt.date) -> bool:
        """True when ``model_id`` has a price on ``as_of`` (known, launched and not shut down)."""
        try:
            self.price(model_id, as_of)
        except (UnknownModelError, NotPricedError):
            return False
        return True

    def retired_on(self, model_id: str, as_of: dt.date) -> dt.date | None:
        """The day ``model_id`` was shut down if that was on or before ``as_of``, else None.

        An alias is retired when the snapshot it pointed to on ``as_of`` (or, for a day after
        its last period, the last one) was shut down. Raises UnknownModelError for an unknown id.
        """
        if model_id in self.models:
            snapshot = model_id
        elif model_id in self.aliases:
            covering = [p.target for p in self.aliases[model_id].periods if p.effective_from <= as_of]
            if not covering:
                return None
            snapshot = covering[-1]
        else:
            self.snapshot_for(model_id, as_of)  # raises UnknownModelError with suggestions
            return None
        shutdown = self.models[snapshot].shutdown
        return shutdown if shutdown is not None and shutdown <= as_of else None

    def encoding_of(self, model_id: str, as_of: dt.date) -> str:
        return self.models[self.snapshot_for(model_id, as_of)].encoding

    def merged(self, other: CatalogFile) -> Catalog:
        """This catalog with ``other``'s models and aliases replacing or adding by id.

        A model in ``other`` named like one of our aliases (a user pricing ``gpt-4o-mini``
        directly) replaces that alias.
        """
        models = {**self.models, **{m.id: m for m in other.models}}
        aliases = {a.id: a for a in self.aliases.values() if a.id not in models}
        aliases.update({a.id: a for a in other.aliases})
        # A file that names no vendor keeps each model's vendor (an override of a Claude price stays Anthropic's).
        named = "vendor" in other.model_fields_set
        vendors = {**self.vendors, **{m.id: other.vendor if named else self.vendors.get(m.id, other.vendor)
                                      for m in other.models}}
        merged = Catalog(list(models.values()), list(aliases.values()), self.checked, vendors)
        merged.vendor_labels = {**self.vendor_labels, **({other.vendor: other.vendor_label} if other.vendor_label else {})}
        merged.validate_references("the merged catalog")
        return merged

    def validate_references(self, where: str) -> None:
        """Aliases must point at known snapshots and must not shadow a snapshot id; a named
        replacement must be a model or alias of the catalog."""
        for entry in self.models.values():
            if entry.replacement is not None and entry.replacement not in self.models \
                    and entry.replacement not in self.aliases:
                raise CatalogError(
                    f"{where}: model {entry.id!r} names replacement {entry.replacement!r}, which is "
                    "not in the catalog; add it or fix the name"
                )
        for alias in self.aliases.values():
            if alias.id in self.models:
                raise CatalogError(f"{where}: alias {alias.id!r} has the same id as a model; rename one")
            for period in alias.periods:
                if period.target not in self.models:
                    raise CatalogError(
                        f"{where}: alias {alias.id!r} points to {period.target!r}, which is not a "
                        "model in the catalog; add the model or fix the target"
                    )


def _shut_down(model_id: str, entry: ModelEntry) -> str:
    name = model_id if model_id == entry.id else f"{model_id} ({entry.id})"
    return f"{name} was shut down on {entry.shutdown}; price it as of an earlier date or pick a current model"


def _read_json(path: Path) -> object:
    return _parse_json(_read_bytes(path), path)


def _read_bytes(path: Path) -> bytes:
    try:
        with path.open("rb") as f:
            data = f.read(MAX_CATALOG_BYTES + 1)
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read the catalog ({exc.strerror or exc})") from exc
    if len(data) > MAX_CATALOG_BYTES:
        raise CatalogError(f"{path}: the price file is larger than {MAX_CATALOG_BYTES // (1024 * 1024)} MB "
                           "(a catalog is a few KB); give only the models you change")
    return data


def _parse_json(data: bytes, path: Path) -> object:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CatalogError(f"{path}: the catalog is not UTF-8 text; save it as UTF-8") from exc
    try:
        return catalog_json(text, path)
    except json.JSONDecodeError as exc:
        raise CatalogError(
            f"{path}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}; fix the syntax there"
        ) from exc


def catalog_json(text: str, where: Path | str) -> object:
    """The JSON value of a price file's ``text``, prices as Decimal.

    Raises json.JSONDecodeError for bad syntax, and CatalogError naming ``where`` and the line
    for a key given twice in one object (JSON would keep the last one silently) or a document
    nested more than MAX_JSON_DEPTH deep.
    """
    try:
        # Prices are money: parse them straight to Decimal so 0.075 stays exactly 0.075.
        return load_json(text, parse_float=Decimal, unique_keys=True)
    except JsonDuplicateKeyError as exc:
        raise CatalogError(f"{where}: {exc}; keep one") from None
    except JsonTooDeepError as exc:
        raise CatalogError(f"{where}: nested too deeply at line {exc.line} (more than {MAX_JSON_DEPTH} levels "
                           "of brackets); a price file has a few") from None


_KINDS = {"models": "model", "aliases": "alias"}


def _place(raw: object, loc: list) -> tuple[str, str]:
    """(which model or alias, which field) an error location points at, in the file's own terms."""
    if not (len(loc) >= 2 and loc[0] in _KINDS and isinstance(raw, dict)):
        return "", ".".join(map(str, loc))
    try:
        item = raw[loc[0]][loc[1]]
        item_id = item.get("id")
        who = f"{_KINDS[loc[0]]} {item_id!r}: " if item_id else f"{_KINDS[loc[0]]} #{loc[1] + 1}: "
    except (KeyError, IndexError, TypeError, AttributeError):
        item, who = None, f"{_KINDS[loc[0]]} #{loc[1] + 1}: "
    parts: list[str] = []
    rest = loc[2:]
    for i, part in enumerate(rest):
        if isinstance(part, int):
            # A period is easier to find by its start date than by its index.
            try:
                start = item[rest[i - 1]][part].get("effective_from")
            except (KeyError, IndexError, TypeError, AttributeError):
                start = None
            parts[-1] += f"[{start}]" if start else f"[#{part + 1}]"
        else:
            parts.append(str(part))
    return who, ".".join(parts)


def _fix(err: dict) -> str:
    """The error in words, with what to change."""
    kind, got = err["type"], err.get("input")
    if kind == "extra_forbidden":
        return "unknown field; remove it or check its spelling"
    if kind == "missing":
        return "required field is missing; add it"
    if kind == "literal_error":
        return f"got {got!r}; use one of {err['ctx']['expected']}"
    if kind == "greater_than_equal":
        return f"got {got}; it cannot be below {err['ctx']['ge']} (prices are USD per 1M tokens)"
    if kind in ("decimal_parsing", "decimal_type"):
        return f"got {got!r}; write a number (USD per 1M tokens)"
    if kind == "model_type" or kind == "dict_type":
        return "expected a JSON object (with \"models\" and optionally \"aliases\")"
    message = err["msg"].removeprefix("Value error, ")
    return message if got is None or isinstance(got, (dict, list)) else f"{message} (got {got!r})"


def _describe(path: Path | str, raw: object, error: ValidationError) -> str:
    lines = []
    for err in error.errors():
        who, field = _place(raw, list(err["loc"]))
        lines.append(f"{path}: {who}{field + ': ' if field else ''}{_fix(err)}")
    return "\n".join(lines)


def parse_catalog_file(raw: object, where: Path | str) -> CatalogFile:
    """Validate a parsed catalog document; raises CatalogError naming ``where``."""
    try:
        parsed = CatalogFile.model_validate(raw)
    except ValidationError as exc:
        raise CatalogError(_describe(where, raw, exc)) from None
    for kind, items in (("model", parsed.models), ("alias", parsed.aliases)):
        seen: set[str] = set()
        for item in items:
            if item.id in seen:
                raise CatalogError(f"{where}: {kind} {item.id!r} appears twice; keep one entry per id")
            seen.add(item.id)
    return parsed


def load_catalog_file(path: Path) -> CatalogFile:
    """Read and validate one catalog file; raises CatalogError naming the file and the fix."""
    return parse_catalog_file(_read_json(path), path)


def vendor_files(catalog_dir: Path = CATALOG_DIR) -> list[Path]:
    """The catalog's files in ``catalog_dir``, one per vendor (``<vendor>.json``), OpenAI's first;
    the schema and the reviewed files beside them are left out."""
    files = [p for p in catalog_dir.glob("*.json") if p.name not in _NOT_VENDOR_FILES]
    return sorted(files, key=lambda p: (p.name != DEFAULT_CATALOG.name, p.name))


def _combined(files: list[tuple[Path, bytes]]) -> Catalog:
    """One catalog from several vendors' files; an id given by two files is an error."""
    models, aliases, vendors, checked, labels = [], [], {}, [], {}
    for path, data in files:
        part = parse_catalog_file(_parse_json(data, path), path)
        for entry in part.models:
            if entry.id in vendors:
                raise CatalogError(f"{path}: model {entry.id!r} is also in {vendors[entry.id]}'s file; "
                                   "an id names one model: keep it in one file")
            vendors[entry.id] = part.vendor
        models.extend(part.models)
        aliases.extend(part.aliases)
        labels.update({part.vendor: part.vendor_label} if part.vendor_label else {})
        checked.extend([part.checked] if part.checked else [])
    # The catalog is as fresh as its least recently checked file.
    catalog = Catalog(models, aliases, min(checked, default=None), vendors)
    catalog.vendor_labels = labels
    catalog.validate_references(", ".join(str(p) for p, _ in files))
    return catalog


def load_catalog(path: Path | None = None, overrides: tuple[Path, ...] = ()) -> Catalog:
    """The embedded catalog (every vendor's file), or the one file ``path``, with each override
    file applied in order.

    The files validated are kept in the user's cache (pricing/catalog_cache.py), keyed by their
    exact bytes: the next run with the same files skips validation.
    """
    files = [(p, _read_bytes(p)) for p in ([path] if path is not None else vendor_files())]
    key = b"".join(p.name.encode() + b"\0" + data + b"\0" for p, data in files)
    catalog = cached(key, lambda: _combined(files))
    for override in overrides:
        try:
            catalog = catalog.merged(load_catalog_file(override))
        except CatalogError as exc:
            raise CatalogError(str(exc).replace("the merged catalog", str(override))) from None
    return catalog
