"""Document-level train/validation/test assignment: decided once per document, kept for good.

The plan ``corpus/data/splits.tsv`` (columns ``id split story``) gives every pool document its split when
it enters the pool, before anyone annotates it, so the annotation can be planned by split (every test
document is annotated twice).  A document never changes split: entries of the plan are kept, and a release
also keeps what a previous release said (``--previous``).

New documents are assigned by one rule:

- **Stories stay together.**  Documents whose texts are near copies at ``STORY_THRESHOLD`` (MinHash over
  word 3-grams, the ingestion's similarity; at 0.5 and above are follow-ups of one story and two papers'
  rewrites of one wire, see corpus/ingest/dedup.py) form one story, and a story goes to one split; a new
  document joins the split of a story it continues.
- **Stratified by source and outlet.**  Stories of each (source, outlet) stratum are taken in the order of
  ``sha256`` of their first id, each going to the split furthest below its share (``RATIOS``) of that
  stratum, counting what the stratum already holds.  No random generator, no dependence on input order.
"""
from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from aqwal.corpus.errors import FormatError, InvalidData, Problem
from aqwal.corpus.model import Document, sha256_text
from aqwal.corpus.paths import CORPUS_DATA

SPLITS: tuple[str, ...] = ("train", "validation", "test")
RATIOS: Mapping[str, float] = {"train": 0.50, "validation": 0.14, "test": 0.36}
STORY_THRESHOLD = 0.5
PLAN = CORPUS_DATA / "splits.tsv"
COLUMNS = ("id", "split", "story")


@dataclass(frozen=True, slots=True)
class Assignment:
    split: str
    story: str  # the id of the story's first document (by id)


def id_hash(doc_id: str) -> str:
    return sha256_text(doc_id)


def stories(docs: Iterable[Document], threshold: float = STORY_THRESHOLD) -> dict[str, str]:
    """document id -> story id (the smallest id of its connected group of near copies at ``threshold``)."""
    import numpy as np
    from datasketch import MinHashLSH

    from aqwal.corpus.ingest.dedup import NUM_PERM, signature
    docs = sorted(docs, key=lambda d: d.id)
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    values: dict[str, np.ndarray] = {}
    parent = {d.id: d.id for d in docs}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for doc in docs:
        mh = signature(doc.text)
        for other in lsh.query(mh):
            if float(np.mean(values[other] == mh.hashvalues)) >= threshold:
                a, b = find(other), find(doc.id)
                if a != b:
                    parent[max(a, b)] = min(a, b)
        lsh.insert(doc.id, mh)
        values[doc.id] = mh.hashvalues
    return {d.id: find(d.id) for d in docs}


def _stratum(doc: Document) -> tuple[str, str]:
    return doc.source, doc.outlet or ""


def assign(docs: Iterable[Document], fixed: Mapping[str, str] | None = None, *,
           story_of: Mapping[str, str] | None = None,
           ratios: Mapping[str, float] = RATIOS) -> dict[str, Assignment]:
    """id -> Assignment for ``docs``: ``fixed`` splits kept, the rest by the rule of the module docstring.

    ``story_of`` (id -> story id) defaults to every document being its own story.  InvalidData when two
    fixed documents of one story are in different splits."""
    docs = list(docs)
    fixed = dict(fixed or {})
    story_of = dict(story_of or {})
    members: dict[str, list[Document]] = defaultdict(list)
    for d in docs:
        members[story_of.get(d.id, d.id)].append(d)
    out: dict[str, Assignment] = {}
    problems = []
    story_split: dict[str, str] = {}
    for story, group in members.items():
        kept = {fixed[d.id] for d in group if d.id in fixed}
        if len(kept) > 1:
            problems.append(Problem(f"story {story!r}", "split", f"its documents are in {sorted(kept)}: "
                                    f"{', '.join(sorted(d.id for d in group))}",
                                    "a story stays in one split; move its documents together"))
        elif kept:
            story_split[story] = kept.pop()
    if problems:
        raise InvalidData(problems)
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for story, split in story_split.items():
        for d in members[story]:
            counts[_stratum(d)][split] += 1
    new = sorted((s for s in members if s not in story_split), key=lambda s: (id_hash(min(
        d.id for d in members[s])), s))
    for story in new:
        group = members[story]
        stratum = _stratum(min(group, key=lambda d: d.id))
        have = counts[stratum]
        total = sum(have.values()) + len(group)
        split = max(SPLITS, key=lambda s: (ratios[s] * total - have[s], -SPLITS.index(s)))
        story_split[story] = split
        for d in group:
            counts[_stratum(d)][split] += 1
    for story, group in members.items():
        for d in group:
            out[d.id] = Assignment(story_split[story], story)
    return dict(sorted(out.items()))


# ---- the plan file ----------------------------------------------------------------------------------

def read_plan(path: str | Path = PLAN) -> dict[str, Assignment]:
    """id -> Assignment of the plan file; an empty plan when the file does not exist."""
    path = Path(path)
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    if not rows or tuple(rows[0]) != COLUMNS:
        raise FormatError(f"{path}:1: header is not {' '.join(COLUMNS)} (fix: restore the file with "
                          "`aqwal corpus splits`)")
    out: dict[str, Assignment] = {}
    problems = []
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != 3 or row[1] not in SPLITS or row[0] in out:
            problems.append(Problem(f"{path}:{line}", "", f"{row!r}", f"give id, one of {', '.join(SPLITS)}, "
                                    "story; each id once"))
            continue
        out[row[0]] = Assignment(row[1], row[2])
    if problems:
        raise InvalidData(problems)
    return out


def write_plan(plan: Mapping[str, Assignment], path: str | Path = PLAN) -> int:
    from aqwal.corpus.jsonl import atomic_path
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write("\t".join(COLUMNS) + "\n")
        for doc_id in sorted(plan):
            fh.write(f"{doc_id}\t{plan[doc_id].split}\t{plan[doc_id].story}\n")
    return len(plan)


def extend_plan(docs: Iterable[Document], plan: Mapping[str, Assignment]) -> dict[str, Assignment]:
    """The plan with every document of ``docs`` assigned: planned documents keep their split and story; a
    new document continuing a planned story takes that story (and its split)."""
    docs = list(docs)
    found = stories(docs)
    # a planned story keeps its id: map each found group onto the planned story it contains, if any
    planned_story: dict[str, str] = {}
    for doc_id, group in found.items():
        if doc_id in plan:
            planned_story.setdefault(group, plan[doc_id].story)
    story_of = {d.id: plan[d.id].story if d.id in plan else planned_story.get(found[d.id], found[d.id])
                for d in docs}
    fixed = {doc_id: a.split for doc_id, a in plan.items()}
    out = assign(docs, fixed, story_of=story_of)
    return dict(sorted({**plan, **out}.items()))
