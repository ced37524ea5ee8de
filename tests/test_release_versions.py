"""Splits, versions and the changelog: stable assignments, a planted change found by the diff."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from aqwal.cli import main
from aqwal.corpus.jsonl import read_documents, write_documents
from aqwal.corpus.model import Document, Mention, Quote, Stance
from aqwal.corpus.release.diff import Side, changelog_markdown, diff
from aqwal.corpus.release.load import read_manifest, release_side
from aqwal.corpus.release.splits import assign
from aqwal.corpus.spans import Span

GOLD = Path(__file__).parent / "data" / "release_gold.jsonl"


def _docs(n: int, source: str) -> list[Document]:
    return [Document.create(id=f"{source}-{i:04d}", text="قال الوزير", source=source, license="cc-by-2.5")
            for i in range(n)]


def test_splits_are_stratified_by_source():
    docs = _docs(200, "wikinews") + _docs(50, "saudinewsnet")
    a = assign(docs, plan={})
    counts = Counter((d.source, a[d.id]) for d in docs)
    assert (counts["wikinews", "train"], counts["wikinews", "validation"], counts["wikinews", "test"]) == (100, 28, 72)
    assert (counts["saudinewsnet", "train"], counts["saudinewsnet", "validation"],
            counts["saudinewsnet", "test"]) == (25, 7, 18)


@settings(max_examples=30, deadline=None)
@given(st.permutations(list(range(40))), st.integers(0, 40))
def test_splits_depend_on_ids_not_order_and_never_move(order, n_old):
    docs = _docs(40, "wikinews")
    shuffled = [docs[i] for i in order]
    assert assign(shuffled, plan={}) == assign(docs, plan={})
    old = assign(docs[:n_old], plan={})
    grown = assign(shuffled + _docs(10, "saudinewsnet"), previous=old, plan={})
    assert all(grown[i] == s for i, s in old.items())


def _plant(tmp_path: Path) -> Path:
    """The gold with planted changes: one entity relabelled, one removed, one added, a stance changed, a
    quote's speaker changed, a document removed and one added."""
    docs = {d.id: d for d in read_documents(GOLD)}
    d = docs["wn-028"]
    ents = list(d.entities)
    ents[1] = Mention(ents[1].id, ents[1].span, "GPE")  # دارفور LOC → GPE
    del ents[5]  # الدوحة removed
    ents.append(Mention("e50", Span.of(d.text, d.text.index("الحكومة السودانية"), d.text.index("الحكومة السودانية")
                                        + len("الحكومة السودانية")), "ORG"))
    q = d.quotes[0]
    quotes = (Quote(q.id, q.span, q.kind, q.cue, q.speaker, (Stance("t-relief", "favor"), Stance("t-gov", "neutral"))),
              d.quotes[1])
    docs["wn-028"] = Document(**{**{f: getattr(d, f) for f in d.__dataclass_fields__ if f != "_index"},
                                 "entities": tuple(ents), "quotes": quotes})
    del docs["wn-016"]
    new = Document.create(id="wn-new", text="قال الأمين العام للأمم المتحدة إن الوضع خطير.", source="wikinews",
                          license="cc-by-2.5")
    docs[new.id] = new
    return write_documents(tmp_path / "gold2.jsonl", docs.values()) and tmp_path / "gold2.jsonl"


def test_planted_change_is_in_the_changelog_and_splits_stay(tmp_path: Path, capsys):
    v1, v2 = tmp_path / "v1", tmp_path / "v2"
    assert main(["dataset", "build", "--gold", str(GOLD), "--out", str(v1), "--version", "1.0.0"]) == 0
    gold2 = _plant(tmp_path)
    assert main(["dataset", "build", "--gold", str(gold2), "--out", str(v2), "--previous", str(v1)]) == 0
    m1, m2 = read_manifest(v1), read_manifest(v2)
    assert m2["version"] == "1.1.0" and m2["previous_version"] == "1.0.0"  # documents changed: a minor step
    assert all(m2["splits"][i] == s for i, s in m1["splits"].items() if i in m2["splits"])
    log = (v2 / "CHANGELOG.md").read_text(encoding="utf-8")
    assert log.startswith("# Changelog\n\n## v1.1.0 (since v1.0.0)\n")
    assert "## v1.0.0\n\nFirst release: 16 documents." in log  # the older entry is kept
    assert f"- `wn-new` → {m2['splits']['wn-new']}" in log
    assert f"- `wn-016` (was {m1['splits']['wn-016']})" in log
    assert "#### `wn-028`" in log
    assert "- entity relabelled: [46, 52) «دارفور» LOC → GPE" in log
    assert "- entity removed: " in log and "«الدوحة» GPE" in log
    assert "«الحكومة السودانية» ORG" in log and "- entity added: " in log
    assert "stance toward t-gov: against → neutral" in log
    assert "Documents: 1 added, 1 removed, 0 moved between splits, 1 with changed annotations (4 changes in all)" in log
    capsys.readouterr()
    assert main(["dataset", "diff", str(v1), str(v2)]) == 0
    printed = capsys.readouterr().out
    assert printed.strip() in log
    assert main(["dataset", "diff", str(v1), str(v2), "--json"]) == 0
    change = json.loads(capsys.readouterr().out)
    assert change["bump"] == "minor" and [a["id"] for a in change["added"]] == ["wn-new"]
    assert sorted(change["changed"]) == ["wn-028"]
    # the same four changes counted per layer, in the JSON and as the changelog's table
    assert change["per_layer"] == {"entity": {"added": 1, "removed": 1, "changed": 1},
                                   "stance": {"added": 0, "removed": 0, "changed": 1}}
    assert "| entity | 1 | 1 | 1 |\n| stance | 0 | 0 | 1 |" in log
    # a version lower than the change needs is refused, nothing written
    assert main(["dataset", "build", "--gold", str(gold2), "--out", str(tmp_path / "v3"), "--previous", str(v1),
                 "--version", "1.0.1"]) == 2
    assert not (tmp_path / "v3").exists()


def test_unchanged_data_is_a_patch_and_moves_are_reported(tmp_path: Path):
    v1 = tmp_path / "v1"
    assert main(["dataset", "build", "--gold", str(GOLD), "--out", str(v1), "--version", "2.3.4"]) == 0
    v2 = tmp_path / "v2"
    assert main(["dataset", "build", "--gold", str(GOLD), "--out", str(v2), "--previous", str(v1)]) == 0
    assert read_manifest(v2)["version"] == "2.3.5"
    old = release_side(v1)
    moved_splits = dict(old.splits, **{"wn-028": "train" if old.splits["wn-028"] != "train" else "test"})
    change = diff(old, Side(old.documents, moved_splits, "2.4.0", old.scheme_version))
    assert change["moved"] == [{"id": "wn-028", "from": old.splits["wn-028"], "to": moved_splits["wn-028"]}]
    assert f"- `wn-028`: {old.splits['wn-028']} → {moved_splits['wn-028']}" in changelog_markdown(change)
    assert change["bump"] == "minor"


def test_diff_of_gold_files(tmp_path: Path, capsys):
    gold2 = _plant(tmp_path)
    assert main(["dataset", "diff", str(GOLD), str(gold2), "--json"]) == 0
    change = json.loads(capsys.readouterr().out)
    assert [a["id"] for a in change["added"]] == ["wn-new"] and [r["id"] for r in change["removed"]] == ["wn-016"]
    assert change["moved"] == []
