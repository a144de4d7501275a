"""Stream the CSV bulk format (neo4j-admin import style headers) as records.

Node files have an `id:ID` (or `:ID`) column and a `:LABEL` column; relationship files
have `:START_ID`, `:TYPE` and `:END_ID`, plus `source` and `quote` columns for provenance.
Other columns are properties, typed by their header suffix (`capacity:int`).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .records import NodeRec, Origin, Problems, RelRec

_TYPES = {"": "string", "string": "string", "int": "integer", "long": "integer", "integer": "integer",
          "float": "float", "double": "float", "boolean": "boolean", "date": "date",
          "string[]": "list[string]"}
ARRAY_SEP = ";"
# Columns with a meaning of their own, and the header types they may have.
_RESERVED = {"nodes": {"name": ("string",), "aliases": ("string", "list[string]")},
             "relationships": {"source": ("string",), "quote": ("string",)}}


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


def _column(raw: str) -> Column:
    name, _, typ = raw.strip().partition(":")
    roles = {"ID": "id", "LABEL": "label", "START_ID": "start", "TYPE": "type", "END_ID": "end"}
    if typ in roles:
        return Column(name or typ.lower(), "string", roles[typ])
    return Column(name, typ.lower(), "")


def _not_utf8(path: Path, problems: Problems) -> None:
    """Record where the first byte that is not UTF-8 is (line by line: no UTF-8 sequence holds a newline)."""
    with open(path, "rb") as fh:
        for line, raw in enumerate(fh, 1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                problems.add(f"{path}:{line}", f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x} at column "
                             f"{exc.start + 1}); save it as UTF-8")
                return
    problems.add(path, "the file is not UTF-8; save it as UTF-8")


def inspect(path: Path, problems: Problems) -> CsvFile | None:
    """Read and check the header; None (with a problem recorded) if it is unusable."""
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh, strict=True), None)
    except UnicodeDecodeError:
        _not_utf8(path, problems)
        return None
    except csv.Error as exc:
        problems.add(f"{path}:1", f"CSV syntax error in the header: {exc}")
        return None
    if not header or not any(h.strip() for h in header):
        problems.add(path, "the file is empty; a CSV file needs a header line and rows")
        return None
    cols = tuple(_column(h) for h in header)
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
        return CsvFile(path, kind, cols)
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


def records(spec: CsvFile, problems: Problems) -> Iterator[NodeRec | RelRec]:
    """Stream the rows as records; bad cells are recorded as problems and the row skipped."""
    with open(spec.path, encoding="utf-8", newline="") as fh:
        # strict: an unclosed or stray quote is an error, not a cell that swallows the lines after it.
        reader = csv.reader(fh, strict=True)
        next(reader, None)
        width = len(spec.columns)
        while True:
            line = reader.line_num + 1  # where the row starts (a quoted cell may span lines)
            try:
                row = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                _not_utf8(spec.path, problems)
                return
            except csv.Error as exc:
                problems.add(f"{spec.path}:{line}", f"CSV syntax error in the row starting here: {exc}; "
                             "fix the quoting (close each quoted cell, double a quote inside one)")
                return
            if not row:
                continue
            if len(row) != width:
                problems.add(f"{spec.path}:{line}", f"{len(row)} cells, the header has {width}; "
                             "quote cells that contain commas")
                continue
            fixed: dict[str, str] = {}
            props: dict = {}
            bad = False
            for col, cell in zip(spec.columns, row):
                if col.role:
                    fixed[col.role] = cell.strip()
                elif cell != "":
                    try:
                        props[col.name] = _value(cell, col.type or "")
                    except ValueError:
                        problems.add(f"{spec.path}:{line}",
                                     f"`{col.name}` must be {_TYPES[col.type or '']}, not {cell!r}; fix the cell")
                        bad = True
            if bad:
                continue
            if spec.kind == "nodes":
                name = props.pop("name", "")
                aliases = props.pop("aliases", [])
                yield NodeRec(fixed["id"], fixed["label"], name, aliases if isinstance(aliases, list) else [aliases],
                              props, Origin(str(spec.path), line, f"node {fixed['id']}"))
            else:
                source = props.pop("source", "")
                quote = props.pop("quote", "")
                evidence = [(source, " ".join(quote.split()))] if source or quote else []
                yield RelRec(fixed["start"], fixed["type"], fixed["end"], {}, props, evidence,
                             Origin(str(spec.path), line,
                                    f"relationship {fixed['start']} -[{fixed['type']}]-> {fixed['end']}"))


