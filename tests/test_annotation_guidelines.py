"""The guidelines' worked example quotes the seed article as it is."""
from __future__ import annotations

import re
from pathlib import Path

from aqwal.corpus.paths import shared_data

GUIDELINES = Path(__file__).resolve().parents[1] / "annotation" / "guidelines.md"
SEED = shared_data() / "seed" / "000_5dc3969279ada9b6.txt"


def _worked_example_rows() -> list[list[str]]:
    section = GUIDELINES.read_text(encoding="utf-8").split("## 8.", 1)[1]
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in section.splitlines()
            if re.match(r"\|\s*\d+\s*\|", line)]
    assert len(rows) >= 5
    return rows


def test_guidelines_use_only_scheme_labels():
    from aqwal.corpus.schema import ENTITY_NAMES, QUOTE_KINDS, STANCE_LABELS
    for row in _worked_example_rows():
        _, _, kind, _, speaker, a, b = row
        assert kind in QUOTE_KINDS and a in STANCE_LABELS and b in STANCE_LABELS
        assert speaker.split()[0] in ENTITY_NAMES + ("SOURCE",)


def test_worked_example_quotes_are_in_the_seed_article():
    assert SEED.is_file(), f"the seed article is not at {SEED} (set AQWAL_SHARED_DATA)"
    seed = SEED.read_text(encoding="utf-8")
    for row in _worked_example_rows():
        content = row[1].replace("(headline)", "").strip()
        for part in content.split("..."):
            assert part.strip() in seed, part
        cue = row[3].split()[0]
        assert cue in seed
