"""The submission format, read and validated in one streamed pass.

A submission is JSONL, one object per document of the split, keyed by ``id``::

    {"system": {"name": "my-ner", "version": "0.3", "tasks": ["entities"]}}      <- optional first line
    {"id": "wn-001", "entities": [{"start": 0, "end": 5, "label": "PER"}],
     "quotes": [{"start": 20, "end": 41, "cue": {"start": 14, "end": 17} | null,
                 "speaker": {"start": 0, "end": 5} | null,
                 "stance": [{"target": "t-foreign-troops", "label": "against"}]}]}

Spans may also carry ``text``; when they do it must equal the document text at the offsets (a cheap check
that offsets count code points).  A quote may carry ``kind`` (scored as kind accuracy on matched quotations).  The tasks a submission covers
are the keys its records carry (``entities``, ``quotes``, and ``stance`` when quotes carry it); every record
carries the same keys.  The optional header names the system (else the file name is its name) and may
narrow the tasks, e.g. ``["stance"]`` for stance predicted on the gold quotations.

Every mistake is collected (up to a limit) as a ``Problem`` naming file:line, document, field and fix.
A line is first decoded by a typed decoder into the record's shape and checked against its document in
one go; a line that fails anything there (or is the header) is read again by the checker that names every
problem, so both ways accept the same records and build the same predictions.
"""
from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec
from msgspec import UNSET, Struct, UnsetType

from aqwal.corpus.errors import InvalidData, Problem, shown
from aqwal.corpus.jsonl import check_input_file, iter_lines, iter_typed, loads_line
from aqwal.corpus.schema import QUOTE_KINDS, STANCE_LABELS

TASKS = ("entities", "quotes", "stance")
RECORD_FIELDS = ("id", "entities", "quotes")
ENTITY_FIELDS = ("start", "end", "label", "text")
QUOTE_FIELDS = ("start", "end", "cue", "speaker", "stance", "kind", "text")
SPAN_FIELDS = ("start", "end", "text")
HEADER_FIELDS = ("name", "version", "tasks", "description", "url")
MAX_PROBLEMS = 50


@dataclass(frozen=True, slots=True)
class QuotePred:
    start: int
    end: int
    cue: tuple[int, int] | None
    speaker: tuple[int, int] | None
    stance: tuple[tuple[str, str], ...]  # (target id, label)
    kind: str | None = None  # scored as kind agreement on matched quotations, when given


@dataclass(frozen=True, slots=True)
class Prediction:
    id: str
    entities: tuple[tuple[int, int, str], ...] = ()
    quotes: tuple[QuotePred, ...] = ()


@dataclass(frozen=True, slots=True)
class System:
    name: str
    version: str | None = None
    description: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Submission:
    path: str
    system: System
    tasks: tuple[str, ...]
    predictions: Mapping[str, Prediction]
    missing: tuple[str, ...] = field(default=())  # gold ids absent from the file (scored as empty)


class _SpanRecord(Struct, forbid_unknown_fields=True, gc=False):
    start: int
    end: int
    text: str | UnsetType = UNSET


class _EntityRecord(Struct, forbid_unknown_fields=True, gc=False):
    start: int
    end: int
    label: str
    text: str | UnsetType = UNSET


class _StanceRecord(Struct, forbid_unknown_fields=True, gc=False):
    target: str
    label: str


class _QuoteRecord(Struct, forbid_unknown_fields=True, gc=False):
    start: int
    end: int
    cue: _SpanRecord | None = None
    speaker: _SpanRecord | None = None
    stance: list[_StanceRecord] | UnsetType = UNSET
    kind: str | UnsetType = UNSET
    text: str | UnsetType = UNSET


class _Record(Struct, forbid_unknown_fields=True, gc=False):
    id: str
    entities: list[_EntityRecord] | UnsetType = UNSET
    quotes: list[_QuoteRecord] | UnsetType = UNSET


_ENTITIES, _QUOTES, _BOTH = ("entities",), ("quotes",), ("entities", "quotes")


class _FastReader:
    """The checks of ``_RecordChecker`` in one pass over a record ``decoder`` typed, for records with nothing
    wrong: ``read`` returns the prediction, the task fields and the tasks of a record, or None (check it
    again with ``_RecordChecker``)."""

    def __init__(self, gold: Mapping[str, Any], labels: tuple[str, ...]):
        self.gold, self.labels = gold, {label: label for label in labels}
        self.decoder = msgspec.json.Decoder(_Record)

    def read(self, record: _Record) -> tuple[Prediction, tuple[str, ...], tuple[str, ...]] | None:
        doc = self.gold.get(record.id)
        if doc is None:
            return None
        entities: tuple = ()
        if record.entities is not UNSET:
            text, labels, out = doc.text, self.labels, []
            for e in record.entities:
                start, end, label = e.start, e.end, labels.get(e.label)
                if not 0 <= start < end <= len(text) or label is None or \
                        (e.text is not UNSET and e.text != text[start:end]):
                    return None
                out.append((start, end, label))
            entities = tuple(out)
        if record.quotes is UNSET:
            if record.entities is UNSET:
                return None
            return Prediction(record.id, entities), _ENTITIES, _ENTITIES
        quotes = self.quotes(record.quotes, doc)
        if quotes is None:
            return None
        keys = _QUOTES if record.entities is UNSET else _BOTH
        tasks = (*keys, "stance") if any(q.stance is not UNSET for q in record.quotes) else keys
        return Prediction(record.id, entities, quotes), keys, tasks

    def quotes(self, records: list[_QuoteRecord], doc: Any) -> tuple[QuotePred, ...] | None:
        text, out = doc.text, []
        for q in records:
            if not _clean_span(q, text) or (q.kind is not UNSET and q.kind not in QUOTE_KINDS):
                return None
            if (q.cue is not None and not _clean_span(q.cue, text)) or \
                    (q.speaker is not None and not _clean_span(q.speaker, text)):
                return None
            stance: list[tuple[str, str]] = []
            if q.stance:
                targets = {t.id for t in doc.targets}
                for st in q.stance:
                    if st.target not in targets or st.label not in STANCE_LABELS or \
                            any(st.target == t for t, _ in stance):
                        return None
                    stance.append((st.target, st.label))
            cue = None if q.cue is None else (q.cue.start, q.cue.end)
            speaker = None if q.speaker is None else (q.speaker.start, q.speaker.end)
            out.append(QuotePred(q.start, q.end, cue, speaker, tuple(stance),
                                 None if q.kind is UNSET else q.kind))
        return tuple(out)


def _clean_span(span: _SpanRecord | _QuoteRecord, text: str) -> bool:
    start, end = span.start, span.end
    return 0 <= start < end <= len(text) and (span.text is UNSET or span.text == text[start:end])


class _Full(Exception):
    """Raised inside the line reader once the problem limit is reached, to stop reading."""


class _Collector:
    """Gathers problems; stops the read once ``limit`` is reached."""

    def __init__(self, limit: int):
        self.limit = limit
        self.problems: list[Problem] = []

    @property
    def full(self) -> bool:
        return len(self.problems) >= self.limit

    def add(self, where: str, field_name: str, message: str, fix: str) -> None:
        self.problems.append(Problem(where, field_name, message, fix))


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _type_name(value: object) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null",
            int: "an integer", float: "a number"}.get(type(value), type(value).__name__)


def _suggest(value: object, options) -> str:
    """`` (did you mean 'GPE'?)`` for a value close to one of ``options`` (case aside), else ``""``."""
    if not isinstance(value, str) or len(value) > 100:
        return ""
    options = [o for o in options if isinstance(o, str)]
    same = [o for o in options if o.casefold() == value.casefold()]
    by_fold = {o.casefold(): o for o in options}
    close = same or [by_fold[c] for c in difflib.get_close_matches(value.casefold(), list(by_fold), n=1)]
    return f" (did you mean {close[0]!r}?)" if close else ""


class _RecordChecker:
    """Checks one record against its gold document; returns the parsed prediction or None."""

    def __init__(self, out: _Collector, where: str, doc: Any, labels: tuple[str, ...]):
        self.out, self.where, self.doc, self.labels = out, where, doc, labels
        self.ok = True

    def bad(self, field_name: str, message: str, fix: str) -> None:
        self.ok = False
        self.out.add(self.where, field_name, message, fix)

    def fields(self, obj: Any, name: str, required: tuple[str, ...], allowed: tuple[str, ...]) -> bool:
        if not isinstance(obj, dict):
            self.bad(name, f"must be an object, got {_type_name(obj)}", f"give {{{', '.join(required)}}}")
            return False
        good = True
        for key in required:
            if key not in obj:
                self.bad(f"{name}.{key}" if name else key, "is missing", f"give {key}")
                good = False
        for key in sorted(set(obj) - set(allowed)):
            self.bad(f"{name}.{key}" if name else key, "unknown field" + _suggest(key, allowed),
                     f"allowed fields here: {', '.join(allowed)}")
            good = False
        return good

    def span(self, obj: dict, name: str) -> tuple[int, int] | None:
        start, end, n = obj.get("start"), obj.get("end"), len(self.doc.text)
        good = True
        for key, value in (("start", start), ("end", end)):
            if not _is_int(value):
                self.bad(f"{name}.{key}", f"must be an integer, got {_type_name(value)} {shown(value)}",
                         "offsets are integer code-point positions in the document text")
                good = False
            elif value < 0:
                self.bad(f"{name}.{key}", f"is negative ({value})", "offsets start at 0")
                good = False
        if not good:
            return None
        if end <= start:
            self.bad(f"{name}.end", f"span [{start}, {end}) is reversed or empty",
                     "offsets are half-open [start, end) with end > start")
            return None
        if end > n:
            self.bad(f"{name}.end", f"{end} is beyond the end of the text ({n} code points)",
                     "offsets count Unicode code points of the document text (not bytes or UTF-16 units)")
            return None
        if "text" in obj:
            found = self.doc.text[start:end]
            if not isinstance(obj["text"], str):
                self.bad(f"{name}.text", f"must be a string, got {_type_name(obj['text'])}",
                         "give the span's surface text or leave text out")
                return None
            if obj["text"] != found:
                self.bad(f"{name}.text", f"text[{start}:{end}] is {shown(found)}, not {shown(obj['text'])}",
                         "offsets count Unicode code points of the document text; or leave text out")
                return None
        return start, end

    def entities(self, items: Any) -> tuple[tuple[int, int, str], ...]:
        if not isinstance(items, list):
            self.bad("entities", f"must be a list, got {_type_name(items)}", "give [] or [{start, end, label}, ...]")
            return ()
        out = []
        for i, item in enumerate(items):
            name = f"entities[{i}]"
            if not self.fields(item, name, ("start", "end", "label"), ENTITY_FIELDS):
                continue
            span = self.span(item, name)
            label = item["label"]
            if label not in self.labels:
                self.bad(f"{name}.label", f"unknown label {shown(label)}{_suggest(label, self.labels)}",
                         f"use one of {', '.join(self.labels)}")
            elif span is not None:
                out.append((span[0], span[1], label))
        return tuple(out)

    def optional_span(self, obj: Any, name: str) -> tuple[int, int] | None:
        if obj is None:
            return None
        if not self.fields(obj, name, ("start", "end"), SPAN_FIELDS):
            return None
        return self.span(obj, name)

    def stance(self, items: Any, name: str) -> tuple[tuple[str, str], ...]:
        if not isinstance(items, list):
            self.bad(name, f"must be a list, got {_type_name(items)}", "give [{target, label}, ...]")
            return ()
        targets = [t.id for t in self.doc.targets]
        out, seen = [], set()
        for j, item in enumerate(items):
            sname = f"{name}[{j}]"
            if not self.fields(item, sname, ("target", "label"), ("target", "label")):
                continue
            target, label = item["target"], item["label"]
            good = True
            if target not in targets:
                hint = f"use one of {', '.join(targets)}" if targets else "this document has no stance targets"
                self.bad(f"{sname}.target", f"unknown target {shown(target)} for this document"
                         f"{_suggest(target, targets)}", hint)
                good = False
            elif target in seen:
                self.bad(f"{sname}.target", f"target {target!r} has two stances in one quotation",
                         "give one stance per target")
                good = False
            if label not in STANCE_LABELS:
                self.bad(f"{sname}.label", f"bad stance label {shown(label)}{_suggest(label, STANCE_LABELS)}",
                         f"use one of {', '.join(STANCE_LABELS)}")
                good = False
            if good:
                seen.add(target)
                out.append((target, label))
        return tuple(out)

    def quotes(self, items: Any) -> tuple[QuotePred, ...]:
        if not isinstance(items, list):
            self.bad("quotes", f"must be a list, got {_type_name(items)}",
                     "give [] or [{start, end, cue, speaker, stance}, ...]")
            return ()
        out = []
        for i, item in enumerate(items):
            name = f"quotes[{i}]"
            if not self.fields(item, name, ("start", "end"), QUOTE_FIELDS):
                continue
            span = self.span(item, name)
            cue = self.optional_span(item.get("cue"), f"{name}.cue")
            speaker = self.optional_span(item.get("speaker"), f"{name}.speaker")
            stance = self.stance(item.get("stance", []), f"{name}.stance")
            if "kind" in item and item["kind"] not in QUOTE_KINDS:
                self.bad(f"{name}.kind", f"{shown(item['kind'])} is not one of {', '.join(QUOTE_KINDS)}",
                         f"leave kind out or give one of {', '.join(QUOTE_KINDS)}")
            if span is not None:
                out.append(QuotePred(span[0], span[1], cue, speaker, stance,
                                     item.get("kind") if item.get("kind") in QUOTE_KINDS else None))
        return tuple(out)


def record_problems(record: Any, doc: Any, labels: tuple[str, ...], where: str) -> list[Problem]:
    """Every problem of one prediction record against its document (anything with ``id``, ``text`` and
    ``targets``): the checks a submission's lines get, for a system's output before it is written."""
    out = _Collector(limit=MAX_PROBLEMS)
    checker = _RecordChecker(out, where, doc, labels)
    checker.fields(record, "", ("id",), RECORD_FIELDS)
    if isinstance(record, dict):
        if "id" in record and record["id"] != doc.id:
            checker.bad("id", f"is {shown(record['id'])}, expected {doc.id!r}",
                        "give the id of the document predicted")
        if "entities" in record:
            checker.entities(record["entities"])
        if "quotes" in record:
            checker.quotes(record["quotes"])
    return out.problems


def _record_tasks(record: dict) -> tuple[str, ...]:
    tasks = [t for t in ("entities", "quotes") if t in record]
    quotes = record.get("quotes")
    if isinstance(quotes, list) and any(isinstance(q, dict) and "stance" in q for q in quotes):
        tasks.append("stance")
    return tuple(tasks)


def _header(record: dict, where: str, out: _Collector, stem: str) -> tuple[System, tuple[str, ...] | None]:
    system = record.get("system")
    extra = sorted(set(record) - {"system"})
    if extra:
        out.add(where, ", ".join(extra), "unknown field(s) in the header line",
                'the header line is {"system": {"name", "version", "tasks"?}} and nothing else')
    if not isinstance(system, dict):
        out.add(where, "system", f"must be an object, got {_type_name(system)}",
                'give {"system": {"name": "...", "version": "..."}}')
        return System(stem), None
    for key in sorted(set(system) - set(HEADER_FIELDS)):
        out.add(where, f"system.{key}", "unknown field" + _suggest(key, HEADER_FIELDS),
                f"allowed: {', '.join(HEADER_FIELDS)}")
    name = system.get("name", stem)
    if not isinstance(name, str) or not name.strip():
        out.add(where, "system.name", f"must be a non-empty string, got {shown(name)}", "name the system")
        name = stem
    strings = {}
    for key in ("version", "description", "url"):
        value = system.get(key)
        if value is not None and not isinstance(value, str):
            out.add(where, f"system.{key}", f"must be a string, got {_type_name(value)}",
                    f'give {key} as text, e.g. "1.0"')
            value = None
        strings[key] = value
    tasks = system.get("tasks")
    if tasks is not None:
        if not isinstance(tasks, list) or not tasks or any(t not in TASKS for t in tasks):
            out.add(where, "system.tasks", f"must be a non-empty list of {', '.join(TASKS)}, got "
                    f"{shown(tasks)}", "leave tasks out to score everything the records carry")
            tasks = None
        else:
            tasks = tuple(t for t in TASKS if t in tasks)
    return System(name, strings["version"], strings["description"], strings["url"]), tasks


class _Id(Struct, gc=False):
    id: Any = None


def _first_line(path: Path, doc_id: str) -> int:
    """The line of the first record with this id (read again: only a duplicate asks)."""
    decode = msgspec.json.Decoder(_Id).decode
    for line_no, line in iter_lines(path):
        try:
            if decode(line).id == doc_id:
                return line_no
        except (msgspec.ValidationError, msgspec.DecodeError):
            continue
    raise AssertionError(f"{doc_id!r} was read from {path} but is not in it")


def _progress(lines: Iterator, desc: str) -> Iterator:
    """A progress bar on a terminal; the lines as they are otherwise."""
    from aqwal.corpus.progress import bar
    return bar(lines, desc=desc, unit=" lines", mininterval=1.0)


Locate = Callable[[str, frozenset[str], int], "Problem | None"]


def read_submission(path: str | Path, gold: Mapping[str, Any], *, labels: tuple[str, ...],
                    allow_missing: bool = False, max_problems: int = MAX_PROBLEMS,
                    locate: Locate | None = None) -> Submission:
    """Read and validate a submission against the gold documents (anything with ``id``, ``text`` and
    ``targets``); ``InvalidData`` lists every problem.

    ``locate(path, ids, unknown)``, when given, is asked about a submission with unknown ids or missing
    documents: it returns one problem naming the config or split those ids are from (and the flag that
    scores against it), which then replaces the unknown-id and missing-document problems."""
    path = Path(path)
    check_input_file(path, what="submission file",
                     if_empty="write one JSON object per line, one per document of the split")
    fast = _FastReader(gold, labels)
    out = _Collector(max_problems)
    predictions: dict[str, Prediction] = {}
    seen: set[str] = set()  # ids of the records read so far
    system, declared, keys, keys_line = System(path.name.split(".")[0]), None, None, 0
    seen_record = False
    tasks_seen: set[str] = set()
    unknown: list[Problem] = []  # the problems of ids that are not gold documents

    def bad_json(line_no: int, reason: str) -> None:
        if out.full:
            raise _Full
        out.add(f"{path}:{line_no}", "", f"not valid JSON ({reason})",
                "write one JSON object per line (no trailing commas, double-quoted keys)")

    lines = _progress(iter_typed(path, fast.decoder), f"reading {path.name}")
    try:
        for line_no, typed, line in lines:
            if out.problems and out.full:
                break
            read = fast.read(typed) if typed is not None else None
            if read is not None and read[0].id not in seen and keys in (None, read[1]):
                prediction, these, tasks = read
                seen_record = True
                seen.add(prediction.id)
                if keys is None:
                    keys, keys_line = these, line_no
                predictions[prediction.id] = prediction
                tasks_seen.update(tasks)
                continue
            if typed is not None:
                record = msgspec.to_builtins(typed)
            else:
                try:
                    record = loads_line(path, line_no, line)
                except json.JSONDecodeError as err:
                    bad_json(line_no, f"{err.msg} at column {err.colno}")
                    continue
            where = f"{path}:{line_no}"
            if not isinstance(record, dict):
                out.add(where, "", f"a record must be a JSON object, got {_type_name(record)}",
                        'write one object per line: {"id": ..., "entities": [...]}')
                continue
            if "system" in record and "id" not in record:
                if seen_record or predictions or seen:
                    out.add(where, "system", "the system header must be the first line",
                            "move the header line to the top of the file")
                else:
                    system, declared = _header(record, where, out, system.name)
                seen_record = True
                continue
            seen_record = True
            doc_id = record.get("id")
            if "id" not in record:
                out.add(where, "id", "is missing", "give every record the id of its gold document")
                continue
            if not isinstance(doc_id, str):
                out.add(where, "id", f"must be a string, got {_type_name(doc_id)} {shown(doc_id)}",
                        "give the document id as a string")
                continue
            where = f"{where} document {shown(doc_id)}"
            if doc_id in seen:
                out.add(where, "id", f"duplicate id (first on line {_first_line(path, doc_id)})",
                        "give one record per document")
                continue
            seen.add(doc_id)
            doc = gold.get(doc_id)
            if doc is None:
                out.add(where, "id", f"unknown id: not a document of the gold{_suggest(doc_id, gold)}",
                        "predict only the documents of the split, keyed by their ids")
                unknown.append(out.problems[-1])
                continue
            checker = _RecordChecker(out, where, doc, labels)
            if not checker.fields(record, "", ("id",), RECORD_FIELDS):
                continue
            these = tuple(t for t in ("entities", "quotes") if t in record)
            if keys is None:
                keys, keys_line = these, line_no
                if not keys:
                    out.add(where, "", "the record predicts nothing (no entities or quotes field)",
                            "give entities and/or quotes, [] for a document with none")
            elif these != keys:
                out.add(where, "", f"carries {', '.join(these) or 'no task fields'} but line {keys_line} carries "
                        f"{', '.join(keys) or 'none'}", "give every record the same fields; [] for a document "
                        "with nothing to predict")
            entities = checker.entities(record["entities"]) if "entities" in record else ()
            quotes = checker.quotes(record["quotes"]) if "quotes" in record else ()
            if checker.ok:
                predictions[doc_id] = Prediction(doc_id, entities, quotes)
            tasks_seen.update(_record_tasks(record))
    except _Full:
        pass  # the limit was reached on a line that is not JSON
    finally:
        lines.close()
    missing = tuple(i for i in gold if i not in seen)
    elsewhere = locate(str(path), frozenset(seen), len(unknown)) \
        if locate is not None and (unknown or (missing and not allow_missing)) else None
    if elsewhere is not None:  # one problem says where the documents are from, instead of one per id
        out.problems = [elsewhere] + [p for p in out.problems if p not in unknown]
        missing = ()
    if out.full:
        out.add(str(path), "", f"stopped after {max_problems} problems", "fix these first, then validate again")
    if not seen and not out.problems:
        out.add(str(path), "", "holds no predictions (only a header line)" if seen_record else
                "holds only blank lines", "write one JSON object per document of the split")
    elif missing and not allow_missing and not out.full:
        listed = ", ".join(repr(i) for i in missing[:5]) + (" ..." if len(missing) > 5 else "")
        out.add(str(path), "id", f"{len(missing)} of {len(gold)} gold documents are missing: {listed}",
                "give one record per document of the split (with [] where there is nothing), or pass "
                "--allow-missing to score missing documents as empty")
    available = tuple(t for t in TASKS if t in tasks_seen)
    if declared is not None and not out.problems:
        lacking = [t for t in declared if t not in available]
        if lacking:
            out.add(f"{path}:1", "system.tasks", f"declares {', '.join(lacking)} but no record carries it",
                    "give the fields of those tasks (stance needs quotes with stance) or drop them from tasks")
    if out.problems:
        raise InvalidData(out.problems)
    tasks = declared if declared is not None else available
    return Submission(str(path), system, tasks, predictions, missing)
