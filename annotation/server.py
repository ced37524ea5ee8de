"""A local Label Studio server: found in its own virtualenv, started headless on 127.0.0.1, stopped cleanly.

Label Studio's pins clash with the data stack, so it lives in ``.venv-ls`` (``make label-studio``) or
wherever ``$AQWAL_LABEL_STUDIO`` points.  The server runs in its own process group with settings that make
no outbound calls (no Sentry, no analytics, no version check), on a port we choose and check ourselves:
Label Studio moves silently to the next port when the one it was given is busy.

The admin login (user name, password, API token) is generated once per data directory and kept in
``aqwal-login.json`` inside it.  The port is chosen on the first start and remembered in ``aqwal-server.json``
there, so the URL (and any tunnel or bookmark to it) stays the same across restarts.  The data directory is
the owner's only: 0700, its files 0600 (the SQLite database holds the admin's API token in clear); the
server runs with umask 077 so that what it creates later is too.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Self

from aqwal.corpus.errors import ConfigError, ServiceError
from aqwal.corpus.paths import ROOT

LABEL_STUDIO_VERSION = "1.23.2"
LOGIN_FILE = "aqwal-login.json"
SERVER_FILE = "aqwal-server.json"  # {"port": N}: the port this data directory is served on
LOG_FILE = "aqwal-server.log"
DATABASE = "label_studio.sqlite3"
ADMIN_USERNAME = "admin@aqwal.local"
START_TIMEOUT = 300.0  # a cold start runs ~244 migrations: 60-80 s on 2 cores

# Unprefixed variables Label Studio also reads; a caller's HOST or DEBUG must not reach it.
_UNSET = ("HOST", "PORT", "USERNAME", "PASSWORD", "DEBUG", "LABEL_STUDIO_HOST", "LABEL_STUDIO_PORT",
          "LABEL_STUDIO_URL", "LABEL_STUDIO_API_KEY")
_HEADLESS = {
    "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
    "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
    "SENTRY_DSN": "",
    "FRONTEND_SENTRY_DSN": "",
    "LATEST_VERSION_CHECK": "false",
    "COLLECT_ANALYTICS": "false",
}


def label_studio_executable() -> Path:
    """``$AQWAL_LABEL_STUDIO`` or ``<checkout>/.venv-ls/bin/label-studio``; ConfigError if neither exists."""
    configured = os.environ.get("AQWAL_LABEL_STUDIO")
    path = Path(configured) if configured else ROOT / ".venv-ls" / "bin" / "label-studio"
    if not (path.is_file() and os.access(path, os.X_OK)):
        origin = "$AQWAL_LABEL_STUDIO" if configured else "the Label Studio virtualenv"
        raise ConfigError(f"{origin}: no label-studio executable at {path} (fix: run `make label-studio`, "
                          f"which installs label-studio=={LABEL_STUDIO_VERSION} into .venv-ls, or set "
                          "AQWAL_LABEL_STUDIO to the path of a label-studio executable)")
    return path


def default_data_dir() -> Path:
    """Where ``aqwal annotate serve`` keeps annotators' work unless told otherwise (outside the checkout)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "aqwal" / "label-studio"


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def remembered_port(data_dir: Path) -> int | None:
    """The port a data directory was last served on (``aqwal-server.json``), or None."""
    path = Path(data_dir) / SERVER_FILE
    if not path.is_file():
        return None
    try:
        port = json.loads(path.read_text(encoding="utf-8"))["port"]
    except (ValueError, KeyError, TypeError):
        port = None
    if not isinstance(port, int) or not 0 < port < 65536:
        raise ConfigError(f"{path}: not a port record (fix: delete it; the next start chooses a port and "
                          "remembers it)")
    return port


def remember_port(data_dir: Path, port: int) -> None:
    path = Path(data_dir) / SERVER_FILE
    tmp = path.with_name(f".{SERVER_FILE}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"port": port}, handle)
    os.replace(tmp, path)


def choose_port(data_dir: Path, port: int | None) -> int:
    """``port`` if given, else the one the data directory remembers, else a free one; refused when busy
    (Label Studio itself would move to the next port without saying so)."""
    remembered = remembered_port(data_dir)
    chosen = port or remembered or free_port()
    if port_in_use(chosen):
        if port is None and remembered is not None:
            raise ConfigError(f"port {chosen} on 127.0.0.1, which {Path(data_dir) / SERVER_FILE} remembers for "
                              "this data directory, is in use (fix: stop what runs there -- perhaps this server "
                              "is already running -- or give --port to move it; the new port is remembered)")
        raise ConfigError(f"port {chosen} on 127.0.0.1 is in use (fix: stop what runs there, or leave out "
                          "--port to get a free one)")
    return chosen


def make_private(data_dir: Path) -> None:
    """The data directory and everything in it readable by its owner only (0700 / 0600)."""
    data_dir = Path(data_dir)
    os.chmod(data_dir, 0o700)
    for root, dirs, files in os.walk(data_dir):
        for name in dirs:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                os.chmod(path, 0o700)
        for name in files:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                os.chmod(path, 0o600)


@dataclass(frozen=True)
class Login:
    """The admin account of one data directory.  ``repr`` hides the secrets."""

    username: str
    password: str
    token: str

    def __repr__(self) -> str:
        return f"Login(username={self.username!r}, password=***, token=***)"


def load_or_create_login(data_dir: Path) -> tuple[Login, bool]:
    """The data directory's admin login, created (0600) on first use; the flag says it was just created."""
    path = data_dir / LOGIN_FILE
    if path.exists():
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            return Login(record["username"], record["password"], record["token"]), False
        except (ValueError, KeyError, TypeError) as err:
            raise ConfigError(f"{path}: not a login file ({err}) (fix: restore it from a backup; a new one "
                              "cannot log in to an existing data directory)") from None
    login = Login(ADMIN_USERNAME, secrets.token_urlsafe(18), secrets.token_hex(20))
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"username": login.username, "password": login.password, "token": login.token}, handle)
    return login, True


def child_environment(data_dir: Path, login: Login) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _UNSET}
    env.update(_HEADLESS)
    env.update({"LABEL_STUDIO_BASE_DATA_DIR": str(data_dir), "LABEL_STUDIO_USERNAME": login.username,
                "LABEL_STUDIO_PASSWORD": login.password, "LABEL_STUDIO_USER_TOKEN": login.token})
    return env


class LabelStudioServer:
    """One Label Studio process group serving ``data_dir`` on ``127.0.0.1:port``.

    Use as a context manager, or call ``start()`` and ``stop()``.
    """

    def __init__(self, data_dir: str | Path, *, port: int | None = None, executable: Path | None = None,
                 name: str | None = None):
        self.data_dir = Path(data_dir).resolve()
        self.name = name  # the site it serves, if any (aqwal.annotation.sites)
        self.executable = executable or label_studio_executable()
        self.port = choose_port(self.data_dir, port)
        self.url = f"http://127.0.0.1:{self.port}"
        self.login, self.login_created = load_or_create_login(self.data_dir)
        self.log_path = self.data_dir / LOG_FILE
        self._process: subprocess.Popen | None = None

    # ---- lifecycle ---------------------------------------------------------------------------------
    def start(self, timeout: float = START_TIMEOUT) -> LabelStudioServer:
        if self._process is not None:
            raise ServiceError("this Label Studio server is already started")
        command = [str(self.executable), "start", "--no-browser", "--internal-host", "127.0.0.1",
                   "--port", str(self.port), "--data-dir", str(self.data_dir)]
        remember_port(self.data_dir, self.port)
        make_private(self.data_dir)
        with os.fdopen(os.open(self.log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600), "ab") as log:
            self._process = subprocess.Popen(command, env=child_environment(self.data_dir, self.login),
                                             stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                             start_new_session=True, cwd=self.data_dir, umask=0o077)
        try:
            self._wait_healthy(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            assert self._process is not None
            if self._process.poll() is not None:
                raise ServiceError(f"Label Studio exited with code {self._process.returncode} before it was "
                                   f"up; last lines of {self.log_path}:\n{self.log_tail()}")
            if self._healthy():
                self._check_login()
                return
            if time.monotonic() > deadline:
                raise ServiceError(f"Label Studio did not answer {self.url}/health within {timeout:.0f} s; "
                                   f"last lines of {self.log_path}:\n{self.log_tail()}")
            time.sleep(1.0)

    def _healthy(self) -> bool:
        from aqwal.annotation.client import health
        return health(self.url)

    def _check_login(self) -> None:
        """Whoever answers on our port must know our token: guards against another server on that port."""
        from aqwal.annotation.client import Connection, whoami
        try:
            who = whoami(Connection(self.url, self.login.token))
        except ServiceError as err:
            raise ServiceError(f"the server on {self.url} refused the admin token of {self.data_dir} ({err}) "
                               f"(fix: the data directory was created without {LOGIN_FILE}, or another server "
                               f"holds port {self.port}; use a fresh --data-dir)") from None
        if self.login.username not in (getattr(who, "email", None), getattr(who, "username", None)):
            raise ServiceError(f"the server on {self.url} is not the one started for {self.data_dir}")

    def stop(self, timeout: float = 30.0) -> None:
        """Terminate the whole process group (Label Studio forks workers), then kill what is left."""
        process, self._process = self._process, None
        if process is None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(process.pid, signal.SIGKILL)  # stragglers in the group, if any
        except ProcessLookupError:
            pass
        process.wait()

    def wait(self) -> int:
        """Block until the server exits on its own; its exit code."""
        assert self._process is not None
        return self._process.wait()

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # ---- helpers -------------------------------------------------------------------------------------
    def log_tail(self, lines: int = 25) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])


def user_token(data_dir: str | Path, username: str) -> str:
    """The legacy API token of ``username`` in a data directory (``label-studio user``, offline, 10-30 s)."""
    data_dir = Path(data_dir).resolve()
    login, _ = load_or_create_login(data_dir)
    command = [str(label_studio_executable()), "user", "--username", username, "--data-dir", str(data_dir)]
    result = subprocess.run(command, env=child_environment(data_dir, login), capture_output=True, check=False,
                            text=True, timeout=300, cwd=data_dir, stdin=subprocess.DEVNULL)
    found = re.search(r"'token': '([0-9a-f]+)'", result.stdout)
    if found:
        return found.group(1)
    raise ServiceError(f"`label-studio user --username {username}` printed no token (exit "
                       f"{result.returncode}); its last output: {result.stderr[-500:]}")


def serve(servers: list[LabelStudioServer], *, timeout: float = START_TIMEOUT, out=print) -> int:
    """Run servers for annotators until Ctrl-C (or SIGTERM), started side by side; prints each one's URL, admin
    login and invitation link.  One exiting on its own stops the others and is reported."""
    from concurrent.futures import ThreadPoolExecutor

    from aqwal.annotation.client import Connection, invitation_link
    for server in servers:
        first = not (server.data_dir / DATABASE).exists()
        out(f"starting Label Studio {LABEL_STUDIO_VERSION} on {server.url} with data in {server.data_dir}"
            + (f" (site {server.name})" if server.name else "")
            + (" (first start: about 1-3 minutes)" if first else ""), file=sys.stderr, flush=True)

    def terminate(signum, frame):
        raise KeyboardInterrupt

    # Ctrl-C, kill and a closed terminal all stop the servers' process groups (each runs in its own session,
    # so nothing else would); SIGINT explicitly, since a shell may have started us with it ignored.
    stops = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    previous = {sig: signal.signal(sig, terminate) for sig in stops}
    try:
        with ThreadPoolExecutor(len(servers)) as pool:
            for future in [pool.submit(server.start, timeout) for server in servers]:
                future.result()
        for server in servers:
            login_file = server.data_dir / LOGIN_FILE
            out(f"Label Studio is running: {server.url}" + (f"   (site {server.name})" if server.name else ""))
            out(f"  user:       {server.login.username}")
            if server.login_created:
                out(f"  password:   {server.login.password}   (shown once; also kept in {login_file}, mode 0600)")
            else:
                out(f"  password:   in {login_file} (\"password\")")
            link = invitation_link(Connection(server.url, server.login.token))
            out(f"  invitation: {link}   (sign-up link: give it only to "
                + (f"the annotators of site {server.name})" if server.name else "this server's annotators)"))
            where = f"--site {server.name}" if server.name else f"--url {server.url} --api-key-file {login_file}"
            out(f"  push/pull:  aqwal annotate pull {where} ...")
            out(f"  server log: {server.log_path}")
        out("Press Ctrl-C to stop.", flush=True)
        while all(server.running for server in servers):
            time.sleep(1.0)
        gone = next(server for server in servers if not server.running)
        raise ServiceError(f"Label Studio at {gone.url} exited on its own; last lines of {gone.log_path}:\n"
                           f"{gone.log_tail()}")
    except KeyboardInterrupt:
        out("stopping Label Studio...", file=sys.stderr, flush=True)
        return 0
    finally:
        for server in servers:
            server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
