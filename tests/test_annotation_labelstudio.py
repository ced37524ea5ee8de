"""The Label Studio config, task data and results generated from the scheme."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from aqwal.annotation.labelstudio import (
    document_results,
    label_config,
    parse_stance_value,
    predictions_results,
    task_data,
    task_list_view,
)
from aqwal.corpus.errors import InvalidData
from aqwal.corpus.model import Document, Mention, Quote, Stance, Target
from aqwal.corpus.schema import SCHEME_VERSION, SPAN_LABELS, STANCE_LABELS, STANCE_SLOTS
from aqwal.corpus.spans import Span

TEXT = "😀 وقال الكاظمي إن العراق لم يعد بحاجة الى القوات الاجنبية"


def _doc(targets=2):
    per = Mention("e1", Span.of(TEXT, 7, 14), "PER")
    quote = Quote("q1", Span.of(TEXT, 18, len(TEXT)), "indirect", Span.of(TEXT, 3, 6), "e1",
                  (Stance("t2", "neutral"), Stance("t1", "against")))
    return Document.create(id="d1", text=TEXT, source="seed", license="all-rights-reserved",
                           url="https://example.org/x",
                           targets=tuple(Target(f"t{i}", f"هدف {i}") for i in range(1, targets + 1)),
                           entities=(per,), quotes=(quote,))


@pytest.mark.parametrize("targets", range(STANCE_SLOTS + 1))
def test_config_is_generated_from_the_scheme_with_one_required_stance_row_per_target(targets):
    config = label_config(targets)
    root = ET.fromstring(config)
    assert f"scheme {SCHEME_VERSION}, {targets} target(s)" in config
    rtl = root.find("View")
    assert "direction: rtl" in rtl.get("style") and "text-align: right" in rtl.get("style")
    text = rtl.find("Text")
    assert text.get("name") == "text" and text.get("granularity") is None  # character granularity
    labels = rtl.find("Labels")
    assert [l.get("value") for l in labels] == [l.name for l in SPAN_LABELS]
    assert [l.get("hotkey") for l in labels] == list("1234567890q")
    assert rtl.find("Relations") is None  # a relation is what its other end says: no label to pick or get wrong
    panel = rtl.find("View")
    assert (panel.get("visibleWhen"), panel.get("whenLabelValue")) == ("region-selected", "QUOTE")
    choices = panel.findall("Choices")
    assert [c.get("name") for c in choices] == ["kind"] + [f"stance_{i}" for i in range(1, targets + 1)]
    for c in choices:  # Label Studio refuses Submit until every quotation has each of them
        assert (c.get("perRegion"), c.get("whenLabelValue"), c.get("choice"), c.get("required")) == \
            ("true", "QUOTE", "single-radio", "true")
        message = c.get("requiredMessage")
        assert "Choose" in message and re.search("[\u0600-\u06ff]", message)  # English and Arabic
        assert c.get("value") is None  # options in the config, none read from task data
    assert [(o.get("value"), o.get("hotkey")) for o in choices[0]] == [("direct", "z"), ("indirect", "x"),
                                                                        ("mixed", "c")]
    keys = ["asd", "fgh", "jkl"]
    for slot, c in enumerate(choices[1:], start=1):
        assert [(o.get("value"), o.get("hotkey")) for o in c] == list(zip(STANCE_LABELS, keys[slot - 1]))
    headers = [h.get("value") for h in panel.findall("Header")][1:]
    assert headers == [f"الموقف من «$targets[{i}].text» · stance toward target {i + 1}" for i in range(targets)]
    all_keys = [l.get("hotkey") for l in labels] + [o.get("hotkey") for c in choices for o in c]
    assert len(all_keys) == len(set(all_keys))


def test_review_config_shows_the_disputes_above_the_text():
    root = ET.fromstring(label_config(1, review=True))
    disputes = root.find("View[@className='aqwal-disputes']")
    assert disputes.find("Text").get("value") == "$disputes"
    assert list(root).index(disputes) < list(root).index(root.find("View[@style]"))  # above the document
    assert ET.fromstring(label_config(1)).find("View[@className='aqwal-disputes']") is None


def test_a_config_for_more_targets_than_slots_is_refused():
    with pytest.raises(InvalidData, match="targets"):
        label_config(STANCE_SLOTS + 1)


def test_task_data_carries_the_targets_and_no_raw_option_lists():
    data = task_data(_doc(targets=2))
    assert (data["text"], data["doc_id"], data["scheme_version"]) == (TEXT, "d1", SCHEME_VERSION)
    assert data["metadata"]["url"] == "https://example.org/x" and data["metadata"]["license"] == "all-rights-reserved"
    assert data["targets"] == [{"id": "t1", "text": "هدف 1"}, {"id": "t2", "text": "هدف 2"}]
    assert not [k for k in data if k.startswith("stance_")]
    # every $key the config uses is present
    for key in set(re.findall(r'\$(\w+)', label_config(2))):
        assert key in data
    # a project made before the per-target-count layout gets its option lists, as before
    legacy = task_data(_doc(targets=2), legacy=True)
    assert [o["value"] for o in legacy["stance_opts_1"]] == ["t1:favor", "t1:against", "t1:neutral"]
    assert legacy["stance_opts_3"] == [] and legacy["stance_target_2"] == "هدف 2"


def test_the_task_list_hides_raw_task_data():
    view = task_list_view(sorted(task_data(_doc()).keys()) + ["review_of", "disputes"])
    hidden = view["hiddenColumns"]["explore"]
    for key in ("sha256", "metadata", "targets", "scheme_version", "review_of", "disputes"):
        assert f"tasks:data.{key}" in hidden
    assert "tasks:data.text" not in hidden and "tasks:data.doc_id" not in hidden


def test_too_many_targets_for_the_slots():
    doc = _doc(targets=STANCE_SLOTS)
    many = Document.create(id="d1", text=TEXT, source="seed", license="all-rights-reserved",
                           targets=doc.targets + (Target("extra", "x"),))
    with pytest.raises(InvalidData, match="stance slots"):
        task_data(many)


def test_results_put_choices_on_the_quote_region_and_stances_in_their_target_slots():
    results = document_results(_doc())
    q = [r for r in results if r.get("id") == "q1"]
    assert [r["from_name"] for r in q] == ["label", "kind", "stance_2", "stance_1"]
    assert all(r["value"]["start"] == 18 and r["value"]["text"] == TEXT[18:] for r in q)
    assert [r["value"]["choices"] for r in q[1:]] == [["indirect"], ["neutral"], ["against"]]
    rel = [(r["from_id"], r["to_id"], r.get("labels")) for r in results if r["type"] == "relation"]
    assert rel == [("q1", "e1", None), ("q1", "q1-cue", None)]
    legacy = [r["value"]["choices"] for r in document_results(_doc(), legacy=True)
              if r.get("from_name", "").startswith("stance")]
    assert legacy == [["t2:neutral"], ["t1:against"]]
    cue = next(r for r in results if r.get("id") == "q1-cue")
    assert cue["value"] == {"start": 3, "end": 6, "text": "قال", "labels": ["CUE"]}


def test_stance_values_with_colons_in_target_ids():
    assert parse_stance_value("t:gov:favor") == ("t:gov", "favor")
    assert parse_stance_value("t1:bogus") is None and parse_stance_value("favor") is None


def test_predictions_link_speakers_to_entities_or_make_sources():
    doc = _doc()
    record = {"id": "d1", "entities": [{"start": 7, "end": 14, "label": "PER"}],
              "quotes": [{"start": 18, "end": len(TEXT), "cue": {"start": 3, "end": 6},
                          "speaker": {"start": 7, "end": 14}, "stance": [{"target": "t1", "label": "favor"}]},
                         {"start": 0, "end": 1, "cue": None, "speaker": {"start": 21, "end": 27}, "stance": []}]}
    results = predictions_results(doc, record)
    spans = {r["id"]: r["value"]["labels"][0] for r in results if r["type"] == "labels"}
    assert spans == {"p-e0": "PER", "p-q0": "QUOTE", "p-c0": "CUE", "p-q1": "QUOTE", "p-s0": "SOURCE"}
    rel = {(r["from_id"], r["to_id"]) for r in results if r["type"] == "relation"}
    assert rel == {("p-q0", "p-e0"), ("p-q0", "p-c0"), ("p-q1", "p-s0")}
    assert next(r for r in results if r["id"] == "p-q1")["value"]["text"] == "😀"


def test_bad_prediction_records_name_the_field():
    doc = _doc()
    with pytest.raises(InvalidData) as err:
        predictions_results(doc, {"id": "d1", "entities": [{"start": 7, "end": 99, "label": "PER"},
                                                             {"start": 0, "end": 1, "label": "PERSON"}],
                                  "quotes": [{"start": 18, "end": 20, "stance": [{"target": "t9", "label": "favor"}]}]},
                            where="sys.jsonl:3")
    text = str(err.value)
    assert "sys.jsonl:3 document 'd1', field entities[0]" in text and "entities[1].label" in text
    assert "quotes[0].stance[0]" in text


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # pydantic deprecations inside the SDK
def test_label_studio_sdk_accepts_the_config_and_our_results():
    """Label Studio's own config parser (label_studio_sdk.LabelInterface) as the reference."""
    from label_studio_sdk.label_interface import LabelInterface
    li = LabelInterface(label_config(2))
    assert {c.name for c in li.controls} == {"label", "kind", "stance_1", "stance_2"}
    doc = _doc()
    assert li.validate_task({"data": task_data(doc)})
    assert li.validate_prediction({"result": document_results(doc)})
    record = {"id": "d1", "quotes": [{"start": 18, "end": len(TEXT), "cue": None, "speaker": {"start": 0, "end": 1},
                                      "stance": [{"target": "t2", "label": "favor"}]}]}
    assert li.validate_prediction({"result": predictions_results(doc, record)})
    # and it is a real check: an unknown label fails it
    bad = document_results(doc)
    bad[0] = {**bad[0], "value": {**bad[0]["value"], "labels": ["PERSON"]}}
    assert not li.validate_prediction({"result": bad})


def test_the_keys_annotators_read_in_the_docs_are_the_configs():
    """docs/annotation.md's table of keys against the keys the generated config gives each label and choice."""
    from aqwal.corpus.paths import ROOT
    docs = (ROOT / "docs" / "annotation.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| ([^|]+?) \| ([^|]+?) \|$", docs, flags=re.M))
    root = ET.fromstring(label_config(STANCE_SLOTS))
    labels = root.find("View[@style]/Labels")
    assert rows[" ".join(l.get("hotkey") for l in labels)] == "labels " + " ".join(l.get("value") for l in labels)
    panel = root.find("View[@style]/View")
    for choices in panel.findall("Choices"):
        keys = " ".join(o.get("hotkey") for o in choices)
        what = ", ".join(o.get("value") for o in choices)
        name = "the selected quotation's kind" if choices.get("name") == "kind" else \
            f"stance row {choices.get('name').split('_')[1]}"
        assert rows[keys] == f"{name}: {what}"
