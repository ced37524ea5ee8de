"""Annotating from a worksheet: the annotator writes, per document, surface strings (entities with labels;
quotations by their first and last words, kind, cue word, speaker and one stance letter per target), and this
module turns them into offsets, checks every span against the text, compares with a system's pre-annotation,
flags likely misses, and submits each document's annotation to Label Studio through its API as the
annotator's own user (with ``parent_prediction`` set when a pre-annotation was the starting point).

A batch is a folder with ``documents.jsonl`` (the documents, with their targets) and ``worksheet.py``
(``SHEET = {document id: {"E": [...], "Q": [...]}}``; see annotation/batches/batch-001/worksheet.py).

  python -m aqwal.annotation.worksheet review BATCH [--rules PRED.jsonl] [DOC_ID ...]  # offsets, checks, diffs
  python -m aqwal.annotation.worksheet flag BATCH                                      # likely misses
  python -m aqwal.annotation.worksheet submit BATCH --project P [--model-version rules@0.2.0]
        # needs LABEL_STUDIO_URL and the annotator's LABEL_STUDIO_API_KEY
"""
from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import json
import os
import re
import sys
import urllib.parse
import urllib.request
from pathlib import Path

from aqwal.corpus.arabic import PROCLITICS, normalise
from aqwal.corpus.jsonl import iter_json_lines
from aqwal.corpus.model import Document, Mention, Quote, Stance
from aqwal.corpus.reporting import load_verbs
from aqwal.corpus.schema import SOURCE, STANCE_LABELS
from aqwal.corpus.spans import Span

LETTER = re.compile(r"[\u0621-\u065F\u0670-\u06D3A-Za-z0-9]")


def word_occurrences(text: str, s: str) -> list[int]:
    """Starts of ``s`` in ``text`` as a whole word, allowing up to two proclitics before it."""
    out = []
    for m in re.finditer(re.escape(s), text):
        a, b = m.start(), m.end()
        if b < len(text) and LETTER.match(text[b]) and LETTER.match(s[-1]):
            continue
        i = a
        while i > 0 and a - i < 2 and text[i - 1] in PROCLITICS:
            i -= 1
        if (a > 0 and LETTER.match(text[a - 1]) and LETTER.match(s[0])
                and (i == a or (i > 0 and LETTER.match(text[i - 1])))):
            continue
        out.append(a)
    return out


def resolve(doc: dict, sheet: dict) -> Document:
    text = doc["text"]
    entities, sources, quotes = [], [], []
    n = 0
    for item in sheet.get("E", []):
        s, label, *rest = item
        opts = rest[0] if rest else {}
        starts = word_occurrences(text, s)
        assert starts, f"{doc['id']}: entity {s!r} not found"
        if "only" in opts:
            starts = [starts[k] for k in opts["only"]]
        if "skip" in opts:
            starts = [a for k, a in enumerate(starts) if k not in opts["skip"]]
        for a in starts:
            n += 1
            entities.append(Mention(f"e{n}", Span.of(text, a, a + len(s)), label))
    # a name inside a longer name of the same label is not marked again (nesting is across labels)
    entities = [m for m in entities if not any(o.label == m.label and o.span.start <= m.span.start and
                                               m.span.end <= o.span.end and o.span != m.span for o in entities)]
    assert len({(m.span.start, m.span.end, m.label) for m in entities}) == len(entities), "duplicate entity"

    def find(s: str, after: int | str = 0, before: int | None = None, last: bool = False, raw: bool = False) -> int:
        if isinstance(after, str):
            after = text.index(after)
        starts = (word_occurrences(text, s) if LETTER.match(s[0]) and not raw
                  else [m.start() for m in re.finditer(re.escape(s), text)])
        hits = [a for a in starts
                if a >= after and (before is None or a + len(s) <= before)]
        assert hits, f"{doc['id']}: {s!r} not found in [{after}, {before})"
        return hits[-1] if last else hits[0]

    targets = [t["id"] for t in doc["targets"]]
    for k, q in enumerate(sheet.get("Q", []), start=1):
        a = find(q["from"], q.get("after", 0))
        b = find(q["to"], a) + len(q["to"])
        span = Span.of(text, a, b)
        assert span.text == text[a:b] and span.text.strip() == span.text, span.text
        cue_text = q["cue"]
        if q.get("cue_after"):
            c = find(cue_text, b)
        else:
            c = find(cue_text, 0, a, last=True, raw=q.get("cue_raw", False))  # raw: a cue with an enclitic
        cue = Span.of(text, c, c + len(cue_text))
        kind, (sp_kind, sp_text) = q["kind"], q["speaker"]
        if sp_kind == "S":
            s0 = find(sp_text, 0, b, last=True) if not q.get("source_after") else find(sp_text, b)
            sid = f"s{len(sources) + 1}"
            existing = [m for m in sources if m.span.start == s0]
            if existing:
                sid = existing[0].id
            else:
                sources.append(Mention(sid, Span.of(text, s0, s0 + len(sp_text)), SOURCE.name))
            speaker = sid
        else:
            cands = [m for m in entities if m.span.text == sp_text]
            assert cands, f"{doc['id']}: speaker {sp_text!r} is not an entity"
            before = [m for m in cands if m.span.end <= a]
            speaker = (max(before, key=lambda m: m.span.start) if before and not q.get("speaker_after")
                       else min([m for m in cands if m.span.start >= b], key=lambda m: m.span.start)).id
        stance = q.get("stance", "")
        assert len(stance) == len(targets), f"{doc['id']} quote {k}: {len(stance)} stances for {targets}"
        labels = {label[0]: label for label in STANCE_LABELS}  # f, a, n
        quotes.append(Quote(f"q{k}", span, kind, cue, speaker,
                            tuple(Stance(t, labels[x]) for t, x in zip(targets, stance))))
    return dataclasses.replace(Document.from_dict(doc), entities=tuple(entities), sources=tuple(sources),
                               quotes=tuple(quotes))



def pool_records(path: Path | None = None) -> list[dict]:
    """The annotation pool's records (corpus/data/pool.jsonl), in file order."""
    from aqwal.corpus.paths import CORPUS_DATA
    return [record for _, record in iter_json_lines(path or CORPUS_DATA / "pool.jsonl")]


def shortest_per_outlet(pool: list[dict], outlets: tuple[str, ...], per_outlet: int, skip=()) -> list[str]:
    """Ids of the ``per_outlet`` shortest SaudiNewsNet documents of each outlet (by length, then id), in outlet
    order, leaving out ``skip``: a fixed rule, so a chooser re-run picks the same documents."""
    chosen: list[str] = []
    for outlet in outlets:
        docs = sorted((d for d in pool if d.get("source") == "saudinewsnet" and d.get("outlet") == outlet),
                      key=lambda d: (len(d["text"]), d["id"]))
        chosen += [d["id"] for d in docs if d["id"] not in skip][:per_outlet]
    return chosen


def write_batch_documents(batch: Path, doc_ids: list[str], targets_of: dict[str, list[str]],
                          pool: list[dict] | None = None) -> int:
    """Write ``batch/documents.jsonl``: the pool documents ``doc_ids``, in that order, each with its targets
    (ids of the inventory annotation/targets.tsv), every record checked by the document model."""
    import csv
    with open(Path(__file__).with_name("targets.tsv"), encoding="utf-8") as fh:
        inventory = {row["id"]: row["text"] for row in csv.DictReader(fh, delimiter="\t")}
    by_id = {d["id"]: d for d in (pool if pool is not None else pool_records())}
    with open(batch / "documents.jsonl", "w", encoding="utf-8") as out:
        for doc_id in doc_ids:
            rec = dict(by_id[doc_id], targets=[{"id": t, "text": inventory[t]} for t in targets_of.get(doc_id, [])])
            Document.from_dict(rec)
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return len(doc_ids)


def load_batch(batch: Path) -> tuple[list[dict], dict]:
    """The batch's documents (in file order) and its worksheet."""
    docs = [record for _, record in iter_json_lines(batch / "documents.jsonl")]
    spec = importlib.util.spec_from_file_location(f"worksheet_{batch.name.replace('-', '_')}", batch / "worksheet.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return docs, module.SHEET


def load_predictions(path: Path | None) -> dict:
    if path is None:
        return {}
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if "id" in rec:
            out[rec["id"]] = rec
    return out


def review(batch: Path, ids: list[str], rules: dict) -> None:
    docs, sheet = load_batch(batch)
    for doc in docs:
        if ids and doc["id"] not in ids or doc["id"] not in sheet:
            continue
        d = resolve(doc, sheet[doc["id"]])
        print(f"=== {d.id}: {len(d.entities)} entities, {len(d.quotes)} quotes, {len(d.sources)} sources")
        mine = {(m.span.start, m.span.end, m.label) for m in d.entities}
        for m in sorted(d.entities, key=lambda m: m.span.start):
            print(f"  {m.label:5} {m.span.start:5} {m.span.text}")
        r = rules.get(d.id, {})
        theirs = {(e["start"], e["end"], e["label"]) for e in r.get("entities", [])}
        for s, e, lab in sorted(theirs - mine):
            print(f"  rules-only {lab:5} {d.text[s:e]!r} @{s} ctx={d.text[max(0, s - 12):e + 12]!r}")
        for q in d.quotes:
            sp = {m.id: m.span.text for m in d.entities + d.sources}[q.speaker]
            print(f"  Q {q.id} {q.kind} cue={q.cue.text!r} speaker={sp!r} "
                  f"stance={[(s.target, s.label) for s in q.stance]}\n     «{q.span.text}»")
        for x in r.get("quotes", []):
            s, e = x["start"], x["end"]
            if not any(q.span.start < e and s < q.span.end for q in d.quotes):
                print(f"  rules-only QUOTE {d.text[s:e]!r}")


def flag(batch: Path) -> int:
    """Likely misses: a name annotated somewhere but not elsewhere, a reporting verb with no quotation there,
    a pair of quotation marks with no quotation over it.  Returns how many were listed."""
    docs, sheet = load_batch(batch)
    verbs = set(load_verbs())
    n = 0
    for doc in docs:
        if doc["id"] not in sheet:
            continue
        d = resolve(doc, sheet[doc["id"]])
        text = d.text
        covered = [(m.span.start, m.span.end) for m in d.entities]
        for name in sorted({m.span.text for m in d.entities if m.label in ("PER", "ORG", "GPE")}):
            for a in word_occurrences(text, name):
                if not any(s <= a and a + len(name) <= e for s, e in covered):
                    n += 1
                    print(f"{d.id}: name {name!r} unannotated at {a}: {text[max(0, a - 20):a + len(name) + 10]!r}")
        cues = {q.cue.start for q in d.quotes}
        for m in re.finditer(r"\w+", text):
            word = m.group()
            key = normalise(word[1:] if word[:1] in "وف" and normalise(word) not in verbs else word)
            a = m.start() + (len(word) - len(key) if key != normalise(word) else 0)
            if key in verbs and a not in cues and m.start() not in cues and \
                    not any(q.span.start <= m.start() < q.span.end for q in d.quotes):
                n += 1
                print(f"{d.id}: verb {word!r} at {m.start()} without a quotation: "
                      f"{text[max(0, m.start() - 15):m.start() + 50]!r}")
        for m in re.finditer(r'"[^"\n]{3,}?"|«[^»\n]{3,}?»|“[^”\n]{3,}?”', text):
            if not any(q.span.start <= m.start() + 2 and m.end() - 2 <= q.span.end for q in d.quotes):
                n += 1
                print(f"{d.id}: marks without a quotation: {m.group()[:60]!r}")
    return n


def api(method: str, url: str, token: str, body=None):
    req = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": f"Token {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as resp:
        return json.loads(resp.read() or b"null")


def submit(batch: Path, project_title: str, model_version: str | None) -> None:
    from aqwal.annotation.labelstudio import document_results
    url, token = os.environ["LABEL_STUDIO_URL"].rstrip("/"), os.environ["LABEL_STUDIO_API_KEY"]
    docs, sheet = load_batch(batch)
    projects = api("GET", f"{url}/api/projects?title={urllib.parse.quote(project_title)}", token)
    project = next(p for p in projects["results"] if p["title"] == project_title)
    tasks = api("GET", f"{url}/api/tasks?project={project['id']}&page_size=1000&fields=all", token)["tasks"]
    by_doc = {t["data"]["doc_id"]: t for t in tasks}
    for doc in docs:
        if doc["id"] not in sheet:
            continue
        d = resolve(doc, sheet[doc["id"]])
        t = by_doc[d.id]
        results = document_results(d)
        if t.get("annotations"):  # a revision of the worksheet since the last submission updates the annotation
            [ann] = t["annotations"]
            if ann["result"] != results:
                api("PATCH", f"{url}/api/annotations/{ann['id']}", token, {"result": results})
                print(f"{d.id}: annotation {ann['id']} on task {t['id']} updated")
            continue
        preds = [p for p in api("GET", f"{url}/api/predictions?task={t['id']}", token)
                 if model_version and p.get("model_version") == model_version]
        body = {"result": results, "was_cancelled": False, "ground_truth": False,
                "lead_time": None, "parent_prediction": preds[0]["id"] if preds else None}
        ann = api("POST", f"{url}/api/tasks/{t['id']}/annotations", token, body)
        print(f"{d.id}: annotation {ann['id']} on task {t['id']} (parent prediction "
              f"{ann.get('parent_prediction')}), {len(body['result'])} results")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m aqwal.annotation.worksheet", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=["review", "flag", "submit"])
    parser.add_argument("batch", type=Path, help="batch folder: documents.jsonl + worksheet.py")
    parser.add_argument("ids", nargs="*", help="review only these documents")
    parser.add_argument("--rules", type=Path, help="a system's predictions to compare with (review)")
    parser.add_argument("--project", help="Label Studio project title (submit)")
    parser.add_argument("--model-version", help="the pre-annotation the annotator started from (submit)")
    args = parser.parse_args(argv)
    if args.step == "review":
        review(args.batch, args.ids, load_predictions(args.rules))
    elif args.step == "flag":
        print(f"{flag(args.batch)} item(s) flagged", file=sys.stderr)
    else:
        if not args.project:
            parser.error("submit needs --project")
        submit(args.batch, args.project, args.model_version)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
