"""The saved queries' answers on the seed graph: exactly the rows in tests/golden/, the facts
of tests/seed_expectations.yaml, plain rows with the graph beside them, lookups by any name.

The golden rows are written from the two articles in data/articles/ (A1 =
moskvich-jac-kamaz.txt, A2 = iran-russia-joint-production.txt) and from
tests/seed_expectations.yaml, not from the queries' output; every quote in them is checked
below to be a sentence of its article.
"""

from __future__ import annotations

import sys
import types

import pytest

from motorgraph import yamlio
from motorgraph.errors import QueryError, UnknownName
from motorgraph.graph import Graph
from seed_articles import DATA, article_facts
from query_helpers import (A1, A2, ALL, ARTICLES, EXPECT, GOLDEN, NAMES, example_params, example_rows, golden,
                           run)  # noqa: F401 (run is a fixture)

SPIC_NAME = "Special investment contract (SPIC) for the Moskvich project"


# ---- the golden rows ---------------------------------------------------------------------------

def _cases(doc: dict) -> list[dict]:
    return [doc["example"], *doc.get("more", [])]


def test_every_query_has_golden_rows_for_its_examples():
    assert sorted(p.stem for p in GOLDEN.glob("*.json")) == sorted(NAMES)
    for query in ALL:
        doc = golden(query.name)
        assert doc["query"] == query.name
        assert doc["example"]["params"] == example_params(query), f"{query.name}: the header's examples changed"
        for case in _cases(doc):
            assert set(case) <= {"params", "rows", "note"} and isinstance(case["rows"], list)


def test_quotes_are_the_articles_sentences():
    """Each row's quotes occur in the text of its sources (the article of `source`, or one of `sources`)."""
    texts = {p.stem: p.read_text(encoding="utf-8") for p in ARTICLES.glob("*.txt")}
    checked = 0
    for name in NAMES:
        for case in _cases(golden(name)):
            for row in case["rows"]:
                # A row without its source is about the article the parameters name (article-facts).
                source = row.get("source") or case["params"].get("source")
                sources = row.get("sources") or ([source] if source else [])
                quotes = row.get("quotes") or ([row["quote"]] if row.get("quote") else [])
                for q in quotes:
                    assert any(q in texts[s] for s in sources), (name, q)
                    checked += 1
    assert checked > 50
    assert {A1, A2} <= set(texts)


@pytest.mark.parametrize("query", ALL, ids=NAMES)
def test_example_rows(run, query):
    result = run(query.name, example_params(query))
    assert result.rows == example_rows(query.name)
    # --example gives the same answer as passing the header's examples.
    assert run(query.name, {}, use_examples=True).rows == result.rows


MORE = [(name, case) for name in NAMES for case in golden(name).get("more", [])]


@pytest.mark.parametrize("name, case", MORE, ids=[f"{n}-{i}" for i, (n, _) in enumerate(MORE)])
def test_more_rows(run, name, case):
    assert run(name, case["params"]).rows == case["rows"]


@pytest.mark.parametrize("source", [A1, A2])
def test_article_facts_are_what_the_curated_file_says(source):
    """The golden rows of article-facts are the facts of the article's YAML file in data/, each
    with that file's quote, read from the YAML (tests/seed_articles.py), not from the graph."""
    doc = golden("article-facts")
    # The whole answer: the example (A1) is a first page of 25; A1's every fact is a `more` case.
    case = next(c for c in _cases(doc) if c["params"]["source"] == source and c["params"].get("limit") != 25)
    assert case["rows"] == article_facts(source)
    assert len(case["rows"]) == len(yamlio.load((DATA / f"{source}.yaml").read_text(encoding="utf-8"))["facts"])


# `limit` keeps the first rows of the example's answer, in the query's own order.
FIRST_ROWS = [
    ("plants-by-capacity", {"limit": 1}, 1),
    ("partners", {"company": "KAMAZ", "limit": 1}, 1),
    ("models", {"maker": "JAC", "limit": 2}, 2),
    ("country-engagement", {"country": "Iran", "limit": 3}, 3),
    ("entity-provenance", {"entity": "SaryarkaAvtoProm", "limit": 1}, 1),
    ("most-connected", {"limit": 3}, 3),
]


@pytest.mark.parametrize("name, params, first", FIRST_ROWS, ids=[f[0] for f in FIRST_ROWS])
def test_a_limit_keeps_the_first_rows(run, name, params, first):
    expected = example_rows(name)
    assert len(expected) > first
    assert run(name, params).rows == expected[:first]


# ---- the seed expectations ---------------------------------------------------------------------

def _triples(rows):
    return sorted((r["partner"], r["on"], r["status"] or "") for r in rows)


def test_partners_match_seed_expectations(run):
    want = lambda items: sorted((i["partner"], i["on"], i.get("status", "")) for i in items)  # noqa: E731
    assert _triples(run("partners", {"company": "KAMAZ"}).rows) == want(EXPECT["kamaz_partners"])
    assert _triples(run("partners", {"company": "JAC"}).rows) == want(EXPECT["jac_partners_on"])
    iran = run("partners", {"company": "Iran"}).rows
    assert sorted(r["partner"] for r in iran if r["partner_label"] == "Region") == EXPECT["iran_partner_regions"]
    russia = [r for r in iran if r["partner"] == "russia"]
    assert [(r["on"], r["status"]) for r in russia] == [(EXPECT["iran_russia_partnership"]["on"],
                                                         EXPECT["iran_russia_partnership"]["status"])]


def test_answers_match_seed_expectations(run):
    caps = {r["plant"]: r["capacity_per_year"] for r in run("plants-by-capacity").rows}
    assert caps == EXPECT["plant_capacities"]
    for plant, operator in EXPECT["plant_operators"].items():
        rows = run("plant-owners", {"plant": plant}).rows
        assert [(r["company"], r["role"]) for r in rows] == [(operator, "operates")]
    route = run("supply-routes", {"brand": "jac", "market": "russia"})
    assert len(route.rows) == 1
    assert route.rows[0]["hops"] == len(EXPECT["jac_route_to_russia"]) - 1
    assert set(route.rows[0]["goods"]) == {EXPECT["jac_route_hops"]["goods"]}
    assert set(route.rows[0]["modes"]) == {EXPECT["jac_route_hops"]["mode"]}
    via = run("route-intermediaries", {"market": "russia"}).rows
    assert {r["intermediary"]: r["country"].lower() for r in via} == EXPECT["route_intermediary_country"]
    models = run("models", {"maker": "jac"}).rows
    assert sorted(r["model"] for r in models if r["relation"] == "makes") == EXPECT["jac_models"]
    iev = next(r for r in models if r["model"] == "jac-iev7s")
    assert {k: iev[k] for k in EXPECT["jac-iev7s"]} == EXPECT["jac-iev7s"]
    rivals = run("competitors-and-replacements", {"model": "sunray"}).rows
    assert [r["other"] for r in rivals if r["relation"] == "competes with"] == EXPECT["sunray_competitors"]
    assert [r["other"] for r in rivals if r["relation"] == "replaces"] == EXPECT["sunray_replaces"]
    parties = run("agreement-parties", {"agreement": "moskvich-project"}).rows
    assert [r["party"] for r in parties] == EXPECT["moskvich_project_parties"]
    spic = run("contract-holders").rows
    assert [(r["agreement"], r["kind"], r["party"], r["holds"], r["status"]) for r in spic] == [
        (EXPECT["spic"]["id"], EXPECT["spic"]["kind"], EXPECT["spic"]["not_held_by"][0], False,
         EXPECT["spic"]["status"])]
    transfers = run("asset-transfers").rows
    assert [{"buyer": r["buyer"], "what": r["target"], "from": r["seller"],
             **({"status": r["status"]} if r["status"] else {})} for r in transfers] == EXPECT["asset_transfers"]
    agreements = {r["agreement"]: r for r in run("agreements").rows}
    markets = run("country-engagement", {"country": "canada"}).rows
    assert [r["item"] for r in markets] == ["moskvich-project"]
    assert len(agreements["moskvich-project"]["markets"]) == len(EXPECT["moskvich_project_markets"])
    iran = run("country-engagement", {"country": "iran"}).rows
    celali = EXPECT["kazim-celali"]
    assert [(r["item"], r["detail"]) for r in iran if r["engagement"] == "spokesperson"] == [
        ("kazim-celali", celali["role"])]
    assert [r["item"] for r in iran if r["engagement"] == "visit"] == celali["visited"]
    assert [r["item"] for r in iran if r["engagement"] == "interview"] == celali["interviewed_by"]
    jcp = run("agreement-parties", {"agreement": EXPECT["iran_russia_agreement"]["id"]}).rows
    assert [r["party"] for r in jcp] == EXPECT["iran_russia_agreement"]["parties"]
    assert {r["kind"] for r in jcp} == {EXPECT["iran_russia_agreement"]["kind"]}
    mentions = run("entity-provenance", {"entity": EXPECT["shared_entities"][0]}).rows
    assert sorted(r["source"] for r in mentions if r["kind"] == "mention") == sorted([A1, A2])


# ---- graph values --------------------------------------------------------------------------------

def _is_plain(value) -> bool:
    if value is None or isinstance(value, (str, int, float, bool)):
        return True
    if isinstance(value, list):
        return all(_is_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_plain(v) for k, v in value.items())
    return False


@pytest.mark.parametrize("query", ALL, ids=NAMES)
def test_rows_are_plain_and_graph_columns_feed_nodes(run, query):
    result = run(query.name, example_params(query))
    assert all(_is_plain(row) for row in result.rows)
    assert result.columns == [c.name for c in query.returns if not (c.graph or c.cursor)]
    assert all(list(row) == result.columns for row in result.rows)
    if query.graph_columns:
        # The graph-shaped questions end with a graph column; its elements are in .nodes/.relationships.
        assert query.returns[-1].graph and result.graph_columns == query.graph_columns
        assert result.nodes and result.relationships
        ids = {n["element_id"] for n in result.nodes}
        assert len(ids) == len(result.nodes)
        assert len({r["element_id"] for r in result.relationships}) == len(result.relationships)
        for rel in result.relationships:
            assert rel["start"] in ids and rel["end"] in ids and rel["type"]
            assert set(rel) == {"element_id", "type", "start", "end", "properties"}
        for node in result.nodes:
            assert node["labels"] and "id" in node["properties"]


def test_supply_route_graph(run):
    result = run("supply-routes", {"brand": "JAC", "market": "Russia"})
    by_element = {n["element_id"]: n["properties"]["id"] for n in result.nodes}
    assert sorted(by_element.values()) == sorted(EXPECT["jac_route_to_russia"])
    hops = sorted((by_element[r["start"]], r["type"], by_element[r["end"]], r["properties"]["goods"],
                   r["properties"]["mode"]) for r in result.relationships)
    assert hops == [("jac", "SHIPS_TO", "saryarkaavtoprom", "JAC vehicles", "logistics link"),
                    ("saryarkaavtoprom", "SHIPS_TO", "russia", "JAC vehicles", "logistics link")]
    assert all(r["properties"]["sources"] == [A1] for r in result.relationships)


# ---- lookups ---------------------------------------------------------------------------------------

SAME_ROWS = [
    ("partners", {"company": "kamaz"}, [{"company": "KAMAZ"}, {"company": "Kamaz"}, {"company": "KAMAZ PJSC"},
                                         {"company": "KamAZ"}, {"company": "  kamaz pjsc  "}]),
    ("entity-provenance", {"entity": "kazim-celali"},
     [{"entity": "Kazem Jalali"}, {"entity": "kazem jalali"}, {"entity": "Kazım Celali"},
      {"entity": "kazım celali"}, {"entity": "Kazim Celali"}, {"entity": "KAZIM CELALI"}]),
    ("supply-routes", {"brand": "jac", "market": "russia"},
     [{"brand": "JAC Motors", "market": "Russian Federation"}, {"brand": "anhui jianghuai automobile co.",
                                                                "market": "RUSSIA"}]),
    ("plant-owners", {"plant": "renault-moscow-plant"},
     [{"plant": "Renault Moscow plant"}, {"plant": "renault's moscow plant"}]),
    ("competitors-and-replacements", {"model": "sunray"}, [{"model": "Sunray"}, {"model": "SUNRAY"}]),
    ("country-engagement", {"country": "iran"}, [{"country": "Islamic Republic of Iran"}, {"country": "IRAN"}]),
    ("agreement-parties", {"agreement": "moskvich-spic"},
     [{"agreement": "SPIC"}, {"agreement": "special investment contract"}, {"agreement": SPIC_NAME.upper()}]),
    ("relationship-provenance", {"entity": "jac", "other": "kamaz"},
     [{"entity": "Anhui Jianghuai Automobile", "other": "KAMAZ PJSC"}, {"entity": "kamaz", "other": "jac"}]),
    ("models", {"maker": "jac"}, [{"maker": "JAC Motors"}]),
    ("route-intermediaries", {"market": "russia"}, [{"market": "Russian Federation"}]),
    ("shortest-connection", {"from_org": "jac", "to_org": "iran"},
     [{"from_org": "JAC Motors", "to_org": "Islamic Republic of Iran"}]),
    ("partnership-network", {"company": "russia"}, [{"company": "Russian Federation"}]),
]


@pytest.mark.parametrize("name, by_id, variants", SAME_ROWS, ids=[s[0] for s in SAME_ROWS])
def test_names_aliases_and_case_give_the_rows_of_the_id(run, name, by_id, variants):
    expected = run(name, by_id).rows
    if name == "relationship-provenance":
        assert len(expected) == 2
    assert expected
    for params in variants:
        rows = run(name, params).rows
        assert rows == expected, params


@pytest.mark.parametrize("alias, entity_id", sorted(EXPECT["alias_lookups"].items()))
def test_seed_alias_lookups(run, alias, entity_id):
    assert run("entity-provenance", {"entity": alias}).rows == run("entity-provenance", {"entity": entity_id}).rows


@pytest.mark.parametrize("value", ['"', "\\", "*", "AND", "a\"b\\c", "(", "kamaz~", "title:x", "-", "?", "[x TO y]"])
def test_lookup_values_cannot_break_the_fulltext_query(run, value):
    """Neither the query's lookup nor the check for unknown names (one exact term each)."""
    with pytest.raises(UnknownName) as info:
        run("partners", {"company": value})
    assert info.value.value == value


# ---- Python API --------------------------------------------------------------------------------------

def test_graph_api(seed, neo4j_server, monkeypatch):
    g = Graph(seed, neo4j_server)  # not closed: the driver is the session's
    assert [q.name for q in g.queries()] == NAMES
    assert g.query("partners", company="KAMAZ") == example_rows("partners")
    result = g.query_result("supply-routes", brand="JAC", market="Russia")
    assert result.rows == example_rows("supply-routes") and len(result.nodes) == 3
    with pytest.raises(QueryError, match="missing parameter company"):
        g.query("partners")
    # as_frame: a clear error without pandas...
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(QueryError, match="needs pandas"):
        g.query("plants-by-capacity", as_frame=True)
    # ...and a DataFrame of the rows with it.
    fake = types.ModuleType("pandas")
    fake.DataFrame = lambda rows, columns: ("frame", rows, columns)
    monkeypatch.setitem(sys.modules, "pandas", fake)
    frame = g.query("plants-by-capacity", as_frame=True)
    assert frame == ("frame", example_rows("plants-by-capacity"), list(example_rows("plants-by-capacity")[0]))


def test_profile_reports_db_hits(run):
    result = run("supply-routes", {"brand": "JAC", "market": "Russia"}, profile=True)
    assert result.rows == example_rows("supply-routes")
    assert result.profile["db_hits"] > 0 and result.profile["operators"][0]["operator"] == "ProduceResults"
