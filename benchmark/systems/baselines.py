"""Every registered system on one split: trained on the train split where it learns, run in its registered
mode, predictions written side by side for the leaderboard.

Training goes by parts (benchmark/systems/parts.py): the parts of every trainable system are trained once
each (the entity tagger that ``crf`` and ``learned`` share is trained once), up to ``jobs`` at a time in
worker processes; then each system is assembled, saved, and run on the split, again up to ``jobs`` systems
at a time.  Every part and every system is deterministic: the files written do not depend on ``jobs``.
"""
from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

from aqwal.benchmark.systems import parts
from aqwal.benchmark.systems.protocol import Mode
from aqwal.benchmark.systems.registry import get, load_registry
from aqwal.benchmark.systems.runner import (GoldSplit, default_train, is_release, read_gold, run,
                                            training_record)
from aqwal.corpus.errors import ConfigError


def run_baselines(gold: str | Path, out: str | Path, *, split: str = "test", config: str | None = None,
                  progress: bool = True, jobs: int | None = None) -> list[Path]:
    """Train (on ``gold``'s train split) and run each registered system; the predictions files written.

    A release is read in ``config`` (its default config when None), for the train split as for ``split``.
    Models are retrained on every call and saved under ``out/models/<name>`` with their data hash.  ``jobs``
    is the number of processes (default: the processors available).
    """
    out = Path(out)
    jobs = parts.available_cores() if jobs is None else max(jobs, 1)
    gold_split = read_gold(gold, split, config)
    print(f"running the registered systems on {gold_split.describe()} ({len(gold_split.documents):,} documents)",
          file=sys.stderr)
    entries = list(load_registry().values())
    systems = {e.name: e.make() for e in entries}
    training: dict[str, dict] = {}
    trainable = [e for e in entries if e.trainable]
    if trainable:
        train = default_train(gold)
        if train is None:
            raise ConfigError(f"{gold}: no train split to train {trainable[0].name} on (fix: give a release built "
                              "by `aqwal dataset build`, or a folder with train.jsonl)")
        train_split = read_gold(train, "train", config if is_release(train) else None)
        docs = train_split.documents
        in_parts = [systems[e.name] for e in trainable if hasattr(systems[e.name], "parts")]
        todo = parts.unique(p for s in in_parts for p in s.parts())
        print(f"training {len(todo)} parts of {', '.join(s.name for s in in_parts)} on {len(docs):,} documents of "
              f"{train_split.describe()} ({min(jobs, len(todo))} processes)", file=sys.stderr)
        t0, seconds = time.perf_counter(), {}
        models = parts.train_parts(todo, docs, jobs, seconds)
        print(f"trained in {time.perf_counter() - t0:.0f} s (" + ", ".join(
            f"{k.split(':')[-1]} {t:.0f} s" for k, t in seconds.items()) + ")", file=sys.stderr)
        for e in trainable:
            system = systems[e.name]
            if hasattr(system, "parts"):
                system.assemble(docs, {parts.key(p): models[parts.key(p)] for p in system.parts()})
            else:
                system.fit(docs)
            model = out / "models" / e.name
            shutil.rmtree(model, ignore_errors=True)
            system.save(str(model))
            training[e.name] = training_record(system, train, model, train_split.config)
    paths = {e.name: out / f"{e.name}.jsonl" for e in entries}
    tasks = [(e.name, Mode(e.mode), paths[e.name], training.get(e.name)) for e in entries]
    if jobs <= 1:
        for name, mode, path, trained in tasks:
            run(systems[name], gold_split, path, mode=mode, training=trained, progress=progress)
            _done(name, systems[name].version, mode, gold_split, path)
    else:
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context

        with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=get_context("spawn"),
                                 initializer=_receive, initargs=(gold_split,)) as pool:
            futures = [(task, pool.submit(_run_saved, *task, progress)) for task in tasks]
            for (name, mode, path, _), future in futures:
                _done(name, future.result(), mode, gold_split, path)
    return [paths[e.name] for e in entries]


def _done(name: str, version: str, mode: Mode, gold: GoldSplit, path: Path) -> None:
    print(f"{name}@{version} ({mode}): {len(gold.documents):,} documents -> {path}", file=sys.stderr)


_GOLD: GoldSplit | None = None  # a worker's copy of the split to run on


def _receive(gold: GoldSplit) -> None:
    global _GOLD
    _GOLD = gold


def _run_saved(name: str, mode: Mode, path: Path, training: dict | None, progress: bool) -> str:
    """In a worker: the registered system ``name``, loaded from the model saved for it when it is trained,
    run on the split; its version."""
    system = get(name).make()
    if training is not None:
        system.load(training["model"])
    run(system, _GOLD, path, mode=mode, training=training, progress=progress)
    return system.version
