"""Small fixed gold documents for the systems tests, built from real Arabic news sentences (the seed
article and Wikinews), with annotations placed by their surface text."""
from __future__ import annotations

from aqwal.corpus.model import Document, Mention, Quote, Stance, Target
from aqwal.corpus.spans import Span


def at(text: str, surface: str, nth: int = 0) -> Span:
    """The span of the ``nth`` occurrence of ``surface`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Span(start, start + len(surface), surface)


def doc(doc_id: str, text: str, entities=(), quotes=(), targets=()) -> Document:
    """entities: (surface, label[, nth]); quotes: (content, cue, speaker entity index | None, {target: label})."""
    ents = tuple(Mention(f"e{i}", at(text, e[0], e[2] if len(e) > 2 else 0), e[1]) for i, e in enumerate(entities))
    qs = tuple(Quote(f"q{i}", at(text, content), "direct" if text[text.index(content) - 1] in "«\"" else "indirect",
                     at(text, cue) if cue else None, f"e{speaker}" if speaker is not None else None,
                     tuple(Stance(t, lab) for t, lab in stance.items()))
               for i, (content, cue, speaker, stance) in enumerate(quotes))
    return Document.create(id=doc_id, text=text, source="test", license="cc-by-2.5",
                           targets=tuple(Target(t, txt) for t, txt in targets), entities=ents, quotes=qs)


FOREIGN = ("t1", "وجود القوات الأجنبية في العراق")

TRAIN = [
    doc("tr1", "وقال الرئيس العراقي برهم صالح إن الحوار مع الولايات المتحدة مهم.",
        [("العراقي", "NORP"), ("برهم صالح", "PER"), ("الولايات المتحدة", "GPE")],
        [("الحوار مع الولايات المتحدة مهم", "قال", 1, {"t1": "favor"})], [FOREIGN]),
    doc("tr2", "وأكد رئيس الوزراء مصطفى الكاظمي أن العراق لم يعد بحاجة إلى القوات الأجنبية.",
        [("مصطفى الكاظمي", "PER"), ("العراق", "GPE")],
        [("العراق لم يعد بحاجة إلى القوات الأجنبية", "أكد", 0, {"t1": "against"})], [FOREIGN]),
    doc("tr3", "وقال وزير الخارجية فؤاد حسين في بغداد «العلاقات مع واشنطن مهمة وأساسية».",
        [("فؤاد حسين", "PER"), ("بغداد", "GPE"), ("واشنطن", "GPE")],
        [("العلاقات مع واشنطن مهمة وأساسية", "قال", 0, {"t1": "favor"})], [FOREIGN]),
    doc("tr4", "وأضاف الكاظمي أن القوات الأجنبية ستغادر العراق قريبا.",
        [("الكاظمي", "PER"), ("العراق", "GPE")],
        [("القوات الأجنبية ستغادر العراق قريبا", "أضاف", 0, {"t1": "against"})], [FOREIGN]),
    doc("tr5", "وأعلنت وزارة الخارجية العراقية يوم الأربعاء أن الجولة الثالثة من الحوار انطلقت في بغداد.",
        [("وزارة الخارجية العراقية", "ORG"), ("الأربعاء", "DATE"), ("بغداد", "GPE")],
        [("الجولة الثالثة من الحوار انطلقت في بغداد", "أعلنت", 0, {"t1": "neutral"})], [FOREIGN]),
    doc("tr6", "توفي صباح اليوم في دمشق الشاعر السوري سليمان العيسى عن عمر 92 سنة.",
        [("دمشق", "GPE"), ("السوري", "NORP"), ("سليمان العيسى", "PER")]),
]


def prediction_lines(path):
    """``(line, record)`` of a predictions file after its header line, which must name the system."""
    from aqwal.corpus.jsonl import iter_json_lines
    lines = list(iter_json_lines(path))
    assert lines and set(lines[0][1]) == {"system"}, lines[:1]
    return lines[1:]
