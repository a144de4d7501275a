"""Saved queries only read: Neo4j plans every query file as read-only before it first runs
(EXPLAIN, summary.query_type "r"), and the query itself runs in a READ transaction.
"""

from __future__ import annotations

import os

import pytest

from motorgraph import library as L
from motorgraph.errors import QueryError
from motorgraph.library import run as run_module
from query_helpers import ALL, NAMES

HEADER = "// Does it write?\n// name: {name}\n// param: id string example=kamaz An id\n// returns: n (graph: it)\n"


def query_file(directory, name: str, cypher: str, mtime: int | None = None) -> L.SavedQuery:
    """A query file in `directory` (a made-up queries/), read back through get_query."""
    f = directory / f"{name}.cypher"
    f.write_text(HEADER.format(name=name) + cypher + "\n", encoding="utf-8")
    if mtime is not None:
        os.utime(f, ns=(mtime, mtime))
    return L.get_query(name, directory)


@pytest.mark.parametrize("query", ALL, ids=NAMES)
def test_neo4j_plans_every_shipped_query_as_read_only(seed, neo4j_server, query):
    assert L.check_read_only(seed, query, database=neo4j_server.database) == "r"


WRITES = [
    "CREATE (n:X {id: $id}) RETURN n",
    "MATCH (n:Company) SET n.kind = $id RETURN n",
    "MATCH (n {id: $id}) DETACH DELETE n",
    "MATCH (n {id: $id})-[r]->() DELETE r",
    "MERGE (n:X {id: $id}) RETURN n",
    "MATCH (n:Company {id: $id}) REMOVE n.kind RETURN n",
    "MATCH (n {id: $id}) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10 ROWS",
    "MATCH (n {id: $id}) FOREACH (x IN [1] | SET n.y = x)",
    "match (n {id: $id}) set n.x = 1",
    "// only reads?\nMATCH (n {name: 'CREATE'}) WHERE n.id = $id /* SET */ CREATE (m:X) RETURN n",
]


@pytest.mark.parametrize("cypher", WRITES)
def test_a_query_file_that_would_write_is_refused_naming_the_file(seed, neo4j_server, tmp_path, cypher):
    def state():
        with seed.session(database=neo4j_server.database) as s:
            return (s.run("MATCH (n) RETURN count(n) AS c").single()["c"],
                    s.run("MATCH ()-[r]->() RETURN count(r) AS c").single()["c"],
                    s.run("MATCH (c {id: 'kamaz'}) RETURN properties(c) AS p").single()["p"])

    query = query_file(tmp_path, "sneaky-write", cypher)
    before = state()
    with pytest.raises(QueryError, match="would write") as err:
        L.run_query(seed, query, {"id": "kamaz"}, database=neo4j_server.database)
    assert str(query.path) in str(err.value)
    assert state() == before


def test_words_of_write_clauses_in_comments_strings_and_names_do_not_count(seed, neo4j_server, tmp_path):
    query = query_file(tmp_path, "only-reads", (
        "// we never CREATE, MERGE or SET anything here\n"
        "/* DETACH DELETE */ MATCH (n {name: 'MERGE SET DELETE'}) WHERE n.status = \"LOAD CSV\" AND n.id = $id\n"
        "RETURN n, n.settings AS `SET`"))
    assert L.check_read_only(seed, query, database=neo4j_server.database) == "r"


def test_the_verdict_is_asked_once_per_file_and_again_when_it_changes(seed, neo4j_server, tmp_path, monkeypatch):
    explained = []
    real_session = run_module._session

    def counting_session(driver, database):  # passes everything through; notes each EXPLAIN
        session = real_session(driver, database)
        run = session.run

        def noting_run(cypher, *args, **kw):
            if cypher.startswith("EXPLAIN"):
                explained.append(cypher)
            return run(cypher, *args, **kw)
        session.run = noting_run
        return session

    monkeypatch.setattr(run_module, "_session", counting_session)
    db = neo4j_server.database
    query = query_file(tmp_path, "changing", "MATCH (c:Company {id: $id}) RETURN c AS n", mtime=10**18)
    for _ in range(3):
        assert len(L.run_query(seed, query, {"id": "kamaz"}, database=db).nodes) == 1
    assert len(explained) == 1
    # The same file now writes: a new mtime and size, a new verdict.
    query = query_file(tmp_path, "changing", "MATCH (c:Company {id: $id}) SET c.changed = true RETURN c AS n",
                       mtime=10**18 + 10**9)
    with pytest.raises(QueryError, match="changing.cypher: the saved query changing would write"):
        L.run_query(seed, query, {"id": "kamaz"}, database=db)
    with pytest.raises(QueryError, match="would write"):
        L.run_query(seed, query, {"id": "kamaz"}, database=db)
    assert len(explained) == 2


def test_the_read_transaction_refuses_a_write_all_the_same(seed, neo4j_server):
    """The runtime guard under the verdict: saved queries run in READ transactions."""
    db = neo4j_server.database
    for cypher in ("CREATE (n:MustNotExist {id: $id}) RETURN n",
                   "MERGE (n:MustNotExist {id: $id}) RETURN n",
                   "MATCH (c:Company {id: $id}) SET c.hacked = true RETURN c"):
        with pytest.raises(QueryError, match="read transactions"):
            L.read_records(seed, db, cypher, {"id": "kamaz"}, "sneaky-write")
    with seed.session(database=db) as s:
        assert s.run("MATCH (n:MustNotExist) RETURN count(n) AS c").single()["c"] == 0
        assert s.run("MATCH (c:Company {id: 'kamaz'}) RETURN c.hacked AS h").single()["h"] is None


def test_parameters_are_typed_once_per_run(seed, neo4j_server, monkeypatch):
    calls = []
    real = run_module.coerce_params
    monkeypatch.setattr(run_module, "coerce_params", lambda *a, **kw: calls.append(a[1]) or real(*a, **kw))
    db = neo4j_server.database
    query = L.get_query("partnership-network")
    rows = L.run_query(seed, query, {"company": "Russia", "hops": "2"}, database=db).rows
    assert len(calls) == 1 and rows
    # Values typed beforehand (what the CLI, viz and demo do) are not typed again.
    values = L.coerce_params(query, {"company": "Russia", "hops": "2"})
    assert isinstance(values, L.Values) and values == {"company": "Russia", "hops": 2, "limit": 25}
    assert L.run_query(seed, "partnership-network", values, database=db).rows == rows
    L.explain(seed, query, values, database=db)
    assert len(calls) == 1
    # ...unless they were typed for another query.
    other = L.coerce_params(L.get_query("partners"), {"company": "Russia"})
    with pytest.raises(QueryError, match="unknown parameter 'company'"):
        L.run_query(seed, "most-connected", other, database=db)
