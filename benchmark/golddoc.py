"""A gold document as the scorer reads it: one line of the documents JSONL format, typed while it is parsed.

``msgspec`` decodes a line straight into these records and checks the types as it goes (an offset that is
not an integer, an unknown field, a missing ``id`` or ``text`` fail the decode); ``problems`` then checks
what types cannot say: offsets inside the text, span texts equal to the text at their offsets, speaker and
stance references, unique ids.  Only ``id`` and ``text`` are required, and in each layer what scoring reads
(an entity's ``start``, ``end`` and ``label``; a quotation's ``start`` and ``end``): an external gold needs
no ``source``, ``license`` or ``sha256``.  Those fields, when present, are carried for the content hash and
not checked here: the dataset's own documents are checked in full where they are built
(``aqwal.corpus.model.Document``).

Fields are declared in the order of ``Document.to_dict``, so ``canonical_blocks`` gives a dataset document the
bytes ``aqwal.corpus.jsonl.dumps(doc.to_dict())`` gives it, and the content hash does not depend on the
reader.  A layer absent from a record is the empty tuple ``ABSENT``, told apart from ``[]`` by identity.
"""
from __future__ import annotations

import re
import typing
from collections.abc import Iterator

import msgspec
from msgspec import Struct

from aqwal.corpus.errors import InvalidData, Problem
from aqwal.corpus.model import Document
from aqwal.corpus.schema import QUOTE_KINDS, SOURCE, SPEAKER_ENTITY_NAMES, STANCE_LABELS
from aqwal.corpus.spans import Span

LAYERS = ("targets", "entities", "sources", "quotes")
SCORED_LAYERS = ("entities", "quotes")  # what the tasks are scored on (stance lives on the quotations)
_RECORD = {"forbid_unknown_fields": True, "kw_only": True, "frozen": True, "gc": False}


class _Absent(tuple):
    """The value of a layer a record does not carry: empty, and told apart from ``[]`` by identity."""


ABSENT = _Absent()


class Target(Struct, **_RECORD):
    id: str
    text: str


class Entity(Struct, **_RECORD):
    id: str | None = None
    start: int
    end: int
    label: str
    text: str | None = None


class SourceSpan(Struct, **_RECORD):
    id: str | None = None
    start: int
    end: int
    label: str = SOURCE.name
    text: str | None = None


class Cue(Struct, **_RECORD):
    start: int
    end: int
    text: str | None = None


class StanceLabel(Struct, **_RECORD):
    target: str
    label: str


class Quote(Struct, **_RECORD):
    id: str | None = None
    start: int
    end: int
    text: str | None = None
    kind: str | None = None
    cue: Cue | None = None
    speaker: str | None = None
    stance: tuple[StanceLabel, ...] = ()


class Annotation(Struct, **_RECORD):
    annotator: str
    kind: str
    created_at: str | None = None
    pre_annotation: str | None = None
    reviewed_by: tuple[str, ...] = ()
    scheme: str | None = None
    round: int | msgspec.UnsetType = msgspec.UNSET  # written only when set, as Document.to_dict does


class GoldDocument(Struct, **_RECORD):
    id: str
    title: str | None = None
    text: str
    source: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    author: str | None = None
    category: str | None = None
    provenance: str | None = None
    license: str | None = None
    sha256: str | None = None
    targets: tuple[Target, ...] = ABSENT
    entities: tuple[Entity, ...] = ABSENT
    sources: tuple[SourceSpan, ...] = ABSENT
    quotes: tuple[Quote, ...] = ABSENT
    annotations: tuple[Annotation, ...] = ()

    def mention(self, mention_id: str) -> Entity | SourceSpan:
        """The entity or SOURCE span with this id (a quotation's speaker)."""
        for m in self.entities:
            if m.id == mention_id:
                return m
        for m in self.sources:
            if m.id == mention_id:
                return m
        raise KeyError(mention_id)


DECODER = msgspec.json.Decoder(GoldDocument)
_ENCODER = msgspec.json.Encoder()


def carried(docs: list[GoldDocument], layers=SCORED_LAYERS) -> frozenset[str]:
    """The layers some document carries (``[]`` included)."""
    return frozenset(name for name in layers if any(getattr(d, name) is not ABSENT for d in docs))


def canonical_blocks(docs: list[GoldDocument], size: int = 8192) -> Iterator[bytes]:
    """The canonical JSON lines of ``docs`` (what the content hash is taken over), ``size`` lines a block."""
    for lo in range(0, len(docs), size):
        yield _ENCODER.encode_lines(docs[lo:lo + size])


def from_document(doc: Document) -> GoldDocument:
    """A dataset document as the scorer reads it."""
    return msgspec.convert(doc.to_dict(), GoldDocument)


def _span_problem(text: str, start: int, end: int, surface: str | None) -> str | None:
    """None for a span inside ``text`` (with ``surface`` there, when given), else the one span type's message.
    Without a surface only the offsets can be wrong: a stand-in of the span's length is checked."""
    if 0 <= start < end <= len(text) and (surface is None or text[start:end] == surface):
        return None
    try:
        span = Span(start, end, "\0" * max(end - start, 0) if surface is None else surface)
    except InvalidData as err:
        return err.problems[0].message
    return span.check_against(text)


def suspects(docs: list[GoldDocument]) -> list[int]:
    """Indices of the documents a quick check does not pass (entities only, inside the text, with their
    text, ids used once); ``problems`` says what, if anything, is wrong with them."""
    out = []
    for k, doc in enumerate(docs):
        text = doc.text
        if not (doc.id and text) or doc.sources or doc.quotes:
            out.append(k)
            continue
        ids = set()
        for e in doc.entities:
            start, end = e.start, e.end
            if not 0 <= start < end <= len(text) or (e.text is not None and text[start:end] != e.text) \
                    or e.id in ids:
                out.append(k)
                break
            if e.id is not None:
                ids.add(e.id)
    return out


def problems(doc: GoldDocument) -> Iterator[Problem]:
    if not doc.id:
        yield Problem("", "id", "is empty", "give every document an id")
    text = doc.text
    if not text:
        yield Problem("", "text", "is empty", "give the document's text")
        return
    fix = "offsets are half-open [start, end) in code points of the text"
    ids: dict[str, str] = {}
    for name in ("entities", "sources", "quotes"):
        for i, item in enumerate(getattr(doc, name)):
            if (msg := _span_problem(text, item.start, item.end, item.text)) is not None:
                yield Problem("", f"{name}[{i}]", msg, fix)
            if item.id is not None:
                if item.id in ids:
                    yield Problem("", f"{name}[{i}].id", f"{item.id!r} is already used by {ids[item.id]}",
                                  "give every entity, source and quotation of a document its own id")
                ids.setdefault(item.id, f"{name}[{i}]")
    for i, m in enumerate(doc.sources):
        if m.label != SOURCE.name:
            yield Problem("", f"sources[{i}].label", f"{m.label!r} in sources", "sources are SOURCE spans")
    if doc.quotes:
        yield from _quote_problems(doc, ids, fix)


def _quote_problems(doc: GoldDocument, ids: dict[str, str], fix: str) -> Iterator[Problem]:
    target_ids = [t.id for t in doc.targets]
    if len(set(target_ids)) != len(target_ids):
        yield Problem("", "targets", f"duplicate target ids in {target_ids}", "give each target once")
    speakers = {m.id for m in doc.sources} | {m.id for m in doc.entities if m.label in SPEAKER_ENTITY_NAMES}
    for i, q in enumerate(doc.quotes):
        if q.kind is not None and q.kind not in QUOTE_KINDS:
            yield Problem("", f"quotes[{i}].kind", f"{q.kind!r} is not one of {', '.join(QUOTE_KINDS)}",
                          "a quotation is direct, indirect or mixed")
        if q.cue is not None and (msg := _span_problem(doc.text, q.cue.start, q.cue.end, q.cue.text)):
            yield Problem("", f"quotes[{i}].cue", msg, fix)
        if q.speaker is not None and q.speaker not in speakers:
            what = "is not a PER/ORG/GPE/NORP entity or a SOURCE" if q.speaker in ids else "does not exist"
            yield Problem("", f"quotes[{i}].speaker", f"{q.speaker!r} {what}",
                          "link the quotation to a speaker mention of this document (its id)")
        seen: set[str] = set()
        for j, st in enumerate(q.stance):
            field = f"quotes[{i}].stance[{j}]"
            if st.target not in target_ids:
                yield Problem("", f"{field}.target", f"{st.target!r} is not a target of this document",
                              f"use one of {target_ids}")
            elif st.target in seen:
                yield Problem("", f"{field}.target", f"target {st.target!r} has two stances",
                              "give one stance per target")
            seen.add(st.target)
            if st.label not in STANCE_LABELS:
                yield Problem("", f"{field}.label", f"{st.label!r} is not one of {', '.join(STANCE_LABELS)}",
                              "stance is favor, against or neutral")


_AT = re.compile(r"^(?P<message>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)
_FIELD = re.compile(r"^Object (?P<what>missing required|contains unknown) field `(?P<name>[^`]+)`$")


def decode_problem(err: msgspec.ValidationError) -> Problem:
    """A decoding error as a Problem naming the field (``where`` left empty)."""
    m = _AT.match(str(err))
    message, path = m["message"], (m["path"] or "").lstrip(".")
    field = _FIELD.match(message)
    if field is None:
        return Problem("", path, message.replace("`", ""), "see the documents format (docs/benchmark.md)")
    name = f"{path}.{field['name']}" if path else field["name"]
    if field["what"] == "missing required":
        need = "an external gold needs id and text, and in each layer what is scored" if not path else \
            f"give {field['name']}"
        return Problem("", name, "is missing", need)
    allowed = ", ".join(_record_at(path).__struct_fields__)
    return Problem("", name, "unknown field", f"allowed here: {allowed}")


def _record_at(path: str) -> type[Struct]:
    """The record type at a decoding path such as ``quotes[0].cue``."""
    record: type = GoldDocument
    for part in filter(None, re.split(r"\[\d+\]|\.", path)):
        hint = typing.get_type_hints(record)[part]
        record = next(t for t in _leaves(hint) if isinstance(t, type) and issubclass(t, Struct))
    return record


def _leaves(hint) -> Iterator:
    args = typing.get_args(hint)
    if not args:
        yield hint
    for a in args:
        yield from _leaves(a)
