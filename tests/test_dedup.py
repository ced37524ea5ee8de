"""De-duplication on planted exact and near duplicates (texts from the committed pool)."""
from __future__ import annotations

import pytest

from aqwal.corpus.ingest.dedup import THRESHOLD, Deduplicator
from aqwal.corpus.jsonl import iter_documents
from aqwal.corpus.model import sha256_text
from aqwal.corpus.paths import CORPUS_DATA


@pytest.fixture(scope="module")
def articles():
    docs = [d for d in iter_documents(CORPUS_DATA / "pool.jsonl") if d.source == "saudinewsnet"]
    return [d.text for d in docs[:40]]


def _check(dedup: Deduplicator, doc_id: str, text: str):
    return dedup.check(doc_id, sha256_text(text), text)


def _words_changed(text: str, every: int) -> str:
    words = text.split(" ")
    return " ".join("تعديل" if i % every == 0 else w for i, w in enumerate(words))


def test_distinct_articles_are_all_kept(articles):
    dedup = Deduplicator()
    assert [_check(dedup, f"a{i}", t) for i, t in enumerate(articles)] == [None] * len(articles)
    assert len(dedup) == len(articles)


def test_planted_duplicates_are_found(articles):
    dedup = Deduplicator()
    for i, t in enumerate(articles):
        _check(dedup, f"a{i}", t)
    base = articles[3]
    exact = _check(dedup, "copy", base)
    assert exact is not None and (exact.of, exact.kind, exact.similarity) == ("a3", "exact", 1.0)
    _title, _, body = base.partition("\n\n")
    planted = {
        "new title": "عنوان آخر تماما للخبر نفسه\n\n" + body,
        "one sentence added": base + "\n\nوأضاف المصدر أن الاجتماع سيعقد الأسبوع المقبل في الرياض.",
        "one word in 40 changed": _words_changed(base, 40),
        "diacritics and alef forms": base.replace("ا", "أ", 5) + "ً",
    }
    for name, text in planted.items():
        dup = _check(dedup, name, text)
        assert dup is not None and dup.of == "a3" and dup.kind == "near", name
        assert THRESHOLD <= dup.similarity < 1.0 or dup.similarity == 1.0, name


def test_half_rewritten_article_is_not_a_duplicate(articles):
    dedup = Deduplicator()
    _check(dedup, "a", articles[5])
    assert _check(dedup, "b", _words_changed(articles[5], 2)) is None


def test_threshold_is_validated():
    with pytest.raises(ValueError):
        Deduplicator(threshold=0)
