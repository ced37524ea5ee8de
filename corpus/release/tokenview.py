"""The token view of a document (tokens, offsets, BIO tags over its entities) and the CoNLL export.

Tags come from ``aqwal.corpus.tokens.spans_to_bio``: an entity whose boundary falls inside a token, or that
nests in or overlaps a longer one, is not tagged; it is listed in the row's ``misaligned`` and counted in
the card and the build report.  Nothing is rounded to token boundaries.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from aqwal.corpus.model import Document
from aqwal.corpus.tokens import spans_to_bio, tokenize

SENTENCE_END = frozenset({".", "؟", "?", "!"})


def token_row(doc: Document) -> dict:
    tokens = tokenize(doc.text)
    tags, misaligned = spans_to_bio(tokens, [(m.span.start, m.span.end, m.label) for m in doc.entities])
    return {
        "id": doc.id, "source": doc.source, "license": doc.license,
        "tokens": [t.text for t in tokens],
        "token_starts": [t.start for t in tokens],
        "token_ends": [t.end for t in tokens],
        "ner_tags": tags,
        "misaligned": [{"start": m.start, "end": m.end, "text": doc.text[m.start:m.end], "label": m.label,
                        "reason": m.reason} for m in misaligned],
    }


def misaligned_counts(rows: Iterable[dict]) -> Counter[str]:
    """Misaligned entities by reason."""
    return Counter(m["reason"] for row in rows for m in row["misaligned"])


def conll_lines(rows: Iterable[dict]) -> Iterable[str]:
    """CoNLL lines: ``-DOCSTART- <id>`` per document, ``token<TAB>tag`` per token, a blank line between
    sentences (after . ؟ ? ! unless an entity continues) and after each document."""
    for row in rows:
        yield f"-DOCSTART-\t{row['id']}"
        yield ""
        tags = row["ner_tags"]
        pending = False
        for i, (token, tag) in enumerate(zip(row["tokens"], tags)):
            yield f"{token}\t{tag}"
            pending = True
            nxt = tags[i + 1] if i + 1 < len(tags) else "O"
            if token in SENTENCE_END and not nxt.startswith("I-"):
                yield ""
                pending = False
        if pending:
            yield ""
