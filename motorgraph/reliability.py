"""Reliability and security checks: faults, concurrency and hostile input, with nothing lost.

`motorgraph reliability [--short] [-o docs/reliability.md]` calls :func:`run_reliability`,
which runs every scenario against a throw-away local Neo4j (a temporary home on free
ports; its database is wiped between scenarios) and writes a Markdown table:
fault injected / input class, what was tried, the outcome and whether nothing was lost.

Faults: the loader killed with SIGKILL mid-load, Neo4j killed with SIGKILL mid-load
(restarted with LocalServer.start()), four loaders at once on overlapping data, and a
Neo4j restart during a query session (API and CLI). After each fault the input is loaded
again and the whole graph is compared with a clean load of the same input.

Hostile input: mutated curated YAML and CSV bulk files (only ValidationFailed or success,
and on failure the database is unchanged), hostile saved-query parameters (a QueryError or
a result; the database unchanged; Cypher-looking values stay values).

Security: loopback-only listening sockets, authentication required, the password file's
mode and its absence from logs and CLI output, read-only saved queries, and Browser's HTTP
folder not serving anything outside it (`..`, `%2e%2e`, absolute paths).

The tests (tests/test_reliability.py, tests/test_security.py) use the same building blocks.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import neo4j

from motorgraph.errors import ValidationFailed
from motorgraph.settings import Settings

# ---------------------------------------------------------------------------------------
# generated data in the project's formats
# ---------------------------------------------------------------------------------------
BULK_SENTENCES = (
    "Northwind Motors supplies engines and gearboxes to its partners.",
    "The two companies agreed to build electric vans together.",
    "Shipments of parts continued through the whole year.",
)


def _article(folder: Path, source_id: str, title: str = "Generated article") -> None:
    """A curated YAML file with only a source block, and its article text."""
    (folder / "articles").mkdir(parents=True, exist_ok=True)
    text = " ".join(BULK_SENTENCES) + "\n"
    (folder / "articles" / f"{source_id}.txt").write_text(text, encoding="utf-8")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    (folder / f"{source_id}.yaml").write_text(
        f"source:\n  id: {source_id}\n  title: {title} {source_id}\n  file: articles/{source_id}.txt\n"
        f"  sha256: {digest}\nentities: []\nfacts: []\n", encoding="utf-8")


def bulk_pair(i: int, n_nodes: int) -> tuple[str, str, str]:
    """Relationship number i of the generated graph: (start id, type, end id); unique per i."""
    a = i % n_nodes
    b = (a + 1 + (i // n_nodes) % (n_nodes - 1)) % n_nodes
    rtype = "SUPPLIES" if i % 2 else "PARTNERS_WITH"
    return f"c{a:05d}", rtype, f"c{b:05d}"


def write_bulk_dataset(folder: Path, n_rels: int = 50_000, n_nodes: int = 2_000, *,
                       source_id: str = "bulk-source", first: int = 0, tag: str = "") -> Path:
    """A small YAML source plus nodes.csv and rels.csv in the CSV bulk format.

    Relationships number `first` .. `first + n_rels - 1` of one fixed generated graph, so
    two datasets with overlapping ranges describe overlapping facts. Every relationship
    cites `source_id`; every node gets the alias `tag` (when given) besides its own ones.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    _article(folder, source_id)
    extra = f";{tag}" if tag else ""
    with open(folder / "nodes.csv", "w", encoding="utf-8", newline="") as fh:
        fh.write("id:ID,:LABEL,name,aliases:string[],kind,founded:int\n")
        for i in range(n_nodes):
            fh.write(f"c{i:05d},Company,Company {i},C{i}{extra},automaker,{1900 + i % 120}\n")
    with open(folder / "rels.csv", "w", encoding="utf-8", newline="") as fh:
        fh.write(":START_ID,:TYPE,:END_ID,goods,on,status,source,quote\n")
        for i in range(first, first + n_rels):
            a, rtype, b = bulk_pair(i, n_nodes)
            if rtype == "SUPPLIES":
                fh.write(f"{a},SUPPLIES,{b},parts,,active,{source_id},{BULK_SENTENCES[0]}\n")
            else:
                fh.write(f"{a},PARTNERS_WITH,{b},,electric vans,,{source_id},{BULK_SENTENCES[1]}\n")
    return folder


def write_fuzz_base(folder: Path, source_id: str = "fuzz-source") -> dict:
    """The article of the fuzzing base document, and the document itself (a dict)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "articles").mkdir(exist_ok=True)
    text = ("Fuzzy is a brand of Fuzz Motors. Fuzz Motors partners with Partner Co on batteries. "
            "The F1 is made by Fuzzy.\n")
    (folder / "articles" / "fuzz.txt").write_text(text, encoding="utf-8")
    return {
        "source": {"id": source_id, "title": "Fuzz article", "publisher": None, "date": "2024-05",
                   "file": "articles/fuzz.txt",
                   "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()},
        "entities": [
            {"id": "fz-maker", "label": "Company", "name": "Fuzz Motors", "aliases": ["FM"],
             "properties": {"kind": "automaker", "founded": 1990}},
            {"id": "fz-brand", "label": "Brand", "name": "Fuzzy", "aliases": [], "properties": {}},
            {"id": "fz-model", "label": "VehicleModel", "name": "F1",
             "properties": {"powertrain": "electric", "ev_range_km": 300}},
            {"id": "fz-partner", "label": "Company", "name": "Partner Co", "properties": {"kind": "supplier"}},
        ],
        "facts": [
            {"from": "fz-brand", "type": "BRAND_OF", "to": "fz-maker", "quote": "Fuzzy is a brand of Fuzz Motors."},
            {"from": "fz-maker", "type": "PARTNERS_WITH", "to": "fz-partner", "properties": {"on": "batteries"},
             "status": "active", "since": 2022, "quote": "Fuzz Motors partners with Partner Co on batteries."},
            {"from": "fz-brand", "type": "MAKES", "to": "fz-model", "quote": "The F1 is made by Fuzzy."},
        ],
    }


def dump_yaml(doc) -> str:
    import yaml

    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


# Values an attacker or a careless editor might put anywhere.
HOSTILE_STRINGS = (
    "", " ", "x' OR 1=1 //", "\" OR \"\"=\"", "}) DETACH DELETE n //", "') DETACH DELETE n //",
    "MATCH (n) DETACH DELETE n", "`) DETACH DELETE n //", "$rows", "{id: 'x'}", "\\u0000", "\x00",
    "Robert'); DROP TABLE cars;--", "../../../etc/passwd", "%2e%2e%2f", "é\u0301", "日本語", "🚗💥",
    "\u202eevil", "\ufeffbom", "a" * 5000, "line\nbreak", "tab\there", "null", "~", "true", "NO",
    "2022-13-45", "1e309", "-0", "NaN", "<script>alert(1)</script>", "{{7*7}}", "${jndi:ldap://x}",
)
HOSTILE_NUMBERS = (0, -1, 2**31, 2**63 - 1, 2**63, -(2**63) - 1, 10**30, 1e308, float("inf"),
                   float("-inf"), float("nan"), 1e-320, True, False)
# Raw text spliced into a YAML or CSV file at a random place.
HOSTILE_SNIPPETS = ("\x01", "\x00", "\x1b[2J", "\t", ":", ": ", "- ", "[", "]", "{", "}", "&a", "*a",
                    "!!python/object:os.system", "!!binary", "'", '"', "#", "|", ">", "%YAML 1.1\n---\n",
                    "\n---\n", "\r", "\u2028", "\ufeff", "\ud7ff", "\\ud800", ",", "\n", "2022-13-45",
                    "99999999999999999999", "[" * 400, "<<: *a")


def _paths(obj, prefix=()):
    """Every (path, value) in a nested structure of dicts and lists."""
    yield prefix, obj
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, prefix + (i,))


def _copy_to_parent(doc, path):
    """A deep copy of `doc` and, in it, the container that holds the value at `path`."""
    import copy

    doc = copy.deepcopy(doc)
    node = doc
    for p in path[:-1]:
        node = node[p]
    return doc, node


def set_path(doc, path, value):
    """A copy of `doc` with the value at `path` replaced (path () replaces the document)."""
    if not path:
        return value
    doc, parent = _copy_to_parent(doc, path)
    parent[path[-1]] = value
    return doc


def del_path(doc, path):
    if not path:
        return None
    doc, parent = _copy_to_parent(doc, path)
    del parent[path[-1]]
    return doc


def random_value(rnd: random.Random, depth: int = 0):
    kind = rnd.randrange(6 if depth < 2 else 3)
    if kind == 0:
        return rnd.choice(HOSTILE_STRINGS)
    if kind == 1:
        return rnd.choice(HOSTILE_NUMBERS)
    if kind == 2:
        return rnd.choice([None, "".join(chr(rnd.randrange(32, 0x2FFF)) for _ in range(rnd.randrange(12)))])
    if kind == 3:
        return [random_value(rnd, depth + 1) for _ in range(rnd.randrange(4))]
    if kind == 4:
        return {rnd.choice(["id", "label", "name", "kind", "on", "x", "from", "to", "quote"]):
                random_value(rnd, depth + 1) for _ in range(rnd.randrange(4))}
    return rnd.choice(["Company", "Brand", "SUPPLIES", "PARTNERS_WITH", "MENTIONS", "Source", "fz-maker"])


def mutate_yaml(doc: dict, rnd: random.Random) -> str:
    """One mutated curated document, as YAML text (structure and text mutations)."""
    for _ in range(rnd.randrange(1, 4)):
        paths = [p for p, _ in _paths(doc)]
        path = rnd.choice(paths)
        op = rnd.randrange(3)
        if op == 0:
            doc = set_path(doc, path, random_value(rnd))
        elif op == 1 and path:
            doc = del_path(doc, path)
        elif isinstance(doc, dict):
            doc = dict(doc, **{rnd.choice(["extra", "review", "entities"]): random_value(rnd)})
    try:
        text = dump_yaml(doc)
    except Exception:  # a value PyYAML cannot write (never expected): use the base text
        text = "source: {}\n"
    for _ in range(rnd.randrange(3)):
        pos = rnd.randrange(len(text) + 1)
        op = rnd.randrange(3)
        if op == 0:
            text = text[:pos] + rnd.choice(HOSTILE_SNIPPETS) + text[pos:]
        elif op == 1:
            text = text[:pos]
        else:
            end = min(len(text), pos + rnd.randrange(40))
            text = text[:pos] + text[end:]
    return text


CSV_NODE_COLUMNS = ("id:ID", ":LABEL", "name", "aliases:string[]", "kind", "founded:int", "founded",
                    "capacity_per_year:int", "name:int", "aliases:int", "kind:float", "x:boolean",
                    "opened:date", "bogus:type", ":ID", "status")
CSV_REL_COLUMNS = (":START_ID", ":TYPE", ":END_ID", "goods", "on", "status", "source", "quote",
                   "share_percent:float", "since:date", "source:int", "quote:string[]", "holds:boolean",
                   "goods:int", "mode", "unknown")


def hostile_csv(rnd: random.Random, known_ids: Iterable[str], source_id: str, quote: str) -> tuple[str, str]:
    """(nodes.csv text, rels.csv text): some well-formed, most with hostile headers and cells."""
    bad = rnd.choice([0.0, 0.05, 0.15, 0.4])  # how hostile this pair of files is
    known = list(known_ids)
    good = {"Company": known[:1] + known[3:], "Brand": known[1:2]}
    ncols = ["id:ID", ":LABEL", "name", "kind"]
    if rnd.random() < bad * 2:
        ncols.append(rnd.choice(CSV_NODE_COLUMNS))
    lines = [",".join(ncols)]
    new_ids = []
    for i in range(rnd.randrange(1, 5)):
        label = rnd.choice(["Brand", "Source", "company", "Nope"]) if rnd.random() < bad else "Company"
        kind = "" if label == "Brand" else (rnd.choice(["car maker", "", "AUTOMAKER"]) if rnd.random() < bad
                                             else rnd.choice(["automaker", "supplier"]))
        cells = [f"fz-n{i}", label, f"Node {i}", kind] + [_cell(rnd) for _ in ncols[4:]]
        if rnd.random() < bad:
            cells[rnd.randrange(len(cells))] = _cell(rnd)
        lines.append(",".join(cells))
        new_ids.append(f"fz-n{i}")
    companies = good["Company"] + new_ids
    rcols = [":START_ID", ":TYPE", ":END_ID", "goods", "on", "source", "quote"]
    if rnd.random() < bad * 2:
        rcols.append(rnd.choice(CSV_REL_COLUMNS))
    rlines = [",".join(rcols)]
    for _ in range(rnd.randrange(1, 5)):
        rtype = rnd.choice(["MENTIONS", "supplies", "X", "BRAND_OF"]) if rnd.random() < bad else \
            rnd.choice(["SUPPLIES", "PARTNERS_WITH"])
        goods, on = ("parts", "") if rtype != "PARTNERS_WITH" else ("", "engines")
        ends = [rnd.choice(known + ["", "Fz-Bad", "ghost", "fz-n9"]) if rnd.random() < bad
                else rnd.choice(companies) for _ in range(2)]
        cells = [ends[0], rtype, ends[1], goods, on, source_id, _quoted(quote)] + [_cell(rnd) for _ in rcols[7:]]
        if rnd.random() < bad:
            cells[rnd.randrange(len(cells))] = _cell(rnd)
        rlines.append(",".join(cells))
    nodes, rels = "\n".join(lines) + "\n", "\n".join(rlines) + "\n"
    if rnd.random() < bad:
        pos = rnd.randrange(len(rels) + 1)
        rels = rels[:pos] + rnd.choice(HOSTILE_SNIPPETS) + rels[pos:]
    return nodes, rels


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _cell(rnd: random.Random) -> str:
    v = rnd.choice(HOSTILE_STRINGS + tuple(str(n) for n in HOSTILE_NUMBERS) + ("", "1", "true", "a;b"))
    return _quoted(v) if rnd.random() < 0.7 else v.replace("\x00", "")


# ---------------------------------------------------------------------------------------
# graph inspection
# ---------------------------------------------------------------------------------------
def dump(driver: neo4j.Driver, database: str | None = None) -> list:
    """A canonical, order-independent dump of the whole graph (as tests/conftest.py's)."""
    with driver.session(database=database) as s:
        nodes = sorted(
            (sorted(r["labels"]), sorted((k, repr(v)) for k, v in r["props"].items()))
            for r in s.run("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
        )
        rels = sorted(
            (r["a"], r["t"], r["b"], sorted((k, repr(v)) for k, v in r["props"].items()))
            for r in s.run("MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, "
                           "properties(r) AS props")
        )
    return [nodes, rels]


def duplicates(driver: neo4j.Driver, database: str | None = None) -> dict:
    """Nodes sharing a label and id, relationships sharing endpoints, type and key properties."""
    from motorgraph.model import load_model

    keys = {name: list(t.key) for name, t in load_model().relationships.items()}
    with driver.session(database=database) as s:
        nodes = s.run("MATCH (n) UNWIND labels(n) AS l WITH l, n.id AS id, count(*) AS c WHERE c > 1 "
                      "RETURN count(*) AS groups, coalesce(sum(c - 1), 0) AS extra").single()
        rels = s.run("MATCH (a)-[r]->(b) WITH elementId(a) AS a, type(r) AS t, elementId(b) AS b, "
                     "[k IN coalesce($keys[type(r)], []) | r[k]] AS key, count(*) AS c WHERE c > 1 "
                     "RETURN count(*) AS groups, coalesce(sum(c - 1), 0) AS extra", keys=keys).single()
    return {"nodes": nodes["extra"], "relationships": rels["extra"]}


def _dups(d: dict) -> str:
    return f"{d['nodes']} duplicate nodes, {d['relationships']} duplicate relationships"


def count_rels(driver: neo4j.Driver, database: str | None = None) -> int:
    with driver.session(database=database) as s:
        return s.run("MATCH ()-[r]->() RETURN count(r) AS c").single()["c"]


def count_rels_settled(driver: neo4j.Driver, database: str | None = None, timeout: float = 60) -> int:
    """The relationship count once no other transaction is open: a killed client's last commit
    may still be finishing on the server (the loader writes from two threads)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with driver.session(database=database) as s:
            others = s.run("SHOW TRANSACTIONS YIELD currentQuery "
                           "WHERE NOT currentQuery STARTS WITH 'SHOW TRANSACTIONS' RETURN count(*) AS c").single()["c"]
        if others == 0:
            break
        time.sleep(0.1)
    return count_rels(driver, database)


def wipe(driver: neo4j.Driver, database: str | None = None) -> None:
    with driver.session(database=database) as s:
        s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()


# ---------------------------------------------------------------------------------------
# processes: spare servers, loader subprocesses, the CLI
# ---------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spare_settings(home: Path, seed_home: Path | None = None) -> Settings:
    """A local server of its own in `home`, on free ports, small enough to run beside others.

    `seed_home`: another home whose Maven classpath cache is copied (saves a Maven run).
    """
    home = Path(home)
    home.mkdir(parents=True, exist_ok=True)
    if seed_home is not None and Path(seed_home).is_dir():
        for f in Path(seed_home).glob("classpath-*.txt"):
            if not (home / f.name).exists():
                shutil.copy(f, home / f.name)
    bolt = free_port()
    http = free_port()
    while http == bolt:
        http = free_port()
    return Settings(uri=None, home=home, bolt_port=bolt, http_port=http, heap="512m",
                    pagecache="64m", start_timeout=240.0)


@contextlib.contextmanager
def spare_server(home: Path, seed_home: Path | None = None, echo: Callable[[str], None] = lambda m: None):
    """A started LocalServer in `home`, stopped (by the pid in that home) whatever happens."""
    from motorgraph.server import LocalServer

    srv = LocalServer(spare_settings(home, seed_home))
    try:
        srv.start(echo=echo)
        yield srv
    finally:
        srv.stop(timeout=30)


def child_env(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment for a motorgraph subprocess that talks to `settings`' server."""
    return settings.child_env(PYTHONUNBUFFERED="1", COLUMNS="200", **extra)


CLI = [sys.executable, "-c", "from motorgraph.cli import main; main()"]


def start_loader(settings: Settings, paths: Iterable[Path], log: Path, batch_size: int | None = None
                 ) -> subprocess.Popen:
    """`motorgraph load PATHS` as a subprocess; stdout and stderr go to `log` and `log`.err."""
    cmd = CLI + ["load", *map(str, paths)]
    if batch_size:
        cmd += ["--batch-size", str(batch_size)]
    out = open(log, "wb")
    err = open(str(log) + ".err", "wb")
    try:
        return subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                env=child_env(settings))
    finally:
        out.close()
        err.close()


def run_cli(settings: Settings, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(CLI + list(args), capture_output=True, text=True, timeout=timeout,
                          env=child_env(settings), stdin=subprocess.DEVNULL)


def one_line_error(stderr: str) -> bool:
    """True when stderr is exactly one line `Error: ...` (the CLI's way of failing)."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    return len(lines) == 1 and lines[0].startswith("Error: ") and "Traceback" not in stderr


def kill9(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def wait_gone(pid: int, timeout: float = 30) -> bool:
    """Wait until `pid` has exited (a zombie counts as exited)."""
    from motorgraph.server import _alive

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return False


def wait_ports_closed(settings: Settings, timeout: float = 60) -> bool:
    """Wait until nothing answers on the server's ports. A SIGKILLed JVM's main thread is a
    zombie at once, but its sockets close only when the last of its threads has exited."""
    from motorgraph.server import _port_open

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not (_port_open(settings.bolt_port) or _port_open(settings.http_port)):
            return True
        time.sleep(0.1)
    return False


def wait_for_rels(driver: neo4j.Driver, at_least: int, proc: subprocess.Popen | None = None,
                  database: str | None = None, timeout: float = 120) -> int:
    """Poll the relationship count until it reaches `at_least` (or `proc` exits); the count."""
    deadline = time.monotonic() + timeout
    n = 0
    while time.monotonic() < deadline:
        with contextlib.suppress(neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError):
            n = count_rels(driver, database)
        if n >= at_least or (proc is not None and proc.poll() is not None):
            return n
        time.sleep(0.05)
    return n


def listening_addresses(pid: int) -> list[tuple[str, int]]:
    import psutil

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
    return password.encode() in body or b"dbms.security.auth_enabled" in body \
        or b"server.directories.data" in body


# ---------------------------------------------------------------------------------------
# the report
# ---------------------------------------------------------------------------------------
# Bugs the fault and hostile-input runs found, and where they were fixed (each has a test in
# tests/test_reliability.py that fails when the fix is reverted).
FINDINGS = (
    "YAML the parser cannot build (an impossible date `2024-13-45`, a control character, nesting "
    "thousands deep) crashed the loader with a traceback (ValueError, ReaderError, RecursionError): "
    "now a ValidationFailed problem (loaders/curated.py).",
    "An integer beyond 64 bits (YAML or CSV) passed validation and failed in the middle of the write, "
    "after the Source node was committed; a lone surrogate (`\\ud800` in a double-quoted YAML string) "
    "in a property did the same (UnicodeEncodeError): both are now rejected before any write "
    "(motorgraph/model.py).",
    "A YAML alias bomb (a few hundred bytes) made an error message of gigabytes: values in messages "
    "are now shown bounded (motorgraph/model.py, loaders/curated.py).",
    "CSV headers that type the loader's own columns: `quote:string[]` and `source:int` crashed the "
    "loader (AttributeError, TypeError), `aliases:int` failed at write time (Neo4j refuses a list of "
    "mixed types), `name:int` stored a number as a name: those columns must now be text "
    "(loaders/csvbulk.py).",
    "The Python API raised raw driver exceptions (ServiceUnavailable) when Neo4j was down: Graph's "
    "methods now raise one ConnectionFailed line (motorgraph/graph.py, motorgraph/db.py).",
    "The CLI printed the driver's retry warnings (\"Transaction failed and will be retried in 17s "
    "...\") on stderr before its own error line: now it prints only its line (motorgraph/cli/__init__.py).",
    "Concurrency needed no fix: MERGE locks both end nodes before creating, and the writer's "
    "`SET r += row.props` write-locks the relationship before its provenance lists are read; "
    "a writer that reads them first loses sources under four loaders (checked by the test).",
)


@dataclass
class Row:
    what: str  # fault injected / input class
    tried: str
    outcome: str
    nothing_lost: bool | None  # None: not applicable
    ok: bool
    seconds: float = 0.0


def write_report(rows: list[Row], out: Path, short: bool, total_s: float) -> Path:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = [
        "# Reliability and security",
        "",
        "Generated by `motorgraph reliability" + (" --short" if short else "") + "` "
        f"({'short mode, for CI' if short else 'full mode'}; {total_s:.0f} s). Every scenario runs against "
        "a throw-away local Neo4j 5.26 (temporary home, free ports), never the demo database. "
        "\"Nothing lost\" means: after the fault and a reload, the whole graph equals a clean load of "
        "the same input (canonical dump, no duplicate nodes or relationships), or, for rejected input, "
        "the database is exactly as it was.",
        "",
        "| Fault injected / input class | What was tried | Outcome | Nothing lost |",
        "|---|---|---|---|",
    ]
    for r in rows:
        lost = "n/a" if r.nothing_lost is None else ("yes" if r.nothing_lost else "**NO**")
        outcome = r.outcome if r.ok else f"**FAILED**: {r.outcome}"
        lines.append(f"| {cell(r.what)} | {cell(r.tried)} | {cell(outcome)} | {lost} |")
    failed = [r for r in rows if not r.ok]
    lines += ["", "## What these checks found (fixed)", ""] + [f"- {f}" for f in FINDINGS]
    lines += ["", f"{len(rows) - len(failed)} of {len(rows)} checks passed."
              + (" Failed: " + ", ".join(r.what for r in failed) + "." if failed else ""), "",
              "The same scenarios run as tests: `tests/test_reliability.py`, `tests/test_security.py`.", ""]
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines), encoding="utf-8")
    return out


# ---------------------------------------------------------------------------------------
# scenarios
# ---------------------------------------------------------------------------------------
class _Ctx:
    def __init__(self, srv, work: Path, short: bool, echo):
        from motorgraph.db import open_driver

        self.srv = srv
        self.settings: Settings = srv.settings
        self.work = work
        self.short = short
        self.echo = echo
        self.driver = open_driver(self.settings)
        self.n_rels = 10_000 if short else 50_000
        self.n_nodes = 500 if short else 2_000
        self._ref: list | None = None
        self._bulk: Path | None = None

    def fresh(self) -> None:
        from motorgraph.schema_ops import apply_schema

        wipe(self.driver)
        apply_schema(self.driver)

    def load(self, paths) -> None:
        from motorgraph.loaders import load

        load(list(paths), driver=self.driver, show_progress=False)

    def bulk(self) -> tuple[Path, list]:
        """The bulk dataset and the dump of a clean load of it."""
        if self._bulk is None:
            self._bulk = write_bulk_dataset(self.work / "bulk", self.n_rels, self.n_nodes)
            self.fresh()
            self.load([self._bulk])
            self._ref = dump(self.driver)
        return self._bulk, self._ref


def _load_until_a_tenth(ctx: _Ctx, log_name: str):
    """Start a `motorgraph load` of the bulk data into an empty database and wait until a
    tenth of its relationships are in: (dataset, reference dump, process, count, finished)."""
    ds, ref = ctx.bulk()
    ctx.fresh()
    proc = start_loader(ctx.settings, [ds], ctx.work / log_name)
    at_kill = wait_for_rels(ctx.driver, ctx.n_rels // 10, proc)
    return ds, ref, proc, at_kill, proc.poll() is not None


def scenario_loader_killed(ctx: _Ctx) -> Row:
    ds, ref, proc, at_kill, finished_first = _load_until_a_tenth(ctx, "killed-loader.log")
    kill9(proc.pid)
    proc.wait(timeout=30)
    partial = count_rels_settled(ctx.driver)
    ctx.load([ds])
    same = dump(ctx.driver) == ref
    dups = duplicates(ctx.driver)
    mid = not finished_first and 0 < partial < ctx.n_rels
    ok = same and not any(dups.values()) and mid
    return Row("Loader killed (SIGKILL) mid-load",
               f"`motorgraph load` of {ctx.n_rels:,} CSV relationships + a YAML source; SIGKILL by pid once "
               f"{at_kill:,} relationships were in; then the same load again",
               f"{partial:,} of {ctx.n_rels:,} relationships committed when killed (whole batches only); "
               f"reload completed; graph {'equals' if same else 'DIFFERS from'} a clean load; {_dups(dups)}"
               + ("" if mid else "; the kill did not land mid-load"), same and not any(dups.values()), ok)


def scenario_neo4j_killed(ctx: _Ctx) -> Row:
    ds, ref, proc, at_kill, finished_first = _load_until_a_tenth(ctx, "neo4j-killed-loader.log")
    pid = ctx.srv.pid()
    kill9(pid)
    wait_gone(pid)
    wait_ports_closed(ctx.settings)
    ctx.driver.close()
    t = time.monotonic()
    ctx.srv.start()
    restart_s = time.monotonic() - t
    try:
        rc = proc.wait(timeout=120)
    except subprocess.TimeoutExpired:
        kill9(proc.pid)
        rc = proc.wait()
    err = Path(str(ctx.work / "neo4j-killed-loader.log") + ".err").read_text(errors="replace")
    from motorgraph.db import open_driver

    ctx.driver = open_driver(ctx.settings)
    loader_clean = rc == 0 or one_line_error(err)
    partial = count_rels(ctx.driver)
    ctx.load([ds])
    same = dump(ctx.driver) == ref
    dups = duplicates(ctx.driver)
    verdict = "finished after Neo4j came back (driver retries)" if rc == 0 else \
        ("failed with one line: " + err.strip().splitlines()[-1][:120] if loader_clean else
         "failed with a traceback")
    ok = same and not any(dups.values()) and loader_clean and not finished_first
    return Row("Neo4j killed (SIGKILL) mid-load",
               f"SIGKILL of the server by pid once {at_kill:,} of {ctx.n_rels:,} relationships were in; "
               f"LocalServer.start() (recovery, {restart_s:.0f} s); then the same load again",
               f"loader {verdict}; {partial:,} relationships after recovery; graph "
               f"{'equals' if same else 'DIFFERS from'} a clean load; {_dups(dups)}",
               same and not any(dups.values()), ok)


def concurrent_datasets(root: Path, n_rels: int, n_nodes: int, loaders: int = 4) -> list[Path]:
    """`loaders` datasets over one generated graph: each its own source and alias tag, and
    windows of relationships that overlap their neighbours' by three quarters."""
    step = max(1, n_rels // 4)
    return [write_bulk_dataset(root / f"loader-{k}", n_rels, n_nodes, source_id=f"conc-source-{k}",
                               first=k * step, tag=f"tag-{k}") for k in range(loaders)]


def scenario_concurrent(ctx: _Ctx) -> Row:
    n = ctx.n_rels // 2
    dirs = concurrent_datasets(ctx.work / "concurrent", n, ctx.n_nodes)
    ctx.fresh()
    for d in dirs:
        ctx.load([d])
    ref = dump(ctx.driver)
    ctx.fresh()
    procs = [start_loader(ctx.settings, [d], ctx.work / f"concurrent-{k}.log") for k, d in enumerate(dirs)]
    rcs = [p.wait(timeout=600) for p in procs]
    same = dump(ctx.driver) == ref
    dups = duplicates(ctx.driver)
    ok = same and not any(dups.values()) and not any(rcs)
    return Row("Four loaders at once",
               f"4 `motorgraph load` subprocesses, {n:,} relationships each (¾ overlapping, each citing its "
               f"own source, each adding its own alias to the same {ctx.n_nodes:,} nodes)",
               f"exit codes {rcs}; {_dups(dups)}; graph {'equals' if same else 'DIFFERS from'} "
               "the four loads one after another (merged sources and aliases)",
               same and not any(dups.values()), ok)


def scenario_restart_session(ctx: _Ctx) -> Row:
    from motorgraph.errors import ConnectionFailed
    from motorgraph.graph import Graph

    ctx.fresh()
    ctx.load([ctx.bulk()[0]])
    before = dump(ctx.driver)
    g = Graph.connect(ctx.settings)
    fast = Graph(neo4j.GraphDatabase.driver(ctx.settings.bolt_uri, auth=ctx.settings.auth(),
                                            max_transaction_retry_time=1, connection_timeout=3), ctx.settings)
    notes, ok = [], True
    try:
        assert g.run("MATCH (n:Company) RETURN count(n) AS c")[0]["c"] == ctx.n_nodes
        fast.run("RETURN 1 AS x")
        ctx.srv.stop(timeout=60)
        try:
            fast.run("RETURN 1 AS x")
            ok, _ = False, notes.append("API call while down did not fail")
        except ConnectionFailed as exc:
            notes.append(f"API while down: ConnectionFailed '{str(exc)[:60]}...'")
        except Exception as exc:  # noqa: BLE001 - the point is to report it
            ok = False
            notes.append(f"API while down raised {type(exc).__name__}")
        cli = run_cli(ctx.settings, "schema", "check")
        cli_ok = cli.returncode == 1 and one_line_error(cli.stderr)
        ok &= cli_ok
        notes.append("CLI while down: " + ("one line, exit 1" if cli_ok else f"exit {cli.returncode}, "
                                           f"{len(cli.stderr.splitlines())} stderr lines"))
        ctx.srv.start()
        rows = g.run("MATCH (n:Company) RETURN count(n) AS c")
        again = rows[0]["c"] == ctx.n_nodes
        ok &= again
        notes.append("same Graph after restart: " + ("reconnected" if again else "wrong answer"))
        cli = run_cli(ctx.settings, "schema", "check")
        ok &= cli.returncode == 0
        notes.append(f"CLI after restart: exit {cli.returncode}")
    finally:
        g.close()
        fast.close()
    same = dump(ctx.driver) == before
    return Row("Neo4j restarted during a query session",
               "a Graph (API) session and CLI commands (`schema check`) before, during and after a "
               "server stop/start", "; ".join(notes), same, ok and same)


def hostile_yaml(ctx: _Ctx, examples: int, seed: int = 20240501) -> Row:
    rnd = random.Random(seed)
    folder = ctx.work / "hostile-yaml"
    base = write_fuzz_base(folder)
    ctx.fresh()
    counts = {"rejected": 0, "loaded": 0, "crashed": 0, "changed on rejection": 0}
    crashes = []
    for i in range(examples):
        text = mutate_yaml(base, rnd)
        path = folder / f"doc-{i}.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        _attempt_load(ctx, path, counts, crashes)
        path.unlink()
    ok = counts["crashed"] == 0 and counts["changed on rejection"] == 0
    return Row("Hostile curated YAML", f"{examples} mutated documents (structure: random values, deleted and "
               "unknown keys; text: control characters, bad dates, huge integers, anchors, deep nesting, "
               "truncation)", ", ".join(f"{v} {k}" for k, v in counts.items()) + (
                   f" ({'; '.join(crashes[:2])})" if crashes else ""),
               counts["changed on rejection"] == 0, ok)


def _attempt_load(ctx: _Ctx, path: Path, counts: dict, crashes: list) -> None:
    """Load one hostile input; count loaded / rejected / crashed and any change on rejection."""
    before = dump(ctx.driver)
    try:
        ctx.load([path])
        counts["loaded"] += 1
    except ValidationFailed:
        counts["rejected"] += 1
        if dump(ctx.driver) != before:
            counts["changed on rejection"] += 1
    except Exception as exc:  # noqa: BLE001
        counts["crashed"] += 1
        crashes.append(f"{type(exc).__name__}: {str(exc)[:80]}")


def hostile_csv_class(ctx: _Ctx, examples: int, seed: int = 7) -> Row:
    rnd = random.Random(seed)
    folder = ctx.work / "hostile-csv"
    base = write_fuzz_base(folder)
    (folder / "base.yaml").write_text(dump_yaml(base), encoding="utf-8")
    ctx.fresh()
    ctx.load([folder / "base.yaml"])
    counts = {"rejected": 0, "loaded": 0, "crashed": 0, "changed on rejection": 0}
    crashes = []
    known = [e["id"] for e in base["entities"]]
    for i in range(examples):
        nodes, rels = hostile_csv(rnd, known, base["source"]["id"], base["facts"][0]["quote"])
        d = folder / f"case-{i}"
        d.mkdir()
        (d / "nodes.csv").write_text(nodes, encoding="utf-8")
        (d / "rels.csv").write_text(rels, encoding="utf-8")
        _attempt_load(ctx, d, counts, crashes)
        shutil.rmtree(d)
    ok = counts["crashed"] == 0 and counts["changed on rejection"] == 0
    return Row("Hostile CSV bulk files", f"{examples} generated node/relationship file pairs (typed headers "
               "that clash with reserved columns, unknown labels and types, Source/MENTIONS, missing "
               "endpoints, huge numbers, Cypher-looking and unicode cells, broken quoting)",
               ", ".join(f"{v} {k}" for k, v in counts.items()) + (
                   f" ({'; '.join(crashes[:2])})" if crashes else ""),
               counts["changed on rejection"] == 0, ok)


def _library():
    try:
        from motorgraph import library
    except ImportError:
        return None
    return library


CYPHER_LOOKING = ("x' OR 1=1 //", "}) DETACH DELETE n //", "') DETACH DELETE n //", "KAMAZ' OR '1'='1",
                  "MATCH (n) DETACH DELETE n", "$market", "` OR true //", "\\' OR 1=1 //", "*:*", "name:KAMAZ OR id:*")


def hostile_query_params(ctx: _Ctx, per_query: int, seed: int = 11) -> Row:
    library = _library()
    if library is None:
        return Row("Hostile saved-query parameters", "-", "skipped: the saved-query library "
                   "(motorgraph/library.py) is not installed", None, True)
    from motorgraph.errors import QueryError
    from motorgraph.loaders import load

    rnd = random.Random(seed)
    ctx.fresh()
    load(None, driver=ctx.driver, show_progress=False)  # the bundled seed data
    before = dump(ctx.driver)
    with ctx.driver.session() as s:
        names = set(s.run("MATCH (n) UNWIND [n.id, n.name] + coalesce(n.aliases, []) AS x "
                          "RETURN collect(DISTINCT toLower(x)) AS xs").single()["xs"])
    pool = CYPHER_LOOKING + HOSTILE_STRINGS + tuple(map(str, HOSTILE_NUMBERS)) + HOSTILE_NUMBERS
    counts = {"QueryError": 0, "result": 0, "crashed": 0, "matched a non-entity": 0}
    crashes, tried = [], 0
    queries = library.list_queries()
    for q in queries:
        for i in range(per_query):
            # Optional knobs (limit, hops) get a hostile value on every third call only: one
            # out-of-range knob refuses the whole call, and the strings must reach Cypher too.
            raw = {p.name: (CYPHER_LOOKING[i % len(CYPHER_LOOKING)] if p.type == "string" and i % 2 == 0
                            else rnd.choice(pool)) for p in q.params if p.required or i % 3 == 2}
            tried += 1
            try:
                rows = list(library.run_query(ctx.driver, q, raw))
                counts["result"] += 1
                if rows and any(p.type == "string" and isinstance(raw.get(p.name), str) and raw[p.name].strip()
                                and raw[p.name].strip().lower() not in names for p in q.params):
                    counts["matched a non-entity"] += 1
            except QueryError:
                counts["QueryError"] += 1
            except Exception as exc:  # noqa: BLE001
                counts["crashed"] += 1
                crashes.append(f"{q.name}: {type(exc).__name__}: {str(exc)[:80]}")
    same = dump(ctx.driver) == before
    ok = same and counts["crashed"] == 0 and counts["matched a non-entity"] == 0
    return Row("Hostile saved-query parameters", f"{tried} calls over the {len(queries)} saved queries, on the "
               "seed data: Cypher-looking strings (\"x' OR 1=1 //\", \"}) DETACH DELETE n //\"), Lucene syntax, "
               "unicode, huge and non-finite numbers, as text and as values",
               ", ".join(f"{v} {k}" for k, v in counts.items()) + (f" ({'; '.join(crashes[:2])})" if crashes else "")
               + f"; Cypher-looking values stayed values; database {'unchanged' if same else 'CHANGED'}", same, ok)


def _query_name(q) -> str:
    return q if isinstance(q, str) else getattr(q, "name")


def _param_names(q) -> list[str]:
    params = getattr(q, "params", None) or getattr(q, "parameters", None) or []
    if isinstance(params, dict):
        return list(params)
    return [p if isinstance(p, str) else getattr(p, "name") for p in params]


def security_rows(ctx: _Ctx) -> list[Row]:
    rows = []
    s = ctx.settings
    pid = ctx.srv.pid()
    password = s.password_file.read_text().strip()
    # loopback only
    try:
        addrs = listening_addresses(pid)
        ok = bool(addrs) and all(ip in LOOPBACK for ip, _ in addrs) and \
            {s.bolt_port, s.http_port} <= {p for _, p in addrs}
        rows.append(Row("Network exposure", f"listening sockets of the server process (pid {pid}, psutil)",
                        "all on loopback: " + ", ".join(f"{ip}:{p}" for ip, p in addrs), None, ok))
    except ImportError:
        rows.append(Row("Network exposure", "listening sockets (psutil)", "skipped: psutil not installed",
                        None, True))
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
    import http.client

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
    library = _library()
    if library is None:
        rows.append(Row("Writes through saved queries", "-", "skipped: the saved-query library is not installed",
                        None, True))
    else:
        rows.append(_read_only_row(ctx, library))
    # Graph.run documented as trusted-user only
    from motorgraph.graph import Graph

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


def _read_only_row(ctx: _Ctx, library) -> Row:
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
    import dataclasses

    from motorgraph.errors import QueryError

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


def run_reliability(short: bool = True, out: Path | None = None, *, seed_home: Path | None = None,
                    echo: Callable[[str], None] = lambda m: None) -> list[Row]:
    """Run every scenario on a throw-away local server and write the report to `out`."""
    from motorgraph.paths import DOCS_DIR
    from motorgraph.settings import get_settings

    out = Path(out) if out is not None else DOCS_DIR / "reliability.md"
    seed_home = seed_home or get_settings().home
    t0 = time.monotonic()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="motorgraph-reliability-") as tmp:
        work = Path(tmp)
        echo(f"Starting a throw-away Neo4j in {work / 'home'} ...")
        with spare_server(work / "home", seed_home, echo=echo) as srv:
            ctx = _Ctx(srv, work, short, echo)
            try:
                steps = [
                    ("loader killed mid-load", lambda: scenario_loader_killed(ctx)),
                    ("Neo4j killed mid-load", lambda: scenario_neo4j_killed(ctx)),
                    ("four loaders at once", lambda: scenario_concurrent(ctx)),
                    ("restart during a session", lambda: scenario_restart_session(ctx)),
                    ("hostile YAML", lambda: hostile_yaml(ctx, 40 if short else 200)),
                    ("hostile CSV", lambda: hostile_csv_class(ctx, 40 if short else 200)),
                    ("hostile query parameters", lambda: hostile_query_params(ctx, 5 if short else 25)),
                    ("security", lambda: security_rows(ctx)),
                ]
                for name, step in steps:
                    echo(f"- {name} ...")
                    t = time.monotonic()
                    try:
                        got = step()
                    except Exception as exc:  # noqa: BLE001 - a scenario that breaks is a finding
                        got = Row(name, "-", f"the scenario itself failed: {type(exc).__name__}: {exc}",
                                  None, False)
                    for r in got if isinstance(got, list) else [got]:
                        r.seconds = time.monotonic() - t
                        rows.append(r)
                        echo(f"  {'ok' if r.ok else 'FAILED'}: {r.what}: {r.outcome}")
            finally:
                ctx.driver.close()
    write_report(rows, out, short, time.monotonic() - t0)
    return rows
