"""De-duplication across all sources: exact (same sha256 of the text) and near (MinHash + LSH).

Near-duplicates are found on word shingles of the matching form of the text (aqwal.corpus.arabic.normalise,
punctuation dropped): two documents are near-duplicates when the estimated Jaccard similarity of their
shingle sets is at least ``THRESHOLD``.  Of two duplicates the one seen first is kept, so the order of the
sources decides (seed, Wikinews, SaudiNewsNet by day).

Why word 3-grams and 0.7 (read against real SaudiNewsNet pairs, see docs/corpus.md): pairs at
0.7 and above are one article published twice: the same text under a corrected or shortened title, a
crawl of the same page with one sentence added or one photo caption more, the same SPA wire copy in two
papers.  Between 0.5 and 0.7 are follow-ups of one story by one paper (a new lead, half the text reused) and
two papers' rewrites of one wire: related but different texts that annotators should see as such.

State kept per kept document: its sha256 (32 bytes as digest), a 128-value uint32 signature and its LSH
entries, about 1.5 KB: the texts themselves are not kept.
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from aqwal.corpus.arabic import normalise

THRESHOLD = 0.7
NUM_PERM = 128
SHINGLE_WORDS = 3
SEED = 1
_WORD = re.compile(r"\w+")
_MULT = np.uint64(0x9E3779B97F4A7C15)
_MIX = np.uint64(0xBF58476D1CE4E5B9)
_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=SEED)  # its permutations are reused: building them is slow


@dataclass(frozen=True, slots=True)
class Duplicate:
    of: str  # id of the kept document
    kind: str  # "exact" | "near"
    similarity: float  # 1.0 for exact; estimated Jaccard for near


def shingle_hashes(text: str, k: int = SHINGLE_WORDS) -> np.ndarray:
    """32-bit hashes of the word k-grams of the matching form of ``text``, unique and sorted.

    Each word is hashed once (CRC-32 of its UTF-8) and a k-gram's hash is a polynomial of its words'
    hashes, so no k-gram string is built; a text shorter than k words is one shingle.
    """
    words = _WORD.findall(normalise(text))
    h = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint64, count=len(words))
    n = max(len(h) - k + 1, 1)
    acc = np.zeros(n, dtype=np.uint64)
    for j in range(min(k, len(h))):
        acc = acc * _MULT + h[j:j + n]  # wraps modulo 2**64, as intended
    acc ^= acc >> np.uint64(29)  # splitmix64's finaliser: every word reaches every output bit
    acc *= _MIX
    acc ^= acc >> np.uint64(32)
    return np.unique(acc & np.uint64(0xFFFFFFFF))


def signature(text: str) -> MinHash:
    """datasketch's MinHash (affine32 scheme, fixed seed) of ``text``'s shingle hashes."""
    mh = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=int, permutations=_TEMPLATE.permutations,
                 scheme=_TEMPLATE.scheme)
    mh.update_batch(shingle_hashes(text).tolist())
    return mh


class IdTaken(ValueError):
    """A new text came with the id of a kept document."""


class Deduplicator:
    """Feed documents in order with ``check``; it returns None for a new document (and remembers it)."""

    def __init__(self, threshold: float = THRESHOLD):
        if not 0 < threshold <= 1:
            raise ValueError(f"threshold {threshold} is not in (0, 1]")
        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._by_hash: dict[bytes, str] = {}
        self._signatures: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self._by_hash)

    def check(self, doc_id: str, sha256: str, text: str) -> Duplicate | None:
        digest = bytes.fromhex(sha256)
        if (kept := self._by_hash.get(digest)) is not None:
            return Duplicate(kept, "exact", 1.0)
        mh = signature(text)
        values = mh.hashvalues
        best: tuple[float, str] | None = None
        for other in self._lsh.query(mh):
            sim = float(np.mean(self._signatures[other] == values))
            if sim >= self.threshold and (best is None or (sim, other) > best):
                best = (sim, other)
        if best is not None:
            return Duplicate(best[1], "near", round(best[0], 3))
        if doc_id in self._signatures:
            raise IdTaken(doc_id)
        self._by_hash[digest] = doc_id
        self._signatures[doc_id] = values
        self._lsh.insert(doc_id, mh)
        return None
