"""Arabic normalisation for matching only (never applied to stored text): speaker names match after it."""
from __future__ import annotations

import re

_MARKS = re.compile("[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]")  # diacritics and tatweel
_TABLE = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي",
                        **{chr(0x0660 + d): str(d) for d in range(10)},
                        **{chr(0x06F0 + d): str(d) for d in range(10)}})
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Diacritics and tatweel removed, alef/hamza forms to ا, ى→ي, ة→ه, Arabic-Indic digits to ASCII."""
    return _SPACE.sub(" ", _MARKS.sub("", text).translate(_TABLE)).strip()
