"""Token views derived from the text: an Arabic-aware tokenizer, spans → BIO and BIO → spans.

Spans live in characters; tokens are derived and never stored.  The tokenizer splits punctuation
(«بيروت،» gives بيروت and ،) and separates a proclitic from a following article (والعراق → و + العراق,
للأمم → ل + لأمم), where the split is unambiguous; other clitics stay attached, so a span that starts
inside a token (وبيروت with the span on بيروت) does not align, and the caller reports it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from aqwal.corpus.arabic import ARTICLE, MARKS, proclitic_cuts

_TOKEN = re.compile(rf"[\w{re.escape(MARKS)}]+|\S")  # a word keeps its diacritics
_MIN_STEM = 4  # ال plus two letters: والد (father) and والي (governor) stay whole


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    for m in _TOKEN.finditer(text):
        word, start = m.group(), m.start()
        cut = _proclitic_length(word)
        if cut:
            tokens.append(Token(start, start + cut, word[:cut]))
        tokens.append(Token(start + cut, m.end(), word[cut:]))
    return tokens


def _proclitic_length(word: str) -> int:
    """The proclitic chain before the article ال (والعراق → و); لل is ل + ل(ا)ل (للأمم → ل)."""
    for cut in proclitic_cuts(word, _MIN_STEM):
        if word[cut:].startswith(ARTICLE) or (word[cut - 1] == "ل" and word[cut] == "ل"):
            return cut
    return 0


@dataclass(frozen=True, slots=True)
class Misaligned:
    """A span that could not be expressed in BIO over these tokens, and why."""

    start: int
    end: int
    label: str
    reason: str  # "boundary inside a token" | "nested in or overlapping another span"


def spans_to_bio(tokens: Sequence[Token], spans: Iterable[tuple[int, int, str]]
                 ) -> tuple[list[str], list[Misaligned]]:
    """IOB2 tags for ``spans`` (start, end, label); spans that cannot be tagged are returned, not rounded.

    Where spans nest or overlap, the longer one (then the earlier) is tagged and the other reported.
    """
    starts = {t.start: i for i, t in enumerate(tokens)}
    ends = {t.end: i for i, t in enumerate(tokens)}
    tags = ["O"] * len(tokens)
    misaligned: list[Misaligned] = []
    for start, end, label in sorted(spans, key=lambda s: (s[0] - s[1], s[0], s[2])):
        first, last = starts.get(start), ends.get(end)
        if first is None or last is None:
            misaligned.append(Misaligned(start, end, label, "boundary inside a token"))
        elif any(tag != "O" for tag in tags[first:last + 1]):
            misaligned.append(Misaligned(start, end, label, "nested in or overlapping another span"))
        else:
            tags[first] = f"B-{label}"
            for i in range(first + 1, last + 1):
                tags[i] = f"I-{label}"
    misaligned.sort(key=lambda m: (m.start, m.end, m.label))
    return tags, misaligned


def bio_entities(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Token ranges ``(first, last + 1, label)`` of the chunks in IOB1/IOB2 tags, conlleval's way.

    A chunk starts at B-X, or at I-X after O or after a tag of another type (a stray I- opens a chunk,
    as conlleval and seqeval's default mode do); it continues over I-X.
    """
    chunks: list[tuple[int, int, str]] = []
    parsed: dict[str, tuple[str, str]] = {"O": ("O", "")}  # each distinct tag is parsed once
    open_label, open_at = None, 0
    for i, tag in enumerate(tags):
        try:
            prefix, label = parsed[tag]
        except KeyError:
            prefix, label = parsed.setdefault(tag, _parse_tag(i, tag))
        if open_label is not None and (prefix != "I" or label != open_label):
            chunks.append((open_at, i, open_label))
            open_label = None
        if open_label is None and prefix != "O":
            open_label, open_at = label, i
    if open_label is not None:
        chunks.append((open_at, len(tags), open_label))
    return chunks


def _parse_tag(i: int, tag: str) -> tuple[str, str]:
    prefix, _, label = tag.partition("-")
    if prefix not in ("B", "I") or not label:
        raise ValueError(f"tag {i} is {tag!r}: expected O, B-LABEL or I-LABEL")
    return prefix, label


def bio_to_spans(tokens: Sequence[Token], tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """Character spans ``(start, end, label)`` of the chunks in ``tags`` over ``tokens``."""
    if len(tokens) != len(tags):
        raise ValueError(f"{len(tokens)} tokens but {len(tags)} tags")
    return [(tokens[a].start, tokens[b - 1].end, label) for a, b, label in bio_entities(tags)]
