"""Stance scoring (SemEval-2016 task 6 style), per document; scores add over documents.

Items are (quotation, target) pairs.  For an aligned quotation pair, each target the gold quotation has a
stance for is one item (the prediction may be absent: then it is wrong); a gold quotation with no aligned
prediction contributes its items with no prediction; a predicted quotation aligned to no gold contributes
its polar labels as false positives.  Per class c: tp = gold c and predicted c, fp = predicted c
otherwise, fn = gold c otherwise.  F_avg = (F_favor + F_against) / 2, where a class with nothing gold and
nothing predicted has F = 0, as in the official SemEval-2016 script (so neutral counts as an error for the
polar classes but is not averaged).  Also the 3-class macro-F1, accuracy over gold items, and F_avg per
target.  On a submission that predicts stance for the gold quotations this is stance "on gold quotes";
otherwise it is end to end, on the matched quotations (``quotes.matched``: word IoU >= 0.5).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from aqwal.benchmark.counts import Counts, Ratio
from aqwal.benchmark.submission import QuotePred
from aqwal.benchmark.golddoc import GoldDocument
from aqwal.corpus.schema import POLAR_STANCES, STANCE_LABELS

Classes = tuple[Counts, ...]  # one Counts per STANCE_LABELS entry
_ZERO: Classes = tuple(Counts() for _ in STANCE_LABELS)


def _add(a: Classes, b: Classes) -> Classes:
    return tuple(x + y for x, y in zip(a, b))


def _item(gold: str | None, pred: str | None) -> Classes:
    return tuple(Counts(int(gold == c and pred == c), int(pred == c and gold != c), int(gold == c and pred != c))
                 for c in STANCE_LABELS)


def f_avg(classes: Classes) -> float | None:
    if not any(c.tp + c.fp + c.fn for c in classes):
        return None
    return sum(classes[STANCE_LABELS.index(c)].f1 or 0.0 for c in POLAR_STANCES) / len(POLAR_STANCES)


def macro_f1(classes: Classes) -> float | None:
    if not any(c.tp + c.fp + c.fn for c in classes):
        return None
    return sum(c.f1 or 0.0 for c in classes) / len(classes)


@dataclass(frozen=True, slots=True)
class StanceScores:
    classes: Classes = _ZERO
    accuracy: Ratio = field(default_factory=Ratio)
    per_target: Mapping[str, Classes] = field(default_factory=dict)

    def __add__(self, other: StanceScores) -> StanceScores:
        targets = list(dict.fromkeys([*self.per_target, *other.per_target]))
        return StanceScores(_add(self.classes, other.classes), self.accuracy + other.accuracy,
                            {t: _add(self.per_target.get(t, _ZERO), other.per_target.get(t, _ZERO))
                             for t in targets})

    def to_dict(self) -> dict:
        return {"f_avg": f_avg(self.classes), "macro_f1": macro_f1(self.classes),
                "accuracy": self.accuracy.value, "items": self.accuracy.total,
                "per_class": {c: counts.to_dict() for c, counts in zip(STANCE_LABELS, self.classes)},
                "per_target": {t: {"f_avg": f_avg(cl), "items": sum(c.tp + c.fn for c in cl)}
                               for t, cl in self.per_target.items()}}


def score_stance(doc: GoldDocument, pred: Sequence[QuotePred], pairs: list[tuple[int, int]]) -> StanceScores:
    items: list[tuple[str, str | None, str | None]] = []
    aligned_gold = {i: j for i, j in pairs}
    aligned_pred = {j for _, j in pairs}
    for i, quote in enumerate(doc.quotes):
        j = aligned_gold.get(i)
        predicted = dict(pred[j].stance) if j is not None else {}
        items.extend((s.target, s.label, predicted.get(s.target)) for s in quote.stance)
    for j, quote in enumerate(pred):
        if j not in aligned_pred:
            items.extend((target, None, label) for target, label in quote.stance)
    classes, per_target, correct, total = _ZERO, {}, 0, 0
    for target, gold, predicted in items:
        counted = _item(gold, predicted)
        classes = _add(classes, counted)
        per_target[target] = _add(per_target.get(target, _ZERO), counted)
        if gold is not None:
            total += 1
            correct += gold == predicted
    return StanceScores(classes, Ratio(correct, total), per_target)
