"""The document model: frozen records, each validated when it is made.

A ``Document`` holds the stored text and every annotation on it.  Each part checks its own fields at
creation; the document checks that spans match its text and that references (speaker, stance target)
resolve.  ``Document.from_dict`` reads the documents JSONL format of the design and reports every
problem of a record at once.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Callable

from aqwal.corpus.errors import InvalidData, Problem
from aqwal.corpus.licenses import LICENCES
from aqwal.corpus.schema import QUOTE_KINDS, SOURCE, SPEAKER_ENTITY_NAMES, STANCE_LABELS, check_label, entity_names
from aqwal.corpus.spans import Span

ANNOTATOR_KINDS = ("human", "system", "adjudication")
AGREED = "agreement"  # the adjudicator of a document whose annotators agreed on everything (nobody decided)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sha256_file(path) -> str:
    """The sha256 of a file's bytes, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fail(field_name: str, message: str, fix: str) -> InvalidData:
    return InvalidData(Problem("", field_name, message, fix))


def _need_str(value: object, field_name: str, *, empty_ok: bool = False) -> None:
    if not isinstance(value, str) or (not empty_ok and not value):
        raise _fail(field_name, f"must be a non-empty string, got {value!r}", f"give {field_name} as text")


@dataclass(frozen=True, slots=True)
class Target:
    """A stance target: a short phrase with an id from the corpus-level inventory."""

    id: str
    text: str

    def __post_init__(self) -> None:
        _need_str(self.id, "id")
        _need_str(self.text, "text")


@dataclass(frozen=True, slots=True)
class Mention:
    """A labelled span: a named entity, or (label SOURCE) an anonymous or nominal source."""

    id: str
    span: Span
    label: str

    def __post_init__(self) -> None:
        _need_str(self.id, "id")
        if (msg := check_label(self.label, entity_names() + (SOURCE.name,))) is not None:
            raise _fail("label", msg, "use a label of the scheme (corpus/schema.py)")


@dataclass(frozen=True, slots=True)
class Stance:
    target: str
    label: str

    def __post_init__(self) -> None:
        _need_str(self.target, "target")
        if (msg := check_label(self.label, STANCE_LABELS)) is not None:
            raise _fail("label", msg, "stance is favor, against or neutral")


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation: its content span, kind, cue span, speaker (a mention id) and stance per target."""

    id: str
    span: Span
    kind: str
    cue: Span | None
    speaker: str | None
    stance: tuple[Stance, ...] = ()

    def __post_init__(self) -> None:
        _need_str(self.id, "id")
        if (msg := check_label(self.kind, QUOTE_KINDS)) is not None:
            raise _fail("kind", msg, "a quotation is direct, indirect or mixed")
        if self.speaker is not None:
            _need_str(self.speaker, "speaker")
        seen: set[str] = set()
        for i, st in enumerate(self.stance):
            if st.target in seen:
                raise _fail(f"stance[{i}].target", f"target {st.target!r} has two stances",
                            "give one stance per target")
            seen.add(st.target)


@dataclass(frozen=True, slots=True)
class AnnotationInfo:
    """Who or what made a document's annotations, from what, and who checked them."""

    annotator: str  # a person's id, a system's "name@version", or the adjudicator's id
    kind: str  # human | system | adjudication
    created_at: str | None = None  # ISO 8601
    pre_annotation: str | None = None  # "system@version" the annotator started from, if any
    reviewed_by: tuple[str, ...] = ()
    scheme: str | None = None  # the annotation scheme version (aqwal.corpus.schema.SCHEME_VERSION) it was made under
    round: int | None = None  # the annotation round (1, 2, ...) when the document went through several

    def __post_init__(self) -> None:
        _need_str(self.annotator, "annotator")
        if self.round is not None and (not isinstance(self.round, int) or isinstance(self.round, bool)
                                       or self.round < 1):
            raise _fail("round", f"must be a positive integer, got {self.round!r}", "number rounds 1, 2, ...")
        if (msg := check_label(self.kind, ANNOTATOR_KINDS)) is not None:
            raise _fail("kind", msg, "kind is human, system or adjudication")


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    text: str
    sha256: str
    source: str  # corpus source: seed | wikinews | saudinewsnet | an external corpus name
    license: str  # a key of aqwal.corpus.licenses.LICENCES
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date
    author: str | None = None
    category: str | None = None
    provenance: str | None = None  # the upstream file and record this text came from
    targets: tuple[Target, ...] = ()
    entities: tuple[Mention, ...] = ()
    sources: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    annotations: tuple[AnnotationInfo, ...] = ()
    _index: dict = field(default=None, init=False, repr=False, compare=False)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        problems = list(self._problems())
        if problems:
            where = f"document {self.id!r}" if isinstance(self.id, str) else "document"
            raise InvalidData([Problem(where, p.field, p.message, p.fix) for p in problems])
        mentions = {m.id: m for m in self.entities + self.sources}
        object.__setattr__(self, "_index", mentions)

    @classmethod
    def create(cls, *, id: str, text: str, **fields: Any) -> "Document":
        """A document whose content hash is computed from ``text``."""
        return cls(id=id, text=text, sha256=sha256_text(text), **fields)

    def mention(self, mention_id: str) -> Mention:
        return self._index[mention_id]

    def _problems(self):
        if not isinstance(self.id, str) or not self.id:
            yield Problem("", "id", f"must be a non-empty string, got {self.id!r}", "give every document an id")
        if not isinstance(self.text, str) or not self.text:
            yield Problem("", "text", "is empty or not a string", "give the document's text")
            return
        if self.sha256 != sha256_text(self.text):
            yield Problem("", "sha256", "does not match the sha256 of the text",
                          "the stored text must never change after annotation; restore it or re-hash a new "
                          "document")
        if self.license not in LICENCES:
            yield Problem("", "license", f"{self.license!r} is unknown",
                          f"use one of {', '.join(LICENCES)} (corpus/licenses.py)")
        ids: dict[str, str] = {}
        for name, items in (("entities", self.entities), ("sources", self.sources), ("quotes", self.quotes)):
            for i, item in enumerate(items):
                if item.id in ids:
                    yield Problem("", f"{name}[{i}].id", f"{item.id!r} is already used by {ids[item.id]}",
                                  "give every entity, source and quotation of a document its own id")
                ids.setdefault(item.id, f"{name}[{i}]")
                if (msg := item.span.check_against(self.text)) is not None:
                    yield Problem("", f"{name}[{i}]", msg, "offsets are code points of the stored text")
        for i, m in enumerate(self.sources):
            if m.label != SOURCE.name:
                yield Problem("", f"sources[{i}].label", f"{m.label!r} in sources", "sources are SOURCE spans")
        for i, m in enumerate(self.entities):
            if m.label == SOURCE.name:
                yield Problem("", f"entities[{i}].label", "SOURCE in entities", "put SOURCE spans under sources")
        target_ids = [t.id for t in self.targets]
        if len(set(target_ids)) != len(target_ids):
            yield Problem("", "targets", f"duplicate target ids in {target_ids}", "give each target once")
        speakers = {m.id for m in self.sources} | {m.id for m in self.entities if m.label in SPEAKER_ENTITY_NAMES}
        for i, q in enumerate(self.quotes):
            if q.cue is not None and (msg := q.cue.check_against(self.text)) is not None:
                yield Problem("", f"quotes[{i}].cue", msg, "offsets are code points of the stored text")
            if q.speaker is not None and q.speaker not in speakers:
                what = "is not a PER/ORG/GPE/NORP entity or a SOURCE" if q.speaker in ids else "does not exist"
                yield Problem("", f"quotes[{i}].speaker", f"{q.speaker!r} {what}",
                              "link the quotation to a speaker mention of this document")
            for j, st in enumerate(q.stance):
                if st.target not in target_ids:
                    yield Problem("", f"quotes[{i}].stance[{j}].target", f"{st.target!r} is not a target of "
                                  "this document", f"use one of {target_ids}")

    # ---- the documents JSONL format -------------------------------------------------------------
    def to_dict(self) -> dict:
        out: dict[str, Any] = {"id": self.id, "title": self.title, "text": self.text, "source": self.source,
                               "outlet": self.outlet, "url": self.url, "published": self.published,
                               "author": self.author, "category": self.category, "provenance": self.provenance,
                               "license": self.license,
                               "sha256": self.sha256,
                               "targets": [{"id": t.id, "text": t.text} for t in self.targets],
                               "entities": [_mention_dict(m) for m in self.entities],
                               "sources": [_mention_dict(m) for m in self.sources],
                               "quotes": [_quote_dict(q) for q in self.quotes],
                               "annotations": [_info_dict(a) for a in self.annotations]}
        return out

    @classmethod
    def from_dict(cls, record: Any) -> "Document":
        """Build from a JSON object; raises ``InvalidData`` listing every problem of the record."""
        if not isinstance(record, dict):
            raise _fail("", f"a document is a JSON object, got {type(record).__name__}",
                        "write one JSON object per line")
        problems: list[Problem] = []
        unknown = sorted(set(record) - _DOC_FIELDS)
        if unknown:
            problems.append(Problem("", ", ".join(unknown), "unknown field(s)",
                                    f"a document has only {', '.join(sorted(_DOC_FIELDS))}"))
        for name in ("id", "text", "sha256", "source", "license"):
            if name not in record:
                problems.append(Problem("", name, "is missing", f"every document needs {name}"))
        parts = {name: _build_list(record, name, builder, problems) for name, builder in _PARTS.items()}
        if problems:
            raise InvalidData([Problem(_doc_where(record), p.field, p.message, p.fix) for p in problems])
        scalars = {k: record.get(k) for k in _SCALARS}
        return cls(**scalars, **parts)


_SCALARS = ("id", "text", "sha256", "source", "license", "title", "outlet", "url", "published", "author",
            "category", "provenance")
METADATA_FIELDS = _SCALARS[3:]  # what a document says about its text, besides id, text and hash


def _doc_where(record: dict) -> str:
    return f"document {record['id']!r}" if isinstance(record.get("id"), str) else "document"


def _mention_dict(m: Mention) -> dict:
    return {"id": m.id, "start": m.span.start, "end": m.span.end, "label": m.label, "text": m.span.text}


def _quote_dict(q: Quote) -> dict:
    return {"id": q.id, "start": q.span.start, "end": q.span.end, "text": q.span.text, "kind": q.kind,
            "cue": q.cue.to_dict() if q.cue else None, "speaker": q.speaker,
            "stance": [{"target": s.target, "label": s.label} for s in q.stance]}


def _info_dict(a: AnnotationInfo) -> dict:
    out = {"annotator": a.annotator, "kind": a.kind, "created_at": a.created_at,
           "pre_annotation": a.pre_annotation, "reviewed_by": list(a.reviewed_by), "scheme": a.scheme}
    if a.round is not None:
        out["round"] = a.round
    return out


def _fields(obj: Any, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
    if not isinstance(obj, dict):
        raise _fail("", f"must be a JSON object, got {type(obj).__name__}", "see the documents format")
    missing = [k for k in required if k not in obj]
    if missing:
        raise _fail(", ".join(missing), "is missing", f"give {', '.join(required)}")
    unknown = sorted(set(obj) - set(required) - set(optional))
    if unknown:
        raise _fail(", ".join(unknown), "unknown field(s)", f"allowed: {', '.join(required + optional)}")
    return obj


def span_from(obj: Any) -> Span:
    o = _fields(obj, ("start", "end", "text"))
    return Span(o["start"], o["end"], o["text"])


def _mention(obj: Any) -> Mention:
    o = _fields(obj, ("id", "start", "end", "label", "text"))
    return Mention(o["id"], Span(o["start"], o["end"], o["text"]), o["label"])


def _source(obj: Any) -> Mention:
    o = _fields(obj, ("id", "start", "end", "text"), ("label",))
    return Mention(o["id"], Span(o["start"], o["end"], o["text"]), o.get("label", SOURCE.name))


def _quote(obj: Any) -> Quote:
    o = _fields(obj, ("id", "start", "end", "text", "kind"), ("cue", "speaker", "stance"))
    stance = o.get("stance") or []
    if not isinstance(stance, list):
        raise _fail("stance", "must be a list", "give [{\"target\", \"label\"}, ...]")
    stances = []
    for j, s in enumerate(stance):
        try:
            stances.append(Stance(**_fields(s, ("target", "label"))))
        except InvalidData as err:
            raise InvalidData([Problem("", _join(f"stance[{j}]", p.field), p.message, p.fix)
                               for p in err.problems]) from None
    cue = o.get("cue")
    return Quote(o["id"], Span(o["start"], o["end"], o["text"]), o["kind"],
                 span_from(cue) if cue is not None else None, o.get("speaker"), tuple(stances))


def _target(obj: Any) -> Target:
    return Target(**_fields(obj, ("id", "text")))


def _info(obj: Any) -> AnnotationInfo:
    o = _fields(obj, ("annotator", "kind"), ("created_at", "pre_annotation", "reviewed_by", "scheme", "round"))
    return AnnotationInfo(o["annotator"], o["kind"], o.get("created_at"), o.get("pre_annotation"),
                          tuple(o.get("reviewed_by") or ()), o.get("scheme"), o.get("round"))


_PARTS: dict[str, Callable[[Any], Any]] = {"targets": _target, "entities": _mention, "sources": _source,
                                           "quotes": _quote, "annotations": _info}
_DOC_FIELDS = set(_SCALARS) | set(_PARTS)


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if name else prefix


def _build_list(record: dict, name: str, builder: Callable[[Any], Any], problems: list[Problem]) -> tuple:
    items = record.get(name) or []
    if not isinstance(items, list):
        problems.append(Problem("", name, f"must be a list, got {type(items).__name__}", f"give {name} as [...]"))
        return ()
    built = []
    for i, item in enumerate(items):
        try:
            built.append(builder(item))
        except InvalidData as err:
            problems.extend(Problem("", _join(f"{name}[{i}]", p.field), p.message, p.fix) for p in err.problems)
        except TypeError as err:  # a wrongly typed value reaching a dataclass
            problems.append(Problem("", f"{name}[{i}]", str(err), "see the documents format"))
    return tuple(built)
