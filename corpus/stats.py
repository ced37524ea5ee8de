"""Corpus statistics: documents, words, characters, quotation marks, quoted passages and reporting verbs,
per source, per licence and in total.  Words are whitespace-separated tokens of the stored text."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from aqwal.corpus.ingest.text import word_count
from aqwal.corpus.model import Document
from aqwal.corpus.reporting import quotation_marks, quoted_passages, reporting_verbs

COLUMNS = ("documents", "words", "characters", "quotation_marks", "quoted_passages", "reporting_verbs")


@dataclass
class Counts:
    documents: int = 0
    words: int = 0
    characters: int = 0
    quotation_marks: int = 0
    quoted_passages: int = 0
    reporting_verbs: int = 0

    def add(self, other: Counts) -> None:
        for name in COLUMNS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def document_counts(doc: Document) -> Counts:
    text = doc.text
    return Counts(1, word_count(text), len(text), quotation_marks(text), len(quoted_passages(text)),
                  len(reporting_verbs(text)))


def corpus_stats(docs: Iterable[Document]) -> dict[str, Any]:
    by_source: dict[str, Counts] = {}
    by_license: dict[str, Counts] = {}
    outlets: dict[str, int] = {}
    total = Counts()
    for doc in docs:
        c = document_counts(doc)
        by_source.setdefault(doc.source, Counts()).add(c)
        by_license.setdefault(doc.license, Counts()).add(c)
        key = f"{doc.source}/{doc.outlet}"
        outlets[key] = outlets.get(key, 0) + 1
        total.add(c)
    return {"by_source": {k: asdict(v) for k, v in sorted(by_source.items())},
            "by_license": {k: asdict(v) for k, v in sorted(by_license.items())},
            "documents_per_outlet": dict(sorted(outlets.items())), "total": asdict(total)}


def table_rows(stats: dict[str, Any]) -> list[list[Any]]:
    rows = [["source", k] + [v[c] for c in COLUMNS] for k, v in stats["by_source"].items()]
    rows += [["licence", k] + [v[c] for c in COLUMNS] for k, v in stats["by_license"].items()]
    rows.append(["total", ""] + [stats["total"][c] for c in COLUMNS])
    return rows


TABLE_HEADER = ["by", "name", "documents", "words", "characters", "quote marks", "quoted", "reporting verbs"]
