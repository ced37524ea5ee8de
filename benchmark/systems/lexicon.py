"""The data files of the rule-based baseline (``data/*.txt``, ``data/*.tsv``), loaded and folded once.

Every entry is compared after normalisation (``normalize.fold``); multi-word entries are cut with the
project tokenizer so that they match the token sequence of a text (والتلفزيون → و + التلفزيون).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from aqwal.corpus.arabic import bare, proclitic_readings
from aqwal.corpus.arabic import normalise as fold
from aqwal.corpus.errors import FormatError
from aqwal.corpus.reporting import load_verbs
from aqwal.corpus.tokens import Token, tokenize

DATA = Path(__file__).with_name("data")
NORP_ENDINGS = ("", "ه", "ون", "ين", "يون", "يين")


def read_lines(name: str) -> list[str]:
    path = DATA / name
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


def read_table(name: str, allowed: tuple[str, ...]) -> list[tuple[str, str]]:
    rows = []
    for n, line in enumerate((DATA / name).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or parts[1] not in allowed:
            raise FormatError(f"{DATA / name}:{n}: expected 'entry<TAB>{'|'.join(allowed)}', got {line!r} "
                              "(fix: one entry and one kind per line, tab-separated)")
        rows.append((parts[0].strip(), parts[1]))
    return rows


def phrase_key(text: str) -> tuple[str, ...]:
    return tuple(fold(t.text) for t in tokenize(text))


@dataclass(frozen=True)
class Lexicon:
    phrases: dict[tuple[str, ...], str]  # folded token sequence -> entity label (GPE, ORG)
    phrase_words: dict[str, str]  # every folded word of a phrase -> the label of its first phrase
    max_phrase: int
    norp: frozenset[str]  # folded forms without ال, all endings
    org_heads: frozenset[str]
    first_names: frozenset[str]
    titles: frozenset[str]
    title_complements: frozenset[str]
    dates: dict[str, str]  # folded word -> month | weekday | ordinal | year-word
    cues: frozenset[str]
    sources: frozenset[str]
    function_words: frozenset[str]
    stance: dict[tuple[str, ...], str]  # folded token sequence -> favor | against

    def word_classes(self, key: str) -> list[str]:
        """The lexicon classes of one folded word (used as CRF features)."""
        bare = key.removeprefix("ال")
        out = [self.phrase_words[key]] if key in self.phrase_words else []
        checks = (("NORP", bare in self.norp), ("ORGHEAD", key in self.org_heads),
                  ("FIRST", key in self.first_names), ("TITLE", key in self.titles),
                  ("TITLECOMP", key in self.title_complements), ("CUE", key in self.cues),
                  ("SOURCE", key in self.sources), ("FUNC", key in self.function_words))
        out += [name for name, hit in checks if hit]
        if key in self.dates:
            out.append("DATE_" + self.dates[key])
        return out


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    phrases: dict[tuple[str, ...], str] = {}
    for name, label in (("gpe.txt", "GPE"), ("org.txt", "ORG")):
        for entry in read_lines(name):
            phrases.setdefault(phrase_key(entry), label)
    phrase_words: dict[str, str] = {}
    for phrase, label in phrases.items():
        for word in phrase:
            phrase_words.setdefault(word, label)
    norp = {fold(w) + end for w in read_lines("norp.txt") for end in NORP_ENDINGS}
    folded = lambda name: frozenset(fold(w) for w in read_lines(name))
    return Lexicon(
        phrases=phrases, phrase_words=phrase_words, max_phrase=max(len(k) for k in phrases), norp=frozenset(norp),
        org_heads=folded("org_heads.txt"), first_names=folded("first_names.txt"), titles=folded("titles.txt"),
        title_complements=folded("title_complements.txt"),
        dates={fold(w): kind for w, kind in read_table("dates.txt", ("month", "weekday", "ordinal", "year-word"))},
        cues=frozenset(load_verbs()), sources=folded("sources.txt"), function_words=folded("function_words.txt"),
        stance={phrase_key(w): lab for w, lab in read_table("stance.tsv", ("favor", "against"))})


@lru_cache(maxsize=1)
def _stance_index() -> tuple[dict[str, int], dict[str, list[tuple[int, tuple[str, ...]]]], list[str]]:
    """The stance lexicon indexed for ``stance_hits``: each entry's position in the lexicon, one-word entries by
    their bare form (the first position of each), longer ones by their first word; and the labels."""
    single: dict[str, int] = {}
    longer: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
    labels = []
    for n, (phrase, lab) in enumerate(lexicon().stance.items()):
        labels.append(lab)
        if len(phrase) == 1:
            single.setdefault(bare(phrase[0]), n)
        else:
            longer.setdefault(phrase[0], []).append((n, phrase))
    return single, longer, labels


def stance_hits(keys: Sequence[str]) -> list[str]:
    """The stance lexicon's hits (favor | against) among folded words, in order: at each word, the first entry
    of the lexicon that matches there (a phrase of folded words starting at it, or a word with its bare form:
    وبدعم and الدعم meet دعم) counts.  The one scanner of the stance lexicon."""
    single, longer, labels = _stance_index()
    out = []
    for i, k in enumerate(keys):
        hits = [n for n, phrase in longer.get(k, ()) if tuple(keys[i:i + len(phrase)]) == phrase]
        if (n := single.get(bare(k))) is not None:
            hits.append(n)
        if hits:
            out.append(labels[min(hits)])
    return out


def clitic_variants(tok: Token, prev: Token | None) -> list[tuple[int, str]]:
    """(characters cut from the front, folded key) readings of a token: as is, without a proclitic chain
    (وبيروت → بيروت; ``aqwal.corpus.arabic.proclitic_readings``), and لأمم after a split ل read as الأمم
    (للأمم المتحدة → لأمم المتحدة)."""
    key = fold(tok.text)
    out = [(0, key)]
    if prev is not None and prev.end == tok.start and prev.text == "ل" and key.startswith("ل"):
        out.append((0, "ا" + key))
    out += [(cut, fold(tok.text[cut:])) for cut, _ in proclitic_readings(tok.text, min_rest=3)[1:]]
    return out
