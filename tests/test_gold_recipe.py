"""The committed gold, and the gold of every earlier release, is exactly what its recipe makes from the
committed snapshots."""
from __future__ import annotations

from pathlib import Path

import pytest

from aqwal.cli import main

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "corpus" / "gold"
RECIPES = [GOLD, *sorted(p for p in GOLD.iterdir() if p.is_dir())]  # the current gold, then releases kept


def recipe(folder: Path) -> list[str]:
    lines = (folder / "recipe.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("folder", RECIPES, ids=lambda p: p.name)
def test_gold_is_rebuilt_byte_for_byte_from_the_snapshots(folder, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    args = recipe(folder)
    snapshots = [a for a in args if a.startswith("annotation/snapshots/")]
    assert snapshots and all((ROOT / s / "export.json").is_file() for s in snapshots)
    out = tmp_path / "gold.jsonl"
    assert main(["annotate", "adjudicate", *args, "--out", str(out), "--quiet"]) == 0
    assert out.read_bytes() == (folder / "gold.jsonl").read_bytes()
