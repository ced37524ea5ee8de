"""The ``rules`` baseline: gazetteers and patterns, no training.

Entities: place and organisation lists (longest match), organisation heads (وزارة الخارجية العراقية),
nationality adjectives, given names followed by a surname, a title followed by a name, dates (months,
weekdays, عام + year), and names found once propagated to their other mentions (مصطفى الكاظمي → الكاظمي).
Proclitics (و ف ب ل ك) are left out of spans and ال kept in, as the scheme says.

Quotations: text between quotation marks (« » “ ” ") with a reporting cue before it (or at least three
words), the clause after أن/إن following a cue, and headlines "X: ...".  Speaker: the person (else
organisation or place) between the cue and the quotation, else the nearest named mention before it, else
a nominal source word.  Stance: the lexicon sign of a quotation that shares a content word with the target.
All word lists are data files under ``data/``; this module holds only the patterns.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass

from aqwal.benchmark.systems.lexicon import Lexicon, clitic_variants, lexicon, stance_hits
from aqwal.benchmark.systems.protocol import DocumentView, quote, record
from aqwal.corpus.arabic import normalise as fold
from aqwal.corpus.model import Target
from aqwal.corpus.schema import SPEAKER_ENTITY_NAMES
from aqwal.corpus.tokens import Token, tokenize

Entity = tuple[int, int, str]
OPEN_CLOSE = {"«": "»", "“": "”", '"': '"'}
SENTENCE_END = {".", "!", "?", "؟"}
COMPLEMENTIZERS = {"ان", "انه", "انها", "انهم"}  # أن/إن (+ pronoun), matched also after a clitic (بأن)
CUE_WINDOW, CLAUSE_WINDOW, HEADLINE_MAX = 15, 12, 15


@dataclass(frozen=True, slots=True)
class QuoteGuess:
    start: int
    end: int
    cue: tuple[int, int] | None
    speaker: tuple[int, int] | None


class Text:
    """A text with its tokens, their folded readings and their line numbers."""

    def __init__(self, text: str, lex: Lexicon | None = None):
        self.text, self.lex = text, lex or lexicon()
        self.tokens: list[Token] = tokenize(text)
        self.variants = [clitic_variants(t, self.tokens[i - 1] if i else None) for i, t in enumerate(self.tokens)]
        newlines = [i for i, c in enumerate(text) if c == "\n"]
        self.line = [bisect.bisect(newlines, t.start) for t in self.tokens]

    def key(self, i: int) -> str:
        return self.variants[i][0][1]

    def match(self, i: int, words: frozenset[str] | set[str]) -> int | None:
        """Characters cut from token i's front for it to be one of ``words``, or None."""
        for cut, key in self.variants[i]:
            if key in words:
                return cut
        return None

    def is_word(self, i: int) -> bool:
        return self.tokens[i].text[0].isalnum()

    def same_line(self, i: int, j: int) -> bool:
        return 0 <= i < len(self.tokens) and 0 <= j < len(self.tokens) and self.line[i] == self.line[j]


# ---- entities --------------------------------------------------------------------------------------------

def find_entities(t: Text) -> list[Entity]:
    """Flat, non-overlapping entity spans: longer first, then by rule priority."""
    found: list[tuple[int, int, str, int]] = []  # start, end, label, priority (lower wins)
    found += _phrases(t)
    found += _org_heads(t)
    found += _norp(t)
    found += _dates(t)
    found += _given_names(t)
    found += _titled_names(t, found)
    found += _propagated(t, found)
    kept: list[tuple[int, int, str, int]] = []
    for cand in sorted(set(found), key=lambda c: (c[0] - c[1], c[3], c[0])):
        if not any(cand[0] < k[1] and k[0] < cand[1] for k in kept):
            kept.append(cand)
    return sorted((s, e, lab) for s, e, lab, _ in kept)


def _span(t: Text, i: int, j: int, cut: int = 0) -> tuple[int, int]:
    return t.tokens[i].start + cut, t.tokens[j].end


def _phrases(t: Text) -> list[tuple[int, int, str, int]]:
    out = []
    keys = [t.key(i) for i in range(len(t.tokens))]
    for i in range(len(t.tokens)):
        for cut, key in t.variants[i]:
            hit = next(((n, t.lex.phrases[(key, *keys[i + 1:i + n])]) for n in range(t.lex.max_phrase, 0, -1)
                        if i + n <= len(keys) and t.same_line(i, i + n - 1)
                        and (key, *keys[i + 1:i + n]) in t.lex.phrases), None)
            if hit:
                out.append((*_span(t, i, i + hit[0] - 1, cut), hit[1], 0))
                break
    return out


def _org_heads(t: Text) -> list[tuple[int, int, str, int]]:
    out = []
    for i in range(len(t.tokens)):
        cut = t.match(i, t.lex.org_heads)
        if cut is None:
            continue
        j = i
        while j + 1 < len(t.tokens) and j - i < 2 and t.same_line(i, j + 1) \
                and t.key(j + 1).startswith("ال") and t.key(j + 1) not in t.lex.function_words:
            j += 1
        if j > i:
            out.append((*_span(t, i, j, cut), "ORG", 1))
    return out


def _norp(t: Text) -> list[tuple[int, int, str, int]]:
    out = []
    for i in range(len(t.tokens)):
        for cut, key in t.variants[i]:
            bare = key.removeprefix("ال")
            if bare in t.lex.norp:
                out.append((*_span(t, i, i, cut), "NORP", 2))
                break
    return out


def _year(t: Text, i: int) -> bool:
    key = t.key(i) if 0 <= i < len(t.tokens) else ""
    return key.isdigit() and len(key) == 4 and 1800 <= int(key) <= 2100


def _date_kind(t: Text, i: int) -> str | None:
    return t.lex.dates.get(t.key(i)) if 0 <= i < len(t.tokens) else None


def _dates(t: Text) -> list[tuple[int, int, str, int]]:
    out = []
    n = len(t.tokens)
    for i in range(n):
        kind = _date_kind(t, i)
        if kind == "weekday":
            out.append((*_span(t, i, i, t.match(i, {t.key(i)}) or 0), "DATE", 1))
            continue
        key = t.key(i)
        day = key.isdigit() and 1 <= int(key) <= 31 and _date_kind(t, i + 1) == "month"
        if kind == "year-word" and _year(t, i + 1):
            out.append((*_span(t, i, i + 1), "DATE", 1))
        elif kind == "month" or day:
            j = i + 1 if day else i
            while j + 1 < n and _date_kind(t, j + 1) in ("month", "ordinal"):
                j += 1
            if _date_kind(t, j + 1) == "year-word" and _year(t, j + 2):
                j += 2
            elif _year(t, j + 1):
                j += 1
            out.append((*_span(t, i, j), "DATE", 1))
    return out


def _name_word(t: Text, j: int, anchor: int) -> bool:
    """Token j can be part of a name that grows from token ``anchor``."""
    if not (t.same_line(anchor, j) and t.is_word(j) and len(t.tokens[j].text) >= 2):
        return False
    key = t.key(j)
    lex = t.lex
    return not (key in lex.function_words or t.match(j, lex.cues) is not None or key in lex.titles
                or key in lex.dates or (key.removeprefix("ال")) in lex.norp)


def _given_names(t: Text) -> list[tuple[int, int, str, int]]:
    out = []
    for i in range(len(t.tokens)):
        cut = t.match(i, t.lex.first_names)
        if cut is None:
            continue
        j = i + 1 if t.key(i) == "عبد" and _name_word(t, i + 1, i) else i  # عبد الله is one given name
        if not _name_word(t, j + 1, i):
            continue
        j += 1
        if t.key(j) in ("بن", "ابن") and _name_word(t, j + 1, i):
            j += 1
            if t.key(j) == "عبد" and _name_word(t, j + 1, i):  # بن عبد العزيز
                j += 1
        out.append((*_span(t, i, j, cut), "PER", 1))
    return out


def _titled_names(t: Text, found: list) -> list[tuple[int, int, str, int]]:
    covered = {}
    for s, e, lab, _ in found:
        for k in range(s, e):
            covered[k] = lab
    out = []
    for i in range(len(t.tokens)):
        if t.match(i, t.lex.titles) is None:
            continue
        j = i + 1
        while j < len(t.tokens) and j - i <= 6 and t.same_line(i, j) and (
                t.key(j) in t.lex.title_complements or t.key(j) in t.lex.titles
                or covered.get(t.tokens[j].start) in ("NORP", "GPE", "ORG")):
            j += 1
        if j < len(t.tokens) and _name_word(t, j, i) and not t.key(j).startswith("ال") \
                and t.tokens[j].start not in covered:
            out.append((*_span(t, j, j, t.match(j, {t.key(j)}) or 0), "PER", 1))
    return out


def _propagated(t: Text, found: list) -> list[tuple[int, int, str, int]]:
    """Other mentions of the persons found: the full name and its last word (the family name)."""
    names: set[tuple[str, ...]] = set()
    for s, e, lab, _ in found:
        if lab != "PER":
            continue
        words = tuple(fold(w) for w in t.text[s:e].split())
        names.add(words)
        if len(words) >= 2 and len(words[-1]) >= 3 and words[-1] not in t.lex.function_words:
            names.add(words[-1:])
    out = []
    keys = [t.key(i) for i in range(len(t.tokens))]
    for i in range(len(t.tokens)):
        for cut, key in t.variants[i]:
            for name in names:
                n = len(name)
                if i + n <= len(keys) and key == name[0] and tuple(keys[i + 1:i + n]) == name[1:] \
                        and t.same_line(i, i + n - 1):
                    out.append((*_span(t, i, i + n - 1, cut), "PER", 3))
    return out


# ---- quotations ------------------------------------------------------------------------------------------

def find_quotes(t: Text, entities: list[Entity]) -> list[QuoteGuess]:
    directs = _direct(t)
    direct_spans = [(t.tokens[a].start, t.tokens[b].end) for a, b, _ in directs]
    indirects = _indirect(t, direct_spans)
    indirect_spans = [(t.tokens[a].start, t.tokens[b].end) for a, b, _ in indirects]
    guesses = []
    for a, b, cue in directs:
        s, e = t.tokens[a].start, t.tokens[b].end
        if any(s2 <= s and e <= e2 for s2, e2 in indirect_spans):
            continue  # a quoted phrase inside a reported clause: the clause is the quotation
        if sum(t.is_word(k) for k in range(a, b + 1)) < 3:
            continue  # a quoted name or term («الشرق الأوسط»), not a quotation
        guesses.append(_guess(t, a, b, cue, entities))
    guesses += [_guess(t, a, b, cue, entities) for a, b, cue in indirects]
    guesses += _headlines(t, entities)
    return sorted(guesses, key=lambda g: (g.start, g.end))


def _quote_marks(t: Text) -> list[tuple[int, int | None]]:
    """(opening mark, closing mark or None) token pairs, per line."""
    pairs, open_at, closer = [], None, None
    for i, tok in enumerate(t.tokens):
        if open_at is not None and not t.same_line(open_at, i):
            pairs.append((open_at, None))
            open_at = None
        if open_at is None and tok.text in OPEN_CLOSE:
            open_at, closer = i, OPEN_CLOSE[tok.text]
        elif open_at is not None and tok.text == closer:
            pairs.append((open_at, i))
            open_at = None
    if open_at is not None:
        pairs.append((open_at, None))
    return pairs


def _line_end(t: Text, i: int) -> int:
    j = i
    while j + 1 < len(t.tokens) and t.same_line(i, j + 1):
        j += 1
    return j


def _trim(t: Text, a: int, b: int) -> tuple[int, int] | None:
    while b >= a and not t.is_word(b):
        b -= 1
    while a <= b and not t.is_word(a):
        a += 1
    return (a, b) if a <= b else None


def _cue_at(t: Text, i: int) -> tuple[int, int] | None:
    cut = t.match(i, t.lex.cues)
    return None if cut is None else _span(t, i, i, cut)


def _direct(t: Text) -> list[tuple[int, int, tuple[int, int] | None]]:
    out = []
    for open_i, close_i in _quote_marks(t):
        last = close_i - 1 if close_i is not None else _line_end(t, open_i)
        inner = _trim(t, open_i + 1, last) if close_i is None else (open_i + 1, last)
        if inner is None or inner[0] > inner[1]:
            continue
        cue = None
        for k in range(open_i - 1, max(open_i - CUE_WINDOW, 0) - 1, -1):
            if not t.same_line(k, open_i) or t.tokens[k].text in SENTENCE_END:
                break
            if (cue := _cue_at(t, k)) is not None:
                break
        if cue is None and close_i is not None:
            for k in range(close_i + 1, min(close_i + 5, len(t.tokens))):
                if t.same_line(k, close_i) and (cue := _cue_at(t, k)) is not None:
                    break
        out.append((inner[0], inner[1], cue))
    return out


def _indirect(t: Text, direct_spans: list[tuple[int, int]]) -> list[tuple[int, int, tuple[int, int]]]:
    out = []
    n = len(t.tokens)
    for c in range(n):
        cue = _cue_at(t, c)
        if cue is None or any(s <= t.tokens[c].start < e for s, e in direct_spans):
            continue
        comp = None
        for k in range(c + 1, min(c + CLAUSE_WINDOW, n)):
            tok = t.tokens[k].text
            if not t.same_line(c, k) or tok in SENTENCE_END or tok in OPEN_CLOSE:
                break
            if t.match(k, COMPLEMENTIZERS) is not None:
                comp = k
                break
        if comp is None or comp + 1 >= n or t.tokens[comp + 1].text in OPEN_CLOSE:
            continue  # no clause, or a direct quotation follows: that one carries the cue
        end = comp + 1
        while end + 1 < n and t.same_line(comp, end + 1) and t.tokens[end + 1].text not in SENTENCE_END \
                and _cue_at(t, end + 1) is None:
            end += 1
        span = _trim(t, comp + 1, end)
        if span is not None and all(span != (a, b) for a, b, _ in out):  # the first cue before a clause wins
            out.append((span[0], span[1], cue))
    return out


def _headlines(t: Text, entities: list[Entity]) -> list[QuoteGuess]:
    out = []
    for i, tok in enumerate(t.tokens):
        if tok.text != ":" or i == 0:
            continue
        first = i
        while first - 1 >= 0 and t.same_line(first - 1, i):
            first -= 1
        last = _line_end(t, i)
        if not (1 <= i - first <= 4) or last - first + 1 > HEADLINE_MAX:
            continue
        speakers = [e for e in entities if t.tokens[first].start <= e[0] and e[1] <= tok.start
                    and e[2] in SPEAKER_ENTITY_NAMES]
        span = _trim(t, i + 1, last)
        if speakers and span is not None:
            out.append(QuoteGuess(t.tokens[span[0]].start, t.tokens[span[1]].end, (tok.start, tok.end),
                                  speakers[-1][:2]))
    return out


def _guess(t: Text, a: int, b: int, cue: tuple[int, int] | None, entities: list[Entity]) -> QuoteGuess:
    s, e = t.tokens[a].start, t.tokens[b].end
    return QuoteGuess(s, e, cue, find_speaker(t, cue, s, e, entities))


def find_speaker(t: Text, cue: tuple[int, int] | None, start: int, end: int,
                 entities: list[Entity]) -> tuple[int, int] | None:
    """The cue's subject, else the nearest named mention before the quotation, else a source word."""
    anchor = cue[0] if cue else start
    if cue is not None and cue[0] < start:
        nxt = next((i for i, tok in enumerate(t.tokens) if tok.start >= cue[1]), None)
        if nxt is not None and t.tokens[nxt].end <= start and t.match(nxt, t.lex.sources) is not None \
                and t.match(nxt, t.lex.titles) is None:
            return t.tokens[nxt].start, t.tokens[nxt].end  # a nominal subject: قال مسؤول / أكد مصدر
    if cue is not None:
        lo, hi = (cue[1], start) if cue[0] < start else (cue[1], cue[1] + 60)
        window = [x for x in entities if lo <= x[0] and x[1] <= hi and "\n" not in t.text[lo:x[0]]]
        for labels in (("PER",), ("ORG", "GPE")):
            hit = [x for x in window if x[2] in labels]
            if hit:
                return hit[0][:2]
    before = [x for x in entities if x[1] <= min(anchor, start)]
    for labels in (("PER",), ("ORG",)):  # a place or nationality before the cue is rarely its subject
        hit = [x for x in before if x[2] in labels]
        if hit:
            return hit[-1][:2]
    if cue is not None:
        for i, tok in enumerate(t.tokens):
            if cue[1] <= tok.start < start and t.match(i, t.lex.sources) is not None:
                return tok.start, tok.end
    return None


# ---- stance ----------------------------------------------------------------------------------------------

def content_words(text: str, lex: Lexicon) -> set[str]:
    words = set()
    for tok in tokenize(text):
        key = fold(tok.text)
        key = key.removeprefix("ال")
        if len(key) >= 3 and key not in lex.function_words and tok.text[0].isalpha():
            words.add(key)
    return words


def lexicon_stance(quote_text: str, targets: tuple[Target, ...]) -> list[tuple[str, str]]:
    """Each target's stance: neutral unless the quotation shares a content word with it; then the sign of the
    stance lexicon's hits (favor minus against), neutral at zero."""
    lex = lexicon()
    hits = stance_hits([fold(tok.text) for tok in tokenize(quote_text)])
    score = hits.count("favor") - hits.count("against")
    words = content_words(quote_text, lex)
    out = []
    for target in targets:
        if not words & content_words(target.text, lex) or score == 0:
            out.append((target.id, "neutral"))
        else:
            out.append((target.id, "favor" if score > 0 else "against"))
    return out


class Rules:
    def __init__(self, name: str = "rules", version: str = "0.1.0"):
        self.name, self.version = name, version

    def predict(self, doc: DocumentView) -> dict:
        t = Text(doc.text)
        entities = find_entities(t)
        if doc.given_quotes is not None:
            quotes = [quote(s, e, stance=lexicon_stance(doc.text[s:e], doc.targets)) for s, e in doc.given_quotes]
        else:
            quotes = [quote(g.start, g.end, g.cue, g.speaker, lexicon_stance(doc.text[g.start:g.end], doc.targets))
                      for g in find_quotes(t, entities)]
        return record(doc.id, entities, quotes)
