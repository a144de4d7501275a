"""A saved query's answer as plain Python: rows, the graph elements, plan summaries.

`plain` turns a driver value into JSON-ready Python (graph values removed, temporal values
as ISO text); `node_dict` / `relationship_dict` are the one dict shape of a node and a
relationship that the pictures and the exports use; `QueryResult` splits a query's records
into plain rows and the nodes and relationships found in any column; `plan_summary`
flattens an EXPLAIN plan or a PROFILE.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Mapping

import neo4j
from neo4j.graph import Node, Path as GraphPath, Relationship

from motorgraph.library import paging
from motorgraph.library.format import SavedQuery
from motorgraph.model import DERIVED_NODE_PROPS, shown_rel_props

_GRAPH_TYPES = (Node, Relationship, GraphPath)


def _graph_test(value: Any, combine, leaf) -> bool:
    """`leaf` of a scalar, combined (all / any) over the items of lists and maps."""
    if isinstance(value, (list, tuple)):
        return combine(_graph_test(v, combine, leaf) for v in value)
    if isinstance(value, dict):
        return combine(_graph_test(v, combine, leaf) for v in value.values())
    return leaf(value)


def _is_graphish(value: Any) -> bool:
    """None, a graph value, or a list/map of graph-ish values."""
    return _graph_test(value, all, lambda v: v is None or isinstance(v, _GRAPH_TYPES))


def _has_graph(value: Any) -> bool:
    return _graph_test(value, any, lambda v: isinstance(v, _GRAPH_TYPES))


_REMOVED = object()


def plain(value: Any) -> Any:
    """A driver value as plain Python (graph values removed, temporal values as ISO text)."""
    if isinstance(value, _GRAPH_TYPES):
        return _REMOVED
    if isinstance(value, (list, tuple)):
        return [v for v in (plain(x) for x in value) if v is not _REMOVED]
    if isinstance(value, dict):
        return {k: v for k, v in ((k, plain(x)) for k, x in value.items()) if v is not _REMOVED}
    if isinstance(value, (neo4j.time.Date, neo4j.time.DateTime, neo4j.time.Time)):
        return value.iso_format()
    if isinstance(value, neo4j.time.Duration):
        return value.iso_format()
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        return value.isoformat()
    if isinstance(value, neo4j.spatial.Point):
        return {"srid": value.srid, "coordinates": list(value)}
    if isinstance(value, (bytes, bytearray)):
        return value.hex()
    return value


def node_dict(node: Node) -> dict:
    return {"element_id": node.element_id, "labels": sorted(node.labels),
            "properties": {k: plain(v) for k, v in dict(node).items() if k not in DERIVED_NODE_PROPS}}


def relationship_dict(rel: Relationship) -> dict:
    return {"element_id": rel.element_id, "type": rel.type,
            "start": rel.start_node.element_id if rel.start_node is not None else None,
            "end": rel.end_node.element_id if rel.end_node is not None else None,
            "properties": {k: plain(v) for k, v in shown_rel_props(rel.type, dict(rel)).items()}}


def _walk_graph(value: Any, nodes: dict, rels: dict) -> None:
    if isinstance(value, Node):
        # Prefer the fullest copy (a relationship's endpoint may come without labels).
        if value.element_id not in nodes or (not nodes[value.element_id]["labels"] and value.labels):
            nodes[value.element_id] = node_dict(value)
    elif isinstance(value, Relationship):
        rels.setdefault(value.element_id, relationship_dict(value))
        for end in (value.start_node, value.end_node):
            if end is not None:
                _walk_graph(end, nodes, rels)
    elif isinstance(value, GraphPath):
        for n in value.nodes:
            _walk_graph(n, nodes, rels)
        for r in value.relationships:
            _walk_graph(r, nodes, rels)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _walk_graph(v, nodes, rels)
    elif isinstance(value, dict):
        for v in value.values():
            _walk_graph(v, nodes, rels)


@dataclass
class QueryResult:
    """A saved query's answer: plain rows plus the graph elements found in any column."""

    query: SavedQuery | None
    params: dict
    columns: list[str]                      # the columns of `rows`
    rows: list[dict]
    graph_columns: list[str] = field(default_factory=list)
    nodes: list[dict] = field(default_factory=list)
    relationships: list[dict] = field(default_factory=list)
    profile: dict | None = None            # with profile=True: total db hits and the operators
    cursor: str | None = None              # a listing's full page: the `after` of the next page

    def __iter__(self) -> Iterator[dict]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @classmethod
    def from_records(cls, query: SavedQuery | None, params: dict, keys: list[str],
                     records: Iterable[neo4j.Record]) -> "QueryResult":
        records = list(records)
        declared = set(query.graph_columns) if query else set()
        key_col = query.cursor_column if query else None
        cursor = None
        if key_col in keys:  # the sort keys are not row values; a full page has a next one
            keys = [k for k in keys if k != key_col]
            limit = params.get("limit")
            if records and isinstance(limit, int) and len(records) >= limit:
                cursor = paging.encode(query.name, list(records[-1][key_col]))
        graph_cols = []
        for k in keys:
            values = [r[k] for r in records]
            if k in declared or (values and all(_is_graphish(v) for v in values)
                                 and any(_has_graph(v) for v in values)):
                graph_cols.append(k)
        nodes: dict[str, dict] = {}
        rels: dict[str, dict] = {}
        rows = []
        for r in records:
            for k in keys:
                _walk_graph(r[k], nodes, rels)
            row = {}
            for k in keys:
                if k in graph_cols:
                    continue
                v = plain(r[k])
                row[k] = None if v is _REMOVED else v
            rows.append(row)
        return cls(query=query, params=params, columns=[k for k in keys if k not in graph_cols], rows=rows,
                   graph_columns=graph_cols, nodes=list(nodes.values()), relationships=list(rels.values()),
                   cursor=cursor)


# ---- plans ------------------------------------------------------------------------------------

def _flatten_plan(plan: Mapping | None, depth: int = 0, profiled: bool = False) -> list[dict]:
    if not plan:
        return []
    args = plan.get("args") or {}
    op = {
        "operator": str(plan.get("operatorType", "")).split("@")[0],
        "details": args.get("Details", ""),
        "identifiers": list(plan.get("identifiers") or []),
        "depth": depth,
    }
    if profiled:
        op["db_hits"] = plan.get("dbHits", args.get("DbHits", 0)) or 0
        op["rows"] = plan.get("rows", args.get("Rows", 0)) or 0
    out = [op]
    for child in plan.get("children") or []:
        out += _flatten_plan(child, depth + 1, profiled)
    return out


def plan_summary(plan: Mapping | None, profiled: bool = False) -> dict:
    """{"operators": [...], "text": Neo4j's own rendering}; profiled: plus total "db_hits" and "rows"."""
    ops = _flatten_plan(plan, profiled=profiled)
    args = (plan or {}).get("args") or {}
    summary = {"operators": ops, "text": args.get("string-representation", "")}
    if profiled:
        summary["db_hits"] = sum(o["db_hits"] for o in ops)
        summary["rows"] = ops[0]["rows"] if ops else 0
    return summary
