"""Build the word cluster table (``data/clusters.tsv.gz``) from unlabelled news.

Input: the documents JSONL that ``aqwal corpus ingest --sources saudinewsnet`` writes (about 27,000 unique
SaudiNewsNet articles, 8M words; the raw text of the gold's SaudiNewsNet documents is among them: it is
unlabelled text, and no annotation is read).  Steps, each deterministic:

1. tokens from ``aqwal.corpus.tokens.tokenize``, keyed by ``clusters.word_key`` (normalised, digits 0);
2. word2vec (gensim; skip-gram, 100 dimensions, window 2, 5 epochs, seed 1, one worker thread, a fixed
   string hash) over the sentences (a narrow window groups words by their kind, as entity tagging needs:
   on ANERcorp dev it gave 71.8 F1 against 71.4 with CBOW and window 5);
3. k-means (scikit-learn, one thread, fixed seed) of the unit-normalised vectors of the words seen at least
   ``MIN_COUNT`` times, at each granularity of ``LEVELS``;
4. the table: one line per word, most frequent first, with its cluster at each granularity.

    aqwal systems vectors --corpus out/unlabelled/documents.jsonl --out benchmark/systems/data/clusters.tsv.gz
"""
from __future__ import annotations

import gzip
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

from aqwal.benchmark.systems.clusters import word_key
from aqwal.corpus.jsonl import atomic_path, iter_json_lines
from aqwal.corpus.tokens import tokenize

LEVELS = (64, 256, 1024, 4096)
MIN_COUNT = 5
MAX_WORDS = 80_000
WORD2VEC = {"vector_size": 100, "window": 2, "sg": 1, "negative": 5, "epochs": 5, "seed": 1, "workers": 1,
            "sample": 1e-4}
KMEANS_SEED = 1
SENTENCE_END = frozenset({".", "!", "?", "؟"})


def stable_hash(text: str) -> int:
    """gensim's string hash, made independent of PYTHONHASHSEED."""
    return zlib.crc32(text.encode("utf-8"))


def sentences(path: Path) -> Iterator[list[str]]:
    """Word keys per sentence (a line, or up to a sentence-ending mark) of every document."""
    for _, doc in iter_json_lines(path):
        for line in doc["text"].split("\n"):
            sentence: list[str] = []
            for tok in tokenize(line):
                sentence.append(word_key(tok.text))
                if tok.text in SENTENCE_END:
                    yield sentence
                    sentence = []
            if sentence:
                yield sentence


def build(corpus: Path, out: Path, *, levels: tuple[int, ...] = LEVELS, word2vec: dict | None = None,
          progress: bool = True) -> dict:
    """Train the vectors, cluster them, write the table; returns counts and timings."""
    import numpy as np
    from gensim.models import Word2Vec
    from gensim.models.callbacks import CallbackAny2Vec
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits

    from aqwal.corpus.progress import bar as tqdm

    settings = {**WORD2VEC, **(word2vec or {})}
    t0 = time.perf_counter()
    sents = list(tqdm(sentences(corpus), desc="reading", unit=" sentences", enabled=progress))
    n_tokens = sum(map(len, sents))
    t1 = time.perf_counter()

    bar = tqdm(total=settings["epochs"], desc="word2vec", unit="epoch", enabled=progress)

    class _Epochs(CallbackAny2Vec):
        def on_epoch_end(self, model):
            bar.update()

    model = Word2Vec(sents, min_count=MIN_COUNT, max_final_vocab=MAX_WORDS, hashfxn=stable_hash,
                     callbacks=[_Epochs()], **settings)
    bar.close()
    t2 = time.perf_counter()
    words = list(model.wv.index_to_key)
    vectors = model.wv.get_normed_vectors().astype(np.float64)
    columns = []
    with threadpool_limits(1):
        for k in tqdm(levels, desc="k-means", unit="level", enabled=progress):
            km = KMeans(n_clusters=k, n_init=1, max_iter=100, random_state=KMEANS_SEED)
            columns.append(km.fit_predict(vectors))
    t3 = time.perf_counter()
    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(out) as tmp, open(tmp, "wb") as handle, \
            gzip.GzipFile(filename="", mode="wb", fileobj=handle, mtime=0) as raw:
        raw.write(("\t".join(["word", *(f"c{k}" for k in levels)]) + "\n").encode("utf-8"))
        for i, w in enumerate(words):
            raw.write(("\t".join([w, *(str(int(col[i])) for col in columns)]) + "\n").encode("utf-8"))
    return {"corpus": str(corpus), "sentences": len(sents), "tokens": n_tokens, "words": len(words),
            "levels": list(levels), "word2vec": settings, "min_count": MIN_COUNT, "out": str(out),
            "bytes": out.stat().st_size,
            "seconds": {"read": round(t1 - t0, 1), "word2vec": round(t2 - t1, 1), "kmeans": round(t3 - t2, 1)}}

