"""Token features for the CRF baselines: Arabic affixes of the word and of its bare form (proclitics and
article stripped by ``aqwal.corpus.arabic.bare``), shape, neighbours, lexicon hits, word clusters learned
from unlabelled news (``clusters.py``) and a gazetteer of the training split's entities (``Gazetteer``).
They work on a sentence's words only, so the same features serve our documents (tokens from
``aqwal.corpus.tokens.tokenize``) and ANERcorp's given tokens (perf/anercorp_crf.py)."""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from aqwal.benchmark.systems.clusters import Clusters
from aqwal.benchmark.systems.lexicon import Lexicon, clitic_variants
from aqwal.corpus.arabic import bare
from aqwal.corpus.arabic import normalise as fold
from aqwal.corpus.tokens import Token, bio_entities

QUOTE_MARKS = frozenset("«»“”\"")
T = TypeVar("T")


def _shape(word: str) -> str:
    if word.isdigit():
        return "digits"
    if any(c.isdigit() for c in word):
        return "hasdigit"
    if not word[0].isalnum():
        return "punct"
    if word.isascii():
        return "latin"
    return "arabic"


def _own(word: str, lex: Lexicon, reps: Clusters | None) -> dict[str, object]:
    key = fold(word)
    stem = bare(key)
    f: dict[str, object] = {"w": key, "stem": stem, "p2": key[:2], "p3": key[:3], "s2": key[-2:],
                            "s3": key[-3:], "sp2": stem[:2], "ss2": stem[-2:], "shape": _shape(word), "len": min(len(key), 8),
                            "al": key.startswith("ال"), "clitic": key[:1] in "وفبلك" and len(key) > 3}
    classes = set()
    for cut, variant in clitic_variants(Token(0, len(word), word), None):
        classes.update(lex.word_classes(variant))
    for c in classes:
        f["lex:" + c] = True
    if reps is not None:
        f["sp3"], f["ss3"], f["ss1"] = stem[:3], stem[-3:], stem[-1:]
        f.update(reps.features(word, "cl:"))
    return f


@dataclass(frozen=True)
class Gazetteer:
    """Entity names of a training split: folded token sequences with their labels, and the label counts of
    each word seen inside names.  Features: the longest name match covering a token (``gaz:B-PER`` /
    ``gaz:I-PER``) and the word's most frequent name label (``gazw:PER``)."""

    names: dict[tuple[str, ...], str]
    words: dict[str, str]
    longest: int

    @classmethod
    def from_bio(cls, sentences: Sequence[Sequence[str]], tags: Sequence[Sequence[str]]) -> Gazetteer:
        names: dict[tuple[str, ...], Counter] = defaultdict(Counter)
        words: dict[str, Counter] = defaultdict(Counter)
        for ws, ts in zip(sentences, tags):
            for a, b, label in bio_entities(ts):
                key = tuple(bare(fold(w)) for w in ws[a:b])
                names[key][label] += 1
                for k in key:
                    words[k][label] += 1
        pick = lambda c: min(c, key=lambda lab: (-c[lab], lab))
        return cls({k: pick(c) for k, c in names.items()}, {k: pick(c) for k, c in words.items()},
                   max((len(k) for k in names), default=0))

    def tags(self, words: Sequence[str]) -> list[str | None]:
        keys = [bare(fold(w)) for w in words]
        out: list[str | None] = [None] * len(words)
        i = 0
        while i < len(keys):
            for n in range(min(self.longest, len(keys) - i), 0, -1):
                label = self.names.get(tuple(keys[i:i + n]))
                if label is not None:
                    out[i] = "B-" + label
                    for j in range(i + 1, i + n):
                        out[j] = "I-" + label
                    i += n
                    break
            else:
                i += 1
        return out


def jackknife(n: int, build: Callable[[list[int]], T], folds: int = 5) -> list[T]:
    """One model per training item, built from the items of the other folds (item i is in fold i % folds),
    so that training items see features from the training data as unseen text will: ``build`` takes the
    indices of the items to learn from."""
    built = [build([i for i in range(n) if i % folds != k]) for k in range(folds)]
    return [built[i % folds] for i in range(n)]


def jackknife_gazetteers(sentences: Sequence[Sequence[str]], tags: Sequence[Sequence[str]], folds: int = 5
                         ) -> list[Gazetteer]:
    """One gazetteer per training sentence, built from the other folds (``jackknife``)."""
    return jackknife(len(sentences), lambda keep: Gazetteer.from_bio([sentences[i] for i in keep],
                                                                     [tags[i] for i in keep]), folds)


def document_votes(sentences: Sequence[Sequence[str]], tags: Sequence[Sequence[str]], docs: Sequence[int]
                   ) -> list[list[dict[str, object]]]:
    """Features from the other sentences of the same document: the label that a first tagger gave most
    often to this word (bare form) elsewhere in the document (``doc:PER``), and how often (``doc_n``).
    One name tagged once is then easier to tag again (وقال البدري ... عودة البدري)."""
    keys = [[bare(fold(w)) for w in ws] for ws in sentences]
    own: list[dict[str, Counter]] = []
    totals: dict[int, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for ks, ts, d in zip(keys, tags, docs):
        mine: dict[str, Counter] = defaultdict(Counter)
        for a, b, label in bio_entities(ts):
            for k in ks[a:b]:
                if len(k) >= 2:
                    mine[k][label] += 1
                    totals[d][k][label] += 1
        own.append(mine)
    out = []
    for ks, mine, d in zip(keys, own, docs):
        feats = []
        for k in ks:
            votes = totals[d].get(k, Counter()) - mine.get(k, Counter())
            if votes:
                best = min(votes, key=lambda lab: (-votes[lab], lab))
                feats.append({"doc:" + best: True, "doc_n": min(votes[best], 3)})
            else:
                feats.append({})
        out.append(feats)
    return out


def sentence_features(words: list[str], lex: Lexicon, reps: Clusters | None = None,
                      gaz: Gazetteer | None = None) -> list[dict[str, object]]:
    own = [_own(w, lex, reps) for w in words]
    if gaz is not None:
        for f, tag in zip(own, gaz.tags(words)):
            if tag is not None:
                f["gaz:" + tag] = True
            label = gaz.words.get(f["stem"])  # type: ignore[arg-type]
            if label is not None:
                f["gazw:" + label] = True
    # what a word lends its neighbours: lexicon and gazetteer hits (and, to the words at ±1, its clusters)
    far = [[(k, v) for k, v in f.items() if k.startswith(("lex:", "gaz"))] for f in own]
    near = [[(k, v) for k, v in f.items() if k.startswith(("lex:", "gaz", "cl:"))] for f in own]
    out = []
    for i, f in enumerate(own):
        feats = {"bias": 1.0, **f}
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < len(own):
                n = own[j]
                feats[f"{d}:w"] = n["w"]
                feats[f"{d}:stem"] = n["stem"]
                feats[f"{d}:shape"] = n["shape"]
                for k, v in (near if abs(d) == 1 else far)[j]:
                    feats[f"{d}:{k}"] = v
            else:
                feats[f"{d}:edge"] = True
        if i > 0:
            feats["-1|0"] = f"{own[i - 1]['w']}|{f['w']}"
        if i + 1 < len(own):
            feats["0|+1"] = f"{f['w']}|{own[i + 1]['w']}"
        out.append(feats)
    return out


def quote_features(words: list[str], lex: Lexicon) -> list[dict[str, object]]:
    """Entity features plus where the word stands relative to quotation marks, cues and أن/إن."""
    base = sentence_features(words, lex)
    inside, after_cue, after_comp = False, 0, 0
    for i, w in enumerate(words):
        key = fold(w)
        f = base[i]
        if w in QUOTE_MARKS:
            f["mark"] = w
            inside = not inside if w == '"' else w in "«“"
        f["inside_marks"] = inside
        f["after_cue"] = min(after_cue, 4)
        f["after_comp"] = min(after_comp, 4)
        f["since_cue"] = after_cue > 0
        f["since_comp"] = after_comp > 0
        if "lex:CUE" in f:
            after_cue = 1
        elif after_cue:
            after_cue += 1
        if key in ("ان", "بان", "انه", "انها"):
            after_comp = 1
        elif after_comp:
            after_comp += 1
        if w in (".", "!", "?", "؟"):
            after_cue = after_comp = 0
    return base
