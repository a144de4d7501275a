"""Listings page by a keyset cursor, on the seed graph: every row exactly once across the pages
(Python's `pages()` / `all=True` and the CLI's `-p after=` / `--all`), the next-page hint, a bad
cursor's error, and plans that start from an index for the first page and a later one."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from benchmarks.latency import classify
from motorgraph import library as L
from motorgraph.cli import cli
from motorgraph.errors import QueryError
from motorgraph.graph import Graph
from motorgraph.library import paging
from query_helpers import A1, golden

LISTINGS = [q for q in L.list_queries() if q.cursor_column]
PARAMS = {"article-facts": {"source": A1}}  # the required parameters of a listing


def test_the_listings_page():
    assert sorted(q.name for q in LISTINGS) == ["agreements", "article-facts", "asset-transfers", "contract-holders",
                                                "pending-ventures", "undated-ventures"]
    for q in LISTINGS:
        assert q.param("limit").default == 25 and q.param("limit").max == 100000


@pytest.fixture(scope="module")
def graph(seed, neo4j_server):
    return Graph(seed, neo4j_server)


def _full(graph, name) -> list[dict]:
    return graph.query(name, **PARAMS.get(name, {}), limit=100000)


def _pages_are_the_full_answer(graph, name, size, at_least):
    full = _full(graph, name)
    assert len(full) >= at_least and len({json.dumps(r, sort_keys=True) for r in full}) == len(full)
    pages = list(graph.pages(name, **PARAMS.get(name, {}), limit=size))
    # Every page but the last is full and has a cursor; the last has none.
    assert all(len(p.rows) == size and p.cursor for p in pages[:-1])
    assert pages[-1].cursor is None and len(pages[-1].rows) < size or len(pages) > 1 and not pages[-1].rows
    assert [r for p in pages for r in p.rows] == full
    assert graph.query(name, **PARAMS.get(name, {}), limit=size, all=True) == full
    return full


@pytest.mark.parametrize("query", LISTINGS, ids=[q.name for q in LISTINGS])
@pytest.mark.parametrize("size", [1, 2, 3])
def test_paging_gives_every_row_once(graph, query, size):
    _pages_are_the_full_answer(graph, query.name, size, at_least=1)


# Parties of every label that starts these facts (each label is its own branch of the
# listing), holders and non-holders of one contract, two transfers by one buyer: the pages
# must cross labels and ties. Marked `paging_test`, deleted afterwards.
EXTRA = """
MERGE (p:Person {id: 'anna-paging'}) SET p.name = 'Anna Paging'
WITH p
MATCH (spic:Agreement {id: 'moskvich-spic'}), (russia:Country {id: 'russia'}), (iran:Country {id: 'iran'}),
      (brand:Brand {id: 'moskvich-brand'}), (jac:Company {id: 'jac'}), (kamaz:Company {id: 'kamaz'}),
      (tver:Region {id: 'tver-region'}), (moskvich:Company {id: 'moskvich'})
CREATE (p)-[:PARTY_TO {holds: true, status: 'planned', paging_test: true}]->(spic),
       (russia)-[:PARTY_TO {holds: false, paging_test: true}]->(spic),
       (jac)-[:PARTY_TO {holds: true, status: 'announced', paging_test: true}]->(spic),
       (brand)-[:PARTNERS_WITH {on: 'dealers', status: 'announced', paging_test: true}]->(jac),
       (tver)-[:PARTNERS_WITH {on: 'training', status: 'planned', paging_test: true}]->(kamaz),
       (p)-[:ACQUIRED {what: 'a stake', status: 'negotiating', paging_test: true}]->(moskvich),
       (p)-[:ACQUIRED {status: 'announced', paging_test: true}]->(jac),
       (iran)-[:ACQUIRED {what: 'shares', status: 'pending approval', paging_test: true}]->(kamaz)
"""


@pytest.fixture
def extra_facts(seed, neo4j_server):
    with seed.session(database=neo4j_server.database) as session:
        session.run(EXTRA).consume()
    try:
        yield
    finally:
        with seed.session(database=neo4j_server.database) as session:
            session.run("MATCH ()-[r]->() WHERE r.paging_test DELETE r").consume()
            session.run("MATCH (p:Person {id: 'anna-paging'}) DETACH DELETE p").consume()


@pytest.mark.parametrize("size", [1, 2, 3, 5])
def test_paging_crosses_labels_and_ties(graph, extra_facts, size):
    pending = _pages_are_the_full_answer(graph, "pending-ventures", size, at_least=13)
    # Companies, then countries, regions, people, brands; each by id.
    parties = list(dict.fromkeys(r["party"] for r in pending))
    assert parties == ["jac", "kamaz", "moskvich", "russian-managers", "iran", "russia", "tver-region", "anna-paging",
                       "moskvich-brand"]
    _pages_are_the_full_answer(graph, "undated-ventures", size, at_least=24)
    holders = _pages_are_the_full_answer(graph, "contract-holders", size, at_least=4)
    assert [(r["party"], r["holds"]) for r in holders] == [("anna-paging", True), ("jac", True),
                                                           ("kamaz", False), ("russia", False)]
    transfers = _pages_are_the_full_answer(graph, "asset-transfers", size, at_least=5)
    assert [(r["buyer"], r["target"]) for r in transfers] == [("moskvich", "moskvich-brand"), ("russian-managers", "faurecia"),
                                                              ("iran", "kamaz"), ("anna-paging", "jac"),
                                                              ("anna-paging", "moskvich")]


def test_the_first_page_is_the_golden_first_page(graph):
    # article-facts: 39 facts in A1, the first 25 are the example's page; the next starts at the 26th.
    whole = next(c for c in golden("article-facts")["more"] if c["params"] == {"source": A1, "limit": 1000})["rows"]
    first = graph.query_result("article-facts", source=A1)
    assert first.rows == whole[:25] and first.cursor
    second = graph.query_result("article-facts", source=A1, after=first.cursor)
    assert second.rows == whole[25:] and second.cursor is None


def test_a_cursor_is_the_last_rows_sort_key(graph):
    page = graph.query_result("pending-ventures", limit=2)
    last = page.rows[-1]
    # [rank of the party's label (0: a company), party, kind, counterpart, subject]
    assert paging.decode("pending-ventures", page.cursor) == [0, last["party"], last["kind"], last["counterpart"],
                                                              last["subject"]]
    # The key itself (as Browser's `:param after => [...]` sends it) gives the same next page.
    key = paging.decode("pending-ventures", page.cursor)
    assert (graph.query("pending-ventures", limit=2, after=key)
            == graph.query("pending-ventures", limit=2, after=page.cursor)
            == _full(graph, "pending-ventures")[2:4])


BAD = ("query pending-ventures: parameter after: {shown} is not a cursor of pending-ventures{why}; pass the after= "
       "value printed under the previous page, or leave after out for the first page\n")


def test_a_bad_cursor_is_a_clear_error(graph):
    with pytest.raises(QueryError) as err:
        graph.query("pending-ventures", after="not-a-cursor")
    assert str(err.value).startswith(BAD.format(shown="'not-a-cursor'", why=""))
    other = graph.query_result("agreements", limit=1).cursor
    with pytest.raises(QueryError) as err:
        graph.query("pending-ventures", after=other)
    assert str(err.value).startswith(BAD.format(shown=repr(other), why=" (it is a cursor of agreements)"))


# ---- the command line ---------------------------------------------------------------------------------

def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_the_cli_says_how_to_ask_for_the_next_page(seed):
    first = invoke("query", "undated-ventures", "-p", "limit=5", "--format", "json")
    assert first.exit_code == 0, first.stderr
    cursor = paging.encode("undated-ventures", [0, "kamaz", "partnership", "jac", "Compass medium duty truck"])
    assert first.stderr == (f"More rows may follow: motorgraph query undated-ventures -p limit=5 -p after={cursor}  "
                            "(or --all for every page)\n")
    second = invoke("query", "undated-ventures", "-p", "limit=5", "-p", f"after={cursor}", "--format", "json")
    full = json.loads(invoke("query", "undated-ventures", "-p", "limit=100000", "--format", "json").stdout)
    assert json.loads(first.stdout) + json.loads(second.stdout) == full[:10]
    # A page that is not full is the last: no hint.
    last = invoke("query", "undated-ventures", "-p", "limit=100000")
    assert last.exit_code == 0 and last.stderr == ""


def test_the_cli_hint_keeps_the_other_parameters(seed):
    result = invoke("query", "article-facts", "-p", f"source={A1}")
    cursor = paging.encode("article-facts", ["moskvich-brand", "BRAND_OF", "renault", []])
    assert result.stderr == (f"More rows may follow: motorgraph query article-facts -p source={A1} -p after={cursor}  "
                             "(or --all for every page)\n")
    # An empty after= is the first page.
    empty = invoke("query", "agreements", "-p", "limit=1", "-p", "after=", "--format", "json")
    assert [r["agreement"] for r in json.loads(empty.stdout)] == ["iran-russia-joint-car-production"]
    assert empty.stderr.startswith("More rows may follow: motorgraph query agreements -p limit=1 -p after=")


def test_a_bad_cursor_on_the_cli(seed):
    result = invoke("query", "contract-holders", "-p", "after=xyz")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("Error: query contract-holders: parameter after: 'xyz' is not a cursor of "
                                    "contract-holders; pass the after= value printed under the previous page, or "
                                    "leave after out for the first page\n")


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_all_streams_every_page(seed, fmt):
    full = invoke("query", "undated-ventures", "-p", "limit=100000", "--format", fmt)
    paged = invoke("query", "undated-ventures", "-p", "limit=3", "--all", "--format", fmt)
    assert paged.exit_code == 0 and paged.stderr == ""
    assert paged.stdout == full.stdout and len(full.stdout.splitlines()) > 16


def test_all_prints_a_table_per_page(graph):
    result = invoke("query", "pending-ventures", "-p", "limit=3", "--all")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("3 row(s)") == 2 and result.stdout.count("1 row(s)") == 1  # 7 rows
    for party in {r["party"] for r in _full(graph, "pending-ventures")} - {"russian-managers"}:  # (that one folds)
        assert party in result.stdout


# ---- plans ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("query", LISTINGS, ids=[q.name for q in LISTINGS])
def test_every_page_starts_from_an_index(seed, neo4j_server, query):
    params = {**PARAMS.get(query.name, {}), "limit": 1}
    cursor = L.run_query(seed, query.name, params, database=neo4j_server.database).cursor
    for after in (None, cursor):
        plan = L.explain(seed, query.name, {**params, "after": after}, database=neo4j_server.database)
        kind = classify(plan)
        assert kind["kind"] == "seek" and not kind["scans"], (query.name, kind["anchors"])


def test_the_query_list_names_the_cursor():
    listed = invoke("queries")
    assert listed.exit_code == 0 and "after=CURSOR (next page)" in listed.stdout and "after=None" not in listed.stdout
