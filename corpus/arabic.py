"""Arabic normalisation for matching: never applied to stored text.

Every rule maps one character to one character or deletes it, so a normalised string comes with an offset
map back to the original: a match found in the normalised text is a span of the stored text.

Rules: diacritics (harakat, tanwin, shadda, sukun, dagger alef, Quranic marks) and tatweel are deleted;
alef forms أ إ آ ٱ become ا; hamza on و and ي (ؤ ئ) become و and ي; ى becomes ي; ة becomes ه; Arabic-Indic (٠-٩) and Eastern Arabic-Indic (۰-۹)
digits become 0-9.
"""
from __future__ import annotations

import re

MARKS = "".join(chr(c) for c in (*range(0x0610, 0x061B), *range(0x064B, 0x0660), 0x0670,
                                   *range(0x06D6, 0x06DD), *range(0x06DF, 0x06E9), *range(0x06EA, 0x06EE)))
"""The combining marks of Arabic script: harakat, tanwin, shadda, sukun, dagger alef, Quranic marks."""
_DELETE = MARKS + "\u0640"  # and tatweel
_MAP = {**{c: "ا" for c in "أإآٱ"}, "ؤ": "و", "ئ": "ي", "ى": "ي", "ة": "ه",
        **{chr(0x0660 + d): str(d) for d in range(10)}, **{chr(0x06F0 + d): str(d) for d in range(10)}}
_TABLE = str.maketrans({**_MAP, **{c: None for c in _DELETE}})
PROCLITICS = "وفبلك"  # one-letter proclitics; they stay out of spans (the scheme)
CONJUNCTIONS, PREPOSITIONS = "وف", "بكل"  # a proclitic chain is a conjunction, then a preposition
ARTICLE = "ال"
_DELETED = re.compile(f"[{re.escape(_DELETE)}]")


def normalise(text: str) -> str:
    """The matching form of ``text`` (shorter when it had diacritics or tatweel)."""
    return text.translate(_TABLE)


def normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    """``(normalised, offsets)``: ``offsets[i]`` is the index in ``text`` of normalised character ``i``;
    ``offsets[len(normalised)] == len(text)``, so a half-open range maps with :func:`original_span`."""
    kept = [i for i, ch in enumerate(text) if not _DELETED.match(ch)]
    normalised = "".join(text[i] for i in kept).translate(_TABLE)
    return normalised, kept + [len(text)]


def original_span(offsets: list[int], start: int, end: int) -> tuple[int, int]:
    """The range of the original text that normalised ``[start, end)`` came from.

    Diacritics and tatweel right after the last character belong to it and are included."""
    if not 0 <= start < end < len(offsets):  # offsets has one entry more than the text
        raise ValueError(f"[{start}, {end}) is not a non-empty range of the normalised text "
                         f"({len(offsets) - 1} characters)")
    return offsets[start], offsets[end]


def proclitic_cuts(word: str, min_rest: int = 2) -> tuple[int, ...]:
    """Lengths of the proclitic chains ``word`` may start with, longest first: و or ف, then ب, ك or ل
    (وبيروت → (2, 1): و+ب or و; بيروت → (1,)).  Each cut leaves at least
    ``min_rest`` characters.  The one implementation of proclitic stripping: tokens, features, word lists
    and span trimming all read proclitics through it (or through :func:`proclitic_readings`)."""
    cuts = []
    n = 0
    if word[:1] and word[0] in CONJUNCTIONS:
        n = 1
        cuts.append(1)
    if word[n:n + 1] and word[n] in PREPOSITIONS:
        cuts.append(n + 1)
    return tuple(c for c in reversed(cuts) if len(word) - c >= min_rest)


def proclitic_readings(word: str, min_rest: int = 2) -> list[tuple[int, str]]:
    """``(cut, rest)`` readings of ``word``: as is, then without each proclitic chain, longest chain last
    (وبيروت → [(0, وبيروت), (1, بيروت), (2, يروت)])."""
    return [(0, word)] + [(cut, word[cut:]) for cut in sorted(proclitic_cuts(word, min_rest))]


def bare(word: str, min_rest: int = 2) -> str:
    """``word`` without a proclitic chain and the article: والعراق → عراق, للعراق → عراق, بالمائه → مائه;
    a word without the article keeps its proclitics (وقال stays وقال: و may be the word's own letter)."""
    for cut in (*proclitic_cuts(word, min_rest + 2), 0):
        rest = word[cut:]
        if rest.startswith(ARTICLE) and len(rest) - 2 >= min_rest:
            return rest[2:]
        if cut and word[cut - 1] == "ل" and rest.startswith("ل") and len(rest) - 1 >= min_rest:
            return rest[1:]  # لل: the preposition ل fused with the article
    return word
