"""The questions about business links: the business network's link types, who owns a plant now
(and before), and which foreign brands reach a market through local assembly.

Their golden rows on the seed graph are in tests/golden/ (test_query_answers.py); here, the
parameter `types`, the network's paths against allShortestPaths, and made-up facts the
articles do not give (a sale of a plant, a kit assembler), each in a transaction that is
rolled back.
"""

from __future__ import annotations

import pytest

from motorgraph import library as L
from motorgraph.errors import QueryError
from motorgraph.model import load_model
from query_helpers import rolled_back, run  # noqa: F401 (run is a fixture)

NETWORK = L.get_query("business-network")
BUSINESS = ["PARTNERS_WITH", "OWNS", "BRAND_OF", "ACQUIRED", "SUPPLIES", "SHIPS_TO", "ASSEMBLES_FOR"]


# ---- business-network: the link types -------------------------------------------------------------

def test_the_link_types_are_the_models_business_links_all_by_default():
    types = NETWORK.param("types")
    assert types.type == "list[string]" and list(types.choices) == BUSINESS and types.default == BUSINESS
    assert set(BUSINESS) <= set(load_model().relationships)


def test_link_types_are_typed_in_any_case_and_once():
    values = L.coerce_params(NETWORK, {"company": "JAC", "types": " owns, Acquired,OWNS "})
    assert values["types"] == ["OWNS", "ACQUIRED"]
    assert L.coerce_params(NETWORK, {"company": "JAC", "types": ["brand_of"]})["types"] == ["BRAND_OF"]


@pytest.mark.parametrize("raw, message", [
    ("OWNZ", "query business-network: parameter types: 'OWNZ' is not one of PARTNERS_WITH, OWNS, BRAND_OF, "
             "ACQUIRED, SUPPLIES, SHIPS_TO, ASSEMBLES_FOR (did you mean OWNS?)"),
    ("LOCATED_IN", "parameter types: 'LOCATED_IN' is not one of PARTNERS_WITH"),
    (",", "parameter types must be a list[string]: got ',' (expected at least one item)"),
    ([1], "parameter types must be a list[string]: got [1] (expected a list of text items"),
])
def test_an_unknown_link_type_is_a_clear_error(raw, message):
    with pytest.raises(QueryError) as err:
        L.coerce_params(NETWORK, {"company": "JAC", "types": raw})
    assert message in str(err.value)


def test_the_types_travel_as_a_parameter_never_in_the_cypher():
    assert "type(r) IN $types" in NETWORK.cypher
    assert not any(t in NETWORK.cypher for t in BUSINESS)


def test_the_network_over_partnerships_alone_is_the_partnership_network(run):
    for company in ("JAC", "Russia", "KAMAZ", "Iran"):
        network = run("business-network", {"company": company, "types": "PARTNERS_WITH", "hops": 4}).rows
        partners = run("partnership-network", {"company": company, "hops": 4}).rows
        assert [(r["organisation"], r["distance"]) for r in network] == \
            [(r["organisation"], r["distance"]) for r in partners], company


def test_the_network_paths_are_every_shortest_path_of_the_links(seed, neo4j_server):
    """From every organisation of the seed graph, 4 hops over every business link: each
    organisation, its distance and its paths are exactly allShortestPaths' (the query spells
    out paths of each length itself). A name can find two centres (the company and the brand
    Moskvich): each answers its own rows."""
    db = neo4j_server.database
    ids = [r["id"] for r in seed.execute_query(
        "MATCH (o) WHERE o:Company OR o:Brand OR o:Country OR o:Region RETURN o.id AS id ORDER BY id",
        database_=db).records]
    values = L.coerce_params(NETWORK, {"company": "JAC", "hops": 4, "limit": 1000})
    distances = set()
    for c in ids:
        want = {}
        for r in seed.execute_query(
                "CALL db.index.fulltext.queryNodes('entity_key', '\"' + $c + '\"') YIELD node AS c "
                "WHERE c:Company OR c:Brand OR c:Country OR c:Region "
                "MATCH (o) WHERE o <> c AND (o:Company OR o:Brand OR o:Country OR o:Region) "
                f"MATCH path = allShortestPaths((c)-[:{'|'.join(BUSINESS)}*..4]-(o)) "
                "RETURN elementId(c) AS c, o.id AS o, length(path) AS d, "
                "[r IN relationships(path) | elementId(r)] AS rels",
                c=c, database_=db).records:
            want.setdefault((r["c"], r["o"], r["d"]), []).append(tuple(r["rels"]))
        got = {(r["paths"][0].start_node.element_id, r["organisation"], r["distance"]):
               sorted(tuple(x.element_id for x in path.relationships) for path in r["paths"])
               for r in seed.execute_query(NETWORK.cypher, {**values, "company": c}, database_=db).records}
        assert got == {k: sorted(v) for k, v in want.items()}, c
        distances.update(d for *_, d in want)
    assert distances == {1, 2, 3, 4}  # every length the query spells out was compared


# ---- plant-owners: the current owner and the history ---------------------------------------------------

SALE = ("MATCH (p:Plant {id: 'renault-moscow-plant'}) "
        "CREATE (:Company {id: 'test-buyer', name: 'Test Buyer', kind: 'automaker'})"
        "-[:ACQUIRED {from_party: 'Renault', status: $status, since: '2022', sources: ['t'], quotes: ['q']}]->(p)")


@pytest.mark.parametrize("status, renault, buyer", [
    (None, "former", "current"),          # a completed sale ends the seller's operation
    ("active", "former", "current"),
    ("pending approval", "current", "pending"),
])
def test_a_sold_plant_answers_its_buyer_now_and_its_seller_before(seed, neo4j_server, status, renault, buyer):
    cypher = L.get_query("plant-owners").cypher
    with seed.session(database=neo4j_server.database) as session:
        tx = session.begin_transaction()
        try:
            tx.run(SALE, status=status)
            rows = [(r["company"], r["role"], r["standing"], r["seller"], r["since"])
                    for r in tx.run(cypher, plant="Renault Moscow plant", limit=25)]
        finally:
            tx.rollback()
    want = {("renault", "operates", renault, None, None), ("test-buyer", "acquired", buyer, "Renault", "2022")}
    assert set(rows) == want
    order = {"current": 0, "pending": 1, "former": 2}
    assert [r[2] for r in rows] == sorted((r[2] for r in rows), key=order.get)


def test_an_ended_operation_is_former(seed, neo4j_server):
    with rolled_back(seed, neo4j_server, "MATCH (:Company {id: 'renault'})-[r:OPERATES]->(:Plant {id: 'renault-moscow-plant'}) "
                                         "SET r.status = 'ended', r.until = '2022-05'") as tx:
        rows = list(tx.run(L.get_query("plant-owners").cypher, plant="renault-moscow-plant", limit=25))
    assert [(r["company"], r["standing"], r["until"]) for r in rows] == [("renault", "former", "2022-05")]


# ---- foreign-assembly ----------------------------------------------------------------------------------

KITS = ("MATCH (kz:Country {id: 'kazakhstan'}), (cn:Country {id: 'china'}), (jac:Company {id: 'jac'}) "
        "CREATE (b:Brand {id: 'test-brand', name: 'Test Brand'})-[:LOCATED_IN]->(cn), "
        "(local:Brand {id: 'test-local', name: 'Local Brand'})-[:LOCATED_IN]->(kz), "
        "(p:Plant {id: 'test-plant', name: 'Test kit plant'})-[:LOCATED_IN]->(:City {id: 'test-city', name: 'Kostanay'})"
        "-[:LOCATED_IN]->(kz), "
        "(p)-[:ASSEMBLES_FOR {kits: 'SKD kits', status: 'ended', until: '2023', sources: ['t'], quotes: ['q1']}]->(b), "
        "(p)-[:ASSEMBLES_FOR {sources: ['t'], quotes: ['q2']}]->(local), "
        "(p)-[:ASSEMBLES_FOR {kits: 'CKD kits', sources: ['t'], quotes: ['q3']}]->(jac)")


def test_a_kit_plant_brings_foreign_brands_to_its_market_not_local_ones(seed, neo4j_server):
    with rolled_back(seed, neo4j_server, KITS) as tx:
        rows = [(r["brand"], r["brand_label"], r["home_country"], r["assembler"], r["plants"], r["kits"], r["status"],
                 r["until"]) for r in tx.run(L.get_query("foreign-assembly").cypher, market="Kazakhstan", limit=25)]
        china = [r["brand"] for r in tx.run(L.get_query("foreign-assembly").cypher, market="China", limit=25)]
    assert rows == [("jac", "Company", "China", "test-plant", ["Test kit plant"], "CKD kits", None, None),
                    ("test-brand", "Brand", "China", "test-plant", ["Test kit plant"], "SKD kits", "ended", "2023")]
    assert china == []


def test_a_brand_may_be_located_in_its_home_country():
    located = load_model().relationships["LOCATED_IN"]
    assert "Brand" in located.start and "Country" in located.end
