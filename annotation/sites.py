"""Sites: one Label Studio server per annotator, so that independent passes stay apart by construction.

Label Studio Community 1.23.2 has no roles and no per-project access: every account of its one organisation
can open every project, task and annotation (``Project.has_permission`` only refuses a *removed* member), and
any member may change any member's ``active_organization`` through the users API.  Two annotators who must
not see each other's work therefore need two servers.  A **site** is such a server: a data directory
``<sites root>/<name>/`` (accounts, projects, annotations, the admin login and the remembered port), served
by ``aqwal annotate serve --site NAME``.

The site of a batch's pass is its annotator (``batch.toml``: ``[passes.b] annotator = "..."``), so the two
passes of a batch land on two servers and an annotator's account exists only on their own site.  Review
projects go to a site of their own (by convention ``review``), whose accounts are the adjudicators'.
The sites root is ``--sites``, else ``$AQWAL_SITES``, else ``$XDG_DATA_HOME/aqwal/sites``.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from aqwal.corpus.errors import ConfigError

SITES_ENV = "AQWAL_SITES"
REVIEW_SITE = "review"
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def sites_root(root: str | Path | None = None) -> Path:
    if root is not None:
        return Path(root)
    if os.environ.get(SITES_ENV):
        return Path(os.environ[SITES_ENV])
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "aqwal" / "sites"


def site_dir(name: str, root: str | Path | None = None) -> Path:
    """The data directory of site ``name`` under the sites root."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ConfigError(f"site {name!r}: not a site name (fix: letters, digits, '.', '_' and '-', e.g. the "
                          "annotator id of a pass, or 'review')")
    return sites_root(root) / name


def site_connection(name: str, root: str | Path | None = None):
    """The connection to site ``name``'s running server: its remembered port and its admin's API key."""
    from aqwal.annotation.client import Connection, health, read_api_key
    from aqwal.annotation.server import LOGIN_FILE, remembered_port
    data_dir = site_dir(name, root)
    start = f"`aqwal annotate serve --site {name}`" + (f" --sites {root}" if root is not None else "")
    port = remembered_port(data_dir) if data_dir.is_dir() else None
    if port is None:
        raise ConfigError(f"site {name!r} has no server yet ({data_dir} was never served) (fix: start it with "
                          f"{start}; or give --url to use one server for everything, whose annotators then see "
                          "each other's work)")
    url = f"http://127.0.0.1:{port}"
    if not health(url):
        raise ConfigError(f"site {name!r}: no Label Studio answers on {url} (fix: start it with {start})")
    return Connection(url, read_api_key(data_dir / LOGIN_FILE))


def pass_site(batch, pass_name: str) -> str:
    """The site of a batch's pass: its annotator's."""
    return batch.pass_(pass_name).annotator
