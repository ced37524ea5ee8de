"""The leaderboard: systems ranked per task on the headline number, with intervals and statistical ties.

Systems are ranked by score; a system's rank is 1 + the number of systems significantly better than it
(paired bootstrap test, Holm-corrected over the section's pairs, at ``alpha``), so systems whose differences
are not significant share ranks and are listed as tied.  Stance has two sections: systems that find the
quotations themselves (end to end), and systems given the gold quotations; they are never ranked together.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations

from aqwal.benchmark import SCORER_VERSION
from aqwal.benchmark.bootstrap import LEVEL, holm, interval, paired_p, resampled_metrics
from aqwal.benchmark.evaluate import HEADLINES, Evaluation
from aqwal.benchmark.units import interval as shown_interval, percent
from aqwal.corpus.errors import ConfigError

ALPHA = 0.05


@dataclass(frozen=True)
class Section:
    """One ranking of the board: the systems ``admits`` takes, on the headline of their ``task``."""

    key: str  # the section's key in the board
    task: str  # the evaluation's task whose headline ranks them
    label: str
    admits: Callable[[Evaluation], bool]


SECTIONS = (
    Section("entities", "entities", "entities strict F1", lambda e: True),
    Section("quotes", "quotes", "quotes end-to-end F1", lambda e: True),
    Section("stance", "stance", "stance F_avg, end to end (quotations found by the system)",
            lambda e: not e.given_gold_quotes),
    Section("stance_given_gold_quotes", "stance", "stance F_avg, given the gold quotations",
            lambda e: e.given_gold_quotes),
)


def system_key(e: Evaluation) -> str:
    s = e.submission.system
    return f"{s.name} {s.version}" if s.version else s.name


def build(evaluations: Sequence[Evaluation], *, resamples: int, seed: int, alpha: float = ALPHA,
          level: float = LEVEL) -> dict:
    """The leaderboard as plain data (what every writer renders)."""
    keys = [system_key(e) for e in evaluations]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise ConfigError(f"two submissions are both {dupes[0]!r} (fix: give each a distinct system name or "
                          "version in its header line)")
    gold = evaluations[0].gold
    tasks_out = {}
    for section in SECTIONS:
        task, headline = section.task, HEADLINES[section.task]
        entries = [e for e in evaluations if task in e.per_doc and section.admits(e)]
        if not entries:
            continue
        values = resampled_metrics([e.per_doc[task] for e in entries], [headline.metric] * len(entries),
                                   resamples=resamples, seed=seed)
        # nothing to score at all (no gold items, nothing predicted) ranks as 0
        scores = [e.headline(task) or 0.0 for e in entries]
        pairs = list(combinations(range(len(entries)), 2))
        raw = [paired_p(scores[a] - scores[b], values[a] - values[b]) for a, b in pairs]
        adjusted = holm(raw) if raw else []
        better = {i: set() for i in range(len(entries))}
        tied = {i: set() for i in range(len(entries))}
        pair_rows = []
        for (a, b), p, q in zip(pairs, raw, adjusted):
            significant = q < alpha
            if significant:
                (better[b] if scores[a] > scores[b] else better[a]).add(a if scores[a] > scores[b] else b)
            else:
                tied[a].add(b)
                tied[b].add(a)
            pair_rows.append({"a": system_key(entries[a]), "b": system_key(entries[b]),
                              "delta": scores[a] - scores[b], "p": p, "p_holm": q, "significant": significant})
        order = sorted(range(len(entries)), key=lambda i: (-scores[i], system_key(entries[i])))
        rows = []
        for i in order:
            e = entries[i]
            lo, hi = interval(values[i], level)
            rows.append({"rank": 1 + len(better[i]), "system": e.submission.system.name,
                         "version": e.submission.system.version, "score": scores[i], "interval": [lo, hi],
                         "tied_with": sorted(system_key(entries[j]) for j in tied[i]),
                         "submission": e.submission.path, "date": e.date,
                         "missing_documents": len(e.submission.missing)})
        tasks_out[section.key] = {"metric": headline.name, "label": section.label, "task": task, "rows": rows,
                                  "pairs": pair_rows}
    return {"meta": {"scorer_version": SCORER_VERSION, "date": evaluations[0].date,
                     "dataset": {"path": gold.path, "config": gold.config, "split": gold.split,
                                 "version": gold.version, "content_hash": gold.content_hash,
                                 "documents": len(gold.documents)},
                     "scores": "fractions in [0, 1]; every table shows them as percentages",
                     "resamples": resamples, "seed": seed, "level": level, "alpha": alpha,
                     "test": "paired bootstrap (Berg-Kirkpatrick et al. 2012), Holm-corrected"},
            "tasks": tasks_out}


def table_rows(board: dict) -> tuple[list[str], list[list]]:
    """The terminal table: scores and intervals in percent, as in every other table of the board."""
    header = ["task", "rank", "system", "version", "score %", "95% interval", "tied with"]
    rows = []
    for block in board["tasks"].values():
        for n, r in enumerate(block["rows"]):
            rows.append([block["label"] if n == 0 else "", r["rank"], r["system"], r["version"] or "",
                         percent(r["score"]), shown_interval(r["interval"]), ", ".join(r["tied_with"])])
    return header, rows
