"""Throughput of the baselines on real news text (SaudiNewsNet candidates), to budget the main job.

``rules`` runs on N articles; ``crf`` is trained on the rules' own output for the first half (silver data:
this measures time, not quality) and predicts the second half.

    .venv/bin/python perf/systems_speed.py [--docs 300]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aqwal.corpus.jsonl import iter_json_lines
from aqwal.corpus.model import Document, Mention, Quote
from aqwal.corpus.paths import shared_data
from aqwal.corpus.spans import Span


def articles(n: int) -> list[tuple[str, str]]:
    out = []
    for _, rec in iter_json_lines(shared_data() / "saudinewsnet" / "candidates_with_quotes.jsonl.gz"):
        if rec.get("content"):
            out.append((str(rec["id"]), rec["content"]))
        if len(out) == n:
            break
    return out


def silver(doc_id: str, text: str, rec: dict) -> Document:
    ents = tuple(Mention(f"e{i}", Span.of(text, e["start"], e["end"]), e["label"])
                 for i, e in enumerate(rec["entities"]))
    quotes = tuple(Quote(f"q{i}", Span.of(text, q["start"], q["end"]), "indirect",
                         Span.of(text, q["cue"]["start"], q["cue"]["end"]) if q["cue"] else None, None)
                   for i, q in enumerate(rec["quotes"]))
    return Document.create(id=doc_id, text=text, source="saudinewsnet", license="cc-by-nc-sa-4.0",
                           entities=ents, quotes=quotes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=300)
    args = parser.parse_args()
    from aqwal.benchmark.systems.crf import CRFSystem
    from aqwal.benchmark.systems.protocol import DocumentView
    from aqwal.benchmark.systems.rules import Rules

    docs = articles(args.docs)
    chars = sum(len(t) for _, t in docs)
    rules = Rules()
    t0 = time.perf_counter()
    recs = [rules.predict(DocumentView(i, t)) for i, t in docs]
    t1 = time.perf_counter()
    print(f"rules: {len(docs):,} articles, {chars:,} characters in {t1 - t0:.1f} s "
          f"({len(docs) / (t1 - t0):.1f} articles/s)")
    half = len(docs) // 2
    train = [silver(i, t, r) for (i, t), r in zip(docs[:half], recs[:half])]
    crf = CRFSystem()
    t2 = time.perf_counter()
    crf.fit(train)
    t3 = time.perf_counter()
    for i, t in docs[half:]:
        crf.predict(DocumentView(i, t))
    t4 = time.perf_counter()
    print(f"crf: trained on {half:,} articles (rules output as silver data) in {t3 - t2:.1f} s; predicted "
          f"{len(docs) - half:,} in {t4 - t3:.1f} s ({(len(docs) - half) / (t4 - t3):.1f} articles/s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
