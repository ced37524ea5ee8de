"""Flags likely misses in the batch's worksheet: an annotated name occurring elsewhere unannotated; a reporting
verb with no quotation cue there; a quotation-mark pair with no quotation span over it."""
import csv
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[2]), str(HERE)]
from annotate import (
    resolve,
    word_occurrences,
)
from worksheet import SHEET

with open(HERE.parents[2] / "corpus/data/reporting_verbs.tsv", encoding="utf-8") as fh:
    verbs = {row[0] for row in csv.reader(fh, delimiter="\t") if row and not row[0].startswith("#")}
with open(HERE / "documents.jsonl", encoding="utf-8") as fh:
    docs = [json.loads(line) for line in fh]
for doc in docs:
    d = resolve(doc, SHEET[doc["id"]])
    text = d.text
    covered = [(m.span.start, m.span.end) for m in d.entities]
    for name in sorted({m.span.text for m in d.entities if m.label in ("PER", "ORG", "GPE")}):
        for a in word_occurrences(text, name):
            if not any(s <= a and a + len(name) <= e for s, e in covered):
                print(f"{d.id}: name {name!r} unannotated at {a}: {text[max(0, a - 20):a + len(name) + 10]!r}")
    cues = {q.cue.start for q in d.quotes}
    for v in verbs:
        for a in word_occurrences(text, v):
            if a not in cues and not any(q.span.start <= a < q.span.end for q in d.quotes):
                print(f"{d.id}: verb {v!r} at {a} without a quotation: {text[max(0, a - 15):a + 50]!r}")
    for m in re.finditer(r'"[^"\n]{3,}?"', text):
        if not any(q.span.start <= m.start() + 2 and m.end() - 2 <= q.span.end for q in d.quotes):
            print(f"{d.id}: marks without a quotation: {m.group()[:60]!r}")
