"""Score a validated submission against the gold: totals, per-document headline counts, intervals.

A task is scored when the submission covers it and the gold has its layer (entities; quotations for quotes
and stance).  Per-document headline counts are integer arrays, one row per gold document; documents with
no quotation on either side are not visited by the quotation and stance scorers (their counts are zero).
"""
from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from aqwal.benchmark import SCORER_VERSION
from aqwal.benchmark.bootstrap import LEVEL, RESAMPLES, SEED, interval, resampled_metrics
from aqwal.benchmark.counts import prf_arrays
from aqwal.benchmark.entities import entity_rows, label_codes, score_rows, span_rows
from aqwal.benchmark.gold import Gold
from aqwal.benchmark.quotes import QuoteScores, align_quotes, canonical, matched, score_quotes
from aqwal.benchmark.stance import StanceScores, score_stance
from aqwal.benchmark.submission import Prediction, Submission
from aqwal.corpus.schema import POLAR_STANCES, STANCE_LABELS


def _f1(sums: np.ndarray) -> np.ndarray:
    return prf_arrays(sums[:, 0], sums[:, 1], sums[:, 2])


def _f_avg(sums: np.ndarray) -> np.ndarray:
    """SemEval-2016: an absent polar class has F = 0; undefined (NaN) only when nothing at all was scored."""
    favor = prf_arrays(sums[:, 0], sums[:, 1], sums[:, 2], empty=0.0)
    against = prf_arrays(sums[:, 3], sums[:, 4], sums[:, 5], empty=0.0)
    return np.where(sums.sum(axis=1) > 0, (favor + against) / 2, np.nan)


@dataclass(frozen=True, slots=True)
class Headline:
    name: str  # where the number sits in the result, e.g. "entities.strict.f1"
    label: str  # for tables
    metric: Callable[[np.ndarray], np.ndarray]  # summed per-document counts -> value


HEADLINES: Mapping[str, Headline] = {
    "entities": Headline("entities.strict.f1", "entities strict F1", _f1),
    "quotes": Headline("quotes.end_to_end.f1", "quotes end-to-end F1", _f1),
    "stance": Headline("stance.f_avg", "stance F_avg", _f_avg),
}


ON_GOLD_QUOTES = "gold quotes"  # what stance was scored on when the submission gives the gold quotations


@dataclass(frozen=True)
class Evaluation:
    gold: Gold
    submission: Submission
    scores: Mapping[str, Any]  # task -> EntityScores | QuoteScores | StanceScores
    per_doc: Mapping[str, np.ndarray]  # task -> (n documents, k) headline counts, gold document order
    date: str
    stance_on: str | None = None  # "gold quotes" or "matched quotes (end to end)"

    @property
    def given_gold_quotes(self) -> bool:
        """Stance given the gold quotations: the submission gives exactly the gold quotations and does not
        claim the quotation task (stance mode), so it did not find them itself."""
        return self.stance_on == ON_GOLD_QUOTES and "quotes" not in self.submission.tasks

    def headline(self, task: str) -> float | None:
        """The task's headline number; None when there was nothing to score."""
        value = float(HEADLINES[task].metric(self.per_doc[task].sum(axis=0, keepdims=True))[0])
        return None if np.isnan(value) else value

    def meta(self) -> dict:
        g, s = self.gold, self.submission
        return {"scorer_version": SCORER_VERSION, "date": self.date,
                "dataset": {"path": g.path, "config": g.config, "split": g.split, "version": g.version,
                            "content_hash": g.content_hash, "documents": len(g.documents),
                            "entity_labels": list(g.labels)},
                "system": {"name": s.system.name, "version": s.system.version},
                "submission": s.path, "tasks": list(self.scores),
                "tasks_without_gold": [t for t in s.tasks if t not in self.scores],
                "missing_documents": len(s.missing)}

    def to_dict(self, intervals: Mapping[str, dict] | None = None) -> dict:
        out: dict[str, Any] = {"meta": self.meta()}
        for task, scores in self.scores.items():
            block = scores.to_dict()
            if task == "stance":
                block["on"] = self.stance_on
            block["headline"] = {"metric": HEADLINES[task].name, "value": self.headline(task),
                                 **(intervals or {}).get(task, {})}
            out[task] = block
        return out


LAYER = {"entities": "entities", "quotes": "quotes", "stance": "quotes"}  # task -> the gold layer it needs
_NO_PREDICTION = Prediction("")


def evaluate(gold: Gold, submission: Submission, *, date: str | None = None) -> Evaluation:
    docs = list(gold.documents.values())
    preds = [submission.predictions.get(d.id, _NO_PREDICTION) for d in docs]
    tasks = [t for t in submission.tasks if LAYER[t] in gold.layers]
    scores: dict[str, Any] = {}
    per_doc: dict[str, np.ndarray] = {}
    stance_on = None
    if "entities" in tasks:
        code = label_codes(gold.labels)
        gold_rows = span_rows([(e.start, e.end, code[e.label]) for d in docs for e in d.entities],
                              [len(d.entities) for d in docs])
        pred_rows = entity_rows([p.entities for p in preds], code)
        scores["entities"], per_doc["entities"] = score_rows(gold_rows, pred_rows, len(docs), gold.labels)
    if "quotes" in tasks or "stance" in tasks:
        quote_total, stance_total = QuoteScores(), StanceScores()
        q_rows = np.zeros((len(docs), 3), dtype=np.int64)
        s_rows = np.zeros((len(docs), 6), dtype=np.int64)
        on_gold_quotes = True  # every gold quotation predicted with its exact span, and nothing else
        polar = [STANCE_LABELS.index(c) for c in POLAR_STANCES]
        for k, (doc, pred) in enumerate(zip(docs, preds)):
            if not (doc.quotes or pred.quotes):
                continue
            ordered = canonical(pred.quotes)
            pairs = align_quotes(doc, ordered)
            on_gold_quotes = on_gold_quotes and len(pairs) == len(doc.quotes) == len(ordered) and all(
                (doc.quotes[i].start, doc.quotes[i].end) == (ordered[j].start, ordered[j].end)
                for i, j in pairs)
            matches = matched(doc, ordered, pairs)
            if "quotes" in tasks:
                q = score_quotes(doc, ordered, pairs, matches)
                quote_total = quote_total + q
                q_rows[k] = q.end_to_end.as_tuple()
            if "stance" in tasks:
                s = score_stance(doc, ordered, matches)
                stance_total = stance_total + s
                s_rows[k] = [v for c in polar for v in s.classes[c].as_tuple()]
        if "quotes" in tasks:
            scores["quotes"], per_doc["quotes"] = quote_total, q_rows
        if "stance" in tasks:
            scores["stance"], per_doc["stance"] = stance_total, s_rows
            stance_on = ON_GOLD_QUOTES if on_gold_quotes else "matched quotes (end to end)"
    stamp = date or _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()
    return Evaluation(gold, submission, scores, per_doc, stamp, stance_on)


def intervals(evaluation: Evaluation, *, resamples: int = RESAMPLES, seed: int = SEED,
              level: float = LEVEL) -> dict[str, dict]:
    """95% percentile bootstrap intervals of each task's headline, over documents; none for 0 resamples."""
    tasks = list(evaluation.per_doc)
    if resamples == 0 or not tasks:
        return {}
    values = resampled_metrics([evaluation.per_doc[t] for t in tasks], [HEADLINES[t].metric for t in tasks],
                               resamples=resamples, seed=seed)
    return {t: {"interval": list(interval(values[k], level)), "level": level, "resamples": resamples,
                "seed": seed} for k, t in enumerate(tasks)}

