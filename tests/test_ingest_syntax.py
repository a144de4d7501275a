"""The drafter's relations stage on the dependency parse (loaders/ingest/syntax.py).

Each test drafts a one-sentence article and asserts the facts that sentence's grammar
carries: passives with an agent, relative clauses, appositions, possessives, a receiver
after "to" far from its verb, "took over", "builds cars for", "assembles cars for", "shipped by sea", "won a contract
to supply", "no longer ships", "by rail through", stakes
("took a stake in", "in which X holds a stake", "the distributor owned by X"), "Y's partner X", "works with", "its cells come from X", "to dealers in A, B and C", "X, Y's importer for Z", "buy Y's plant", and facts
about the past (status `ended`, `until`). No database.
"""

from __future__ import annotations

from ingest_helpers import company, draft_text
from motorgraph.loaders.ingest.syntax import build_dep_matcher
from motorgraph.loaders.ingest.text import pipeline

KNOWN = [
    company("ford", "Ford"),
    company("kamaz", "KAMAZ", aliases=["Kamaz"]),
]


def _facts(tmp_path, sentence: str) -> dict[tuple[str, str, str], dict]:
    d = draft_text(tmp_path, sentence, KNOWN)
    return {(f["from"], f["type"], f["to"]): f for f in d["facts"]}


def test_passive_with_agent(tmp_path):
    f = _facts(tmp_path, "Volvo Cars was acquired by Geely in 2010.")
    assert ("geely", "ACQUIRED", "volvo-cars") in f
    assert f[("geely", "ACQUIRED", "volvo-cars")]["since"] == 2010
    assert ("volvo-cars", "ACQUIRED", "geely") not in f


def test_took_over(tmp_path):
    f = _facts(tmp_path, "Tata Motors took over Jaguar Land Rover in 2008.")
    assert ("tata-motors", "ACQUIRED", "jaguar-land-rover") in f


def test_receiver_far_from_the_verb_and_the_seller_s_past(tmp_path):
    f = _facts(tmp_path, "Ford sold its stake in Mazda to the Japanese company Sumitomo Group, a trading house, in 2015.")
    acq = f[("sumitomo-group", "ACQUIRED", "mazda")]
    assert acq["properties"]["from_party"] == "Ford"
    owned = f[("ford", "OWNS", "mazda")]
    assert owned["status"] == "ended" and owned["until"] == 2015


def test_handed_to(tmp_path):
    f = _facts(tmp_path, "In 2022 Renault handed its Moscow plant to NAMI.")
    assert ("nami", "ACQUIRED", "renault-moscow-plant") in f
    assert ("renault", "OPERATES", "renault-moscow-plant") in f


def test_relative_clause_passive_until(tmp_path):
    f = _facts(tmp_path, "The Craiova plant, which was owned by Daewoo until 2008, builds the Puma crossover and the Transit Courier van.")
    owns = f[("daewoo", "OWNS", "craiova-plant")]
    assert owns["status"] == "ended" and owns["until"] == 2008
    assert ("craiova-plant", "PRODUCES", "puma") in f
    assert ("craiova-plant", "PRODUCES", "transit-courier") in f


def test_possessive_plant_and_apposition(tmp_path):
    f = _facts(tmp_path, "Nissan's plant in Sunderland builds the Qashqai. Ivan Espinosa, the chief executive of Nissan, "
                         "visited the plant in March.")
    assert ("nissan", "OPERATES", "nissan-sunderland-plant") in f
    assert ("nissan-sunderland-plant", "LOCATED_IN", "sunderland") in f
    assert ("nissan-sunderland-plant", "PRODUCES", "qashqai") in f
    assert ("ivan-espinosa", "REPRESENTS", "nissan") in f


def test_shipped_by_sea_and_supplied_by(tmp_path):
    f = _facts(tmp_path, "Batteries will be supplied to Kamaz by Tormek Energy, a battery maker. "
                         "Kamaz ships most of its trucks by sea to Africa.")
    sup = f[("tormek-energy", "SUPPLIES", "kamaz")]
    assert sup["properties"]["goods"] == "Batteries"
    assert f[("kamaz", "SHIPS_TO", "africa")]["properties"]["goods"]


def test_builds_cars_for(tmp_path):
    f = _facts(tmp_path, "Magna Steyr, which builds cars for Ford, is based in Graz.")
    # contract assembly, as the gold files label it (a partnership), not a supply of goods
    assert f[next(k for k in f if k[1] == "PARTNERS_WITH")]["to"] == "ford"
    assert not any(k[1] == "SUPPLIES" for k in f)
    assert any(k[1] == "LOCATED_IN" and k[2] == "graz" for k in f)


def test_assembles_cars_for_is_contract_assembly(tmp_path):
    f = _facts(tmp_path, "Ford assembles trucks for Kamaz at its plant in Kostanay.")
    assert ("ford", "ASSEMBLES_FOR", "kamaz") in f
    assert ("ford", "SUPPLIES", "kamaz") not in f


def test_negation_drops_the_fact(tmp_path):
    f = _facts(tmp_path, "Geely did not buy Volvo Cars.")
    assert not any(k[1] == "ACQUIRED" for k in f)


def test_every_role_pattern_is_a_valid_dependency_pattern():
    matcher, keys = build_dep_matcher(pipeline().vocab)
    assert len(matcher) == len(keys) > 10
    assert {r for r, *_ in keys.values()} >= {"subject", "object", "prep", "appos", "owner"}


def test_infinitive_on_the_object_takes_the_clause_subject(tmp_path):
    f = _facts(tmp_path, "Valeo has won a contract to supply headlamps to Ford's new plant in Craiova, Romania.")
    assert f[("valeo", "SUPPLIES", "ford-craiova-plant")]["properties"]["goods"] == "headlamps"


def test_goods_shipped_to_a_plant_are_a_supply_and_no_longer_ends_it(tmp_path):
    f = _facts(tmp_path, "Ford no longer ships kits to the Avtotor plant.")
    assert f[("ford", "SUPPLIES", "avtotor-plant")]["status"] == "ended"


def test_route_by_rail_through_a_country(tmp_path):
    f = _facts(tmp_path, "Ford has started sending cars from Wuhu to Russia by rail through Kazakhstan.")
    assert f[("ford", "SHIPS_TO", "kazakhstan")]["properties"]["mode"] == "rail"
    assert ("kazakhstan", "SHIPS_TO", "russia") in f
    assert ("russia", "SHIPS_TO", "kazakhstan") not in f


def test_building_cars_for_a_brand_is_contract_assembly_and_parts_a_supply(tmp_path):
    f = _facts(tmp_path, "Ford, which builds cars for Kia and Mazda from imported kits, opened a new line.")
    assert f[("ford", "PARTNERS_WITH", "kia")]["properties"] == {"on": "contract assembly"}
    assert ("ford", "ASSEMBLES_FOR", "mazda") in f
    assert ("ford", "SUPPLIES", "kia") not in f
    f = _facts(tmp_path, "Ford builds seats for Kia.")
    assert f[("ford", "SUPPLIES", "kia")]["properties"]["goods"] == "seats"
    assert ("ford", "PARTNERS_WITH", "kia") not in f


def test_stakes_taken_held_in_a_relative_clause_and_owned_by_after_a_description(tmp_path):
    f = _facts(tmp_path, "In the same deal, Ford took a 51% stake in Mazda.")
    assert f[("ford", "OWNS", "mazda")]["properties"]["share_percent"] == 51.0
    f = _facts(tmp_path, "Kaiyi, a Chinese carmaker in which Ford holds a stake, opened a plant.")
    assert ("ford", "OWNS", "kaiyi") in f
    f = _facts(tmp_path, "Kamaz, the distributor owned by Ford, opened a plant.")
    assert ("ford", "OWNS", "kamaz") in f


def test_possessor_s_partner(tmp_path):
    f = _facts(tmp_path, "China, where Ford's partner Mazda builds the same model, is a big market.")
    assert ("ford", "PARTNERS_WITH", "mazda") in f
    f = _facts(tmp_path, "The plant is run by Ford's logistics partner Kamaz.")
    assert ("ford", "PARTNERS_WITH", "kamaz") in f


def test_works_with(tmp_path):
    f = _facts(tmp_path, "In China, Ford works with Mazda through Kamaz, a joint venture based in Changshu.")
    assert ("ford", "PARTNERS_WITH", "mazda") in f


def test_goods_that_come_from_a_supplier(tmp_path):
    f = _facts(tmp_path, "Ford has chosen a new supplier. Its battery cells will come from Samsung SDI.")
    assert f[("samsung-sdi", "SUPPLIES", "ford")]["properties"]["goods"] == "battery cells"


def test_shipped_to_each_of_coordinated_countries(tmp_path):
    f = _facts(tmp_path, "Ford then sends them on by truck to dealers in Germany, Austria and Switzerland.")
    for country in ("germany", "austria", "switzerland"):
        assert f[("ford", "SHIPS_TO", country)]["properties"]["mode"] == "truck"


def test_an_importer_for_a_country_ships_there(tmp_path):
    f = _facts(tmp_path, "Cars for Scandinavia take a ferry to Gothenburg, where Kamaz, Ford's importer for Sweden, takes them over.")
    assert ("kamaz", "SHIPS_TO", "sweden") in f


def test_buying_a_company_s_plant_is_not_buying_the_company(tmp_path):
    f = _facts(tmp_path, "Kamaz agreed to buy Ford's idle plant in Chennai last year.")
    assert ("kamaz", "ACQUIRED", "ford") not in f
    assert ("kamaz", "OWNS", "ford") not in f
    assert ("kamaz", "ACQUIRED", "chennai-plant") in f
