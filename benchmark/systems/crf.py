"""The ``crf`` baseline: CRFs (sklearn-crfsuite) for entities and for quotation and cue spans, and a
TF-IDF + logistic-regression stance classifier on (quotation, target) pairs.

Spans become BIO tags over ``aqwal.corpus.tokens.tokenize`` tokens with ``spans_to_bio`` and come back with
``bio_to_spans``.  The tokenizer keeps a proclitic on its word unless ال follows (وقال, وبيروت), while the
scheme keeps proclitics out of spans (قال, بيروت): for training, a span that starts just after proclitics
is widened to its token (counted in ``Stats.widened``); a predicted span whose first token starts with
proclitics loses them when the rest is a word seen starting a span in training or in the lexicon.  Spans
that still do not align, or that nest, are left out of training and counted in ``Stats.left_out``.
Entities are tagged per sentence, quotations and cues per paragraph.  A predicted quotation takes the
nearest predicted cue of its paragraph (before it, else after it) and its speaker as the rule-based
baseline finds it, from the CRF's entities.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from aqwal.benchmark.systems import store
from aqwal.benchmark.systems.features import quote_features, sentence_features
from aqwal.benchmark.systems.lexicon import lexicon
from aqwal.benchmark.systems.protocol import DocumentView, quote, record, training_hash
from aqwal.benchmark.systems.rules import Text, content_words, find_speaker
from aqwal.corpus.arabic import PROCLITICS
from aqwal.corpus.arabic import normalise as fold
from aqwal.corpus.errors import ConfigError
from aqwal.corpus.model import Document, Target
from aqwal.corpus.tokens import Token, bio_to_spans, spans_to_bio, tokenize

SENTENCE_END = frozenset({".", "!", "?", "؟"})
CRF_PARAMS = {"algorithm": "lbfgs", "c1": 0.2, "c2": 0.01, "max_iterations": 100,  # chosen on ANERcorp dev
              "all_possible_transitions": True}


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


def _clitics(word: str) -> int:
    """How many leading characters of ``word`` could be proclitics (و/ف, then ب/ك/ل), at most 2."""
    n = 0
    if word[:1] in "وف":
        n = 1
    if word[n:n + 1] in "بكل" and word[n:n + 1]:
        n += 1
    return n if len(word) - n >= 2 else 0


def widen(text: str, tokens: list[Token], spans: list[tuple[int, int, str]]) -> tuple[list, int]:
    """Spans whose start falls just after a token's proclitics, moved to the token's start."""
    starts = {t.start for t in tokens}
    by_char = {c: t for t in tokens for c in range(t.start, t.end)}
    out, n = [], 0
    for s, e, lab in spans:
        tok = by_char.get(s)
        if s not in starts and tok is not None and 0 < s - tok.start <= _clitics(tok.text) \
                and all(c in PROCLITICS for c in text[tok.start:s]):
            out.append((tok.start, e, lab))
            n += 1
        else:
            out.append((s, e, lab))
    return out, n


def make_crf():
    import sklearn_crfsuite
    return sklearn_crfsuite.CRF(**CRF_PARAMS)


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


class CRFSystem:
    def __init__(self, name: str = "crf", version: str = "0.1.0"):
        self.name, self.version = name, version
        self.entity_crf = None
        self.quote_crf = None
        self.stance = None  # a fitted pipeline, or a single label when training had one class
        self.span_words: frozenset[str] = frozenset()  # folded first words of training spans
        self.train_sha256: str | None = None
        self.stats = Stats()

    # ---- training ----------------------------------------------------------------------------------------
    def fit(self, train: list[Document]) -> None:
        if not train:
            raise ConfigError(f"{self.name}: no training documents (fix: give --train with the train split)")
        lex = lexicon()
        stats = Stats(train_docs=len(train))
        ent_x, ent_y, q_x, q_y = [], [], [], []
        stance_x, stance_y = [], []
        words_seen: set[str] = set()
        for doc in train:
            tokens = tokenize(doc.text)
            ents = [(m.span.start, m.span.end, m.label) for m in doc.entities]
            spans = [(q.span.start, q.span.end, "QUOTE") for q in doc.quotes]
            spans += [(q.cue.start, q.cue.end, "CUE") for q in doc.quotes if q.cue is not None]
            words_seen.update(fold(doc.text[s:e].split()[0]) for s, e, _ in ents + spans if doc.text[s:e].split())
            ents, n_e = widen(doc.text, tokens, ents)
            spans, n_q = widen(doc.text, tokens, spans)
            stats.widened += n_e + n_q
            ent_tags, bad_e = spans_to_bio(tokens, ents)
            q_tags, bad_q = spans_to_bio(tokens, spans)
            for m in bad_e + bad_q:
                stats.left_out[m.label] = stats.left_out.get(m.label, 0) + 1
            stats.entity_spans += len(ents)
            stats.quote_spans += len(doc.quotes)
            stats.cue_spans += sum(q.cue is not None for q in doc.quotes)
            words = [t.text for t in tokens]
            for a, b in split_runs(doc.text, tokens, True):
                ent_x.append(sentence_features(words[a:b], lex))
                ent_y.append(ent_tags[a:b])
            for a, b in split_runs(doc.text, tokens, False):
                q_x.append(quote_features(words[a:b], lex))
                q_y.append(q_tags[a:b])
            for q in doc.quotes:
                for st in q.stance:
                    target = next(t for t in doc.targets if t.id == st.target)
                    stance_x.append(stance_text(q.span.text, target))
                    stance_y.append(st.label)
        self.entity_crf = make_crf()
        self.entity_crf.fit(ent_x, ent_y)
        self.quote_crf = None
        if any(tag != "O" for tags in q_y for tag in tags):
            self.quote_crf = make_crf()
            self.quote_crf.fit(q_x, q_y)
        stats.stance_items = len(stance_x)
        self.stance = self._fit_stance(stance_x, stance_y)
        self.stats = stats
        lex = lexicon()
        self.span_words = frozenset(words_seen | set(lex.phrase_words) | lex.first_names | lex.cues | lex.norp)
        self.train_sha256 = training_hash(train)

    @staticmethod
    def _fit_stance(x: list[str], y: list[str]):
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

    # ---- persistence -------------------------------------------------------------------------------------
    def save(self, directory: str) -> None:
        self._need_model()
        store.save_model(directory, self.name, self.version, self.train_sha256, self.stats.train_docs,
                         {"entity_crf": self.entity_crf, "quote_crf": self.quote_crf, "stance": self.stance,
                          "stats": self.stats, "span_words": self.span_words})

    def load(self, directory: str) -> None:
        meta, state = store.load_model(directory, self.name, self.version)
        self.entity_crf, self.quote_crf = state["entity_crf"], state["quote_crf"]
        self.stance, self.stats, self.train_sha256 = state["stance"], state["stats"], meta["train_sha256"]
        self.span_words = state["span_words"]

    def trim(self, text: str, start: int, end: int) -> int:
        """``start`` moved past proclitics when the rest of the word is known to start spans."""
        word = text[start:end].split()[0] if text[start:end].split() else ""
        for n in range(_clitics(word), 0, -1):
            if all(c in PROCLITICS for c in word[:n]) and fold(word[n:]) in self.span_words:
                return start + n
        return start

    def _need_model(self) -> None:
        if self.entity_crf is None:
            raise ConfigError(f"{self.name}: not trained (fix: give --train TRAIN.jsonl or --model DIR)")

    # ---- prediction --------------------------------------------------------------------------------------
    def predict(self, doc: DocumentView) -> dict:
        self._need_model()
        lex = lexicon()
        t = Text(doc.text, lex)
        tokens, words = t.tokens, [tok.text for tok in t.tokens]
        entities = []
        runs = split_runs(doc.text, tokens, True)
        if runs:
            tags = self.entity_crf.predict([sentence_features(words[a:b], lex) for a, b in runs])
            for (a, b), run_tags in zip(runs, tags):
                entities += [(self.trim(doc.text, s, e), e, lab) for s, e, lab in bio_to_spans(tokens[a:b], run_tags)]
        entities.sort()
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
            spans = [(self.trim(doc.text, s, e), e, lab) for s, e, lab in bio_to_spans(t.tokens[a:b], tags)]
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
