"""Limits on the work one read of an upload may do: time, rows, cells, a sheet's declared size.

The CLI reads without limits (its user owns the machine). A server reads each upload inside
``within(limits, checkpoint)``: readers then call ``spend`` as they go (per row, per block),
and the read stops with a ``LimitExceeded`` (a problem code and its params) once a limit is
passed. ``checkpoint`` is called about every ``CHECK_SECONDS`` too, so a caller can stop work
its user no longer waits for (a closed page, a rerun) by raising from it. The limits reach
the readers through a context variable rather than through every reader's signature: a read
outside ``within`` (the CLI) costs one lookup per row and is never limited.

JSON nesting has its own limit, in every reader of JSON (``ingest.jsonlimits``).
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

# Seconds between checkpoint calls and clock reads: cheap, yet a stop is seen within a blink.
CHECK_SECONDS = 0.25


def _env_number(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass(frozen=True)
class ReadLimits:
    """How much one read may do. ``seconds``: wall time of the read and count; ``rows``: table
    rows and JSONL lines; ``cells``: cells a table's rows hold, empty padding included (a
    spreadsheet row is as wide as its last cell); ``sheet_cells``: the cells a sheet's declared
    range (``<dimension ref>``) spans."""

    seconds: float = 120.0
    rows: int = 5_000_000
    cells: int = 30_000_000
    sheet_cells: int = 30_000_000

    @classmethod
    def from_env(cls) -> ReadLimits:
        """The defaults, each overridable: LLMCOST_READ_SECONDS, _ROWS, _CELLS, _SHEET_CELLS."""
        base = cls()
        return cls(
            seconds=_env_number("LLMCOST_READ_SECONDS", base.seconds),
            rows=int(_env_number("LLMCOST_READ_ROWS", base.rows)),
            cells=int(_env_number("LLMCOST_READ_CELLS", base.cells)),
            sheet_cells=int(_env_number("LLMCOST_READ_SHEET_CELLS", base.sheet_cells)),
        )


class LimitExceeded(Exception):
    """A read passed one of its limits: ``code`` is the problem code, ``params`` its values."""

    def __init__(self, code: str, params: dict[str, object]) -> None:
        self.code = code
        self.params = params
        super().__init__(code, params)


class _Budget:
    def __init__(self, limits: ReadLimits, checkpoint: Callable[[], None] | None) -> None:
        self.limits = limits
        self.checkpoint = checkpoint
        self.started = time.monotonic()
        self.next_check = self.started + CHECK_SECONDS
        self.rows = 0
        self.cells = 0

    def spend(self, rows: int, cells: int) -> None:
        self.rows += rows
        self.cells += cells
        if self.rows > self.limits.rows:
            raise LimitExceeded("limit_rows", {"limit": self.limits.rows})
        if self.cells > self.limits.cells:
            raise LimitExceeded("limit_cells", {"limit": self.limits.cells})
        now = time.monotonic()
        if now >= self.next_check:
            self.next_check = now + CHECK_SECONDS
            if now - self.started > self.limits.seconds:
                raise LimitExceeded("limit_time", {"seconds": self.limits.seconds})
            if self.checkpoint is not None:
                self.checkpoint()


_ACTIVE: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("read_budget", default=None)


@contextlib.contextmanager
def within(limits: ReadLimits, checkpoint: Callable[[], None] | None = None) -> Iterator[None]:
    """Reads inside this block are held to ``limits``; ``checkpoint`` is called between steps
    (it may raise to stop the work)."""
    token = _ACTIVE.set(_Budget(limits, checkpoint))
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def spend(rows: int = 0, cells: int = 0) -> None:
    """Count ``rows`` and ``cells`` against the active limits (none outside ``within``).

    Raises LimitExceeded when one is passed; whatever the checkpoint raises, it raises.
    """
    budget = _ACTIVE.get()
    if budget is not None:
        budget.spend(rows, cells)


def new_pass() -> None:
    """Start another pass over the same file inside the active ``within`` (none: nothing to do):
    its rows and cells are counted afresh, since they measure the file, which each pass reads
    again; its time still runs from the first pass, since it measures the work. (The app reads
    a big upload twice, a sampled estimate then the exact count: the second pass met the rows
    the first had spent and counted none.)"""
    budget = _ACTIVE.get()
    if budget is not None:
        budget.rows = budget.cells = 0


def check_sheet_size(declared: str, rows: int, columns: int) -> None:
    """Refuse a sheet whose declared range ``declared`` (``rows`` x ``columns``) spans more cells
    than the active limits allow: a few-kB workbook may declare billions."""
    budget = _ACTIVE.get()
    if budget is not None and rows * columns > budget.limits.sheet_cells:
        raise LimitExceeded("limit_sheet_size", {"declared": declared, "cells": rows * columns,
                                                 "limit": budget.limits.sheet_cells})
