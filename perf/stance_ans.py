"""External check of the stance classifier (benchmark/systems/stance_model.py) on ANS (Arabic News Stance,
Khouja 2020): headline pairs (s1, s2) labelled agree / disagree / other.  The classifier's own features are
used with s1 as the quotation and s2 as the target (no target id); it is trained on ANS train (with its C
chosen on ANS dev) and scored by 3-class macro-F1 on ANS test, beside the published BERT figure (76.7).

    .venv/bin/python perf/stance_ans.py [--json]

``--cv`` instead chooses the classifier's C on the Aqwal training split (5-fold cross-validation over
documents, F_avg of the pooled folds) from a built release (``--gold out/release``), never on test.
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aqwal.corpus.paths import shared_data

C_GRID = (0.1, 0.25, 0.5, 1.0, 2.0)


def read_ans(path: Path) -> tuple[list[tuple[str, str]], list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows or set(rows[0]) != {"s1", "s2", "stance"}:
        raise SystemExit(f"{path}: expected columns s1,s2,stance (fix: point --data at ANS's data/stance folder)")
    return [(r["s1"], r["s2"]) for r in rows], [r["stance"] for r in rows]


def macro_f1(gold: list[str], pred: list[str]) -> float:
    from sklearn.metrics import f1_score
    return float(f1_score(gold, pred, average="macro"))


def ans(data: Path) -> dict:
    from aqwal.benchmark.systems.stance_model import StanceClassifier, pair_features

    t0 = time.perf_counter()
    splits = {name: read_ans(data / f"{name}.csv") for name in ("train", "dev", "test")}
    feats = {name: [pair_features(a, b) for a, b in pairs] for name, (pairs, _) in splits.items()}
    dev_scores = {}
    for c in C_GRID:
        model = StanceClassifier(C=c)
        model.fit(feats["train"], splits["train"][1])
        dev_scores[c] = macro_f1(splits["dev"][1], model.predict(feats["dev"]))
    best = max(C_GRID, key=lambda c: (dev_scores[c], -c))
    model = StanceClassifier(C=best)
    model.fit(feats["train"], splits["train"][1])
    test = macro_f1(splits["test"][1], model.predict(feats["test"]))
    return {"data": "ANS stance (Khouja 2020)", "sizes": {k: len(v[1]) for k, v in splits.items()},
            "dev_macro_f1_by_C": dev_scores, "C": best, "test_macro_f1": test,
            "reference": "BERT 76.7 macro-F1 on ANS test (Khouja 2020)", "seconds": round(time.perf_counter() - t0, 1)}


def cross_validate(release: Path, folds: int = 5) -> dict:
    """F_avg and macro-F1 of the pooled out-of-fold predictions on the Aqwal train split, per C."""
    from aqwal.benchmark.stance import f_avg, macro_f1 as macro
    from aqwal.benchmark.systems.runner import read_gold
    from aqwal.benchmark.systems.stance_model import StanceClassifier, pair_features
    from aqwal.corpus.schema import STANCE_LABELS
    from aqwal.benchmark.counts import Counts

    docs = read_gold(release, "train").documents
    items = []  # (fold, features, label)
    for k, doc in enumerate(docs):
        targets = {t.id: t for t in doc.targets}
        for q in doc.quotes:
            for st in q.stance:
                items.append((k % folds, pair_features(q.span.text, targets[st.target].text, st.target), st.label))
    out = {}
    for c in C_GRID:
        pairs = []
        for f in range(folds):
            model = StanceClassifier(C=c)
            model.fit([x for k, x, _ in items if k != f], [y for k, _, y in items if k != f])
            test = [(x, y) for k, x, y in items if k == f]
            pairs += list(zip([y for _, y in test], model.predict([x for x, _ in test])))
        classes = tuple(Counts(sum(g == lab and p == lab for g, p in pairs), sum(p == lab and g != lab for g, p in pairs),
                               sum(g == lab and p != lab for g, p in pairs)) for lab in STANCE_LABELS)
        out[c] = {"f_avg": f_avg(classes), "macro_f1": macro(classes)}
    return {"items": len(items), "folds": folds, "by_C": out}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=shared_data() / "ans" / "data" / "stance")
    parser.add_argument("--cv", action="store_true", help="choose C by cross-validation on the Aqwal train split")
    parser.add_argument("--gold", type=Path, default=Path("out/release"), help="a release, for --cv")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = cross_validate(args.gold) if args.cv else ans(args.data)
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        print()
    elif args.cv:
        for c, r in result["by_C"].items():
            print(f"C {c}: F_avg {r['f_avg']:.3f}  macro-F1 {r['macro_f1']:.3f}  ({result['items']} items, "
                  f"{result['folds']}-fold)")
    else:
        print(f"ANS test macro-F1 {result['test_macro_f1']:.3f} (C {result['C']} chosen on dev); "
              f"reference: {result['reference']}; {result['seconds']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
