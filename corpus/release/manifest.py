"""Versions and the release manifest: file sha256s, the canonical content hash, version steps."""
from __future__ import annotations

import re
from pathlib import Path

from aqwal.corpus.errors import ConfigError
from aqwal.corpus.model import sha256_file

MANIFEST = "manifest.json"
_VERSION = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


def file_hashes(root: Path) -> dict[str, str]:
    """``{relative posix path: sha256}`` of every file under ``root`` except the manifest, sorted."""
    out = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if rel != MANIFEST:
            out[rel] = sha256_file(path)
    return out


def parse_version(text: str) -> tuple[int, int, int]:
    m = _VERSION.match(text or "")
    if not m:
        raise ConfigError(f"version {text!r} is not X.Y.Z (fix: give a semantic version such as 1.2.0)")
    return int(m[1]), int(m[2]), int(m[3])


def bumped(version: str, step: str) -> str:
    major, minor, patch = parse_version(version)
    if step == "major":
        return f"{major + 1}.0.0"
    if step == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def check_step(previous: str, new: str, step: str) -> None:
    """``new`` must be at least ``previous`` bumped by ``step`` (major: scheme, minor: data, patch: card)."""
    if parse_version(new) < parse_version(bumped(previous, step)):
        raise ConfigError(f"version {new} after {previous}: the changes need a {step} step, at least "
                          f"{bumped(previous, step)} (fix: pass --version {bumped(previous, step)} or leave "
                          "--version out)")
