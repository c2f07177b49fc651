"""The workload a person describes in plain words: which question, which task, what comes back.

Two questions (``Assumptions.traffic``): *this corpus, processed N times* (each document one
request; the default for files) and *traffic like this, N requests a month* (the text is a
typical request; the default for pasted text). A task preset sets the output assumption and
says it: classify (a label), extract (a short record), summarize (a share of the input),
translate (about the input's length, in the target language's tokens when one is chosen),
embed (input only, on the embedding models), chat (a fixed reply), or custom numbers.

The app and the CLI take their defaults from here, so the same question gets the same answer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, Sequence

from pricing.catalog import DEFAULT_MODELS, EMBEDDING_MODELS
from pricing.cost import Assumptions
from pricing.languages import load_samples, sample_for
from pricing.tokenizer_tax import sample_ratios

Question = Literal["corpus", "traffic"]
QUESTIONS: tuple[Question, ...] = ("corpus", "traffic")
TaskId = Literal["classify", "extract", "summarize", "translate", "embed", "chat", "custom"]
TASKS: tuple[TaskId, ...] = ("classify", "extract", "summarize", "translate", "embed", "chat", "custom")


@dataclass(frozen=True)
class Task:
    """A task preset: a fixed reply of ``output_tokens`` per request, or ``output_ratio`` of the
    input; ``embedding`` tasks bill input only, on the embedding models."""

    id: TaskId
    output_tokens: int = 0
    output_ratio: Decimal | None = None
    embedding: bool = False


PRESETS: dict[str, Task] = {
    "classify": Task("classify", output_tokens=5),  # a label such as "positive"
    "extract": Task("extract", output_tokens=150),  # a short JSON record of fields
    "summarize": Task("summarize", output_ratio=Decimal("0.2")),  # a fifth of the input
    "translate": Task("translate", output_ratio=Decimal(1)),  # about the input's length
    "embed": Task("embed", embedding=True),
    "chat": Task("chat", output_tokens=500),  # a reply of a few paragraphs
}

#: A request file's reply when nothing says otherwise: a chat reply (the chat preset), held to
#: each request's own ``max_tokens`` (the API never returns more). An assumption, and said as one.
REQUEST_REPLY_TOKENS = PRESETS["chat"].output_tokens

#: What each question assumes when the person says nothing more.
DEFAULT_TASK: dict[str, TaskId] = {"corpus": "classify", "traffic": "chat"}
DEFAULT_TIMES: dict[str, int] = {"corpus": 1, "traffic": 1000}


def default_question(pasted_only: bool) -> Question:
    """The question a person most likely asks: pasted text is a typical request (traffic), a
    file or folder is a corpus to process."""
    return "traffic" if pasted_only else "corpus"


def task_models(task: TaskId, models: Sequence[str] | None, defaults: Sequence[str] = DEFAULT_MODELS) -> list[str]:
    """The models to price ``task`` on: the embedding models for ``embed`` (unless ``models``
    names embedding models itself), else ``models`` or ``defaults`` (pass
    ``Catalog.default_models(as_of)``: the product's models as offered on the price date)."""
    chosen = list(models or ())
    if task == "embed":
        embedding = [m for m in chosen if m in EMBEDDING_MODELS]
        return embedding or list(EMBEDDING_MODELS)
    return chosen or list(defaults)


@dataclass(frozen=True)
class Workplan:
    """Everything the person said about the workload, in plain terms."""

    question: Question
    task: TaskId
    times: int  # corpus: how many passes; traffic: requests a month
    custom_output_tokens: int = 0  # custom task: a fixed reply ...
    custom_output_ratio: Decimal | None = None  # ... or a ratio of the input
    target_language: str | None = None  # translate: the language written (a sample code)
    translation_ratios: tuple[tuple[str, Decimal], ...] = ()  # (encoding, target/source tokens)

    def output(self) -> tuple[int, Decimal | None]:
        """(fixed output tokens per request, output ratio or None) under this plan's task."""
        if self.task == "custom":
            return (0, self.custom_output_ratio) if self.custom_output_ratio is not None else (
                self.custom_output_tokens, None)
        preset = PRESETS[self.task]
        return preset.output_tokens, preset.output_ratio

    def assumptions(self, *, batch: bool = False, cached_share: Decimal = Decimal(0),
                    as_of: dt.date | None = None, tier: str = "standard", **rules) -> Assumptions:
        """The engine's ``Assumptions`` for this plan (``batch``: short for ``tier="batch"``;
        ``rules``: the vendors' rule settings of ``Assumptions``, e.g. ``cache_write_share``)."""
        fixed, ratio = self.output()
        return Assumptions(
            **rules,
            output_tokens_per_request=fixed,
            output_ratio=ratio,
            requests=self.times,
            batch=batch or None,
            tier=tier,
            cached_share=cached_share,
            as_of=as_of or dt.date.today(),
            traffic=self.question == "traffic",
            output_ratio_by_encoding=self.translation_ratios if self.task == "translate" else (),
        )


def make_plan(
    *,
    pasted_only: bool,
    question: Question | None = None,
    task: TaskId | None = None,
    runs: int | None = None,
    per_month: int | None = None,
    custom_output_tokens: int = 0,
    custom_output_ratio: Decimal | None = None,
    target_language: str | None = None,
    source_language: str | None = None,
) -> Workplan:
    """The plan for what a person said, the rest by default (the app and the CLI both call this).

    ``question`` None: by the input (``default_question``); ``task`` None: the question's
    default; ``runs`` / ``per_month`` None: the question's default volume. A translation with a
    ``target_language`` is counted in that language's tokens, from ``source_language`` (the
    corpus's main detected language; English when unknown or without a sample). Raises
    ValueError when the target language has no sample text.
    """
    question = question or default_question(pasted_only)
    task = task or DEFAULT_TASK[question]
    times = per_month if question == "traffic" else runs
    ratios: tuple[tuple[str, Decimal], ...] = ()
    if task == "translate" and target_language:
        known = source_language and sample_for(source_language, load_samples())
        ratios = sample_ratios(known.code if known else "en", target_language)
    return Workplan(
        question=question, task=task, times=DEFAULT_TIMES[question] if times is None else times,
        custom_output_tokens=custom_output_tokens, custom_output_ratio=custom_output_ratio,
        target_language=target_language, translation_ratios=ratios,
    )


def default_plan(question: Question) -> Workplan:
    """The plan a person gets for ``question`` without changing anything."""
    return Workplan(question=question, task=DEFAULT_TASK[question], times=DEFAULT_TIMES[question])


def request_file_assumptions(*, as_of: dt.date, reply_tokens: int | None = None, reply_ratio: Decimal | None = None,
                             passes: int = 1, tier: str = "standard", cached_share: Decimal = Decimal(0),
                             **rules) -> Assumptions:
    """The ``Assumptions`` a request file is priced under (the app's API requests page and the
    CLI both call this): each request sent ``passes`` times, replying ``reply_tokens`` output
    tokens (or ``reply_ratio`` of its prompt); with neither, ``REQUEST_REPLY_TOKENS``. The
    pricing holds each reply to the request's own ``max_tokens``; the upper bound is the whole
    ``max_tokens``. ``rules``: the vendors' rule settings of ``Assumptions`` (``cache_write_share`` ...).
    """
    fixed = REQUEST_REPLY_TOKENS if reply_tokens is None and reply_ratio is None else reply_tokens or 0
    return Assumptions(output_tokens_per_request=fixed, output_ratio=reply_ratio, requests=passes, tier=tier,
                       cached_share=cached_share, as_of=as_of, **rules)


def output_assumption(assumptions: Assumptions) -> dict[str, object]:
    """What a request file's reports say they assumed about the output (JSON-ready)."""
    return {"reply_tokens": None if assumptions.output_ratio is not None else assumptions.output_tokens_per_request,
            "reply_ratio": assumptions.output_ratio, "held_to_max_tokens": True}
