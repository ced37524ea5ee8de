"""Counts that add; bootstrap sums equal a direct resampling; the paired test and Holm by hand."""
from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from aqwal.benchmark.bootstrap import CHUNK_CELLS, holm, interval, paired_p, resampled_metrics
from aqwal.benchmark.counts import Counts, ViewCounts, prf_arrays

counts = st.builds(Counts, st.integers(0, 50), st.integers(0, 50), st.integers(0, 50))


@given(a=counts, b=counts, c=counts)
def test_counts_add_associatively_and_derive_scores(a, b, c):
    assert (a + b) + c == a + (b + c)
    s = a + b
    assert (s.tp, s.fp, s.fn) == (a.tp + b.tp, a.fp + b.fp, a.fn + b.fn)
    if s.tp + s.fp + s.fn:
        assert abs(s.f1 - prf_arrays([s.tp], [s.fp], [s.fn])[0]) < 1e-12
    else:
        assert s.f1 is None


def test_view_counts_as_tp_fp_fn():
    v = ViewCounts(correct=3, incorrect=1, partial=2, missed=1, spurious=2)
    c = v.counts(0.5)
    assert c == Counts(4.0, 4.0, 3.0)  # actual 8, possible 7
    assert c.precision == 0.5 and c.recall == 4 / 7


def _f1(sums):
    return prf_arrays(sums[:, 0], sums[:, 1], sums[:, 2])


def test_resampled_sums_equal_explicit_resampling():
    rng = np.random.default_rng(1)
    per_doc = rng.integers(0, 5, size=(37, 3)).astype(float)
    got = resampled_metrics([per_doc], [_f1], resamples=50, seed=7)[0]
    draws = np.random.default_rng(7).integers(0, 37, size=(50, 37))  # one chunk: 50 * 37 < CHUNK_CELLS
    assert 50 * 37 < CHUNK_CELLS
    expected = _f1(per_doc[draws].sum(axis=1))
    assert np.allclose(got, expected)


def test_systems_share_resamples_and_seed_reproduces():
    per_doc = np.random.default_rng(2).integers(0, 5, size=(20, 3)).astype(float)
    a = resampled_metrics([per_doc, per_doc], [_f1, _f1], resamples=300, seed=3)
    assert np.array_equal(a[0], a[1])
    assert np.array_equal(a, resampled_metrics([per_doc, per_doc], [_f1, _f1], resamples=300, seed=3))
    lo, hi = interval(a[0])
    assert lo <= _f1(per_doc.sum(axis=0, keepdims=True))[0] <= hi


def test_paired_p_by_hand():
    deltas = np.array([0.0, 0.05, 0.1, 0.25, 0.3])
    assert paired_p(0.1, deltas) == 2 / 5  # 0.25 and 0.3 exceed 2 * 0.1
    assert paired_p(-0.1, -deltas) == 2 / 5
    assert paired_p(0.0, deltas) == 1.0


def test_holm_by_hand():
    # sorted p: 0.01 (x3 -> 0.03), 0.02 (x2 -> 0.04), 0.04 (x1 -> 0.04)
    assert holm([0.04, 0.01, 0.02]) == [0.04, 0.03, 0.04]
    assert holm([0.5, 0.6]) == [1.0, 1.0]


def test_few_distinct_rows_are_drawn_as_one_multinomial_with_the_right_distribution():
    # 300 documents, two kinds: a hit (tp) or a miss (fn); a resample's tp is Binomial(300, 0.2)
    n, hits = 300, 60
    per_doc = np.array([[1, 0, 0]] * hits + [[0, 0, 1]] * (n - hits))
    tp = resampled_metrics([per_doc], [lambda sums: sums[:, 0]], resamples=20_000, seed=5)[0]
    both = resampled_metrics([per_doc], [lambda sums: sums[:, 0] + sums[:, 2]], resamples=20_000, seed=5)[0]
    assert np.all(both == n)  # every resample draws exactly n documents
    p = hits / n
    assert abs(tp.mean() - n * p) < 5 * np.sqrt(n * p * (1 - p) / 20_000)
    assert abs(tp.var() / (n * p * (1 - p)) - 1) < 0.05


def test_both_ways_of_resampling_give_the_same_intervals(monkeypatch):
    from aqwal.benchmark import bootstrap
    per_doc = np.random.default_rng(3).integers(0, 3, size=(2_000, 3))
    ways = []
    for share in (0, 10**9):  # every row set counts as few (multinomial), or none does (document by document)
        monkeypatch.setattr(bootstrap, "MULTINOMIAL_SHARE", share)
        ways.append(interval(resampled_metrics([per_doc], [_f1], resamples=20_000, seed=11)[0]))
    (lo_a, hi_a), (lo_b, hi_b) = ways
    assert abs(lo_a - lo_b) < 0.003 and abs(hi_a - hi_b) < 0.003 and lo_a < hi_a
