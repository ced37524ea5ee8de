"""The dataset's ``Features``, derived from the scheme (corpus/schema.py): one definition per config kind.

``datasets`` is imported inside the functions: importing this module stays cheap.
"""
from __future__ import annotations

from aqwal.corpus.model import ANNOTATOR_KINDS
from aqwal.corpus.release.rows import METADATA_FIELDS
from aqwal.corpus.schema import ENTITY_NAMES, QUOTE_KINDS, STANCE_LABELS


def bio_names() -> list[str]:
    """The token view's tag names: O, then B-/I- for each entity label of the scheme."""
    return ["O"] + [f"{p}-{name}" for name in ENTITY_NAMES for p in ("B", "I")]


def document_features():
    """Features of a documents config (``cc-by``, ``non-commercial``, ``all``)."""
    from datasets import ClassLabel, Features, List, Value

    def span(**extra):
        return {"id": Value("string"), "start": Value("int32"), "end": Value("int32"), "text": Value("string"),
                **extra}

    return Features({
        "id": Value("string"),
        "title": Value("string"),
        "text": Value("string"),
        "metadata": {name: Value("string") for name in METADATA_FIELDS},
        "targets": List({"id": Value("string"), "text": Value("string")}),
        "entities": List(span(label=ClassLabel(names=list(ENTITY_NAMES)))),
        "sources": List(span()),
        "quotes": List(span(
            kind=ClassLabel(names=list(QUOTE_KINDS)),
            cue={"start": Value("int32"), "end": Value("int32"), "text": Value("string")},
            speaker=Value("string"),
            stance=List({"target": Value("string"), "label": ClassLabel(names=list(STANCE_LABELS))}),
        )),
        "annotations": List({
            "annotator": Value("string"), "kind": ClassLabel(names=list(ANNOTATOR_KINDS)),
            "created_at": Value("string"), "pre_annotation": Value("string"), "reviewed_by": List(Value("string")),
            "scheme": Value("string"), "round": Value("int32"),
        }),
    })


def token_features():
    """Features of the ``tokens`` config: one row per document, tokens with offsets and BIO tags."""
    from datasets import ClassLabel, Features, List, Value

    return Features({
        "id": Value("string"),
        "source": Value("string"),
        "license": Value("string"),
        "tokens": List(Value("string")),
        "token_starts": List(Value("int32")),
        "token_ends": List(Value("int32")),
        "ner_tags": List(ClassLabel(names=bio_names())),
        "misaligned": List({"start": Value("int32"), "end": Value("int32"), "text": Value("string"),
                            "label": ClassLabel(names=list(ENTITY_NAMES)), "reason": Value("string")}),
    })
