"""Output paths checked before any work is done, so a command never fails after its work for a path it
could have refused at the start."""
from __future__ import annotations

from pathlib import Path

from aqwal.corpus.errors import ConfigError


def _blocking_file(path: Path) -> Path | None:
    """The first ancestor of ``path`` that exists and is not a directory (nothing can be created below it)."""
    for parent in reversed(path.parents):
        if parent.exists() and not parent.is_dir():
            return parent
    return None


def output_file(path: str | Path, flag: str = "--out", example: str = "run.jsonl") -> Path:
    """``path`` as a file to write (replaced if it exists); ConfigError when it is a directory or cannot be
    created."""
    path = Path(path)
    if path.is_dir():
        raise ConfigError(f"{flag} {path}: is a directory (fix: give a file name, e.g. {path / example})")
    blocking = _blocking_file(path)
    if blocking is not None:
        raise ConfigError(f"{flag} {path}: {blocking} is a file, so nothing can be written under it (fix: choose "
                          "another path)")
    return path


def output_dir(path: str | Path, flag: str = "--out") -> Path:
    """``path`` as a folder to write files into (created if needed); ConfigError when it is a file."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise ConfigError(f"{flag} {path}: is a file, not a folder (fix: give a folder, e.g. "
                          f"{path.with_suffix('')}/, or remove the file)")
    blocking = _blocking_file(path)
    if blocking is not None:
        raise ConfigError(f"{flag} {path}: {blocking} is a file, so no folder can be made under it (fix: choose "
                          "another path)")
    return path
