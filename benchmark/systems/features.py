"""Token features for the CRF baselines: Arabic affixes, clitic-stripped forms, shape, neighbours and
lexicon hits.  They work on a sentence's words only, so the same features serve our documents (tokens from
``aqwal.corpus.tokens.tokenize``) and ANERcorp's given tokens (perf/anercorp_crf.py)."""
from __future__ import annotations

from aqwal.benchmark.systems.lexicon import Lexicon, clitic_variants
from aqwal.corpus.arabic import normalise as fold
from aqwal.corpus.tokens import Token

QUOTE_MARKS = frozenset("«»“”\"")


def _stem(key: str) -> str:
    """The word without proclitics and article: والعراق → عراق, بالمائة → مائه."""
    for pre in ("وال", "فال", "بال", "كال", "لل", "ال"):
        if key.startswith(pre) and len(key) - len(pre) >= 2:
            return key[len(pre):]
    return key


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


def _own(word: str, lex: Lexicon) -> dict[str, object]:
    key = fold(word)
    stem = _stem(key)
    f: dict[str, object] = {"w": key, "stem": stem, "p2": key[:2], "p3": key[:3], "s2": key[-2:],
                            "s3": key[-3:], "sp2": stem[:2], "ss2": stem[-2:], "shape": _shape(word), "len": min(len(key), 8),
                            "al": key.startswith("ال"), "clitic": key[:1] in "وفبلك" and len(key) > 3}
    classes = set()
    for cut, variant in clitic_variants(Token(0, len(word), word), None):
        classes.update(lex.word_classes(variant))
    for c in classes:
        f["lex:" + c] = True
    return f


def sentence_features(words: list[str], lex: Lexicon) -> list[dict[str, object]]:
    own = [_own(w, lex) for w in words]
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
                for k in n:
                    if k.startswith("lex:"):
                        feats[f"{d}:{k}"] = True
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
