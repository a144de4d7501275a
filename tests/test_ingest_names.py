"""The drafter's names of new entities (loaders/ingest/discover.py, candidates.py, names.py):
a model's whole name after its maker ("the Honda CR-V", "the Tata Harrier EV", "the BMW iX").
Each construction is checked on several made-up sentences. No database.
"""

from __future__ import annotations

import pytest

from ingest_helpers import company, draft_text, triples as _triples

KNOWN = [
    company("honda", "Honda"),
    company("nissan", "Nissan"),
    company("kia", "Kia"),
    company("hyundai", "Hyundai"),
    company("tata-motors", "Tata Motors", aliases=["Tata"]),
    company("mahindra", "Mahindra"),
    company("bmw", "BMW"),
    company("mercedes-benz", "Mercedes-Benz"),
]


def _draft(tmp_path, text: str) -> dict:
    return draft_text(tmp_path, text, KNOWN)


def _models(d: dict) -> set[str]:
    return {e["name"] for e in d["entities"] if e["label"] == "VehicleModel"}


@pytest.mark.parametrize("sentence, model, maker", [
    ("The Marysville factory builds the Honda CR-V and the Honda Accord.", "Honda CR-V", "honda"),
    ("Nissan assembles the Nissan X-Trail at its plant in Kyushu.", "Nissan X-Trail", "nissan"),
    ("The new crossover will compete with the Tata Harrier EV in India.", "Tata Harrier EV", "tata-motors"),
    ("Its rivals are the Mahindra XEV 9e and the Mahindra BE 6.", "Mahindra XEV 9e", "mahindra"),
    ("The electric saloon competes with the BMW iX and the Mercedes-Benz EQS SUV.", "BMW iX", "bmw"),
    ("The electric saloon competes with the BMW iX and the Mercedes-Benz EQS SUV.", "Mercedes-Benz EQS SUV", "mercedes-benz"),
    ("Kia builds the Kia EV9 and the Hyundai Ioniq 5 in Georgia.", "Hyundai Ioniq 5", "hyundai"),
])
def test_a_model_keeps_its_whole_name_after_its_maker(tmp_path, sentence, model, maker):
    d = _draft(tmp_path, sentence)
    assert model in _models(d), _models(d)
    eid = next(e["id"] for e in d["entities"] if e["name"] == model)
    assert (maker, "MAKES", eid) in _triples(d)


def test_a_model_name_takes_no_ordinal_or_unit(tmp_path):
    d = _draft(tmp_path, "Honda said the Honda Accord 2nd generation sold well, and Kia built the Kia Sorento 5m times.")
    assert not any(m.endswith(("2nd", "5m")) for m in _models(d)), _models(d)


JV_KNOWN = KNOWN + [
    company("sony-group", "Sony Group", "holding", aliases=["Sony"]),
    company("chery", "Chery"),
    company("jaguar-land-rover", "Jaguar Land Rover", aliases=["JLR"]),
    company("gac-group", "GAC Group", aliases=["GAC"]),
    company("toyota", "Toyota"),
    company("dongfeng", "Dongfeng"),
]


@pytest.mark.parametrize("sentence, name", [
    ("Sony Honda Mobility will build its first car at a plant in Ohio.", "Sony Honda Mobility"),
    ("Jaguar Land Rover works with Chery through Chery Jaguar Land Rover, a joint venture based in Changshu.",
     "Chery Jaguar Land Rover"),
    ("GAC Toyota builds the Camry in Guangzhou, while Dongfeng Nissan builds the Sylphy in Wuhan.", "GAC Toyota"),
    ("GAC Toyota builds the Camry in Guangzhou, while Dongfeng Nissan builds the Sylphy in Wuhan.", "Dongfeng Nissan"),
])
def test_a_company_named_after_two_others_is_one_company(tmp_path, sentence, name):
    d = draft_text(tmp_path, sentence, JV_KNOWN)
    labels = {e["name"]: e["label"] for e in d["entities"]}
    assert labels.get(name) == "Company", labels


def test_companies_in_a_list_stay_apart(tmp_path):
    d = draft_text(tmp_path, "Toyota, Honda and Nissan build cars in Japan, and Chery sells them in China.", JV_KNOWN)
    assert not [e["name"] for e in d["entities"] if e["label"] == "Company" and " " in e["name"]]


@pytest.mark.parametrize("text, name, alias", [
    ("Truong Hai Auto Corporation, better known as Thaco, assembles cars in Vietnam. Thaco also owns a port.",
     "Truong Hai Auto Corporation", "Thaco"),
    ("Jiangling Motors Corporation, also known as JMC, builds vans in Nanchang. JMC exports them to Chile.",
     "Jiangling Motors Corporation", "JMC"),
    ("Kestrel Mobility Systems, commonly known as KMS, supplies seats to Honda. KMS opened a factory in Porto.",
     "Kestrel Mobility Systems", "KMS"),
])
def test_a_name_after_known_as_is_the_same_company(tmp_path, text, name, alias):
    d = _draft(tmp_path, text)
    ents = {e["name"]: e for e in d["entities"]}
    assert ents.get(name, {}).get("label") == "Company", ents
    assert alias in ents[name]["aliases"]
    assert alias not in ents, "the other name is no entity of its own"


@pytest.mark.parametrize("text, code", [
    ("The X50, Malaysia's best-selling SUV, competes with the Perodua Ativa.", "X50"),
    ("Kia builds the Hyundai Ioniq 5 electric SUV in Georgia.", "Ioniq 5"),
    ("The S7, a large sedan, is sold in Kazakhstan and Russia.", "S7"),
])
def test_a_model_code_is_never_a_place(tmp_path, text, code):
    d = _draft(tmp_path, text)
    assert not [e for e in d["entities"] if e["name"] == code and e["label"] in ("City", "Region", "Country")]


PLANT_KNOWN = KNOWN + [
    company("vinacar", "Vinacar", "assembler"),
    company("mazda", "Mazda"),
]


def _plant_draft(tmp_path, text: str) -> dict:
    return draft_text(tmp_path, text, PLANT_KNOWN)


@pytest.mark.parametrize("text, plant, alias", [
    ("Vinacar's Mazda plant can produce 100,000 cars a year.", "Vinacar Mazda plant", "Mazda plant"),
    ("Vinacar's Kia factory assembles crossovers from imported kits.", "Vinacar Kia factory", "Kia factory"),
    ("Honda's Acura plant will build the electric RSX.", "Honda Acura plant", "Acura plant"),
])
def test_a_company_s_plant_for_a_brand_is_named_by_both(tmp_path, text, plant, alias):
    d = _plant_draft(tmp_path, text)
    plants = {e["name"]: e for e in d["entities"] if e["label"] == "Plant"}
    assert plant in plants, plants
    assert alias in plants[plant]["aliases"]


@pytest.mark.parametrize("text", [
    "The Debrecen plant will be the Chinese company's second factory in Europe.",
    "Vinacar's plant is the largest Mazda factory in Southeast Asia.",
    "Vinacar became the first Asian assembler to own a complete vehicle factory in Germany.",
])
def test_a_continent_or_an_indefinite_country_names_no_plant(tmp_path, text):
    d = _plant_draft(tmp_path, text)
    names = [e["name"] for e in d["entities"] if e["label"] == "Plant"]
    assert not [n for n in names if any(w in n for w in ("Europe", "Southeast Asia", "Germany"))], names


def test_a_company_s_plant_in_a_country_is_still_a_plant(tmp_path):
    d = _plant_draft(tmp_path, "Vinacar will open its plant in Germany in 2026, and Mazda is building a plant in Turkey.")
    names = {e["name"] for e in d["entities"] if e["label"] == "Plant"}
    assert "Vinacar Germany plant" in names, names


MORE_KNOWN = PLANT_KNOWN + [
    {"id": "peugeot", "label": "Brand", "name": "Peugeot", "aliases": [], "properties": {}},
    {"id": "fiat", "label": "Brand", "name": "Fiat", "aliases": [], "properties": {}},
]


def _more(tmp_path, text: str) -> dict:
    return draft_text(tmp_path, text, MORE_KNOWN)


@pytest.mark.parametrize("text, model, maker", [
    ("Vinacar will begin assembling the Peugeot 2008 and the Peugeot 408 in May.", "Peugeot 2008", "peugeot"),
    ("Vinacar will begin assembling the Peugeot 2008 and the Peugeot 408 in May.", "Peugeot 408", "peugeot"),
    ("The Fiat 500 is built in Tychy and sold across Europe.", "Fiat 500", "fiat"),
])
def test_a_maker_and_a_number_after_the_is_a_model(tmp_path, text, model, maker):
    d = _more(tmp_path, text)
    ids = {e["name"]: e["id"] for e in d["entities"] if e["label"] == "VehicleModel"}
    assert model in ids, ids
    assert (maker, "MAKES", ids[model]) in _triples(d)


def test_a_maker_and_a_year_before_a_noun_is_no_model(tmp_path):
    d = _more(tmp_path, "Honda showed the Honda 2024 lineup in Tokyo.")
    assert not [e for e in d["entities"] if e["label"] == "VehicleModel" and "2024" in e["name"]]


@pytest.mark.parametrize("text, model", [
    ("The VF 7, a five-seat SUV, will compete with the Tata Harrier EV.", "VF 7"),
    ("The Afeela 1, which was first shown in Las Vegas, will compete with the BMW iX.", "Afeela 1"),
    ("The Zeekr 9, a large estate, goes on sale in Norway.", "Zeekr 9"),
])
def test_a_name_and_a_number_after_the_is_a_model(tmp_path, text, model):
    d = _more(tmp_path, text)
    assert model in _models(d), _models(d)


@pytest.mark.parametrize("text, person", [
    ("Its chairman, Wei Jianjun, has said the company wants to be seen as a European manufacturer.", "Wei Jianjun"),
    ("Its founder, Maria Lopez Garcia, told the newspaper that the firm would grow.", "Maria Lopez Garcia"),
])
def test_a_name_after_a_role_and_a_comma_is_a_person(tmp_path, text, person):
    d = _more(tmp_path, text)
    labels = {e["name"]: e["label"] for e in d["entities"]}
    assert labels.get(person) == "Person", labels


@pytest.mark.parametrize("text, company", [
    ("Saarland will take a 10% stake in the plant company, Saarlouis Automotive, while Mazda holds the rest.",
     "Saarlouis Automotive"),
    ("The cars are handled by Chongqing Logistics, which trucks them to Moscow.", "Chongqing Logistics"),
])
def test_a_city_and_a_company_word_is_a_company(tmp_path, text, company):
    known = MORE_KNOWN + [{"id": "saarlouis", "label": "City", "name": "Saarlouis", "aliases": [], "properties": {}},
                          {"id": "chongqing", "label": "City", "name": "Chongqing", "aliases": [], "properties": {}}]
    d = draft_text(tmp_path, text, known)
    labels = {e["name"]: e["label"] for e in d["entities"]}
    assert labels.get(company) == "Company", labels


@pytest.mark.parametrize("text, plant", [
    ("Vinacar will assemble the Peugeot 2008 at its Chu Lai complex from May.", "Chu Lai complex"),
    ("Mazda builds the CX-5 at Mazda's Ujina complex.", "Ujina complex"),
    ("Vinacar expanded its Nam Dinh site last year.", "Nam Dinh site"),
])
def test_an_owner_s_named_complex_or_site_is_a_plant(tmp_path, text, plant):
    d = _more(tmp_path, text)
    plants = {e["name"]: e for e in d["entities"] if e["label"] == "Plant"}
    assert any(plant == n or plant in e["aliases"] for n, e in plants.items()), plants


@pytest.mark.parametrize("text, company", [
    ("Sony Honda Mobility will build its first car at a plant in Ohio.", "Sony Honda Mobility"),
    ("Hedin Mobility Group distributes Kia cars in Sweden.", "Hedin Mobility Group"),
    ("Arvena Nissan Mobility will sell electric vans in Norway.", "Arvena Nissan Mobility"),
])
def test_a_name_around_a_known_company_is_one_company(tmp_path, text, company):
    d = _draft(tmp_path, text)
    labels = {e["name"]: e["label"] for e in d["entities"]}
    assert labels.get(company) == "Company", labels
    assert not [n for n, lab in labels.items() if lab == "VehicleModel"], labels


@pytest.mark.parametrize("text, model", [
    ("The Tiguan, which is built in Wolfsburg, is sold by Vinacar in Vietnam. Vinacar's plant in Hanoi builds the Tiguan.", "Tiguan"),
    ("Nissan said the Juke, which is produced in Sunderland, will get a hybrid.", "Juke"),
    ("The shipment carried the Atto 3 and Dolphin, which are built at Mazda's plant in Shenzhen.", "Dolphin"),
])
def test_the_antecedent_of_a_built_relative_clause_is_a_model(tmp_path, text, model):
    d = _more(tmp_path, text)
    labels = {e["name"]: e["label"] for e in d["entities"]}
    assert labels.get(model) == "VehicleModel", labels


@pytest.mark.parametrize("text, variant", [
    ("The Atto 3 and Dolphin, which are built at Mazda's plant in Shenzhen, sell well. The plant will add the "
     "Dolphin Surf at the end of 2025.", "Dolphin Surf"),
    ("Mazda's plant in Hiroshima builds the Roadster. It will add the Roadster Spyder next year.", "Roadster Spyder"),
])
def test_a_model_and_a_word_after_the_is_a_variant_model(tmp_path, text, variant):
    d = _more(tmp_path, text)
    models = {e["name"]: e for e in d["entities"] if e["label"] == "VehicleModel"}
    assert variant in models, models
    assert variant.split()[-1] not in models[variant]["aliases"]


@pytest.mark.parametrize("text, plant, city", [
    ("Mazda's other Japanese factory, in Hofu, Yamaguchi, which it ran until 2020, was sold to Vinacar.",
     "Mazda Hofu factory", "hofu"),
    ("Vinacar's second Vietnamese plant, in Hue, opened in 2019.", "Vinacar Hue plant", "hue"),
    ("Honda's main factory, in Suzuka, builds small cars.", "Honda Suzuka factory", "suzuka"),
])
def test_a_plant_and_a_place_after_a_comma_is_named_by_the_place(tmp_path, text, plant, city):
    d = _more(tmp_path, text)
    plants = {e["name"]: e["id"] for e in d["entities"] if e["label"] == "Plant"}
    assert plant in plants, plants
    assert (plants[plant], "LOCATED_IN", city) in _triples(d)


def test_a_place_adjective_alone_names_no_plant(tmp_path):
    d = _more(tmp_path, "Vinacar wants to build a Japanese plant one day, and Mazda runs an Indian factory too.")
    assert not [e for e in d["entities"] if e["label"] == "Plant"]


def test_a_factory_is_also_named_a_plant(tmp_path):
    d = _more(tmp_path, "Vinacar's factory in Hue builds crossovers.")
    plant = next(e for e in d["entities"] if e["label"] == "Plant")
    assert "Hue factory" in [plant["name"], *plant["aliases"]]
    assert "Hue plant" in plant["aliases"]


@pytest.mark.parametrize("text", [
    "The Honda Explorer No. 1, the first of eight ships it has ordered, left the port in January.",
    "The Mazda Pioneer No. 3 carried 5,000 cars to Europe.",
])
def test_a_numbered_name_is_no_model(tmp_path, text):
    d = _more(tmp_path, text)
    assert not _models(d), _models(d)


@pytest.mark.parametrize("text, plant, alias", [
    ("Vinacar will build the Afeela 1 at Honda's East Liberty plant in Ohio. Its chief said the Ohio plant was chosen "
     "for its experience.", "Honda East Liberty plant", "Ohio plant"),
    ("Mazda builds vans at its plant in Louisville, Kentucky. The Kentucky plant also builds the Escape.",
     "Mazda Louisville plant", "Kentucky plant"),
])
def test_a_plant_named_by_its_state_is_the_one_plant_there(tmp_path, text, plant, alias):
    d = _more(tmp_path, text)
    plants = {e["name"]: e for e in d["entities"] if e["label"] == "Plant"}
    assert list(plants) == [plant], plants
    assert alias in plants[plant]["aliases"]


def test_a_plant_named_by_a_state_with_two_plants_there_is_its_own(tmp_path):
    d = _more(tmp_path, "Mazda builds vans at its plant in Louisville, Kentucky, and cars at its plant in Georgetown, "
                        "Kentucky. The Kentucky plant will close.")
    plants = [e["name"] for e in d["entities"] if e["label"] == "Plant"]
    assert "Mazda Louisville plant" in plants and "Mazda Georgetown plant" in plants, plants
    assert not [e for e in d["entities"] if e["label"] == "Plant" and "Kentucky plant" in e["aliases"]]


@pytest.mark.parametrize("text", [
    "Its owner, Vostok Logistik, said the plant would stay open.",
    "Honda sold the Honda Accord 10 years ago in Germany.",
])
def test_no_person_by_a_role_companies_hold_and_no_model_number_before_a_noun(tmp_path, text):
    d = _more(tmp_path, text)
    assert not [e for e in d["entities"] if e["label"] == "Person"]
    assert not [m for m in _models(d) if m.endswith("10")], _models(d)


@pytest.mark.parametrize("text", [
    "Quartz Drive Systems, a supplier based in Curitiba, supplies batteries to Castell Group. Castell Group also "
    "builds vans at its factory in Curitiba, Brazil.",
    "Vireo Components, a supplier based in Pune, ships seats to Galvan Group. Galvan Group builds the Vela at its "
    "factory in Pune, India.",
    "Lumen Glassworks, a supplier based in Puebla, sells glass to Dunmore Group. Dunmore Group builds vans at its "
    "plant in Puebla, Mexico.",
])
def test_a_clause_after_a_comma_is_no_apposition(tmp_path, text):
    d = _more(tmp_path, text)
    labels = {}
    for e in d["entities"]:
        labels.setdefault(e["name"], set()).add(e["label"])
    city = next(c for c in ("Curitiba", "Pune", "Puebla") if c in text)
    assert labels.get(city) == {"City"}, labels
