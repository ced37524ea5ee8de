"""The token view: tokenizer offsets, spans -> BIO -> spans, conlleval-style decoding."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aqwal.corpus.tokens import Misaligned, bio_entities, bio_to_spans, spans_to_bio, tokenize

TEXT = "قال الكاظمي: «والعراق، وبيروت للأمم المتحدة» 😀 بالتعاون والد"


def test_tokens_cover_the_text_at_their_offsets():
    tokens = tokenize(TEXT)
    assert [t.text for t in tokens] == ["قال", "الكاظمي", ":", "«", "و", "العراق", "،", "وبيروت", "ل", "لأمم",
                                        "المتحدة", "»", "😀", "ب", "التعاون", "والد"]
    assert all(TEXT[t.start:t.end] == t.text for t in tokens)


def test_proclitic_on_a_name_without_article_is_reported_not_rounded():
    tokens = tokenize(TEXT)
    beirut = TEXT.index("بيروت")
    tags, misaligned = spans_to_bio(tokens, [(beirut, beirut + 5, "GPE"), (TEXT.index("العراق"),
                                                                          TEXT.index("العراق") + 6, "GPE")])
    assert misaligned == [Misaligned(beirut, beirut + 5, "GPE", "boundary inside a token")]
    assert tags.count("B-GPE") == 1 and "I-GPE" not in tags


def test_nested_span_is_reported_and_the_longer_one_tagged():
    tokens = tokenize(TEXT)
    org = (TEXT.index("لأمم"), TEXT.index("المتحدة") + 7, "ORG")
    inner = (TEXT.index("لأمم"), TEXT.index("لأمم") + 4, "MISC")
    tags, misaligned = spans_to_bio(tokens, [inner, org])
    assert [m.label for m in misaligned] == ["MISC"]
    assert bio_to_spans(tokens, tags) == [org]


def test_stray_inside_tag_opens_a_chunk_as_in_conlleval():
    assert bio_entities(["I-PER", "I-PER", "O", "B-LOC", "I-ORG", "I-ORG"]) == [
        (0, 2, "PER"), (3, 4, "LOC"), (4, 6, "ORG")]
    assert bio_entities(["B-PER", "B-PER"]) == [(0, 1, "PER"), (1, 2, "PER")]


words = st.lists(st.sampled_from(["قال", "العراق", "والعراق", "مصطفى", "،", "«", "»", "😀", "بغداد", "لل"
                                  "أمم", "2021", "إن"]), min_size=1, max_size=25)


@settings(max_examples=200, deadline=None)
@given(words, st.data())
def test_token_aligned_non_overlapping_spans_round_trip(ws, data):
    text = " ".join(ws)
    tokens = tokenize(text)
    # choose disjoint token ranges and labels
    cuts = sorted(data.draw(st.sets(st.integers(0, len(tokens)), max_size=8)))
    spans = []
    for a, b in zip(cuts[::2], cuts[1::2]):
        if a < b:
            spans.append((tokens[a].start, tokens[b - 1].end, data.draw(st.sampled_from(["PER", "GPE", "ORG"]))))
    tags, misaligned = spans_to_bio(tokens, spans)
    assert misaligned == []
    assert bio_to_spans(tokens, tags) == sorted(spans)
