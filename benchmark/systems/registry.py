"""The registry of systems: a declarative TOML file, read strictly.

Each table of ``registry.toml`` names a system: its version, the ``module:Class`` that makes it, whether it
is trained, and a one-line description.  A missing or unknown key, a bad version or a factory that does not
import is an error, never a skipped entry; an unknown system name gets "did you mean".
"""
from __future__ import annotations

import difflib
import importlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from aqwal.benchmark.systems.protocol import Mode
from aqwal.corpus.errors import ConfigError

REGISTRY = Path(__file__).with_name("registry.toml")
_KEYS = {"version": str, "factory": str, "trainable": bool, "mode": str, "description": str}
_MODES = tuple(m.value for m in Mode)
_VERSION = re.compile(r"^\d+\.\d+\.\d+$")
_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")


@dataclass(frozen=True, slots=True)
class Entry:
    name: str
    version: str
    factory: str
    trainable: bool
    mode: str  # the mode it is ranked in by `aqwal systems baselines`: full, or stance (given gold quotes)
    description: str

    def make(self):
        """A fresh system object carrying this entry's name and version."""
        module_name, _, attr = self.factory.partition(":")
        cls = getattr(importlib.import_module(module_name), attr)
        return cls(name=self.name, version=self.version)


def load_registry(path: Path = REGISTRY) -> dict[str, Entry]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML ({err}) (fix: correct the file)") from None
    entries: dict[str, Entry] = {}
    problems: list[str] = []
    for name, table in raw.items():
        where = f"{path}: [{name}]"
        if not _NAME.match(name):
            problems.append(f"{where}: a system name is lower-case letters, digits, - and _")
        if not isinstance(table, dict):
            problems.append(f"{where}: must be a table")
            continue
        missing = sorted(set(_KEYS) - set(table))
        unknown = sorted(set(table) - set(_KEYS))
        if missing:
            problems.append(f"{where}: missing key(s) {', '.join(missing)}")
        if unknown:
            problems.append(f"{where}: unknown key(s) {', '.join(unknown)} (allowed: {', '.join(_KEYS)})")
        wrong = [k for k, t in _KEYS.items() if k in table and not isinstance(table[k], t)]
        if wrong:
            problems.append(f"{where}: wrong type for {', '.join(wrong)}")
        if missing or unknown or wrong:
            continue
        if not _VERSION.match(table["version"]):
            problems.append(f"{where}: version {table['version']!r} is not MAJOR.MINOR.PATCH")
        _module, sep, attr = table["factory"].partition(":")
        if not sep or not attr:
            problems.append(f"{where}: factory {table['factory']!r} is not module:Class")
        if table["mode"] not in _MODES:
            problems.append(f"{where}: mode {table['mode']!r} is not one of {', '.join(_MODES)}")
        entries[name] = Entry(name, table["version"], table["factory"], table["trainable"], table["mode"],
                              table["description"])
    if problems:
        raise ConfigError("the system registry is invalid:\n" + "\n".join(problems))
    return entries


def get(name: str, path: Path = REGISTRY) -> Entry:
    """The entry called ``name``; ConfigError with close matches when there is none."""
    entries = load_registry(path)
    if name in entries:
        return entries[name]
    close = difflib.get_close_matches(name, entries, n=3, cutoff=0.5)
    hint = f"did you mean {' or '.join(repr(c) for c in close)}?" if close else "no close match"
    raise ConfigError(f"unknown system {name!r}: {hint} (fix: see `aqwal systems list`; registered: "
                      f"{', '.join(sorted(entries))})")


def check_factories(path: Path = REGISTRY) -> list[str]:
    """Names whose factory cannot be imported or made, with the reason; empty when all are fine."""
    bad = []
    for entry in load_registry(path).values():
        try:
            system = entry.make()
        except (ImportError, AttributeError) as err:
            bad.append(f"{entry.name}: factory {entry.factory!r} cannot be imported ({err})")
            continue
        if (system.name, system.version) != (entry.name, entry.version):
            bad.append(f"{entry.name}: the system reports {system.name}@{system.version}")
    return bad
