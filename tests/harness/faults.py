"""Fault scenarios: SIGKILL of the loader and of Neo4j mid-load, four loaders at once, a restart.

After each fault the input is loaded again and the whole graph is compared with a clean
load of the same input (the canonical dump), and checked for duplicates.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import neo4j

from motorgraph.db import open_driver
from motorgraph.errors import ConnectionFailed
from motorgraph.graph import Graph
from motorgraph.loaders.counts import stale_counts

from .context import Context
from .data import concurrent_datasets
from .dump import count_rels, count_rels_settled, duplicates, dump
from .processes import kill9, one_line_error, run_cli, start_loader, wait_for_rels, wait_gone, wait_ports_closed
from .report import Row


def _dups(d: dict) -> str:
    return f"{d['nodes']} duplicate nodes, {d['relationships']} duplicate relationships"


def _counts(stale: list[dict]) -> str:
    """What the kept counts (loaders/counts.py) said of the graph the fault left."""
    if not stale:
        return "every organisation's counts equal its relationships"
    return f"{len(stale):,} organisations' counts DIFFER from their relationships (e.g. {stale[0]})"


def _load_until_a_tenth(ctx: Context, log_name: str):
    """Start a `motorgraph load` of the bulk data into an empty database and wait until a
    tenth of its relationships are in: (dataset, reference dump, process, count, finished)."""
    ds, ref = ctx.bulk()
    ctx.fresh()
    proc = start_loader(ctx.settings, [ds], ctx.work / log_name)
    at_kill = wait_for_rels(ctx.driver, ctx.n_rels // 10, proc)
    return ds, ref, proc, at_kill, proc.poll() is not None


def scenario_loader_killed(ctx: Context) -> Row:
    ds, ref, proc, at_kill, finished_first = _load_until_a_tenth(ctx, "killed-loader.log")
    kill9(proc.pid)
    proc.wait(timeout=30)
    partial = count_rels_settled(ctx.driver)
    stale = stale_counts(ctx.driver)
    ctx.load([ds])
    same = dump(ctx.driver) == ref
    dups = duplicates(ctx.driver)
    mid = not finished_first and 0 < partial < ctx.n_rels
    ok = same and not any(dups.values()) and mid and not stale
    return Row("Loader killed (SIGKILL) mid-load",
               f"`motorgraph load` of {ctx.n_rels:,} CSV relationships + a YAML source; SIGKILL by pid once "
               f"{at_kill:,} relationships were in; then the same load again",
               f"{partial:,} of {ctx.n_rels:,} relationships committed when killed (whole batches only), "
               f"{_counts(stale)}; reload completed; graph {'equals' if same else 'DIFFERS from'} a clean load; {_dups(dups)}"
               + ("" if mid else "; the kill did not land mid-load"), same and not any(dups.values()) and not stale, ok)


def scenario_neo4j_killed(ctx: Context) -> Row:
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
    ctx.driver = open_driver(ctx.settings)
    loader_clean = rc == 0 or one_line_error(err)
    partial = count_rels(ctx.driver)
    stale = stale_counts(ctx.driver)
    ctx.load([ds])
    same = dump(ctx.driver) == ref
    dups = duplicates(ctx.driver)
    verdict = "finished after Neo4j came back (driver retries)" if rc == 0 else \
        ("failed with one line: " + err.strip().splitlines()[-1][:120] if loader_clean else
         "failed with a traceback")
    ok = same and not any(dups.values()) and loader_clean and not finished_first and not stale
    return Row("Neo4j killed (SIGKILL) mid-load",
               f"SIGKILL of the server by pid once {at_kill:,} of {ctx.n_rels:,} relationships were in; "
               f"LocalServer.start() (recovery, {restart_s:.0f} s); then the same load again",
               f"loader {verdict}; {partial:,} relationships after recovery, {_counts(stale)}; graph "
               f"{'equals' if same else 'DIFFERS from'} a clean load; {_dups(dups)}",
               same and not any(dups.values()) and not stale, ok)


def scenario_concurrent(ctx: Context) -> Row:
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


def scenario_restart_session(ctx: Context) -> Row:
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
