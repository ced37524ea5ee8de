"""The release build end to end through the CLI: layout, determinism, offline loading, card, bad input."""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from aqwal.cli import main
from aqwal.corpus.jsonl import content_hash, read_documents, write_documents
from aqwal.corpus.release.configs import SPLITS
from aqwal.corpus.release.features import bio_names
from aqwal.corpus.release.load import documents_from_split, read_manifest
from aqwal.corpus.release.stats import statistics
from aqwal.corpus.tokens import bio_to_spans, tokenize

ROOT = Path(__file__).resolve().parents[1]
GOLD = Path(__file__).parent / "data" / "release_gold.jsonl"


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("rel") / "v1"
    assert main(["dataset", "build", "--gold", str(GOLD), "--out", str(out), "--version", "1.0.0"]) == 0
    return out


def test_golden_gold_file_matches_the_fixtures():
    from release_fixtures import gold_documents
    assert [d.to_dict() for d in read_documents(GOLD)] == [d.to_dict() for d in gold_documents()]


def test_layout(release: Path):
    files = sorted(p.relative_to(release).as_posix() for p in release.rglob("*") if p.is_file())
    expected = ["CHANGELOG.md", "README.md", "manifest.json"]
    expected += [f"conll/{s}.conll" for s in SPLITS]
    expected += [f"data/{c}/{s}-00000-of-00001.parquet" for c in ("cc-by", "non-commercial", "tokens") for s in SPLITS]
    assert files == sorted(expected)
    manifest = read_manifest(release)
    assert set(manifest["files"]) == set(expected) - {"manifest.json"}
    assert manifest["version"] == "1.0.0" and manifest["scheme_version"] == "1.0.0"
    assert list(release.parent.iterdir()) == [release]  # no temporary directory left behind


def test_two_builds_are_byte_identical_whatever_the_input_order(release: Path, tmp_path: Path):
    docs = read_documents(GOLD)
    random.Random(7).shuffle(docs)
    shuffled = write_documents(tmp_path / "shuffled.jsonl", docs) and tmp_path / "shuffled.jsonl"
    out = tmp_path / "again"
    env = dict(os.environ, PYTHONHASHSEED="123", TZ="Asia/Riyadh")
    subprocess.run([sys.executable, "-m", "aqwal", "dataset", "build", "--gold", str(shuffled), "--out", str(out),
                    "--version", "1.0.0"], cwd=ROOT, env=env, check=True, capture_output=True)
    for path in sorted(p for p in release.rglob("*") if p.is_file()):
        rel = path.relative_to(release)
        assert (out / rel).read_bytes() == path.read_bytes(), rel


def test_licence_configs_and_restricted_text(release: Path, tmp_path: Path):
    gold = {d.id: d for d in read_documents(GOLD)}
    cc = {d.id for s in SPLITS for d in documents_from_split(release, "cc-by", s)}
    nc = {d.id for s in SPLITS for d in documents_from_split(release, "non-commercial", s)}
    assert cc == {i for i, d in gold.items() if d.license == "cc-by-2.5"}
    assert nc == cc | {"snn-2015-07-21-3"}
    assert "seed-000" not in nc
    assert read_manifest(release)["excluded_documents"] == 1
    out = tmp_path / "private"
    assert main(["dataset", "build", "--gold", str(GOLD), "--out", str(out), "--include-restricted"]) == 0
    every = {d.id for s in SPLITS for d in documents_from_split(out, "all", s)}
    assert every == set(gold)
    assert "Private build" in (out / "README.md").read_text(encoding="utf-8")


def test_parquet_rows_round_trip_to_the_gold(release: Path):
    gold = {d.id: d for d in read_documents(GOLD)}
    manifest = read_manifest(release)
    seen = 0
    for split in SPLITS:
        for doc in documents_from_split(release, "non-commercial", split):
            assert doc == gold[doc.id]
            assert doc.to_dict() == gold[doc.id].to_dict()
            assert manifest["splits"][doc.id] == split
            seen += 1
    assert seen == 16


def test_load_dataset_offline_gives_the_built_features_and_counts(release: Path, tmp_path: Path):
    code = r"""
import json, sys
from datasets import load_dataset
from aqwal.corpus.release.features import document_features, token_features
from aqwal.corpus.release.rows import row_document
release = sys.argv[1]
out = {}
default = load_dataset(release)
out["default_features_ok"] = all(default[s].features == document_features() for s in default)
out["default_ids"] = {s: sorted(default[s]["id"]) for s in default}
for config, feats in (("cc-by", document_features()), ("non-commercial", document_features()),
                      ("tokens", token_features())):
    ds = load_dataset(release, config)
    out[config] = {s: len(ds[s]) for s in ds}
    out[config + "_features_ok"] = all(ds[s].features == feats for s in ds)
    if config == "non-commercial":
        out["docs"] = {s: [row_document(r).to_dict() for r in ds[s]] for s in ds}
print(json.dumps(out, ensure_ascii=False))
"""
    env = dict(os.environ, HF_HUB_OFFLINE="1", HF_HOME=str(tmp_path / "hf"), PYTHONPATH=str(ROOT))
    env.pop("HF_ENDPOINT", None)
    proc = subprocess.run([sys.executable, "-c", code, str(release)], env=env, capture_output=True, text=True,
                          cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    got = json.loads(proc.stdout)
    manifest = read_manifest(release)
    assert got["default_features_ok"] and got["cc-by_features_ok"] and got["tokens_features_ok"]
    assert got["non-commercial_features_ok"]
    for config in ("cc-by", "non-commercial", "tokens"):
        assert got[config] == {s: c["documents"] for s, c in manifest["configs"][config]["splits"].items()}
    # load_dataset(path) reads the config every command reads by default
    assert manifest["default_config"] == "non-commercial"
    assert got["default_ids"] == {s: sorted(d.id for d in documents_from_split(release, "non-commercial", s))
                                  for s in got["default_ids"]}
    assert sum(map(len, got["default_ids"].values())) > sum(got["cc-by"].values())
    gold = {d.id: d.to_dict() for d in read_documents(GOLD)}
    for split, docs in got["docs"].items():
        for d in docs:
            assert d == gold[d["id"]]
            assert manifest["splits"][d["id"]] == split


def test_token_view_and_conll(release: Path):
    import pyarrow.parquet as pq
    gold = {d.id: d for d in read_documents(GOLD)}
    names = bio_names()
    misaligned = {}
    conll_tokens = []
    for split in SPLITS:
        for row in pq.read_table(release / f"data/tokens/{split}-00000-of-00001.parquet").to_pylist():
            doc = gold[row["id"]]
            tokens = tokenize(doc.text)
            assert row["tokens"] == [t.text for t in tokens]
            assert [doc.text[s:e] for s, e in zip(row["token_starts"], row["token_ends"])] == row["tokens"]
            tags = [names[i] for i in row["ner_tags"]]
            tagged = set(bio_to_spans(tokens, tags))
            dropped = {(m["start"], m["end"]) for m in row["misaligned"]}
            expected = {(m.span.start, m.span.end, m.label) for m in doc.entities
                        if (m.span.start, m.span.end) not in dropped}
            assert tagged == expected  # every entity is tagged exactly or listed as misaligned
            for m in row["misaligned"]:
                misaligned[(row["id"], m["text"])] = m["reason"]
            conll_tokens += [f"{t}\t{g}" for t, g in zip(row["tokens"], tags)]
        lines = (release / f"conll/{split}.conll").read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("-DOCSTART-\t")
    assert misaligned == {("wn-021", "جامعة الدول العربية"): "boundary inside a token",
                          ("snn-2015-07-21-3", "الاطلسي"): "nested in or overlapping another span"}
    all_lines = [line for s in SPLITS for line in (release / f"conll/{s}.conll").read_text(encoding="utf-8")
                 .splitlines() if line and not line.startswith("-DOCSTART-")]
    assert sorted(all_lines) == sorted(conll_tokens)
    card = (release / "README.md").read_text(encoding="utf-8")
    assert "2 of them are not in the BIO tags" in card


def test_card_is_generated_from_the_data(release: Path):
    card = (release / "README.md").read_text(encoding="utf-8")
    front, body = card.split("\n---\n", 1)
    assert "language:\n- ar" in front and "pretty_name:" in front and "dataset_info:" in front
    assert "configs:" in front and "license:\n- cc-by-2.5\n- cc-by-nc-sa-4.0" in front
    manifest = read_manifest(release)
    assert manifest["content_hash"] in body
    nc = [d for s in SPLITS for d in documents_from_split(release, "non-commercial", s)]
    assert manifest["content_hash_per_config"]["non-commercial"] == content_hash(nc)
    train = documents_from_split(release, "cc-by", "train")
    st = statistics(train)
    section = body.split("### `cc-by`")[1].split("###")[0]
    assert f"| documents | {st['documents']} |" in section
    assert f"| entities GPE | {st['entities']['GPE']} |" in section
    assert f"| words | {st['words']:,} |" in section
    # provenance, stated from the AnnotationInfo records
    assert "- 1 document annotated by a system only (no person annotated them): machine output, from scratch, " \
           "without pre-annotations; not reviewed by a person." in body
    assert "- 1 document annotated by a person (one annotator's annotations, not adjudicated), starting from a " \
           "system's pre-annotations; reviewed by another person." in body
    assert "- 1 document annotated by people and adjudicated" in body
    assert "No inter-annotator agreement figures" in body
    assert "1 document of the gold whose text has no redistribution grant is left out" in body


def test_agreement_figures_reach_the_card(tmp_path: Path):
    measure = {"layer": "entities", "description": "F1, same start, end and label", "value": 0.8123,
               "interval": [0.75, 0.86]}
    block = {"documents": 5, "items": {"entities": 40}, "measures": {"entity_f1_strict": measure}}
    agreement = {"overall": block, "by_source": {"wikinews": block}, "pairs": {"a / b": 5}, "resamples": 1000,
                 "seed": 1, "level": 0.95, "match": "word IoU >= 0.5", "snapshots": ["b.a.x", "b.b.x"]}
    (tmp_path / "agr.json").write_text(json.dumps(agreement), encoding="utf-8")
    out = tmp_path / "rel"
    assert main(["dataset", "build", "--gold", str(GOLD), "--out", str(out), "--agreement",
                 str(tmp_path / "agr.json")]) == 0
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "| entities | F1, same start, end and label | 0.812 [0.750, 0.860] | 0.812 [0.750, 0.860] |" in card
    assert "5 documents annotated twice, independently (a / b: 5 documents)" in card
    (tmp_path / "bad.json").write_text(json.dumps({**agreement, "overall": {"documents": "five"}}))
    assert main(["dataset", "build", "--gold", str(GOLD), "--out", str(tmp_path / "r2"), "--agreement",
                 str(tmp_path / "bad.json")]) == 2
    assert not (tmp_path / "r2").exists()


def test_bad_gold_stops_the_build_with_every_problem_and_writes_nothing(tmp_path: Path, capsys):
    lines = GOLD.read_text(encoding="utf-8").splitlines()
    recs = [json.loads(x) for x in lines]
    wn028 = next(r for r in recs if r["id"] == "wn-028")
    wn021 = next(r for r in recs if r["id"] == "wn-021")
    wn044 = next(r for r in recs if r["id"] == "wn-044")
    wn028["entities"][0]["end"] += 1  # invalid span: offsets no longer match the text
    wn028["entities"][0]["text"] = wn028["text"][wn028["entities"][0]["start"]:wn028["entities"][0]["end"]] + "x"
    wn021["entities"][1]["label"] = "PERSON"  # unknown label
    wn044["quotes"][0]["speaker"] = "e99"  # dangling speaker
    recs.append(dict(recs[-2]))  # duplicate document id
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["dataset", "build", "--gold", str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "document 'wn-028', field entities[0]" in err
    assert "document 'wn-021', field entities[1].label: 'PERSON' is not one of" in err
    assert "document 'wn-044', field quotes[0].speaker: 'e99' does not exist" in err
    assert "field id: duplicate document id" in err
    assert err.count("(fix:") >= 4
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl"]


def test_an_existing_output_is_not_overwritten_unless_asked(release: Path, tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("x")
    assert main(["dataset", "build", "--gold", str(GOLD), "--out", str(out)]) == 2
    assert (out / "keep.txt").exists()
    assert main(["dataset", "build", "--gold", str(GOLD), "--out", str(out), "--overwrite", "--version",
                 "1.0.0"]) == 0
    assert not (out / "keep.txt").exists()
    assert (out / "manifest.json").read_bytes() == (release / "manifest.json").read_bytes()


def test_dataset_help_does_not_import_datasets():
    code = "import sys; from aqwal.cli import main\ntry:\n main(['dataset','build','--help'])\nexcept SystemExit: pass\n" \
           "import aqwal.corpus.release.build, aqwal.corpus.release.load, aqwal.corpus.release.push\n" \
           "print('datasets' in sys.modules, 'pyarrow' in sys.modules, 'huggingface_hub' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert proc.stdout.strip().splitlines()[-1] == "False False False"


def test_converting_in_chunks_gives_the_same_bytes(release: Path, tmp_path: Path):
    from aqwal.corpus.release.build import BuildOptions, build
    out = tmp_path / "chunked"
    build(BuildOptions(gold=GOLD, out=out, version="1.0.0", chunk=3))
    for path in sorted(p for p in release.rglob("*") if p.is_file()):
        rel = path.relative_to(release)
        assert (out / rel).read_bytes() == path.read_bytes(), rel


def test_manifest_matches_the_golden_file(release: Path):
    """Content hashes, counts and the split assignment of the fixture gold are pinned: a change to the
    canonical JSONL, the statistics or the split rule (which would move documents) shows up here."""
    golden = json.loads((Path(__file__).parent / "data" / "release_golden_manifest.json").read_text(encoding="utf-8"))
    manifest = read_manifest(release)
    assert {k: manifest[k] for k in golden} == golden


def test_every_licence_has_a_hub_identifier_and_an_external_corpus_builds(tmp_path: Path):
    from aqwal.corpus.licenses import LICENCES
    from aqwal.corpus.model import Document
    assert all(lic.hub for lic in LICENCES.values())
    text = "زار الرئيس بغداد أمس."
    doc = Document.create(id="anercorp-0001", text=text, source="anercorp", license="cc-by-sa-4.0")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(doc.to_dict(), ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["dataset", "build", "--gold", str(gold), "--out", str(tmp_path / "r")]) == 0
    card = (tmp_path / "r" / "README.md").read_text(encoding="utf-8")
    assert "- cc-by-sa-4.0" in card.split("---")[1]


def test_known_weaknesses_reach_the_card_and_a_missing_file_is_an_error(tmp_path: Path, capsys):
    notes = tmp_path / "limitations.md"
    notes.write_text("- Entity boundaries of the re-checked 0.1 documents follow an earlier wording.\n",
                     encoding="utf-8")
    out = tmp_path / "rel"
    assert main(["dataset", "build", "--gold", str(GOLD), "--out", str(out), "--limitations", str(notes)]) == 0
    card = (out / "README.md").read_text(encoding="utf-8")
    limits = card.split("## Limitations", 1)[1].split("## ", 1)[0]
    assert "- Entity boundaries of the re-checked 0.1 documents follow an earlier wording." in limits
    assert main(["dataset", "build", "--gold", str(GOLD), "--out", str(tmp_path / "r2"), "--limitations",
                 str(tmp_path / "none.md")]) == 2
    assert "none.md: cannot be read" in capsys.readouterr().err and not (tmp_path / "r2").exists()
