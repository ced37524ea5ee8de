"""Text normalisation applied once, before a document is stored (stored text never changes afterwards).

- HTML entities are decoded (``&quot;`` → ``"``, ``&#8220;`` → ``“``).
- Invisible format characters are removed: bidi marks and embeddings (U+200E/F, U+061C, U+202A-E,
  U+2066-9), the byte-order mark and the soft hyphen.  Zero-width joiners (U+200C/D) are kept.
- Other control characters (SaudiNewsNet has U+001A between an article and its photo captions), CR, and
  the Unicode line/paragraph separators become line breaks.
- Inside a line, every run of whitespace (spaces, tabs, no-break spaces, thin spaces, U+200B) becomes one
  space; lines are stripped.
- Every line break is a paragraph break: non-empty lines are joined with ``"\\n\\n"``.  The sources use one
  newline or a blank line between paragraphs inconsistently (both mean a new paragraph in SaudiNewsNet), so
  the stored text has one form: paragraphs separated by exactly one blank line, no other newlines.
"""
from __future__ import annotations

import html
import re

PARAGRAPH_BREAK = "\n\n"
_REMOVE = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
                                 "\ufeff\u00ad"), None)
_LINE_BREAK = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")  # \t (\x09) is a space


def normalise_text(raw: str) -> str:
    """The stored form of ``raw``: see the module docstring.  Empty when ``raw`` holds no visible text."""
    return PARAGRAPH_BREAK.join(lines(raw))


def lines(raw: str) -> list[str]:
    """The non-empty, whitespace-normalised lines of ``raw`` (entities decoded, invisibles removed)."""
    text = _LINE_BREAK.sub("\n", html.unescape(raw).translate(_REMOVE).replace("\u200b", " "))
    return [clean for line in text.split("\n") if (clean := " ".join(line.split()))]


def word_count(text: str) -> int:
    return len(text.split())
