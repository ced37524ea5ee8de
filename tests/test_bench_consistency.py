"""One config story and one way of doing each thing: the config and split scored are printed, recorded and
hashed in every output; scores are shown in one unit; systems given the gold quotations are ranked apart;
output files are 0644; every group's --help has examples."""
from __future__ import annotations

import csv
import json
import stat
from pathlib import Path

import pytest
from bench_gold import documents, perfect_record, write_gold, write_lines

from aqwal.cli import build_parser, main
from aqwal.corpus.release.configs import DEFAULT_CONFIG, SPLITS, default_config
from aqwal.corpus.release.load import documents_from_split, read_manifest

RELEASE_GOLD = Path(__file__).parent / "data" / "release_gold.jsonl"
DOCS = documents()


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("consistency") / "release"
    assert main(["dataset", "build", "--gold", str(RELEASE_GOLD), "--out", str(out), "--version", "1.0.0"]) == 0
    return out


def test_the_default_config_is_decided_in_one_place_and_marked_in_the_card(release):
    assert DEFAULT_CONFIG == "non-commercial"
    assert default_config(["cc-by", "non-commercial", "all"]) == "non-commercial"
    assert default_config(["cc-by"]) == "cc-by"  # a release without the default config: its first documents config
    manifest = read_manifest(release)
    assert manifest["default_config"] == DEFAULT_CONFIG
    card = (release / "README.md").read_text(encoding="utf-8")
    front = card.split("\n---\n", 1)[0]
    block = front.split("config_name: non-commercial\n", 2)[-1].split("- config_name:")[0]
    assert "default: true" in block and front.count("default: true") == 1
    assert "| `non-commercial` (default) |" in card


def test_every_reader_of_a_release_reads_the_default_config(release, tmp_path, capsys):
    pred = tmp_path / "rules.jsonl"
    assert main(["run", "rules", "--gold", str(release), "--out", str(pred), "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert f"config {DEFAULT_CONFIG} split test" in printed
    meta = json.loads(pred.with_name("rules.meta.json").read_text())
    assert meta["gold"]["config"] == DEFAULT_CONFIG and meta["gold"]["split"] == "test"
    nc = documents_from_split(release, DEFAULT_CONFIG, "test")
    assert meta["gold"]["documents"] == len(nc)
    assert main(["evaluate", str(pred), "--gold", str(release), "--json", "--resamples", "0"]) == 0
    dataset = json.loads(capsys.readouterr().out)["meta"]["dataset"]
    assert (dataset["config"], dataset["split"]) == (DEFAULT_CONFIG, "test")
    assert dataset["content_hash"] == meta["gold"]["content_hash"] == \
        read_manifest(release)["content_hash_per_split"][DEFAULT_CONFIG]["test"]
    assert main(["validate", str(pred), "--gold", str(release)]) == 0
    assert f"valid against {release} config {DEFAULT_CONFIG} split test" in capsys.readouterr().out


class _Recorder:
    """A trainable system that only records what it was trained on."""

    name, version, train_sha256 = "recorder", "1", "x"

    def fit(self, train):
        self.seen = {d.id for d in train}

    def predict(self, doc):
        return {"id": doc.id, "entities": []}

    def save(self, directory):
        raise AssertionError("not saved")

    def load(self, directory):
        raise AssertionError("not loaded")


def test_config_cc_by_is_used_for_the_run_its_training_and_the_scoring(release, tmp_path, capsys):
    from aqwal.benchmark.systems.runner import prepare
    cc_train = documents_from_split(release, "cc-by", "train")
    assert len(cc_train) < len(documents_from_split(release, DEFAULT_CONFIG, "train"))
    system = _Recorder()
    record = prepare(system, release, None, "cc-by")
    assert system.seen == {d.id for d in cc_train} and record["config"] == "cc-by"
    prepare(system, release, None, None)
    assert system.seen == {d.id for d in documents_from_split(release, DEFAULT_CONFIG, "train")}
    runs = tmp_path / "runs"
    assert main(["run", "rules", "--gold", str(release), "--config", "cc-by", "--split", "train",
                 "--out", str(runs / "rules.jsonl"), "--quiet"]) == 0
    capsys.readouterr()
    meta = json.loads((runs / "rules.meta.json").read_text())
    assert meta["gold"]["config"] == "cc-by" and meta["gold"]["documents"] == len(cc_train)
    board = tmp_path / "board"
    assert main(["leaderboard", str(runs / "rules.jsonl"), "--gold", str(release), "--config", "cc-by",
                 "--split", "train", "--out", str(board), "--resamples", "50"]) == 0
    printed = capsys.readouterr().out
    chash = read_manifest(release)["content_hash_per_split"]["cc-by"]["train"]
    assert "config cc-by split train" in printed and chash in printed
    data = json.loads((board / "leaderboard.json").read_text())
    assert (data["meta"]["dataset"]["config"], data["meta"]["dataset"]["split"]) == ("cc-by", "train")
    assert data["meta"]["dataset"]["content_hash"] == meta["gold"]["content_hash"] == chash
    for name in ("leaderboard.md", "leaderboard.html"):
        text = (board / name).read_text(encoding="utf-8")
        assert "config cc-by split train" in text and chash in text, name
    rows = list(csv.DictReader((board / "leaderboard.csv").open(newline="")))
    assert {(r["dataset_config"], r["dataset_split"], r["dataset_content_hash"]) for r in rows} == \
        {("cc-by", "train", chash)}
    card = (release / "README.md").read_text(encoding="utf-8")
    assert f"| `cc-by` | train | {len(cc_train)} | `{chash}` |" in card  # the board's hash is in the card


def _board(tmp_path, capsys) -> tuple[dict, str, Path]:
    gold = write_gold(tmp_path / "gold.jsonl")
    full = []
    for d in DOCS:
        record = perfect_record(d)
        record["entities"] = record["entities"][1:]  # a score that is not round
        full.append(record)
    given = [perfect_record(d, ("quotes",)) for d in DOCS]
    paths = [write_lines(tmp_path / "e2e.jsonl", [{"system": {"name": "e2e", "version": "1"}}] + full),
             write_lines(tmp_path / "given.jsonl", [{"system": {"name": "given", "version": "1",
                                                                "tasks": ["stance"]}}] + given)]
    out = tmp_path / "board"
    assert main(["leaderboard", *map(str, paths), "--gold", str(gold), "--out", str(out), "--resamples", "100"]) == 0
    return json.loads((out / "leaderboard.json").read_text()), capsys.readouterr().out, out


def test_systems_given_the_gold_quotations_are_ranked_in_their_own_section(tmp_path, capsys):
    board, printed, out = _board(tmp_path, capsys)
    stance = board["tasks"]["stance"]
    given = board["tasks"]["stance_given_gold_quotes"]
    assert [r["system"] for r in stance["rows"]] == ["e2e"] and [r["system"] for r in given["rows"]] == ["given"]
    assert stance["rows"][0]["tied_with"] == [] and given["rows"][0]["tied_with"] == []  # never tied across
    assert given["label"] == "stance F_avg, given the gold quotations" and given["label"] in printed
    assert "## stance F_avg, given the gold quotations" in (out / "leaderboard.md").read_text()


def test_scores_are_shown_in_one_unit_in_every_table(tmp_path, capsys):
    board, printed, out = _board(tmp_path, capsys)
    row = board["tasks"]["entities"]["rows"][0]
    shown = f"{100 * row['score']:.1f}"
    assert 0 < row["score"] < 1 and shown != f"{100 * row['score']:.2f}".rstrip("0")  # not a round number
    lo, hi = (f"{100 * x:.1f}" for x in row["interval"])
    terminal = next(line for line in printed.splitlines() if line.startswith("entities strict F1"))
    assert f" {shown} " in terminal and f"[{lo}, {hi}]" in terminal
    assert f"| {shown} | [{lo}, {hi}] |" in (out / "leaderboard.md").read_text()
    assert f">{shown}</td><td class=\"num\">[{lo}, {hi}]</td>" in (out / "leaderboard.html").read_text()
    first = next(csv.DictReader((out / "leaderboard.csv").open(newline="")))
    assert (first["score_pct"], first["ci_low_pct"], first["ci_high_pct"]) == (shown, lo, hi)
    assert "score %" in printed.splitlines()[1]


def test_evaluate_reports_accuracy_in_its_own_columns(tmp_path, capsys):
    gold = write_gold(tmp_path / "gold.jsonl")
    pred = write_lines(tmp_path / "pred.jsonl", [perfect_record(d) for d in DOCS])
    assert main(["evaluate", str(pred), "--gold", str(gold), "--resamples", "0"]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = next(line for line in lines if line.startswith("score"))
    speaker = next(line for line in lines if line.startswith("quotes speaker accuracy"))
    # the values sit under their own columns: accuracy under "acc %", the item count under "items"
    assert speaker[header.index("acc %"):header.index("acc %") + 5].strip() == "100.0"
    assert speaker[header.index("items") - 2:header.index("items") + 5].strip() == "2"
    assert speaker[header.index("fn") - 3:header.index("fn") + 2].strip() == ""


def test_the_older_predictions_option_still_works_with_a_note(tmp_path, capsys):
    gold = write_gold(tmp_path / "gold.jsonl")
    pred = write_lines(tmp_path / "pred.jsonl", [perfect_record(d) for d in DOCS])
    assert main(["evaluate", "--gold", str(gold), "--predictions", str(pred), "--json", "--resamples", "0"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["entities"]["strict"]["f1"] == 1.0
    assert "--predictions is deprecated" in captured.err and f"aqwal evaluate --gold {gold} {pred}" in captured.err


def test_every_output_file_gets_the_usual_mode(tmp_path, capsys):
    gold = write_gold(tmp_path / "gold.jsonl")
    run = tmp_path / "runs" / "rules.jsonl"
    assert main(["run", "rules", "--gold", str(gold), "--out", str(run), "--quiet"]) == 0
    _, _, board = _board(tmp_path, capsys)
    written = [run, run.with_name("rules.meta.json"), *board.iterdir()]
    assert {stat.S_IMODE(p.stat().st_mode) for p in written} == {0o644}


def _groups(parser) -> dict[str, object]:
    import argparse
    out = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                if any(isinstance(a, argparse._SubParsersAction) for a in child._actions):
                    out[name] = child
    return out


def test_every_group_help_shows_examples():
    groups = _groups(build_parser())
    assert {"corpus", "annotate", "dataset", "systems", "reference"} <= set(groups)
    for name, parser in groups.items():
        text = parser.format_help()
        assert "examples:\n" in text, name
        assert f"aqwal {name} " in text.split("examples:\n", 1)[1], name


def test_evaluate_help_documents_the_quotation_match(capsys):
    with pytest.raises(SystemExit):
        main(["evaluate", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "word IoU >= 0.5" in text and "MATCHES only when the two contents share at least half of their words" \
        in text
    assert "A fragment inside a quotation, or one word of it, does not match" in text
    assert "--config cc-by" in text
