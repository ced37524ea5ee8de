"""The ``learned`` system: every part trained on the train split, with word clusters from unlabelled news.

Entities: the entity CRF of ``crf`` (``crf.EntityTagger``).  Quotations: ``quotations.QuoteTagger``
(content, cue and speaker mention spans) and ``quotations.SpeakerLinker`` (a classifier over candidate
mentions).  Stance: ``stance_model.StanceClassifier`` on (quotation, target) pairs.  In stance mode the
given quotations get a stance each and nothing else.

``learned-stance`` (``LearnedStance``) is the stance classifier alone, trained in seconds: registered in
stance mode, it puts the classifier on the board beside the ``majority`` floor (stance given gold quotes).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from aqwal.benchmark.systems import parts, store
from aqwal.benchmark.systems.crf import EntityTagger, Stats, train_entity_tagger, widen
from aqwal.benchmark.systems.lexicon import lexicon
from aqwal.benchmark.systems.protocol import DocumentView, quote, record, training_hash
from aqwal.benchmark.systems.quotations import SPEAKER_MIN_PROBABILITY, QuoteTagger, SpeakerLinker
from aqwal.benchmark.systems.rules import Text, find_speaker
from aqwal.benchmark.systems.stance_model import StanceClassifier, quote_features
from aqwal.corpus.errors import ConfigError
from aqwal.corpus.model import Document, Target


@dataclass
class LearnedStats(Stats):
    speaker_pairs: int = 0  # (quotation, candidate) pairs the linker learned from
    quote_left_out: dict = field(default_factory=dict)


def train_quote_tagger(train: list[Document]) -> QuoteTagger:
    tagger = QuoteTagger()
    tagger.fit(train, widen)
    return tagger


def train_speaker_linker(train: list[Document]) -> SpeakerLinker:
    linker = SpeakerLinker()
    linker.fit(train)
    return linker


def train_stance_classifier(train: list[Document]) -> StanceClassifier:
    return fit_stance(train)[0]


class LearnedSystem:
    def __init__(self, name: str = "learned", version: str = "0.7.0"):
        self.name, self.version = name, version
        self.entities = EntityTagger()
        self.quotes = QuoteTagger()
        self.linker = SpeakerLinker()
        self.stance = StanceClassifier()
        self.train_sha256: str | None = None
        self.stats = LearnedStats()

    @staticmethod
    def parts():
        return (train_entity_tagger, train_quote_tagger, train_speaker_linker, train_stance_classifier)

    def fit(self, train: list[Document]) -> None:
        _need_documents(self.name, train)
        parts.fit(self, train)

    def assemble(self, train: list[Document], models: dict) -> None:
        self.entities = models[parts.key(train_entity_tagger)]
        self.quotes = models[parts.key(train_quote_tagger)]
        self.linker = models[parts.key(train_speaker_linker)]
        self.stance = models[parts.key(train_stance_classifier)]
        self.stats = LearnedStats(
            train_docs=len(train), entity_spans=self.entities.spans, left_out=self.entities.left_out,
            widened=self.entities.widened + self.quotes.widened, quote_left_out=self.quotes.left_out,
            quote_spans=sum(len(d.quotes) for d in train), cue_spans=sum(q.cue is not None for d in train for q in d.quotes),
            speaker_pairs=self.linker.pairs, stance_items=sum(len(q.stance) for d in train for q in d.quotes))
        self.train_sha256 = training_hash(train)

    def save(self, directory: str) -> None:
        self._need_model()
        store.save_model(directory, self.name, self.version, self.train_sha256, self.stats.train_docs,
                         {"entities": self.entities, "quotes": self.quotes, "linker": self.linker,
                          "stance": self.stance, "stats": self.stats})

    def load(self, directory: str) -> None:
        meta, state = store.load_model(directory, self.name, self.version)
        self.entities, self.quotes, self.linker = state["entities"], state["quotes"], state["linker"]
        self.stance, self.stats, self.train_sha256 = state["stance"], state["stats"], meta["train_sha256"]

    def _need_model(self) -> None:
        if self.entities.crf is None:
            raise ConfigError(f"{self.name}: not trained (fix: give --train TRAIN.jsonl or --model DIR)")

    def stances(self, text: str, span: tuple[int, int], targets: tuple[Target, ...]) -> list[tuple[str, str]]:
        return stances(self.stance, text, span, targets)

    def predict(self, doc: DocumentView) -> dict:
        self._need_model()
        t = Text(doc.text, lexicon())
        entities = self.entities.predict(t)
        if doc.given_quotes is not None:
            quotes = [quote(s, e, stance=self.stances(doc.text, (s, e), doc.targets)) for s, e in doc.given_quotes]
            return record(doc.id, entities, quotes)
        found, sources = self.quotes.predict(t, self.entities.trim)
        cands = SpeakerLinker.candidates(t, entities, sources, [cue for _, cue in found if cue is not None])
        spans = [q for q, _ in found]
        out, previous = [], None
        for span, cue in sorted(found):
            speaker, probability = self.linker.link(t, span, cue, cands, spans, previous)
            previous = speaker = speaker or find_speaker(t, cue, *span, entities)
            if self.linker.model is not None and probability < SPEAKER_MIN_PROBABILITY:
                continue  # no speaker the linker trusts: left out, as a wrong speaker would cost as much
            out.append(quote(*span, cue, speaker, self.stances(doc.text, span, doc.targets)))
        return record(doc.id, entities, out)


def _need_documents(name: str, train: list[Document]) -> None:
    if not train:
        raise ConfigError(f"{name}: no training documents (fix: give --train with the train split)")


def fit_stance(train: list[Document]) -> tuple[StanceClassifier, int]:
    """The stance classifier trained on every (quotation, target) pair of ``train``, and the pair count."""
    x, y = [], []
    for doc in train:
        targets = {t.id: t for t in doc.targets}
        for q in doc.quotes:
            for st in q.stance:
                x.append(quote_features(doc.text, (q.span.start, q.span.end), targets[st.target].text, st.target,
                                        len(doc.targets)))
                y.append(st.label)
    model = StanceClassifier()
    model.fit(x, y)
    return model, len(y)


def stances(model: StanceClassifier, text: str, span: tuple[int, int],
            targets: tuple[Target, ...]) -> list[tuple[str, str]]:
    """The label of each target for the quotation ``text[span[0]:span[1]]`` of a document with ``targets``."""
    labels = model.predict([quote_features(text, span, t.text, t.id, len(targets)) for t in targets])
    return [(t.id, lab) for t, lab in zip(targets, labels)]


class LearnedStance:
    """The stance classifier alone: no spans in full mode; a stance per target for each given quotation."""

    def __init__(self, name: str = "learned-stance", version: str = "0.2.0"):
        self.name, self.version = name, version
        self.stance: StanceClassifier | None = None
        self.train_sha256: str | None = None
        self.n_train = 0

    @staticmethod
    def parts():
        return (train_stance_classifier,)

    def fit(self, train: list[Document]) -> None:
        _need_documents(self.name, train)
        parts.fit(self, train)

    def assemble(self, train: list[Document], models: dict) -> None:
        self.stance = models[parts.key(train_stance_classifier)]
        self.train_sha256, self.n_train = training_hash(train), len(train)

    def save(self, directory: str) -> None:
        store.save_model(directory, self.name, self.version, self.train_sha256, self.n_train, {"stance": self.stance})

    def load(self, directory: str) -> None:
        meta, state = store.load_model(directory, self.name, self.version)
        self.stance, self.train_sha256, self.n_train = state["stance"], meta["train_sha256"], meta["n_train"]

    def predict(self, doc: DocumentView) -> dict:
        if self.stance is None:
            raise ConfigError(f"{self.name}: not trained (fix: give --train TRAIN.jsonl or --model DIR)")
        if doc.given_quotes is None:
            return record(doc.id)
        return record(doc.id, quotes=[quote(s, e, stance=stances(self.stance, doc.text, (s, e), doc.targets))
                                      for s, e in doc.given_quotes])
