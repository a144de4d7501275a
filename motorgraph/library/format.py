"""The saved-query file format: the `//` header of a `.cypher` file, and typed parameters.

A query file starts with a header of `//` comment lines (queries/README.md):

    // Who are the partners of a company, on what, with what status and since when?
    // name: partners
    // param: company string example=KAMAZ lookup=Company|Brand  The company: id, name or alias, any case
    // param: hops integer default=2 range=1..4  How many partnership hops to follow
    // returns: partner (id), on (what it covers), path (graph: the partnership)

The first line is the question (Neo4j Browser names a favorite after its first comment
line). `param:` is `NAME TYPE [default=V] [example=V] [range=MIN..MAX] [choices=A,B] [lookup=LABELS]
DESCRIPTION` with TYPE one of string, integer, float, boolean, list[string] (written and typed
on the command line as comma-separated items); a value with spaces is double-quoted.
`choices=A,B,C` limits a string, or each item of a list, to those values (any case). A
parameter with a default is optional. `lookup=Company|Brand` (or `lookup=any`) says the
string names an entity of those labels through the `entity_key` index: when the query answers
no rows and no such entity has that id, name or alias, the run fails with `UnknownName` and
the closest names (motorgraph.library.lookup) instead of looking like a real empty answer. In
`returns:`, a column whose meaning starts with
`graph` holds graph values (paths, nodes, relationships) for pictures: it is left out
of `rows` and its elements are in `nodes` / `relationships`.

`coerce_params` is the one place where parameter values (`-p key=value` strings or Python
values) are typed; it returns `Values`, which `run_query` takes as they are.
"""

from __future__ import annotations

import difflib
import reprlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from motorgraph.errors import QueryError
from motorgraph.library import paging
from motorgraph.paths import QUERIES_DIR

TYPES = ("string", "integer", "float", "boolean", "list[string]", "cursor")
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
    choices: tuple[str, ...] | None = None
    lookup: tuple[str, ...] | None = None  # labels an entity lookup may match (() = any); None: no lookup

    @property
    def sample(self) -> Any:
        """The value `--example` uses: the example, else the default."""
        return self.example if self.example is not None else self.default

    def describe(self) -> str:
        """One line: `hops (integer, default 2, 1..4): How many ...`."""
        bits = [self.type]
        if self.type == "cursor":
            bits.append("optional: the first page without it")
        elif self.required:
            bits.append("required")
        else:
            bits.append(f"default {_show(self.default)}")
        if self.example is not None:
            bits.append(f"e.g. {_show(self.example)}")
        if self.min is not None or self.max is not None:
            bits.append(f"{_show(self.min) if self.min is not None else ''}..{_show(self.max) if self.max is not None else ''}")
        if self.choices:
            bits.append(f"{'each ' if self.type == 'list[string]' else ''}one of {', '.join(self.choices)}")
        return f"{self.name} ({', '.join(bits)}): {self.description}".rstrip(": ")


@dataclass(frozen=True)
class Column:
    name: str
    description: str = ""
    graph: bool = False
    cursor: bool = False  # a listing's sort key per row (motorgraph.library.paging), not a row value


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

    @property
    def cursor_column(self) -> str | None:
        """The column holding each row's sort key, in a listing that pages (`after`); else None."""
        return next((c.name for c in self.returns if c.cursor), None)

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


_BOUNDED = reprlib.Repr()
_BOUNDED.maxstring, _BOUNDED.maxother, _BOUNDED.maxlist, _BOUNDED.maxdict = 80, 80, 8, 8


def shown(value: Any) -> str:
    """A parameter value for a message: bounded (a 100 kB value prints as 80 characters), and
    with undecodable bytes and lone surrogates escaped rather than printed."""
    return _BOUNDED.repr(value).encode("utf-8", "backslashreplace").decode("utf-8")


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value if value and " " not in value else f'"{value}"'
    if isinstance(value, (list, tuple)):
        return _show(",".join(value))
    return str(value)


def _shell(value: Any) -> str:
    text = _show(value)
    if text.startswith('"') or re.search(r"[^\w.,:@%+=/-]", text):
        return "'" + text.strip('"').replace("'", "'\\''") + "'"
    return text


_VALUE = r'"(?:[^"\\]|\\.)*"|\S+'
_OPTION_RE = re.compile(rf"(default|example|range|choices|lookup)=({_VALUE})")
_LABEL_RE = re.compile(r"^[A-Z][A-Za-z0-9]*$")


def either(items: list[str]) -> str:
    """`A`, `A or B`, `A, B or C`: the names a did-you-mean hint offers."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} or {items[-1]}"


def _unquote(raw: str) -> str:
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        return re.sub(r"\\(.)", r"\1", raw[1:-1])
    return raw


MAX_STRING_PARAM = 1000  # characters; longer than any name, alias or id the model allows


def _text_problem(raw: str) -> str | None:
    """Why `raw` cannot travel to Neo4j as text, or None.

    A command line that is not UTF-8 reaches Python as lone surrogates (U+DC80-U+DCFF stand
    for the undecodable bytes); the driver cannot encode them.
    """
    for i, ch in enumerate(raw):
        if "\ud800" <= ch <= "\udfff":
            if "\udc80" <= ch <= "\udcff":
                return f"it is not UTF-8 text (byte 0x{ord(ch) - 0xDC00:02x} at character {i + 1})"
            return f"it holds a lone surrogate U+{ord(ch):04X} at character {i + 1}, which is not text"
    if len(raw) > MAX_STRING_PARAM:
        return f"it is {len(raw):,} characters long; at most {MAX_STRING_PARAM:,}"
    return None


def _number(raw: Any, cast: type, what: str) -> int | float:
    """An int or float parameter from a number or its text; a float that is whole is an integer
    (Neo4j Browser sends every number as a float)."""
    if isinstance(raw, bool):
        raise ValueError(f"expected {what}")
    if isinstance(raw, (int, float)):
        if cast is float:
            return float(raw)
        if isinstance(raw, int) or raw.is_integer():
            return int(raw)
    if isinstance(raw, str):
        try:
            return cast(raw.strip())
        except ValueError:
            pass
    raise ValueError(f"expected {what}")


def _convert(param_name: str, type_: str, raw: Any) -> Any:
    """A string (CLI, header) or a Python value, as the parameter's type; ValueError if not."""
    if type_ == "string":
        if not isinstance(raw, str):
            raise ValueError("expected text")
        if (problem := _text_problem(raw)) is not None:
            raise ValueError(problem)
        return raw.strip()
    if type_ == "boolean":
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
            return raw.strip().lower() in _TRUE
        raise ValueError("expected true or false")
    if type_ == "integer":
        return _number(raw, int, "a whole number")
    if type_ == "float":
        return _number(raw, float, "a number")
    if type_ == "list[string]":
        items = raw.split(",") if isinstance(raw, str) else raw
        if not isinstance(items, (list, tuple)) or not all(isinstance(i, str) for i in items):
            raise ValueError("expected a list of text items (on the command line: A,B,C)")
        items = [_convert(param_name, "string", i) for i in items]
        items = [i for i in items if i]
        if not items:
            raise ValueError("expected at least one item")
        return items
    raise ValueError(f"unknown type {type_}")


def _parse_param(spec: str, where: str) -> Param:
    parts = spec.split(None, 2)
    if len(parts) < 2:
        raise QueryError(f"{where}: `param:` needs NAME TYPE [default=V] [example=V] [range=MIN..MAX] "
                         "[lookup=LABELS] DESCRIPTION")
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
    if type_ == "cursor":  # optional, without a default: its absence asks for the first page
        if options:
            raise QueryError(f"{where}: a cursor parameter ({name}) takes no default=, example= or other option")
        return Param(name=name, type=type_, required=False, description=rest.strip())
    if "default" not in options and "example" not in options:
        raise QueryError(f"{where}: parameter {name} needs default=VALUE (optional) or example=VALUE (required)")
    try:
        default = _convert(name, type_, options["default"]) if "default" in options else None
        example = _convert(name, type_, options["example"]) if "example" in options else None
    except ValueError as exc:
        raise QueryError(f"{where}: parameter {name}: default/example is not a valid {type_} ({exc})") from None
    choices = None
    if "choices" in options:
        if type_ not in ("string", "list[string]"):
            raise QueryError(f"{where}: choices= is only for string and list[string] parameters ({name})")
        choices = tuple(c.strip() for c in options["choices"].split(",") if c.strip())
        for value in (default, example):
            if value is not None and _unchosen(value, choices):
                raise QueryError(f"{where}: parameter {name}: default/example {_unchosen(value, choices)} "
                                 f"is not one of the choices")
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
    lookup = None
    if "lookup" in options:
        labels = options["lookup"].split("|")
        if type_ != "string":
            raise QueryError(f"{where}: lookup= is only for string parameters ({name})")
        if options["lookup"] != "any" and not all(_LABEL_RE.match(x) for x in labels):
            raise QueryError(f"{where}: parameter {name}: lookup= must be labels joined by | "
                             "(e.g. lookup=Company|Brand) or any")
        lookup = () if options["lookup"] == "any" else tuple(labels)
    return Param(name=name, type=type_, default=default, example=example,
                 required="default" not in options, description=description, min=lo, max=hi, choices=choices,
                 lookup=lookup)


def _unchosen(value: str | list[str], choices: tuple[str, ...]) -> str | None:
    """The first item of `value` that is not a choice (compared in any case), or None."""
    lowered = {c.lower() for c in choices}
    return next((v for v in ([value] if isinstance(value, str) else value) if v.lower() not in lowered), None)


def _chosen(value: str | list[str], choices: tuple[str, ...]) -> str | list[str]:
    """The value spelled as its choices are (`owns` -> `OWNS`), each item once."""
    spelled = {c.lower(): c for c in choices}
    if isinstance(value, str):
        return spelled[value.lower()]
    return list(dict.fromkeys(spelled[v.lower()] for v in value))


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
        cols.append(Column(m.group(1), desc, graph=desc.lower().startswith("graph"),
                           cursor=desc.lower().startswith("cursor")))
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
    hint = f"; did you mean {either(close)}?" if close else ""
    raise QueryError(f"unknown query {name!r}{hint} (`motorgraph queries` lists all {len(queries)})")


# ---- static checks -----------------------------------------------------------------------
# (Whether a query writes is asked of Neo4j itself: motorgraph.library.run.check_read_only.)

# Comments, string literals and quoted names, in one pass so that a `//` inside a string or
# a quote mark inside a comment is read as Cypher reads it.
_NOT_CODE_RE = re.compile(r"//[^\n]*|/\*.*?\*/|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`", re.S)


def used_params(cypher: str) -> set[str]:
    """The `$name` parameters the Cypher uses (outside comments, strings and quoted names)."""
    return set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", _NOT_CODE_RE.sub(" ", cypher)))


def check_query(query: SavedQuery) -> list[str]:
    """Problems of a parsed query: undeclared or unused parameters, lookups not looked up."""
    problems = []
    declared = {p.name for p in query.params}
    used = used_params(query.cypher)
    for name in sorted(used - declared):
        problems.append(f"{query.name}: ${name} is used but not declared (`// param: {name} ...`)")
    for name in sorted(declared - used):
        problems.append(f"{query.name}: parameter {name} is declared but not used")
    for p in query.params:
        if p.lookup is not None and not re.search(rf"queryNodes\('entity_key'[^)]*\${p.name}\b", query.cypher):
            problems.append(f"{query.name}: parameter {p.name} is declared lookup= but the query does not "
                            f"look ${p.name} up in entity_key")
    return problems


# ---- parameters ------------------------------------------------------------------------------

class Values(dict):
    """Parameter values typed by `coerce_params` for the query `query_name`: `run_query` and
    `explain` take them as they are instead of typing them a second time."""

    def __init__(self, query_name: str, values: Mapping[str, Any]):
        super().__init__(values)
        self.query_name = query_name


def coerce_params(query: SavedQuery, raw: Mapping[str, Any] | None, use_examples: bool = False) -> Values:
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
        if p.type == "cursor":  # left out or empty: the first page
            if raw.get(p.name) in (None, "", []):
                values[p.name] = None
                continue
            try:
                values[p.name] = paging.decode(query.name, raw[p.name])
            except ValueError as exc:
                problems.append(f"parameter {p.name}: {shown(raw[p.name])} is not a cursor of {query.name}"
                                + (f" ({exc})" if str(exc) else "") + "; "
                                f"pass the {p.name}= value printed under the previous page, or leave {p.name} "
                                "out for the first page")
            continue
        if p.name in raw and raw[p.name] is not None:
            try:
                value = _convert(p.name, p.type, raw[p.name])
            except ValueError as exc:
                problems.append(f"parameter {p.name} must be {('an ' if p.type == 'integer' else 'a ') + p.type}: "
                                f"got {shown(raw[p.name])} ({exc})")
                continue
            if p.type == "string" and value == "" and p.required:
                problems.append(f"parameter {p.name} is empty")
                continue
            if p.choices and (bad := _unchosen(value, p.choices)) is not None:
                close = difflib.get_close_matches(bad.upper(), list(p.choices), n=1)
                problems.append(f"parameter {p.name}: {shown(bad)} is not one of {', '.join(p.choices)}"
                                + (f" (did you mean {close[0]}?)" if close else ""))
                continue
            if p.choices:
                value = _chosen(value, p.choices)
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
    return Values(query.name, values)
