"""The annotation pool: the seed, every Wikinews article, and a fixed-seed sample of SaudiNewsNet politics and
world-affairs articles with quotations, spread evenly over the outlets.

A SaudiNewsNet document is eligible when (all measured on its stored text):
- its topic test says politics (aqwal.corpus.topics: listed politics terms, MIN_POLITICS+, MIN_RATIO x other terms);
- it has a quoted passage of MIN_QUOTE_WORDS+ words between paired marks and a listed reporting verb;
- it has MIN_WORDS..MAX_WORDS words (an article an annotator can finish in one sitting);
- its outlet is not a sports paper (SPORTS_OUTLETS).
The eligible documents of each outlet are sorted by id and shuffled with ``random.Random(seed)``; the
sample takes one from each outlet in turn (outlets in name order) until it has ``size``.  Input is the
de-duplicated output of ``aqwal corpus ingest``, so no two pool documents are duplicates.
"""
from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aqwal.corpus.errors import ConfigError
from aqwal.corpus.ingest.text import word_count
from aqwal.corpus.jsonl import iter_documents
from aqwal.corpus.model import Document
from aqwal.corpus.reporting import quoted_passages, reporting_verbs
from aqwal.corpus.topics import topic_score

DEFAULT_SEED = 20150721
DEFAULT_SIZE = 400
MIN_WORDS, MAX_WORDS = 120, 900
MIN_QUOTE_WORDS = 3
EXPECTED = {"seed": 1, "wikinews": 74}
SPORTS_OUTLETS = ("arreyadi", "arriyadiyah")  # sports papers: their few political-sounding items are sports


@dataclass(frozen=True, slots=True)
class Pool:
    documents: list[Document]
    eligible_per_outlet: dict[str, int]
    chosen_per_outlet: dict[str, int]
    per_source: dict[str, int]
    notes: list[str]


def eligible(doc: Document) -> bool:
    words = word_count(doc.text)
    if not MIN_WORDS <= words <= MAX_WORDS or not topic_score(doc.text).is_politics:
        return False
    if not any(word_count(doc.text[a:b]) >= MIN_QUOTE_WORDS for a, b in quoted_passages(doc.text)):
        return False
    return bool(reporting_verbs(doc.text))


def choose(docs: Iterable[Document], *, seed: int = DEFAULT_SEED, size: int = DEFAULT_SIZE) -> Pool:
    if size < 0:
        raise ConfigError(f"--size {size} is negative (fix: give a count of SaudiNewsNet documents)")
    fixed: list[Document] = []
    by_outlet: dict[str, list[Document]] = defaultdict(list)
    for doc in docs:
        if doc.source in EXPECTED:
            fixed.append(doc)
        elif doc.source == "saudinewsnet" and doc.outlet not in SPORTS_OUTLETS and eligible(doc):
            by_outlet[doc.outlet or "unknown"].append(doc)
    rng = random.Random(seed)
    queues = {}
    for outlet in sorted(by_outlet):
        group = sorted(by_outlet[outlet], key=lambda d: d.id)
        rng.shuffle(group)
        queues[outlet] = group
    chosen: list[Document] = []
    while len(chosen) < size and any(queues.values()):
        for outlet in sorted(queues):
            if queues[outlet] and len(chosen) < size:
                chosen.append(queues[outlet].pop(0))
    notes = []
    per_source = Counter(d.source for d in fixed)
    for source, expected in EXPECTED.items():
        if per_source[source] != expected:
            notes.append(f"{source}: {per_source[source]} documents, not {expected}: see the ingestion report")
    if len(chosen) < size:
        notes.append(f"saudinewsnet: only {len(chosen)} eligible documents, not {size}")
    per_source["saudinewsnet"] = len(chosen)
    order = {"seed": 0, "wikinews": 1}
    fixed.sort(key=lambda d: (order[d.source], d.id))
    return Pool(fixed + sorted(chosen, key=lambda d: d.id),
                {o: len(v) for o, v in sorted(by_outlet.items())},
                dict(sorted(Counter(d.outlet or "unknown" for d in chosen).items())), dict(per_source), notes)


def choose_from(path: Path, *, seed: int = DEFAULT_SEED, size: int = DEFAULT_SIZE) -> Pool:
    if not path.is_file():
        raise ConfigError(f"{path}: no ingested documents (fix: run `aqwal corpus ingest` first, or give "
                          "--documents)")
    return choose(iter_documents(path), seed=seed, size=size)


def manifest(pool: Pool, *, seed: int, size: int, documents: str) -> dict[str, Any]:
    return {"command": f"aqwal corpus pool --seed {seed} --size {size}", "input": documents,
            "criteria": {"topic": "corpus/topics.py on corpus/data/topic_terms.tsv", "min_words": MIN_WORDS,
                         "max_words": MAX_WORDS, "min_quote_words": MIN_QUOTE_WORDS,
                         "excluded_outlets": list(SPORTS_OUTLETS),
                         "reporting_verbs": "corpus/data/reporting_verbs.tsv"},
            "documents": len(pool.documents), "per_source": pool.per_source,
            "per_license": dict(sorted(Counter(d.license for d in pool.documents).items())),
            "saudinewsnet_eligible_per_outlet": pool.eligible_per_outlet,
            "saudinewsnet_chosen_per_outlet": pool.chosen_per_outlet, "notes": pool.notes}
