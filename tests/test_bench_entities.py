"""Entity scorer: hand cases, order invariance, and equality with seqeval, conlleval and nervaluate."""
from __future__ import annotations

import random

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from nervaluate import Evaluator
from seqeval.metrics import classification_report
from seqeval.metrics.sequence_labeling import get_entities

from aqwal.benchmark.counts import Counts, ViewCounts
from aqwal.benchmark.entities import score_document, score_entities
from aqwal.corpus.tokens import bio_entities, bio_to_spans, tokenize

LABELS = ("PER", "LOC", "ORG")
TAGS = ["O", "O", "O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG"]


def test_hand_case_with_nested_and_overlapping_spans():
    gold = [(0, 10, "ORG"), (6, 10, "LOC"), (20, 25, "PER"), (30, 40, "PER")]
    pred = [(0, 10, "ORG"), (6, 10, "PER"), (21, 25, "PER"), (50, 55, "LOC")]
    s = score_document(gold, pred, LABELS)
    assert s.strict == Counts(1, 3, 3)
    # (6,10) same bounds other label; (21,25) overlaps (20,25) same label; (30,40) missed; (50,55) spurious
    assert s.exact == ViewCounts(correct=2, incorrect=1, partial=0, missed=1, spurious=1)
    assert s.ent_type == ViewCounts(correct=2, incorrect=1, partial=0, missed=1, spurious=1)
    assert s.partial == ViewCounts(correct=2, incorrect=0, partial=1, missed=1, spurious=1)
    assert s.partial.counts(0.5).precision == 2.5 / 4
    assert s.per_label["PER"] == Counts(0, 2, 2) and s.per_label["ORG"] == Counts(1, 0, 0)


def test_alignment_is_optimal_not_greedy():
    # greedy in file order pairs the long prediction with the first gold and leaves the second unmatched;
    # the optimal one-to-one alignment matches both golds
    gold = [(0, 4, "PER"), (5, 9, "PER")]
    pred = [(0, 9, "PER"), (5, 8, "PER")]
    s = score_document(gold, pred, LABELS)
    assert s.ent_type.correct == 2 and s.ent_type.missed == 0


def test_nothing_to_score_is_none_not_zero():
    s = score_document([], [], LABELS)
    assert s.strict.f1 is None and s.strict.precision is None and s.macro_f1() is None
    assert score_document([(0, 2, "PER")], [], LABELS).strict.f1 == 0.0


spans = st.lists(st.tuples(st.integers(0, 30), st.integers(1, 8), st.sampled_from(LABELS)).map(
    lambda t: (t[0], t[0] + t[1], t[2])), max_size=12)


@settings(max_examples=300, deadline=None)
@given(gold=spans, pred=spans, seed=st.integers(0, 10**6))
def test_order_of_spans_never_changes_a_number(gold, pred, seed):
    rng = random.Random(seed)
    shuffled_gold, shuffled_pred = gold[:], pred[:]
    rng.shuffle(shuffled_gold)
    rng.shuffle(shuffled_pred)
    assert score_document(gold, pred, LABELS) == score_document(shuffled_gold, shuffled_pred, LABELS)


@settings(max_examples=100, deadline=None)
@given(docs=st.lists(st.tuples(spans, spans), min_size=1, max_size=6))
def test_documents_add(docs):
    total, per_doc = score_entities([g for g, _ in docs], [p for _, p in docs], LABELS)
    summed = score_document(*docs[0], LABELS)
    for g, p in docs[1:]:
        summed = summed + score_document(g, p, LABELS)
    assert total == summed
    assert per_doc.sum(axis=0).tolist() == [total.strict.tp, total.strict.fp, total.strict.fn]


# ---- reference checks on token-aligned spans from BIO ----------------------------------------------------
def _tokens(n: int):
    text = " ".join(f"ك{i}" for i in range(n))
    return tokenize(text)


def _spans_from_bio(sentences):
    out = []
    for tags in sentences:
        out.append(bio_to_spans(_tokens(len(tags)), tags))
    return out


tag_seqs = st.lists(st.lists(st.sampled_from(TAGS), min_size=1, max_size=12), min_size=1, max_size=5)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_strict_counts_equal_seqeval_default_mode(data):
    gold_tags = data.draw(tag_seqs)
    pred_tags = [data.draw(st.lists(st.sampled_from(TAGS), min_size=len(g), max_size=len(g))) for g in gold_tags]
    ours, _ = score_entities(_spans_from_bio(gold_tags), _spans_from_bio(pred_tags), LABELS)
    gold_set = set(get_entities(gold_tags))
    pred_set = set(get_entities(pred_tags))
    assert ours.strict == Counts(len(gold_set & pred_set), len(pred_set - gold_set), len(gold_set - pred_set))
    if gold_set or pred_set:
        report = classification_report(gold_tags, pred_tags, output_dict=True, zero_division=0)
        for label in LABELS:
            if label in report:
                c = ours.per_label[label]
                assert report[label]["support"] == c.tp + c.fn
                assert abs(report[label]["f1-score"] - (c.f1 or 0.0)) < 1e-12
        assert abs(report["micro avg"]["f1-score"] - (ours.strict.f1 or 0.0)) < 1e-12


def _conlleval_counts(gold_tags, pred_tags):
    """conlleval.pl's chunk counting (startOfChunk / endOfChunk and the inCorrect flag), transcribed."""
    def split(tag):
        return ("O", "") if tag == "O" else (tag[0], tag[2:])

    def end_of_chunk(prev, tag, prev_type, type_):
        return ((prev == "B" and tag in "BO") or (prev == "I" and tag in "BO")
                or (prev != "O" and prev_type != type_))

    def start_of_chunk(prev, tag, prev_type, type_):
        return ((tag == "B") or (prev == "O" and tag == "I")
                or (tag != "O" and prev_type != type_))

    correct_chunks = found_correct = found_guessed = 0
    for gold, pred in zip(gold_tags, pred_tags):
        in_correct = False
        last_c, last_ct, last_g, last_gt = "O", "", "O", ""
        for g_tag, p_tag in list(zip(gold, pred)) + [("O", "O")]:
            c, ct = split(g_tag)
            g, gt = split(p_tag)
            if in_correct:
                c_end = end_of_chunk(last_c, c, last_ct, ct)
                g_end = end_of_chunk(last_g, g, last_gt, gt)
                if c_end and g_end and last_gt == last_ct:
                    in_correct = False
                    correct_chunks += 1
                elif c_end != g_end or gt != ct:
                    in_correct = False
            c_start = start_of_chunk(last_c, c, last_ct, ct)
            g_start = start_of_chunk(last_g, g, last_gt, gt)
            if c_start and g_start and gt == ct:
                in_correct = True
            found_correct += c_start
            found_guessed += g_start
            last_c, last_ct, last_g, last_gt = c, ct, g, gt
    return correct_chunks, found_guessed, found_correct


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_strict_counts_equal_conlleval(data):
    gold_tags = data.draw(tag_seqs)
    pred_tags = [data.draw(st.lists(st.sampled_from(TAGS), min_size=len(g), max_size=len(g))) for g in gold_tags]
    ours, _ = score_entities(_spans_from_bio(gold_tags), _spans_from_bio(pred_tags), LABELS)
    correct, guessed, found = _conlleval_counts(gold_tags, pred_tags)
    assert (ours.strict.tp, ours.strict.tp + ours.strict.fp, ours.strict.tp + ours.strict.fn) == \
        (correct, guessed, found)


def _iob2(tags):
    out, prev = [], "O"
    for tag in tags:
        if tag.startswith("I-") and prev[2:] != tag[2:]:
            tag = "B-" + tag[2:]
        out.append(tag)
        prev = tag
    return out


def _one_to_one(gold_chunks, pred_chunks):
    def overlaps(a, b):
        return a[0] < b[1] and b[0] < a[1]
    return (all(sum(overlaps(g, p) for g in gold_chunks) <= 1 for p in pred_chunks)
            and all(sum(overlaps(g, p) for p in pred_chunks) <= 1 for g in gold_chunks))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(data=st.data())
def test_partial_views_equal_nervaluate_on_non_overlapping_spans(data):
    gold_tags = [_iob2(t) for t in data.draw(tag_seqs)]
    pred_tags = [_iob2(data.draw(st.lists(st.sampled_from(TAGS), min_size=len(g), max_size=len(g))))
                 for g in gold_tags]
    assume(all(_one_to_one(bio_entities(g), bio_entities(p)) for g, p in zip(gold_tags, pred_tags)))
    ours, _ = score_entities(_spans_from_bio(gold_tags), _spans_from_bio(pred_tags), LABELS)
    theirs = Evaluator(gold_tags, pred_tags, tags=list(LABELS), loader="list").evaluate()["overall"]
    for view in ("exact", "ent_type", "partial"):
        r = theirs[view]
        ours_view = getattr(ours, view)
        assert (ours_view.correct, ours_view.incorrect, ours_view.partial, ours_view.missed,
                ours_view.spurious) == (r.correct, r.incorrect, r.partial, r.missed, r.spurious), view
        c = ours_view.counts(0.5 if view == "partial" else 0.0)
        assert abs((c.precision or 0.0) - r.precision) < 1e-12 and abs((c.recall or 0.0) - r.recall) < 1e-12
