"""Every kind of mistake in a submission gets its own message: file:line, field, what is wrong, the fix."""
from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from bench_gold import ROOT_DIR, documents, perfect_record, write_gold, write_lines

from aqwal.cli import main

DOCS = documents()
P1, P2, P3 = (perfect_record(d) for d in DOCS)


def _with(record: dict, **changes) -> dict:
    return {**record, **changes}


def _ent(record: dict, i: int, **changes) -> dict:
    ents = [dict(e) for e in record["entities"]]
    ents[i].update(changes)
    return {**record, "entities": ents}


def _stance(record: dict, q: int, s: int, **changes) -> dict:
    quotes = [dict(x, stance=[dict(y) for y in x["stance"]]) for x in record["quotes"]]
    quotes[q]["stance"][s].update(changes)
    return {**record, "quotes": quotes}


# name: (lines, line number of the problem, field, words of the message)
CASES = {
    "not_json": ([P1, '{"id": "doc-2", "entities": [}', P3], 2, None, "not valid JSON"),
    "not_object": ([P1, [1, 2], P2, P3], 2, None, "must be a JSON object, got a list"),
    "missing_id": ([P1, {"entities": [], "quotes": []}, P2, P3], 2, "id", "is missing"),
    "id_not_string": ([P1, _with(P2, id=2), P3], 2, "id", "must be a string"),
    "unknown_id": ([P1, P2, P3, _with(P3, id="doc-33")], 4, "id", "unknown id"),
    "duplicate_id": ([P1, P2, P1, P3], 3, "id", "duplicate id (first on line 1)"),
    "offset_negative": ([_ent(P1, 0, start=-3), P2, P3], 1, "entities[0].start", "is negative"),
    "offset_reversed": ([_ent(P1, 0, start=20, end=10), P2, P3], 1, "entities[0].end", "reversed or empty"),
    "offset_beyond_text": ([_ent(P1, 0, end=5000), P2, P3], 1, "entities[0].end", "beyond the end of the text"),
    "offset_not_integer": ([_ent(P1, 1, start=4.0), P2, P3], 1, "entities[1].start", "must be an integer"),
    "offset_string": ([_ent(P1, 1, end="30"), P2, P3], 1, "entities[1].end", "must be an integer"),
    "text_mismatch": ([_ent(P1, 0, text="الكاظمي"), P2, P3], 1, "entities[0].text", "not 'الكاظمي'"),
    "unknown_label": ([P1, _ent(P2, 0, label="PERSON"), P3], 2, "entities[0].label", "unknown label 'PERSON'"),
    "unknown_target": ([_stance(P1, 0, 0, target="t-troop"), P2, P3], 1, "quotes[0].stance[0].target",
                       "unknown target 't-troop'"),
    "target_of_another_document": ([P1, P2, _with(P3, quotes=[{"start": 0, "end": 2, "stance": [
        {"target": "t-dialogue", "label": "favor"}]}])], 3, "quotes[0].stance[0].target", "unknown target"),
    "bad_stance_label": ([_stance(P1, 1, 0, label="support"), P2, P3], 1, "quotes[1].stance[0].label",
                         "bad stance label 'support'"),
    "entities_not_list": ([_with(P1, entities="PER"), P2, P3], 1, "entities", "must be a list, got a string"),
    "span_not_object": ([_with(P1, quotes=[{"start": 0, "end": 3, "cue": 5}]), P2, P3], 1, "quotes[0].cue",
                        "must be an object"),
    "entity_field_missing": ([P1, _with(P2, entities=[{"start": 0, "end": 2}]), P3], 2, "entities[0].label",
                             "is missing"),
    "unknown_field": ([P1, P2, {"id": "doc-3", "entitis": [], "quotes": []}], 3, "entitis", "unknown field"),
    "fields_differ_between_records": ([P1, {"id": "doc-2", "entities": []}, P3], 2, None,
                                      "carries entities but line 1 carries entities, quotes"),
    "header_not_first": ([P1, {"system": {"name": "x"}}, P2, P3], 2, "system", "must be the first line"),
    "header_bad_tasks": ([{"system": {"name": "x", "tasks": ["ner"]}}, P1, P2, P3], 1, "system.tasks",
                         "must be a non-empty list"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_mistake_has_its_message(name, tmp_path, capsys):
    lines, line_no, field, words = CASES[name]
    gold = write_gold(tmp_path / "gold.jsonl")
    pred = write_lines(tmp_path / "pred.jsonl", lines)
    code = main(["validate", "--gold", str(gold), str(pred)])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err
    first = [line for line in err.splitlines() if f"{pred}:{line_no}" in line]
    assert first, err
    assert any(words in line for line in first), err
    if field is not None:
        assert any(f"field {field}:" in line for line in first), err
    assert all("(fix: " in line for line in first)


def test_missing_documents_rejected_unless_allowed(tmp_path, capsys):
    gold = write_gold(tmp_path / "gold.jsonl")
    pred = write_lines(tmp_path / "pred.jsonl", [P1, P3])
    assert main(["validate", "--gold", str(gold), str(pred)]) == 2
    err = capsys.readouterr().err
    assert "1 of 3 gold documents are missing: 'doc-2'" in err and "--allow-missing" in err
    assert main(["validate", "--gold", str(gold), str(pred), "--allow-missing"]) == 0
    assert "1 missing documents scored as empty" in capsys.readouterr().out


def test_every_problem_is_listed_up_to_the_limit(tmp_path, capsys):
    gold = write_gold(tmp_path / "gold.jsonl")
    bad = [_ent(P1, 0, start=-1, label="X")] + [f'{{"id": "doc-{i}", ' for i in range(100)]
    pred = write_lines(tmp_path / "pred.jsonl", bad)
    assert main(["validate", "--gold", str(gold), str(pred), "--max-problems", "5"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert sum("field entities[0]" in line for line in err) == 2  # both problems of line 1
    assert sum("not valid JSON" in line for line in err) == 3
    assert err[-1].endswith("stopped after 5 problems (fix: fix these first, then validate again)")


def test_valid_submission_passes_and_names_the_system(tmp_path, capsys):
    gold = write_gold(tmp_path / "gold.jsonl")
    pred = write_lines(tmp_path / "pred.jsonl", [{"system": {"name": "rules", "version": "0.1"}}, P1, P2, P3])
    assert main(["validate", "--gold", str(gold), str(pred), "--json"]) == 0
    out = capsys.readouterr().out
    assert '"system": "rules"' in out and '"tasks": [\n    "entities",\n    "quotes",\n    "stance"\n  ]' in out


def test_the_real_command_prints_no_traceback(tmp_path):
    gold = write_gold(tmp_path / "gold.jsonl")
    pred = write_lines(tmp_path / "pred.jsonl", ["not json at all", P2, P3])
    done = subprocess.run([sys.executable, "-m", "aqwal", "validate", "--gold", str(gold), str(pred)],
                          cwd=ROOT_DIR, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert f"{pred}:1: not valid JSON" in done.stderr
    assert "doc-1" in done.stderr  # missing, since its line was not readable


def _mostly(good: list, bad):
    """One of ``good``, or now and then ``bad``."""
    return st.sampled_from(good * 3 + [bad])


_labels = _mostly(["PER", "GPE", "ORG"], "PERSON")
_stance = st.fixed_dictionaries({"target": _mostly(["t-troops", "t-dialogue"], "t-x"),
                                 "label": _mostly(["favor", "against", "neutral"], "support")})


@st.composite
def _span(draw, text: str, required=(), optional=()):
    """Offsets mostly inside the text, now and then empty, negative or past its end; ``text`` right or not."""
    start = draw(_mostly(list(range(len(text))), -1))
    end = start + draw(_mostly([1, 2, 3], 0))
    span = {"start": start, "end": end, **{k: draw(v) for k, v in required}}
    for key, value in optional:
        if draw(st.booleans()):
            span[key] = draw(value)
    if draw(st.booleans()):
        span["text"] = draw(_mostly([text[max(start, 0):max(end, 0)]], "ا"))
    return span


@st.composite
def _records(draw):
    keys = draw(st.sampled_from([("entities",), ("quotes",), ("entities", "quotes")]))
    rows = []
    for doc in DOCS:
        record: dict = {"id": doc.id}
        if "entities" in keys:
            record["entities"] = draw(st.lists(_span(doc.text, [("label", _labels)]), max_size=3))
        if "quotes" in keys:
            record["quotes"] = draw(st.lists(_span(doc.text, optional=[
                ("cue", st.none() | _span(doc.text)), ("speaker", st.none() | _span(doc.text)),
                ("stance", st.lists(_stance, max_size=2)),
                ("kind", _mostly(["direct", "indirect"], "quoted"))]),
                max_size=2))
        rows.append(record)
    return rows


def _outcome(path, gold):
    from aqwal.benchmark.submission import read_submission
    from aqwal.corpus.errors import InvalidData
    try:
        sub = read_submission(path, gold.documents, labels=gold.labels, allow_missing=True)
    except InvalidData as err:
        return [str(p) for p in err.problems]
    return sub.tasks, dict(sub.predictions)


@settings(max_examples=200, deadline=None)
@given(rows=_records())
def test_the_typed_reader_and_the_checker_accept_the_same_records(rows, tmp_path_factory):
    from unittest import mock

    from aqwal.benchmark.gold import load_gold
    from aqwal.benchmark.submission import _FastReader
    tmp = tmp_path_factory.mktemp("typed")
    gold = load_gold(write_gold(tmp / "gold.jsonl"))
    pred = write_lines(tmp / "pred.jsonl", rows)
    typed = _outcome(pred, gold)
    with mock.patch.object(_FastReader, "read", return_value=None):
        assert _outcome(pred, gold) == typed
