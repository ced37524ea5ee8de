"""Pulling a project's full JSON export into an immutable snapshot directory.

A snapshot is named for what it holds: ``<out>/<batch>.<pass>.<UTC time>/`` for a batch's project (titled
``Aqwal <batch> <pass>``, see annotation/batch.py; ``<batch>.<pass>.t<k>.<UTC time>`` for the project of the
pass's documents with ``k`` targets, see annotation/passes.py), else ``<project title as a slug>.<UTC time>/``.  Each pull
also rewrites ``<out>/index.tsv``, one line per snapshot (name, project, time, counts, export sha256).  It holds ``export.json`` (the bytes Label Studio sent,
untouched), ``predictions.json`` (the project's predictions with their ``model_version``: the export lists
only their ids) and ``manifest.json`` (sha256 and size of the export, project, Label Studio and scheme versions,
time, counts, and the user ids -> e-mails needed to read ``completed_by``).  Both are written into a hidden
temporary directory beside it and renamed into place only when complete, so an interrupted pull leaves no
partial snapshot.  A snapshot is never overwritten; its files are made read-only.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aqwal.annotation.client import Connection, call, export_project, require_project
from aqwal.corpus.errors import FormatError, ServiceError
from aqwal.corpus.jsonl import read_json
from aqwal.corpus.model import sha256_file, sha256_text
from aqwal.corpus.schema import SCHEME_VERSION

EXPORT = "export.json"
PREDICTIONS = "predictions.json"  # the export lists prediction ids only; this keeps their model_version
MANIFEST = "manifest.json"
SNAPSHOT_FORMAT = "aqwal-label-studio-snapshot"
SNAPSHOT_FORMAT_VERSION = 1
PARTIAL_PREFIX = ".pull-"


def export_counts(tasks: list[dict]) -> dict[str, Any]:
    annotations = [a for t in tasks for a in t.get("annotations") or []]
    annotators = {str(a.get("completed_by")) for a in annotations if a.get("completed_by") is not None}
    return {"tasks": len(tasks),
            "tasks_annotated": sum(1 for t in tasks if any(not a.get("was_cancelled")
                                                           for a in t.get("annotations") or [])),
            "annotations": sum(1 for a in annotations if not a.get("was_cancelled")),
            "cancelled": sum(1 for a in annotations if a.get("was_cancelled")),
            "drafts": sum(len(t.get("drafts") or []) for t in tasks),
            "predictions": sum(len(t.get("predictions") or []) for t in tasks),
            "annotators": len(annotators)}


def snapshot_name(title: str, stamp: str) -> str:
    """``<batch>.<pass>.<stamp>`` for a batch project's title (``<batch>.<pass>.t<k>.<stamp>`` for the project
    of its documents with ``k`` targets, see annotation/passes.py), else a slug of the title and the stamp."""
    import re

    from aqwal.annotation.passes import targets_of_title
    base, targets = targets_of_title(title)
    m = re.fullmatch(r"Aqwal (\S+) (\S+)", base)
    if m:
        part = "" if targets is None else f"t{targets}."
        return f"{m.group(1)}.{m.group(2)}.{part}{stamp}"
    slug = re.sub(r"[^\w-]+", "-", title.strip().lower()).strip("-") or "project"
    return f"{slug}.{stamp}"


INDEX = "index.tsv"
INDEX_COLUMNS = ("name", "project", "project_id", "created_at", "tasks", "annotations", "annotators",
                 "export_sha256")


def index_rows(out_dir: str | Path) -> list[list[str]]:
    """One row per snapshot directory under ``out_dir`` (sorted by name), from its manifest."""
    rows = []
    for d in sorted(p for p in Path(out_dir).iterdir() if p.is_dir() and not p.name.startswith(".")):
        m = read_json(d / MANIFEST, fix="pull the snapshot again")
        c = m["counts"]
        rows.append([d.name, m["project"]["title"], str(m["project"]["id"]), m["created_at"], str(c["tasks"]),
                     str(c["annotations"]), str(c["annotators"]), m["files"][EXPORT]["sha256"]])
    return rows


def write_index(out_dir: str | Path) -> Path:
    """Rewrite ``out_dir/index.tsv`` from the snapshots' manifests."""
    from aqwal.corpus.jsonl import atomic_path
    path = Path(out_dir) / INDEX
    with atomic_path(path) as tmp:
        tmp.write_text("\t".join(INDEX_COLUMNS) + "\n" + "".join("\t".join(r) + "\n"
                                                               for r in index_rows(out_dir)), encoding="utf-8")
    os.chmod(path, 0o644)
    return path


def _unique_name(out_dir: Path, stamp: str, title: str) -> Path:
    base = snapshot_name(title, stamp)
    for n in range(1, 1000):
        candidate = out_dir / (base if n == 1 else f"{base}-{n}")
        if not candidate.exists():
            return candidate
    raise ServiceError(f"{out_dir}: too many snapshots named {base}")


def _write_json(path: Path, obj: Any) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(obj, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())


def pull(conn: Connection, title: str, out_dir: str | Path, *, attempts: int = 5, backoff: float = 2.0,
         sleep: Callable[[float], None] = time.sleep, log: Callable[[str], None] = lambda _msg: None) -> Path:
    """Export project ``title`` into a new snapshot directory under ``out_dir``; its path."""
    out_dir = Path(out_dir)
    ls = conn.sdk()
    project = require_project(conn, ls, title)
    version = call(conn, "reading the server version", lambda: ls.versions.get())
    ls_version = getattr(version, "release", None) or "unknown"
    users = call(conn, "listing users", lambda: ls.users.list())
    out_dir.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    tmp = Path(tempfile.mkdtemp(prefix=PARTIAL_PREFIX, dir=out_dir))
    try:
        export = tmp / EXPORT
        export_project(conn, ls, project.id, export, attempts=attempts, backoff=backoff, sleep=sleep, log=log)
        try:
            tasks = json.loads(export.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise ServiceError(f"Label Studio at {conn.url}: the export of project {project.id} is not JSON "
                               f"({err}); nothing was saved (fix: pull again)") from None
        if not isinstance(tasks, list):
            raise ServiceError(f"Label Studio at {conn.url}: the export of project {project.id} is not a task "
                               "list; nothing was saved")
        predictions = call(conn, f"listing the predictions of project {project.id}",
                           lambda: ls.predictions.list(project=project.id))
        _write_json(tmp / PREDICTIONS, [p.model_dump(mode="json", exclude_none=True) for p in predictions])
        manifest = {
            "format": SNAPSHOT_FORMAT, "format_version": SNAPSHOT_FORMAT_VERSION,
            "created_at": started.isoformat(timespec="seconds").replace("+00:00", "Z"),
            "server": conn.url, "label_studio_version": ls_version, "scheme_version": SCHEME_VERSION,
            "project": {"id": project.id, "title": project.title,
                        "label_config_sha256": sha256_text(project.label_config or "")},
            "export": {"type": "JSON", "download_all_tasks": True},
            "files": {name: {"sha256": sha256_file(tmp / name), "bytes": (tmp / name).stat().st_size}
                      for name in (EXPORT, PREDICTIONS)},
            "counts": export_counts(tasks),
            "users": {str(u.id): u.email for u in users},
        }
        _write_json(tmp / MANIFEST, manifest)
        for name in (EXPORT, PREDICTIONS, MANIFEST):
            os.chmod(tmp / name, 0o444)
        final = _unique_name(out_dir, started.strftime("%Y-%m-%dT%H-%M-%SZ"), project.title)
        os.rename(tmp, final)
        os.chmod(final, 0o555)
        dir_fd = os.open(out_dir, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        write_index(out_dir)
        return final
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)


def verify(snapshot: str | Path) -> dict:
    """The manifest of a snapshot whose export still has the recorded sha256; FormatError otherwise."""
    snapshot = Path(snapshot)
    manifest_path = snapshot / MANIFEST
    manifest = read_json(manifest_path, fix="give a directory made by `aqwal annotate pull`, or pull again")
    if manifest.get("format") != SNAPSHOT_FORMAT:
        raise FormatError(f"{manifest_path}: not an Aqwal snapshot manifest (fix: give a directory made by "
                          "`aqwal annotate pull`)")
    for name, expected in manifest.get("files", {}).items():
        path = snapshot / name
        if not path.is_file():
            raise FormatError(f"{path}: missing from the snapshot (fix: pull again; snapshots are never edited)")
        actual = sha256_file(path)
        if actual != expected.get("sha256"):
            raise FormatError(f"{path}: sha256 {actual} differs from the manifest's {expected.get('sha256')} "
                              "(fix: the snapshot was altered; pull again)")
    return manifest
