"""Each batch's worksheet resolves to exactly the annotation its snapshot holds (what was submitted to Label
Studio is what the worksheet says), and the helpers that turn words into offsets behave on hand-made cases."""
from __future__ import annotations

from pathlib import Path

import pytest

from aqwal.annotation.cli import convert_snapshot
from aqwal.annotation.worksheet import flag, load_batch, resolve, word_occurrences

ROOT = Path(__file__).resolve().parents[1]
BATCHES = sorted(p for p in (ROOT / "annotation" / "batches").iterdir() if (p / "worksheet.py").is_file())


def test_word_occurrences_keep_proclitics_out_and_skip_word_parts():
    text = "وقال العراقي إن العراقيين والعراق بالعراق"
    # العراقي and العراقيين hold the string inside a longer word; و and ب before it are proclitics
    assert word_occurrences(text, "العراق") == [text.index("والعراق") + 1, text.index("بالعراق") + 1]


@pytest.mark.parametrize("batch", BATCHES, ids=lambda p: p.name)
def test_batch_worksheet_is_its_snapshot(batch):
    docs, sheet = load_batch(batch)
    assert docs and set(sheet) <= {d["id"] for d in docs}
    snapshot = ROOT / (batch / "SNAPSHOT").read_text(encoding="utf-8").strip()
    conversion = convert_snapshot(snapshot)
    assert not conversion.rejected
    (annotated,) = conversion.documents.values()  # one annotator per batch
    submitted = {d.id: d for d in annotated}
    assert set(submitted) == set(sheet)
    for doc in docs:
        if doc["id"] not in sheet:
            continue
        mine, gold = resolve(doc, sheet[doc["id"]]), submitted[doc["id"]]
        assert mine.text == gold.text
        assert {(m.span, m.label) for m in mine.entities} == {(m.span, m.label) for m in gold.entities}
        spans = {m.id: m.span for m in mine.entities + mine.sources}
        gold_spans = {m.id: m.span for m in gold.entities + gold.sources}
        assert {(q.span, q.kind, q.cue, spans[q.speaker], q.stance) for q in mine.quotes} == \
            {(q.span, q.kind, q.cue, gold_spans[q.speaker], q.stance) for q in gold.quotes}


def test_flag_lists_a_planted_miss(tmp_path):
    (tmp_path / "documents.jsonl").write_text(
        '{"id": "d1", "text": "قال أحمد إن الحوار مفيد. وأكد أحمد أن الوضع جيد.", "source": "seed", '
        '"license": "all-rights-reserved", "sha256": "%s", "targets": []}\n' % _sha("قال أحمد إن الحوار مفيد. وأكد أحمد أن الوضع جيد."),
        encoding="utf-8")
    (tmp_path / "worksheet.py").write_text(
        'SHEET = {"d1": {"E": [("أحمد", "PER", {"only": [0]})], "Q": [dict(**{"from": "الحوار", "to": "مفيد", '
        '"cue": "قال", "kind": "indirect", "speaker": ("E", "أحمد"), "stance": ""})]}}\n', encoding="utf-8")
    assert flag(tmp_path) == 2  # the second أحمد unannotated; وأكد with no quotation


def _sha(text: str) -> str:
    from aqwal.corpus.model import sha256_text
    return sha256_text(text)


def test_choosing_a_batch_is_a_fixed_rule(tmp_path):
    from aqwal.annotation.worksheet import pool_records, shortest_per_outlet, write_batch_documents
    pool = [{"id": f"d{i}", "source": "saudinewsnet", "outlet": o, "text": "x" * n}
            for i, (o, n) in enumerate([("a", 5), ("a", 3), ("b", 9), ("a", 3), ("b", 1), ("c", 2)])]
    assert shortest_per_outlet(pool, ("b", "a"), 2, skip={"d1"}) == ["d4", "d2", "d3", "d0"]
    committed = ROOT / "annotation" / "batches" / "batch-001" / "documents.jsonl"
    lines = committed.read_text(encoding="utf-8").splitlines()
    import json
    records = [json.loads(line) for line in lines]
    targets = {r["id"]: [t["id"] for t in r["targets"]] for r in records}
    assert write_batch_documents(tmp_path, list(targets), targets, pool_records()) == len(records)
    assert (tmp_path / "documents.jsonl").read_bytes() == committed.read_bytes()
