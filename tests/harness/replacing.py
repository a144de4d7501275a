"""Faults and concurrency during replacing loads and unloads of curated sources.

A curated source of several thousand facts is one transaction when loaded (writer.py's
atomic load). Version 1 is loaded; version 2 of the same source (which drops, changes and
adds facts and aliases, data.write_curated_source) then replaces it:

* killed (SIGKILL of the loader, or of Neo4j) as soon as its write transaction is seen open
  on the server, the graph must be one whole version: version 1's, or version 2's when the
  commit won the race against the kill, never a mix; and the same load again must give
  exactly a clean load of version 2;
* two replacing loads of sources sharing their entities, in two processes at once, must
  give the graph of the same loads one after another;
* a replacing load and an unload of one source at once must end in one of the two clean
  states (loaded last, unloaded last), never a mix.

Every comparison is between canonical dumps (dump.dump), bookkeeping included.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from motorgraph.db import open_driver

from .context import Context
from .data import write_curated_source
from .dump import duplicates, dump, open_transactions, wait_no_transactions
from .processes import kill9, start_cli, start_loader, wait_gone, wait_ports_closed
from .report import Row

NO_DUPS = {"nodes": 0, "relationships": 0}
# Locks a transaction holds once it has written that many elements: the load's, not the
# one-lock schema and validation transactions before it.
WRITING = 500


def _versions(ctx: Context, name: str, source_id: str = "rep-source", **kw) -> tuple[Path, Path]:
    """Version 1 and version 2 of one curated source, in folders of their own."""
    root = ctx.work / name
    return tuple(write_curated_source(root / f"v{v}", source_id, ctx.n_facts, ctx.n_nodes, version=v, **kw)
                 for v in (1, 2))


def _reference(ctx: Context, *paths: Path) -> list:
    """The dump after loading `paths` one after another into an empty database."""
    ctx.fresh()
    for p in paths:
        ctx.load([p])
    return dump(ctx.driver)


def wait_in_write(ctx: Context, proc: subprocess.Popen, settle: float = 0.0, min_locks: int = WRITING,
                  timeout: float = 300) -> dict | None:
    """Wait until a transaction holding at least `min_locks` locks is open and not committing
    on the server (the load's write transaction), then `settle` seconds more while it stays
    so; return it as last seen, or None when `proc` ended first."""
    deadline = time.monotonic() + timeout
    since = None
    while time.monotonic() < deadline and proc.poll() is None:
        seen = [t for t in open_transactions(ctx.driver)
                if t["locks"] >= min_locks and not t["status"].startswith(("Closing", "Terminated"))]
        if not seen:
            since = None
        elif since is None:
            since = time.monotonic()
        if seen and time.monotonic() - since >= settle and proc.poll() is None:
            return max(seen, key=lambda t: t["locks"])
        time.sleep(0.02)
    return None


def _seen(tx: dict) -> str:
    return f"the load's write transaction open for {tx['seconds']:.1f} s, holding {tx['locks']:,} locks"


PLACING_TRIES = 3


def _start_in_write(ctx: Context, v1: Path, v2: Path, log: Path) -> tuple[subprocess.Popen | None, dict | None, int]:
    """`motorgraph load v2` over version 1, returned once its write transaction is seen open:
    (process, transaction, loads that ended before their transaction was seen). A load that
    ends first is run again over version 1, at most PLACING_TRIES times in all."""
    missed = 0
    for attempt in range(PLACING_TRIES):
        if attempt:
            _reference(ctx, v1)
        proc = start_loader(ctx.settings, [v2], log)
        tx = wait_in_write(ctx, proc)
        if tx is not None:
            return proc, tx, missed
        proc.wait(timeout=300)
        missed += 1
    return None, None, missed


def _kill_replacing_load(ctx: Context, kill_server: bool) -> Row:
    v1, v2 = _versions(ctx, "kill-server" if kill_server else "kill-loader")
    ref2 = _reference(ctx, v2)
    ref1 = _reference(ctx, v1)
    proc, tx, missed = _start_in_write(ctx, v1, v2, ctx.work / f"replace-kill-{kill_server}.log")
    if proc is None:
        how, rc = "no kill: each load ended before its write transaction was seen", None
    elif kill_server:
        pid = ctx.srv.pid()
        kill9(pid)
        wait_gone(pid)
        wait_ports_closed(ctx.settings)
        kill9(proc.pid)  # left alone it retries against the restarted server
        rc = proc.wait(timeout=30)
        ctx.driver.close()
        t = time.monotonic()
        ctx.srv.start()
        how = (f"SIGKILL of Neo4j by pid (then of the loader) at once when the server showed {_seen(tx)}; "
               f"LocalServer.start() ({time.monotonic() - t:.0f} s)")
        ctx.driver = open_driver(ctx.settings)
    else:
        kill9(proc.pid)
        rc = proc.wait(timeout=30)
        how = f"SIGKILL of the loader by pid at once when the server showed {_seen(tx)}"
    settled = wait_no_transactions(ctx.driver)
    after = dump(ctx.driver)
    # The kill is sent while the write transaction is open, but its commit may still win the
    # race (the loader may have sent it already): either whole version is all or nothing, a
    # mix is the failure. A loader that exited 0 (killed too late) must have left version 2.
    state = ("NOT KILLED: version 2" if proc is None else
             "version 1: the kill came before the commit" if after == ref1 else
             "version 2: the commit won the race" + (" (the loader had exited 0)" if rc == 0 else "")
             if after == ref2 else "NEITHER version (a mix)")
    whole = after == ref2 if rc == 0 else after in (ref1, ref2)
    ctx.load([v2])
    same, dups = dump(ctx.driver) == ref2, duplicates(ctx.driver)
    ok = proc is not None and settled and whole and same and dups == NO_DUPS
    retried = f" (run again {missed}× because the load ended before its write transaction was seen)" if missed else ""
    return Row(f"{'Neo4j' if kill_server else 'Loader'} killed (SIGKILL) during a replacing load",
               f"a curated source of {ctx.n_facts:,} facts loaded, then `motorgraph load` of its version 2 "
               f"(drops, changes and adds facts and aliases; one transaction){retried}; {how}; then the same "
               "load again",
               f"after the kill the graph was {state} ({len(after[1]):,} relationships; loader exit code {rc}"
               f"{'' if settled else '; a transaction was STILL OPEN a minute later'}); the reload "
               f"{'equals' if same else 'DIFFERS from'} a clean load of version 2; "
               f"{dups['nodes']} duplicate nodes, {dups['relationships']} duplicate relationships",
               whole and same and dups == NO_DUPS, ok)


def scenario_replace_loader_killed(ctx: Context) -> Row:
    return _kill_replacing_load(ctx, kill_server=False)


def scenario_replace_neo4j_killed(ctx: Context) -> Row:
    return _kill_replacing_load(ctx, kill_server=True)


def _run_watching(ctx: Context, procs: list[subprocess.Popen], timeout: float = 600) -> tuple[list[int], str]:
    """Wait for `procs`; their exit codes, and what the server showed meanwhile: the most
    write transactions open at once, and how long one was seen waiting for another's locks."""
    most, blocked, deadline = 0, 0.0, time.monotonic() + timeout
    while any(p.poll() is None for p in procs) and time.monotonic() < deadline:
        t0, txs = time.monotonic(), open_transactions(ctx.driver)
        most = max(most, sum(1 for t in txs if t["locks"] >= WRITING))
        time.sleep(0.05)
        if any(t["status"].startswith("Blocked") for t in txs):
            blocked += time.monotonic() - t0
    return ([p.wait(timeout=max(1.0, deadline - time.monotonic())) for p in procs],
            f"at most {most} write transactions (≥ {WRITING} locks) open at once, one blocked by "
            f"another's locks for ≈ {blocked:.1f} s")


def scenario_replace_concurrent(ctx: Context) -> Row:
    """Sources A and B state the same entities (each its own alias) and facts overlapping by half."""
    half = ctx.n_facts // 2
    a1, a2 = _versions(ctx, "conc-a", "rep-a", tag="alias-a")
    b1, b2 = _versions(ctx, "conc-b", "rep-b", tag="alias-b", first=half)
    ref = _reference(ctx, a1, b1, a2, b2)
    _reference(ctx, a1, b1)
    procs = [start_loader(ctx.settings, [p], ctx.work / f"replace-conc-{k}.log") for k, p in enumerate((a2, b2))]
    rcs, seen = _run_watching(ctx, procs)
    same, dups = dump(ctx.driver) == ref, duplicates(ctx.driver)
    ok = same and dups == NO_DUPS and not any(rcs)
    return Row("Two replacing loads of sources sharing entities, at once",
               f"two sources of {ctx.n_facts:,} facts each over the same {ctx.n_nodes:,} entities (facts "
               "overlapping by half, each source its own alias) loaded; then both version 2s in two "
               "`motorgraph load` processes at once",
               f"exit codes {rcs}; the server showed {seen}; graph "
               f"{'equals' if same else 'DIFFERS from'} the four loads one after another; "
               f"{dups['nodes']} duplicate nodes, {dups['relationships']} duplicate relationships",
               same and dups == NO_DUPS, ok)


def scenario_replace_vs_unload(ctx: Context, rounds: int = 4) -> Row:
    """Source A (sharing entities with B) loaded; then its version 2 loaded and A unloaded at
    once. Even rounds start both together; odd rounds start the unload once the load's write
    transaction is open, so both orders are tried."""
    a1, a2 = _versions(ctx, "unload-a", "rep-a", tag="alias-a")
    b1, _ = _versions(ctx, "unload-b", "rep-b", tag="alias-b", first=ctx.n_facts // 2)
    loaded, unloaded = _reference(ctx, b1, a2), _reference(ctx, b1)
    seen = {"loaded last": 0, "unloaded last": 0, "a MIX": 0}
    rcs, dups_seen = [], 0
    for k in range(rounds):
        _reference(ctx, b1, a1)
        load = start_loader(ctx.settings, [a2], ctx.work / f"unload-load-{k}.log")
        if k % 2:
            wait_in_write(ctx, load, settle=0.1)
        unload = start_cli(ctx.settings, ["unload", "rep-a"], ctx.work / f"unload-unload-{k}.log")
        got, _ = _run_watching(ctx, [load, unload])
        rcs.append(tuple(got))
        now = dump(ctx.driver)
        seen["loaded last" if now == loaded else "unloaded last" if now == unloaded else "a MIX"] += 1
        dups_seen += sum(duplicates(ctx.driver).values())
    ok = seen["a MIX"] == 0 and dups_seen == 0 and all(rc == (0, 0) for rc in rcs)
    return Row("A replacing load and an unload of one source, at once",
               f"a source of {ctx.n_facts:,} facts (sharing entities with another) loaded; then `motorgraph "
               f"load` of its version 2 and `motorgraph unload` of it in two processes, {rounds} rounds (every "
               "other one starting the unload once the load's write transaction was open)",
               "end states: " + ", ".join(f"{v} × {k}" for k, v in seen.items())
               + f" (compared with a clean load of both and with the other source alone); exit codes (load, "
               f"unload) {sorted(set(rcs))}; {dups_seen} duplicates",
               seen["a MIX"] == 0 and dups_seen == 0, ok)
