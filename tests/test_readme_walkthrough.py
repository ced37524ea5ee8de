"""The README's scoring walk-through works as written, from a copy of the checkout's committed gold: its shell
and Python blocks run in order, for the default config and for cc-by."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADING = "### Scoring a system, step by step"
END = "Other commands:"


def walkthrough() -> list[tuple[str, str]]:
    """(language, code) of the fenced blocks of the walk-through, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index(HEADING):]
    section = section[:section.index(END)]
    return re.findall(r"```(sh|python)\n(.*?)```", section, flags=re.S)


def test_the_walkthrough_has_both_configs_and_a_home_made_system():
    blocks = walkthrough()
    shell = "".join(code for lang, code in blocks if lang == "sh")
    assert [lang for lang, _ in blocks].count("python") == 1
    for command in ("dataset build", "run rules", "validate", "evaluate", "leaderboard"):
        assert f"aqwal {command}" in shell, command
    assert shell.count("--config cc-by") == 3  # run, evaluate and leaderboard in the commercial-use config


def test_the_walkthrough_runs_as_written(tmp_path):
    (tmp_path / "corpus").symlink_to(ROOT / "corpus")
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
               HF_HUB_OFFLINE="1", HF_HOME=str(tmp_path / "hf"))
    env.pop("HF_ENDPOINT", None)
    outputs = []
    for lang, code in walkthrough():
        command = ["bash", "-euo", "pipefail", "-c", code] if lang == "sh" else [sys.executable, "-c", code]
        done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
                              check=False)
        assert done.returncode == 0, f"{code}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
        outputs.append(done.stdout)
    printed = "\n".join(outputs)
    manifest = json.loads((tmp_path / "out/release/manifest.json").read_text())
    hashes = manifest["content_hash_per_split"]
    # the default config's test split, then cc-by's, each named and hashed in what was printed and written
    assert "valid against out/release config non-commercial split test" in printed
    assert "saudi 0.1 on out/release config non-commercial split test" in printed
    assert " on out/release config cc-by split test" in printed
    default_board = json.loads((tmp_path / "out/mine/board/leaderboard.json").read_text())
    cc_board = json.loads((tmp_path / "out/mine-cc-by/board/leaderboard.json").read_text())
    assert default_board["meta"]["dataset"]["content_hash"] == hashes["non-commercial"]["test"]
    assert cc_board["meta"]["dataset"]["content_hash"] == hashes["cc-by"]["test"]
    assert {r["system"] for r in default_board["tasks"]["entities"]["rows"]} == {"rules", "saudi"}
    run_meta = json.loads((tmp_path / "out/mine-cc-by/rules.meta.json").read_text())
    assert run_meta["gold"]["config"] == "cc-by"
    assert run_meta["gold"]["documents"] == manifest["configs"]["cc-by"]["splits"]["test"]["documents"]
