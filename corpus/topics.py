"""A transparent topic test for choosing the annotation pool: counts of listed terms, no model.

Terms live in ``corpus/data/topic_terms.tsv``; matching runs on the normalised text (aqwal.corpus.arabic).
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
CLASSES = ("politics", "other")
MIN_POLITICS = 12
MIN_RATIO = 3  # politics hits at least this many times the other hits


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
            raise FormatError(f"{path}:{line_no}: expected 'politics|other<TAB>term' (fix: correct the line)")
        terms[cls].append(re.escape(normalise(term.strip())))
    out = {}
    for cls, items in terms.items():
        items.sort(key=len, reverse=True)
        # an optional proclitic: و/ف, then ب/ك/ل, or the fused لل; the term itself may start with ال
        out[cls] = re.compile(r"(?<!\w)(?:[وف]?[بكل]?|[وف]?لل)(?:" + "|".join(items) + r")(?!\w)")
    return out


def topic_score(text: str) -> TopicScore:
    norm = normalise(text)
    pats = _patterns()
    return TopicScore(len(pats["politics"].findall(norm)), len(pats["other"].findall(norm)))
