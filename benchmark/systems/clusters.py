"""Word clusters learned from unlabelled news: the table in ``data/clusters.tsv.gz``, looked up by word.

The table is built by ``aqwal systems vectors`` (benchmark/systems/vectors.py) from word2vec vectors trained
on the SaudiNewsNet articles, cut by k-means at several granularities.  Each line is a word key (see
:func:`word_key`) and its cluster id at each granularity; the header line names the granularities
(``word c64 c256 c1024``); words come most frequent first.  A word missing from the table is looked up again without its proclitic chain
(وبيروت → بيروت), so clusters reach words the corpus saw only bare.
"""
from __future__ import annotations

import gzip
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from aqwal.corpus.arabic import normalise, proclitic_readings
from aqwal.corpus.errors import FormatError

TABLE = Path(__file__).with_name("data") / "clusters.tsv.gz"
_DIGIT = re.compile(r"\d")


def word_key(word: str) -> str:
    """The form words are counted under: Arabic-normalised, Latin lower-cased, every digit 0."""
    return _DIGIT.sub("0", normalise(word).lower())


@dataclass(frozen=True)
class Clusters:
    levels: tuple[str, ...]  # column names, coarse to fine: c64, c256, ...
    table: dict[str, tuple[str, ...]]  # word key -> one cluster id per level

    def lookup(self, word: str) -> tuple[str, ...] | None:
        """Cluster ids of ``word`` (as is, else without its proclitic chain), or None when unseen."""
        key = word_key(word)
        for _, rest in proclitic_readings(key, min_rest=3):
            hit = self.table.get(rest)
            if hit is not None:
                return hit
        return None

    def features(self, word: str, prefix: str = "") -> dict[str, str]:
        """CRF features: ``{prefix}c64: "17"`` and so on; ``{prefix}c: "unseen"`` for a word not in the table."""
        hit = self.lookup(word)
        if hit is None:
            return {f"{prefix}c": "unseen"}
        return {f"{prefix}{lev}": c for lev, c in zip(self.levels, hit)}


def read_table(path: Path) -> Clusters:
    if not path.is_file():
        raise FormatError(f"{path}: no cluster table (fix: build it with `make vectors`, which reads "
                          f"../shared/data, or restore it with `git checkout -- {path}`)")
    table: dict[str, tuple[str, ...]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        if len(header) < 2 or header[0] != "word":
            raise FormatError(f"{path}:1: expected a header 'word<TAB>c64<TAB>...', got {header!r} "
                              "(fix: rebuild with `make vectors`)")
        for n, line in enumerate(f, 2):
            parts = line.rstrip("\n").split("\t")
            if len(parts) != len(header):
                raise FormatError(f"{path}:{n}: {len(parts)} columns, the header has {len(header)} "
                                  "(fix: rebuild with `make vectors`)")
            table[parts[0]] = tuple(parts[1:])
    return Clusters(tuple(header[1:]), table)


@lru_cache(maxsize=1)
def clusters() -> Clusters:
    return read_table(TABLE)
