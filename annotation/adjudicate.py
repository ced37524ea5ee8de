"""Several annotators' versions of a document -> one gold document.

Items are compared by position: an entity or SOURCE by (start, end, label); a quotation by its content span,
and it is *agreed* only when every annotator gives it with the same kind, cue span, speaker span and label,
and stances.  Agreed items are accepted.  A document whose annotators disagree on anything is

- resolved by the adjudicator's annotation when one is named and has annotated the document (for example on
  a review task): gold = the agreed items plus the adjudicator's items for everything else (where the
  adjudicator left a disputed item out, it stays out).  The adjudicator's annotation is not one of the
  compared versions, unless leaving it out would leave fewer than ``min_annotators`` (the adjudicator was
  also an annotator of the document);
- otherwise left out of the gold and written as a review task: a Label Studio task whose predictions are the
  annotators' versions, one per annotator (each tab named by its annotator), with the disputes listed above
  the text, for the adjudicator to accept, merge or correct.

Gold ids are renumbered by position (e1, s1, q1 ...); each gold document records the annotators' work and an
``adjudication`` entry naming the adjudicator (or "agreement" when nothing was disputed).  With
``min_annotators=1`` a document annotated once and not adjudicated goes to the gold as that one annotator's
work, with no ``adjudication`` entry: nobody compared or reviewed it, and its record must not say otherwise.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from aqwal.corpus.model import AGREED, METADATA_FIELDS, AnnotationInfo, Document, Mention, Quote, Stance
from aqwal.corpus.schema import SCHEME_VERSION, SOURCE


@dataclass
class Adjudication:
    gold: list[Document] = field(default_factory=list)
    review: list[dict] = field(default_factory=list)  # Label Studio tasks (import format)
    documents: list[dict] = field(default_factory=list)  # one entry per document: what happened

    def report(self) -> dict:
        statuses: dict[str, int] = {}
        for d in self.documents:
            statuses[d["status"]] = statuses.get(d["status"], 0) + 1
        return {"scheme_version": SCHEME_VERSION, "gold": len(self.gold), "review": len(self.review),
                "statuses": statuses, "documents": self.documents}


MentionKey = tuple[int, int, str]


def _mention_key(m: Mention) -> MentionKey:
    return (m.span.start, m.span.end, m.label)


def _quote_signature(doc: Document, q: Quote) -> tuple:
    speaker = _mention_key(doc.mention(q.speaker)) if q.speaker is not None else None
    cue = (q.cue.start, q.cue.end) if q.cue is not None else None
    return (q.kind, cue, speaker, tuple(sorted((s.target, s.label) for s in q.stance)))


def _items(doc: Document) -> tuple[dict[MentionKey, Mention], dict[tuple[int, int], tuple[Quote, tuple]]]:
    mentions = {_mention_key(m): m for m in doc.entities + doc.sources}
    quotes = {(q.span.start, q.span.end): (q, _quote_signature(doc, q)) for q in doc.quotes}
    return mentions, quotes


def _disputes(versions: dict[str, Document]) -> tuple[set, set, int]:
    """(agreed mention keys, agreed quote keys, number of disputed items) over all versions."""
    items = [_items(d) for d in versions.values()]
    mention_sets = [set(m) for m, _ in items]
    agreed_m = set.intersection(*mention_sets)
    all_m = set.union(*mention_sets)
    quote_sets = [{k: sig for k, (_, sig) in q.items()} for _, q in items]
    all_q = set().union(*quote_sets)
    agreed_q = {k for k in all_q if all(k in qs for qs in quote_sets)
                and len({qs[k] for qs in quote_sets}) == 1}
    return agreed_m, agreed_q, len(all_m - agreed_m) + len(all_q - agreed_q)


def _gold(base: Document, sources: list[tuple[Document, set, set]], infos: tuple[AnnotationInfo, ...]) -> Document:
    """A gold document from (version, mention keys, quote keys) taken from each version, renumbered."""
    mentions: dict[MentionKey, Mention] = {}
    quotes: dict[tuple[int, int], tuple[Document, Quote]] = {}
    for doc, mkeys, qkeys in sources:
        m_items, q_items = _items(doc)
        for k in mkeys:
            mentions.setdefault(k, m_items[k])
        for k in qkeys:
            quotes.setdefault(k, (doc, q_items[k][0]))
    for doc, q in quotes.values():  # a quotation's speaker mention goes with it
        if q.speaker is not None:
            m = doc.mention(q.speaker)
            mentions.setdefault(_mention_key(m), m)
    ids: dict[MentionKey, str] = {}
    entities, srcs = [], []
    for k in sorted(mentions):
        m = mentions[k]
        bucket = srcs if m.label == SOURCE.name else entities
        ids[k] = f"{'s' if m.label == SOURCE.name else 'e'}{len(bucket) + 1}"
        bucket.append(Mention(ids[k], m.span, m.label))
    gold_quotes = []
    for n, k in enumerate(sorted(quotes), start=1):
        doc, q = quotes[k]
        speaker = ids[_mention_key(doc.mention(q.speaker))] if q.speaker is not None else None
        gold_quotes.append(Quote(f"q{n}", q.span, q.kind, q.cue, speaker,
                                 tuple(Stance(s.target, s.label) for s in q.stance)))
    return replace(base, entities=tuple(entities), sources=tuple(srcs), quotes=tuple(gold_quotes),
                   annotations=infos)


def review_task(versions: dict[str, Document]) -> dict:
    """A Label Studio task showing every annotator's version of a document as a prediction, its tab named by
    the annotator (Label Studio shows a prediction's ``model_version`` as the tab's name), and the disputes
    between them (``disputes_text``) in its data, which the review config shows above the text."""
    from aqwal.annotation.labelstudio import DISPUTES_NAME, document_results, prediction, task
    first = next(iter(versions.values()))
    blank = replace(first, entities=(), sources=(), quotes=(), annotations=())
    out = task(blank, [prediction(document_results(doc), a) for a, doc in versions.items()])
    out["data"]["review_of"] = list(versions)
    out["data"][DISPUTES_NAME] = disputes_text(versions)
    return out


def adjudicate(documents: dict[str, list[Document]], *, adjudicator: str | None = None,
               min_annotators: int = 2, now: str | None = None) -> Adjudication:
    """Gold documents, review tasks and a per-document account (see the module docstring).

    An adjudication record is stamped ``now`` if given, else with the time of the latest annotation it
    decides over, so the gold is a function of the snapshots alone (rebuilding it changes nothing)."""
    by_doc: dict[str, dict[str, Document]] = {}
    for annotator in sorted(documents):
        for doc in documents[annotator]:
            by_doc.setdefault(doc.id, {})[annotator] = doc
    out = Adjudication()
    for doc_id in sorted(by_doc):
        all_versions = by_doc[doc_id]
        judge = all_versions.get(adjudicator) if adjudicator is not None else None
        versions = {a: d for a, d in all_versions.items() if a != adjudicator}
        if judge is not None and len(versions) < min_annotators <= len(all_versions):
            versions = dict(all_versions)  # the adjudicator was also one of the annotators
        entry: dict[str, Any] = {"id": doc_id, "annotators": list(versions),
                                 "adjudicator": adjudicator if judge is not None else None}
        if len({d.sha256 for d in all_versions.values()}) != 1:
            entry.update(status="text differs between versions", disputed=None)
            out.documents.append(entry)
            continue
        if len(versions) < min_annotators and judge is None:
            entry.update(status=f"fewer than {min_annotators} annotators", disputed=None)
            out.documents.append(entry)
            continue
        infos = tuple(i for d in versions.values() for i in d.annotations)
        stamp = now or max((i.created_at for d in all_versions.values() for i in d.annotations if i.created_at),
                           default=None)
        base = next(iter(all_versions.values()))
        if len(versions) >= min_annotators:
            agreed_m, agreed_q, disputed = _disputes(versions)
        else:  # too few versions to agree on anything: the adjudicator decides everything
            agreed_m, agreed_q, disputed = set(), set(), None
        entry["agreed"] = len(agreed_m) + len(agreed_q)
        entry["disputed"] = disputed
        agreed_source = [(next(iter(versions.values())), agreed_m, agreed_q)] if versions else []
        if len(versions) == 1 and judge is None:  # nobody compared or checked it: no adjudication record
            out.gold.append(_gold(base, agreed_source, infos))
            entry.update(status="single annotator", agreed=None, disputed=None)
        elif disputed == 0:
            info = AnnotationInfo(AGREED, "adjudication", stamp, reviewed_by=tuple(versions),
                                  scheme=SCHEME_VERSION)
            out.gold.append(_gold(base, agreed_source, infos + (info,)))
            entry["status"] = "agreed"
        elif judge is not None:
            j_mentions, j_quotes = _items(judge)
            judge_m = set(j_mentions) - agreed_m
            judge_q = set(j_quotes) - agreed_q
            info = AnnotationInfo(adjudicator, "adjudication", stamp, reviewed_by=tuple(versions),
                                  scheme=SCHEME_VERSION)
            out.gold.append(_gold(base, agreed_source + [(judge, judge_m, judge_q)],
                                  infos + judge.annotations + (info,)))
            entry["status"] = "adjudicated"
        else:
            out.review.append(review_task(versions))
            entry["status"] = "review"
        out.documents.append(entry)
    return out


def fill_metadata(gold: list[Document], reference: list[Document]) -> tuple[list[Document], int]:
    """Gold documents whose empty metadata fields (source, url, provenance ...) are taken from the same
    document in ``reference`` (same id and text hash): tasks pushed before a field existed did not carry it.
    Returns the documents and how many were completed; a field that has a value is never changed."""
    by_key = {(d.id, d.sha256): d for d in reference}
    out, filled = [], 0
    for doc in gold:
        ref = by_key.get((doc.id, doc.sha256))
        missing = {f: getattr(ref, f) for f in METADATA_FIELDS
                   if ref is not None and getattr(doc, f) is None and getattr(ref, f) is not None}
        out.append(replace(doc, **missing) if missing else doc)
        filled += bool(missing)
    return out, filled


# ---- stages: a later annotation round of a document replaces an earlier one --------------------------

def adjudicate_stages(stages: list[dict[str, list[Document]]], **options: Any) -> Adjudication:
    """Adjudicate each stage (annotator -> documents, as ``adjudicate`` takes them); a document's gold comes
    from the last stage that holds it, and the annotation records of the earlier stages that held it come
    first in its ``annotations`` (so every pass and adjudication it went through is listed)."""
    results = [adjudicate(stage, **options) for stage in stages]
    history: dict[str, tuple[AnnotationInfo, ...]] = {}
    out = Adjudication()
    for n, result in enumerate(results):
        last = n == len(results) - 1
        later = {d["id"] for r in results[n + 1:] for d in r.documents}
        if len(results) > 1:  # each record says the round it belongs to
            result.gold[:] = [replace(doc, annotations=tuple(replace(i, round=n + 1) for i in doc.annotations))
                              for doc in result.gold]
        for doc in result.gold:
            if doc.id in later:
                history[doc.id] = history.get(doc.id, ()) + doc.annotations
            else:
                out.gold.append(replace(doc, annotations=history.get(doc.id, ()) + doc.annotations)
                                if doc.id in history else doc)
        out.review.extend(t for t in result.review if last or t["data"]["doc_id"] not in later)
        out.documents.extend(d for d in result.documents if d["id"] not in later)
    out.gold.sort(key=lambda d: d.id)
    out.documents.sort(key=lambda d: d["id"])
    return out


# ---- disputes, for the adjudicator ------------------------------------------------------------------------

@dataclass(frozen=True)
class Dispute:
    """Overlapping items the versions do not agree on: per annotator, its items of the group."""

    kind: str  # "mention" | "quotation"
    start: int
    end: int
    versions: dict[str, list]  # annotator -> [Mention] or [Quote]


def disputes(versions: dict[str, Document]) -> list[Dispute]:
    """The disputed items of one document, grouped: items of any version that overlap one another."""
    agreed_m, agreed_q, _ = _disputes(versions)
    out: list[Dispute] = []
    for kind in ("mention", "quotation"):
        items = []
        for who, doc in versions.items():
            if kind == "mention":
                items += [(m.span.start, m.span.end, who, m) for m in doc.entities + doc.sources
                          if _mention_key(m) not in agreed_m]
            else:
                items += [(q.span.start, q.span.end, who, q) for q in doc.quotes
                          if (q.span.start, q.span.end) not in agreed_q]
        items.sort(key=lambda x: (x[0], x[1], x[2]))
        group: list = []
        end = -1
        for item in items + [None]:
            if item is None or (group and item[0] >= end):
                if group:
                    per: dict[str, list] = {who: [] for who in versions}
                    for _, _, who, obj in group:
                        per[who].append(obj)
                    out.append(Dispute(kind, group[0][0], end, per))
                group, end = [], -1
            if item is not None:
                group.append(item)
                end = max(end, item[1])
    return sorted(out, key=lambda d: (d.start, d.end, d.kind))


def _describe(doc: Document, item) -> str:
    if isinstance(item, Mention):
        return f"{item.label} «{item.span.text}» [{item.span.start}, {item.span.end})"
    speaker = doc.mention(item.speaker) if item.speaker else None
    stance = ", ".join(f"{s.target}={s.label}" for s in item.stance) or "no stance"
    sp = f"{speaker.label} «{speaker.span.text}»@{speaker.span.start}" if speaker else "no speaker"
    cue = f"«{item.cue.text}»@{item.cue.start}" if item.cue else "no cue"
    text = item.span.text if len(item.span.text) <= 200 else f"{item.span.text[:90]} … {item.span.text[-90:]}"
    return f"{item.kind}, cue {cue}, speaker {sp}, {stance} [{item.span.start}, {item.span.end}) «{text}»"


def disputes_text(versions: dict[str, Document]) -> str:
    """The disputes of one document, readable: each group with its context and every version's items."""
    base = next(iter(versions.values()))
    found = disputes(versions)
    lines = [f"## {base.id}: {len(found)} dispute(s) between {', '.join(versions)}"]
    if base.targets:
        lines.append("targets: " + "; ".join(f"{t.id} = {t.text}" for t in base.targets))
    for n, d in enumerate(found, start=1):
        a, b = max(0, d.start - 40), min(len(base.text), d.end + 40)
        context = (base.text[a:d.start] + "⟦" + base.text[d.start:d.end] + "⟧" + base.text[d.end:b]).replace("\n", " ")
        if d.kind == "quotation" and d.end - d.start > 300:
            context = (base.text[a:d.start] + "⟦" + base.text[d.start:d.start + 120] + " … " +
                       base.text[d.end - 120:d.end] + "⟧" + base.text[d.end:b]).replace("\n", " ")
        lines.append(f"\n{n}. {d.kind} at [{d.start}, {d.end}): …{context}…")
        for who, objs in d.versions.items():
            doc = versions[who]
            lines.append(f"   - {who}: " + ("; ".join(_describe(doc, o) for o in objs) if objs else "(nothing)"))
    return "\n".join(lines) + "\n"


def agreed_document(versions: dict[str, Document]) -> Document:
    """The document with only the items every version agrees on (the adjudicator's starting point)."""
    agreed_m, agreed_q, _ = _disputes(versions)
    base = next(iter(versions.values()))
    return _gold(base, [(base, agreed_m, agreed_q)], ())
