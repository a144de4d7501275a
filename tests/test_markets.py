"""The markets the graph keeps on each ASSEMBLES_FOR (loaders/markets.py), against Neo4j.

After every write path (a load, in one transaction or in batches; `unload`) each assembly's
`markets` equals a fresh reading of where its assembler and the assembler's plants lie;
`foreign-assembly` starts from the full-text index on them; input that sets them is refused;
`motorgraph schema apply` computes them for a graph written before the graph kept them.
"""

from __future__ import annotations

from inputs import GOOD_ENTITIES, SECOND_ENTITY, curated, problem_at, rejected
from motorgraph import library as L
from motorgraph.graph import Graph
from motorgraph.library import explain
from motorgraph.loaders import load, unload
from motorgraph.loaders.markets import refresh_all_markets, stale_markets
from motorgraph.schema_ops import apply_schema
from test_replace_unload import Q_BASED, Q_PLANT, write

MARKETS = "MATCH (a)-[f:ASSEMBLES_FOR]->(b) RETURN a.id AS a, b.id AS b, f.markets AS markets ORDER BY a, b"


def kept(driver, settings) -> dict[tuple[str, str], list[str]]:
    """(assembler, brand) -> markets, after checking none is stale."""
    assert stale_markets(driver, settings.database) == []
    with driver.session(database=settings.database) as s:
        return {(r["a"], r["b"]): r["markets"] for r in s.run(MARKETS)}


def _load(driver, settings, *paths, **kw):
    return load(list(paths), driver=driver, database=settings.database, show_progress=False, **kw)


def _doc(source: str, entities: list, facts: list) -> dict:
    import hashlib

    from test_replace_unload import ARTICLE

    return {"source": {"id": source, "title": source, "file": "rt.txt",
                       "sha256": hashlib.sha256(ARTICLE.encode()).hexdigest()},
            "entities": entities, "facts": facts}


def test_markets_after_loading_the_seed(seeded, settings):
    # moskvich operates moskvich-plant, which lies in Russia (data/moskvich-jac-kamaz.yaml)
    assert kept(seeded, settings) == {("moskvich", "jac"): ["russia"]}


def test_markets_follow_places_and_plants_added_later_and_unloaded(seeded, settings, tmp_path):
    # an assembler in Russia whose plant has no place yet
    _load(seeded, settings, write(tmp_path / "a", _doc("rt-news", [
        {"id": "rt-maker", "label": "Company", "name": "RT Motors", "properties": {"kind": "assembler"}},
        {"id": "rt-plant", "label": "Plant", "name": "RT Plant"}], [
        {"from": "rt-maker", "type": "LOCATED_IN", "to": "russia", "quote": Q_BASED},
        {"from": "rt-maker", "type": "OPERATES", "to": "rt-plant", "quote": Q_PLANT},
        {"from": "rt-maker", "type": "ASSEMBLES_FOR", "to": "jac", "quote": Q_PLANT}])))
    assert kept(seeded, settings)[("rt-maker", "jac")] == ["russia"]

    # the plant's place, from another article
    _load(seeded, settings, write(tmp_path / "b", _doc("places-news", [
        {"id": "test-city", "label": "City", "name": "Test City"}], [
        {"from": "rt-plant", "type": "LOCATED_IN", "to": "test-city", "quote": Q_PLANT},
        {"from": "test-city", "type": "LOCATED_IN", "to": "kazakhstan", "quote": Q_PLANT}])))
    assert kept(seeded, settings)[("rt-maker", "jac")] == ["kazakhstan", "russia"]

    # a region above Kazakhstan: three hops above the plant
    _load(seeded, settings, write(tmp_path / "c", _doc("region-news", [
        {"id": "test-region", "label": "Region", "name": "Test Region"}], [
        {"from": "kazakhstan", "type": "LOCATED_IN", "to": "test-region", "quote": Q_BASED}])))
    markets = kept(seeded, settings)
    assert markets == {("moskvich", "jac"): ["russia"], ("rt-maker", "jac"): ["kazakhstan", "russia", "test-region"]}
    rows = Graph(seeded, settings).query("foreign-assembly", market="Test Region")
    assert [(r["brand"], r["assembler"], r["plants"]) for r in rows] == [("jac", "rt-maker", ["RT Plant"])]

    unload("region-news", driver=seeded, database=settings.database)
    assert kept(seeded, settings)[("rt-maker", "jac")] == ["kazakhstan", "russia"]
    unload("places-news", driver=seeded, database=settings.database)
    assert kept(seeded, settings)[("rt-maker", "jac")] == ["russia"]
    unload("rt-news", driver=seeded, database=settings.database)
    assert kept(seeded, settings) == {("moskvich", "jac"): ["russia"]}


def test_markets_after_a_batched_load(seeded, settings, tmp_path):
    """CSV rows in batches of 3 on two threads: assemblies first, their plants' places after."""
    src = curated(tmp_path, "csv-source.yaml", entities="  []\n", facts="  []\n")[0]
    quote = ("The collaboration also involves KAMAZ, a partner that has publicly acknowledged its "
             "role alongside JAC in producing the Compass medium duty truck.")
    nodes = tmp_path / "nodes.csv"
    nodes.write_text("id:ID,:LABEL,name\n" + "".join(f"kit-{i},Plant,Kit plant {i}\n" for i in range(8)),
                     encoding="utf-8")
    rels = tmp_path / "rels.csv"
    rels.write_text(":START_ID,:TYPE,:END_ID,source,quote\n"
                    + "".join(f'kit-{i},ASSEMBLES_FOR,jac,csv-source,"{quote}"\n' for i in range(8))
                    + "".join(f'kit-{i},LOCATED_IN,{"kazakhstan" if i % 2 else "moscow"},csv-source,"{quote}"\n'
                              for i in range(8)), encoding="utf-8")
    _load(seeded, settings, src, nodes, rels, batch_size=3, workers=2)
    markets = kept(seeded, settings)
    assert {k: v for k, v in markets.items() if k[0].startswith("kit-")} == {
        (f"kit-{i}", "jac"): ["kazakhstan"] if i % 2 else ["russia"] for i in range(8)}


def test_foreign_assembly_starts_from_the_markets_index(seeded, settings):
    plan = explain(seeded, "foreign-assembly", {"market": "Russia", "limit": 25}, database=settings.database)
    ops = [o["operator"] for o in plan["operators"]]
    calls = [o["details"] for o in plan["operators"] if o["operator"] == "ProcedureCall"]
    assert [c.split("(")[0] for c in calls] == ["db.index.fulltext.queryRelationships",
                                                 "db.index.fulltext.queryNodes"]
    assert "queryRelationships('assembly_markets'" in L.get_query("foreign-assembly").cypher
    assert not any("Scan" in op for op in ops), ops


def test_input_that_sets_markets_is_refused(seeded, settings, tmp_path):
    facts = ("  - from: test-co\n    type: ASSEMBLES_FOR\n    to: test-co-two\n    properties: {markets: [russia]}\n"
             "    quote: JAC, for its part, is noted for producing both passenger cars and electric vehicles\n")
    path, _ = curated(tmp_path, "markets.yaml", entities=GOOD_ENTITIES + SECOND_ENTITY, facts=facts)
    problem = problem_at(rejected(seeded, settings, [path]), path)
    assert problem.endswith("`markets` of ASSEMBLES_FOR is kept by the graph (the countries and regions its "
                            "assembler, or a plant the assembler operates or owns, lies in), not loaded; "
                            "remove it from the input"), problem


def test_schema_apply_computes_the_markets_of_a_graph_written_before_them(seeded, settings):
    right = kept(seeded, settings)
    with seeded.session(database=settings.database) as s:
        s.run("DROP INDEX assembly_markets").consume()
        s.run("MATCH ()-[f:ASSEMBLES_FOR]->() REMOVE f.markets").consume()
    assert [r["assembler"] for r in stale_markets(seeded, settings.database)] == ["moskvich"]
    apply_schema(seeded, settings.database)
    assert kept(seeded, settings) == right
    assert refresh_all_markets(seeded, settings.database) == 0
