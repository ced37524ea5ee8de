"""Documents → rows → Parquet → documents, for arbitrary documents (non-BMP text included)."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aqwal.corpus.errors import InvalidData
from aqwal.corpus.model import AnnotationInfo, Document, Mention, Quote, Stance, Target
from aqwal.corpus.release.agreement import load_agreement
from aqwal.corpus.release.rows import document_row, row_document
from aqwal.corpus.schema import ENTITY_NAMES, QUOTE_KINDS, SPEAKER_ENTITY_NAMES, STANCE_LABELS
from aqwal.corpus.spans import Span

ALPHABET = st.sampled_from(list("قال الوزير إن «العراق» 🇮🇶 😀 𝔸 ،.\n") + ["\u064e", "\u0651"])


@st.composite
def documents(draw) -> Document:
    text = draw(st.text(ALPHABET, min_size=1, max_size=60))
    n = len(text)

    def span():
        a = draw(st.integers(0, n - 1))
        b = draw(st.integers(a + 1, n))
        return Span.of(text, a, b)

    entities = tuple(Mention(f"e{i}", span(), draw(st.sampled_from(ENTITY_NAMES)))
                     for i in range(draw(st.integers(0, 4))))
    sources = tuple(Mention(f"s{i}", span(), "SOURCE") for i in range(draw(st.integers(0, 2))))
    targets = tuple(Target(f"t{i}", f"هدف {i}") for i in range(draw(st.integers(0, 2))))
    speakers = [m.id for m in entities if m.label in SPEAKER_ENTITY_NAMES] + [m.id for m in sources]
    quotes = tuple(Quote(f"q{i}", span(), draw(st.sampled_from(QUOTE_KINDS)),
                         span() if draw(st.booleans()) else None,
                         draw(st.sampled_from(speakers)) if speakers and draw(st.booleans()) else None,
                         tuple(Stance(t.id, draw(st.sampled_from(STANCE_LABELS))) for t in targets))
                   for i in range(draw(st.integers(0, 3))))
    infos = (AnnotationInfo("ann-1", "human", "2026-11-20T10:00:00Z", draw(st.sampled_from([None, "crf@1"])),
                            tuple(draw(st.lists(st.sampled_from(["ann-2", "ann-3"]), max_size=2, unique=True)))),)
    return Document.create(id=draw(st.text("abc-0123456789", min_size=1, max_size=8)), text=text,
                           source="wikinews", license="cc-by-2.5", title=draw(st.one_of(st.none(), st.just("عنوان"))),
                           published=draw(st.one_of(st.none(), st.just("2015-07-21"))), entities=entities,
                           sources=sources, targets=targets, quotes=quotes, annotations=infos)


@settings(max_examples=60, deadline=None)
@given(documents())
def test_row_round_trip(doc):
    row = document_row(doc)
    assert row_document(row) == doc
    assert row_document(json.loads(json.dumps(row))).to_dict() == doc.to_dict()


@settings(max_examples=15, deadline=None)
@given(st.lists(documents(), min_size=1, max_size=4, unique_by=lambda d: d.id))
def test_parquet_round_trip(tmp_path_factory, docs):
    from datasets import Dataset

    from aqwal.corpus.release.features import document_features
    from aqwal.corpus.release.load import documents_from_split

    root = tmp_path_factory.mktemp("pq")
    (root / "data" / "c").mkdir(parents=True)
    Dataset.from_list([document_row(d) for d in docs], features=document_features()).to_parquet(
        str(root / "data" / "c" / "train-00000-of-00001.parquet"))
    assert documents_from_split(root, "c", "train") == docs
    assert documents_from_split(root, "c", "test") == []


def test_unknown_label_in_a_row_is_rejected():
    doc = Document.create(id="d", text="قال الوزير", source="wikinews", license="cc-by-2.5",
                          entities=(Mention("e1", Span(4, 10, "الوزير"), "PER"),))
    row = document_row(doc)
    row["entities"][0]["label"] = 42
    with pytest.raises(InvalidData, match="entities\\[0\\].label"):
        row_document(row)


def test_agreement_shape_is_checked(tmp_path):
    path = tmp_path / "a.json"
    measure = {"layer": "stance", "description": "alpha", "value": "high"}
    block = {"documents": 3, "measures": {"stance_alpha": measure}}
    path.write_text(json.dumps({"overall": block, "by_source": {}, "pairs": {}, "resamples": 0, "seed": 1,
                                "level": 0.95, "match": "word IoU >= 0.5"}))
    with pytest.raises(InvalidData) as err:
        load_agreement(path)
    [problem] = err.value.problems
    assert problem.field.startswith("overall.measures") and problem.field.endswith(".value")
    good = {"documents": 3, "measures": {"stance_alpha": {**measure, "value": 0.5}}}
    path.write_text(json.dumps({"overall": {**good, "extra": 1}}))
    with pytest.raises(InvalidData) as err:
        load_agreement(path)
    assert "extra" in str(err.value)
