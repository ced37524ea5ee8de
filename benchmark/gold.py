"""The gold a submission is scored against: a documents JSONL file or a built dataset directory.

``Gold`` carries the documents in file order (as ``aqwal.benchmark.golddoc.GoldDocument``), the entity
label set in force, the layers the gold has (a task whose layer the gold lacks is not scored), and what
identifies the data (dataset version when known, content hash always), so every result can say what it
was scored on.  A JSONL file is read in one pass: each line typed while it is parsed, then checked.
"""
from __future__ import annotations

from collections.abc import Mapping
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

import msgspec

from aqwal.benchmark.golddoc import (DECODER, LAYERS, GoldDocument, canonical_blocks, carried, decode_problem,
                                     from_document, problems, suspects)
from aqwal.corpus.errors import ConfigError, FormatError, InvalidData, Problem
from aqwal.corpus.jsonl import MAX_PROBLEMS, hash_blocks, iter_typed, not_utf8
from aqwal.corpus.model import Document
from aqwal.corpus.schema import ENTITY_NAMES, external_entity_labels


@dataclass(frozen=True, slots=True)
class Gold:
    path: str
    split: str | None
    documents: Mapping[str, GoldDocument]  # id -> document, in file order
    labels: tuple[str, ...]  # entity labels in force (the scheme's, or --labels for an external corpus)
    version: str | None  # dataset version, when the gold says it
    content_hash: str  # sha256 over the canonical JSON lines of the documents, in id order
    layers: frozenset[str] = frozenset(LAYERS)  # the layers some document of the gold carries


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
    if path.is_dir():
        if split is None:
            raise ConfigError(f"{path} is a dataset directory (fix: name the split, e.g. --split test)")
        with external_entity_labels(labels) if labels else nullcontext():
            built, version = load_gold_split(path, split, config)
        docs, layers = [from_document(d) for d in built], frozenset(LAYERS)
    elif path.is_file():
        if split is not None:
            raise ConfigError(f"--split {split} needs a dataset directory, and {path} is a file "
                              "(fix: drop --split for a documents JSONL file)")
        (docs, layers), version = read_gold_file(path, in_force, labels is not None), None
    else:
        raise FormatError(f"{path}: no such file or directory (fix: check the --gold path)")
    if not docs:
        raise FormatError(f"{path}: the gold holds no documents (fix: check the file or split)")
    chash = hash_blocks(canonical_blocks(sorted(docs, key=lambda d: d.id)))
    return Gold(str(path), split, {d.id: d for d in docs}, in_force, version, chash, layers)


def read_gold_file(path: Path, in_force: tuple[str, ...],
                   given: bool) -> tuple[list[GoldDocument], frozenset[str]]:
    """The documents of a JSONL file and the layers they carry; every problem at once (``InvalidData``), or
    one ``ConfigError`` first when entity labels are not the ones in force."""
    docs: list[GoldDocument] = []
    lines: list[int] = []
    found: list[tuple[int, Problem]] = []
    for line_no, doc, line in iter_typed(path, DECODER):
        if doc is None:
            found.append((line_no, _refused(path, line_no, line)))
            if len(found) >= MAX_PROBLEMS:
                break
        else:
            docs.append(doc)
            lines.append(line_no)
    for k in suspects(docs):
        where = f"{path}:{lines[k]} document {docs[k].id!r}"
        found.extend((lines[k], Problem(where, p.field, p.message, p.fix)) for p in problems(docs[k]))
    if len({d.id for d in docs}) < len(docs):
        first_line: dict[str, int] = {}
        for k, d in enumerate(docs):
            if d.id in first_line:
                where = f"{path}:{lines[k]} document {d.id!r}"
                found.append((lines[k], Problem(where, "id", f"duplicate document id (first on line "
                                                f"{first_line[d.id]})", "give each document once")))
            first_line.setdefault(d.id, lines[k])
    allowed = frozenset(in_force)
    every = {e.label for d in docs for e in d.entities}
    if not every <= allowed:
        foreign: dict[str, int] = {}
        for k, d in enumerate(docs):
            for e in d.entities:
                if e.label not in allowed:
                    foreign.setdefault(e.label, lines[k])
        _labels_error(path, foreign, every, given)
    if found:
        found.sort(key=lambda x: x[0])
        listed = [p for _, p in found[:MAX_PROBLEMS]]
        if len(found) >= MAX_PROBLEMS:
            listed.append(Problem(str(path), "", f"stopped after {MAX_PROBLEMS} problems", "fix these first"))
        raise InvalidData(listed)
    return docs, carried(docs)


def _refused(path: Path, line_no: int, line: bytes) -> Problem:
    """The problem of a line the typed decoder refused; FormatError when it is not JSON at all."""
    try:
        DECODER.decode(line)
    except msgspec.ValidationError as err:
        p = decode_problem(err)
        return Problem(f"{path}:{line_no}", p.field, p.message, p.fix)
    except msgspec.DecodeError as err:
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as bad:
            raise not_utf8(path, line_no, bad) from None
        raise FormatError(f"{path}:{line_no}: not valid JSON ({err}) (fix: one JSON object per line)") \
            from None
    raise AssertionError(f"{path}:{line_no}: decoded on the second try")


def _labels_error(path: Path, found: dict[str, int], every: set[str], given: bool) -> None:
    """One clear message when the gold's entity labels are not the ones in force (before other problems)."""
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
