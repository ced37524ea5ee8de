"""An annotator at work in headless Chromium on the real servers, as docs/annotation.md tells them to work.

A test batch has two passes, each annotator's on their own site (one server each).  The first annotator signs up
through their site's invitation link, opens the pass's project, presses Label All Tasks, selects a PER, a CUE
and a QUOTE in the Arabic text, gives the stance toward both targets, draws the relations from the quotation to
its speaker and to its cue, presses Submit without a kind (refused, with the message in Arabic and English),
chooses the kind and submits.  ``aqwal annotate pull`` of the batch and ``convert`` then give back the exact
offsets and links.  The second annotator, signed up on the other site, sees only pass b, without the first's
work, and has no account on the first's site.

Screenshots of the annotator's page, the stance rows and a review task are saved in the test's directory, and
also in ``$AQWAL_SCREENSHOTS`` when set (``AQWAL_SCREENSHOTS=docs`` refreshes those of docs/annotation.md).
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from labeling_page import (
    chromium,
    choose,
    label_all_tasks,
    label_span,
    log_in,
    project_titles,
    relate,
    select_quotation,
    sign_up,
    submit,
)
from test_ls_roundtrip import T1, T2, TEXT_A, at, base, version_a

from aqwal.annotation.adjudicate import review_task
from aqwal.annotation.client import connection
from aqwal.corpus.jsonl import iter_documents, write_documents, write_json
from aqwal.corpus.paths import ROOT

pytestmark = [pytest.mark.server, pytest.mark.browser]

BATCH = "ann-test"
ONE, TWO = "one@aqwal.test", "two@aqwal.test"
PASSWORD = "annotator-pass-8"
QUOTE_WORDS = "الحوار الاستراتيجي مع واشنطن مفيد"
SHOTS = ("annotation-ui.png", "annotation-stance.png", "annotation-review.png")


def _batch(folder: Path) -> Path:
    batch = folder / BATCH
    batch.mkdir()
    (batch / "batch.toml").write_text(
        'description = "the browser test\'s batch"\n[select]\nids = ["doc-a"]\n'
        '[passes.a]\nannotator = "annotator-one"\n[passes.b]\nannotator = "annotator-two"\n', encoding="utf-8")
    write_documents(batch / "documents.jsonl", [base("doc-a", TEXT_A, (T1, T2))])
    return batch


@pytest.fixture(scope="module")
def session(sites, aqwal, tmp_path_factory):
    """Push the batch, annotate pass a in the browser, look at pass b as its annotator, pull the batch."""
    tmp = tmp_path_factory.mktemp("annotate")
    one, two = sites["annotator-one"], sites["annotator-two"]
    env = one.env()  # LABEL_STUDIO_URL points at site one: a batch's passes still go to their own sites
    batch = _batch(tmp)
    pushed = json.loads(aqwal("annotate", "push", str(batch), "--json", env=env).stdout)
    out: dict = {"tmp": tmp, "pushed": pushed, "env": env, "batch": batch}
    with chromium(tmp / "profile-one") as page:
        sign_up(page, one.invitation, ONE, PASSWORD)
        out["one_sees"] = project_titles(page, one.url)
        label_all_tasks(page, one.url, f"Aqwal {BATCH} a · 2 targets")
        label_span(page, TEXT_A, *_at("مصطفى الكاظمي"), "PER")
        label_span(page, TEXT_A, *_at("قال"), "CUE")
        label_span(page, TEXT_A, *_at(QUOTE_WORDS), "QUOTE")
        select_quotation(page, "واشنطن مفيد")
        choose(page, "a", "favor")     # row 1, الحوار الاستراتيجي: favor
        choose(page, "h", "neutral")   # row 2, وجود القوات الأجنبية في العراق: neutral
        relate(page, "واشنطن مفيد", "مصطفى الكاظمي")
        relate(page, "واشنطن مفيد", "قال")
        out["refused"] = submit(page)
        select_quotation(page, "واشنطن مفيد")
        choose(page, "z", "direct")
        page.screenshot(path=str(tmp / SHOTS[0]))
        page.screenshot(path=str(tmp / SHOTS[1]), clip=_rows_box(page))
        out["accepted"] = submit(page)
    with chromium(tmp / "profile-two") as page:
        sign_up(page, two.invitation, TWO, PASSWORD)
        out["two_sees"] = project_titles(page, two.url)
        label_all_tasks(page, two.url, f"Aqwal {BATCH} b · 2 targets")
        out["two_regions"] = page.locator(".lsf-outliner-item").count()
        out["two_highlights"] = page.locator(".lsf-richtext__container .htx-highlight").count()
        out["two_on_site_one"] = log_in(page, one.url, TWO, PASSWORD)
    snapshots = tmp / "snapshots"
    aqwal("annotate", "pull", str(batch), "--out", str(snapshots), env=env)
    out["snapshots"] = {p.name.split(".")[1]: p for p in snapshots.iterdir() if p.is_dir()}
    return out


def _rows_box(page) -> dict:
    """The text with its relation arrows, and under it the selected quotation's kind and stance rows."""
    text = page.locator(".lsf-richtext__container").last.bounding_box()
    last = page.get_by_text("stance toward target 2").bounding_box()
    top = max(0, text["y"] - 28)
    return {"x": text["x"], "y": top, "width": text["width"], "height": last["y"] + 70 - top}


def _at(words: str) -> tuple[int, int]:
    span = at(TEXT_A, words)
    return span.start, span.end


def test_each_pass_goes_to_its_annotators_site(session, sites):
    by_project = {r["project"]: r["server"] for r in session["pushed"]}
    assert by_project == {f"Aqwal {BATCH} a · 2 targets": sites["annotator-one"].url,
                          f"Aqwal {BATCH} b · 2 targets": sites["annotator-two"].url}
    assert session["one_sees"] == [f"Aqwal {BATCH} a · 2 targets"]


def test_submit_without_a_kind_is_refused_with_a_message_in_arabic_and_english(session):
    refused = session["refused"]
    assert refused is not None and "Choose the kind of the selected quotation" in refused
    assert "اختر نوع الاقتباس" in refused
    assert session["accepted"] is None  # with its kind, the same annotation is saved


def test_pull_and_convert_give_the_exact_offsets_and_links(session, aqwal):
    snapshot = session["snapshots"]["a"]
    assert snapshot.name.startswith(f"{BATCH}.a.t2.")
    converted = session["tmp"] / "pass-a.jsonl"
    report = json.loads(aqwal("annotate", "convert", str(snapshot), "--out", str(converted), "--json",
                              env=session["env"]).stdout)
    assert report["rejected"] == 0 and report["results"] == report["converted"] == 8
    assert not [w for w in report["warnings"] if "no stance" in w or "no speaker" in w or "no cue" in w]
    (doc,) = iter_documents(converted)
    assert [a.annotator for a in doc.annotations] == [ONE]
    (per,) = doc.entities
    assert (per.span, per.label) == (at(TEXT_A, "مصطفى الكاظمي"), "PER")
    (quote,) = doc.quotes
    assert quote.span == at(TEXT_A, QUOTE_WORDS) and quote.kind == "direct"
    assert quote.cue == at(TEXT_A, "قال") and doc.mention(quote.speaker) == per
    assert [(s.target, s.label) for s in quote.stance] == [(T1.id, "favor"), (T2.id, "neutral")]
    # character-precise: the cue is قال inside وقال, the emoji before it counted as code points
    assert TEXT_A[quote.cue.start - 1:quote.cue.end] == "وقال" and quote.cue.start == TEXT_A.index("قال")


def test_the_annotator_of_pass_b_cannot_see_pass_a(session, sites):
    assert session["two_sees"] == [f"Aqwal {BATCH} b · 2 targets"]
    assert (session["two_regions"], session["two_highlights"]) == (0, 0)
    assert session["two_on_site_one"] is False  # no account on the other annotator's site
    pass_b = json.loads((session["snapshots"]["b"] / "manifest.json").read_text(encoding="utf-8"))
    assert pass_b["counts"]["tasks"] == 1 and pass_b["counts"]["annotations"] == 0
    assert ONE not in pass_b["users"].values()  # the first annotator has no account on site two


def test_a_review_task_shows_each_version_by_its_annotator_and_the_disputes(sites, aqwal, session):
    two = sites["annotator-two"]
    review = session["tmp"] / "review.json"
    write_json(review, [review_task({"llm-annotator-a": version_a("favor"), "llm-annotator-b": version_a("against")})])
    aqwal("annotate", "push", str(review), "--project", f"Aqwal {BATCH} review", "--site", "annotator-two",
          env=session["env"])
    ls = connection(two.url, two.token).sdk()
    project = next(p for p in ls.projects.list() if p.title == f"Aqwal {BATCH} review · 2 targets")
    task_id = next(t.id for t in ls.tasks.list(project=project.id))
    with chromium(session["tmp"] / "profile-admin") as page:
        assert log_in(page, two.url, two.username, two.password)
        page.goto(f"{two.url}/projects/{project.id}/data?task={task_id}")
        page.wait_for_selector(".aqwal-disputes .lsf-richtext__container")
        page.wait_for_selector(".lsf-richtext__container .htx-highlight")
        tabs = page.evaluate("() => document.body.innerText")
        disputes = page.locator(".aqwal-disputes").inner_text()
        page.screenshot(path=str(session["tmp"] / SHOTS[2]))
    assert "llm-annotator-a" in tabs and "llm-annotator-b" in tabs and "annotator l." not in tabs
    assert "1 dispute(s) between llm-annotator-a, llm-annotator-b" in disputes
    assert "t-forces=favor" in disputes and "t-forces=against" in disputes


def test_screenshots_are_saved(session):
    for name in SHOTS:
        assert (session["tmp"] / name).stat().st_size > 10_000, name
    target = os.environ.get("AQWAL_SCREENSHOTS")
    if target:
        for name in SHOTS:
            shutil.copy(session["tmp"] / name, (ROOT / target if not Path(target).is_absolute() else
                                                 Path(target)) / name)


def test_load_puts_a_batch_file_on_its_passs_site(session, sites, aqwal):
    batch = session["batch"]
    header = {"format": "aqwal-batch/1", "batch": BATCH, "pass": "b", "annotator": "annotator-two"}
    record = {"id": "doc-a", "mentions": [{"text": "مصطفى الكاظمي", "label": "PER"}],
              "quotes": [{"text": QUOTE_WORDS, "kind": "direct", "cue": "قال", "speaker": "مصطفى الكاظمي",
                          "stance": {T1.id: "against", T2.id: "neutral"}}]}
    path = batch / "b.annotator-two.jsonl"
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in (header, record)), encoding="utf-8")
    registry = session["tmp"] / "annotators.tsv"
    registry.write_text("email\tannotator\tkind\tdescription\nloader@aqwal.test\tannotator-two\tsystem\ta test "
                        "account loading batch files\n", encoding="utf-8")
    result = aqwal("annotate", "load", str(path), "--annotators", str(registry), env=session["env"])
    assert "1 annotations created" in result.stdout and f"'Aqwal {BATCH} b · 2 targets'" in result.stdout
    counts = {}
    for site in ("annotator-one", "annotator-two"):
        server = sites[site]
        ls = connection(server.url, server.token).sdk()
        counts[site] = {p.title: sum(len(ls.annotations.list(id=t.id)) for t in ls.tasks.list(project=p.id))
                        for p in ls.projects.list() if p.title.startswith(f"Aqwal {BATCH} ") and "review" not in p.title}
    assert counts == {"annotator-one": {f"Aqwal {BATCH} a · 2 targets": 1},
                      "annotator-two": {f"Aqwal {BATCH} b · 2 targets": 1}}
