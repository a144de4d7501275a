"""Graph inspection for the tests and the reliability harness: the canonical dump and the counts.

`dump` is the canonical, order-independent dump of the whole graph that tests/conftest.py
exports to every test: two loads give equal dumps exactly when they made the same nodes
and relationships with the same properties. `duplicates` counts what MERGE should never
make twice; `count_rels_settled` waits for a killed client's last commit to finish.
"""

from __future__ import annotations

import time

import neo4j

from motorgraph.model import load_model, shown_rel_props


def dump(driver: neo4j.Driver, database: str | None = None, data_only: bool = False) -> list:
    """A canonical, order-independent dump of the whole graph: [sorted nodes, sorted relationships].
    With data_only, relationships without the per-source bookkeeping (motorgraph.model.shown_rel_props)."""
    with driver.session(database=database) as s:
        nodes = sorted(
            (sorted(r["labels"]), sorted((k, repr(v)) for k, v in r["props"].items()))
            for r in s.run("MATCH (n) RETURN labels(n) AS labels, properties(n) AS props")
        )
        rels = sorted(
            (r["a"], r["t"], r["b"], sorted((k, repr(v)) for k, v in
                                            (shown_rel_props(r["t"], r["props"]) if data_only
                                             else r["props"]).items()))
            for r in s.run("MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, b.id AS b, "
                           "properties(r) AS props")
        )
    return [nodes, rels]


def duplicates(driver: neo4j.Driver, database: str | None = None) -> dict:
    """Nodes sharing a label and id, relationships sharing endpoints, type and key properties."""
    keys = {name: list(t.key) for name, t in load_model().relationships.items()}
    with driver.session(database=database) as s:
        nodes = s.run("MATCH (n) UNWIND labels(n) AS l WITH l, n.id AS id, count(*) AS c WHERE c > 1 "
                      "RETURN count(*) AS groups, coalesce(sum(c - 1), 0) AS extra").single()
        rels = s.run("MATCH (a)-[r]->(b) WITH elementId(a) AS a, type(r) AS t, elementId(b) AS b, "
                     "[k IN coalesce($keys[type(r)], []) | r[k]] AS key, count(*) AS c WHERE c > 1 "
                     "RETURN count(*) AS groups, coalesce(sum(c - 1), 0) AS extra", keys=keys).single()
    return {"nodes": nodes["extra"], "relationships": rels["extra"]}


def count_rels(driver: neo4j.Driver, database: str | None = None) -> int:
    with driver.session(database=database) as s:
        return s.run("MATCH ()-[r]->() RETURN count(r) AS c").single()["c"]


def count_rels_settled(driver: neo4j.Driver, database: str | None = None, timeout: float = 60) -> int:
    """The relationship count once no other transaction is open: a killed client's last commit
    may still be finishing on the server (the loader writes from two threads)."""
    wait_no_transactions(driver, database, timeout)
    return count_rels(driver, database)


def open_transactions(driver: neo4j.Driver, database: str | None = None) -> list[dict]:
    """The server's open transactions but the asking one: id, seconds open, locks held (a
    transaction holding locks has written) and status ("Running", "Blocked by: [...]", ...)."""
    with driver.session(database=database) as s:
        return [r.data() for r in s.run(
            "SHOW TRANSACTIONS YIELD transactionId AS id, currentQuery, elapsedTime, activeLockCount, status "
            "WHERE NOT currentQuery STARTS WITH 'SHOW TRANSACTIONS' "
            "RETURN id, elapsedTime.milliseconds / 1000.0 AS seconds, activeLockCount AS locks, status")]


def wait_no_transactions(driver: neo4j.Driver, database: str | None = None, timeout: float = 60) -> bool:
    """Wait until no other transaction is open (a killed client's is rolled back or committed)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not open_transactions(driver, database):
            return True
        time.sleep(0.1)
    return False


def wipe(driver: neo4j.Driver, database: str | None = None) -> None:
    """Delete every node and relationship (in batches); constraints and indexes stay."""
    with driver.session(database=database) as s:
        s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS").consume()
