"""CoNLL import: real-file quirks on small excerpts, and the real ANERcorp test split through the CLI."""
from __future__ import annotations

import json

import pytest

from aqwal.cli import main
from aqwal.benchmark.conll import import_conll
from aqwal.corpus.errors import FormatError
from aqwal.corpus.jsonl import read_documents
from aqwal.corpus.paths import shared_data
from aqwal.corpus.schema import external_entity_labels

LRM = "\u200e"


def _spans(doc):
    return [(m.label, m.span.text) for m in doc.entities]


def test_newsfane_style_crlf_lrm_tabs_bom(tmp_path):
    raw = ("\ufeff" + LRM + "فرانكفورت\tB-Population-Center\r\n(\tO\r\n" + LRM + "د\tB-Media\r\n" + LRM
           + "ب\tI-Media\r\n)\tO\r\n" + LRM + "اعلن\tO\r\n\t\r\n" + LRM + "برند\tB-Other_PER\r\n" + LRM
           + "جوتشولك\tI-Other_PER\r\n.\tO\r\n")
    path = tmp_path / "fane.txt"
    path.write_bytes(raw.encode("utf-8"))
    docs, stats = import_conll(path, source="newsfane", license="cc-by-sa-3.0", doc_sentences=5)
    assert len(docs) == 1 and stats.sentences == 2 and stats.tokens == 9
    assert docs[0].text == "فرانكفورت ( د ب ) اعلن\nبرند جوتشولك ."
    assert _spans(docs[0]) == [("Population-Center", "فرانكفورت"), ("Media", "د ب"), ("Other_PER", "برند جوتشولك")]
    assert stats.marks_removed == 6 and stats.crlf_lines == 10


def test_spaces_iob1_docstart_and_a_token_holding_a_space(tmp_path):
    raw = ("-DOCSTART- O\n\nالصالحية ونايفة O\nالمغرب I-LOC\nفاس I-LOC\nمكناس B-LOC\n\n-DOCSTART- O\n\n"
           "جورج I-PERS\nبوش I-PERS\n O\nقال O\n")
    path = tmp_path / "aner.txt"
    path.write_text(raw, encoding="utf-8")
    docs, stats = import_conll(path, source="aner", license="cc-by-sa-4.0")
    assert [d.id for d in docs] == ["aner-00001", "aner-00002"]
    assert docs[0].text == "الصالحية ونايفة المغرب فاس مكناس"
    # IOB1: I-LOC after O opens a chunk, B-LOC after I-LOC starts the next one
    assert _spans(docs[0]) == [("LOC", "المغرب فاس"), ("LOC", "مكناس")]
    assert _spans(docs[1]) == [("PERS", "جورج بوش")]
    assert stats.empty_tokens_dropped == 1 and stats.iob1_chunks == 2 and stats.tokens == 7
    for doc in docs:  # spans are character spans of the rebuilt text
        for m in doc.entities:
            assert doc.text[m.span.start:m.span.end] == m.span.text


def test_period_breaks_split_a_flat_file(tmp_path):
    path = tmp_path / "flat.txt"
    path.write_text("أ O\n. O\n. O\nب B-LOC\nج O\n", encoding="utf-8")
    docs, stats = import_conll(path, source="flat", license="cc-by-sa-4.0", period_breaks=True)
    assert stats.sentences == 2 and [d.text for d in docs] == ["أ . .", "ب ج"]


def test_a_line_without_a_tag_is_an_error_naming_the_line(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text("أ O\nب\n", encoding="utf-8")
    with pytest.raises(FormatError, match=r"bad.txt:2: 'ب' has no valid tag"):
        import_conll(path, source="bad", license="cc-by-sa-4.0")


def test_real_anercorp_test_split_through_the_cli(tmp_path, capsys):
    assert (shared_data() / "anercorp").is_dir(), "needs ../shared/data/anercorp beside the checkout"
    out = tmp_path / "anercorp-test.jsonl"
    code = main(["reference", "import-conll", str(shared_data() / "anercorp" / "ANERcorp_derived_test.txt"),
                 "--license", "cc-by-sa-4.0", "--source", "anercorp", "--doc-sentences", "10", "--out", str(out),
                 "--json"])
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["tokens"] == 25_008 and summary["sentences"] == 918
    assert summary["labels"] == ["LOC", "MISC", "ORG", "PERS"]
    with external_entity_labels(summary["labels"]):
        docs = read_documents(out)
    assert sum(len(d.entities) for d in docs) == summary["entity_total"]
    # each sentence is one line of the text; tokens are separated by single spaces
    assert sum(d.text.count("\n") + 1 for d in docs) == 918
    # scoring the gold against itself through the CLI gives F1 = 1
    pred = tmp_path / "self.jsonl"
    pred.write_text("".join(json.dumps({"id": d.id, "entities": [{"start": m.span.start, "end": m.span.end,
                    "label": m.label} for m in d.entities]}) + "\n" for d in docs), encoding="utf-8")
    assert main(["evaluate", "--gold", str(out), "--labels", "PERS,LOC,ORG,MISC", str(pred),
                 "--json", "--resamples", "200"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["entities"]["strict"]["f1"] == 1.0 and result["entities"]["strict"]["tp"] == summary["entity_total"]


def test_external_gold_labels_are_checked_against_labels(tmp_path, capsys):
    path = tmp_path / "aner.txt"
    path.write_text("جورج B-PERS\nبوش I-PERS\nفي O\nبغداد B-LOC\nو O\nالأمم B-ORG\n", encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    assert main(["reference", "import-conll", str(path), "--license", "cc-by-sa-4.0", "--out", str(gold)]) == 0
    capsys.readouterr()
    pred = tmp_path / "pred.jsonl"
    pred.write_text('{"id": "aner-00001", "entities": []}\n', encoding="utf-8")
    # without --labels: one message naming the labels and the fix
    assert main(["validate", "--gold", str(gold), str(pred)]) == 2
    err = capsys.readouterr().err
    assert "entity labels outside the Aqwal scheme: PERS (first on line 1)" in err
    assert "--labels LOC,ORG,PERS" in err
    # --labels that lack one of the gold's labels
    assert main(["validate", "--gold", str(gold), str(pred), "--labels", "PERS,LOC"]) == 2
    assert "entity labels not in --labels: ORG (first on line 1)" in capsys.readouterr().err
    assert main(["validate", "--gold", str(gold), str(pred), "--labels", "PERS,LOC,ORG,MISC"]) == 0
