"""One-to-one optimal alignment of predicted to gold spans.

Pairs are eligible when they overlap by at least one code point; among eligible pairs the alignment
maximises the summed pair weight (Hungarian algorithm, ``scipy.optimize.linear_sum_assignment``), solved
per connected group of overlapping spans so that large documents stay cheap.  Callers pass spans in a
canonical order (sorted), so the result depends on the spans, never on their order in a file.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

SpanLike = tuple  # (start, end, ...)


def overlap(a: SpanLike, b: SpanLike) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def iou(a: SpanLike, b: SpanLike) -> float:
    inter = overlap(a, b)
    return inter / (max(a[1], b[1]) - min(a[0], b[0])) if inter else 0.0


def overlapping_pairs(gold: Sequence[SpanLike], pred: Sequence[SpanLike]) -> list[tuple[int, int]]:
    """All (gold index, pred index) pairs that share at least one code point (a sweep over starts)."""
    events = sorted([(s[0], 0, i) for i, s in enumerate(gold)] + [(s[0], 1, j) for j, s in enumerate(pred)])
    active: tuple[list[int], list[int]] = ([], [])
    spans = (gold, pred)
    pairs = []
    for start, side, idx in events:
        other = 1 - side
        active[other][:] = [k for k in active[other] if spans[other][k][1] > start]
        for k in active[other]:
            pairs.append((idx, k) if side == 0 else (k, idx))
        active[side].append(idx)
    return sorted(pairs)


def align(gold: Sequence[SpanLike], pred: Sequence[SpanLike],
          weight: Callable[[SpanLike, SpanLike], float]) -> list[tuple[int, int]]:
    """Optimal one-to-one (gold index, pred index) pairs among overlapping spans; weights must be > 0."""
    if not gold or not pred:
        return []
    pairs = overlapping_pairs(gold, pred)
    if not pairs:
        return []
    # connected groups of the overlap graph (union-find over gold i and pred n+j)
    n = len(gold)
    parent = list(range(n + len(pred)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in pairs:
        a, b = find(i), find(n + j)
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[int, list[tuple[int, int]]] = {}
    for i, j in pairs:
        groups.setdefault(find(i), []).append((i, j))
    out: list[tuple[int, int]] = []
    for edges in groups.values():
        if len(edges) == 1:
            out.append(edges[0])
            continue
        from scipy.optimize import linear_sum_assignment

        rows = sorted({i for i, _ in edges})
        cols = sorted({j for _, j in edges})
        r_at = {i: k for k, i in enumerate(rows)}
        c_at = {j: k for k, j in enumerate(cols)}
        matrix = np.zeros((len(rows), len(cols)))
        for i, j in edges:
            matrix[r_at[i], c_at[j]] = weight(gold[i], pred[j])
        r, c = linear_sum_assignment(matrix, maximize=True)
        out.extend((rows[a], cols[b]) for a, b in zip(r, c) if matrix[a, b] > 0)
    return sorted(out)
