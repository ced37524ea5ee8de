"""Quotation scoring, per document; scores add over documents.

Predicted quotations are aligned one-to-one to gold on content (>= 1 code point overlap, maximising
2 * [same boundaries] + IoU).  An aligned pair **matches** when the two contents share at least half of
their words: word IoU ``|W(g) ∩ W(p)| / |W(g) ∪ W(p)| >= MATCH_IOU`` (0.5), where W(s) are the
white-space-separated words of the text that the span touches.  Reported:

- ``content_strict``: exact (start, end) matches (multiset), P/R/F1;
- ``content_matched``: matched pairs, P/R/F1 (the content part of the headline);
- ``content_overlap``: proportional overlap over all aligned pairs (overlap / predicted length toward
  precision, overlap / gold length toward recall): the most lenient view, reported beside;
- ``cue_strict`` / ``cue_overlap``: the cue spans of all quotations, exact, and aligned with overlap;
- ``kind_accuracy``: over matched pairs whose prediction gives a kind, the share with the gold's kind;
- ``speaker_accuracy``: over matched pairs whose gold quote has a speaker: right when the predicted speaker
  span overlaps the gold speaker mention, or equals its text after Arabic normalisation;
- ``end_to_end`` (the headline): a quotation is a true positive when its content matches and its speaker
  is right (both absent counts as right).

Why a word IoU of 0.5: any overlap lets a system that emits one word inside every quotation score as if it
had found them all; exact boundaries punish the guidelines' own fine points (a final clause, a mark) as
hard as a miss.  Evaluations on PARC (Pareti et al. 2013; Scheible et al. 2016) and Citron's evaluation
script report exact boundaries beside a partial view that credits overlapping tokens without a threshold
(``content_strict`` and ``content_overlap`` here).  A threshold of one half, as detection counts an object
found at IoU > 0.5 (PASCAL VOC): a fragment holding a tenth of a quotation scores nothing, a span that misses
or adds a clause of a long quotation still matches.  docs/benchmark.md ("How quotations match") gives the
figures.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from aqwal.benchmark.align import align, iou, overlap
from aqwal.benchmark.counts import Counts, Proportional, Ratio, _Additive
from aqwal.benchmark.submission import QuotePred
from aqwal.corpus.arabic import normalise
from aqwal.benchmark.golddoc import GoldDocument, Quote


MATCH_IOU = 0.5
_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class QuoteScores(_Additive):
    content_strict: Counts = field(default_factory=Counts)
    content_matched: Counts = field(default_factory=Counts)
    content_overlap: Proportional = field(default_factory=Proportional)
    cue_strict: Counts = field(default_factory=Counts)
    cue_overlap: Counts = field(default_factory=Counts)
    kind_accuracy: Ratio = field(default_factory=Ratio)
    speaker_accuracy: Ratio = field(default_factory=Ratio)
    end_to_end: Counts = field(default_factory=Counts)

    def to_dict(self) -> dict:
        return {"content_strict": self.content_strict.to_dict(), "content_matched": self.content_matched.to_dict(),
                "content_overlap": self.content_overlap.to_dict(),
                "cue_strict": self.cue_strict.to_dict(), "cue_overlap": self.cue_overlap.to_dict(),
                "kind_accuracy": self.kind_accuracy.to_dict(),
                "speaker_accuracy": self.speaker_accuracy.to_dict(), "end_to_end": self.end_to_end.to_dict(),
                "match": f"word IoU >= {MATCH_IOU}"}


class Words:
    """The white-space-separated words of a text, to count the words a span touches."""

    def __init__(self, text: str):
        found = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        self.starts = [a for a, _ in found]
        self.ends = [b for _, b in found]

    def touched(self, start: int, end: int) -> int:
        """How many words share at least one code point with ``[start, end)``."""
        return max(0, bisect_left(self.starts, end) - bisect_right(self.ends, start)) if end > start else 0

    def iou(self, a: tuple[int, int], b: tuple[int, int]) -> float:
        inter = self.touched(max(a[0], b[0]), min(a[1], b[1]))
        union = self.touched(*a) + self.touched(*b) - inter
        return inter / union if union else 0.0


def matched(doc: GoldDocument, pred: Sequence[QuotePred], pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The aligned pairs whose contents match (word IoU >= MATCH_IOU)."""
    if not pairs:
        return []
    words = Words(doc.text)
    return [(i, j) for i, j in pairs
            if words.iou((doc.quotes[i].start, doc.quotes[i].end), (pred[j].start, pred[j].end)) >= MATCH_IOU]


def _weight(g: tuple, p: tuple) -> float:
    return 2.0 * (g[0] == p[0] and g[1] == p[1]) + iou(g, p)


def _strict(gold: list[tuple[int, int]], pred: list[tuple[int, int]]) -> Counts:
    tp = sum((Counter(gold) & Counter(pred)).values())
    return Counts(tp, len(pred) - tp, len(gold) - tp)


def canonical(pred: Sequence[QuotePred]) -> list[QuotePred]:
    """Quotations in a fixed order, so no number depends on their order in the file."""
    return sorted(pred, key=lambda q: (q.start, q.end, q.cue or (-1, -1), q.speaker or (-1, -1), q.stance))


def align_quotes(doc: GoldDocument, pred: Sequence[QuotePred]) -> list[tuple[int, int]]:
    """(gold quote index, index into ``pred``) pairs; ``pred`` must be in canonical order."""
    gold = [(q.start, q.end) for q in doc.quotes]
    return align(gold, [(p.start, p.end) for p in pred], _weight)


def speaker_correct(doc: GoldDocument, gold: Quote, pred: QuotePred) -> bool:
    if gold.speaker is None:
        return pred.speaker is None
    if pred.speaker is None:
        return False
    mention = doc.mention(gold.speaker)
    if overlap((mention.start, mention.end), pred.speaker):
        return True
    return _key(doc.text[pred.speaker[0]:pred.speaker[1]]) == _key(doc.text[mention.start:mention.end])


def score_quotes(doc: GoldDocument, pred: Sequence[QuotePred], pairs: list[tuple[int, int]],
                 matches: list[tuple[int, int]] | None = None) -> QuoteScores:
    """Scores of one document, given ``pairs`` from ``align_quotes`` over the same ``pred`` and the pairs of
    them that match (``matched``; computed when not given)."""
    gold_spans = [(q.start, q.end) for q in doc.quotes]
    pred_spans = [(p.start, p.end) for p in pred]
    matches = matched(doc, pred, pairs) if matches is None else matches
    p_mass = r_mass = 0.0
    for i, j in pairs:
        g, p = gold_spans[i], pred_spans[j]
        inter = overlap(g, p)
        p_mass += inter / (p[1] - p[0])
        r_mass += inter / (g[1] - g[0])
    with_speaker = speaker_right = e2e = with_kind = kind_right = 0
    for i, j in matches:
        right = speaker_correct(doc, doc.quotes[i], pred[j])
        if pred[j].kind is not None:
            with_kind += 1
            kind_right += pred[j].kind == doc.quotes[i].kind
        e2e += right
        if doc.quotes[i].speaker is not None:
            with_speaker += 1
            speaker_right += right
    gold_cues = [(q.cue.start, q.cue.end) for q in doc.quotes if q.cue is not None]
    pred_cues = sorted(p.cue for p in pred if p.cue is not None)
    cue_aligned = len(align(sorted(gold_cues), pred_cues, _weight))
    n = len(matches)
    return QuoteScores(
        content_strict=_strict(gold_spans, pred_spans),
        content_matched=Counts(n, len(pred_spans) - n, len(gold_spans) - n),
        content_overlap=Proportional(p_mass, len(pred_spans), r_mass, len(gold_spans)),
        cue_strict=_strict(gold_cues, pred_cues),
        cue_overlap=Counts(cue_aligned, len(pred_cues) - cue_aligned, len(gold_cues) - cue_aligned),
        kind_accuracy=Ratio(kind_right, with_kind),
        speaker_accuracy=Ratio(speaker_right, with_speaker),
        end_to_end=Counts(e2e, len(pred_spans) - e2e, len(gold_spans) - e2e))


def _key(text: str) -> str:
    """A speaker's matching key: Arabic-normalised, white space folded."""
    return " ".join(normalise(text).split())
