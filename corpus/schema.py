"""Annotation scheme v1: the one source of every label list.

The Label Studio config, the dataset's ClassLabels and the scorer's label set are all derived from the
tuples below; no other module lists labels.
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Iterable, Iterator

SCHEME_VERSION = "1.0.0"


@dataclass(frozen=True, slots=True)
class Label:
    name: str
    description: str
    colour: str  # for the annotation UI


ENTITY_LABELS: tuple[Label, ...] = (
    Label("PER", "person: a named individual (مصطفى الكاظمي)", "#e6194b"),
    Label("ORG", "organisation: institutions, companies, parties, armed groups (مجلس الأمن)", "#3cb44b"),
    Label("GPE", "geo-political entity: countries, cities, states (العراق، بغداد)", "#4363d8"),
    Label("LOC", "non-political place: regions, seas, mountains (الخليج)", "#f58231"),
    Label("NORP", "nationality, religious or political group (العراقي، الأميركية، الكردية)", "#911eb4"),
    Label("FAC", "facility: buildings, airports, bridges (مطار بغداد)", "#42d4f4"),
    Label("EVENT", "named event (الحوار الاستراتيجي)", "#f032e6"),
    Label("DATE", "date or period (الأربعاء، عام 2020)", "#9a6324"),
)
SOURCE = Label("SOURCE", "anonymous or nominal source of a quotation (مصدر أمني مسؤول)", "#808000")
QUOTE = Label("QUOTE", "the content of a quotation", "#ffe119")
CUE = Label("CUE", "the reporting word of a quotation (قال، أكد، أضاف)", "#000075")

ENTITY_NAMES: tuple[str, ...] = tuple(label.name for label in ENTITY_LABELS)
SPEAKER_ENTITY_NAMES: tuple[str, ...] = ("PER", "ORG", "GPE", "NORP")
SPAN_LABELS: tuple[Label, ...] = ENTITY_LABELS + (SOURCE, QUOTE, CUE)

QUOTE_KINDS: tuple[str, ...] = ("direct", "indirect", "mixed")
STANCE_LABELS: tuple[str, ...] = ("favor", "against", "neutral")
POLAR_STANCES: tuple[str, ...] = ("favor", "against")  # the classes SemEval-2016 F_avg averages
RELATION_LABELS: tuple[str, ...] = ("speaker", "cue")

# How the annotation UI shows the choices (Arabic first, the stored value after it).
QUOTE_KIND_DISPLAY: dict[str, str] = {"direct": "مباشر", "indirect": "غير مباشر", "mixed": "مختلط"}
STANCE_DISPLAY: dict[str, str] = {"favor": "تأييد", "against": "معارضة", "neutral": "محايد"}
# Stance slots per quotation in the annotation UI: a document may have at most this many targets.
STANCE_SLOTS = 3


def check_label(value: object, allowed: tuple[str, ...]) -> str | None:
    """None when ``value`` is one of ``allowed``, else a message naming the allowed values."""
    if isinstance(value, str) and value in allowed:
        return None
    return f"{value!r} is not one of {', '.join(allowed)}"


# An external corpus (ANERcorp, NewsFANE) brings its own entity labels; inside this context documents
# accept those labels instead of the scheme's.  Nothing else changes: SOURCE, quotes and stance stay as is.
_EXTERNAL_ENTITY_NAMES: ContextVar[tuple[str, ...] | None] = ContextVar("external_entity_names", default=None)


@contextmanager
def external_entity_labels(names: Iterable[str]) -> Iterator[tuple[str, ...]]:
    """Within the block, entity labels are ``names`` (an external corpus's label set), not the scheme's."""
    labels = tuple(names)
    if not labels or any(not isinstance(n, str) or not n or n == SOURCE.name for n in labels):
        raise ValueError(f"external entity labels must be non-empty names other than SOURCE, got {labels!r}")
    token = _EXTERNAL_ENTITY_NAMES.set(labels)
    try:
        yield labels
    finally:
        _EXTERNAL_ENTITY_NAMES.reset(token)


def entity_names() -> tuple[str, ...]:
    """The entity labels in force: the scheme's, or an external corpus's inside ``external_entity_labels``."""
    return _EXTERNAL_ENTITY_NAMES.get() or ENTITY_NAMES
