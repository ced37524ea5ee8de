"""Writes documents.jsonl of batch 001: the chosen pool documents with their targets from annotation/targets.tsv."""
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))
from aqwal.annotation.worksheet import write_batch_documents  # noqa: E402

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

print(write_batch_documents(HERE, list(CHOSEN), CHOSEN), "documents")
