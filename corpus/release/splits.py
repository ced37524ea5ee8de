"""Document-level train/validation/test assignment: deterministic, stratified by source, stable.

A document keeps the split a previous release gave it.  New documents of a source are taken in the
order of ``sha256(id)`` and each goes to the split furthest below its share of that source (counting
the documents already assigned), so the assignment depends only on the ids and the previous assignment,
never on input order or a random generator.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from aqwal.corpus.model import Document, sha256_text
from aqwal.corpus.release.configs import SPLITS

RATIOS: dict[str, float] = {"train": 0.8, "validation": 0.1, "test": 0.1}


def id_hash(doc_id: str) -> str:
    return sha256_text(doc_id)


def assign(docs: Iterable[Document], previous: dict[str, str] | None = None) -> dict[str, str]:
    """``{document id: split}`` for ``docs``, keeping ``previous`` assignments of documents still present."""
    previous = previous or {}
    by_source: dict[str, list[str]] = defaultdict(list)
    for doc in docs:
        by_source[doc.source].append(doc.id)
    out: dict[str, str] = {}
    for source in sorted(by_source):
        ids = by_source[source]
        counts: Counter[str] = Counter()
        for doc_id in ids:
            if doc_id in previous:
                out[doc_id] = previous[doc_id]
                counts[previous[doc_id]] += 1
        new = sorted((i for i in ids if i not in previous), key=lambda i: (id_hash(i), i))
        total = sum(counts.values())
        for doc_id in new:
            total += 1
            # the split with the largest shortfall against its share of the source so far; ties → SPLITS order
            split = max(SPLITS, key=lambda s: (RATIOS[s] * total - counts[s], -SPLITS.index(s)))
            out[doc_id] = split
            counts[split] += 1
    return dict(sorted(out.items()))
