"""Push 2,000 SaudiNewsNet documents with pre-annotations to a real Label Studio, pull and convert them.

    python perf/bench_annotation.py [--documents 2000] [--batch-size 200]

Starts a fresh server (own data dir, deleted afterwards) unless LABEL_STUDIO_URL / LABEL_STUDIO_API_KEY point
to one.  Pre-annotations are made here: every «...» or "..." span is a direct quotation, with the nearest
reporting verb before it as cue and a neutral stance toward the document's target.  Each task also gets one
annotation equal to its pre-annotation (an annotator who accepted it), imported with the task, so that the
conversion has 2,000 annotations to convert.  Prints seconds and peak memory per step: the Python heap peak
of the step (tracemalloc, which slows the steps a little) and the process's peak RSS so far.
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aqwal.annotation.client import connection, push_tasks
from aqwal.annotation.convert import convert_export, load_export
from aqwal.annotation.labelstudio import prediction, predictions_results, task
from aqwal.annotation.server import LabelStudioServer
from aqwal.annotation.snapshot import pull
from aqwal.corpus.jsonl import iter_json_lines
from aqwal.corpus.model import Document, Target
from aqwal.corpus.paths import shared_data

QUOTED = re.compile(r"«([^«»\n]{3,400})»|\"([^\"\n]{3,400})\"")
CUES = re.compile(r"(?<![\w])[وف]?(قال|أكد|اكد|أضاف|اضاف|أشار|اشار|أوضح|اوضح|شدد|أعلن|اعلن)")
TARGET = Target("t-government", "أداء الحكومة")
rows: list[list] = []


def step(name: str, fn):
    tracemalloc.start()
    tracemalloc.reset_peak()
    t0 = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows.append([name, seconds, peak / 2**20, rss])
    print(f"{name:<34} {seconds:8.1f} s   heap peak {peak / 2**20:7.1f} MB   process RSS peak {rss:7.1f} MB",
          flush=True)
    return result


def documents(n: int) -> list[Document]:
    docs = []
    for _, r in iter_json_lines(shared_data() / "saudinewsnet" / "candidates_with_quotes.jsonl.gz"):
        if not r.get("content"):
            continue
        docs.append(Document.create(
            id=r["id"], text=r["content"], source="saudinewsnet", license="cc-by-nc-sa-4.0", title=r.get("title"),
            outlet=r.get("source"), url=r.get("url"), published=(r.get("date_extracted") or "")[:10] or None,
            author=r.get("author"), targets=(TARGET,)))
        if len(docs) == n:
            break
    return docs


def predict(doc: Document) -> dict:
    quotes = []
    for m in QUOTED.finditer(doc.text):
        start, end = (m.start(1), m.end(1)) if m.group(1) else (m.start(2), m.end(2))
        quote: dict = {"start": start, "end": end, "kind": "direct", "cue": None, "speaker": None,
                       "stance": [{"target": TARGET.id, "label": "neutral"}]}
        cues = [c for c in CUES.finditer(doc.text, max(0, start - 80), start)]
        if cues:
            quote["cue"] = {"start": cues[-1].start(1), "end": cues[-1].end(1)}
        quotes.append(quote)
    return {"id": doc.id, "entities": [], "quotes": quotes}


def make_tasks(docs: list[Document], annotator: int) -> list[dict]:
    out = []
    for doc in docs:
        results = predictions_results(doc, predict(doc))
        t = task(doc, [prediction(results, "quote-marks@0.1")])
        # submitted as an annotator would: each quotation with its kind (pre-annotations never carry one)
        kinds = [{"id": r["id"], "from_name": "kind", "to_name": "text", "type": "choices",
                  "value": {**{k: r["value"][k] for k in ("start", "end", "text")}, "choices": ["direct"]}}
                 for r in results if r["type"] == "labels" and r["value"]["labels"] == ["QUOTE"]]
        t["annotations"] = [{"result": results + kinds, "completed_by": annotator, "lead_time": 30.0}]
        out.append(t)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--batch-size", type=int, default=200)
    args = parser.parse_args()
    server = None
    with tempfile.TemporaryDirectory(prefix="aqwal-bench-") as tmp:
        if os.environ.get("LABEL_STUDIO_URL"):
            conn = connection()
        else:
            server = step("start a fresh server (cold)", lambda: LabelStudioServer(Path(tmp) / "ls").start())
            conn = connection(server.url, server.login.token)
        try:
            admin = conn.sdk().users.whoami().id
            docs = step(f"read {args.documents:,} documents", lambda: documents(args.documents))
            tasks = step("pre-annotate (quotation marks)", lambda: make_tasks(docs, admin))
            n_quotes = sum(sum(r["type"] == "labels" and r["value"]["labels"] == ["QUOTE"]
                               for r in t["predictions"][0]["result"]) for t in tasks)
            print(f"  {len(tasks):,} tasks, {n_quotes:,} pre-annotated quotations", flush=True)
            report = step("push (create project, import)", lambda: push_tasks(
                conn, "Aqwal bench", tasks, targets=0, batch_size=args.batch_size))
            assert report.imported == len(tasks), report.to_dict()
            again = step("push again (nothing to import)", lambda: push_tasks(
                conn, "Aqwal bench", tasks, targets=0, batch_size=args.batch_size))
            assert again.imported == 0 and again.already_there == len(tasks), again.to_dict()
            snapshot = step("pull (export + snapshot)", lambda: pull(conn, "Aqwal bench", Path(tmp) / "snapshots"))
            size = (snapshot / "export.json").stat().st_size
            print(f"  export.json {size / 2**20:.1f} MB", flush=True)
            conv = step("convert (load + convert export)", lambda: convert_export(load_export(snapshot)))
            converted = sum(len(d) for d in conv.documents.values())
            print(f"  {converted:,} documents converted, {len(conv.rejected):,} rejected, "
                  f"{conv.results:,} results", flush=True)
            assert converted == len(tasks) and not conv.rejected
            if server is not None:
                status = Path(f"/proc/{server._process.pid}/status").read_text()
                hwm = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))
                print(f"  Label Studio server peak RSS {int(hwm) / 1024:.0f} MB", flush=True)
        finally:
            if server is not None:
                server.stop()


if __name__ == "__main__":
    main()
