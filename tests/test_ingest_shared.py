"""Ingestion of the real upstream files in ../shared (present in CI)."""
from __future__ import annotations

import gzip
import json

from aqwal.cli import main
from aqwal.corpus.ingest.readers import read_saudinewsnet_raw
from aqwal.corpus.jsonl import read_documents
from aqwal.corpus.model import Document
from aqwal.corpus.paths import shared_data

SHARED = shared_data()


def test_seed_and_wikinews_ingest(tmp_path, capsys):
    code = main(["corpus", "ingest", "--shared", str(SHARED), "--out", str(tmp_path), "--sources",
                 "seed,wikinews", "--quiet"])
    assert code == 0
    assert "seed" in capsys.readouterr().out
    docs = read_documents(tmp_path / "documents.jsonl")
    assert len(docs) == 75
    seed, wn = docs[0], docs[1:]
    assert (seed.id, seed.license, seed.outlet, seed.source) == ("seed-000", "all-rights-reserved", "Elaph", "seed")
    assert seed.text.startswith(seed.title + "\n\n")
    assert [d.id for d in wn] == [f"wikinews-{i:03d}" for i in range(74)]
    assert all(d.license == "cc-by-2.5" and d.text.startswith(d.title + "\n\n") for d in wn)
    assert wn[0].provenance == "wikinews/wikinews_articles.jsonl:1 farasa-wikinews-000"
    assert all("&quot;" not in d.text and "  " not in d.text and "\n\n\n" not in d.text for d in docs)


def test_raw_ids_name_the_same_articles_as_the_candidates_file(tmp_path):
    (tmp_path / "raw").mkdir()
    first = SHARED / "saudinewsnet" / "raw" / "2015-07-21.zip"
    (tmp_path / "raw" / first.name).symlink_to(first)
    raw = {d.id: d for d in read_saudinewsnet_raw(tmp_path / "raw") if isinstance(d, Document)}
    assert len(raw) > 2500
    matched = 0
    with gzip.open(SHARED / "saudinewsnet" / "candidates_with_quotes.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            cand = json.loads(line)
            if not cand["id"].startswith("saudinewsnet-2015-07-21-"):
                break
            doc = raw[cand["id"]]
            assert doc.url == cand["url"] and doc.outlet == cand["source"]
            assert doc.published == cand["date_extracted"][:10]
            matched += 1
    assert matched > 500


def test_the_pool_is_reproduced_from_the_upstream_files(tmp_path):
    """Ingesting ../shared/data and applying the pool rule (corpus/data/pool.toml) to the committed 0.1 pool
    gives the committed pool byte for byte: the extension is a function of the upstream files and the rule."""
    from aqwal.corpus.paths import CORPUS_DATA
    assert main(["corpus", "ingest", "--shared", str(SHARED), "--out", str(tmp_path / "ingest"), "--quiet"]) == 0
    for name in ("pool.jsonl", "pool-manifest.json"):
        (tmp_path / name).write_bytes((CORPUS_DATA / name).read_bytes())
    (tmp_path / "pool.jsonl").write_bytes(b"".join((CORPUS_DATA / "pool.jsonl").read_bytes()
                                                   .splitlines(keepends=True)[:475]))
    assert main(["corpus", "pool", "--documents", str(tmp_path / "ingest" / "documents.jsonl"),
                 "--out", str(tmp_path / "pool.jsonl")]) == 0
    assert (tmp_path / "pool.jsonl").read_bytes() == (CORPUS_DATA / "pool.jsonl").read_bytes()
    assert (tmp_path / "pool-manifest.json").read_bytes() == (CORPUS_DATA / "pool-manifest.json").read_bytes()
