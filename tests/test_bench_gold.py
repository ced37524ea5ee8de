"""The scorer's gold: an external gold with only id, text and its layers; clear errors with file:line; the
same content hash as the dataset's documents; tasks without a gold layer not scored; point scores only."""
from __future__ import annotations

import json
import subprocess
from dataclasses import replace
import sys
from pathlib import Path

import pytest
from bench_gold import ROOT_DIR, documents, perfect_record, write_gold, write_lines

from aqwal.benchmark.gold import load_gold
from aqwal.benchmark.golddoc import canonical_blocks, from_document
from aqwal.cli import main
from aqwal.corpus.errors import InvalidData
from aqwal.corpus.jsonl import content_hash, dumps, read_documents

TEXT = "زار جورج بوش بغداد أمس"
LABELS = "PERS,LOC,ORG,MISC"


def _external(tmp_path: Path, *rows) -> Path:
    return write_lines(tmp_path / "gold.jsonl", list(rows) or [
        {"id": "a", "text": TEXT, "entities": [{"start": 4, "end": 12, "label": "PERS"},
                                               {"start": 13, "end": 18, "label": "LOC", "text": "بغداد"}]},
        {"id": "b", "text": "لا شيء", "entities": []}])


def _errors(capsys, gold: Path, pred: Path) -> str:
    assert main(["evaluate", "--gold", str(gold), "--labels", LABELS, str(pred)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


def test_an_external_gold_needs_only_id_text_and_entities(tmp_path, capsys):
    gold = _external(tmp_path)
    pred = write_lines(tmp_path / "pred.jsonl", [
        {"id": "a", "entities": [{"start": 4, "end": 12, "label": "PERS"}]},
        {"id": "b", "entities": [{"start": 0, "end": 2, "label": "ORG"}]}])
    assert main(["evaluate", "--gold", str(gold), "--labels", LABELS, str(pred), "--json",
                 "--resamples", "0"]) == 0
    result = json.loads(capsys.readouterr().out)
    strict = result["entities"]["strict"]
    assert (strict["tp"], strict["fp"], strict["fn"]) == (1, 1, 1)
    assert result["entities"]["headline"] == {"metric": "entities.strict.f1", "value": 0.5}
    assert result["meta"]["tasks"] == ["entities"] and len(result["meta"]["dataset"]["content_hash"]) == 64


@pytest.mark.parametrize("row, field, words", [
    ({"id": "a", "entities": []}, "text", "is missing"),
    ({"id": "a", "text": TEXT, "entities": [{"start": 4, "label": "PERS"}]}, "entities[0].end", "is missing"),
    ({"id": "a", "text": TEXT, "entities": [{"start": "4", "end": 13, "label": "PERS"}]}, "entities[0].start",
     "Expected int, got str"),
    ({"id": "a", "text": TEXT, "entities": [{"start": 4, "end": 13, "label": "PERS", "type": "x"}]},
     "entities[0].type", "unknown field"),
    ({"id": "a", "text": TEXT, "entities": [{"start": 4, "end": 7, "label": "PERS", "text": "بوش"}]},
     "entities[0]", "not 'بوش'"),
    ({"id": "a", "text": TEXT, "entities": [{"start": 4, "end": 99, "label": "PERS"}]}, "entities[0]",
     "runs past the end of the text"),
    ({"id": "a", "text": TEXT, "quotes": [{"start": 0, "end": 3, "speaker": "e9"}]}, "quotes[0].speaker",
     "'e9' does not exist"),
])
def test_a_bad_gold_line_is_named_with_file_line_field_and_fix(tmp_path, capsys, row, field, words):
    gold = _external(tmp_path, {"id": "ok", "text": TEXT, "entities": []}, row)
    pred = write_lines(tmp_path / "pred.jsonl", [{"id": "ok", "entities": []}])
    line = next(x for x in _errors(capsys, gold, pred).splitlines() if f"{gold}:2" in x)
    assert f"field {field}:" in line and words in line and "(fix: " in line


def test_unknown_field_lists_the_allowed_ones_and_a_duplicate_id_names_the_first_line(tmp_path, capsys):
    gold = _external(tmp_path, {"id": "a", "text": TEXT, "entities": [{"start": 4, "end": 13, "label": "PERS",
                                                                       "kind": "x"}]},
                     {"id": "b", "text": TEXT}, {"id": "b", "text": TEXT})
    pred = write_lines(tmp_path / "pred.jsonl", [{"id": "b", "entities": []}])
    err = _errors(capsys, gold, pred)
    assert "allowed here: id, start, end, label, text" in err
    assert f"{gold}:3 document 'b', field id: duplicate document id (first on line 2)" in err


def test_a_gold_line_that_is_not_json_stops_with_its_line(tmp_path, capsys):
    gold = _external(tmp_path, {"id": "a", "text": TEXT}, '{"id": "b", "text": ')
    pred = write_lines(tmp_path / "pred.jsonl", [{"id": "a", "entities": []}])
    assert f"{gold}:2: not valid JSON" in _errors(capsys, gold, pred)


def test_the_content_hash_is_the_datasets_whoever_reads_the_documents(tmp_path):
    for path in (write_gold(tmp_path / "bench.jsonl"), ROOT_DIR / "tests" / "data" / "release_gold.jsonl",
                 ROOT_DIR / "corpus" / "gold" / "gold.jsonl"):
        docs = read_documents(path)
        docs.sort(key=lambda d: d.id)
        canonical = b"".join(dumps(d.to_dict()).encode("utf-8") + b"\n" for d in docs)
        assert b"".join(canonical_blocks([from_document(d) for d in docs], size=7)) == canonical
        assert load_gold(path).content_hash == content_hash(docs)


def test_annotation_rounds_are_read_and_hashed_as_the_dataset_writes_them(tmp_path):
    docs = read_documents(ROOT_DIR / "tests" / "data" / "release_gold.jsonl")
    docs = [replace(d, annotations=tuple(replace(a, round=2) for a in d.annotations)) for d in docs]
    assert any(d.annotations for d in docs)
    path = write_lines(tmp_path / "gold.jsonl", [d.to_dict() for d in docs])
    gold = load_gold(path)
    assert all(a.round == 2 for d in gold.documents.values() for a in d.annotations)
    assert gold.content_hash == content_hash(docs)


def test_a_task_whose_layer_the_gold_lacks_is_not_scored(tmp_path, capsys):
    gold = _external(tmp_path)
    pred = write_lines(tmp_path / "pred.jsonl", [
        {"id": "a", "entities": [], "quotes": [{"start": 0, "end": 3, "stance": []}]},
        {"id": "b", "entities": [], "quotes": []}])
    assert main(["evaluate", "--gold", str(gold), "--labels", LABELS, str(pred), "--json",
                 "--resamples", "10"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert "quotes" not in result and "stance" not in result and "entities" in result
    assert result["meta"]["tasks"] == ["entities"]
    assert result["meta"]["tasks_without_gold"] == ["quotes", "stance"]


def test_the_dataset_documents_keep_their_layers_even_when_empty(tmp_path):
    docs = [d for d in documents() if not d.quotes]
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(dumps(d.to_dict()) + "\n" for d in docs), encoding="utf-8")
    assert load_gold(path).layers == {"entities", "quotes"}


def test_resamples_0_gives_point_scores_only(tmp_path, capsys):
    gold = write_gold(tmp_path / "gold.jsonl")
    pred = write_lines(tmp_path / "pred.jsonl", [perfect_record(d) for d in documents()])
    done = subprocess.run([sys.executable, "-m", "aqwal", "evaluate", "--gold", str(gold), str(pred), "--resamples",
                           "0"], cwd=ROOT_DIR, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert "entities.strict.f1 = 100.0 % (no interval: --resamples 0)" in done.stdout
    assert main(["evaluate", "--gold", str(gold), str(pred), "--json",
                 "--resamples", "0"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert all("interval" not in result[t]["headline"] for t in ("entities", "quotes", "stance"))
    with pytest.raises(SystemExit):
        main(["evaluate", "--help"])
    assert "0 computes the point scores only" in " ".join(capsys.readouterr().out.split())
    with pytest.raises(SystemExit) as leaderboard:  # ranks need resamples
        main(["leaderboard", str(pred), "--gold", str(gold), "--out", str(tmp_path / "b"),
              "--resamples", "0"])
    assert leaderboard.value.code == 2


def test_provenance_fields_are_carried_not_checked_by_the_scorer(tmp_path):
    bad = documents()[0].to_dict()
    bad["sha256"] = "0" * 64
    path = tmp_path / "gold.jsonl"
    path.write_text(dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(InvalidData, match="sha256"):
        read_documents(path)
    assert load_gold(path).documents["doc-1"].sha256 == "0" * 64
