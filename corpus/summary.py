"""What a report needs of each document, added up as the documents are counted, so the CLI never
keeps a column per document: on a billion rows those columns alone would take 36 GB.

``count_stream`` hands the per-document counts over run by run (``on_documents``); a
``DocumentSummary`` adds each run to what the report shows of them: the requests over each
long-context threshold, and documents and tokens per detected language.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from ingest.languages import SAMPLED_OUT, UNDETERMINED, share_out, stratum
from tokenizers.streaming import CorpusCounts


class DocumentSummary:
    """Per-document facts added up run by run: call it with (first document's index, counts of
    a run of documents), in order, as ``count_stream``'s ``on_documents``."""

    def __init__(self, thresholds=()) -> None:
        self.thresholds = sorted(set(thresholds))
        self.long_requests: dict[int, dict[str, tuple[int, int]]] = long_requests_of({}, self.thresholds)
        self.languages_detected = 0
        self._encodings: tuple[str, ...] = ()
        # Per language: [documents, *tokens]; per stratum, the detected ones' per language and
        # the left-out ones' sums, for language_sums to share out.
        self._languages: dict[str, list] = {}
        self._sample: dict[int, dict[str, list]] = {}
        self._left_out: dict[int, list] = {}

    @classmethod
    def of(cls, counts: CorpusCounts, thresholds=()) -> DocumentSummary:
        """The summary of counts that kept their per-document columns."""
        summary = cls(thresholds)
        summary(0, counts)
        return summary

    def __call__(self, first: int, counts: CorpusCounts) -> None:
        self._encodings = counts.encodings
        self.long_requests = add_long_requests([self.long_requests, long_requests_of(counts.per_document,
                                                                                   self.thresholds)])
        names, encodings = counts.label_names, counts.encodings
        blank = [0] * (1 + len(encodings))

        def add(into: list, i: int) -> None:
            into[0] += 1
            for j, enc in enumerate(encodings):
                into[1 + j] += counts.per_document[enc][i]

        for i, at in enumerate(counts.document_labels):
            name = names[at]
            if name.startswith(SAMPLED_OUT):
                add(self._left_out.setdefault(int(name[1:]), blank.copy()), i)
                continue
            self.languages_detected += 1
            add(self._languages.setdefault(name, blank.copy()), i)
            if stratum(first + i):
                add(self._sample.setdefault(stratum(first + i), {}).setdefault(name, blank.copy()), i)

    def language_sums(self) -> dict[str, tuple[int, dict[str, int]]]:
        """Documents and tokens per detected language. Documents the sample left out (a corpus
        past ``ingest.languages.FULL_DOCUMENTS``) are shared out stratum by stratum, in
        proportion to the detected documents of their stratum (documents by count, tokens by
        tokens on each encoding), so every total still adds up."""
        encodings = self._encodings
        blank = [0] * (1 + len(encodings))
        totals = {name: list(v) for name, v in self._languages.items()}
        for s, missing in self._left_out.items():
            seen = self._sample.get(s) or {UNDETERMINED: blank.copy()}  # never empty: a stratum's first is read
            for name in seen:
                totals.setdefault(name, blank.copy())
            for j in range(len(missing)):
                weights = {n: v[j] for n, v in seen.items()}
                if not any(weights.values()):
                    weights = {n: v[0] or 1 for n, v in seen.items()}  # no tokens to go by: by documents
                for name, part in share_out(missing[j], weights).items():
                    totals[name][j] += part
        return {name: (v[0], {enc: v[1 + j] for j, enc in enumerate(encodings)}) for name, v in totals.items()}


def long_requests_of(per_document: Mapping[str, Sequence[int]], thresholds: Iterable[int]
                     ) -> dict[int, dict[str, tuple[int, int]]]:
    """For each threshold (input tokens), per encoding, the documents whose count is over it, as
    (documents, their tokens), from per-document counts (encoding -> one count per document):
    what ``pricing.cost.Workload.long_requests`` holds."""
    thresholds = sorted(set(thresholds))
    out: dict[int, dict[str, tuple[int, int]]] = {threshold: {} for threshold in thresholds}
    for encoding, counts in per_document.items():
        # No document is over a threshold at or above the longest one: most of the dozen
        # (context windows included) cost nothing on a corpus of ordinary documents.
        longest = max(counts, default=0)
        for threshold in thresholds:
            over = [c for c in counts if c > threshold] if longest > threshold else []
            out[threshold][encoding] = (len(over), sum(over))
    return out


def add_long_requests(parts: Iterable[Mapping[int, Mapping[str, tuple[int, int]]]]
                      ) -> dict[int, dict[str, tuple[int, int]]]:
    """Several ``long_requests_of`` added up (the thresholds all of them know)."""
    parts = list(parts)
    if not parts:
        return {}
    common = set.intersection(*(set(p) for p in parts))
    out: dict[int, dict[str, tuple[int, int]]] = {}
    for threshold in sorted(common):
        sums: dict[str, tuple[int, int]] = {}
        for part in parts:
            for encoding, (n, tokens) in part[threshold].items():
                n0, t0 = sums.get(encoding, (0, 0))
                sums[encoding] = (n0 + n, t0 + tokens)
        out[threshold] = sums
    return out
