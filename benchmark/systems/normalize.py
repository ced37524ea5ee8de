"""Arabic normalisation for matching only: the stored text is never changed.

``fold`` maps a string to its matching key: diacritics and tatweel removed, alef and hamza forms folded to
bare letters, ى to ي, ة to ه, Arabic-Indic digits to ASCII.  Spans are always taken from the stored text at
token offsets; the key is only compared, never stored.  (A shared ``corpus/arabic.py`` with an offset map
may replace this module; the folding here is deliberately small.)
"""
from __future__ import annotations

import re

_MARKS = re.compile("[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]")  # harakat, Quranic marks, tatweel
_TABLE = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي",
    **{chr(0x0660 + d): str(d) for d in range(10)}, **{chr(0x06F0 + d): str(d) for d in range(10)},
})
PROCLITICS = "وفبلك"


def fold(text: str) -> str:
    """The matching key of ``text``."""
    return _MARKS.sub("", text).translate(_TABLE)


def fold_phrase(text: str) -> tuple[str, ...]:
    """The matching keys of the whitespace-separated words of a phrase."""
    return tuple(fold(w) for w in text.split())
