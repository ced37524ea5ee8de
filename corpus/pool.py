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


# ---- the extension (gold 0.2) ------------------------------------------------------------------------

RULE_FILE = Path(__file__).resolve().parent / "data" / "pool.toml"


@dataclass(frozen=True, slots=True)
class ExtensionRule:
    size: int
    seed: int
    min_words: int
    max_words: int
    min_quote_words: int
    min_reporting_verbs: int
    story_threshold: float
    topics: dict[str, float]


def load_rule(path: Path = RULE_FILE) -> ExtensionRule:
    import tomllib

    from aqwal.corpus.errors import FormatError
    from aqwal.corpus.topics import TOPICS
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))["extension"]
    except (OSError, tomllib.TOMLDecodeError, KeyError) as err:
        raise FormatError(f"{path}: no [extension] rule ({err}) (fix: restore corpus/data/pool.toml)") from None
    fields = {f for f in ExtensionRule.__dataclass_fields__}
    if set(data) != fields:
        raise ConfigError(f"{path}: [extension] has {sorted(data)} (fix: give exactly {sorted(fields)})")
    unknown = set(data["topics"]) - set(TOPICS)
    if unknown or abs(sum(data["topics"].values()) - 1) > 1e-9:
        raise ConfigError(f"{path}: [extension.topics] must be shares of {', '.join(TOPICS)} summing to 1 "
                          f"(unknown: {sorted(unknown)}; sum {sum(data['topics'].values()):.3f})")
    return ExtensionRule(**data)


def _quotas(rule: ExtensionRule) -> dict[str, int]:
    """Documents per topic, summing to ``rule.size`` (largest remainders)."""
    exact = {t: rule.size * share for t, share in rule.topics.items()}
    out = {t: int(v) for t, v in exact.items()}
    for t in sorted(exact, key=lambda t: (-(exact[t] - out[t]), list(exact).index(t)))[:rule.size - sum(out.values())]:
        out[t] += 1
    return out


def extension_eligible(doc: Document, rule: ExtensionRule) -> bool:
    if doc.source != "saudinewsnet" or not rule.min_words <= word_count(doc.text) <= rule.max_words:
        return False
    if not any(word_count(doc.text[a:b]) >= rule.min_quote_words for a, b in quoted_passages(doc.text)):
        return False
    return len(reporting_verbs(doc.text)) >= rule.min_reporting_verbs


@dataclass(frozen=True, slots=True)
class Extension:
    documents: list[Document]
    topic: dict[str, str]  # id -> topic, for the chosen documents
    candidates: dict[str, int]  # topic -> eligible candidates
    skipped_story: int  # candidates left out because they continue a story already in the pool


def extend(pool: list[Document], docs: Iterable[Document], rule: ExtensionRule) -> Extension:
    """The extension's documents: per topic its quota, outlets taking turns, each outlet's candidates in the
    order of sha256(seed:id); a candidate similar (>= story_threshold) to a pool or chosen document is left
    out.  Deterministic: depends only on the pool, the ingested documents and the rule."""
    import numpy as np
    from datasketch import MinHashLSH

    from aqwal.corpus.ingest.dedup import NUM_PERM, signature
    from aqwal.corpus.model import sha256_text
    from aqwal.corpus.topics import topic_of
    in_pool = {d.id for d in pool} | {d.sha256 for d in pool}
    queues: dict[str, dict[str, list[Document]]] = defaultdict(lambda: defaultdict(list))
    topic: dict[str, str] = {}
    for doc in docs:
        if doc.id in in_pool or doc.sha256 in in_pool or not extension_eligible(doc, rule):
            continue
        t = topic_of(doc.text)
        if t in rule.topics:
            topic[doc.id] = t
            queues[t][doc.outlet or "unknown"].append(doc)
    for outlets in queues.values():
        for group in outlets.values():
            group.sort(key=lambda d: (sha256_text(f"{rule.seed}:{d.id}"), d.id))
    lsh = MinHashLSH(threshold=rule.story_threshold, num_perm=NUM_PERM)
    values: dict[str, np.ndarray] = {}

    def continues_a_story(doc: Document) -> bool:
        mh = signature(doc.text)
        if any(float(np.mean(values[o] == mh.hashvalues)) >= rule.story_threshold for o in lsh.query(mh)):
            return True
        lsh.insert(doc.id, mh)
        values[doc.id] = mh.hashvalues
        return False

    for doc in pool:
        continues_a_story(doc)
    chosen: list[Document] = []
    skipped = 0
    carry = 0
    for t, quota in _quotas(rule).items():
        want, taken = quota + carry, 0
        outlets = {o: list(q) for o, q in sorted(queues[t].items())}
        while taken < want and any(outlets.values()):
            for o in list(outlets):
                if taken >= want:
                    break
                while outlets[o]:
                    doc = outlets[o].pop(0)
                    if continues_a_story(doc):
                        skipped += 1
                        continue
                    chosen.append(doc)
                    taken += 1
                    break
        carry = want - taken
    return Extension(sorted(chosen, key=lambda d: d.id), {d.id: topic[d.id] for d in chosen},
                     {t: sum(len(q) for q in queues[t].values()) for t in rule.topics}, skipped)


def extension_manifest(ext: Extension, rule: ExtensionRule) -> dict[str, Any]:
    from dataclasses import asdict
    per = Counter((d.outlet or "unknown", ext.topic[d.id]) for d in ext.documents)
    return {"rule": "corpus/data/pool.toml", **asdict(rule), "documents": len(ext.documents),
            "candidates_per_topic": ext.candidates,
            "chosen_per_topic": dict(Counter(ext.topic[d.id] for d in ext.documents)),
            "chosen_per_outlet": dict(sorted(Counter(d.outlet or "unknown" for d in ext.documents).items())),
            "chosen_per_outlet_topic": {f"{o}/{t}": n for (o, t), n in sorted(per.items())},
            "skipped_continuing_a_story": ext.skipped_story}
