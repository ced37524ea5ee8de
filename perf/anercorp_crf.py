"""External check of the entity CRF: train on ANERcorp's train split, score on its test split.

The split in ../shared/data/anercorp/ is a re-creation of the CAMeL Lab train/test split (test = 25,008
tokens, the official count), so the figure is reported as "re-created split", beside the published
CAMeLBERT-MSA 82.4 F1 on the official split (Inoue et al. 2021).  Same features and CRF settings as the
``crf`` baseline (benchmark/systems/features.py, crf.CRF_PARAMS); ANERcorp's own tokens are used as given.
Score: exact-match micro P/R/F1 over entity chunks with the project's scorer (aqwal.benchmark.entities), sentences
as documents, BIO decoded by aqwal.corpus.tokens.bio_entities (conlleval's chunking); seqeval's default mode is
printed beside it as a cross-check.

    .venv/bin/python perf/anercorp_crf.py [--max-iterations N] [--json]

File format (inspected): one "token TAG" per line, the tag after the last space (the first line of each
file has a token with a space in it), IOB2 tags over PERS/LOC/ORG/MISC, a blank line between sentences.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aqwal.corpus.paths import shared_data


def read_conll(path: Path) -> tuple[list[list[str]], list[list[str]]]:
    """Words and IOB tags per sentence, read by the project's CoNLL reader (aqwal.benchmark.conll)."""
    from aqwal.benchmark.conll import read_sentences
    sentences = [s for s in read_sentences(path) if s is not None]  # None marks a document break
    return [[w for w, _, _ in s] for s in sentences], [[t for _, t, _ in s] for s in sentences]


DOC_SENTENCES = 50  # ANERcorp marks no document breaks: runs of consecutive sentences stand for documents


def pseudo_documents(n: int, size: int = DOC_SENTENCES) -> list[int]:
    return [i // size for i in range(n)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=shared_data() / "anercorp")
    parser.add_argument("--max-iterations", type=int, default=None)
    parser.add_argument("--c1", type=float, default=None)
    parser.add_argument("--c2", type=float, default=None)
    parser.add_argument("--dev", action="store_true",
                        help="score on the last 10%% of the train sentences instead of the test split "
                             "(for choosing settings without looking at test)")
    parser.add_argument("--doc-sentences", type=int, default=DOC_SENTENCES,
                        help=f"consecutive sentences read as one document (default {DOC_SENTENCES})")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from seqeval.metrics import f1_score as seqeval_f1
    from tqdm import tqdm

    from aqwal.benchmark.entities import score_entities
    from aqwal.benchmark.systems import crf as crf_module
    from aqwal.corpus.tokens import bio_entities

    train_w, train_y = read_conll(args.data / "ANERcorp_derived_train.txt")
    test_w, test_y = read_conll(args.data / "ANERcorp_derived_test.txt")
    if args.dev:
        cut = len(train_w) * 9 // 10
        train_w, train_y, test_w, test_y = train_w[:cut], train_y[:cut], train_w[cut:], train_y[cut:]
    params = dict(crf_module.ENTITY_CRF_PARAMS)
    for key in ("max_iterations", "c1", "c2"):
        if getattr(args, key) is not None:
            params[key] = getattr(args, key)
    crf_module.ENTITY_CRF_PARAMS = params
    tagger = crf_module.EntityTagger()
    print(f"training the entity CRF (two stages, {crf_module.STACK_FOLDS} first-stage folds) on {len(train_w):,} "
          f"sentences ({sum(map(len, train_w)):,} tokens)...", file=sys.stderr)
    t1 = time.perf_counter()
    with tqdm(total=crf_module.STACK_FOLDS, desc="first-stage folds", file=sys.stderr) as bar:
        tagger.fit_sentences(train_w, train_y, pseudo_documents(len(train_w), args.doc_sentences), progress=bar.update)
    t2 = time.perf_counter()
    pred = tagger.predict_sentences(test_w, pseudo_documents(len(test_w), args.doc_sentences))
    t3 = time.perf_counter()
    labels = sorted({tag[2:] for seq in test_y for tag in seq if tag != "O"})
    scores, _ = score_entities([bio_entities(seq) for seq in test_y], [bio_entities(seq) for seq in pred], labels)
    result = {
        "data": "ANERcorp, re-created CAMeL Lab split" + (": dev = last 10% of train" if args.dev else ""), "train_sentences": len(train_w),
        "train_tokens": sum(map(len, train_w)), "test_sentences": len(test_w),
        "test_tokens": sum(map(len, test_w)), "crf": params, "document": f"{args.doc_sentences} consecutive sentences",
        "precision": scores.strict.precision, "recall": scores.strict.recall, "f1": scores.strict.f1,
        "per_label_f1": {lab: c.f1 for lab, c in scores.per_label.items()},
        "seqeval_f1": seqeval_f1(test_y, pred), "seconds": {"train": round(t2 - t1, 1), "predict": round(t3 - t2, 1)},
        "reference": "CAMeLBERT-MSA 82.4 F1 on the official split (Inoue et al. 2021)"}
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        print()
    else:
        for lab, c in scores.per_label.items():
            print(f"{lab:5} P {c.precision:.3f}  R {c.recall:.3f}  F1 {c.f1:.3f}  (tp {c.tp}, fp {c.fp}, fn {c.fn})")
        print(f"micro P {result['precision']:.3f}  R {result['recall']:.3f}  F1 {result['f1']:.3f}  "
              f"(exact match, Aqwal scorer; seqeval default mode gives F1 {result['seqeval_f1']:.3f}) on "
              f"{result['test_tokens']:,} test tokens; "
              f"reference: {result['reference']}")
        print(f"time: train {result['seconds']['train']}s (features included), predict {result['seconds']['predict']}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
