"""Writes documents.jsonl of batch 002: Wikinews documents of the pool not in batch 001, with their targets from
annotation/targets.tsv (shortest first; a document is added once its worksheet entry is written)."""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))
from aqwal.annotation.worksheet import write_batch_documents  # noqa: E402

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

print(write_batch_documents(HERE, list(CHOSEN), CHOSEN), "documents")
