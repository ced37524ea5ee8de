"""Agreement between annotators is the leaderboard's scoring of one annotator against the other: the same
numbers as ``aqwal evaluate``, kappa and alpha equal to scikit-learn's and krippendorff's, intervals over
documents, per source, and the figures reach the dataset card."""
from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from aqwal.annotation.cli import load_all_versions
from aqwal.benchmark.agreement import AT, COLUMNS, K, alpha, document_counts, double_annotated, kappa
from aqwal.cli import main
from aqwal.corpus.jsonl import iter_documents, write_documents
from aqwal.corpus.schema import STANCE_LABELS

DATA = Path(__file__).parent / "data"


def _snapshot(tmp_path: Path, name: str = "clean") -> Path:
    snap = tmp_path / "snap"
    snap.mkdir(parents=True)
    shutil.copy(DATA / f"ls_export_{name}.json", snap / "export.json")
    (snap / "manifest.json").write_text("{}", encoding="utf-8")
    return snap


def _sums(pairs: list[tuple[str, str]]) -> np.ndarray:
    row = np.zeros((1, len(COLUMNS)))
    for x, y in pairs:
        row[0, AT["st_favor_favor"] + STANCE_LABELS.index(x) * K + STANCE_LABELS.index(y)] += 1
    return row


@pytest.mark.parametrize("seed", range(8))
def test_kappa_and_alpha_equal_the_reference_implementations(seed):
    import krippendorff
    rng = random.Random(seed)
    n = rng.randint(5, 60)
    a = [rng.choice(STANCE_LABELS) for _ in range(n)]
    b = [x if rng.random() < 0.7 else rng.choice(STANCE_LABELS) for x in a]
    sums = _sums(list(zip(a, b)))
    if len(set(a) | set(b)) > 1:
        assert kappa(sums)[0] == pytest.approx(cohen_kappa_score(a, b))
        codes = [[STANCE_LABELS.index(x) for x in a], [STANCE_LABELS.index(y) for y in b]]
        assert alpha(sums)[0] == pytest.approx(krippendorff.alpha(reliability_data=codes,
                                                                   level_of_measurement="nominal"))
    assert np.isnan(kappa(_sums([]))[0]) and np.isnan(kappa(_sums([("favor", "favor")] * 3))[0])


def test_the_numbers_are_the_leaderboards(tmp_path, capsys):
    """Annotator 2 scored as a system against annotator 1 by `aqwal evaluate` gives the agreement's entity and
    quotation F1; its speaker figure pools both directions of the same scorer."""
    versions = load_all_versions([_snapshot(tmp_path)], lenient=False)
    assert sorted(versions) == ["1", "2"]
    gold = tmp_path / "one.jsonl"
    write_documents(gold, versions["1"])
    pred = tmp_path / "two.jsonl"
    with open(pred, "w", encoding="utf-8") as out:
        for d in versions["2"]:
            out.write(json.dumps({"id": d.id, "entities": [
                {"start": m.span.start, "end": m.span.end, "label": m.label} for m in d.entities],
                "quotes": [{"start": q.span.start, "end": q.span.end, "kind": q.kind,
                            "cue": {"start": q.cue.start, "end": q.cue.end} if q.cue else None,
                            "speaker": {"start": d.mention(q.speaker).span.start,
                                        "end": d.mention(q.speaker).span.end} if q.speaker else None,
                            "stance": [{"target": s.target, "label": s.label} for s in q.stance]}
                           for q in d.quotes]}, ensure_ascii=False) + "\n")
    assert main(["evaluate", "--gold", str(gold), str(pred), "--json", "--resamples", "0"]) == 0
    scored = json.loads(capsys.readouterr().out)
    assert main(["agreement", str(_snapshot(tmp_path / "x")), "--json", "--resamples", "0"]) == 0
    measured = json.loads(capsys.readouterr().out)["overall"]["measures"]
    assert measured["entity_f1_strict"]["value"] == pytest.approx(scored["entities"]["strict"]["f1"])
    assert measured["entity_f1_strict"]["value"] == pytest.approx(6 / 7)  # tp 3, fn 1: the GPE only 1 has
    assert measured["entity_f1_overlap"]["value"] == pytest.approx(scored["entities"]["ent_type"]["f1"])
    assert measured["quote_f1_strict"]["value"] == pytest.approx(scored["quotes"]["content_strict"]["f1"])
    assert measured["quote_f1_matched"]["value"] == pytest.approx(scored["quotes"]["content_matched"]["f1"])
    assert measured["cue_f1"]["value"] == pytest.approx(scored["quotes"]["cue_strict"]["f1"])
    one_way = scored["quotes"]["speaker_accuracy"]
    pairs = double_annotated(versions)
    rows = np.array([document_counts(p) for p in pairs]).sum(axis=0)
    assert rows[AT["spk_n"]] == 2 * one_way["total"]  # both ways, each the leaderboard's count
    # stance: kappa over the items of matched quotations both gave, as scikit-learn computes it
    labels = []
    for p in pairs:
        for qa, qb in zip(sorted(p.reference.quotes, key=lambda q: q.span), sorted(p.other.quotes, key=lambda q: q.span)):
            theirs = dict((s.target, s.label) for s in qb.stance)
            labels += [(s.label, theirs[s.target]) for s in qa.stance if s.target in theirs]
    assert len(labels) == 8
    assert measured["stance_kappa"]["value"] == pytest.approx(cohen_kappa_score(*zip(*labels)))


def test_intervals_by_source_and_the_card(tmp_path, capsys):
    snap = _snapshot(tmp_path)
    card_json = tmp_path / "agreement.json"
    assert main(["agreement", str(snap), "--card", str(card_json), "--resamples", "200"]) == 0
    printed = capsys.readouterr().out
    assert "2 documents annotated twice" in printed and "95% interval" in printed
    figures = json.loads(card_json.read_text(encoding="utf-8"))
    entity = figures["overall"]["measures"]["entity_f1_strict"]
    assert entity["interval"][0] <= entity["value"] <= entity["interval"][1]
    assert sum(b["documents"] for b in figures["by_source"].values()) == figures["overall"]["documents"] == 2
    assert figures["snapshots"] == ["snap"]
    gold = tmp_path / "gold.jsonl"
    assert main(["annotate", "adjudicate", str(snap), "--out", str(gold), "--adjudicator", "1"]) == 0
    release = tmp_path / "release"
    assert main(["dataset", "build", "--gold", str(gold), "--out", str(release), "--agreement", str(card_json)]) == 0
    card = (release / "README.md").read_text(encoding="utf-8")
    assert "F1, same start, end and label" in card and "0.857" in card and "2 documents annotated twice" in card


def test_several_snapshots_equal_one_holding_both(tmp_path, capsys):
    docs = tmp_path / "docs.jsonl"
    main(["annotate", "convert", str(_snapshot(tmp_path)), "--out", str(docs)])
    by_annotator: dict = {}
    for line in docs.read_text(encoding="utf-8").splitlines():
        by_annotator.setdefault(json.loads(line)["annotations"][0]["annotator"], []).append(line)
    parts = []
    for annotator, own in sorted(by_annotator.items()):
        parts.append(tmp_path / f"{annotator}.jsonl")
        parts[-1].write_text("\n".join(own) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["agreement", str(docs), "--json", "--resamples", "50"]) == 0
    together = json.loads(capsys.readouterr().out)
    assert main(["agreement", *map(str, parts), "--json", "--resamples", "50"]) == 0
    apart = json.loads(capsys.readouterr().out)
    assert apart["overall"] == together["overall"] and len(parts) == 2
    assert main(["agreement", str(parts[0]), "--json"]) == 2
    assert "no document was annotated by two annotators" in capsys.readouterr().err


def test_unconverted_results_are_refused_unless_lenient(capsys):
    export = str(DATA / "ls_export_problems.json")
    assert main(["agreement", export]) == 2
    assert "could not be converted" in capsys.readouterr().err
