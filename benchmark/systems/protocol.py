"""The system protocol: what a system sees (a ``DocumentView``) and what it returns (prediction records).

A system sees a document's id, text and stance targets — never its annotations.  ``view`` is the only way
the runner makes what a system sees, and a ``DocumentView`` has no field that could hold gold: the
protection is by construction, not by convention.

In the *stance given gold quotes* mode (``Mode.STANCE``) the view also carries the gold quotations'
content offsets (start, end only: no kind, cue, speaker or stance), so that a stance-only system returns
those quotes with a stance per target and the scorer aligns them to gold one to one.

A prediction record is the submission format of docs/benchmark.md::

    {"id", "entities": [{"start","end","label"}],
     "quotes": [{"start","end","cue": {"start","end"}|null,"speaker": {"start","end"}|null,
                 "stance": [{"target","label"}]}]}
"""
from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from aqwal.corpus.errors import InvalidData
from aqwal.corpus.jsonl import content_hash
from aqwal.corpus.model import Document, Target
from aqwal.corpus.schema import ENTITY_NAMES


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
    """Raise ``InvalidData`` (at ``where``) unless ``rec`` is a valid prediction for ``doc``: the same checks
    a submission's lines get (aqwal.benchmark.submission), with the scheme's entity labels."""
    from aqwal.benchmark.submission import record_problems
    problems = record_problems(rec, doc, ENTITY_NAMES, where)
    if problems:
        raise InvalidData(problems)
