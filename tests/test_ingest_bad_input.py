"""Bad upstream files: a clear error naming the file and place, or a skip listed in the report.

Every test builds its shared-data folder in tmp_path and runs the real command (aqwal.cli.main).
"""
from __future__ import annotations

import gzip
import json
import zipfile
from pathlib import Path

from aqwal.cli import main

ARTICLE = ("قال وزير الخارجية في مؤتمر صحافي عقده اليوم في العاصمة إن بلاده ستواصل العمل مع شركائها "
           "من أجل إنهاء الأزمة، وأضاف أن \"الحل السياسي هو الطريق الوحيد\" أمام الجميع.")


def snn(content, title="عنوان", source="okaz", n=0) -> dict:
    return {"source": source, "url": f"http://example.com/{n}", "date_extracted": "2015-07-21 02:51:32",
            "title": title, "author": "", "content": content}


def write_zip(folder: Path, name: str, payload: bytes, member: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(member or name.replace(".zip", ".json"), payload)
    return path


def run(capsys, shared: Path, out: Path, sources: str) -> tuple[int, str, str]:
    code = main(["corpus", "ingest", "--shared", str(shared), "--out", str(out), "--sources", sources,
                 "--quiet", "--json"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def report(out: Path) -> dict:
    return json.loads((out / "ingest-report.json").read_text(encoding="utf-8"))


# ---- clear errors --------------------------------------------------------------------------------------
def test_corrupt_zip_is_a_clear_error(tmp_path, capsys):
    raw = tmp_path / "shared" / "saudinewsnet" / "raw"
    raw.mkdir(parents=True)
    (raw / "2015-07-21.zip").write_bytes(b"PK\x03\x04 this is not really a zip")
    code, _, err = run(capsys, tmp_path / "shared", tmp_path / "out", "saudinewsnet")
    assert code == 2
    assert "saudinewsnet/raw/2015-07-21.zip: not a readable zip" in err and "fix:" in err
    assert not (tmp_path / "out" / "documents.jsonl").exists()


def test_zip_with_damaged_data_is_a_clear_error(tmp_path, capsys):
    raw = tmp_path / "shared" / "saudinewsnet" / "raw"
    path = write_zip(raw, "2015-07-21.zip", json.dumps([snn(ARTICLE)] * 50, ensure_ascii=False).encode())
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 8] = b"\x00" * 8  # inside the compressed stream: a CRC or inflate error
    path.write_bytes(bytes(data))
    code, _, err = run(capsys, tmp_path / "shared", tmp_path / "out", "saudinewsnet")
    assert code == 2
    assert "2015-07-21.zip:2015-07-21.json: cannot be extracted" in err


def test_invalid_json_line_is_a_clear_error(tmp_path, capsys):
    wn = tmp_path / "shared" / "wikinews"
    wn.mkdir(parents=True)
    good = json.dumps({"id": "farasa-wikinews-000", "title": "عنوان", "text": ARTICLE}, ensure_ascii=False)
    (wn / "wikinews_articles.jsonl").write_text(good + "\n" + '{"id": "farasa-wikinews-001", "text": \n',
                                                encoding="utf-8")
    code, _, err = run(capsys, tmp_path / "shared", tmp_path / "out", "wikinews")
    assert code == 2
    assert "wikinews_articles.jsonl:2: not valid JSON" in err


def test_invalid_json_in_a_zip_is_a_clear_error(tmp_path, capsys):
    write_zip(tmp_path / "shared" / "saudinewsnet" / "raw", "2015-07-21.zip", b'[{"source": "okaz", ')
    code, _, err = run(capsys, tmp_path / "shared", tmp_path / "out", "saudinewsnet")
    assert code == 2
    assert "2015-07-21.zip:2015-07-21.json: not valid JSON" in err


def test_non_utf8_jsonl_is_a_clear_error(tmp_path, capsys):
    wn = tmp_path / "shared" / "wikinews"
    wn.mkdir(parents=True)
    line = json.dumps({"id": "farasa-wikinews-000", "title": "عنوان", "text": ARTICLE}, ensure_ascii=False)
    (wn / "wikinews_articles.jsonl").write_bytes(line.encode("cp1256") + b"\n")
    code, _, err = run(capsys, tmp_path / "shared", tmp_path / "out", "wikinews")
    assert code == 2
    assert "wikinews_articles.jsonl:1: not UTF-8" in err


def test_non_utf8_zip_member_is_a_clear_error(tmp_path, capsys):
    payload = json.dumps([snn(ARTICLE)], ensure_ascii=False).encode("cp1256")
    write_zip(tmp_path / "shared" / "saudinewsnet" / "raw", "2015-07-21.zip", payload)
    code, _, err = run(capsys, tmp_path / "shared", tmp_path / "out", "saudinewsnet")
    assert code == 2
    assert "2015-07-21.zip:2015-07-21.json: not UTF-8" in err


def test_non_utf8_seed_page_is_a_clear_error(tmp_path, capsys):
    seed = tmp_path / "shared" / "seed"
    seed.mkdir(parents=True)
    (seed / "000_5dc3969279ada9b6.txt").write_bytes(("عنوان\n" + ARTICLE).encode("cp1256"))
    code, _, err = run(capsys, tmp_path / "shared", tmp_path / "out", "seed")
    assert code == 2
    assert "seed/000_5dc3969279ada9b6.txt: not UTF-8" in err


def test_missing_source_and_unknown_source_are_clear_errors(tmp_path, capsys):
    code, _, err = run(capsys, tmp_path, tmp_path / "out", "wikinews")
    assert code == 2 and "wikinews/wikinews_articles.jsonl: missing" in err
    code, _, err = run(capsys, tmp_path, tmp_path / "out", "wikipedia")
    assert code == 2 and "unknown source(s) wikipedia" in err


# ---- counted skips --------------------------------------------------------------------------------------
def test_records_without_text_are_skipped_and_listed(tmp_path, capsys):
    shared = tmp_path / "shared"
    articles = [snn(ARTICLE, n=0), snn("  \n\xa0 ", n=1), {"source": "okaz", "url": "u", "title": "بلا نص"},
                "not an object", snn("أحمد قطان", n=4), snn(ARTICLE.replace("اليوم", "أمس"), n=5)]
    write_zip(shared / "saudinewsnet" / "raw", "2015-07-21.zip", json.dumps(articles, ensure_ascii=False).encode())
    write_zip(shared / "saudinewsnet" / "raw", "2015-07-22.zip", json.dumps([snn(ARTICLE + " جديد", n=6)],
                                                                             ensure_ascii=False).encode())
    wn = shared / "wikinews"
    wn.mkdir()
    (wn / "wikinews_articles.jsonl").write_text(
        json.dumps({"id": "farasa-wikinews-000", "title": "عنوان", "text": ""}, ensure_ascii=False) + "\n" +
        json.dumps({"id": "farasa-wikinews-001", "title": "خبر", "text": "نص خبر قصير عن الطقس."},
                   ensure_ascii=False) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, shared, tmp_path / "out", "wikinews,saudinewsnet")
    assert code == 0
    rep = report(tmp_path / "out")
    skipped = {(s["where"], s["reason"].split(" (")[0].split(":")[0]) for s in rep["skipped"]}
    zip_a = "saudinewsnet/raw/2015-07-21.zip:2015-07-21.json"
    assert skipped == {
        ("wikinews/wikinews_articles.jsonl:1 (farasa-wikinews-000)", "no text"),
        (f"{zip_a}[1]", "no text"),
        (f"{zip_a}[2]", "no text"),
        (f"{zip_a}[3]", "not a JSON object but str"),
        (f"{zip_a}[4]", "failed extraction"),
    }
    # the near-identical article [5] and the next day's copy are duplicates of [0], named with their record
    dups = {(d["where"], d["kind"], d["of"]) for d in rep["duplicates"]}
    assert dups == {(f"{zip_a}[5]", "near", "saudinewsnet-2015-07-21-0"),
                    ("saudinewsnet/raw/2015-07-22.zip:2015-07-22.json[0]", "near", "saudinewsnet-2015-07-21-0")}
    counts = rep["counts"]
    assert counts["saudinewsnet"] == {"read": 7, "ingested": 1, "skipped": 4, "exact_duplicates": 0,
                                      "near_duplicates": 2}
    assert counts["wikinews"]["read"] == 2 and counts["wikinews"]["ingested"] == 1
    ids = [json.loads(line)["id"] for line in (tmp_path / "out" / "documents.jsonl").open(encoding="utf-8")]
    assert ids == ["wikinews-001", "saudinewsnet-2015-07-21-0"]
    assert json.loads(out)["counts"]["total"]["read"] == 9


def test_exact_duplicate_across_sources_keeps_the_first(tmp_path, capsys):
    shared = tmp_path / "shared"
    write_zip(shared / "saudinewsnet" / "raw", "2015-07-21.zip",
              json.dumps([snn(ARTICLE, n=0), snn(ARTICLE, n=1)], ensure_ascii=False).encode())
    cand = shared / "saudinewsnet" / "candidates_with_quotes.jsonl.gz"
    with gzip.open(cand, "wt", encoding="utf-8") as f:
        f.write(json.dumps({"id": "saudinewsnet-2015-07-21-0", **snn(ARTICLE)}, ensure_ascii=False) + "\n")
    code, _, _ = run(capsys, shared, tmp_path / "out", "saudinewsnet,candidates")
    assert code == 0
    dups = [(d["where"], d["kind"], d["of"]) for d in report(tmp_path / "out")["duplicates"]]
    assert dups == [("saudinewsnet/raw/2015-07-21.zip:2015-07-21.json[1]", "exact", "saudinewsnet-2015-07-21-0"),
                    ("saudinewsnet/candidates_with_quotes.jsonl.gz:1", "exact", "saudinewsnet-2015-07-21-0")]


def test_a_different_text_under_a_kept_id_is_skipped(tmp_path, capsys):
    shared = tmp_path / "shared"
    write_zip(shared / "saudinewsnet" / "raw", "2015-07-21.zip", json.dumps([snn(ARTICLE)], ensure_ascii=False).encode())
    other = "نص مختلف تماما عن الخبر الأول يتحدث عن الطقس الحار في المدن الساحلية هذا الأسبوع كما توقعت الأرصاد"
    with gzip.open(shared / "saudinewsnet" / "candidates_with_quotes.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write(json.dumps({"id": "saudinewsnet-2015-07-21-0", **snn(other)}, ensure_ascii=False) + "\n")
    code, _, _ = run(capsys, shared, tmp_path / "out", "saudinewsnet,candidates")
    assert code == 0
    assert [(s["where"], s["reason"]) for s in report(tmp_path / "out")["skipped"]] == [
        ("saudinewsnet/candidates_with_quotes.jsonl.gz:1", "id already used by a different kept document")]
