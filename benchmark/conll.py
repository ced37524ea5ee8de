"""CoNLL-style NER files → documents JSONL, with the text rebuilt and entities as character spans.

Reads what real files look like: UTF-8 with or without a BOM, LF or CRLF line ends, invisible direction
marks (U+200E/U+200F and the embedding/isolate controls) anywhere in a token, token and tag separated by a
tab or by spaces (with spaces, the tag is the last field and the token everything before it, so a token
that holds a space survives), IOB1 or IOB2 tags (decoded by ``aqwal.corpus.tokens.bio_entities``).  A blank
line ends a sentence; ``-DOCSTART-`` ends a document.  A file with no document markers is cut into
documents of ``doc_sentences`` sentences; ``period_breaks`` also ends a sentence after a run of "."
tokens (for files with no sentence breaks, such as the original flat ANERcorp).

The rebuilt text joins a sentence's tokens with one space and sentences with a newline; marks are
dropped from tokens (the text is new, so no stored offset moves).  A line whose token is empty once the
marks are gone is dropped and counted, unless its tag opens or continues an entity (then it is an error).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from aqwal.corpus.errors import FormatError, shown
from aqwal.corpus.jsonl import check_input_file, check_start, not_utf8
from aqwal.corpus.model import Document, Mention
from aqwal.corpus.schema import external_entity_labels
from aqwal.corpus.spans import Span
from aqwal.corpus.tokens import Token, bio_entities

MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_TAG = re.compile(r"^(O|[BI]-\S+)$")
_SPACED = re.compile(r"^(.*?)\s+(\S+)\s*$")  # the tag is the last field; the token may hold spaces
DOCSTART = "-DOCSTART-"


@dataclass
class ImportStats:
    documents: int = 0
    sentences: int = 0
    tokens: int = 0
    entities: Counter = field(default_factory=Counter)
    marks_removed: int = 0
    empty_tokens_dropped: int = 0
    crlf_lines: int = 0
    iob1_chunks: int = 0  # chunks opened by I- (IOB1 style, or a stray I-)

    def to_dict(self) -> dict:
        return {"documents": self.documents, "sentences": self.sentences, "tokens": self.tokens,
                "entities": dict(sorted(self.entities.items())), "entity_total": sum(self.entities.values()),
                "marks_removed": self.marks_removed, "empty_tokens_dropped": self.empty_tokens_dropped,
                "crlf_lines": self.crlf_lines, "iob1_chunks": self.iob1_chunks}


def _lines(path: Path):
    data = path.read_bytes()
    check_start(path, data[:4], gz=False, gz_readable=False, utf8_bom_ok=True)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for no, raw in enumerate(data.split(b"\n"), 1):
        try:
            yield no, raw.decode("utf-8")
        except UnicodeDecodeError as err:
            raise not_utf8(path, no, err) from None


def read_sentences(path: str | Path, *, period_breaks: bool = False, stats: ImportStats | None = None):
    """Yields ``None`` at a document marker, else one sentence: a list of (token, tag, line)."""
    path = Path(path)
    check_input_file(path, what="CoNLL file", if_empty="give a CoNLL file: one TOKEN TAG pair per line",
                     suffixes=(".txt", ".conll"))
    stats = stats if stats is not None else ImportStats()
    sentence: list[tuple[str, str, int]] = []
    for no, line in _lines(path):
        if line.endswith("\r"):
            stats.crlf_lines += 1
            line = line[:-1]
        stats.marks_removed += len(MARKS.findall(line))
        line = MARKS.sub("", line)
        if not line.strip():
            if sentence:
                yield sentence
                sentence = []
            continue
        if "\t" in line:
            cells = [c.strip() for c in line.split("\t")]
            token, tag = cells[0], cells[-1] if len(cells) > 1 else ""
        else:
            m = _SPACED.match(line)
            token, tag = (m.group(1).strip(), m.group(2)) if m else (line.strip(), "")
        if token == DOCSTART:
            if sentence:
                yield sentence
                sentence = []
            yield None
            continue
        if not _TAG.match(tag):
            raise FormatError(f"{path}:{no}: {shown(line.strip())} has no valid tag "
                              "(expected 'TOKEN<tab or space>TAG' "
                              "with TAG O, B-TYPE or I-TYPE) (fix: correct the line)")
        if not token:
            if tag != "O":
                raise FormatError(f"{path}:{no}: an empty token tagged {tag} (fix: give the token or tag it O)")
            stats.empty_tokens_dropped += 1
            continue
        sentence.append((token, tag, no))
        if period_breaks and set(token) == {"."}:
            continue  # decided when the next token arrives
        if period_breaks and len(sentence) > 1 and set(sentence[-2][0]) == {"."}:
            last = sentence.pop()
            yield sentence
            sentence = [last]
    if sentence:
        yield sentence


def import_conll(path: str | Path, *, source: str, license: str, doc_sentences: int = 1,
                 period_breaks: bool = False) -> tuple[list[Document], ImportStats]:
    """Documents rebuilt from a CoNLL file, and what was found on the way."""
    if doc_sentences < 1:
        raise FormatError(f"--doc-sentences must be at least 1, got {doc_sentences} (fix: give a positive number)")
    stats = ImportStats()
    groups: list[list[list[tuple[str, str, int]]]] = []
    current: list[list[tuple[str, str, int]]] = []
    marked = False
    for sentence in read_sentences(path, period_breaks=period_breaks, stats=stats):
        if sentence is None:
            marked = True
            if current:
                groups.append(current)
                current = []
            continue
        current.append(sentence)
        stats.sentences += 1
        stats.tokens += len(sentence)
        if not marked and len(current) >= doc_sentences:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    if not groups:
        raise FormatError(f"{path}: no tokens found (fix: check that this is a CoNLL file)")
    labels = sorted({tag[2:] for g in groups for s in g for _, tag, _ in s if tag != "O"}) or ["MISC"]
    docs = []
    with external_entity_labels(labels):
        for k, group in enumerate(groups, 1):
            docs.append(_document(f"{source}-{k:05d}", group, source, license, stats))
    stats.documents = len(docs)
    return docs, stats


def _document(doc_id: str, sentences, source: str, license: str, stats: ImportStats) -> Document:
    parts: list[str] = []
    mentions: list[Mention] = []
    offset = 0
    spans = []
    for s_no, sentence in enumerate(sentences):
        if s_no:
            parts.append("\n")
            offset += 1
        tokens = []
        for t_no, (token, _, _) in enumerate(sentence):
            if t_no:
                parts.append(" ")
                offset += 1
            tokens.append(Token(offset, offset + len(token), token))
            parts.append(token)
            offset += len(token)
        tags = [tag for _, tag, _ in sentence]
        for first, last, label in bio_entities(tags):
            if tags[first].startswith("I-"):
                stats.iob1_chunks += 1
            spans.append((tokens[first].start, tokens[last - 1].end, label))
    text = "".join(parts)
    for n, (start, end, label) in enumerate(spans, 1):
        mentions.append(Mention(f"e{n}", Span.of(text, start, end), label))
        stats.entities[label] += 1
    return Document.create(id=doc_id, text=text, source=source, license=license, entities=tuple(mentions))
