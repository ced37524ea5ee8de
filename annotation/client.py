"""Talking to a Label Studio server: the connection, the project, and pushing documents as tasks.

The server URL and API key come from options or ``LABEL_STUDIO_URL`` / ``LABEL_STUDIO_API_KEY``.  The key
is never printed or logged: ``Connection`` hides it in its ``repr`` and error messages name only the URL.

Pushing is idempotent: every task carries its document's id and text hash (``doc_id``, ``sha256`` in task
data, and ``review_of`` for review tasks), and a push imports only the tasks whose key the project does
not hold yet.  Predictions for a task that is already there are added once per ``model_version``.
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from aqwal.corpus.errors import ConfigError, FormatError, InvalidData, Problem, ServiceError

URL_ENV = "LABEL_STUDIO_URL"
KEY_ENV = "LABEL_STUDIO_API_KEY"
DEFAULT_BATCH = 200
DEFAULT_OVERLAP = 1  # annotators per task (Label Studio's maximum_annotations): a pass has its own project
TRANSIENT_STATUS = (408, 429, 500, 502, 503, 504)

T = TypeVar("T")


@dataclass(frozen=True)
class Connection:
    url: str
    api_key: str = field(repr=False)

    def __repr__(self) -> str:
        return f"Connection(url={self.url!r})"

    def sdk(self, *, timeout: float = 300.0):
        from label_studio_sdk.client import LabelStudio
        return LabelStudio(base_url=self.url, api_key=self.api_key, timeout=timeout)


def connection(url: str | None = None, api_key: str | None = None, *,
               api_key_file: str | Path | None = None) -> Connection:
    """The server from options, else from the environment; ConfigError saying what is missing.

    ``api_key_file`` holds the key as plain text, or is the ``aqwal-login.json`` of a server started by
    ``aqwal annotate serve`` (its "token").  Keys are not taken from the command line itself, where other
    users of the machine could read them in the process list.
    """
    url = url or os.environ.get(URL_ENV)
    if api_key is None and api_key_file is not None:
        api_key = read_api_key(Path(api_key_file))
    api_key = api_key or os.environ.get(KEY_ENV)
    if not url:
        raise ConfigError(f"no Label Studio URL (fix: pass --url or set {URL_ENV}, e.g. the URL printed by "
                          "`aqwal annotate serve`)")
    if not api_key:
        raise ConfigError(f"no Label Studio API key (fix: set {KEY_ENV} or pass --api-key-file; for a server "
                          "started by `aqwal annotate serve` that file is aqwal-login.json in its data directory)")
    return Connection(url.rstrip("/"), api_key)


def read_api_key(path: Path) -> str:
    import json
    try:
        text = path.read_text(encoding="utf-8").strip()
    except (FileNotFoundError, IsADirectoryError, PermissionError, UnicodeDecodeError) as err:
        raise ConfigError(f"--api-key-file {path}: cannot be read ({type(err).__name__}) (fix: give a file "
                          "holding the key, or the aqwal-login.json of the server's data directory)") from None
    if text.startswith("{"):
        try:
            token = json.loads(text).get("token")
        except (json.JSONDecodeError, AttributeError):
            token = None
        if not isinstance(token, str) or not token:
            raise ConfigError(f"--api-key-file {path}: JSON without a \"token\" (fix: give aqwal-login.json or a "
                              "plain-text key)")
        return token
    if not text or any(c.isspace() for c in text):
        raise ConfigError(f"--api-key-file {path}: not one key (fix: the file holds the key and nothing else)")
    return text


# ---- calls ------------------------------------------------------------------------------------------

def is_transient(err: BaseException) -> bool:
    """A failure worth retrying: the connection broke or the server was briefly unable to answer."""
    import httpx
    from label_studio_sdk.core.api_error import ApiError
    if isinstance(err, httpx.TransportError):
        return True
    return isinstance(err, ApiError) and err.status_code in TRANSIENT_STATUS


def service_error(conn: Connection, what: str, err: BaseException) -> ServiceError:
    """A ServiceError naming the server and the step, never the key."""
    import httpx
    from label_studio_sdk.core.api_error import ApiError
    if isinstance(err, ApiError):
        body = str(err.body)[:500]
        fix = {401: f"check {KEY_ENV}: the server refused the API key",
               403: "the API key's user may not do this; use an administrator's key",
               404: "check the URL and the project"}.get(err.status_code or 0, "see the server's answer above")
        return ServiceError(f"Label Studio at {conn.url}: {what} failed with HTTP {err.status_code}: {body} "
                            f"(fix: {fix})")
    if isinstance(err, httpx.TransportError):
        return ServiceError(f"Label Studio at {conn.url}: {what} failed: {type(err).__name__}: {err} (fix: check "
                            f"that the server runs and {URL_ENV} is right)")
    return ServiceError(f"Label Studio at {conn.url}: {what} failed: {err}")


def call(conn: Connection, what: str, fn: Callable[[], T], *, attempts: int = 4, backoff: float = 1.0,
         sleep: Callable[[float], None] = time.sleep) -> T:
    """``fn()``, retried with exponential backoff on transient errors; other errors become ServiceError."""
    import httpx
    from label_studio_sdk.core.api_error import ApiError
    for attempt in range(1, attempts + 1):
        try:
            return fn()
        except (ApiError, httpx.HTTPError) as err:
            if attempt == attempts or not is_transient(err):
                raise service_error(conn, what, err) from None
            sleep(backoff * 2 ** (attempt - 1))
    raise AssertionError("unreachable")


def health(url: str, *, timeout: float = 5.0) -> bool:
    """True when a Label Studio answers ``url``/health with status UP (False while it starts, or if nothing
    or something else listens there)."""
    import httpx
    try:
        return httpx.get(f"{url.rstrip('/')}/health", timeout=timeout).json().get("status") == "UP"
    except (httpx.HTTPError, ValueError, AttributeError):
        return False


def whoami(conn: Connection) -> Any:
    """The user whose API key the connection holds."""
    ls = conn.sdk(timeout=30.0)
    return call(conn, "reading the current user", lambda: ls.users.whoami())


def _download(ls: Any, project_id: int, dest: Path) -> None:
    """Stream the full JSON export (every task, annotated or not) to ``dest``."""
    with open(dest, "wb") as handle:
        handle.writelines(ls.projects.exports.download_sync(project_id, export_type="JSON", download_all_tasks=True,
                                                            request_options={"max_retries": 0}))
        handle.flush()
        os.fsync(handle.fileno())


def export_project(conn: Connection, ls: Any, project_id: int, dest: Path, *, attempts: int = 5,
                   backoff: float = 2.0, sleep: Callable[[float], None] = time.sleep,
                   log: Callable[[str], None] = lambda _msg: None) -> None:
    """The project's full JSON export written to ``dest``, retried with backoff when the transfer breaks."""
    import httpx
    from label_studio_sdk.core.api_error import ApiError
    for attempt in range(1, attempts + 1):
        try:
            _download(ls, project_id, dest)
            return
        except (ApiError, httpx.HTTPError) as err:
            if attempt == attempts or not is_transient(err):
                raise service_error(conn, f"exporting project {project_id} (attempt {attempt} of {attempts})",
                                    err) from None
            wait = backoff * 2 ** (attempt - 1)
            log(f"export of project {project_id} failed ({type(err).__name__}); retrying in {wait:.0f} s "
                f"(attempt {attempt + 1} of {attempts})")
            sleep(wait)


# ---- projects ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Project:
    id: int
    title: str
    created: bool = False
    config_updated: bool = False
    legacy: bool = False  # made before the per-target-count layout: its config is kept as it is


def find_project(conn: Connection, ls: Any, title: str) -> Any | None:
    """The project with exactly this title, None if there is none; ConfigError if there are several."""
    found = [p for p in call(conn, f"listing projects titled {title!r}", lambda: list(ls.projects.list(title=title)))
             if p.title == title]
    if len(found) > 1:
        raise ConfigError(f"Label Studio at {conn.url} has {len(found)} projects titled {title!r} (ids "
                          f"{', '.join(str(p.id) for p in found)}) (fix: rename all but one in the project settings)")
    return found[0] if found else None


def require_project(conn: Connection, ls: Any, title: str) -> Any:
    project = find_project(conn, ls, title)
    if project is None:
        raise ConfigError(f"Label Studio at {conn.url} has no project titled {title!r} (fix: check --project; "
                          "`aqwal annotate push` creates it)")
    return project


def ensure_project(conn: Connection, ls: Any, title: str, *, targets: int | None, review: bool = False,
                   overlap: int = DEFAULT_OVERLAP, data_keys: Sequence[str] = ()) -> Project:
    """Create the project with the scheme's config for documents with ``targets`` targets (and its task list
    showing no raw columns), or bring an existing one's config up to date.  A project made before the
    per-target-count layout keeps its config (``targets`` None: it must exist)."""
    from aqwal.annotation.labelstudio import is_legacy_config, label_config, project_description, task_list_view
    project = find_project(conn, ls, title)
    if project is not None and (targets is None or is_legacy_config(project.label_config)):
        if project.maximum_annotations != overlap:
            call(conn, f"updating project {title!r}", lambda: ls.projects.update(id=project.id,
                                                                                 maximum_annotations=overlap))
        return Project(project.id, title, legacy=True)
    if targets is None:
        raise ConfigError(f"Label Studio at {conn.url} has no project titled {title!r} to keep")
    config = label_config(targets, review=review)
    if project is None:
        made = call(conn, f"creating project {title!r}", lambda: ls.projects.create(
            title=title, label_config=config, description=project_description(), maximum_annotations=overlap,
            show_collab_predictions=True))
        view = task_list_view(data_keys)
        call(conn, f"setting the task list of project {title!r}",
             lambda: ls.views.create(project=made.id, data=view))
        return Project(made.id, title, created=True)
    updated = False
    if (project.label_config or "").strip() != config.strip() or project.maximum_annotations != overlap:
        call(conn, f"updating the config of project {title!r}", lambda: ls.projects.update(
            id=project.id, label_config=config, description=project_description(), maximum_annotations=overlap))
        updated = True
    return Project(project.id, title, config_updated=updated)


def invitation_link(conn: Connection) -> str:
    """The sign-up link of the server's organisation (Organization -> Add People shows the same)."""
    ls = conn.sdk(timeout=30.0)
    invite = call(conn, "reading the invitation link", lambda: ls.organizations.invites.get_invite_link())
    path = invite.invite_url or ""
    return path if path.startswith("http") else f"{conn.url}{path}"


# ---- tasks --------------------------------------------------------------------------------------------

TaskKey = tuple[str, str, tuple[str, ...]]


def task_key(data: dict) -> TaskKey | None:
    """What makes a task the same task: its document id, text hash and (review tasks) the versions shown."""
    doc_id, sha = data.get("doc_id"), data.get("sha256")
    if not isinstance(doc_id, str) or not isinstance(sha, str):
        return None
    return doc_id, sha, tuple(data.get("review_of") or ())


def existing_tasks(conn: Connection, ls: Any, project_id: int) -> dict[TaskKey, int]:
    """Key -> task id of the project's tasks made by push (tasks without a key are ignored)."""
    def fetch() -> dict[TaskKey, int]:
        out: dict[TaskKey, int] = {}
        for t in ls.tasks.list(project=project_id, fields="task_only", page_size=500):
            key = task_key(t.data or {})
            if key is not None:
                out.setdefault(key, t.id)
        return out
    return call(conn, f"listing the tasks of project {project_id}", fetch)


def existing_model_versions(conn: Connection, ls: Any, project_id: int) -> dict[int, set[str]]:
    """Task id -> model versions of the predictions it already has."""
    preds = call(conn, f"listing the predictions of project {project_id}",
                 lambda: ls.predictions.list(project=project_id))
    out: dict[int, set[str]] = {}
    for p in preds:
        out.setdefault(p.task, set()).add(p.model_version or "")
    return out


@dataclass
class PushReport:
    project: Project
    tasks: int = 0  # tasks given
    imported: int = 0
    already_there: int = 0
    predictions_added: int = 0  # predictions added to tasks that were already there
    predictions_skipped: int = 0  # ... or not, because that model_version was already there
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"project": self.project.title, "project_id": self.project.id, "created": self.project.created,
                "config_updated": self.project.config_updated, "legacy": self.project.legacy,
                "tasks": self.tasks, "imported": self.imported,
                "already_there": self.already_there, "predictions_added": self.predictions_added,
                "predictions_skipped": self.predictions_skipped, "warnings": self.warnings}


def _chunks(items: Sequence[T], size: int) -> Iterable[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def push_tasks(conn: Connection, title: str, tasks: Sequence[dict], *, targets: int | None = None,
               review: bool = False, batch_size: int = DEFAULT_BATCH, overlap: int = DEFAULT_OVERLAP,
               progress: bool = False) -> PushReport:
    """Import tasks (``{"data", "predictions"}``, data keyed by ``task_key``) into the project, idempotently.

    The project is made for documents with ``targets`` targets (``label_config``); ``targets`` None pushes
    into an existing project made before that layout, keeping its config.  Use ``aqwal.annotation.passes.push``
    to send documents with different numbers of targets to their projects."""
    if batch_size < 1:
        raise ConfigError(f"--batch-size {batch_size}: must be at least 1")
    problems = []
    keys: dict[TaskKey, int] = {}
    for i, t in enumerate(tasks):
        key = task_key(t.get("data") or {})
        if key is None:
            problems.append(Problem(f"task {i}", "data", "has no doc_id and sha256",
                                    "make tasks with aqwal.annotation.labelstudio.task()"))
        elif key in keys:
            problems.append(Problem(f"task {i}", "data.doc_id", f"{key[0]!r} is given twice (first as task "
                                    f"{keys[key]})", "give each document once"))
        else:
            keys[key] = i
    if problems:
        raise InvalidData(problems)
    if targets is not None:
        wrong = [t["data"]["doc_id"] for t in tasks if len(t["data"].get("targets") or []) != targets]
        if wrong:
            raise InvalidData([Problem(f"document {d!r}", "targets", f"project {title!r} is for documents with "
                                       f"{targets} target(s)", "push through aqwal.annotation.passes.push, which "
                                       "sends each document to the project of its number of targets")
                               for d in wrong[:5]])
    ls = conn.sdk()
    data_keys = sorted({k for t in tasks for k in t["data"]})
    project = ensure_project(conn, ls, title, targets=targets, review=review, overlap=overlap, data_keys=data_keys)
    report = PushReport(project, tasks=len(tasks))
    there = existing_tasks(conn, ls, project.id)
    by_doc: dict[str, str] = {k[0]: k[1] for k in there}
    changed = sorted(k[0] for k in keys if k[0] in by_doc and by_doc[k[0]] != k[1])
    if changed:
        raise InvalidData([Problem(f"document {d!r}", "sha256", f"project {title!r} holds this document with "
                                   "another text", "the stored text never changes after annotation; give a "
                                   "changed article a new document id") for d in changed])
    new = [t for t in tasks if task_key(t["data"]) not in there]
    old = [t for t in tasks if task_key(t["data"]) in there]
    report.already_there = len(old)
    if any(t.get("predictions") for t in old):
        _add_predictions(conn, ls, project.id, old, there, report)
    bar = _progress(len(new), "importing tasks", progress)
    try:
        for batch in _chunks(new, batch_size):
            # No retry: a batch that failed half-way could be imported twice.  Pushing again is safe.
            _import_batch(conn, ls, project.id, batch, report)
            report.imported += len(batch)
            bar.update(len(batch))
    finally:
        bar.close()
    return report


def _import_batch(conn: Connection, ls: Any, project_id: int, batch: Sequence[dict], report: PushReport) -> None:
    import httpx
    from label_studio_sdk.core.api_error import ApiError
    try:
        ls.projects.import_tasks(id=project_id, request=list(batch), return_task_ids=True,
                                 request_options={"max_retries": 0})
    except (ApiError, httpx.HTTPError) as err:
        error = service_error(conn, f"importing tasks into project {project_id}", err)
        raise ServiceError(f"{error} -- {report.imported} of {report.tasks - report.already_there} new tasks "
                           "were imported before this (fix: push again; tasks already there are skipped)") \
            from None


def _add_predictions(conn: Connection, ls: Any, project_id: int, tasks: Sequence[dict],
                     there: dict[TaskKey, int], report: PushReport) -> None:
    versions = existing_model_versions(conn, ls, project_id)
    for t in tasks:
        task_id = there[task_key(t["data"])]
        for p in t.get("predictions") or ():
            if p.get("model_version") in versions.get(task_id, set()):
                report.predictions_skipped += 1
                continue
            fields = {"task": task_id, "result": p["result"], "model_version": p.get("model_version")}
            if p.get("score") is not None:
                fields["score"] = p["score"]
            call(conn, f"adding a prediction to task {task_id}",
                 lambda fields=fields: ls.predictions.create(**fields), attempts=1)
            versions.setdefault(task_id, set()).add(p.get("model_version"))
            report.predictions_added += 1


def _progress(total: int, what: str, enabled: bool):
    from aqwal.corpus.progress import bar
    return bar(total=total, desc=what, unit="task", enabled=enabled and total > 0, leave=False)


# ---- users (used by tests and by administrators) -------------------------------------------------------

def create_annotator(conn: Connection, email: str, *, organization: int | None = None) -> int:
    """A user in the API key's organisation (so that they see its projects); their id."""
    ls = conn.sdk()
    me = call(conn, "reading the current user", lambda: ls.users.whoami())
    org = organization if organization is not None else me.active_organization
    user = call(conn, f"creating user {email!r}", lambda: ls.users.create(email=email, username=email))
    call(conn, f"adding user {email!r} to organisation {org}",
         lambda: ls.users.update(id=user.id, request_options={"additional_body_parameters":
                                                              {"active_organization": org}}))
    return user.id


def user_ids(conn: Connection, ls: Any) -> dict[str, int]:
    """e-mail -> user id of the server's users."""
    return {u.email: u.id for u in call(conn, "listing users", lambda: list(ls.users.list()))}


# ---- loading a batch file --------------------------------------------------------------------------------

def project_tasks(conn: Connection, ls: Any, project_id: int) -> list[dict]:
    """Every task of a project as the full JSON export has it (data, annotations with their results)."""
    import json
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.json"
        export_project(conn, ls, project_id, path)
        return json.loads(path.read_text(encoding="utf-8"))


def _differences(mine, theirs) -> list[str]:
    """What differs between two versions of a document's annotations, item by item (at most a few)."""
    def keys(doc):
        mentions = {(m.span.start, m.span.end, m.label): m.span.text for m in doc.entities + doc.sources}
        quotes = {}
        for q in doc.quotes:
            sp = doc.mention(q.speaker).span.text if q.speaker else None
            quotes[(q.span.start, q.span.end)] = (q.kind, q.cue.text if q.cue else None, sp,
                                                   tuple(sorted((s.target, s.label) for s in q.stance)))
        return mentions, quotes
    (m1, q1), (m2, q2) = keys(mine), keys(theirs)
    out = [f"{lab} {text!r}@{s} only in the batch file" for (s, e, lab), text in sorted(m1.items()) if (s, e, lab)
           not in m2]
    out += [f"{lab} {text!r}@{s} only in Label Studio" for (s, e, lab), text in sorted(m2.items()) if (s, e, lab)
            not in m1]
    out += [f"quotation [{s}, {e}) only in the batch file" for (s, e) in sorted(set(q1) - set(q2))]
    out += [f"quotation [{s}, {e}) only in Label Studio" for (s, e) in sorted(set(q2) - set(q1))]
    out += [f"quotation [{s}, {e}): {q1[(s, e)]} in the batch file, {q2[(s, e)]} in Label Studio"
            for (s, e) in sorted(set(q1) & set(q2)) if q1[(s, e)] != q2[(s, e)]]
    return out[:8] + ([f"... {len(out) - 8} more"] if len(out) > 8 else [])


def load_annotations(conn: Connection, title: str, annotator: str, documents: dict, *,
                     annotators: str | Path | None = None, legacy: bool = False) -> dict:
    """Create ``annotator``'s annotations (id -> Document, or None: skipped) on the project's tasks.

    A task that already holds an annotation by that annotator's account is never changed: an identical one
    counts as already there, a different one is reported with its differences for a person to decide.
    The account is the registry's e-mail for ``annotator`` (created in the organisation if absent).
    ``legacy``: the project was made before the per-target-count layout (its stance values name targets)."""
    from aqwal.annotation.convert import convert_export
    from aqwal.annotation.labelstudio import document_results
    from aqwal.annotation.batch import ANNOTATORS
    from aqwal.corpus.annotators import load_registry
    registry = load_registry(annotators or ANNOTATORS)
    emails = [a.email for a in registry.values() if a.annotator == annotator]
    if not emails:
        raise ConfigError(f"annotator {annotator!r} is not in the registry (fix: add a line for them to "
                          "annotation/annotators.tsv: email, annotator id, kind, description)")
    email = emails[0]
    ls = conn.sdk()
    project = require_project(conn, ls, title)
    users = user_ids(conn, ls)
    report = {"project": title, "annotator": annotator, "email": email, "user_created": email not in users,
              "created": 0, "same": 0, "differs": [], "missing_tasks": []}
    user = users.get(email) or create_annotator(conn, email)
    tasks = {t["data"].get("doc_id"): t for t in project_tasks(conn, ls, project.id)}
    todo = []
    for doc_id, doc in documents.items():
        t = tasks.get(doc_id)
        if t is None:
            report["missing_tasks"].append(doc_id)
            continue
        if doc is not None and t["data"].get("sha256") != doc.sha256:
            raise InvalidData(Problem(f"document {doc_id!r}", "sha256", f"project {title!r} holds another text",
                                      "the stored text never changes; push the batch's documents again"))
        mine = [a for a in t.get("annotations") or [] if _completed_by(a) == user]
        if not mine:
            todo.append((t, doc))
            continue
        ann = mine[-1]
        if doc is None or ann.get("was_cancelled"):
            same = doc is None and ann.get("was_cancelled")
            diffs = [] if same else ["skipped in one, annotated in the other"]
        else:
            conv = convert_export([{**t, "annotations": [ann], "drafts": []}])
            theirs = next(iter(conv.documents.values()), [None])[0]
            diffs = ["Label Studio's annotation does not convert: " + "; ".join(
                u.reason for u in conv.rejected[:3])] if theirs is None else _differences(doc, theirs)
        if diffs:
            report["differs"].append({"id": doc_id, "task": t["id"], "annotation": ann.get("id"),
                                      "differences": diffs})
        else:
            report["same"] += 1
    if report["missing_tasks"]:
        raise ConfigError(f"project {title!r} has no task for {len(report['missing_tasks'])} document(s) "
                          f"({', '.join(report['missing_tasks'][:3])}) (fix: push the batch's pass first: "
                          "`aqwal annotate push BATCH --pass P`)")
    for t, doc in todo:
        body = {"result": [] if doc is None else document_results(doc, legacy=legacy), "was_cancelled": doc is None,
                "ground_truth": False, "completed_by": user}
        call(conn, f"creating an annotation on task {t['id']}", lambda body=body, t=t: ls.annotations.create(
            id=t["id"], **body), attempts=1)
        report["created"] += 1
    return report


def _completed_by(ann: dict) -> Any:
    who = ann.get("completed_by")
    return who.get("id") if isinstance(who, dict) else who


# ---- what to push ------------------------------------------------------------------------------------

MODEL_VERSION_FORM = "NAME@VERSION"


def check_model_version(value: str | None) -> str:
    import re
    if not value or not re.fullmatch(r"[^@\s]+@[^@\s]+", value):
        raise ConfigError(f"--model-version {value!r}: give the system that made the predictions as "
                          f"{MODEL_VERSION_FORM}, e.g. rules-baseline@0.3.1")
    return value


def _target_warning(docs) -> list[str]:
    none = sum(1 for d in docs if not d.targets)
    if not none:
        return []
    return [f"{none:,} of {len(docs):,} documents have no targets: their quotations get no stance rows (fix: "
            "give them targets under [targets] in their batch's batch.toml, run `aqwal annotate select`, and push "
            "the batch folder; a documents file such as corpus/data/pool.jsonl carries no targets)"]


def document_tasks(docs_path: str | Path, predictions_path: str | Path | None = None,
                   model_version: str | None = None, *, only: Sequence[str] | None = None
                   ) -> tuple[list[dict], list[str]]:
    """Tasks for the documents of a JSONL file, with pre-annotations from a predictions file; and warnings.

    The predictions file is a submission (design.md): an optional header line naming the system (as
    ``aqwal run`` writes it; it gives the model version when ``model_version`` is not given), then one record
    per document, keyed by ``id``.  Every record is checked against its document; all problems are reported
    together.
    """
    import itertools

    from aqwal.annotation.labelstudio import prediction, predictions_results, task
    from aqwal.corpus.jsonl import MAX_PROBLEMS, iter_json_lines, read_documents
    docs = read_documents(docs_path)
    if only is not None:
        wanted = set(only)
        docs = [d for d in docs if d.id in wanted]
    if predictions_path is None:
        if model_version is not None:
            raise ConfigError("--model-version names the system of --predictions; give --predictions too")
        return [task(d) for d in docs], _target_warning(docs)
    lines = iter_json_lines(predictions_path)
    header = None
    first = next(lines, None)
    if isinstance(first, tuple) and isinstance(first[1], dict) and "system" in first[1] and "id" not in first[1]:
        header = first[1]["system"] if isinstance(first[1]["system"], dict) else {}
        first = None
    if model_version is None and header and header.get("name") and header.get("version"):
        model_version = f"{header['name']}@{header['version']}"
    model_version = check_model_version(model_version)
    by_id = {d.id: d for d in docs}
    results: dict[str, list[dict]] = {}
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    unknown = 0
    for line_no, record in itertools.chain([first] if first else [], lines):
        where = f"{predictions_path}:{line_no}"
        doc_id = record.get("id") if isinstance(record, dict) else None
        if not isinstance(doc_id, str):
            problems.append(Problem(where, "id", "missing or not a string", "key each record by its document id"))
        elif doc_id in first_line:
            problems.append(Problem(where, "id", f"{doc_id!r} again (first on line {first_line[doc_id]})",
                                    "give one record per document"))
        elif doc_id not in by_id:
            unknown += 1
        else:
            first_line[doc_id] = line_no
            try:
                results[doc_id] = predictions_results(by_id[doc_id], record, where=where)
            except InvalidData as err:
                problems.extend(err.problems)
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise InvalidData(problems)
    warnings = _target_warning(docs)
    if unknown:
        warnings.append(f"{predictions_path}: {unknown} record(s) for documents not in {docs_path} were ignored")
    missing = len(docs) - len(results)
    if missing:
        warnings.append(f"{predictions_path}: no record for {missing} of {len(docs)} documents; they get no "
                        "pre-annotation")
    tasks = [task(d, [prediction(results[d.id], model_version)] if d.id in results else []) for d in docs]
    return tasks, warnings


def review_tasks(path: str | Path) -> list[dict]:
    """The review tasks written by ``aqwal annotate adjudicate --review-out`` (a JSON list of tasks)."""
    from aqwal.corpus.jsonl import read_json
    path = Path(path)
    tasks = read_json(path, fix="give the file written by `aqwal annotate adjudicate --review-out`")
    if not isinstance(tasks, list) or not all(isinstance(t, dict) and isinstance(t.get("data"), dict)
                                              for t in tasks):
        raise FormatError(f"{path}: not a list of Label Studio tasks (fix: give the file written by `aqwal "
                          "annotate adjudicate --review-out`, or documents as .jsonl)")
    return tasks
