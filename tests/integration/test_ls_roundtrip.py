"""The whole annotation loop against a real Label Studio 1.23.2: push, annotate as two people, pull, convert,
agreement, adjudication with review tasks, and back.  Every step goes through the ``aqwal`` command."""
from __future__ import annotations

import json
import os
import stat

import pytest
from sklearn.metrics import cohen_kappa_score

from aqwal.annotation import passes
from aqwal.annotation.client import connection
from aqwal.annotation.labelstudio import document_results, label_config, predictions_results
from aqwal.annotation.passes import targets_of_title
from aqwal.annotation.server import remembered_port
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


def task_ids(conn, base: str) -> dict[str, int]:
    """doc id -> task id over the projects of ``base`` (one per number of targets)."""
    ls = conn.sdk()
    return {t.data["doc_id"]: t.id for project in passes.projects(conn, base)
            for t in ls.tasks.list(project=project.id)}


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
    versions = {admin.email: [version_a("favor"), version_b()], second.email: [version_a("against"), version_b()]}
    for user in (admin, second):
        for doc in versions[user.email]:
            annotate(label_studio.url, user.token, ids[doc.id], doc)
    snapshots = tmp / "snapshots"
    outputs.append(aqwal("annotate", "pull", "--project", PROJECT, "--out", str(snapshots), env=env))
    found = sorted(p for p in snapshots.iterdir() if p.is_dir())
    return {"tmp": tmp, "docs": docs, "pushes": [json.loads(o.stdout) for o in outputs[:2]], "ids": ids,
            "versions": versions, "snapshots": found, "outputs": outputs, "env": env}


def test_push_creates_a_project_per_number_of_targets_and_pushing_again_adds_nothing(work, label_studio):
    first, second = work["pushes"]
    assert [(r["project"], r["created"], r["imported"], r["already_there"]) for r in first] == [
        (f"{PROJECT} · no target", True, 1, 0), (f"{PROJECT} · 1 target", True, 1, 0),
        (f"{PROJECT} · 2 targets", True, 1, 0)]
    assert [(r["created"], r["config_updated"], r["imported"], r["already_there"]) for r in second] == \
        [(False, False, 0, 1)] * 3
    assert sum(r["predictions_skipped"] for r in second) == 1 and sum(r["predictions_added"] for r in second) == 0
    assert sorted(work["ids"]) == ["doc-a", "doc-b", "doc-c"]  # one task per document, no duplicates
    # each project's config has one required stance row per target of its documents
    ls = connection(label_studio.url, label_studio.token).sdk()
    for report in first:
        config = ls.projects.get(id=report["project_id"]).label_config
        k = targets_of_title(report["project"])[1]
        assert config.strip() == label_config(k).strip() and config.count('required="true"') == 1 + k


def test_pre_annotations_carry_the_model_version_spans_and_links_but_no_kind_or_stance(work):
    snapshot = next(p for p in work["snapshots"] if "-2-targets." in p.name)
    tasks = json.loads((snapshot / "export.json").read_text(encoding="utf-8"))
    (task_a,) = tasks
    (pred_id,) = task_a["predictions"]  # the export gives prediction ids; the snapshot keeps the rest
    (pred,) = json.loads((snapshot / "predictions.json").read_text(encoding="utf-8"))
    assert (pred["id"], pred["task"], pred["model_version"]) == (pred_id, work["ids"]["doc-a"], "rules@0.1")
    expected = predictions_results(base("doc-a", TEXT_A, (T1, T2)), PREDICTION_A)
    assert sorted(map(_canonical, pred["result"])) == sorted(map(_canonical, expected))
    assert not [r for r in pred["result"] if r["type"] == "choices"]


def test_snapshots_are_complete_immutable_and_checksummed(work, label_studio, users):
    assert [p.name.split(".")[0] for p in work["snapshots"]] == ["aqwal-integration-1-target",
                                                                 "aqwal-integration-2-targets",
                                                                 "aqwal-integration-no-target"]
    totals = {"tasks": 0, "annotations": 0}
    for snapshot in work["snapshots"]:
        manifest = verify(snapshot)
        assert sorted(p.name for p in snapshot.iterdir()) == ["export.json", "manifest.json", "predictions.json"]
        assert manifest["label_studio_version"] == "1.23.2"
        assert targets_of_title(manifest["project"]["title"])[0] == PROJECT
        assert manifest["users"][str(users["annotator"].id)] == users["annotator"].email
        for key in totals:
            totals[key] += manifest["counts"][key]
        for p in snapshot.iterdir():
            assert not p.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    assert totals == {"tasks": 3, "annotations": 4}
    assert not [p for p in work["snapshots"][0].parent.iterdir() if p.name.startswith(".")]  # no temporary left


def test_convert_gives_back_exactly_what_each_annotator_made(work, aqwal):
    got: dict[str, list[tuple]] = {}
    out = work["tmp"] / "converted.jsonl"
    lines = []
    for n, snapshot in enumerate(work["snapshots"]):
        part = work["tmp"] / f"converted-{n}.jsonl"
        result = aqwal("annotate", "convert", str(snapshot), "--out", str(part), "--json", env=work["env"])
        report = json.loads(result.stdout)
        assert report["rejected"] == 0 and report["results"] == report["converted"]
        lines.append(part.read_bytes())
    out.write_bytes(b"".join(lines))
    for doc in iter_documents(out):  # one line per annotator and document
        (info,) = [a for a in doc.annotations if a.kind == "human"]
        got.setdefault(info.annotator, []).append(content(doc))
    expected = {a: [content(d) for d in docs] for a, docs in work["versions"].items()}
    assert {a: sorted(v) for a, v in got.items()} == {a: sorted(v) for a, v in expected.items()}


def test_agreement_matches_the_documents_and_a_reference_kappa(work, aqwal):
    result = aqwal("agreement", *map(str, work["snapshots"]), "--json", "--resamples", "0", env=work["env"])
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
    aqwal("annotate", "adjudicate", *map(str, work["snapshots"]), "--out", str(gold), "--review-out", str(review),
          env=env)
    agreed = read_documents(gold)
    assert [content(d) for d in agreed] == [content(version_b())]
    (review_task,) = json.loads(review.read_text(encoding="utf-8"))
    admin, second = users["admin"], users["annotator"]
    assert [p["model_version"] for p in review_task["predictions"]] == sorted([admin.email, second.email])
    assert "1 dispute(s)" in review_task["data"]["disputes"]

    key_file = {k: v for k, v in env.items() if k != "LABEL_STUDIO_API_KEY"}  # the key from the login file
    pushes = [json.loads(aqwal("annotate", "push", str(review), "--project", REVIEW, "--json", "--api-key-file",
                               str(label_studio.data_dir / "aqwal-login.json"), env=key_file).stdout)
              for _ in range(2)]
    assert [[(r["project"], r["imported"], r["already_there"]) for r in p] for p in pushes] == [
        [(f"{REVIEW} · 2 targets", 1, 0)], [(f"{REVIEW} · 2 targets", 0, 1)]]
    config = connection(label_studio.url, label_studio.token).sdk().projects.get(id=pushes[0][0]["project_id"])
    assert config.label_config.strip() == label_config(2, review=True).strip()
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
    aqwal("annotate", "adjudicate", str(everything), "--out", str(final), "--adjudicator", lead.email, env=env)
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


def test_the_data_directory_is_the_owners_only_and_remembers_its_port(work, label_studio):
    data = label_studio.data_dir
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    # the database holds the admin's API token in clear; what the running server created is private too
    for path in [data / "label_studio.sqlite3", *data.rglob("*")]:
        if path.is_file():
            assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path
    assert remembered_port(data) == int(label_studio.url.rsplit(":", 1)[1])


def test_push_refuses_a_document_whose_text_changed(work, label_studio, aqwal, tmp_path):
    changed = tmp_path / "changed.jsonl"
    write_documents(changed, [base("doc-b", TEXT_B + " ", (T2,))])
    result = aqwal("annotate", "push", str(changed), "--project", PROJECT, env=label_studio.env(), check=False)
    assert result.returncode == 2
    assert "doc-b" in result.stderr and "another text" in result.stderr
    # nor one whose number of targets changed: it would become a second task in another project
    write_documents(changed, [base("doc-b", TEXT_B, (T1, T2))])
    result = aqwal("annotate", "push", str(changed), "--project", PROJECT, env=label_studio.env(), check=False)
    assert result.returncode == 2 and f"is in project '{PROJECT} · 1 target'" in result.stderr
    conn = connection(label_studio.url, label_studio.token)
    ls = conn.sdk()
    assert sum(len(list(ls.tasks.list(project=p.id))) for p in passes.projects(conn, PROJECT)) == 3


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


def test_pulling_again_adds_snapshots_and_leaves_the_first_untouched(work, aqwal):
    first = work["snapshots"]
    before = {p: {f.name: f.read_bytes() for f in p.iterdir()} for p in first}
    out = first[0].parent
    aqwal("annotate", "pull", "--project", PROJECT, "--out", str(out), env=work["env"])
    snapshots = sorted(p for p in out.iterdir() if p.is_dir())
    assert len(snapshots) == 6 and set(first) <= set(snapshots)
    index = (out / "index.tsv").read_text(encoding="utf-8").splitlines()
    assert [line.split("\t")[0] for line in index[1:]] == [p.name for p in snapshots]
    assert {p: {f.name: f.read_bytes() for f in p.iterdir()} for p in first} == before
    again = sorted(p for p in snapshots if p not in first)
    assert [verify(p)["counts"] for p in again] == [verify(p)["counts"] for p in first]
