"""Small gold documents for the release tests: real Arabic news text (Wikinews, SaudiNewsNet, the seed),
annotated here by hand.  Spans are located by their surface text so the offsets are right by construction."""
from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

from aqwal.corpus.model import AnnotationInfo, Document, Mention, Quote, Stance, Target
from aqwal.corpus.paths import shared_data
from aqwal.corpus.spans import Span


def _wikinews() -> dict[str, dict]:
    path = shared_data() / "wikinews" / "wikinews_articles.jsonl"
    return {r["id"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


def find(text: str, surface: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Span(start, start + len(surface), surface)


class Builder:
    """Collects mentions and quotes for one text; ids numbered in order of creation."""

    def __init__(self, text: str):
        self.text, self.entities, self.sources, self.quotes = text, [], [], []

    def ent(self, surface: str, label: str, nth: int = 0) -> str:
        mid = f"e{len(self.entities) + len(self.sources) + 1}"
        (self.sources if label == "SOURCE" else self.entities).append(Mention(mid, find(self.text, surface, nth), label))
        return mid

    def quote(self, surface: str, kind: str, cue: str | None, speaker: str | None, stance=(), nth: int = 0,
              cue_nth: int = 0) -> None:
        self.quotes.append(Quote(f"q{len(self.quotes) + 1}", find(self.text, surface, nth), kind,
                                 find(self.text, cue, cue_nth) if cue else None, speaker,
                                 tuple(Stance(t, lab) for t, lab in stance)))

    def doc(self, **fields) -> Document:
        return Document.create(text=self.text, entities=tuple(self.entities), sources=tuple(self.sources),
                               quotes=tuple(self.quotes), **fields)


HUMAN_PRE_REVIEWED = (AnnotationInfo("ann-01", "human", "2026-11-20T10:00:00Z", "crf-baseline@0.1", ("ann-02",)),)
HUMAN_ALONE = (AnnotationInfo("ann-02", "human", "2026-11-21T09:30:00Z"),)
SYSTEM_ONLY = (AnnotationInfo("crf-baseline@0.1", "system", "2026-11-19T08:00:00Z"),)
ADJUDICATED = (AnnotationInfo("ann-01", "human", "2026-11-20T11:00:00Z"),
               AnnotationInfo("ann-02", "human", "2026-11-20T12:00:00Z"),
               AnnotationInfo("adj-01", "adjudication", "2026-11-22T15:00:00Z"))

# surfaces tagged wherever they occur in the extra Wikinews documents
GAZETTEER = (("الأكاديمية البريطانية لفنون الفيلم والتلفزيون", "ORG"), ("لندن", "GPE"), ("هونغ كونغ", "GPE"),
             ("ويكيميديا", "ORG"), ("القدس", "GPE"), ("الجامعة العبرية", "ORG"), ("بنغلاديش", "GPE"),
             ("دكا", "GPE"), ("أحمد عصيد", "PER"), ("محمد عبادي", "PER"), ("عبد السلام ياسين", "PER"),
             ("بريطانيا", "GPE"), ("منظمة الصحة العالمية", "ORG"), ("المكسيك", "GPE"), ("الولايات المتحدة", "GPE"),
             ("16 فبراير 2014", "DATE"), ("الإسرائيليين", "NORP"), ("المغربي", "NORP"), ("ويكيمانيا", "EVENT"))


def _first_sentences(text: str, n: int = 2) -> str:
    parts = text.split(". ")
    return ". ".join(parts[:n]).rstrip(".") + "."


def gold_documents() -> list[Document]:
    wn = _wikinews()
    docs: list[Document] = []
    meta = {"source": "wikinews", "license": "cc-by-2.5", "outlet": "ar.wikinews.org"}

    r = wn["farasa-wikinews-028"]
    b = Builder(r["text"])
    b.ent("حركة العدل والمساواة", "ORG")
    b.ent("دارفور", "LOC")
    b.ent("السودان", "GPE")
    b.ent("الخرطوم", "GPE")
    khalil = b.ent("خليل إبراهيم", "PER")
    b.ent("الدوحة", "GPE")
    b.ent("أسوشيتد برس", "ORG")
    ibrahim = b.ent("إبراهيم", "PER", nth=1)
    b.quote("إن الحركة لن تتوجه إلى محادثات الدوحة إلا إذا سمحت الحكومة السودانية لمنظمات الإغاثة المطرودة "
            "بالعودة لممارسة نشاطها بالبلاد", "indirect", "قال", khalil, [("t-relief", "favor"), ("t-gov", "against")])
    b.quote("إن الحكومة تسببت في \" وضع مأساوي على الأرض \"", "mixed", "قوله", ibrahim,
            [("t-relief", "neutral"), ("t-gov", "against")])
    docs.append(b.doc(id="wn-028", title=r["title"], category=r["category"],
                      targets=(Target("t-relief", "عودة منظمات الإغاثة إلى دارفور"),
                               Target("t-gov", "الحكومة السودانية")),
                      annotations=HUMAN_PRE_REVIEWED, **meta))

    r = wn["farasa-wikinews-021"]
    b = Builder(_first_sentences(r["text"], 3))
    b.ent("ستافان دي ميستورا", "PER")
    b.ent("الأخضر الإبراهيمي", "PER")
    b.ent("لأمم المتحدة", "ORG")  # للأمم المتحدة: only the preposition's ل is dropped
    b.ent("سوريا", "GPE")
    b.ent("مجلس الأمن الدولي", "ORG")
    b.ent("الأمم المتحدة", "ORG", nth=1)
    b.ent("الإيطالي", "NORP")
    b.ent("الأربعاء", "DATE")
    b.ent("جامعة الدول العربية", "ORG")  # written وجامعة: does not align with the tokens
    diplomat = b.ent("دبلوماسي في المجلس", "SOURCE")
    b.quote("إن دي ميستورا سيمثل الأمم المتحدة", "indirect", "وقال", diplomat, [("t-envoy", "neutral")])
    docs.append(b.doc(id="wn-021", title=r["title"], category=r["category"],
                      targets=(Target("t-envoy", "تعيين دي ميستورا مبعوثا إلى سوريا"),), annotations=HUMAN_ALONE,
                      **meta))

    r = wn["farasa-wikinews-044"]
    b = Builder(_first_sentences(r["text"], 1))
    blatter = b.ent("سيب بلاتر", "PER")
    b.ent("الفيفا", "ORG")
    b.ent("قطر", "GPE")
    b.ent("السويسرية", "NORP")
    b.quote("خطأ", "direct", "صرح", blatter, [("t-qatar", "against")])
    docs.append(b.doc(id="wn-044", title=r["title"], category=r["category"],
                      targets=(Target("t-qatar", "استضافة قطر كأس العالم"),), annotations=SYSTEM_ONLY, **meta))

    extra = ("000", "001", "004", "006", "007", "009", "011", "014", "016", "017", "020", "022")
    for n in extra:
        r = wn[f"farasa-wikinews-{n}"]
        b = Builder(_first_sentences(r["text"], 2))
        for surface, label in GAZETTEER:
            m = re.search(rf"(?<!\w){re.escape(surface)}(?!\w)", b.text)
            start = m.start() if m else -1
            if start >= 0 and not any(m.span.overlaps(Span(start, start + len(surface), surface))
                                      for m in b.entities):
                b.entities.append(Mention(f"e{len(b.entities) + 1}", Span(start, start + len(surface), surface),
                                          label))
        docs.append(b.doc(id=f"wn-{n}", title=r["title"], category=r["category"], annotations=HUMAN_ALONE, **meta))

    docs.append(saudinewsnet_document())
    docs.append(seed_document())
    return docs


def saudinewsnet_document() -> Document:
    with gzip.open(shared_data() / "saudinewsnet" / "candidates_with_quotes.jsonl.gz", "rt", encoding="utf-8") as f:
        r = next(x for x in map(json.loads, f) if x["id"] == "saudinewsnet-2015-07-21-3")
    b = Builder(r["content"].split("\n\n")[0] + "\n\n" + r["content"].split("\n\n")[1].strip())
    officials = b.ent("مسؤولون أفغان", "SOURCE")
    b.ent("أفغان", "NORP")  # nested in the SOURCE span
    b.ent("حلف شمال الاطلسي", "ORG")
    b.ent("الاطلسي", "LOC")  # nested in the ORG: the token view reports it
    b.ent("أفغانستان", "GPE")
    b.ent("كابل", "GPE")
    b.quote("ان 14 جنديا أفغانيا قتلوا في حادث اطلاق \"نيران صديقة\"", "indirect", "قال", officials,
            [("t-nato", "against")])
    return b.doc(id="snn-2015-07-21-3", title=r["title"], source="saudinewsnet", outlet=r["source"], url=r["url"],
                 published="2015-07-21", author=r["author"], license="cc-by-nc-sa-4.0",
                 targets=(Target("t-nato", "الضربات الجوية لحلف شمال الأطلسي في أفغانستان"),),
                 annotations=ADJUDICATED)


def seed_document() -> Document:
    raw = (shared_data() / "seed" / "000_5dc3969279ada9b6.txt").read_text(encoding="utf-8")
    text = raw[raw.index("ايلاف من لندن"):].split("\n\n")[0]
    b = Builder(text)
    kadhimi = b.ent("مصطفى الكاظمي", "PER")
    b.ent("ايلاف", "ORG")
    b.ent("لندن", "GPE")
    b.quote("ان بلاده لم تعد بحاجة الى القوات الاجنبية", "indirect", "اكد", kadhimi, [("t-forces", "against")])
    return b.doc(id="seed-000", title="انطلاق جولة الحوار الاستراتيجي العراقي الاميركي", source="seed",
                 outlet="elaph", license="all-rights-reserved", published="2021-04-07",
                 targets=(Target("t-forces", "وجود القوات الأجنبية في العراق"),), annotations=HUMAN_PRE_REVIEWED)


def write_gold(path: Path, docs: list[Document] | None = None) -> Path:
    from aqwal.corpus.jsonl import write_documents
    write_documents(path, gold_documents() if docs is None else docs)
    return path


if __name__ == "__main__":  # regenerate the committed golden gold file
    write_gold(Path(__file__).parent / "data" / "release_gold.jsonl")
