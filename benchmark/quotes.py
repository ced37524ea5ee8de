"""Quotation scoring, per document; scores add over documents.

Predicted quotations are aligned one-to-one to gold on content (>= 1 code point overlap, maximising
2 * [same boundaries] + IoU).  Reported:

- ``content_strict``: exact (start, end) matches (multiset), P/R/F1;
- ``content_overlap``: proportional overlap over aligned pairs (overlap / predicted length toward
  precision, overlap / gold length toward recall);
- ``cue_strict`` / ``cue_overlap``: the cue spans of all quotations, exact, and aligned with overlap;
- ``speaker_accuracy``: over aligned pairs whose gold quote has a speaker: right when the predicted speaker
  span overlaps the gold speaker mention, or equals its text after Arabic normalisation;
- ``end_to_end`` (the headline): a quotation is a true positive when its content is aligned and its
  speaker is right (both absent counts as right).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from aqwal.benchmark.align import align, iou, overlap
from aqwal.benchmark.counts import Counts, Proportional, Ratio, _Additive
from aqwal.benchmark.submission import QuotePred
from aqwal.corpus.arabic import normalise
from aqwal.benchmark.golddoc import GoldDocument, Quote


@dataclass(frozen=True, slots=True)
class QuoteScores(_Additive):
    content_strict: Counts = field(default_factory=Counts)
    content_overlap: Proportional = field(default_factory=Proportional)
    cue_strict: Counts = field(default_factory=Counts)
    cue_overlap: Counts = field(default_factory=Counts)
    speaker_accuracy: Ratio = field(default_factory=Ratio)
    end_to_end: Counts = field(default_factory=Counts)

    def to_dict(self) -> dict:
        return {"content_strict": self.content_strict.to_dict(), "content_overlap": self.content_overlap.to_dict(),
                "cue_strict": self.cue_strict.to_dict(), "cue_overlap": self.cue_overlap.to_dict(),
                "speaker_accuracy": self.speaker_accuracy.to_dict(), "end_to_end": self.end_to_end.to_dict()}


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


def score_quotes(doc: GoldDocument, pred: Sequence[QuotePred], pairs: list[tuple[int, int]]) -> QuoteScores:
    """Scores of one document, given ``pairs`` from ``align_quotes`` over the same ``pred``."""
    gold_spans = [(q.start, q.end) for q in doc.quotes]
    pred_spans = [(p.start, p.end) for p in pred]
    p_mass = r_mass = 0.0
    with_speaker = speaker_right = e2e = 0
    for i, j in pairs:
        g, p = gold_spans[i], pred_spans[j]
        inter = overlap(g, p)
        p_mass += inter / (p[1] - p[0])
        r_mass += inter / (g[1] - g[0])
        right = speaker_correct(doc, doc.quotes[i], pred[j])
        e2e += right
        if doc.quotes[i].speaker is not None:
            with_speaker += 1
            speaker_right += right
    gold_cues = [(q.cue.start, q.cue.end) for q in doc.quotes if q.cue is not None]
    pred_cues = sorted(p.cue for p in pred if p.cue is not None)
    cue_aligned = len(align(sorted(gold_cues), pred_cues, _weight))
    return QuoteScores(
        content_strict=_strict(gold_spans, pred_spans),
        content_overlap=Proportional(p_mass, len(pred_spans), r_mass, len(gold_spans)),
        cue_strict=_strict(gold_cues, pred_cues),
        cue_overlap=Counts(cue_aligned, len(pred_cues) - cue_aligned, len(gold_cues) - cue_aligned),
        speaker_accuracy=Ratio(speaker_right, with_speaker),
        end_to_end=Counts(e2e, len(pred_spans) - e2e, len(gold_spans) - e2e))


def _key(text: str) -> str:
    """A speaker's matching key: Arabic-normalised, white space folded."""
    return " ".join(normalise(text).split())
