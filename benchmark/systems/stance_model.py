"""A stance classifier for (quotation, target) pairs: logistic regression over sparse features.

Features of a pair: the quotation's words (bare forms: proclitics and article stripped) and word bigrams,
its words' clusters (the coarse granularities of ``clusters.py``), the target id, the overlap of quotation
and target (shared bare words, shared fine and coarse clusters, bucketed), the stance lexicon's favour and
against hits and negation words, each also crossed with whether the quotation is about the target at all
(shares a word or a fine cluster with it).  The same features serve the ANS headline pairs
(perf/stance_ans.py), with the first headline as the quotation and the second as the target.

A quotation in a document also has its context (``quote_features``): the folded words of the
``CONTEXT_BEFORE`` tokens before it in its paragraph (they hold the cue and the speaker: who says it, and
how) and of the ``CONTEXT_AFTER`` tokens after it, and the number of targets of the document.
"""
from __future__ import annotations

from collections.abc import Sequence

from aqwal.benchmark.systems.clusters import clusters
from aqwal.benchmark.systems.lexicon import lexicon, stance_hits
from aqwal.corpus.arabic import bare
from aqwal.corpus.arabic import normalise as fold
from aqwal.corpus.tokens import tokenize

NEGATIONS = frozenset(fold(w) for w in ("لا", "لن", "لم", "ليس", "ليست", "غير", "دون", "بدون", "عدم", "رفض", "يرفض"))
# chosen on the validation split with the context features (F_avg 0.397 at C=2, 0.408 at 0.5, 0.424 at 0.1,
# 0.449 at 0.03, 0.464 at 0.01, 0.471 at 0.005 on the provisional release; on release 0.2.0's 1,915 validation
# items 0.432 at 0.002, 0.438 at 0.005, 0.443 at 0.01, 0.419 at 0.02: 0.01 stays); 2.0 before, from
# 5-fold cross-validation on the training split without context (perf/stance_ans.py --cv)
STANCE_C = 0.01
CONTEXT_BEFORE, CONTEXT_AFTER = 10, 4  # tokens of the paragraph before and after a quotation


def _bucket(n: int) -> str:
    return str(n) if n < 3 else "3+"


def content_keys(text: str) -> list[str]:
    lex = lexicon()
    out = []
    for tok in tokenize(text):
        if not tok.text[0].isalnum():
            continue
        key = bare(fold(tok.text))
        if len(key) >= 2 and key not in lex.function_words:
            out.append(key)
    return out


def _clusters(words: Sequence[str], level: int) -> set[str]:
    reps = clusters()
    out = set()
    for w in words:
        hit = reps.lookup(w)
        if hit is not None:
            out.add(hit[level])
    return out


def _polarity(text: str) -> tuple[int, int, int]:
    """(favour hits, against hits, negations) of the stance lexicon in a text (``lexicon.stance_hits``)."""
    keys = [fold(t.text) for t in tokenize(text)]
    hits = stance_hits(keys)
    return hits.count("favor"), hits.count("against"), sum(k in NEGATIONS for k in keys)


def pair_features(quote_text: str, target_text: str, target_id: str | None = None) -> dict[str, object]:
    q, tgt = content_keys(quote_text), content_keys(target_text)
    levels = len(clusters().levels)
    fine, coarse = levels - 1, min(1, levels - 1)
    shared = set(q) & set(tgt)
    shared_fine = _clusters(q, fine) & _clusters(tgt, fine)
    shared_coarse = _clusters(q, coarse) & _clusters(tgt, coarse)
    related = "rel" if shared or shared_fine else "unrel"
    fav, ag, neg = _polarity(quote_text)
    f: dict[str, object] = {"bias": 1.0, "shared": _bucket(len(shared)), "shared_fine": _bucket(len(shared_fine)),
                            "shared_coarse": _bucket(len(shared_coarse)), "related": related,
                            "fav": _bucket(fav), "ag": _bucket(ag), "neg": _bucket(neg),
                            "rel|fav": f"{related}|{_bucket(fav)}", "rel|ag": f"{related}|{_bucket(ag)}",
                            "rel|neg": f"{related}|{_bucket(neg)}", "len": _bucket(len(q) // 8)}
    if target_id is not None:
        f["target=" + target_id] = 1.0
    for w in set(q):
        f["w=" + w] = 1.0
    for a, b in zip(q, q[1:]):
        f[f"b={a}|{b}"] = 1.0
    for c in _clusters(q, coarse):
        f["c=" + c] = 1.0
    for w in shared:
        f["shared=" + w] = 1.0
    return f


def context_words(text: str, start: int, end: int) -> tuple[list[str], list[str]]:
    """The folded words of the ``CONTEXT_BEFORE`` tokens before ``text[start:end]`` in its paragraph, and of
    the ``CONTEXT_AFTER`` tokens after it."""
    para_start = text.rfind("\n", 0, start) + 1
    para_end = text.find("\n", end)
    para_end = len(text) if para_end < 0 else para_end
    before = [fold(tok.text) for tok in tokenize(text[para_start:start])][-CONTEXT_BEFORE:]
    after = [fold(tok.text) for tok in tokenize(text[end:para_end])][:CONTEXT_AFTER]
    return before, after


def quote_features(text: str, span: tuple[int, int], target_text: str, target_id: str,
                   n_targets: int) -> dict[str, object]:
    """``pair_features`` of the quotation ``text[span[0]:span[1]]`` of a document and a target, with the
    quotation's context and the number of targets of the document."""
    f = pair_features(text[span[0]:span[1]], target_text, target_id)
    before, after = context_words(text, *span)
    for w in before:
        f["ctx=" + w] = 1.0
    for w in after:
        f["actx=" + w] = 1.0
    f["targets"] = _bucket(n_targets)
    return f


class StanceClassifier:
    def __init__(self, C: float = STANCE_C):
        self.C = C
        self.model = None  # a fitted pipeline, or one label when training had one class

    def fit(self, x: list[dict[str, object]], y: list[str]) -> None:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        if not y:
            self.model = "neutral"
        elif len(set(y)) == 1:
            self.model = y[0]
        else:
            self.model = make_pipeline(DictVectorizer(), LogisticRegression(C=self.C, max_iter=2000,
                                                                            class_weight="balanced"))
            self.model.fit(x, y)

    def predict(self, x: list[dict[str, object]]) -> list[str]:
        if not x:
            return []
        if isinstance(self.model, str):
            return [self.model] * len(x)
        return [str(lab) for lab in self.model.predict(x)]
