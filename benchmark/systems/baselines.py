"""Every registered system on one split: trained on the train split where it learns, run in its registered
mode, predictions written side by side for the leaderboard."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

from aqwal.benchmark.systems.protocol import Mode
from aqwal.benchmark.systems.registry import load_registry
from aqwal.benchmark.systems.runner import default_train, prepare, read_gold, run
from aqwal.corpus.errors import ConfigError


def run_baselines(gold: str | Path, out: str | Path, *, split: str = "test", config: str | None = None,
                  progress: bool = True) -> list[Path]:
    """Train (on ``gold``'s train split) and run each registered system; the predictions files written.

    A release is read in ``config`` (its default config when None), for the train split as for ``split``.
    Models are retrained on every call and saved under ``out/models/<name>`` with their data hash.
    """
    out = Path(out)
    gold_split = read_gold(gold, split, config)
    print(f"running the registered systems on {gold_split.describe()} ({len(gold_split.documents):,} documents)",
          file=sys.stderr)
    train = default_train(gold)
    written = []
    for entry in load_registry().values():
        system = entry.make()
        model = out / "models" / entry.name
        if entry.trainable:
            if train is None:
                raise ConfigError(f"{gold}: no train split to train {entry.name} on (fix: give a release built "
                                  "by `aqwal dataset build`, or a folder with train.jsonl)")
            shutil.rmtree(model, ignore_errors=True)
        training = prepare(system, train if entry.trainable else None, model if entry.trainable else None,
                           config)
        path = out / f"{entry.name}.jsonl"
        run(system, gold_split, path, mode=Mode(entry.mode), training=training, progress=progress)
        print(f"{entry.name}@{entry.version} ({entry.mode}): {len(gold_split.documents):,} documents -> {path}",
              file=sys.stderr)
        written.append(path)
    return written
