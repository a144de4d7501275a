"""Security checks of a running local server: exposure, authentication, secrecy, read-only queries.

The building blocks (`listening_addresses`, `raw_get`, `traversal_targets`, `leaked`,
`smuggle_write`) are shared with tests/test_security.py; `security_rows` runs them all
against the harness's server for the report.
"""

from __future__ import annotations

import dataclasses
import http.client
import json
import socket
import stat
from pathlib import Path

import neo4j
import psutil

from motorgraph.errors import QueryError
from motorgraph.graph import Graph

from .context import Context, saved_query_library
from .dump import dump
from .processes import run_cli
from .report import Row


def listening_addresses(pid: int) -> list[tuple[str, int]]:
    """(address, port) of every socket the process `pid` listens on."""
    return sorted({(c.laddr.ip, c.laddr.port) for c in psutil.Process(pid).net_connections(kind="inet")
                   if c.status == psutil.CONN_LISTEN})


LOOPBACK = {"127.0.0.1", "::ffff:127.0.0.1", "::1"}


def raw_get(port: int, target: str, host: str = "127.0.0.1", timeout: float = 10) -> tuple[str, bytes]:
    """GET `target` exactly as written (no normalisation); (status line, body)."""
    with socket.create_connection((host, port), timeout=timeout) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
                  .encode("latin-1"))
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return head.split(b"\r\n", 1)[0].decode("latin-1"), body


def traversal_targets(home: Path) -> list[str]:
    """Request targets that try to leave Browser's folder for the password or the config."""
    h = str(home).lstrip("/")
    return [
        "/browser/../../conf/neo4j.conf", "/browser/../../password", "/browser/../password",
        "/browser/%2e%2e/%2e%2e/password", "/browser/%2e%2e/%2e%2e/conf/neo4j.conf",
        "/browser/..%2f..%2fpassword", "/browser/..%2f..%2fconf%2fneo4j.conf",
        "/browser/%2e%2e%2f%2e%2e%2fpassword", "/browser/%252e%252e/%252e%252e/password",
        "/browser/..%5c..%5cpassword", "/browser/..\\..\\password", "/browser/.%2e/.%2e/password",
        "/browser/..;/..;/password", "/browser/....//....//password", "/browser/guides/../../../password",
        "/browser/%c0%ae%c0%ae/%c0%ae%c0%ae/password", "/browser/%00/../../password",
        f"/browser//{h}/password", f"/browser/%2f{h.replace('/', '%2f')}%2fpassword",
        f"/{h}/password", f"//{h}/password", f"/{h}/conf/neo4j.conf", f"file:///{h}/password",
        f"http://127.0.0.1/{h}/password", "/../password", "/browser/../static/.unpacked-from",
        "/%2e%2e/%2e%2e/password", "/browser/..", "/browser/.%00./password",
    ]


def leaked(body: bytes, password: str) -> bool:
    """Whether an HTTP response body holds the password or the server's configuration."""
    return password.encode() in body or b"dbms.security.auth_enabled" in body \
        or b"server.directories.data" in body


def security_rows(ctx: Context) -> list[Row]:
    """One report row per security check of the harness's server."""
    rows = []
    s = ctx.settings
    pid = ctx.srv.pid()
    password = s.password_file.read_text().strip()
    # loopback only
    addrs = listening_addresses(pid)
    ok = bool(addrs) and all(ip in LOOPBACK for ip, _ in addrs) and \
        {s.bolt_port, s.http_port} <= {p for _, p in addrs}
    rows.append(Row("Network exposure", f"listening sockets of the server process (pid {pid}, psutil)",
                    "all on loopback: " + ", ".join(f"{ip}:{p}" for ip, p in addrs), None, ok))
    # authentication
    outcomes = []
    ok = True
    for label, auth in (("no credentials", None), ("wrong password", ("neo4j", password + "x")),
                        ("unknown user", ("admin", password))):
        drv = neo4j.GraphDatabase.driver(s.bolt_uri, auth=auth, connection_timeout=5)
        try:
            drv.verify_connectivity()
            drv.execute_query("RETURN 1")
            ok = False
            outcomes.append(f"{label}: ACCEPTED")
        except neo4j.exceptions.AuthError:
            outcomes.append(f"{label}: refused")
        except Exception as exc:  # noqa: BLE001
            outcomes.append(f"{label}: refused ({type(exc).__name__})")
        finally:
            drv.close()
    conn = http.client.HTTPConnection("127.0.0.1", s.http_port, timeout=10)
    conn.request("POST", "/db/neo4j/tx/commit", body=json.dumps({"statements": [{"statement": "RETURN 1"}]}),
                 headers={"Content-Type": "application/json"})
    status = conn.getresponse().status
    conn.close()
    ok &= status == 401
    outcomes.append(f"HTTP API without credentials: {status}")
    rows.append(Row("Authentication", "Bolt without credentials, with a wrong password, as an unknown user; "
                    "the HTTP API without credentials", "; ".join(outcomes), None, ok))
    # password file and secrecy
    mode = stat.S_IMODE(s.password_file.stat().st_mode)
    outputs = {name: run_cli(s, "server", *args) for name, args in
               (("server start", ["start"]), ("server status", ["status"]),
                ("server logs", ["logs", "-n", "100000"]))}
    in_logs = [p.name for p in ctx.srv.logs_dir.rglob("*") if p.is_file() and password.encode() in p.read_bytes()]
    in_out = [n for n, r in outputs.items() if password in r.stdout + r.stderr]
    ok = mode == 0o600 and not in_logs and not in_out and all(r.returncode == 0 for r in outputs.values())
    rows.append(Row("Password secrecy", "mode of the password file; grep for the password in every file of "
                    "logs/ and in the output of `server start`, `server status`, `server logs`",
                    f"mode {mode:o}; found in logs: {in_logs or 'none'}; found in CLI output: {in_out or 'none'}",
                    None, ok))
    # saved queries are read-only
    library = saved_query_library()
    if library is None:
        rows.append(Row("Writes through saved queries", "-", "skipped: the saved-query library is not installed",
                        None, True))
    else:
        rows.append(_read_only_row(ctx, library))
    # Graph.run documented as trusted-user only
    doc = (Graph.run.__doc__ or "").lower()
    ok = "trusted" in doc and "untrusted" in doc
    rows.append(Row("Ad-hoc Cypher (`Graph.run`)", "its docstring", "documented as trusted users only"
                    if ok else "NOT documented as trusted-only", None, ok))
    # HTTP traversal
    targets = traversal_targets(s.home)
    results = [(t, *raw_get(s.http_port, t)) for t in targets]
    leaks = [t for t, _, body in results if leaked(body, password)]
    statuses = sorted({line.split(" ", 2)[1] if " " in line else line for _, line, _ in results})
    index = raw_get(s.http_port, "/browser/")
    ok = not leaks and index[0].split(" ")[1] == "200"
    rows.append(Row("Path traversal on Browser's HTTP folder",
                    f"{len(targets)} raw requests: `..`, `%2e%2e`, `..%2f`, double encoding, backslashes, "
                    "overlong UTF-8, `;`, NUL, absolute paths and URLs towards the password file and conf/neo4j.conf",
                    f"no password or config returned (statuses {', '.join(statuses)}); /browser/ still served",
                    None, ok))
    return rows


def _read_only_row(ctx: Context, library) -> Row:
    before = dump(ctx.driver)
    outcome = _smuggle_write(ctx.driver, library)
    same = dump(ctx.driver) == before
    ok = same and outcome.startswith("refused")
    return Row("Writes through saved queries", f"run_query with {len(SMUGGLED_WRITES)} writing statements "
               "(CREATE, DETACH DELETE, SET, MERGE) smuggled in as a saved query's Cypher", outcome + ("; database unchanged" if same else "; database CHANGED"), same, ok)


SMUGGLED_WRITES = (
    "CREATE (n:Company {id: 'smuggled', name: 'Smuggled', kind: 'automaker'}) RETURN n.id AS id",
    "MATCH (n) DETACH DELETE n RETURN count(*) AS deleted",
    "MATCH (n:Company) SET n.name = 'owned' RETURN count(n) AS c",
    "MERGE (n:Company {id: 'smuggled'}) RETURN n.id AS id",
)


def smuggle_write(driver, library, cypher: str, database: str | None = None) -> str:
    """Run a writing statement as a saved query (run_query, read transaction); how it ended:
    "ran" or the exception's class name."""
    evil = dataclasses.replace(library.list_queries()[0], cypher=cypher, params=[])
    try:
        library.run_query(driver, evil, {}, database=database)
        return "ran"
    except (QueryError, neo4j.exceptions.Neo4jError) as exc:
        return type(exc).__name__


def _smuggle_write(driver, library) -> str:
    results = [smuggle_write(driver, library, c) for c in SMUGGLED_WRITES]
    if "ran" in results:
        return "ACCEPTED a write: " + ", ".join(results)
    return "refused: " + ", ".join(results)
