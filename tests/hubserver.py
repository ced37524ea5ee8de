"""A small stand-in for the Hugging Face Hub's HTTP API, for testing uploads and loads without internet.

It implements only what ``huggingface_hub`` (2.x, with ``HF_HUB_DISABLE_XET=1``) and ``datasets``
call for ``create_repo``, ``upload_folder``, ``create_tag``, ``list_repo_refs`` and
``load_dataset(repo, revision=...)``: repo create, validate-yaml, preupload, LFS batch + PUT, the NDJSON
commit, tags, refs, repo info, tree / paths-info listings and file resolve (HEAD/GET, ranges).
Repositories live in memory.  Any token is accepted, but uploads must carry one.  Requests the server
does not know are recorded in ``unknown`` and answered 404, so a test can show what was missing.

    with HubServer() as hub:           # hub.endpoint == "http://127.0.0.1:PORT"
        ...
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlparse


def git_blob_oid(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def lfs_pointer(oid: str, size: int) -> bytes:
    return f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {size}\n".encode()


@dataclass
class Commit:
    oid: str
    parent: str | None
    files: dict[str, tuple[bytes, bool]]  # path → (content, stored in LFS)
    title: str


@dataclass
class Repo:
    repo_type: str
    repo_id: str
    private: bool
    commits: dict[str, Commit] = field(default_factory=dict)
    branches: dict[str, str] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)

    def resolve(self, rev: str) -> Commit | None:
        oid = self.branches.get(rev) or self.tags.get(rev) or (rev if rev in self.commits else None)
        return self.commits.get(oid) if oid else None


class HubState:
    def __init__(self) -> None:
        self.repos: dict[tuple[str, str], Repo] = {}
        self.lfs: dict[str, bytes] = {}
        self.lock = threading.Lock()
        self.unknown: list[str] = []
        self.log: list[str] = []
        self.tokens_seen: set[str] = set()

    def create(self, repo_type: str, repo_id: str, private: bool) -> Repo:
        repo = Repo(repo_type, repo_id, private)
        empty = Commit(hashlib.sha1(f"init {repo_type} {repo_id}".encode()).hexdigest(), None,
                       {".gitattributes": (b"*.parquet filter=lfs diff=lfs merge=lfs -text\n", False)},
                       "initial commit")
        repo.commits[empty.oid] = empty
        repo.branches["main"] = empty.oid
        self.repos[(repo_type, repo_id)] = repo
        return repo


_TYPES = {"datasets": "dataset", "models": "model", "spaces": "space"}
_PREFIX = {"dataset": "datasets/", "model": "", "space": "spaces/"}
_REPO = r"(?P<repo>[^/]+/[^/]+?|[^/]+?)"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: HubState
    endpoint: str

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    # ---- plumbing ------------------------------------------------------------------------------
    def _body(self) -> bytes:
        n = int(self.headers.get("Content-Length") or 0)
        if n:
            return self.rfile.read(n)
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            out = b""
            while True:
                size = int(self.rfile.readline().strip(), 16)
                if size == 0:
                    self.rfile.readline()
                    return out
                out += self.rfile.read(size)
                self.rfile.readline()
        return b""

    def _send(self, status: int, body: bytes | dict | list | None = None, headers: dict | None = None,
              head_only: bool = False) -> None:
        if isinstance(body, (dict, list)):
            data = json.dumps(body).encode()
            headers = {"Content-Type": "application/json", **(headers or {})}
        else:
            data = body or b""
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if not head_only:
            self.wfile.write(data)

    def _error(self, status: int, message: str) -> None:
        self._send(status, {"error": message}, {"X-Error-Message": message})

    def _token(self) -> str | None:
        auth = self.headers.get("Authorization", "")
        return auth[7:] if auth.startswith("Bearer ") else None

    def _repo(self, kind: str, repo_id: str) -> Repo | None:
        return self.state.repos.get((_TYPES.get(kind, kind), unquote(repo_id)))

    def _dispatch(self, method: str) -> None:
        url = urlparse(self.path)
        path, query = url.path, parse_qs(url.query)
        self.state.log.append(f"{method} {path}")
        for pattern, name in ROUTES:
            m = re.fullmatch(pattern, path)
            if m and name.startswith(method.lower() + "_"):
                with self.state.lock:
                    return getattr(self, name)(query=query, **m.groupdict())
        self.state.unknown.append(f"{method} {self.path}")
        self._body()
        self._error(404, f"not implemented by the test server: {method} {path}")

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_HEAD(self) -> None:
        self._dispatch("HEAD")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    # ---- repositories ------------------------------------------------------------------------------
    def post_create(self, query) -> None:
        body = json.loads(self._body() or b"{}")
        if not self._token():
            return self._error(401, "an access token is needed")
        self.state.tokens_seen.add(self._token())
        repo_type = body.get("type") or "model"
        repo_id = f"{body['organization']}/{body['name']}" if body.get("organization") else body["name"]
        url = f"{self.endpoint}/{_PREFIX[repo_type]}{repo_id}"
        if (repo_type, repo_id) in self.state.repos:  # the Hub's 409 carries the url, which the client reads
            return self._send(409, {"error": "You already created this repo", "url": url},
                              {"X-Error-Message": "You already created this repo"})
        self.state.create(repo_type, repo_id, bool(body.get("private")))
        self._send(200, {"url": url, "name": repo_id, "id": repo_id})

    def post_validate_yaml(self, query) -> None:
        body = json.loads(self._body() or b"{}")
        self._send(200, {"errors": [], "warnings": []} if isinstance(body.get("content"), str)
                   else {"errors": [{"message": "no content"}]})

    def get_info(self, query, kind, repo, rev=None) -> None:
        r = self._repo(kind, repo)
        if r is None:
            return self._error(404, "Repository not found")
        commit = r.resolve(unquote(rev or "main"))
        if commit is None:
            return self._error(404, f"Invalid rev id: {rev}")
        self._send(200, {"_id": r.repo_id, "id": r.repo_id, "author": r.repo_id.split("/")[0],
                         "sha": commit.oid, "private": r.private, "gated": False, "disabled": False,
                         "downloads": 0, "likes": 0, "tags": [], "lastModified": "2026-01-01T00:00:00.000Z",
                         "createdAt": "2026-01-01T00:00:00.000Z",
                         "siblings": [{"rfilename": p} for p in sorted(commit.files)]},
                   {"X-Repo-Commit": commit.oid})

    def get_refs(self, query, kind, repo) -> None:
        r = self._repo(kind, repo)
        if r is None:
            return self._error(404, "Repository not found")
        self._send(200, {"branches": [{"name": n, "ref": f"refs/heads/{n}", "targetCommit": o}
                                      for n, o in sorted(r.branches.items())],
                         "tags": [{"name": n, "ref": f"refs/tags/{n}", "targetCommit": o}
                                  for n, o in sorted(r.tags.items())],
                         "converts": []})

    def post_tag(self, query, kind, repo, rev) -> None:
        body = json.loads(self._body() or b"{}")
        r = self._repo(kind, repo)
        if r is None:
            return self._error(404, "Repository not found")
        commit = r.resolve(unquote(rev))
        if commit is None:
            return self._error(404, f"Invalid rev id: {rev}")
        if body["tag"] in r.tags:
            return self._error(409, f"Tag {body['tag']} already exists")
        r.tags[body["tag"]] = commit.oid
        self._send(200, {})

    def post_branch(self, query, kind, repo, branch) -> None:
        body = json.loads(self._body() or b"{}")
        r = self._repo(kind, repo)
        if r is None:
            return self._error(404, "Repository not found")
        commit = r.resolve(body.get("startingPoint") or "main")
        if unquote(branch) in r.branches:
            return self._error(409, "Reference already exists")
        r.branches[unquote(branch)] = commit.oid
        self._send(200, {})

    # ---- uploads ----------------------------------------------------------------------------------
    def post_preupload(self, query, kind, repo, rev) -> None:
        body = json.loads(self._body())
        r = self._repo(kind, repo)
        if r is None:
            return self._error(404, "Repository not found")
        commit = r.resolve(unquote(rev))
        files = []
        for f in body["files"]:
            mode = "lfs" if f["path"].endswith(".parquet") or f["size"] > 10_000_000 else "regular"
            remote = commit.files.get(f["path"]) if commit else None
            oid = None
            if remote is not None:
                content, is_lfs = remote
                oid = hashlib.sha256(content).hexdigest() if is_lfs else git_blob_oid(content)
            files.append({"path": f["path"], "uploadMode": mode, "shouldIgnore": False, "oid": oid})
        self._send(200, {"files": files, "commitOid": commit.oid if commit else None})

    def post_lfs_batch(self, query, kind, repo) -> None:
        body = json.loads(self._body())
        objects = []
        for obj in body["objects"]:
            item = {"oid": obj["oid"], "size": obj["size"]}
            if obj["oid"] not in self.state.lfs:
                item["actions"] = {"upload": {"href": f"{self.endpoint}/_lfs/{obj['oid']}", "header": {}}}
            objects.append(item)
        self._send(200, {"transfer": "basic", "objects": objects, "hash_algo": "sha256"},
                   {"Content-Type": "application/vnd.git-lfs+json"})

    def put_lfs_object(self, query, oid) -> None:
        data = self._body()
        if hashlib.sha256(data).hexdigest() != oid:
            return self._error(400, "sha256 mismatch")
        self.state.lfs[oid] = data
        self._send(200, b"")

    def post_commit(self, query, kind, repo, rev) -> None:
        if not self._token():
            return self._error(401, "an access token is needed")
        lines = [json.loads(line) for line in self._body().decode().splitlines() if line.strip()]
        r = self._repo(kind, repo)
        if r is None:
            return self._error(404, "Repository not found")
        branch = unquote(rev)
        parent = r.resolve(branch)
        if parent is None or branch not in r.branches:
            return self._error(404, f"Invalid branch: {branch}")
        files = dict(parent.files)
        title = ""
        for line in lines:
            key, value = line["key"], line["value"]
            if key == "header":
                title = value.get("summary", "")
                if value.get("parentCommit") and value["parentCommit"] != parent.oid:
                    return self._error(412, "parent commit is not the head of the branch")
            elif key == "file":
                files[value["path"]] = (base64.b64decode(value["content"]), False)
            elif key == "lfsFile":
                if value["oid"] not in self.state.lfs:
                    return self._error(422, f"LFS object {value['oid']} was not uploaded")
                files[value["path"]] = (self.state.lfs[value["oid"]], True)
            elif key == "deletedFile":
                files.pop(value["path"], None)
            elif key == "deletedFolder":
                prefix = value["path"].rstrip("/") + "/"
                files = {p: v for p, v in files.items() if not p.startswith(prefix)}
            else:
                return self._error(400, f"unknown commit operation {key}")
        digest = hashlib.sha1(json.dumps([parent.oid, title, sorted((p, hashlib.sha256(c).hexdigest())
                                                                    for p, (c, _) in files.items())]).encode())
        commit = Commit(digest.hexdigest(), parent.oid, files, title)
        r.commits[commit.oid] = commit
        r.branches[branch] = commit.oid
        self._send(200, {"commitUrl": f"{self.endpoint}/{_PREFIX[r.repo_type]}{r.repo_id}/commit/{commit.oid}",
                         "commitOid": commit.oid, "success": True})

    # ---- reading -----------------------------------------------------------------------------------
    def _entry(self, path: str, content: bytes, is_lfs: bool) -> dict:
        entry = {"type": "file", "path": path, "size": len(content)}
        if is_lfs:
            sha = hashlib.sha256(content).hexdigest()
            pointer = lfs_pointer(sha, len(content))
            entry.update(oid=git_blob_oid(pointer), lfs={"oid": sha, "size": len(content),
                                                          "pointerSize": len(pointer)})
        else:
            entry["oid"] = git_blob_oid(content)
        return entry

    def _listing(self, commit: Commit, base: str, recursive: bool) -> list[dict]:
        base = base.strip("/")
        prefix = base + "/" if base else ""
        out: dict[str, dict] = {}
        for path, (content, is_lfs) in sorted(commit.files.items()):
            if not path.startswith(prefix):
                continue
            rest = path[len(prefix):]
            parts = rest.split("/")
            for depth in range(1, len(parts)):
                if depth > 1 and not recursive:
                    break
                d = prefix + "/".join(parts[:depth])
                out.setdefault(d, {"type": "directory", "path": d, "oid": hashlib.sha1(d.encode()).hexdigest(),
                                   "size": 0})
            if recursive or len(parts) == 1:
                out[path] = self._entry(path, content, is_lfs)
        return [out[k] for k in sorted(out)]

    def get_tree(self, query, kind, repo, rev, path="") -> None:
        r = self._repo(kind, repo)
        commit = r.resolve(unquote(rev)) if r else None
        if commit is None:
            return self._error(404, "Revision not found")
        path = unquote(path or "")
        if path and path not in commit.files and not any(p.startswith(path.rstrip("/") + "/") for p in commit.files):
            return self._error(404, f"{path} does not exist")
        recursive = query.get("recursive", ["false"])[0].lower() in ("1", "true")
        self._send(200, self._listing(commit, path, recursive))

    def post_paths_info(self, query, kind, repo, rev) -> None:
        raw = self._body().decode()
        ctype = self.headers.get("Content-Type", "")
        form = json.loads(raw) if "json" in ctype else parse_qs(raw)
        paths = form.get("paths", [])
        paths = [paths] if isinstance(paths, str) else paths
        r = self._repo(kind, repo)
        commit = r.resolve(unquote(rev)) if r else None
        if commit is None:
            return self._error(404, "Revision not found")
        out = []
        for p in paths:
            p = p.strip("/")
            if p in commit.files:
                out.append(self._entry(p, *commit.files[p]))
            elif any(f.startswith(p + "/") for f in commit.files):
                out.append({"type": "directory", "path": p, "oid": hashlib.sha1(p.encode()).hexdigest(), "size": 0})
        self._send(200, out)

    def _resolve(self, kind, repo, rev, path, head_only: bool) -> None:
        r = self._repo(kind, repo)
        commit = r.resolve(unquote(rev)) if r else None
        if commit is None:
            return self._error(404, "Revision not found")
        path = unquote(path)
        if path not in commit.files:
            return self._send(404, b"", {"X-Error-Code": "EntryNotFound", "X-Repo-Commit": commit.oid},
                              head_only=head_only)
        content, is_lfs = commit.files[path]
        etag = hashlib.sha256(content).hexdigest() if is_lfs else git_blob_oid(content)
        headers = {"X-Repo-Commit": commit.oid, "ETag": f'"{etag}"', "Accept-Ranges": "bytes",
                   "Content-Type": "application/octet-stream"}
        if is_lfs:
            headers.update({"X-Linked-Etag": f'"{etag}"', "X-Linked-Size": str(len(content))})
        status, body = 200, content
        rng = self.headers.get("Range")
        if rng and (m := re.fullmatch(r"bytes=(\d*)-(\d*)", rng.strip())):
            start = int(m[1]) if m[1] else max(0, len(content) - int(m[2]))
            end = int(m[2]) if m[1] and m[2] else len(content) - 1
            end = min(end, len(content) - 1)
            body, status = content[start:end + 1], 206
            headers["Content-Range"] = f"bytes {start}-{end}/{len(content)}"
        self._send(status, body, headers, head_only=head_only)

    def get_resolve(self, query, kind, repo, rev, path) -> None:
        self._resolve(kind, repo, rev, path, head_only=False)

    def head_resolve(self, query, kind, repo, rev, path) -> None:
        self._resolve(kind, repo, rev, path, head_only=True)


_KIND = r"(?P<kind>datasets|models|spaces)"
ROUTES: list[tuple[str, str]] = [
    (r"/api/repos/create", "post_create"),
    (r"/api/validate-yaml", "post_validate_yaml"),
    (rf"/api/{_KIND}/{_REPO}/preupload/(?P<rev>[^/]+)", "post_preupload"),
    (rf"/api/{_KIND}/{_REPO}/commit/(?P<rev>[^/]+)", "post_commit"),
    (rf"/api/{_KIND}/{_REPO}/tag/(?P<rev>[^/]+)", "post_tag"),
    (rf"/api/{_KIND}/{_REPO}/branch/(?P<branch>[^/]+)", "post_branch"),
    (rf"/api/{_KIND}/{_REPO}/refs", "get_refs"),
    (rf"/api/{_KIND}/{_REPO}/revision/(?P<rev>[^/]+)", "get_info"),
    (rf"/api/{_KIND}/{_REPO}/tree/(?P<rev>[^/]+)(?:/(?P<path>.*))?", "get_tree"),
    (rf"/api/{_KIND}/{_REPO}/paths-info/(?P<rev>[^/]+)", "post_paths_info"),
    (rf"/api/{_KIND}/{_REPO}", "get_info"),
    (rf"/(?P<kind>datasets|spaces)/{_REPO}\.git/info/lfs/objects/batch", "post_lfs_batch"),
    (r"/_lfs/(?P<oid>[0-9a-f]{64})", "put_lfs_object"),
    (rf"/{_KIND}/{_REPO}/resolve/(?P<rev>[^/]+)/(?P<path>.+)", "get_resolve"),
    (rf"/{_KIND}/{_REPO}/resolve/(?P<rev>[^/]+)/(?P<path>.+)", "head_resolve"),
]


class HubServer:
    """The server on 127.0.0.1 (a free port) in a daemon thread; a context manager."""

    def __init__(self) -> None:
        self.state = HubState()
        handler = type("BoundHandler", (Handler,), {"state": self.state})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.endpoint = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        handler.endpoint = self.endpoint
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> HubServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


if __name__ == "__main__":  # run it by hand: python tests/hubserver.py
    with HubServer() as hub:
        print(hub.endpoint, flush=True)
        threading.Event().wait()
