"""Writes documents.jsonl of batch 002: Wikinews documents of the pool not in batch 001, with their targets from
annotation/targets.tsv (shortest first; a document is added once its worksheet entry is written)."""
import csv
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))
from corpus.model import Document

CHOSEN = {  # document id -> target ids
    "wikinews-051": [], "wikinews-048": [], "wikinews-000": [], "wikinews-054": [], "wikinews-053": ["T100"],
    "wikinews-005": [], "wikinews-035": [], "wikinews-013": [], "wikinews-061": [], "wikinews-040": ["T101"],
    "wikinews-057": [], "wikinews-071": [], "wikinews-059": [], "wikinews-045": [], "wikinews-033": [],
    "wikinews-043": [], "wikinews-029": ["T102"], "wikinews-055": [], "wikinews-046": [], "wikinews-058": [],
    "wikinews-039": [], "wikinews-038": [], "wikinews-068": [], "wikinews-003": ["T103"],
    "wikinews-073": [], "wikinews-002": [], "wikinews-031": [], "wikinews-012": ["T104"],
    "wikinews-026": ["T105"], "wikinews-037": ["T106"], "wikinews-032": [],
    "wikinews-052": [], "wikinews-036": [], "wikinews-008": [],
    "wikinews-066": ["T107"], "wikinews-030": ["T108"],
    "wikinews-063": ["T109"], "wikinews-034": [],
    "wikinews-011": [], "wikinews-025": ["T110", "T111"],
    "wikinews-062": [], "wikinews-023": ["T112"], "wikinews-001": [],
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
