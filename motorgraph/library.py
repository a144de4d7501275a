"""The saved-query library: one `.cypher` file per question in queries/.

    from motorgraph.library import list_queries, run_query
    result = run_query(driver, "supply-routes", {"brand": "JAC", "market": "Russia"})
    result.rows            # plain dicts, graph values removed
    result.nodes           # every node of the answer's paths/nodes/relationships, as dicts

A query file starts with a header of `//` comment lines (queries/README.md):

    // Who are the partners of a company, on what, with what status and since when?
    // name: partners
    // param: company string example=KAMAZ  The company: id, name or alias, any case
    // param: hops integer default=2 range=1..4  How many partnership hops to follow
    // returns: partner (id), on (what it covers), path (graph: the partnership)

The first line is the question (Neo4j Browser names a favorite after its first comment
line). `param:` is `NAME TYPE [default=V] [example=V] [range=MIN..MAX] DESCRIPTION` with
TYPE one of string, integer, float, boolean; a value with spaces is double-quoted. A
parameter with a default is optional. In `returns:`, a column whose meaning starts with
`graph` holds graph values (paths, nodes, relationships) for pictures: it is left out
of `rows` and its elements are in `nodes` / `relationships`.

Saved queries run in READ transactions (`session.execute_read`): Neo4j refuses any write.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

import neo4j
from neo4j import exceptions as neo_exc
from neo4j.graph import Node, Path as GraphPath, Relationship

from motorgraph.errors import QueryError
from motorgraph.model import DERIVED_NODE_PROPS
from motorgraph.paths import QUERIES_DIR

TYPES = ("string", "integer", "float", "boolean")
NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PARAM_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off"}


# ---- the query files -------------------------------------------------------------------

@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: Any = None
    example: Any = None
    required: bool = True
    description: str = ""
    min: int | float | None = None
    max: int | float | None = None

    @property
    def sample(self) -> Any:
        """The value `--example` uses: the example, else the default."""
        return self.example if self.example is not None else self.default

    def describe(self) -> str:
        """One line: `hops (integer, default 2, 1..4): How many ...`."""
        bits = [self.type]
        if self.required:
            bits.append("required")
        else:
            bits.append(f"default {_show(self.default)}")
        if self.example is not None:
            bits.append(f"e.g. {_show(self.example)}")
        if self.min is not None or self.max is not None:
            bits.append(f"{_show(self.min) if self.min is not None else ''}..{_show(self.max) if self.max is not None else ''}")
        return f"{self.name} ({', '.join(bits)}): {self.description}".rstrip(": ")


@dataclass(frozen=True)
class Column:
    name: str
    description: str = ""
    graph: bool = False


@dataclass(frozen=True)
class SavedQuery:
    name: str
    question: str
    params: list[Param]
    returns: list[Column]
    cypher: str          # the query's body (the file without its header lines)
    path: Path
    text: str = ""       # the whole file, header included (what Browser favorites hold)

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    @property
    def graph_columns(self) -> list[str]:
        return [c.name for c in self.returns if c.graph]

    def usage(self) -> str:
        args = " ".join(f"-p {p.name}={_shell(p.sample)}" for p in self.params if p.required)
        return f"motorgraph query {self.name}" + (f" {args}" if args else "")

    def describe_params(self) -> str:
        if not self.params:
            return f"Query {self.name} takes no parameters."
        lines = [f"Parameters of {self.name}:"]
        lines += [f"  {p.describe()}" for p in self.params]
        lines.append(f"Example: {self.usage()}  (or --example)")
        return "\n".join(lines)


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value if value and " " not in value else f'"{value}"'
    return str(value)


def _shell(value: Any) -> str:
    text = _show(value)
    if text.startswith('"') or re.search(r"[^\w.,:@%+=/-]", text):
        return "'" + text.strip('"').replace("'", "'\\''") + "'"
    return text


_VALUE = r'"(?:[^"\\]|\\.)*"|\S+'
_OPTION_RE = re.compile(rf"(default|example|range)=({_VALUE})")


def _unquote(raw: str) -> str:
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        return re.sub(r"\\(.)", r"\1", raw[1:-1])
    return raw


def _convert(param_name: str, type_: str, raw: Any) -> Any:
    """A string (CLI, header) or a Python value, as the parameter's type; ValueError if not."""
    if type_ == "string":
        if not isinstance(raw, str):
            raise ValueError("expected text")
        return raw.strip()
    if type_ == "boolean":
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
            return raw.strip().lower() in _TRUE
        raise ValueError("expected true or false")
    if type_ == "integer":
        if isinstance(raw, bool):
            raise ValueError("expected a whole number")
        if isinstance(raw, int):
            return raw
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        if isinstance(raw, str):
            try:
                return int(raw.strip())
            except ValueError:
                pass
        raise ValueError("expected a whole number")
    if type_ == "float":
        if isinstance(raw, bool):
            raise ValueError("expected a number")
        if isinstance(raw, (int, float)):
            return float(raw)
        if isinstance(raw, str):
            try:
                return float(raw.strip())
            except ValueError:
                pass
        raise ValueError("expected a number")
    raise ValueError(f"unknown type {type_}")


def _parse_param(spec: str, where: str) -> Param:
    parts = spec.split(None, 2)
    if len(parts) < 2:
        raise QueryError(f"{where}: `param:` needs NAME TYPE [default=V] [example=V] [range=MIN..MAX] DESCRIPTION")
    name, type_ = parts[0], parts[1]
    rest = parts[2] if len(parts) > 2 else ""
    if not PARAM_NAME_RE.match(name):
        raise QueryError(f"{where}: parameter name {name!r} is not a Cypher parameter name")
    if type_ not in TYPES:
        raise QueryError(f"{where}: parameter {name} has type {type_!r}; use one of {', '.join(TYPES)}")
    options: dict[str, str] = {}
    while True:
        m = _OPTION_RE.match(rest)
        if not m:
            break
        if m.group(1) in options:
            raise QueryError(f"{where}: parameter {name} gives {m.group(1)}= twice")
        options[m.group(1)] = _unquote(m.group(2))
        rest = rest[m.end():].lstrip()
    description = rest.strip()
    if "default" not in options and "example" not in options:
        raise QueryError(f"{where}: parameter {name} needs default=VALUE (optional) or example=VALUE (required)")
    try:
        default = _convert(name, type_, options["default"]) if "default" in options else None
        example = _convert(name, type_, options["example"]) if "example" in options else None
    except ValueError as exc:
        raise QueryError(f"{where}: parameter {name}: default/example is not a valid {type_} ({exc})") from None
    lo = hi = None
    if "range" in options:
        if type_ not in ("integer", "float"):
            raise QueryError(f"{where}: range= is only for integer and float parameters ({name})")
        m = re.fullmatch(r"(-?[\d.]*)\.\.(-?[\d.]*)", options["range"])
        try:
            if not m:
                raise ValueError
            lo = _convert(name, type_, m.group(1)) if m.group(1) else None
            hi = _convert(name, type_, m.group(2)) if m.group(2) else None
        except ValueError:
            raise QueryError(f"{where}: parameter {name}: range= must look like 1..4") from None
    return Param(name=name, type=type_, default=default, example=example,
                 required="default" not in options, description=description, min=lo, max=hi)


def _split_top(text: str) -> list[str]:
    """Split on commas outside parentheses."""
    out, depth, cur = [], 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch == "," and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return [p.strip() for p in out if p.strip()]


def _parse_returns(text: str, where: str) -> list[Column]:
    cols = []
    for item in _split_top(text):
        m = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)\s*(?:\((.*)\))?", item, re.S)
        if not m:
            raise QueryError(f"{where}: `returns:` item {item!r} is not `column (meaning)`")
        desc = (m.group(2) or "").strip()
        cols.append(Column(m.group(1), desc, graph=desc.lower().startswith("graph")))
    return cols


def parse_query(text: str, path: Path) -> SavedQuery:
    """Parse one query file; QueryError (naming file and line) when the header is malformed."""
    lines = text.splitlines()
    stem = path.stem
    if not lines or not lines[0].startswith("//") or not lines[0][2:].strip():
        raise QueryError(f"{path}:1: the first line must be `// <the question>`")
    question = lines[0][2:].strip()
    if re.match(r"(name|param|returns):", question):
        raise QueryError(f"{path}:1: the first line must be the question, not a `{question.split(':')[0]}:` line")
    name = None
    params: list[Param] = []
    returns_parts: list[str] = []
    body_start = len(lines)
    for i, line in enumerate(lines[1:], start=2):
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("//"):
            body_start = i - 1
            break
        content = stripped[2:].strip()
        where = f"{path}:{i}"
        m = re.match(r"(name|param|returns):\s*(.*)$", content)
        if not m:
            continue  # a free comment line
        key, value = m.group(1), m.group(2).strip()
        if key == "name":
            if name is not None:
                raise QueryError(f"{where}: a second `name:` line")
            name = value
        elif key == "param":
            p = _parse_param(value, where)
            if any(q.name == p.name for q in params):
                raise QueryError(f"{where}: parameter {p.name} is declared twice")
            params.append(p)
        else:
            returns_parts.append(value)
    if name is None:
        raise QueryError(f"{path}: no `// name: <name>` header line")
    if name != stem:
        raise QueryError(f"{path}: `name: {name}` does not match the file name ({stem}.cypher)")
    if not NAME_RE.match(name):
        raise QueryError(f"{path}: query name {name!r} is not kebab-case")
    if not returns_parts:
        raise QueryError(f"{path}: no `// returns: ...` header line")
    returns = _parse_returns(", ".join(returns_parts), str(path))
    cypher = "\n".join(lines[body_start:]).strip()
    if not cypher:
        raise QueryError(f"{path}: the file has a header but no query")
    return SavedQuery(name=name, question=question, params=params, returns=returns, cypher=cypher,
                      path=path, text=text)


# Parsed files by path, kept while the file's mtime and size stay the same: running a saved
# query in a loop should not re-read and re-parse the whole library each time.
_PARSED: dict[Path, tuple[int, int, SavedQuery]] = {}


def _load_file(path: Path) -> SavedQuery:
    st = path.stat()
    hit = _PARSED.get(path)
    if hit and hit[0] == st.st_mtime_ns and hit[1] == st.st_size:
        return hit[2]
    query = parse_query(path.read_text(encoding="utf-8"), path)
    _PARSED[path] = (st.st_mtime_ns, st.st_size, query)
    return query


def list_queries(directory: Path | str | None = None) -> list[SavedQuery]:
    """Every saved query, sorted by name."""
    directory = Path(directory) if directory else QUERIES_DIR
    return [_load_file(f) for f in sorted(directory.glob("*.cypher"))]


def get_query(name: str, directory: Path | str | None = None) -> SavedQuery:
    directory = Path(directory) if directory else QUERIES_DIR
    key = name.strip()
    if key.endswith(".cypher"):
        key = key[: -len(".cypher")]
    path = directory / f"{key}.cypher"
    if NAME_RE.match(key) and path.is_file():
        return _load_file(path)
    queries = {q.name: q for q in list_queries(directory)}
    close = difflib.get_close_matches(key.lower(), list(queries), n=3, cutoff=0.5)
    if not close:  # a word of the name may be enough: "routes" -> supply-routes
        close = [q for q in queries if key.lower() and key.lower() in q][:3]
    hint = ""
    if close:
        hint = f"; did you mean {close[0]}?" if len(close) == 1 else \
            f"; did you mean {', '.join(close[:-1])} or {close[-1]}?"
    raise QueryError(f"unknown query {name!r}{hint} (`motorgraph queries` lists all {len(queries)})")


# ---- static checks -----------------------------------------------------------------------

def strip_cypher(cypher: str) -> str:
    """The Cypher with comments removed and string literals emptied (for static checks)."""
    out: list[str] = []
    i, n = 0, len(cypher)
    while i < n:
        ch = cypher[i]
        nxt = cypher[i + 1] if i + 1 < n else ""
        if ch == "/" and nxt == "/":
            j = cypher.find("\n", i)
            i = n if j < 0 else j
        elif ch == "/" and nxt == "*":
            j = cypher.find("*/", i + 2)
            i = n if j < 0 else j + 2
            out.append(" ")
        elif ch in "'\"":
            j = i + 1
            while j < n and cypher[j] != ch:
                j += 2 if cypher[j] == "\\" else 1
            out.append(ch + ch)
            i = j + 1
        elif ch == "`":  # a quoted identifier: a name, never a clause
            j = cypher.find("`", i + 1)
            j = n if j < 0 else j
            out.append("`_`")
            i = j + 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


_WRITE_RE = re.compile(
    r"\b(CREATE|MERGE|SET|DELETE|REMOVE|DETACH|FOREACH|DROP|LOAD\s+CSV|IN\s+TRANSACTIONS"
    r"|IN\s+\d+\s+CONCURRENT\s+TRANSACTIONS)\b",
    re.IGNORECASE,
)
_APOC_WRITE_RE = re.compile(
    r"\bapoc\s*\.\s*(create|merge|refactor|periodic|nodes\s*\.\s*(delete|link|collapse)|do|cypher\s*\.\s*"
    r"(doIt|run(Write|Many|Schema|File|Files|SchemaFile)?|parallel)|atomic|lock|trigger|load|import|export"
    r"|schema\s*\.\s*assert|graph\s*\.\s*fromDocument)\b",
    re.IGNORECASE,
)
_CALL_RE = re.compile(r"\bCALL\s+([A-Za-z_][\w]*(?:\s*\.\s*[A-Za-z_]\w*)+)", re.IGNORECASE)
READ_PROCEDURES = {"db.index.fulltext.querynodes", "db.index.fulltext.queryrelationships"}


def write_clauses(cypher: str) -> list[str]:
    """Write clauses and writing procedures in the Cypher (comments and strings ignored)."""
    code = strip_cypher(cypher)
    found = [" ".join(m.group(0).upper().split()) for m in _WRITE_RE.finditer(code)]
    found += [m.group(0) for m in _APOC_WRITE_RE.finditer(code)]
    for m in _CALL_RE.finditer(code):
        proc = re.sub(r"\s+", "", m.group(1))
        if proc.lower() not in READ_PROCEDURES and not proc.lower().startswith("apoc."):
            found.append(f"CALL {proc}")
    return found


def used_params(cypher: str) -> set[str]:
    return set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", strip_cypher(cypher)))


def check_query(query: SavedQuery) -> list[str]:
    """Problems of a parsed query: undeclared or unused parameters, write clauses."""
    problems = []
    declared = {p.name for p in query.params}
    used = used_params(query.cypher)
    for name in sorted(used - declared):
        problems.append(f"{query.name}: ${name} is used but not declared (`// param: {name} ...`)")
    for name in sorted(declared - used):
        problems.append(f"{query.name}: parameter {name} is declared but not used")
    for clause in write_clauses(query.cypher):
        problems.append(f"{query.name}: write clause {clause} (saved queries are read-only)")
    return problems


# ---- parameters ------------------------------------------------------------------------------

def coerce_params(query: SavedQuery, raw: Mapping[str, Any] | None, use_examples: bool = False) -> dict:
    """Typed parameter values; QueryError listing the query's parameters on any problem.

    `raw` values may be strings (from the CLI) or Python values. Missing optional
    parameters take their default; with use_examples, missing ones take their example.
    """
    raw = dict(raw or {})
    problems = []
    known = {p.name: p for p in query.params}
    unknown = [k for k in raw if k not in known]
    for k in unknown:
        close = difflib.get_close_matches(k, list(known), n=1)
        problems.append(f"unknown parameter {k!r}" + (f" (did you mean {close[0]}?)" if close else ""))
    values: dict[str, Any] = {}
    for p in query.params:
        if p.name in raw and raw[p.name] is not None:
            try:
                value = _convert(p.name, p.type, raw[p.name])
            except ValueError as exc:
                problems.append(f"parameter {p.name} must be {('an ' if p.type == 'integer' else 'a ') + p.type}: "
                                f"got {raw[p.name]!r} ({exc})")
                continue
            if p.type == "string" and value == "" and p.required:
                problems.append(f"parameter {p.name} is empty")
                continue
            if p.min is not None and value < p.min or p.max is not None and value > p.max:
                problems.append(f"parameter {p.name} must be between {_show(p.min)} and {_show(p.max)}: got {value}")
                continue
            values[p.name] = value
        elif use_examples and p.sample is not None:
            values[p.name] = p.sample
        elif not p.required:
            values[p.name] = p.default
        else:
            problems.append(f"missing parameter {p.name}")
    if problems:
        raise QueryError(f"query {query.name}: " + "; ".join(problems) + "\n" + query.describe_params())
    return values


@dataclass(frozen=True)
class BoundQuery:
    """A saved query with its parameters typed (once): what `run_query` runs."""

    query: SavedQuery
    values: dict


def bind_query(name: "str | SavedQuery | BoundQuery", raw: Mapping[str, Any] | None = None,
               use_examples: bool = False) -> BoundQuery:
    """Type `raw` parameters for the saved query `name`; QueryError on any problem."""
    if isinstance(name, BoundQuery):
        if raw:
            raise QueryError(f"query {name.query.name}: its parameters are already bound")
        return name
    query = _resolve(name)
    return BoundQuery(query, coerce_params(query, raw, use_examples=use_examples))


# ---- results -------------------------------------------------------------------------------

_GRAPH_TYPES = (Node, Relationship, GraphPath)


def _is_graphish(value: Any) -> bool:
    """None, a graph value, or a list/map of graph-ish values."""
    if value is None or isinstance(value, _GRAPH_TYPES):
        return True
    if isinstance(value, (list, tuple)):
        return all(_is_graphish(v) for v in value)
    if isinstance(value, dict):
        return all(_is_graphish(v) for v in value.values())
    return False


def _has_graph(value: Any) -> bool:
    if isinstance(value, _GRAPH_TYPES):
        return True
    if isinstance(value, (list, tuple)):
        return any(_has_graph(v) for v in value)
    if isinstance(value, dict):
        return any(_has_graph(v) for v in value.values())
    return False


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
            "properties": {k: plain(v) for k, v in dict(rel).items()}}


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

    def __iter__(self) -> Iterator[dict]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @classmethod
    def from_records(cls, query: SavedQuery | None, params: dict, keys: list[str],
                     records: Iterable[neo4j.Record]) -> "QueryResult":
        records = list(records)
        declared = set(query.graph_columns) if query else set()
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
                   graph_columns=graph_cols, nodes=list(nodes.values()), relationships=list(rels.values()))


# ---- running -------------------------------------------------------------------------------------

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


def _plan_summary(plan: Mapping | None, profiled: bool = False) -> dict:
    """{"operators": [...], "text": Neo4j's own rendering}; profiled: plus total "db_hits" and "rows"."""
    ops = _flatten_plan(plan, profiled=profiled)
    args = (plan or {}).get("args") or {}
    summary = {"operators": ops, "text": args.get("string-representation", "")}
    if profiled:
        summary["db_hits"] = sum(o["db_hits"] for o in ops)
        summary["rows"] = ops[0]["rows"] if ops else 0
    return summary


def _resolve(name: str | SavedQuery) -> SavedQuery:
    return name if isinstance(name, SavedQuery) else get_query(name)


def _session(driver: neo4j.Driver, database: str | None):
    return driver.session(database=database, default_access_mode=neo4j.READ_ACCESS,
                          notifications_min_severity="OFF")


def _read(driver, database, cypher: str, values: dict, query_name: str):
    def work(tx):
        res = tx.run(cypher, values)
        keys = list(res.keys())
        records = list(res)
        return keys, records, res.consume()

    try:
        with _session(driver, database) as session:
            return session.execute_read(work)
    except neo_exc.ClientError as exc:
        if exc.code and ("AccessMode" in exc.code or "Forbidden" in exc.code):
            raise QueryError(f"query {query_name} tried to write; saved queries run in read "
                             f"transactions and Neo4j refused it ({exc.message})") from None
        raise


def run_query(driver: neo4j.Driver, name: str | SavedQuery | BoundQuery, params: Mapping[str, Any] | None = None,
              database: str | None = None, profile: bool = False, use_examples: bool = False) -> QueryResult:
    """Run a saved query in a READ transaction; `params` may be strings or values, typed once here
    (or already, when `name` is a `BoundQuery`)."""
    bound = bind_query(name, params, use_examples=use_examples)
    query, values = bound.query, bound.values
    cypher = ("PROFILE\n" if profile else "") + query.cypher
    keys, records, summary = _read(driver, database, cypher, values, query.name)
    result = QueryResult.from_records(query, values, keys, records)
    if profile:
        result.profile = _plan_summary(summary.profile, profiled=True)
    return result


def explain(driver: neo4j.Driver, name: str | SavedQuery, params: Mapping[str, Any] | None = None,
            database: str | None = None, use_examples: bool = False) -> dict:
    """The query's plan without running it: {"operators": [{operator, details, identifiers, depth}], "text"}."""
    bound = bind_query(name, params, use_examples=use_examples)
    query, values = bound.query, bound.values
    _, _, summary = _read(driver, database, "EXPLAIN\n" + query.cypher, values, query.name)
    return _plan_summary(summary.plan)


# ---- Neo4j Browser favorites -------------------------------------------------------------------

def cypher_literal(value: Any) -> str:
    """A Cypher literal for a :params map (strings single-quoted and escaped)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)}: {cypher_literal(v)}" for k, v in value.items()) + "}"
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


def _key(name: str) -> str:
    return name if name.replace("_", "a").isalnum() and not name[0].isdigit() else f"`{name}`"


def param_lines(query: SavedQuery) -> list[str]:
    """`:param name => value` for each parameter, with its example (or default)."""
    return [f":param {p.name} => {cypher_literal(p.sample)}" for p in query.params]


FAVORITES_FOLDER = "motorgraph"


def export_favorites(out_zip_path: str | Path, directory: Path | str | None = None) -> list[str]:
    """Write a zip of the query files for Neo4j Browser's Favorites; returns the params.txt lines.

    The .cypher files sit in a `motorgraph/` folder of the zip (Browser turns it into a
    Favorites folder; each favorite is named after its first comment line, the question).
    `params.txt` (which Browser does not import) holds, per query, a `// name` line and the
    `:param` lines to run before it.
    """
    queries = list_queries(directory)
    lines: list[str] = []
    for q in queries:
        lines.append(f"// {q.name}: {q.question}")
        lines += param_lines(q) or ["// (no parameters)"]
        lines.append("")
    out = Path(out_zip_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for q in queries:
            zf.writestr(f"{FAVORITES_FOLDER}/{q.path.name}", q.text)
        zf.writestr("params.txt", "\n".join(lines).rstrip() + "\n")
    return [line for line in lines if line]
