"""Stream the CSV bulk format (neo4j-admin import style headers) as records.

Node files have an `id:ID` (or `:ID`) column and a `:LABEL` column; relationship files
have `:START_ID`, `:TYPE` and `:END_ID`, plus `source` and `quote` columns for provenance.
Other columns are properties, typed by their header suffix (`capacity:int`).

Files are read as UTF-8 (a byte order mark is allowed) with `,` as the delimiter. A cell
that starts with `'` followed by `=`, `+`, `-`, `@`, tab or CR loses that one `'` when read:
`motorgraph export --format csv` adds it so that spreadsheets do not run the cell as a formula.
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .inputfile import DEFAULT_LIMITS, InputRefused, limit_for, open_input
from .records import CsvOrigin, NodeRec, Problems, RelRec, node_row, rel_row

_TYPES = {"": "string", "string": "string", "int": "integer", "long": "integer", "integer": "integer",
          "float": "float", "double": "float", "boolean": "boolean", "date": "date",
          "string[]": "list[string]"}
ARRAY_SEP = ";"
# Columns with a meaning of their own, and the header types they may have.
_RESERVED = {"nodes": {"name": ("string",), "aliases": ("string", "list[string]")},
             "relationships": {"source": ("string",), "quote": ("string",)}}
# What a spreadsheet takes for the start of a formula (OWASP, "CSV injection").
FORMULA_START = frozenset("=+-@\t\r")


def escape_cell(text: str) -> str:
    """The cell as exported: a `'` before text a spreadsheet would run as a formula (and before
    text that already starts with `'`s and then such a character, so reading it back is exact)."""
    return "'" + text if text.lstrip("'")[:1] in FORMULA_START else text


def unescape_cell(cell: str) -> str:
    """The inverse of escape_cell: one leading `'` before `'`s and a formula character removed."""
    return cell[1:] if cell[:1] == "'" and cell.lstrip("'")[:1] in FORMULA_START else cell


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    role: str = ""  # id, label, start, type, end, or "" for a property


@dataclass(frozen=True)
class CsvFile:
    path: Path
    kind: str  # "nodes" or "relationships"
    columns: tuple[Column, ...]
    limit: int = DEFAULT_LIMITS["csv"]  # bytes; checked again each time the file is opened


def _open(path: Path, limit: int) -> io.TextIOWrapper:
    """The file as text for the csv module (raises InputRefused: see inputfile.py)."""
    return io.TextIOWrapper(open_input(path, limit), encoding="utf-8-sig", newline="")


def _column(raw: str) -> Column:
    name, _, typ = raw.strip().partition(":")
    roles = {"ID": "id", "LABEL": "label", "START_ID": "start", "TYPE": "type", "END_ID": "end"}
    if typ in roles:
        return Column(name or typ.lower(), "string", roles[typ])
    return Column(name, typ.lower(), "")


def _not_utf8(path: Path, problems: Problems, limit: int) -> None:
    """Record where the first byte that is not UTF-8 is (line by line: no UTF-8 sequence holds a newline)."""
    with open_input(path, limit) as fh:
        for line, raw in enumerate(fh, 1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                problems.add(f"{path}:{line}", f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x} at column "
                             f"{exc.start + 1}); save it as UTF-8")
                return
    problems.add(path, "the file is not UTF-8; save it as UTF-8")


def inspect(path: Path, problems: Problems, max_input_bytes: int | None = None) -> CsvFile | None:
    """Read and check the header; None (with a problem recorded) if it is unusable."""
    limit = limit_for("csv", max_input_bytes)
    try:
        with _open(path, limit) as fh:
            header = next(csv.reader(fh, strict=True), None)
    except InputRefused as exc:
        problems.add(path, exc.reason)
        return None
    except UnicodeDecodeError:
        _not_utf8(path, problems, limit)
        return None
    except csv.Error as exc:
        problems.add(f"{path}:1", f"CSV syntax error in the header: {exc}")
        return None
    if not header or not any(h.strip() for h in header):
        problems.add(path, "the file is empty; a CSV file needs a header line and rows")
        return None
    for sep, name in ((";", "semicolons"), ("\t", "tabs")):
        if any(sep in h for h in header):
            problems.add(f"{path}:1", f"the header is separated by {name}, but the delimiter is `,`; "
                         "save the file with commas between the cells")
            return None
    cols = tuple(_column(h) for h in header)
    first: dict[str, int] = {}
    for i, (raw, c) in enumerate(zip(header, cols), 1):
        name = f":{c.role}" if c.role else c.name
        if name in first:
            problems.add(f"{path}:1", f"column `{raw.strip()}` is in the header twice (columns {first[name]} "
                         f"and {i}); keep one")
            return None
        first[name] = i
    for c in cols:
        if not c.role and c.type not in _TYPES:
            problems.add(f"{path}:1", f"column `{c.name}` has unknown type `{c.type}`; use one of "
                         + ", ".join(t for t in _TYPES if t))
            return None
    roles = {c.role for c in cols}
    kind = "relationships" if {"start", "type", "end"} <= roles else "nodes" if {"id", "label"} <= roles else None
    if kind is not None:
        # Columns the loader reads itself must be text (a `quote:string[]` once crashed the load).
        for c in cols:
            allowed = _RESERVED[kind].get(c.name) if not c.role else None
            if allowed and _TYPES[c.type] not in allowed:
                problems.add(f"{path}:1", f"column `{c.name}` must be text, not {_TYPES[c.type]}; "
                             f"write the header as `{c.name}`")
                return None
        return CsvFile(path, kind, cols, limit)
    problems.add(f"{path}:1", "the header needs `id:ID` and `:LABEL` (a node file) or "
                 "`:START_ID`, `:TYPE` and `:END_ID` (a relationship file)")
    return None


def _value(raw: str, typ: str):
    """The cell as its header type; raises ValueError with the fix."""
    t = _TYPES[typ]
    if t == "integer":
        return int(raw)
    if t == "float":
        return float(raw)
    if t == "boolean":
        low = raw.strip().lower()
        if low not in ("true", "false"):
            raise ValueError("write true or false")
        return low == "true"
    if t == "list[string]":
        return [x for x in raw.split(ARRAY_SEP) if x]
    return raw


def _converter(typ: str):
    """A function from the cell text to the header's type (None for text); raises ValueError."""
    t = _TYPES[typ]
    if t == "string":
        return None
    if t == "integer":
        return int
    if t == "float":
        return float
    return lambda raw: _value(raw, typ)


def raw_rows(spec: CsvFile, problems: Problems) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) per non-empty row, as the csv module reads them; a syntax error or a byte
    that is not UTF-8 becomes a problem and ends the file."""
    with _open(spec.path, spec.limit) as fh:
        # strict: an unclosed or stray quote is an error, not a cell that swallows the lines after it.
        reader = csv.reader(fh, strict=True)
        next(reader, None)
        while True:
            line = reader.line_num + 1  # where the row starts (a quoted cell may span lines)
            try:
                row = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                _not_utf8(spec.path, problems, spec.limit)
                return
            except csv.Error as exc:
                problems.add(f"{spec.path}:{line}", f"CSV syntax error in the row starting here: {exc}; "
                             "fix the quoting (close each quoted cell, double a quote inside one)")
                return
            if row:
                yield line, row


class RowParser:
    """One row's cells as (id/label/start/type/end cells, typed properties); bad rows become problems."""

    def __init__(self, spec: CsvFile):
        self.path, self.width = str(spec.path), len(spec.columns)
        # Ids are taken as written (the id rule rejects spaces); labels and types are trimmed.
        self.roles = [(i, c.role, c.role in ("label", "type")) for i, c in enumerate(spec.columns) if c.role]
        self.props = [(i, c.name, _converter(c.type or ""), c.type or "") for i, c in enumerate(spec.columns)
                      if not c.role]

    def __call__(self, line: int, row: list[str], problems: Problems) -> tuple[dict[str, str], dict] | None:
        if len(row) != self.width:
            problems.add(f"{self.path}:{line}", f"{len(row)} cells, the header has {self.width}; "
                         "quote cells that contain commas")
            return None
        fixed = {}
        for i, role, trim in self.roles:
            cell = row[i]
            if cell[:1] == "'":
                cell = unescape_cell(cell)
            fixed[role] = cell.strip() if trim else cell
        props: dict = {}
        bad = False
        for i, name, conv, typ in self.props:
            cell = row[i]
            if cell == "":
                continue
            if cell[0] == "'":
                cell = unescape_cell(cell)
            if conv is None:
                props[name] = cell
                continue
            try:
                props[name] = conv(cell)
            except ValueError:
                problems.add(f"{self.path}:{line}", f"`{name}` must be {_TYPES[typ]}, not {cell!r}; fix the cell")
                bad = True
        return None if bad else (fixed, props)


def _parsed(spec: CsvFile, problems: Problems) -> Iterator[tuple[int, dict[str, str], dict]]:
    """(line, id/label/start/type/end cells, typed properties) per good row; bad rows become problems."""
    parse = RowParser(spec)
    for line, row in raw_rows(spec, problems):
        if (got := parse(line, row, problems)) is not None:
            yield line, *got


def _aliases(props: dict) -> list[str]:
    aliases = props.pop("aliases", [])
    return aliases if isinstance(aliases, list) else [aliases]


def _evidence(props: dict) -> list[tuple[str, str]]:
    """The row's (source, quote) pair, taken out of its properties."""
    source = props.pop("source", "")
    quote = props.pop("quote", "")
    return [(source, _squash(quote))] if source or quote else []


def records(spec: CsvFile, problems: Problems) -> Iterator[NodeRec | RelRec]:
    """Stream the rows as records (for checking); bad cells are recorded as problems and the row skipped."""
    path = str(spec.path)
    try:
        yield from _records(spec, problems, path)
    except InputRefused as exc:  # the file changed since its header was read
        problems.add(path, exc.reason)


def _records(spec: CsvFile, problems: Problems, path: str) -> Iterator[NodeRec | RelRec]:
    for line, fixed, props in _parsed(spec, problems):
        yield record(spec.kind, path, line, fixed, props)


def record(kind: str, path: str, line: int, fixed: dict[str, str], props: dict) -> NodeRec | RelRec:
    """A parsed row as the record the checks take."""
    if kind == "nodes":
        return NodeRec(fixed["id"], fixed["label"], props.pop("name", ""), _aliases(props), props,
                       CsvOrigin(path, line, parts=(fixed["id"],)))
    return RelRec(fixed["start"], fixed["type"], fixed["end"], {}, props, _evidence(props),
                  CsvOrigin(path, line, parts=(fixed["start"], fixed["type"], fixed["end"])))


def write_rows(spec: CsvFile, keys: dict[str, tuple[str, ...]]) -> Iterator[tuple[tuple[str, ...], dict]]:
    """The rows of an already checked file as the writer sends them: ((label,) or (type, start id,
    end id), row), with the same values `records(...).row()` gives, built without the records.
    `keys`: each relationship type's key properties, which go in `row["key"]`."""
    for _, fixed, props in _parsed(spec, Problems()):
        yield write_row(spec.kind, fixed, props, keys)


def write_row(kind: str, fixed: dict[str, str], props: dict, keys: dict[str, tuple[str, ...]]) -> tuple[tuple, dict]:
    """One parsed row as `write_rows` gives it."""
    if kind == "nodes":
        return (fixed["label"],), node_row(fixed["id"], props.pop("name", ""), _aliases(props), props)
    rtype = fixed["type"]
    evidence = _evidence(props)
    key = {k: props.pop(k) for k in keys[rtype] if k in props}
    return (rtype, fixed["start"], fixed["end"]), rel_row(fixed["start"], fixed["end"], key, props, evidence)


@functools.lru_cache(maxsize=4096)
def _squash(quote: str) -> str:
    """Whitespace runs to one space (bulk files often quote the same sentence on many rows)."""
    return " ".join(quote.split())
