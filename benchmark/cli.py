"""``aqwal evaluate``, ``aqwal validate``, ``aqwal leaderboard`` and ``aqwal reference import-conll``."""
from __future__ import annotations

import argparse
import gc
import sys
from contextlib import contextmanager

from aqwal.benchmark.units import interval, percent
from aqwal.corpus.command import group, print_json, subcommand, table
from aqwal.corpus.errors import ConfigError

EVALUATE_EXAMPLES = """\
  aqwal evaluate --gold out/release run.jsonl                   # the release's default config, test split
  aqwal evaluate --gold out/release --config cc-by run.jsonl    # the Wikinews-only config (commercial use)
  aqwal evaluate --gold out/release --split validation run.jsonl --json
  aqwal evaluate --gold gold.jsonl run.jsonl --resamples 0      # point scores, no intervals
  aqwal evaluate --gold anercorp-test.jsonl --labels PERS,LOC,ORG,MISC crf.jsonl

what is scored (details: docs/benchmark.md):
  entities  micro P/R/F1 on exact (start, end, label): the headline; per label, macro F1, and the
            exact / ent_type / partial views on a one-to-one alignment.
  quotes    predicted quotations are aligned one to one to gold ones on their content; an aligned pair
            MATCHES only when the two contents share at least half of their words: word IoU >= 0.5
            (words in both / words in either, counting the white-space words each span touches).  A
            fragment inside a quotation, or one word of it, does not match.  Headline: end-to-end F1,
            where a predicted quotation is right when it matches a gold one and its speaker is right
            (it overlaps the gold speaker mention, or has its text after Arabic normalisation).  Beside
            it: content F1 at exact offsets (strict), on matched pairs (matched) and proportional overlap
            (the most lenient), cue F1, speaker and kind accuracy on matched quotations.
  stance    SemEval-2016 F_avg = (F_favor + F_against) / 2 over (quotation, target) items, on matched
            quotations (on the gold quotations for a submission that gives them); macro F1, accuracy.

The gold is a documents JSONL file, or a release folder: its default config (the one
load_dataset(path) reads) and the test split unless --config / --split name others; the output says
which config and split were scored.  Scores are percentages in the table; --json gives fractions.
--predictions PRED (the older form) still works.
"""
VALIDATE_EXAMPLES = """\
  aqwal validate --gold out/release run.jsonl                   # the release's default config, test split
  aqwal validate --gold out/release --config cc-by --split test run.jsonl --allow-missing
  aqwal validate --gold gold.jsonl run.jsonl --json             # a JSON object, also when invalid
"""
LEADERBOARD_EXAMPLES = """\
  aqwal leaderboard out/runs/*.jsonl --gold out/release --out out/leaderboard
  aqwal leaderboard out/runs-cc-by/*.jsonl --gold out/release --config cc-by --out out/leaderboard-cc-by
  aqwal leaderboard a.jsonl b.jsonl --gold gold.jsonl --out board/ --resamples 10000 --json

Systems that are given the gold quotations (stance mode) are ranked in a section of their own, apart from
systems that find the quotations themselves.  Scores are percentages; leaderboard.json holds fractions.
"""
IMPORT_EXAMPLES = """\
  aqwal reference import-conll ../shared/data/anercorp/ANERcorp_derived_test.txt --license cc-by-sa-4.0 \\
      --source anercorp --out anercorp-test.jsonl
  aqwal reference import-conll ../shared/data/newsfane/NewsFANE_Gold_2014_170K.txt --license cc-by-sa-3.0 \\
      --source newsfane --doc-sentences 20 --out newsfane.jsonl
"""


def _gold_options(parser: argparse.ArgumentParser) -> None:
    from aqwal.benchmark.gold import DEFAULT_SPLIT
    from aqwal.corpus.release.configs import DEFAULT_CONFIG
    parser.add_argument("--gold", required=True, help="documents JSONL, or a release folder built by "
                        "`aqwal dataset build`")
    parser.add_argument("--split", help=f"split of a release (default: {DEFAULT_SPLIT})")
    parser.add_argument("--config", help="config of a release (default: the release's default config, "
                        f"{DEFAULT_CONFIG}; cc-by is the Wikinews-only config for commercial use)")
    parser.add_argument("--labels", help="entity labels of an external gold, comma-separated "
                        "(default: the Aqwal scheme's)")
    parser.add_argument("--allow-missing", action="store_true",
                        help="score documents missing from a submission as empty instead of rejecting it")
    parser.add_argument("--max-problems", type=_positive, default=50, help="stop listing after this many")


def _at_least(low: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"must be at least {low}, got {value}")
        return value
    return parse


_positive = _at_least(1)


def _stats_options(parser: argparse.ArgumentParser, *, point_only: bool = False) -> None:
    from aqwal.benchmark import RESAMPLES, SEED
    if point_only:
        parser.add_argument("--resamples", type=_at_least(0), default=RESAMPLES,
                            help="bootstrap resamples over documents for the 95%% intervals (default "
                            f"{RESAMPLES:,}); 0 computes the point scores only, without intervals")
    else:
        parser.add_argument("--resamples", type=_positive, default=RESAMPLES,
                            help=f"bootstrap resamples over documents (default {RESAMPLES:,})")
    parser.add_argument("--seed", type=int, default=SEED, help=f"bootstrap seed (default {SEED})")


def register(sub) -> None:
    p = subcommand(sub, "evaluate", "score a submission against the gold", EVALUATE_EXAMPLES, run_evaluate)
    p.add_argument("predictions", metavar="PRED", nargs="?", help="the submission (JSONL, one object per "
                   "document)")
    _gold_options(p)
    p.add_argument("--predictions", dest="predictions_option", metavar="PRED",
                   help="the older way to give PRED (deprecated: give PRED as an argument)")
    _stats_options(p, point_only=True)
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table (an error "
                   "object on failure)")

    p = subcommand(sub, "validate", "check a submission against the gold without scoring it", VALIDATE_EXAMPLES,
                   run_validate)
    p.add_argument("predictions", metavar="PRED", help="the submission to check")
    _gold_options(p)
    p.add_argument("--json", action="store_true", help="print a JSON summary (with the problems when invalid)")
    p.set_defaults(json_error={"valid": False})

    p = subcommand(sub, "leaderboard", "rank several submissions with intervals and ties; write the board",
                   LEADERBOARD_EXAMPLES, run_leaderboard)
    p.add_argument("predictions", metavar="PRED", nargs="+", help="submissions, one file per system")
    _gold_options(p)
    p.add_argument("--out", required=True, help="folder for leaderboard.{md,json,csv,html,png}")
    _stats_options(p)
    p.add_argument("--alpha", type=float, default=0.05, help="significance level after Holm correction")
    p.add_argument("--json", action="store_true", help="print the board as JSON instead of a table")

    add_agreement(sub)

    ref = group(sub, "reference", "external reference corpora")
    from aqwal.corpus.licenses import LICENCES
    p = subcommand(ref, "import-conll", "CoNLL-style NER file -> documents JSONL with character spans",
                   IMPORT_EXAMPLES, run_import_conll)
    p.add_argument("file", metavar="FILE")
    p.add_argument("--out", required=True, help="documents JSONL to write")
    p.add_argument("--license", required=True, choices=sorted(LICENCES), help="the corpus's licence")
    p.add_argument("--source", help="corpus name, also the document id prefix (default: the file's name)")
    p.add_argument("--doc-sentences", type=_positive, default=1,
                   help="sentences per document when the file has no -DOCSTART- markers (default 1)")
    p.add_argument("--period-breaks", action="store_true",
                   help="also end a sentence after a run of '.' tokens (files with no blank lines)")
    p.add_argument("--json", action="store_true", help="print the import summary as JSON")


AGREEMENT_EXAMPLES = """\
  aqwal agreement annotation/snapshots/batch-005.a.* annotation/snapshots/batch-005.b.*
  aqwal agreement SNAPSHOT... --exclude llm-adjudicator --card corpus/gold/agreement.json
  aqwal agreement SNAPSHOT... --json --resamples 0     # point values only
"""


def add_agreement(sub) -> None:
    p = subcommand(sub, "agreement", "agreement between two independent annotations of the same documents, "
                   "scored with the leaderboard's own scorers (one annotator as the gold, the other as a system), "
                   "with bootstrap intervals, overall and per source", AGREEMENT_EXAMPLES, run_agreement)
    p.add_argument("snapshot", nargs="+", help="snapshot directories (or Label Studio exports, or converted "
                   "documents JSONL) holding two or more annotators' versions of the same documents")
    p.add_argument("--exclude", nargs="*", default=[], help="annotators left out, e.g. the adjudicator")
    p.add_argument("--card", help="also write the figures for the dataset card (aqwal dataset build --agreement)")
    p.add_argument("--resamples", type=_at_least(0), default=None, help="bootstrap resamples (default 10,000; "
                   "0 gives the values without intervals)")
    p.add_argument("--lenient", action="store_true", help="go on when some results could not be converted")
    p.add_argument("--json", action="store_true", help="print the result as JSON")


def run_agreement(args: argparse.Namespace) -> int:
    from pathlib import Path

    from aqwal.annotation.cli import load_all_versions
    from aqwal.benchmark import RESAMPLES
    from aqwal.benchmark.agreement import MEASURES, agreement, double_annotated
    from aqwal.corpus.jsonl import write_json
    paths = [Path(p) for p in args.snapshot]
    pairs = double_annotated(load_all_versions(paths, lenient=args.lenient), exclude=args.exclude)
    if not pairs:
        raise ConfigError("no document was annotated by two annotators in these snapshots (fix: give the "
                          "snapshots of both passes of a batch, e.g. <batch>.a.* and <batch>.b.*)")
    result = agreement(pairs, resamples=RESAMPLES if args.resamples is None else args.resamples)
    result["snapshots"] = [p.name for p in paths]
    if args.card:
        write_json(args.card, result)
        print(f"figures for the dataset card written to {args.card}", file=sys.stderr)
    if args.json:
        print_json(result)
        return 0

    def rows(block: dict) -> list[list]:
        out = []
        for name, m in block["measures"].items():
            lo, hi = m.get("interval", [None, None])
            shown = "undefined (nothing to compare)" if m["value"] is None else m["value"]
            out.append([MEASURES[name][0], m["description"], shown,
                        "" if lo is None else f"[{lo:.3f}, {hi:.3f}]"])
        return out
    overall = result["overall"]
    print(f"{overall['documents']:,} documents annotated twice ("
          + ", ".join(f"{k}: {v:,}" for k, v in result["pairs"].items()) + "); items compared: "
          + ", ".join(f"{k} {v:,}" for k, v in overall["items"].items()))
    print(table(rows(overall), ["layer", "measure", "value", "95% interval"]))
    for source, block in result["by_source"].items():
        print(f"\n{source}: {block['documents']:,} documents")
        print(table(rows(block), ["layer", "measure", "value", "95% interval"]))
    return 0


def _load(args):
    from aqwal.benchmark.gold import load_gold, parse_labels
    return load_gold(args.gold, split=args.split, config=args.config, labels=parse_labels(args.labels))


def _read(args, gold, path):
    from functools import partial

    from aqwal.benchmark.gold import misplaced
    from aqwal.benchmark.submission import read_submission
    return read_submission(path, gold.documents, labels=gold.labels, allow_missing=args.allow_missing,
                           max_problems=args.max_problems,
                           locate=partial(misplaced, gold) if gold.is_release else None)


@contextmanager
def _acyclic():
    """Reading and scoring make millions of small objects that hold no reference cycles: the cycle
    collector, which runs every few hundred allocations, is paused meanwhile."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run_validate(args) -> int:
    with _acyclic():
        return _validate(args)


def _validate(args) -> int:
    gold = _load(args)
    sub = _read(args, gold, args.predictions)
    summary = {"valid": True, "submission": args.predictions, "system": sub.system.name,
               "version": sub.system.version, "tasks": list(sub.tasks), "documents": len(sub.predictions),
               "missing_documents": len(sub.missing), "gold": _gold_meta(gold)}
    if args.json:
        print_json(summary)
    else:
        print(f"{args.predictions}: valid against {gold.describe()} ({len(gold.documents):,} documents) — "
              f"{len(sub.predictions):,} documents, tasks: "
              f"{', '.join(sub.tasks)}; system {sub.system.name} {sub.system.version or ''}".rstrip()
              + (f"; {len(sub.missing):,} missing documents scored as empty" if sub.missing else ""))
    return 0


def _gold_meta(gold) -> dict:
    return {"path": gold.path, "config": gold.config, "split": gold.split, "version": gold.version,
            "content_hash": gold.content_hash, "documents": len(gold.documents)}


# columns of the evaluation table: P/R/F1 rows fill the first six, accuracy rows the last three
COLUMNS = ["score", "P %", "R %", "F1 %", "tp", "fp", "fn", "acc %", "correct", "items"]


def _evaluation_rows(result: dict) -> list[list]:
    rows = []

    def prf(name, block, counts=True):
        rows.append([name, percent(block.get("precision"), ""), percent(block.get("recall"), ""),
                     percent(block.get("f1"), ""), *(_count(block.get(k)) if counts else "" for k in
                                                      ("tp", "fp", "fn")), "", "", ""])

    def f_only(name, value, items=""):
        rows.append([name, "", "", percent(value, ""), "", "", "", "", "", items])

    def accuracy(name, block):
        rows.append([name, "", "", "", "", "", "", percent(block["accuracy"], ""), block["correct"],
                     block["total"]])
    if "entities" in result:
        e = result["entities"]
        prf("entities strict (headline)", e["strict"])
        for view in ("exact", "ent_type", "partial"):
            prf(f"entities {view}", e[view], counts=False)
        for label, block in e["per_label"].items():
            prf(f"  {label}", block["strict"])
        f_only("entities macro F1", e["macro_f1"])
    if "quotes" in result:
        q = result["quotes"]
        prf("quotes end-to-end (headline)", q["end_to_end"])
        prf("quotes content matched", q["content_matched"])
        prf("quotes content strict", q["content_strict"])
        prf("quotes content overlap", q["content_overlap"], counts=False)
        prf("quotes cue strict", q["cue_strict"])
        prf("quotes cue overlap", q["cue_overlap"])
        accuracy("quotes speaker accuracy", q["speaker_accuracy"])
        accuracy("quotes kind accuracy", q["kind_accuracy"])
    if "stance" in result:
        s = result["stance"]
        f_only("stance F_avg (headline)", s["f_avg"], s["items"])
        f_only("stance macro F1", s["macro_f1"], s["items"])
        rows.append(["stance accuracy", "", "", "", "", "", "", percent(s["accuracy"], ""), "", s["items"]])
        for target, block in s["per_target"].items():
            f_only(f"  target {target} F_avg", block["f_avg"], block["items"])
    return rows


def _count(value) -> str:
    """A count as the table shows it: whole numbers, or half credits (0.5 steps) with one decimal."""
    if value is None:
        return ""
    return f"{value:,}" if float(value).is_integer() else f"{value:,.1f}"


def run_evaluate(args) -> int:
    with _acyclic():
        return _evaluate(args)


def _submission_path(args) -> str:
    """PRED as an argument, or through the older --predictions option (with a note)."""
    given, old = args.predictions, args.predictions_option
    if given and old:
        raise ConfigError(f"the submission is given twice: {given} and --predictions {old} (fix: give it once, "
                          "as an argument)")
    if old:
        print(f"aqwal: note: --predictions is deprecated; give the submission as an argument: "
              f"aqwal evaluate --gold {args.gold} {old}", file=sys.stderr)
        return old
    if not given:
        raise ConfigError("no submission to score (fix: give it as an argument: aqwal evaluate --gold GOLD "
                          "PRED.jsonl)")
    return given


def _evaluate(args) -> int:
    from aqwal.benchmark.evaluate import evaluate, intervals
    path = _submission_path(args)
    gold = _load(args)
    sub = _read(args, gold, path)
    evaluation = evaluate(gold, sub)
    result = evaluation.to_dict(intervals(evaluation, resamples=args.resamples, seed=args.seed))
    if args.json:
        print_json(result)
        return 0
    meta = result["meta"]
    print(f"{meta['system']['name']} {meta['system']['version'] or ''}".rstrip() + f" on {gold.describe()} "
          f"({meta['dataset']['documents']:,} documents, content {meta['dataset']['content_hash'][:12]}, "
          f"version {meta['dataset']['version'] or 'unknown'}); scorer {meta['scorer_version']}, {meta['date']}")
    if "stance" in result:
        print(f"stance scored on {result['stance']['on']}")
    print(table(_evaluation_rows(result), COLUMNS, right=tuple(range(1, len(COLUMNS)))))
    for task in ("entities", "quotes", "stance"):
        if task in result:
            h = result[task]["headline"]
            if "interval" not in h:
                print(f"{h['metric']} = {percent(h['value'])} % (no interval: --resamples 0)")
                continue
            print(f"{h['metric']} = {percent(h['value'])} %, 95% interval {interval(h['interval'])} % "
                  f"({h['resamples']:,} resamples over documents)")
    return 0


def run_leaderboard(args) -> int:
    with _acyclic():
        return _leaderboard(args)


def _leaderboard(args) -> int:
    from aqwal.benchmark.evaluate import evaluate
    from aqwal.benchmark.leaderboard import build, table_rows
    from aqwal.benchmark.writers import provenance, write_all
    from aqwal.corpus.outputs import output_dir
    if not 0 < args.alpha < 1:
        raise ConfigError(f"--alpha must be between 0 and 1, got {args.alpha} (fix: e.g. --alpha 0.05)")
    out = output_dir(args.out)
    gold = _load(args)
    evaluations = []
    from aqwal.corpus.progress import bar
    for path in bar(args.predictions, desc="scoring", unit="system", enabled=len(args.predictions) >= 3):
        evaluations.append(evaluate(gold, _read(args, gold, path)))
    board = build(evaluations, resamples=args.resamples, seed=args.seed, alpha=args.alpha)
    written = write_all(board, out)
    if args.json:
        print_json(board)
    else:
        header, rows = table_rows(board)
        print(provenance(board))
        print(table(rows, header, right=(4, 5)))
        print("wrote " + ", ".join(str(p) for p in written), file=sys.stderr)
    return 0


def run_import_conll(args) -> int:
    from pathlib import Path

    from aqwal.benchmark.conll import import_conll
    from aqwal.corpus.jsonl import write_documents
    source = args.source or Path(args.file).name.split(".")[0].lower()
    docs, stats = import_conll(args.file, source=source, license=args.license, doc_sentences=args.doc_sentences,
                               period_breaks=args.period_breaks)
    write_documents(args.out, docs)
    summary = {"file": args.file, "out": args.out, "labels": sorted(stats.entities), **stats.to_dict()}
    if args.json:
        print_json(summary)
    else:
        rows = [[k, v] for k, v in summary.items() if k not in ("entities", "labels")]
        rows += [[f"entities {label}", n] for label, n in sorted(stats.entities.items())]
        print(table([[k, v if isinstance(v, int) else str(v)] for k, v in rows], ["", "value"]))
        print(f"score against it with --labels {','.join(sorted(stats.entities))}")
    return 0
