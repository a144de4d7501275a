"""The bulk path for fresh loads: a validated Plan written as `neo4j-admin database import` files.

`motorgraph load` takes this path when the target is motorgraph's local server and its database
is empty and the input has at least BULK_MIN_ROWS rows (or when told to: `--bulk`, `--replace`).
After the same validation as the online loader, it writes the import files (importfiles.py;
streamed: memory does not grow with the input), imports them into a staging store while the server stops,
swaps the new store in, starts the server, writes the empty lists and the assemblies' kept
markets (loaders/markets.py), then creates the schema; it ends when every index is ONLINE. The
graph equals what the online loader makes of the same input on an empty database: the same
nodes, relationships, properties and provenance lists, with `keys`, `claims`, MENTIONS and the
organisations' kept counts computed here exactly as the writer's Cypher computes them.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import neo4j

from motorgraph.adminimport import ImportFailed
from motorgraph.settings import Settings

from .markets import refresh_all_markets
from .checks import Plan
from .importfiles import BulkRefused, CsvPart, ImportWriter

__all__ = ["BULK_MIN_ROWS", "BulkRefused", "CsvPart", "ImportWriter", "LoadPath", "bulk_write", "choose_path",
           "likely_bulk", "phases", "reconnect"]

# From this many input rows a stop / import / start costs less than the online write: at the
# benchmark's `small` scale the bulk path's fixed phases took ~60 s, then 0.44 ms per row against
# the online loader's 1.6 ms (docs/data-format.md, "Two load paths").
BULK_MIN_ROWS = 50_000
BULK = "bulk (neo4j-admin database import)"
ONLINE = "online (transactions)"


@dataclass
class LoadPath:
    bulk: bool
    reason: str
    replace: bool = False

    def describe(self) -> str:
        return f"Load path: {BULK if self.bulk else ONLINE}: {self.reason}."


def node_count(driver: neo4j.Driver, database: str | None) -> int:
    # A session, not execute_query: the driver's shared bookmarks would outlive a replaced store.
    with driver.session(database=database) as session:
        return session.run("MATCH (n) RETURN count(n) AS n").single()["n"]


def reconnect(driver: neo4j.Driver, database: str | None, timeout: float = 60) -> None:
    """After a restart the driver's pooled connections are dead; the first query on each finds
    out. Ask until one answers (the driver then drops the dead ones). The bookmarks the driver
    keeps for execute_query name transactions of the replaced store, which the new one may
    never reach: they are replaced by the new store's (the manager ignores an update to none)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with driver.session(database=database) as session:
                session.run("RETURN 1").consume()
                fresh = session.last_bookmarks().raw_values
            manager = driver.execute_query_bookmark_manager
            manager.update_bookmarks(manager.get_bookmarks(), fresh)
            return
        except (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def choose_path(settings: Settings | None, driver: neo4j.Driver, database: str | None, rows: int,
                mode: str = "auto", replace: bool = False) -> LoadPath:
    """Which path a load of `rows` input rows takes, and why; BulkRefused when `mode="bulk"`
    (or `replace`) asks for the bulk path where it cannot run. `mode`: auto, bulk or online."""
    if mode not in ("auto", "bulk", "online"):
        raise ValueError(f"mode must be auto, bulk or online, not {mode!r}")
    if mode == "online":
        if replace:
            raise BulkRefused("--replace replaces the database with a bulk import; it cannot go with --online")
        return LoadPath(False, "--online given")
    forced = mode == "bulk" or replace
    flag = "--replace" if replace else "--bulk"
    if settings is None:
        if forced:
            raise BulkRefused(f"{flag} needs the local server's settings (pass settings=...)")
        return LoadPath(False, "no server settings were given (a driver only), so the local server's "
                               "files are out of reach")
    if not settings.local:
        uri = settings.uri
        where = "Neo4j Aura" if ".neo4j.io" in uri else "not motorgraph's local server"
        if forced:
            raise BulkRefused(f"{flag} needs motorgraph's local server, but NEO4J_URI points at {uri} "
                              f"({where}); drop {flag}: the online loader works with any server")
        return LoadPath(False, f"the target {uri} is {where} (NEO4J_URI is set); "
                               "the bulk path writes the local server's files")
    held = node_count(driver, database)
    if held:
        if replace:
            return LoadPath(True, f"--replace given: the local database ({held:,} nodes) is replaced "
                                  "by the input", replace=True)
        if forced:
            raise BulkRefused(f"the local database is not empty ({held:,} nodes) and --bulk would replace "
                              "it; add --replace to replace it with the input, or drop --bulk to add "
                              "the input with the online loader")
        return LoadPath(False, f"the local database is not empty ({held:,} nodes); the online loader "
                               "adds to it (--replace would replace it with the input)")
    if forced:
        return LoadPath(True, f"{'--replace' if replace else '--bulk'} given and the local database is empty")
    if rows >= BULK_MIN_ROWS:
        return LoadPath(True, f"the local database is empty and the input has {rows:,} rows "
                              f"(the bulk path pays off from {BULK_MIN_ROWS:,})")
    return LoadPath(False, f"the input has {rows:,} rows, under {BULK_MIN_ROWS:,}: a server stop and "
                           "start would cost more than it saves")


def import_folder(settings: Settings) -> Path:
    """A new temporary folder for import files, beside the local server's store."""
    from motorgraph.server import LocalServer

    home = LocalServer(settings).home
    home.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="bulk-files-", dir=home))


def likely_bulk(plan: Plan, settings: Settings | None, driver: neo4j.Driver, database: str | None,
                mode: str, replace: bool) -> bool:
    """Whether the load will probably take the bulk path, judged before the CSV rows are read
    (choose_path decides, after validation): worth writing the import files meanwhile. The
    rows are guessed from the CSV files' size (a row is rarely under 60 bytes)."""
    if settings is None or not settings.local or mode == "online":
        return False
    if mode == "bulk" or replace:
        return True
    size = sum(spec.path.stat().st_size for spec in plan.csv_files)
    return size >= 60 * BULK_MIN_ROWS and node_count(driver, database) == 0


# The import stores no empty list (an empty array cell is a missing property); the writer
# stores `aliases: []`.
EMPTY_LISTS = [
    "MATCH (n) WHERE n.aliases IS NULL CALL (n) { SET n.aliases = [] } IN TRANSACTIONS OF 20000 ROWS",
    "MATCH ()-[m:MENTIONS]->() WHERE m.aliases IS NULL CALL (m) { SET m.aliases = [] } IN TRANSACTIONS OF 20000 ROWS",
]


def empty_lists(driver: neo4j.Driver, database: str | None) -> None:
    with driver.session(database=database) as session:
        for cypher in EMPTY_LISTS:
            session.run(cypher).consume()


# ---- the whole path ----------------------------------------------------------------------
def bulk_write(plan: Plan, settings: Settings, driver: neo4j.Driver, database: str | None,
               phase: Callable, part: CsvPart | None = None) -> tuple[dict, dict]:
    """Write the import files (the CSV rows' from `part` when a CsvPart wrote them during
    validation), replace the local server's database with them, write the empty lists and the
    assemblies' markets, apply the schema and wait until it is ONLINE. Returns the
    (nodes, relationships) counts in the writer's Summary form. The import files live in a
    temporary folder beside the store, removed at the end."""
    from motorgraph.adminimport import replace_database
    from motorgraph.schema_ops import apply_schema
    from motorgraph.server import LocalServer

    server = LocalServer(settings)
    folder = part.folder if part is not None else import_folder(settings)
    try:
        if part is None:
            writer = ImportWriter(plan, folder, phase("write CSV", total=plan.rows()))
            files = writer.write()
        else:
            phase("finish CSV")
            writer = ImportWriter(plan, folder)
            files = writer.write(part.result())
        try:
            replace_database(server, files, database or "neo4j", phase=lambda name: phase(name))
        except ImportFailed:
            reconnect(driver, database)  # the server runs the previous database again
            raise
    finally:
        if part is not None:
            part.close(remove=False)
        shutil.rmtree(folder, ignore_errors=True)
    phase("start")
    reconnect(driver, database)
    # Before any index exists, so that no index is updated: the empty lists and the assemblies'
    # markets (the kept counts are in the files).
    phase("lists + markets")
    empty_lists(driver, database)
    refresh_all_markets(driver, database)
    phase("indexes online")
    apply_schema(driver, database, refresh_counts=False)
    phase.end()
    return writer.nodes, writer.rels


# ---- progress ---------------------------------------------------------------------------
@contextmanager
def phases(show: bool, rows: int) -> Iterator[Callable]:
    """`phase(name, total=None)` starts a phase (ending the one before) and returns its advance
    function; each phase's seconds are kept in `phase.times`."""
    times: dict[str, float] = {}
    state: dict = {"name": None, "t0": 0.0, "task": None}
    bar = None
    if show:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TimeElapsedColumn

        bar = Progress(SpinnerColumn(), "[progress.description]{task.description}", BarColumn(),
                       MofNCompleteColumn(), TimeElapsedColumn(), transient=True)
        bar.start()

    def end() -> None:
        if state["name"] is not None:
            times[state["name"]] = times.get(state["name"], 0.0) + time.perf_counter() - state["t0"]
            if bar is not None and state["task"] is not None:
                bar.update(state["task"], completed=bar.tasks[state["task"]].total or 1, total=bar.tasks[state["task"]].total or 1)
        state["name"] = None

    def phase(name: str, total: int | None = None) -> Callable[[int], None]:
        if state["name"] == name:
            return state["advance"]
        end()
        state.update(name=name, t0=time.perf_counter(), task=None)
        if bar is None:
            state["advance"] = lambda n: None
        else:
            task = state["task"] = bar.add_task(f"bulk load: {name}", total=total)
            state["advance"] = lambda n: bar.advance(task, n)
        return state["advance"]

    phase.times = times
    phase.end = end
    try:
        yield phase
    finally:
        end()
        if bar is not None:
            bar.stop()
