"""Where documents go in Label Studio: one project per number of targets.

Label Studio 1.23.2 checks a required per-region choice on every QUOTE region of a task, whatever the task data
holds, so a stance row can be required only in a project whose every document has that target.  A project's
config is therefore made for one number of targets ``k`` (``labelstudio.label_config(k)``: ``k`` stance rows,
all required), and documents pushed under a title go to ``<title> · <k> targets`` by their number of targets
(``· no target``, ``· 1 target``, ``· 2 targets`` ...).  A pass of a batch thus has up to four projects, all on
its annotator's site (annotation/sites.py).

A project made before this layout (its config reads the stance options from task data, for any number of
targets) keeps receiving every document of its title, as it did.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from aqwal.annotation.client import (
    Connection,
    PushReport,
    call,
    existing_tasks,
    find_project,
    push_tasks,
)
from aqwal.annotation.labelstudio import is_legacy_config, legacy_task_data
from aqwal.corpus.errors import InvalidData, Problem

SEPARATOR = " · "
_SUFFIX = re.compile(r"(.+) · (no|\d+) targets?")


def project_title(base: str, targets: int) -> str:
    """The title of the project of ``base``'s documents with ``targets`` targets."""
    return f"{base}{SEPARATOR}" + ("no target" if targets == 0 else f"{targets} target" + ("s" * (targets != 1)))


def targets_of_title(title: str) -> tuple[str, int | None]:
    """(base title, number of targets) of a project title; None when the title names no number."""
    m = _SUFFIX.fullmatch(title)
    if not m:
        return title, None
    return m.group(1), 0 if m.group(2) == "no" else int(m.group(2))


def task_targets(task: dict) -> int:
    return len((task.get("data") or {}).get("targets") or [])


def group_tasks(tasks: Sequence[dict]) -> dict[int, list[dict]]:
    """Tasks by their number of targets (in their order)."""
    out: dict[int, list[dict]] = {}
    for t in tasks:
        out.setdefault(task_targets(t), []).append(t)
    return dict(sorted(out.items()))


def legacy_project(conn: Connection, base: str, ls: Any = None) -> Any | None:
    """The project titled exactly ``base`` when it was made before the per-target-count layout, else None."""
    ls = ls or conn.sdk()
    project = find_project(conn, ls, base)
    return project if project is not None and is_legacy_config(project.label_config) else None


def push(conn: Connection, base: str, tasks: Sequence[dict], *, batch_size: int, overlap: int,
         progress: bool = False) -> list[PushReport]:
    """Push tasks under ``base``: into the project of their number of targets (created with its config if
    absent), or all into ``base`` when that project predates the layout."""
    ls = conn.sdk()
    if legacy_project(conn, base, ls) is not None:
        old = [{**t, "data": legacy_task_data(t["data"])} for t in tasks]
        report = push_tasks(conn, base, old, batch_size=batch_size, overlap=overlap, progress=progress)
        report.warnings.append(f"project {base!r} was made before projects were split by number of targets: "
                               "its documents stay together there, and only a quotation's kind is required at "
                               "Submit")
        return [report]
    _refuse_moved(conn, base, tasks, ls)
    review = any("review_of" in (t.get("data") or {}) for t in tasks)
    return [push_tasks(conn, project_title(base, k), group, targets=k, review=review, batch_size=batch_size,
                       overlap=overlap, progress=progress)
            for k, group in group_tasks(tasks).items()]


def _refuse_moved(conn: Connection, base: str, tasks: Sequence[dict], ls: Any) -> None:
    """InvalidData for documents already in another of ``base``'s projects: their number of targets changed,
    and pushing them would put a second task for them in front of the annotator."""
    where: dict[str, str] = {}
    for project in projects(conn, base):
        for key in existing_tasks(conn, ls, project.id):
            where.setdefault(key[0], project.title)
    problems = []
    for t in tasks:
        doc_id = t["data"]["doc_id"]
        title = project_title(base, task_targets(t))
        if doc_id in where and where[doc_id] != title:
            problems.append(Problem(f"document {doc_id!r}", "targets", f"is in project {where[doc_id]!r}, but with "
                                    f"{task_targets(t)} target(s) it would go to {title!r}", "a document's targets "
                                    "stay as they were pushed; give the changed targets to a new pass or batch"))
    if problems:
        raise InvalidData(problems)


def projects(conn: Connection, base: str) -> list[Any]:
    """The projects holding ``base``'s documents on the server: the one titled ``base`` (made before the
    layout) and those of each number of targets, by title."""
    ls = conn.sdk()
    found = call(conn, f"listing projects titled {base!r}", lambda: list(ls.projects.list(title=base)))
    mine = [p for p in found if p.title == base or targets_of_title(p.title)[0] == base]
    return sorted(mine, key=lambda p: p.title)


def titles_for(conn: Connection, base: str, documents: dict) -> tuple[dict[str, dict], bool]:
    """(title -> {id: document or None}, legacy) for documents to load under ``base``: all in ``base`` when
    that project predates the layout, else each in the project of its number of targets.  A skipped document
    (None) goes where its task is: ``targets`` gives it (id -> number of targets) through ``documents``'
    ``(doc, targets)`` pairs."""
    if legacy_project(conn, base) is not None:
        return {base: {i: d for i, (d, _) in documents.items()}}, True
    out: dict[str, dict] = {}
    for doc_id, (doc, targets) in documents.items():
        out.setdefault(project_title(base, targets), {})[doc_id] = doc
    return dict(sorted(out.items())), False
