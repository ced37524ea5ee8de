"""Stream every source through normalisation and de-duplication into one documents file and a report."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from aqwal.corpus.errors import ConfigError
from aqwal.corpus.ingest.dedup import THRESHOLD, Deduplicator, IdTaken
from aqwal.corpus.ingest.readers import SOURCE_NAMES, SOURCES, Item, Skip
from aqwal.corpus.ingest.report import IngestReport
from aqwal.corpus.jsonl import write_documents
from aqwal.corpus.model import Document

DOCUMENTS_NAME = "documents.jsonl"  # ~100 MB for all sources; plain: gzip -9 cost a third of the time
REPORT_NAME = "ingest-report.json"


@dataclass(frozen=True, slots=True)
class IngestResult:
    documents: Path
    report_path: Path
    report: IngestReport
    written: int


def items(shared: Path, sources: Iterable[str]) -> Iterator[tuple[str, Item]]:
    wanted = list(sources)
    unknown = [s for s in wanted if s not in SOURCE_NAMES]
    if unknown:
        raise ConfigError(f"unknown source(s) {', '.join(unknown)} (fix: use {', '.join(SOURCE_NAMES)})")
    for spec in SOURCES:
        if spec.name not in wanted:
            continue
        path = shared / spec.relative
        if not path.exists():
            raise ConfigError(f"{path}: missing (fix: put the shared data beside the checkout, set "
                              f"AQWAL_SHARED_DATA, or leave {spec.name!r} out with --sources)")
        for item in spec.reader(path, label=spec.relative):
            yield spec.name, item


def deduplicated(stream: Iterable[tuple[str, Item]], report: IngestReport,
                 dedup: Deduplicator) -> Iterator[Document]:
    """The documents of ``stream`` that are new, in order; the report accounts for every item."""
    for source, item in stream:
        report.read(source)
        if isinstance(item, Skip):
            report.skip(source, item)
            continue
        try:
            dup = dedup.check(item.id, item.sha256, item.text)
        except IdTaken:
            report.skip(source, Skip(item.provenance or item.id, item.id,
                                     "id already used by a different kept document"))
            continue
        if dup is not None:
            report.duplicate(source, item.provenance or item.id, item.id, dup)
            continue
        report.ingested(source, item.outlet)
        yield item


def ingest(shared: Path, out_dir: Path, *, sources: Iterable[str] = SOURCE_NAMES, threshold: float = THRESHOLD,
           limit: int | None = None, progress: bool = False) -> IngestResult:
    """Write ``out_dir/documents.jsonl`` and ``out_dir/ingest-report.json``; ``limit`` caps records read."""
    report = IngestReport(str(shared), threshold)
    stream: Iterable[tuple[str, Item]] = items(shared, sources)
    if limit is not None:
        stream = islice(stream, limit)
    if progress:
        from aqwal.corpus.progress import bar
        stream = bar(stream, desc="ingest", unit=" records", mininterval=1.0)
    documents = out_dir / DOCUMENTS_NAME
    written = write_documents(documents, deduplicated(stream, report, Deduplicator(threshold)))
    report.check_balanced()
    report_path = out_dir / REPORT_NAME
    report.write(report_path)
    return IngestResult(documents, report_path, report, written)
