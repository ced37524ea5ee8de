"""``aqwal systems list|train`` and ``aqwal run``: the registered systems, training, running on a split."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from aqwal.corpus.command import group, print_json, subcommand, table
from aqwal.corpus.errors import ConfigError


def register(sub) -> None:
    systems = group(sub, "systems", "the registered systems: list them, train one, run them all")
    p = subcommand(systems, "list", "list the registered systems", "  aqwal systems list\n"
                   "  aqwal systems list --json\n", _list)
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p = subcommand(systems, "train", "train a system on the train split and save it with its data hash",
                   "  aqwal systems train crf --train gold/train.jsonl --model models/crf\n", _train)
    p.add_argument("system", metavar="SYSTEM", help="a registered, trainable system")
    p.add_argument("--train", required=True, help="training documents JSONL (gold format)")
    p.add_argument("--model", required=True, help="folder to save the model in")
    _jobs_option(p)
    p = subcommand(systems, "baselines", "train and run every registered system on a split, for the leaderboard",
                   "  aqwal systems baselines --gold out/release --split test --out out/runs\n"
                   "  aqwal leaderboard out/runs/*.jsonl --gold out/release --split test --out out/board\n"
                   "  aqwal systems baselines --gold out/release --config cc-by --out out/runs-cc-by\n\n"
                   "Trainable systems learn on the release's train split; each runs in the mode the registry\n"
                   "gives it (full, or stance given the gold quotations).\n", _baselines)
    p.add_argument("--gold", required=True, help="a release built by `aqwal dataset build` (or a folder of splits)")
    p.add_argument("--split", default="test", help="the split to run on (default: test)")
    _config_option(p)
    p.add_argument("--out", required=True, help="folder for OUT/<system>.jsonl and OUT/models/")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    _jobs_option(p)

    p = subcommand(systems, "vectors", "build the word cluster table of the trained systems from unlabelled news",
                   "  aqwal corpus ingest --sources saudinewsnet --out out/unlabelled\n"
                   "  aqwal systems vectors --corpus out/unlabelled/documents.jsonl \\\n"
                   "      --out benchmark/systems/data/clusters.tsv.gz\n\n"
                   "word2vec (gensim) over the ingested articles, then k-means at several granularities; fixed\n"
                   "seeds and one thread, so the same articles give the same table.  `make vectors` runs both steps.\n",
                   _vectors)
    p.add_argument("--corpus", required=True, help="documents JSONL written by `aqwal corpus ingest`")
    p.add_argument("--out", required=True, help="the cluster table to write (.tsv.gz)")
    p.add_argument("--quiet", action="store_true", help="no progress bars")

    p = subcommand(sub, "run", "run a system on the documents of a split and write its predictions",
                   "  aqwal run rules --gold out/release --split test --out runs/rules.jsonl\n"
                   "  aqwal run crf --gold out/release --config cc-by --out runs-cc-by/crf.jsonl   # trains on "
                   "cc-by train\n"
                   "  aqwal run rules --gold gold/test.jsonl --out runs/rules.jsonl\n"
                   "  aqwal run crf --gold gold/ --split test --train gold/train.jsonl --out runs/crf.jsonl\n"
                   "  aqwal run crf --gold gold/test.jsonl --model models/crf --out runs/crf.jsonl\n"
                   "  aqwal run majority --gold gold/ --mode stance --out runs/majority-stance.jsonl\n"
                   "  aqwal run --command 'python my_system.py' --name mine --system-version 1.0 \\\n"
                   "      --gold gold/test.jsonl --out runs/mine.jsonl\n\n"
                   "OUT starts with a header line naming the system; OUT.meta.json beside it records the\n"
                   "run.  --gold is a release built by `aqwal dataset build` (read in its default config\n"
                   "unless --config names another; its train split is the default --train), the split's\n"
                   "documents file, or a folder with <split>.jsonl (and train.jsonl).  --mode stance gives\n"
                   "systems the gold quotation offsets and asks for stance only (stance given gold quotes).\n",
                   _run)
    p.add_argument("system", metavar="SYSTEM", nargs="?", help="a registered system (or use --command)")
    p.add_argument("--gold", required=True, help="a release, the split's documents JSONL, or a folder of splits")
    p.add_argument("--split", default="test", help="the split to run on (default: test)")
    _config_option(p)
    p.add_argument("--train", help="training documents (a release, or a JSONL file), for trained systems")
    p.add_argument("--model", help="a saved model folder: loaded if it holds one, else trained and saved")
    p.add_argument("--mode", choices=["full", "stance"], default="full",
                   help="full: predict everything; stance: stance given gold quotes (default: full)")
    p.add_argument("--out", required=True, help="predictions JSONL to write")
    p.add_argument("--command", help="an external system: reads documents JSONL on stdin, writes predictions")
    p.add_argument("--name", help="the external system's name (with --command)")
    p.add_argument("--system-version", default="0.0.0", help="the external system's version (with --command)")
    p.add_argument("--timeout", type=float, help="stop the external command after this many seconds")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def _config_option(parser: argparse.ArgumentParser) -> None:
    from aqwal.corpus.release.configs import DEFAULT_CONFIG
    parser.add_argument("--config", help="config of a release, for the split run on and the train split "
                        f"(default: the release's default config, {DEFAULT_CONFIG}; cc-by is the Wikinews-only "
                        "config for commercial use)")


def _list(args: argparse.Namespace) -> int:
    from aqwal.benchmark.systems.registry import load_registry

    entries = load_registry()
    if args.json:
        print_json([{"name": e.name, "version": e.version, "trainable": e.trainable, "factory": e.factory,
                     "description": e.description} for e in entries.values()])
    else:
        print(table([[e.name, e.version, "yes" if e.trainable else "no", e.description]
                     for e in entries.values()], ["system", "version", "trained", "description"]))
    return 0


def _jobs_option(p) -> None:
    p.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="processes to train (and run) in; the output does not depend on it (default: the "
                        "processors available)")


def _jobs(args: argparse.Namespace) -> int:
    from aqwal.benchmark.systems.parts import available_cores

    if args.jobs is not None and args.jobs < 1:
        raise ConfigError(f"--jobs must be at least 1, got {args.jobs} (fix: e.g. --jobs 2, or leave it out)")
    return available_cores() if args.jobs is None else args.jobs


def _train(args: argparse.Namespace) -> int:
    from aqwal.benchmark.systems import parts
    from aqwal.benchmark.systems.registry import get
    from aqwal.benchmark.systems.runner import split_documents

    entry = get(args.system)
    if not entry.trainable:
        raise ConfigError(f"{entry.name} is not trained (fix: run it directly with `aqwal run {entry.name}`)")
    system = entry.make()
    docs = split_documents(args.train, "train")
    print(f"training {entry.name}@{entry.version} on {len(docs):,} documents...", file=sys.stderr)
    if hasattr(system, "parts"):
        parts.fit(system, docs, _jobs(args))
    else:
        system.fit(docs)
    system.save(args.model)
    print(f"saved {entry.name}@{entry.version} to {args.model} (training data sha256 {system.train_sha256})")
    return 0


def _baselines(args: argparse.Namespace) -> int:
    from aqwal.benchmark.systems.baselines import run_baselines

    from aqwal.corpus.outputs import output_dir

    paths = run_baselines(args.gold, output_dir(args.out), split=args.split, config=args.config,
                          progress=not args.quiet, jobs=_jobs(args))
    print(f"wrote {len(paths)} predictions files to {args.out}")
    return 0


def _vectors(args: argparse.Namespace) -> int:
    from aqwal.benchmark.systems.vectors import build

    report = build(Path(args.corpus), Path(args.out), progress=not args.quiet)
    print_json(report)
    return 0


def _run(args: argparse.Namespace) -> int:
    from aqwal.benchmark.systems.protocol import Mode
    from aqwal.benchmark.systems.registry import get
    from aqwal.benchmark.systems.runner import default_train, meta_path, prepare, read_gold, run
    from aqwal.corpus.outputs import output_file

    output_file(args.out, example=f"{args.system or args.name or 'run'}.jsonl")
    output_file(meta_path(args.out), flag="--out (its run record)", example="run.meta.json")
    extra = {}
    gold = read_gold(args.gold, args.split, args.config)  # bad --gold, --split, --config: before training
    if args.command:
        if args.system or args.train or args.model:
            raise ConfigError("--command runs an external system: give no SYSTEM, --train or --model with it")
        if not args.name:
            raise ConfigError("--command needs --name (the name your system appears under on the leaderboard)")
        from aqwal.benchmark.systems.external import External

        system = External(args.command, args.name, args.system_version, args.timeout)
        extra["command"] = args.command
        training = None
    else:
        if not args.system:
            raise ConfigError("give a registered SYSTEM (see `aqwal systems list`) or --command")
        if args.name:
            raise ConfigError("--name is for external systems (--command); a registered system has its own")
        entry = get(args.system)
        system = entry.make()
        saved = args.model is not None and (Path(args.model) / "model.json").is_file()
        train = args.train or (default_train(args.gold) if entry.trainable and not saved else None)
        training = prepare(system, train, args.model, args.config)
    meta = run(system, gold, args.out, mode=Mode(args.mode), training=training, progress=not args.quiet,
               extra=extra)
    print(f"{system.name}@{system.version}: wrote {meta['predictions']:,} predictions ({args.mode} mode, "
          f"{gold.describe()}) to {args.out}; run record in {meta_path(args.out)}")
    return 0
