"""The data model (schema/model.yaml) and everything derived from it.

One file says which labels, keys, properties and relationship types exist; this module
reads it and derives the constraints and indexes (schema/constraints.cypher), the model
documentation (docs/model.md) and the type checks the loader runs.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
import reprlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from motorgraph import yamlio
from motorgraph.paths import MODEL_FILE

TYPES = ("string", "integer", "float", "boolean", "date", "list[string]")
NODE_COMMON = ("id", "name", "aliases")
# Written by the loader on every relationship except MENTIONS.
PROVENANCE = ("sources", "quotes")
LOOKUP_INDEX = "entity_lookup"  # words of id, name and aliases: search
KEY_INDEX = "entity_key"  # exact, case-insensitive id, name or alias: the saved queries' lookups
# `keys`, the lowercased id, name and aliases, is what KEY_INDEX holds; the loader keeps it.
KEYS_CYPHER = "[x IN [n.id, n.name] + coalesce(n.aliases, []) | toLower(x)]"
DERIVED_NODE_PROPS = frozenset({"keys"})  # kept by the loader; left out of rows, pictures and exports
# Per-source bookkeeping for replacing and unloading a source (docs/data-format.md): a fact's
# `claims` (parallel to `sources`/`quotes`) and every property of MENTIONS (what the source
# said of the entity). Left out of rows, pictures and exports like `keys`.
DERIVED_REL_PROPS = frozenset({"claims"})


def shown_rel_props(rel_type: str, props: dict) -> dict:
    """A relationship's properties as data: without the loader's per-source bookkeeping."""
    if rel_type == "MENTIONS":
        return {}
    return {k: v for k, v in props.items() if k not in DERIVED_REL_PROPS}
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_INT64 = (-(2**63), 2**63 - 1)
# Values in messages are shown bounded: a YAML alias bomb (a list of 9 copies of a list of
# 9 copies of ...) is a few hundred bytes of input but gigabytes when printed in full.
_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxlist, _REPR.maxdict = 3, 10, 10
_REPR.maxstring, _REPR.maxother, _REPR.maxlong = 160, 160, 60
_show = _REPR.repr


def _text(v: Any) -> bool:
    """A string Neo4j can store: no lone surrogates (YAML's "\\ud800" escape makes one)."""
    if not isinstance(v, str):
        return False
    try:
        v.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def is_date(v: Any) -> bool:
    """A real calendar date written YYYY-MM-DD, YYYY-MM or YYYY (a string: what Neo4j stores)."""
    if not isinstance(v, str) or not _DATE.match(v):
        return False
    parts = [int(x) for x in v.split("-")] + [1, 1]
    try:
        _dt.date(parts[0], parts[1], parts[2])
    except ValueError:
        return False
    return True


def _integer(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


_TYPE_CHECKS = {
    "string": _text,
    "integer": _integer,
    "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "date": is_date,
    "list[string]": lambda v: isinstance(v, list) and all(_text(x) for x in v),
}


@dataclass(frozen=True)
class Prop:
    name: str
    type: str
    required: bool = False
    enum: tuple[str, ...] | None = None
    description: str = ""

    def check(self, value: Any) -> str | None:
        """None if `value` fits; otherwise what is wrong, phrased as the fix."""
        t = self.type
        ok = _TYPE_CHECKS[t]
        if not ok(value):
            hint = {"date": "a real date written YYYY-MM-DD, YYYY-MM or YYYY"}.get(t, f"a {t}")
            return f"`{self.name}` must be {hint}, not {_show(value)}"
        # Neo4j stores 64-bit integers; a bigger one would fail half-way through the write.
        if isinstance(value, int) and not isinstance(value, bool) and not _INT64[0] <= value <= _INT64[1]:
            return f"`{self.name}` is out of range ({_INT64[0]} to {_INT64[1]}): {_show(value)}"
        if self.enum and value not in self.enum:
            return f"`{self.name}` must be one of {', '.join(self.enum)}, not {_show(value)}"
        return None


@dataclass(frozen=True)
class Label:
    name: str
    description: str
    properties: dict[str, Prop]

    @property
    def constraint_name(self) -> str:
        return f"{_snake(self.name)}_id"


@dataclass(frozen=True)
class RelType:
    name: str
    description: str
    start: tuple[str, ...]
    end: tuple[str, ...]
    properties: dict[str, Prop]
    key: tuple[str, ...] = ()

    @property
    def provenance(self) -> bool:
        return self.name != "MENTIONS"


@dataclass(frozen=True)
class Model:
    labels: dict[str, Label]
    relationships: dict[str, RelType]
    rel_common: dict[str, Prop]
    statuses: tuple[str, ...]
    source_file: Path = field(default=MODEL_FILE)

    @functools.cached_property
    def _rel_properties(self) -> dict[str, dict[str, Prop]]:
        return {name: rt.properties | {k: p for k, p in self.rel_common.items() if k not in rt.properties}
                for name, rt in self.relationships.items()}

    def rel_properties(self, rtype: str) -> dict[str, Prop]:
        """Properties a relationship of this type may have: its own, then the common ones."""
        return self._rel_properties[rtype]

    # ---- derived: schema ------------------------------------------------------------
    def constraint_statements(self) -> list[str]:
        stmts = [
            f"CREATE CONSTRAINT {lab.constraint_name} IF NOT EXISTS "
            f"FOR (n:{lab.name}) REQUIRE n.id IS UNIQUE"
            for lab in self.labels.values()
        ]
        entity_labels = "|".join(n for n in self.labels if n != "Source")
        stmts.append(
            f"CREATE FULLTEXT INDEX {LOOKUP_INDEX} IF NOT EXISTS "
            f"FOR (n:{entity_labels}) ON EACH [n.id, n.name, n.aliases] "
            "OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-no-stop-words'}}"
        )
        # The keyword analyzer keeps each key whole, so a quoted query is one exact term.
        stmts.append(
            f"CREATE FULLTEXT INDEX {KEY_INDEX} IF NOT EXISTS "
            f"FOR (n:{entity_labels}) ON EACH [n.keys] "
            "OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}}"
        )
        for lab in self.labels.values():
            for prop in lab.properties.values():
                if prop.type in ("integer", "float") or prop.name in ("kind", "status"):
                    stmts.append(
                        f"CREATE INDEX {_snake(lab.name)}_{prop.name} IF NOT EXISTS "
                        f"FOR (n:{lab.name}) ON (n.{prop.name})"
                    )
        return stmts

    def constraints_cypher(self) -> str:
        head = (
            "// Constraints and indexes of the motorgraph model.\n"
            "// Generated from schema/model.yaml by `motorgraph schema docs`; do not edit by hand.\n"
            "// Applying it twice is a no-op (IF NOT EXISTS): `motorgraph schema apply`.\n\n"
        )
        return head + "".join(s + ";\n" for s in self.constraint_statements())

    # ---- derived: docs -----------------------------------------------------------------
    def markdown(self) -> str:
        out = [
            "# The motorgraph data model",
            "",
            "Generated from [`schema/model.yaml`](../schema/model.yaml) by `motorgraph schema docs`; "
            "a test fails when this file is out of date.",
            "",
            "Every node has a unique `id` (constraint-backed), a display `name` and `aliases` "
            "(other spellings). The loader also keeps `keys`, the lowercased id, name and aliases: the "
            f"saved queries look entities up by any of them, in any case, through the full-text index "
            f"`{KEY_INDEX}` (keyword analyzer: one exact term per key); `{LOOKUP_INDEX}` indexes the words "
            "of id, name and aliases for search. Every relationship except `MENTIONS` carries `sources` (Source ids) "
            "and `quotes` (the supporting sentence for each source), plus `claims` (what each source stated "
            "of it, as JSON) and, on `MENTIONS`, what the source said of the entity: bookkeeping for "
            "replacing and unloading a source (docs/data-format.md), left out of exports, pictures and "
            "query rows. A relationship may carry "
            + ", ".join(f"`{p}`" for p in self.rel_common)
            + f". Statuses: {', '.join(self.statuses)}.",
            "",
            "```mermaid",
            "flowchart LR",
        ]
        for rel in self.relationships.values():
            if rel.name == "MENTIONS":
                continue
            for a in rel.start:
                for b in rel.end:
                    out.append(f"  {a} -- {rel.name} --> {b}")
        out += ["  Source -. MENTIONS .-> any_entity[any entity]", "```", "", "## Labels", ""]
        for lab in self.labels.values():
            out += [f"### {lab.name}", "", lab.description, "",
                    "| property | type | required | values |", "| --- | --- | --- | --- |",
                    "| `id` | string | key (unique) | |", "| `name` | string | yes | |",
                    "| `aliases` | list[string] | no | |"]
            for p in lab.properties.values():
                out.append(f"| `{p.name}` | {p.type} | {'yes' if p.required else 'no'} | "
                           f"{', '.join(p.enum) if p.enum else ''} |")
            out.append("")
        out += ["## Relationship types", "",
                "| type | from | to | key | properties | meaning |",
                "| --- | --- | --- | --- | --- | --- |"]
        for rel in self.relationships.values():
            props = ", ".join(f"`{p.name}`: {p.type}{' (required)' if p.required else ''}"
                              for p in rel.properties.values())
            out.append(f"| `{rel.name}` | {', '.join(rel.start)} | {', '.join(rel.end)} | "
                       f"{', '.join(rel.key)} | {props} | {rel.description} |")
        return "\n".join(out) + "\n"


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _props(raw: dict | None, where: str) -> dict[str, Prop]:
    props = {}
    for name, spec in (raw or {}).items():
        if isinstance(spec, str):
            spec = {"type": spec}
        if spec.get("type") not in TYPES:
            raise ValueError(f"{where}.{name}: unknown type {spec.get('type')!r}; use one of {TYPES}")
        props[name] = Prop(name, spec["type"], bool(spec.get("required")),
                           tuple(spec["enum"]) if spec.get("enum") else None,
                           spec.get("description", ""))
    return props


def parse_model(raw: dict, source_file: Path = MODEL_FILE) -> Model:
    labels = {
        name: Label(name, spec.get("description", ""), _props(spec.get("properties"), name))
        for name, spec in raw["labels"].items()
    }
    rels = {}
    for name, spec in raw["relationships"].items():
        for lab in list(spec["from"]) + list(spec["to"]):
            if lab not in labels:
                raise ValueError(f"relationship {name} names unknown label {lab}")
        rels[name] = RelType(name, spec.get("description", ""), tuple(spec["from"]),
                             tuple(spec["to"]), _props(spec.get("properties"), name),
                             tuple(spec.get("key", ())))
    return Model(labels, rels, _props(raw.get("relationship_properties"), "relationships"),
                 tuple(raw.get("statuses", ())), source_file)


@lru_cache(maxsize=None)
def load_model(path: Path = MODEL_FILE) -> Model:
    with open(path, encoding="utf-8") as fh:
        return parse_model(yamlio.load(fh), path)
