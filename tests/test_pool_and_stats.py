"""The committed annotation pool, ``aqwal corpus stats --json`` on it, and the pool's selection rules."""
from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pytest

from aqwal.corpus.jsonl import read_documents
from aqwal.corpus.model import Document
from aqwal.corpus.paths import CORPUS_DATA, ROOT
from aqwal.corpus.pool import choose, eligible, extension_eligible, load_rule
from aqwal.corpus.topics import topic_of

POOL = CORPUS_DATA / "pool.jsonl"
MANIFEST = json.loads((CORPUS_DATA / "pool-manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def whole_pool() -> list[Document]:
    return read_documents(POOL)  # validates every document and refuses duplicate ids


@pytest.fixture(scope="module")
def pool(whole_pool) -> list[Document]:
    """The 0.1 pool: the first documents of the file, as drawn then."""
    return whole_pool[:MANIFEST["documents"]]


@pytest.fixture(scope="module")
def extension(whole_pool) -> list[Document]:
    return whole_pool[MANIFEST["documents"]:]


def test_the_extension_follows_its_rule(whole_pool, extension):
    rule = load_rule()
    assert len(whole_pool) >= 1400 and len(extension) == rule.size == MANIFEST["extension"]["documents"]
    assert len({d.id for d in whole_pool}) == len({d.sha256 for d in whole_pool}) == len(whole_pool)
    assert all(extension_eligible(d, rule) for d in extension)
    topics = Counter(topic_of(d.text) for d in extension)
    assert topics == MANIFEST["extension"]["chosen_per_topic"]
    # every topic of the rule is there, in its share unless it ran short of candidates
    for topic, share in rule.topics.items():
        candidates = MANIFEST["extension"]["candidates_per_topic"][topic]
        assert topics[topic] >= min(round(share * rule.size), candidates) - 1, topic
    outlets = Counter(d.outlet for d in extension)
    all_outlets = {d.outlet for d in whole_pool if d.source == "saudinewsnet"} | set(outlets)
    assert len(outlets) == 14 == len(all_outlets)  # every SaudiNewsNet outlet
    assert [d.id for d in extension] == sorted(d.id for d in extension)


def test_pool_composition(pool):
    per_source = Counter(d.source for d in pool)
    assert per_source == {"seed": 1, "wikinews": 74, "saudinewsnet": 400}
    assert {d.source: d.license for d in pool} == {"seed": "all-rights-reserved", "wikinews": "cc-by-2.5",
                                                     "saudinewsnet": "cc-by-nc-sa-4.0"}
    outlets = Counter(d.outlet for d in pool if d.source == "saudinewsnet")
    assert len(outlets) >= 8 and max(outlets.values()) <= 400 // 8
    assert len({d.sha256 for d in pool}) == len(pool)
    manifest = json.loads((CORPUS_DATA / "pool-manifest.json").read_text(encoding="utf-8"))
    assert manifest["saudinewsnet_chosen_per_outlet"] == dict(sorted(outlets.items()))


def test_pool_articles_meet_the_selection_rules(pool):
    snn = [d for d in pool if d.source == "saudinewsnet"]
    assert all(eligible(d) for d in snn)
    assert pool[0].text.startswith("الكاظمي: العراق لم يعد بحاجة الى القوات الاجنبية\n\n")


def test_stats_json_on_the_committed_pool(pool):
    proc = subprocess.run([sys.executable, "-m", "aqwal", "corpus", "stats", "--json"], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    stats = json.loads(proc.stdout)
    assert stats["file"] == "corpus/data/pool.jsonl"
    whole = read_documents(POOL)
    assert stats["total"]["documents"] == len(whole) == 1475
    assert stats["total"]["words"] == sum(len(d.text.split()) for d in whole)
    assert stats["total"]["characters"] == sum(len(d.text) for d in whole)
    assert stats["by_source"]["wikinews"]["documents"] == 74
    assert stats["by_license"]["cc-by-nc-sa-4.0"]["documents"] == 1400
    assert stats["total"]["quotation_marks"] == sum(d.text.count(m) for d in whole for m in "«»\"“”„‹›")
    assert 0 < stats["total"]["reporting_verbs"] < stats["total"]["words"]
    by_source = stats["by_source"].values()
    assert sum(s["reporting_verbs"] for s in by_source) == stats["total"]["reporting_verbs"]


def test_stats_table_is_printed(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "aqwal", "corpus", "stats"], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    assert "licence  cc-by-2.5" in proc.stdout and "total" in proc.stdout


def test_choose_is_seeded_and_spreads_over_outlets(pool):
    docs = [d for d in pool if d.source != "seed"]
    a = choose(docs, seed=1, size=40)
    b = choose(docs, seed=1, size=40)
    c = choose(docs, seed=2, size=40)
    assert [d.id for d in a.documents] == [d.id for d in b.documents]
    assert [d.id for d in a.documents] != [d.id for d in c.documents]
    assert len(a.documents) == 74 + 40
    assert max(a.chosen_per_outlet.values()) - min(a.chosen_per_outlet.values()) <= 1
    assert any("seed: 0 documents, not 1" in n for n in a.notes)
    short = choose(docs, seed=1, size=1000)
    assert any("only 400 eligible documents" in n for n in short.notes)


def test_pool_holds_no_known_outlet_furniture(pool):
    import re
    furniture = re.compile(r"شارك من خلال تويتر|للتواصل (مع الكاتب )?(ا|أ)رسل|Next Previous|// ?انتهى ?//"
                           r"|(^|\n)\.*المزيد(\n|$)|(^|\n)\d{1,2}:\d{2} ت [مغ](\n|$)")
    assert [d.id for d in pool if furniture.search(d.text)] == []
