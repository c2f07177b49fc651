"""Counts of a corpus's pieces (counted apart: a cluster's partitions) merged into the counts of
the whole, and documents relabelled after counting."""

from __future__ import annotations

import dataclasses
from array import array
from collections.abc import Iterable

from tokenizers.streaming import CorpusCounts, GroupCounts, add_by_name


def relabel(counts: CorpusCounts, labels: Iterable[str]) -> CorpusCounts:
    """``counts`` with each document labelled ``labels[i]`` instead, the per-label totals added up again."""
    names: list[str] = []
    at: dict[str, int] = {}
    index = array("i")
    for name in labels:
        if name not in at:
            at[name] = len(names)
            names.append(name)
        index.append(at[name])
    totals = {name: GroupCounts(tokens={e: 0 for e in counts.encodings}) for name in names}
    add_by_name(totals, names, index, counts.document_characters, counts.document_bytes, counts.per_document)
    return dataclasses.replace(counts, label_names=names, document_labels=index, labels=totals)


def merge_counts(parts: Iterable[CorpusCounts], continues: Iterable[bool] = ()) -> CorpusCounts:
    """The counts of consecutive pieces of one corpus (each counted by count_stream) as one:
    documents in order, totals added, group and label names re-indexed. Associative, so
    partitions counted anywhere (one process, a cluster's workers) merge to the same numbers.

    ``continues[i]`` says the first document of ``parts[i]`` is the rest of the last document
    before it (a text cut into byte ranges): its counts are added to that document's.
    """
    parts = list(parts)
    joins = list(continues)
    joins += [False] * (len(parts) - len(joins))
    if not parts:
        raise ValueError("nothing to merge")
    encodings = parts[0].encodings
    merged = CorpusCounts(
        encodings=encodings, engines=dict(parts[0].engines), tokens={e: 0 for e in encodings}, documents=0,
        characters=0, bytes=0, per_document={e: array("q") for e in encodings}, document_characters=array("q"),
        document_bytes=array("q"), document_groups=array("i"), group_names=[], groups={},
    )
    group_at: dict[str | None, int] = {}
    label_at: dict[str, int] = {}
    for part, join in zip(parts, joins):
        if part.encodings != encodings:
            raise ValueError("counts on different encodings cannot be merged")
        if join and part.documents and merged.documents:
            part = _fold_first(part, merged)
        merged.documents += part.documents
        merged.characters += part.characters
        merged.bytes += part.bytes
        for e in encodings:
            merged.tokens[e] += part.tokens[e]
            merged.per_document[e].extend(part.per_document[e])
        merged.document_characters.extend(part.document_characters)
        merged.document_bytes.extend(part.document_bytes)
        merged.document_groups.extend(_reindex(part.document_groups, part.group_names, merged.group_names, group_at))
        merged.document_labels.extend(_reindex(part.document_labels, part.label_names, merged.label_names, label_at))
        _add_totals(merged.groups, part.groups, encodings)
        _add_totals(merged.labels, part.labels, encodings)
    # Group totals in order of first appearance, as count_stream gives them.
    merged.groups = {name: merged.groups[name] for name in merged.group_names}
    merged.labels = {name: merged.labels[name] for name in merged.label_names}
    return merged


def _fold_first(part: CorpusCounts, merged: CorpusCounts) -> CorpusCounts:
    """``part`` without its first document, whose counts are added to ``merged``'s last one."""
    last = merged.documents - 1
    merged.characters += part.document_characters[0]
    merged.bytes += part.document_bytes[0]
    merged.document_characters[last] += part.document_characters[0]
    merged.document_bytes[last] += part.document_bytes[0]
    group = merged.groups[merged.group_names[merged.document_groups[last]]]
    group.characters += part.document_characters[0]
    group.bytes += part.document_bytes[0]
    for e in part.encodings:
        n = part.per_document[e][0]
        merged.tokens[e] += n
        merged.per_document[e][last] += n
        group.tokens[e] += n
    rest = {name: GroupCounts(c.documents, c.characters, c.bytes, dict(c.tokens)) for name, c in part.groups.items()}
    first = rest[part.group_names[part.document_groups[0]]]
    first.documents -= 1
    first.characters -= part.document_characters[0]
    first.bytes -= part.document_bytes[0]
    for e in part.encodings:
        first.tokens[e] -= part.per_document[e][0]
    return dataclasses.replace(
        part, tokens={e: part.tokens[e] - part.per_document[e][0] for e in part.encodings},
        documents=part.documents - 1, characters=part.characters - part.document_characters[0],
        bytes=part.bytes - part.document_bytes[0],
        per_document={e: part.per_document[e][1:] for e in part.encodings},
        document_characters=part.document_characters[1:], document_bytes=part.document_bytes[1:],
        document_groups=part.document_groups[1:], groups=rest,
        document_labels=part.document_labels[1:] if len(part.document_labels) else part.document_labels,
    )


def _reindex(index: array, names: list, into: list, at: dict) -> array:
    mapping = []
    for name in names:
        if name not in at:
            at[name] = len(into)
            into.append(name)
        mapping.append(at[name])
    return array("i", (mapping[i] for i in index))


def _add_totals(into: dict, part: dict, encodings: tuple[str, ...]) -> None:
    for name, counts in part.items():
        total = into.setdefault(name, GroupCounts(tokens={e: 0 for e in encodings}))
        total.documents += counts.documents
        total.characters += counts.characters
        total.bytes += counts.bytes
        for e in encodings:
            total.tokens[e] += counts.tokens[e]
