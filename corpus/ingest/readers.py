"""One reader per upstream source.  A reader yields, for every record it reads, either a ``Document``
(normalised text, content hash, licence, provenance) or a ``Skip`` naming the file, the record and why.

Whole-file problems (a corrupt zip, a file that is not UTF-8, a JSON line that does not parse) raise
``FormatError`` naming the file and place: the upstream files are fixed releases, so a broken one is a broken
copy to replace, and carrying on would renumber the SaudiNewsNet ids that follow it (see below).
Record problems (not an object, no text, a body too short to be an article) are ``Skip``s.
"""
from __future__ import annotations

import json
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aqwal.corpus.errors import FormatError, InvalidData
from aqwal.corpus.ingest.page import clean_page, clean_paragraphs
from aqwal.corpus.ingest.text import PARAGRAPH_BREAK, lines, normalise_text, word_count
from aqwal.corpus.jsonl import iter_json_lines
from aqwal.corpus.model import Document

# SaudiNewsNet bodies under this many words are failed extractions: the 276 such records hold only a
# name, an author line or a photo caption (e.g. aljazirah 'أحمد قطان'); 10-19 word bodies are real briefs.
MIN_BODY_WORDS = 10


@dataclass(frozen=True, slots=True)
class Skip:
    where: str  # file and record, e.g. "saudinewsnet/raw/2015-07-21.zip:2015-07-21.json[685]"
    id: str | None
    reason: str


Item = Document | Skip


def document_text(title: str, body: str) -> str:
    """Title, a paragraph break, body: the headline is part of the text, so its quotations can be marked."""
    return title + PARAGRAPH_BREAK + body if title else body


def _build(where: str, **fields: Any) -> Item:
    try:
        return Document.create(**fields)
    except InvalidData as err:
        return Skip(where, fields.get("id"), f"not a valid document: {err}")


# ---- the seed page --------------------------------------------------------------------------------------
def read_seed(path: Path, *, label: str | None = None) -> Iterator[Item]:
    """The seed article: an Elaph page saved as text, cleaned of its furniture (aqwal.corpus.ingest.page)."""
    label = label or path.name
    try:
        raw = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise FormatError(f"{label}: not UTF-8 ({err.reason} at byte {err.start}) (fix: re-save the file as "
                          "UTF-8)") from None
    except OSError as err:
        raise FormatError(f"{label}: cannot be read ({err.strerror}) (fix: check the path)") from None
    page = clean_page(raw, "elaph", where=label)
    yield _build(label, id=f"seed-{path.stem.split('_')[0]}", text=page.text, title=page.headline,
                 source="seed", license="all-rights-reserved", outlet="Elaph", provenance=label)


# ---- Wikinews (QCRI Farasa WikiNews) ----------------------------------------------------------------------
def read_wikinews(path: Path, *, label: str | None = None) -> Iterator[Item]:
    """``farasa-wikinews-000`` → ``wikinews-000``; the upstream id is kept as provenance."""
    label = label or path.name
    for line_no, record in iter_json_lines(path):
        where = f"{label}:{line_no}"
        if not isinstance(record, dict):
            yield Skip(where, None, f"not a JSON object but {type(record).__name__}")
            continue
        upstream = record.get("id")
        if not isinstance(upstream, str) or not upstream:
            yield Skip(where, None, "no id")
            continue
        doc_id = upstream.removeprefix("farasa-")
        title = normalise_text(_str(record.get("title")))
        body = normalise_text(_str(record.get("text")))
        if not body:
            yield Skip(f"{where} ({upstream})", doc_id, "no text")
            continue
        yield _build(f"{where} ({upstream})", id=doc_id, text=document_text(title, body), title=title or None,
                     source="wikinews", license="cc-by-2.5", outlet="Wikinews", category=record.get("category"),
                     provenance=f"{label}:{line_no} {upstream}")


# ---- SaudiNewsNet -------------------------------------------------------------------------------------
def saudinewsnet_document(record: Any, doc_id: str, where: str) -> Item:
    """One SaudiNewsNet article object (raw zips and the candidates file share its fields)."""
    if not isinstance(record, dict):
        return Skip(where, doc_id, f"not a JSON object but {type(record).__name__}")
    outlet = _str(record.get("source")) or None
    body = PARAGRAPH_BREAK.join(clean_paragraphs(lines(_str(record.get("content"))), outlet)[0])
    if not body:
        return Skip(where, doc_id, "no text (content empty, whitespace or only furniture)")
    if (n := word_count(body)) < MIN_BODY_WORDS:
        return Skip(where, doc_id, f"failed extraction: content of {n} word(s) ({body[:40]!r}), "
                    f"under {MIN_BODY_WORDS}")
    title = normalise_text(_str(record.get("title")))
    published = _str(record.get("date_extracted"))[:10] or None
    return _build(where, id=doc_id, text=document_text(title, body), title=title or None,
                  source="saudinewsnet", license="cc-by-nc-sa-4.0", outlet=outlet,
                  url=_str(record.get("url")) or None, published=published,
                  author=normalise_text(_str(record.get("author"))) or None, provenance=where)


def read_saudinewsnet_raw(folder: Path, *, label: str | None = None) -> Iterator[Item]:
    """The daily zips in name order, each holding one JSON array of articles.

    Ids follow the upstream candidates file: ``saudinewsnet-<zip date>-<n>`` where ``n`` counts articles
    over all zips in order (so ``candidates_with_quotes.jsonl.gz`` ids name the same articles).  One zip's
    array is parsed at a time: memory is bounded by the largest day (13 MB of JSON), not the corpus.
    """
    label = label or folder.name
    zips = sorted(folder.glob("*.zip"))
    if not zips:
        raise FormatError(f"{folder}: no .zip files (fix: point to SaudiNewsNet's raw folder)")
    number = 0
    for zip_path in zips:
        for member, articles in _zip_arrays(zip_path, f"{label}/{zip_path.name}"):
            for i, record in enumerate(articles):
                yield saudinewsnet_document(record, f"saudinewsnet-{zip_path.stem}-{number}",
                                            f"{label}/{zip_path.name}:{member}[{i}]")
                number += 1


def _zip_arrays(zip_path: Path, label: str) -> Iterator[tuple[str, list]]:
    try:
        archive = zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, OSError) as err:
        raise FormatError(f"{label}: not a readable zip ({err}) (fix: replace the file with an intact copy)") \
            from None
    with archive:
        members = sorted(n for n in archive.namelist() if n.endswith(".json"))
        if not members:
            raise FormatError(f"{label}: holds no .json file (fix: replace the file with an intact copy)")
        for member in members:
            try:
                data = archive.read(member)
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as err:  # bad CRC, bad deflate data
                raise FormatError(f"{label}:{member}: cannot be extracted ({err}) (fix: replace the zip with an "
                                  "intact copy)") from None
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as err:
                raise FormatError(f"{label}:{member}: not UTF-8 ({err.reason} at byte {err.start}) "
                                  "(fix: re-encode the file as UTF-8)") from None
            try:
                articles = json.loads(text)
            except json.JSONDecodeError as err:
                raise FormatError(f"{label}:{member}: not valid JSON ({err.msg} at line {err.lineno} column "
                                  f"{err.colno}) (fix: replace the zip with an intact copy)") from None
            if not isinstance(articles, list):
                raise FormatError(f"{label}:{member}: expected a JSON array of articles, got "
                                  f"{type(articles).__name__} (fix: use SaudiNewsNet's daily files)")
            yield member, articles
            del articles, text, data


def read_candidates(path: Path, *, label: str | None = None) -> Iterator[Item]:
    """The candidates file: a quotation-bearing subset of the raw zips with upstream ids (same numbering)."""
    label = label or path.name
    for line_no, record in iter_json_lines(path):
        where = f"{label}:{line_no}"
        doc_id = record.get("id") if isinstance(record, dict) else None
        if not isinstance(doc_id, str) or not doc_id:
            yield Skip(where, None, "no id" if isinstance(record, dict) else
                       f"not a JSON object but {type(record).__name__}")
            continue
        yield saudinewsnet_document(record, doc_id, where)


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


@dataclass(frozen=True, slots=True)
class SourceSpec:
    name: str
    relative: str  # path under the shared data folder
    reader: Callable[..., Iterator[Item]]


# The order is the de-duplication order: of two duplicates the earlier source's document is kept.
SOURCES: tuple[SourceSpec, ...] = (
    SourceSpec("seed", "seed/000_5dc3969279ada9b6.txt", read_seed),
    SourceSpec("wikinews", "wikinews/wikinews_articles.jsonl", read_wikinews),
    SourceSpec("saudinewsnet", "saudinewsnet/raw", read_saudinewsnet_raw),
    SourceSpec("candidates", "saudinewsnet/candidates_with_quotes.jsonl.gz", read_candidates),
)
SOURCE_NAMES = tuple(s.name for s in SOURCES)
