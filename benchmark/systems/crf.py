"""The ``crf`` baseline: CRFs (sklearn-crfsuite) for entities and for quotation and cue spans, and a
TF-IDF + logistic-regression stance classifier on (quotation, target) pairs.

Spans become BIO tags over ``aqwal.corpus.tokens.tokenize`` tokens with ``spans_to_bio`` and come back with
``bio_to_spans``.  The tokenizer keeps a proclitic on its word unless ال follows (وقال, وبيروت), while the
scheme keeps proclitics out of spans (قال, بيروت): for training, a span that starts just after proclitics
is widened to its token (counted in ``Stats.widened``); a predicted span whose first token starts with
proclitics loses them when the rest is a word seen starting a span in training or in the lexicon.  Spans
that still do not align, or that nest, are left out of training and counted in ``Stats.left_out``.
Entities are tagged per sentence (``EntityTagger``: the features of ``features.py`` with the word clusters
learned from unlabelled news and a gazetteer of the training split's names), quotations and cues per
paragraph.  A predicted quotation takes the
nearest predicted cue of its paragraph (before it, else after it) and its speaker as the rule-based
baseline finds it, from the CRF's entities.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from aqwal.benchmark.systems import parts, store
from aqwal.benchmark.systems.clusters import clusters, word_key
from aqwal.benchmark.systems.features import (Gazetteer, document_votes, jackknife_gazetteers, quote_features,
                                              sentence_features)
from aqwal.benchmark.systems.lexicon import lexicon
from aqwal.benchmark.systems.protocol import DocumentView, quote, record, training_hash
from aqwal.benchmark.systems.rules import Text, content_words, find_speaker
from aqwal.corpus.arabic import proclitic_cuts
from aqwal.corpus.arabic import normalise as fold
from aqwal.corpus.errors import ConfigError
from aqwal.corpus.model import Document, Target
from aqwal.corpus.tokens import Token, bio_to_spans, spans_to_bio, tokenize

SENTENCE_END = frozenset({".", "!", "?", "؟"})
CRF_PARAMS = {"algorithm": "lbfgs", "c1": 0.2, "c2": 0.01, "max_iterations": 100,
              "all_possible_transitions": True}
# the entity CRF with clusters and gazetteer features (c1, c2 chosen on ANERcorp dev: perf/anercorp_crf.py --dev);
# the second stage stops at 70 iterations and the first (whose output is only votes) at 50: against 100 and 100,
# entity F1 on the validation documents 0.828 against 0.829, in 157 s of training against 202 s (200 gave no more)
ENTITY_CRF_PARAMS = {**CRF_PARAMS, "c1": 0.05, "c2": 0.05, "max_iterations": 70}
FIRST_STAGE_PARAMS = {**ENTITY_CRF_PARAMS, "max_iterations": 50}
STACK_FOLDS = 2  # two first-stage CRFs, each trained on half of the documents, vote on the other half


def split_runs(text: str, tokens: list[Token], at_sentence_end: bool) -> list[tuple[int, int]]:
    """Token index ranges [a, b) of the sentences (or paragraphs) of a text."""
    runs, a = [], 0
    for i, tok in enumerate(tokens):
        breaks_after = (at_sentence_end and tok.text in SENTENCE_END) or (
            i + 1 < len(tokens) and "\n" in text[tok.end:tokens[i + 1].start])
        if breaks_after:
            runs.append((a, i + 1))
            a = i + 1
    if a < len(tokens):
        runs.append((a, len(tokens)))
    return runs


def widen(tokens: list[Token], spans: list[tuple[int, int, str]]) -> tuple[list, int]:
    """Spans whose start falls just after a token's proclitics, moved to the token's start."""
    starts = {t.start for t in tokens}
    by_char = {c: t for t in tokens for c in range(t.start, t.end)}
    out, n = [], 0
    for s, e, lab in spans:
        tok = by_char.get(s)
        if s not in starts and tok is not None and s - tok.start in proclitic_cuts(tok.text):
            out.append((tok.start, e, lab))
            n += 1
        else:
            out.append((s, e, lab))
    return out, n


def make_crf(params: dict = CRF_PARAMS):
    import sklearn_crfsuite
    return sklearn_crfsuite.CRF(**params)


def stance_text(quote_text: str, target: Target) -> str:
    lex = lexicon()
    words = " ".join(fold(w) for w in quote_text.split())
    related = "RELATED" if content_words(quote_text, lex) & content_words(target.text, lex) else "UNRELATED"
    return f"{words} __target_{target.id} __{related}"


@dataclass
class Stats:
    train_docs: int = 0
    entity_spans: int = 0
    quote_spans: int = 0
    cue_spans: int = 0
    left_out: dict = field(default_factory=dict)  # label -> spans not trainable (misaligned or nested)
    widened: int = 0  # spans widened over their proclitics to a token start
    stance_items: int = 0


class EntityTagger:
    """The entity CRF: per sentence, BIO over project tokens, with word clusters, a training gazetteer, and
    the labels a first CRF gave the same word elsewhere in the document (two stages, stacked).

    Training sentences get their gazetteer features from gazetteers built on the other folds
    (``jackknife_gazetteers``), and their document votes from the first-stage CRF trained on the other half
    of the documents, so that the second stage learns how far to trust both as it will meet them on new
    text; new text gets its votes from the first of the two first-stage CRFs."""

    def __init__(self):
        self.first = None  # the first-stage CRF (no document votes)
        self.crf = None
        self.gazetteer: Gazetteer | None = None
        self.span_words: frozenset[str] = frozenset()  # folded first words of training spans
        self.spans = self.widened = 0  # training entity spans, and those widened over proclitics
        self.left_out: dict[str, int] = {}  # label -> training spans not token-aligned (or nested)

    def fit(self, train: list[Document]) -> None:
        lex = lexicon()
        sents, tags, docs = [], [], []
        words_seen: set[str] = set()
        left_out: Counter = Counter()
        self.spans = self.widened = 0
        for k, doc in enumerate(train):
            tokens = tokenize(doc.text)
            words_seen.update(span_starts(doc))
            ents, n = widen(tokens, [(m.span.start, m.span.end, m.label) for m in doc.entities])
            self.widened += n
            ent_tags, bad = spans_to_bio(tokens, ents)
            left_out.update(m.label for m in bad)
            self.spans += len(ents)
            words = [t.text for t in tokens]
            for a, b in split_runs(doc.text, tokens, True):
                sents.append(words[a:b])
                tags.append(ent_tags[a:b])
                docs.append(k)
        self.left_out = dict(sorted(left_out.items()))
        self.fit_sentences(sents, tags, docs)
        self.span_words = frozenset(words_seen | set(lex.phrase_words) | lex.first_names | lex.cues | lex.norp)

    def fit_sentences(self, sents: list[list[str]], tags: list[list[str]], docs: list[int],
                      progress=None) -> None:
        """Train both stages on tokenised sentences with their BIO tags and document numbers."""
        lex, reps = lexicon(), clusters()
        base = [sentence_features(w, lex, reps, g) for w, g in zip(sents, jackknife_gazetteers(sents, tags))]
        first_tags: list[list[str]] = [["O"] * len(w) for w in sents]
        self.first = None
        for k in range(STACK_FOLDS):
            held = [i for i, d in enumerate(docs) if d % STACK_FOLDS == k]
            rest = [i for i, d in enumerate(docs) if d % STACK_FOLDS != k]
            if not rest:
                continue
            crf = make_crf(FIRST_STAGE_PARAMS)
            crf.fit([base[i] for i in rest], [tags[i] for i in rest])
            for i, pred in zip(held, crf.predict([base[i] for i in held]) if held else []):
                first_tags[i] = pred
            if self.first is None:
                self.first = crf
            if progress:
                progress()
        if self.first is None:  # one document: no other half to learn votes from
            self.first = make_crf(FIRST_STAGE_PARAMS)
            self.first.fit(base, tags)
        votes = document_votes(sents, first_tags, docs)
        self.crf = make_crf(ENTITY_CRF_PARAMS)
        self.crf.fit([_with_votes(f, v) for f, v in zip(base, votes)], tags)
        self.gazetteer = Gazetteer.from_bio(sents, tags)

    def predict_sentences(self, sents: list[list[str]], docs: list[int]) -> list[list[str]]:
        lex, reps = lexicon(), clusters()
        base = [sentence_features(w, lex, reps, self.gazetteer) for w in sents]
        if not base:
            return []
        votes = document_votes(sents, self.first.predict(base), docs)
        return self.crf.predict([_with_votes(f, v) for f, v in zip(base, votes)])

    def trim(self, text: str, start: int, end: int) -> int:
        """``start`` moved past proclitics when the rest of the word is known to start spans and the whole
        word is not; ك (rare before a name, and the first letter of many: كيري، كندا) only when unlabelled
        news never has the whole word."""
        word = text[start:end].split()[0] if text[start:end].split() else ""
        if fold(word) in self.span_words:
            return start
        for n in proclitic_cuts(word):
            if "ك" in word[:n] and word_key(word) in clusters().table:
                continue
            if fold(word[n:]) in self.span_words:
                return start + n
        return start

    def predict(self, t: Text) -> list[tuple[int, int, str]]:
        tokens, words = t.tokens, [tok.text for tok in t.tokens]
        runs = split_runs(t.text, tokens, True)
        entities = []
        for (a, b), run_tags in zip(runs, self.predict_sentences([words[a:b] for a, b in runs], [0] * len(runs))):
            entities += [(self.trim(t.text, s, e), e, lab) for s, e, lab in bio_to_spans(tokens[a:b], run_tags)]
        return sorted(entities)


def span_starts(doc: Document) -> set[str]:
    """The folded first words of a document's annotated spans: entities, sources, quotations and cues."""
    spans = [m.span for m in doc.entities + doc.sources] + [q.span for q in doc.quotes]
    spans += [q.cue for q in doc.quotes if q.cue is not None]
    return {fold(words[0]) for span in spans if (words := span.text.split())}


def train_entity_tagger(train: list[Document]) -> EntityTagger:
    """The entity tagger trained on ``train``: a part of ``crf`` and ``learned`` (benchmark/systems/parts.py)."""
    tagger = EntityTagger()
    tagger.fit(train)
    return tagger


def _with_votes(feats: list[dict], votes: list[dict]) -> list[dict]:
    return [{**f, **v} for f, v in zip(feats, votes)]


@dataclass
class QuoteCRF:
    """The quotation and cue CRF of ``crf`` (None when training had no quotation), with its training counts."""

    crf: object | None
    quote_spans: int
    cue_spans: int
    widened: int
    left_out: dict[str, int]


def train_quote_crf(train: list[Document]) -> QuoteCRF:
    lex = lexicon()
    x, y, widened, left_out = [], [], 0, Counter()
    for doc in train:
        tokens = tokenize(doc.text)
        spans = [(q.span.start, q.span.end, "QUOTE") for q in doc.quotes]
        spans += [(q.cue.start, q.cue.end, "CUE") for q in doc.quotes if q.cue is not None]
        spans, n = widen(tokens, spans)
        widened += n
        q_tags, bad = spans_to_bio(tokens, spans)
        left_out.update(m.label for m in bad)
        words = [t.text for t in tokens]
        for a, b in split_runs(doc.text, tokens, False):
            x.append(quote_features(words[a:b], lex))
            y.append(q_tags[a:b])
    crf = None
    if any(tag != "O" for tags in y for tag in tags):
        crf = make_crf()
        crf.fit(x, y)
    return QuoteCRF(crf, sum(len(d.quotes) for d in train), sum(q.cue is not None for d in train for q in d.quotes),
                    widened, dict(sorted(left_out.items())))


def train_tfidf_stance(train: list[Document]):
    """TF-IDF and balanced logistic regression on the training (quotation, target) pairs; a single label
    when training had one class (or none: neutral)."""
    x, y = [], []
    for doc in train:
        targets = {t.id: t for t in doc.targets}
        for q in doc.quotes:
            for st in q.stance:
                x.append(stance_text(q.span.text, targets[st.target]))
                y.append(st.label)
    if not y:
        return "neutral"
    if len(set(y)) == 1:
        return y[0]
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    model = make_pipeline(TfidfVectorizer(token_pattern=r"\S+", ngram_range=(1, 2), sublinear_tf=True),
                          LogisticRegression(max_iter=1000, class_weight="balanced"))
    model.fit(x, y)
    return model


class CRFSystem:
    def __init__(self, name: str = "crf", version: str = "0.5.0"):
        self.name, self.version = name, version
        self.entities = EntityTagger()
        self.quote_crf = None
        self.stance = None  # a fitted pipeline, or a single label when training had one class
        self.train_sha256: str | None = None
        self.stats = Stats()

    # ---- training ----------------------------------------------------------------------------------------
    @staticmethod
    def parts():
        return (train_entity_tagger, train_quote_crf, train_tfidf_stance)

    def fit(self, train: list[Document]) -> None:
        if not train:
            raise ConfigError(f"{self.name}: no training documents (fix: give --train with the train split)")
        parts.fit(self, train)

    def assemble(self, train: list[Document], models: dict) -> None:
        self.entities = models[parts.key(train_entity_tagger)]
        quotes: QuoteCRF = models[parts.key(train_quote_crf)]
        self.quote_crf = quotes.crf
        self.stance = models[parts.key(train_tfidf_stance)]
        left_out = Counter(self.entities.left_out) + Counter(quotes.left_out)
        self.stats = Stats(train_docs=len(train), entity_spans=self.entities.spans, quote_spans=quotes.quote_spans,
                           cue_spans=quotes.cue_spans, left_out=dict(sorted(left_out.items())),
                           widened=self.entities.widened + quotes.widened,
                           stance_items=sum(len(q.stance) for d in train for q in d.quotes))
        self.train_sha256 = training_hash(train)

    # ---- persistence -------------------------------------------------------------------------------------
    def save(self, directory: str) -> None:
        self._need_model()
        store.save_model(directory, self.name, self.version, self.train_sha256, self.stats.train_docs,
                         {"entities": self.entities, "quote_crf": self.quote_crf, "stance": self.stance,
                          "stats": self.stats})

    def load(self, directory: str) -> None:
        meta, state = store.load_model(directory, self.name, self.version)
        self.entities, self.quote_crf = state["entities"], state["quote_crf"]
        self.stance, self.stats, self.train_sha256 = state["stance"], state["stats"], meta["train_sha256"]

    def _need_model(self) -> None:
        if self.entities.crf is None:
            raise ConfigError(f"{self.name}: not trained (fix: give --train TRAIN.jsonl or --model DIR)")

    # ---- prediction --------------------------------------------------------------------------------------
    def predict(self, doc: DocumentView) -> dict:
        self._need_model()
        t = Text(doc.text, lexicon())
        entities = self.entities.predict(t)
        if doc.given_quotes is not None:
            quotes = [quote(s, e, stance=self.stances(doc.text[s:e], doc.targets)) for s, e in doc.given_quotes]
        else:
            quotes = self._quotes(doc, t, entities)
        return record(doc.id, entities, quotes)

    def _quotes(self, doc: DocumentView, t: Text, entities: list) -> list[dict]:
        if self.quote_crf is None:
            return []
        lex = t.lex
        words = [tok.text for tok in t.tokens]
        out = []
        for a, b in split_runs(doc.text, t.tokens, False):
            tags = self.quote_crf.predict_single(quote_features(words[a:b], lex))
            spans = [(self.entities.trim(doc.text, s, e), e, lab) for s, e, lab in bio_to_spans(t.tokens[a:b], tags)]
            cues = [(s, e) for s, e, lab in spans if lab == "CUE"]
            for s, e, lab in spans:
                if lab != "QUOTE":
                    continue
                before = [c for c in cues if c[1] <= s]
                after = [c for c in cues if c[0] >= e]
                cue = before[-1] if before else (after[0] if after else None)
                speaker = find_speaker(t, cue, s, e, entities)
                out.append(quote(s, e, cue, speaker, self.stances(doc.text[s:e], doc.targets)))
        return out

    def stances(self, quote_text: str, targets: tuple[Target, ...]) -> list[tuple[str, str]]:
        if not targets:
            return []
        if isinstance(self.stance, str):
            return [(t.id, self.stance) for t in targets]
        labels = self.stance.predict([stance_text(quote_text, t) for t in targets])
        return [(t.id, str(lab)) for t, lab in zip(targets, labels)]
