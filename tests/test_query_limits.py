"""How far the saved queries go and where they stop: every shortest path and partnership chain
(checked against allShortestPaths on the seed graph), a `limit` below the answer keeping the
nearest rows, and plans that start from the full-text index instead of scanning a label.
"""

from __future__ import annotations

import re

import pytest

from motorgraph import library as L
from motorgraph.model import load_model
from query_helpers import ALL, example_params, rolled_back, run  # noqa: F401 (run is a fixture)


# ---- paths ---------------------------------------------------------------------------------------

# Every relationship type of the model but MENTIONS (article links): what a connection may use.
_LINK_TYPES = sorted(name for name, rt in load_model().relationships.items() if rt.provenance)
# The definition shortest-connection answers: every shortest path, as one search finds them.
_ALL_SHORTEST = ("MATCH (a {id: $a}), (b {id: $b}) "
                 f"MATCH path = allShortestPaths((a)-[:{'|'.join(_LINK_TYPES)}*..8]-(b)) RETURN path")


def test_shortest_connection_follows_every_type_but_mentions_in_each_branch():
    """Cypher takes no parameter for a type list, so each branch spells it out: each copy must
    be the model's types (a type missing in one branch shows in the all-pairs test below only
    if the seed graph happens to use it there)."""
    lists = re.findall(r"\[\w*:([A-Z_|]+)", L.get_query("shortest-connection").cypher)
    assert lists and all(sorted(types_.split("|")) == _LINK_TYPES for types_ in lists), lists


def _entity(node) -> str:
    return f"{node['name']} ({next(iter(node.labels))})"


def _by_route(paths) -> list[tuple[list[str], list[str]]]:
    """The rows shortest-connection answers for these paths: one per route of "name (Label)"
    entries, whose steps are every fact between two entities on it, hop by hop (by type, then
    `on`), each once, an ended one marked as ended."""
    routes: dict[tuple, list] = {}
    for path in paths:
        routes.setdefault(tuple(_entity(n) for n in path.nodes), []).append(path)
    rows = []
    for route, group in routes.items():
        hops = []
        for path in group:
            for i, r in enumerate(path.relationships):
                x, y = route[i], route[i + 1]
                step = (f"{x} -[{r.type}]-> {y}" if r.start_node.element_id == path.nodes[i].element_id
                        else f"{x} <-[{r.type}]- {y}")
                if r.get("status") == "ended":
                    step += " (ended" + (f", until {r['until']}" if r.get("until") else "") + ")"
                hops.append((i, r.type, r.get("on") or "", step))
        steps = []
        for *_, step in sorted(hops):
            if step not in steps:
                steps.append(step)
        rows.append((list(route), steps))
    return sorted(rows, key=lambda row: (len(row[0]), row[0]))


def test_shortest_connection_is_every_shortest_path_of_each_length(seed, neo4j_server, run):
    """The query spells out 1, 2 and 3 hops itself and searches beyond: for every pair of
    organisations in the seed graph its rows are exactly allShortestPaths' paths, one row per
    route of entities, in order."""
    ids = [r["id"] for r in seed.execute_query(
        "MATCH (o) WHERE o:Company OR o:Country OR o:Region RETURN o.id AS id ORDER BY id",
        database_=neo4j_server.database).records]
    lengths = set()
    ended = 0
    for a in ids:
        for b in (b for b in ids if b != a):  # both ways round: the directed checks differ
            want = _by_route([r["path"] for r in seed.execute_query(
                _ALL_SHORTEST, a=a, b=b, database_=neo4j_server.database).records])
            result = run("shortest-connection", {"from_org": a, "to_org": b, "limit": 1000})
            assert [(row["route"], row["steps"]) for row in result.rows] == want, (a, b)
            assert all(row["hops"] == len(row["route"]) - 1 for row in result.rows)
            lengths.update(len(route) - 1 for route, _ in want)
            ended += sum("(ended" in step for _, steps in want for step in steps)
    assert {1, 2, 3, 4} <= lengths  # every branch of the query was compared
    assert ended  # and some connection runs through an ended fact


def test_a_limit_below_the_routes_keeps_whole_shortest_routes(seed, neo4j_server, run):
    """Four hops stop at `limit` routes: with fewer places than routes, each row answered is
    still one of the shortest routes with every fact along it (checked for every seed pair
    with several four-hop routes)."""
    ids = [r["id"] for r in seed.execute_query(
        "MATCH (o) WHERE o:Company OR o:Country OR o:Region RETURN o.id AS id ORDER BY id",
        database_=neo4j_server.database).records]
    checked = 0
    for a in ids:
        for b in (b for b in ids if b != a):
            want = _by_route([r["path"] for r in seed.execute_query(
                _ALL_SHORTEST, a=a, b=b, database_=neo4j_server.database).records])
            if len(want) < 2 or len(want[0][0]) != 5:
                continue
            rows = run("shortest-connection", {"from_org": a, "to_org": b, "limit": len(want) - 1}).rows
            got = [(row["route"], row["steps"]) for row in rows]
            assert len(got) == len(want) - 1 and all(row in want for row in got), (a, b)
            assert got == sorted(got, key=lambda row: row[0]), (a, b)
            checked += 1
    # Which routes fill the page is not fixed, so whether one with two facts between the same
    # entities is among them is not either; `row in want` holds each row to all its facts.
    assert checked


def test_a_company_and_its_same_named_brand_read_apart_once_per_route(run):
    rows = run("shortest-connection", {"from_org": "JAC", "to_org": "Renault"}).rows
    assert [(r["hops"], r["route"], r["steps"]) for r in rows] == [(3, [
        "JAC (Company)", "Moskvich (Company)", "Moskvich (Brand)", "Renault (Company)"], [
        "JAC (Company) <-[ASSEMBLES_FOR]- Moskvich (Company)",
        "JAC (Company) <-[PARTNERS_WITH]- Moskvich (Company)",
        "Moskvich (Company) -[ACQUIRED]-> Moskvich (Brand)",
        "Moskvich (Company) <-[BRAND_OF]- Moskvich (Brand)",
        "Moskvich (Brand) -[BRAND_OF]-> Renault (Company) (ended)"])]


def test_network_graph_holds_every_path_within_the_hops(run):
    result = run("partnership-network", {"company": "Russia", "hops": 2})
    ids = sorted(n["properties"]["id"] for n in result.nodes)
    assert ids == ["iran", "kaluga-region", "russia", "tver-region"]
    assert sorted(r["properties"]["on"] for r in result.relationships) == [
        "joint car production", "regional collaboration", "regional collaboration"]


def test_partnership_network_is_every_shortest_partnership_path(seed, neo4j_server, run):
    """From every organisation of the seed graph, 4 hops: the organisations, their distances and
    the relationships on their paths are exactly those of allShortestPaths over PARTNERS_WITH."""
    db = neo4j_server.database
    ids = [r["id"] for r in seed.execute_query(
        "MATCH (o) WHERE o:Company OR o:Brand OR o:Country OR o:Region RETURN o.id AS id ORDER BY id",
        database_=db).records]
    distances = set()
    for c in ids:
        want = seed.execute_query(
            "MATCH (c {id: $c}), (o) WHERE o <> c AND (o:Company OR o:Brand OR o:Country OR o:Region) "
            "MATCH path = allShortestPaths((c)-[:PARTNERS_WITH*..4]-(o)) "
            "RETURN o.id AS o, length(path) AS d, [r IN relationships(path) | elementId(r)] AS rels",
            c=c, database_=db).records
        result = run("partnership-network", {"company": c, "hops": 4, "limit": 1000})
        assert sorted((row["organisation"], row["distance"]) for row in result.rows) == \
            sorted({(r["o"], r["d"]) for r in want}), c
        assert sorted(r["element_id"] for r in result.relationships) == \
            sorted({rel for r in want for rel in r["rels"]}), c
        distances.update(r["d"] for r in want)
    assert {1, 2} <= distances  # the seed graph has no longer partnership chain


def test_partnership_network_follows_a_partnership_stored_towards_the_partner(seed, neo4j_server):
    """A second hop stored pointing at the middle organisation ((o)-[:PARTNERS_WITH]->(m)): the
    seed has none, so one is added in a transaction that is rolled back."""
    cypher = L.get_query("partnership-network").cypher
    with rolled_back(seed, neo4j_server, "MATCH (iran:Country {id: 'iran'}) "
                      "CREATE (:Company {id: 'test-partner', name: 'Test Partner'})"
                      "-[:PARTNERS_WITH {on: 'test venture'}]->(iran)") as tx:
        rows = {r["organisation"]: r for r in tx.run(cypher, company="Russia", hops=2, limit=1000)}
    assert rows["test-partner"]["distance"] == 2
    assert rows["test-partner"]["partnerships"] == ["joint car production", "test venture"]
    assert [n["id"] for n in rows["test-partner"]["paths"][0].nodes] == ["russia", "iran", "test-partner"]


# ---- a limit below the answer: nearest (or mentions) first, then any of the next group, sorted ---------
def _is_sorted_subset(rows, full, key):
    return rows == sorted(rows, key=key) and all(r in full for r in rows)


def test_network_cut_keeps_the_nearest_and_sorts_the_rows(run):
    full = run("partnership-network", {"company": "Russia", "hops": 2, "limit": 1000}).rows
    assert [r["distance"] for r in full] == [1, 2, 2]
    cut = run("partnership-network", {"company": "Russia", "hops": 2, "limit": 2}).rows
    assert [r["distance"] for r in cut] == [1, 2]
    assert _is_sorted_subset(cut, full, key=lambda r: (r["distance"], r["organisation"]))
    assert run("partnership-network", {"company": "Russia", "hops": 2, "limit": 1}).rows == full[:1]


def test_provenance_cut_keeps_the_mentions_and_sorts_the_facts(run):
    full = run("entity-provenance", {"entity": "Russia", "limit": 1000}).rows
    assert [r["kind"] for r in full[:3]] == ["mention", "mention", "fact"]
    cut = run("entity-provenance", {"entity": "Russia", "limit": 5}).rows
    assert cut[:2] == full[:2]
    assert [r["kind"] for r in cut[2:]] == ["fact"] * 3
    assert _is_sorted_subset(cut[2:], full, key=lambda r: (r["source"], r["fact"]))


def test_intermediaries_cut_keeps_the_nearest_and_sorts_the_rows(seed, neo4j_server):
    """Two more direct suppliers of Russia and one two hops out, added in a transaction that is
    rolled back: with room for two, both rows are direct suppliers, sorted by id."""
    cypher = L.get_query("route-intermediaries").cypher
    with rolled_back(seed, neo4j_server, "MATCH (ru:Country {id: 'russia'}), (jac:Company {id: 'jac'}) "
                      "CREATE (jac)-[:SHIPS_TO {goods: 'kits'}]->(a:Company {id: 'test-a', name: 'A'})"
                      "-[:SHIPS_TO {goods: 'kits'}]->(ru), "
                      "(jac)-[:SHIPS_TO {goods: 'cars'}]->(b:Company {id: 'test-b', name: 'B'})"
                      "-[:SHIPS_TO {goods: 'cars'}]->(ru), "
                      "(jac)-[:SHIPS_TO {goods: 'parts'}]->(:Company {id: 'test-far', name: 'Far'})"
                      "-[:SHIPS_TO {goods: 'parts'}]->(a)") as tx:
        rows = {n: [(r["intermediary"], r["hops"]) for r in tx.run(cypher, market="Russia", limit=n)]
                for n in (2, 3, 4)}
    near = [("saryarkaavtoprom", 1), ("test-a", 1), ("test-b", 1)]
    assert rows[4] == sorted(near) + [("test-far", 2)]
    assert rows[3] == sorted(near)
    assert len(rows[2]) == 2 and rows[2] == sorted(rows[2]) and set(rows[2]) <= set(near)


# ---- plans: anchored on the full-text index ------------------------------------------------------

# article-facts takes a source id, not a name: it starts from the Source id constraint instead.
ANCHORED = [q for q in ALL if any(p.type == "string" for p in q.params) and q.name != "article-facts"]


@pytest.mark.parametrize("query", ANCHORED, ids=[q.name for q in ANCHORED])
def test_anchored_plans_start_from_the_fulltext_index(seed, neo4j_server, query):
    plan = L.explain(seed, query.name, example_params(query), database=neo4j_server.database)
    operators = [o["operator"] for o in plan["operators"]]
    assert "AllNodesScan" not in operators, plan["text"]
    assert "NodeByLabelScan" not in operators, plan["text"]
    assert "UnionNodeByLabelsScan" not in operators, plan["text"]
    calls = [o["details"].split("(")[0] for o in plan["operators"] if o["operator"] == "ProcedureCall"]
    # the named entities from entity_key; foreign-assembly then the market's assemblies from
    # assembly_markets (a relationship full-text index)
    assert "db.index.fulltext.queryNodes" in calls, plan["text"]
    assert set(calls) <= {"db.index.fulltext.queryNodes", "db.index.fulltext.queryRelationships"}, calls


def test_article_facts_starts_from_the_source_id_constraint(seed, neo4j_server):
    plan = L.explain(seed, "article-facts", {"source": "moskvich-jac-kamaz"}, database=neo4j_server.database)
    seeks = [o for o in plan["operators"] if o["operator"] == "NodeUniqueIndexSeek"]
    assert len(seeks) == 1 and "Source(id)" in seeks[0]["details"], plan["text"]
    assert not {"AllNodesScan", "NodeByLabelScan"} & {o["operator"] for o in plan["operators"]}, plan["text"]


def test_the_plan_check_would_catch_a_label_scan(seed, neo4j_server, tmp_path):
    f = tmp_path / "naive-lookup.cypher"
    f.write_text("// Naive?\n// name: naive-lookup\n// param: company string example=KAMAZ A company\n"
                 "// returns: id (its id)\nMATCH (c:Company) WHERE toLower(c.name) = toLower($company) "
                 "RETURN c.id AS id\n", encoding="utf-8")
    plan = L.explain(seed, L.parse_query(f.read_text(encoding="utf-8"), f), {"company": "KAMAZ"},
                     database=neo4j_server.database)
    assert "NodeByLabelScan" in [o["operator"] for o in plan["operators"]]
