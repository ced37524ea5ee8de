"""The annotator registry: a Label Studio account driven by a program is recorded as a system, never as a
person, from the snapshot through conversion, gold and the dataset card."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from aqwal.annotation.labelstudio import annotation, task_data
from aqwal.cli import main
from aqwal.annotation.batch import ANNOTATORS as REGISTRY
from aqwal.corpus.annotators import load_registry
from aqwal.corpus.errors import InvalidData
from aqwal.corpus.jsonl import iter_documents
from aqwal.corpus.model import Document, Mention, Quote, Stance, Target
from aqwal.corpus.paths import CORPUS_DATA
from aqwal.corpus.spans import Span

LLM_EMAIL = "annotator-a@aqwal.local"  # the account of annotation/annotators.tsv
HEADER = "email\tannotator\tkind\tdescription\n"


def _pool_doc(doc_id: str) -> Document:
    for line in (CORPUS_DATA / "pool.jsonl").open(encoding="utf-8"):
        rec = json.loads(line)
        if rec["id"] == doc_id:
            return Document.from_dict(rec)
    raise AssertionError(doc_id)


def _annotated(doc_id: str) -> Document:
    """A pool document with a few annotations found by string search (offsets from the text, never typed)."""
    base = _pool_doc(doc_id)
    text = base.text

    def span(s: str, after: int = 0) -> Span:
        a = text.index(s, after)
        return Span.of(text, a, a + len(s))
    per = Mention("e1", span("عبد الحكيم سرار"), "PER")
    org = Mention("e2", span("وفاق سطيف", 20), "ORG")
    content = span("لاعبي نادي أهلي البرج")
    quote = Quote("q1", content, "indirect", span("صرح"), "e1", (Stance("T004", "against"),))
    return Document(**{f: getattr(base, f) for f in ("id", "text", "sha256", "source", "license", "title", "outlet",
                                                     "url", "published", "author", "category")},
                    targets=(Target("T004", "نادي أهلي البرج"),), entities=(per, org), quotes=(quote,))


def _snapshot(tmp_path: Path, docs: list[Document], users: dict[str, str], user_id: int = 2) -> Path:
    """A snapshot directory as `aqwal annotate pull` writes it: export.json and a manifest with the users."""
    snap = tmp_path / "snap"
    snap.mkdir()
    tasks = [{"id": i, "data": task_data(d), "drafts": [], "predictions": [],
              "annotations": [annotation(d, completed_by=user_id, created_at="2026-11-29T01:00:00Z",
                                         annotation_id=i)]} for i, d in enumerate(docs, start=1)]
    (snap / "export.json").write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    (snap / "manifest.json").write_text(json.dumps({"users": users}), encoding="utf-8")
    return snap


def test_registry_makes_the_account_a_system(tmp_path):
    reg = tmp_path / "annotators.tsv"
    reg.write_text(HEADER + "bot@x.test\tllm-x\tsystem\ta language model, not reviewed by a person\n",
                   encoding="utf-8")
    snap = _snapshot(tmp_path, [_annotated("wikinews-049")], {"1": "admin@x.test", "2": "bot@x.test"})
    out = tmp_path / "docs.jsonl"
    assert main(["annotate", "convert", str(snap), "--annotators", str(reg), "--out", str(out)]) == 0
    [doc] = list(iter_documents(out))
    [info] = doc.annotations
    assert (info.annotator, info.kind) == ("llm-x", "system")
    assert doc.quotes == _annotated("wikinews-049").quotes


def test_an_account_missing_from_the_registry_stays_a_person_with_a_warning(tmp_path, capsys):
    reg = tmp_path / "annotators.tsv"
    reg.write_text(HEADER + "bot@x.test\tllm-x\tsystem\ta language model\n", encoding="utf-8")
    snap = _snapshot(tmp_path, [_annotated("wikinews-049")], {"2": "someone@x.test"})
    out = tmp_path / "docs.jsonl"
    assert main(["annotate", "convert", str(snap), "--annotators", str(reg), "--out", str(out)]) == 0
    [doc] = list(iter_documents(out))
    # recorded under its e-mail (not the bare user id "2", which says nothing about who it was)
    assert (doc.annotations[0].annotator, doc.annotations[0].kind) == ("someone@x.test", "human")
    assert "'someone@x.test' is not in the annotator registry" in capsys.readouterr().out


@pytest.mark.parametrize("line, field", [("a@x\tid\trobot\tsomething\n", "kind"),
                                         ("a@x\tid\tsystem\n", ""),
                                         ("a@x\tid\tsystem\t\n", "")])
def test_a_bad_registry_line_is_named(tmp_path, line, field):
    reg = tmp_path / "annotators.tsv"
    reg.write_text(HEADER + line, encoding="utf-8")
    with pytest.raises(InvalidData) as err:
        load_registry(reg)
    assert err.value.problems[0].where == f"{reg}:2"
    assert err.value.problems[0].field == field


def test_the_projects_registry_lists_the_llm_account_as_a_system():
    entry = load_registry(REGISTRY)[LLM_EMAIL]
    assert entry.kind == "system"
    assert "large language model" in entry.description and "not reviewed by a person" in entry.description


def test_card_of_llm_gold_says_what_made_it_and_never_human(tmp_path):
    docs = [_annotated("wikinews-049")]
    snap = _snapshot(tmp_path, docs, {"1": "admin@aqwal.local", "2": LLM_EMAIL})
    gold = tmp_path / "gold.jsonl"
    assert main(["annotate", "adjudicate", str(snap), "--out", str(gold), "--min-annotators", "1"]) == 0
    [g] = list(iter_documents(gold))
    # one annotator's work: no adjudication or agreement record, nobody listed as a reviewer
    assert [(a.annotator, a.kind, a.reviewed_by) for a in g.annotations] == [("llm-annotator-a", "system", ())]
    out = tmp_path / "rel"
    assert main(["dataset", "build", "--gold", str(gold), "--out", str(out), "--version", "0.0.1",
                 "--annotators", str(REGISTRY)]) == 0
    card = (out / "README.md").read_text(encoding="utf-8")
    front, prose = card.split("\n---\n", 1)
    assert "machine-generated" in front and "expert-generated" not in front
    assert "- 1 document annotated by a system only (no person annotated them): machine output, starting " \
           "from a system's pre-annotations; not reviewed by a person." not in prose  # no pre-annotation here
    assert "- 1 document annotated by a system only (no person annotated them): machine output, from " \
           "scratch, without pre-annotations; not reviewed by a person." in prose
    assert f"`llm-annotator-a` (not a person; 1 document): {load_registry(REGISTRY)[LLM_EMAIL].description}." in prose
    assert "People involved: 0." in prose
    assert "human" not in prose.lower()
    assert "adjudicated by" not in prose and "reviewed by another person" not in prose
    assert "no agreement between annotators has been measured" in prose
