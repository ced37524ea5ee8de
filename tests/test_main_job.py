"""The main job's steps through the real command: build a release, train and run every registered system,
rank them on the leaderboard (on the small hand-annotated fixture gold)."""
from __future__ import annotations

import json
from pathlib import Path

from aqwal.cli import main
from aqwal.benchmark.systems.registry import load_registry

GOLD = Path(__file__).parent / "data" / "release_gold.jsonl"


def test_release_baselines_leaderboard(tmp_path, capsys):
    release, runs, board = tmp_path / "release", tmp_path / "runs", tmp_path / "board"
    assert main(["dataset", "build", "--gold", str(GOLD), "--out", str(release), "--version", "0.0.1"]) == 0
    assert main(["systems", "baselines", "--gold", str(release), "--out", str(runs), "--quiet"]) == 0
    registry = load_registry()
    for name, entry in registry.items():
        header = json.loads((runs / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()[0])
        assert header["system"]["name"] == name and header["system"]["version"] == entry.version
    assert (runs / "models" / "crf" / "model.json").is_file()
    capsys.readouterr()
    assert main(["leaderboard", *sorted(str(p) for p in runs.glob("*.jsonl")), "--gold", str(release),
                 "--split", "test", "--out", str(board), "--resamples", "200"]) == 0
    printed = capsys.readouterr().out
    board_json = json.loads((board / "leaderboard.json").read_text(encoding="utf-8"))
    assert board_json["meta"]["dataset"]["version"] == "0.0.1"
    run_meta = json.loads((runs / "rules.meta.json").read_text(encoding="utf-8"))
    assert run_meta["gold"]["content_hash"] == board_json["meta"]["dataset"]["content_hash"]  # one gold, one hash
    ranked = {t: {r["system"] for r in task["rows"]} for t, task in board_json["tasks"].items()}
    full = {n for n, e in registry.items() if e.mode == "full"}
    assert ranked["entities"] == full and ranked["quotes"] == full
    # systems given the gold quotations are ranked apart from those that find them
    given = {n for n, e in registry.items() if e.mode == "stance"}
    assert "majority" in given and ranked["stance_given_gold_quotes"] == given
    assert not ranked["stance"] & given
    assert board_json["meta"]["dataset"]["config"] == "non-commercial"
    assert board_json["meta"]["dataset"]["content_hash"] == \
        json.loads((release / "manifest.json").read_text())["content_hash_per_split"]["non-commercial"]["test"]
    empty = next(r for r in board_json["tasks"]["entities"]["rows"] if r["system"] == "empty")
    assert empty["score"] == 0.0 and "entities strict F1" in printed
    assert all((board / f"leaderboard.{ext}").stat().st_size > 0 for ext in ("md", "json", "csv", "html", "png"))
