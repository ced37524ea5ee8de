"""Helpers every stage's ``cli`` module uses to declare its subcommands."""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any, Callable


EXAMPLES = "examples:\n"


def subcommand(sub, name: str, help: str, examples: str,
               handler: Callable[[argparse.Namespace], int | None]) -> argparse.ArgumentParser:
    """A subparser with examples in its --help; ``handler(args)`` returns the exit code.  In a group, its
    first example is added to the group's --help as well."""
    parser = sub.add_parser(name, help=help, description=help, epilog=EXAMPLES + examples,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.set_defaults(handler=handler)
    owner = getattr(sub, "group_parser", None)
    if owner is not None:
        owner.epilog = (owner.epilog or EXAMPLES) + first_example(examples, name)
    return parser


def first_example(examples: str, name: str) -> str:
    """The first example of an examples block that runs subcommand ``name`` (else the first example), with
    its continuation lines (those after a line ending in a backslash)."""
    lines = examples.splitlines()
    runs = [line for line in lines if "aqwal " in line]
    start = next((line for line in runs if f" {name} " in f"{line} "), runs[0] if runs else None)
    out = []
    for line in lines[lines.index(start):] if start is not None else []:
        out.append(line)
        if not line.rstrip().endswith("\\"):
            break
    return "".join(f"{line}\n" for line in out)


def group(sub, name: str, help: str) -> Any:
    """A subcommand that only holds further subcommands (``aqwal corpus ...``); its --help shows the first
    example of each."""
    parser = sub.add_parser(name, help=help, description=help,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest=f"{name}_command", metavar="COMMAND", required=True)
    commands.group_parser = parser
    return commands


def print_json(obj: Any) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def table(rows: list[list[Any]], header: list[str], right: tuple[int, ...] = ()) -> str:
    """A plain-text table, numbers (and the columns ``right`` lists) right-aligned, with thousands
    separators."""
    def cell(v: Any) -> str:
        if isinstance(v, float):
            return f"{v:,.3f}"
        if isinstance(v, int):
            return f"{v:,}"
        return "" if v is None else str(v)
    cells = [[cell(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells + [header]) for i in range(len(header))]
    numeric = [i in right or (all(isinstance(row[i], (int, float)) for row in rows) if rows else False)
               for i in range(len(header))]
    def fmt(r: list[str]) -> str:
        return "  ".join(c.rjust(w) if n else c.ljust(w) for c, w, n in zip(r, widths, numeric)).rstrip()
    return "\n".join([fmt(header), fmt(["-" * w for w in widths])] + [fmt(r) for r in cells])
