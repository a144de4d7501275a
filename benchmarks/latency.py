"""Latency of every saved query at scale, with random valid parameters, and each plan's anchor.

Parameters are drawn from the generated data (benchmarks.generate's catalog): a
parameter named like an entity (company, brand, market, plant...) gets the name of a random
entity of that kind, a source parameter the id of one of the generated articles; a query that
asks for a maker and a market gets a pair that does have a supply route; other parameters
keep their default or example.

A question whose parameter sets all come back empty measured nothing: `all_empty` names
such questions, and `failures` makes the run fail with them (`python -m benchmarks` exits 1).
"""

from __future__ import annotations

import logging
import math
import random
import re
import time
from statistics import mean
from typing import Any

import neo4j

# Leaf operators that read a whole label or the whole store: the anchor did not use an index.
SCAN_OPS = {"NodeByLabelScan", "AllNodesScan", "UnionNodeByLabelsScan", "IntersectionNodeByLabelsScan",
            "SubtractionNodeByLabelsScan", "DirectedAllRelationshipsScan", "UndirectedAllRelationshipsScan",
            "DirectedRelationshipTypeScan", "UndirectedRelationshipTypeScan"}
def is_scan(operator: str) -> bool:
    """A leaf that reads a whole label, relationship type or store (not an index)."""
    return operator in SCAN_OPS or (operator.endswith("Scan") and "Index" not in operator)


SEEK_OPS = re.compile(r"(IndexSeek|IndexSeekByRange|IndexContainsScan|IndexEndsWithScan|IndexScan|ById|"
                      r"ByElementId|ProcedureCall)")


# ---- parameters -----------------------------------------------------------------------------
_ENTITY_WORDS = [  # (pattern in the parameter name, catalog key); first match wins
    (r"^other$|^entity$|^node$|^thing$", "Any"),
    (r"^source$|article", "Source"),
    (r"person|people", "Person"),
    (r"region|area|continent", "Region"),
    (r"market|country|destination|origin", "Country"),
    (r"brand", "Brand"),
    (r"plant|factory", "Plant"),
    (r"model|vehicle", "VehicleModel"),
    (r"agreement|project|contract|deal", "Agreement"),
    (r"maker|automaker|manufacturer", "Automaker"),
    (r"company|supplier|partner|party|owner|org|distributor|intermediar|buyer|seller|from|to|entity|name|who",
     "Company"),
]
_VALUE_WORDS = [(r"goods|product|cargo", "goods"), (r"mode|transport", "modes"), (r"^on$|topic|field|area_of", "partner_on"),
                (r"status", "statuses")]


def _pname(p) -> str:
    return getattr(p, "name", None) or (p.get("name") if isinstance(p, dict) else str(p))


def _pattr(p, attr: str, default=None):
    if isinstance(p, dict):
        return p.get(attr, default)
    return getattr(p, attr, default)


def _catalog_key(pname: str, ptype: str) -> str | None:
    low = pname.lower()
    for pattern, key in _ENTITY_WORDS:
        if re.search(pattern, low):
            if key in ("Company", "Automaker") and ptype in ("int", "integer", "float", "number", "bool", "boolean"):
                return None
            return key
    return None


# Questions about something rare draw that parameter from the places that have it (the catalog
# key), as supply-routes draws a maker and a market that have a route.
_RARE = {("foreign-assembly", "market"): "assembly_markets"}


def sample_params(query, catalog: dict, rng: random.Random) -> dict[str, Any]:
    """Raw values (as a user would type them) for the query's parameters."""
    params = list(_pattr(query, "params", []) or [])
    raw: dict[str, Any] = {}
    for p in params:
        rare = catalog.get(_RARE.get((_pname(query), _pname(p))) or "")
        if rare:
            raw[_pname(p)] = rng.choice(rare)["name"]
    keys = {_pname(p): _catalog_key(_pname(p), str(_pattr(p, "type", "") or "").lower()) for p in params}
    # Two any-entity parameters (entity and other): the two ends of a relationship that exists.
    pair = [n for n, k in keys.items() if k == "Any"]
    if len(pair) == 2 and catalog.get("edges"):
        edge = rng.choice(catalog["edges"])
        raw[pair[0]], raw[pair[1]] = edge["from_name"], edge["to_name"]
    # A maker-like and a market-like parameter together: a pair that has a route.
    maker = next((n for n, k in keys.items() if k in ("Company", "Automaker", "Brand")), None)
    market = next((n for n, k in keys.items() if k == "Country"), None)
    if maker and market and catalog.get("routes"):
        route = rng.choice(catalog["routes"])
        raw[maker], raw[market] = route["maker_name"], route["market_name"]
    for p in params:
        name = _pname(p)
        if name in raw:
            continue
        ptype = str(_pattr(p, "type", "") or "").lower()
        if _pattr(p, "required", True) is False and _pattr(p, "default") is not None:
            continue  # an optional knob (hops, limit...): its default, as a user would leave it
        key = keys[name]
        if key == "Any":
            labels = [k for k in ("Company", "Brand", "VehicleModel", "Plant", "Agreement", "Country") if catalog.get(k)]
            if labels:
                raw[name] = rng.choice(catalog[rng.choice(labels)])["name"]
                continue
        if key and catalog.get(key):
            raw[name] = rng.choice(catalog[key])["name"]
            continue
        for pattern, vkey in _VALUE_WORDS:
            if re.search(pattern, name.lower()) and ptype in ("", "str", "string") and catalog.get(vkey):
                raw[name] = rng.choice(catalog[vkey])
                break
        else:
            default = _pattr(p, "default")
            example = _pattr(p, "example")
            value = default if default is not None else example
            if value is not None:
                raw[name] = value
    return raw


# ---- plans -----------------------------------------------------------------------------------
def _op(plan) -> str:
    name = plan.get("operatorType") if isinstance(plan, dict) else getattr(plan, "operator_type", None)
    return str(name or "").split("@")[0]


def _children(plan) -> list:
    return (plan.get("children") if isinstance(plan, dict) else getattr(plan, "children", None)) or []


def _args(plan) -> dict:
    return (plan.get("args") or plan.get("arguments") if isinstance(plan, dict) else getattr(plan, "arguments", None)) or {}


def leaves(plan) -> list[dict]:
    """The plan's leaf operators (its anchors), with their details."""
    out = []
    kids = _children(plan)
    if not kids:
        args = _args(plan)
        out.append({"operator": _op(plan), "details": str(args.get("Details", "") or args.get("details", ""))})
    for k in kids:
        out.extend(leaves(k))
    return out


def flat_leaves(operators: list[dict]) -> list[dict]:
    """Leaves of a pre-order operator list with depths (motorgraph.library.explain's format)."""
    out = []
    for i, op in enumerate(operators):
        if i + 1 == len(operators) or operators[i + 1]["depth"] <= op["depth"]:
            out.append({"operator": str(op["operator"]).split("@")[0], "details": str(op.get("details") or "")})
    return out


def classify(plan) -> dict:
    """{"kind": "seek" | "scan" | "other", "anchors": [...], "scans": [...], "operators": [...]}.

    `plan` is the driver's plan tree (a dict with children) or library.explain's result
    ({"operators": [{operator, details, depth}, ...]}).
    """
    if isinstance(plan, dict) and "operators" in plan and "operatorType" not in plan:
        flat = plan["operators"]
        found = flat_leaves(flat)
        ops = [str(o["operator"]).split("@")[0] for o in flat]
    else:
        found = leaves(plan)
        ops = []

        def walk(p):
            ops.append(_op(p))
            for k in _children(p):
                walk(k)
        walk(plan)
    anchors = [l for l in found if l["operator"] not in ("Argument", "EmptyRow", "")]
    for a in anchors:  # a procedure call's details are its whole argument list: keep the name
        m = re.match(r"([\w.]+)\(", a["details"]) if a["operator"] == "ProcedureCall" else None
        if m:
            a["details"] = m.group(1)
    scans = [a for a in anchors if is_scan(a["operator"])]
    seeks = [a for a in anchors if SEEK_OPS.search(a["operator"])]
    kind = "scan" if scans else ("seek" if seeks else "other")
    return {"kind": kind, "anchors": [f"{a['operator']}({a['details']})" if a["details"] else a["operator"]
                                      for a in anchors],
            "scans": [f"{a['operator']}({a['details']})" if a["details"] else a["operator"] for a in scans],
            "operators": ops}


def explain_plan(driver: neo4j.Driver, database: str | None, cypher: str, params: dict):
    """The EXPLAIN plan as the driver's dict."""
    with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
        return session.run("EXPLAIN " + cypher, params).consume().plan


def slowest_anchored(queries: dict[str, dict]) -> dict | None:
    """The highest p95 among queries that anchor on an index (not a scan) and ran: {name, p95_ms}."""
    timed = [(e["p95_ms"], name) for name, e in queries.items()
             if e.get("kind") == "seek" and e.get("runs") and not e.get("error")]
    if not timed:
        return None
    p95, name = max(timed)
    return {"query": name, "p95_ms": p95, "anchored": len(timed)}


def all_empty(queries: dict[str, dict]) -> list[str]:
    """The questions that ran and came back empty for every parameter set."""
    return sorted(name for name, e in queries.items()
                  if e.get("runs") and not e.get("error") and e.get("empty_results") == e["runs"])


def failures(result: dict) -> list[str]:
    """What makes a benchmark run fail, from measure_queries' result: questions that measured nothing."""
    empty = result.get("all_empty") or []
    return [f"every parameter set of {name!r} came back empty: its timing measured nothing; draw parameters "
            "that have answers, or generate data that answers it" for name in empty]


def percentile(sorted_vals: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_vals:
        return float("nan")
    k = max(0, min(len(sorted_vals) - 1, math.ceil(q / 100 * len(sorted_vals)) - 1))
    return sorted_vals[k]


def _percentiles(values) -> dict:
    """{"runs", "p50_ms", "p95_ms", "p99_ms"} of the milliseconds in `values`."""
    ordered = sorted(values)
    return {"runs": len(ordered), "p50_ms": percentile(ordered, 50), "p95_ms": percentile(ordered, 95),
            "p99_ms": percentile(ordered, 99)}


def summarise(draws: list[list[float]]) -> dict:
    """p50/p95/p99 over parameter sets, each counted with the median of its runs (the lower
    middle for an even count), and `every_run`: the same over every run alone."""
    return {**_percentiles(sorted(took)[(len(took) - 1) // 2] for took in draws if took),
            "every_run": _percentiles(t for took in draws for t in took)}


# ---- the run ----------------------------------------------------------------------------------
def measure_queries(driver: neo4j.Driver, database: str | None, catalog: dict, runs: int = 50,
                    warmup: int = 5, seed: int = 0, budget_s: float = 600.0, echo=lambda m: None,
                    tries: int = 3) -> dict:
    """Per saved query: p50/p95/p99 in ms over `runs` random valid parameter sets, and the plan.

    Each parameter set runs `tries` times back to back and counts with the median of its
    tries: on a shared machine one run in a few dozen is stalled by a neighbour for 100+ ms,
    which says nothing about the query. The percentiles of every single run are kept beside
    (`every_run`). A query whose runs together take longer than `budget_s` stops early (its
    entry says so), so one pathological plan cannot hold the whole benchmark.
    """
    if tries < 1:
        raise ValueError("tries must be at least 1")
    try:
        from motorgraph import library
    except ImportError as exc:
        return {"error": f"the saved-query library (motorgraph.library) is not available: {exc}", "queries": {}}
    # The driver logs each retry of a transient error (a query over the memory limit); the
    # entry records the error, so keep the console quiet while measuring.
    neo4j_log = logging.getLogger("neo4j")
    level = neo4j_log.level
    neo4j_log.setLevel(logging.ERROR)
    try:
        return _measure(driver, database, catalog, runs, warmup, seed, budget_s, echo, library, tries)
    finally:
        neo4j_log.setLevel(level)


ROUND_TRIP_CYPHER = "RETURN 1 AS one"


def _round_trip(driver, database) -> float:
    """ms for the cheapest read: a session, a read transaction, one row, as run_query does."""
    t0 = time.perf_counter()
    with driver.session(database=database) as session:
        session.execute_read(lambda tx: list(tx.run(ROUND_TRIP_CYPHER)))
    return (time.perf_counter() - t0) * 1000


def _measure(driver, database, catalog, runs, warmup, seed, budget_s, echo, library, tries) -> dict:
    rng = random.Random(seed)
    results: dict[str, dict] = {}
    # One trivial read before every timed run: the floor the machine and driver set at that
    # moment, to read the queries' milliseconds against (shared machines drift during a run).
    floor: list[float] = []
    for q in library.list_queries():
        name = _pname(q)
        query = library.get_query(name)
        entry: dict[str, Any] = {}
        try:
            param_sets = [library.coerce_params(query, sample_params(query, catalog, rng))
                          for _ in range(runs + warmup)]
        except Exception as exc:  # a parameter the sampler cannot fill: fall back to the examples
            entry["param_note"] = f"random parameters failed ({type(exc).__name__}: {exc}); used the examples"
            param_sets = [library.coerce_params(query, {}, use_examples=True)] * (runs + warmup)
        try:
            plan = _plan_of(driver, database, library, query, name, param_sets[0])
            entry.update(classify(plan) if plan is not None else {"kind": "unknown", "anchors": [], "scans": []})
        except Exception as exc:
            entry.update({"kind": "unknown", "anchors": [], "scans": [], "plan_error": f"{type(exc).__name__}: {exc}"})
        draws, rows, empty = [], [], 0
        spent = 0.0
        try:
            for i, params in enumerate(param_sets):
                if spent > budget_s:
                    entry["stopped"] = f"stopped after {len(draws)} parameter sets: over the {budget_s:g}s budget"
                    break
                took = []
                for _ in range(tries if i >= warmup else 1):
                    if i >= warmup:
                        floor.append(_round_trip(driver, database))
                    t0 = time.perf_counter()
                    out = library.run_query(driver, name, params, database=database)
                    out = list(out) if out is not None else []
                    took.append((time.perf_counter() - t0) * 1000)
                    spent += took[-1] / 1000
                if i >= warmup:
                    draws.append(took)
                    rows.append(len(out))
                    empty += not out
        except Exception as exc:
            entry["error"] = f"{type(exc).__name__}: {exc}"
        entry.update(summarise(draws))
        entry.update({"tries": tries, "mean_rows": round(mean(rows), 1) if rows else 0,
                      "empty_results": empty, "params_example": _jsonable(param_sets[0])})
        results[name] = entry
        echo(f"  {name}: p50 {entry['p50_ms']:.1f} ms, p95 {entry['p95_ms']:.1f} ms ({entry['kind']})")
    round_trip = {"cypher": ROUND_TRIP_CYPHER, **_percentiles(floor)}
    return {"queries": results, "runs": runs, "tries": tries, "warmup": warmup, "budget_s": budget_s,
            "round_trip": round_trip, "all_empty": all_empty(results)}


def _plan_of(driver, database, library, query, name, params):
    """library.explain's operator list; the driver's EXPLAIN tree if the library has no explain."""
    explain = getattr(library, "explain", None)
    if explain is not None:
        got = explain(driver, name, params, database=database)
        if isinstance(got, dict) and got.get("operators"):
            return got
    return explain_plan(driver, database, _pattr(query, "cypher"), params)


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)
