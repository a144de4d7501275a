"""Security of the local server and of the query paths, against the real Neo4j 5.26.

On the test server (the output of a fresh `motorgraph server start` is checked for the
password by tests/test_reliability.py, whose own server starts that way):

* it listens on loopback only (psutil on its pid), and requires authentication (Bolt
  without credentials, with a wrong password, as an unknown user; the HTTP API);
* the password file is mode 0600 and the password is in no log file, in no output of
  `server start` / `status` / `logs`, and not on the server's command line;
* the HTTP server that serves Browser serves only Browser's files: `..`, `%2e%2e`,
  `..%2f`, double encoding, backslashes, absolute paths and URLs never return the
  password or the configuration.

And: saved queries run in read transactions (a write smuggled into
run_query is refused and nothing changes), and Graph.run is documented as trusted-only.
"""

from __future__ import annotations

import base64
import http.client
import json
import stat

import neo4j
import psutil
import pytest

from conftest import dump
from harness.processes import one_line_error, run_cli
from harness.security import (
    LOOPBACK, SMUGGLED_WRITES, leaked, listening_addresses, raw_get, smuggle_write, traversal_targets
)
from motorgraph.db import open_driver
from motorgraph.errors import ConnectionFailed
from motorgraph.graph import Graph
from motorgraph.server import LocalServer


@pytest.fixture(scope="module")
def fresh(neo4j_server):
    """(LocalServer, password, {command: CompletedProcess}) for the test server, and the
    output of `motorgraph server start` / `status` / `logs` run against it."""
    if not neo4j_server.local:
        pytest.skip("NEO4J_URI is set: these checks are about motorgraph's own local server")
    srv = LocalServer(neo4j_server)
    password = neo4j_server.password_file.read_text(encoding="utf-8").strip()
    outputs = {"server start": run_cli(neo4j_server, "server", "start", timeout=300),
               "server status": run_cli(neo4j_server, "server", "status"),
               "server logs": run_cli(neo4j_server, "server", "logs", "-n", "100000")}
    return srv, password, outputs


# ---- network and authentication -----------------------------------------------------------

def test_listens_on_loopback_only(fresh):
    srv, _, _ = fresh
    pid = srv.pid()
    assert pid is not None
    addrs = listening_addresses(pid)
    ports = {p for _, p in addrs}
    assert {srv.settings.bolt_port, srv.settings.http_port} <= ports, addrs
    assert all(ip in LOOPBACK for ip, _ in addrs), addrs
    conf = (srv.conf_dir / "neo4j.conf").read_text()
    assert "server.default_listen_address=127.0.0.1" in conf


def _ok_login(s, password):
    """A successful login: resets Neo4j's failed-attempt counter (it locks a user after 3)."""
    with neo4j.GraphDatabase.driver(s.bolt_uri, auth=("neo4j", password)) as d:
        d.verify_connectivity()


@pytest.mark.parametrize("auth", [None, ("neo4j", "wrong-password"), ("neo4j", ""), ("admin", "x")],
                         ids=["no credentials", "wrong password", "empty password", "unknown user"])
def test_bolt_requires_authentication(fresh, auth):
    srv, password, _ = fresh
    s = srv.settings
    try:
        with neo4j.GraphDatabase.driver(s.bolt_uri, auth=auth, connection_timeout=5) as d:
            with pytest.raises((neo4j.exceptions.AuthError, neo4j.exceptions.ClientError)):
                d.verify_connectivity()
                d.execute_query("MATCH (n) RETURN count(n)")
    finally:
        _ok_login(s, password)


def test_http_api_requires_authentication(fresh):
    srv, password, _ = fresh
    s = srv.settings
    body = json.dumps({"statements": [{"statement": "MATCH (n) RETURN count(n)"}]})
    for headers in ({}, {"Authorization": "Basic " + base64.b64encode(b"neo4j:wrong").decode()}):
        conn = http.client.HTTPConnection("127.0.0.1", s.http_port, timeout=10)
        conn.request("POST", "/db/neo4j/tx/commit", body=body,
                     headers={"Content-Type": "application/json", **headers})
        resp = conn.getresponse()
        assert resp.status == 401, (headers, resp.status, resp.read()[:200])
        conn.close()
        _ok_login(s, password)
    # the right password works (the check above is not vacuous)
    conn = http.client.HTTPConnection("127.0.0.1", s.http_port, timeout=10)
    auth = base64.b64encode(f"neo4j:{password}".encode()).decode()
    conn.request("POST", "/db/neo4j/tx/commit", body=body,
                 headers={"Content-Type": "application/json", "Authorization": "Basic " + auth})
    assert conn.getresponse().status == 200
    conn.close()


def test_wrong_password_is_one_clear_error(fresh):
    srv, password, _ = fresh
    s = srv.settings.with_(uri=srv.settings.bolt_uri, password="not-it")
    try:
        with pytest.raises(ConnectionFailed, match="rejected the credentials; check NEO4J_USERNAME / NEO4J_PASSWORD"):
            open_driver(s)
        res = run_cli(s, "schema", "check")
        assert res.returncode == 1 and one_line_error(res.stderr), res.stderr
        assert "not-it" not in res.stderr
    finally:
        _ok_login(srv.settings, password)


# ---- the password ---------------------------------------------------------------------------------

def test_password_file_is_private(fresh):
    srv, password, _ = fresh
    pw = srv.settings.password_file
    assert stat.S_IMODE(pw.stat().st_mode) == 0o600
    assert len(password) >= 24


def test_password_never_in_logs_cli_output_or_command_line(fresh):
    srv, password, outputs = fresh
    files = [p for p in srv.logs_dir.rglob("*") if p.is_file()]
    assert {"neo4j.log", "console.log"} <= {p.name for p in files}, files
    for p in files:
        assert password.encode() not in p.read_bytes(), f"the password is written in {p}"
    for name, res in outputs.items():
        assert res.returncode == 0, (name, res.stderr)
        assert password not in res.stdout + res.stderr, f"`{name}` prints the password"
    assert str(srv.settings.password_file) in outputs["server status"].stdout  # where it is, not what
    assert "neo4j.log" in outputs["server logs"].stdout  # the logs were really printed
    proc = psutil.Process(srv.pid())
    assert not any(password in arg for arg in proc.cmdline())


# ---- Browser's HTTP folder --------------------------------------------------------------------

def test_browser_http_serves_only_browser_files(fresh):
    srv, password, _ = fresh
    port = srv.settings.http_port
    status, body = raw_get(port, "/browser/")
    assert status.split(" ")[1] == "200" and b"<html" in body.lower()  # it does serve files
    status, body = raw_get(port, "/browser/guides/motorgraph.html")
    assert status.split(" ")[1] == "200"
    assert leaked(password.encode(), password)  # the detector sees a leak when there is one

    targets = traversal_targets(srv.home) + [
        "/browser/password", "/browser/conf/neo4j.conf", "/browser/neo4j.conf", "/browser/../conf/",
        f"http://127.0.0.1:{port}/browser/../../password", f"http://127.0.0.1:{port}/{srv.home}/password",
    ]
    for target in targets:
        status, body = raw_get(port, target)
        assert not leaked(body, password), f"GET {target} -> {status} returned the password or config"
        code = status.split(" ")[1] if " " in status else status
        assert code != "200" or b"dbms" not in body, (target, status)
    # http.client sends the path unnormalised too
    for target in ("/browser/../../password", "/browser/%2e%2e/%2e%2e/conf/neo4j.conf"):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", target)
        resp = conn.getresponse()
        data = resp.read()
        conn.close()
        assert resp.status in (400, 403, 404), (target, resp.status)
        assert not leaked(data, password)


# ---- queries --------------------------------------------------------------------------------------

@pytest.fixture
def library():
    try:
        from motorgraph import library
    except ImportError:
        pytest.skip("the saved-query library (motorgraph/library.py) has not landed yet")
    return library


@pytest.mark.parametrize("cypher", SMUGGLED_WRITES)
def test_saved_queries_run_in_read_transactions(db, settings, library, cypher):
    from motorgraph.loaders import load

    load(None, driver=db, database=settings.database, show_progress=False)  # the seed data
    before = dump(db, settings.database)
    assert smuggle_write(db, library, cypher, settings.database) == "QueryError"
    assert dump(db, settings.database) == before


def test_graph_run_is_documented_as_trusted_only():
    doc = " ".join((Graph.run.__doc__ or "").split()).lower()
    assert "trusted" in doc and "untrusted input" in doc and "can write" in doc, Graph.run.__doc__
