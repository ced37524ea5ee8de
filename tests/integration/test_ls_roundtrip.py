"""The whole annotation loop against a real Label Studio 1.23.2: push, annotate as two people, pull, convert,
agreement, adjudication with review tasks, and back.  Every step goes through the ``aqwal`` command."""
from __future__ import annotations

import json
import os
import stat

import pytest
from sklearn.metrics import cohen_kappa_score

from aqwal.annotation.client import connection
from aqwal.annotation.labelstudio import document_results, predictions_results
from aqwal.annotation.snapshot import verify
from aqwal.corpus.jsonl import iter_documents, read_documents, write_documents, write_json_lines
from aqwal.corpus.model import Document, Mention, Quote, Stance, Target
from aqwal.corpus.spans import Span

pytestmark = pytest.mark.server

PROJECT = "Aqwal integration"
REVIEW = "Aqwal integration review"

# Emoji (one of them a modifier sequence: two code points, four UTF-16 units) before every span.
TEXT_A = ("😀👍🏽 وقال رئيس الوزراء مصطفى الكاظمي إن «الحوار الاستراتيجي مع واشنطن مفيد». "
          "وأضاف مصدر أمني أن القوات الأجنبية ستغادر العراق.")
TEXT_B = "قال المتحدث باسم الحكومة إن بغداد ترفض وجود القوات الأجنبية."
TEXT_C = "أكد الوزير أن الاقتصاد ينمو."
T1 = Target("t-dialogue", "الحوار الاستراتيجي")
T2 = Target("t-forces", "وجود القوات الأجنبية في العراق")


def at(text: str, surface: str, after: str = "") -> Span:
    start = text.index(surface, text.index(after) if after else 0)
    return Span.of(text, start, start + len(surface))


def base(doc_id: str, text: str, targets: tuple[Target, ...]) -> Document:
    return Document.create(id=doc_id, text=text, source="test", license="all-rights-reserved", title=None,
                           targets=targets)


def version_a(stance_q2_forces: str) -> Document:
    t = TEXT_A
    return Document.create(
        id="doc-a", text=t, source="test", license="all-rights-reserved", targets=(T1, T2),
        entities=(Mention("e1", at(t, "مصطفى الكاظمي"), "PER"), Mention("e2", at(t, "الحوار الاستراتيجي"), "EVENT"),
                  Mention("e3", at(t, "واشنطن"), "GPE"), Mention("e4", at(t, "العراق", "ستغادر"), "GPE")),
        sources=(Mention("s1", at(t, "مصدر أمني"), "SOURCE"),),
        quotes=(Quote("q1", at(t, "الحوار الاستراتيجي مع واشنطن مفيد"), "direct", at(t, "قال"), "e1",
                      (Stance(T1.id, "favor"), Stance(T2.id, "neutral"))),
                Quote("q2", at(t, "القوات الأجنبية ستغادر العراق"), "indirect", at(t, "أضاف"), "s1",
                      (Stance(T1.id, "neutral"), Stance(T2.id, stance_q2_forces)))))


def version_b() -> Document:
    t = TEXT_B
    return Document.create(
        id="doc-b", text=t, source="test", license="all-rights-reserved", targets=(T2,),
        entities=(Mention("e1", at(t, "بغداد"), "GPE"),), sources=(Mention("s1", at(t, "المتحدث باسم الحكومة"), "SOURCE"),),
        quotes=(Quote("q1", at(t, "بغداد ترفض وجود القوات الأجنبية"), "indirect", at(t, "قال"), "s1",
                      (Stance(T2.id, "against"),)),))


def content(doc: Document) -> tuple:
    """What annotators decide, independent of region ids."""
    def speaker(q: Quote):
        if q.speaker is None:
            return None
        m = doc.mention(q.speaker)
        return (m.span, m.label)
    return (doc.id, doc.text, doc.sha256, doc.targets,
            sorted((m.span, m.label) for m in doc.entities), sorted((m.span, m.label) for m in doc.sources),
            sorted((q.span, q.kind, q.cue, speaker(q), tuple(sorted((s.target, s.label) for s in q.stance)))
                   for q in doc.quotes))


PREDICTION_A = {"id": "doc-a",
                "entities": [{"start": at(TEXT_A, "مصطفى الكاظمي").start, "end": at(TEXT_A, "مصطفى الكاظمي").end,
                              "label": "PER"}],
                "quotes": [{"start": at(TEXT_A, "الحوار الاستراتيجي مع واشنطن مفيد").start,
                            "end": at(TEXT_A, "الحوار الاستراتيجي مع واشنطن مفيد").end,
                            "cue": {"start": at(TEXT_A, "قال").start, "end": at(TEXT_A, "قال").end},
                            "speaker": {"start": at(TEXT_A, "مصطفى الكاظمي").start,
                                        "end": at(TEXT_A, "مصطفى الكاظمي").end},
                            "stance": [{"target": T1.id, "label": "favor"}]}]}


def _canonical(result: dict) -> str:
    return json.dumps(result, sort_keys=True, ensure_ascii=False)


def task_ids(conn, project_title: str) -> dict[str, int]:
    ls = conn.sdk()
    project = next(p for p in ls.projects.list(title=project_title) if p.title == project_title)
    return {t.data["doc_id"]: t.id for t in ls.tasks.list(project=project.id)}


def annotate(url: str, token: str, task_id: int, doc: Document) -> None:
    """What an annotator's Submit sends, authenticated as that annotator."""
    connection(url, token).sdk().annotations.create(id=task_id, result=document_results(doc), lead_time=42.0)


@pytest.fixture(scope="module")
def work(label_studio, users, aqwal, tmp_path_factory):
    """Push the pool with pre-annotations, have two people annotate, pull a snapshot."""
    tmp = tmp_path_factory.mktemp("roundtrip")
    docs = tmp / "pool.jsonl"
    write_documents(docs, [base("doc-a", TEXT_A, (T1, T2)), base("doc-b", TEXT_B, (T2,)), base("doc-c", TEXT_C, ())])
    preds = tmp / "pred.jsonl"
    write_json_lines(preds, [PREDICTION_A])
    env = label_studio.env()
    outputs = [aqwal("annotate", "push", str(docs), "--project", PROJECT, "--predictions", str(preds),
                     "--model-version", "rules@0.1", "--batch-size", "2", "--json", env=env)]
    outputs.append(aqwal("annotate", "push", str(docs), "--project", PROJECT, "--predictions", str(preds),
                         "--model-version", "rules@0.1", "--json", env=env))
    admin, second = users["admin"], users["annotator"]
    ids = task_ids(connection(label_studio.url, label_studio.token), PROJECT)
    versions = {str(admin.id): [version_a("favor"), version_b()], str(second.id): [version_a("against"), version_b()]}
    for user in (admin, second):
        for doc in versions[str(user.id)]:
            annotate(label_studio.url, user.token, ids[doc.id], doc)
    snapshots = tmp / "snapshots"
    outputs.append(aqwal("annotate", "pull", "--project", PROJECT, "--out", str(snapshots), env=env))
    snapshot = next(p for p in snapshots.iterdir() if p.is_dir())
    return {"tmp": tmp, "docs": docs, "pushes": [json.loads(o.stdout) for o in outputs[:2]], "ids": ids,
            "versions": versions, "snapshot": snapshot, "outputs": outputs, "env": env}


def test_push_creates_the_project_and_pushing_again_adds_nothing(work, label_studio):
    first, second = work["pushes"]
    assert (first["created"], first["imported"], first["already_there"]) == (True, 3, 0)
    assert (second["created"], second["config_updated"], second["imported"], second["already_there"]) == \
        (False, False, 0, 3)
    assert second["predictions_skipped"] == 1 and second["predictions_added"] == 0
    assert sorted(work["ids"]) == ["doc-a", "doc-b", "doc-c"]  # one task per document, no duplicates


def test_pre_annotations_carry_the_model_version_and_exact_offsets(work):
    tasks = json.loads((work["snapshot"] / "export.json").read_text(encoding="utf-8"))
    by_doc = {t["data"]["doc_id"]: t for t in tasks}
    (pred_id,) = by_doc["doc-a"]["predictions"]  # the export gives prediction ids; the snapshot keeps the rest
    (pred,) = json.loads((work["snapshot"] / "predictions.json").read_text(encoding="utf-8"))
    assert (pred["id"], pred["task"], pred["model_version"]) == (pred_id, work["ids"]["doc-a"], "rules@0.1")
    expected = predictions_results(base("doc-a", TEXT_A, (T1, T2)), PREDICTION_A)
    assert sorted(map(_canonical, pred["result"])) == sorted(map(_canonical, expected))
    assert by_doc["doc-b"]["predictions"] == [] and by_doc["doc-c"]["annotations"] == []


def test_snapshot_is_complete_immutable_and_checksummed(work, label_studio, users):
    snapshot = work["snapshot"]
    manifest = verify(snapshot)
    assert sorted(p.name for p in snapshot.iterdir()) == ["export.json", "manifest.json", "predictions.json"]
    assert not [p for p in snapshot.parent.iterdir() if p.name.startswith(".")]  # no temporary left
    assert manifest["label_studio_version"] == "1.23.2"
    assert manifest["project"]["title"] == PROJECT
    assert manifest["counts"] == {"tasks": 3, "tasks_annotated": 2, "annotations": 4, "cancelled": 0, "drafts": 0,
                                  "predictions": 1, "annotators": 2}
    assert manifest["users"][str(users["annotator"].id)] == users["annotator"].email
    for p in snapshot.iterdir():
        assert not p.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)


def test_convert_gives_back_exactly_what_each_annotator_made(work, aqwal):
    out = work["tmp"] / "converted.jsonl"
    result = aqwal("annotate", "convert", str(work["snapshot"]), "--out", str(out), "--json", env=work["env"])
    report = json.loads(result.stdout)
    assert report["rejected"] == 0 and report["results"] == report["converted"]
    got: dict[str, list[tuple]] = {}
    for doc in iter_documents(out):  # one line per annotator and document
        (info,) = [a for a in doc.annotations if a.kind == "human"]
        got.setdefault(info.annotator, []).append(content(doc))
    expected = {a: [content(d) for d in docs] for a, docs in work["versions"].items()}
    assert {a: sorted(v) for a, v in got.items()} == {a: sorted(v) for a, v in expected.items()}


def test_agreement_matches_the_documents_and_a_reference_kappa(work, aqwal):
    result = aqwal("agreement", str(work["snapshot"]), "--json", "--resamples", "0", env=work["env"])
    measured = json.loads(result.stdout)
    overall = measured["overall"]
    assert overall["documents"] == 2
    # Stance toward the forces target: q1 and q2 of doc-a (q2: favor / against) and q1 of doc-b.
    a, b = (work["versions"][k] for k in sorted(work["versions"]))
    pairs = [(x.label, y.label) for da, db in zip(a, b) for qa, qb in zip(da.quotes, db.quotes)
             for x in qa.stance for y in qb.stance if x.target == y.target == T2.id]
    assert len(pairs) == 3 and sum(x != y for x, y in pairs) == 1
    # the agreement pools every target's items of the matched quotations (here: the same quotations)
    pooled = [(x.label, y.label) for da, db in zip(a, b) for qa, qb in zip(da.quotes, db.quotes)
              for x in qa.stance for y in qb.stance if x.target == y.target]
    assert len(measured["pairs"]) == 1 and len(pooled) > len(pairs)
    reference = cohen_kappa_score([x for x, _ in pooled], [y for _, y in pooled])
    assert overall["measures"]["stance_kappa"]["value"] == pytest.approx(reference)
    assert overall["items"]["stance"] == len(pooled)


def test_adjudication_review_tasks_round_trip(work, label_studio, users, aqwal):
    tmp, env = work["tmp"], work["env"]
    gold, review = tmp / "gold.jsonl", tmp / "review.json"
    aqwal("annotate", "adjudicate", str(work["snapshot"]), "--out", str(gold), "--review-out", str(review), env=env)
    agreed = read_documents(gold)
    assert [content(d) for d in agreed] == [content(version_b())]
    assert len(json.loads(review.read_text(encoding="utf-8"))) == 1

    key_file = {k: v for k, v in env.items() if k != "LABEL_STUDIO_API_KEY"}  # the key from the login file
    pushes = [json.loads(aqwal("annotate", "push", str(review), "--project", REVIEW, "--json", "--api-key-file",
                               str(label_studio.data_dir / "aqwal-login.json"), env=key_file).stdout)
              for _ in range(2)]
    assert [(p["imported"], p["already_there"]) for p in pushes] == [(1, 0), (0, 1)]
    lead = users["adjudicator"]
    ids = task_ids(connection(label_studio.url, label_studio.token), REVIEW)
    annotate(label_studio.url, lead.token, ids["doc-a"], version_a("against"))
    snapshots = tmp / "review-snapshots"
    aqwal("annotate", "pull", "--project", REVIEW, "--out", str(snapshots), env=env)
    review_docs = tmp / "review.jsonl"
    aqwal("annotate", "convert", str(next(p for p in snapshots.iterdir() if p.is_dir())), "--out", str(review_docs),
          env=env)
    everything = tmp / "all.jsonl"
    everything.write_bytes((tmp / "converted.jsonl").read_bytes() + review_docs.read_bytes())
    final = tmp / "gold-final.jsonl"
    aqwal("annotate", "adjudicate", str(everything), "--out", str(final), "--adjudicator", str(lead.id), env=env)
    by_id = {d.id: d for d in read_documents(final)}
    assert sorted(by_id) == ["doc-a", "doc-b"]
    assert content(by_id["doc-a"]) == content(version_a("against"))
    assert content(by_id["doc-b"]) == content(version_b())


def test_the_api_key_is_never_printed_or_logged(work, label_studio):
    token = label_studio.token
    printed = "\n".join(o.stdout + o.stderr for o in work["outputs"]) + "\n".join(label_studio.output)
    assert token not in printed
    assert token not in (label_studio.data_dir / "aqwal-server.log").read_text(errors="replace")
    assert label_studio.password in "\n".join(label_studio.output)  # the login is shown once, to the operator
    login = label_studio.data_dir / "aqwal-login.json"
    assert stat.S_IMODE(login.stat().st_mode) == 0o600


def test_push_refuses_a_document_whose_text_changed(work, label_studio, aqwal, tmp_path):
    changed = tmp_path / "changed.jsonl"
    write_documents(changed, [base("doc-b", TEXT_B + " ", (T2,))])
    result = aqwal("annotate", "push", str(changed), "--project", PROJECT, env=label_studio.env(), check=False)
    assert result.returncode == 2
    assert "doc-b" in result.stderr and "another text" in result.stderr
    assert len(task_ids(connection(label_studio.url, label_studio.token), PROJECT)) == 3


def test_wrong_api_key_is_a_clear_error(label_studio, aqwal, tmp_path):
    result = aqwal("annotate", "pull", "--project", PROJECT, "--out", str(tmp_path / "s"),
                   env=label_studio.env(token="0" * 40), check=False)
    assert result.returncode == 2
    assert "HTTP 401" in result.stderr and "LABEL_STUDIO_API_KEY" in result.stderr
    assert not (tmp_path / "s").exists() or not list((tmp_path / "s").iterdir())


def test_missing_connection_settings_name_the_variables(aqwal, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("LABEL_STUDIO_")}
    result = aqwal("annotate", "pull", "--project", PROJECT, "--out", str(tmp_path), env=env, check=False)
    assert result.returncode == 2 and "LABEL_STUDIO_URL" in result.stderr


def test_pulling_again_adds_a_snapshot_and_leaves_the_first_untouched(work, aqwal):
    first = work["snapshot"]
    before = {p.name: p.read_bytes() for p in first.iterdir()}
    aqwal("annotate", "pull", "--project", PROJECT, "--out", str(first.parent), env=work["env"])
    snapshots = sorted(p for p in first.parent.iterdir() if p.is_dir())
    assert len(snapshots) == 2 and first in snapshots
    index = (first.parent / "index.tsv").read_text(encoding="utf-8").splitlines()
    assert [line.split("\t")[0] for line in index[1:]] == [p.name for p in snapshots]
    assert {p.name: p.read_bytes() for p in first.iterdir()} == before
    second = next(p for p in snapshots if p != first)
    assert verify(second)["counts"] == verify(first)["counts"]
