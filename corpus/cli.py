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
    p.add_argument("--redraw", action="store_true", help="draw the 0.1 part again from today's ingestion instead "
                   "of keeping the committed one (its texts may differ where cleaning rules changed)")
    p.add_argument("--json", action="store_true", help="print the manifest as JSON")

    p = subcommand(corpus, "splits", "give every pool document its split (corpus/data/splits.tsv): planned splits "
                   "kept, stories kept together, new documents stratified by source and outlet",
                   "  aqwal corpus splits            # after aqwal corpus pool\n"
                   "  aqwal corpus splits --check    # is every pool document planned, the plan consistent?\n",
                   _splits)
    p.add_argument("--pool", type=Path, default=POOL_FILE, help="pool file (default: corpus/data/pool.jsonl)")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 when the plan lacks a document")
    p.add_argument("--json", action="store_true", help="print the counts as JSON")

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
    from aqwal.corpus.jsonl import iter_documents, read_documents, read_json, write_documents, write_json
    from aqwal.corpus.pool import (DEFAULT_SEED, DEFAULT_SIZE, choose_from, extend, extension_manifest, load_rule,
                                   manifest)

    seed = DEFAULT_SEED if args.seed is None else args.seed
    size = DEFAULT_SIZE if args.size is None else args.size
    manifest_path = args.out.with_name(args.out.name.removesuffix(".jsonl") + "-manifest.json")
    notes: list[str] = []
    if args.out.is_file() and manifest_path.is_file() and not args.redraw:
        # the pool is kept as it was drawn: its texts are what annotators saw, whatever ingestion makes today
        info = {k: v for k, v in read_json(manifest_path, fix="restore it from the repository").items()
                if k != "extension"}
        base = read_documents(args.out)[:info["documents"]]
    else:
        pool = choose_from(args.documents, seed=seed, size=size)
        info = manifest(pool, seed=seed, size=size, documents=_shown(args.documents))
        base, notes = pool.documents, pool.notes
    rule = load_rule()
    ext = extend(base, iter_documents(args.documents), rule)
    write_documents(args.out, base + ext.documents)
    info["extension"] = extension_manifest(ext, rule)
    write_json(manifest_path, info)
    if args.json:
        print_json(info)
    else:
        rows = [[k, v] for k, v in info["per_source"].items()]
        rows += [[f"saudinewsnet/{k}", v] for k, v in info["saudinewsnet_chosen_per_outlet"].items()]
        rows += [[f"extension/{k}", v] for k, v in info["extension"]["chosen_per_topic"].items()]
        print(table(rows, ["part", "documents"]))
        print(f"\n{len(base) + len(ext.documents)} documents -> {args.out}\nmanifest -> {manifest_path}")
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    return 0


def _splits(args: argparse.Namespace) -> int:
    from collections import Counter

    from aqwal.corpus.jsonl import read_documents
    from aqwal.corpus.splits import PLAN, extend_plan, read_plan, write_plan
    pool = read_documents(args.pool)
    plan = read_plan()
    new = extend_plan(pool, plan)
    added = [d.id for d in pool if d.id not in plan]
    counts = {"documents": len(new), "added": len(added), "per_split": dict(Counter(a.split for a in new.values())),
              "stories_with_several_documents": sum(1 for n in Counter(a.story for a in new.values()).values()
                                                    if n > 1)}
    if args.check:
        if added:
            print(f"aqwal: {len(added)} pool document(s) have no split in {PLAN} (fix: run `aqwal corpus splits`)",
                  file=sys.stderr)
            return 1
    else:
        write_plan(new)
    if args.json:
        print_json(counts)
    else:
        print(f"{PLAN}: {counts['documents']:,} documents ({counts['added']:,} added): "
              + ", ".join(f"{k} {v:,}" for k, v in counts["per_split"].items())
              + f"; {counts['stories_with_several_documents']} stories of several documents")
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
