"""Build the adjudicator's annotation of each disputed batch-001 document and submit it to the review project.

    python annotation/batches/batch-001-adjudication/adjudicate_batch.py A.jsonl B.jsonl decisions.tsv [--submit]

A.jsonl / B.jsonl are `aqwal annotate convert` of llm-annotator-a's and llm-annotator-b's snapshots.  Every
dispute listed by disputes.py must have one row in decisions.tsv (document, type, start, end, item, A, B,
decision, reason); decision A or B names the version taken for that item (for an item only one version has,
"A"/"B" means: as that annotator had it — in or out).  The adjudicated document starts from B's version, the
decisions are applied, and the result is rebuilt through aqwal.corpus.model.Document.from_dict, so every span is
validated against the text.  With --submit, each is posted (env LABEL_STUDIO_URL, LABEL_STUDIO_API_KEY =
the adjudicator's token) as an annotation of the review task of that document in "Aqwal batch 001 review".
"""
from __future__ import annotations

import csv
import json
import os
import sys
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from disputes import disputes, load, mkey

from aqwal.corpus.model import Document

PROJECT = "Aqwal batch 001 review"


def read_decisions(path: str) -> dict[tuple, str]:
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    out = {}
    for r in rows:
        if r["decision"] not in ("A", "B"):
            raise SystemExit(f"{path}: decision must be A or B, got {r['decision']!r} ({r})")
        out[(r["document"], r["type"], int(r["start"]), int(r["end"]))] = r["decision"]
    return out


def quote_record(doc: Document, q) -> dict:
    sp = doc.mention(q.speaker) if q.speaker else None
    return {"span": q.span, "kind": q.kind, "cue": q.cue, "speaker": mkey(sp) if sp else None,
            "speaker_mention": sp, "stance": [{"target": s.target, "label": s.label} for s in q.stance]}


def adjudicated(a: Document, b: Document, decisions: dict[tuple, str]) -> Document:
    mentions = {mkey(m): m for m in b.entities + b.sources}
    a_mentions = {mkey(m): m for m in a.entities + a.sources}
    quotes = {(q.span.start, q.span.end): quote_record(b, q) for q in b.quotes}
    a_quotes = {(q.span.start, q.span.end): quote_record(a, q) for q in a.quotes}
    for d in disputes(a, b):
        key = (a.id, d["type"], d["start"], d["end"])
        if key not in decisions:
            raise SystemExit(f"no decision for {key}")
        choice = decisions[key]
        if d["type"] in ("entity boundary", "entity label", "missing entity"):
            k = (d["start"], d["end"], d["label"])
            if d["side"] == "A" and choice == "A":
                mentions[k] = a_mentions[k]
                for other, _ in d.get("other", []):
                    mentions.pop(other, None)
            elif d["side"] == "B" and choice == "A":
                mentions.pop(k)
        elif d["type"] == "quote span":
            k = (d["start"], d["end"])
            if d["side"] == "A" and choice == "A":
                quotes[k] = a_quotes[k]
            elif d["side"] == "B" and choice == "A":
                quotes.pop(k)
        else:  # kind / cue / speaker / stance of a quotation both have
            if choice == "A":
                k = (d["start"], d["end"])
                field = d["type"]
                quotes[k][field] = a_quotes[k][field]
                if field == "speaker":
                    quotes[k]["speaker_mention"] = a_quotes[k]["speaker_mention"]
    for q in quotes.values():  # a quotation's speaker goes with it
        if q["speaker"] is not None and q["speaker"] not in mentions:
            mentions[q["speaker"]] = q["speaker_mention"]
    ids, entities, sources = {}, [], []
    for k in sorted(mentions):
        m = mentions[k]
        bucket = sources if m.label == "SOURCE" else entities
        ids[k] = f"{'s' if m.label == 'SOURCE' else 'e'}{len(bucket) + 1}"
        rec = {"id": ids[k], "start": m.span.start, "end": m.span.end, "text": m.span.text}
        if m.label != "SOURCE":
            rec["label"] = m.label
        bucket.append(rec)
    qs = []
    for n, k in enumerate(sorted(quotes), start=1):
        q = quotes[k]
        rec = {"id": f"q{n}", "start": q["span"].start, "end": q["span"].end, "text": q["span"].text,
               "kind": q["kind"], "speaker": ids[q["speaker"]] if q["speaker"] else None, "stance": q["stance"]}
        if q["cue"] is not None:
            rec["cue"] = {"start": q["cue"].start, "end": q["cue"].end, "text": q["cue"].text}
        qs.append(rec)
    record = b.to_dict()
    record.update(entities=entities, sources=sources, quotes=qs, annotations=[])
    return Document.from_dict(record)  # validates every span against the text


def api(method: str, url: str, token: str, body=None):
    req = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": f"Token {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as resp:
        return json.loads(resp.read() or b"null")


def submit(docs: list[Document]) -> None:
    from aqwal.annotation.labelstudio import document_results
    url, token = os.environ["LABEL_STUDIO_URL"].rstrip("/"), os.environ["LABEL_STUDIO_API_KEY"]
    projects = api("GET", f"{url}/api/projects?title={urllib.parse.quote(PROJECT)}", token)
    project = next(p for p in projects["results"] if p["title"] == PROJECT)
    tasks = api("GET", f"{url}/api/tasks?project={project['id']}&page_size=1000&fields=all", token)["tasks"]
    by_doc = {t["data"]["doc_id"]: t for t in tasks}
    for d in docs:
        t = by_doc[d.id]
        results = document_results(d)
        if t.get("annotations"):
            [ann] = t["annotations"]
            if ann["result"] != results:
                api("PATCH", f"{url}/api/annotations/{ann['id']}", token, {"result": results})
                print(f"{d.id}: annotation {ann['id']} updated")
            continue
        body = {"result": results, "was_cancelled": False, "ground_truth": False, "lead_time": None}
        ann = api("POST", f"{url}/api/tasks/{t['id']}/annotations", token, body)
        print(f"{d.id}: annotation {ann['id']} on task {t['id']}, {len(results)} results")


def main(argv: list[str]) -> None:
    A, B = load(argv[0]), load(argv[1])
    decisions = read_decisions(argv[2])
    docs = [adjudicated(A[i], B[i], decisions) for i in sorted(set(A) & set(B)) if disputes(A[i], B[i])]
    for d in docs:
        print(f"{d.id}: {len(d.entities)} entities, {len(d.sources)} sources, {len(d.quotes)} quotes")
    if "--submit" in argv:
        submit(docs)


if __name__ == "__main__":
    main(sys.argv[1:])
