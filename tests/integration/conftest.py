"""Real Label Studio servers for the session, started the way annotators start them: ``aqwal annotate serve``.

Two sites (one server per annotator, annotation/sites.py) are served by one ``serve`` process: the first holds
most tests' projects (``label_studio``), the second is another annotator's, for the test that passes stay
apart.  A cold start takes 1-3 minutes (migrations), so they serve every test of the session; the process
groups are stopped at the end and the ports checked closed.  There is no skipping: without the Label Studio
virtualenv the tests fail with the command that installs it.
"""
from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from aqwal.annotation.server import LOGIN_FILE, label_studio_executable, port_in_use, user_token
from aqwal.corpus.errors import ConfigError
from aqwal.corpus.paths import ROOT

START_TIMEOUT = 420.0
SITES = ("annotator-one", "annotator-two")  # the annotators of a test batch's passes a and b


@dataclass
class LiveServer:
    url: str
    data_dir: Path
    username: str
    password: str
    token: str
    invitation: str
    site: str
    sites: Path  # the sites root (AQWAL_SITES)
    output: list[str] = field(default_factory=list)  # what `aqwal annotate serve` printed

    def env(self, token: str | None = None) -> dict[str, str]:
        """Environment for running ``aqwal`` against this server (the key only through the environment)."""
        return {**os.environ, "LABEL_STUDIO_URL": self.url, "LABEL_STUDIO_API_KEY": token or self.token,
                "AQWAL_SITES": str(self.sites)}


@dataclass(frozen=True)
class User:
    id: int
    email: str
    token: str


def _reader(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line.rstrip("\n"))
    lines.put(None)


def _blocks(output: list[str]) -> dict[str, dict[str, str]]:
    """site -> {url, user, password, invitation} from what `serve` printed."""
    out: dict[str, dict[str, str]] = {}
    current: dict[str, str] = {}
    for line in output:
        m = re.match(r"Label Studio is running: (\S+)\s+\(site (\S+)\)", line)
        if m:
            current = out.setdefault(m.group(2), {"url": m.group(1)})
            continue
        key, _, value = line.strip().partition(":")
        if key in ("user", "password", "invitation") and current:
            current[key] = value.strip().split()[0]
    return out


@pytest.fixture(scope="session")
def sites(tmp_path_factory) -> dict[str, LiveServer]:
    try:
        label_studio_executable()
    except ConfigError as err:
        pytest.fail(f"the Label Studio integration tests need the server: {err}", pytrace=False)
    root = tmp_path_factory.mktemp("sites")
    command = [sys.executable, "-m", "aqwal", "annotate", "serve", "--sites", str(root), "--timeout",
               str(START_TIMEOUT)] + [arg for site in SITES for arg in ("--site", site)]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"}, stdin=subprocess.DEVNULL)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_reader, args=(process.stdout, lines), daemon=True).start()
    output: list[str] = []
    deadline = time.monotonic() + START_TIMEOUT + 30
    while not any(line.startswith("Press Ctrl-C") for line in output):
        try:
            line = lines.get(timeout=max(1.0, deadline - time.monotonic()))
        except queue.Empty:
            line = None
        if line is None or time.monotonic() > deadline:
            process.kill()
            tails = []
            for site in SITES:
                log = root / site / "aqwal-server.log"
                tails.append("\n".join(log.read_text(errors="replace").splitlines()[-30:]) if log.exists() else "")
            pytest.fail("`aqwal annotate serve` did not come up:\n" + "\n".join(output) + "\n" + "\n".join(tails),
                        pytrace=False)
        output.append(line)
    printed = _blocks(output)
    servers = {}
    for site in SITES:
        login = json.loads((root / site / LOGIN_FILE).read_text())
        block = printed[site]
        servers[site] = LiveServer(block["url"], root / site, block["user"], block["password"], login["token"],
                                   block["invitation"], site, root, output)
    yield servers
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(90)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail("`aqwal annotate serve` did not stop within 90 s of SIGTERM")
    assert process.returncode == 0, "\n".join(output)
    for server in servers.values():
        port = int(server.url.rsplit(":", 1)[1])
        assert not port_in_use(port), f"Label Studio still listens on {port} after `aqwal annotate serve` stopped"


@pytest.fixture(scope="session")
def label_studio(sites) -> LiveServer:
    return sites[SITES[0]]


@pytest.fixture(scope="session")
def users(label_studio) -> dict[str, User]:
    """Two more people in the organisation: a second annotator and an adjudicator, each with their own token."""
    from aqwal.annotation.client import connection, create_annotator
    conn = connection(label_studio.url, label_studio.token)
    emails = {"annotator": "second.annotator@aqwal.test", "adjudicator": "lead@aqwal.test"}
    ids = {role: create_annotator(conn, email) for role, email in emails.items()}
    with ThreadPoolExecutor(2) as pool:  # `label-studio user` takes 10-30 s each
        tokens = dict(zip(emails, pool.map(lambda e: user_token(label_studio.data_dir, e), emails.values())))
    admin = conn.sdk().users.whoami()
    return {"admin": User(admin.id, label_studio.username, label_studio.token),
            **{role: User(ids[role], emails[role], tokens[role]) for role in emails}}


def run_aqwal(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    """Run ``python -m aqwal ARGS`` from the checkout."""
    result = subprocess.run([sys.executable, "-m", "aqwal", *args], cwd=ROOT, env=env, capture_output=True,
                            text=True, check=False, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"aqwal {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.fixture(scope="session")
def aqwal():
    return run_aqwal
