"""Apply and check the constraints and indexes in schema/constraints.cypher; regenerate derived files.

Besides the statements, the indexes' states matter: an index that is FAILED (e.g. a full-text
index that refused a value) makes every query that uses it fail. `check_schema` reports every
index that is not ONLINE; `apply_schema` rebuilds the file's FAILED ones and waits until all are
ONLINE.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import neo4j

from motorgraph.errors import DatabaseError
from motorgraph.model import KEY_INDEX, KEYS_CYPHER, MARKETS_INDEX, load_model
from motorgraph.neo4jlog import summary
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
    # On relationships (types instead of labels): fact_sources.
    (re.compile(r"CREATE FULLTEXT INDEX (\w+) IF NOT EXISTS FOR \(\)-\[r:([\w|]+)\]-\(\) ON EACH \[([^\]]+)\]"), "FULLTEXT"),
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
                props = tuple(p.strip().removeprefix("n.").removeprefix("r.") for p in m.group(3).split(","))
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


@dataclass(frozen=True)
class IndexState:
    """One row of SHOW INDEXES: how far the index is from serving queries."""

    name: str
    type: str
    state: str  # ONLINE, POPULATING or FAILED
    percent: float
    failure: str  # Neo4j's failureMessage: a Java stack trace
    owner: str | None  # the constraint that owns the index, if one does

    def describe(self) -> str:
        what = f"{self.type} index {self.name}" + (f" (of constraint {self.owner})" if self.owner else "")
        if self.state == "FAILED":
            return f"{what} is FAILED: {summary(self.failure)}"
        return f"{what} is {self.state}, {self.percent:.0f}% populated"


def index_states(session: neo4j.Session) -> list[IndexState]:
    """Every index that is not ONLINE."""
    res = session.run("SHOW INDEXES YIELD name, type, state, populationPercent, failureMessage, owningConstraint "
                      "WHERE state <> 'ONLINE' RETURN * ORDER BY name")
    return [IndexState(r["name"], r["type"], r["state"], r["populationPercent"] or 0.0,
                       r["failureMessage"] or "", r["owningConstraint"]) for r in res]


def statement_names(path: Path = CONSTRAINTS_FILE) -> dict[str, str]:
    """Each constraint's or index's name in the file, to its statement."""
    names = {}
    for stmt in statements(path):
        m = re.match(r"CREATE (?:\w+ )*?(?:CONSTRAINT|INDEX) (\w+) ", stmt)
        if m:
            names[m.group(1)] = stmt
    return names


@dataclass
class SchemaApplied:
    statements: list[str]  # every statement run (each IF NOT EXISTS)
    repaired: dict[str, str]  # each FAILED index (or its constraint) dropped and created again: why it had failed

    def text(self) -> str:
        lines = [f"Applied {len(self.statements)} constraint/index statements "
                 "(existing ones left as they were)."]
        lines += [f"Repaired {name}: it was FAILED ({why}); dropped, created again, and ONLINE now."
                  for name, why in self.repaired.items()]
        return "\n".join(lines)


def _counts_index() -> str | None:
    """The name of the first index on a kept count (schema/model.yaml `counts`): a database
    without it has never had its counts computed."""
    indexes = load_model().count_indexes()
    return indexes[0][0] if indexes else None


def apply_schema(driver: neo4j.Driver, database: str | None = None,
                 path: Path = CONSTRAINTS_FILE, timeout: float = 300.0,
                 refresh_counts: bool = True) -> SchemaApplied:
    """Run every statement (each is IF NOT EXISTS) and wait until every index is ONLINE.

    A FAILED index of the file's (or its constraint) is dropped first, so its statement
    builds it again from the data. `DatabaseError` if an index fails or is still not online
    after `timeout` seconds. A database without the counts index (written before the graph
    kept counts) gets its organisations' counts, and one without the markets index its
    assemblies' markets, unless `refresh_counts` is false (the bulk path computes both itself,
    before the indexes exist).
    """
    stmts = statements(path)
    by_name = statement_names(path)
    repaired = {}
    with driver.session(database=database) as session:
        had_keys = session.run("SHOW INDEXES YIELD name WHERE name = $name RETURN count(*) AS c",
                               name=KEY_INDEX).single()["c"] > 0
        had_markets = session.run("SHOW INDEXES YIELD name WHERE name = $name RETURN count(*) AS c",
                                  name=MARKETS_INDEX).single()["c"] > 0
        counts_index = _counts_index()
        had_counts = counts_index is None or session.run(
            "SHOW INDEXES YIELD name WHERE name = $name RETURN count(*) AS c", name=counts_index).single()["c"] > 0
        for index in index_states(session):
            target = index.owner or index.name
            if index.state == "FAILED" and target in by_name:
                # The name comes from constraints.cypher (\w+), never from input.
                session.run(f"DROP {'CONSTRAINT' if index.owner else 'INDEX'} `{target}` IF EXISTS").consume()
                repaired[target] = summary(index.failure)
        for stmt in stmts:
            session.run(stmt).consume()
        if not had_keys:
            # A database loaded before the key index existed: give its entities their keys.
            session.run("MATCH (n) WHERE n.keys IS NULL AND n.id IS NOT NULL AND n.name IS NOT NULL AND NOT n:Source "
                        f"CALL (n) {{ SET n.keys = {KEYS_CYPHER} }} IN TRANSACTIONS OF 10000 ROWS").consume()
    if not had_counts and refresh_counts:
        # A database written before the graph kept counts (or built by neo4j-admin import).
        from motorgraph.loaders.counts import refresh_all_counts

        refresh_all_counts(driver, database)
    if not had_markets and refresh_counts:
        # A database written before the graph kept the assemblies' markets.
        from motorgraph.loaders.markets import refresh_all_markets

        refresh_all_markets(driver, database)
    with driver.session(database=database) as session:
        _await_online(session, timeout, set(by_name), set(repaired))
    return SchemaApplied(stmts, repaired)


def _await_online(session: neo4j.Session, timeout: float, ours: set[str], rebuilt: set[str]) -> None:
    deadline = time.monotonic() + timeout
    while True:
        pending = index_states(session)
        failed = [i for i in pending if i.state == "FAILED"]
        if failed:
            lines = []
            for i in failed:
                target = i.owner or i.name
                if target in rebuilt:
                    fix = ("it was created again and failed again: the graph holds a value it refuses; "
                           "fix or delete that value, then run `motorgraph schema apply` again")
                elif target in ours:
                    fix = "run `motorgraph schema apply` again to rebuild it"
                else:
                    fix = f"it is not in constraints.cypher: drop it (DROP {'CONSTRAINT' if i.owner else 'INDEX'} {target})"
                lines.append(f"  - {i.describe()}\n    ({fix})")
            raise DatabaseError("an index is FAILED, so queries that use it fail:\n" + "\n".join(lines))
        if not pending:
            return
        if time.monotonic() >= deadline:
            raise DatabaseError(
                f"indexes are still not online after {timeout:g}s (Neo4j keeps building them; "
                "`motorgraph schema check` shows how far):\n" + "\n".join(f"  - {i.describe()}" for i in pending))
        time.sleep(0.5)


@dataclass
class SchemaReport:
    diff: list[str]  # how the database differs from the file
    indexes: list[str]  # one line per index that is not ONLINE
    path: Path

    @property
    def ok(self) -> bool:
        return not self.diff and not self.indexes

    def text(self) -> str:
        if self.ok:
            return f"The database schema matches {self.path.parent.name}/{self.path.name}, and every index is ONLINE."
        lines = []
        if self.diff:
            lines += [f"The database schema differs from {self.path.parent.name}/{self.path.name}:", *self.diff]
        if self.indexes:
            lines += ["Indexes that are not ONLINE (queries that use them fail, or scan, until they are):",
                      *self.indexes]
        return "\n".join(lines)


def check_schema(driver: neo4j.Driver, database: str | None = None,
                 path: Path = CONSTRAINTS_FILE) -> SchemaReport:
    """How the database differs from the file, and which indexes are not ONLINE."""
    expected = expected_items(path)
    ours = statement_names(path)
    with driver.session(database=database) as session:
        actual = database_items(session)
        pending = index_states(session)
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
    indexes = []
    for i in pending:
        if i.state != "FAILED":
            fix = "Neo4j is building it: check again soon"
        elif (i.owner or i.name) in ours:
            fix = "fix: motorgraph schema apply rebuilds it"
        else:
            fix = f"not in {path.name}: drop it, or rebuild it yourself"
        indexes.append(f"! {i.describe()}  ({fix})")
    return SchemaReport(diff, indexes, path)


def write_derived(docs_dir: Path = DOCS_DIR, constraints: Path = CONSTRAINTS_FILE) -> list[Path]:
    """Regenerate docs/model.md and schema/constraints.cypher from schema/model.yaml."""
    model = load_model()
    docs_dir.mkdir(parents=True, exist_ok=True)
    md = docs_dir / "model.md"
    md.write_text(model.markdown(), encoding="utf-8")
    constraints.write_text(model.constraints_cypher(), encoding="utf-8")
    return [md, constraints]
