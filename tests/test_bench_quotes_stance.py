"""Quotation and stance scoring on hand-made cases; SemEval-2016 F_avg computed by hand."""
from __future__ import annotations

import random

from bench_gold import at, documents
from hypothesis import given, settings
from hypothesis import strategies as st

from aqwal.benchmark.counts import Counts, Proportional, Ratio
from aqwal.benchmark.golddoc import from_document
from aqwal.benchmark.quotes import align_quotes, canonical, score_quotes
from aqwal.benchmark.stance import f_avg, macro_f1, score_stance
from aqwal.benchmark.submission import QuotePred
from aqwal.corpus.model import Document, Mention, Quote, Stance, Target

DOC = documents()[0]


def _span(text, sub, nth=0):
    s = at(text, sub, nth)
    return (s.start, s.end)


def _score(doc, preds):
    doc = from_document(doc)
    ordered = canonical(preds)
    pairs = align_quotes(doc, ordered)
    return score_quotes(doc, ordered, pairs), score_stance(doc, ordered, pairs)


def test_quote_scores_by_hand():
    t = DOC.text
    preds = [
        QuotePred(*_span(t, "الحوار الاستراتيجي مع واشنطن ناجح"), _span(t, "قال"), _span(t, "الكاظمي"), ()),
        QuotePred(*_span(t, "ستنسحب"), None, _span(t, "مصدر أمني"), ()),
        QuotePred(*_span(t, "رئيس الوزراء"), None, None, ()),
    ]
    quotes, _ = _score(DOC, preds)
    assert quotes.content_strict == Counts(1, 2, 1)
    assert quotes.content_overlap == Proportional(2.0, 3, 1 + 6 / 13, 2)
    assert quotes.cue_strict == Counts(1, 0, 1) and quotes.cue_overlap == Counts(1, 0, 1)
    assert quotes.speaker_accuracy == Ratio(2, 2)
    assert quotes.end_to_end == Counts(2, 1, 0)
    assert quotes.end_to_end.f1 == 0.8


def test_speaker_matches_after_normalisation_without_overlap():
    text = "قال أحمد «نعم». وأضاف احمد إن «لا»."
    doc = Document.create(id="n", text=text, source="wikinews", license="cc-by-2.5",
                          entities=(Mention("e1", at(text, "أحمد"), "PER"),),
                          quotes=(Quote("q", at(text, "لا"), "direct", at(text, "وأضاف"), "e1"),))
    right = QuotePred(*_span(text, "لا"), None, _span(text, "احمد"), ())
    wrong = QuotePred(*_span(text, "لا"), None, _span(text, "نعم"), ())
    assert _score(doc, [right])[0].speaker_accuracy == Ratio(1, 1)
    assert _score(doc, [wrong])[0].speaker_accuracy == Ratio(0, 1)
    assert _score(doc, [wrong])[0].end_to_end == Counts(0, 1, 1)


def _on_gold(doc, stances):
    return [QuotePred(q.span.start, q.span.end, None, None, tuple(s)) for q, s in zip(doc.quotes, stances)]


def test_semeval_f_avg_by_hand():
    # gold: q1 troops neutral, dialogue favor; q2 troops against, dialogue neutral
    preds = _on_gold(DOC, [[("t-troops", "favor"), ("t-dialogue", "favor")],
                           [("t-troops", "against"), ("t-dialogue", "against")]])
    _, stance = _score(DOC, preds)
    favor, against, neutral = stance.classes
    assert favor == Counts(1, 1, 0) and against == Counts(1, 1, 0) and neutral == Counts(0, 0, 2)
    # F_favor = F_against = 2 * 0.5 * 1 / 1.5 = 2/3; neutral is not averaged
    assert abs(f_avg(stance.classes) - 2 / 3) < 1e-12
    assert abs(macro_f1(stance.classes) - (2 / 3 + 2 / 3 + 0) / 3) < 1e-12
    assert stance.accuracy == Ratio(2, 4)
    assert stance.to_dict()["per_target"]["t-troops"]["f_avg"] == (0 + 1) / 2  # favor: fp only -> 0; against 1


def test_absent_class_counts_as_zero_as_in_the_official_script():
    text = "قال الوزير إن «القوات باقية»."
    doc = Document.create(id="a", text=text, source="wikinews", license="cc-by-2.5",
                          targets=(Target("t", "القوات"),),
                          quotes=(Quote("q", at(text, "القوات باقية"), "direct", None, None,
                                        (Stance("t", "against"),)),))
    _, stance = _score(doc, _on_gold(doc, [[("t", "against")]]))
    # favor: nothing gold, nothing predicted -> F_favor = 0 (eval.pl), F_against = 1
    assert stance.classes[0] == Counts(0, 0, 0)
    assert f_avg(stance.classes) == 0.5
    assert stance.accuracy == Ratio(1, 1)


def test_stance_end_to_end_counts_unaligned_quotes():
    t = DOC.text
    preds = [QuotePred(*_span(t, "رئيس الوزراء"), None, None, (("t-troops", "favor"),))]  # aligned to nothing
    _, stance = _score(DOC, preds)
    favor, against, neutral = stance.classes
    assert favor == Counts(0, 1, 1) and against == Counts(0, 0, 1) and neutral == Counts(0, 0, 2)
    assert stance.accuracy == Ratio(0, 4) and f_avg(stance.classes) == 0.0


_offsets = st.tuples(st.integers(0, 90), st.integers(1, 20)).map(lambda t: (t[0], min(t[0] + t[1], 100)))
_quote_preds = st.lists(st.builds(
    QuotePred, st.just(0), st.just(0), st.none() | _offsets, st.none() | _offsets,
    st.lists(st.tuples(st.sampled_from(["t-troops", "t-dialogue"]), st.sampled_from(["favor", "against", "neutral"])),
             max_size=2, unique_by=lambda x: x[0]).map(tuple)), max_size=6)


@settings(max_examples=200, deadline=None)
@given(preds=_quote_preds, spans=st.lists(_offsets, min_size=6, max_size=6), seed=st.integers(0, 10**6))
def test_order_of_quotes_never_changes_a_number(preds, spans, seed):
    """Through evaluate(), the scorer's entry point: the file's order of quotations must not matter."""
    preds = [QuotePred(s, e, p.cue, p.speaker, p.stance) for p, (s, e) in zip(preds, spans)]
    shuffled = preds[:]
    random.Random(seed).shuffle(shuffled)
    assert _evaluate(preds) == _evaluate(shuffled)


def _evaluate(preds) -> dict:
    from aqwal.benchmark.evaluate import evaluate
    from aqwal.benchmark.gold import Gold
    from aqwal.benchmark.submission import Prediction, Submission, System
    from aqwal.corpus.schema import ENTITY_NAMES
    gold = Gold("gold", None, {DOC.id: from_document(DOC)}, ENTITY_NAMES, None, "hash")
    sub = Submission("pred", System("s"), ("quotes", "stance"), {DOC.id: Prediction(DOC.id, (), tuple(preds))})
    return {task: scores.to_dict() for task, scores in evaluate(gold, sub, date="d").scores.items()}


def test_a_fragment_inside_every_quotation_scores_nothing_end_to_end():
    """A system that emits one word of each quotation with the right speaker must not top the board: the
    end-to-end match needs half of the words (word IoU >= 0.5); the lenient overlap view still shows it."""
    text = ("قال الوزير إن الحكومة ستعلن خطة جديدة للإسكان خلال الأسبوع المقبل بعد مشاورات طويلة. "
            "وأضاف الوزير أن الخطة تشمل بناء عشرة آلاف وحدة سكنية في المدن الكبرى.")
    first = at(text, "الحكومة ستعلن خطة جديدة للإسكان خلال الأسبوع المقبل بعد مشاورات طويلة")
    second = at(text, "الخطة تشمل بناء عشرة آلاف وحدة سكنية في المدن الكبرى")
    doc = Document.create(id="f", text=text, source="wikinews", license="cc-by-2.5",
                          entities=(Mention("e1", at(text, "الوزير"), "PER"),),
                          quotes=(Quote("q1", first, "indirect", at(text, "قال"), "e1"),
                                  Quote("q2", second, "indirect", at(text, "وأضاف"), "e1")))
    speaker = _span(text, "الوزير")
    fragments = [QuotePred(*_span(text, "خطة"), None, speaker, ()), QuotePred(*_span(text, "بناء"), None, speaker, ())]
    quotes, _ = _score(doc, fragments)
    assert quotes.end_to_end == Counts(0, 2, 2) and quotes.end_to_end.f1 == 0.0
    assert quotes.content_matched == Counts(0, 2, 2)
    assert quotes.content_overlap.precision == 1.0  # every predicted character is inside a quotation
    # half of the words is enough: a span that drops the last clause still matches
    trimmed = at(text, "الحكومة ستعلن خطة جديدة للإسكان خلال الأسبوع")
    whole = [QuotePred(trimmed.start, trimmed.end, None, speaker, (), "indirect"),
             QuotePred(second.start, second.end, None, speaker, (), "mixed")]
    quotes, _ = _score(doc, whole)
    assert quotes.end_to_end == Counts(2, 0, 0) and quotes.content_strict == Counts(1, 1, 1)
    assert quotes.kind_accuracy == Ratio(1, 2)


def test_word_iou_counts_the_words_a_span_touches():
    from aqwal.benchmark.quotes import Words
    words = Words("واحد اثنان ثلاثة أربعة")
    assert words.touched(0, 4) == 1 and words.touched(2, 7) == 2 and words.touched(4, 5) == 0
    assert words.iou((0, 10), (5, 16)) == 1 / 3  # {واحد, اثنان} and {اثنان, ثلاثة}
    assert words.iou((0, 4), (11, 16)) == 0.0
