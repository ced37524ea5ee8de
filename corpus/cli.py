"""``aqwal corpus ...``: ingestion, the annotation pool, statistics."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from aqwal.corpus.command import group, print_json, subcommand, table
from aqwal.corpus.paths import CORPUS_DATA, ROOT, shared_data

DEFAULT_OUT = ROOT / "out" / "corpus"
POOL_FILE = CORPUS_DATA / "pool.jsonl"
POOL_MANIFEST = CORPUS_DATA / "pool-manifest.json"


def register(sub) -> None:
    corpus = group(sub, "corpus", "the articles: ingest, choose the annotation pool, statistics")

    p = subcommand(corpus, "ingest", "read ../shared/data, clean, de-duplicate; write documents + a report",
                   "  aqwal corpus ingest                        # all sources -> out/corpus/\n"
                   "  aqwal corpus ingest --sources seed,wikinews --out /tmp/c\n"
                   "  aqwal corpus ingest --threshold 0.8 --json # stricter near-duplicate test\n", _ingest)
    p.add_argument("--shared", type=Path, default=None,
                   help="the upstream data folder (default: $AQWAL_SHARED_DATA or ../shared/data)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT,
                   help="output folder for documents.jsonl and ingest-report.json (default: out/corpus)")
    p.add_argument("--sources", default=None,
                   help="comma-separated subset of seed,wikinews,saudinewsnet,candidates (default: all)")
    p.add_argument("--threshold", type=float, default=None,
                   help="near-duplicate estimated Jaccard threshold (default 0.7; see docs/corpus.md)")
    p.add_argument("--json", action="store_true", help="print the report's counts as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bar")

    p = subcommand(corpus, "pool", "choose the annotation pool from the ingested documents (fixed seed)",
                   "  aqwal corpus ingest && aqwal corpus pool    # writes corpus/data/pool.jsonl\n"
                   "  aqwal corpus pool --seed 7 --size 100 --out /tmp/pool.jsonl\n", _pool)
    p.add_argument("--documents", type=Path, default=DEFAULT_OUT / "documents.jsonl",
                   help="ingested documents (default: out/corpus/documents.jsonl)")
    p.add_argument("--seed", type=int, default=None, help="random seed (default 20150721)")
    p.add_argument("--size", type=int, default=None, help="SaudiNewsNet documents to choose (default 400)")
    p.add_argument("--out", type=Path, default=POOL_FILE, help="pool file (default: corpus/data/pool.jsonl); "
                   "a manifest is written beside it as <name>-manifest.json")
    p.add_argument("--json", action="store_true", help="print the manifest as JSON")

    p = subcommand(corpus, "stats", "documents, words, characters, quotation marks, reporting verbs "
                   "per source and licence",
                   "  aqwal corpus stats                         # the committed pool\n"
                   "  aqwal corpus stats --json\n"
                   "  aqwal corpus stats out/corpus/documents.jsonl\n", _stats)
    p.add_argument("documents", nargs="?", type=Path, default=POOL_FILE,
                   help="a documents JSONL file (default: corpus/data/pool.jsonl)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")


def _ingest(args: argparse.Namespace) -> int:
    from aqwal.corpus.errors import ConfigError
    from aqwal.corpus.ingest.dedup import THRESHOLD
    from aqwal.corpus.ingest.pipeline import ingest
    from aqwal.corpus.ingest.readers import SOURCE_NAMES
    from aqwal.corpus.ingest.report import SUMMARY_HEADER

    sources = SOURCE_NAMES if args.sources is None else tuple(s.strip() for s in args.sources.split(",") if s)
    threshold = THRESHOLD if args.threshold is None else args.threshold
    if not 0 < threshold <= 1:
        raise ConfigError(f"--threshold {threshold} is outside (0, 1] (fix: give e.g. 0.7)")
    result = ingest(args.shared or shared_data(), args.out, sources=sources, threshold=threshold,
                    progress=not args.quiet)
    report = result.report.to_dict()
    if args.json:
        print_json({"documents": str(result.documents), "report": str(result.report_path),
                    "counts": report["counts"], "skip_reasons": report["skip_reasons"]})
    else:
        print(table(result.report.summary_rows(), SUMMARY_HEADER))
        if report["skip_reasons"]:
            print("\nskipped: " + ", ".join(f"{n:,} {why}" for why, n in report["skip_reasons"].items()))
        print(f"\n{result.written:,} documents -> {result.documents}\nreport (every skip and duplicate, "
              f"with file and record) -> {result.report_path}")
    return 0


def _pool(args: argparse.Namespace) -> int:
    from aqwal.corpus.jsonl import write_documents, write_json
    from aqwal.corpus.pool import DEFAULT_SEED, DEFAULT_SIZE, choose_from, manifest

    seed = DEFAULT_SEED if args.seed is None else args.seed
    size = DEFAULT_SIZE if args.size is None else args.size
    pool = choose_from(args.documents, seed=seed, size=size)
    write_documents(args.out, pool.documents)
    info = manifest(pool, seed=seed, size=size, documents=_shown(args.documents))
    manifest_path = args.out.with_name(args.out.name.removesuffix(".jsonl") + "-manifest.json")
    write_json(manifest_path, info)
    if args.json:
        print_json(info)
    else:
        rows = [[k, v] for k, v in info["per_source"].items()]
        rows += [[f"saudinewsnet/{k}", v] for k, v in info["saudinewsnet_chosen_per_outlet"].items()]
        print(table(rows, ["part", "documents"]))
        print(f"\n{len(pool.documents)} documents -> {args.out}\nmanifest -> {manifest_path}")
    for note in pool.notes:
        print(f"note: {note}", file=sys.stderr)
    return 0


def _stats(args: argparse.Namespace) -> int:
    from aqwal.corpus.jsonl import iter_documents
    from aqwal.corpus.stats import TABLE_HEADER, corpus_stats, table_rows

    stats = corpus_stats(iter_documents(args.documents))
    if args.json:
        print_json({"file": _shown(args.documents), **stats})
    else:
        print(f"{_shown(args.documents)}\n")
        print(table(table_rows(stats), TABLE_HEADER))
    return 0


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
