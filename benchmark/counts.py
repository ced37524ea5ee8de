"""Counts that add, and the metrics derived from them.

A scorer turns one document into counts; counts of several documents add with ``+``; precision, recall
and F1 are derived, never stored, and are ``None`` when there was nothing to score (as spaCy's PRFScore).
The same formulas work on numpy arrays of counts (one entry per bootstrap resample), see ``prf_arrays``.
"""
from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

Number = int | float


def _ratio(num: Number, den: Number) -> float | None:
    return num / den if den else None


def f_score(precision: float | None, recall: float | None) -> float | None:
    if precision is None or recall is None:
        return None
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


class _Additive:
    """Field-wise ``+`` for frozen count records."""

    def __add__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return type(self)(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def as_tuple(self) -> tuple:
        return tuple(getattr(self, f.name) for f in fields(self))


@dataclass(frozen=True, slots=True)
class Counts(_Additive):
    """True positives, false positives, false negatives (partial views hold half credits: 0.5 steps)."""

    tp: Number = 0
    fp: Number = 0
    fn: Number = 0

    def __post_init__(self) -> None:
        if min(self.tp, self.fp, self.fn) < 0:
            raise ValueError(f"counts cannot be negative: {self}")

    @property
    def precision(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float | None:
        """2tp / (2tp + fp + fn): 0 when something was missed or spurious but nothing right."""
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)

    def to_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": self.precision,
                "recall": self.recall, "f1": self.f1}


@dataclass(frozen=True, slots=True)
class ViewCounts(_Additive):
    """One partial-credit view (MUC/SemEval-2013 categories as nervaluate names them)."""

    correct: Number = 0
    incorrect: Number = 0
    partial: Number = 0
    missed: Number = 0
    spurious: Number = 0

    def counts(self, partial_credit: float) -> Counts:
        """As tp/fp/fn: tp = correct + credit * partial, fp = actual - tp, fn = possible - tp."""
        tp = self.correct + partial_credit * self.partial
        possible = self.correct + self.incorrect + self.partial + self.missed
        actual = self.correct + self.incorrect + self.partial + self.spurious
        return Counts(tp, actual - tp, possible - tp)

    def to_dict(self, partial_credit: float) -> dict:
        c = self.counts(partial_credit)
        return {"correct": self.correct, "incorrect": self.incorrect, "partial": self.partial,
                "missed": self.missed, "spurious": self.spurious, "precision": c.precision,
                "recall": c.recall, "f1": c.f1}


@dataclass(frozen=True, slots=True)
class Proportional(_Additive):
    """Proportional overlap: each predicted span earns overlap/len(pred) toward precision, each gold span
    overlap/len(gold) toward recall (over aligned pairs)."""

    precision_mass: float = 0.0
    predicted: int = 0
    recall_mass: float = 0.0
    gold: int = 0

    @property
    def precision(self) -> float | None:
        return _ratio(self.precision_mass, self.predicted)

    @property
    def recall(self) -> float | None:
        return _ratio(self.recall_mass, self.gold)

    @property
    def f1(self) -> float | None:
        if not (self.predicted or self.gold):
            return None
        return f_score(self.precision or 0.0, self.recall or 0.0)

    def to_dict(self) -> dict:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}


@dataclass(frozen=True, slots=True)
class Ratio(_Additive):
    """``correct`` out of ``total`` (accuracy)."""

    correct: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return _ratio(self.correct, self.total)

    def to_dict(self) -> dict:
        return {"correct": self.correct, "total": self.total, "accuracy": self.value}


def prf_arrays(tp: np.ndarray, fp: np.ndarray, fn: np.ndarray, empty: float = np.nan) -> np.ndarray:
    """F1 for arrays of summed counts (one per resample); ``empty`` where there is nothing to score."""
    tp, fp, fn = (np.asarray(a, dtype=np.float64) for a in (tp, fp, fn))
    den = 2 * tp + fp + fn
    return np.where(den > 0, 2 * tp / np.where(den > 0, den, 1), empty)
