"""The ``aqwal`` command: one subcommand group per stage, registered by each stage's ``cli`` module.

Stage modules import their heavy dependencies inside the handlers, so ``aqwal --help`` stays fast.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from corpus.errors import AqwalError

# Each module has register(subparsers); the order is the pipeline's.
STAGES = ("corpus.cli", "annotation.cli", "corpus.release.cli", "benchmark.systems.cli", "benchmark.cli")

EPILOG = """\
examples:
  aqwal corpus ingest                       # shared/data -> corpus/data/ (+ ingestion report)
  aqwal corpus stats --json                 # counts per source and licence
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
        print(f"aqwal: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("aqwal: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0

