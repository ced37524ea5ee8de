"""Merging annotators into gold: agreed items, an adjudicator's resolution, review tasks."""
from __future__ import annotations

import json

from aqwal.annotation.adjudicate import adjudicate, disputes_text
from aqwal.annotation.convert import convert_export
from aqwal.corpus.model import AnnotationInfo, Document, Mention, Quote, Stance, Target
from aqwal.corpus.spans import Span

TEXT = "وقال الكاظمي إن العراق 😀 لم يعد بحاجة الى القوات الاجنبية واضاف مصدر ان الوضع مستقر"


def _span(word, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(word, start + 1)
    return Span(start, start + len(word), word)


PER = ("e-per", _span("الكاظمي"), "PER")
GPE = ("e-gpe", _span("العراق"), "GPE")
SRC = ("s-src", _span("مصدر"), "SOURCE")
Q1 = _span("العراق 😀 لم يعد بحاجة الى القوات الاجنبية")
Q2 = _span("الوضع مستقر")


def _doc(who, mentions, quotes, doc_id="d1"):
    ms = [Mention(i, span, label) for i, span, label in mentions]
    return Document.create(id=doc_id, text=TEXT, source="seed", license="all-rights-reserved",
                           targets=(Target("t1", "القوات الأجنبية"),),
                           entities=tuple(m for m in ms if m.label != "SOURCE"),
                           sources=tuple(m for m in ms if m.label == "SOURCE"), quotes=tuple(quotes),
                           annotations=(AnnotationInfo(who, "human", "2026-01-05T10:00:00Z"),))


def _q1(kind="indirect", stance="against", qid="q-1"):
    return Quote(qid, Q1, kind, _span("قال"), "e-per", (Stance("t1", stance),))


def _q2():
    return Quote("q-2", Q2, "indirect", None, "s-src", (Stance("t1", "neutral"),))


def test_full_agreement_becomes_gold_renumbered():
    a = _doc("a", [PER, GPE, SRC], [_q1(), _q2()])
    b = _doc("b", [SRC, GPE, PER], [_q2(), _q1()])  # same items, other order and ids
    result = adjudicate({"a": [a], "b": [b]}, now="2026-01-06T00:00:00+00:00")
    (gold,) = result.gold
    assert result.review == [] and result.documents[0]["status"] == "agreed"
    assert [(m.id, m.label) for m in gold.entities] == [("e1", "PER"), ("e2", "GPE")]
    assert [m.id for m in gold.sources] == ["s1"]
    assert [(q.id, q.speaker, q.kind) for q in gold.quotes] == [("q1", "e1", "indirect"), ("q2", "s1", "indirect")]
    last = gold.annotations[-1]
    assert (last.annotator, last.kind, last.reviewed_by) == ("agreement", "adjudication", ("a", "b"))
    assert [i.annotator for i in gold.annotations[:-1]] == ["a", "b"]


def test_disagreement_without_adjudicator_becomes_a_review_task_with_both_versions():
    a = _doc("a", [PER, GPE], [_q1(stance="against")])
    b = _doc("b", [PER], [_q1(stance="neutral")])
    result = adjudicate({"a": [a], "b": [b]})
    assert result.gold == []
    entry = result.documents[0]
    assert entry["status"] == "review" and entry["disputed"] == 2  # the GPE and the quotation's stance
    (task,) = result.review
    assert task["data"]["doc_id"] == "d1" and task["data"]["review_of"] == ["a", "b"]
    # Label Studio names a prediction's tab by its model_version: the annotator's id, whole
    assert [p["model_version"] for p in task["predictions"]] == ["a", "b"]
    stances = [[r["value"]["choices"] for r in p["result"] if r.get("from_name") == "stance_1"]
               for p in task["predictions"]]
    assert stances == [[["against"]], [["neutral"]]]
    # the disputes, readable, travel with the task for the review page to show
    assert task["data"]["disputes"] == disputes_text({"a": a, "b": b})
    assert "2 dispute(s) between a, b" in task["data"]["disputes"]
    # each prediction, submitted as an annotation, converts back to that annotator's version
    for who, version, pred in zip("ab", (a, b), task["predictions"]):
        back = convert_export(json.loads(json.dumps([{"id": 1, "data": task["data"], "annotations": [
            {"id": 1, "completed_by": who, "result": pred["result"]}]}])))
        assert back.rejected == []
        got = back.documents[who][0]
        assert [(m.span, m.label) for m in got.entities] == [(m.span, m.label) for m in version.entities]
        assert [(q.span, q.stance) for q in got.quotes] == [(q.span, q.stance) for q in version.quotes]


def test_adjudicator_resolves_only_the_disputed_items():
    a = _doc("a", [PER, GPE, SRC], [_q1(kind="indirect"), _q2()])
    b = _doc("b", [PER, SRC], [_q1(kind="mixed"), _q2()])
    # the adjudicator keeps the GPE out, calls the quotation mixed, and (against the agreement) drops q2
    judge = _doc("lead", [PER], [_q1(kind="mixed")])
    result = adjudicate({"a": [a], "b": [b], "lead": [judge]}, adjudicator="lead")
    (gold,) = result.gold
    assert result.documents[0]["status"] == "adjudicated"
    assert [m.label for m in gold.entities] == ["PER"]  # disputed GPE: the adjudicator left it out
    assert [(q.span, q.kind) for q in gold.quotes] == [(Q1, "mixed"), (Q2, "indirect")]  # agreed q2 stays
    assert gold.sources[0].span == SRC[1]
    last = gold.annotations[-1]
    assert (last.annotator, last.kind, last.reviewed_by) == ("lead", "adjudication", ("a", "b"))


def test_named_adjudicator_who_did_not_annotate_leaves_a_review_task():
    a = _doc("a", [PER, GPE], [])
    b = _doc("b", [PER], [])
    result = adjudicate({"a": [a], "b": [b]}, adjudicator="lead")
    assert result.gold == [] and len(result.review) == 1


def test_documents_with_one_annotator_wait_for_a_second():
    a = _doc("a", [PER], [])
    result = adjudicate({"a": [a]})
    assert result.gold == [] and result.review == []
    assert result.documents[0]["status"] == "fewer than 2 annotators"
    assert len(adjudicate({"a": [a]}, min_annotators=1).gold) == 1


def test_a_single_annotator_and_the_adjudicator():
    a = _doc("a", [PER, GPE], [_q1()])
    judge = _doc("lead", [PER], [_q1(kind="direct")])
    result = adjudicate({"a": [a], "lead": [judge]}, adjudicator="lead")
    (gold,) = result.gold
    assert result.documents[0]["status"] == "adjudicated"
    assert [m.label for m in gold.entities] == ["PER"] and gold.quotes[0].kind == "direct"


def test_fill_metadata_completes_empty_fields_of_the_same_text_only():
    from dataclasses import replace

    from aqwal.annotation.adjudicate import fill_metadata
    from aqwal.corpus.model import Document
    doc = Document.create(id="d1", text="قال الوزير إن الحوار مفيد.", source="seed", license="all-rights-reserved",
                          url="https://example.org/kept")
    ref = replace(doc, url="https://example.org/other", provenance="seed/000.txt", author="مراسل")
    other_text = Document.create(id="d1", text="نص آخر.", source="seed", license="all-rights-reserved",
                                 provenance="elsewhere")
    (got,), filled = fill_metadata([doc], [ref])
    assert filled == 1 and got.provenance == "seed/000.txt" and got.author == "مراسل"
    assert got.url == "https://example.org/kept"  # a value is never changed
    (same,), filled = fill_metadata([doc], [other_text])  # another text under the same id: nothing taken
    assert filled == 0 and same == doc


def test_a_later_stage_decides_and_earlier_passes_stay_listed():
    from aqwal.annotation.adjudicate import adjudicate_stages
    old_a = _doc("a", [PER, GPE], [_q1()])
    old_b = _doc("b", [PER, GPE], [_q1()])
    other = _doc("a", [PER], [], doc_id="d2")
    recheck = _doc("rev", [PER, GPE, SRC], [_q1(), _q2()])  # the re-check adds a SOURCE and a quotation
    result = adjudicate_stages([{"a": [old_a, other], "b": [old_b]}, {"rev": [recheck]}], min_annotators=1)
    by_id = {d.id: d for d in result.gold}
    assert sorted(by_id) == ["d1", "d2"]
    d1 = by_id["d1"]
    assert len(d1.quotes) == 2 and [m.label for m in d1.sources] == ["SOURCE"]
    # stage 1's two passes and their agreement record, then stage 2's pass
    assert [(i.annotator, i.kind, i.round) for i in d1.annotations] == [
        ("a", "human", 1), ("b", "human", 1), ("agreement", "adjudication", 1), ("rev", "human", 2)]
    assert [i.annotator for i in by_id["d2"].annotations] == ["a"]  # untouched by stage 2
    assert [d["id"] for d in result.documents] == ["d1", "d2"]


def test_disputes_group_overlapping_items_and_the_draft_keeps_the_agreed_ones():
    from aqwal.annotation.adjudicate import agreed_document, disputes, disputes_text
    a = _doc("a", [PER, GPE, SRC], [_q1(stance="against"), _q2()])
    b = _doc("b", [PER, SRC], [_q1(stance="neutral"), _q2()])
    found = disputes({"a": a, "b": b})
    assert [(d.kind, d.start, d.end) for d in found] == [("mention", GPE[1].start, GPE[1].end),
                                                         ("quotation", Q1.start, Q1.end)]
    assert [len(v) for v in found[0].versions.values()] == [1, 0]  # the GPE: a has it, b not
    text = disputes_text({"a": a, "b": b})
    assert "2 dispute(s) between a, b" in text and "t1=against" in text and "t1=neutral" in text
    assert "(nothing)" in text and "⟦العراق" in text
    draft = agreed_document({"a": a, "b": b})
    assert [m.label for m in draft.entities] == ["PER"] and [q.span for q in draft.quotes] == [Q2]
