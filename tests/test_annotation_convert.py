"""Label Studio export -> documents: golden exports, every check, UTF-16 repair, and round trips."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings

from aqwal.annotation.convert import convert_export, load_export, utf16_to_code_points
from aqwal.annotation.labelstudio import annotation, document_results, predictions_results, task_data
from aqwal.corpus.errors import FormatError
from aqwal.corpus.jsonl import iter_documents
from tests.annotation_strategies import documents

DATA = Path(__file__).parent / "data"


def _export(doc, *, task_id=1, annotation_id=1) -> list[dict]:
    """A one-task export in Label Studio's shape, through JSON as the server would return it."""
    info = doc.annotations[0]
    who = {"id": 3, "email": info.annotator} if "@" in info.annotator else int(info.annotator)
    task = {"id": task_id, "data": task_data(doc), "drafts": [], "predictions": [],
            "annotations": [annotation(doc, completed_by=who, created_at=info.created_at,
                                       annotation_id=annotation_id)]}
    return json.loads(json.dumps([task], ensure_ascii=False))


def _documents(conv) -> list[dict]:
    return [d.to_dict() for a in sorted(conv.documents) for d in conv.documents[a]]


@pytest.mark.parametrize("name", ["clean", "problems", "utf16", "real_1.23.2"])
def test_golden_exports(name):
    conv = convert_export(load_export(DATA / f"ls_export_{name}.json"))
    expected = json.loads((DATA / f"ls_export_{name}.report.json").read_text(encoding="utf-8"))
    assert conv.report() == expected
    assert _documents(conv) == [d.to_dict() for d in iter_documents(DATA / f"ls_export_{name}.documents.jsonl")]
    # every result is either converted or listed
    listed = sum(1 for u in conv.unconverted if u.result is not None)
    assert conv.converted + listed == conv.results


def test_export_of_a_real_label_studio_server():
    """ls_export_real_1.23.2.json was exported by Label Studio 1.23.2 after importing task_data() of the clean
    fixture's documents with a pre-annotation, posting document_results() of both versions as annotations
    (as one user), a draft and a skip: what we sent comes back."""
    conv = convert_export(load_export(DATA / "ls_export_real_1.23.2.json"))
    assert conv.rejected == [] and conv.warnings == []
    sent = {d.id: d for d in iter_documents(DATA / "ls_export_clean.documents.jsonl")
            if d.annotations[0].annotator == "2"}  # posted last, so it supersedes the first version
    for doc in conv.documents["1"]:
        assert (doc.entities, doc.sources, doc.quotes) == (sent[doc.id].entities, sent[doc.id].sources,
                                                           sent[doc.id].quotes)
    reasons = {u.reason for u in conv.unconverted}
    assert "draft (saved, never submitted)" in reasons
    assert "annotation was cancelled (task skipped) (no results)" in reasons


def test_clean_export_converts_everything_per_annotator():
    conv = convert_export(load_export(DATA / "ls_export_clean.json"))
    assert conv.unconverted == [] and conv.warnings == []
    assert sorted(conv.documents) == ["1", "2"]
    first = conv.documents["2"][0]
    assert first.annotations[0].pre_annotation == "crf@0.1"  # from parent_prediction, not "prediction"
    assert conv.documents["1"][0].annotations[0].pre_annotation is None
    assert [q.kind for q in first.quotes] == ["indirect", "mixed", "indirect"]
    assert first.text.startswith("😀") and first.quotes[0].span.text == first.text[37:76]


def test_a_superseded_annotation_is_listed_once_and_counts_nothing():
    doc = next(d for d in iter_documents(DATA / "ls_export_clean.documents.jsonl") if d.annotations[0].annotator == "2")
    export = _export(doc)
    good = export[0]["annotations"][0]
    old = json.loads(json.dumps(good))
    old["id"], old["created_at"] = 7, "2020-01-01T00:00:00Z"
    bad = next(r for r in old["result"] if r.get("type") == "labels")
    bad["value"]["text"] = "x" * (bad["value"]["end"] - bad["value"]["start"])  # does not match the document
    export[0]["annotations"] = [old, good]
    conv = convert_export(export)
    n = len(good["result"])
    assert conv.rejected == [] and conv.converted == n and conv.results == 2 * n
    assert [u.annotation for u in conv.unconverted] == [7] * n
    assert all("superseded by a later annotation" in u.reason for u in conv.unconverted)
    (got,) = [d for ds in conv.documents.values() for d in ds]
    assert (got.entities, got.sources, got.quotes) == (doc.entities, doc.sources, doc.quotes)


def test_every_check_of_the_problem_export():
    conv = convert_export(load_export(DATA / "ls_export_problems.json"))
    reasons = {(u.annotation, u.result): (u.reason, u.excluded) for u in conv.unconverted}
    assert reasons[(21, "e1dup")][1] is True and "duplicate region" in reasons[(21, "e1dup")][0]
    assert "does not match the document" in reasons[(21, "bad")][0]
    assert "unknown label 'BOGUS'" in reasons[(21, "weird")][0]
    assert "without its region" in reasons[(21, "gone")][0]
    assert "dangling relation" in reasons[(21, "q1->nowhere")][0]
    assert "not PER to CUE" in reasons[(21, "e1->c1")][0]
    assert "not LOC" in reasons[(21, "q2->loc1")][0]
    assert "CUE region not linked" in reasons[(21, "c9")][0]
    assert reasons[(22, "e1")] == ("annotation was cancelled (task skipped)", True)
    assert reasons[("draft 5", "d1")] == ("draft (saved, never submitted)", True)
    assert "superseded" in reasons[(23, "x1")][0]
    q1_reasons = [u.reason for u in conv.unconverted if u.result == "q1"]
    assert any("unknown control 'stance_9'" in r for r in q1_reasons)
    assert any("unknown stance choice 't-government:bogus'" in r for r in q1_reasons)
    assert any("two different kind choices" in r for r in q1_reasons)
    assert any("no speaker" in w for w in conv.warnings) and any("no cue" in w for w in conv.warnings)
    assert any("the text was changed" in w for w in conv.warnings)
    # the relation drawn to the duplicate region reaches the kept one; the unlabeled relation is a cue
    doc = conv.documents["ann7@example.org"][0]
    q1 = next(q for q in doc.quotes if q.id == "q1")
    assert q1.speaker == "e1" and q1.cue is not None and q1.cue.text == "قال"
    # the later of ann8's two annotations wins
    assert [m.id for m in conv.documents["ann8@example.org"][0].entities] == ["x2", "x3"]


def test_utf16_offsets_are_repaired_with_a_warning():
    tasks = load_export(DATA / "ls_export_utf16.json")
    span = tasks[0]["annotations"][0]["result"][0]["value"]
    assert (span["start"], span["end"]) == (21, 34)  # one past the code points: the emoji counts twice
    conv = convert_export(tasks)
    assert conv.rejected == []
    doc = conv.documents["3"][0]
    assert (doc.entities[0].span.start, doc.entities[0].span.end) == (20, 33)
    assert any("UTF-16" in w and "5 span(s)" in w for w in conv.warnings)


def test_utf16_map():
    text = "a😀b👍🏽c"
    m = utf16_to_code_points(text)
    assert [m[u] for u in (0, 1, 3, 4, 6, 8, 9)] == [0, 1, 2, 3, 4, 5, 6]
    assert 2 not in m and 5 not in m  # inside a surrogate pair


def test_load_export_refuses_other_formats(tmp_path):
    (tmp_path / "min.json").write_text('{"text": "x"}', encoding="utf-8")
    with pytest.raises(FormatError, match="not a Label Studio JSON export"):
        load_export(tmp_path / "min.json")
    with pytest.raises(FormatError, match="no such file"):
        load_export(tmp_path)  # a directory without export.json


@settings(max_examples=150, deadline=None)
@given(documents())
def test_documents_to_label_studio_and_back_is_the_identity(doc):
    conv = convert_export(_export(doc))
    assert conv.unconverted == [] and conv.rejected == []
    assert conv.converted == conv.results == len(document_results(doc))
    assert [d for ds in conv.documents.values() for d in ds] == [doc]


@settings(max_examples=100, deadline=None)
@given(documents())
def test_label_studio_results_to_documents_and_back_are_the_same_results(doc):
    export = _export(doc)
    results = export[0]["annotations"][0]["result"]
    (back,) = [d for ds in convert_export(export).documents.values() for d in ds]
    assert json.loads(json.dumps(document_results(back), ensure_ascii=False)) == results


@settings(max_examples=100, deadline=None)
@given(documents())
def test_predictions_to_label_studio_keep_every_span(doc):
    record = {"id": doc.id,
              "entities": [{"start": m.span.start, "end": m.span.end, "label": m.label} for m in doc.entities],
              "quotes": [{"start": q.span.start, "end": q.span.end, "kind": q.kind,
                          "cue": {"start": q.cue.start, "end": q.cue.end} if q.cue else None,
                          "speaker": ({"start": doc.mention(q.speaker).span.start,
                                       "end": doc.mention(q.speaker).span.end} if q.speaker else None),
                          "stance": [{"target": s.target, "label": s.label} for s in q.stance]}
                         for q in doc.quotes]}
    results = predictions_results(doc, record)
    assert [r for r in results if r["type"] == "choices"] == []  # kind and stance are the annotator's to choose
    # ... as the annotator does on each quotation: its kind, and a stance in each target's row
    slots = {t.id: n for n, t in enumerate(doc.targets, start=1)}
    for i, q in enumerate(doc.quotes):
        value = {"start": q.span.start, "end": q.span.end, "text": q.span.text}
        results.append({"id": f"p-q{i}", "from_name": "kind", "to_name": "text", "type": "choices",
                        "value": {**value, "choices": [q.kind]}})
        results += [{"id": f"p-q{i}", "from_name": f"stance_{slots[s.target]}", "to_name": "text",
                     "type": "choices", "value": {**value, "choices": [s.label]}} for s in q.stance]
    task = {"id": 1, "data": task_data(doc), "annotations": [
        {"id": 1, "completed_by": 1, "result": results, "was_cancelled": False}]}
    conv = convert_export(json.loads(json.dumps([task])))
    assert conv.rejected == []
    back = conv.documents["1"][0]
    assert [(m.span, m.label) for m in back.entities] == [(m.span, m.label) for m in doc.entities]
    def quotes(d):
        return [(q.span, q.kind, q.cue, d.mention(q.speaker).span if q.speaker else None, q.stance)
                for q in d.quotes]
    assert quotes(back) == quotes(doc)


def _to_utf16(export: list[dict]) -> list[dict]:
    """The same export with offsets in UTF-16 units, as older Label Studio versions wrote them."""
    text = export[0]["data"]["text"]
    def unit(i):
        return len(text[:i].encode("utf-16-le")) // 2
    for r in export[0]["annotations"][0]["result"]:
        if "value" in r:
            r["value"]["start"], r["value"]["end"] = unit(r["value"]["start"]), unit(r["value"]["end"])
    return export


@settings(max_examples=150, deadline=None)
@given(documents())
def test_utf16_exports_convert_to_the_same_documents(doc):
    conv = convert_export(_to_utf16(_export(doc)))
    assert conv.unconverted == []
    assert [d for ds in conv.documents.values() for d in ds] == [doc]
    spans = [m.span for m in doc.entities + doc.sources] + [q.span for q in doc.quotes] + \
        [q.cue for q in doc.quotes if q.cue]
    shifted = any(len(doc.text[:s.end].encode("utf-16-le")) // 2 != s.end for s in spans)
    assert shifted == any("UTF-16" in w for w in conv.warnings)
