"""``aqwal annotate`` end to end through the real command line."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from aqwal.annotation.labelstudio import label_config
from aqwal.cli import main
from aqwal.corpus.jsonl import iter_documents

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[1]


def _snapshot(tmp_path: Path, name: str) -> Path:
    snap = tmp_path / "snap"
    snap.mkdir()
    shutil.copy(DATA / f"ls_export_{name}.json", snap / "export.json")
    (snap / "manifest.json").write_text("{}", encoding="utf-8")
    return snap


def test_config_command_prints_the_config():
    out = subprocess.run([sys.executable, "-m", "aqwal", "annotate", "config", "--targets", "2"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    assert out == label_config(2)


def test_convert_snapshot(tmp_path, capsys):
    out = tmp_path / "docs.jsonl"
    assert main(["annotate", "convert", str(_snapshot(tmp_path, "clean")), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "75 results, 75 converted, 0 not converted" in printed
    docs = list(iter_documents(out))
    assert [(d.id, d.annotations[0].annotator) for d in docs] == [
        ("seed-000", "1"), ("seed-001", "1"), ("seed-000", "2"), ("seed-001", "2")]


def test_convert_lists_every_unconverted_result_and_fails_unless_lenient(tmp_path, capsys):
    out = tmp_path / "docs.jsonl"
    export = DATA / "ls_export_problems.json"
    assert main(["annotate", "convert", str(export), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert "31 results, 11 converted, 20 not converted (16 rejected)" in captured.out
    for rid in ("e1dup", "bad", "weird", "gone", "q1->nowhere", "e1->c1", "q2->loc1", "c9", "x1", "d1"):
        assert f" {rid} " in captured.out
    assert "--lenient" in captured.err and not out.exists()  # nothing written when it fails
    assert main(["annotate", "convert", str(export), "--out", str(out), "--lenient", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["written"] == 2 and len(report["unconverted"]) == 20


def test_convert_missing_file_is_a_user_error(tmp_path, capsys):
    assert main(["annotate", "convert", str(tmp_path / "nope.json"), "--out", str(tmp_path / "o.jsonl")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert not (tmp_path / "o.jsonl").exists()


def test_agreement_json(tmp_path, capsys):
    assert main(["annotate", "agreement", str(_snapshot(tmp_path, "clean")), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    (pair,) = result["pairs"]
    assert (pair["a"], pair["b"], pair["documents"]) == ("1", "2", 2)
    assert pair["entities"]["ALL"]["strict"]["f1"] == pytest.approx(6 / 7)  # tp 3, fn 1 (the GPE only 1 has)
    assert pair["quotes"]["content_strict"]["f1"] == 1.0
    assert pair["quotes"]["cue"]["value"] == 1.0 and pair["quotes"]["speaker"]["value"] == 1.0
    forces = pair["stance"]["t-foreign-forces"]
    assert (forces["items"], forces["agree"]) == (3, 2)
    assert forces["kappa"] == pytest.approx(0.5)  # po 2/3, pe 1/3
    assert pair["stance"]["t-government"]["kappa"] == 1.0
    pooled = result["overall"]["stance_all_targets"]
    assert (pooled["items"], pooled["agree"]) == (8, 7) and 0 < pooled["kappa"] < 1


def test_agreement_figures_reach_the_dataset_card(tmp_path, capsys):
    snap = _snapshot(tmp_path, "clean")
    card_json = tmp_path / "card-agreement.json"
    assert main(["annotate", "agreement", str(snap), "--card", str(card_json)]) == 0
    figures = json.loads(card_json.read_text(encoding="utf-8"))
    assert (figures["snapshot"], figures["annotators"], figures["documents"]) == ("snap", 2, 2)
    by_measure = {(f["task"], f["measure"]): f for f in figures["figures"]}
    assert by_measure[("entities", "pairwise exact-span F1")]["value"] == pytest.approx(6 / 7)
    assert by_measure[("stance", "Cohen's kappa (mean over pairs), target t-foreign-forces")]["value"] == \
        pytest.approx(0.5)
    gold = tmp_path / "gold.jsonl"
    assert main(["annotate", "adjudicate", str(snap), "--out", str(gold), "--adjudicator", "1"]) == 0
    release = tmp_path / "release"
    assert main(["dataset", "build", "--gold", str(gold), "--out", str(release), "--agreement", str(card_json)]) == 0
    card = (release / "README.md").read_text(encoding="utf-8")
    assert "From annotation snapshot(s) `snap`: 2 documents annotated independently by two or more of 2" in card
    assert "pairwise exact-span F1" in card and "0.857" in card


def test_agreement_over_several_snapshots_equals_one_holding_both(tmp_path, capsys):
    docs = tmp_path / "docs.jsonl"
    main(["annotate", "convert", str(_snapshot(tmp_path, "clean")), "--out", str(docs)])
    lines = docs.read_text(encoding="utf-8").splitlines()
    by_annotator: dict = {}
    for line in lines:
        by_annotator.setdefault(json.loads(line)["annotations"][0]["annotator"], []).append(line)
    parts = []
    for annotator, own in sorted(by_annotator.items()):
        parts.append(tmp_path / f"{annotator}.jsonl")
        parts[-1].write_text("\n".join(own) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["annotate", "agreement", str(docs), "--json"]) == 0
    together = json.loads(capsys.readouterr().out)
    assert main(["annotate", "agreement", *map(str, parts), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == together and len(parts) == 2
    assert main(["annotate", "agreement", str(docs), str(parts[0]), "--json"]) == 2
    assert "is also in" in capsys.readouterr().err


def test_agreement_table_from_converted_documents(tmp_path, capsys):
    docs = tmp_path / "docs.jsonl"
    assert main(["annotate", "convert", str(DATA / "ls_export_clean.json"), "--out", str(docs)]) == 0
    capsys.readouterr()
    assert main(["annotate", "agreement", str(docs)]) == 0
    out = capsys.readouterr().out
    assert "1 / 2" in out and "overall" in out
    # targets by their text, each once (one pair: its rows are the overall ones)
    rows = [line.split() for line in out.splitlines() if "t-foreign-forces" in line]
    assert len(rows) == 1 and "وجود القوات الأجنبية في العراق" in out
    assert rows[0][-4:] == ["3", "2", "0.500", "0.545"]
    # the pooled figures over all targets, as the card reports them
    pooled = next(line for line in out.splitlines() if line.startswith("overall") and "0.784" in line)
    assert pooled.split()[1:3] == ["8", "7"]
    assert "-: undefined" in out and "quotation kind: not measured" in out


def test_agreement_refuses_unconverted_results_unless_lenient(tmp_path, capsys):
    export = str(DATA / "ls_export_problems.json")
    assert main(["annotate", "agreement", export]) == 2
    assert "could not be converted" in capsys.readouterr().err
    assert main(["annotate", "agreement", export, "--lenient", "--json"]) == 0


def test_adjudicate_review_tasks_and_adjudicator(tmp_path, capsys):
    snap = _snapshot(tmp_path, "clean")
    gold = tmp_path / "gold.jsonl"
    assert main(["annotate", "adjudicate", str(snap), "--out", str(gold)]) == 1
    assert "unresolved disagreements" in capsys.readouterr().err
    review = tmp_path / "review.json"
    assert main(["annotate", "adjudicate", str(snap), "--out", str(gold), "--review-out", str(review)]) == 0
    assert [d.id for d in iter_documents(gold)] == ["seed-001"]
    tasks = json.loads(review.read_text(encoding="utf-8"))
    assert [t["data"]["doc_id"] for t in tasks] == ["seed-000"]
    assert [p["model_version"] for p in tasks[0]["predictions"]] == ["1", "2"]  # the tabs' names
    capsys.readouterr()
    # the disputes, printed after the table
    assert main(["annotate", "adjudicate", str(snap), "--out", str(gold), "--review-out", str(review),
                 "--disputes", "-"]) == 0
    out = capsys.readouterr().out
    disputes = out[out.index("## seed-000"):]
    assert disputes == tasks[0]["data"]["disputes"] and "   - 1: " in disputes and "   - 2: " in disputes
    assert main(["annotate", "adjudicate", str(snap), "--out", str(gold), "--adjudicator", "1", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["statuses"] == {"adjudicated": 1, "agreed": 1}
    docs = {d.id: d for d in iter_documents(gold)}
    assert docs["seed-000"].annotations[-1].annotator == "1"
    assert [q.kind for q in docs["seed-000"].quotes] == ["indirect", "direct", "indirect"]
