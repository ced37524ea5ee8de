"""A transparent topic test for choosing the annotation pool: counts of listed terms, no model.

Terms live in ``corpus/data/topic_terms.tsv``; matching runs on the normalised text (corpus.arabic).

- ``topic_score`` is the 0.1 pool's politics test: politics terms against the terms of class ``other``.
- ``topic_of`` gives a document one topic of ``TOPICS`` for the pool's extension: the class with the most hits
  (politics counted with its own terms), if it has at least ``MIN_TOPIC_HITS``; ties go to the earlier class
  of ``TOPICS``; below that the topic is ``general``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from aqwal.corpus.arabic import normalise
from aqwal.corpus.errors import FormatError
from aqwal.corpus.paths import CORPUS_DATA

TERMS_FILE = CORPUS_DATA / "topic_terms.tsv"
TOPICS = ("politics", "economy", "health", "education", "sport", "culture", "courts", "elections")
GENERAL = "general"
CLASSES = TOPICS + ("other",)
MIN_POLITICS = 12
MIN_RATIO = 3  # politics hits at least this many times the other hits
MIN_TOPIC_HITS = 4


@dataclass(frozen=True, slots=True)
class TopicScore:
    politics: int
    other: int

    @property
    def is_politics(self) -> bool:
        return self.politics >= MIN_POLITICS and self.politics >= MIN_RATIO * self.other


@lru_cache(maxsize=2)
def _patterns(path: Path = TERMS_FILE) -> dict[str, re.Pattern]:
    terms: dict[str, list[str]] = {c: [] for c in CLASSES}
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cls, sep, term = line.partition("\t")
        if not sep or cls not in terms or not term.strip():
            raise FormatError(f"{path}:{line_no}: expected '{'|'.join(CLASSES)}<TAB>term' (fix: correct the line)")
        terms[cls].append(re.escape(normalise(term.strip())))
    out = {}
    for cls, items in terms.items():
        items.sort(key=len, reverse=True)
        # an optional proclitic: و/ف, then ب/ك/ل, or the fused لل; the term itself may start with ال
        out[cls] = re.compile(r"(?<!\w)(?:[وف]?[بكل]?|[وف]?لل)(?:" + "|".join(items) + r")(?!\w)")
    return out


def hits(text: str) -> dict[str, int]:
    """Term hits per class on the matching form of ``text``."""
    norm = normalise(text)
    return {cls: len(p.findall(norm)) for cls, p in _patterns().items()}


def topic_score(text: str) -> TopicScore:
    h = hits(text)
    return TopicScore(h["politics"], h["other"])


def topic_of(text: str) -> str:
    h = hits(text)
    best = max(TOPICS, key=lambda t: (h[t], -TOPICS.index(t)))
    return best if h[best] >= MIN_TOPIC_HITS else GENERAL
