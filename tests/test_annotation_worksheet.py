"""The worksheets of the committed gold batches resolve to exactly the gold's spans, and the helpers that
turn words into offsets behave on hand-made cases."""
from __future__ import annotations

from pathlib import Path

import pytest

from annotation.worksheet import flag, load_batch, resolve, word_occurrences
from corpus.jsonl import iter_documents

ROOT = Path(__file__).resolve().parents[1]
BATCHES = sorted(p for p in (ROOT / "annotation" / "batches").iterdir() if (p / "worksheet.py").is_file())
GOLD = {d.id: d for d in iter_documents(ROOT / "corpus" / "gold" / "gold.jsonl")}


def test_word_occurrences_keep_proclitics_out_and_skip_word_parts():
    text = "وقال العراقي إن العراقيين والعراق بالعراق"
    # العراقي and العراقيين hold the string inside a longer word; و and ب before it are proclitics
    assert word_occurrences(text, "العراق") == [text.index("والعراق") + 1, text.index("بالعراق") + 1]


def _adjudicated(doc) -> bool:
    """Gold decided by an adjudicator over several versions is no single worksheet's (agreed gold is each one's)."""
    return any(a.kind == "adjudication" and a.annotator != "agreement" for a in doc.annotations)


@pytest.mark.parametrize("batch", BATCHES, ids=lambda p: p.name)
def test_batch_worksheet_is_the_gold(batch):
    docs, sheet = load_batch(batch)
    assert docs and set(sheet) <= {d["id"] for d in docs}
    for doc in docs:
        if doc["id"] not in sheet or doc["id"] not in GOLD or _adjudicated(GOLD[doc["id"]]):
            continue
        mine, gold = resolve(doc, sheet[doc["id"]]), GOLD[doc["id"]]
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
    from corpus.model import sha256_text
    return sha256_text(text)
