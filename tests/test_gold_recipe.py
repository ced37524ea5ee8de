"""The committed gold is exactly what its recipe makes from the committed snapshots."""
from __future__ import annotations

from pathlib import Path

from aqwal.cli import main

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "corpus" / "gold"


def recipe() -> list[str]:
    lines = (GOLD / "recipe.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_gold_is_rebuilt_byte_for_byte_from_the_snapshots(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    args = recipe()
    snapshots = [a for a in args if a.startswith("annotation/snapshots/")]
    assert snapshots and all((ROOT / s / "export.json").is_file() for s in snapshots)
    out = tmp_path / "gold.jsonl"
    assert main(["annotate", "adjudicate", *args, "--out", str(out)]) == 0
    assert out.read_bytes() == (GOLD / "gold.jsonl").read_bytes()
