"""Exports of the whole graph or of a saved query's result: GraphML, JSON, CSV.

    from motorgraph.export import export
    export(driver, "graphml", "out/graph.graphml")                       # everything
    export(driver, "csv", "out/route-csv", query="supply-routes",
           params={"brand": "JAC", "market": "Russia"})                   # a query's result

GraphML opens in networkx (`networkx.read_graphml`), Gephi, yEd and Cytoscape: every
attribute is declared with a `<key>` and its `attr.type` (string, long, double, boolean);
list properties (aliases, sources, quotes) are JSON strings. Nodes carry `labels`
(":Company"), `label` (the name, which Gephi displays) and `r`/`g`/`b` (the label's colour
from motorgraph/browser/style.py, which Gephi reads); edges carry `type` and `label` (the type).

JSON is one document: {"nodes": [...], "relationships": [...]} in the shape of the saved
query library's results (element_id, labels, properties / element_id, type, start, end,
properties), plus each relationship's endpoint ids (`start_id`, `end_id`).

CSV is a folder in motorgraph's own bulk format (docs/data-format.md): `nodes.csv` and
`relationships.csv` (one row per supporting source and quote), so
`motorgraph load FOLDER` reads it back. A text cell that a spreadsheet would run as a
formula (it starts with `=`, `+`, `-`, `@`, tab or CR) gets a leading `'` (OWASP's advice
against CSV injection), which the loader removes again. Source nodes cannot be written by a CSV file (the
loader takes them from the curated YAML files), so they and their MENTIONS go to
`sources.json` beside them, which the loader ignores. Load the folder into a database that
has those sources (load the YAML files first, or in the same run).
"""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import neo4j

from motorgraph.errors import MotorgraphError
from motorgraph.loaders.csvbulk import ARRAY_SEP, escape_cell
from motorgraph.model import PROVENANCE
from motorgraph.browser.style import color_for

FORMATS = ("graphml", "json", "csv")
GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"


class ExportError(MotorgraphError):
    pass


@dataclass
class Exported:
    format: str
    path: Path
    nodes: int
    relationships: int
    files: list[Path] = field(default_factory=list)


# ---- what to export ----------------------------------------------------------------------
def elements(driver: neo4j.Driver, *, query: str | None = None, params: Mapping[str, Any] | None = None,
             database: str | None = None, use_examples: bool = False) -> tuple[list[dict], list[dict], dict]:
    """(nodes, relationships, scope) of the whole graph, or of a saved query's result.

    A query's relationships come with both their end nodes (fetched when the result did
    not return them), so no exported edge dangles.
    """
    from motorgraph.pictures.html import complete_endpoints, fetch_all, fetch_query

    if query is None:
        nodes, rels = fetch_all(driver, database)
        return nodes, rels, {"scope": "graph"}
    result, _saved, coerced = fetch_query(driver, query, params, database, use_examples)
    nodes, rels = list(result.nodes), list(result.relationships)
    nodes += complete_endpoints(driver, nodes, rels, database)
    if not nodes and not rels:
        raise ExportError(f"query {query!r} returned no nodes or relationships to export "
                          f"({len(result.rows)} row(s)); use `motorgraph query {query} --format csv` "
                          "for its table")
    return nodes, rels, {"scope": "query", "query": query, "params": coerced}


def export(driver: neo4j.Driver, fmt: str, out: str | Path, *, query: str | None = None,
           params: Mapping[str, Any] | None = None, database: str | None = None,
           use_examples: bool = False) -> Exported:
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    nodes, rels, scope = elements(driver, query=query, params=params, database=database,
                                  use_examples=use_examples)
    out = Path(out)
    if fmt == "graphml":
        files = [write_graphml(nodes, rels, out)]
    elif fmt == "json":
        files = [write_json(nodes, rels, out, scope)]
    else:
        files = write_csv(nodes, rels, out)
    return Exported(fmt, out, len(nodes), len(rels), files)


# ---- shared helpers --------------------------------------------------------------------------
def _node_key(nodes: list[dict]) -> dict[str, str]:
    """element id -> the id written to files: the motorgraph `id` when every node has a unique one."""
    ids = [n["properties"].get("id") for n in nodes]
    if all(isinstance(i, str) and i for i in ids) and len(set(ids)) == len(ids):
        return {n["element_id"]: n["properties"]["id"] for n in nodes}
    return {n["element_id"]: n["element_id"] for n in nodes}


def _sorted_nodes(nodes: list[dict]) -> list[dict]:
    return sorted(nodes, key=lambda n: (n["labels"], str(n["properties"].get("id", "")), n["element_id"]))


def _sorted_rels(rels: list[dict], key: Mapping[str, str]) -> list[dict]:
    return sorted(rels, key=lambda r: (key.get(r["start"], ""), r["type"], key.get(r["end"], ""),
                                       json.dumps(r["properties"], sort_keys=True, default=str)))


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, (list, tuple)):
        return "list"
    return "string"


def _column_kinds(dicts: list[Mapping[str, Any]]) -> dict[str, str]:
    """property -> one kind for all its values (mixed numbers: double; otherwise mixed: string)."""
    seen: dict[str, set[str]] = {}
    for d in dicts:
        for k, v in d.items():
            if v is not None:
                seen.setdefault(k, set()).add(_kind(v))
    out = {}
    for k, kinds in seen.items():
        if len(kinds) == 1:
            out[k] = kinds.pop()
        elif kinds == {"long", "double"}:
            out[k] = "double"
        else:
            out[k] = "string"
    return out


# ---- GraphML -------------------------------------------------------------------------------
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _gml_text(value: Any, kind: str) -> str:
    if kind == "boolean":
        return "true" if value else "false"
    if kind in ("long", "double") and not isinstance(value, bool):
        return repr(value) if kind == "double" else str(int(value))
    if isinstance(value, (list, tuple, dict)):
        text = json.dumps(value, ensure_ascii=False)
    else:
        text = str(value)
    return _XML_BAD.sub("", text)


def graphml_tree(nodes: list[dict], rels: list[dict]) -> ET.ElementTree:
    key = _node_key(nodes)
    node_attrs = []
    for n in _sorted_nodes(nodes):
        props = dict(n["properties"])
        attrs = {"labels": ":" + ":".join(n["labels"]), "label": str(props.get("name") or props.get("title") or key[n["element_id"]]),
                 "element_id": n["element_id"]}
        r, g, b = (int(color_for(n["labels"])[i:i + 2], 16) for i in (1, 3, 5))
        attrs.update({"r": r, "g": g, "b": b})
        attrs.update({k: v for k, v in props.items() if k not in attrs})
        node_attrs.append((key[n["element_id"]], attrs))
    edge_attrs = []
    for r in _sorted_rels(rels, key):
        attrs = {"type": r["type"], "label": r["type"], "element_id": r["element_id"]}
        attrs.update({k: v for k, v in r["properties"].items() if k not in attrs})
        edge_attrs.append((r, attrs))

    root = ET.Element("graphml", {
        "xmlns": GRAPHML_NS,
        "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
        "xsi:schemaLocation": f"{GRAPHML_NS} {GRAPHML_NS}/1.0/graphml.xsd",
    })
    keys: dict[tuple[str, str], tuple[str, str]] = {}
    for domain, items in (("node", [a for _, a in node_attrs]), ("edge", [a for _, a in edge_attrs])):
        for name, kind in sorted(_column_kinds(items).items()):
            gml_type = "string" if kind == "list" else kind
            kid = f"{domain[0]}_{re.sub(r'[^A-Za-z0-9_]', '_', name)}"
            keys[(domain, name)] = (kid, kind)
            ET.SubElement(root, "key", {"id": kid, "for": domain, "attr.name": name, "attr.type": gml_type})
    graph = ET.SubElement(root, "graph", {"id": "motorgraph", "edgedefault": "directed"})
    for node_id, attrs in node_attrs:
        el = ET.SubElement(graph, "node", {"id": node_id})
        for name, value in attrs.items():
            if value is None:
                continue
            kid, kind = keys[("node", name)]
            ET.SubElement(el, "data", {"key": kid}).text = _gml_text(value, kind)
    for r, attrs in edge_attrs:
        el = ET.SubElement(graph, "edge", {"id": r["element_id"], "source": key[r["start"]],
                                           "target": key[r["end"]]})
        for name, value in attrs.items():
            if value is None:
                continue
            kid, kind = keys[("edge", name)]
            ET.SubElement(el, "data", {"key": kid}).text = _gml_text(value, kind)
    tree = ET.ElementTree(root)
    ET.indent(tree, space="  ")
    return tree


def write_graphml(nodes: list[dict], rels: list[dict], path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    missing = {e for r in rels for e in (r["start"], r["end"])} - {n["element_id"] for n in nodes}
    if missing:
        raise ExportError(f"{len(missing)} relationship end node(s) are not in the export")
    graphml_tree(nodes, rels).write(path, encoding="utf-8", xml_declaration=True)
    return path


# ---- JSON ----------------------------------------------------------------------------------
def as_document(nodes: list[dict], rels: list[dict], scope: Mapping[str, Any] | None = None) -> dict:
    key = _node_key(nodes)
    return {
        "format": "motorgraph-export",
        "version": 1,
        **dict(scope or {"scope": "graph"}),
        "counts": {"nodes": len(nodes), "relationships": len(rels)},
        "nodes": [{"element_id": n["element_id"], "labels": list(n["labels"]), "properties": n["properties"]}
                  for n in _sorted_nodes(nodes)],
        "relationships": [{"element_id": r["element_id"], "type": r["type"], "start": r["start"],
                           "end": r["end"], "start_id": key.get(r["start"]), "end_id": key.get(r["end"]),
                           "properties": r["properties"]}
                          for r in _sorted_rels(rels, key)],
    }


def write_json(nodes: list[dict], rels: list[dict], path: str | Path,
               scope: Mapping[str, Any] | None = None) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(as_document(nodes, rels, scope), ensure_ascii=False, indent=2,
                               default=str) + "\n", encoding="utf-8")
    return path


# ---- CSV (the bulk format) -------------------------------------------------------------------
_CSV_TYPES = {"string": "", "long": ":int", "double": ":float", "boolean": ":boolean", "list": ":string[]"}


def _csv_cell(value: Any, kind: str, where: str) -> str:
    """The cell's text; text that could start a spreadsheet formula is escaped (numbers are numbers)."""
    if value is None:
        return ""
    if kind == "boolean":
        return "true" if value else "false"
    if kind in ("long", "double"):
        return str(value)
    return escape_cell(_csv_text(value, kind, where))


def _csv_text(value: Any, kind: str, where: str) -> str:
    if kind == "list":
        items = [str(v) for v in value]
        bad = [v for v in items if ARRAY_SEP in v]
        if bad:
            raise ExportError(f"{where}: the list item {bad[0]!r} contains {ARRAY_SEP!r}, the CSV "
                              "format's list separator; export GraphML or JSON instead")
        return ARRAY_SEP.join(items)
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def write_csv(nodes: list[dict], rels: list[dict], folder: str | Path) -> list[Path]:
    """nodes.csv + relationships.csv (+ sources.json) in `folder`, loadable by `motorgraph load`."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{folder} is a file; the CSV export writes a folder (nodes.csv, relationships.csv)")
    folder.mkdir(parents=True, exist_ok=True)
    key = _node_key(nodes)
    sources = [n for n in nodes if "Source" in n["labels"]]
    entities = [n for n in _sorted_nodes(nodes) if "Source" not in n["labels"]]
    facts = [r for r in _sorted_rels(rels, key) if r["type"] != "MENTIONS"]
    mentions = [r for r in rels if r["type"] == "MENTIONS"]

    # nodes.csv: id:ID,:LABEL,name,aliases:string[],<every other property, typed>
    props = [{k: v for k, v in n["properties"].items() if k not in ("id", "name", "aliases")} for n in entities]
    kinds = _column_kinds(props)
    columns = sorted(kinds)
    nodes_csv = folder / "nodes.csv"
    with open(nodes_csv, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id:ID", ":LABEL", "name", "aliases:string[]"]
                   + [f"{c}{_CSV_TYPES[kinds[c]]}" for c in columns])
        for n, p in zip(entities, props):
            where = f"node {key[n['element_id']]}"
            if len(n["labels"]) != 1:
                raise ExportError(f"{where} has labels {n['labels']}; the CSV format takes one label per node")
            w.writerow([_csv_cell(key[n["element_id"]], "string", where), n["labels"][0],
                        _csv_cell(n["properties"].get("name", ""), "string", where),
                        _csv_cell(n["properties"].get("aliases") or [], "list", where)]
                       + [_csv_cell(p.get(c), kinds[c], where) for c in columns])

    # relationships.csv: :START_ID,:TYPE,:END_ID,<properties>,source,quote (one row per source)
    rprops = [{k: v for k, v in r["properties"].items() if k not in PROVENANCE} for r in facts]
    rkinds = _column_kinds(rprops)
    rcolumns = sorted(rkinds)
    rels_csv = folder / "relationships.csv"
    with open(rels_csv, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([":START_ID", ":TYPE", ":END_ID"] + [f"{c}{_CSV_TYPES[rkinds[c]]}" for c in rcolumns]
                   + ["source", "quote"])
        for r, p in zip(facts, rprops):
            where = f"relationship {key.get(r['start'])} -[{r['type']}]-> {key.get(r['end'])}"
            cells = [_csv_cell(key[r["start"]], "string", where), r["type"], _csv_cell(key[r["end"]], "string", where)] \
                + [_csv_cell(p.get(c), rkinds[c], where) for c in rcolumns]
            srcs = r["properties"].get("sources") or []
            quotes = r["properties"].get("quotes") or []
            pairs = [(s, quotes[i] if i < len(quotes) else "") for i, s in enumerate(srcs)] or [("", "")]
            for s, q in pairs:
                w.writerow(cells + [_csv_cell(s, "string", where), _csv_cell(q, "string", where)])

    by_source: dict[str, list[str]] = {}
    for m in mentions:
        by_source.setdefault(m["start"], []).append(key.get(m["end"], m["end"]))
    doc = {
        "note": "Source nodes and their MENTIONS; `motorgraph load` takes sources from the curated "
                "YAML files and ignores this file.",
        "sources": [{**s["properties"], "mentions": sorted(by_source.get(s["element_id"], []))}
                    for s in sorted(sources, key=lambda s: str(s["properties"].get("id")))],
    }
    sources_json = folder / "sources.json"
    sources_json.write_text(json.dumps(doc, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    return [nodes_csv, rels_csv, sources_json]
