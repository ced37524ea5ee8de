"""evaluate / leaderboard through the real command; the leaderboard page read back from a real browser."""
from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys

from bench_gold import ROOT_DIR, documents, perfect_record, write_gold, write_lines

from aqwal.cli import main
from aqwal.benchmark.gold import load_gold, load_gold_split
from aqwal.corpus.errors import ConfigError
from aqwal.corpus.jsonl import content_hash

DOCS = documents()


def _run_json(args, capsys) -> dict:
    assert main(args) == 0
    return json.loads(capsys.readouterr().out)


def test_evaluate_json_has_every_promised_key(tmp_path, capsys):
    gold = write_gold(tmp_path / "gold.jsonl")
    pred = write_lines(tmp_path / "pred.jsonl", [{"system": {"name": "oracle", "version": "1"}}]
                       + [perfect_record(d) for d in DOCS])
    r = _run_json(["evaluate", "--gold", str(gold), str(pred), "--json", "--resamples", "500"],
                  capsys)
    e, q, s = r["entities"], r["quotes"], r["stance"]
    assert {k: e["strict"][k] for k in ("tp", "fp", "fn", "precision", "recall", "f1")} == \
        {"tp": 7, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0, "f1": 1.0}
    for view in ("exact", "ent_type", "partial"):
        assert e[view]["f1"] == 1.0 and {"precision", "recall"} <= set(e[view])
    assert set(e["per_label"]["GPE"]["strict"]) == {"tp", "fp", "fn", "precision", "recall", "f1"}
    assert e["per_label"]["GPE"]["strict"]["tp"] == 2 and e["macro_f1"] == 1.0
    for key in ("content_strict", "content_overlap", "cue_strict", "end_to_end"):
        assert q[key]["f1"] == 1.0
    assert q["speaker_accuracy"]["accuracy"] == 1.0
    assert s["f_avg"] == 1.0 and s["macro_f1"] == 1.0 and s["accuracy"] == 1.0
    assert set(s["per_target"]) == {"t-troops", "t-dialogue"}
    meta = r["meta"]
    assert meta["scorer_version"] and meta["date"] and len(meta["dataset"]["content_hash"]) == 64
    assert "version" in meta["dataset"] and meta["system"] == {"name": "oracle", "version": "1"}
    assert e["headline"]["interval"] == [1.0, 1.0] and e["headline"]["resamples"] == 500


def test_sections_not_covered_are_absent(tmp_path, capsys):
    gold = write_gold(tmp_path / "gold.jsonl")
    ents = write_lines(tmp_path / "ner.jsonl", [perfect_record(d, ("entities",)) for d in DOCS])
    r = _run_json(["evaluate", "--gold", str(gold), str(ents), "--json", "--resamples", "100"],
                  capsys)
    assert "entities" in r and "quotes" not in r and "stance" not in r
    # stance on the gold quotations only: the header narrows the tasks
    stance = write_lines(tmp_path / "stance.jsonl", [{"system": {"name": "st", "tasks": ["stance"]}}]
                         + [perfect_record(d, ("quotes",)) for d in DOCS])
    r = _run_json(["evaluate", "--gold", str(gold), str(stance), "--json", "--resamples", "100"],
                  capsys)
    assert set(r) == {"meta", "stance"} and r["stance"]["f_avg"] == 1.0 and r["stance"]["on"] == "gold quotes"


def test_evaluate_prints_a_table_through_the_real_command(tmp_path):
    gold = write_gold(tmp_path / "gold.jsonl")
    pred = write_lines(tmp_path / "pred.jsonl", [perfect_record(d, ("entities",)) for d in DOCS])
    done = subprocess.run([sys.executable, "-m", "aqwal", "evaluate", "--gold", str(gold), str(pred), "--resamples",
                           "100"], cwd=ROOT_DIR, capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    header = next(line for line in lines if line.startswith("score"))
    assert header.split() == ["score", "P", "%", "R", "%", "F1", "%", "tp", "fp", "fn", "acc", "%", "correct",
                              "items"]
    row = next(line for line in lines if line.startswith("entities strict (headline)"))
    assert row.split()[3:] == ["100.0", "100.0", "100.0", "7", "0", "0"]  # percent, one decimal; counts
    assert "entities.strict.f1 = 100.0 %, 95% interval [100.0, 100.0] %" in done.stdout


def test_gold_from_a_release_built_by_the_real_command(tmp_path):
    gold = write_gold(tmp_path / "gold.jsonl")
    release = tmp_path / "release"
    assert main(["dataset", "build", "--gold", str(gold), "--out", str(release), "--version", "1.2.0"]) == 0
    by_split = {}
    for split in ("train", "validation", "test"):
        try:
            by_split[split] = load_gold_split(release, split)
        except ConfigError:  # a split the build left empty
            continue
    assert {version for _, version in by_split.values()} == {"1.2.0"}
    got = sorted((d for docs, _ in by_split.values() for d in docs), key=lambda d: d.id)
    assert got == sorted(DOCS, key=lambda d: d.id)
    split, (docs, _) = next(iter(by_split.items()))
    from_dir = load_gold(release, split=split)
    assert from_dir.version == "1.2.0" and from_dir.content_hash == content_hash(docs)


def _systems(tmp_path):
    paths = []
    for name, drop in (("oracle", 0), ("half", 1), ("none", 99)):
        rows = [{"system": {"name": name, "version": "1.0"}}]
        for d in DOCS:
            rec = perfect_record(d)
            rec["entities"] = rec["entities"][drop:] if drop < 99 else []
            rows.append(rec)
        paths.append(write_lines(tmp_path / f"{name}.jsonl", rows))
    return paths


def test_leaderboard_writes_every_file_with_provenance(tmp_path, capsys):
    gold = write_gold(tmp_path / "gold.jsonl")
    out = tmp_path / "board"
    code = main(["leaderboard", *map(str, _systems(tmp_path)), "--gold", str(gold), "--out", str(out),
                 "--resamples", "300"])
    assert code == 0
    printed = capsys.readouterr().out
    assert "entities strict F1" in printed and "oracle" in printed
    board = json.loads((out / "leaderboard.json").read_text())
    rows = board["tasks"]["entities"]["rows"]
    assert [r["system"] for r in rows] == ["oracle", "half", "none"]
    assert rows[0]["rank"] == 1 and rows[-1]["score"] == 0.0
    assert board["meta"]["dataset"]["content_hash"] and board["meta"]["scorer_version"]
    with open(out / "leaderboard.csv", newline="") as f:
        table = list(csv.DictReader(f))
    assert table[0]["system"] == "oracle" and table[0]["scorer_version"] and table[0]["date"]
    assert (out / "leaderboard.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "| 1 | oracle | 1.0 | 100.0 |" in (out / "leaderboard.md").read_text()


def test_two_submissions_with_one_name_are_refused(tmp_path, capsys):
    gold = write_gold(tmp_path / "gold.jsonl")
    a = _systems(tmp_path)[0]
    b = tmp_path / "copy.jsonl"
    shutil.copy(a, b)
    assert main(["leaderboard", str(a), str(b), "--gold", str(gold), "--out", str(tmp_path / "o")]) == 2
    assert "both 'oracle 1.0'" in capsys.readouterr().err


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_leaderboard_page_renders_in_a_real_browser(tmp_path):
    assert shutil.which("chromium"), "needs Debian's chromium: `make browser` installs it"
    from playwright.sync_api import sync_playwright
    gold = write_gold(tmp_path / "gold.jsonl")
    out = tmp_path / "board"
    assert main(["leaderboard", *map(str, _systems(tmp_path)), "--gold", str(gold), "--out", str(out),
                 "--resamples", "300"]) == 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page()
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto((out / "leaderboard.html").as_uri())
        rows = page.locator("#board-entities tbody tr")
        cells = [rows.nth(i).locator("td").all_inner_texts() for i in range(rows.count())]
        image_width = page.locator("img").evaluate("img => img.naturalWidth")
        browser.close()
    assert [c[1] for c in cells] == ["oracle", "half", "none"]
    assert cells[0][0] == "1" and cells[0][3] == "100.0" and cells[2][3] == "0.0"
    assert image_width > 100  # the embedded plot decoded
    assert all(u.startswith(("file:", "data:")) for u in requests)  # self-contained: nothing fetched


def test_systems_with_equal_scores_are_tied_and_share_a_rank(tmp_path, capsys):
    gold = write_gold(tmp_path / "gold.jsonl")
    a, half, _ = _systems(tmp_path)
    twin = write_lines(tmp_path / "twin.jsonl", [{"system": {"name": "twin", "version": "2"}}]
                       + [perfect_record(d) for d in DOCS])
    board = _run_json(["leaderboard", str(a), str(twin), str(half), "--gold", str(gold), "--out",
                       str(tmp_path / "b"), "--resamples", "300", "--json"], capsys)
    rows = {r["system"]: r for r in board["tasks"]["entities"]["rows"]}
    assert rows["oracle"]["rank"] == rows["twin"]["rank"] == 1
    assert "twin 2" in rows["oracle"]["tied_with"] and "oracle 1.0" in rows["twin"]["tied_with"]
    pair = next(p for p in board["tasks"]["entities"]["pairs"] if {p["a"], p["b"]} == {"oracle 1.0", "twin 2"})
    assert pair["p"] == 1.0 and not pair["significant"]
