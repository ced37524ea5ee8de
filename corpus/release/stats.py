"""Statistics of a set of documents, and how their annotations were produced (from AnnotationInfo)."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from aqwal.corpus.ingest.text import word_count
from aqwal.corpus.model import AGREED, Document
from aqwal.corpus.schema import ENTITY_NAMES, QUOTE_KINDS, STANCE_LABELS

words = word_count  # words as the card counts them: whitespace-separated strings


def statistics(docs: Iterable[Document]) -> dict:
    """Counts with every label of the scheme present (zero when absent), in scheme order."""
    entities: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    stance: Counter[str] = Counter()
    out = {"documents": 0, "words": 0, "targets": 0, "sources": 0, "quotes": 0, "quotes_with_speaker": 0}
    for d in docs:
        out["documents"] += 1
        out["words"] += words(d.text)
        out["targets"] += len(d.targets)
        out["sources"] += len(d.sources)
        out["quotes"] += len(d.quotes)
        out["quotes_with_speaker"] += sum(q.speaker is not None for q in d.quotes)
        entities.update(m.label for m in d.entities)
        kinds.update(q.kind for q in d.quotes)
        stance.update(s.label for q in d.quotes for s in q.stance)
    out["entities"] = {name: entities[name] for name in ENTITY_NAMES}
    out["quote_kinds"] = {name: kinds[name] for name in QUOTE_KINDS}
    out["stance"] = {name: stance[name] for name in STANCE_LABELS}
    return out


# How a document's annotations were made, from its AnnotationInfo records.
PRODUCERS = ("adjudicated", "adjudicated by systems", "human", "system only", "not recorded")


def _systems(infos) -> set[str]:
    """The document's annotators recorded as systems, and the automatic ``agreement`` adjudication."""
    return {a.annotator for a in infos if a.kind == "system"} | {AGREED}


def _reviewers(infos) -> set[str]:
    """Who reviewed a document besides its annotators.  An adjudication record's ``reviewed_by`` names the
    annotators whose versions were compared: they are annotators, not reviewers."""
    return {r for a in infos if a.kind != "adjudication" for r in a.reviewed_by if r != a.annotator}


def current(infos) -> tuple:
    """The records of the document's last annotation round (all of them when rounds are not recorded): an
    earlier round's passes are history, not how the released annotations were made."""
    rounds = [a.round for a in infos if a.round is not None]
    return tuple(a for a in infos if a.round == max(rounds)) if rounds else tuple(infos)


def provenance_key(doc: Document) -> tuple[str, bool, bool]:
    """(producer, started from a system's pre-annotation, reviewed by someone besides the annotator), from
    the document's last annotation round."""
    infos = current(doc.annotations)
    if not infos:
        return "not recorded", False, False
    kinds = {a.kind for a in infos}
    systems = _systems(infos)
    if "adjudication" in kinds:
        people = "human" in kinds or any(a.annotator not in systems for a in infos if a.kind == "adjudication")
        producer = "adjudicated" if people else "adjudicated by systems"
    else:
        producer = "human" if "human" in kinds else "system only"
    pre = any(a.pre_annotation for a in infos)
    reviewed = bool(_reviewers(infos))
    return producer, pre, reviewed


def provenance(docs: Iterable[Document]) -> dict:
    """Documents per (producer, pre-annotated, reviewed); the humans and systems involved (counts/names)."""
    table: Counter[tuple[str, bool, bool]] = Counter()
    humans: set[str] = set()
    systems: set[str] = set()
    annotators: Counter[tuple[str, str]] = Counter()
    for d in docs:
        table[provenance_key(d)] += 1
        for who in {(a.annotator, a.kind) for a in d.annotations if a.kind in ("human", "system")}:
            annotators[who] += 1
        doc_systems = _systems(d.annotations)
        for a in d.annotations:
            if a.kind == "system":
                systems.add(a.annotator)
            elif a.annotator not in doc_systems:  # a person; a system adjudicating is counted as a system
                humans.add(a.annotator)
            if a.pre_annotation:
                systems.add(a.pre_annotation)
        humans.update(_reviewers(d.annotations) - doc_systems)
    rows = [{"produced_by": p, "pre_annotated": pre, "reviewed": rev, "documents": table[(p, pre, rev)]}
            for p in PRODUCERS for pre in (False, True) for rev in (False, True) if table[(p, pre, rev)]]
    return {"rows": rows, "human_annotators": len(humans), "systems": sorted(systems),
            "annotators": [{"annotator": a, "kind": k, "documents": n} for (a, k), n in sorted(annotators.items())]}
