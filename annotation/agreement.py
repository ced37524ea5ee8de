"""Inter-annotator agreement over documents: pure functions over counts.

For each pair of annotators, over the documents both annotated:

- **entities**: span F1 per label, *strict* (same start, end and label) and *overlap* (same label, at least
  one shared character, one-to-one optimal alignment); F1 is symmetric, so which annotator is the
  reference does not matter;
- **quotations**: content F1 strict and overlap; on the quotations aligned by overlap, the share whose cue
  is the same span, and whose speaker is the same (the two speaker mentions overlap or have the same text);
- **stance**, per target: on aligned quotations where both gave a stance toward the target, Cohen's kappa
  (scikit-learn) and Krippendorff's alpha (nominal, ``krippendorff``).

*Overall* pools the counts of all pairs; overall kappa is Light's kappa (the mean of the pairwise kappas)
and overall alpha is computed once over all annotators, quotations being aligned across annotators into
units (each annotator's quotations aligned one-to-one to the units built so far).
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from aqwal.corpus.model import Document, Quote
from aqwal.corpus.schema import ENTITY_NAMES, SCHEME_VERSION, STANCE_LABELS
from aqwal.corpus.spans import Span


@dataclass(frozen=True, slots=True)
class Counts:
    """Matches between a reference and a comparison; ratios are None when there was nothing to score."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else None

    def to_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": self.precision, "recall": self.recall,
                "f1": self.f1}


@dataclass(frozen=True, slots=True)
class Ratio:
    agree: int = 0
    total: int = 0

    def __add__(self, other: Ratio) -> Ratio:
        return Ratio(self.agree + other.agree, self.total + other.total)

    @property
    def value(self) -> float | None:
        return self.agree / self.total if self.total else None

    def to_dict(self) -> dict:
        return {"agree": self.agree, "total": self.total, "value": self.value}


def align(a: Sequence[Span], b: Sequence[Span], *, exact: bool = False) -> list[tuple[int, int]]:
    """A one-to-one alignment of ``a`` to ``b``: the most pairs (equal spans, or overlapping ones), then the
    most shared characters; optimal, so independent of input order."""
    if not a or not b:
        return []
    def weight(x: Span, y: Span) -> int:
        if exact:
            return 1 if (x.start, x.end) == (y.start, y.end) else 0
        shared = min(x.end, y.end) - max(x.start, y.start)
        return 1_000_000 + shared if shared > 0 else 0
    w = [[weight(x, y) for y in b] for x in a]
    if not any(any(row) for row in w):
        return []
    from scipy.optimize import linear_sum_assignment
    rows, cols = linear_sum_assignment(w, maximize=True)
    return sorted((int(i), int(j)) for i, j in zip(rows, cols) if w[i][j] > 0)


def span_counts(a: Sequence[Span], b: Sequence[Span], *, exact: bool) -> Counts:
    tp = len(align(a, b, exact=exact))
    return Counts(tp, len(b) - tp, len(a) - tp)


def entity_counts(a: Document, b: Document) -> dict[str, dict[str, Counts]]:
    """label -> {"strict": Counts, "overlap": Counts} for one document annotated twice."""
    out = {}
    for label in ENTITY_NAMES:
        sa = [m.span for m in a.entities if m.label == label]
        sb = [m.span for m in b.entities if m.label == label]
        out[label] = {"strict": span_counts(sa, sb, exact=True), "overlap": span_counts(sa, sb, exact=False)}
    return out


def _speaker_span(doc: Document, quote: Quote) -> Span | None:
    return doc.mention(quote.speaker).span if quote.speaker is not None else None


def _same_speaker(x: Span | None, y: Span | None) -> bool:
    if x is None or y is None:
        return x is y
    return x.overlaps(y) or x.text == y.text


@dataclass(frozen=True, slots=True)
class QuoteAgreement:
    content_strict: Counts = Counts()
    content_overlap: Counts = Counts()
    cue: Ratio = Ratio()
    speaker: Ratio = Ratio()

    def __add__(self, other: QuoteAgreement) -> QuoteAgreement:
        return QuoteAgreement(self.content_strict + other.content_strict,
                              self.content_overlap + other.content_overlap, self.cue + other.cue,
                              self.speaker + other.speaker)

    def to_dict(self) -> dict:
        return {"content_strict": self.content_strict.to_dict(), "content_overlap": self.content_overlap.to_dict(),
                "cue": self.cue.to_dict(), "speaker": self.speaker.to_dict()}


def quote_agreement(a: Document, b: Document) -> tuple[QuoteAgreement, list[tuple[str, str, str]]]:
    """Quotation agreement of one document, and the stance pairs (target, label a, label b) of its aligned
    quotations."""
    qa, qb = [q.span for q in a.quotes], [q.span for q in b.quotes]
    pairs = align(qa, qb)
    cue = speaker = 0
    stances = []
    for i, j in pairs:
        x, y = a.quotes[i], b.quotes[j]
        cue += (x.cue is None and y.cue is None) or (x.cue is not None and y.cue is not None
                                                      and (x.cue.start, x.cue.end) == (y.cue.start, y.cue.end))
        speaker += _same_speaker(_speaker_span(a, x), _speaker_span(b, y))
        sy = {s.target: s.label for s in y.stance}
        stances.extend((s.target, s.label, sy[s.target]) for s in x.stance if s.target in sy)
    return QuoteAgreement(span_counts(qa, qb, exact=True), span_counts(qa, qb, exact=False),
                          Ratio(cue, len(pairs)), Ratio(speaker, len(pairs))), stances


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Cohen's kappa of paired labels; None when undefined (no items, or chance agreement is 1)."""
    if not pairs:
        return None
    import warnings

    from sklearn.metrics import cohen_kappa_score
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 0/0 when both used one label only: reported as None below
        value = cohen_kappa_score([x for x, _ in pairs], [y for _, y in pairs], labels=list(STANCE_LABELS))
    return None if math.isnan(value) else float(value)


def krippendorff_alpha(units: Sequence[Sequence[str | None]]) -> float | None:
    """Nominal Krippendorff's alpha; ``units[u][c]`` is coder c's label for unit u (None when missing)."""
    pairable = [u for u in units if sum(v is not None for v in u) >= 2]
    if not pairable:
        return None
    import krippendorff
    import numpy as np
    index = {label: i for i, label in enumerate(STANCE_LABELS)}
    data = np.array([[np.nan if v is None else index[v] for v in u] for u in pairable], dtype=float).T
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        value = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal",
                                   value_domain=list(range(len(STANCE_LABELS))))
    return None if math.isnan(value) else float(value)


@dataclass(frozen=True, slots=True)
class PairAgreement:
    a: str
    b: str
    documents: int
    entities: dict[str, dict[str, Counts]]
    quotes: QuoteAgreement
    stance: dict[str, list[tuple[str, str]]]  # target -> (label a, label b) per item

    def to_dict(self) -> dict:
        return {"a": self.a, "b": self.b, "documents": self.documents,
                "entities": _entities_dict(self.entities), "quotes": self.quotes.to_dict(),
                "stance": {t: _stance_dict(p, krippendorff_alpha([list(x) for x in p]))
                           for t, p in sorted(self.stance.items())}}


def _entities_dict(ents: dict[str, dict[str, Counts]]) -> dict:
    out = {label: {mode: c.to_dict() for mode, c in modes.items()} for label, modes in ents.items()}
    out["ALL"] = {mode: sum((m[mode] for m in ents.values()), Counts()).to_dict() for mode in ("strict", "overlap")}
    return out


def _stance_dict(pairs: Sequence[tuple[str, str]], alpha: float | None, kappa: float | None = None,
                 *, light: bool = False) -> dict:
    return {"items": len(pairs), "agree": sum(x == y for x, y in pairs),
            "kappa": kappa if light else cohen_kappa(pairs), "alpha": alpha}


def pair_agreement(a: str, docs_a: Iterable[Document], b: str, docs_b: Iterable[Document]) -> PairAgreement:
    """Agreement of annotators ``a`` and ``b`` over the documents both annotated (matched by id)."""
    by_id = {d.id: d for d in docs_b}
    entities = {label: {"strict": Counts(), "overlap": Counts()} for label in ENTITY_NAMES}
    quotes = QuoteAgreement()
    stance: dict[str, list[tuple[str, str]]] = {}
    n = 0
    for da in docs_a:
        db = by_id.get(da.id)
        if db is None:
            continue
        n += 1
        for label, modes in entity_counts(da, db).items():
            for mode, c in modes.items():
                entities[label][mode] = entities[label][mode] + c
        qa, pairs = quote_agreement(da, db)
        quotes = quotes + qa
        for target, x, y in pairs:
            stance.setdefault(target, []).append((x, y))
    return PairAgreement(a, b, n, entities, quotes, stance)


def stance_units(versions: dict[str, Document]) -> dict[str, list[list[str | None]]]:
    """target -> units (one label or None per annotator, in the order of ``versions``) for one document:
    quotations aligned across annotators, each annotator's aligned one-to-one to the units so far."""
    coders = list(versions)
    clusters: list[tuple[Span, dict[str, Quote]]] = []
    for c in coders:
        quotes = versions[c].quotes
        pairs = align([span for span, _ in clusters], [q.span for q in quotes])
        matched = set()
        for i, j in pairs:
            clusters[i][1][c] = quotes[j]
            matched.add(j)
        clusters.extend((q.span, {c: q}) for j, q in enumerate(quotes) if j not in matched)
    out: dict[str, list[list[str | None]]] = {}
    for _, members in clusters:
        labels = {c: {s.target: s.label for s in q.stance} for c, q in members.items()}
        targets = sorted({t for m in labels.values() for t in m})
        for t in targets:
            out.setdefault(t, []).append([labels.get(c, {}).get(t) for c in coders])
    return out


def agreement(documents: dict[str, list[Document]]) -> dict:
    """Per annotator pair and overall, as plain data (see the module docstring)."""
    annotators = sorted(documents)
    pairs = [pair_agreement(a, documents[a], b, documents[b]) for a, b in combinations(annotators, 2)]
    pairs = [p for p in pairs if p.documents]
    entities = {label: {mode: sum((p.entities[label][mode] for p in pairs), Counts()) for mode in
                        ("strict", "overlap")} for label in ENTITY_NAMES}
    quotes = sum((p.quotes for p in pairs), QuoteAgreement())
    units: dict[str, list[list[str | None]]] = {}
    by_doc: dict[str, dict[str, Document]] = {}
    for a in annotators:
        for d in documents[a]:
            by_doc.setdefault(d.id, {})[a] = d
    for versions in by_doc.values():
        if len(versions) < 2:
            continue
        full = {a: versions.get(a) for a in annotators}
        present = {a: d for a, d in full.items() if d is not None}
        for target, rows in stance_units(present).items():
            order = list(present)
            units.setdefault(target, []).extend(
                [row[order.index(a)] if a in present else None for a in annotators] for row in rows)
    targets = sorted({t for p in pairs for t in p.stance} | set(units))
    stance_overall = {}
    for t in targets:
        pooled = [x for p in pairs for x in p.stance.get(t, [])]
        kappas = [k for p in pairs if (k := cohen_kappa(p.stance.get(t, []))) is not None]
        stance_overall[t] = _stance_dict(pooled, krippendorff_alpha(units.get(t, [])),
                                         sum(kappas) / len(kappas) if kappas else None, light=True)
    pooled_all = [x for p in pairs for t in p.stance for x in p.stance[t]]
    kappas_all = [k for p in pairs if (k := cohen_kappa([x for t in p.stance for x in p.stance[t]])) is not None]
    stance_all = _stance_dict(pooled_all, krippendorff_alpha([u for t in targets for u in units.get(t, [])]),
                              sum(kappas_all) / len(kappas_all) if kappas_all else None, light=True)
    return {"scheme_version": SCHEME_VERSION, "annotators": annotators,
            "documents": {a: len(documents[a]) for a in annotators},
            "pairs": [p.to_dict() for p in pairs],
            "overall": {"documents": len([v for v in by_doc.values() if len(v) >= 2]),
                        "entities": _entities_dict(entities), "quotes": quotes.to_dict(),
                        "stance": stance_overall, "stance_all_targets": stance_all,
                        "notes": "counts pooled over pairs; kappa is Light's (mean of pairwise Cohen's kappa); "
                                 "alpha over all annotators"}}


def _f(value: float | None) -> float | str:
    return "-" if value is None else value


def summary_rows(result: dict) -> list[list]:
    """One row per pair and one overall: documents, entity F1, quotation F1, cue and speaker agreement."""
    rows = []
    for name, part in [(f"{p['a']} / {p['b']}", p) for p in result["pairs"]] + [("overall", result["overall"])]:
        e, q = part["entities"]["ALL"], part["quotes"]
        rows.append([name, part["documents"], _f(e["strict"]["f1"]), _f(e["overlap"]["f1"]),
                     _f(q["content_strict"]["f1"]), _f(q["content_overlap"]["f1"]), _f(q["cue"]["value"]),
                     _f(q["speaker"]["value"])])
    return rows


def label_rows(result: dict) -> list[list]:
    part = result["overall"]["entities"]
    return [[label, part[label]["strict"]["tp"] + part[label]["strict"]["fn"], _f(part[label]["strict"]["f1"]),
             _f(part[label]["overlap"]["f1"])] for label in part]


def stance_rows(result: dict) -> list[list]:
    rows = []
    for name, part in [(f"{p['a']} / {p['b']}", p) for p in result["pairs"]] + [("overall", result["overall"])]:
        for target, s in part["stance"].items():
            rows.append([name, target, s["items"], s["agree"], _f(s["kappa"]), _f(s["alpha"])])
    return rows




def card_figures(result: dict, snapshot: str) -> dict:
    """The figures of ``agreement()`` in the shape a release card takes (``aqwal dataset build --agreement``;
    corpus/release/agreement.py): only figures that were measured, each with the number of items behind it."""
    overall = result["overall"]
    figures = []
    every = overall["entities"].get("ALL", {})
    for mode, measure in (("strict", "pairwise exact-span F1"), ("overlap", "pairwise overlapping-span F1")):
        counts = every.get(mode)
        if counts and counts["f1"] is not None:
            figures.append({"task": "entities", "measure": measure, "value": counts["f1"],
                            "n": counts["tp"] + counts["fp"] + counts["fn"]})
    quotes = overall["quotes"]
    for key, measure in (("content_strict", "pairwise exact content F1"),
                         ("content_overlap", "pairwise overlapping content F1")):
        counts = quotes[key]
        if counts["f1"] is not None:
            figures.append({"task": "quotations", "measure": measure, "value": counts["f1"],
                            "n": counts["tp"] + counts["fp"] + counts["fn"]})
    for key in ("cue", "speaker"):
        if quotes[key]["value"] is not None:
            figures.append({"task": "quotations", "measure": f"{key} agreement on matched quotations",
                            "value": quotes[key]["value"], "n": quotes[key]["total"]})
    st = overall["stance_all_targets"]
    for key, measure in (("kappa", "Cohen's kappa (mean over pairs)"), ("alpha", "Krippendorff's alpha")):
        if st.get(key) is not None:
            figures.append({"task": "stance", "measure": f"{measure}, all (quotation, target) items pooled",
                            "value": st[key], "n": st["items"]})
    for target, st in overall["stance"].items():
        for key, measure in (("kappa", "Cohen's kappa (mean over pairs)"), ("alpha", "Krippendorff's alpha")):
            if st.get(key) is not None:
                figures.append({"task": "stance", "measure": f"{measure}, target {target}", "value": st[key],
                                "n": st["items"]})
    return {"snapshot": snapshot, "annotators": len(result["annotators"]), "documents": overall["documents"],
            "figures": figures}
