"""Training in parts: a trained system is put together from parts, each a model that one module-level
function trains from the training documents alone.

A system that trains in parts has ``parts()``, the functions ``f(train) -> model``, and ``assemble(train,
models)``, which takes the trained models by ``key(f)``.  Parts do not depend on each other, so they can be
trained in any order and at the same time; a function that two systems list is one part, trained once for
both (the entity tagger of ``crf`` and ``learned``).  Each part is deterministic, so the models, and the
predictions, are the same whether parts train one after another or in several processes.

``train_parts`` trains parts in up to ``jobs`` worker processes (fresh interpreters: nothing of the calling
process but the training documents is shared), in the order given: list the longest first.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from aqwal.corpus.model import Document

Part = Callable[[list[Document]], Any]


def key(part: Part) -> str:
    """A part's name: the same function is the same part."""
    return f"{part.__module__}:{part.__qualname__}"


def available_cores() -> int:
    """Processors this process may run on."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return max(os.cpu_count() or 1, 1)


def unique(parts: Iterable[Part]) -> list[Part]:
    """Parts in order of first mention, each once."""
    seen: dict[str, Part] = {}
    for part in parts:
        seen.setdefault(key(part), part)
    return list(seen.values())


_TRAIN: list[Document] = []  # a worker's copy of the training documents


def _receive(train: list[Document]) -> None:
    global _TRAIN
    _TRAIN = train


def _timed(part: Part, train: list[Document]) -> tuple[Any, float]:
    t0 = time.perf_counter()
    return part(train), time.perf_counter() - t0


def _train(part: Part) -> tuple[Any, float]:
    return _timed(part, _TRAIN)


def train_parts(parts: Sequence[Part], train: list[Document], jobs: int = 1,
                seconds: dict[str, float] | None = None) -> dict[str, Any]:
    """The trained model of each part, by ``key``; up to ``jobs`` parts train at once.  ``seconds``, when
    given, gets each part's training time."""
    todo = unique(parts)
    if jobs <= 1 or len(todo) <= 1:
        done = {key(p): _timed(p, train) for p in todo}
    else:
        from concurrent.futures import ProcessPoolExecutor
        from multiprocessing import get_context

        with ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=get_context("spawn"),
                                 initializer=_receive, initargs=(train,)) as pool:
            futures = [(key(p), pool.submit(_train, p)) for p in todo]
            done = {k: f.result() for k, f in futures}
    if seconds is not None:
        seconds.update((k, t) for k, (_, t) in done.items())
    return {k: model for k, (model, _) in done.items()}


def fit(system, train: list[Document], jobs: int = 1) -> None:
    """Train ``system``'s parts and assemble them."""
    system.assemble(train, train_parts(system.parts(), train, jobs))
