"""Hypothesis strategies for annotated documents, non-BMP characters included."""
from __future__ import annotations

from hypothesis import strategies as st

from aqwal.corpus.model import AnnotationInfo, Document, Mention, Quote, Stance, Target
from aqwal.corpus.schema import (
    ENTITY_NAMES,
    QUOTE_KINDS,
    SCHEME_VERSION,
    SOURCE,
    SPEAKER_ENTITY_NAMES,
    STANCE_LABELS,
    STANCE_SLOTS,
)
from aqwal.corpus.spans import Span

# Arabic letters and marks, spaces, punctuation, emoji (one code point, and modifier / ZWJ sequences' parts),
# and other characters outside the Basic Multilingual Plane.
ALPHABET = list("قالوأكدإنالعراقبغدادمصطفىالكاظمي ،.\"«»:ًٌّ") + ["😀", "👍", "🏽", "\u200d", "👩", "𝔸", "𠀀", "\n"]
IDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789-_", min_size=1, max_size=10)


def _span(draw, text: str) -> Span:
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, min(len(text), start + 12)))
    return Span.of(text, start, end)


@st.composite
def documents(draw, *, annotator: str | None = None) -> Document:
    text = draw(st.text(alphabet=ALPHABET, min_size=3, max_size=60))
    target_ids = draw(st.lists(st.sampled_from(["t-forces", "t:gov", "t3", "هدف"]), unique=True,
                               max_size=STANCE_SLOTS))
    targets = tuple(Target(t, draw(st.text(alphabet=ALPHABET, min_size=1, max_size=15)).strip() or "x")
                    for t in target_ids)
    n_mentions = draw(st.integers(0, 6))
    n_quotes = draw(st.integers(0, 4))
    ids = draw(st.lists(IDS, min_size=n_mentions + n_quotes, max_size=n_mentions + n_quotes, unique=True))
    entities, sources, keys = [], [], set()
    for i in range(n_mentions):
        span = _span(draw, text)
        label = draw(st.sampled_from(ENTITY_NAMES + (SOURCE.name,)))
        if (span.start, span.end, label) in keys:
            continue
        keys.add((span.start, span.end, label))
        (sources if label == SOURCE.name else entities).append(Mention(ids[i], span, label))
    speakers = [m.id for m in entities if m.label in SPEAKER_ENTITY_NAMES] + [m.id for m in sources]
    quotes, quote_spans = [], set()
    for i in range(n_quotes):
        span = _span(draw, text)
        if (span.start, span.end) in quote_spans:
            continue
        quote_spans.add((span.start, span.end))
        cue = _span(draw, text) if draw(st.booleans()) else None
        speaker = draw(st.sampled_from(speakers)) if speakers and draw(st.booleans()) else None
        chosen = draw(st.permutations(target_ids))[:draw(st.integers(0, len(target_ids)))]
        stance = tuple(Stance(t, draw(st.sampled_from(STANCE_LABELS))) for t in chosen)
        quotes.append(Quote(ids[n_mentions + i], span, draw(st.sampled_from(QUOTE_KINDS)), cue, speaker, stance))
    who = annotator or draw(st.sampled_from(["ann1@example.org", "7"]))
    info = AnnotationInfo(who, "human", draw(st.sampled_from([None, "2026-01-05T10:00:00.000000Z"])),
                          scheme=SCHEME_VERSION)
    return Document.create(id=draw(IDS), text=text, source="seed", license="all-rights-reserved",
                           title=draw(st.sampled_from([None, "عنوان 😀"])), url=None, targets=targets,
                           provenance=draw(st.sampled_from([None, "seed/000_5dc3969279ada9b6.txt"])),
                           entities=tuple(entities), sources=tuple(sources), quotes=tuple(quotes),
                           annotations=(info,))
