"""Running a saved query: Neo4j first confirms the file only reads, then it runs in a READ transaction.

The first time a query file runs in a process, Neo4j plans it (`EXPLAIN`, with the header's
example values) and must call it a read-only query (`summary.query_type == "r"`); a file
that would write is refused with a QueryError naming it. The verdict is kept per file path,
mtime and size, so this costs one EXPLAIN per file per process. The query itself then runs
in a READ transaction (`session.execute_read`), in which Neo4j refuses any write anyway.
A query that answers no rows is checked for names that match nobody (`lookup.check_names`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import neo4j
from neo4j import exceptions as neo_exc

from motorgraph.errors import QueryError
from motorgraph.library.format import SavedQuery, Values, coerce_params, get_query
from motorgraph.library.lookup import check_names
from motorgraph.library.results import QueryResult, plan_summary

# What summary.query_type means (Neo4j's own codes).
QUERY_TYPES = {"r": "read-only", "rw": "read-write", "w": "write-only", "s": "schema-changing"}

# The verdicts by file: (mtime_ns, size, cypher, query_type). The Cypher is compared too, so a
# file rewritten within one tick of the file-system clock is not mistaken for the old one.
_VERDICTS: dict[Path, tuple[int, int, str, str]] = {}


def _resolve(name: str | SavedQuery) -> SavedQuery:
    return name if isinstance(name, SavedQuery) else get_query(name)


def _typed(query: SavedQuery, params: Mapping[str, Any] | None, use_examples: bool) -> Values:
    """The values as typed by coerce_params: typed here unless they already are."""
    if isinstance(params, Values) and params.query_name == query.name:
        return params
    return coerce_params(query, params, use_examples=use_examples)


def _session(driver: neo4j.Driver, database: str | None):
    return driver.session(database=database, default_access_mode=neo4j.READ_ACCESS,
                          notifications_min_severity="OFF")


def read_records(driver: neo4j.Driver, database: str | None, cypher: str, values: Mapping[str, Any],
                 query_name: str) -> tuple[list[str], list[neo4j.Record], neo4j.ResultSummary]:
    """(keys, records, summary) of the Cypher run in a READ transaction; QueryError if it writes."""
    def work(tx):
        res = tx.run(cypher, dict(values))
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


def check_read_only(driver: neo4j.Driver, query: SavedQuery, database: str | None = None) -> str:
    """Neo4j's query type for the file ("r"); QueryError naming the file when it is not read-only."""
    try:
        st = query.path.stat()
        stamp: tuple[int, int] | None = (st.st_mtime_ns, st.st_size)
    except OSError:
        stamp = None  # no file to key the verdict by: ask every time
    hit = _VERDICTS.get(query.path)
    if stamp is not None and hit is not None and hit[:3] == (*stamp, query.cypher):
        query_type = hit[3]
    else:
        samples = {p.name: p.sample for p in query.params}
        # Auto-commit, not execute_read: Neo4j plans `CALL { ... } IN TRANSACTIONS` only there.
        with _session(driver, database) as session:
            query_type = session.run("EXPLAIN\n" + query.cypher, samples).consume().query_type or ""
        if stamp is not None:
            _VERDICTS[query.path] = (*stamp, query.cypher, query_type)
    if query_type != "r":
        kind = QUERY_TYPES.get(query_type, repr(query_type))
        raise QueryError(f"{query.path}: the saved query {query.name} would write (Neo4j plans it as a {kind} "
                         f"query); saved queries only read, so it is not run")
    return query_type


def run_query(driver: neo4j.Driver, name: str | SavedQuery, params: Mapping[str, Any] | None = None,
              database: str | None = None, profile: bool = False, use_examples: bool = False) -> QueryResult:
    """Run a saved query in a READ transaction; `params` may be strings or values (typed once)."""
    query = _resolve(name)
    values = _typed(query, params, use_examples)
    check_read_only(driver, query, database)
    cypher = ("PROFILE\n" if profile else "") + query.cypher
    keys, records, summary = read_records(driver, database, cypher, values, query.name)
    if not records:  # no rows: a real answer, or a name that matches nobody (UnknownName)
        check_names(driver, database, query, values)
    result = QueryResult.from_records(query, values, keys, records)
    if profile:
        result.profile = plan_summary(summary.profile, profiled=True)
    return result


def explain(driver: neo4j.Driver, name: str | SavedQuery, params: Mapping[str, Any] | None = None,
            database: str | None = None, use_examples: bool = False) -> dict:
    """The query's plan without running it: {"operators": [{operator, details, identifiers, depth}], "text"}."""
    query = _resolve(name)
    values = _typed(query, params, use_examples)
    _, _, summary = read_records(driver, database, "EXPLAIN\n" + query.cypher, values, query.name)
    return plan_summary(summary.plan)
