"""The counts the graph keeps on organisations (loaders/counts.py), against Neo4j.

After every write path (a load, batched or in one transaction, a replacing load that drops
and adds facts, `unload`) each Company, Country and Region's `relationship_count` and
`partner_count` equal a fresh COUNT {} of its relationships; `most-connected` reads them
through the range index; input that sets them is refused.
"""

from __future__ import annotations

from pathlib import Path

from inputs import GOOD_ENTITIES, SECOND_ENTITY, curated, problem_at, rejected
from motorgraph.graph import Graph
from motorgraph.library import explain
from motorgraph.loaders import load, unload
from motorgraph.loaders.counts import refresh_all_counts, stale_counts
from motorgraph.model import DERIVED_NODE_PROPS, load_model
from motorgraph.schema_ops import apply_schema
from test_replace_unload import Q_BASED, v1, write

REPO = Path(__file__).resolve().parent.parent

FRESH = """
MATCH (o) WHERE o:Company OR o:Country OR o:Region
RETURN o.id AS id, COUNT { (o)-[r]-() WHERE NOT r:MENTIONS } AS relationships,
       COUNT { MATCH (o)-[:PARTNERS_WITH]-(p) RETURN DISTINCT p } AS partners
"""
KEPT = """
MATCH (o) WHERE o:Company OR o:Country OR o:Region
RETURN o.id AS id, o.relationship_count AS relationships, o.partner_count AS partners
"""


def rows(driver, settings, cypher: str, **params) -> list[dict]:
    with driver.session(database=settings.database) as s:
        return [r.data() for r in s.run(cypher, **params)]


def kept(driver, settings) -> dict[str, tuple]:
    """id -> (relationship_count, partner_count), after checking they equal a fresh count."""
    have = {r["id"]: (r["relationships"], r["partners"]) for r in rows(driver, settings, KEPT)}
    fresh = {r["id"]: (r["relationships"], r["partners"]) for r in rows(driver, settings, FRESH)}
    assert have == fresh
    assert stale_counts(driver, settings.database) == []
    return have


def _load(driver, settings, *paths, **kw):
    return load(list(paths), driver=driver, database=settings.database, show_progress=False, **kw)


def test_counts_after_loading_the_seed(seeded, settings):
    counts = kept(seeded, settings)
    assert len(counts) > 10
    # counted by hand from the two articles (tests/golden/most-connected.json)
    assert counts["jac"] == (14, 2)
    assert counts["russia"] == (9, 1)
    assert counts["iran"] == (5, 3)


def test_counts_after_a_batched_load_from_two_threads(db, settings, tmp_path):
    """Batches of 7 rows on two writer threads, every batch touching the same few hubs."""
    src = curated(tmp_path, "csv-source.yaml", entities="  []\n", facts="  []\n")[0]
    nodes = tmp_path / "nodes.csv"
    nodes.write_text("id:ID,:LABEL,name,kind\n" + "".join(f"co-{i},Company,Co {i},supplier\n" for i in range(60)),
                     encoding="utf-8")
    quote = ("The collaboration also involves KAMAZ, a partner that has publicly acknowledged its "
             "role alongside JAC in producing the Compass medium duty truck.")
    rels = tmp_path / "rels.csv"
    rels.write_text(":START_ID,:TYPE,:END_ID,on,source,quote\n"
                    + "".join(f'co-{i},PARTNERS_WITH,co-{i % 3},{on},csv-source,"{quote}"\n'
                              for i in range(3, 60) for on in ("trucks", "vans")), encoding="utf-8")
    supplies = tmp_path / "supplies.csv"
    supplies.write_text(":START_ID,:TYPE,:END_ID,goods,source,quote\n"
                        + "".join(f'co-{i},SUPPLIES,co-{i % 3},axles,csv-source,"{quote}"\n' for i in range(3, 60)),
                        encoding="utf-8")
    summary = _load(db, settings, src, nodes, rels, supplies, batch_size=7, workers=2)
    assert summary.relationships_created == 57 * 3
    counts = kept(db, settings)
    assert counts["co-0"] == (19 * 3, 19)  # 19 companies, two partnerships and a supply each
    assert counts["co-5"] == (3, 1)


def test_counts_after_a_replacing_load_that_drops_and_adds_facts(db, settings, tmp_path):
    _load(db, settings, REPO / "data")
    seed = kept(db, settings)
    _load(db, settings, write(tmp_path / "v1", v1()))
    after_v1 = kept(db, settings)
    assert after_v1["rt-maker"] == (3, 1)  # LOCATED_IN russia, OPERATES its plant, PARTNERS_WITH kamaz
    assert after_v1["kamaz"] == (seed["kamaz"][0] + 1, seed["kamaz"][1] + 1)
    assert after_v1["russia"] == (seed["russia"][0] + 1, seed["russia"][1])  # SHIPS_TO was the seed's already

    # v2: the plant and the partnership are gone, a market is new
    doc = v1()
    doc["entities"] = [e for e in doc["entities"] if e["id"] != "rt-plant"]
    doc["facts"] = [f for f in doc["facts"] if f["type"] in ("LOCATED_IN", "SHIPS_TO")]
    doc["facts"].append({"from": "rt-maker", "type": "TARGETS_MARKET", "to": "russia", "quote": Q_BASED})
    summary = _load(db, settings, write(tmp_path / "v2", doc))
    assert summary.retraction.facts_removed == ["rt-maker -[OPERATES]-> rt-plant",
                                                "rt-maker -[PARTNERS_WITH 'trucks']-> kamaz"]
    after_v2 = kept(db, settings)
    assert after_v2["rt-maker"] == (2, 0)
    assert after_v2["kamaz"] == seed["kamaz"]
    assert after_v2["russia"] == (seed["russia"][0] + 2, seed["russia"][1])


def test_counts_after_unload(db, settings, tmp_path):
    _load(db, settings, REPO / "data")
    seed = kept(db, settings)
    _load(db, settings, write(tmp_path / "v1", v1()))
    unload("rt-news", driver=db, database=settings.database)
    assert kept(db, settings) == seed  # rt-maker is gone with its last relationship

    unload("iran-russia-joint-production", driver=db, database=settings.database)
    after = kept(db, settings)
    assert after["russia"][0] < seed["russia"][0]
    assert "iran" not in after  # only that article named Iran


def test_an_unchanged_reload_recounts_nothing(seeded, settings):
    summary = _load(seeded, settings, REPO / "data")
    assert summary.relationships_created == 0
    assert summary.counters["properties_set"] == 0


def test_refresh_all_counts_recomputes_every_organisation(seeded, settings):
    right = kept(seeded, settings)
    rows(seeded, settings, "MATCH (o:Company) WHERE o.id IN ['jac', 'kamaz'] SET o.relationship_count = 999")
    rows(seeded, settings, "MATCH (o:Country {id: 'russia'}) REMOVE o.relationship_count, o.partner_count")
    assert [s["id"] for s in stale_counts(seeded, settings.database)] == ["jac", "kamaz", "russia"]
    assert refresh_all_counts(seeded, settings.database) == 3
    assert kept(seeded, settings) == right
    assert refresh_all_counts(seeded, settings.database) == 0


def test_schema_apply_counts_a_graph_written_before_the_counts(seeded, settings):
    right = kept(seeded, settings)
    for name, _, _ in load_model().count_indexes():
        rows(seeded, settings, f"DROP INDEX {name}")
    rows(seeded, settings, "MATCH (o) REMOVE o.relationship_count, o.partner_count")
    assert len(stale_counts(seeded, settings.database)) == len(right)
    apply_schema(seeded, settings.database)
    assert kept(seeded, settings) == right


def test_most_connected_reads_the_count_index(seeded, settings):
    plan = explain(seeded, "most-connected", {"limit": 10}, database=settings.database)
    ops = plan["operators"]
    leaves = [(o["operator"], o["details"]) for i, o in enumerate(ops)
              if i + 1 == len(ops) or ops[i + 1]["depth"] <= o["depth"]]
    assert sorted({op for op, _ in leaves}) == ["NodeIndexScan", "NodeIndexSeekByRange"]
    for label in ("Company", "Country", "Region"):
        assert sum(f"RANGE INDEX o:{label}(relationship_count)" in d for _, d in leaves) == 2, leaves
    assert not any("Scan" in o["operator"] and "Index" not in o["operator"] for o in ops)
    assert not any(o["operator"] in ("Sort", "Expand(All)") for o in ops)


def test_most_connected_breaks_ties_by_name_across_labels(db, settings, tmp_path):
    """Eleven companies with one relationship each: the 10 first by name, though the index
    returns equal counts in no particular order."""
    src = curated(tmp_path, "csv-source.yaml", entities="  []\n", facts="  []\n")[0]
    nodes = tmp_path / "nodes.csv"
    names = [f"Co {c}" for c in "kbjhgfedcaxi"]
    nodes.write_text("id:ID,:LABEL,name,kind\n" + "".join(f"co-{i},Company,{n},supplier\n" for i, n in enumerate(names))
                     + "hub-land,Country,Hub land,\n", encoding="utf-8")
    quote = ("The collaboration also involves KAMAZ, a partner that has publicly acknowledged its "
             "role alongside JAC in producing the Compass medium duty truck.")
    rels = tmp_path / "rels.csv"
    rels.write_text(":START_ID,:TYPE,:END_ID,goods,source,quote\n"
                    + "".join(f'co-{i},SUPPLIES,hub-land,axles,csv-source,"{quote}"\n' for i in range(len(names))),
                    encoding="utf-8")
    _load(db, settings, src, nodes, rels)
    got = Graph(db, settings).query("most-connected", limit=4)  # (closing a Graph closes its driver)
    assert [(r["name"], r["relationships"]) for r in got] == [
        ("Hub land", 12), ("Co a", 1), ("Co b", 1), ("Co c", 1)]


def test_input_that_sets_a_count_is_refused(seeded, settings, tmp_path):
    entities = GOOD_ENTITIES.replace("properties: {kind: supplier}",
                                     "properties: {kind: supplier, relationship_count: 5}") + SECOND_ENTITY
    path, text = curated(tmp_path, "counted.yaml", entities=entities)
    problem = problem_at(rejected(seeded, settings, [path]), path)
    assert problem.endswith("`relationship_count` of Company is kept by the graph (its relationships of every "
                            "type but MENTIONS, in either direction), not loaded; remove it from the input"), problem

    src = curated(tmp_path, "csv-source.yaml", entities="  []\n", facts="  []\n")[0]
    nodes = tmp_path / "nodes.csv"
    nodes.write_text("id:ID,:LABEL,name,partner_count:int\ncsv-land,Country,CSV land,3\n", encoding="utf-8")
    problem = problem_at(rejected(seeded, settings, [src, nodes]), nodes, 2)
    assert problem == (f"{nodes}:2: node csv-land: `partner_count` of Country is kept by the graph (the distinct entities it "
                       "is PARTNERS_WITH, in either direction), not loaded; remove it from the input")


def test_counts_are_derived_in_the_model_and_left_out_of_rows(seeded, settings):
    model = load_model()
    assert model.counts.labels == ("Company", "Country", "Region")
    assert set(model.counts.properties) == {"relationship_count", "partner_count"} <= DERIVED_NODE_PROPS
    docs = (REPO / "docs" / "model.md").read_text(encoding="utf-8")
    assert "| `relationship_count` | integer | derived |" in docs and "## Derived counts" in docs
    result = Graph(seeded, settings).query_result("partners", company="KAMAZ")
    kamaz = [n for n in result.nodes if n["properties"].get("id") == "kamaz"]
    assert kamaz and "relationship_count" not in kamaz[0]["properties"]

