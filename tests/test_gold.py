"""The committed gold is what the release promises: every test document annotated twice, independently, and
adjudicated (then at most re-checked by the reviewer); a fifth or more of train and validation too; every
document in the split plan, no story in two splits; the card's agreement figures are what `aqwal agreement`
computes from the recipe's 0.2 passes."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from aqwal.cli import main
from aqwal.corpus.jsonl import read_documents
from aqwal.corpus.model import Document
from aqwal.corpus.splits import read_plan

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "corpus" / "gold"
ADJUDICATOR = "llm-adjudicator"
REVIEWER = "llm-reviewer"


@pytest.fixture(scope="module")
def gold() -> list[Document]:
    return read_documents(GOLD / "gold.jsonl")


def adjudicated_round(doc: Document) -> int | None:
    """The last round of ``doc`` that holds an adjudication."""
    rounds = [a.round for a in doc.annotations if a.kind == "adjudication" and a.round is not None]
    return max(rounds) if rounds else None


def doubly_annotated(doc: Document) -> bool:
    """Two annotators or more (not the adjudicator) in the document's last adjudicated round, and every later
    round a re-check by one annotator (a review of the adjudicated gold, never a new single annotation)."""
    r = adjudicated_round(doc)
    if r is None:
        return False
    current = [a for a in doc.annotations if a.round == r]
    annotators = {a.annotator for a in current if a.kind != "adjudication" and a.annotator != ADJUDICATOR}
    later = [a for a in doc.annotations if a.round is not None and a.round > r]
    return len(annotators) >= 2 and all(a.annotator == REVIEWER and a.kind != "adjudication" for a in later)


def test_every_test_document_is_doubly_annotated_and_adjudicated(gold):
    plan = read_plan()
    test = [d for d in gold if plan[d.id].split == "test"]
    assert len(test) >= 300
    single = [d.id for d in test if not doubly_annotated(d)]
    assert not single, single[:10]


def test_a_fifth_of_train_and_validation_is_doubly_annotated(gold):
    plan = read_plan()
    rest = [d for d in gold if plan[d.id].split != "test"]
    assert sum(doubly_annotated(d) for d in rest) >= 0.2 * len(rest)


def test_the_gold_follows_the_split_plan_and_no_story_straddles_splits(gold):
    plan = read_plan()
    assert all(d.id in plan for d in gold)
    splits_of_story: dict[str, set[str]] = {}
    for d in gold:
        splits_of_story.setdefault(plan[d.id].story, set()).add(plan[d.id].split)
    assert all(len(s) == 1 for s in splits_of_story.values())
    assert set(Counter(plan[d.id].split for d in gold)) == {"train", "validation", "test"}


def test_no_stance_target_holds_more_than_5_percent_of_stance_items(gold):
    items = Counter((" ".join(t.text.split()), s.label) for d in gold for q in d.quotes
                    for s in q.stance for t in d.targets if t.id == s.target)
    per_target = Counter()
    for (text, _), n in items.items():
        per_target[text] += n
    total = sum(per_target.values())
    assert len(per_target) >= 150
    assert max(per_target.values()) <= 0.05 * total, per_target.most_common(1)



def counts_row(name: str, docs: list[Document]) -> str:
    """A row of docs/gold.md's counts table, computed from the documents."""
    quotes = [q for d in docs for q in d.quotes]
    kinds = Counter(q.kind for q in quotes)
    stance = Counter(s.label for q in quotes for s in q.stance)
    cells = [name, len(docs), sum(len(d.text.split()) for d in docs), sum(len(d.entities) for d in docs),
             sum(len(d.sources) for d in docs),
             f"{len(quotes):,} ({kinds['direct']:,} / {kinds['indirect']:,} / {kinds['mixed']:,})",
             sum(q.cue is not None and q.speaker is not None for q in quotes),
             f"{sum(stance.values()):,} ({stance['favor']:,} / {stance['against']:,} / {stance['neutral']:,})",
             sum(doubly_annotated(d) for d in docs)]
    return "| " + " | ".join(f"{c:,}" if isinstance(c, int) else c for c in cells) + " |"


def test_the_documented_counts_are_those_of_the_committed_gold(gold):
    """docs/gold.md's counts table and README's totals, typed by hand after each gold change, say what the
    gold holds."""
    plan = read_plan()
    rows = [counts_row(source, [d for d in gold if d.source == source]) for source in sorted({d.source for d in gold})]
    rows += [counts_row(f"{split} split", [d for d in gold if plan[d.id].split == split])
             for split in ("train", "validation", "test")]
    rows.append(counts_row("**all**", gold))
    table = (ROOT / "docs" / "gold.md").read_text(encoding="utf-8")
    assert [r for r in rows if r not in table] == []
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    totals = [f"**{sum(len(d.entities) for d in gold):,} entities**",
              f"**{sum(len(d.quotes) for d in gold):,} quotations**",
              f"**{sum(len(q.stance) for d in gold for q in d.quotes):,} stance items**"]
    assert [t for t in totals if t not in readme] == []

def stage(recipe: Path, n: int) -> list[str]:
    """The snapshots of the recipe's ``n``-th ``--stage`` (1-based)."""
    args = [line.strip() for line in recipe.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    starts = [i for i, a in enumerate(args) if a == "--stage"] + [len(args)]
    return [a for a in args[starts[n - 1] + 1:starts[n]] if a.startswith("annotation/snapshots/")]


def test_the_cards_agreement_is_computed_from_the_recipes_snapshots(tmp_path, monkeypatch):
    """Release 0.2's passes are the recipe's second stage (make gold computes the agreement from them)."""
    monkeypatch.chdir(ROOT)
    out = tmp_path / "agreement.json"
    snapshots = stage(GOLD / "recipe.txt", 2)
    assert any(".b." in s for s in snapshots)
    assert main(["agreement", *snapshots, "--exclude", ADJUDICATOR, "--card", str(out)]) == 0
    assert out.read_bytes() == (GOLD / "agreement.json").read_bytes()
