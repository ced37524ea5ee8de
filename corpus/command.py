"""Helpers every stage's ``cli`` module uses to declare its subcommands."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Callable


def subcommand(sub, name: str, help: str, examples: str,
               handler: Callable[[argparse.Namespace], int | None]) -> argparse.ArgumentParser:
    """A subparser with examples in its --help; ``handler(args)`` returns the exit code."""
    parser = sub.add_parser(name, help=help, description=help, epilog="examples:\n" + examples,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.set_defaults(handler=handler)
    return parser


def group(sub, name: str, help: str) -> Any:
    """A subcommand that only holds further subcommands (``aqwal corpus ...``)."""
    parser = sub.add_parser(name, help=help, description=help)
    return parser.add_subparsers(dest=f"{name}_command", metavar="COMMAND", required=True)


def print_json(obj: Any) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def table(rows: list[list[Any]], header: list[str]) -> str:
    """A plain-text table, numbers right-aligned, with thousands separators."""
    def cell(v: Any) -> str:
        if isinstance(v, float):
            return f"{v:,.3f}"
        if isinstance(v, int):
            return f"{v:,}"
        return "" if v is None else str(v)
    cells = [[cell(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells + [header]) for i in range(len(header))]
    numeric = [all(isinstance(row[i], (int, float)) for row in rows) if rows else False for i in range(len(header))]
    def fmt(r: list[str]) -> str:
        return "  ".join(c.rjust(w) if n else c.ljust(w) for c, w, n in zip(r, widths, numeric)).rstrip()
    return "\n".join([fmt(header), fmt(["-" * w for w in widths])] + [fmt(r) for r in cells])
