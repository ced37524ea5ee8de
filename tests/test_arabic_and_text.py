"""Matching normalisation (with its offset map) and the normalisation applied before storing."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from aqwal.corpus.arabic import normalise, normalise_with_offsets, original_span
from aqwal.corpus.ingest.text import normalise_text
from aqwal.corpus.reporting import quotation_marks, quoted_passages, reporting_verbs


def test_normalise_rules():
    assert normalise("أإآٱ") == "اااا"
    assert normalise("مستشفى") == "مستشفي"
    assert normalise("المدينة") == "المدينه"
    assert normalise("٢٠٢١ ۱۲") == "2021 12"
    assert normalise("الرَّئِيـــسُ") == normalise("الرئيس") == "الرييس"  # hamza carriers fold too
    assert normalise("مسؤول") == "مسوول" and normalise("هيئة") == "هييه"


def test_offset_map_points_back_into_the_original():
    text = "قالَ الرَّئيـــسُ إنّ ١٢٣ مُسْتَشفى 🇮🇶 في المدينةِ"
    norm, offsets = normalise_with_offsets(text)
    assert norm == normalise(text)
    i = norm.index("مستشفي")
    start, end = original_span(offsets, i, i + len("مستشفي"))
    assert text[start:end] == "مُسْتَشفى"
    i = norm.index("المدينه")
    start, end = original_span(offsets, i, i + len("المدينه"))
    assert text[start:end] == "المدينةِ"  # the trailing kasra belongs to the last letter


_arabic = st.text(st.sampled_from(list("قالرئيسأإآىةـًٌٍَُِّْ٠١٩ 🇮𝔸a")), min_size=1, max_size=40)


@given(_arabic, st.data())
def test_offset_map_property(text, data):
    norm, offsets = normalise_with_offsets(text)
    assert len(offsets) == len(norm) + 1 and offsets[-1] == len(text)
    if not norm:
        return
    start = data.draw(st.integers(0, len(norm) - 1))
    end = data.draw(st.integers(start + 1, len(norm)))
    a, b = original_span(offsets, start, end)
    assert normalise(text[a:b]) == norm[start:end]


def test_stored_text_normalisation():
    raw = "\u200fقال&quot;  نعم&quot;\xa0\xa0اليوم\t.\r\n\n\n \u202bفقرة\x1a\x1aتعليق صورة &#8220;x&#8221;  \n"
    assert normalise_text(raw) == "قال\" نعم\" اليوم .\n\nفقرة\n\nتعليق صورة “x”"
    assert normalise_text(" \n\xa0\n") == ""
    assert normalise_text("ألف\u200bباء") == "ألف باء"


def test_reporting_verbs_and_quotation_marks():
    text = "وقال الوزير: «سنرد»، وأضافت المتحدثة إن \"الوضع مستقر\" بين البلدين، مشيرا إلى ذلك."
    cues = reporting_verbs(text)
    assert [c.lemma for c in cues] == ["قال", "أضاف", "أشار"]  # بين (between) is not a verb form
    assert all(text[c.start:c.end] == c.text for c in cues)
    assert quotation_marks(text) == 4
    assert [text[a:b] for a, b in quoted_passages(text)] == ["«سنرد»", "\"الوضع مستقر\""]


def test_proclitic_stripping_is_one_implementation():
    from aqwal.corpus.arabic import bare, proclitic_cuts, proclitic_readings

    assert proclitic_cuts("وبيروت") == (2, 1)  # و+ب, or و alone
    assert proclitic_cuts("بيروت") == (1,) and proclitic_cuts("قال") == ()
    assert proclitic_cuts("وقال") == (1,) and proclitic_cuts("وقال", min_rest=4) == ()
    assert proclitic_readings("فلبنان") == [(0, "فلبنان"), (1, "لبنان"), (2, "بنان")]
    assert [bare(w) for w in ("والعراق", "للعراق", "بالمائه", "وقال", "والد", "العراق")] == \
        ["عراق", "عراق", "مائه", "وقال", "والد", "عراق"]
