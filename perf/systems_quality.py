"""Quality of registered systems on one split of a built release: each trained on the train split, run
in full mode (and in stance mode: stance given the gold quotations), scored with the project's scorer.

Besides the scorer's figures it computes the quotation end-to-end F1 under a stricter match than the
scorer's (any overlap): a predicted quotation counts only when its content has token IoU >= 0.5 with the
gold quotation it is aligned to (one-to-one, the scorer's alignment restricted to such pairs) and its
speaker is right.  Fragments inside a quotation then no longer score.

    .venv/bin/python perf/systems_quality.py --gold out/release --split validation crf learned [--json]

Settings are chosen on ``validation``; ``test`` is for the figures reported in docs/systems.md.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

IOU = 0.5


def token_iou(tokens: list[tuple[int, int]], a: tuple[int, int], b: tuple[int, int]) -> float:
    """IoU of the sets of tokens (start, end) that two character spans cover (a token counts when it overlaps)."""
    ta = {t for t in tokens if t[0] < a[1] and a[0] < t[1]}
    tb = {t for t in tokens if t[0] < b[1] and b[0] < t[1]}
    return len(ta & tb) / len(ta | tb) if ta | tb else 0.0


def iou_end_to_end(gold, submission) -> dict:
    """tp/fp/fn and F1 of the end-to-end quotation match at token IoU >= 0.5."""
    from aqwal.benchmark.align import align
    from aqwal.benchmark.quotes import canonical, speaker_correct
    from aqwal.corpus.tokens import tokenize

    tp = n_pred = n_gold = 0
    for doc in gold.documents.values():
        pred = submission.predictions.get(doc.id)
        quotes = canonical(pred.quotes) if pred else []
        tokens = [(t.start, t.end) for t in tokenize(doc.text)]
        g_spans = [(q.start, q.end) for q in doc.quotes]
        p_spans = [(q.start, q.end) for q in quotes]

        def weight(g, p):
            v = token_iou(tokens, g, p)
            return 2.0 * (g == p) + v if v >= IOU else 1e-9

        pairs = [(i, j) for i, j in align(g_spans, p_spans, weight)
                 if token_iou(tokens, g_spans[i], p_spans[j]) >= IOU]
        tp += sum(speaker_correct(doc, doc.quotes[i], quotes[j]) for i, j in pairs)
        n_pred += len(p_spans)
        n_gold += len(g_spans)
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"tp": tp, "fp": n_pred - tp, "fn": n_gold - tp, "precision": p, "recall": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0}


def measure(name: str, release: Path, split: str, work: Path) -> dict:
    from aqwal.benchmark.evaluate import evaluate
    from aqwal.benchmark.gold import load_gold
    from aqwal.benchmark.submission import read_submission
    from aqwal.benchmark.systems.protocol import Mode
    from aqwal.benchmark.systems.registry import get
    from aqwal.benchmark.systems.runner import default_train, prepare, read_gold, run

    entry = get(name)
    gold_split = read_gold(release, split)
    gold = load_gold(release, split=split)
    out: dict = {"system": name, "version": entry.version, "split": split}
    system = entry.make()
    t0 = time.perf_counter()
    prepare(system, default_train(release) if entry.trainable else None,
            work / name if entry.trainable else None)
    out["train_seconds"] = round(time.perf_counter() - t0, 1)
    for mode in (Mode.FULL, Mode.STANCE):
        path = work / f"{name}-{mode}.jsonl"
        t0 = time.perf_counter()
        run(system, gold_split, path, mode=mode, progress=False)
        seconds = round(time.perf_counter() - t0, 1)
        sub = read_submission(path, gold.documents, labels=gold.labels)
        ev = evaluate(gold, sub)
        if mode is Mode.FULL:
            q = ev.scores["quotes"].to_dict()
            out["predict_seconds"] = seconds
            out["entities_f1"] = ev.headline("entities")
            out["quotes"] = {"end_to_end_f1": ev.headline("quotes"),
                             "end_to_end_f1_iou50": iou_end_to_end(gold, sub)["f1"],
                             "content_strict_f1": q["content_strict"]["f1"],
                             "content_overlap_f1": q["content_overlap"]["f1"],
                             "cue_overlap_f1": q["cue_overlap"]["f1"],
                             "speaker_accuracy": q["speaker_accuracy"]["accuracy"]}
            out["stance_end_to_end"] = {"f_avg": ev.headline("stance")}
        else:
            s = ev.scores["stance"].to_dict()
            out["stance_on_gold_quotes"] = {"f_avg": s["f_avg"], "macro_f1": s["macro_f1"],
                                            "accuracy": s["accuracy"], "items": s["items"]}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("systems", nargs="+", help="registered system names")
    parser.add_argument("--gold", type=Path, default=Path("out/release"), help="a release (aqwal dataset build)")
    parser.add_argument("--split", default="validation")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="aqwal-quality-") as tmp:
        results = [measure(name, args.gold, args.split, Path(tmp)) for name in args.systems]
    if args.json:
        json.dump(results, sys.stdout, indent=2)
        print()
        return 0
    for r in results:
        q, s = r["quotes"], r["stance_on_gold_quotes"]
        print(f"{r['system']}@{r['version']} on {r['split']}: entities F1 {r['entities_f1']:.3f}; quotes end-to-end "
              f"F1 {q['end_to_end_f1']:.3f} (token IoU >= {IOU}: {q['end_to_end_f1_iou50']:.3f}), content strict "
              f"{q['content_strict_f1']:.3f}, overlap {q['content_overlap_f1']:.3f}, cue {q['cue_overlap_f1']:.3f}, "
              f"speaker accuracy {q['speaker_accuracy'] or 0:.3f}; stance F_avg end to end "
              f"{r['stance_end_to_end']['f_avg'] or 0:.3f}, on gold quotes {s['f_avg'] or 0:.3f} (macro-F1 "
              f"{s['macro_f1'] or 0:.3f}, {s['items']} items); train {r['train_seconds']} s, "
              f"predict {r['predict_seconds']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
