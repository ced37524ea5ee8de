"""List the items two annotators' converted versions of the same documents disagree on.

    python annotation/batches/batch-001-adjudication/disputes.py A.jsonl B.jsonl > disputes.txt

Items are compared by position as annotation/adjudicate.py compares them: a mention by (start, end, label),
a quotation by its content span with kind, cue span, speaker span and label, and stances.  Each dispute is
printed with its type (entity boundary / entity label / missing entity / quote span / kind / cue / speaker /
stance) and the text around it.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from aqwal.corpus.jsonl import read_documents
from aqwal.corpus.model import Document


def load(path: str) -> dict[str, Document]:
    return {d.id: d for d in read_documents(path)}


def mkey(m):
    return (m.span.start, m.span.end, m.label)


def qsig(doc, q):
    sp = doc.mention(q.speaker) if q.speaker else None
    return {"kind": q.kind, "cue": (q.cue.start, q.cue.end, q.cue.text) if q.cue else None,
            "speaker": (sp.span.start, sp.span.end, sp.label, sp.span.text) if sp else None,
            "stance": tuple(sorted((s.target, s.label) for s in q.stance))}


def overlaps(a, b):
    return a[0] < b[1] and b[0] < a[1]


def disputes(a: Document, b: Document) -> list[dict]:
    out = []
    ma = {mkey(m): m for m in a.entities + a.sources}
    mb = {mkey(m): m for m in b.entities + b.sources}
    for side, mine, other in (("A", ma, mb), ("B", mb, ma)):
        for k in sorted(set(mine) - set(other)):
            same_span = [o for o in other if o[:2] == k[:2]]
            over = [o for o in other if overlaps(o, k) and o[2] == k[2]]
            if same_span:
                kind = "entity label"
                if side == "B":
                    continue  # reported once, from A's side
            elif over:
                kind = "entity boundary"
                if side == "B":
                    continue
            else:
                kind = "missing entity"
            m = mine[k]
            out.append({"type": kind, "side": side, "start": k[0], "end": k[1], "label": k[2], "text": m.span.text,
                        "other": [(o, other[o].span.text) for o in same_span + over]})
    qa = {(q.span.start, q.span.end): q for q in a.quotes}
    qb = {(q.span.start, q.span.end): q for q in b.quotes}
    for k in sorted(set(qa) | set(qb)):
        if k in qa and k in qb:
            sa, sb = qsig(a, qa[k]), qsig(b, qb[k])
            for f in ("kind", "cue", "speaker", "stance"):
                if sa[f] != sb[f]:
                    out.append({"type": f, "side": "both", "start": k[0], "end": k[1],
                                "text": (qa[k].span.text), "A": sa[f], "B": sb[f]})
        else:
            side, q, doc, other = ("A", qa[k], a, qb) if k in qa else ("B", qb[k], b, qa)
            over = [o for o in other if overlaps(o, k)]
            out.append({"type": "quote span", "side": side, "start": k[0], "end": k[1], "text": q.span.text,
                        "sig": qsig(doc, q), "other": over})
    return out


def main(pa: str, pb: str) -> None:
    A, B = load(pa), load(pb)
    for doc_id in sorted(set(A) & set(B)):
        a, b = A[doc_id], B[doc_id]
        ds = disputes(a, b)
        if not ds:
            continue
        print(f"=== {doc_id} ({len(ds)} disputes) targets={[(t.id, t.text) for t in a.targets]}")
        for d in ds:
            ctx = a.text[max(0, d['start'] - 40):d['start']] + "[[" + a.text[d['start']:d['end']] + "]]" + \
                a.text[d['end']:d['end'] + 40]
            extra = {k: v for k, v in d.items() if k not in ("type", "side", "start", "end", "text")}
            print(f"- {d['type']} | {d['side']} | {d['start']}-{d['end']} | {extra}")
            print(f"    {ctx.replace(chr(10), ' / ')}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
