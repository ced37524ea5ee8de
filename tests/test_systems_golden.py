"""The rule-based baseline's output on four Wikinews articles (CC BY 2.5), against a golden file.

Any change in its output must come with a new ``rules`` version in benchmark/systems/registry.toml
(leaderboard rows are keyed by system version).  After such a change, bump the version and regenerate:

    AQWAL_UPDATE_GOLDEN=1 /work/venv/bin/python -m pytest tests/test_systems_golden.py

Regeneration refuses to record new output under the old version.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from aqwal.benchmark.systems.protocol import DocumentView
from aqwal.benchmark.systems.registry import get
from aqwal.corpus.jsonl import iter_json_lines
from aqwal.corpus.paths import shared_data

GOLDEN = Path(__file__).parent / "data" / "systems" / "rules_wikinews.json"
ARTICLES = ("farasa-wikinews-002", "farasa-wikinews-009", "farasa-wikinews-017", "farasa-wikinews-021")


def current() -> dict:
    texts = {r["id"]: r["text"] for _, r in iter_json_lines(shared_data() / "wikinews" / "wikinews_articles.jsonl")
             if r["id"] in ARTICLES}
    system = get("rules").make()
    return {"version": system.version,
            "predictions": [system.predict(DocumentView(i, texts[i])) for i in ARTICLES]}


def test_rules_output_is_unchanged_or_versioned():
    now = current()
    if os.environ.get("AQWAL_UPDATE_GOLDEN") == "1":
        old = json.loads(GOLDEN.read_text(encoding="utf-8")) if GOLDEN.exists() else None
        assert old is None or old["predictions"] == now["predictions"] or old["version"] != now["version"], \
            "the output changed: bump the rules version in benchmark/systems/registry.toml first"
        GOLDEN.write_text(json.dumps(now, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert golden["version"] == now["version"], "regenerate the golden file for the new rules version"
    assert [p["id"] for p in golden["predictions"]] == [p["id"] for p in now["predictions"]]
    for want, got in zip(golden["predictions"], now["predictions"]):
        assert got == want, f"rules output changed on {want['id']} (see this module's docstring)"
    # the file is not empty of findings: each article has entities and at least one has quotations
    assert all(p["entities"] for p in golden["predictions"]) and any(p["quotes"] for p in golden["predictions"])
