"""Agreement numbers checked by hand on constructed documents."""
from __future__ import annotations

import pytest

from aqwal.annotation.agreement import Counts, agreement, align, cohen_kappa, krippendorff_alpha
from aqwal.corpus.model import AnnotationInfo, Document, Mention, Quote, Stance, Target
from aqwal.corpus.spans import Span

TEXT = "ب" * 150


def _doc(who, entities, quotes, doc_id="d1"):
    ents = tuple(Mention(f"e{i}", Span.of(TEXT, s, e), label) for i, (s, e, label) in enumerate(entities))
    by_span = {(m.span.start, m.span.end): m.id for m in ents}
    qs = tuple(Quote(f"q{i}", Span.of(TEXT, s, e), "indirect", Span.of(TEXT, *cue) if cue else None,
                     by_span[speaker] if speaker else None, tuple(Stance("t1", l) for l in stance))
               for i, ((s, e), cue, speaker, stance) in enumerate(quotes))
    return Document.create(id=doc_id, text=TEXT, source="seed", license="all-rights-reserved",
                           targets=(Target("t1", "هدف"),), entities=ents, quotes=qs,
                           annotations=(AnnotationInfo(who, "human"),))


A = _doc("a", [(0, 5, "PER"), (10, 15, "GPE"), (20, 30, "ORG")],
         [((50, 60), (46, 49), (0, 5), ["favor"]), ((70, 80), (66, 69), (10, 15), ["against"]),
          ((100, 110), None, None, ["neutral"])])
B = _doc("b", [(0, 5, "PER"), (11, 15, "GPE"), (40, 45, "LOC")],
         [((50, 60), (46, 49), (0, 5), ["favor"]), ((72, 80), (65, 69), (11, 15), ["neutral"]),
          ((120, 130), None, None, ["neutral"])])


def test_counts_ratios():
    c = Counts(2, 1, 1) + Counts(0, 1, 0)
    assert (c.tp, c.fp, c.fn) == (2, 2, 1)
    assert c.precision == 0.5 and c.recall == pytest.approx(2 / 3) and c.f1 == pytest.approx(4 / 7)
    assert Counts().f1 is None and Counts().precision is None


def test_alignment_is_optimal_not_greedy():
    # greedy left-to-right would pair (0,10) with (5,15) and leave (0,4) alone
    a = [Span.of(TEXT, 0, 10), Span.of(TEXT, 10, 15)]
    b = [Span.of(TEXT, 5, 15), Span.of(TEXT, 0, 4)]
    assert align(a, b) == [(0, 1), (1, 0)]
    assert align(list(reversed(a)), b) == [(0, 0), (1, 1)]


def test_pair_numbers_by_hand():
    result = agreement({"a": [A], "b": [B]})
    (pair,) = result["pairs"]
    ents = pair["entities"]
    assert ents["PER"]["strict"]["f1"] == 1.0
    assert (ents["GPE"]["strict"]["tp"], ents["GPE"]["strict"]["f1"]) == (0, 0.0)
    assert ents["GPE"]["overlap"]["f1"] == 1.0
    assert ents["ORG"]["strict"]["fn"] == 1 and ents["LOC"]["strict"]["fp"] == 1
    assert ents["DATE"]["strict"]["f1"] is None  # nothing to score
    assert ents["ALL"]["strict"]["f1"] == pytest.approx(1 / 3)  # tp 1, fp 2, fn 2
    assert ents["ALL"]["overlap"]["f1"] == pytest.approx(2 / 3)  # tp 2, fp 1, fn 1
    q = pair["quotes"]
    assert q["content_strict"]["f1"] == pytest.approx(1 / 3)
    assert q["content_overlap"]["f1"] == pytest.approx(2 / 3)
    assert (q["cue"]["agree"], q["cue"]["total"]) == (1, 2)  # (66,69) vs (65,69)
    assert (q["speaker"]["agree"], q["speaker"]["total"]) == (2, 2)  # overlapping GPE mentions agree
    s = pair["stance"]["t1"]
    assert (s["items"], s["agree"]) == (2, 1)
    # po = 1/2, pe = 1/2*1/2 (favor) = 1/4 -> kappa = (1/2 - 1/4) / (3/4)
    assert s["kappa"] == pytest.approx(1 / 3)
    # coincidences: f-f 2, a-n 1, n-a 1; n = 4; Do = 2/4; De = 10/12 -> alpha = 1 - 0.6
    assert s["alpha"] == pytest.approx(0.4)


def test_overall_with_three_annotators_by_hand():
    C = _doc("c", [(0, 5, "PER"), (10, 15, "GPE"), (20, 30, "ORG")],
             [((50, 60), (46, 49), (0, 5), ["favor"]), ((70, 80), (66, 69), (10, 15), ["against"]),
              ((100, 110), None, None, ["neutral"])])
    result = agreement({"a": [A], "b": [B], "c": [C]})
    assert [(p["a"], p["b"]) for p in result["pairs"]] == [("a", "b"), ("a", "c"), ("b", "c")]
    overall = result["overall"]
    # strict entity counts pooled over pairs: (1,2,2) + (3,0,0) + (1,2,2)
    assert overall["entities"]["ALL"]["strict"]["f1"] == pytest.approx(10 / 18)
    s = overall["stance"]["t1"]
    assert s["kappa"] == pytest.approx((1 / 3 + 1 + 1 / 3) / 3)  # Light's kappa
    # units f,f,f | a,n,a | n,-,n (| -,n,- not pairable): Do = 2/8, De = 42/56 -> alpha = 2/3
    assert s["alpha"] == pytest.approx(2 / 3)


def test_documents_only_one_annotator_has_are_left_out_of_pairs():
    other = _doc("b", [(0, 5, "PER")], [], doc_id="d2")
    result = agreement({"a": [A], "b": [other]})
    assert result["pairs"] == [] and result["overall"]["documents"] == 0


def test_undefined_statistics_are_none():
    assert cohen_kappa([]) is None
    assert cohen_kappa([("neutral", "neutral"), ("neutral", "neutral")]) is None  # chance agreement is 1
    assert krippendorff_alpha([["favor", None]]) is None
    assert cohen_kappa([("favor", "favor"), ("against", "against")]) == 1.0
