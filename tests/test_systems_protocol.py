"""The protocol: systems see only id, text and targets; the registry is strict; the runner and CLI."""
from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest
from systems_docs import TRAIN, prediction_lines

from aqwal.cli import main
from aqwal.benchmark.systems.protocol import DocumentView, Mode, check_record, view
from aqwal.benchmark.systems.registry import check_factories, get, load_registry
from aqwal.benchmark.systems.runner import meta_path, read_gold, run
from aqwal.corpus.errors import ConfigError, InvalidData
from aqwal.corpus.jsonl import write_documents

ROOT = Path(__file__).resolve().parents[1]


def test_a_view_has_no_field_for_annotations():
    assert [f.name for f in dataclasses.fields(DocumentView)] == ["id", "text", "targets", "given_quotes"]
    v = view(TRAIN[0])
    assert (v.id, v.text, v.targets, v.given_quotes) == (TRAIN[0].id, TRAIN[0].text, TRAIN[0].targets, None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        v.text = "x"  # type: ignore[misc]
    assert not hasattr(v, "entities") and not hasattr(v, "quotes")


def test_stance_mode_gives_quote_offsets_only():
    v = view(TRAIN[0], Mode.STANCE)
    q = TRAIN[0].quotes[0]
    assert v.given_quotes == ((q.span.start, q.span.end),)
    assert v.to_dict() == {"id": "tr1", "text": TRAIN[0].text, "targets": [{"id": "t1", "text": TRAIN[0].targets[0].text}],
                           "quotes": [{"start": q.span.start, "end": q.span.end}]}


class Spy:
    name, version = "spy", "0.0.1"

    def __init__(self):
        self.seen = []

    def predict(self, doc):
        self.seen.append(doc)
        return {"id": doc.id, "entities": [], "quotes": []}


def test_the_runner_gives_systems_views_only(tmp_path):
    spy = Spy()
    meta = run(spy, read_gold(_write(tmp_path, TRAIN), "test"), tmp_path / "p.jsonl", progress=False)
    assert all(type(d) is DocumentView for d in spy.seen) and len(spy.seen) == len(TRAIN)
    assert [r for _, r in prediction_lines(tmp_path / "p.jsonl")] == \
        [{"id": d.id, "entities": [], "quotes": []} for d in TRAIN]
    assert meta["system"] == {"name": "spy", "version": "0.0.1"} and meta["predictions"] == len(TRAIN)


class Liar(Spy):
    def predict(self, doc):
        return {"id": doc.id, "entities": [{"start": 0, "end": len(doc.text) + 5, "label": "PER"}], "quotes": []}


def test_the_runner_rejects_a_bad_record(tmp_path):
    with pytest.raises(InvalidData, match=r"system spy@0.0.1 on document 'tr1', field entities\[0\]"):
        run(Liar(), read_gold(_write(tmp_path, TRAIN), "test"), tmp_path / "p.jsonl", progress=False)
    assert not (tmp_path / "p.jsonl").exists()  # atomic: nothing half-written


def test_check_record_names_each_problem():
    v = view(TRAIN[0])
    bad = {"id": "tr1", "entities": [{"start": 0, "end": 3, "label": "PERSON"}],
           "quotes": [{"start": 3, "end": 2, "cue": None, "speaker": None,
                       "stance": [{"target": "t9", "label": "favor"}, {"target": "t1", "label": "favor"},
                                  {"target": "t1", "label": "against"}]}], "extra": 1}
    with pytest.raises(InvalidData) as err:
        check_record(v, bad, "here")
    fields = [p.field for p in err.value.problems]
    assert fields == ["extra", "entities[0].label", "quotes[0].end", "quotes[0].stance[0].target",
                      "quotes[0].stance[2].target"]


def test_registry_did_you_mean_and_factories():
    with pytest.raises(ConfigError, match=r"unknown system 'rulez': did you mean 'rules'\?"):
        get("rulez")
    with pytest.raises(ConfigError, match="no close match"):
        get("transformer")
    assert set(load_registry()) == {"empty", "majority", "rules", "crf", "learned", "learned-stance"}
    assert check_factories() == []
    assert get("crf").trainable and not get("rules").trainable


def test_registry_is_strict(tmp_path):
    path = tmp_path / "r.toml"
    path.write_text('[x]\nversion = "1.0"\nfactory = "a:B"\ntrainable = false\nmode = "full"\ndescription = "d"\ncolour = 1\n'
                    '[y]\nversion = "1.0.0"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_registry(path)
    msg = str(err.value)
    assert "[x]: unknown key(s) colour" in msg and "[y]: missing key(s) description, factory, mode, trainable" in msg
    path.write_text('[x]\nversion = "1.0"\nfactory = "a:B"\ntrainable = false\nmode = "all"\ndescription = "d"\n')
    with pytest.raises(ConfigError, match=r"version '1.0' is not MAJOR.MINOR.PATCH") as err:
        load_registry(path)
    assert "mode 'all' is not one of full, stance" in str(err.value)


def test_cli_list_json(capsys):
    assert main(["systems", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["name"], r["trainable"]) for r in rows] == [("empty", False), ("majority", True), ("rules", False),
                                                           ("crf", True), ("learned", True), ("learned-stance", True)]


def test_cli_run_rules_end_to_end_with_sidecar(tmp_path):
    gold = tmp_path / "gold"
    write_documents(gold / "test.jsonl", TRAIN[:2])
    out = tmp_path / "runs" / "rules.jsonl"
    proc = subprocess.run([sys.executable, "-m", "aqwal", "run", "rules", "--gold", str(gold), "--split", "test",
                           "--out", str(out)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert str(meta_path(out)) in proc.stdout
    recs = [r for _, r in prediction_lines(out)]
    assert [r["id"] for r in recs] == ["tr1", "tr2"]
    text = TRAIN[1].text
    assert [(text[q["start"]:q["end"]]) for q in recs[1]["quotes"]] == ["العراق لم يعد بحاجة إلى القوات الأجنبية"]
    meta = json.loads(meta_path(out).read_text(encoding="utf-8"))
    assert meta["system"] == {"name": "rules", "version": get("rules").version}
    assert (meta["split"], meta["mode"], meta["gold"]["documents"], meta["train"]) == ("test", "full", 2, None)


def test_cli_errors_are_messages_not_tracebacks(tmp_path):
    write_documents(tmp_path / "test.jsonl", TRAIN[:1])
    proc = subprocess.run([sys.executable, "-m", "aqwal", "run", "rulez", "--gold", str(tmp_path),
                           "--out", str(tmp_path / "p.jsonl")], cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 2 and "did you mean 'rules'?" in proc.stderr and "Traceback" not in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "aqwal", "run", "rules", "--gold", str(tmp_path), "--split", "dev",
                           "--out", str(tmp_path / "p.jsonl")], cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 2 and "no dev.jsonl here (has: test.jsonl)" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "aqwal", "run", "crf", "--gold", str(tmp_path),
                           "--out", str(tmp_path / "p.jsonl")], cwd=ROOT, capture_output=True, text=True, check=False)
    assert proc.returncode == 2 and "crf is trained: give --train" in proc.stderr


def test_floors(tmp_path):
    gold = read_gold(_write(tmp_path, TRAIN), "test")
    assert main(["run", "empty", "--gold", str(_write(tmp_path, TRAIN)), "--out", str(tmp_path / "e.jsonl"),
                 "--quiet"]) == 0
    assert all(r["entities"] == [] and r["quotes"] == [] for _, r in prediction_lines(tmp_path / "e.jsonl"))
    majority = get("majority").make()
    majority.fit(TRAIN)  # stances: favor 2, against 2, neutral 1 -> tie broken by name: against
    assert majority.label == "against"
    run(majority, gold, tmp_path / "m.jsonl", progress=False)
    assert all(r["quotes"] == [] for _, r in prediction_lines(tmp_path / "m.jsonl"))  # full mode: no spans
    run(majority, gold, tmp_path / "ms.jsonl", mode=Mode.STANCE, progress=False)
    recs = [r for _, r in prediction_lines(tmp_path / "ms.jsonl")]
    assert recs[0]["quotes"] == [{"start": TRAIN[0].quotes[0].span.start, "end": TRAIN[0].quotes[0].span.end,
                                  "cue": None, "speaker": None, "stance": [{"target": "t1", "label": "against"}]}]
    assert recs[5]["quotes"] == []  # a document without gold quotes


def _write(tmp_path: Path, docs) -> Path:
    write_documents(tmp_path / "docs.jsonl", docs)
    return tmp_path / "docs.jsonl"
