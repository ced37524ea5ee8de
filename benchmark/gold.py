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
from aqwal.corpus.jsonl import MAX_PROBLEMS, check_input_file, hash_blocks, iter_typed, not_utf8
from aqwal.corpus.model import Document
from aqwal.corpus.release.manifest import MANIFEST
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
    config: str | None = None  # the release's config that was read (None for a documents file)

    @property
    def is_release(self) -> bool:
        return self.config is not None

    def describe(self) -> str:
        """What was scored, for a person: ``out/release config non-commercial split test``."""
        return self.path + (f" config {self.config}" if self.config else "") + \
            (f" split {self.split}" if self.split else "")


def parse_labels(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    labels = tuple(dict.fromkeys(x.strip() for x in text.split(",") if x.strip()))
    if not labels:
        raise ConfigError("--labels is empty (fix: give the gold's entity labels, e.g. --labels PERS,LOC,ORG,MISC)")
    if "SOURCE" in labels:
        raise ConfigError("--labels: SOURCE is not an entity label (fix: leave it out)")
    return labels


DEFAULT_SPLIT = "test"


def load_gold(path: str | Path, *, split: str | None = None, config: str | None = None,
              labels: tuple[str, ...] | None = None) -> Gold:
    """Documents JSONL (no ``split`` or ``config``) or a dataset directory (its default config and the test
    split unless told otherwise)."""
    path = Path(path)
    in_force = labels or ENTITY_NAMES
    if path.is_dir():
        from aqwal.corpus.release.load import release_config
        if not (path / MANIFEST).is_file():
            raise FormatError(f"{path}: a directory without {MANIFEST}, so not a release (fix: give a release "
                              "built by `aqwal dataset build`, or the gold documents JSONL file)")
        config, split = release_config(path, config), split or DEFAULT_SPLIT
        with external_entity_labels(labels) if labels else nullcontext():
            built, version = load_gold_split(path, split, config)
        docs, layers = [from_document(d) for d in built], frozenset(LAYERS)
    elif path.is_file():
        for flag, value in (("--split", split), ("--config", config)):
            if value is not None:
                raise ConfigError(f"{flag} {value} needs a release directory, and {path} is a file "
                                  f"(fix: drop {flag} for a documents JSONL file)")
        (docs, layers), version = read_gold_file(path, in_force, labels is not None), None
    else:
        raise FormatError(f"{path}: no such file or directory (fix: check the --gold path)")
    if not docs:
        raise FormatError(f"{path}: the gold holds no documents (fix: check the file or split)")
    chash = hash_blocks(canonical_blocks(sorted(docs, key=lambda d: d.id)))
    return Gold(str(path), split, {d.id: d for d in docs}, in_force, version, chash, layers, config)


def documents_elsewhere(gold: Gold, ids: frozenset[str]) -> tuple[str, str] | None:
    """(config, split) of the same release whose documents the submission's ``ids`` are, when they are not
    this gold's: every id a document there and either some id unknown here or the ids exactly that split's.
    None for a documents file, or when no other config or split holds them."""
    if not gold.is_release or not ids or ids == gold.documents.keys():
        return None
    from aqwal.corpus.release.load import split_ids
    here = frozenset(gold.documents)
    found = []
    for (config, split), there in split_ids(gold.path).items():
        if (config, split) == (gold.config, gold.split) or not ids <= there:
            continue
        if not ids <= here or ids == there:  # exactly that split first, then the fewest flags to change
            found.append((ids != there, config != gold.config, split != gold.split, len(there), config, split))
    return min(found)[-2:] if found else None


def misplaced(gold: Gold, path: str, ids: frozenset[str], unknown: int) -> Problem | None:
    """The one problem of a submission (at ``path``, holding ``ids``, ``unknown`` of them not in the gold)
    whose documents are those of another config or split of the release: which one, and the flags that score
    against it.  None when no other config or split holds them."""
    place = documents_elsewhere(gold, ids)
    if place is None:
        return None
    config, split = place
    flags = " ".join(f for f, differs in ((f"--config {config}", config != gold.config),
                                          (f"--split {split}", split != gold.split)) if differs)
    there = f"config {config} split {split}"
    if unknown:
        return Problem(path, "id", f"{unknown:,} of its {len(ids):,} document ids are not documents of "
                       f"{gold.describe()}: every id is a document of {there} of the same release",
                       f"pass {flags} to score it against {there}, or predict the documents of "
                       f"config {gold.config} split {gold.split}")
    missing = len(gold.documents) - len(ids)
    return Problem(path, "id", f"{missing:,} of the {len(gold.documents):,} documents of {gold.describe()} are "
                   f"missing: the submission holds exactly the {len(ids):,} documents of {there}",
                   f"pass {flags} to score it against {there}, or give one record per document of config "
                   f"{gold.config} split {gold.split} (--allow-missing scores missing ones as empty)")


def read_gold_file(path: Path, in_force: tuple[str, ...],
                   given: bool) -> tuple[list[GoldDocument], frozenset[str]]:
    """The documents of a JSONL file and the layers they carry; every problem at once (``InvalidData``), or
    one ``ConfigError`` first when entity labels are not the ones in force."""
    check_input_file(path, what="gold file")
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

    Without ``config`` the release's default config is read (the one ``load_dataset(directory)`` reads).
    """
    from aqwal.corpus.release.configs import SPLITS
    from aqwal.corpus.release.load import documents_from_split, read_manifest, release_config, split_files

    manifest = read_manifest(directory)
    config = release_config(directory, config)
    if split not in SPLITS:
        raise ConfigError(f"--split {split!r} is not a split of a release (fix: use one of {', '.join(SPLITS)})")
    if not split_files(directory, config, split):
        raise ConfigError(f"{directory}: config {config!r} has no documents in split {split!r} (fix: choose "
                          "another split or config)")
    return documents_from_split(directory, config, split), manifest.get("version")
