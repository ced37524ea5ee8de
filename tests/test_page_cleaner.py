"""The page cleaner on the seed page (../shared) and on pages built here."""
from __future__ import annotations

import pytest

from aqwal.corpus.errors import FormatError
from aqwal.corpus.ingest.page import clean_page
from aqwal.corpus.paths import shared_data

SEED = shared_data() / "seed" / "000_5dc3969279ada9b6.txt"
HEADLINE = "الكاظمي: العراق لم يعد بحاجة الى القوات الاجنبية"
LEAD = "ايلاف من لندن: فيما انطلقت بعد ظهر الاربعاء الجولة الثالثة من الحوار الاستراتيجي"
FURNITURE = ["آخر تحديث", "مواضيع ذات صلة", "عدد التعليقات", "جميع التعليقات المنشورة",
             "شروط النشر", "لم يتم العثور على نتائج", "في أخبار", "انطلاق جولة الحوار الاستراتيجي"]


@pytest.fixture(scope="module")
def seed_page():
    return clean_page(SEED.read_text(encoding="utf-8"), "elaph", where=SEED.name)


def test_seed_text_begins_with_headline_and_lead(seed_page):
    assert seed_page.text.startswith(HEADLINE + "\n\n" + LEAD)
    assert seed_page.headline == HEADLINE


def test_seed_text_holds_no_furniture(seed_page):
    text = seed_page.text
    for piece in FURNITURE:
        assert piece not in text, piece
    lines = text.split("\n\n")
    for counter in ("65", "84", "60"):
        assert counter not in lines  # the share counters (60 also occurs inside the article, as "60 بالمائة")
    assert text.endswith("واوضح أن عدد القوات الاجنبية الموجودة حاليا في العراق لا يتجاوز 2500 عنصر.")


def test_seed_article_paragraphs_are_all_kept(seed_page):
    raw_lines = [ln.strip() for ln in SEED.read_text(encoding="utf-8").splitlines()]
    article = [ln for ln in raw_lines if len(ln.split()) >= 12 and not ln.startswith(("شروط", "جميع"))]
    kept = seed_page.body.split("\n\n")
    assert len(article) == 14  # lines 11-36 of the page, less the repeated kicker (line 21)
    assert kept == [" ".join(a.split()) for a in article]


def test_every_dropped_line_is_named_with_its_rule(seed_page):
    rules = {r.rule for r in seed_page.removed}
    assert rules == {"update stamp", "share counter", "related topics", "repeated headline or kicker",
                     "comment counter", "comment disclaimer", "empty search result", "publishing terms",
                     "section label"}
    assert [r.line for r in seed_page.removed if r.rule == "share counter"] == [6, 7, 8]
    assert seed_page.kicker == ("انطلاق جولة الحوار الاستراتيجي العراقي الاميركي",)


PARAGRAPH = "وقال الوزير في بيان صحافي اليوم إن الحكومة ماضية في تنفيذ خطتها لإعادة بناء المؤسسات كلها"


def _page(*lines: str) -> str:
    return "\n".join(lines)


def test_a_page_without_furniture_keeps_headline_and_body():
    page = clean_page(_page("عنوان الخبر", "", PARAGRAPH, "", "فقرة قصيرة"), "elaph")
    assert page.text == "عنوان الخبر\n\n" + PARAGRAPH + "\n\nفقرة قصيرة"
    assert page.removed == ()


def test_an_unknown_footer_line_stops_the_cleaner():
    raw = _page("عنوان", PARAGRAPH, "عدد التعليقات 3", "سطر لا تعرفه القواعد ابدا")
    with pytest.raises(FormatError, match=r"page:4: line .* matches no rule"):
        clean_page(raw, "elaph")


def test_a_page_without_article_or_headline_is_refused():
    with pytest.raises(FormatError, match="no article found"):
        clean_page(_page("عنوان", "65", "سطر قصير"), "elaph")
    with pytest.raises(FormatError, match="no headline"):
        clean_page(_page(": آخر تحديث", "84", PARAGRAPH), "elaph")


def test_outlet_furniture_inside_article_bodies():
    from aqwal.corpus.ingest.page import clean_paragraphs

    lead = "أكد نائب خادم الحرمين الشريفين أن المملكة ماضية في مكافحة الإرهاب"
    kept, fired = clean_paragraphs(["شارك من خلال تويتر فيسبوك جوجل بلس اكتب رأيك " + lead,
                                    "فقرة ثانية. للتواصل أرسل sms إلى 88548 الاتصالات تبدأ بالرمز 262 مسافة"],
                                   "okaz")
    assert kept == [lead, "فقرة ثانية."] and fired == ["share buttons", "SMS contact"]
    kept, fired = clean_paragraphs(["الرياض 25 شوال 1436 هـ واس", lead, "// انتهى //", "14:58 ت م"], "was")
    assert kept == ["الرياض 25 شوال 1436 هـ واس", lead] and fired == ["SPA end marker", "SPA time stamp"]
    kept, _ = clean_paragraphs(["a@b.comللتواصل مع الكاتب ارسل رسالة SMS تبدأ بالرمز (3)", "737221 - Zain"],
                               "almadina")
    assert kept == ["a@b.com"]
    assert clean_paragraphs([lead, "// انتهى //"], "sabq") == ([lead, "// انتهى //"], [])  # other outlets
