"""A small Aqwal gold for the benchmark tests: entities (nested), quotations with cue and speaker, stance,
and characters outside the BMP before spans, so offsets must count code points."""
from __future__ import annotations

import json
from pathlib import Path

from aqwal.corpus.jsonl import write_documents
from aqwal.corpus.model import Document, Mention, Quote, Stance, Target
from aqwal.corpus.spans import Span

T1 = Target("t-troops", "وجود القوات الأجنبية في العراق")
T2 = Target("t-dialogue", "الحوار مع واشنطن")


def at(text: str, sub: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return Span.of(text, start, start + len(sub))


def documents() -> list[Document]:
    t1 = "قال رئيس الوزراء مصطفى الكاظمي 😀 إن «الحوار الاستراتيجي مع واشنطن ناجح». وأكد مصدر أمني أن القوات ستنسحب."
    d1 = Document.create(
        id="doc-1", text=t1, source="wikinews", license="cc-by-2.5", targets=(T1, T2),
        entities=(Mention("e1", at(t1, "مصطفى الكاظمي"), "PER"), Mention("e2", at(t1, "الحوار الاستراتيجي"), "EVENT"),
                  Mention("e3", at(t1, "واشنطن"), "GPE")),
        sources=(Mention("s1", at(t1, "مصدر أمني"), "SOURCE"),),
        quotes=(Quote("q1", at(t1, "الحوار الاستراتيجي مع واشنطن ناجح"), "direct", at(t1, "قال"), "e1",
                      (Stance("t-troops", "neutral"), Stance("t-dialogue", "favor"))),
                Quote("q2", at(t1, "القوات ستنسحب"), "indirect", at(t1, "أكد"), "s1",
                      (Stance("t-troops", "against"), Stance("t-dialogue", "neutral")))))
    t2 = "𝔸𝔹 زار الوزير فؤاد حسين جامعة بغداد أمس."
    d2 = Document.create(
        id="doc-2", text=t2, source="wikinews", license="cc-by-2.5",
        entities=(Mention("e1", at(t2, "فؤاد حسين"), "PER"), Mention("e2", at(t2, "جامعة بغداد"), "ORG"),
                  Mention("e3", at(t2, "بغداد"), "GPE"), Mention("e4", at(t2, "أمس"), "DATE")))
    t3 = "لا شيء هنا."
    d3 = Document.create(id="doc-3", text=t3, source="wikinews", license="cc-by-2.5", targets=(T1,))
    return [d1, d2, d3]


def write_gold(path: Path) -> Path:
    write_documents(path, documents())
    return path


def perfect_record(doc: Document, tasks=("entities", "quotes")) -> dict:
    record: dict = {"id": doc.id}
    if "entities" in tasks:
        record["entities"] = [{"start": m.span.start, "end": m.span.end, "label": m.label} for m in doc.entities]
    if "quotes" in tasks:
        record["quotes"] = [
            {"start": q.span.start, "end": q.span.end,
             "cue": {"start": q.cue.start, "end": q.cue.end} if q.cue else None,
             "speaker": {"start": doc.mention(q.speaker).span.start, "end": doc.mention(q.speaker).span.end}
             if q.speaker else None,
             "stance": [{"target": s.target, "label": s.label} for s in q.stance]} for q in doc.quotes]
    return record


def write_lines(path: Path, rows: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n"
                            for r in rows), encoding="utf-8")
    return path


ROOT_DIR = Path(__file__).resolve().parents[1]
