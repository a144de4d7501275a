"""Exports (motorgraph.export): GraphML read back by networkx, JSON and CSV counts, the CSV
folder loading back through `motorgraph load`, and a query's result as an export.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
import yaml
from click.testing import CliRunner

from conftest import dump, wipe
from motorgraph.cli import cli
from motorgraph.model import DERIVED_NODE_PROPS, shown_rel_props
from motorgraph.export import export
from motorgraph.graph import Graph
from motorgraph.loaders import load
from motorgraph.schema_ops import apply_schema
from motorgraph.browser.style import LABEL_COLORS

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
GEPHI_TYPES = {"string", "int", "long", "float", "double", "boolean"}


def seed(driver, settings) -> None:
    wipe(driver, settings.database)
    apply_schema(driver, settings.database)
    Graph(driver, settings).load(show_progress=False)


@pytest.fixture(scope="module")
def seeded(driver, neo4j_server):
    seed(driver, neo4j_server)
    return driver


def db_graph(driver, database=None):
    """{node id: (labels, props)}, [(start id, type, end id, props)] straight from Cypher."""
    nodes = {r["id"]: (r["labels"], {k: v for k, v in r["props"].items() if k not in DERIVED_NODE_PROPS})
             for r in driver.execute_query(
        "MATCH (n) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props", database_=database).records}
    rels = [(r["a"], r["t"], r["b"], shown_rel_props(r["t"], r["props"])) for r in driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, properties(r) AS props",
        database_=database).records]
    return nodes, rels


def decode(value):
    """A GraphML attribute value back as the database holds it (lists are JSON strings)."""
    if isinstance(value, str) and value.startswith("["):
        return json.loads(value)
    return value


# ---- GraphML ---------------------------------------------------------------------------
def test_graphml_reads_back_in_networkx_with_the_same_graph(seeded, neo4j_server, tmp_path):
    path = tmp_path / "g.graphml"
    res = export(seeded, "graphml", path, database=neo4j_server.database)
    nodes, rels = db_graph(seeded, neo4j_server.database)
    assert (res.nodes, res.relationships) == (len(nodes), len(rels))

    G = nx.read_graphml(path)
    assert G.number_of_nodes() == len(nodes)
    assert G.number_of_edges() == len(rels)
    for node_id, (labels, props) in nodes.items():
        attrs = dict(G.nodes[node_id])
        assert attrs.pop("labels") == ":" + ":".join(labels)
        assert attrs.pop("label") == (props.get("name") or props.get("title"))
        assert attrs.pop("element_id")
        color = LABEL_COLORS[labels[0]]
        assert (attrs.pop("r"), attrs.pop("g"), attrs.pop("b")) == tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))
        assert {k: decode(v) for k, v in attrs.items()} == props, node_id
    got = sorted((u, d["type"], v, json.dumps({k: decode(x) for k, x in d.items()
                                               if k not in ("type", "label", "element_id")}, sort_keys=True))
                 for u, v, d in G.edges(data=True))
    want = sorted((a, t, b, json.dumps(p, sort_keys=True)) for a, t, b, p in rels)
    assert got == want
    # typed keys survive: integers stay integers
    assert G.nodes["moskvich-plant"]["capacity_per_year"] == 300000


def test_graphml_declares_every_key_for_gephi(seeded, neo4j_server, tmp_path):
    path = tmp_path / "g.graphml"
    export(seeded, "graphml", path, database=neo4j_server.database)
    root = ET.parse(path).getroot()
    keys = {k.get("id"): k for k in root.findall(f"{GRAPHML}key")}
    assert keys and all(k.get("attr.type") in GEPHI_TYPES for k in keys.values())
    assert all(k.get("for") in ("node", "edge") and k.get("attr.name") for k in keys.values())
    graph = root.find(f"{GRAPHML}graph")
    assert graph.get("edgedefault") == "directed"
    node_ids = {n.get("id") for n in graph.findall(f"{GRAPHML}node")}
    for el in graph.iter():
        if el.tag == f"{GRAPHML}data":
            assert el.get("key") in keys
        if el.tag == f"{GRAPHML}edge":
            assert el.get("source") in node_ids and el.get("target") in node_ids
    # Gephi's GraphML importer reads node colours from r/g/b and the display text from label
    assert {"r", "g", "b", "label"} <= {k.get("attr.name") for k in keys.values() if k.get("for") == "node"}


# ---- JSON ------------------------------------------------------------------------------
def test_json_export_parses_and_counts(seeded, neo4j_server, tmp_path):
    path = tmp_path / "g.json"
    export(seeded, "json", path, database=neo4j_server.database)
    doc = json.loads(path.read_text(encoding="utf-8"))
    nodes, rels = db_graph(seeded, neo4j_server.database)
    assert doc["counts"] == {"nodes": len(nodes), "relationships": len(rels)}
    assert len(doc["nodes"]) == len(nodes) and len(doc["relationships"]) == len(rels)
    by_id = {n["properties"]["id"]: n for n in doc["nodes"]}
    assert {i: (n["labels"], n["properties"]) for i, n in by_id.items()} == nodes
    element_ids = {n["element_id"] for n in doc["nodes"]}
    for r in doc["relationships"]:
        assert r["start"] in element_ids and r["end"] in element_ids
        assert r["start_id"] in by_id and r["end_id"] in by_id
    assert sorted((r["start_id"], r["type"], r["end_id"], json.dumps(r["properties"], sort_keys=True))
                  for r in doc["relationships"]) == \
        sorted((a, t, b, json.dumps(p, sort_keys=True)) for a, t, b, p in rels)


# ---- CSV -------------------------------------------------------------------------------
def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, strict=True))
    return rows[0], rows[1:]


def test_csv_export_is_the_bulk_format_and_counts(seeded, neo4j_server, tmp_path):
    folder = tmp_path / "csv"
    res = export(seeded, "csv", folder, database=neo4j_server.database)
    assert sorted(p.name for p in res.files) == ["nodes.csv", "relationships.csv", "sources.json"]
    nodes, rels = db_graph(seeded, neo4j_server.database)
    header, rows = read_csv(folder / "nodes.csv")
    assert header[:4] == ["id:ID", ":LABEL", "name", "aliases:string[]"]
    entities = {i: v for i, v in nodes.items() if "Source" not in v[0]}
    assert sorted(r[0] for r in rows) == sorted(entities)
    assert {r[0]: r[1] for r in rows} == {i: v[0][0] for i, v in entities.items()}
    assert "capacity_per_year:int" in header
    header, rows = read_csv(folder / "relationships.csv")
    assert header[:3] == [":START_ID", ":TYPE", ":END_ID"] and header[-2:] == ["source", "quote"]
    facts = [r for r in rels if r[1] != "MENTIONS"]
    assert len(rows) == sum(len(p["sources"]) for *_, p in facts)  # one row per source and quote
    sources = json.loads((folder / "sources.json").read_text(encoding="utf-8"))["sources"]
    assert sorted(s["id"] for s in sources) == sorted(i for i, v in nodes.items() if "Source" in v[0])
    assert sum(len(s["mentions"]) for s in sources) == sum(1 for r in rels if r[1] == "MENTIONS")


# Text a spreadsheet would run as a formula (and text that only looks escaped already).
FORMULAS = {"csv-formula-sum": ("=SUM(A1)", ["+cmd|' /C calc'!A0"], "@home"),
            "csv-formula-minus": ("-5 bar", ["'=already quoted"], "+49 30 1234"),
            "csv-formula-plain": ("'plain", [], "a - b = c")}


def add_formula_entities(driver, settings, tmp_path) -> None:
    """Companies whose name, aliases and description start like spreadsheet formulas."""
    art = tmp_path / "formula.txt"
    art.write_text("Formula Co sells spreadsheets.\n", encoding="utf-8")
    sha = hashlib.sha256(art.read_bytes()).hexdigest()
    doc = {"source": {"id": "csv-formula-source", "title": "Formulas", "file": art.name, "sha256": sha},
           "entities": [{"id": i, "label": "Company", "name": n, "aliases": a,
                         "properties": {"kind": "supplier", "description": d}}
                        for i, (n, a, d) in FORMULAS.items()], "facts": []}
    path = tmp_path / "formula.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    load([path], driver=driver, database=settings.database)


def test_csv_export_loads_back_into_the_same_graph(seeded, neo4j_server, tmp_path):
    """Export, wipe, restore only the Source nodes, `motorgraph load` the folder: same facts,
    including values a spreadsheet would run as formulas (exported with a leading `'`).
    (The per-source bookkeeping, which exports leave out, is not compared.)"""
    db = neo4j_server.database
    folder = tmp_path / "csv"
    try:
        add_formula_entities(seeded, neo4j_server, tmp_path)
        export(seeded, "csv", folder, database=db)
        before = dump(seeded, db, data_only=True)
        header, rows = read_csv(folder / "nodes.csv")
        exported = {r[0]: dict(zip(header, r)) for r in rows if r[0] in FORMULAS}
        assert {i: (r["name"], r["aliases:string[]"], r["description"]) for i, r in exported.items()} == {
            "csv-formula-sum": ("'=SUM(A1)", "'+cmd|' /C calc'!A0", "'@home"),
            "csv-formula-minus": ("'-5 bar", "''=already quoted", "'+49 30 1234"),
            "csv-formula-plain": ("'plain", "", "a - b = c")}
        wipe(seeded, db)
        apply_schema(seeded, db)
        sources = json.loads((folder / "sources.json").read_text(encoding="utf-8"))["sources"]
        seeded.execute_query(
            "UNWIND $rows AS row MERGE (s:Source {id: row.id}) SET s += row.props, s.aliases = []",
            rows=[{"id": s["id"], "props": {k: v for k, v in s.items() if k not in ("id", "mentions", "aliases")}}
                  for s in sources], database_=db)
        res = CliRunner().invoke(cli, ["load", str(folder)])
        assert res.exit_code == 0, res.output
        seeded.execute_query(
            "UNWIND $rows AS row MATCH (s:Source {id: row.s}) UNWIND row.ids AS eid "
            "MATCH (e {id: eid}) MERGE (s)-[:MENTIONS]->(e)",
            rows=[{"s": s["id"], "ids": s["mentions"]} for s in sources], database_=db)
        assert dump(seeded, db, data_only=True) == before
    finally:
        seed(seeded, neo4j_server)


# ---- a query's result, and the command ---------------------------------------------------------
def test_query_export_holds_the_query_result(seeded, neo4j_server, tmp_path):
    from motorgraph import library

    query = library.get_query("supply-routes")
    params = library.coerce_params(query, {"brand": "JAC", "market": "Russia"})
    result = library.run_query(seeded, "supply-routes", params, database=neo4j_server.database)
    path = tmp_path / "route.json"
    export(seeded, "json", path, query="supply-routes", params={"brand": "JAC", "market": "Russia"},
           database=neo4j_server.database)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["scope"] == "query" and doc["query"] == "supply-routes"
    assert {n["element_id"] for n in doc["nodes"]} == {n["element_id"] for n in result.nodes}
    assert {r["element_id"] for r in doc["relationships"]} == {r["element_id"] for r in result.relationships}
    G = nx.read_graphml(export(seeded, "graphml", tmp_path / "route.graphml", query="supply-routes",
                               params={"brand": "JAC", "market": "Russia"},
                               database=neo4j_server.database).path)
    assert G.number_of_nodes() == len(result.nodes)
    assert G.number_of_edges() == len(result.relationships)


def test_export_command(seeded, tmp_path):
    runner = CliRunner()
    for fmt, out in (("graphml", tmp_path / "g.graphml"), ("json", tmp_path / "g.json"),
                     ("csv", tmp_path / "csv")):
        res = runner.invoke(cli, ["export", "--format", fmt, "-o", str(out)])
        assert res.exit_code == 0, res.output
        assert out.exists()
        assert "exported" in res.output
    res = runner.invoke(cli, ["export", "--format", "json", "--query", "supply-routes",
                              "-p", "brand=JAC", "-p", "market=Russia", "-o", str(tmp_path / "q.json")])
    assert res.exit_code == 0, res.output
    res = runner.invoke(cli, ["export", "--format", "xml", "-o", str(tmp_path / "x")])
    assert res.exit_code == 2


def test_dry_run_of_an_exported_folder_lists_each_file_under_its_kind(seeded, neo4j_server, tmp_path):
    """relationships.csv is listed under relationships; a file name with brackets prints as written."""
    folder = tmp_path / "csv"
    export(seeded, "csv", folder, database=neo4j_server.database)
    (folder / "relationships.csv").rename(folder / "[b]relationships.csv")
    n_nodes = len(read_csv(folder / "nodes.csv")[1])
    n_rels = len(read_csv(folder / "[b]relationships.csv")[1])
    res = CliRunner().invoke(cli, ["load", "--dry-run", str(folder)], terminal_width=200)
    assert res.exit_code == 0, res.output
    assert re.search(rf"│ nodes\s*│ \(csv\) nodes\.csv\s*│\s*{n_nodes} │", res.stdout), res.stdout
    assert re.search(rf"│ relationships\s*│ \(csv\) \[b\]relationships\.csv\s*│\s*{n_rels} │", res.stdout), res.stdout
