"""What moving from one model to another saves: a cost table against a baseline, and the move
from model A to model B split into what the newer tokenizer saves and what the prices save."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from pricing.catalog import Catalog
from pricing.cost import Assumptions, ModelCost, Workload, count_for, long_docs_of, priced_volume


@dataclass(frozen=True)
class Comparison:
    model: str
    baseline: str
    saving: Decimal  # baseline total minus this total (USD)
    saving_share: Decimal | None  # saving / baseline total; None when the baseline costs nothing
    times_cheaper: Decimal | None  # baseline total / this total; None when this costs nothing


def compare(rows: list[ModelCost], baseline: str) -> list[Comparison]:
    """Each row against the row for ``baseline`` (which must be among them)."""
    base = next((r for r in rows if r.model == baseline), None)
    if base is None:
        raise KeyError(f"baseline {baseline!r} is not among the compared models")
    out = []
    for r in rows:
        saving = base.total_cost - r.total_cost
        out.append(
            Comparison(
                model=r.model,
                baseline=baseline,
                saving=saving,
                saving_share=saving / base.total_cost if base.total_cost else None,
                times_cheaper=base.total_cost / r.total_cost if r.total_cost else None,
            )
        )
    return out


@dataclass(frozen=True)
class TokenizerSaving:
    """Moving one workload from model A to model B, split into two effects that add up.

    ``tokenizer_effect``: B's token count priced at A's rates, minus A's cost — what the
    newer tokenizer alone saves. ``price_effect``: B's cost minus that — what B's prices save.
    """

    from_model: str
    to_model: str
    from_tokens: int
    to_tokens: int
    from_cost: Decimal
    to_cost: Decimal
    tokenizer_effect: Decimal
    price_effect: Decimal
    # The input side alone (output shown apart, so a large output cannot hide the input saving).
    from_input_cost: Decimal = Decimal(0)
    to_input_cost: Decimal = Decimal(0)
    input_tokenizer_effect: Decimal = Decimal(0)
    # The day ``from_model`` was shut down when it was by the price date: it is then priced at
    # its last price (what it cost while offered), so the move away from it can still be shown.
    from_shutdown: dt.date | None = None

    @property
    def saving(self) -> Decimal:
        """What moving saves in all (USD; negative when B costs more)."""
        return self.from_cost - self.to_cost

    @property
    def input_saving(self) -> Decimal:
        """What moving saves on the input side alone (USD)."""
        return self.from_input_cost - self.to_input_cost

    @property
    def token_ratio(self) -> Decimal | None:
        """How many times fewer tokens B needs (A tokens / B tokens)."""
        return Decimal(self.from_tokens) / Decimal(self.to_tokens) if self.to_tokens else None

    @property
    def token_saving_share(self) -> Decimal | None:
        return (
            Decimal(self.from_tokens - self.to_tokens) / Decimal(self.from_tokens)
            if self.from_tokens
            else None
        )


def tokenizer_saving(
    workload: Workload, from_model: str, to_model: str, catalog: Catalog, assumptions: Assumptions
) -> TokenizerSaving:
    """Split the change in cost from ``from_model`` to ``to_model`` into tokenizer and price effects.

    A ``from_model`` shut down by the price date is priced at its last price (``from_shutdown``
    says so); ``to_model`` must be offered. Raises what ``estimate`` raises.
    """
    p_from = catalog.last_price(from_model, assumptions.as_of)
    p_to = catalog.price(to_model, assumptions.as_of)
    from_tokens = count_for(workload, from_model, p_from.encoding)
    to_tokens = count_for(workload, to_model, p_to.encoding)

    a_row = priced_volume(p_from, from_tokens, workload.documents, assumptions, long_docs_of(workload, p_from))
    # B's tokens at A's rates (an output ratio taken on B's encoding, as B would produce it).
    p_mixed = dataclasses.replace(p_from, encoding=p_to.encoding)
    mixed_row = priced_volume(p_mixed, to_tokens, workload.documents, assumptions, long_docs_of(workload, p_mixed))
    b_row = priced_volume(p_to, to_tokens, workload.documents, assumptions, long_docs_of(workload, p_to))
    a_cost, mixed, b_cost = a_row.total_cost, mixed_row.total_cost, b_row.total_cost
    return TokenizerSaving(
        from_model=from_model,
        to_model=to_model,
        from_tokens=from_tokens,
        to_tokens=to_tokens,
        from_cost=a_cost,
        to_cost=b_cost,
        tokenizer_effect=mixed - a_cost,
        price_effect=b_cost - mixed,
        from_input_cost=a_row.input_cost,
        to_input_cost=b_row.input_cost,
        input_tokenizer_effect=mixed_row.input_cost - a_row.input_cost,
        from_shutdown=p_from.shutdown if p_from.shutdown and p_from.shutdown <= assumptions.as_of else None,
    )
