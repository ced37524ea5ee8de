"""The ingestion report: every record read is ingested, skipped (with the reason) or a duplicate (of what)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aqwal.corpus.ingest.dedup import Duplicate
from aqwal.corpus.ingest.readers import Skip
from aqwal.corpus.jsonl import write_json


@dataclass
class SourceCounts:
    read: int = 0
    ingested: int = 0
    skipped: int = 0
    exact_duplicates: int = 0
    near_duplicates: int = 0


@dataclass
class IngestReport:
    shared: str
    threshold: float
    counts: dict[str, SourceCounts] = field(default_factory=dict)
    skipped: list[dict] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)
    outlets: Counter = field(default_factory=Counter)

    def _of(self, source: str) -> SourceCounts:
        return self.counts.setdefault(source, SourceCounts())

    def read(self, source: str) -> None:
        self._of(source).read += 1

    def ingested(self, source: str, outlet: str | None) -> None:
        self._of(source).ingested += 1
        self.outlets[f"{source}/{outlet}"] += 1

    def skip(self, source: str, item: Skip) -> None:
        self._of(source).skipped += 1
        self.skipped.append({"source": source, "where": item.where, "id": item.id, "reason": item.reason})

    def duplicate(self, source: str, where: str, doc_id: str, dup: Duplicate) -> None:
        counts = self._of(source)
        if dup.kind == "exact":
            counts.exact_duplicates += 1
        else:
            counts.near_duplicates += 1
        self.duplicates.append({"source": source, "where": where, "id": doc_id, "kind": dup.kind, "of": dup.of,
                                "similarity": dup.similarity})

    def check_balanced(self) -> None:
        """Every record read is accounted for exactly once (a bug if not)."""
        for name, c in self.counts.items():
            total = c.ingested + c.skipped + c.exact_duplicates + c.near_duplicates
            if total != c.read:
                raise AssertionError(f"{name}: read {c.read} but accounted for {total}")

    def to_dict(self) -> dict[str, Any]:
        total = SourceCounts()
        for c in self.counts.values():
            for k in vars(total):
                setattr(total, k, getattr(total, k) + getattr(c, k))
        reasons = Counter(_reason_kind(s["reason"]) for s in self.skipped)
        return {"shared": self.shared, "near_duplicate_threshold": self.threshold,
                "counts": {**{k: vars(v) for k, v in self.counts.items()}, "total": vars(total)},
                "skip_reasons": dict(reasons.most_common()),
                "ingested_per_outlet": dict(sorted(self.outlets.items())),
                "skipped": self.skipped, "duplicates": self.duplicates}

    def write(self, path: Path) -> None:
        write_json(path, self.to_dict())

    def summary_rows(self) -> list[list[Any]]:
        d = self.to_dict()["counts"]
        return [[name, c["read"], c["ingested"], c["skipped"], c["exact_duplicates"], c["near_duplicates"]]
                for name, c in d.items()]


SUMMARY_HEADER = ["source", "read", "ingested", "skipped", "exact dup", "near dup"]


def _reason_kind(reason: str) -> str:
    return reason.split(":")[0].split(" (")[0]
