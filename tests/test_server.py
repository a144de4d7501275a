"""The local Neo4j server (motorgraph.server.LocalServer) against the real Neo4j 5.26 jars.

Tests that need a server of their own start it in a tmp_path home on free ports and stop
it (by the pid in that home) even when they fail; the session server (fixtures
`neo4j_server`/`driver`) is only restarted by test_restart_keeps_data.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import time
import uuid
from pathlib import Path

import neo4j
import psutil
import pytest
from click.testing import CliRunner

from motorgraph.cli import cli
from motorgraph.db import open_driver
from motorgraph.errors import ServerError
from motorgraph import server as server_module
from motorgraph.server import LocalServer
from motorgraph.settings import Settings

LOOPBACK = {"127.0.0.1", "::ffff:127.0.0.1"}
ROOT_CAUSE = "bytes can be at most 32766 in length; got 40000"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tmp_settings(home: Path, **changes) -> Settings:
    """A local server in `home` on free ports, small enough to run beside the others."""
    bolt = free_port()
    http = free_port()
    while http == bolt:
        http = free_port()
    return Settings(uri=None, home=home, bolt_port=bolt, http_port=http,
                    heap="512m", pagecache="64m", start_timeout=180.0).with_(**changes)


@contextlib.contextmanager
def own_server(settings: Settings):
    """A LocalServer that is stopped (by the pid in its own home) whatever happens."""
    srv = LocalServer(settings)
    try:
        yield srv
    finally:
        srv.stop(timeout=30)


def processes_mentioning(text: str) -> list[psutil.Process]:
    found = []
    for p in psutil.process_iter(["cmdline", "status"]):
        try:
            if p.info["status"] != psutil.STATUS_ZOMBIE and any(text in a for a in (p.info["cmdline"] or [])):
                found.append(p)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return found


def gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def require_local(settings: Settings) -> None:
    if not settings.local:
        pytest.skip("NEO4J_URI is set: the tests use a remote server, not motorgraph's local one")


# ---- lifecycle -------------------------------------------------------------------------

@pytest.mark.timeout(400)
def test_lifecycle_on_a_fresh_home(tmp_path, monkeypatch):
    # A generated password that starts with "-" once made neo4j-admin fail ("Missing
    # required parameter: '<password>'"), about one fresh home in 64: force that case.
    password = "-" + server_module._new_password(31)
    monkeypatch.setattr(server_module, "_new_password", lambda length=32: password)
    settings = tmp_settings(tmp_path / "home")
    with own_server(settings) as srv:
        assert srv.pid() is None
        assert srv.start() is True
        assert settings.password_file.read_text().strip() == password
        assert settings.auth() == ("neo4j", password)
        pid = srv.pid()
        assert pid is not None and psutil.pid_exists(pid)

        st = srv.status()
        assert st.running is True
        assert st.pid == pid
        assert st.uri == f"bolt://127.0.0.1:{settings.bolt_port}"
        assert st.browser == f"http://127.0.0.1:{settings.http_port}/browser/"
        assert st.version is not None and st.version.startswith("5.26"), st
        assert st.edition == "community"
        assert st.uptime_s is not None and st.uptime_s > 0
        assert st.store_bytes > 0
        assert st.note is None

        assert srv.start() is False  # already running: a no-op
        assert srv.pid() == pid

        assert srv.stop() is True
        assert gone(pid)
        assert not srv.bolt_answers()
        st = srv.status()
        assert st.running is False and st.pid is None and st.version is None
        assert not srv.pid_file.exists()
        assert srv.stop() is False


@pytest.mark.timeout(400)
def test_restart_keeps_data(settings, request):
    if os.environ.get("NEO4J_URI"):
        pytest.skip("NEO4J_URI is set: a remote server cannot be stopped and restarted by the tests")
    request.getfixturevalue("neo4j_server")
    driver = request.getfixturevalue("driver")
    token = uuid.uuid4().hex
    driver.execute_query("CREATE (:RestartProbe {token: $t})", t=token, database_=settings.database)
    try:
        srv = LocalServer(settings)
        old_pid = srv.pid()
        assert old_pid is not None
        assert srv.stop() is True
        assert gone(old_pid)
        assert not srv.bolt_answers()
        assert srv.start() is True
        assert srv.pid() not in (None, old_pid)
        with open_driver(settings) as fresh:
            recs = fresh.execute_query("MATCH (n:RestartProbe {token: $t}) RETURN count(n) AS c",
                                       t=token, database_=settings.database).records
        assert recs[0]["c"] == 1
        # The session driver's pooled connections died with the old server: a managed
        # transaction (retried) flushes them, so later tests get a working driver.
        assert driver.execute_query("RETURN 1 AS one", database_=settings.database).records[0]["one"] == 1
    finally:
        if not LocalServer(settings).is_running():
            LocalServer(settings).start()
        driver.execute_query("MATCH (n:RestartProbe {token: $t}) DELETE n", t=token,
                             database_=settings.database)


# ---- security ----------------------------------------------------------------------------

def test_generated_passwords_are_plain_and_strong():
    passwords = {server_module._new_password() for _ in range(2000)}
    assert len(passwords) == 2000
    for pw in passwords:
        assert len(pw) >= 24 and pw.isascii() and pw.isalnum(), pw


def test_listens_on_loopback_only(neo4j_server):
    require_local(neo4j_server)
    pid = LocalServer(neo4j_server).pid()
    assert pid is not None
    listening = [c for c in psutil.Process(pid).net_connections(kind="inet")
                 if c.status == psutil.CONN_LISTEN]
    ports = {c.laddr.port for c in listening}
    assert {neo4j_server.bolt_port, neo4j_server.http_port} <= ports, listening
    assert all(c.laddr.ip in LOOPBACK for c in listening), listening


def test_password_file_and_secrecy(neo4j_server):
    require_local(neo4j_server)
    pw_file = neo4j_server.password_file
    assert stat.S_IMODE(pw_file.stat().st_mode) == 0o600
    password = pw_file.read_text().strip()
    assert len(password) >= 16

    logs = LocalServer(neo4j_server).logs_dir
    files = [p for p in logs.rglob("*") if p.is_file()]
    assert any(p.name == "neo4j.log" for p in files)
    for p in files:
        assert password.encode() not in p.read_bytes(), f"the password is written in {p}"

    runner = CliRunner()
    status = runner.invoke(cli, ["server", "status"])
    assert status.exit_code == 0, status.output
    assert str(pw_file) in status.output
    assert password not in status.output
    logs_out = runner.invoke(cli, ["server", "logs", "-n", "100000"])
    assert logs_out.exit_code == 0, logs_out.output
    assert "neo4j.log" in logs_out.output
    assert password not in logs_out.output


# ---- failure modes -------------------------------------------------------------------------

def test_stale_pid_file(tmp_path):
    home = tmp_path / "home"
    srv = LocalServer(tmp_settings(home))
    srv.run_dir.mkdir(parents=True)
    dead = subprocess.Popen(["true"])
    dead.wait()
    assert not psutil.pid_exists(dead.pid)
    srv.pid_file.write_text(f"{dead.pid}\n")
    srv.started_file.write_text(str(time.time()))
    assert srv.pid() is None
    assert not srv.pid_file.exists() and not srv.started_file.exists()

    # A live process that is not Neo4j (pid reused) is stale too, and is left alone.
    srv.pid_file.write_text(str(os.getpid()))
    assert srv.pid() is None
    assert not srv.pid_file.exists()

    srv.pid_file.write_text(str(dead.pid))
    env = {"MOTORGRAPH_HOME": str(home), "NEO4J_URI": None,
           "MOTORGRAPH_BOLT_PORT": str(srv.settings.bolt_port)}
    result = CliRunner().invoke(cli, ["server", "status"], env=env)
    assert result.exit_code == 3, result.output
    assert "running        no" in result.output
    assert not srv.pid_file.exists()


@pytest.mark.parametrize("which, var", [("bolt_port", "MOTORGRAPH_BOLT_PORT"),
                                        ("http_port", "MOTORGRAPH_HTTP_PORT")])
def test_busy_port(tmp_path, which, var):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as blocker:
        blocker.bind(("127.0.0.1", 0))
        blocker.listen()
        port = blocker.getsockname()[1]
        settings = tmp_settings(tmp_path / "home").with_(**{which: port})
        with own_server(settings) as srv:
            with pytest.raises(ServerError) as err:
                srv.start(timeout=30)
            assert str(port) in str(err.value)
            assert var in str(err.value)
            assert srv.pid() is None
    assert processes_mentioning(str(tmp_path / "home")) == []


def _empty_path(tmp_path: Path, monkeypatch) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("JAVA_HOME", raising=False)


def _start_fails(settings) -> str:
    """Start a server that cannot start; its one-paragraph error, which names the alternatives."""
    with own_server(settings) as srv:
        with pytest.raises(ServerError) as err:
            srv.start(timeout=30)
    msg = str(err.value)
    assert "docker compose" in msg
    assert "NEO4J_URI" in msg
    return msg


def test_java_missing(tmp_path, monkeypatch):
    _empty_path(tmp_path, monkeypatch)
    msg = _start_fails(tmp_settings(tmp_path / "home", java_home=None))
    assert "Java" in msg and "JAVA_HOME" in msg


def test_maven_missing(tmp_path, monkeypatch):
    java = shutil.which("java")
    if java is None:
        pytest.skip("no java on PATH here, so the Maven check cannot be reached")
    java_home = Path(os.path.realpath(java)).parent.parent
    _empty_path(tmp_path, monkeypatch)
    home = tmp_path / "home"
    assert not home.exists()  # no cached classpath: Maven would be needed
    msg = _start_fails(tmp_settings(home, java_home=str(java_home)))
    assert "Maven" in msg and "mvn" in msg
    assert msg.startswith("Maven")  # it got past the Java check


@pytest.mark.timeout(300)
def test_start_timeout_reports_logs_and_leaves_no_process(tmp_path):
    home = tmp_path / "home"
    settings = tmp_settings(home)
    me = psutil.Process()
    before = {p.pid for p in me.children(recursive=True)}
    with own_server(settings) as srv:
        with pytest.raises(ServerError) as err:
            srv.start(timeout=0.5)
        msg = str(err.value)
        assert "did not answer" in msg
        assert f"bolt://127.0.0.1:{settings.bolt_port}" in msg
        assert "MOTORGRAPH_START_TIMEOUT" in msg
        assert "last log lines" in msg
        # The log text itself: every log's header and its last lines.
        logs = [p for p in (srv.logs_dir / "neo4j.log", srv.console_log) if p.exists()]
        assert logs, "the server wrote no log at all"
        for log in logs:
            assert f"==> {log} <==" in msg
            for line in log.read_text(errors="replace").splitlines()[-20:]:
                assert line in msg
        # Nothing left behind: no pid file, no process (not even a zombie child).
        assert not srv.pid_file.exists()
        assert srv.pid() is None
        new = [p for p in me.children(recursive=True) if p.pid not in before]
        assert new == [], [(p.pid, p.status()) for p in new]
        assert processes_mentioning(str(home)) == []
        assert not srv.bolt_answers()


@pytest.mark.timeout(600)
def test_start_says_why_the_database_cannot_start(tmp_path):
    """The incident: a value a full-text index refuses, committed, then a crash.

    Every start replays that transaction, the index refuses it again and the database panics;
    `start` must say so from the log quickly (not after its whole timeout) and stop the server.
    """
    home = tmp_path / "home"
    settings = tmp_settings(home)
    fulltext = home / "data" / "databases" / "neo4j" / "schema" / "index" / "fulltext-1.0"
    with own_server(settings) as srv:
        assert srv.start() is True
        with open_driver(settings) as d:
            d.execute_query("CREATE FULLTEXT INDEX probe_key FOR (n:Probe) ON EACH [n.key] "
                            "OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}}")
            d.execute_query("CALL db.awaitIndexes(120)")
        srv.stop()  # a clean stop checkpoints the online index, so recovery will write to it
        assert srv.start() is True
        with open_driver(settings) as d:
            with pytest.raises(neo4j.exceptions.DatabaseError, match="Could not apply the transaction"):
                d.execute_query("CREATE (:Probe {key: $v})", v="x" * 40_000)

        # Running, but the database has panicked: `start` does not answer "already running".
        with pytest.raises(ServerError) as err:
            srv.start()
        assert "is running" in str(err.value) and ROOT_CAUSE in str(err.value)
        assert "database `neo4j`" in srv.status().note

        pid = srv.pid()
        os.kill(pid, signal.SIGKILL)  # our own server: the crash, with the transaction in the log
        while not gone(pid) or server_module._port_open(settings.bolt_port) \
                or server_module._port_open(settings.http_port):
            time.sleep(0.2)

        began = time.monotonic()
        with pytest.raises(ServerError) as err:
            srv.start()  # the default timeout: 180 s
        took = time.monotonic() - began
        msg = str(err.value)
        assert took < settings.start_timeout / 2, f"took {took:.0f}s"
        assert msg.startswith("Neo4j's database `neo4j` failed to start, so the server was stopped")
        log = srv.logs_dir / "debug.log"
        m = re.search(rf"log: {re.escape(str(log))}, line (\d+)", msg)
        assert m, msg
        entry = log.read_text().splitlines()[int(m.group(1)) - 1]
        assert " ERROR " in entry and "Database panic" in entry
        assert "Database panic: The database has encountered a critical error" in msg
        assert f"cause: MaxBytesLengthExceededException: {ROOT_CAUSE}" in msg
        assert "\tat " not in msg and len(msg.splitlines()) <= 6, msg
        assert f"remove {fulltext} " in msg  # the way to recover
        assert srv.pid() is None and not srv.pid_file.exists()
        assert processes_mentioning(str(home)) == []

        # The advice works: without the full-text index's files the database starts, and the
        # index, rebuilt from the data, is FAILED (the value is still there) instead of fatal.
        shutil.rmtree(fulltext)
        assert srv.start() is True
        with open_driver(settings) as d:
            rows = d.execute_query("SHOW INDEXES YIELD name, state WHERE name = 'probe_key' RETURN state").records
            assert [r["state"] for r in rows] in (["FAILED"], ["POPULATING"])
            assert d.execute_query("MATCH (n:Probe) RETURN size(n.key) AS n").records[0]["n"] == 40_000
        assert "failed since the last start" not in srv.tail()
