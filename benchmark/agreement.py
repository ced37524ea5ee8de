"""Agreement between two independent annotations, measured with the benchmark's own scorers.

For every document two annotators annotated independently, one version is read as the gold and the other as
a system's predictions, and the leaderboard's kernel scores them (``entities.score_entities``,
``quotes.align_quotes`` / ``matched`` / ``score_quotes``): the card's "entity F1", "quotation content F1" or
"speaker" are the leaderboard's numbers for one annotator against the other.  Measures that depend on which
side is the gold (speaker, kind) are scored both ways and pooled.  Stance agreement is Cohen's kappa and
Krippendorff's alpha (nominal) over the (quotation, target) items of matched quotations that both annotators
labelled, computed from their confusion matrix.

Every measure is a function of per-document counts that add, so its 95% interval comes from the bootstrap
over documents (``bootstrap.resampled_metrics``), overall and per source.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from aqwal.benchmark import RESAMPLES, SEED
from aqwal.benchmark.bootstrap import LEVEL, interval, resampled_metrics
from aqwal.benchmark.counts import prf_arrays
from aqwal.benchmark.entities import score_document
from aqwal.benchmark.golddoc import GoldDocument, from_document
from aqwal.benchmark.quotes import MATCH_IOU, align_quotes, canonical, matched, score_quotes
from aqwal.benchmark.submission import QuotePred
from aqwal.corpus.model import Document
from aqwal.corpus.schema import ENTITY_NAMES, STANCE_LABELS

K = len(STANCE_LABELS)
# columns of the per-document count matrix
COLUMNS = (["ent_tp", "ent_fp", "ent_fn", "ovl_tp", "ovl_fp", "ovl_fn", "qs_tp", "qs_fp", "qs_fn",
            "qm_tp", "qm_fp", "qm_fn", "cue_tp", "cue_fp", "cue_fn", "spk_ok", "spk_n", "kind_ok", "kind_n"]
           + [f"st_{a}_{b}" for a in STANCE_LABELS for b in STANCE_LABELS])
AT = {name: i for i, name in enumerate(COLUMNS)}


@dataclass(frozen=True, slots=True)
class DocumentPair:
    id: str
    source: str
    reference: Document  # read as the gold
    other: Document  # read as a system's predictions


def quote_predictions(doc: Document) -> list[QuotePred]:
    """A document's quotations as a system's predictions (speaker as its mention's span)."""
    out = []
    for q in doc.quotes:
        speaker = doc.mention(q.speaker).span if q.speaker is not None else None
        out.append(QuotePred(q.span.start, q.span.end, (q.cue.start, q.cue.end) if q.cue else None,
                             (speaker.start, speaker.end) if speaker else None,
                             tuple((s.target, s.label) for s in q.stance), q.kind))
    return out


def _one_way(gold: GoldDocument, pred: list[QuotePred]) -> tuple:
    ordered = canonical(pred)
    pairs = align_quotes(gold, ordered)
    matches = matched(gold, ordered, pairs)
    return score_quotes(gold, ordered, pairs, matches), ordered, matches


def document_counts(pair: DocumentPair) -> np.ndarray:
    """The per-document count row (``COLUMNS``)."""
    a, b = pair.reference, pair.other
    row = np.zeros(len(COLUMNS), dtype=np.int64)
    ents = score_document([(m.span.start, m.span.end, m.label) for m in a.entities],
                          [(m.span.start, m.span.end, m.label) for m in b.entities], ENTITY_NAMES)
    row[AT["ent_tp"]:AT["ent_fn"] + 1] = ents.strict.as_tuple()
    view = ents.ent_type.counts(0.0)  # same label, any overlap, one-to-one optimal alignment
    row[AT["ovl_tp"]:AT["ovl_fn"] + 1] = (view.tp, view.fp, view.fn)
    ga, gb = from_document(a), from_document(b)
    ab, ordered_b, matches = _one_way(ga, quote_predictions(b))
    ba, _, _ = _one_way(gb, quote_predictions(a))
    row[AT["qs_tp"]:AT["qs_fn"] + 1] = ab.content_strict.as_tuple()
    row[AT["qm_tp"]:AT["qm_fn"] + 1] = ab.content_matched.as_tuple()
    row[AT["cue_tp"]:AT["cue_fn"] + 1] = ab.cue_strict.as_tuple()
    row[AT["spk_ok"]] = ab.speaker_accuracy.correct + ba.speaker_accuracy.correct
    row[AT["spk_n"]] = ab.speaker_accuracy.total + ba.speaker_accuracy.total
    row[AT["kind_ok"]] = ab.kind_accuracy.correct + ba.kind_accuracy.correct
    row[AT["kind_n"]] = ab.kind_accuracy.total + ba.kind_accuracy.total
    index = {label: k for k, label in enumerate(STANCE_LABELS)}
    for i, j in matches:
        theirs = dict(ordered_b[j].stance)
        for s in a.quotes[i].stance:
            if s.target in theirs:
                row[AT["st_favor_favor"] + index[s.label] * K + index[theirs[s.target]]] += 1
    return row


# ---- measures over summed counts (one row per resample) ------------------------------------------------

def _f1(first: str):
    k = AT[first]
    return lambda sums: prf_arrays(sums[:, k], sums[:, k + 1], sums[:, k + 2])


def _ratio(ok: str, n: str):
    return lambda sums: np.where(sums[:, AT[n]] > 0, sums[:, AT[ok]] / np.maximum(sums[:, AT[n]], 1), np.nan)


def _confusion(sums: np.ndarray) -> np.ndarray:
    return sums[:, AT["st_favor_favor"]:AT["st_favor_favor"] + K * K].reshape(-1, K, K)


def kappa(sums: np.ndarray) -> np.ndarray:
    """Cohen's kappa of the stance confusion matrix, per row; NaN when there are no items or no variation."""
    m = _confusion(sums)
    n = m.sum(axis=(1, 2))
    observed = np.trace(m, axis1=1, axis2=2) / np.maximum(n, 1)
    expected = (m.sum(axis=2) * m.sum(axis=1)).sum(axis=1) / np.maximum(n, 1) ** 2
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where((n > 0) & (expected < 1), (observed - expected) / (1 - expected), np.nan)


def alpha(sums: np.ndarray) -> np.ndarray:
    """Krippendorff's alpha (nominal, two coders, no missing values) from the confusion matrix, per row."""
    m = _confusion(sums)
    o = m + m.transpose(0, 2, 1)  # coincidences
    total = o.sum(axis=(1, 2))
    marginal = o.sum(axis=2)
    disagree = total - np.trace(o, axis1=1, axis2=2)
    expected = (total ** 2 - (marginal ** 2).sum(axis=1)) / np.maximum(total - 1, 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where((total > 1) & (expected > 0), 1 - disagree / expected, np.nan)


MEASURES = {  # name -> (layer, description, measure over summed counts)
    "entity_f1_strict": ("entities", "F1, same start, end and label", _f1("ent_tp")),
    "entity_f1_overlap": ("entities", "F1, same label and overlapping (one-to-one)", _f1("ovl_tp")),
    "quote_f1_strict": ("quotations", "content F1, same start and end", _f1("qs_tp")),
    "quote_f1_matched": ("quotations", f"content F1, word IoU >= {MATCH_IOU} (the leaderboard's match)",
                         _f1("qm_tp")),
    "cue_f1": ("quotations", "cue F1, same start and end", _f1("cue_tp")),
    "speaker": ("quotations", "speaker right on matched quotations (both ways)", _ratio("spk_ok", "spk_n")),
    "kind": ("quotations", "same kind on matched quotations (both ways)", _ratio("kind_ok", "kind_n")),
    "stance_kappa": ("stance", "Cohen's kappa, items of matched quotations", kappa),
    "stance_alpha": ("stance", "Krippendorff's alpha (nominal), same items", alpha),
}


def _items(rows: np.ndarray) -> dict[str, int]:
    s = rows.sum(axis=0)
    return {"entities": int(s[AT["ent_tp"]] * 2 + s[AT["ent_fp"]] + s[AT["ent_fn"]]),
            "quotations": int(s[AT["qs_tp"]] * 2 + s[AT["qs_fp"]] + s[AT["qs_fn"]]),
            "stance": int(_confusion(s[None, :]).sum())}


def summarise(rows: np.ndarray, *, resamples: int = RESAMPLES, seed: int = SEED) -> dict:
    """Each measure's value and 95% interval over documents, from the per-document rows."""
    if not len(rows):
        return {"documents": 0, "measures": {}}
    total = rows.sum(axis=0, keepdims=True).astype(np.float64)
    names = list(MEASURES)
    values = resampled_metrics([rows] * len(names), [MEASURES[n][2] for n in names], resamples=resamples,
                               seed=seed) if resamples else None
    out = {}
    for k, name in enumerate(names):
        layer, description, measure = MEASURES[name]
        point = float(measure(total)[0])
        entry = {"layer": layer, "description": description, "value": None if np.isnan(point) else point}
        if values is not None:
            lo, hi = interval(values[k], LEVEL)
            entry["interval"] = [lo, hi]
        out[name] = entry
    return {"documents": int(len(rows)), "items": _items(rows), "measures": out}


def double_annotated(versions: dict[str, list[Document]], *, exclude: Iterable[str] = ()) -> list[DocumentPair]:
    """The documents two or more annotators annotated (``exclude``: e.g. the adjudicator), as pairs of the
    first two annotators by id (the first read as the gold)."""
    by_doc: dict[str, dict[str, Document]] = {}
    skip = set(exclude)
    for annotator in sorted(versions):
        if annotator in skip:
            continue
        for doc in versions[annotator]:
            by_doc.setdefault(doc.id, {})[annotator] = doc
    out = []
    for doc_id in sorted(by_doc):
        found = by_doc[doc_id]
        if len(found) >= 2:
            (_, a), (_, b) = sorted(found.items())[:2]
            out.append(DocumentPair(doc_id, a.source, a, b))
    return out


def agreement(pairs: Sequence[DocumentPair], *, resamples: int = RESAMPLES, seed: int = SEED) -> dict:
    """Overall and per-source agreement with intervals, and the annotator pairs it was measured on."""
    rows = np.array([document_counts(p) for p in pairs], dtype=np.int64).reshape(-1, len(COLUMNS))
    sources = sorted({p.source for p in pairs})
    annotators: dict[str, int] = {}
    for p in pairs:
        key = f"{p.reference.annotations[0].annotator if p.reference.annotations else '?'} / " \
              f"{p.other.annotations[0].annotator if p.other.annotations else '?'}"
        annotators[key] = annotators.get(key, 0) + 1
    return {"overall": summarise(rows, resamples=resamples, seed=seed),
            "by_source": {s: summarise(rows[[p.source == s for p in pairs]], resamples=resamples, seed=seed)
                          for s in sources},
            "pairs": annotators, "resamples": resamples, "seed": seed, "level": LEVEL,
            "match": f"word IoU >= {MATCH_IOU}"}
