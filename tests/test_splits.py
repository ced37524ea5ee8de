"""The split rule: stories stay together, fixed splits are kept, strata get their shares; and the committed
plan gives every pool document a split with no story in two splits and 0.1's test documents still in test."""
from __future__ import annotations

from collections import Counter

import pytest

from aqwal.corpus.errors import InvalidData
from aqwal.corpus.jsonl import read_documents
from aqwal.corpus.model import Document
from aqwal.corpus.paths import CORPUS_DATA
from aqwal.corpus.splits import RATIOS, SPLITS, Assignment, assign, extend_plan, read_plan, stories

# release 0.1.0's test split (its manifest): these stay in test for good
TEST_0_1 = {"wikinews-049", "wikinews-007", "wikinews-053", "wikinews-038", "wikinews-052", "wikinews-066",
            "wikinews-011", "saudinewsnet-2015-07-24-8324", "saudinewsnet-2015-07-25-9846",
            "saudinewsnet-2015-07-24-7954", "saudinewsnet-2015-08-07-24634", "saudinewsnet-2015-07-31-14127",
            "saudinewsnet-2015-07-25-9052", "saudinewsnet-2015-08-06-22887", "saudinewsnet-2015-07-25-8430"}

STORY = ("أعلنت وزارة الداخلية السعودية اليوم القبض على خلية إرهابية في الرياض تضم عشرة أشخاص كانوا يخططون "
         "لتنفيذ هجمات على منشآت حكومية ومساجد في المنطقة الشرقية وقال المتحدث الأمني إن التحقيقات مستمرة "
         "وإن الأجهزة الأمنية ضبطت أسلحة ومتفجرات في مواقع متفرقة من العاصمة")


def doc(i: int, text: str, outlet: str = "okaz", source: str = "saudinewsnet") -> Document:
    return Document.create(id=f"{source}-{i:04d}", text=text, source=source, outlet=outlet,
                           license="cc-by-nc-sa-4.0")


def unrelated(i: int) -> str:
    return " ".join(f"كلمة{i}x{j}" for j in range(40))


def test_near_copies_are_one_story_and_share_a_split():
    docs = [doc(i, unrelated(i)) for i in range(30)]
    docs += [doc(100, STORY), doc(101, STORY + " وأضاف أن المتهمين سيحالون إلى المحكمة")]
    story_of = stories(docs)
    assert story_of["saudinewsnet-0101"] == story_of["saudinewsnet-0100"] == "saudinewsnet-0100"
    assert len(set(story_of.values())) == 31
    out = assign(docs, story_of=story_of)
    assert out["saudinewsnet-0100"].split == out["saudinewsnet-0101"].split
    # a planned document pulls a new copy of its story into its split
    plan = {"saudinewsnet-0100": Assignment("test", "saudinewsnet-0100")}
    grown = extend_plan(docs, plan)
    assert grown["saudinewsnet-0101"] == Assignment("test", "saudinewsnet-0100")


def test_strata_get_their_shares_and_fixed_splits_stay():
    docs = [doc(i, unrelated(i), outlet="okaz") for i in range(100)]
    docs += [doc(200 + i, unrelated(200 + i), outlet="sabq") for i in range(50)]
    out = assign(docs)
    for outlet, n in (("okaz", 100), ("sabq", 50)):
        counts = Counter(out[d.id].split for d in docs if d.outlet == outlet)
        for split in SPLITS:
            assert abs(counts[split] - RATIOS[split] * n) <= 1, (outlet, split, counts)
    fixed = {d.id: "test" for d in docs[:20]}
    again = assign(list(reversed(docs)), fixed)
    assert all(again[i].split == "test" for i in fixed)
    # the documents still free fill the strata toward their shares
    counts = Counter(again[d.id].split for d in docs if d.outlet == "okaz")
    assert abs(counts["test"] - RATIOS["test"] * 100) <= 1 + 20 * (1 - RATIOS["test"])


def test_a_story_fixed_in_two_splits_is_refused():
    docs = [doc(1, STORY), doc(2, STORY + " وأضاف")]
    with pytest.raises(InvalidData) as err:
        assign(docs, {"saudinewsnet-0001": "train", "saudinewsnet-0002": "test"},
               story_of={"saudinewsnet-0001": "s", "saudinewsnet-0002": "s"})
    assert "a story stays in one split" in str(err.value)


def test_the_committed_plan_covers_the_pool_and_keeps_stories_and_0_1_test_together():
    plan = read_plan()
    pool = read_documents(CORPUS_DATA / "pool.jsonl")
    assert {d.id for d in pool} <= set(plan)
    by_story: dict[str, set[str]] = {}
    for a in plan.values():
        by_story.setdefault(a.story, set()).add(a.split)
    assert all(len(splits) == 1 for splits in by_story.values())
    assert all(plan[i].split == "test" for i in TEST_0_1)
    # re-planning the pool changes nothing: the plan is what the rule gives
    assert extend_plan(pool, plan) == plan
