"""Apply and check the constraints and indexes in schema/constraints.cypher; regenerate derived files."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import neo4j

from motorgraph.model import KEY_INDEX, KEYS_CYPHER, load_model
from motorgraph.paths import CONSTRAINTS_FILE, DOCS_DIR


@dataclass(frozen=True, order=True)
class SchemaItem:
    name: str
    kind: str  # UNIQUENESS, RANGE, FULLTEXT
    entities: tuple[str, ...]
    properties: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.kind} {self.name} on {'|'.join(self.entities)}({', '.join(self.properties)})"


_PATTERNS = [
    (re.compile(r"CREATE CONSTRAINT (\w+) IF NOT EXISTS FOR \(n:(\w+)\) REQUIRE n\.(\w+) IS UNIQUE"), "UNIQUENESS"),
    (re.compile(r"CREATE FULLTEXT INDEX (\w+) IF NOT EXISTS FOR \(n:([\w|]+)\) ON EACH \[([^\]]+)\]"), "FULLTEXT"),
    (re.compile(r"CREATE INDEX (\w+) IF NOT EXISTS FOR \(n:(\w+)\) ON \(n\.(\w+)\)"), "RANGE"),
]


def statements(path: Path = CONSTRAINTS_FILE) -> list[str]:
    text = "\n".join(l for l in path.read_text(encoding="utf-8").splitlines()
                     if not l.strip().startswith("//"))
    return [s.strip() for s in text.split(";") if s.strip()]


def expected_items(path: Path = CONSTRAINTS_FILE) -> set[SchemaItem]:
    items = set()
    for stmt in statements(path):
        for pattern, kind in _PATTERNS:
            m = pattern.match(stmt)
            if m:
                props = tuple(p.strip().removeprefix("n.") for p in m.group(3).split(","))
                items.add(SchemaItem(m.group(1), kind, tuple(sorted(m.group(2).split("|"))),
                                     tuple(sorted(props))))
                break
        else:
            raise ValueError(f"{path}: statement not understood by `schema check`: {stmt[:80]}")
    return items


def database_items(session: neo4j.Session) -> set[SchemaItem]:
    items = set()
    for rec in session.run("SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties"):
        kind = "UNIQUENESS" if rec["type"] in ("UNIQUENESS", "NODE_PROPERTY_UNIQUENESS") else rec["type"]
        items.add(SchemaItem(rec["name"], kind, tuple(sorted(rec["labelsOrTypes"])),
                             tuple(sorted(rec["properties"]))))
    for rec in session.run("SHOW INDEXES YIELD name, type, labelsOrTypes, properties, owningConstraint "
                           "WHERE owningConstraint IS NULL AND type <> 'LOOKUP' RETURN *"):
        items.add(SchemaItem(rec["name"], rec["type"], tuple(sorted(rec["labelsOrTypes"])),
                             tuple(sorted(rec["properties"]))))
    return items


def apply_schema(driver: neo4j.Driver, database: str | None = None,
                 path: Path = CONSTRAINTS_FILE) -> list[str]:
    """Run every statement (each is IF NOT EXISTS); wait for indexes to come online."""
    stmts = statements(path)
    with driver.session(database=database) as session:
        had_keys = session.run("SHOW INDEXES YIELD name WHERE name = $name RETURN count(*) AS c",
                               name=KEY_INDEX).single()["c"] > 0
        for stmt in stmts:
            session.run(stmt).consume()
        if not had_keys:
            # A database loaded before the key index existed: give its entities their keys.
            session.run("MATCH (n) WHERE n.keys IS NULL AND n.id IS NOT NULL AND n.name IS NOT NULL AND NOT n:Source "
                        f"CALL (n) {{ SET n.keys = {KEYS_CYPHER} }} IN TRANSACTIONS OF 10000 ROWS").consume()
        session.run("CALL db.awaitIndexes(300)").consume()
    return stmts


def check_schema(driver: neo4j.Driver, database: str | None = None,
                 path: Path = CONSTRAINTS_FILE) -> list[str]:
    """A readable diff between the file and the database; empty when they agree."""
    expected = expected_items(path)
    with driver.session(database=database) as session:
        actual = database_items(session)
    by_name_e = {i.name: i for i in expected}
    by_name_a = {i.name: i for i in actual}
    diff = []
    for name in sorted(set(by_name_e) | set(by_name_a)):
        e, a = by_name_e.get(name), by_name_a.get(name)
        if e == a:
            continue
        if a is None:
            diff.append(f"- missing in the database: {e}  (fix: motorgraph schema apply)")
        elif e is None:
            diff.append(f"+ only in the database:    {a}  (not in {path.name}; drop it or add it to the model)")
        else:
            diff.append(f"~ differs: file has {e}; database has {a}  (drop {name}, then schema apply)")
    return diff


def write_derived(docs_dir: Path = DOCS_DIR, constraints: Path = CONSTRAINTS_FILE) -> list[Path]:
    """Regenerate docs/model.md and schema/constraints.cypher from schema/model.yaml."""
    model = load_model()
    docs_dir.mkdir(parents=True, exist_ok=True)
    md = docs_dir / "model.md"
    md.write_text(model.markdown(), encoding="utf-8")
    constraints.write_text(model.constraints_cypher(), encoding="utf-8")
    return [md, constraints]
