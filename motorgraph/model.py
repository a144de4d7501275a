"""The data model (schema/model.yaml) and everything derived from it.

One file says which labels, keys, properties and relationship types exist; this module
reads it and derives the constraints and indexes (schema/constraints.cypher), the model
documentation (docs/model.md) and the type checks the loader runs.
"""

from __future__ import annotations

import datetime as _dt
import functools
import math
import re
import reprlib
import unicodedata
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
SOURCES_INDEX = "fact_sources"  # each fact's `sources` (article ids), whole: the facts one article gives
MARKETS_INDEX = "assembly_markets"  # each ASSEMBLES_FOR's kept `markets` (loaders/markets.py), whole
# `keys`, the lowercased id, name and aliases, is what KEY_INDEX holds; the loader keeps it.
KEYS_CYPHER = "[x IN [n.id, n.name] + coalesce(n.aliases, []) | toLower(x)]"
# Kept by the loader; left out of rows, pictures and exports: `keys`, and the counts of
# schema/model.yaml's `counts` section (loaders/counts.py).
DERIVED_NODE_PROPS = frozenset({"keys", "relationship_count", "partner_count"})
# Per-source bookkeeping for replacing and unloading a source (docs/data-format.md): a fact's
# `claims` (parallel to `sources`/`quotes`) and every property of MENTIONS (what the source
# said of the entity), and the `markets` the graph keeps on ASSEMBLES_FOR (loaders/markets.py).
# Left out of rows, pictures and exports like `keys`.
DERIVED_REL_PROPS = frozenset({"claims", "markets"})
# What the graph keeps on a relationship type's relationships (never loaded): type -> {property: what it is}.
KEPT_REL_PROPS = {"ASSEMBLES_FOR": {"markets": "the countries and regions its assembler, or a plant the "
                                               "assembler operates or owns, lies in"}}


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


def year_as_date(v: Any) -> Any:
    """An unquoted year (`since: 2023`) is the date it says; any other value is left as written."""
    if _integer(v) and 1000 <= v <= 9999:
        return str(v)
    return v


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


# Characters no stored string may hold: control characters (C0, DEL, C1) and the invisible
# bidirectional controls that make text display as something other than it is. A `multiline`
# property may hold tab, line feed and carriage return (the quote normaliser folds them).
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_BAD_CHAR = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{_BIDI}]")
_BAD_CHAR_MULTILINE = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f{_BIDI}]")
_C0_NAMES = {0x00: "NUL", 0x09: "TAB", 0x0A: "LINE FEED", 0x0D: "CARRIAGE RETURN", 0x1B: "ESC", 0x7F: "DELETE"}
# Keys a property spec in the model file may have.
SPEC_KEYS = frozenset({"type", "required", "enum", "description", "min", "max", "max_bytes", "max_items",
                       "min_chars", "min_words", "multiline"})


def _char_name(ch: str) -> str:
    code = ord(ch)
    name = _C0_NAMES.get(code) or unicodedata.name(ch, "a control character")
    return f"U+{code:04X} ({name})"


@dataclass(frozen=True)
class Prop:
    name: str
    type: str
    required: bool = False
    enum: tuple[str, ...] | None = None
    description: str = ""
    min: int | float | None = None  # numbers: the smallest and largest value that means something
    max: int | float | None = None
    max_bytes: int | None = None  # strings (each item of a list): UTF-8 bytes at most
    max_items: int | None = None  # lists: items at most
    min_chars: int = 0  # strings: characters and words at least (a quote must say something)
    min_words: int = 0
    multiline: bool = False  # free text: may hold tabs and line breaks, and begin or end with them

    def stored(self, value: Any) -> Any:
        """The value as it is stored: a date given as a bare year becomes the string of that year."""
        return year_as_date(value) if self.type == "date" else value

    def check(self, value: Any, field: str | None = None) -> str | None:
        """None if `value` fits; otherwise what is wrong, phrased as the fix.
        `field` names the value in the message (default: the property's name)."""
        name = field or self.name
        t = self.type
        ok = _TYPE_CHECKS[t]
        if not ok(value):
            hint = {"date": "a real date written YYYY-MM-DD, YYYY-MM or YYYY"}.get(t, f"a {t}")
            return f"`{name}` must be {hint}, not {_show(value)}"
        if isinstance(value, str):
            return self._check_string(value, f"`{name}`")
        if isinstance(value, list):
            if self.max_items is not None and len(value) > self.max_items:
                return (f"`{name}` has {len(value)} items, over the limit of {self.max_items}; "
                        "keep the spellings people use")
            for i, item in enumerate(value, 1):
                if (err := self._check_string(item, f"`{name}` item {i}")) is not None:
                    return err
            return None
        if isinstance(value, bool):
            return None
        return self._check_number(value, name)

    def _check_number(self, value: int | float, name: str) -> str | None:
        # Neo4j stores 64-bit integers; a bigger one would fail half-way through the write.
        if isinstance(value, int) and not _INT64[0] <= value <= _INT64[1]:
            return f"`{name}` is out of range ({_INT64[0]} to {_INT64[1]}): {_show(value)}"
        # NaN and infinity are stored, but mean nothing here and are not valid JSON on export.
        if isinstance(value, float) and not math.isfinite(value):
            return f"`{name}` must be a finite number, not {value}; give the number or leave it out"
        if (self.min is not None and value < self.min) or (self.max is not None and value > self.max):
            return f"`{name}` must be {self.range_text()}, not {_show(value)}; fix the value"
        return None

    def _check_string(self, value: str, what: str) -> str | None:
        """`what`: the value as messages name it (`name`, `aliases` item 2)."""
        bad = (_BAD_CHAR_MULTILINE if self.multiline else _BAD_CHAR).search(value)
        if bad:
            return (f"{what} holds the invisible character {_char_name(bad.group())} at character "
                    f"{bad.start() + 1}; remove it")
        if not value.strip():
            return f"{what} is blank; give it a value or leave it out"
        if not self.multiline and value != value.strip():
            return f"{what} begins or ends with a space ({_show(value)}); remove the space"
        # Cheap first: a string of n characters has at most 4n bytes.
        if self.max_bytes is not None and len(value) * 4 > self.max_bytes:
            size = len(value.encode("utf-8"))
            if size > self.max_bytes:
                return (f"{what} is {size} bytes long (UTF-8), over the limit of {self.max_bytes}; shorten it")
        if self.min_chars or self.min_words:
            words = len(value.split())
            if len(value) < self.min_chars or words < self.min_words:
                return (f"{what} is too short ({len(value)} characters, {words} words): it needs at least "
                        f"{self.min_words} words and {self.min_chars} characters; quote the whole sentence")
        if self.enum and value not in self.enum:
            return f"{what} must be one of {', '.join(self.enum)}, not {_show(value)}"
        return None

    def range_text(self) -> str:
        if self.min is not None and self.max is not None:
            return f"from {self.min} to {self.max}"
        return f"at least {self.min}" if self.min is not None else f"at most {self.max}"

    def rules(self, usual_bytes: int | None = None) -> str:
        """The value rules, for the model documentation (a size of `usual_bytes` goes unsaid)."""
        out = [", ".join(self.enum)] if self.enum else []
        if self.min is not None or self.max is not None:
            out.append(self.range_text())
        if self.type == "float":
            out.append("finite")
        if self.max_items is not None:
            out.append(f"at most {self.max_items} items")
        if self.max_bytes not in (None, usual_bytes) and not self.enum:
            out.append(f"at most {self.max_bytes} bytes" + (" each" if self.type == "list[string]" else ""))
        if self.min_words or self.min_chars:
            out.append(f"at least {self.min_words} words and {self.min_chars} characters")
        if self.multiline:
            out.append("multi-line text")
        return "; ".join(out)


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
    allow_self: bool = False  # may a relationship of this type start and end at the same entity?

    @property
    def provenance(self) -> bool:
        return self.name != "MENTIONS"


@dataclass(frozen=True)
class Counts:
    """Counts the graph keeps on some labels' nodes (derived: loaders/counts.py keeps them)."""
    labels: tuple[str, ...] = ()
    properties: dict[str, str] = field(default_factory=dict)  # name -> what it counts
    indexed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Model:
    labels: dict[str, Label]
    relationships: dict[str, RelType]
    rel_common: dict[str, Prop]
    statuses: tuple[str, ...]
    source_file: Path = field(default=MODEL_FILE)
    node_common: dict[str, Prop] = field(default_factory=dict)  # id, name, aliases
    evidence: dict[str, Prop] = field(default_factory=dict)  # the quote every fact carries
    limits: dict[str, int] = field(default_factory=dict)
    counts: Counts = field(default_factory=Counts)

    def derived_props(self, label: str) -> dict[str, str]:
        """Properties of `label`'s nodes that the graph keeps itself (name -> what it is)."""
        return dict(self.counts.properties) if label in self.counts.labels else {}

    @staticmethod
    def derived_rel_props(rtype: str) -> dict[str, str]:
        """Properties of `rtype`'s relationships that the graph keeps itself (name -> what it is)."""
        return dict(KEPT_REL_PROPS.get(rtype, {}))

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
        # A list property has no range index; a full-text index keeps each item as one term.
        fact_types = "|".join(n for n in self.relationships if n != "MENTIONS")
        stmts.append(
            f"CREATE FULLTEXT INDEX {SOURCES_INDEX} IF NOT EXISTS "
            f"FOR ()-[r:{fact_types}]-() ON EACH [r.sources] "
            "OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}}"
        )
        stmts.append(
            f"CREATE FULLTEXT INDEX {MARKETS_INDEX} IF NOT EXISTS "
            "FOR ()-[r:ASSEMBLES_FOR]-() ON EACH [r.markets] "
            "OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}}"
        )
        for lab in self.labels.values():
            for prop in lab.properties.values():
                if prop.type in ("integer", "float") or prop.name in ("kind", "status"):
                    stmts.append(
                        f"CREATE INDEX {_snake(lab.name)}_{prop.name} IF NOT EXISTS "
                        f"FOR (n:{lab.name}) ON (n.{prop.name})"
                    )
        for name, label, prop in self.count_indexes():
            stmts.append(f"CREATE INDEX {name} IF NOT EXISTS FOR (n:{label}) ON (n.{prop})")
        return stmts

    def count_indexes(self) -> list[tuple[str, str, str]]:
        """(index name, label, property) of each range index on a kept count."""
        return [(f"{_snake(label)}_{prop}", label, prop) for label in self.counts.labels for prop in self.counts.indexed]

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
            "of id, name and aliases for search. Every relationship except `MENTIONS` carries `sources` (Source ids, "
            f"each one term of the full-text index `{SOURCES_INDEX}`: the facts one article gives) "
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
        out += ["  Source -. MENTIONS .-> any_entity[any entity]", "```", ""]
        out += self._markdown_rules()
        out += ["## Labels", ""]
        usual = self.limits["string_bytes"]
        for lab in self.labels.values():
            out += [f"### {lab.name}", "", lab.description, "",
                    "| property | type | required | values |", "| --- | --- | --- | --- |"]
            for p in list(self.node_common.values()) + list(lab.properties.values()):
                required = "key (unique)" if p.name == "id" else "yes" if p.required else "no"
                out.append(f"| `{p.name}` | {p.type} | {required} | {p.rules(usual)} |")
            for name, what in self.derived_props(lab.name).items():
                out.append(f"| `{name}` | integer | derived | {what}; kept by the graph, never loaded |")
            out.append("")
        out += self._markdown_counts()
        out += ["## Relationship types", "",
                "| type | from | to | key | properties | meaning |",
                "| --- | --- | --- | --- | --- | --- |"]
        for rel in self.relationships.values():
            props = ", ".join(f"`{p.name}`: {p.type}{' (required)' if p.required else ''}"
                              + (f" ({p.rules(usual)})" if p.rules(usual) else "") for p in rel.properties.values())
            out.append(f"| `{rel.name}` | {', '.join(rel.start)} | {', '.join(rel.end)} | "
                       f"{', '.join(rel.key)} | {props} | {rel.description} |")
        return "\n".join(out) + "\n"

    def _markdown_counts(self) -> list[str]:
        if not self.counts.labels:
            return []
        props = ", ".join(f"`{p}`" for p in self.counts.properties)
        indexed = ", ".join(f"`{p}`" for p in self.counts.indexed)
        return [
            "## Derived counts", "",
            f"Every {', '.join(self.counts.labels)} node keeps {props} (the tables above say what each "
            "counts). They are derived data: the graph keeps them, the loader refuses input that sets them, "
            "and every write (a load's batches, a replacing load, `motorgraph unload`) recomputes them in "
            "the transaction that changes the relationships, so they never lag. "
            f"{indexed} has a range index per label: `most-connected` reads the top of it. "
            "They are left out of exports and query rows' entity properties; the canonical dump of the "
            "tests keeps them, so a wrong count shows as a difference. "
            "The bulk path writes them into its import files. After building a store without the "
            "loader (`neo4j-admin database import`), `loaders.counts.refresh_all_counts` computes them.",
            "",
            "## Derived markets", "",
            "Every `ASSEMBLES_FOR` relationship keeps `markets`: the ids, sorted, of the Country and Region "
            "nodes its assembler lies in, up to three `LOCATED_IN` hops away (for a company assembler, also "
            "where the plants it `OPERATES` or `OWNS` lie). Each id is one term of the full-text index "
            f"`{MARKETS_INDEX}` (keyword analyzer): `foreign-assembly` starts from the market's assemblies. "
            "Like the counts it is derived data, kept in the transaction of every write that changes an "
            "`ASSEMBLES_FOR`, `OPERATES`, `OWNS` or `LOCATED_IN` (loaders/markets.py), never loaded and "
            "left out of exports and query rows; `loaders.markets.refresh_all_markets` computes it for a "
            "store built without the loader.",
            "",
        ]

    def _markdown_rules(self) -> list[str]:
        self_ok = [r.name for r in self.relationships.values() if r.allow_self]
        quote = self.evidence["quote"]
        return [
            "## Value rules", "",
            "The loader refuses, before anything is written, a value the model cannot mean:", "",
            "- any string with a control character (a multi-line text may hold tabs and line breaks) or an "
            "invisible bidirectional control (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069); "
            "a blank string; a one-line string with leading or trailing spaces;",
            f"- a string over its size limit in bytes of UTF-8: {self.limits['string_bytes']} unless the "
            "tables below say otherwise, so no index key comes near Neo4j's limits;",
            "- a float that is NaN or infinite, a number outside its range (the tables below);",
            f"- a quote of fewer than {quote.min_words} words or {quote.min_chars} characters, or over "
            f"{quote.max_bytes} bytes;",
            "- a relationship from an entity to itself"
            + (f" (except {', '.join(self_ok)})." if self_ok else " (no type allows one)."),
            "",
        ]


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _props(raw: dict | None, where: str, limits: dict) -> dict[str, Prop]:
    props = {}
    for name, spec in (raw or {}).items():
        if isinstance(spec, str):
            spec = {"type": spec}
        if spec.get("type") not in TYPES:
            raise ValueError(f"{where}.{name}: unknown type {spec.get('type')!r}; use one of {TYPES}")
        if unknown := set(spec) - SPEC_KEYS:
            raise ValueError(f"{where}.{name}: unknown key(s) {sorted(unknown)}; use {sorted(SPEC_KEYS)}")
        max_bytes = spec.get("max_bytes")
        if max_bytes is None and spec["type"] in ("string", "list[string]"):
            max_bytes = limits["string_bytes"]
        props[name] = Prop(name, spec["type"], bool(spec.get("required")),
                           tuple(spec["enum"]) if spec.get("enum") else None,
                           spec.get("description", ""), spec.get("min"), spec.get("max"), max_bytes,
                           spec.get("max_items"), spec.get("min_chars", 0), spec.get("min_words", 0),
                           bool(spec.get("multiline")))
    return props


def _counts(raw: dict | None, labels: dict[str, Label]) -> Counts:
    if not raw:
        return Counts()
    names = tuple(raw.get("labels", ()))
    props = {str(k): str(v) for k, v in (raw.get("properties") or {}).items()}
    indexed = tuple(raw.get("indexed", ()))
    for name in names:
        if name not in labels:
            raise ValueError(f"counts.labels names unknown label {name}")
        if clash := set(props) & (set(labels[name].properties) | set(NODE_COMMON)):
            raise ValueError(f"counts.properties {sorted(clash)} are also properties of {name}")
    if unknown := set(indexed) - set(props):
        raise ValueError(f"counts.indexed names {sorted(unknown)}, not in counts.properties")
    return Counts(names, props, indexed)


def parse_model(raw: dict, source_file: Path = MODEL_FILE) -> Model:
    limits = raw["limits"]
    labels = {
        name: Label(name, spec.get("description", ""), _props(spec.get("properties"), name, limits))
        for name, spec in raw["labels"].items()
    }
    rels = {}
    for name, spec in raw["relationships"].items():
        for lab in list(spec["from"]) + list(spec["to"]):
            if lab not in labels:
                raise ValueError(f"relationship {name} names unknown label {lab}")
        rels[name] = RelType(name, spec.get("description", ""), tuple(spec["from"]),
                             tuple(spec["to"]), _props(spec.get("properties"), name, limits),
                             tuple(spec.get("key", ())), bool(spec.get("allow_self")))
    node_common = _props(raw["node_properties"], "node_properties", limits)
    counts = _counts(raw.get("counts"), labels)
    if tuple(node_common) != NODE_COMMON:
        raise ValueError(f"node_properties must be {', '.join(NODE_COMMON)}")
    return Model(labels, rels, _props(raw.get("relationship_properties"), "relationships", limits),
                 tuple(raw.get("statuses", ())), source_file, node_common,
                 _props(raw["evidence"], "evidence", limits), dict(limits), counts)


@lru_cache(maxsize=None)
def load_model(path: Path = MODEL_FILE) -> Model:
    with open(path, encoding="utf-8") as fh:
        return parse_model(yamlio.load(fh), path)
