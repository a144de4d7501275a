"""What the saved-query tests share: the library, the seed graph's expectations, the golden rows.

tests/golden/<query>.json holds each saved query's expected rows: `example` with the
header's example parameters, `more` with other parameters. Like tests/seed_expectations.yaml
they are written from the two articles in data/articles/ (A1 = moskvich-jac-kamaz.txt,
A2 = iran-russia-joint-production.txt), not from the queries' output; test_query_answers.py
checks that every quote in them is a sentence of its article.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest

from motorgraph import library as L
from motorgraph import yamlio
from motorgraph.loaders import markets

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
QUERIES = REPO / "queries"
ARTICLES = REPO / "data" / "articles"
GOLDEN = TESTS / "golden"
EXPECT = yamlio.load((TESTS / "seed_expectations.yaml").read_text(encoding="utf-8"))
A1, A2 = "moskvich-jac-kamaz", "iran-russia-joint-production"

ALL = L.list_queries()
NAMES = [q.name for q in ALL]


def example_params(query: L.SavedQuery) -> dict:
    return {p.name: p.sample for p in query.params}


def golden(name: str) -> dict:
    """{"query", "example": {"params", "rows"}, "more": [{"params", "rows", "note"?}]}."""
    return json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))


def example_rows(name: str) -> list[dict]:
    return golden(name)["example"]["rows"]


@pytest.fixture(scope="module")
def run(seed, neo4j_server):
    """A saved query on the seed graph: run(name, params, **run_query's options)."""
    def run(name, params=None, **kw):
        return L.run_query(seed, name, params or {}, database=neo4j_server.database, **kw)
    return run


@contextlib.contextmanager
def rolled_back(seed, neo4j_server, setup: str):
    """A transaction that first runs `setup` (a few made-up facts, with the assemblies' markets
    the loader would keep) and is always rolled back."""
    with seed.session(database=neo4j_server.database) as session:
        tx = session.begin_transaction()
        try:
            tx.run(setup)
            tx.run(markets.ALL)
            yield tx
        finally:
            tx.rollback()
