"""Speed of the entity scorer against seqeval and nervaluate, and of the paired bootstrap.

    /work/venv/bin/python perf/bench_scorer.py [--tokens 1000000] [--sentences 50000] [--seed 13]

Part 1 builds one synthetic set (1,000,000 tokens in 50,000 sentences, about 8% entity tokens, 4 types;
predictions with 10% of entities corrupted: type changed, boundary moved, or dropped), times our scorer
(spans in, counts out), seqeval's ``classification_report`` and nervaluate's ``Evaluator.evaluate`` on
the same data, checks that the counts agree and prints the ratios.  Part 2 times 10,000 paired bootstrap
resamples for 10 systems over 10,000 documents (intervals, all 45 paired tests, Holm) with peak memory.
Figures are printed, not asserted.
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from itertools import combinations
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aqwal.benchmark.bootstrap import holm, interval, paired_p, resampled_metrics
from aqwal.benchmark.entities import score_entities
from aqwal.benchmark.evaluate import HEADLINES
from aqwal.corpus.tokens import bio_entities

TYPES = ("PER", "ORG", "LOC", "MISC")


def synthetic(tokens: int, sentences: int, seed: int):
    rng = np.random.default_rng(seed)
    length = tokens // sentences
    gold_tags, pred_tags = [], []
    corrupted = total = 0
    for _ in range(sentences):
        g = ["O"] * length
        chunks = []
        i = 0
        while i < length:
            # an entity starts here with p such that about 8% of tokens are inside entities (mean length 1.6)
            if rng.random() < 0.052:
                n = min(int(rng.choice([1, 1, 2, 2, 3])), length - i)
                label = TYPES[rng.integers(4)]
                chunks.append([i, i + n, label])
                i += n + 1  # keep one O between entities
            else:
                i += 1
        p_chunks = []
        for start, end, label in chunks:
            total += 1
            if rng.random() < 0.10:
                corrupted += 1
                kind = rng.integers(3)
                if kind == 0:
                    label = TYPES[(TYPES.index(label) + 1 + rng.integers(3)) % 4]
                elif kind == 1:
                    end = end - 1 if end - start > 1 else min(end + 1, length)
                else:
                    continue
            p_chunks.append((start, end, label))
        p = ["O"] * length
        for tags, cs in ((g, chunks), (p, p_chunks)):
            for start, end, label in cs:
                tags[start] = f"B-{label}"
                for k in range(start + 1, end):
                    tags[k] = f"I-{label}"
        gold_tags.append(g)
        pred_tags.append(p)
    return gold_tags, pred_tags, corrupted, total


def best_of(fn, repeat: int):
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return min(times), result


def part1(args) -> None:
    gold_tags, pred_tags, corrupted, total = synthetic(args.tokens, args.sentences, args.seed)
    n_tokens = sum(map(len, gold_tags))
    entity_tokens = sum(t != "O" for s in gold_tags for t in s)
    print(f"data: {n_tokens:,} tokens, {len(gold_tags):,} sentences, {entity_tokens / n_tokens:.1%} entity tokens, "
          f"{total:,} gold entities, {corrupted:,} corrupted ({corrupted / total:.1%})")
    # our scorer takes spans (the submission format); token index spans here, as BIO decoding gives them
    gold_spans = [bio_entities(s) for s in gold_tags]
    pred_spans = [bio_entities(s) for s in pred_tags]
    ours_t, (ours, _) = best_of(lambda: score_entities(gold_spans, pred_spans, TYPES), 3)
    decode_t, _ = best_of(lambda: ([bio_entities(s) for s in gold_tags], [bio_entities(s) for s in pred_tags]), 1)

    from nervaluate import Evaluator
    from seqeval.metrics import classification_report
    seq_t, report = best_of(lambda: classification_report(gold_tags, pred_tags, output_dict=True, digits=6), 1)
    ner_t, nerv = best_of(lambda: Evaluator(gold_tags, pred_tags, tags=list(TYPES), loader="list").evaluate(), 1)

    # counts agree?
    checks = []
    s = ours.strict
    micro = report["micro avg"]
    checks.append(("seqeval micro P/R/F1", abs(micro["precision"] - s.precision) < 1e-12
                   and abs(micro["recall"] - s.recall) < 1e-12 and abs(micro["f1-score"] - s.f1) < 1e-12))
    checks.append(("seqeval support per type", all(report[t]["support"] == ours.per_label[t].tp + ours.per_label[t].fn
                                                   for t in TYPES)))
    strict = nerv["overall"]["strict"]
    checks.append(("nervaluate strict correct/actual/possible",
                   (strict.correct, strict.actual, strict.possible) == (s.tp, s.tp + s.fp, s.tp + s.fn)))
    for view in ("exact", "ent_type", "partial"):
        r, o = nerv["overall"][view], getattr(ours, view)
        checks.append((f"nervaluate {view} (COR, INC, PAR, MIS, SPU)",
                       (r.correct, r.incorrect, r.partial, r.missed, r.spurious)
                       == (o.correct, o.incorrect, o.partial, o.missed, o.spurious)))
    print(f"strict: tp {s.tp:,} fp {s.fp:,} fn {s.fn:,}  P {s.precision:.4f} R {s.recall:.4f} F1 {s.f1:.4f}")
    for name, ok in checks:
        print(f"  counts agree with {name}: {'yes' if ok else 'NO'}")
    print(f"time: ours {ours_t:.3f} s (best of 3; + {decode_t:.3f} s to decode BIO into spans, not needed for "
          f"span submissions), seqeval classification_report {seq_t:.3f} s, nervaluate {ner_t:.3f} s")
    print(f"ratio: seqeval / ours = {seq_t / ours_t:.1f}x (goal >= 20x), nervaluate / ours = {ner_t / ours_t:.1f}x "
          f"(goal >= 8x); including BIO decoding: {seq_t / (ours_t + decode_t):.1f}x and "
          f"{ner_t / (ours_t + decode_t):.1f}x")


def part2(args) -> None:
    rng = np.random.default_rng(args.seed)
    systems, docs = 10, 10_000
    gold = rng.integers(0, 12, size=docs)
    per_doc = []
    for k in range(systems):
        tp = rng.binomial(gold, 0.6 + 0.02 * k)
        fp = rng.poisson(1.5, size=docs)
        per_doc.append(np.stack([tp, fp, gold - tp], axis=1).astype(np.float64))
    metric = HEADLINES["entities"].metric
    tracemalloc.start()
    t = time.perf_counter()
    values = resampled_metrics(per_doc, [metric] * systems, resamples=args.resamples, seed=args.seed)
    observed = [float(metric(a.sum(axis=0, keepdims=True))[0]) for a in per_doc]
    intervals = [interval(v) for v in values]
    pairs = list(combinations(range(systems), 2))
    adjusted = holm([paired_p(observed[a] - observed[b], values[a] - values[b]) for a, b in pairs])
    elapsed = time.perf_counter() - t
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"bootstrap: {systems} systems x {docs:,} documents x {args.resamples:,} paired resamples "
          f"(intervals + {len(pairs)} paired tests + Holm): {elapsed:.2f} s, peak traced memory "
          f"{peak / 2**20:.0f} MiB, process max RSS {rss:.0f} MiB (goal: under 10 s on 2 cores)")
    print(f"  e.g. system 0: F1 {observed[0]:.4f} [{intervals[0][0]:.4f}, {intervals[0][1]:.4f}]; "
          f"{sum(p < 0.05 for p in adjusted)}/{len(pairs)} pairs significant after Holm")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tokens", type=int, default=1_000_000)
    parser.add_argument("--sentences", type=int, default=50_000)
    parser.add_argument("--resamples", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    part1(args)
    part2(args)


if __name__ == "__main__":
    main()
