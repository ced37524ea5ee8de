"""The server launcher, the connection and push inputs, without a server (tests/integration/ has the real one)."""
from __future__ import annotations

import json
import socket
import stat

import pytest

from aqwal.annotation.client import (
    Connection,
    call,
    check_model_version,
    connection,
    document_tasks,
    review_tasks,
    task_key,
)
from aqwal.annotation.server import (
    LOGIN_FILE,
    SERVER_FILE,
    LabelStudioServer,
    child_environment,
    label_studio_executable,
    load_or_create_login,
    make_private,
    remember_port,
    remembered_port,
)
from aqwal.cli import main
from aqwal.corpus.errors import ConfigError, FormatError, InvalidData, ServiceError
from aqwal.corpus.jsonl import write_documents, write_json_lines
from aqwal.corpus.model import Document, Target

TEXT = "👍🏽 قال الوزير إن «الاتفاق قريب»."


def test_a_missing_label_studio_names_make_label_studio(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("AQWAL_LABEL_STUDIO", str(tmp_path / "nowhere" / "label-studio"))
    with pytest.raises(ConfigError, match="make label-studio"):
        label_studio_executable()
    assert main(["annotate", "serve", "--data-dir", str(tmp_path / "data")]) == 2
    assert "make label-studio" in capsys.readouterr().err
    assert not (tmp_path / "data").exists()  # nothing created before the executable was found


def test_login_is_created_once_owner_only_and_never_shown_in_repr(tmp_path):
    login, created = load_or_create_login(tmp_path / "d")
    again, created_again = load_or_create_login(tmp_path / "d")
    assert created and not created_again and again == login
    assert stat.S_IMODE((tmp_path / "d" / LOGIN_FILE).stat().st_mode) == 0o600
    assert login.password not in repr(login) and login.token not in repr(login)
    assert len(login.token) >= 40 and login.password != login.token


def test_the_child_gets_headless_settings_and_not_the_callers_host(monkeypatch, tmp_path):
    for name in ("HOST", "PORT", "USERNAME", "PASSWORD", "DEBUG", "LABEL_STUDIO_API_KEY"):
        monkeypatch.setenv(name, "from-the-caller")
    login, _ = load_or_create_login(tmp_path)
    env = child_environment(tmp_path, login)
    assert not {"HOST", "PORT", "USERNAME", "PASSWORD", "DEBUG", "LABEL_STUDIO_API_KEY"} & set(env)
    assert env["SENTRY_DSN"] == "" and env["FRONTEND_SENTRY_DSN"] == ""
    assert env["LATEST_VERSION_CHECK"] == "false" and env["COLLECT_ANALYTICS"] == "false"
    assert env["LABEL_STUDIO_USER_TOKEN"] == login.token and env["LABEL_STUDIO_BASE_DATA_DIR"] == str(tmp_path)


def test_a_busy_port_is_refused_rather_than_silently_moved(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(ConfigError, match=f"port {port}"):
            LabelStudioServer(tmp_path, port=port, executable=tmp_path)


def test_connection_comes_from_options_or_environment_and_hides_the_key(monkeypatch):
    monkeypatch.delenv("LABEL_STUDIO_URL", raising=False)
    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    with pytest.raises(ConfigError, match="LABEL_STUDIO_URL"):
        connection()
    with pytest.raises(ConfigError, match="LABEL_STUDIO_API_KEY"):
        connection("http://127.0.0.1:1")
    monkeypatch.setenv("LABEL_STUDIO_URL", "http://127.0.0.1:9/")
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "secret-key-123")
    conn = connection()
    assert conn == Connection("http://127.0.0.1:9", "secret-key-123")
    assert "secret-key-123" not in repr(conn)


def test_an_unreachable_server_is_retried_then_reported_without_the_key():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    conn = Connection(f"http://127.0.0.1:{port}", "secret-key-123")
    waits: list[float] = []
    with pytest.raises(ServiceError) as err:
        call(conn, "listing projects", lambda: list(conn.sdk(timeout=5).projects.list()), attempts=3,
             backoff=0.5, sleep=waits.append)
    assert waits == [0.5, 1.0]  # three attempts, exponential backoff
    assert "ConnectError" in str(err.value) and "secret-key-123" not in str(err.value)


def _docs(tmp_path):
    doc = Document.create(id="d1", text=TEXT, source="test", license="all-rights-reserved",
                          targets=(Target("t1", "الاتفاق"),))
    path = tmp_path / "docs.jsonl"
    write_documents(path, [doc])
    return path, doc


def test_document_tasks_carry_key_targets_and_pre_annotations(tmp_path):
    docs, doc = _docs(tmp_path)
    start = TEXT.index("الاتفاق قريب")
    preds = tmp_path / "pred.jsonl"
    write_json_lines(preds, [{"id": "d1", "entities": [], "quotes": [
        {"start": start, "end": start + len("الاتفاق قريب"), "cue": {"start": TEXT.index("قال"),
                                                                    "end": TEXT.index("قال") + 3},
         "speaker": None, "stance": [{"target": "t1", "label": "favor"}]}]},
                             {"id": "not-in-docs", "entities": [], "quotes": []}])
    (t,), warnings = document_tasks(docs, preds, "rules@0.1")
    assert task_key(t["data"]) == ("d1", doc.sha256, ())
    assert t["data"]["targets"] == [{"id": "t1", "text": "الاتفاق"}]
    (p,) = t["predictions"]
    assert p["model_version"] == "rules@0.1"
    quote = next(r for r in p["result"] if r.get("value", {}).get("labels") == ["QUOTE"])
    assert quote["value"]["text"] == "الاتفاق قريب" and quote["value"]["start"] == start
    assert warnings == [f"{preds}: 1 record(s) for documents not in {docs} were ignored"]


def test_predictions_written_by_aqwal_run_push_as_they_are(tmp_path):
    from aqwal.cli import main
    docs, doc = _docs(tmp_path)
    preds = tmp_path / "rules.jsonl"
    assert main(["run", "rules", "--gold", str(docs), "--out", str(preds), "--quiet"]) == 0
    (t,), warnings = document_tasks(docs, preds)  # the header line names the system: no --model-version needed
    (p,) = t["predictions"]
    from aqwal.benchmark.systems.registry import get
    assert p["model_version"] == f"rules@{get('rules').version}" and warnings == []
    (t,), _ = document_tasks(docs, preds, "rules@custom")  # an explicit version wins
    assert t["predictions"][0]["model_version"] == "rules@custom"


def test_bad_predictions_are_reported_with_file_and_line(tmp_path):
    docs, _ = _docs(tmp_path)
    preds = tmp_path / "pred.jsonl"
    write_json_lines(preds, [{"id": "d1", "entities": [{"start": 0, "end": 999, "label": "PER"}], "quotes": []}])
    with pytest.raises(InvalidData, match=r"pred.jsonl:1 .*entities\[0\]"):
        document_tasks(docs, preds, "rules@0.1")


@pytest.mark.parametrize("bad", [None, "rules", "rules@", "@1", "a b@1"])
def test_model_version_must_name_system_and_version(bad):
    with pytest.raises(ConfigError, match="NAME@VERSION"):
        check_model_version(bad)


def test_review_tasks_must_be_a_task_list(tmp_path):
    path = tmp_path / "review.json"
    path.write_text(json.dumps({"data": {}}), encoding="utf-8")
    with pytest.raises(FormatError, match="list of Label Studio tasks"):
        review_tasks(path)


def test_the_key_can_come_from_a_file_plain_or_the_login_file(monkeypatch, tmp_path):
    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    plain = tmp_path / "key"
    plain.write_text("abc123def\n", encoding="utf-8")
    assert connection("http://127.0.0.1:9", api_key_file=plain).api_key == "abc123def"
    login, _ = load_or_create_login(tmp_path / "data")
    assert connection("http://127.0.0.1:9", api_key_file=tmp_path / "data" / LOGIN_FILE).api_key == login.token
    plain.write_text("two words", encoding="utf-8")
    with pytest.raises(ConfigError, match="not one key"):
        connection("http://127.0.0.1:9", api_key_file=plain)


def test_the_port_is_remembered_in_the_data_directory_and_a_busy_one_is_refused(tmp_path):
    data = tmp_path / "data"
    first = LabelStudioServer(data, executable=tmp_path)
    assert remembered_port(data) is None  # chosen, remembered only when the server starts
    remember_port(data, first.port)
    assert LabelStudioServer(data, executable=tmp_path).port == first.port  # the same URL after a restart
    assert stat.S_IMODE((data / SERVER_FILE).stat().st_mode) == 0o600
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", first.port))
        busy.listen()
        with pytest.raises(ConfigError, match=f"port {first.port}.*remembers"):
            LabelStudioServer(data, executable=tmp_path)
    (data / SERVER_FILE).write_text("{}", encoding="utf-8")
    with pytest.raises(ConfigError, match="not a port record"):
        LabelStudioServer(data, executable=tmp_path)


def test_the_data_directory_is_made_owner_only(tmp_path):
    data = tmp_path / "data"
    (data / "media" / "upload").mkdir(parents=True)
    (data / "label_studio.sqlite3").write_bytes(b"")
    (data / "media" / "upload" / "x.json").write_bytes(b"")
    for path in (data, data / "media", data / "media" / "upload"):
        path.chmod(0o755)
    make_private(data)
    assert {stat.S_IMODE(p.stat().st_mode) for p in (data, data / "media", data / "media" / "upload")} == {0o700}
    assert {stat.S_IMODE(p.stat().st_mode) for p in (data / "label_studio.sqlite3",
                                                     data / "media" / "upload" / "x.json")} == {0o600}
