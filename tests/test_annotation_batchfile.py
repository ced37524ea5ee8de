"""Batch files: spans found by their words, every problem named with file:line and the fix, documents ->
records -> documents the identity, and the committed batch files are exactly what Label Studio holds."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotation_strategies import documents
from aqwal.annotation import batchfile as bf
from aqwal.annotation.batch import all_batches, documents as batch_documents, read_documents_of
from aqwal.annotation.cli import convert_snapshot
from aqwal.annotation.snapshot import index_rows
from aqwal.cli import main
from aqwal.corpus.errors import InvalidData
from aqwal.corpus.model import Document, Stance, Target

ROOT = Path(__file__).resolve().parents[1]
TEXT = ("😀 قال وزير الخارجية العراقي فؤاد حسين إن العراق يرفض التدخل. وأضاف حسين: «العراقيون والعراق بخير». "
        "وقال مصدر مسؤول إن الحكومة لم تتلق أي طلب.")
DOC = Document.create(id="d1", text=TEXT, source="wikinews", license="cc-by-2.5",
                      targets=(Target("T1", "التدخل في العراق"),))


def key(doc: Document) -> tuple:
    return (sorted((m.span.start, m.span.end, m.label) for m in doc.entities + doc.sources),
            sorted((q.span.start, q.span.end, q.kind, (q.cue.start, q.cue.end),
                    (doc.mention(q.speaker).span.start, doc.mention(q.speaker).label), q.stance) for q in doc.quotes))


def resolve(record: dict, doc: Document = DOC) -> Document:
    return bf.resolve(doc, bf._record_decoder.decode(json.dumps(record)), "b.jsonl:2")


def test_occurrences_keep_proclitics_out_and_skip_word_parts():
    text = "وقال العراقي إن العراقيين والعراق بالعراق وبالعراق فالعراق"
    starts = bf.occurrences(text, "العراق")
    assert [text[s - 2:s] for s in starts] == [" و", " ب", "وب", " ف"]
    assert bf.occurrences(text, "قال") == [1]  # قال inside وقال, after the proclitic
    assert bf.occurrences("«العراق»", "العراق") == [1]  # marks are not letters
    assert bf.occurrences("الكاظمي: العراق", ":") == [7]  # a cue that is a mark


def test_a_record_resolves_to_offsets_after_an_emoji():
    doc = resolve({"id": "d1", "mentions": [
        {"text": "العراقي", "label": "NORP"}, {"text": "فؤاد حسين", "label": "PER"},
        {"text": "حسين", "label": "PER"}, {"text": "العراق", "label": "GPE"},
        {"text": "مصدر مسؤول", "label": "SOURCE"}],
        "quotes": [
            {"from": "العراق يرفض", "to": "التدخل", "kind": "indirect", "cue": "قال", "speaker": "فؤاد حسين",
             "stance": {"T1": "against"}},
            {"text": "العراقيون والعراق بخير", "kind": "direct", "cue": "أضاف", "speaker": "حسين",
             "stance": {"T1": "neutral"}},
            {"from": "الحكومة", "to": "طلب", "kind": "indirect", "cue": "قال", "speaker": "مصدر مسؤول",
             "stance": {"T1": "neutral"}}]})
    # code points: the emoji is one, so "قال" starts at 2
    assert doc.quotes[0].cue.start == 2 and TEXT[2:5] == "قال"
    assert [m.span.text for m in doc.entities if m.label == "PER"] == ["فؤاد حسين", "حسين"]  # حسين inside فؤاد حسين dropped
    gpe = [m.span.start for m in doc.entities if m.label == "GPE"]
    assert [TEXT[s - 1] for s in gpe] == [" ", "و"]  # العراق and والعراق; not العراقي / العراقيون
    q1, q2, q3 = doc.quotes
    assert q1.span.text == "العراق يرفض التدخل" and doc.mention(q1.speaker).span.text == "فؤاد حسين"
    assert q2.span.text == "العراقيون والعراق بخير" and q2.cue.text == "أضاف"
    assert doc.mention(q2.speaker).span.text == "حسين"  # the nearest mention before: the one in وأضاف حسين
    assert doc.mention(q3.speaker).label == "SOURCE" and q3.cue.start == TEXT.index("وقال مصدر") + 1
    assert all(doc.text[s.start:s.end] == s.text for q in doc.quotes for s in (q.span, q.cue))


@pytest.mark.parametrize("record, field, words", [
    ({"mentions": [{"text": "بغداد", "label": "GPE"}]}, "mentions[0].text", "does not occur"),
    ({"mentions": [{"text": "العراق", "label": "gpe"}]}, "mentions[0].label", "not a label"),
    ({"mentions": [{"text": "العراق", "label": "GPE", "at": [7]}]}, "mentions[0].at", "occurrence"),
    ({"mentions": [{"text": "العراق", "label": "GPE", "start": 3}]}, "mentions[0].start", "is '"),
    ({"mentions": [{"text": "حسين", "label": "PER"}], "quotes": [
        {"from": "العراق", "to": "التدخل", "kind": "indirect", "cue": "قال", "speaker": "حسين",
         "stance": {"T1": "against"}}]}, "quotes[0].from", "occurs 2 times"),
    ({"mentions": [{"text": "حسين", "label": "PER"}], "quotes": [
        {"from": "العراق يرفض", "to": "التدخل", "kind": "indirect", "cue": "قال", "speaker": "حسين"}]},
     "quotes[0].stance", "no stance toward T1"),
    ({"mentions": [{"text": "حسين", "label": "PER"}], "quotes": [
        {"from": "العراق يرفض", "to": "التدخل", "kind": "reported", "cue": "قال", "speaker": "حسين",
         "stance": {"T1": "against"}}]}, "quotes[0].kind", "not a kind"),
    ({"mentions": [], "quotes": [
        {"from": "العراق يرفض", "to": "التدخل", "kind": "indirect", "cue": "قال", "speaker": "فؤاد حسين",
         "stance": {"T1": "against"}}]}, "quotes[0].speaker", "list the speaker under mentions"),
    ({"mentions": [{"text": "حسين", "label": "PER"}], "quotes": [
        {"from": "العراق يرفض", "to": "التدخل", "kind": "indirect", "cue": "صرح", "speaker": "حسين",
         "stance": {"T1": "against"}}]}, "quotes[0].cue", "does not occur before"),
    ({"mentions": [{"text": "حسين", "label": "PER"}], "quotes": [
        {"text": "العراق يرفض التدخل.", "kind": "indirect", "cue": "قال", "speaker": "حسين",
         "stance": {"T1": "against"}}]}, "quotes[0]", "full stop"),
    ({"skip": "not news", "mentions": [{"text": "حسين", "label": "PER"}]}, "skip", "skipped document"),
])
def test_every_problem_names_the_line_document_field_and_fix(record, field, words):
    with pytest.raises(InvalidData) as err:
        resolve({"id": "d1", **record})
    problems = [p for p in err.value.problems if p.field == field]
    assert problems, [str(p) for p in err.value.problems]
    assert words in problems[0].message + problems[0].fix and problems[0].where == "b.jsonl:2 document 'd1'" and problems[0].fix


def test_reading_a_file_lists_every_bad_line(tmp_path):
    path = tmp_path / "a.x.jsonl"
    path.write_text('{"format": "aqwal-batch/1", "batch": "b", "pass": "a", "annotator": "x"}\n'
                    '{"id": "d1", "mentions": [{"text": "العراق", "label": "GPE", "colour": "red"}]}\n'
                    '{"id": "d2", "quotes": [{"kind": "direct"}]}\n'
                    '{"id": "d3"}\n{"id": "d3"}\n', encoding="utf-8")
    with pytest.raises(InvalidData) as err:
        bf.read(path)
    found = {(p.where.rsplit(":", 1)[-1], p.field) for p in err.value.problems}
    assert found == {("2", "mentions[0]"), ("3", "quotes[0]"), ("5", "id")}
    assert "colour" in str(err.value)


@st.composite
def annotated(draw) -> Document:
    """Documents whose quotations have what a batch file requires: a cue, a speaker, a stance per target,
    and content that neither starts nor ends with a space nor ends with a full stop."""
    doc = draw(documents())
    quotes = tuple(dataclasses.replace(q, stance=tuple(Stance(t.id, dict((s.target, s.label) for s in q.stance)
                                                              .get(t.id, "neutral")) for t in doc.targets))
                   for q in doc.quotes if q.cue is not None and q.speaker is not None and
                   q.span.text == q.span.text.strip() and q.span.text[-1] not in ".,،؛:")
    return dataclasses.replace(doc, quotes=quotes, annotations=())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(annotated())
def test_documents_to_records_and_back_is_the_identity(doc):
    record = bf.record_of(doc)
    line = bf.dumps(record)
    back = bf.resolve(dataclasses.replace(doc, entities=(), sources=(), quotes=()),
                      bf._record_decoder.decode(line), "x")
    assert key(back) == key(doc)


def final_snapshots() -> dict[tuple[str, str], list[Path]]:
    """(batch, pass) -> the newest snapshot of each of its projects (snapshots are named <batch>.<pass>.<time>,
    or <batch>.<pass>.t<k>.<time> for the project of its documents with k targets)."""
    newest: dict[tuple[str, str, str], Path] = {}
    for row in index_rows(ROOT / "annotation" / "snapshots"):
        batch, pass_, rest = row[0].split(".", 2)
        part = rest.split(".", 1)[0] if rest.startswith("t") else ""
        newest[(batch, pass_, part)] = ROOT / "annotation" / "snapshots" / row[0]  # rows sorted by name and time
    out: dict[tuple[str, str], list[Path]] = {}
    for (batch, pass_, _), path in sorted(newest.items()):
        out.setdefault((batch, pass_), []).append(path)
    return out


PASSES = [(b, p) for b in all_batches(ROOT / "annotation" / "batches") for p in b.passes
          if b.batch_file(p).is_file()]


@pytest.mark.parametrize("batch, pass_", PASSES, ids=lambda x: getattr(x, "name", x))
def test_committed_batch_file_is_what_its_snapshot_holds(batch, pass_):
    snapshots = final_snapshots().get((batch.name, pass_))
    if snapshots is None:  # loaded but not pulled yet: nothing to compare with
        return
    in_ls = {}
    for snapshot in snapshots:
        conversion = convert_snapshot(snapshot)
        assert not conversion.rejected
        (pulled,) = conversion.documents.values()
        in_ls.update({d.id: d for d in pulled})
    batch_file = bf.read(batch.batch_file(pass_))
    resolved = bf.resolve_file(batch_file, read_documents_of(batch))
    assert set(resolved) == set(in_ls) | {i for i, d in resolved.items() if d is None}
    for doc_id, doc in resolved.items():
        if doc is not None:
            assert key(doc) == key(in_ls[doc_id]), doc_id


@pytest.mark.parametrize("batch", all_batches(ROOT / "annotation" / "batches"), ids=lambda b: b.name)
def test_documents_jsonl_is_what_the_rule_selects(batch):
    written = [d.to_dict() for d in read_documents_of(batch).values()]
    assert written == [d.to_dict() for d in batch_documents(batch)]


def test_check_command_prints_spans_and_a_summary(capsys):
    path = ROOT / "annotation" / "batches" / "batch-004" / "a.llm-annotator-a.jsonl"
    assert main(["annotate", "check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "40 of 40 documents of pass a annotated" in out and "=== saudinewsnet-" in out


def test_check_command_refuses_a_file_outside_its_batch(tmp_path, capsys):
    src = ROOT / "annotation" / "batches" / "batch-004"
    (tmp_path / "batch-009").mkdir()
    for name in ("batch.toml", "documents.jsonl"):
        (tmp_path / "batch-009" / name).write_bytes((src / name).read_bytes())
    copy = tmp_path / "batch-009" / "a.llm-annotator-a.jsonl"
    copy.write_bytes((src / "a.llm-annotator-a.jsonl").read_bytes())
    assert main(["annotate", "check", str(copy)]) == 2
    assert "names batch 'batch-004'" in capsys.readouterr().err
