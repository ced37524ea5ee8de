"""Batches: which documents an annotation batch holds, their targets, and its passes, kept as data.

A batch is a folder ``annotation/batches/<name>/`` with:

- ``batch.toml``, the rule::

      description = "SaudiNewsNet, test split, every outlet"
      [select]                      # either ids = [...], or a filter over the pool:
      source = "saudinewsnet"       #   source, outlets, splits (corpus/data/splits.tsv), min_words, max_words
      splits = ["test"]
      size = 30
      seed = 5                      # order: sha256 of "<seed>:<id>"; documents of earlier batches are skipped
      [passes.a]                    # one entry per annotation pass: who annotates, and (optionally) which
      annotator = "llm-annotator-a" #   documents (ids = [...]; default all)
      [targets]                     # document id -> target ids of the inventory
      "saudinewsnet-2015-07-27-11782" = ["T302"]

- ``documents.jsonl``, the chosen documents with their targets, written by ``aqwal annotate select``;
- ``targets.tsv`` (optional), the targets this batch adds to the inventory (``annotation/targets.tsv``
  holds the others): columns ``id text note``;
- one batch file per pass, ``<pass>.<annotator>.jsonl`` (annotation/batchfile.py), and a README.
"""
from __future__ import annotations

import csv
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from aqwal.corpus.errors import ConfigError, FormatError, InvalidData, Problem
from aqwal.corpus.ingest.text import word_count
from aqwal.corpus.model import Document, Target, sha256_text
from aqwal.corpus.paths import ROOT
from aqwal.corpus.schema import STANCE_SLOTS

BATCHES = ROOT / "annotation" / "batches"
INVENTORY = ROOT / "annotation" / "targets.tsv"
ANNOTATORS = ROOT / "annotation" / "annotators.tsv"  # the annotator registry (aqwal.corpus.annotators)
POOL = ROOT / "corpus" / "data" / "pool.jsonl"
RULE = "batch.toml"
DOCUMENTS = "documents.jsonl"
TARGETS = "targets.tsv"

_SELECT_KEYS = {"ids", "source", "outlets", "splits", "min_words", "max_words", "size", "seed"}


@dataclass(frozen=True, slots=True)
class Pass:
    name: str
    annotator: str
    ids: tuple[str, ...] | None = None  # None: every document of the batch


@dataclass(frozen=True, slots=True)
class Batch:
    name: str
    path: Path
    description: str
    select: Mapping
    passes: Mapping[str, Pass]
    targets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def project(self, pass_name: str) -> str:
        """The Label Studio project of a pass: each pass has its own, so annotators of one pass never see
        another pass's work."""
        self.pass_(pass_name)
        return f"Aqwal {self.name} {pass_name}"

    def pass_(self, name: str) -> Pass:
        if name not in self.passes:
            raise ConfigError(f"batch {self.name}: no pass {name!r} (fix: use one of {', '.join(self.passes)}, "
                              f"or add [passes.{name}] to {self.path / RULE})")
        return self.passes[name]

    def batch_file(self, pass_name: str) -> Path:
        return self.path / f"{pass_name}.{self.pass_(pass_name).annotator}.jsonl"


def _problem(path: Path, key: str, message: str, fix: str) -> InvalidData:
    return InvalidData(Problem(str(path), key, message, fix))


def load(path: str | Path) -> Batch:
    """The batch of a folder (or of its batch.toml); InvalidData names the key and the fix."""
    path = Path(path)
    folder = path.parent if path.name == RULE else path
    rule = folder / RULE
    if not rule.is_file():
        raise ConfigError(f"{folder}: no {RULE} (fix: give a batch folder, e.g. annotation/batches/b005)")
    try:
        data = tomllib.loads(rule.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise FormatError(f"{rule}: not TOML ({err}) (fix: correct the file)") from None
    unknown = set(data) - {"description", "select", "passes", "targets"}
    if unknown:
        raise _problem(rule, ", ".join(sorted(unknown)), "unknown key(s)",
                       "a batch has description, [select], [passes.<name>] and [targets]")
    select = data.get("select") or {}
    if set(select) - _SELECT_KEYS:
        raise _problem(rule, "select", f"unknown key(s) {sorted(set(select) - _SELECT_KEYS)}",
                       f"use {', '.join(sorted(_SELECT_KEYS))}")
    if "ids" in select and set(select) != {"ids"}:
        raise _problem(rule, "select", "ids together with a filter", "give ids alone, or a filter")
    if "ids" not in select and "size" not in select:
        raise _problem(rule, "select", "neither ids nor size", "list the ids, or give a filter with a size")
    passes = {}
    for name, spec in (data.get("passes") or {}).items():
        if not isinstance(spec, dict) or not isinstance(spec.get("annotator"), str) or set(spec) - {
                "annotator", "ids"}:
            raise _problem(rule, f"passes.{name}", f"{spec!r}", "give annotator = \"<id>\" and optionally "
                           "ids = [...]")
        passes[name] = Pass(name, spec["annotator"], tuple(spec["ids"]) if "ids" in spec else None)
    if not passes:
        raise _problem(rule, "passes", "no pass", "add [passes.a] with annotator = \"<id>\"")
    targets = {}
    for doc_id, ids in (data.get("targets") or {}).items():
        if not isinstance(ids, list) or not all(isinstance(t, str) for t in ids):
            raise _problem(rule, f"targets.{doc_id}", f"{ids!r}", "give a list of target ids")
        if len(ids) > STANCE_SLOTS:
            raise _problem(rule, f"targets.{doc_id}", f"{len(ids)} targets", f"give at most {STANCE_SLOTS}")
        targets[doc_id] = tuple(ids)
    return Batch(folder.name, folder, str(data.get("description", "")), select, passes, targets)


def all_batches(root: Path = BATCHES) -> list[Batch]:
    return [load(p.parent) for p in sorted(root.glob(f"*/{RULE}"))]


# ---- the target inventory ----------------------------------------------------------------------------

def inventory(root: Path = BATCHES, base: Path = INVENTORY) -> dict[str, Target]:
    """Every target: annotation/targets.tsv and each batch's targets.tsv; an id defined twice is an error."""
    out: dict[str, Target] = {}
    where: dict[str, str] = {}
    problems = []
    for path in [base, *sorted(root.glob(f"*/{TARGETS}"))]:
        if not path.is_file():
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh, delimiter="\t"))
        if not rows or rows[0][:2] != ["id", "text"]:
            problems.append(Problem(f"{path}:1", "header", f"{rows[0] if rows else 'empty'}",
                                    "start with the header id<TAB>text<TAB>note"))
            continue
        for line, row in enumerate(rows[1:], start=2):
            if not any(c.strip() for c in row):
                continue
            if len(row) < 2 or not row[0].strip() or not row[1].strip():
                problems.append(Problem(f"{path}:{line}", "", f"{row!r}", "give an id and a text"))
            elif row[0] in out:
                problems.append(Problem(f"{path}:{line}", "id", f"{row[0]!r} is also defined at {where[row[0]]}",
                                        "give each target one id; reuse an existing id for the same target"))
            else:
                out[row[0]] = Target(row[0].strip(), row[1].strip())
                where[row[0]] = f"{path}:{line}"
    if problems:
        raise InvalidData(problems)
    return out


# ---- choosing the documents --------------------------------------------------------------------------

def _order(seed: int, doc_id: str) -> str:
    return sha256_text(f"{seed}:{doc_id}")


def choose(batch: Batch, pool: list[Document], *, taken: set[str], splits: Mapping[str, str]) -> list[Document]:
    """The batch's documents from the pool, in batch order: the listed ids, or the filter's first ``size``
    documents by ``sha256(seed:id)`` that no earlier batch took."""
    sel = batch.select
    by_id = {d.id: d for d in pool}
    if "ids" in sel:
        missing = [i for i in sel["ids"] if i not in by_id]
        if missing:
            raise _problem(batch.path / RULE, "select.ids", f"not in the pool: {', '.join(missing[:5])}",
                           "use ids of corpus/data/pool.jsonl")
        return [by_id[i] for i in sel["ids"]]

    def keep(d: Document) -> bool:
        if d.id in taken:
            return False
        if "source" in sel and d.source != sel["source"]:
            return False
        if "outlets" in sel and d.outlet not in sel["outlets"]:
            return False
        if "splits" in sel and splits.get(d.id) not in sel["splits"]:
            return False
        words = word_count(d.text) if ("min_words" in sel or "max_words" in sel) else 0
        return sel.get("min_words", 0) <= words <= sel.get("max_words", words)

    seed = int(sel.get("seed", 0))
    eligible = sorted((d for d in pool if keep(d)), key=lambda d: (_order(seed, d.id), d.id))
    return eligible[:int(sel["size"])]


def documents(batch: Batch, pool: list[Document] | None = None, *, batches: list[Batch] | None = None,
              splits: Mapping[str, str] | None = None, targets: Mapping[str, Target] | None = None
              ) -> list[Document]:
    """The batch's documents with their targets (what ``documents.jsonl`` holds)."""
    import dataclasses

    from aqwal.corpus.jsonl import read_documents
    from aqwal.corpus.splits import read_plan
    pool = pool if pool is not None else read_documents(POOL)
    batches = batches if batches is not None else all_batches(batch.path.parent)
    splits = splits if splits is not None else {k: a.split for k, a in read_plan().items()}
    targets = targets if targets is not None else inventory(batch.path.parent)
    taken: set[str] = set()
    for other in batches:
        if other.name < batch.name:
            taken.update(d.id for d in choose(other, pool, taken=set(taken), splits=splits))
    chosen = choose(batch, pool, taken=taken, splits=splits)
    ids = {d.id for d in chosen}
    problems = [Problem(str(batch.path / RULE), f"targets.{doc_id}", "is not a document of the batch",
                        "give targets for the batch's documents") for doc_id in batch.targets if doc_id not in ids]
    for doc_id, tids in batch.targets.items():
        for t in tids:
            if t not in targets:
                problems.append(Problem(str(batch.path / RULE), f"targets.{doc_id}", f"{t!r} is not in the "
                                        "inventory", f"define it in {batch.path / TARGETS} or use an id of "
                                        "annotation/targets.tsv"))
    for p in batch.passes.values():
        for doc_id in p.ids or ():
            if doc_id not in ids:
                problems.append(Problem(str(batch.path / RULE), f"passes.{p.name}.ids", f"{doc_id!r} is not a "
                                        "document of the batch", "list documents of the batch"))
    if problems:
        raise InvalidData(problems)
    return [dataclasses.replace(d, targets=tuple(targets[t] for t in batch.targets.get(d.id, ())))
            for d in chosen]


def read_documents_of(batch: Batch) -> dict[str, Document]:
    """id -> document of the batch's documents.jsonl (ConfigError when it was not written yet)."""
    from aqwal.corpus.jsonl import read_documents
    path = batch.path / DOCUMENTS
    if not path.is_file():
        raise ConfigError(f"{path}: missing (fix: run `aqwal annotate select {batch.path}`)")
    return {d.id: d for d in read_documents(path)}
