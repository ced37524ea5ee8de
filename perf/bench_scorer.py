"""Whole-process speed of ``aqwal evaluate`` against seqeval and nervaluate, on one synthetic case.

    python perf/bench_scorer.py [--docs 50000] [--words 20] [--runs 3] [--seed 13] [--work DIR]
    python perf/bench_scorer.py --docs 500000 --runs 1 --warmup 0                  # 10M tokens
    python perf/bench_scorer.py --paired                     # the leaderboard's paired bootstrap, in-process

The case is made deterministically from ``--seed``: ``--docs`` documents of ``--words`` Arabic words
(1,000,000 tokens by default), four entity types (PER, ORG, LOC, MISC) placed about once per document;
the predictions corrupt 10% of the gold entities (type changed, boundary moved by one word, or dropped).
The same case is written three ways: an external gold as documents JSONL (``id``, ``text``, ``entities``:
nothing else), a submission JSONL, and one JSON list of BIO tags per line for each side.

Each tool runs as a whole process, start-up, reading its input files and printing its result included:

- ``seqeval``: ``classification_report(gold_tags, pred_tags)`` (seqeval's default mode);
- ``nervaluate``: ``Evaluator(gold_tags, pred_tags, tags, loader="list").evaluate()``;
- ``aqwal-0``: ``aqwal evaluate --json --resamples 0`` (point scores only);
- ``aqwal``: ``aqwal evaluate --json`` (with the default 10,000-resample bootstrap intervals).

The tools run in turn, round after round (``--runs`` rounds, after ``--warmup`` rounds not counted, which
also write any missing bytecode: every tool then starts as an installed package does), so a drift in the
machine's speed touches them all.  Printed: median wall and CPU seconds, the peak resident memory of the
process (``ru_maxrss`` of the finished child, from ``os.wait4``), F1 and tp/fp/fn; then each peer's time
over ours, the median of the rounds' ratios (>1: we are faster); and whether the counts agree across the
tools.  Figures are printed, never asserted.

``--paired`` instead times the leaderboard's statistics in-process: 10,000 paired bootstrap resamples for
10 systems over 10,000 documents (intervals, all 45 paired tests, Holm), with peak memory.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

TYPES = ("PER", "ORG", "LOC", "MISC")
WORDS = ("قال", "الرئيس", "بغداد", "وزارة", "الخارجية", "في", "على", "أن", "العراق", "المتحدة", "الحكومة",
         "مجلس", "النواب", "أمس", "اليوم", "مصدر", "أمني", "الأمم", "جامعة", "الكاظمي", "واشنطن", "القوات",
         "الأميركية", "الحوار", "الاستراتيجي", "مع", "إلى", "من", "عن", "الشرق", "الأوسط", "ناجح")
SLOT = 4  # an entity (1-3 words) may start at the beginning of each slot of 4 words, so entities never touch
P_ENTITY = 0.2  # per slot: about one entity in a document of 20 words
P_CORRUPT = 0.10

SEQEVAL = """\
import json, sys
from seqeval.metrics import classification_report
read = lambda path: [json.loads(line) for line in open(path, encoding="utf-8")]
gold, pred = read(sys.argv[1]), read(sys.argv[2])
report = classification_report(gold, pred, output_dict=True, digits=6)
micro = report["micro avg"]
support = int(micro["support"])
tp = round(micro["recall"] * support)
print(json.dumps({"f1": float(micro["f1-score"]), "tp": tp, "fp": round(tp / micro["precision"]) - tp,
                  "fn": support - tp}))
"""
NERVALUATE = """\
import json, sys
from nervaluate import Evaluator
read = lambda path: [json.loads(line) for line in open(path, encoding="utf-8")]
gold, pred = read(sys.argv[1]), read(sys.argv[2])
strict = Evaluator(gold, pred, tags=sys.argv[3].split(","), loader="list").evaluate()["overall"]["strict"]
print(json.dumps({"f1": float(strict.f1), "tp": strict.correct, "fp": strict.actual - strict.correct,
                  "fn": strict.possible - strict.correct}))
"""


def generate(work: Path, docs: int, words: int, seed: int) -> dict[str, Path]:
    """The case's four files in ``work``; the same seed gives the same bytes."""
    rng = np.random.default_rng(seed)
    slots = words // SLOT
    word_ids = rng.integers(0, len(WORDS), size=(docs, words))
    has = rng.random((docs, slots)) < P_ENTITY
    length = rng.choice([1, 1, 2, 2, 3], size=(docs, slots))
    label = rng.integers(0, len(TYPES), size=(docs, slots))
    corrupt = rng.random((docs, slots)) < P_CORRUPT
    how = rng.integers(0, 3, size=(docs, slots))  # 0: other type, 1: boundary moved, 2: dropped
    shift = rng.integers(1, len(TYPES), size=(docs, slots))
    widths = np.array([len(w) for w in WORDS])[word_ids]
    starts = np.concatenate([np.zeros((docs, 1), np.int64), np.cumsum(widths + 1, axis=1)[:, :-1]], axis=1)
    ends = starts + widths
    paths = {name: work / name for name in ("gold.jsonl", "pred.jsonl", "gold.tags", "pred.tags")}
    handles = {name: open(path, "w", encoding="utf-8") for name, path in paths.items()}
    try:
        for d in range(docs):
            text = " ".join(WORDS[w] for w in word_ids[d])
            gold, pred = [], []
            gold_tags, pred_tags = ["O"] * words, ["O"] * words
            for s in range(slots):
                if not has[d, s]:
                    continue
                first, n, lab = s * SLOT, int(length[d, s]), TYPES[label[d, s]]
                gold.append((first, first + n, lab))
                if corrupt[d, s]:
                    if how[d, s] == 0:
                        lab = TYPES[(label[d, s] + shift[d, s]) % len(TYPES)]
                    elif how[d, s] == 1:
                        n = n - 1 if n > 1 else n + 1
                    else:
                        continue
                pred.append((first, first + n, lab))
            for spans, tags in ((gold, gold_tags), (pred, pred_tags)):
                for first, last, lab in spans:
                    tags[first:last] = [f"B-{lab}"] + [f"I-{lab}"] * (last - first - 1)
            g_ents = ",".join(
                f'{{"start":{starts[d, a]},"end":{ends[d, b - 1]},"label":"{lab}",'
                f'"text":"{text[starts[d, a]:ends[d, b - 1]]}"}}' for a, b, lab in gold)
            p_ents = ",".join(f'{{"start":{starts[d, a]},"end":{ends[d, b - 1]},"label":"{lab}"}}'
                              for a, b, lab in pred)
            doc_id = f"syn-{d:07d}"
            handles["gold.jsonl"].write(f'{{"id":"{doc_id}","text":"{text}","entities":[{g_ents}]}}\n')
            handles["pred.jsonl"].write(f'{{"id":"{doc_id}","entities":[{p_ents}]}}\n')
            handles["gold.tags"].write(json.dumps(gold_tags) + "\n")
            handles["pred.tags"].write(json.dumps(pred_tags) + "\n")
    finally:
        for handle in handles.values():
            handle.close()
    return paths


TOOLS = ("seqeval", "nervaluate", "aqwal-0", "aqwal")
LABEL = {"seqeval": "seqeval `classification_report`", "nervaluate": "nervaluate `Evaluator.evaluate`",
         "aqwal-0": "`aqwal evaluate --resamples 0`", "aqwal": "`aqwal evaluate` (10,000 resamples)"}


def commands(paths: dict[str, Path]) -> dict[str, list[str]]:
    tags = [str(paths["gold.tags"]), str(paths["pred.tags"])]
    aqwal = [sys.executable, "-m", "aqwal", "evaluate", "--gold", str(paths["gold.jsonl"]), "--labels",
             ",".join(TYPES), str(paths["pred.jsonl"]), "--json"]
    return {"seqeval": [sys.executable, "-c", SEQEVAL, *tags],
            "nervaluate": [sys.executable, "-c", NERVALUATE, *tags, ",".join(TYPES)],
            "aqwal-0": [*aqwal, "--resamples", "0"],
            "aqwal": aqwal}


def run_once(command: list[str], out: Path, env: dict[str, str]) -> dict:
    """Wall and CPU seconds, peak RSS in MiB, and the counts the process printed."""
    with open(out, "w", encoding="utf-8") as sink:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                                   env=env)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command[:4])} ... exited with {os.waitstatus_to_exitcode(status)}")
    printed = json.loads(out.read_text(encoding="utf-8"))
    if "entities" in printed:  # aqwal evaluate --json
        printed = {k: printed["entities"]["strict"][k] for k in ("f1", "tp", "fp", "fn")}
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss": usage.ru_maxrss / 1024, **printed}


def paired(seed: int, resamples: int = 10_000, systems: int = 10, docs: int = 10_000) -> None:
    import resource
    import tracemalloc
    from itertools import combinations

    from aqwal.benchmark.bootstrap import holm, interval, paired_p, resampled_metrics
    from aqwal.benchmark.evaluate import HEADLINES
    rng = np.random.default_rng(seed)
    gold = rng.integers(0, 12, size=docs)
    per_doc = []
    for k in range(systems):
        tp = rng.binomial(gold, 0.6 + 0.02 * k)
        per_doc.append(np.stack([tp, rng.poisson(1.5, size=docs), gold - tp], axis=1))
    metric = HEADLINES["entities"].metric
    tracemalloc.start()
    t = time.perf_counter()
    values = resampled_metrics(per_doc, [metric] * systems, resamples=resamples, seed=seed)
    observed = [float(metric(a.sum(axis=0, keepdims=True))[0]) for a in per_doc]
    intervals = [interval(v) for v in values]
    pairs = list(combinations(range(systems), 2))
    adjusted = holm([paired_p(observed[a] - observed[b], values[a] - values[b]) for a, b in pairs])
    elapsed = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"paired bootstrap: {systems} systems x {docs:,} documents x {resamples:,} resamples (intervals + "
          f"{len(pairs)} paired tests + Holm): {elapsed:.2f} s, peak traced memory {peak / 2**20:.0f} MiB, "
          f"process max RSS {rss:.0f} MiB; system 0: F1 {observed[0]:.4f} [{intervals[0][0]:.4f}, "
          f"{intervals[0][1]:.4f}]; {sum(p < 0.05 for p in adjusted)}/{len(pairs)} pairs significant "
          "after Holm")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=50_000)
    parser.add_argument("--words", type=int, default=20, help="words per document (a multiple of 4)")
    parser.add_argument("--runs", type=int, default=3, help="rounds; each tool runs once per round")
    parser.add_argument("--warmup", type=int, default=1, help="rounds run first and not counted")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--tools", default=",".join(TOOLS), help=f"comma-separated, of {', '.join(TOOLS)}")
    parser.add_argument("--work", help="folder for the generated files (default: a temporary folder)")
    parser.add_argument("--paired", action="store_true",
                        help="time the paired bootstrap of a leaderboard instead")
    args = parser.parse_args()
    if args.paired:
        paired(args.seed)
        return
    if args.words % SLOT:
        parser.error(f"--words must be a multiple of {SLOT}")
    tools = [x.strip() for x in args.tools.split(",")]
    unknown = sorted(set(tools) - set(TOOLS))
    if unknown:
        parser.error(f"unknown tools: {', '.join(unknown)} (choose from {', '.join(TOOLS)})")
    # every tool runs from compiled bytecode, as installed packages do (the warm-up writes what is missing)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory(prefix="aqwal-bench-") as tmp:
        work = Path(args.work or tmp)
        work.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        paths = generate(work, args.docs, args.words, args.seed)
        size = paths["gold.jsonl"].stat().st_size + paths["pred.jsonl"].stat().st_size
        print(f"case: {args.docs * args.words:,} tokens in {args.docs:,} documents of {args.words} words, "
              f"{len(TYPES)} entity types, seed {args.seed}; gold + submission {size / 2**20:.0f} MiB "
              f"(made in {time.perf_counter() - t:.0f} s); {os.cpu_count()} cores")
        every = commands(paths)
        runs: dict[str, list[dict]] = {tool: [] for tool in tools}
        for r in range(args.warmup + args.runs):
            for tool in tools:
                got = run_once(every[tool], work / f"{tool}.out", env)
                kind = "warm-up" if r < args.warmup else "round"
                print(f"  {kind} {r + 1}: {tool} {got['wall']:.2f} s wall, "
                      f"{got['cpu']:.2f} s CPU, {got['rss']:.0f} MiB", file=sys.stderr)
                if r >= args.warmup:
                    runs[tool].append(got)
    print()
    report(runs)


def report(runs: dict[str, list[dict]]) -> None:
    """The table of figures, and the peers' times over ours, median of the rounds' ratios (paired)."""
    median = statistics.median
    print("| tool | wall s | CPU s | peak RSS MiB | F1 | tp | fp | fn |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for tool, got in runs.items():
        c = got[-1]
        wall, cpu = median(g["wall"] for g in got), median(g["cpu"] for g in got)
        print(f"| {LABEL[tool]} | {wall:.2f} | {cpu:.2f} | {max(g['rss'] for g in got):.0f} | {c['f1']:.6f} | "
              f"{c['tp']:,} | {c['fp']:,} | {c['fn']:,} |")
    ours = [t for t in ("aqwal-0", "aqwal") if t in runs]
    peers = [t for t in ("seqeval", "nervaluate") if t in runs]
    if ours and peers:
        print()
        print("| peer's time / ours (wall; CPU) | " + " | ".join(LABEL[o] for o in ours) + " |")
        print("|---|" + "---:|" * len(ours))
        for p in peers:
            cells = []
            for o in ours:
                wall = median(a["wall"] / b["wall"] for a, b in zip(runs[p], runs[o]))
                cpu = median(a["cpu"] / b["cpu"] for a, b in zip(runs[p], runs[o]))
                cells.append(f"{wall:.1f}× ; {cpu:.1f}×")
            print(f"| {LABEL[p]} | " + " | ".join(cells) + " |")
    counts = {t: (got[-1]["tp"], got[-1]["fp"], got[-1]["fn"]) for t, got in runs.items()}
    same = len(set(counts.values())) == 1
    print(f"\ntp/fp/fn agree across {', '.join(runs)}: " + ("yes" if same else f"NO {counts}"))


if __name__ == "__main__":
    main()
