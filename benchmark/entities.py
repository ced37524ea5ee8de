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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

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
    code = label_codes(labels)
    return score_rows(entity_rows(gold_docs, code), entity_rows(pred_docs, code), len(gold_docs), labels)


def label_codes(labels: Sequence[str]) -> dict[str, int]:
    """Label -> code, numbered in the order of the names, so rows sort as (document, start, end, label)."""
    return {lab: k for k, lab in enumerate(sorted(labels))}


def entity_rows(docs: Sequence[Sequence[EntitySpan]], code: Mapping[str, int]) -> np.ndarray:
    return span_rows([(s, e, code[lab]) for spans in docs for s, e, lab in spans],
                     [len(spans) for spans in docs])


def span_rows(spans: Sequence[tuple[int, int, int]], sizes: Sequence[int]) -> np.ndarray:
    """Rows (document, start, end, label code): ``spans`` are every document's (start, end, code) in document
    order, ``sizes`` how many each document has."""
    rows = np.empty((len(spans), 4), dtype=np.int64)
    rows[:, 0] = np.repeat(np.arange(len(sizes)), sizes)
    if spans:
        rows[:, 1:] = spans
    return rows


def score_rows(gold: np.ndarray, pred: np.ndarray, n: int,
               labels: Sequence[str]) -> tuple[EntityScores, np.ndarray]:
    """``score_entities`` on rows of ``span_rows`` (codes from ``label_codes``) for ``n`` documents."""
    nl = len(labels)
    code, names = label_codes(labels), sorted(labels)
    keys, in_gold, in_pred = _multisets(gold, pred)
    tp_key = np.minimum(in_gold, in_pred)
    tp_doc, gold_doc, pred_doc = (np.bincount(rows[:, 0], weights=w, minlength=n).astype(np.int64)
                                  for rows, w in ((keys, tp_key), (gold, None), (pred, None)))
    per_doc = np.stack([tp_doc, pred_doc - tp_doc, gold_doc - tp_doc], axis=1)
    tp_l, g_l, p_l = (np.bincount(rows[:, 3], weights=w, minlength=nl).astype(np.int64)
                      for rows, w in ((keys, tp_key), (gold, None), (pred, None)))
    per_label = {lab: Counts(int(tp_l[code[lab]]), int(p_l[code[lab]] - tp_l[code[lab]]),
                             int(g_l[code[lab]] - tp_l[code[lab]])) for lab in labels}
    strict_tp = int(tp_doc.sum())
    strict = Counts(strict_tp, len(pred) - strict_tp, len(gold) - strict_tp)

    # the spans strict matching left over, in (document, start, end, label) order, aligned per document
    g_left = _by_document(np.repeat(keys, in_gold - tp_key, axis=0), names)
    p_left = _by_document(np.repeat(keys, in_pred - tp_key, axis=0), names)
    same_bounds = same_label = aligned = 0
    for d, pred_spans in p_left.items():
        gold_spans = g_left.get(d)
        if not gold_spans:
            continue
        for i, j in align(gold_spans, pred_spans, pair_weight):
            aligned += 1
            same_bounds += gold_spans[i][0] == pred_spans[j][0] and gold_spans[i][1] == pred_spans[j][1]
            same_label += gold_spans[i][2] == pred_spans[j][2]
    missed = sum(map(len, g_left.values())) - aligned
    spurious = sum(map(len, p_left.values())) - aligned
    exact = ViewCounts(strict_tp + same_bounds, aligned - same_bounds, 0, missed, spurious)
    partial = ViewCounts(strict_tp + same_bounds, 0, aligned - same_bounds, missed, spurious)
    ent_type = ViewCounts(strict_tp + same_label, aligned - same_label, 0, missed, spurious)
    return EntityScores(strict, per_label, exact, ent_type, partial), per_doc


def _multisets(gold: np.ndarray, pred: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct rows of both, sorted, and how often each occurs in ``gold`` and in ``pred``."""
    rows = np.concatenate([gold, pred])
    side = np.concatenate([np.zeros(len(gold), np.int64), np.ones(len(pred), np.int64)])
    if not len(rows):
        return rows, side, side
    order = np.lexsort(rows.T[::-1])
    rows, side = rows[order], side[order]
    first = np.flatnonzero(np.concatenate([[True], (rows[1:] != rows[:-1]).any(axis=1)]))
    in_pred = np.add.reduceat(side, first)
    return rows[first], np.diff(np.append(first, len(rows))) - in_pred, in_pred


def _by_document(rows: np.ndarray, names: Sequence[str]) -> dict[int, list[EntitySpan]]:
    out: dict[int, list[EntitySpan]] = {}
    for d, s, e, k in rows.tolist():
        out.setdefault(d, []).append((s, e, names[k]))
    return out
