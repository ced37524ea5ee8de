"""``aqwal corpus ...``: ingestion, the annotation pool, statistics."""
from __future__ import annotations

from corpus.command import group


def register(sub) -> None:
    group(sub, "corpus", "the articles: ingest, choose the annotation pool, statistics")
