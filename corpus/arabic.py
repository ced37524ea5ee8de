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
