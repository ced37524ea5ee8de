"""Documents ↔ dataset rows: plain dicts in the release's row schema (no ``datasets`` needed).

A row is the documents JSONL record with the document's scalar fields gathered under ``metadata``.
Label fields hold label names on the way in; on the way back they may be names or ClassLabel indices
(what Parquet stores), and both give the same document.
"""
from __future__ import annotations

from typing import Any

from aqwal.corpus.model import ANNOTATOR_KINDS, Document
from aqwal.corpus.schema import ENTITY_NAMES, QUOTE_KINDS, STANCE_LABELS

METADATA_FIELDS = ("source", "outlet", "url", "published", "author", "category", "provenance", "license",
                   "sha256")


def document_row(doc: Document) -> dict:
    """The row of one document; key order fixed (it is the column order)."""
    d = doc.to_dict()
    return {
        "id": d["id"], "title": d["title"], "text": d["text"],
        "metadata": {k: d[k] for k in METADATA_FIELDS},
        "targets": d["targets"],
        "entities": d["entities"],
        "sources": [{k: m[k] for k in ("id", "start", "end", "text")} for m in d["sources"]],
        "quotes": d["quotes"],
        "annotations": [{**a, "round": a.get("round")} for a in d["annotations"]],
    }


def _name(value: Any, names: tuple[str, ...]) -> Any:
    """A label name from a name or a ClassLabel index (anything else is left for validation to reject)."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(names):
        return names[value]
    return value


def row_document(row: dict) -> Document:
    """The document of a row; raises ``InvalidData`` like ``Document.from_dict``."""
    record: dict[str, Any] = {"id": row["id"], "title": row.get("title"), "text": row["text"]}
    record.update(row["metadata"])
    record["targets"] = list(row.get("targets") or [])
    record["entities"] = [{**m, "label": _name(m["label"], ENTITY_NAMES)} for m in row.get("entities") or []]
    record["sources"] = list(row.get("sources") or [])
    record["quotes"] = [{**q, "kind": _name(q["kind"], QUOTE_KINDS),
                         "stance": [{**s, "label": _name(s["label"], STANCE_LABELS)} for s in q.get("stance") or []]}
                        for q in row.get("quotes") or []]
    record["annotations"] = [{**a, "kind": _name(a["kind"], ANNOTATOR_KINDS)} for a in row.get("annotations") or []]
    return Document.from_dict(record)
