"""Entity scoring: strict micro/per-label counts, and the partial-credit views on one optimal alignment.

Strict (the headline): a prediction is right when (start, end, label) equals a gold entity; counts are a
multiset intersection, so on token-aligned spans they equal conlleval and seqeval's default mode.
Partial views (names as in nervaluate / SemEval-2013 task 9.1): strict matches are paired first; the
remaining spans are aligned one-to-one where they overlap by >= 1 code point, maximising per pair
4 * [same boundaries] + 2 * [same label] + IoU.  Each aligned pair is, per view:

- ``exact``:    correct with the same boundaries (any label), else incorrect;
- ``partial``:  correct with the same boundaries, else partial (half credit);
- ``ent_type``: correct with the same label (any overlap), else incorrect;

unaligned gold is missed and unaligned predictions are spurious.  Nested and overlapping spans are fine.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import groupby

import numpy as np

from aqwal.benchmark.align import align, iou
from aqwal.benchmark.counts import Counts, ViewCounts

EntitySpan = tuple[int, int, str]
VIEWS = ("exact", "ent_type", "partial")
PARTIAL_CREDIT = {"exact": 0.0, "ent_type": 0.0, "partial": 0.5}


def pair_weight(g: EntitySpan, p: EntitySpan) -> float:
    return 4.0 * (g[0] == p[0] and g[1] == p[1]) + 2.0 * (g[2] == p[2]) + iou(g, p)


@dataclass(frozen=True, slots=True)
class EntityScores:
    strict: Counts = field(default_factory=Counts)
    per_label: Mapping[str, Counts] = field(default_factory=dict)
    exact: ViewCounts = field(default_factory=ViewCounts)
    ent_type: ViewCounts = field(default_factory=ViewCounts)
    partial: ViewCounts = field(default_factory=ViewCounts)

    def __add__(self, other: EntityScores) -> EntityScores:
        labels = list(dict.fromkeys([*self.per_label, *other.per_label]))
        per_label = {lab: self.per_label.get(lab, Counts()) + other.per_label.get(lab, Counts()) for lab in labels}
        return EntityScores(self.strict + other.strict, per_label, self.exact + other.exact,
                            self.ent_type + other.ent_type, self.partial + other.partial)

    def macro_f1(self) -> float | None:
        """Mean strict F1 over the labels that occur in the gold or the predictions."""
        scores = [c.f1 for c in self.per_label.values() if c.f1 is not None]
        return sum(scores) / len(scores) if scores else None

    def to_dict(self) -> dict:
        return {"strict": self.strict.to_dict(),
                **{view: getattr(self, view).to_dict(PARTIAL_CREDIT[view]) for view in VIEWS},
                "per_label": {lab: {"strict": c.to_dict()} for lab, c in self.per_label.items()},
                "macro_f1": self.macro_f1()}


def score_document(gold: Sequence[EntitySpan], pred: Sequence[EntitySpan],
                   labels: Sequence[str]) -> EntityScores:
    """The scores of one document (a pure function; documents' scores add)."""
    scores, _ = score_entities([gold], [pred], labels)
    return scores


def score_entities(gold_docs: Sequence[Sequence[EntitySpan]], pred_docs: Sequence[Sequence[EntitySpan]],
                   labels: Sequence[str]) -> tuple[EntityScores, np.ndarray]:
    """Totals over documents, and the strict counts per document as an (n, 3) array of tp, fp, fn."""
    if len(gold_docs) != len(pred_docs):
        raise ValueError(f"{len(gold_docs)} gold documents but {len(pred_docs)} predicted")
    n = len(gold_docs)
    label_at = {lab: k for k, lab in enumerate(labels)}
    gkeys = Counter((d, s, e, lab) for d, spans in enumerate(gold_docs) for s, e, lab in spans)
    pkeys = Counter((d, s, e, lab) for d, spans in enumerate(pred_docs) for s, e, lab in spans)
    common = gkeys & pkeys

    def per(counter: Counter, key: int, size: int, index=None) -> np.ndarray:
        if not counter:
            return np.zeros(size, dtype=np.int64)
        idx = np.fromiter((k[key] if index is None else index[k[key]] for k in counter), np.int64, len(counter))
        return np.bincount(idx, weights=np.fromiter(counter.values(), np.float64, len(counter)),
                           minlength=size).astype(np.int64)

    tp_doc = per(common, 0, n)
    gold_doc = np.fromiter((len(x) for x in gold_docs), np.int64, n)
    pred_doc = np.fromiter((len(x) for x in pred_docs), np.int64, n)
    per_doc = np.stack([tp_doc, pred_doc - tp_doc, gold_doc - tp_doc], axis=1)
    nl = len(labels)
    tp_l, g_l, p_l = per(common, 3, nl, label_at), per(gkeys, 3, nl, label_at), per(pkeys, 3, nl, label_at)
    per_label = {lab: Counts(int(tp_l[k]), int(p_l[k] - tp_l[k]), int(g_l[k] - tp_l[k]))
                 for k, lab in enumerate(labels)}
    strict_tp = int(tp_doc.sum())
    strict = Counts(strict_tp, int(pred_doc.sum()) - strict_tp, int(gold_doc.sum()) - strict_tp)

    # the spans strict matching left over, aligned per document
    g_left = sorted((gkeys - common).elements())
    p_left = sorted((pkeys - common).elements())
    same_bounds = same_label = aligned = 0
    g_by_doc = {d: [k[1:] for k in items] for d, items in groupby(g_left, key=lambda k: k[0])}
    for d, items in groupby(p_left, key=lambda k: k[0]):
        gold = g_by_doc.get(d)
        if not gold:
            continue
        pred = [k[1:] for k in items]
        for i, j in align(gold, pred, pair_weight):
            aligned += 1
            same_bounds += gold[i][0] == pred[j][0] and gold[i][1] == pred[j][1]
            same_label += gold[i][2] == pred[j][2]
    missed, spurious = len(g_left) - aligned, len(p_left) - aligned
    exact = ViewCounts(strict_tp + same_bounds, aligned - same_bounds, 0, missed, spurious)
    partial = ViewCounts(strict_tp + same_bounds, 0, aligned - same_bounds, missed, spurious)
    ent_type = ViewCounts(strict_tp + same_label, aligned - same_label, 0, missed, spurious)
    return EntityScores(strict, per_label, exact, ent_type, partial), per_doc
