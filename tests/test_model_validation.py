"""The document model refuses invalid documents with a message naming the field; JSONL round trips."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aqwal.corpus.errors import FormatError, InvalidData
from aqwal.corpus.jsonl import read_documents, write_documents
from aqwal.corpus.model import Document, Mention, Quote, Stance, Target, sha256_text
from aqwal.corpus.spans import Span

TEXT = "قال الرئيس 🇮🇶 إن «العراق بخير» في بغداد 𝔸."


def _span(text: str, part: str) -> Span:
    start = text.index(part)
    return Span(start, start + len(part), part)


def good(**changes) -> dict:
    record = {"id": "d1", "text": TEXT, "sha256": sha256_text(TEXT), "source": "wikinews",
              "license": "cc-by-2.5", "targets": [{"id": "t1", "text": "العراق"}],
              "entities": [{"id": "e1", "label": "GPE", **_span(TEXT, "بغداد").to_dict()}],
              "sources": [{"id": "s1", **_span(TEXT, "الرئيس").to_dict()}],
              "quotes": [{"id": "q1", **_span(TEXT, "العراق بخير").to_dict(), "kind": "direct",
                          "cue": _span(TEXT, "قال").to_dict(), "speaker": "s1",
                          "stance": [{"target": "t1", "label": "favor"}]}]}
    record.update(changes)
    return record


def problems_of(record: dict) -> str:
    with pytest.raises(InvalidData) as err:
        Document.from_dict(record)
    return str(err.value)


def test_a_valid_document_builds_and_its_offsets_count_code_points():
    doc = Document.from_dict(good())
    # the flag before the spans is two code points (four UTF-16 units): offsets count code points
    ent = doc.entities[0]
    assert (ent.span.start, ent.span.end) == (34, 39) and doc.text[34:39] == "بغداد"
    utf16_start = len(TEXT[:34].encode("utf-16-le")) // 2
    assert utf16_start == 36
    with pytest.raises(InvalidData, match="entities"):  # the same span in UTF-16 units does not validate
        Document.from_dict(good(entities=[{"id": "e1", "label": "GPE", "start": utf16_start,
                                           "end": utf16_start + 5, "text": "بغداد"}]))


def test_offsets_past_the_end_are_refused():
    rec = good(entities=[{"id": "e1", "label": "GPE", "start": len(TEXT) - 1, "end": len(TEXT) + 1,
                          "text": TEXT[-1] + "x"}])
    assert "runs past the end" in problems_of(rec)


def test_offsets_in_utf16_units_after_an_emoji_are_refused():
    start = TEXT.index("بغداد")
    utf16_start = len(TEXT[:start].encode("utf-16-le")) // 2  # what a JavaScript client would send
    assert utf16_start != start
    rec = good(entities=[{"id": "e1", "label": "GPE", "start": utf16_start, "end": utf16_start + 5,
                          "text": "بغداد"}])
    msg = problems_of(rec)
    assert "entities[0]" in msg and "not 'بغداد'" in msg


def test_span_text_must_match_the_document():
    rec = good(entities=[{"id": "e1", "label": "GPE", **_span(TEXT, "بغداد").to_dict(), "text": "بغدان"}])
    assert "entities[0]" in problems_of(rec)


def test_span_length_must_equal_its_text():
    with pytest.raises(InvalidData, match="code points"):
        Span(0, 5, "قال")
    with pytest.raises(InvalidData, match="empty or negative"):
        Span(3, 3, "")


def test_unknown_label_is_refused():
    rec = good(entities=[{"id": "e1", "label": "CITY", **_span(TEXT, "بغداد").to_dict()}])
    msg = problems_of(rec)
    assert "entities[0].label" in msg and "'CITY' is not one of" in msg


def test_unknown_quote_kind_and_stance_label_are_refused():
    q = good()["quotes"][0]
    assert "quotes[0].kind" in problems_of(good(quotes=[{**q, "kind": "reported"}]))
    msg = problems_of(good(quotes=[{**q, "stance": [{"target": "t1", "label": "pro"}]}]))
    assert "quotes[0].stance[0].label" in msg


def test_dangling_speaker_is_refused():
    q = good()["quotes"][0]
    msg = problems_of(good(quotes=[{**q, "speaker": "e99"}]))
    assert "quotes[0].speaker" in msg and "does not exist" in msg


def test_speaker_must_be_a_person_like_entity_or_a_source():
    rec = good(entities=[{"id": "e1", "label": "DATE", **_span(TEXT, "بغداد").to_dict()}])
    rec["quotes"][0]["speaker"] = "e1"
    assert "is not a PER/ORG/GPE/NORP entity or a SOURCE" in problems_of(rec)


def test_unknown_stance_target_is_refused():
    q = good()["quotes"][0]
    msg = problems_of(good(quotes=[{**q, "stance": [{"target": "t9", "label": "against"}]}]))
    assert "quotes[0].stance[0].target" in msg and "'t9' is not a target" in msg


def test_hash_and_licence_are_checked():
    assert "sha256" in problems_of(good(sha256="0" * 64))
    assert "license" in problems_of(good(license="cc0"))


def test_problems_of_several_parts_are_reported_at_once():
    q = good()["quotes"][0]
    rec = good(entities=[{"id": "e1", "label": "CITY", **_span(TEXT, "بغداد").to_dict()}],
               quotes=[{**q, "kind": "reported"}])
    msg = problems_of(rec)
    assert "entities[0].label" in msg and "quotes[0].kind" in msg


def test_direct_construction_validates_too():
    with pytest.raises(InvalidData, match="quotes\\[0\\].speaker"):
        Document.create(id="d", text=TEXT, source="seed", license="all-rights-reserved",
                        quotes=(Quote("q1", _span(TEXT, "العراق بخير"), "direct", None, "nobody"),))
    with pytest.raises(InvalidData, match="label"):
        Mention("m1", _span(TEXT, "بغداد"), "PLACE")
    with pytest.raises(InvalidData, match="two stances"):
        Quote("q", _span(TEXT, "العراق"), "direct", None, None, (Stance("t", "favor"), Stance("t", "against")))
    with pytest.raises(InvalidData, match="text"):
        Target("t1", "")


def test_jsonl_names_file_and_line_of_a_bad_record(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps(good(), ensure_ascii=False) + "\n" +
                    json.dumps(good(id="d2", license="cc0"), ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(InvalidData) as err:
        read_documents(path)
    assert f"{path}:2 document 'd2'" in str(err.value)
    path.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(FormatError, match=":1: not valid JSON"):
        read_documents(path)


_texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=60)


@st.composite
def documents(draw) -> Document:
    text = draw(_texts)
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, len(text)))
    ents = (Mention("e1", Span.of(text, start, end), draw(st.sampled_from(["PER", "ORG", "GPE"]))),)
    quotes = (Quote("q1", Span.of(text, start, end), "indirect", None, "e1", (Stance("t1", "neutral"),)),)
    return Document.create(id=draw(st.text(min_size=1, max_size=8)), text=text, source="wikinews",
                           license="cc-by-2.5", title=draw(st.none() | _texts), targets=(Target("t1", "x"),),
                           entities=ents, quotes=quotes, provenance=draw(st.none() | _texts))


@settings(max_examples=60, deadline=None)
@given(st.lists(documents(), min_size=1, max_size=4, unique_by=lambda d: d.id))
def test_jsonl_round_trip(tmp_path_factory, docs):
    path = tmp_path_factory.mktemp("rt") / "docs.jsonl"
    write_documents(path, docs)
    assert read_documents(path) == docs
    gz = path.with_suffix(".jsonl.gz")
    write_documents(gz, docs)
    assert read_documents(gz) == docs
