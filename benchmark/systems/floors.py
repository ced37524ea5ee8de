"""Reference floors: ``empty`` predicts nothing; ``majority`` predicts no spans and, in stance mode (gold
quote offsets given), the most frequent stance of the training quotes for every (quote, target)."""
from __future__ import annotations

from collections import Counter

from aqwal.benchmark.systems import store
from aqwal.benchmark.systems.protocol import DocumentView, quote, record, training_hash
from aqwal.corpus.errors import ConfigError
from aqwal.corpus.model import Document


class Empty:
    def __init__(self, name: str = "empty", version: str = "1.0.0"):
        self.name, self.version = name, version

    def predict(self, doc: DocumentView) -> dict:
        return record(doc.id)


class Majority:
    def __init__(self, name: str = "majority", version: str = "1.0.0"):
        self.name, self.version = name, version
        self.label: str | None = None
        self.train_sha256: str | None = None

    def fit(self, train: list[Document]) -> None:
        counts = Counter(st.label for doc in train for q in doc.quotes for st in q.stance)
        if not counts:
            raise ConfigError("majority: the training documents have no stance annotations "
                              "(fix: train on gold with quotations and stance)")
        # ties broken by label name, so the choice does not depend on document order
        self.label = min(counts, key=lambda lab: (-counts[lab], lab))
        self.train_sha256 = training_hash(train)
        self._n = len(train)

    def predict(self, doc: DocumentView) -> dict:
        if self.label is None:
            raise ConfigError("majority: not trained (fix: give --train or --model)")
        if doc.given_quotes is None:
            return record(doc.id)
        return record(doc.id, quotes=[quote(s, e, stance=[(t.id, self.label) for t in doc.targets])
                                      for s, e in doc.given_quotes])

    def save(self, directory: str) -> None:
        store.save_model(directory, self.name, self.version, self.train_sha256, self._n, {"label": self.label})

    def load(self, directory: str) -> None:
        meta, state = store.load_model(directory, self.name, self.version)
        self.label, self.train_sha256, self._n = state["label"], meta["train_sha256"], meta["n_train"]
