"""``aqwal annotate ...``: the Label Studio config, export conversion, agreement and adjudication.

Each subcommand is one ``add_<name>(sub)`` function declaring its options and handler; ``SUBCOMMANDS``
lists them in the order ``--help`` shows.  Heavy imports stay inside the handlers.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from corpus.command import group, print_json, subcommand, table


def _config(args: argparse.Namespace) -> int:
    from annotation.labelstudio import label_config
    sys.stdout.write(label_config())
    return 0


def add_config(sub) -> None:
    subcommand(sub, "config", "print the Label Studio labeling config generated from the scheme",
               "  aqwal annotate config > config.xml\n", _config)


def _convert(args: argparse.Namespace) -> int:
    from annotation.convert import convert_export, load_export
    from corpus.jsonl import write_json_lines
    conv = convert_export(load_export(args.snapshot), source=str(args.snapshot))
    rows = []
    for annotator, docs in sorted(conv.documents.items()):
        rows.extend(d.to_dict() for d in docs)
    count = write_json_lines(args.out, rows)
    report = conv.report()
    report["out"] = str(args.out)
    report["written"] = count
    if args.json:
        print_json(report)
    else:
        _print_conversion(report)
    rejected = report["rejected"] + sum(1 for u in conv.rejected if u.result is None)
    if rejected and not args.lenient:
        print(f"aqwal: {rejected} result(s) could not be converted (listed above); fix them in Label Studio "
              "and pull again, or pass --lenient to write the rest", file=sys.stderr)
        return 1
    return 0


def _print_conversion(report: dict) -> None:
    print(f"scheme {report['scheme_version']}: {report['results']:,} results, {report['converted']:,} converted, "
          f"{report['not_converted']:,} not converted ({report['rejected']:,} rejected)")
    print(f"{report['written']:,} documents written to {report['out']}")
    if report["documents"]:
        print(table([[a, n] for a, n in report["documents"].items()], ["annotator", "documents"]))
    if report["unconverted"]:
        print("\nnot converted:")
        print(table([[u["task"], u["annotation"], u["result"], u["status"], u["reason"]]
                     for u in report["unconverted"]], ["task", "annotation", "result", "status", "reason"]))
    if report["warnings"]:
        print("\nwarnings:")
        for w in report["warnings"]:
            print(f"  {w}")


def add_convert(sub) -> None:
    p = subcommand(sub, "convert", "convert a pulled snapshot (or a Label Studio JSON export) to documents, "
                   "one per annotator and task",
                   "  aqwal annotate convert annotation/snapshots/2026-01-05T10-00-00Z --out docs.jsonl\n"
                   "  aqwal annotate convert export.json --out docs.jsonl --lenient --json\n", _convert)
    p.add_argument("snapshot", type=Path, help="snapshot directory (export.json + manifest.json) or export file")
    p.add_argument("--out", type=Path, required=True, help="documents JSONL to write (one line per annotator "
                   "and document; each records its annotator)")
    p.add_argument("--lenient", action="store_true", help="exit 0 even when results could not be converted")
    p.add_argument("--json", action="store_true", help="print the report as JSON")


SUBCOMMANDS = [add_config, add_convert]


def register(sub) -> None:
    annotate = group(sub, "annotate", "annotation in Label Studio: config, convert, agreement, adjudicate")
    for add in SUBCOMMANDS:
        add(annotate)
