"""Sites (one server per annotator) and where documents go (one project per number of targets), offline."""
from __future__ import annotations

import json

import pytest

from aqwal.annotation.passes import group_tasks, project_title, targets_of_title
from aqwal.annotation.server import LOGIN_FILE, load_or_create_login, remember_port
from aqwal.annotation.sites import pass_site, site_connection, site_dir, sites_root
from aqwal.annotation.snapshot import snapshot_name
from aqwal.cli import main
from aqwal.corpus.errors import ConfigError


def test_titles_name_the_number_of_targets_and_read_back():
    assert [project_title("Aqwal batch-005 a", k) for k in range(3)] == [
        "Aqwal batch-005 a · no target", "Aqwal batch-005 a · 1 target", "Aqwal batch-005 a · 2 targets"]
    for k in range(4):
        assert targets_of_title(project_title("Aqwal batch-005 a", k)) == ("Aqwal batch-005 a", k)
    assert targets_of_title("Aqwal batch-001 a") == ("Aqwal batch-001 a", None)
    assert snapshot_name("Aqwal batch-005 a · 2 targets", "T") == "batch-005.a.t2.T"
    assert snapshot_name("Aqwal batch-001 a", "T") == "batch-001.a.T"  # projects made before the split


def test_tasks_are_grouped_by_their_number_of_targets():
    tasks = [{"data": {"doc_id": i, "targets": [{"id": "t"}] * n}} for i, n in (("a", 1), ("b", 0), ("c", 1))]
    assert {k: [t["data"]["doc_id"] for t in v] for k, v in group_tasks(tasks).items()} == {0: ["b"], 1: ["a", "c"]}


def test_a_site_is_a_named_data_directory_under_the_root(monkeypatch, tmp_path):
    monkeypatch.setenv("AQWAL_SITES", str(tmp_path / "env"))
    assert sites_root() == tmp_path / "env" and sites_root(tmp_path) == tmp_path
    assert site_dir("llm-annotator-b", tmp_path) == tmp_path / "llm-annotator-b"
    for bad in ("", "../x", "a/b", ".hidden"):
        with pytest.raises(ConfigError, match="not a site name"):
            site_dir(bad, tmp_path)


def test_a_pass_goes_to_its_annotators_site(tmp_path):
    from aqwal.annotation.batch import load
    (tmp_path / "b1").mkdir()
    (tmp_path / "b1" / "batch.toml").write_text('[select]\nids = ["d1"]\n[passes.a]\nannotator = "ann-a"\n'
                                                '[passes.b]\nannotator = "ann-b"\n', encoding="utf-8")
    batch = load(tmp_path / "b1")
    assert [pass_site(batch, p) for p in batch.passes] == ["ann-a", "ann-b"]


def test_a_site_never_served_or_not_running_says_how_to_start_it(tmp_path):
    with pytest.raises(ConfigError, match=r"never served.*aqwal annotate serve --site ann-a"):
        site_connection("ann-a", tmp_path)
    load_or_create_login(tmp_path / "ann-a")
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    remember_port(tmp_path / "ann-a", port)
    with pytest.raises(ConfigError, match=f"no Label Studio answers on http://127.0.0.1:{port}"):
        site_connection("ann-a", tmp_path)
    assert json.loads((tmp_path / "ann-a" / LOGIN_FILE).read_text())["token"]


def test_a_batch_push_goes_to_the_sites_and_says_which_is_missing(tmp_path, capsys):
    (tmp_path / "b1").mkdir()
    (tmp_path / "b1" / "batch.toml").write_text('[select]\nids = ["d1"]\n[passes.a]\nannotator = "ann-a"\n',
                                                encoding="utf-8")
    (tmp_path / "b1" / "documents.jsonl").write_text("", encoding="utf-8")
    assert main(["annotate", "push", str(tmp_path / "b1"), "--sites", str(tmp_path / "sites")]) == 2
    assert "site 'ann-a' has no server yet" in capsys.readouterr().err
    assert main(["annotate", "push", str(tmp_path / "b1"), "--project", "X"]) == 2
    assert "leave out --project" in capsys.readouterr().err
