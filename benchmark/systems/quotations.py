"""Learned quotation extraction: a CRF that tags quotation content, cues and nominal sources per
paragraph, and a speaker linker that scores candidate mentions for each quotation.

``QuoteTagger``: BIO over project tokens per paragraph, labels QUOTE, CUE and SOURCE (the gold's nominal
source spans: مصدر، المتحدث), with the quotation features of ``features.py``, word clusters and the
training gold's cue rates (``CueRates``: jackknifed over five folds for the training documents).  Decoding
keeps whole quotations: two QUOTE chunks of one paragraph separated only by punctuation or quotation marks
become one quotation.  Each quotation takes the nearest cue of its paragraph before it (else after it).

``SpeakerLinker``: a logistic regression over (quotation, candidate) pairs. Candidates are the speaker-type
entities (PER, ORG, GPE, NORP) and the SOURCE spans of the document outside the quotation, before its end (or
in its paragraph after it). Features: where the candidate stands (between cue and quotation, before the cue in
the paragraph, in an earlier paragraph, after), its rank among the candidates on that side, token distance,
mention type, the cue word and whether it carries a proclitic (a dropped subject: وأضاف), the words around the
candidate (and whether a preposition stands before it: عن ... قوله), its head word when it is nominal (مصدر،
المتحدث، وزير), the words between it and the cue (none in وقال الوزير or الوزير قال), how often the document
names it, and what stands right after the cue (a candidate, as the subject of وقال الوزير, or not, as in وأضاف
أن), crossed with where the candidate stands; where, rank and label are also crossed with each other, with a
title before the candidate, and with the previous speaker.
Training pairs come from the gold (a candidate is right when the scorer would count it right: it overlaps the
gold speaker mention or has its text); prediction takes the best-scoring candidate.
"""
from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from aqwal.benchmark.systems.clusters import clusters
from aqwal.benchmark.systems.features import jackknife, quote_features
from aqwal.benchmark.systems.lexicon import lexicon
from aqwal.benchmark.systems.rules import Text
from aqwal.corpus.arabic import bare
from aqwal.corpus.arabic import normalise as fold
from aqwal.corpus.arabic import CONJUNCTIONS, proclitic_cuts
from aqwal.corpus.model import Document
from aqwal.corpus.schema import SOURCE as SOURCE_LABEL
from aqwal.corpus.schema import SPEAKER_ENTITY_NAMES
from aqwal.corpus.tokens import Token, bio_to_spans, spans_to_bio, tokenize

Span = tuple[int, int]
Candidate = tuple[int, int, str]  # start, end, label (an entity label or SOURCE)
SOURCE = SOURCE_LABEL.name
SPEAKER = "SPEAKER"  # the tagger's label for speaker mentions (named or nominal)
SUBJECT = "SUBJECT"  # a speaker candidate: the word right after a cue
PREPOSITION_WORDS = frozenset({"عن", "ل", "الي", "من", "مع", "في", "علي", "بين"})  # folded: عن ... قوله، مع ...
GLUE = frozenset("،,؛;:«»“”\"'()-–—…")  # what may stand between two pieces of one quotation
TAGGER_PARAMS = {"algorithm": "lbfgs", "c1": 0.03, "c2": 0.2, "max_iterations": 150,
                 "all_possible_transitions": True}  # chosen on the validation split: c1 (0.1, 0.03), c2 (0.01–1)
CUE_FOLDS = 5  # training documents see cue rates from the other folds, as unseen text will
CUE_RATE_BUCKETS = (0.05, 0.15, 0.35, 0.6, float("inf"))  # a word's cue rate as one of five classes
CUE_LIKELY = 0.35  # a word that is a cue at least this often starts the count of since_likely_cue
MAX_BEFORE = 12  # candidates considered before the quotation, nearest first
LINKER_C = 3.0  # chosen on the validation split (0.3, 1, 3, 10, 30)
# A found quotation whose best speaker candidate the linker gives less than this probability is left out: it
# would count as a false positive whatever its content, as a quotation with a wrong speaker does.  Chosen on
# the validation split (0.15, 0.2, 0.25, 0.3, 0.4: end to end 0.562, 0.563, 0.564, 0.562, 0.554; none: 0.554).
SPEAKER_MIN_PROBABILITY = 0.25


def paragraphs(text: str, tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """Token index ranges [a, b) of the paragraphs (runs of tokens without a line break between them)."""
    runs, a = [], 0
    for i in range(len(tokens) - 1):
        if "\n" in text[tokens[i].end:tokens[i + 1].start]:
            runs.append((a, i + 1))
            a = i + 1
    if tokens:
        runs.append((a, len(tokens)))
    return runs


@dataclass(frozen=True)
class CueRates:
    """How often each word is a cue in the training gold: the share of its occurrences that a cue span
    covers, for words seen at least twice and at least once in a cue.  Words are folded, and one that
    starts with و or ف is also looked up without it (وشدد → شدد).  The rate carries what the word's identity
    cannot: a cue seen a few times (شدد، نصح، تتوقع) and a common word that is sometimes one (بين، حسب)."""

    rates: dict[str, float]

    @staticmethod
    def keys(word: str) -> tuple[str, ...]:
        """The folded word, and without its conjunction when it may have one (three letters left)."""
        key = fold(word)
        return (key, key[1:]) if key[:1] in CONJUNCTIONS and 1 in proclitic_cuts(key, min_rest=3) else (key,)

    @classmethod
    def counts(cls, doc: Document) -> tuple[Counter, Counter]:
        """(occurrences, occurrences inside a cue) of each word of one document, by its last key."""
        seen: Counter = Counter()
        cued: Counter = Counter()
        cues = [(q.cue.start, q.cue.end) for q in doc.quotes if q.cue is not None]
        for tok in tokenize(doc.text):
            key = cls.keys(tok.text)[-1]
            seen[key] += 1
            cued[key] += any(a < tok.end and tok.start < b for a, b in cues)
        return seen, cued

    @classmethod
    def from_counts(cls, counts: Iterable[tuple[Counter, Counter]]) -> CueRates:
        seen: Counter = Counter()
        cued: Counter = Counter()
        for s, c in counts:
            seen.update(s)
            cued.update(c)
        return cls({k: cued[k] / n for k, n in seen.items() if n >= 2 and cued[k]})

    @classmethod
    def from_documents(cls, docs: Sequence[Document]) -> CueRates:
        return cls.from_counts(cls.counts(doc) for doc in docs)

    def rate(self, word: str) -> float:
        return max(self.rates.get(k, 0.0) for k in self.keys(word))


def _rate_bucket(rate: float) -> str:
    return next(str(b) for b, top in enumerate(CUE_RATE_BUCKETS) if rate < top)


def tagger_features(words: list[str], para_index: int, cue_rates: CueRates) -> list[dict[str, object]]:
    """Quotation features, clusters, where the paragraph and the word stand, and the cue rates of the word
    and of the words within two of it, and how far the last word that is a cue at least CUE_LIKELY of the
    time stands before it in the sentence."""
    reps = clusters()
    feats = quote_features(words, lexicon())
    rates = [cue_rates.rate(w) for w in words]
    since = 0
    for i, (f, w) in enumerate(zip(feats, words)):
        f.update(reps.features(w, "cl:"))
        f["para"] = min(para_index, 2)  # the headline, the first paragraph, the rest
        f["pos"] = min(i, 3)
        for d in (-2, -1, 0, 1, 2):
            if 0 <= i + d < len(words) and rates[i + d] > 0:
                f[f"{d}:cue_rate"] = _rate_bucket(rates[i + d])
        f["since_likely_cue"] = min(since, 6)
        since = 1 if rates[i] >= CUE_LIKELY else since + 1 if since else 0
        if w in (".", "!", "?", "؟"):
            since = 0
    return feats


class QuoteTagger:
    def __init__(self):
        self.crf = None
        self.cue_rates = CueRates({})
        self.widened = 0  # training spans widened over their proclitics
        self.left_out: dict[str, int] = {}  # label -> training spans not token-aligned (or nested)

    @staticmethod
    def gold_spans(doc: Document) -> list[tuple[int, int, str]]:
        spans = [(q.span.start, q.span.end, "QUOTE") for q in doc.quotes]
        spans += [(q.cue.start, q.cue.end, "CUE") for q in doc.quotes if q.cue is not None]
        speakers = {q.speaker for q in doc.quotes if q.speaker is not None}
        spans += [(m.span.start, m.span.end, SPEAKER) for m in doc.entities + doc.sources if m.id in speakers]
        return spans

    def fit(self, train: list[Document], widen) -> tuple[int, Counter]:
        """Train on the documents; returns (spans widened over proclitics, spans left out by label)."""
        import sklearn_crfsuite

        x, y, widened, left_out = [], [], 0, Counter()
        counts = [CueRates.counts(doc) for doc in train]
        held_out = jackknife(len(train), lambda keep: CueRates.from_counts(counts[i] for i in keep), CUE_FOLDS)
        for doc, rates in zip(train, held_out):
            tokens = tokenize(doc.text)
            spans, n = widen(tokens, self.gold_spans(doc))
            widened += n
            tags, bad = spans_to_bio(tokens, spans)
            left_out.update(m.label for m in bad)
            words = [t.text for t in tokens]
            for k, (a, b) in enumerate(paragraphs(doc.text, tokens)):
                x.append(tagger_features(words[a:b], k, rates))
                y.append(tags[a:b])
        self.crf = None
        self.cue_rates = CueRates.from_counts(counts)
        if any(tag != "O" for tags in y for tag in tags):
            self.crf = sklearn_crfsuite.CRF(**TAGGER_PARAMS)
            self.crf.fit(x, y)
        self.widened, self.left_out = widened, dict(sorted(left_out.items()))
        return widened, left_out

    def predict(self, t: Text, trim) -> tuple[list[tuple[Span, Span | None]], list[Span]]:
        """(quotation, cue) pairs and the SOURCE spans of a text."""
        if self.crf is None:
            return [], []
        words = [tok.text for tok in t.tokens]
        quotes, sources = [], []
        for k, (a, b) in enumerate(paragraphs(t.text, t.tokens)):
            toks = t.tokens[a:b]
            tags = self.crf.predict_single(tagger_features(words[a:b], k, self.cue_rates))
            chunks = bio_entities_merged(toks, tags)
            spans = [(trim(t.text, s, e), e, lab) for s, e, lab in chunks]
            cues = [(s, e) for s, e, lab in spans if lab == "CUE"]
            sources += [(s, e) for s, e, lab in spans if lab == SPEAKER]
            for s, e, lab in spans:
                if lab != "QUOTE":
                    continue
                before = [c for c in cues if c[1] <= s]
                after = [c for c in cues if c[0] >= e]
                quotes.append(((s, e), before[-1] if before else (after[0] if after else None)))
        return quotes, sources


def bio_entities_merged(tokens: Sequence[Token], tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """``bio_to_spans`` chunks, with QUOTE chunks that only punctuation separates joined into one."""
    chunks = bio_to_spans(tokens, tags)
    starts = {tok.start: i for i, tok in enumerate(tokens)}
    ends = {tok.end: i for i, tok in enumerate(tokens)}
    out: list[tuple[int, int, str]] = []
    for s, e, lab in chunks:
        if out and lab == "QUOTE" and out[-1][2] == "QUOTE":
            gap = tokens[ends[out[-1][1]] + 1:starts[s]]
            if all(tok.text in GLUE for tok in gap):
                out[-1] = (out[-1][0], e, lab)
                continue
        out.append((s, e, lab))
    return out


# ---- speakers --------------------------------------------------------------------------------------------

def _bucket(n: int) -> int:
    return 0 if n <= 0 else min(int(math.log2(n)) + 1, 6)


def _after(t: Text, starts: Sequence[int], cue: Span) -> int | None:
    """The index of the token right after ``cue`` when it stands on the cue's line (``starts``: the tokens'
    start offsets), else None."""
    i = bisect.bisect_left(starts, cue[1])
    return i if i < len(t.tokens) and t.same_line(i, i - 1) else None


class SpeakerLinker:
    def __init__(self):
        self.model = None  # a fitted (DictVectorizer, LogisticRegression) pipeline
        self.pairs = 0  # (quotation, candidate) pairs learned from

    @staticmethod
    def candidates(t: Text, entities: Sequence[tuple[int, int, str]], sources: Sequence[Span],
                   cues: Sequence[Span]) -> list[Candidate]:
        """Speaker-type entities; the other spans of ``sources`` (nominal sources, or speaker mentions the
        tagger found where the entity CRF found nothing) as SOURCE; and the word right after each cue (the
        subject's place in a verb-first sentence), as SUBJECT, where nothing else covers it."""
        out = [(s, e, lab) for s, e, lab in entities if lab in SPEAKER_ENTITY_NAMES]
        free = lambda s, e: not any(a < e and s < b for a, b, _ in out)
        out += [(s, e, SOURCE) for s, e in sources if free(s, e)]
        starts = [tok.start for tok in t.tokens]
        surnames = {t.key(i) for s, e, lab in out if lab == "PER"
                    for i in [bisect.bisect_right(starts, e - 1) - 1] if len(t.text[s:e].split()) >= 2}
        for i in range(len(t.tokens)):  # a family name met alone after the full name (روي الكبيتس → الكبيتس)
            if t.key(i) in surnames and len(t.key(i)) >= 3 and free(t.tokens[i].start, t.tokens[i].end):
                out.append((t.tokens[i].start, t.tokens[i].end, "PER"))
        for cue in cues:
            i = _after(t, starts, cue)
            if i is not None and t.is_word(i) and len(t.tokens[i].text) >= 3 \
                    and t.key(i) not in t.lex.function_words and free(t.tokens[i].start, t.tokens[i].end):
                out.append((t.tokens[i].start, t.tokens[i].end, SUBJECT))
        return sorted(set(out))

    @staticmethod
    def pair_features(t: Text, quote: Span, cue: Span | None, cands: list[Candidate],
                      quotes: Sequence[Span], previous: Span | None = None) -> list[tuple[Candidate, dict[str, object]]]:
        """The candidates that may speak ``quote``, each with its features; ``previous`` is the speaker of
        the quotation before it in the document (a chain of وأضاف goes on with the same speaker)."""
        text = t.text
        starts = [tok.start for tok in t.tokens]
        tok_at = lambda c: max(bisect.bisect_right(starts, c) - 1, 0)
        para_start = text.rfind("\n", 0, quote[0]) + 1
        para_end = text.find("\n", quote[1])
        para_end = len(text) if para_end < 0 else para_end
        anchor = cue[0] if cue is not None and cue[0] < quote[0] else quote[0]
        cue_word = fold(text[cue[0]:cue[1]]) if cue else "NONE"
        cue_tok = t.tokens[tok_at(cue[0])] if cue else None
        cue_clitic = bool(cue_tok and cue_tok.start < cue[0]) or (
            cue_tok is not None and cue_tok.start == cue[0] and cue_tok.text[:1] in "وف"
            and bool(proclitic_cuts(cue_tok.text)) and fold(cue_tok.text[1:]) in lexicon().cues)
        cue_fem = cue_word.endswith("ت")
        names = Counter(fold(text[s:e]).split()[-1] for s, e, _ in cands if text[s:e].split())
        usable = [c for c in cands if not (c[0] < quote[1] and quote[0] < c[1])  # not inside the quotation
                  and (c[1] <= quote[0] or c[1] <= para_end)]
        before = [c for c in usable if c[1] <= anchor]
        before = before[-MAX_BEFORE:]
        after = [c for c in usable if c[0] >= anchor and c not in before]
        out = []
        for rank_before, c in enumerate(reversed(before)):
            out.append((c, rank_before, None))
        for rank_after, c in enumerate(after):
            out.append((c, None, rank_after))
        same_label: Counter = Counter()
        label_rank = {}
        for c, rb, ra in out:
            side = "before" if rb is not None else "after"
            label_rank[c] = same_label[(side, c[2])]
            same_label[(side, c[2])] += 1
        prev_key = fold(text[previous[0]:previous[1]]).split()[-1:] if previous else None
        subject = "none"  # what stands right after the cue: a candidate's label, a plain word, punctuation
        if cue is not None and (k := _after(t, starts, cue)) is not None:
            at = [c[2] for c in usable if c[0] <= t.tokens[k].start < c[1]]
            subject = at[0] if at else ("word" if t.is_word(k) else "punct")
        feats = []
        for c, rb, ra in out:
            s, e, lab = c
            if cue is not None and cue[1] <= s and e <= quote[0]:
                where = "cue<c<quote"
            elif cue is not None and quote[1] <= cue[0] and cue[1] <= s:
                where = "quote<cue<c"
            elif e <= anchor and s >= para_start:
                where = "before-in-para"
            elif e <= anchor:
                where = "earlier-para"
            else:
                where = "after"
            i, j = tok_at(s), tok_at(max(e - 1, s))
            dist = abs(tok_at(anchor) - j) if e <= anchor else abs(i - tok_at(cue[1] if cue else quote[1]))
            prev_w = fold(t.tokens[i - 1].text) if i > 0 else "^"
            next_w = fold(t.tokens[j + 1].text) if j + 1 < len(t.tokens) else "$"
            key = fold(text[s:e]).split()
            head = f"{bare(key[0]) if key else ''}|{lab}" if lab in (SOURCE, SUBJECT) else f"NAME|{lab}"
            rank, title = min(rb if rb is not None else ra, 4), prev_w in lexicon().titles
            is_previous = bool(prev_key) and key[-1:] == prev_key
            f: dict[str, object] = {
                "bias": 1.0, "where": where, "label": lab, "where|label": f"{where}|{lab}",
                "rank": rank, "where|rank": f"{where}|{rank}", "rank|where|label": f"{rank}|{where}|{lab}",
                "dist": _bucket(dist), "where|dist": f"{where}|{_bucket(dist)}",
                "cue": cue_word, "cue_clitic|where": f"{cue_clitic}|{where}", "no_cue|where": f"{cue is None}|{where}",
                "cue_fem|label": f"{cue_fem}|{lab}", "prev": prev_w, "next": next_w,
                "prev_title": title, "title|where|label": f"{title}|{where}|{lab}",
                "mentions": min(names[key[-1]] if key else 0, 5),
                "in_quote": any(q != quote and q[0] <= s and e <= q[1] for q in quotes),
                "words": min(len(key), 4), "label_rank": f"{where}|{lab}|{min(label_rank[c], 3)}",
                "previous": is_previous, "previous|cue_clitic": f"{is_previous}|{cue_clitic}",
                "previous|where|clitic": f"{is_previous}|{where}|{cue_clitic}",
                "head": head, "after_preposition": prev_w in PREPOSITION_WORDS,
                "subject|where": f"{subject}|{where}", "subject|where|clitic": f"{subject}|{where}|{cue_clitic}"}
            if cue is not None and cue[1] <= s:  # words between the cue and the candidate after it (VSO: 0)
                gap = min(i - tok_at(cue[1] - 1) - 1, 3)
                f["gap_after_cue|cue_clitic"], f["gap_after_cue|label"] = f"{gap}|{cue_clitic}", f"{gap}|{lab}"
            elif cue is not None and e <= cue[0]:  # words between the candidate and the cue after it (SVO: 0)
                f["gap_before_cue"] = min(tok_at(cue[0]) - j - 1, 3)
            feats.append((c, f))
        return feats

    @staticmethod
    def right(doc: Document, gold_speaker: str | None, cand: Candidate) -> bool:
        """The scorer's test: the candidate overlaps the gold speaker mention or has its text."""
        if gold_speaker is None:
            return False
        m = doc.mention(gold_speaker).span
        if cand[0] < m.end and m.start < cand[1]:
            return True
        return " ".join(fold(doc.text[cand[0]:cand[1]]).split()) == " ".join(fold(m.text).split())

    def fit(self, train: list[Document], C: float = LINKER_C) -> int:
        """Train on gold quotations, cues and mentions; returns the number of (quotation, candidate) pairs."""
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        x, y = [], []
        for doc in train:
            t = Text(doc.text)
            cands = self.candidates(t, [(m.span.start, m.span.end, m.label) for m in doc.entities],
                                    [(m.span.start, m.span.end) for m in doc.sources],
                                    [(q.cue.start, q.cue.end) for q in doc.quotes if q.cue is not None])
            spans = [(q.span.start, q.span.end) for q in doc.quotes]
            previous = None
            for q in sorted(doc.quotes, key=lambda q: (q.span.start, q.span.end)):
                cue = (q.cue.start, q.cue.end) if q.cue else None
                for c, f in self.pair_features(t, (q.span.start, q.span.end), cue, cands, spans, previous):
                    x.append(f)
                    y.append(int(self.right(doc, q.speaker, c)))
                if q.speaker is not None:
                    m = doc.mention(q.speaker).span
                    previous = (m.start, m.end)
        self.model = None
        if len(set(y)) == 2:
            self.model = make_pipeline(DictVectorizer(), LogisticRegression(C=C, max_iter=2000))
            self.model.fit(x, y)
        self.pairs = len(x)
        return len(x)

    def link(self, t: Text, quote: Span, cue: Span | None, cands: list[Candidate],
             quotes: Sequence[Span], previous: Span | None = None) -> tuple[Span | None, float]:
        """The speaker mention of ``quote`` and the probability the model gives its candidate; (None, 0.0)
        when no candidate may speak it or the linker is untrained."""
        if self.model is None:
            return None, 0.0
        pairs = self.pair_features(t, quote, cue, cands, quotes, previous)
        if not pairs:
            return None, 0.0
        scores = self.model.predict_proba([f for _, f in pairs])[:, 1]
        k = max(range(len(pairs)), key=lambda k: (scores[k], -k))
        anchor = cue[0] if cue is not None and cue[0] < quote[0] else quote[0]
        return self.nearest_mention(t, pairs[k][0], cands, anchor), float(scores[k])

    @staticmethod
    def nearest_mention(t: Text, cand: Candidate, cands: list[Candidate], anchor: int) -> Span:
        """The mention of the same name (same last word) nearest before ``anchor``: the gold marks the
        nearest mention as the speaker."""
        last = lambda c: fold(t.text[c[0]:c[1]]).split()[-1:] or [""]
        if cand[2] not in SPEAKER_ENTITY_NAMES or cand[1] > anchor:
            return cand[:2]
        same = [c for c in cands if c[1] <= anchor and c[0] >= cand[0] and c[2] == cand[2] and last(c) == last(cand)]
        return max(same, key=lambda c: c[0])[:2] if same else cand[:2]
