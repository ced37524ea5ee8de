"""The docs point at things that exist and tell users to run what any checkout has: no dead links, no paths
of one machine."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SCRIPTS = sorted((ROOT / "perf").glob("*.py"))
MACHINE_PATH = re.compile(r"(?<![\w.])/(?:work|root|home|Users)/")


def test_the_docs_are_found():
    assert len(DOCS) >= 8 and (ROOT / "docs" / "benchmark.md") in DOCS


def test_every_relative_link_and_named_doc_exists():
    dead = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if target.startswith(("http://", "https://", "mailto:", "#", "data:")):
                continue
            if not (doc.parent / target.split("#")[0]).exists():
                dead.append(f"{doc.relative_to(ROOT)}: ({target})")
        for named in re.findall(r"(?<![\w/.])(docs/[\w.-]+\.md)", text):
            if not (ROOT / named).exists():
                dead.append(f"{doc.relative_to(ROOT)}: {named}")
    assert not dead, dead


def test_no_doc_or_script_names_a_path_of_one_machine():
    found = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}" for p in DOCS + SCRIPTS
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if MACHINE_PATH.search(line)]
    assert not found, found
