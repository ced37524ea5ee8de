"""No traceback for any user input: every subcommand that reads a submission, a gold or a release is run over
a table of bad inputs and flag combinations.  Each must exit 2 with a message that names the file (and the
line where there is one), say what to do, and write nothing."""
from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest
from bench_gold import ROOT_DIR, documents, perfect_record, write_gold, write_lines
from test_bench_validate import CASES as RECORD_CASES

from aqwal.cli import main
from aqwal.corpus.release.configs import SPLITS
from aqwal.corpus.release.load import documents_from_split

RELEASE_GOLD = Path(__file__).parent / "data" / "release_gold.jsonl"
P1, P2, P3 = (perfect_record(d) for d in documents())
GOOD = [json.dumps(r, ensure_ascii=False).encode("utf-8") for r in (P1, P2, P3)]
HUGE = 3_000_000  # characters of a span text that must not be echoed whole


def _lines(rows: list[bytes]) -> bytes:
    return b"".join(r + b"\n" for r in rows)


def _with_text(record: dict, text: str) -> bytes:
    ents = [dict(e) for e in record["entities"]]
    ents[0]["text"] = text
    return json.dumps({**record, "entities": ents}, ensure_ascii=False).encode("utf-8")


def _label(record: dict, label: str) -> bytes:
    ents = [dict(e) for e in record["entities"]]
    ents[0]["label"] = label
    return json.dumps({**record, "entities": ents}, ensure_ascii=False).encode("utf-8")


# name: (how to write the submission at PATH, line of the problem or None, words of the message)
FILE_CASES = {
    "bad_byte_on_line_10": (lambda p: p.write_bytes(_lines([GOOD[0]] + [b""] * 8 + [GOOD[1][:20] + b"\xff"
                                                                                + GOOD[1][20:], GOOD[2]])),
                            10, "not UTF-8: byte 0xff at column 21"),
    "utf8_byte_order_mark": (lambda p: p.write_bytes(b"\xef\xbb\xbf" + _lines(GOOD)), 1, "byte order mark"),
    "utf16": (lambda p: p.write_bytes("\n".join(g.decode() for g in GOOD).encode("utf-16")), 1, "UTF-16"),
    "gzip_without_gz": (lambda p: p.write_bytes(gzip.compress(_lines(GOOD))), None,
                        "gzip-compressed but its name does not end in .gz"),
    "directory": (lambda p: p.mkdir(), None, "is a directory, not a submission file"),
    "empty_file": (lambda p: p.write_bytes(b""), None, "is empty (0 bytes)"),
    "blank_lines_only": (lambda p: p.write_bytes(b"\n  \n\n"), None, "holds only blank lines"),
    "missing_file": (lambda p: None, None, "no such file"),
    "huge_span_text": (lambda p: p.write_bytes(_lines([_with_text(P1, "ب" * HUGE), GOOD[1], GOOD[2]])), 1,
                       f"({HUGE:,} characters)"),
    "lowercase_label": (lambda p: p.write_bytes(_lines([GOOD[0], _label(P2, "gpe"), GOOD[2]])), 2,
                        "unknown label 'gpe' (did you mean 'GPE'?)"),
    "header_only": (lambda p: p.write_bytes(b'{"system": {"name": "x"}}\n'), None, "holds no predictions"),
}


def _tree(root: Path) -> dict[str, bytes | None]:
    """Every path under ``root`` with its bytes (None for a directory): what a command may not change."""
    return {str(p.relative_to(root)): (None if p.is_dir() else p.read_bytes()) for p in sorted(root.rglob("*"))}


def _run(args: list[str], capsys) -> tuple[int, str, str]:
    try:
        code = main(args)
    except SystemExit as stop:  # argparse refusing a flag
        code = stop.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _refused(root: Path, args: list[str], capsys, *words: str, place: str | None = None) -> str:
    """Run ``args``; assert exit 2, no traceback, ``words`` and ``place`` in the message, nothing written."""
    before = _tree(root)
    code, out, err = _run(args, capsys)
    assert code == 2, (args, out, err)
    assert "Traceback" not in err and "Traceback" not in out
    assert err.startswith("aqwal: error: ") or err.startswith("usage: "), err
    for w in words:
        assert w in err, (w, err)
    if place is not None:
        assert place in err, (place, err)
    assert "(fix: " in err or err.startswith("usage: "), err
    assert _tree(root) == before, "the command wrote something"
    return err


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("bad-input")
    release = root / "release"
    assert main(["dataset", "build", "--gold", str(RELEASE_GOLD), "--out", str(release), "--version", "1.0.0"]) == 0
    runs = root / "runs"
    runs.mkdir()
    for config in ("cc-by", "non-commercial"):
        for split in SPLITS:
            docs = documents_from_split(release, config, split)
            write_lines(runs / f"{config}.{split}.jsonl", [{"id": d.id, "entities": []} for d in docs])
    (root / "a-file.txt").write_text("not a folder\n", encoding="utf-8")
    (root / "not-a-release").mkdir()
    return {"root": root, "gold": write_gold(root / "gold.jsonl"), "release": release, "runs": runs,
            "good": write_lines(root / "good.jsonl", [P1, P2, P3])}


SCORERS = ("validate", "evaluate", "leaderboard")


def _scoring(command: str, gold: Path, pred: Path, root: Path, *extra: str) -> list[str]:
    args = [command, str(pred), "--gold", str(gold), *extra]
    return args + ["--out", str(root / "board")] if command == "leaderboard" else args


@pytest.mark.parametrize("command", SCORERS)
@pytest.mark.parametrize("name", sorted(RECORD_CASES))
def test_every_malformed_record_is_refused_by_every_scoring_command(name, command, world, capsys):
    lines, line_no, field, words = RECORD_CASES[name]
    root = world["root"]
    pred = write_lines(root / f"{name}.jsonl", lines)
    _refused(root, _scoring(command, world["gold"], pred, root), capsys, words, place=f"{pred}:{line_no}")


@pytest.mark.parametrize("command", SCORERS)
@pytest.mark.parametrize("name", sorted(FILE_CASES))
def test_every_unreadable_file_is_refused_by_every_scoring_command(name, command, world, capsys):
    write, line_no, words = FILE_CASES[name]
    root = world["root"]
    pred = root / f"{name}-{command}.jsonl"
    write(pred)
    err = _refused(root, _scoring(command, world["gold"], pred, root), capsys, words,
                   place=str(pred) if line_no is None else f"{pred}:{line_no}")
    assert max(len(line) for line in err.splitlines()) < 3_000  # a value is quoted, not echoed whole


def test_a_bad_gold_file_is_refused_the_same_way(world, capsys):
    root = world["root"]
    for name in ("bad_byte_on_line_10", "utf8_byte_order_mark", "gzip_without_gz", "empty_file", "directory"):
        write, line_no, words = FILE_CASES[name]
        gold = root / f"gold-{name}.jsonl"
        write(gold)
        words = "without manifest.json" if name == "directory" else words
        for command in SCORERS:
            _refused(root, _scoring(command, gold, world["good"], root), capsys, words,
                     place=str(gold) if line_no is None else f"{gold}:{line_no}")
        for args in (["run", "rules", "--gold", str(gold), "--out", str(root / "r.jsonl")],
                     ["dataset", "build", "--gold", str(gold), "--out", str(root / "rel")]):
            if name != "directory":  # a directory is a folder of splits to `run`
                _refused(root, args, capsys, words, place=str(gold))


DOCUMENT_READERS = {
    "dataset build": lambda f, root: ["dataset", "build", "--gold", str(f), "--out", str(root / "rel")],
    "dataset diff": lambda f, root: ["dataset", "diff", str(f), str(f)],
    "corpus stats": lambda f, root: ["corpus", "stats", str(f)],
    "systems train": lambda f, root: ["systems", "train", "crf", "--train", str(f), "--model", str(root / "m")],
    "run": lambda f, root: ["run", "rules", "--gold", str(f), "--out", str(root / "r.jsonl")],
    "agreement": lambda f, root: ["agreement", str(f)],
    "annotate convert": lambda f, root: ["annotate", "convert", str(f), "--out", str(root / "c.jsonl")],
    "reference import-conll": lambda f, root: ["reference", "import-conll", str(f), "--license", "cc-by-sa-4.0",
                                               "--out", str(root / "c.jsonl")],
}


@pytest.mark.parametrize("command", sorted(DOCUMENT_READERS))
@pytest.mark.parametrize("name, words", [("utf16", "UTF-16"), ("gzip_without_gz", "is gzip-compressed"),
                                         ("utf8_byte_order_mark", "byte order mark"),
                                         ("bad_byte_on_line_10", "not UTF-8: byte 0xff at column")])
def test_every_command_that_reads_documents_refuses_an_unreadable_file(command, name, words, world, capsys):
    if command == "reference import-conll" and name == "utf8_byte_order_mark":
        words = "has no valid tag"  # the importer skips a UTF-8 byte order mark; the JSON lines are not CoNLL
    if name == "bad_byte_on_line_10" and command != "annotate convert":
        words = ""  # the first line (a submission record) is refused before line 10 is read
    root = world["root"]
    path = root / f"{name}.{command.replace(' ', '-')}.jsonl"
    FILE_CASES[name][0](path)
    _refused(root, DOCUMENT_READERS[command](path, root), capsys, words, place=str(path))


def test_submissions_of_another_config_or_split_say_which_flag_to_pass(world, capsys):
    root, release, runs = world["root"], world["release"], world["runs"]
    for command in SCORERS:
        # the validation split's documents, scored against the test split
        err = _refused(root, _scoring(command, release, runs / "non-commercial.validation.jsonl", root), capsys,
                       "every id is a document of config non-commercial split validation", "--split validation",
                       place=str(runs / "non-commercial.validation.jsonl"))
        assert "unknown id" not in err  # one message, not one per document
        # exactly the cc-by train documents, scored against the default config's train split
        err = _refused(root, _scoring(command, release, runs / "cc-by.train.jsonl", root, "--split", "train"), capsys,
                       "holds exactly the", "documents of config cc-by split train", "pass --config cc-by")
        assert "config non-commercial split train" in err
        # and back: the default config's train documents against cc-by
        _refused(root, _scoring(command, release, runs / "non-commercial.train.jsonl", root, "--split", "train",
                                "--config", "cc-by"), capsys, "pass --config non-commercial")


def test_flags_that_do_not_fit_are_refused_before_any_work(world, capsys):
    root, release, gold, good = world["root"], world["release"], world["gold"], world["good"]
    pred = world["runs"] / "non-commercial.test.jsonl"
    out_file, out_dir = root / "a-file.txt", world["runs"]
    cases = []
    for command in SCORERS:
        cases += [
            (_scoring(command, release, pred, root, "--config", "tokens"), ("--config tokens is the token view",
                                                                            "--config cc-by")),
            (_scoring(command, release, pred, root, "--config", "nope"), ("no config 'nope'",)),
            (_scoring(command, release, pred, root, "--split", "dev"), ("--split 'dev' is not a split",)),
            (_scoring(command, gold, good, root, "--split", "test"), ("--split test needs a release directory",)),
            (_scoring(command, gold, good, root, "--config", "cc-by"), ("--config cc-by needs a release",)),
            (_scoring(command, root / "not-a-release", good, root), ("without manifest.json, so not a release",)),
            (_scoring(command, root / "nowhere.jsonl", good, root), ("nowhere.jsonl: no such file",)),
        ]
    cases += [
        (["leaderboard", str(good), "--gold", str(gold), "--out", str(out_file)], ("is a file, not a folder",)),
        (["leaderboard", str(good), "--gold", str(gold), "--out", str(out_file / "x")], ("is a file, so",)),
        (["leaderboard", str(good), "--gold", str(gold), "--out", str(root / "b"), "--alpha", "2"], ("--alpha",)),
        (["leaderboard", str(good), "--gold", str(gold), "--out", str(root / "b"), "--resamples", "0"],
         ("--resamples",)),
        (["evaluate", "--gold", str(gold)], ("no submission to score",)),
        (["evaluate", str(good), "--gold", str(gold), "--predictions", str(good)], ("the submission is given twice",)),
        (["run", "rules", "--gold", str(release), "--out", str(out_dir)], ("is a directory", "rules.jsonl")),
        (["run", "rules", "--gold", str(release), "--config", "tokens", "--out", str(root / "r.jsonl")],
         ("token view",)),
        (["run", "rules", "--gold", str(gold), "--config", "cc-by", "--out", str(root / "r.jsonl")],
         ("needs a release directory",)),
        (["run", "crf", "--gold", str(release), "--split", "dev", "--out", str(root / "r.jsonl")], ("not a split",)),
        (["systems", "baselines", "--gold", str(release), "--out", str(out_file)], ("is a file, not a folder",)),
        (["systems", "baselines", "--gold", str(release), "--config", "tokens", "--out", str(root / "b")],
         ("token view",)),
        (["dataset", "build", "--gold", str(root / "blank.jsonl"), "--out", str(root / "rel")], ("no such file",)),
    ]
    for args, words in cases:
        _refused(root, args, capsys, *words)


def test_json_output_is_a_json_error_object_when_the_input_is_bad(world, capsys):
    root = world["root"]
    lines, line_no, field, words = RECORD_CASES["unknown_label"]
    pred = write_lines(root / "json-error.jsonl", lines)
    code, out, err = _run(["validate", str(pred), "--gold", str(world["gold"]), "--json"], capsys)
    assert code == 2 and "unknown label" in err
    result = json.loads(out)
    assert result["valid"] is False and words in result["error"]
    [problem] = result["problems"]
    assert problem["where"].startswith(f"{pred}:{line_no}") and problem["field"] == field
    assert problem["fix"].startswith("use one of")
    code, out, _ = _run(["evaluate", str(root / "nowhere.jsonl"), "--gold", str(world["gold"]), "--json"], capsys)
    assert code == 2 and json.loads(out) == {"error": f"{root / 'nowhere.jsonl'}: no such file (fix: check the path)",
                                              "problems": []}


def test_a_path_the_system_refuses_is_a_message_not_a_traceback(world, capsys, monkeypatch):
    import aqwal.benchmark.writers as writers
    board = world["root"] / "locked" / "board"

    def refuse(board_data, out_dir):
        raise PermissionError(13, "Permission denied", str(Path(out_dir) / "leaderboard.md"))
    monkeypatch.setattr(writers, "write_all", refuse)
    code, out, err = _run(["leaderboard", str(world["good"]), "--gold", str(world["gold"]), "--out", str(board),
                           "--resamples", "10"], capsys)
    assert code == 2 and "Traceback" not in err
    assert err == f"aqwal: error: {board / 'leaderboard.md'}: Permission denied (fix: check the path and its " \
                  "permissions)\n"


def test_the_real_command_prints_no_traceback_for_a_flag_that_does_not_fit(world):
    done = subprocess.run([sys.executable, "-m", "aqwal", "evaluate", str(world["good"]), "--gold",
                           str(world["release"]), "--config", "tokens"], cwd=ROOT_DIR, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("aqwal: error: --config tokens is the token view")
