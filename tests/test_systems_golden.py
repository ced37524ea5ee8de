"""Each registered system's output on four Wikinews articles (CC BY 2.5), against a golden file per system;
trained systems are trained on the fixed documents of tests/systems_docs.py first.

Any change in a system's output must come with a new version in benchmark/systems/registry.toml
(leaderboard rows are keyed by system version).  After such a change, bump the version and regenerate:

    AQWAL_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_systems_golden.py

Regeneration refuses to record new output under the old version.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from systems_docs import TRAIN

from aqwal.benchmark.systems.protocol import DocumentView
from aqwal.benchmark.systems.registry import get
from aqwal.corpus.jsonl import iter_json_lines
from aqwal.corpus.paths import shared_data

GOLDEN = Path(__file__).parent / "data" / "systems"
SYSTEMS = ("rules", "crf", "learned")
ARTICLES = ("farasa-wikinews-002", "farasa-wikinews-009", "farasa-wikinews-017", "farasa-wikinews-021")


def current(name: str) -> dict:
    texts = {r["id"]: r["text"] for _, r in iter_json_lines(shared_data() / "wikinews" / "wikinews_articles.jsonl")
             if r["id"] in ARTICLES}
    entry = get(name)
    system = entry.make()
    if entry.trainable:
        system.fit(TRAIN)
    return {"version": system.version,
            "predictions": [system.predict(DocumentView(i, texts[i])) for i in ARTICLES]}


@pytest.mark.parametrize("name", SYSTEMS)
def test_output_is_unchanged_or_versioned(name):
    now = current(name)
    path = GOLDEN / f"{name}_wikinews.json"
    if os.environ.get("AQWAL_UPDATE_GOLDEN") == "1":
        old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
        assert old is None or old["predictions"] == now["predictions"] or old["version"] != now["version"], \
            f"the output changed: bump the {name} version in benchmark/systems/registry.toml first"
        path.write_text(json.dumps(now, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    golden = json.loads(path.read_text(encoding="utf-8"))
    assert golden["version"] == now["version"], f"regenerate the golden file for the new {name} version"
    assert [p["id"] for p in golden["predictions"]] == [p["id"] for p in now["predictions"]]
    for want, got in zip(golden["predictions"], now["predictions"]):
        assert got == want, f"{name} output changed on {want['id']} (see this module's docstring)"
    # the file is not empty of findings: each article has entities and at least one has quotations
    assert all(p["entities"] for p in golden["predictions"]) and any(p["quotes"] for p in golden["predictions"])
