"""The ``aqwal`` command: one subcommand group per stage, registered by each stage's ``cli`` module.

Stage modules import their heavy dependencies inside the handlers, so ``aqwal --help`` stays fast.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from aqwal.corpus.errors import AqwalError

# Each module has register(subparsers); the order is the pipeline's.
STAGES = ("aqwal.corpus.cli", "aqwal.annotation.cli", "aqwal.corpus.release.cli", "aqwal.benchmark.systems.cli", "aqwal.benchmark.cli")

EPILOG = """\
the pipeline, stage by stage:
  aqwal corpus ingest && aqwal corpus pool && aqwal corpus stats     # articles -> the annotation pool
  aqwal annotate serve                                               # a local Label Studio for annotators
  aqwal annotate push corpus/data/pool.jsonl --project P             # tasks (+ --predictions pre-annotations)
  aqwal annotate pull --project P --out annotation/snapshots         # an immutable snapshot
  aqwal annotate adjudicate SNAPSHOT --out corpus/gold/gold.jsonl    # gold
  aqwal dataset build --gold corpus/gold/gold.jsonl --out out/release
  aqwal systems baselines --gold out/release --out out/runs          # every registered system on test
  aqwal leaderboard out/runs/*.jsonl --gold out/release --out out/leaderboard
  aqwal evaluate --gold out/release my-run.jsonl                     # add --config cc-by for commercial use

A release is read in its default config (non-commercial, as load_dataset(path) reads it) and the test
split unless --config / --split say otherwise; every output says which it scored.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aqwal", description="Aqwal: Arabic news corpus, annotation and benchmark.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    from aqwal import __version__
    parser.add_argument("--version", action="version", version=f"aqwal {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in STAGES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except AqwalError as err:
        return _refused(args, str(err), getattr(err, "problems", None))
    except KeyboardInterrupt:
        print("aqwal: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as err:
        if err.filename is None:
            raise
        # a path given on the command line that cannot be read or written (permissions, a full disk...)
        return _refused(args, f"{err.filename}: {err.strerror} (fix: check the path and its permissions)", None)


def _refused(args: argparse.Namespace, message: str, problems) -> int:
    """Exit status 2 with the message on stderr; with ``--json``, also a JSON error object on stdout."""
    print(f"aqwal: error: {message}", file=sys.stderr)
    if getattr(args, "json", False):
        from aqwal.corpus.command import print_json
        found = [p.to_dict() for p in problems] if problems else []
        summary = message if len(found) < 2 else f"{len(found)} problems; the first: {message.splitlines()[0]}"
        print_json({**getattr(args, "json_error", {}), "error": summary, "problems": found})
    return 2
