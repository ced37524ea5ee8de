"""The card's provenance for documents annotated twice by systems and adjudicated by a system: no person."""
from __future__ import annotations

import json
from pathlib import Path

from aqwal.corpus.model import Document
from aqwal.corpus.release.card import _provenance_sentence
from aqwal.corpus.release.stats import provenance, provenance_key

GOLD = Path(__file__).parent / "data" / "release_gold.jsonl"


def _doc(annotations: list[dict]) -> Document:
    record = json.loads(GOLD.read_text(encoding="utf-8").splitlines()[0])
    record["annotations"] = annotations
    return Document.from_dict(record)


A = {"annotator": "llm-a", "kind": "system", "created_at": "2026-11-29T01:00:00Z", "pre_annotation": "rules@0.2.0",
     "reviewed_by": []}
B = {"annotator": "llm-b", "kind": "system", "created_at": "2026-11-29T02:00:00Z", "pre_annotation": None,
     "reviewed_by": []}
JUDGE = {"annotator": "llm-judge", "kind": "system", "created_at": "2026-11-29T03:00:00Z", "pre_annotation": None,
         "reviewed_by": []}


def _adjudication(who: str) -> dict:
    return {"annotator": who, "kind": "adjudication", "created_at": "2026-11-29T03:00:00Z", "pre_annotation": None,
            "reviewed_by": ["llm-a", "llm-b"]}


def test_systems_adjudicated_by_a_system_involve_no_person():
    judged = _doc([A, B, JUDGE, _adjudication("llm-judge")])
    agreed = _doc([A, B, _adjudication("agreement")])
    assert provenance_key(judged) == ("adjudicated by systems", True, False)
    assert provenance_key(agreed) == ("adjudicated by systems", True, False)
    p = provenance([judged, agreed])
    assert p["human_annotators"] == 0
    assert p["systems"] == ["llm-a", "llm-b", "llm-judge", "rules@0.2.0"]
    [row] = p["rows"]
    sentence = _provenance_sentence(row)
    assert sentence.startswith("- 2 documents annotated independently by two or more systems (no person")
    assert "at least one annotator starting from a system's pre-annotations; not reviewed by a person." in sentence
    assert "people" not in sentence and "another person" not in sentence


def test_a_person_adjudicating_systems_is_a_person():
    doc = _doc([A, B, _adjudication("lead")])
    assert provenance_key(doc)[0] == "adjudicated"
    assert provenance([doc])["human_annotators"] == 1
    reviewed = _doc([{**A, "reviewed_by": ["ann-02"]}])
    assert provenance_key(reviewed) == ("system only", True, True)
    assert provenance([reviewed])["human_annotators"] == 1


def test_agreement_between_systems_is_said_to_be_between_systems(tmp_path):
    from aqwal.cli import main
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(_doc([A, B, JUDGE, _adjudication("llm-judge")]).to_dict(), ensure_ascii=False) + "\n",
                    encoding="utf-8")
    figures = tmp_path / "agreement.json"
    block = {"documents": 1, "measures": {"entity_f1_strict": {"layer": "entities", "description": "F1",
                                                               "value": 0.9, "interval": None}}}
    figures.write_text(json.dumps({"overall": block, "by_source": {}, "pairs": {"llm-a / llm-b": 1},
                                   "resamples": 0, "seed": 1, "level": 0.95, "match": "word IoU >= 0.5"}),
                       encoding="utf-8")
    assert main(["dataset", "build", "--gold", str(gold), "--out", str(tmp_path / "r"), "--agreement",
                 str(figures)]) == 0
    card = (tmp_path / "r" / "README.md").read_text(encoding="utf-8")
    assert "No person annotated: these figures compare systems" in card and "| 0.900 |" in card


def test_the_last_round_says_how_a_document_was_made():
    """A 0.1 document adjudicated in round 1 and re-checked by one system in round 2 is a single system's
    work now; its round-1 passes stay listed (and counted among the annotators involved)."""
    first = [{**x, "round": 1} for x in (A, B, JUDGE, _adjudication("llm-judge"))]
    recheck = {"annotator": "llm-reviewer", "kind": "system", "created_at": "2026-12-05T08:00:00Z",
               "pre_annotation": None, "reviewed_by": [], "round": 2}
    doc = _doc(first + [recheck])
    assert provenance_key(doc) == ("system only", False, False)
    assert [a.round for a in doc.annotations] == [1, 1, 1, 1, 2]
    assert Document.from_dict(doc.to_dict()) == doc
    assert {a["annotator"] for a in provenance([doc])["annotators"]} == {"llm-a", "llm-b", "llm-judge",
                                                                        "llm-reviewer"}
