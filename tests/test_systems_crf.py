"""The CRF baseline: training on fixed documents, what it finds, save/load with the training data hash."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from systems_docs import TRAIN, doc, prediction_lines

from aqwal.benchmark.systems.crf import CRFSystem, split_runs
from aqwal.benchmark.systems.protocol import Mode, check_record, training_hash, view
from aqwal.benchmark.systems.registry import get
from aqwal.benchmark.systems.store import read_meta
from aqwal.corpus.errors import ConfigError
from aqwal.corpus.jsonl import write_documents
from aqwal.corpus.tokens import tokenize

ROOT = Path(__file__).resolve().parents[1]
NEW = doc("new", "وقال الرئيس العراقي برهم صالح إن الحوار مع الولايات المتحدة مهم.\n"
          "وأضاف الكاظمي أن القوات الأجنبية ستغادر العراق قريبا.\nتوفي في دمشق الشاعر سليمان العيسى.",
          targets=[("t1", "وجود القوات الأجنبية في العراق")])


@pytest.fixture(scope="module")
def trained() -> CRFSystem:
    system = CRFSystem()
    system.fit(TRAIN)
    return system


def spans(rec: dict, text: str):
    ents = [(text[e["start"]:e["end"]], e["label"]) for e in rec["entities"]]
    quotes = [(text[q["start"]:q["end"]], text[q["cue"]["start"]:q["cue"]["end"]] if q["cue"] else None,
               text[q["speaker"]["start"]:q["speaker"]["end"]] if q["speaker"] else None,
               [s["label"] for s in q["stance"]]) for q in rec["quotes"]]
    return ents, quotes


def test_sentences_and_paragraphs():
    text = "قال: نعم. ثم ذهب\nوعاد"
    tokens = tokenize(text)
    assert [[t.text for t in tokens[a:b]] for a, b in split_runs(text, tokens, True)] == \
        [["قال", ":", "نعم", "."], ["ثم", "ذهب"], ["وعاد"]]
    assert len(split_runs(text, tokens, False)) == 2


def test_what_the_crf_finds_and_misses(trained):
    rec = trained.predict(view(NEW))
    check_record(view(NEW), rec, "test")
    ents, quotes = spans(rec, NEW.text)
    # sentences seen in training come back; a known name in a new frame (الشاعر سليمان العيسى, trained
    # only after السوري) is missed
    assert ents == [("العراقي", "NORP"), ("برهم صالح", "PER"), ("الولايات المتحدة", "GPE"), ("الكاظمي", "PER"),
                    ("العراق", "GPE"), ("دمشق", "GPE")]
    assert quotes == [("الحوار مع الولايات المتحدة مهم", "قال", "برهم صالح", ["favor"]),
                      ("القوات الأجنبية ستغادر العراق قريبا", "أضاف", "الكاظمي", ["against"])]
    # every training span was token-aligned once widened over its proclitics (وقال → قال, وأكد → أكد, ...)
    assert (trained.stats.left_out, trained.stats.widened) == ({}, 5)


def test_unseen_words_are_missed(trained):
    other = doc("o", "وصرح المستشار الألماني أولاف شولتس في برلين بأن الاقتصاد يتعافى.")
    ents, quotes = spans(trained.predict(view(other)), other.text)
    assert ("أولاف شولتس", "PER") not in ents  # six training documents know neither the name nor the cue
    assert quotes == []


def test_stance_mode_classifies_the_given_quotes(trained):
    rec = trained.predict(view(TRAIN[1], Mode.STANCE))
    q = TRAIN[1].quotes[0]
    assert [(r["start"], r["end"], r["stance"]) for r in rec["quotes"]] == \
        [(q.span.start, q.span.end, [{"target": "t1", "label": "against"}])]


def test_save_load_round_trip_keeps_predictions_and_hash(trained, tmp_path):
    trained.save(str(tmp_path / "m"))
    assert read_meta(tmp_path / "m") == {"system": {"name": "crf", "version": get("crf").version},
                                         "train_sha256": training_hash(TRAIN), "n_train": len(TRAIN)}
    again = CRFSystem()
    again.load(str(tmp_path / "m"))
    assert again.train_sha256 == training_hash(TRAIN)
    assert again.predict(view(NEW)) == trained.predict(view(NEW))
    with pytest.raises(ConfigError, match=rf"trained by crf@{trained.version}, not crf@0.0.1"):
        CRFSystem(version="0.0.1").load(str(tmp_path / "m"))


def test_training_hash_depends_on_annotations_not_order():
    assert training_hash(TRAIN) == training_hash(list(reversed(TRAIN)))
    assert training_hash(TRAIN) != training_hash(TRAIN[:-1])


def test_cli_train_then_run_checks_the_data_hash(tmp_path):
    train, other, gold = tmp_path / "train.jsonl", tmp_path / "other.jsonl", tmp_path / "test.jsonl"
    write_documents(train, TRAIN)
    write_documents(other, TRAIN[:3])
    write_documents(gold, [NEW])
    model = tmp_path / "model"

    def aqwal(*args):
        return subprocess.run([sys.executable, "-m", "aqwal", *args], cwd=ROOT, capture_output=True, text=True, check=False)

    proc = aqwal("systems", "train", "crf", "--train", str(train), "--model", str(model))
    assert proc.returncode == 0, proc.stderr
    assert training_hash(TRAIN) in proc.stdout
    proc = aqwal("run", "crf", "--gold", str(gold), "--model", str(model), "--train", str(train),
                 "--out", str(tmp_path / "p.jsonl"))
    assert proc.returncode == 0, proc.stderr
    meta = json.loads((tmp_path / "p.meta.json").read_text(encoding="utf-8"))
    assert meta["train"]["sha256"] == training_hash(TRAIN) and meta["system"]["name"] == "crf"
    assert [r["id"] for _, r in prediction_lines(tmp_path / "p.jsonl")] == ["new"]
    proc = aqwal("run", "crf", "--gold", str(gold), "--model", str(model), "--train", str(other),
                 "--out", str(tmp_path / "q.jsonl"))
    assert proc.returncode == 2 and "the saved model was trained on other data" in proc.stderr
    assert not (tmp_path / "q.jsonl").exists()
    proc = aqwal("systems", "train", "rules", "--train", str(train), "--model", str(model))
    assert proc.returncode == 2 and "rules is not trained" in proc.stderr
