"""Reliability: faults, concurrency and hostile input against a real Neo4j, with nothing lost.

* SIGKILL of the loader mid-load (shared test server) and of Neo4j mid-load (a server of
  this module's own, restarted with LocalServer.start()); loading again gives exactly the
  graph of a clean load (conftest.dump), with no duplicates.
* Four loader processes at once on overlapping data: no duplicates, and the graph equals
  the four loads one after another (merged sources and aliases: no lost update).
* Neo4j killed and restarted during a query session (the same test as its kill mid-load):
  the API (Graph), the CLI and the loader either reconnect or fail with one
  ConnectionFailed line, never a traceback or the driver's retry warnings.
* Replacing loads (the harness's scenarios, short sizes): the loader or Neo4j killed during
  the one transaction of a replacing load leaves one whole version (the old one, or the new
  one when the commit won the race), never a mix, and loading again gives a clean load's
  graph; two replacing loads of sources sharing entities at once lose nothing; a replacing
  load and an unload of one source at once end in one of the two clean states.
* Hostile input: tests/test_reliability_hostile.py.

Processes started here (loaders, the module's own Neo4j) are stopped by their pid.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import neo4j
import pytest

from conftest import counts, dump, wipe
from harness import replacing
from harness.context import Context
from harness.data import concurrent_datasets, write_bulk_dataset
from harness.dump import count_rels_settled, duplicates
from harness.processes import (
    kill9, one_line_error, run_cli, spare_settings, start_loader, wait_for_rels, wait_gone,
    wait_ports_closed
)
from harness.report import DOC, PROSE_HEADING, ReportError, Row, kept_prose, write_report
from motorgraph.errors import ConnectionFailed
from motorgraph.graph import Graph
from motorgraph.loaders import load
from motorgraph.loaders.counts import stale_counts
from motorgraph.schema_ops import apply_schema
from motorgraph.server import LocalServer

N_RELS = 50_000
N_NODES = 2_000
KILL_AT = 5_000  # relationships in the database when the SIGKILL is sent
NO_DUPLICATES = {"nodes": 0, "relationships": 0}


def _load(driver, settings, paths):
    return load([Path(p) for p in paths], driver=driver, database=settings.database, show_progress=False)


@contextlib.contextmanager
def reaped(proc: subprocess.Popen):
    """Whatever happens, a subprocess started here does not outlive the test (SIGKILL by pid)."""
    try:
        yield proc
    finally:
        if proc.poll() is None:
            kill9(proc.pid)
            proc.wait(timeout=30)


def incomplete_relationships(driver, database=None) -> int:
    """Relationships written without their provenance: a half-applied batch would leave some."""
    with driver.session(database=database) as s:
        return s.run("MATCH ()-[r]->() WHERE type(r) <> 'MENTIONS' AND "
                     "(r.sources IS NULL OR size(r.sources) = 0 OR size(r.sources) <> size(r.quotes)) "
                     "RETURN count(r) AS c").single()["c"]


# ---- fixtures ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bulk(tmp_path_factory) -> Path:
    """~50k relationships in the CSV bulk format, with a small YAML source."""
    return write_bulk_dataset(tmp_path_factory.mktemp("bulk"), N_RELS, N_NODES)


@pytest.fixture(scope="module")
def bulk_reference(driver, neo4j_server, bulk) -> list:
    """conftest.dump of a clean load of `bulk` (into an empty database with the schema)."""
    wipe(driver, neo4j_server.database)
    apply_schema(driver, neo4j_server.database)
    _load(driver, neo4j_server, [bulk])
    ref = dump(driver, neo4j_server.database)
    assert len(ref[1]) == N_RELS and len(ref[0]) == N_NODES + 1
    return ref


@pytest.fixture(scope="module")
def spare(tmp_path_factory, settings):
    """A Neo4j of this module's own (tmp home, free ports): the one that gets killed.

    Started fresh with `motorgraph server start`; stopped by the pid in its home."""
    if not settings.local:
        pytest.skip("NEO4J_URI is set: killing and restarting needs motorgraph's local server")
    srv = LocalServer(spare_settings(tmp_path_factory.mktemp("spare") / "home", seed_home=settings.home))
    try:
        res = run_cli(srv.settings, "server", "start", timeout=300)
        if res.returncode != 0:
            pytest.fail(f"could not start the spare Neo4j: {res.stdout}{res.stderr}", pytrace=False)
        password = srv.settings.password_file.read_text().strip()
        assert password not in res.stdout + res.stderr  # a fresh start does not print it
        assert srv.pid() is not None
        yield srv
    finally:
        srv.stop(timeout=30)


# ---- SIGKILL mid-load ------------------------------------------------------------------------

@pytest.mark.timeout(240)
def test_loader_killed_mid_load_then_reload_equals_clean_load(db, settings, bulk, bulk_reference, tmp_path):
    wipe(db, settings.database)
    proc = start_loader(settings, [bulk], tmp_path / "loader.log")
    with reaped(proc):
        at_kill = wait_for_rels(db, KILL_AT, proc, settings.database, timeout=180)
        assert proc.poll() is None, ("the loader ended before it was killed: "
                                     + Path(f"{tmp_path / 'loader.log'}.err").read_text())
        kill9(proc.pid)
        assert proc.wait(timeout=30) == -9
    partial = count_rels_settled(db, settings.database)
    assert KILL_AT <= at_kill <= partial < N_RELS, (at_kill, partial)
    # Every batch is one transaction: what is in is complete, whatever is missing is whole.
    assert incomplete_relationships(db, settings.database) == 0
    assert duplicates(db, settings.database) == NO_DUPLICATES
    # The counts of each batch's organisations commit with the batch: none lags its relationships.
    assert stale_counts(db, settings.database) == []

    summary = _load(db, settings, [bulk])
    assert summary.relationships_created == N_RELS - partial
    assert dump(db, settings.database) == bulk_reference
    assert duplicates(db, settings.database) == NO_DUPLICATES


@pytest.mark.timeout(360)
def test_neo4j_killed_mid_load_during_a_query_session(spare, bulk, bulk_reference, tmp_path):
    """SIGKILL of Neo4j while a loader writes and a Graph session is open. While it is down,
    the API and the CLI fail with one ConnectionFailed line, and so does the loader once
    its driver stops retrying (30 s); LocalServer.start() recovers the store, the same
    Graph objects reconnect, and loading again gives exactly the clean load."""
    s = spare.settings
    small = write_bulk_dataset(tmp_path / "small", 300, 50, source_id="small-source")
    g = Graph.connect(s)  # the long session, with the normal driver (retries for 30 s)
    # A session whose driver gives up after one second: exercises the "fail" branch.
    quick = Graph(neo4j.GraphDatabase.driver(s.bolt_uri, auth=s.auth(), connection_timeout=3,
                                             max_transaction_retry_time=1), s)
    try:
        g.apply_schema()
        wipe(g.driver)
        assert g.run("MATCH (n) RETURN count(n) AS c") == [{"c": 0}]
        assert quick.run("RETURN 1 AS x") == [{"x": 1}]
        assert run_cli(s, "schema", "check").returncode == 0

        proc = start_loader(s, [bulk], tmp_path / "loader.log")
        with reaped(proc):
            wait_for_rels(quick.driver, KILL_AT, proc, timeout=180)
            assert proc.poll() is None, "the loader ended before Neo4j was killed"
            pid = spare.pid()
            kill9(pid)
            assert wait_gone(pid, 30) and wait_ports_closed(s, 60)

            # Down. The API: one clear error, not a driver exception.
            with pytest.raises(ConnectionFailed, match=r"^cannot reach Neo4j at bolt://127\.0\.0\.1:\d+; "):
                quick.run("MATCH (n) RETURN count(n) AS c")
            with pytest.raises(ConnectionFailed):
                quick.load([small], show_progress=False)
            with pytest.raises(ConnectionFailed):
                quick.check_schema()
            with pytest.raises(ConnectionFailed):
                quick.entities()
            if hasattr(Graph, "query"):  # the saved-query API
                with pytest.raises(ConnectionFailed):
                    quick.query("partners", company="c00001")
            with pytest.raises(ConnectionFailed):
                Graph.connect(s)
            # The CLI: exit 1 and exactly one line.
            for args in (["schema", "check"], ["load", "--dry-run", str(small)],
                         ["query", "partners", "-p", "company=c00001"]):
                res = run_cli(s, *args)
                assert res.returncode == 1 and one_line_error(res.stderr), (args, res.stdout, res.stderr)
                assert "cannot reach Neo4j" in res.stderr
            # The loader: its driver retries for 30 s, then one line (no retry warnings).
            rc = proc.wait(timeout=150)
        err = Path(f"{tmp_path / 'loader.log'}.err").read_text(errors="replace")
        assert rc == 1 and one_line_error(err) and "cannot reach Neo4j" in err, (rc, err)

        # A call made on the long session while Neo4j is down waits (driver retries) and
        # gets its answer once Neo4j is back, or fails with one clear error.
        outcome = {}

        def during():
            try:
                outcome["rows"] = g.run("MATCH (n:Company) RETURN count(n) > 0 AS some")
            except Exception as exc:  # noqa: BLE001 - recorded and checked below
                outcome["error"] = exc

        t = threading.Thread(target=during, daemon=True)
        t.start()
        assert spare.start() is True  # recovery of the killed store, on the same ports
        assert spare.pid() not in (None, pid)
        t.join(timeout=120)
        assert not t.is_alive()
        assert outcome.get("rows") == [{"some": True}] or isinstance(outcome.get("error"), ConnectionFailed), outcome

        # Back: the same Graph objects reconnect through the driver's pool.
        partial = g.run("MATCH ()-[r]->() RETURN count(r) AS c")[0]["c"]
        assert KILL_AT <= partial < N_RELS
        assert quick.run("RETURN 1 AS x") == [{"x": 1}]
        if hasattr(Graph, "query"):
            assert isinstance(g.query("partners", company="c00001"), list)
        assert incomplete_relationships(g.driver) == 0  # whole batches only
        assert duplicates(g.driver) == NO_DUPLICATES
        assert stale_counts(g.driver) == []  # recovery kept each batch's counts with its relationships
        assert run_cli(s, "schema", "check").returncode == 0

        g.load([bulk], show_progress=False)
        assert dump(g.driver) == bulk_reference, f"after the crash {partial} relationships were in"
        assert duplicates(g.driver) == NO_DUPLICATES
    finally:
        g.close()
        quick.close()


# ---- concurrency -----------------------------------------------------------------------------

CONC_RELS, CONC_NODES = 8_000, 400


@pytest.mark.timeout(240)
def test_four_loaders_at_once_no_duplicates_nothing_lost(db, settings, tmp_path):
    """Each loader cites its own source and adds its own alias to the same nodes, on windows
    of relationships that overlap by three quarters. Constraint-backed MERGE (and MERGE's
    locking of both end nodes) prevents duplicates; `SET r += row.props` before the
    provenance read locks the relationship, so no source is lost (a writer that reads
    `r.sources` before that lock lost 400 of 8000 merges here)."""
    dirs = concurrent_datasets(tmp_path / "data", CONC_RELS, CONC_NODES)
    for d in dirs:
        _load(db, settings, [d])
    sequential = dump(db, settings.database)
    expected = counts(db, settings.database)

    wipe(db, settings.database)
    procs = [start_loader(settings, [d], tmp_path / f"loader-{k}.log") for k, d in enumerate(dirs)]
    with contextlib.ExitStack() as stack:
        for p in procs:
            stack.enter_context(reaped(p))
        started = time.monotonic()
        ended = {}
        while len(ended) < len(procs) and time.monotonic() - started < 200:
            for k, p in enumerate(procs):
                if k not in ended and p.poll() is not None:
                    ended[k] = time.monotonic()
            time.sleep(0.05)
    errs = [Path(f"{tmp_path / f'loader-{k}.log'}.err").read_text(errors="replace") for k in range(len(procs))]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], errs

    assert duplicates(db, settings.database) == NO_DUPLICATES
    assert counts(db, settings.database) == expected
    assert dump(db, settings.database) == sequential


# ---- replacing loads: killed, two at once, beside an unload (the harness's scenarios) -------

@pytest.fixture
def replacing_ctx(db, settings, tmp_path):
    """The harness's Context (short sizes) on the shared test server."""
    ctx = Context(LocalServer(settings), tmp_path, short=True, echo=print)
    yield ctx
    ctx.driver.close()


@pytest.mark.timeout(600)
@pytest.mark.parametrize("scenario, says", [
    (replacing.scenario_replace_loader_killed, ["SIGKILL of the loader by pid at once when the server showed "
                                                "the load's write transaction open", "the graph was version "]),
    (replacing.scenario_replace_concurrent, ["exit codes [0, 0]", "equals the four loads"]),
    (replacing.scenario_replace_vs_unload, ["0 × a MIX", "exit codes (load, unload) [(0, 0)]"]),
], ids=["loader-killed", "two-at-once", "load-beside-unload"])
def test_replacing_load_scenarios_on_the_test_server(replacing_ctx, scenario, says):
    """Loader killed during a replacing load: one whole version stays (1, or 2 when the commit won
    the race), the reload equals a clean load of version 2; two replacing loads sharing entities
    at once lose nothing; a replacing load and an unload of one source at once (4 rounds) never
    end in a mix of the two."""
    row = scenario(replacing_ctx)
    assert row.ok, row.outcome
    assert all(s in row.tried + row.outcome for s in says), row


@pytest.mark.timeout(400)
def test_neo4j_killed_during_a_replacing_load_leaves_one_whole_version_then_reload_equals_clean(spare, tmp_path):
    ctx = Context(spare, tmp_path, short=True, echo=print)
    try:
        row = replacing.scenario_replace_neo4j_killed(ctx)
    finally:
        ctx.driver.close()
    assert row.ok, row.outcome
    assert "SIGKILL of Neo4j by pid (then of the loader) at once when the server showed the load's write " \
        "transaction open" in row.tried
    assert "the graph was version " in row.outcome and spare.pid() is not None


def test_duplicate_and_loss_detectors_are_not_blind(db, settings):
    """The checks above would see a duplicate relationship, a duplicate node and a lost source."""
    with db.session(database=settings.database) as s:
        s.run("CREATE (a:Company {id: 'dup-a'}), (b:Company {id: 'dup-b'}), "
              "(a)-[:PARTNERS_WITH {on: 'x', sources: ['s1', 's2'], quotes: ['q', 'q']}]->(b)").consume()
        before = dump(db, settings.database)
        assert duplicates(db, settings.database) == NO_DUPLICATES
        s.run("MATCH (a {id: 'dup-a'}), (b {id: 'dup-b'}) "
              "CREATE (a)-[:PARTNERS_WITH {on: 'x', sources: ['s1'], quotes: ['q']}]->(b)").consume()
        assert duplicates(db, settings.database) == {"nodes": 0, "relationships": 1}
        s.run("MATCH ()-[r:PARTNERS_WITH]->() WHERE size(r.sources) = 1 DELETE r").consume()
        s.run("MATCH ()-[r:PARTNERS_WITH]->() SET r.sources = ['s1'], r.quotes = ['q']").consume()
        assert dump(db, settings.database) != before  # a lost source shows in the dump
        s.run("DROP CONSTRAINT company_id IF EXISTS").consume()
        s.run("CREATE (:Company {id: 'dup-a'})").consume()
        assert duplicates(db, settings.database) == {"nodes": 1, "relationships": 0}
        s.run("MATCH (n:Company {id: 'dup-a'}) WHERE NOT (n)--() DELETE n").consume()
    apply_schema(db, settings.database)


# ---- the entry point and the report --------------------------------------------------------

def test_harness_runs_from_the_checkout():
    """`make reliability` runs `python -m harness` with tests/ on the path; `motorgraph` has no such command."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent)}
    res = subprocess.run([sys.executable, "-m", "harness", "--help"], capture_output=True, text=True, env=env)
    assert res.returncode == 0, res.stderr
    assert "--short" in res.stdout and "--out" in res.stdout
    from motorgraph.cli import cli

    assert "reliability" not in cli.commands


def test_report_writes_the_table_and_keeps_the_written_prose(tmp_path):
    """`make reliability` rewrites the measured part of docs/reliability.md; the section on
    what the checks found is prose kept by hand, copied unchanged from the report it replaces."""
    prose = kept_prose(DOC)
    assert prose.startswith(PROSE_HEADING + "\n") and "ConnectionFailed" in prose
    rows = [Row("Loader killed | mid-load", "SIGKILL", "reloaded", True, True),
            Row("Network exposure", "psutil", "port 1 on 0.0.0.0", None, False)]
    out = write_report(rows, tmp_path / "reliability.md", short=True, total_s=12.3)
    text = out.read_text(encoding="utf-8")
    assert text.endswith(prose) and text.count(PROSE_HEADING) == 1  # from the checkout's report
    assert text.startswith("# Reliability and security\n\nGenerated by `make reliability` (short mode, for CI; 12 s)")
    assert "| Loader killed \\| mid-load | SIGKILL | reloaded | yes |" in text
    assert "| Network exposure | psutil | **FAILED**: port 1 on 0.0.0.0 | n/a |" in text
    assert "1 of 2 checks passed. Failed: Network exposure." in text

    # An edit of the prose in the report survives the next run; the table is new.
    edited = text.replace(PROSE_HEADING + "\n", PROSE_HEADING + "\n\nA finding added by hand.\n")
    out.write_text(edited, encoding="utf-8")
    again = write_report(rows[:1], out, short=False, total_s=99).read_text(encoding="utf-8")
    assert again.endswith(PROSE_HEADING + "\n\nA finding added by hand.\n" + prose[len(PROSE_HEADING) + 1:])
    assert "Generated by `make reliability RELIABILITY_ARGS=` (full mode; 99 s)" in again
    assert "1 of 1 checks passed." in again and "Network exposure" not in again


def test_report_refuses_to_drop_the_prose(tmp_path):
    without = tmp_path / "no-prose.md"
    without.write_text("# Reliability and security\n\nno section here\n", encoding="utf-8")
    with pytest.raises(ReportError, match="What the checks found"):
        kept_prose(without, tmp_path / "missing.md")
    assert kept_prose(without, DOC) == kept_prose(DOC)  # the checkout's report is the fallback
