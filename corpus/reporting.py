"""Reporting verbs and quotation marks: the surface cues of quotations, found for counting and matching.

The verb list is data (``corpus/data/reporting_verbs.tsv``) so the baselines use the same list as the
statistics.  Matching runs on the normalised form (aqwal.corpus.arabic) and returns offsets of the stored text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from aqwal.corpus.arabic import normalise
from aqwal.corpus.errors import FormatError
from aqwal.corpus.paths import CORPUS_DATA
from aqwal.corpus.tokens import tokenize

VERBS_FILE = CORPUS_DATA / "reporting_verbs.tsv"
QUOTE_MARKS = "«»\"“”„‹›"
# A quoted passage: «...» or “...” or "..." on one paragraph, at least one letter inside.
_QUOTED = re.compile(r"«[^«»\n]*\w[^«»\n]*»|“[^“”\n]*\w[^“”\n]*”|\"[^\"\n]*\w[^\"\n]*\"")


@dataclass(frozen=True, slots=True)
class Cue:
    start: int
    end: int
    text: str
    lemma: str


@lru_cache(maxsize=4)
def load_verbs(path: Path = VERBS_FILE) -> dict[str, str]:
    """Normalised surface form -> lemma."""
    forms: dict[str, str] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise FormatError(f"{path}: cannot be read ({err}) (fix: restore the file from git)") from None
    for line_no, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        lemma, sep, rest = line.partition("\t")
        if not sep or not rest.split():
            raise FormatError(f"{path}:{line_no}: expected 'lemma<TAB>form form ...' (fix: add the forms)")
        for form in rest.split():
            forms[normalise(form)] = lemma
    return forms


def reporting_verbs(text: str, verbs: dict[str, str] | None = None) -> list[Cue]:
    """Every token of ``text`` that is a listed reporting-verb form (a leading و/ف allowed)."""
    verbs = load_verbs() if verbs is None else verbs
    cues = []
    for tok in tokenize(text):
        form = normalise(tok.text)
        lemma = verbs.get(form)
        if lemma is None and len(form) > 2 and form[0] in "وف":
            lemma = verbs.get(form[1:])
        if lemma is not None:
            cues.append(Cue(tok.start, tok.end, tok.text, lemma))
    return cues


def quotation_marks(text: str) -> int:
    return sum(text.count(mark) for mark in QUOTE_MARKS)


def quoted_passages(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each passage between paired quotation marks, marks included."""
    return [m.span() for m in _QUOTED.finditer(text)]
