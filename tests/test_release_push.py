"""`aqwal dataset push` end to end over HTTP against the local Hub test server, then loading the pushed
revision back with `load_dataset(..., revision="vX.Y.Z")`.  No internet: the server is on 127.0.0.1.

huggingface_hub reads HF_ENDPOINT at import, so the client runs in subprocesses with the env set.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hubserver import HubServer

from aqwal.cli import main
from aqwal.corpus.jsonl import read_documents
from aqwal.corpus.release.configs import SPLITS
from aqwal.corpus.release.load import read_manifest

ROOT = Path(__file__).resolve().parents[1]
GOLD = Path(__file__).parent / "data" / "release_gold.jsonl"
TOKEN = "hf_test_token_do_not_print_0123456789"

LOAD = r"""
import json, sys
from datasets import load_dataset
from aqwal.corpus.release.features import document_features
from aqwal.corpus.release.rows import row_document
repo, revision = sys.argv[1], sys.argv[2]
out = {}
for config in ("cc-by", "non-commercial", "tokens"):
    ds = load_dataset(repo, config, revision=revision)
    out[config] = {s: len(ds[s]) for s in ds}
ds = load_dataset(repo, "non-commercial", revision=revision)
out["features_ok"] = all(ds[s].features == document_features() for s in ds)
out["docs"] = {s: [row_document(r).to_dict() for r in ds[s]] for s in ds}
print(json.dumps(out, ensure_ascii=False))
"""


@pytest.fixture(scope="module")
def hub():
    with HubServer() as server:
        yield server


def _env(hub: HubServer, tmp: Path, token: str | None = TOKEN) -> dict:
    env = dict(os.environ, HF_ENDPOINT=hub.endpoint, HF_HUB_DISABLE_XET="1", HF_HOME=str(tmp / "hf"),
               HF_HUB_DISABLE_TELEMETRY="1", PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="0")
    env.pop("HF_TOKEN", None)
    if token:
        env["HF_TOKEN"] = token
    return env


def _aqwal(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "aqwal", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True)


def test_push_tag_and_load_back(hub: HubServer, tmp_path: Path):
    v1, v2 = tmp_path / "v1", tmp_path / "v2"
    assert main(["dataset", "build", "--gold", str(GOLD), "--out", str(v1), "--version", "1.0.0"]) == 0
    env = _env(hub, tmp_path)
    proc = _aqwal(["dataset", "push", str(v1), "--repo-id", "aqwal-org/aqwal", "--json"], env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout)
    assert result["tag"] == "v1.0.0"
    assert TOKEN not in proc.stdout + proc.stderr
    assert TOKEN in hub.state.tokens_seen
    repo = hub.state.repos[("dataset", "aqwal-org/aqwal")]
    assert repo.tags["v1.0.0"] == result["commit"] == repo.branches["main"]
    pushed = repo.commits[result["commit"]].files
    for rel in read_manifest(v1)["files"]:
        assert pushed[rel][0] == (v1 / rel).read_bytes(), rel
    assert pushed["data/cc-by/train-00000-of-00001.parquet"][1]  # Parquet went through LFS
    assert hub.state.unknown == []

    # the same version again is refused: a published version never changes
    again = _aqwal(["dataset", "push", str(v1), "--repo-id", "aqwal-org/aqwal"], env)
    assert again.returncode == 2 and "already has the tag v1.0.0" in again.stderr

    # a second version; the first stays loadable at its tag
    gold2 = tmp_path / "gold2.jsonl"
    lines = GOLD.read_text(encoding="utf-8").splitlines()
    gold2.write_text("\n".join(x for x in lines if '"id":"wn-016"' not in x) + "\n", encoding="utf-8")
    assert main(["dataset", "build", "--gold", str(gold2), "--out", str(v2), "--previous", str(v1)]) == 0
    proc = _aqwal(["dataset", "push", str(v2), "--repo-id", "aqwal-org/aqwal"], env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "pushed v1.1.0" in proc.stdout

    gold = {d.id: d.to_dict() for d in read_documents(GOLD)}
    for revision, release in (("v1.0.0", v1), ("v1.1.0", v2)):
        proc = subprocess.run([sys.executable, "-c", LOAD, "aqwal-org/aqwal", revision], env=env,
                              capture_output=True, text=True, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr[-3000:]
        got = json.loads(proc.stdout)
        manifest = read_manifest(release)
        for config in ("cc-by", "non-commercial", "tokens"):
            assert got[config] == {s: c["documents"] for s, c in manifest["configs"][config]["splits"].items()}
        assert got["features_ok"]
        ids = {d["id"] for s in SPLITS for d in got["docs"].get(s, [])}
        assert ("wn-016" in ids) == (revision == "v1.0.0")
        for split, docs in got["docs"].items():
            for d in docs:
                assert d == gold[d["id"]] and manifest["splits"][d["id"]] == split
    assert hub.state.unknown == []


def test_push_refuses_without_token_or_for_a_tampered_or_private_build(hub: HubServer, tmp_path: Path):
    rel = tmp_path / "rel"
    assert main(["dataset", "build", "--gold", str(GOLD), "--out", str(rel)]) == 0
    proc = _aqwal(["dataset", "push", str(rel), "--repo-id", "aqwal-org/other"], _env(hub, tmp_path, token=None))
    assert proc.returncode == 2 and "HF_TOKEN is not set" in proc.stderr
    (rel / "README.md").write_text("edited by hand", encoding="utf-8")
    proc = _aqwal(["dataset", "push", str(rel), "--repo-id", "aqwal-org/other"], _env(hub, tmp_path))
    assert proc.returncode == 2 and "differ from manifest.json (README.md)" in proc.stderr
    private = tmp_path / "private"
    assert main(["dataset", "build", "--gold", str(GOLD), "--out", str(private), "--include-restricted"]) == 0
    proc = _aqwal(["dataset", "push", str(private), "--repo-id", "aqwal-org/other"], _env(hub, tmp_path))
    assert proc.returncode == 2 and "private build" in proc.stderr
    assert ("dataset", "aqwal-org/other") not in hub.state.repos
