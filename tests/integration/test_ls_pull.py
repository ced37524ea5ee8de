"""Pull under real network failures: a loopback proxy in front of the real server cuts or stalls the export.

An export cut short is retried; when every attempt fails, or the pull is interrupted with Ctrl-C, the
snapshots directory holds nothing: no snapshot, no temporary directory.
"""
from __future__ import annotations

import http.server
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from aqwal.annotation.client import connection, push_tasks
from aqwal.annotation.labelstudio import task
from aqwal.annotation.snapshot import verify
from aqwal.corpus.model import Document
from aqwal.corpus.paths import ROOT

pytestmark = pytest.mark.server

PROJECT = "Aqwal pull test"


class FlakyProxy(http.server.ThreadingHTTPServer):
    """Forwards GETs to ``upstream``; the first ``cut`` exports stop half-way, or stall when ``stall`` is set."""

    daemon_threads = True

    def __init__(self, upstream: str, *, cut: int = 0, stall: bool = False):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.upstream, self.cut, self.stall = upstream, cut, stall
        self.release = threading.Event()
        self.exports = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(http.server.BaseHTTPRequestHandler):
    server: FlakyProxy

    def log_message(self, *args) -> None:  # keep the test output clean
        pass

    def do_GET(self) -> None:
        headers = {k: v for k, v in self.headers.items() if k.lower() in ("authorization", "accept")}
        request = urllib.request.Request(self.server.upstream + self.path, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                status, body, ctype = response.status, response.read(), response.headers.get("Content-Type")
        except urllib.error.HTTPError as err:
            status, body, ctype = err.code, err.read(), err.headers.get("Content-Type")
        self.send_response(status)
        self.send_header("Content-Type", ctype or "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if "/export" in self.path:
            self.server.exports += 1
            if self.server.stall:
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.server.release.wait(120)
                self._drop()
                return
            if self.server.cut > 0:
                self.server.cut -= 1
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self._drop()
                return
        self.wfile.write(body)

    def _drop(self) -> None:
        self.close_connection = True
        self.connection.shutdown(socket.SHUT_RDWR)


@pytest.fixture(scope="module")
def project(label_studio):
    text = "👍🏽 قال الوزير إن «الاتفاق قريب»."
    doc = Document.create(id="pull-1", text=text, source="test", license="all-rights-reserved")
    push_tasks(connection(label_studio.url, label_studio.token), PROJECT, [task(doc)], targets=0)
    return PROJECT


def _proxy(label_studio, **kwargs) -> FlakyProxy:
    proxy = FlakyProxy(label_studio.url, **kwargs)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    return proxy


def test_an_export_cut_short_is_retried(label_studio, project, aqwal, tmp_path):
    proxy = _proxy(label_studio, cut=1)
    try:
        result = aqwal("annotate", "pull", "--project", project, "--out", str(tmp_path), "--attempts", "3",
                       env={**label_studio.env(), "LABEL_STUDIO_URL": proxy.url})
    finally:
        proxy.shutdown()
    assert proxy.exports == 2 and "retrying" in result.stderr
    (snapshot,) = (p for p in tmp_path.iterdir() if p.is_dir())
    assert verify(snapshot)["counts"]["tasks"] == 1
    # named for what it holds, and listed in the index
    assert snapshot.name.startswith(project.lower().replace(" ", "-")) or snapshot.name.split(".")[0] in project
    assert (tmp_path / "index.tsv").read_text(encoding="utf-8").splitlines()[1].startswith(snapshot.name + "\t")


def test_a_pull_that_keeps_failing_leaves_nothing(label_studio, project, aqwal, tmp_path):
    proxy = _proxy(label_studio, cut=10)
    try:
        result = aqwal("annotate", "pull", "--project", project, "--out", str(tmp_path), "--attempts", "2",
                       env={**label_studio.env(), "LABEL_STUDIO_URL": proxy.url}, check=False)
    finally:
        proxy.shutdown()
    assert result.returncode == 2 and "attempt 2 of 2" in result.stderr
    assert proxy.exports == 2
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_pull_leaves_nothing(label_studio, project, tmp_path):
    proxy = _proxy(label_studio, stall=True)
    out = tmp_path / "snapshots"
    command = [sys.executable, "-m", "aqwal", "annotate", "pull", "--project", project, "--out", str(out)]
    process = subprocess.Popen(command, cwd=ROOT, env={**label_studio.env(), "LABEL_STUDIO_URL": proxy.url},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for_partial_export(out, process, proxy)  # half the export sent, the temporary directory made
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    finally:
        proxy.release.set()
        proxy.shutdown()
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, stderr
    assert list(out.iterdir()) == []


def _wait_for_partial_export(out: Path, process: subprocess.Popen, proxy: FlakyProxy) -> Path:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        found = list(out.glob(".pull-*/export.json")) if out.exists() else []
        if found and proxy.exports:
            time.sleep(0.5)
            return found[0]
        if process.poll() is not None:
            raise AssertionError(f"pull ended before it could be interrupted: {process.communicate()}")
        time.sleep(0.1)
    raise AssertionError("the pull never started writing its export")
