"""Label Studio full JSON export -> documents, one version per annotator, with every result accounted for.

Each result of each annotation ends either converted (into an entity, SOURCE, quotation, its kind, cue,
speaker or stance) or listed in ``Conversion.unconverted`` with its reason.  Reasons are *rejected* (the
annotator's work could not be used: a span whose text does not match, a dangling relation, an unknown
label...) or *excluded* (left out on purpose: cancelled annotations, drafts, superseded annotations,
duplicate regions).  Rejections make ``aqwal annotate convert`` fail unless ``--lenient``.

Label Studio does not validate results against the config (the API accepts ``stance_9``), so every check
the scheme implies is made here.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from aqwal.annotation.labelstudio import (
    CUE_RELATION,
    KIND_NAME,
    LABELS_NAME,
    SPEAKER,
    TEXT_NAME,
    parse_stance_value,
    stance_name,
)
from aqwal.corpus.annotators import Annotator
from aqwal.corpus.errors import FormatError, InvalidData
from aqwal.corpus.jsonl import read_json
from aqwal.corpus.model import (
    METADATA_FIELDS,
    AnnotationInfo,
    Document,
    Mention,
    Quote,
    Stance,
    Target,
    sha256_text,
)
from aqwal.corpus.schema import (
    CUE,
    ENTITY_NAMES,
    QUOTE,
    QUOTE_KINDS,
    SCHEME_VERSION,
    SOURCE,
    SPAN_LABELS,
    SPEAKER_ENTITY_NAMES,
    STANCE_LABELS,
    STANCE_SLOTS,
)
from aqwal.corpus.spans import Span

SPAN_NAMES = tuple(label.name for label in SPAN_LABELS)
STANCE_NAMES = {stance_name(slot): slot for slot in range(1, STANCE_SLOTS + 1)}


@dataclass(frozen=True, slots=True)
class Unconverted:
    """One result (or a whole annotation when ``result`` is None) that did not become part of a document."""

    task: Any
    annotation: Any
    result: str | None  # a region id, "from->to" for a relation, "#<index>" when the result has no id
    reason: str
    excluded: bool = False  # True: left out on purpose (cancelled, draft, duplicate); False: rejected

    def to_dict(self) -> dict:
        return {"task": self.task, "annotation": self.annotation, "result": self.result, "reason": self.reason,
                "status": "excluded" if self.excluded else "rejected"}


@dataclass
class Conversion:
    documents: dict[str, list[Document]] = field(default_factory=dict)  # annotator -> documents
    warnings: list[str] = field(default_factory=list)
    unconverted: list[Unconverted] = field(default_factory=list)
    results: int = 0  # results in the export's annotations and drafts
    converted: int = 0  # results that became part of a document

    @property
    def rejected(self) -> list[Unconverted]:
        return [u for u in self.unconverted if not u.excluded]

    def report(self) -> dict:
        return {"scheme_version": SCHEME_VERSION, "results": self.results, "converted": self.converted,
                "not_converted": sum(1 for u in self.unconverted if u.result is not None),
                "rejected": sum(1 for u in self.rejected if u.result is not None),
                "documents": {a: len(d) for a, d in sorted(self.documents.items())},
                "warnings": list(self.warnings), "unconverted": [u.to_dict() for u in self.unconverted]}


# ---- reading exports --------------------------------------------------------------------------------

def load_export(path: str | Path) -> list[dict]:
    """The task list of a snapshot directory (its export.json) or of a Label Studio JSON export file."""
    path = Path(path)
    file = path / "export.json" if path.is_dir() else path
    if not file.is_file():
        raise FormatError(f"{file}: no such file (fix: give a snapshot directory made by `aqwal annotate pull` "
                          "or a Label Studio JSON export)")
    tasks = read_json(file, fix="use Label Studio's full JSON export, not JSON_MIN or CSV")
    if not isinstance(tasks, list) or not all(isinstance(t, dict) and "data" in t for t in tasks):
        raise FormatError(f"{file}: not a Label Studio JSON export (a list of tasks with data) (fix: export with "
                          "export_type=JSON)")
    return tasks


# ---- offsets ----------------------------------------------------------------------------------------

def utf16_to_code_points(text: str) -> dict[int, int]:
    """UTF-16 offset -> code-point offset, for the offsets that fall between code points."""
    mapping, unit = {}, 0
    for i, ch in enumerate(text):
        mapping[unit] = i
        unit += 2 if ord(ch) > 0xFFFF else 1
    mapping[unit] = len(text)
    return mapping


def _annotator(ann: dict) -> str | None:
    who = ann.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("id")
    if isinstance(who, bool) or who is None or who == "":
        return None
    return str(who)


def _identity(who: str, users: dict[str, str], registry: dict[str, Annotator]) -> tuple[str, str, str]:
    """(annotator id, kind, e-mail) of an account.  The registry, looked up by e-mail (``users`` maps a user id
    to it), decides when it lists the account; otherwise the account is recorded as a person under its e-mail
    (its user id only when neither the export nor ``users`` gives the e-mail)."""
    email = users.get(who, who)
    entry = registry.get(email)
    return (entry.annotator, entry.kind, email) if entry is not None else (email, "human", email)


def _pre_annotation(ann: dict, task: dict) -> str | None:
    """The model_version of the prediction the annotator started from (``parent_prediction``), if any.

    The annotation's own ``prediction`` field is not provenance: Label Studio fills it with the project's
    current prediction for statistics, whether or not the annotator used it.
    """
    parent = ann.get("parent_prediction")
    if isinstance(parent, dict):
        parent = parent.get("id")
    if parent is None:
        return None
    candidates = [ann.get("prediction")] + list(task.get("predictions") or [])
    for p in candidates:
        if isinstance(p, dict) and p.get("id") == parent and p.get("model_version"):
            return str(p["model_version"])
    return f"prediction {parent}"


# ---- one annotation ---------------------------------------------------------------------------------

@dataclass
class _Region:
    id: str
    span: Span
    label: str
    index: int


class _Annotation:
    """Converts one annotation's result list; records every result's outcome."""

    def __init__(self, conv: Conversion, task: dict, ann: dict, text: str, targets: tuple[Target, ...]):
        self.conv, self.task, self.ann, self.text, self.targets = conv, task, ann, text, targets
        self.outcome: dict[int, bool] = {}  # result index -> converted?
        self._utf16: dict[int, int] | None = None
        self.utf16 = False  # True when this annotation's offsets count UTF-16 units
        self.repaired = 0
        self.regions: dict[str, _Region] = {}  # span regions by id, duplicates left out
        self.alias: dict[str, str] = {}  # duplicate region id -> kept region id
        self.my_warnings: list[str] = []  # the warnings this annotation added

    def reject(self, i: int, rid: str | None, reason: str, *, excluded: bool = False) -> None:
        self.outcome[i] = False
        self.conv.unconverted.append(Unconverted(self.task.get("id"), self.ann.get("id"), rid or f"#{i}", reason,
                                                 excluded))

    def withdraw(self) -> None:
        """Take back what this annotation added to the conversion (its rejections, warnings and converted
        count), when the annotation as a whole is discarded."""
        key = (self.task.get("id"), self.ann.get("id"))
        self.conv.unconverted[:] = [u for u in self.conv.unconverted if (u.task, u.annotation) != key]
        mine = {id(w) for w in self.my_warnings}
        self.conv.warnings[:] = [w for w in self.conv.warnings if id(w) not in mine]
        self.conv.converted -= sum(self.outcome.values())

    def accept(self, *indices: int) -> None:
        for i in indices:
            self.outcome[i] = True

    def span(self, i: int, rid: str, value: Any) -> Span | None:
        if not isinstance(value, dict):
            self.reject(i, rid, "result has no value")
            return None
        start, end, surface = value.get("start"), value.get("end"), value.get("text")
        if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool):
            self.reject(i, rid, f"offsets {start!r}, {end!r} are not integers")
            return None
        if surface is None:
            if 0 <= start < end <= len(self.text):
                self.conv.warnings.append(f"task {self.task.get('id')} annotation {self.ann.get('id')} region "
                                          f"{rid}: no text to check the offsets against; taken as code points")
                return Span.of(self.text, start, end)
            self.reject(i, rid, f"[{start}, {end}) is outside the text ({len(self.text)} code points)")
            return None
        as_utf16 = self._as_utf16(start, end, surface)
        if self.utf16 and as_utf16 is not None:
            self.repaired += as_utf16 != (start, end)
            return Span(*as_utf16, surface)
        if 0 <= start < end <= len(self.text) and self.text[start:end] == surface:
            return Span(start, end, surface)
        if as_utf16 is not None:
            self.repaired += 1
            return Span(*as_utf16, surface)
        found = self.text[start:end] if 0 <= start < end <= len(self.text) else "(outside the text)"
        self.reject(i, rid, f"span text {surface!r} does not match the document at [{start}, {end}): {found!r}")
        return None

    def _as_utf16(self, start: int, end: int, surface: str) -> tuple[int, int] | None:
        """Code-point offsets of ``[start, end)`` read as UTF-16 units, when that gives ``surface``."""
        if self._utf16 is None:
            self._utf16 = utf16_to_code_points(self.text)
        s, e = self._utf16.get(start), self._utf16.get(end)
        if s is not None and e is not None and s < e and self.text[s:e] == surface:
            return s, e
        return None

    def _counts_utf16(self, results: list) -> bool:
        """True when the annotation's spans fit the text only as UTF-16 offsets (an older export): then every
        span is read so, also one whose code-point reading happens to give the same text."""
        cp = u16 = total = 0
        for r in results:
            value = r.get("value") if isinstance(r, dict) and r.get("type") == "labels" else None
            if not isinstance(value, dict) or not isinstance(value.get("text"), str):
                continue
            start, end, surface = value.get("start"), value.get("end"), value["text"]
            if not (isinstance(start, int) and isinstance(end, int)):
                continue
            total += 1
            cp += 0 <= start < end <= len(self.text) and self.text[start:end] == surface
            u16 += self._as_utf16(start, end, surface) is not None
        return cp < total and u16 == total

    def convert(self) -> tuple[tuple[Mention, ...], tuple[Mention, ...], tuple[Quote, ...]]:
        """(entities, sources, quotations) of the annotation; every result gets an outcome."""
        results = self.ann["result"]
        self._first_warning = len(self.conv.warnings)
        self.utf16 = self._counts_utf16(results)
        choices, relations = self._regions(results)
        kinds, stances = self._choices(choices)
        speakers, cues = self._relations(relations)
        parts = self._assemble(results, kinds, stances, speakers, cues)
        missing = [i for i in range(len(results)) if i not in self.outcome]
        if missing:  # a bug, not a user error: every result must have an outcome
            raise AssertionError(f"results {missing} of annotation {self.ann.get('id')} have no outcome")
        self.conv.converted += sum(self.outcome.values())
        if self.repaired:
            self.conv.warnings.append(f"task {self.task.get('id')} annotation {self.ann.get('id')}: {self.repaired} "
                                      "span(s) had UTF-16 offsets (an older export); repaired to code points")
        self.my_warnings = self.conv.warnings[self._first_warning:]
        return parts

    def region_of(self, rid: Any) -> _Region | None:
        return self.regions.get(self.alias.get(rid, rid)) if isinstance(rid, str) else None

    def _regions(self, results: list) -> tuple[list[tuple[int, dict]], list[tuple[int, dict]]]:
        """Collects the span regions (deduplicated); returns the choice and relation results for later."""
        regions, alias = self.regions, self.alias
        by_key: dict[tuple[int, int, str], str] = {}
        choices: list[tuple[int, dict]] = []
        relations: list[tuple[int, dict]] = []
        for i, r in enumerate(results):
            if not isinstance(r, dict):
                self.reject(i, None, "result is not a JSON object")
                continue
            rid = r.get("id")
            rtype = r.get("type")
            if rtype == "relation":
                relations.append((i, r))
                continue
            if rtype == "labels":
                if r.get("from_name") != LABELS_NAME or r.get("to_name") != TEXT_NAME:
                    self.reject(i, rid, f"unknown control {r.get('from_name')!r} -> {r.get('to_name')!r} "
                                f"(expected {LABELS_NAME!r} -> {TEXT_NAME!r})")
                    continue
                if not isinstance(rid, str) or not rid:
                    self.reject(i, None, "span result has no region id")
                    continue
                labels = (r.get("value") or {}).get("labels") if isinstance(r.get("value"), dict) else None
                if not isinstance(labels, list) or len(labels) != 1:
                    self.reject(i, rid, f"a region needs exactly one label, got {labels!r}")
                    continue
                if labels[0] not in SPAN_NAMES:
                    self.reject(i, rid, f"unknown label {labels[0]!r} (the scheme has {', '.join(SPAN_NAMES)})")
                    continue
                span = self.span(i, rid, r.get("value"))
                if span is None:
                    continue
                key = (span.start, span.end, labels[0])
                if rid in regions:
                    old = regions[rid]
                    if (old.span.start, old.span.end, old.label) == key:
                        self.reject(i, rid, f"duplicate of region {rid}", excluded=True)
                    else:
                        self.reject(i, rid, f"two different regions share the id {rid!r}")
                    continue
                if key in by_key:
                    alias[rid] = by_key[key]
                    self.reject(i, rid, f"duplicate region: same span and label as region {by_key[key]}",
                                excluded=True)
                    continue
                by_key[key] = rid
                regions[rid] = _Region(rid, span, labels[0], i)
                continue
            if rtype == "choices":
                choices.append((i, r))
                continue
            self.reject(i, rid, f"unknown result type {rtype!r} from {r.get('from_name')!r}")
        return choices, relations

    def _choices(self, choices: list[tuple[int, dict]]) -> tuple[dict, dict]:
        """Quotation kinds {region: (index, kind)} and stances {region: {target: (index, label)}}."""
        region_of = self.region_of
        kinds: dict[str, tuple[int, str]] = {}
        stances: dict[str, dict[str, tuple[int, str]]] = {}
        target_slot = {t.id: slot for slot, t in enumerate(self.targets, start=1)}
        for i, r in choices:
            rid, name = r.get("id"), r.get("from_name")
            if name != KIND_NAME and name not in STANCE_NAMES:
                self.reject(i, rid, f"unknown control {name!r}")
                continue
            value = r.get("value") if isinstance(r.get("value"), dict) else {}
            picked = value.get("choices")
            if not isinstance(picked, list) or len(picked) != 1:
                self.reject(i, rid, f"{name}: expected exactly one choice, got {picked!r}")
                continue
            region = region_of(rid)
            if region is None:
                self.reject(i, rid, f"{name} choice without its region (no span {rid!r} in this annotation)")
                continue
            if region.label != QUOTE.name:
                self.reject(i, rid, f"{name} choice on a {region.label} region; only quotations take it")
                continue
            if name == KIND_NAME:
                if picked[0] not in QUOTE_KINDS:
                    self.reject(i, rid, f"unknown quotation kind {picked[0]!r}")
                    continue
                target, value_ = "", picked[0]
                existing = kinds.get(region.id)
            else:
                parsed = self._stance(name, picked[0])
                if parsed is None:
                    self.reject(i, rid, f"unknown stance choice {picked[0]!r} in {name} (targets of this task: "
                                f"{list(target_slot)}; a choice is a stance label, or <target id>:<label>)")
                    continue
                target, value_ = parsed
                if target_slot[target] != STANCE_NAMES[name]:
                    self.reject(i, rid, f"stance toward {target!r} given in slot {name!r}, which is not that "
                                "target's slot")
                    continue
                existing = stances.setdefault(region.id, {}).get(target)
            if existing is not None:
                if existing[1] == value_:
                    self.reject(i, rid, f"duplicate {name} choice", excluded=True)
                else:
                    self.reject(i, rid, f"two different {name} choices ({existing[1]!r}, {value_!r}) on one "
                                "quotation")
                continue
            if name == KIND_NAME:
                kinds[region.id] = (i, value_)
            else:
                stances[region.id][target] = (i, value_)
        return kinds, stances

    def _stance(self, name: str, value: Any) -> tuple[str, str] | None:
        """(target id, label) of a stance choice: a bare label names the target of its row (the current
        config); ``<target id>:<label>`` names it itself (projects made before it)."""
        if value in STANCE_LABELS:
            slot = STANCE_NAMES[name]
            return (self.targets[slot - 1].id, value) if slot <= len(self.targets) else None
        parsed = parse_stance_value(value)
        if parsed is None or parsed[0] not in {t.id for t in self.targets}:
            return None
        return parsed

    def _relations(self, relations: list[tuple[int, dict]]) -> tuple[dict, dict]:
        """Speakers and cues: {quotation region: (index, other region id)} each."""
        region_of = self.region_of
        speakers: dict[str, tuple[int, str]] = {}
        cues: dict[str, tuple[int, str]] = {}
        seen_relations: set[tuple[str, str, str]] = set()
        for i, r in relations:
            a, b = region_of(r.get("from_id")), region_of(r.get("to_id"))
            rid = f"{r.get('from_id')}->{r.get('to_id')}"
            if a is None or b is None:
                missing = r.get("from_id") if a is None else r.get("to_id")
                self.reject(i, rid, f"dangling relation: no region {missing!r} in this annotation")
                continue
            if (a.label == QUOTE.name) == (b.label == QUOTE.name):
                self.reject(i, rid, f"a relation links a quotation to its speaker or cue, not {a.label} to "
                            f"{b.label}")
                continue
            quote, other = (a, b) if a.label == QUOTE.name else (b, a)
            labels = r.get("labels") or []
            if not isinstance(labels, list) or len(labels) > 1:
                self.reject(i, rid, f"a relation has at most one label, got {labels!r} (fix: keep one, or none: "
                            f"a relation to a CUE region is the {CUE_RELATION}, to an entity or SOURCE the "
                            f"{SPEAKER})")
                continue
            if any(lab not in (SPEAKER, CUE_RELATION) for lab in labels):
                self.reject(i, rid, f"unknown relation label {labels[0]!r} (the scheme's are {SPEAKER} and "
                            f"{CUE_RELATION}, or none)")
                continue
            # Relations carry no label in the current config: the other end says what the relation is.
            implied = CUE_RELATION if other.label == CUE.name else SPEAKER
            if labels and labels[0] != implied:
                self.reject(i, rid, f"a {labels[0]} relation cannot end at a {other.label} region")
                continue
            if implied == SPEAKER and other.label not in SPEAKER_ENTITY_NAMES + (SOURCE.name,):
                self.reject(i, rid, f"a speaker is a {'/'.join(SPEAKER_ENTITY_NAMES)} entity or a SOURCE, not "
                            f"{other.label}")
                continue
            key = (quote.id, other.id, implied)
            table = speakers if implied == SPEAKER else cues
            if key in seen_relations:
                self.reject(i, rid, f"duplicate {implied} relation", excluded=True)
                continue
            if quote.id in table:
                self.reject(i, rid, f"quotation {quote.id} already has a {implied} (region {table[quote.id][1]})")
                continue
            seen_relations.add(key)
            table[quote.id] = (i, other.id)
        return speakers, cues

    def _assemble(self, results: list, kinds: dict, stances: dict, speakers: dict, cues: dict) -> tuple:
        regions = self.regions
        entities, sources, quotes = [], [], []
        used_cues: set[str] = set()
        orphaned_cues: dict[str, str] = {}  # CUE region -> the quotation it was linked to, not converted
        for region in regions.values():
            if region.label == CUE.name:
                continue
            if region.label in ENTITY_NAMES:
                entities.append(Mention(region.id, region.span, region.label))
                self.accept(region.index)
                continue
            if region.label == SOURCE.name:
                sources.append(Mention(region.id, region.span, region.label))
                self.accept(region.index)
                continue
            # a quotation
            dependents = [x[0] for x in (kinds.get(region.id), speakers.get(region.id), cues.get(region.id))
                          if x] + [x[0] for x in stances.get(region.id, {}).values()]
            if region.id not in kinds:
                self.reject(region.index, region.id, "quotation has no kind (direct, indirect or mixed)")
                if region.id in cues:
                    orphaned_cues[cues[region.id][1]] = region.id
                for i in dependents:
                    self.reject(i, results[i].get("id") or f"{results[i].get('from_id')}->{results[i].get('to_id')}",
                                f"its quotation {region.id} was not converted")
                continue
            cue = regions[cues[region.id][1]].span if region.id in cues else None
            if region.id in cues:
                used_cues.add(cues[region.id][1])
            speaker = speakers[region.id][1] if region.id in speakers else None
            given = stances.get(region.id, {})
            stance = tuple(Stance(t.id, given[t.id][1]) for t in self.targets if t.id in given)
            stance = tuple(sorted(stance, key=lambda s: given[s.target][0]))
            where = f"task {self.task.get('id')} annotation {self.ann.get('id')} quotation {region.id}"
            for what, missing in (("speaker", speaker is None), ("cue", cue is None)):
                if missing:
                    self.conv.warnings.append(f"{where}: no {what}")
            lacking = [t.id for t in self.targets if t.id not in given]
            if lacking:
                self.conv.warnings.append(f"{where}: no stance toward {', '.join(lacking)}")
            quotes.append(Quote(region.id, region.span, kinds[region.id][1], cue, speaker, stance))
            self.accept(region.index, *dependents)
        for region in regions.values():
            if region.label == CUE.name:
                if region.id in used_cues:
                    self.accept(region.index)
                elif region.id in orphaned_cues:
                    self.reject(region.index, region.id, f"its quotation {orphaned_cues[region.id]} was not "
                                "converted")
                else:
                    self.reject(region.index, region.id, "CUE region not linked to a quotation")
        return tuple(entities), tuple(sources), tuple(quotes)


# ---- the export -------------------------------------------------------------------------------------

def _task_document(task: dict, conv: Conversion) -> Document | None:
    """The annotation-free document a task was made from, or None (reported) when the data lacks it."""
    data = task.get("data") or {}
    tid = task.get("id")
    missing = [k for k in ("text", "doc_id", "sha256", "metadata") if k not in data]
    if missing:
        conv.warnings.append(f"task {tid}: task data lacks {', '.join(missing)}: not a task pushed by aqwal")
        return None
    if sha256_text(data["text"]) != data["sha256"]:
        conv.warnings.append(f"task {tid}: the text's sha256 differs from the one pushed: the text was changed")
        return None
    if data.get("scheme_version") != SCHEME_VERSION:
        conv.warnings.append(f"task {tid}: pushed with scheme {data.get('scheme_version')!r}, converting with "
                             f"{SCHEME_VERSION}")
    meta = data["metadata"] if isinstance(data["metadata"], dict) else {}
    try:
        return Document(id=data["doc_id"], text=data["text"], sha256=data["sha256"],
                        targets=tuple(Target(t["id"], t["text"]) for t in data.get("targets") or []),
                        **{k: meta.get(k) for k in METADATA_FIELDS})
    except (InvalidData, KeyError, TypeError) as err:
        conv.warnings.append(f"task {tid}: task data does not make a document: {err}")
        return None


def _reject_all(conv: Conversion, task: dict, ann: dict, reason: str, *, excluded: bool) -> None:
    results = ann.get("result") or []
    if not isinstance(results, list):
        results = []
    conv.results += len(results)
    for i, r in enumerate(results):
        rid = r.get("id") if isinstance(r, dict) else None
        if isinstance(r, dict) and r.get("type") == "relation":
            rid = f"{r.get('from_id')}->{r.get('to_id')}"
        conv.unconverted.append(Unconverted(task.get("id"), ann.get("id"), rid or f"#{i}", reason, excluded))
    if not results:
        conv.unconverted.append(Unconverted(task.get("id"), ann.get("id"), None, reason + " (no results)", excluded))


def convert_export(tasks: list[dict], *, source: str = "export", progress: bool = False,
                   users: dict[str, str] | None = None, registry: dict[str, Annotator] | None = None) -> Conversion:
    """Every annotation of every task converted to a document of its annotator, with a full account.

    ``registry`` (``aqwal.corpus.annotators.load_registry``, keyed by e-mail; ``users``, a snapshot manifest's
    user id -> e-mail, finds the e-mail of ``completed_by``) gives an account's annotator id and kind: an
    account the registry lists as ``system`` is recorded as one, never as a person.  Accounts it does not
    list are recorded as people under their e-mail (``human``), with a warning naming it when a registry was
    given.  ``progress`` shows a progress bar on stderr (when it is a terminal).
    """
    conv = Conversion()
    registry = registry or {}
    unlisted: set[str] = set()
    versions: dict[tuple[str, str], tuple[str, Document, _Annotation]] = {}  # (annotator, doc id) -> latest
    if progress:
        from aqwal.corpus.progress import bar
        tasks = bar(tasks, desc="converting tasks", unit="task")
    for t_index, task in enumerate(tasks):
        tid = task.get("id", f"#{t_index}")
        base = _task_document(task, conv)
        for draft in task.get("drafts") or []:
            if isinstance(draft, dict):
                _reject_all(conv, task, {"id": f"draft {draft.get('id')}", "result": draft.get("result")},
                            "draft (saved, never submitted)", excluded=True)
            else:
                conv.warnings.append(f"{source}: task {tid} has draft {draft} (not expanded in the export); "
                                     "drafts are never converted")
        for ann in task.get("annotations") or []:
            if not isinstance(ann, dict):
                conv.unconverted.append(Unconverted(tid, None, None, "annotation is not a JSON object"))
                continue
            if base is None:
                _reject_all(conv, task, ann, "its task's data does not make a document (see warnings)",
                            excluded=False)
                continue
            if ann.get("was_cancelled"):
                _reject_all(conv, task, ann, "annotation was cancelled (task skipped)", excluded=True)
                continue
            who = _annotator(ann)
            if who is None:
                _reject_all(conv, task, ann, "annotation has no completed_by", excluded=False)
                continue
            if not isinstance(ann.get("result"), list):
                conv.unconverted.append(Unconverted(tid, ann.get("id"), None, "annotation result is not a list"))
                continue
            work = _Annotation(conv, task, ann, base.text, base.targets)
            entities, sources, quotes = work.convert()
            scheme = task["data"].get("scheme_version")
            annotator, kind, email = _identity(who, users or {}, registry)
            if registry and email not in registry:
                unlisted.add(email)
            info = AnnotationInfo(annotator, kind, ann.get("created_at"), _pre_annotation(ann, task),
                                  scheme=scheme if isinstance(scheme, str) else None)
            try:
                doc = replace(base, entities=entities, sources=sources, quotes=quotes, annotations=(info,))
            except InvalidData as err:
                work.withdraw()
                _reject_all(conv, task, ann, f"the annotation does not make a valid document: {err}",
                            excluded=False)
                continue
            conv.results += len(ann["result"])
            key = (annotator, doc.id)
            stamp = str(ann.get("updated_at") or ann.get("created_at") or "")
            if key in versions:
                old_stamp, _, old_work = versions[key]
                loser = old_work if stamp >= old_stamp else work
                loser.withdraw()
                conv.results -= len(loser.ann["result"])
                _reject_all(conv, loser.task, loser.ann, f"superseded by a later annotation of {annotator} on "
                            f"document {doc.id}", excluded=True)
                if loser is work:
                    continue
            versions[key] = (stamp, doc, work)
    for who in sorted(unlisted):
        conv.warnings.append(f"{source}: account {who!r} is not in the annotator registry; its annotations are "
                             "recorded as a person's (kind human)")
    for (annotator, _), (_, doc, _) in versions.items():
        conv.documents.setdefault(annotator, []).append(doc)
    return conv
