"""The bulk path for fresh loads: a validated Plan written as `neo4j-admin database import` files.

`motorgraph load` takes this path when the target is motorgraph's local server and its database
is empty and the input has at least BULK_MIN_ROWS rows (or when told to: `--bulk`, `--replace`).
After the same validation as the online loader, it writes the import files (streamed: memory
does not grow with the input), imports them into a staging store while the server stops,
swaps the new store in, starts the server, writes the empty lists and the organisations'
kept counts, then creates the schema; it ends when every index is ONLINE. The graph equals
what the online loader makes of the same input on an empty database: the same nodes,
relationships, properties and provenance lists, with `keys`, `claims` and MENTIONS computed
here exactly as the writer's Cypher computes them.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from array import array
from collections import defaultdict
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import neo4j

from motorgraph.adminimport import ARRAY_DELIMITER, ImportFailed, ImportFiles
from motorgraph.errors import MotorgraphError
from motorgraph.settings import Settings

from . import csvbulk, importrows
from .counts import refresh_all_counts
from .markets import refresh_all_markets
from .checks import Plan
from .records import claim_json, cypher_order

# From this many input rows a stop / import / start costs less than the online write: at the
# benchmark's `small` scale the bulk path's fixed phases took ~60 s, then 0.44 ms per row against
# the online loader's 1.6 ms (docs/data-format.md, "Two load paths").
BULK_MIN_ROWS = 50_000
BULK = "bulk (neo4j-admin database import)"
ONLINE = "online (transactions)"
_IMPORT_TYPES = {bool: "boolean", int: "long", float: "double", str: "string", list: "string[]"}
_MODEL_TYPES = {"string": str, "date": str, "integer": int, "float": float, "boolean": bool,
                "list[string]": list}


class BulkRefused(MotorgraphError):
    """The bulk path was asked for where it cannot run (a remote server, a non-empty database)."""


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


# ---- the import files ------------------------------------------------------------------
def _cell(value, multiline: list[bool]) -> str:
    """A value as an import CSV cell: text quoted (so "" is an empty text, not a missing one),
    lists joined with ARRAY_DELIMITER, None as an empty (missing) cell."""
    t = type(value)
    if t is str:
        if "\n" in value or "\r" in value:
            multiline[0] = True
        return '"' + value.replace('"', '""') + '"'
    if value is None:
        return ""
    if t is bool:
        return "true" if value else "false"
    if t is int:
        return str(value)
    if t is float:
        return repr(value)
    if t is list:
        for item in value:
            if ARRAY_DELIMITER in item:
                raise BulkRefused("a list value holds the import's array delimiter (U+001F); "
                                  "load with --online")
            if "\n" in item or "\r" in item:
                multiline[0] = True
        return '"' + ARRAY_DELIMITER.join(value).replace('"', '""') + '"'
    raise BulkRefused(f"the bulk path cannot write a {t.__name__} value ({value!r}); load with --online")


class _Group:
    """One import file: rows of one label (or type) whose property columns share one type each."""

    def __init__(self, path: Path, fixed: list[str], columns: list[tuple[str, str]], stack: ExitStack):
        self.path = path
        self.columns = [name for name, _ in columns]
        self.fh = stack.enter_context(open(path, "w", encoding="utf-8", newline=""))
        self.multiline = [False]
        header = fixed + [f"{name}:{typ}" for name, typ in columns]
        self.fh.write(",".join(header) + "\n")

    def write(self, fixed: list[str], props: dict) -> None:
        ml = self.multiline
        cells = fixed + [_cell(props.get(c), ml) for c in self.columns]
        self.fh.write(",".join(cells) + "\n")


class ImportWriter:
    """Writes a Plan's nodes and relationships as import CSV files into `directory`.

    The work splits in two: `write_csv_rows` writes the CSV files' rows (the part that grows
    with the input; see CsvPart for running it in a process of its own while the input is
    still being validated), holding back the rows of entities and facts a YAML file states
    too; `write` does the rest (Sources, YAML entities and facts with those rows merged in,
    MENTIONS), after `write_csv_rows` or with the `part()` another process's writer made."""

    REL_EXTRA = [("sources", "string[]"), ("quotes", "string[]"), ("claims", "string[]")]
    cell = staticmethod(_cell)

    def __init__(self, plan: Plan, directory: Path, progress: Callable[[int], None] = lambda n: None,
                 prefix: str = "", lane: bool = True):
        self.plan = plan
        self.lane = lane  # CSV relationship rows through loaders/importrows.py (False: all the general way)
        self.dir = directory
        self.progress = progress
        self.prefix = prefix  # file names: two writers may share the directory
        self.model = model = plan.model
        self.groups: dict[tuple, _Group] = {}
        self.nodes: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # as loaders.writer.Summary
        self.rels: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        self.done: list[tuple[str, Path, bool]] = []  # (kind, file, multi-line) of another writer's files
        self.held_nodes: list[dict] = []  # CSV rows of entities a YAML file defines
        self.held_rels: list[tuple[tuple, dict]] = []  # (ident, row) of facts stated by YAML or by several rows
        self.hashes = np.zeros(0, dtype=np.int64)  # one per written CSV relationship row
        self._label_types = {name: self._expected(lab.properties) for name, lab in model.labels.items()}
        self._type_types = {name: self._expected(model.rel_properties(name)) for name in model.relationships}

    # -- files --
    def _group(self, kind: str, name: str, props: dict, expected: dict[str, str], extra: list[tuple[str, str]],
               stack: ExitStack) -> _Group:
        """The file for `name` (a label or type) whose columns fit the types of `props`' values; a
        value whose type is not the model's (an integer given for a float) gets a file of its own."""
        odd = tuple(sorted((k, _IMPORT_TYPES.get(type(v), "?")) for k, v in props.items()
                           if _IMPORT_TYPES.get(type(v)) != expected.get(k)))
        key = (kind, name, odd)
        group = self.groups.get(key)
        if group is None:
            types = {**expected, **dict(odd)}
            if "?" in types.values():
                bad = next(k for k, t in odd if t == "?")
                raise BulkRefused(f"the bulk path cannot write the value of `{bad}` of a {name}; load with --online")
            fixed = (["id:ID", ":LABEL", "name", "aliases:string[]"] if kind == "nodes"
                     else [":START_ID", ":END_ID", ":TYPE"])
            columns = sorted(types.items()) + extra
            path = self.dir / f"{self.prefix}{kind}-{name}-{len(self.groups)}.csv"
            group = self.groups[key] = _Group(path, fixed, columns, stack)
        return group

    @staticmethod
    def _expected(props) -> dict[str, str]:
        return {k: _IMPORT_TYPES[_MODEL_TYPES[p.type]] for k, p in props.items()}

    def files(self) -> ImportFiles:
        files = ImportFiles(self.dir)
        for kind, path, multiline in self.done + [(k[0], g.path, g.multiline[0]) for k, g in self.groups.items()]:
            getattr(files, kind).append((path, multiline))
        return files

    def part(self) -> dict:
        """What write_csv_rows did, for the writer of another process (picklable)."""
        return {"files": [(k[0], g.path, g.multiline[0]) for k, g in self.groups.items()],
                "nodes": dict(self.nodes), "rels": dict(self.rels), "held_nodes": self.held_nodes,
                "held_rels": self.held_rels, "hashes": self.hashes.tobytes()}

    def _take(self, part: dict) -> None:
        self.done += part["files"]
        for mine, theirs in ((self.nodes, part["nodes"]), (self.rels, part["rels"])):
            for name, (stated, written) in theirs.items():
                mine[name][0] += stated
                mine[name][1] += written
        self.held_nodes += part["held_nodes"]
        self.held_rels += part["held_rels"]
        self.hashes = np.frombuffer(part["hashes"], dtype=np.int64)  # read only: _write_rels sorts a copy

    # -- rows --
    def _node(self, label: str, row: dict, stack: ExitStack, keys: bool = True) -> None:
        props = row["props"]
        if label == "Source":
            expected = {k: "string" for k in props}
            extra: list[tuple[str, str]] = []
        else:
            expected = self._label_types[label]
            extra = [("keys", "string[]")]
        group = self._group("nodes", label, props, expected, extra, stack)
        ml = group.multiline
        if keys and label != "Source":
            # The writer's KEYS_CYPHER: [x IN [n.id, n.name] + coalesce(n.aliases, []) | toLower(x)]
            props = {**props, "keys": [x.lower() for x in [row["id"], row["name"], *row["aliases"]]]}
        group.write([_cell(row["id"], ml), label, _cell(row["name"], ml), _cell(row["aliases"], ml)], props)
        self.nodes[label][1] += 1

    def _rel(self, rtype: str, row: dict, stack: ExitStack) -> None:
        props = {**row["key"], **row["props"]}
        group = self._group("relationships", rtype, props, self._type_types[rtype], self.REL_EXTRA, stack)
        ml = group.multiline
        group.write([_cell(row["from"], ml), _cell(row["to"], ml), rtype],
                    {**props, "sources": row["sources"], "quotes": row["quotes"], "claims": row["claims"]})
        self.rels[rtype][1] += 1

    def write_csv_rows(self) -> None:
        """Write the CSV files' rows, holding back those of YAML entities and facts."""
        self.dir.mkdir(parents=True, exist_ok=True)
        with ExitStack() as stack:
            self._csv_rows(stack)

    def _csv_rows(self, stack: ExitStack) -> None:
        self._csv_nodes(stack)
        self.hashes = self._csv_rels(stack, set())

    def write(self, part: dict | None = None) -> ImportFiles:
        """Write everything (`part`: the CSV rows another process's writer wrote, see CsvPart)."""
        self.dir.mkdir(parents=True, exist_ok=True)
        with ExitStack() as stack:
            if part is None:
                self._csv_rows(stack)
            else:
                self._take(part)
            self._write_nodes(stack)
            self._write_rels(stack)
        return self.files()

    def _csv_nodes(self, stack: ExitStack) -> None:
        yaml = self.plan.nodes
        for spec in (s for s in self.plan.csv_files if s.kind == "nodes"):
            n = 0
            for (label,), row in csvbulk.write_rows(spec, {}):
                n += 1
                self.nodes[label][0] += 1
                if row["id"] in yaml:
                    self.held_nodes.append(row)
                else:
                    self._node(label, row, stack)
                if n % 5000 == 0:
                    self.progress(5000)
            self.progress(n % 5000)

    def _write_nodes(self, stack: ExitStack) -> None:
        plan = self.plan
        for s in sorted(plan.sources.values(), key=lambda s: s.id):
            self._node("Source", s.row(), stack)
            self.nodes["Source"][0] += 1
        self.progress(len(plan.sources))
        # A CSV row of an entity the YAML files define too is merged into it (they agree:
        # checks.py), as the writer's second MERGE of the same node would.
        merged = {ident: rec.row() for ident, rec in plan.nodes.items()}
        for row in self.held_nodes:
            old = merged[row["id"]]
            old["props"] = {**old["props"], **row["props"]}
            old["aliases"] = sorted(set(old["aliases"]) | set(row["aliases"]), key=cypher_order)
        for ident in sorted(merged):
            label = plan.nodes[ident].label
            self.nodes[label][0] += 1
            self._node(label, merged[ident], stack)
        self.progress(len(plan.nodes))

    def _write_rels(self, stack: ExitStack) -> None:
        """The YAML facts, with the CSV rows held back merged in; a fact stated by several rows
        (several sources) is one relationship with the sources, quotes and claims of all of
        them, sorted as the writer sorts them. Such facts are found by an 8-byte hash per row;
        only when there are some are the CSV files read again, keeping those rows back."""
        plan = self.plan
        hashes = np.sort(self.hashes)
        twice = set(hashes[1:][hashes[1:] == hashes[:-1]].tolist())
        if twice:  # write the relationship files again, holding those facts back
            for key in [k for k in self.groups if k[0] == "relationships"]:
                self.groups.pop(key).fh.close()
            for kind, path, _ in self.done:
                if kind == "relationships":
                    path.unlink(missing_ok=True)
            self.done = [d for d in self.done if d[0] != "relationships"]
            self.rels.clear()
            self.held_rels = []
            self._csv_rels(stack, twice)
        yaml = {ident: rec.row() | {"type": rec.type} for ident, rec in plan.rels.items()}
        for ident, row in self.held_rels:
            held = yaml.get(ident)
            if held is None:
                yaml[ident] = row
            else:
                _merge_rel(held, row)
        for rec in plan.rels.values():
            self.rels[rec.type][0] += 1
        for ident in sorted(yaml, key=lambda i: (i[1], i[0], i[2], str(i[3]))):
            self._rel(yaml[ident]["type"], yaml[ident], stack)
        self.progress(len(plan.rels))
        self._mentions(stack)

    def _csv_rels(self, stack: ExitStack, twice: set) -> np.ndarray:
        """Write the CSV rows (most through loaders/importrows.py); rows of a YAML fact or of a
        fact in `twice` are held back."""
        keys = {name: rt.key for name, rt in self.model.relationships.items()}
        yaml = self.plan.rels
        hashes = array("q")
        progress = self.progress if not twice else (lambda n: None)

        def general(fixed: tuple, row: dict) -> None:
            rtype, start, end = fixed
            self.rels[rtype][0] += 1
            ident = (start, rtype, end, tuple(sorted(row["key"].items())))
            h = hash(ident)
            if ident in yaml or h in twice:
                self.held_rels.append((ident, row | {"type": rtype}))
            else:
                hashes.append(h)
                self._rel(rtype, row, stack)

        for spec in (s for s in self.plan.csv_files if s.kind == "relationships"):
            importrows.write_rel_file(self, spec, keys, twice, hashes, progress, stack, general)
        return np.frombuffer(hashes, dtype=np.int64).copy()

    def _mentions(self, stack: ExitStack) -> None:
        plan = self.plan
        group = None
        for sid, ids in sorted(plan.mentions.items()):
            for eid in sorted(ids):
                said = plan.stated.get(sid, {}).get(eid) or {"name": None, "aliases": [], "props": {}}
                if group is None:
                    group = self._group("relationships", "MENTIONS", {}, {},
                                        [("name", "string"), ("aliases", "string[]"), ("props", "string")], stack)
                group.write([_cell(sid, group.multiline), _cell(eid, group.multiline), "MENTIONS"],
                            {"name": said["name"], "aliases": said["aliases"], "props": claim_json(said["props"])})
                self.rels["MENTIONS"][0] += 1
                self.rels["MENTIONS"][1] += 1


def _merge_rel(acc: dict, row: dict) -> None:
    """Another statement of the fact in `acc`: properties added, evidence as the writer merges it
    (distinct (source, quote, claim) triples in Cypher's order)."""
    acc["props"] = {**acc["props"], **row["props"]}
    triples = set(zip(acc["sources"], acc["quotes"], acc["claims"])) | set(zip(row["sources"], row["quotes"],
                                                                               row["claims"]))
    ordered = sorted(triples, key=lambda t: tuple(cypher_order(x) for x in t))
    acc["sources"] = [t[0] for t in ordered]
    acc["quotes"] = [t[1] for t in ordered]
    acc["claims"] = [t[2] for t in ordered]


class CsvPart:
    """The CSV rows' import files, written by a forked process while this one validates.

    Validation and the import files are the bulk path's two passes over the input, both in
    Python: on two cores they run side by side. The child writes into `folder` only (not the
    database); when validation refuses the input, or the online path is taken, `close()`
    stops it and removes the folder. Forked, so the child shares the validated YAML part of
    the plan (and the interpreter's hash seed: the duplicate-fact hashes agree)."""

    def __init__(self, plan: Plan, folder: Path):
        import multiprocessing

        self.folder = folder
        ctx = multiprocessing.get_context("fork")
        self._recv, send = ctx.Pipe(duplex=False)
        writer = ImportWriter(plan, folder, prefix="csv-")
        self._proc = ctx.Process(target=_write_part, args=(writer, send), name="motorgraph-import-files",
                                 daemon=True)
        self._proc.start()
        send.close()

    def result(self) -> dict:
        """The child's `ImportWriter.part()`, once it has written every row; its error re-raised."""
        try:
            got = self._recv.recv()
        except EOFError:
            got = {"error": f"the process writing the import files ended (exit code {self._proc.exitcode})"}
        self._proc.join()
        if "error" in got:
            raise BulkRefused(f"writing the import files failed: {got['error']}")
        return got

    def close(self, remove: bool = True) -> None:
        if self._proc.is_alive():
            self._proc.kill()
        self._proc.join()
        self._recv.close()
        if remove:
            shutil.rmtree(self.folder, ignore_errors=True)


def _write_part(writer: ImportWriter, send) -> None:
    try:
        writer.write_csv_rows()
        send.send(writer.part())
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which decides
        send.send({"error": f"{type(exc).__name__}: {exc}"})
    finally:
        send.close()


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
    validation), replace the local server's database with them, write the empty lists and
    kept counts, apply the schema and wait until it is ONLINE. Returns the
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
    # Before any index exists, so that no index is updated: the empty lists, and the
    # organisations' kept counts and the assemblies' markets (the online writer keeps them as
    # it writes).
    phase("lists + counts")
    empty_lists(driver, database)
    refresh_all_counts(driver, database)
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
