"""The system protocol: what a system sees (a ``DocumentView``) and what it returns (prediction records).

A system sees a document's id, text and stance targets — never its annotations.  ``view`` is the only way
the runner makes what a system sees, and a ``DocumentView`` has no field that could hold gold: the
protection is by construction, not by convention.

In the *stance given gold quotes* mode (``Mode.STANCE``) the view also carries the gold quotations'
content offsets (start, end only: no kind, cue, speaker or stance), so that a stance-only system returns
those quotes with a stance per target and the scorer aligns them to gold one to one.

A prediction record is the submission format of docs/design.md::

    {"id", "entities": [{"start","end","label"}],
     "quotes": [{"start","end","cue": {"start","end"}|null,"speaker": {"start","end"}|null,
                 "stance": [{"target","label"}]}]}
"""
from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from corpus.errors import InvalidData, Problem
from corpus.jsonl import content_hash
from corpus.model import Document, Target
from corpus.schema import ENTITY_NAMES, STANCE_LABELS


class Mode(enum.Enum):
    FULL = "full"  # predict everything from text and targets
    STANCE = "stance"  # stance given gold quotes: the view carries gold quote offsets

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class DocumentView:
    """All a system may see of a document."""

    id: str
    text: str
    targets: tuple[Target, ...] = ()
    given_quotes: tuple[tuple[int, int], ...] | None = None  # only in Mode.STANCE

    def to_dict(self) -> dict:
        """The documents JSONL line an external system reads."""
        out: dict[str, Any] = {"id": self.id, "text": self.text,
                               "targets": [{"id": t.id, "text": t.text} for t in self.targets]}
        if self.given_quotes is not None:
            out["quotes"] = [{"start": s, "end": e} for s, e in self.given_quotes]
        return out


def view(doc: Document, mode: Mode = Mode.FULL) -> DocumentView:
    """What a system may see of ``doc`` in ``mode``."""
    given = tuple((q.span.start, q.span.end) for q in doc.quotes) if mode is Mode.STANCE else None
    return DocumentView(doc.id, doc.text, doc.targets, given)


@runtime_checkable
class System(Protocol):
    name: str
    version: str

    def predict(self, doc: DocumentView) -> dict:
        """The prediction record of one document."""


@runtime_checkable
class Trainable(System, Protocol):
    def fit(self, train: list[Document]) -> None: ...
    def save(self, directory: str) -> None: ...
    def load(self, directory: str) -> None: ...


def training_hash(train: Iterable[Document]) -> str:
    """What a saved model was fitted on: the content hash of the training documents."""
    return content_hash(train)


# ---- building and checking prediction records ---------------------------------------------------------

def record(doc_id: str, entities: Iterable[tuple[int, int, str]] = (), quotes: Iterable[dict] = ()) -> dict:
    """A prediction record; entities as (start, end, label), sorted and de-duplicated."""
    return {"id": doc_id,
            "entities": [{"start": s, "end": e, "label": lab} for s, e, lab in sorted(set(entities))],
            "quotes": sorted(quotes, key=lambda q: (q["start"], q["end"]))}


def quote(start: int, end: int, cue: tuple[int, int] | None = None, speaker: tuple[int, int] | None = None,
          stance: Iterable[tuple[str, str]] = ()) -> dict:
    return {"start": start, "end": end,
            "cue": {"start": cue[0], "end": cue[1]} if cue else None,
            "speaker": {"start": speaker[0], "end": speaker[1]} if speaker else None,
            "stance": [{"target": t, "label": lab} for t, lab in stance]}


def check_record(doc: DocumentView, rec: Any, where: str) -> None:
    """Raise ``InvalidData`` (at ``where``) unless ``rec`` is a well-formed prediction for ``doc``.

    The structural check a system's output must pass before it is written; the scorer's submission
    validation stays the authority on a whole file.
    """
    problems = list(_record_problems(doc, rec))
    if problems:
        raise InvalidData([Problem(where, f, m, fix) for f, m, fix in problems])


def _record_problems(doc: DocumentView, rec: Any) -> Iterator[tuple[str, str, str]]:
    if not isinstance(rec, dict):
        yield "", f"a prediction is a JSON object, got {type(rec).__name__}", "write one object per line"
        return
    extra = sorted(set(rec) - {"id", "entities", "quotes"})
    if extra:
        yield ", ".join(extra), "unknown field(s)", "a prediction has only id, entities, quotes"
    if rec.get("id") != doc.id:
        yield "id", f"is {rec.get('id')!r}, expected {doc.id!r}", "give the id of the document predicted"
    n = len(doc.text)
    for i, ent in enumerate(_list(rec, "entities")):
        yield from _span_problems(ent, f"entities[{i}]", n, ("start", "end", "label"))
        if isinstance(ent, dict) and ent.get("label") not in ENTITY_NAMES:
            yield f"entities[{i}].label", f"{ent.get('label')!r} is not an entity label", \
                f"use one of {', '.join(ENTITY_NAMES)}"
    targets = {t.id for t in doc.targets}
    for i, q in enumerate(_list(rec, "quotes")):
        yield from _span_problems(q, f"quotes[{i}]", n, ("start", "end", "cue", "speaker", "stance"))
        if not isinstance(q, dict):
            continue
        for part in ("cue", "speaker"):
            if q.get(part) is not None:
                yield from _span_problems(q[part], f"quotes[{i}].{part}", n, ("start", "end"))
        stance = q.get("stance", [])
        if not isinstance(stance, list):
            yield f"quotes[{i}].stance", "must be a list", "give [{\"target\", \"label\"}, ...]"
            continue
        given: set[str] = set()
        for j, st in enumerate(stance):
            f = f"quotes[{i}].stance[{j}]"
            if not isinstance(st, dict) or set(st) != {"target", "label"}:
                yield f, f"must be {{\"target\", \"label\"}}, got {st!r}", "give target id and label"
            elif st["target"] in given:
                yield f + ".target", f"{st['target']!r} has two stances in this quote", "give one per target"
            elif st["target"] not in targets:
                yield f + ".target", f"{st['target']!r} is not a target of the document", \
                    f"use one of {sorted(targets)}"
            elif st["label"] not in STANCE_LABELS:
                yield f + ".label", f"{st['label']!r} is not a stance", f"use one of {', '.join(STANCE_LABELS)}"
            if isinstance(st, dict) and isinstance(st.get("target"), str):
                given.add(st["target"])


def _list(rec: dict, name: str) -> list:
    value = rec.get(name, [])
    return value if isinstance(value, list) else []


def _span_problems(obj: Any, f: str, n: int, keys: tuple[str, ...]) -> Iterator[tuple[str, str, str]]:
    if not isinstance(obj, dict):
        yield f, f"must be an object, got {obj!r}", "give {\"start\", \"end\", ...}"
        return
    extra = sorted(set(obj) - set(keys))
    if extra:
        yield f, f"unknown field(s) {', '.join(extra)}", f"allowed: {', '.join(keys)}"
    s, e = obj.get("start"), obj.get("end")
    if not (type(s) is int and type(e) is int and 0 <= s < e <= n):
        yield f, f"[{s!r}, {e!r}) is not a non-empty span of the text ({n} code points)", \
            "offsets are half-open code-point offsets: 0 <= start < end <= len(text)"
