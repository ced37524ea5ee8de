"""External systems: a process reading documents JSONL on stdin and writing predictions on stdout."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from systems_docs import TRAIN, prediction_lines

from aqwal.cli import main
from aqwal.benchmark.systems.external import External, ExternalSystemError
from aqwal.benchmark.systems.protocol import Mode, view
from aqwal.corpus.jsonl import write_documents

# A tiny external system: tags every occurrence of العراق as GPE, records what it was given, and misbehaves
# on request (argv[2]) so that each error report can be checked.
SCRIPT = r'''
import json, sys
seen_path, how = sys.argv[1], sys.argv[2]
seen = []
for n, line in enumerate(sys.stdin):
    doc = json.loads(line)
    seen.append(doc)
    text, start, ents = doc["text"], 0, []
    while (i := text.find("العراق", start)) >= 0:
        ents.append({"start": i, "end": i + 6, "label": "GPE"})
        start = i + 1
    rec = {"id": doc["id"], "entities": ents, "quotes": []}
    if how == "badjson" and n == 1:
        print("{not json")
    elif how == "badspan" and n == 1:
        rec["entities"] = [{"start": 0, "end": 10**6, "label": "GPE"}]
        print(json.dumps(rec))
    elif how == "skip" and n == 1:
        pass
    elif how == "crash" and n == 1:
        print("model file missing: weights.bin", file=sys.stderr)
        sys.exit(3)
    else:
        print(json.dumps(rec, ensure_ascii=False), flush=True)
json.dump(seen, open(seen_path, "w"), ensure_ascii=False)
'''


@pytest.fixture
def script(tmp_path: Path) -> Path:
    path = tmp_path / "system.py"
    path.write_text(SCRIPT, encoding="utf-8")
    return path


def command(script: Path, tmp_path: Path, how: str = "ok") -> str:
    return f"{sys.executable} {script} {tmp_path / 'seen.json'} {how}"


def test_external_system_through_the_cli(tmp_path, script, capsys):
    gold = tmp_path / "test.jsonl"
    write_documents(gold, TRAIN)
    out = tmp_path / "ext.jsonl"
    assert main(["run", "--command", command(script, tmp_path), "--name", "iraq-finder", "--system-version", "2.0.1",
                 "--gold", str(gold), "--out", str(out), "--quiet"]) == 0
    recs = [r for _, r in prediction_lines(out)]
    assert [r["id"] for r in recs] == [d.id for d in TRAIN]
    assert [(TRAIN[1].text[e["start"]:e["end"]]) for e in recs[1]["entities"]] == ["العراق"]
    # it saw id, text and targets only: no gold entities, quotes, sources or metadata
    seen = json.loads((tmp_path / "seen.json").read_text(encoding="utf-8"))
    assert all(set(d) == {"id", "text", "targets"} for d in seen)
    meta = json.loads((tmp_path / "ext.meta.json").read_text(encoding="utf-8"))
    assert meta["system"] == {"name": "iraq-finder", "version": "2.0.1"} and meta["command"].endswith(" ok")


def test_stance_mode_sends_gold_quote_offsets(tmp_path, script):
    ext = External(command(script, tmp_path))
    list(ext.predict_many([view(TRAIN[0], Mode.STANCE)]))
    seen = json.loads((tmp_path / "seen.json").read_text(encoding="utf-8"))
    q = TRAIN[0].quotes[0]
    assert seen[0]["quotes"] == [{"start": q.span.start, "end": q.span.end}]


@pytest.mark.parametrize("how, message", [
    ("badjson", (r"badjson': line 2 of its output is not JSON \(Expecting property name enclosed in double quotes "
                 r"at column 2\): '\{not json' \(fix: write one JSON object per line")),
    ("badspan", r"line 2 of the output of .*, field entities\[0\]\.end: 1000000 is beyond the end of the text"),
    ("skip", r"wrote 5 predictions for 6 documents; none for 'tr2'"),
    ("crash", r"exited with status 3\nlast lines of its stderr:\nmodel file missing: weights.bin"),
])
def test_external_errors_say_what_and_where(tmp_path, script, how, message):
    ext = External(command(script, tmp_path, how))
    with pytest.raises(ExternalSystemError, match=message):
        list(ext.predict_many([view(d) for d in TRAIN]))


def test_a_missing_program_is_a_config_error(tmp_path, capsys):
    gold = tmp_path / "test.jsonl"
    write_documents(gold, TRAIN[:1])
    assert main(["run", "--command", "/nonexistent/system --fast", "--name", "x", "--gold", str(gold),
                 "--out", str(tmp_path / "p.jsonl")]) == 2
    assert "cannot start the external system '/nonexistent/system --fast'" in capsys.readouterr().err


def test_timeout(tmp_path):
    ext = External(f"{sys.executable} -c 'import time; time.sleep(30)'", timeout=0.5)
    with pytest.raises(ExternalSystemError, match=r"was stopped after 0.5 s"):
        list(ext.predict_many([view(d) for d in TRAIN[:1]]))
