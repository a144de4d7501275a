"""The load paths the benchmark compares with motorgraph's loader.

- LOAD CSV with `CALL { ... } IN TRANSACTIONS`, from the server's import directory;
- the naive script: one MERGE per row, one transaction per row (a capped subset);
- `neo4j-admin database import full` of the generated files into a throwaway store (the ceiling;
  the bulk path's fresh load, which `motorgraph load` runs end to end, is timed in run.py).

All Cypher here builds labels and types from the model (never from data); values travel
as parameters or come from the CSV file itself.
"""

from __future__ import annotations

import contextlib
import csv
import shutil
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import neo4j

from benchmarks.generate import Dataset
from motorgraph.loaders import csvbulk
from motorgraph.loaders.records import NodeRec, Problems, RelRec
from motorgraph.model import KEYS_CYPHER, Model
from motorgraph.settings import Settings

_CONVERT = {"integer": "toInteger({})", "float": "toFloat({})", "boolean": "toBoolean({})",
            "list[string]": "split({}, ';')"}
_REL_COMMON = ("status", "since", "until", "reported_on")


def _cell(column: str) -> str:
    return "row.`" + column.replace("`", "``") + "`"


def _conv(model_type: str, column: str) -> str:
    return _CONVERT.get(model_type, "{}").format(_cell(column))


# ---- LOAD CSV -------------------------------------------------------------------------------
def split_for_load_csv(ds: Dataset, model: Model, dest: Path) -> dict:
    """One node file per label and one relationship file per (type, start label, end label).

    LOAD CSV needs literal labels to use the id constraints' indexes, so this is the form
    a Neo4j user prepares for it; the split is timed separately from the load.
    """
    dest.mkdir(parents=True, exist_ok=True)
    labels: dict[str, str] = {}

    def node_label(row: list[str]) -> str:
        labels[row[0]] = row[1]
        return row[1]

    header, nodes = _split_csv(ds.nodes_csv, dest, node_label, lambda label: f"nodes-{label}.csv")
    rel_header, rels = _split_csv(ds.rels_csv, dest, lambda row: (row[1], labels[row[0]], labels[row[2]]),
                                  lambda key: f"rels-{key[0]}-{key[1]}-{key[2]}.csv")
    return {"header": header, "rel_header": rel_header, "nodes": nodes, "rels": rels}


def _split_csv(src: Path, dest: Path, group_of, file_name) -> tuple[list[str], dict]:
    """Copy each row of `src` into its group's file in `dest`, each file with the header;
    returns the header and {group: file}, sorted by group."""
    writers: dict = {}
    with contextlib.ExitStack() as files, open(src, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        for row in reader:
            group = group_of(row)
            writer = writers.get(group)
            if writer is None:
                out = files.enter_context(open(dest / file_name(group), "w", encoding="utf-8", newline=""))
                writer = writers[group] = csv.writer(out, lineterminator="\n")
                writer.writerow(header)
            writer.writerow(row)
    return header, {group: dest / file_name(group) for group in sorted(writers)}


def load_csv_statements(split: dict, model: Model, url_of, batch_size: int) -> list[tuple[str, str]]:
    """(description, Cypher) per split file; MERGE on id / (start, type, key, end) like the loader."""
    stmts = []
    cols = [csvbulk._column(h) for h in split["header"]]
    for label, path in split["nodes"].items():
        props = model.labels[label].properties
        sets = ["n.name = row.name", f"n.aliases = coalesce({_conv('list[string]', split['header'][3])}, [])"]
        for raw, col in zip(split["header"], cols):
            if not col.role and col.name in props:
                sets.append(f"n.{col.name} = {_conv(props[col.name].type, raw)}")
        cypher = (f"LOAD CSV WITH HEADERS FROM '{url_of(path)}' AS row\n"
                  f"CALL (row) {{\n  MERGE (n:{label} {{id: {_cell(split['header'][0])}}})\n"
                  f"  SET {', '.join(sets)}\n  SET n.keys = {KEYS_CYPHER}\n}} IN TRANSACTIONS OF {batch_size} ROWS")
        stmts.append((f"nodes {label}", cypher))
    rcols = [csvbulk._column(h) for h in split["rel_header"]]
    for (rtype, start, end), path in split["rels"].items():
        spec = model.relationships[rtype]
        known = model.rel_properties(rtype)
        key = ", ".join(f"{k}: {_cell(next(r for r, c in zip(split['rel_header'], rcols) if c.name == k))}"
                        for k in spec.key)
        sets = []
        for raw, col in zip(split["rel_header"], rcols):
            if not col.role and col.name in known and col.name not in spec.key:
                sets.append(f"r.{col.name} = {_conv(known[col.name].type, raw)}")
        sets += ["r.sources = [row.source]", "r.quotes = [row.quote]"]
        cypher = (f"LOAD CSV WITH HEADERS FROM '{url_of(path)}' AS row\n"
                  f"CALL (row) {{\n  MATCH (a:{start} {{id: row.`:START_ID`}})\n"
                  f"  MATCH (b:{end} {{id: row.`:END_ID`}})\n"
                  f"  MERGE (a)-[r:{rtype}{(' {' + key + '}') if key else ''}]->(b)\n"
                  f"  SET {', '.join(sets)}\n}} IN TRANSACTIONS OF {batch_size} ROWS")
        stmts.append((f"relationships {rtype} {start}->{end}", cypher))
    return stmts


def import_dir(driver: neo4j.Driver, settings: Settings) -> tuple[Path | None, str | None]:
    """(directory the server reads `file:///` URLs from, None) or (None, why LOAD CSV cannot run)."""
    if not settings.local:
        return None, ("the server is not motorgraph's local one (NEO4J_URI is set), so the benchmark "
                      "cannot put files in its import directory")
    try:
        recs, _, _ = driver.execute_query("SHOW SETTINGS YIELD name, value WHERE name = "
                                          "'server.directories.import' RETURN value", database_="system")
        value = recs[0]["value"] if recs else None
    except neo4j.exceptions.Neo4jError:
        value = None
    if not value or value in ("null", "None"):
        return None, ("the server does not set `server.directories.import`; add "
                      f"`server.directories.import={settings.home / 'import'}` to its neo4j.conf "
                      "(motorgraph/server.py LocalServer._write_conf) and restart it")
    return Path(value), None


def run_load_csv(driver: neo4j.Driver, database: str | None, stmts: list[tuple[str, str]]) -> float:
    t0 = time.perf_counter()
    with driver.session(database=database) as session:
        for _desc, cypher in stmts:
            session.run(cypher).consume()
    return time.perf_counter() - t0


# ---- the naive script -----------------------------------------------------------------------
NAIVE_NODE = ("MERGE (n:{label} {{id: $id}}) SET n.name = $name, n.aliases = $aliases, n += $props "
              "SET n.keys = " + KEYS_CYPHER.replace("{", "{{").replace("}", "}}"))
NAIVE_REL = ("MATCH (a:{start} {{id: $from}}) MATCH (b:{end} {{id: $to}}) "
             "MERGE (a)-[r:{type}{key}]->(b) SET r += $props, r.sources = [$source], r.quotes = [$quote]")


def _every_kth(path: Path, n: int, total: int) -> list:
    """n records spread evenly over the CSV file (a representative mix of labels / types)."""
    problems = Problems()
    spec = csvbulk.inspect(path, problems)
    step = max(1, total // max(1, n))
    out = []
    for i, rec in enumerate(csvbulk.records(spec, problems)):
        if i % step == 0 and len(out) < n:
            out.append(rec)
    return out


def naive_subset(ds: Dataset, cap: int) -> tuple[list[NodeRec], list[RelRec], dict[str, NodeRec]]:
    """Half the cap in node rows, half in relationship rows, and the nodes those rows need."""
    cap = min(cap, ds.rows)
    n_nodes = min(ds.node_rows, cap // 2)
    n_rels = min(ds.rel_rows, cap - n_nodes)
    n_nodes = min(ds.node_rows, cap - n_rels)
    nodes = _every_kth(ds.nodes_csv, n_nodes, ds.node_rows)
    rels = _every_kth(ds.rels_csv, n_rels, ds.rel_rows)
    wanted = {r.start for r in rels} | {r.end for r in rels}
    endpoints: dict[str, NodeRec] = {}
    problems = Problems()
    for rec in csvbulk.records(csvbulk.inspect(ds.nodes_csv, problems), problems):
        if rec.id in wanted:
            endpoints[rec.id] = rec
    return nodes, rels, endpoints


def run_naive(driver: neo4j.Driver, database: str | None, model: Model, nodes: list[NodeRec],
              rels: list[RelRec], endpoints: dict[str, NodeRec]) -> dict:
    """Times the node MERGEs, then (endpoints written untimed, in one batch) the relationship MERGEs."""
    with driver.session(database=database) as session:
        t0 = time.perf_counter()
        for n in nodes:
            session.run(NAIVE_NODE.format(label=n.label), id=n.id, name=n.name,
                        aliases=sorted(set(n.aliases)), props=n.props).consume()
        t_nodes = time.perf_counter() - t0
        by_label: dict[str, list[dict]] = defaultdict(list)
        for e in endpoints.values():
            by_label[e.label].append(e.row())
        for label, rows in sorted(by_label.items()):
            session.run(f"UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) "
                        f"SET n.name = row.name, n.aliases = row.aliases, n += row.props SET n.keys = {KEYS_CYPHER}",
                        rows=rows).consume()
        t0 = time.perf_counter()
        for r in rels:
            spec = model.relationships[r.type]
            key_vals = {k: r.props[k] for k in spec.key if k in r.props}
            props = {k: v for k, v in r.props.items() if k not in key_vals}
            key = (" {" + ", ".join(f"{k}: $key.{k}" for k in key_vals) + "}") if key_vals else ""
            src, quote = r.evidence[0]
            session.run(NAIVE_REL.format(start=endpoints[r.start].label, end=endpoints[r.end].label,
                                         type=r.type, key=key),
                        {"from": r.start, "to": r.end, "key": key_vals, "props": props,
                         "source": src, "quote": quote}).consume()
        t_rels = time.perf_counter() - t0
    return {"node_rows": len(nodes), "rel_rows": len(rels), "node_s": t_nodes, "rel_s": t_rels}


# ---- neo4j-admin database import full --------------------------------------------------------
def run_admin_import(ds: Dataset, server, threads: int | None = None) -> dict:
    """The generated files as they are, imported into a fresh store in a temporary folder (the
    server keeps running on its own store): motorgraph.adminimport.run_import, the bulk path's.

    Returns {"elapsed_s", "tool_s", ...} or {"error": why}. The temporary folder is removed.
    """
    from motorgraph.adminimport import ImportFailed, ImportFiles, run_import

    staging = Path(tempfile.mkdtemp(prefix="motorgraph-bench-import-"))
    try:
        files = ImportFiles(staging, nodes=[(ds.nodes_csv.resolve(), False)],
                            relationships=[(ds.rels_csv.resolve(), False)])
        t0 = time.perf_counter()
        try:
            res = run_import(server, files, "neo4j", staging, heap=server.settings.heap, threads=threads,
                             array_delimiter=csvbulk.ARRAY_SEP)
        except ImportFailed as exc:
            return {"error": str(exc)}
        return {"elapsed_s": time.perf_counter() - t0, **res,
                "command": "neo4j-admin database import full (org.neo4j.cli.AdminTool)"}
    finally:
        shutil.rmtree(staging, ignore_errors=True)
