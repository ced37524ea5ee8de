"""Training by parts (benchmark/systems/parts.py): a part shared by two systems is one part, and the parts
trained in two processes give the same models, hence the same predictions, as trained in one."""
from __future__ import annotations

from systems_docs import TRAIN, doc

from aqwal.benchmark.systems import parts
from aqwal.benchmark.systems.crf import CRFSystem, train_entity_tagger
from aqwal.benchmark.systems.learned import LearnedStance, LearnedSystem
from aqwal.benchmark.systems.protocol import Mode, view

NEW = doc("new", "وقال الرئيس العراقي برهم صالح إن الحوار مع الولايات المتحدة مهم.\n"
          "وأضاف الكاظمي أن القوات الأجنبية ستغادر العراق قريبا.", targets=[("t1", "وجود القوات الأجنبية في العراق")])


def test_a_part_two_systems_list_is_trained_once():
    todo = parts.unique(p for s in (CRFSystem, LearnedSystem, LearnedStance) for p in s.parts())
    keys = [parts.key(p) for p in todo]
    assert len(keys) == len(set(keys)) == 6 and keys.count(parts.key(train_entity_tagger)) == 1


def test_two_processes_give_the_predictions_of_one():
    todo = parts.unique(p for s in (CRFSystem, LearnedSystem) for p in s.parts())
    seconds: dict[str, float] = {}
    one, two = parts.train_parts(todo, TRAIN, 1), parts.train_parts(todo, TRAIN, 2, seconds)
    assert set(one) == set(two) == set(seconds)
    for cls in (CRFSystem, LearnedSystem):
        a, b = cls(), cls()
        a.assemble(TRAIN, {parts.key(p): one[parts.key(p)] for p in a.parts()})
        b.assemble(TRAIN, {parts.key(p): two[parts.key(p)] for p in b.parts()})
        for d in (NEW, *TRAIN):
            assert a.predict(view(d)) == b.predict(view(d)), f"{cls.__name__} on {d.id}"
        assert a.predict(view(TRAIN[1], Mode.STANCE)) == b.predict(view(TRAIN[1], Mode.STANCE))
        assert a.stats == b.stats and a.train_sha256 == b.train_sha256
