"""Conversion, agreement and adjudication on a large synthetic export; prints seconds and peak memory.

    python perf/bench_annotation_convert.py [--documents 2000] [--annotators 2]

Documents are slices of the seed article with random entities and quotations; each annotator's version is
turned into a Label Studio export (the shape of 1.23.2's full JSON), serialised, parsed and converted.
No server is involved (perf/bench_annotation.py measures push and pull against a real one).
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aqwal.annotation.adjudicate import adjudicate
from aqwal.benchmark.agreement import agreement, double_annotated
from aqwal.annotation.convert import convert_export
from aqwal.annotation.labelstudio import annotation, task_data
from aqwal.corpus.model import Document, Mention, Quote, Stance, Target
from aqwal.corpus.paths import shared_data
from aqwal.corpus.schema import STANCE_LABELS
from aqwal.corpus.spans import Span


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def version(rng: random.Random, text: str, doc_id: str) -> Document:
    entities = []
    for i, s in enumerate(rng.sample(range(len(text) - 20), 30)):  # distinct spans: no duplicate regions
        entities.append(Mention(f"e{i}", Span.of(text, s, s + rng.randint(3, 15)), rng.choice(["PER", "ORG", "GPE"])))
    quotes = []
    for i, s in enumerate(rng.sample(range(len(text) - 200), 8)):
        quotes.append(Quote(f"q{i}", Span.of(text, s, s + 100), "indirect", Span.of(text, s + 150, s + 153), f"e{i}",
                            (Stance("t1", rng.choice(STANCE_LABELS)),)))
    return Document.create(id=doc_id, text=text, source="seed", license="all-rights-reserved",
                           targets=(Target("t1", "وجود القوات الأجنبية في العراق"),), entities=tuple(entities),
                           quotes=tuple(quotes))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--annotators", type=int, default=2)
    args = parser.parse_args()
    seed = (shared_data() / "seed" / "000_5dc3969279ada9b6.txt").read_text(encoding="utf-8")
    rng = random.Random(1)
    tasks = []
    for n in range(args.documents):
        text = seed[: rng.randint(2000, len(seed))]
        versions = [version(rng, text, f"d{n}") for _ in range(args.annotators)]
        tasks.append({"id": n, "data": task_data(versions[0]), "drafts": [], "predictions": [],
                      "annotations": [annotation(v, completed_by=a + 1, created_at="2026-01-05T10:00:00Z")
                                      for a, v in enumerate(versions)]})
    raw = json.dumps(tasks, ensure_ascii=False)
    del tasks
    print(f"export: {args.documents:,} tasks x {args.annotators} annotators, {len(raw.encode()) / 1e6:.1f} MB; "
          f"peak RSS so far {peak_mb():.0f} MB")
    t = time.perf_counter()
    conv = convert_export(json.loads(raw))
    print(f"parse + convert: {time.perf_counter() - t:.2f} s, {conv.results:,} results, "
          f"{len(conv.rejected)} rejected; peak RSS {peak_mb():.0f} MB")
    t = time.perf_counter()
    agreement(double_annotated(conv.documents), resamples=1000)
    print(f"agreement: {time.perf_counter() - t:.2f} s (imports included); peak RSS {peak_mb():.0f} MB")
    t = time.perf_counter()
    result = adjudicate(conv.documents)
    print(f"adjudicate: {time.perf_counter() - t:.2f} s, {len(result.gold):,} gold, {len(result.review):,} review; "
          f"peak RSS {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
