"""The gold a submission is scored against: a documents JSONL file or a built dataset directory.

``Gold`` carries the documents in file order, the entity label set in force, and what identifies the
data (dataset version when known, content hash always), so every result can say what it was scored on.
"""
from __future__ import annotations

from collections.abc import Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from aqwal.corpus.errors import ConfigError, FormatError
from aqwal.corpus.jsonl import content_hash, iter_json_lines, read_documents
from aqwal.corpus.model import Document
from aqwal.corpus.schema import ENTITY_NAMES, external_entity_labels


@dataclass(frozen=True, slots=True)
class Gold:
    path: str
    split: str | None
    documents: Mapping[str, Document]  # id -> document, in file order
    labels: tuple[str, ...]  # entity labels in force (the scheme's, or --labels for an external corpus)
    version: str | None  # dataset version, when the gold says it
    content_hash: str  # sha256 over the canonical JSON lines of the documents, in id order


def parse_labels(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    labels = tuple(dict.fromkeys(x.strip() for x in text.split(",") if x.strip()))
    if not labels:
        raise ConfigError("--labels is empty (fix: give the gold's entity labels, e.g. --labels PERS,LOC,ORG,MISC)")
    if "SOURCE" in labels:
        raise ConfigError("--labels: SOURCE is not an entity label (fix: leave it out)")
    return labels


def load_gold(path: str | Path, *, split: str | None = None, config: str | None = None,
              labels: tuple[str, ...] | None = None) -> Gold:
    """Documents JSONL (``split`` must be None) or a dataset directory (``split`` required)."""
    path = Path(path)
    in_force = labels or ENTITY_NAMES
    with external_entity_labels(labels) if labels else nullcontext():
        if path.is_dir():
            if split is None:
                raise ConfigError(f"{path} is a dataset directory (fix: name the split, e.g. --split test)")
            docs, version = load_gold_split(path, split, config)
        elif path.is_file():
            if split is not None:
                raise ConfigError(f"--split {split} needs a dataset directory, and {path} is a file "
                                  "(fix: drop --split for a documents JSONL file)")
            _check_labels(path, in_force, labels is not None)
            docs, version = read_documents(path), None
        else:
            raise FormatError(f"{path}: no such file or directory (fix: check the --gold path)")
    if not docs:
        raise FormatError(f"{path}: the gold holds no documents (fix: check the file or split)")
    return Gold(str(path), split, {d.id: d for d in docs}, in_force, version, content_hash(docs))


def _check_labels(path: Path, in_force: tuple[str, ...], given: bool) -> None:
    """One clear message when the gold's entity labels are not the ones in force (before any other check)."""
    found: dict[str, int] = {}
    every: set[str] = set()
    for line_no, record in iter_json_lines(path):
        entities = record.get("entities") if isinstance(record, dict) else None
        for e in entities if isinstance(entities, list) else ():
            label = e.get("label") if isinstance(e, dict) else None
            if isinstance(label, str):
                every.add(label)
                if label not in in_force:
                    found.setdefault(label, line_no)
    if not found:
        return
    where = ", ".join(f"{label} (first on line {line})" for label, line in sorted(found.items()))
    if given:
        raise ConfigError(f"{path}: entity labels not in --labels: {where} (fix: add them to --labels)")
    raise ConfigError(f"{path}: entity labels outside the Aqwal scheme: {where} (fix: for an external corpus "
                      f"give its label set: --labels {','.join(sorted(every))})")


def load_gold_split(directory: str | Path, split: str, config: str | None = None
                    ) -> tuple[list[Document], str | None]:
    """Documents of one split of a release built by ``aqwal dataset build``, and the release's version.

    Without ``config`` the widest documents config of the release is read (the one with every licence
    the build included).
    """
    from aqwal.corpus.release.configs import SPLITS
    from aqwal.corpus.release.load import documents_from_split, read_manifest, split_files, widest_config

    manifest = read_manifest(directory)
    config = config or widest_config(manifest)
    if split not in SPLITS:
        raise ConfigError(f"--split {split!r} is not a split of a release (fix: use one of {', '.join(SPLITS)})")
    if not split_files(directory, config, split):
        raise ConfigError(f"{directory}: config {config!r} has no documents in split {split!r} (fix: choose "
                          "another split or config)")
    return documents_from_split(directory, config, split), manifest.get("version")
