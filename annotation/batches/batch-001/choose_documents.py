"""Writes documents.jsonl of batch 001: the chosen pool documents with their targets from annotation/targets.tsv."""
import csv
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))
from corpus.model import Document

CHOSEN = {  # document id -> target ids
    "seed-000": ["T001", "T002"], "wikinews-050": ["T003", "T004"], "wikinews-049": ["T003", "T004"],
    "wikinews-020": [], "wikinews-072": [], "wikinews-028": ["T005"], "wikinews-015": [],
    "wikinews-047": [], "wikinews-027": ["T006"], "wikinews-018": [], "wikinews-019": ["T007"],
    "wikinews-060": [], "wikinews-017": [], "wikinews-042": ["T009"], "wikinews-044": ["T008"],
    "wikinews-041": ["T010"], "wikinews-021": [], "wikinews-016": [], "wikinews-056": ["T011"],
    "wikinews-010": [], "wikinews-067": ["T012"], "wikinews-024": ["T013"], "wikinews-070": ["T014"],
    "wikinews-069": [], "wikinews-065": ["T015"], "wikinews-064": ["T016"], "wikinews-004": ["T017"],
    "wikinews-022": [], "wikinews-007": ["T018"], "wikinews-006": ["T019"], "wikinews-009": [], "wikinews-014": [],
}

with open(ROOT / "annotation/targets.tsv", encoding="utf-8") as fh:
    targets = {row["id"]: row["text"] for row in csv.DictReader(fh, delimiter="\t")}
with open(ROOT / "corpus/data/pool.jsonl", encoding="utf-8") as fh:
    pool = {rec["id"]: rec for rec in map(json.loads, fh)}
with open(HERE / "documents.jsonl", "w") as out:
    for doc_id, ids in CHOSEN.items():
        rec = dict(pool[doc_id], targets=[{"id": t, "text": targets[t]} for t in ids])
        Document.from_dict(rec)
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
print(len(CHOSEN), "documents")
