"""Bootstrap over documents, from per-document counts (vectorised, seeded).

A resample draws n documents with replacement; since every score is a function of counts that add,
a resample's counts are ``W @ C``: W holds how often each document was drawn (one row per resample), C the
per-document counts (one column per count, for all systems at once, so systems share the resamples and
the tests are paired).  Resamples are made in chunks to bound memory.

Documents with equal count rows are interchangeable: a resample's sums depend only on how often each of
the K distinct rows was drawn, and drawing n documents uniformly draws the K rows with probabilities
frequency / n, so those draw counts are one multinomial(n, frequency / n) draw, exactly.  When K is much
smaller than n (as it is for counts of a few small integers per document) the resamples are made that
way; otherwise documents are drawn one by one.  Both give the same distribution; the seeded numbers
differ between the two ways.

Paired test (Berg-Kirkpatrick, Burkett & Klein 2012): with observed difference δ = m(A) - m(B) > 0 and
δ_i the difference on resample i, p = share of resamples with δ_i > 2δ.  Holm's step-down correction
controls the family-wise error over all pairs.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from aqwal.benchmark import RESAMPLES, SEED

LEVEL = 0.95
CHUNK_CELLS = 4_000_000  # resamples x documents (or distinct rows) per chunk: 32 MB of float64 weights

Metric = Callable[[np.ndarray], np.ndarray]  # summed counts (r, k) -> metric (r,)


MULTINOMIAL_SHARE = 8  # draw over distinct rows when there are at most n / 8 of them


def resampled_metrics(per_doc: Sequence[np.ndarray], metrics: Sequence[Metric], *,
                      resamples: int = RESAMPLES, seed: int = SEED) -> np.ndarray:
    """(len(per_doc), resamples) metric values; ``per_doc[s]`` is system s's (n, k_s) counts.

    All arrays have the same n documents in the same order; every system sees the same resamples.
    """
    if not per_doc:
        return np.zeros((0, resamples))
    n = per_doc[0].shape[0]
    if any(a.shape[0] != n for a in per_doc):
        raise ValueError("per-document arrays must cover the same documents")
    widths = [a.shape[1] for a in per_doc]
    counts = np.concatenate([np.asarray(a, dtype=np.float64) for a in per_doc], axis=1)
    offsets = np.cumsum([0] + widths)
    out = np.empty((len(per_doc), resamples))
    rng = np.random.default_rng(seed)
    rows, frequency = _distinct(counts)
    if len(rows) * MULTINOMIAL_SHARE <= n:
        draw, counts = _multinomial(n, frequency), rows
    else:
        draw = _documents(n)
    chunk = max(1, min(resamples, CHUNK_CELLS // max(counts.shape[0], 1)))
    for lo in range(0, resamples, chunk):
        r = min(chunk, resamples - lo)
        sums = draw(rng, r) @ counts  # (r, total k)
        for s, metric in enumerate(metrics):
            out[s, lo:lo + r] = metric(sums[:, offsets[s]:offsets[s + 1]])
    return out


def _distinct(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of ``counts`` and how often each occurs (rows of small non-negative integers are
    packed into one integer key each, which sorts much faster than rows)."""
    ints = counts.astype(np.int64)
    if counts.size and ints.min() >= 0 and np.array_equal(ints, counts):
        bases = ints.max(axis=0) + 1
        if np.prod(bases.astype(np.float64)) < 2.0 ** 62:
            place = np.cumprod(np.concatenate([[1], bases[:-1]]))
            _, first, frequency = np.unique(ints @ place, return_index=True, return_counts=True)
            return counts[first], frequency
    return np.unique(counts, axis=0, return_counts=True)


def _documents(n: int) -> Callable[[np.random.Generator, int], np.ndarray]:
    """Weights of r resamples drawn document by document: (r, n), how often each document was drawn."""
    def draw(rng: np.random.Generator, r: int) -> np.ndarray:
        draws = rng.integers(0, n, size=(r, n))
        draws += (np.arange(r) * n)[:, None]
        return np.bincount(draws.ravel(), minlength=r * n).reshape(r, n).astype(np.float64)
    return draw


def _multinomial(n: int, frequency: np.ndarray) -> Callable[[np.random.Generator, int], np.ndarray]:
    """Weights of r resamples over the distinct rows: (r, K), how often each row was drawn."""
    p = frequency / n

    def draw(rng: np.random.Generator, r: int) -> np.ndarray:
        return rng.multinomial(n, p, size=r).astype(np.float64)
    return draw


def interval(values: np.ndarray, level: float = LEVEL) -> tuple[float | None, float | None]:
    """The percentile interval over the resamples where the metric is defined (NaN: nothing to score)."""
    defined = values[~np.isnan(values)]
    if not defined.size:
        return None, None
    tail = (1 - level) / 2 * 100
    lo, hi = np.percentile(defined, [tail, 100 - tail])
    return float(lo), float(hi)


def paired_p(observed: float, resampled: np.ndarray) -> float:
    """Berg-Kirkpatrick et al.'s p for the observed difference (A - B) and its resampled values."""
    if observed == 0 or np.isnan(observed):
        return 1.0
    defined = resampled[~np.isnan(resampled)]
    if not defined.size:
        return 1.0
    sign = 1.0 if observed > 0 else -1.0
    return float(np.mean(sign * defined > 2 * sign * observed))


def holm(pvalues: Sequence[float]) -> list[float]:
    """Holm-adjusted p-values (step-down, monotone, capped at 1), in the input order."""
    m = len(pvalues)
    order = sorted(range(m), key=lambda i: pvalues[i])
    adjusted = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * pvalues[i]))
        adjusted[i] = running
    return adjusted
