"""Documents to Label Studio and back: the labeling config, task data, results, and export conversion.

Everything here is derived from ``aqwal.corpus.schema``.  The shapes follow Label Studio 1.23.2's full JSON
export (see docs/label-studio.md of the shared docs):

- a span is a ``labels`` result whose ``id`` is the region id; entity, SOURCE and QUOTE regions keep the
  document's mention/quote ids, so documents -> results -> documents is the identity;
- a quotation's speaker and cue are ``relation`` results from the QUOTE region to the mention / CUE region,
  without a label (earlier projects labelled them ``speaker`` / ``cue``; the converter reads both);
- a quotation's kind and its stance toward each target are per-region ``choices`` results carrying the
  QUOTE region's id.  Stance uses numbered rows (``stance_1`` ... ``stance_<k>``): row ``i`` is the
  document's ``i``-th target and its choice is the stance label itself (``"favor"``).

A project's config is made for documents with one number of targets ``k`` (``label_config(k)``): it shows
exactly ``k`` stance rows and requires every one of them, with the kind, before Label Studio accepts Submit.
Label Studio cannot make a per-region choice required for some tasks only (its check runs over every QUOTE
region, whatever the task data holds), so documents with different numbers of targets go to different
projects (``aqwal.annotation.passes``).

Projects made before this layout carry their options in task data (``stance_opts_<i>``, values
``"<target id>:<stance>"``, for any number of targets); ``task_data(doc, legacy=True)`` still makes tasks
for them and the converter reads both forms.
"""
from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from aqwal.corpus.errors import InvalidData, Problem
from aqwal.corpus.model import METADATA_FIELDS, Document
from aqwal.corpus.schema import (
    CUE,
    ENTITY_NAMES,
    QUOTE,
    QUOTE_KIND_DISPLAY,
    QUOTE_KINDS,
    RELATION_LABELS,
    SCHEME_VERSION,
    SOURCE,
    SPAN_LABELS,
    SPEAKER_ENTITY_NAMES,
    STANCE_DISPLAY,
    STANCE_LABELS,
    STANCE_SLOTS,
)
from aqwal.corpus.spans import Span

# Names of the config's tags: results carry them as from_name / to_name.
TEXT_NAME = "text"
LABELS_NAME = "label"
KIND_NAME = "kind"
DISPUTES_NAME = "disputes"  # review tasks: the disputes of the document, shown above its text
SPEAKER, CUE_RELATION = RELATION_LABELS  # "speaker", "cue"

# Keys, as docs/annotation.md lists them.  Labels: the digits, then q; a quotation's kind and the stance rows
# (favor, against, neutral) on letters that Label Studio's own shortcuts leave free.
LABEL_HOTKEYS: dict[str, str] = dict(zip((lab.name for lab in SPAN_LABELS), "1234567890q"))
KIND_HOTKEYS: dict[str, str] = dict(zip(QUOTE_KINDS, "zxc"))
STANCE_HOTKEYS: tuple[dict[str, str], ...] = tuple(dict(zip(STANCE_LABELS, keys)) for keys in ("asd", "fgh", "jkl"))
assert len(STANCE_HOTKEYS) >= STANCE_SLOTS and len(LABEL_HOTKEYS) == len(SPAN_LABELS)

KIND_REQUIRED = ("اختر نوع الاقتباس المحدد: مباشر أو غير مباشر أو مختلط. "
                 "Choose the kind of the selected quotation: direct, indirect or mixed.")
LEGACY_OPTIONS = "$stance_opts_"  # in the config of a project made before the per-target-count layout


def stance_name(slot: int) -> str:
    """The from_name of stance row ``slot`` (1-based)."""
    return f"stance_{slot}"


def stance_value(target_id: str, label: str) -> str:
    """A stance option's value in a project made before the current layout."""
    return f"{target_id}:{label}"


def parse_stance_value(value: str) -> tuple[str, str] | None:
    """(target id, stance) of an option value, or None when it is not of the form ``target:stance``."""
    if not isinstance(value, str) or ":" not in value:
        return None
    target, _, label = value.rpartition(":")
    if not target or label not in STANCE_LABELS:
        return None
    return target, label


def stance_required(slot: int) -> str:
    return (f"اختر الموقف من الهدف {slot} (تأييد أو معارضة أو محايد) للاقتباس المحدد. "
            f"Choose the stance of the selected quotation toward target {slot}: favor, against or neutral.")


def project_description() -> str:
    return f"Aqwal annotation, scheme {SCHEME_VERSION}: entities, quotations (cue, speaker, kind) and stance."


def is_legacy_config(config: str | None) -> bool:
    """True for the config of a project made before the per-target-count layout (options in task data)."""
    return LEGACY_OPTIONS in (config or "")


# ---- the labeling config ----------------------------------------------------------------------------

def _attrs(**attrs: str) -> str:
    return " ".join(f'{k.rstrip("_")}="{escape(v, quote=True)}"' for k, v in attrs.items())


# Room between the lines of the text for relation arrows and their labels; the disputes of a review task left
# to right, one item per line, each line in the direction of its first letter.
STYLE = (" .lsf-richtext__line { line-height: 3.2em; }"
         " .aqwal-disputes { direction: ltr; text-align: left; max-height: 38vh; overflow-y: auto;"
         " border: 1px solid #bbb; padding: 4px 12px; margin-bottom: 12px; }"
         " .aqwal-disputes .lsf-richtext__line { line-height: 1.6em; unicode-bidi: plaintext; } ")


def _check_targets(targets: int) -> None:
    if not isinstance(targets, int) or not 0 <= targets <= STANCE_SLOTS:
        raise InvalidData(Problem("label config", "targets", f"{targets!r} targets",
                                  f"give 0 to {STANCE_SLOTS} (STANCE_SLOTS in corpus/schema.py)"))


def label_config(targets: int, *, review: bool = False) -> str:
    """The Label Studio labeling config (XML) for documents with ``targets`` targets, from the scheme.

    Every quotation needs its kind and one stance per target before Submit is accepted (messages in Arabic
    and English).  Relations carry no label: what a relation from a quotation is follows from its other end
    (a CUE region: the cue; an entity or SOURCE: the speaker), so there is no label to get wrong.
    ``review``: the config of review tasks, which also show the disputes of the document (task data
    ``disputes``) above its text.
    """
    _check_targets(targets)
    labels = "\n".join(
        f"      <Label {_attrs(value=lab.name, background=lab.colour, hint=lab.description, hotkey=LABEL_HOTKEYS[lab.name])}/>"
        for lab in SPAN_LABELS)
    kinds = "\n".join(
        f"        <Choice {_attrs(value=kind, html=f'{QUOTE_KIND_DISPLAY[kind]} · {kind}', hotkey=KIND_HOTKEYS[kind])}/>"
        for kind in QUOTE_KINDS)
    per_quote = {"toName": TEXT_NAME, "perRegion": "true", "whenLabelValue": QUOTE.name,
                 "choice": "single-radio", "showInline": "true", "required": "true"}
    rows = []
    for slot in range(1, targets + 1):
        options = "\n".join(
            f"        <Choice {_attrs(value=label, html=f'{STANCE_DISPLAY[label]} · {label}', hotkey=STANCE_HOTKEYS[slot - 1][label])}/>"
            for label in STANCE_LABELS)
        header = f"الموقف من «$targets[{slot - 1}].text» · stance toward target {slot}"
        rows.append(f"      <Header {_attrs(value=header, size='6')}/>\n"
                    f"      <Choices {_attrs(name=stance_name(slot), requiredMessage=stance_required(slot), **per_quote)}>\n"
                    f"{options}\n      </Choices>")
    stance = "\n".join(rows)
    disputes = (f"""  <View {_attrs(className="aqwal-disputes")}>
    <Header {_attrs(value="disputes between the versions (each version is a tab above) · الخلافات بين النسخ", size="5")}/>
    <Text {_attrs(name=DISPUTES_NAME, value="$" + DISPUTES_NAME)}/>
  </View>
""" if review else "")
    return f"""<View>
  <!-- Aqwal annotation scheme {SCHEME_VERSION}, {targets} target(s){", review" if review else ""}; generated by annotation/labelstudio.py, do not edit -->
  <Style>{STYLE}</Style>
{disputes}  <View style="direction: rtl; text-align: right;">
    <Labels {_attrs(name=LABELS_NAME, toName=TEXT_NAME)}>
{labels}
    </Labels>
    <Text {_attrs(name=TEXT_NAME, value="$text")}/>
    <View {_attrs(visibleWhen="region-selected", whenLabelValue=QUOTE.name)}>
      <Header {_attrs(value="نوع الاقتباس · quotation kind", size="6")}/>
      <Choices {_attrs(name=KIND_NAME, requiredMessage=KIND_REQUIRED, **per_quote)}>
{kinds}
      </Choices>
{stance}
    </View>
  </View>
</View>
"""


# The task list shows the task, its state and the document's id and text; the other task data (hashes,
# metadata, targets as JSON, the disputes of a review task) stays out of its columns.  Label Studio's own
# default hides the rest; a view that names hidden columns replaces that default, so they are listed too.
_HIDDEN_TASK_COLUMNS = ("inner_id", "annotations_results", "annotations_ids", "predictions_score",
                        "predictions_model_versions", "predictions_results", "file_upload", "storage_filename",
                        "created_at", "updated_at", "updated_by", "avg_lead_time", "draft_exists")
_SHOWN_DATA = ("doc_id", "text")


def task_list_view(data_keys: Sequence[str]) -> dict:
    """The data of the task list's view (Label Studio's data manager tab) for tasks with ``data_keys``."""
    hidden = [f"tasks:{c}" for c in _HIDDEN_TASK_COLUMNS]
    hidden += [f"tasks:data.{k}" for k in data_keys if k not in _SHOWN_DATA]
    labeling = hidden + ["tasks:data.text", "tasks:completed_at", "tasks:annotators", "tasks:total_predictions",
                         "tasks:cancelled_annotations", "tasks:total_annotations"]
    return {"title": "Aqwal", "hiddenColumns": {"explore": hidden, "labeling": labeling}}


def _target_key(slot: int) -> str:
    return f"stance_target_{slot}"


def _options_key(slot: int) -> str:
    return f"stance_opts_{slot}"


# ---- documents to Label Studio ----------------------------------------------------------------------

def task_data(doc: Document, *, legacy: bool = False) -> dict:
    """The task data of a document: its text, identity, metadata and targets.

    ``legacy``: for a project made before the per-target-count layout (``legacy_task_data``).
    """
    if len(doc.targets) > STANCE_SLOTS:
        raise InvalidData(Problem(f"document {doc.id!r}", "targets",
                                  f"{len(doc.targets)} targets, but the annotation config has {STANCE_SLOTS} "
                                  "stance slots", "raise STANCE_SLOTS in corpus/schema.py or give fewer targets"))
    data: dict[str, Any] = {
        "text": doc.text, "doc_id": doc.id, "sha256": doc.sha256, "scheme_version": SCHEME_VERSION,
        "metadata": {name: getattr(doc, name) for name in METADATA_FIELDS},
        "targets": [{"id": t.id, "text": t.text} for t in doc.targets]}
    return legacy_task_data(data) if legacy else data


def legacy_task_data(data: dict) -> dict:
    """Task data for a project made before the per-target-count layout, whose config reads every stance
    slot's header and options from task data (Label Studio refuses a task lacking a key the config uses)."""
    out = dict(data)
    targets = data.get("targets") or []
    for slot in range(1, STANCE_SLOTS + 1):
        target = targets[slot - 1] if slot <= len(targets) else None
        out[_target_key(slot)] = target["text"] if target else ""
        out[_options_key(slot)] = [
            {"value": stance_value(target["id"], label), "html": f"{STANCE_DISPLAY[label]} · {label}"}
            for label in STANCE_LABELS] if target else []
    return out


def _span_result(region_id: str, span: Span, label: str, from_name: str, to_name: str) -> dict:
    return {"id": region_id, "from_name": from_name, "to_name": to_name, "type": "labels",
            "value": {"start": span.start, "end": span.end, "text": span.text, "labels": [label]}}


def _choice_result(region_id: str, span: Span, from_name: str, to_name: str, choice: str) -> dict:
    return {"id": region_id, "from_name": from_name, "to_name": to_name, "type": "choices",
            "value": {"start": span.start, "end": span.end, "text": span.text, "choices": [choice]}}


def _relation(from_id: str, to_id: str) -> dict:
    """A relation from a quotation, unlabelled: its other end says what it is (the config has no labels)."""
    return {"type": "relation", "from_id": from_id, "to_id": to_id, "direction": "right"}


def document_results(doc: Document, *, from_name: str = LABELS_NAME, to_name: str = TEXT_NAME,
                     legacy: bool = False) -> list[dict]:
    """The Label Studio result list of a document's annotations (for an annotation or a prediction).

    Regions keep the document's ids; each distinct cue span becomes one CUE region.  ``legacy``: stance
    values as projects made before the per-target-count layout hold them (``"<target id>:<stance>"``).
    """
    results: list[dict] = []
    used = {m.id for m in doc.entities + doc.sources} | {q.id for q in doc.quotes}
    for m in doc.entities + doc.sources:
        results.append(_span_result(m.id, m.span, m.label, from_name, to_name))
    cue_ids: dict[Span, str] = {}
    for q in doc.quotes:
        if q.cue is not None and q.cue not in cue_ids:
            cue_ids[q.cue] = _fresh_id(f"{q.id}-cue", used)
    for q in doc.quotes:
        results.append(_span_result(q.id, q.span, QUOTE.name, from_name, to_name))
        results.append(_choice_result(q.id, q.span, KIND_NAME, to_name, q.kind))
        slots = {t.id: i for i, t in enumerate(doc.targets, start=1)}
        for st in q.stance:
            value = stance_value(st.target, st.label) if legacy else st.label
            results.append(_choice_result(q.id, q.span, stance_name(slots[st.target]), to_name, value))
    for cue, cue_id in cue_ids.items():
        results.append(_span_result(cue_id, cue, CUE.name, from_name, to_name))
    for q in doc.quotes:
        if q.speaker is not None:
            results.append(_relation(q.id, q.speaker))
        if q.cue is not None:
            results.append(_relation(q.id, cue_ids[q.cue]))
    return results


def _fresh_id(base: str, used: set[str]) -> str:
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{base}{n}"
    used.add(candidate)
    return candidate


def predictions_results(doc: Document, record: Any, *, where: str = "predictions") -> list[dict]:
    """Results from one predictions record of the submission format (see design.md) on ``doc``.

    Predicted spans carry no ids or text: regions get ids ``p-e<i>`` (entities), ``p-q<i>`` (quotes),
    ``p-c<i>`` (cues), ``p-s<i>`` (SOURCE regions made for speakers).  A speaker ``{start, end}`` links to a
    predicted PER/ORG/GPE/NORP entity at exactly those offsets, else to a SOURCE region made there.
    A quotation's kind and stances are checked but not shown: they are the annotator's to choose (Label Studio
    refuses Submit until they are), and a pre-filled one invites being left as it is.
    Raises ``InvalidData`` naming ``where`` and the field for anything that does not fit the document.
    """
    problems: list[Problem] = []
    place = f"{where} document {doc.id!r}"

    def span_of(obj: Any, field: str) -> Span | None:
        if not isinstance(obj, dict) or not {"start", "end"} <= set(obj):
            problems.append(Problem(place, field, f"must be {{\"start\", \"end\"}}, got {obj!r}",
                                    "give code-point offsets"))
            return None
        start, end = obj["start"], obj["end"]
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(doc.text)):
            problems.append(Problem(place, field, f"[{start!r}, {end!r}) is not inside the text "
                                    f"({len(doc.text)} code points)", "offsets are code points of the text"))
            return None
        if "text" in obj and obj["text"] != doc.text[start:end]:
            problems.append(Problem(place, field, f"text {obj['text']!r} is not text[{start}:{end}] "
                                    f"{doc.text[start:end]!r}", "offsets are code points of the text"))
            return None
        return Span.of(doc.text, start, end)

    if not isinstance(record, dict):
        raise InvalidData(Problem(place, "", "a predictions record is a JSON object", "see design.md"))
    if record.get("id") not in (None, doc.id):
        raise InvalidData(Problem(place, "id", f"record is for {record.get('id')!r}", "pair records by id"))
    results: list[dict] = []
    speakers: dict[tuple[int, int], str] = {}
    for i, ent in enumerate(record.get("entities") or []):
        span = span_of(ent, f"entities[{i}]")
        label = ent.get("label") if isinstance(ent, dict) else None
        if label not in ENTITY_NAMES:
            problems.append(Problem(place, f"entities[{i}].label", f"{label!r} is not an entity label",
                                    f"use one of {', '.join(ENTITY_NAMES)}"))
            continue
        if span is None:
            continue
        results.append(_span_result(f"p-e{i}", span, label, LABELS_NAME, TEXT_NAME))
        if label in SPEAKER_ENTITY_NAMES:
            speakers.setdefault((span.start, span.end), f"p-e{i}")
    slots = {t.id: i for i, t in enumerate(doc.targets, start=1)}
    relations: list[dict] = []
    sources = 0
    cues: dict[tuple[int, int], str] = {}
    for i, q in enumerate(record.get("quotes") or []):
        span = span_of(q, f"quotes[{i}]")
        if span is None:
            continue
        qid = f"p-q{i}"
        results.append(_span_result(qid, span, QUOTE.name, LABELS_NAME, TEXT_NAME))
        kind = q.get("kind")
        if kind is not None:
            if kind not in QUOTE_KINDS:
                problems.append(Problem(place, f"quotes[{i}].kind", f"{kind!r} is not a kind",
                                        f"use one of {', '.join(QUOTE_KINDS)}"))
        if q.get("cue") is not None:
            cue = span_of(q["cue"], f"quotes[{i}].cue")
            if cue is not None:
                key = (cue.start, cue.end)
                if key not in cues:
                    cues[key] = f"p-c{len(cues)}"
                    results.append(_span_result(cues[key], cue, CUE.name, LABELS_NAME, TEXT_NAME))
                relations.append(_relation(qid, cues[key]))
        if q.get("speaker") is not None:
            sp = span_of(q["speaker"], f"quotes[{i}].speaker")
            if sp is not None:
                key = (sp.start, sp.end)
                if key not in speakers:
                    speakers[key] = f"p-s{sources}"
                    sources += 1
                    results.append(_span_result(speakers[key], sp, SOURCE.name, LABELS_NAME, TEXT_NAME))
                relations.append(_relation(qid, speakers[key]))
        for j, st in enumerate(q.get("stance") or []):
            target = st.get("target") if isinstance(st, dict) else None
            label = st.get("label") if isinstance(st, dict) else None
            if target not in slots or label not in STANCE_LABELS:
                problems.append(Problem(place, f"quotes[{i}].stance[{j}]", f"{st!r} is not a stance toward a "
                                        "target of this document", f"targets: {list(slots)}; labels: "
                                        f"{', '.join(STANCE_LABELS)}"))
    if problems:
        raise InvalidData(problems)
    return results + relations


def prediction(results: list[dict], model_version: str, score: float | None = None) -> dict:
    """A Label Studio prediction object (for task import) around a result list."""
    out: dict[str, Any] = {"model_version": model_version, "result": results}
    if score is not None:
        out["score"] = score
    return out


def task(doc: Document, predictions: Sequence[dict] = ()) -> dict:
    """A task to import: the document's data and optional predictions (see ``prediction``)."""
    return {"data": task_data(doc), "predictions": list(predictions)}


def annotation(doc: Document, *, completed_by: int | str | dict, created_at: str | None = None,
               annotation_id: int | None = None) -> dict:
    """An annotation object in the export's shape (used by tests and for importing finished work)."""
    out: dict[str, Any] = {"result": document_results(doc), "completed_by": completed_by, "was_cancelled": False,
                           "ground_truth": False, "created_at": created_at, "draft_created_at": None,
                           "prediction": {}, "parent_prediction": None}
    if annotation_id is not None:
        out["id"] = annotation_id
    return out
