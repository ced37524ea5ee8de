"""Batch files: one annotator's annotations of one batch, kept as data.

A batch file is JSON Lines.  Line 1 is a header, ``{"format": "aqwal-batch/1", "batch": "b005", "pass": "a",
"annotator": "llm-annotator-a"}``; every further line annotates one document of the batch
(``annotation/batches/<batch>/documents.jsonl``)::

  {"id": "saudinewsnet-2015-07-27-11782",
   "mentions": [{"text": "الأنبار", "label": "GPE"},                  every whole-word occurrence
                {"text": "العسل", "label": "PER", "at": [2, 3]},       only the 2nd and 3rd occurrence
                {"text": "مسؤولون محليون", "label": "SOURCE"},
                {"text": "الرمادي", "label": "GPE", "start": 120}],    by offset
   "quotes": [{"from": "تحقيق القوات", "to": "عاصمة الأنبار", "kind": "indirect", "cue": "أعلن",
               "speaker": "مسؤولون محليون", "stance": {"T302": "neutral"}}]}

or ``{"id": ..., "skip": "why"}`` for a document that cannot be annotated (not news, broken text).

Spans are given by their surface text, and this module finds them in the stored text (offsets are never
typed by hand, and every span is checked against the text):

- An **occurrence** of a string is a place where the text holds it as whole words: the character after it
  is not a letter (when it ends with one), and before it there is no letter, or only one or two proclitics
  (و ف ب ل ك) after a non-letter, so «العراق» occurs in «والعراق» and «بالعراق» but not in «العراقي».
  Occurrences are numbered from 1 in text order; ``at`` picks them.  ``start`` gives a span by its
  code-point offset instead (its ``text`` must be what the document holds there).
- A **mention** (an entity label or SOURCE) without ``at`` or ``start`` marks every occurrence, except
  where it lies inside a longer mention of the same label (العسل inside جاسم العسل).
- A **quotation**'s content is ``text`` (the whole content), or ``from`` ... ``to`` (its first and last
  words: from the occurrence of ``from`` to the first occurrence of ``to`` that ends at or after it).
  ``from``/``text`` must occur once, or be picked with ``at``.  ``kind`` and one stance per target of
  the document are required.
- Its **cue** (a string, or ``{"text", "after": true}`` / ``{"text", "at"}`` / ``{"text", "start"}``) is the
  nearest occurrence that ends before the content starts, or with ``after`` the nearest that starts after
  it ends.
- Its **speaker** (a string or ``{"text", "at"}``) is a mention of this record with that text and a
  speaker label (PER, ORG, GPE, NORP or SOURCE): the nearest one before the content, else the nearest
  after it (the guidelines' rule); ``at`` picks the n-th such mention in text order.

``read`` decodes and validates a file (msgspec structs: unknown fields are errors), ``resolve`` turns a
record into a ``Document`` (every problem listed with file:line, document, field and fix), and ``record_of``
writes a ``Document`` back as a record that resolves to the same annotations.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import msgspec

from aqwal.corpus.arabic import MARKS, PROCLITICS
from aqwal.corpus.errors import FormatError, InvalidData, Problem, decoding_problem
from aqwal.corpus.model import Document, Mention, Quote, Stance
from aqwal.corpus.schema import ENTITY_NAMES, QUOTE_KINDS, SOURCE, SPEAKER_ENTITY_NAMES, STANCE_LABELS
from aqwal.corpus.spans import Span

FORMAT = "aqwal-batch/1"
MENTION_LABELS = ENTITY_NAMES + (SOURCE.name,)
SPEAKER_LABELS = SPEAKER_ENTITY_NAMES + (SOURCE.name,)


# ---- the format --------------------------------------------------------------------------------------

class Header(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    format: str
    batch: str
    pass_: str = msgspec.field(name="pass")
    annotator: str
    note: str | None = None


class MentionItem(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    text: str
    label: str
    at: list[int] | None = None
    start: int | None = None


class Place(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """A cue or speaker given with more than its text."""

    text: str
    at: int | None = None
    after: bool = False
    start: int | None = None


class QuoteItem(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True, kw_only=True):
    text: str | None = None
    from_: str | None = msgspec.field(default=None, name="from")
    to: str | None = None
    at: int | None = None
    start: int | None = None
    kind: str
    cue: str | Place
    speaker: str | Place
    stance: dict[str, str] = {}
    note: str | None = None


class Record(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    id: str
    mentions: list[MentionItem] = []
    quotes: list[QuoteItem] = []
    skip: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class BatchFile:
    path: Path
    header: Header
    records: list[tuple[int, Record]]  # (line number, record)


_header_decoder = msgspec.json.Decoder(Header)
_record_decoder = msgspec.json.Decoder(Record)


def _decode_problem(where: str, err: msgspec.DecodeError) -> Problem:
    return decoding_problem(where, err, f"see the batch file format ({FORMAT}) in docs/annotation.md")


def read(path: str | Path) -> BatchFile:
    """The header and records of a batch file; InvalidData lists every line that does not fit the format."""
    path = Path(path)
    if not path.is_file():
        raise FormatError(f"{path}: no such file (fix: check the path)")
    try:
        lines = path.read_bytes().decode("utf-8").splitlines()
    except UnicodeDecodeError as err:
        raise FormatError(f"{path}: not UTF-8 (byte {err.start}) (fix: save the file as UTF-8)") from None
    numbered = [(n, line) for n, line in enumerate(lines, start=1) if line.strip()]
    if not numbered:
        raise FormatError(f"{path}: empty (fix: start with the header line "
                          f'{{"format": "{FORMAT}", "batch": ..., "pass": ..., "annotator": ...}})')
    problems: list[Problem] = []
    header = None
    first_no, first = numbered[0]
    try:
        header = _header_decoder.decode(first)
        if header.format != FORMAT:
            problems.append(Problem(f"{path}:{first_no}", "format", f"{header.format!r} is not {FORMAT!r}",
                                    f"write \"format\": \"{FORMAT}\""))
    except msgspec.DecodeError as err:
        problems.append(_decode_problem(f"{path}:{first_no} (header)", err))
    records: list[tuple[int, Record]] = []
    seen: dict[str, int] = {}
    for n, line in numbered[1:]:
        try:
            record = _record_decoder.decode(line)
        except msgspec.DecodeError as err:
            problems.append(_decode_problem(f"{path}:{n}", err))
            continue
        if record.id in seen:
            problems.append(Problem(f"{path}:{n}", "id", f"{record.id!r} again (first on line {seen[record.id]})",
                                    "annotate each document once per file"))
            continue
        seen[record.id] = n
        records.append((n, record))
    if problems:
        raise InvalidData(problems)
    assert header is not None
    return BatchFile(path, header, records)


# ---- finding spans -----------------------------------------------------------------------------------

def _is_letter(ch: str) -> bool:
    return ch.isalnum() or ch in MARKS or ch == "\u0640"


def occurrences(text: str, s: str) -> list[int]:
    """Starts of the whole-word occurrences of ``s`` in ``text`` (see the module docstring)."""
    if not s:
        return []
    out = []
    check_start, check_end = _is_letter(s[0]), _is_letter(s[-1])
    at = text.find(s)
    while at != -1:
        end = at + len(s)
        ok = not (check_end and end < len(text) and _is_letter(text[end]))
        if ok and check_start and at > 0 and _is_letter(text[at - 1]):
            i = at
            while i > 0 and at - i < 2 and text[i - 1] in PROCLITICS:
                i -= 1
            ok = i < at and (i == 0 or not _is_letter(text[i - 1]))
        if ok:
            out.append(at)
        at = text.find(s, at + 1)
    return out


class _Problems:
    """Problems of one record, placed at file:line and document."""

    def __init__(self, where: str):
        self.where = where
        self.items: list[Problem] = []

    def add(self, field: str, message: str, fix: str) -> None:
        self.items.append(Problem(self.where, field, message, fix))


def _by_offset(text: str, s: str, start: int, field: str, problems: _Problems) -> int | None:
    found = text[start:start + len(s)] if 0 <= start <= len(text) else ""
    if found != s:
        problems.add(field, f"text[{start}:{start + len(s)}] is {found!r}, not {s!r}",
                     "give the code-point offset where the text starts, or leave start out")
        return None
    return start


def _one(text: str, s: str, at: int | None, field: str, problems: _Problems) -> int | None:
    """The start of occurrence ``at`` of ``s`` (1-based), or of its only occurrence."""
    found = occurrences(text, s)
    if not found:
        problems.add(field, f"{s!r} does not occur in the text as whole words",
                     "copy the words exactly as the text has them (spelling, hamza, diacritics), without a "
                     "proclitic")
        return None
    if at is None:
        if len(found) > 1:
            problems.add(field, f"{s!r} occurs {len(found)} times", f"pick one with \"at\": 1..{len(found)}, or "
                         "give more words")
            return None
        return found[0]
    if not 1 <= at <= len(found):
        problems.add(field, f"at {at}, but {s!r} occurs {len(found)} time(s)", f"use 1..{len(found)}")
        return None
    return found[at - 1]


def _mentions(text: str, items: Sequence[MentionItem], problems: _Problems) -> list[tuple[int, int, str]]:
    spans: dict[tuple[int, int, str], int] = {}
    every: set[tuple[int, int, str]] = set()  # from items that mark every occurrence
    for i, item in enumerate(items):
        field = f"mentions[{i}]"
        if item.label not in MENTION_LABELS:
            problems.add(f"{field}.label", f"{item.label!r} is not a label of the scheme",
                         f"use one of {', '.join(MENTION_LABELS)}")
            continue
        if item.start is not None:
            if item.at is not None:
                problems.add(field, "both start and at", "give one of them")
                continue
            starts = [s for s in [_by_offset(text, item.text, item.start, f"{field}.start", problems)]
                      if s is not None]
        else:
            found = occurrences(text, item.text)
            if not found:
                _one(text, item.text, None, f"{field}.text", problems)
                continue
            if item.at is None:
                starts = found
            else:
                bad = [k for k in item.at if not 1 <= k <= len(found)]
                if bad or len(set(item.at)) != len(item.at):
                    problems.add(f"{field}.at", f"{item.at} for {len(found)} occurrence(s) of {item.text!r}",
                                 f"give distinct numbers in 1..{len(found)}")
                    continue
                starts = [found[k - 1] for k in item.at]
        for s in starts:
            key = (s, s + len(item.text), item.label)
            if key in spans:
                problems.add(field, f"{item.text!r} at {s} is also given by mentions[{spans[key]}]",
                             "give each mention once")
                continue
            spans[key] = i
            if item.start is None and item.at is None:
                every.add(key)
    # an occurrence found by "every occurrence" inside a longer mention of the same label is not a mention
    return sorted(k for k in spans if k not in every or not any(
        o[2] == k[2] and o[0] <= k[0] and k[1] <= o[1] and o != k for o in spans))


def _place(value: str | Place) -> Place:
    return Place(value) if isinstance(value, str) else value


def _content(text: str, q: QuoteItem, field: str, problems: _Problems) -> tuple[int, int] | None:
    if q.text is not None:
        if q.from_ is not None or q.to is not None:
            problems.add(field, "text together with from/to", "give the whole content as text, or from and to")
            return None
        if q.start is not None:
            start = _by_offset(text, q.text, q.start, f"{field}.start", problems)
        else:
            start = _one(text, q.text, q.at, f"{field}.text", problems)
        return None if start is None else (start, start + len(q.text))
    if q.from_ is None or q.to is None:
        problems.add(field, "no content", "give text (the whole content), or from and to (its first and last "
                     "words)")
        return None
    if q.start is not None:
        start = _by_offset(text, q.from_, q.start, f"{field}.start", problems)
    else:
        start = _one(text, q.from_, q.at, f"{field}.from", problems)
    if start is None:
        return None
    ends = [e + len(q.to) for e in occurrences(text, q.to) if e >= start and e + len(q.to) >= start + len(q.from_)]
    if not ends:
        problems.add(f"{field}.to", f"{q.to!r} does not occur (as whole words) after {q.from_!r}",
                     "copy the content's last words exactly as the text has them")
        return None
    return start, ends[0]


def _cue(text: str, value: str | Place, content: tuple[int, int], field: str, problems: _Problems) -> Span | None:
    p = _place(value)
    if p.start is not None:
        start = _by_offset(text, p.text, p.start, f"{field}.start", problems)
    elif p.at is not None:
        start = _one(text, p.text, p.at, f"{field}.text", problems)
    else:
        found = occurrences(text, p.text)
        if p.after:
            found = [s for s in found if s >= content[1]]
            start = found[0] if found else None
        else:
            found = [s for s in found if s + len(p.text) <= content[0]]
            start = found[-1] if found else None
        if start is None:
            where = "after" if p.after else "before"
            problems.add(f"{field}", f"{p.text!r} does not occur {where} the quotation",
                         "copy the cue word as the text has it, without proclitics; for a cue after the content "
                         "give {\"text\": ..., \"after\": true}")
    return None if start is None else Span.of(text, start, start + len(p.text))


def _speaker(value: str | Place, content: tuple[int, int], mentions: list[tuple[int, int, str]], text: str,
             field: str, problems: _Problems) -> tuple[int, int, str] | None:
    p = _place(value)
    if p.after:
        problems.add(field, "after is for cues", "a speaker is the nearest mention before, else after; use at")
        return None
    same = [m for m in mentions if text[m[0]:m[1]] == p.text and m[2] in SPEAKER_LABELS]
    if not same:
        problems.add(field, f"no mention {p.text!r} with a speaker label ({', '.join(SPEAKER_LABELS)})",
                     "list the speaker under mentions (SOURCE for an anonymous or nominal source) and copy its text")
        return None
    if p.start is not None:
        chosen = [m for m in same if m[0] == p.start]
        if not chosen:
            problems.add(f"{field}.start", f"no mention {p.text!r} starts at {p.start}",
                         f"starts: {[m[0] for m in same]}")
            return None
        return chosen[0]
    if p.at is not None:
        if not 1 <= p.at <= len(same):
            problems.add(f"{field}.at", f"at {p.at}, but {p.text!r} is mentioned {len(same)} time(s)",
                         f"use 1..{len(same)}")
            return None
        return same[p.at - 1]
    before = [m for m in same if m[1] <= content[0]]
    if before:
        return max(before, key=lambda m: (m[1], m[0]))
    after = [m for m in same if m[0] >= content[1]]
    if after:
        return min(after, key=lambda m: (m[0], m[1]))
    problems.add(field, f"every mention {p.text!r} overlaps the quotation", "pick one with at")
    return None


def resolve(doc: Document, record: Record, where: str) -> Document:
    """``doc`` (text and targets, no annotations) with the record's annotations; InvalidData lists every
    problem of the record."""
    problems = _Problems(f"{where} document {record.id!r}")
    text = doc.text
    if record.skip is not None:
        if record.mentions or record.quotes:
            problems.add("skip", "a skipped document with annotations", "give skip alone, or leave it out")
            raise InvalidData(problems.items)
        return dataclasses.replace(doc, entities=(), sources=(), quotes=(), annotations=())
    mentions = _mentions(text, record.mentions, problems)
    ids: dict[tuple[int, int, str], str] = {}
    entities, sources = [], []
    for key in mentions:
        bucket = sources if key[2] == SOURCE.name else entities
        ids[key] = f"{'s' if key[2] == SOURCE.name else 'e'}{len(bucket) + 1}"
        bucket.append(Mention(ids[key], Span.of(text, key[0], key[1]), key[2]))
    targets = [t.id for t in doc.targets]
    resolved: list[tuple[tuple[int, int], Quote]] = []
    for i, q in enumerate(record.quotes):
        field = f"quotes[{i}]"
        if q.kind not in QUOTE_KINDS:
            problems.add(f"{field}.kind", f"{q.kind!r} is not a kind", f"use one of {', '.join(QUOTE_KINDS)}")
        stance_problem = False
        for target, label in q.stance.items():
            if target not in targets:
                problems.add(f"{field}.stance", f"{target!r} is not a target of this document",
                             f"the document's targets are {targets or 'none'}")
                stance_problem = True
            elif label not in STANCE_LABELS:
                problems.add(f"{field}.stance.{target}", f"{label!r} is not a stance",
                             f"use one of {', '.join(STANCE_LABELS)}")
                stance_problem = True
        missing = [t for t in targets if t not in q.stance]
        if missing:
            problems.add(f"{field}.stance", f"no stance toward {', '.join(missing)}",
                         "give one stance per target (neutral when the quotation takes no position)")
            stance_problem = True
        content = _content(text, q, field, problems)
        if content is None:
            continue
        span = Span.of(text, *content)
        if span.text != span.text.strip() or span.text[-1] in ".,،؛:":
            problems.add(field, f"the content {_short(span.text)!r} starts or ends with a space or ends with "
                         "a full stop, comma or colon", "the final punctuation and spaces stay out of the content")
        cue = _cue(text, q.cue, content, f"{field}.cue", problems)
        speaker = _speaker(q.speaker, content, mentions, text, f"{field}.speaker", problems)
        if cue is None or speaker is None or stance_problem or q.kind not in QUOTE_KINDS:
            continue
        stance = tuple(Stance(t, q.stance[t]) for t in targets)
        resolved.append((content, Quote(f"q{i}", span, q.kind, cue, ids[speaker], stance)))
    seen: dict[tuple[int, int], int] = {}
    for n, (content, _) in enumerate(resolved):
        if content in seen:
            problems.add("quotes", f"two quotations with the content at {content}", "give each quotation once")
        seen.setdefault(content, n)
    if problems.items:
        raise InvalidData(problems.items)
    quotes = tuple(dataclasses.replace(q, id=f"q{n}") for n, (_, q) in
                   enumerate(sorted(resolved, key=lambda r: r[0]), start=1))
    try:
        return dataclasses.replace(doc, entities=tuple(entities), sources=tuple(sources), quotes=quotes,
                                   annotations=())
    except InvalidData as err:
        raise err.located(problems.where) from None


def _short(s: str, limit: int = 60) -> str:
    return s if len(s) <= limit else f"{s[:limit // 2]} … {s[-limit // 2:]}"


def resolve_file(batch: BatchFile, documents: Mapping[str, Document]) -> dict[str, Document | None]:
    """id -> the annotated document (None for a skipped one), for every record; InvalidData lists every
    problem of every record (nothing is returned when one record is wrong)."""
    problems: list[Problem] = []
    out: dict[str, Document | None] = {}
    for line_no, record in batch.records:
        where = f"{batch.path}:{line_no}"
        doc = documents.get(record.id)
        if doc is None:
            problems.append(Problem(where, "id", f"{record.id!r} is not a document of batch "
                                    f"{batch.header.batch!r}", "use the ids of the batch's documents.jsonl"))
            continue
        try:
            resolved = resolve(doc, record, where)
        except InvalidData as err:
            problems.extend(err.problems)
            continue
        out[record.id] = None if record.skip is not None else resolved
    if problems:
        raise InvalidData(problems)
    return out


# ---- documents back to records -----------------------------------------------------------------------

def record_of(doc: Document) -> Record:
    """A record that resolves to ``doc``'s annotations (mentions by text, with ``at`` where not every
    occurrence is one; quotations by their first and last words), offsets only where words cannot say it."""
    text = doc.text
    keys = [(m.span.start, m.span.end, m.label) for m in doc.entities + doc.sources]
    groups: dict[tuple[str, str], list[int]] = {}
    for s, e, label in sorted(keys):
        groups.setdefault((text[s:e], label), []).append(s)
    items: list[MentionItem] = []
    for (surface, label), starts in groups.items():
        found = occurrences(text, surface)
        if not all(s in found for s in starts):
            items.extend(MentionItem(surface, label, start=s) for s in starts)
        elif starts == found:
            items.append(MentionItem(surface, label))
        else:
            items.append(MentionItem(surface, label, at=[found.index(s) + 1 for s in starts]))
    if _mentions(text, items, _Problems("")) != sorted(keys):
        # "every occurrence" dropped or added a nested mention: say each occurrence explicitly
        items = [MentionItem(i.text, i.label, at=[occurrences(text, i.text).index(s) + 1 for s in groups[
            (i.text, i.label)]]) if i.at is None and i.start is None else i for i in items]
    mentions = _mentions(text, items, _Problems(""))
    quotes = []
    for q in doc.quotes:
        content = (q.span.start, q.span.end)
        speaker_key = _key(doc.mention(q.speaker)) if q.speaker else None
        quotes.append(QuoteItem(kind=q.kind, cue=_cue_place(text, q, content),
                                speaker=_speaker_place(text, speaker_key, content, mentions),
                                stance={s.target: s.label for s in q.stance}, **_content_fields(text, q.span)))
    return Record(doc.id, items, quotes)


def _key(m: Mention) -> tuple[int, int, str]:
    return (m.span.start, m.span.end, m.label)


def _content_fields(text: str, span: Span) -> dict:
    words = span.text.split()
    found = occurrences(text, span.text)
    if len(words) <= 6 and span.start in found:
        return {"text": span.text} if len(found) == 1 else {"text": span.text, "at": found.index(span.start) + 1}
    for k in range(2, len(words) + 1):
        first, last = " ".join(words[:k]), " ".join(words[-k:])
        if not span.text.startswith(first) or not span.text.endswith(last):
            break
        starts = occurrences(text, first)
        if span.start not in starts:
            break
        fields = {"from_": first, "to": last}
        if len(starts) > 1:
            fields["at"] = starts.index(span.start) + 1
        probe = QuoteItem(kind="direct", cue="", speaker="", **fields)
        if _content(text, probe, "", _Problems("")) == (span.start, span.end):
            return fields
    return {"text": span.text, "start": span.start}


def _cue_place(text: str, q: Quote, content: tuple[int, int]) -> str | Place:
    cue = q.cue
    assert cue is not None
    for candidate in (cue.text, Place(cue.text, after=True)):
        if _cue(text, candidate, content, "", _Problems("")) == cue:
            return candidate
    found = occurrences(text, cue.text)
    if cue.start in found:
        return Place(cue.text, at=found.index(cue.start) + 1)
    return Place(cue.text, start=cue.start)


def _speaker_place(text: str, key: tuple[int, int, str] | None, content: tuple[int, int],
                   mentions: list[tuple[int, int, str]]) -> str | Place:
    assert key is not None
    surface = text[key[0]:key[1]]
    if _speaker(surface, content, mentions, text, "", _Problems("")) == key:
        return surface
    same = [m for m in mentions if text[m[0]:m[1]] == surface and m[2] in SPEAKER_LABELS]
    return Place(surface, at=same.index(key) + 1)


_encoder = msgspec.json.Encoder()


def dumps(obj: Header | Record) -> str:
    return _encoder.encode(obj).decode("utf-8")


def write(path: str | Path, header: Header, records: Sequence[Record]) -> int:
    """Write a batch file atomically; the number of records."""
    from aqwal.corpus.jsonl import atomic_path
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as out:
        out.write(dumps(header) + "\n")
        for r in records:
            out.write(dumps(r) + "\n")
    return len(records)


def iter_view(doc: Document) -> Iterator[str]:
    """A readable account of a resolved document: each span with its offsets and context (for checking)."""
    text = doc.text
    yield f"=== {doc.id}: {len(doc.entities)} entities, {len(doc.sources)} sources, {len(doc.quotes)} quotations"
    for m in sorted(doc.entities + doc.sources, key=lambda m: (m.span.start, m.span.end)):
        yield f"  {m.label:6} {m.span.start:6}  {m.span.text}   «{_context(text, m.span)}»"
    for q in doc.quotes:
        speaker = doc.mention(q.speaker) if q.speaker else None
        stance = ", ".join(f"{s.target}={s.label}" for s in q.stance) or "-"
        yield (f"  {q.id} {q.kind}: cue {q.cue.text!r}@{q.cue.start} «{_context(text, q.cue)}», speaker "
               f"{speaker.span.text!r}@{speaker.span.start} ({speaker.label}), stance {stance}")
        yield f"      [{q.span.start}, {q.span.end}) {_short(q.span.text, 160)}"


def _context(text: str, span: Span, width: int = 18) -> str:
    return (text[max(0, span.start - width):span.start] + "[" + span.text + "]" +
            text[span.end:span.end + width]).replace("\n", " ")
