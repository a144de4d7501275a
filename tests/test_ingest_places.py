"""The drafter's places and plants named by their context (loaders/ingest/candidates.py,
names.py, relations.py): a region named by its noun ("Harlan County", "the state of
Kerala"), a region after a city ("Nashik, Maharashtra,"); plants named
by a city and a loose plant noun ("the Craiova site") or by a kind ("the Ghent cell plant"); companies named after an organisation noun ("its shipping unit,
Tormena,") or by "Automobiles". No database.
"""

from __future__ import annotations

from ingest_helpers import company, draft_text, triples as _triples

KNOWN = [
    company("ford", "Ford"),
]


def _draft(tmp_path, text: str) -> dict:
    return draft_text(tmp_path, text, KNOWN)


def _labels(d: dict) -> dict[str, str]:
    return {e["name"]: e["label"] for e in d["entities"]}


def test_a_county_is_a_region_inside_its_state(tmp_path):
    d = _draft(tmp_path, "Ford will build a battery plant in Harlan County, Kentucky, from 2027.")
    assert _labels(d).get("Harlan County") == "Region"
    facts = _triples(d)
    assert ("harlan-county", "LOCATED_IN", "kentucky") in facts


def test_the_state_of_x_is_a_region(tmp_path):
    d = _draft(tmp_path, "Ford sold its plant in Kochi, in the southern Indian state of Kerala, to a local group.")
    assert _labels(d).get("Kerala") == "Region"


def test_a_name_after_a_city_and_a_comma_is_a_region(tmp_path):
    d = _draft(tmp_path, "Ford opened its assembly plant in Nashik, Maharashtra, on Monday.")
    assert _labels(d).get("Maharashtra") == "Region"
    facts = _triples(d)
    assert ("nashik", "LOCATED_IN", "maharashtra") in facts


def test_a_province_keeps_its_whole_name(tmp_path):
    d = _draft(tmp_path, "Ford will assemble vans at its complex in Binh Dinh province from May.")
    names = {e["name"] for e in d["entities"] if e["label"] == "Region"}
    assert "Binh Dinh province" in names


def test_a_city_site_is_a_plant(tmp_path):
    d = _draft(tmp_path, "Ford assembles vans in Craiova. The Craiova site has a capacity of 300,000 vehicles a year.")
    plants = {e["name"] for e in d["entities"] if e["label"] == "Plant"}
    assert any("Craiova" in p for p in plants)


def test_a_cell_plant_is_not_the_vehicle_plant_in_the_same_city(tmp_path):
    d = _draft(tmp_path, "Ford will supply engines to Volvo's new vehicle plant in Ghent, Belgium. "
                         "Ford's Ghent cell plant is being built next to it.")
    plants = [e for e in d["entities"] if e["label"] == "Plant"]
    assert len(plants) == 2
    facts = _triples(d)
    cell = next(e["id"] for e in plants if "cell" in e["name"])
    assert ("ford", "OPERATES", cell) in facts


def test_a_possessed_main_plant_at_an_unknown_town(tmp_path):
    d = _draft(tmp_path, "Ford's main plant at Rawang, in the state of Selangor, assembles the Ranger pickup.")
    assert _labels(d).get("Rawang") == "City"
    facts = _triples(d)
    assert ("ford", "OPERATES", "ford-rawang-plant") in facts
    assert ("ford-rawang-plant", "PRODUCES", "ranger") in facts


def test_both_models_built_at_a_plant_are_not_the_rivals_named_before(tmp_path):
    d = _draft(tmp_path, "The Renault Captur and the Kia Stonic are its main rivals. Both models are also built "
                         "at Ford's main complex in Craiova, Romania, which can produce 300,000 vehicles a year.")
    facts = _triples(d)
    assert ("ford", "OPERATES", "ford-craiova-complex") in facts
    assert not any(t == "PRODUCES" for _, t, _ in facts)


def test_a_name_after_an_organisation_noun_and_a_comma_is_a_company(tmp_path):
    d = _draft(tmp_path, "Ford ships the kits to Craiova, where its own shipping unit, Tormena, unloads them.")
    assert _labels(d).get("Tormena") == "Company"


def test_automobiles_ends_a_company_name(tmp_path):
    d = _draft(tmp_path, "Ford signed up 35 dealers, among them Pune-based Raghav Automobiles.")
    assert _labels(d).get("Raghav Automobiles") == "Company"


def test_the_nationality_of_a_company_named_by_an_anaphor(tmp_path):
    d = _draft(tmp_path, "Ford has sold its plant in Craiova. The American automaker said on Monday that it would keep its engine plant.")
    facts = _triples(d)
    assert ("ford", "LOCATED_IN", "united-states") in facts


def test_a_city_in_the_state_of_a_region(tmp_path):
    d = _draft(tmp_path, "Ford sold its plant in Kochi, in the southern Indian state of Kerala, to a local group.")
    facts = _triples(d)
    assert ("kochi", "LOCATED_IN", "kerala") in facts


def test_a_company_s_plants_in_a_city_are_one_plant_entity(tmp_path):
    d = _draft(tmp_path, "The Kuga is built at Ford's plants in Valencia.")
    facts = _triples(d)
    assert ("ford", "OPERATES", "ford-valencia-plants") in facts
    assert ("ford-valencia-plants", "PRODUCES", "kuga") in facts


def test_the_company_building_a_plant_in_a_relative_clause_operates_it(tmp_path):
    d = _draft(tmp_path, "Ford gets cells from Tormek Batteries, a Swedish supplier, which is building a cell factory in Ghent as well.")
    facts = _triples(d)
    assert ("tormek-batteries", "OPERATES", "tormek-batteries-ghent-cell-factory") in facts


def test_a_plant_named_by_the_place_after_it_keeps_that_wording_as_an_alias(tmp_path):
    d = _draft(tmp_path, "Ford's Kuga is built at the Gigafactory in Valencia, Spain.")
    plant = next(e for e in d["entities"] if e["label"] == "Plant")
    assert "Gigafactory in Valencia" in plant["aliases"]
