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
