"""The drafter's supply and acquisition readings (loaders/ingest/ownership.py, syntax.py).

Each test drafts short made-up articles, several wordings of one construction with different
companies, and asserts the facts the construction carries: goods bought or sourced from a
company are its supply to the buyer (never an acquisition of the seller), while a stake, a
plant, a brand or a company bought from someone stays an acquisition; a distributor's cars
distributed in a country (or to dealers there) are its hop of the route there. No database.
"""

from __future__ import annotations

import pytest

from ingest_helpers import company as _co, draft_text, triples


KNOWN = [_co("kestrel-motors", "Kestrel Motors"), _co("varda-auto", "Varda Auto"),
         _co("orlan-cars", "Orlan Cars"), _co("cellwise", "Cellwise", "supplier"),
         _co("stahlwerk-nord", "Stahlwerk Nord", "supplier"), _co("lumo-seating", "Lumo Seating", "supplier")]


def _facts(tmp_path, text: str) -> set[tuple[str, str, str]]:
    return triples(draft_text(tmp_path, text, KNOWN))


@pytest.mark.parametrize("sentence, seller, buyer", [
    ("Kestrel Motors buys battery cells from Cellwise.", "cellwise", "kestrel-motors"),
    ("Varda Auto purchased steel from Stahlwerk Nord for its new plant.", "stahlwerk-nord", "varda-auto"),
    ("Orlan Cars bought seats from the supplier Lumo Seating until 2021.", "lumo-seating", "orlan-cars"),
    ("Kestrel Motors sources its battery cells from Cellwise.", "cellwise", "kestrel-motors"),
    ("Varda Auto procures its steel from Stahlwerk Nord.", "stahlwerk-nord", "varda-auto"),
])
def test_goods_bought_from_a_company_are_its_supply(tmp_path, sentence, seller, buyer):
    f = _facts(tmp_path, sentence)
    assert (seller, "SUPPLIES", buyer) in f
    assert (buyer, "ACQUIRED", seller) not in f and (buyer, "OWNS", seller) not in f


@pytest.mark.parametrize("sentence, buyer, target", [
    ("Kestrel Motors bought Orlan Cars from Varda Auto in 2019.", "kestrel-motors", "orlan-cars"),
    ("Varda Auto agreed to buy a further 10% of Orlan Cars from Kestrel Motors.", "varda-auto", "orlan-cars"),
])
def test_a_company_or_a_share_bought_from_someone_stays_an_acquisition(tmp_path, sentence, buyer, target):
    f = _facts(tmp_path, sentence)
    assert (buyer, "ACQUIRED", target) in f
    assert not {x for x in f if x[1] == "SUPPLIES"}


@pytest.mark.parametrize("sentence, buyer, owner", [
    ("Orlan Cars' other Spanish factory, in Vigo, which it ran until 2020, was acquired by Kestrel Motors in 2021.",
     "kestrel-motors", "orlan-cars"),
    ("The Polish unit of Varda Auto was bought by Orlan Cars in 2019.", "orlan-cars", "varda-auto"),
    ("Kestrel Motors' engine plant was taken over by Varda Auto last year.", "varda-auto", "kestrel-motors"),
])
def test_a_possessed_plant_or_unit_bought_is_not_its_owner_bought(tmp_path, sentence, buyer, owner):
    f = _facts(tmp_path, sentence)
    assert (buyer, "ACQUIRED", owner) not in f and (buyer, "OWNS", owner) not in f


def test_a_stake_bought_by_someone_is_an_acquisition_of_the_company(tmp_path):
    f = _facts(tmp_path, "A 36.8 percent stake in Orlan Cars was bought by Varda Auto in 1999.")
    assert ("varda-auto", "ACQUIRED", "orlan-cars") in f


@pytest.mark.parametrize("sentence, supplier, receiver", [
    ("Until 2022, most of the cells in Kestrel Motors' electric cars were supplied by Cellwise.", "cellwise", "kestrel-motors"),
    ("Varda Auto's seats are supplied by Lumo Seating.", "lumo-seating", "varda-auto"),
    ("Stahlwerk Nord supplies Orlan Cars' steel.", "stahlwerk-nord", "orlan-cars"),
])
def test_goods_supplied_without_a_receiver_go_to_their_owner(tmp_path, sentence, supplier, receiver):
    assert (supplier, "SUPPLIES", receiver) in _facts(tmp_path, sentence)


@pytest.mark.parametrize("sentence, receiver, suppliers", [
    ("Suppliers for Kestrel Motors include Cellwise and Lumo Seating.", "kestrel-motors", ("cellwise", "lumo-seating")),
    ("Varda Auto's suppliers include Stahlwerk Nord, Cellwise and Lumo Seating.", "varda-auto",
     ("stahlwerk-nord", "cellwise", "lumo-seating")),
    ("Key suppliers to Orlan Cars include Lumo Seating.", "orlan-cars", ("lumo-seating",)),
])
def test_suppliers_for_a_company_include(tmp_path, sentence, receiver, suppliers):
    f = _facts(tmp_path, sentence)
    assert {x for x in f if x[1] == "SUPPLIES"} == {(s, "SUPPLIES", receiver) for s in suppliers}


@pytest.mark.parametrize("sentence, distributor, places", [
    ("Until 2024 Lumo Seating also distributed Varda Auto cars in Germany.", "lumo-seating", ("germany",)),
    ("Orlan Cars distributes the Kestrel Motors range in Austria and Hungary.", "orlan-cars", ("austria", "hungary")),
    ("Varda Auto distributes Kestrel Motors vehicles to dealers in Poland and Slovakia.", "varda-auto", ("poland", "slovakia")),
])
def test_cars_distributed_in_a_country_are_shipped_there(tmp_path, sentence, distributor, places):
    f = _facts(tmp_path, sentence)
    assert {x for x in f if x[1] == "SHIPS_TO"} == {(distributor, "SHIPS_TO", p) for p in places}


@pytest.mark.parametrize("sentence, builder, model, client", [
    ("Under the deal Orlan Cars builds the Kestrel Motors Falco pickup at its plant in Pretoria.",
     "orlan-cars", "kestrel-motors-falco", None),
    ("The Varda Auto Sprint and the Varda Auto Mira, which Orlan Cars has assembled for Varda Auto since 2023, sell well.",
     "orlan-cars", "varda-auto-mira", "varda-auto"),
    ("Kestrel Motors also builds the Varda Auto Tavi van for Varda Auto at its factory in Poznan.",
     "kestrel-motors", "varda-auto-tavi", "varda-auto"),
])
def test_a_company_building_another_maker_s_model_produces_it_under_contract(tmp_path, sentence, builder, model, client):
    facts = {(f["from"], f["type"], f["to"]): f for f in draft_text(tmp_path, sentence, KNOWN)["facts"]}
    assert facts[(builder, "PRODUCES", model)]["properties"]["role"]
    assert (builder, "MAKES", model) not in facts
    if client:
        assert facts[(builder, "PARTNERS_WITH", client)]["properties"] == {"on": "contract assembly"}
        assert (builder, "ASSEMBLES_FOR", client) in facts


@pytest.mark.parametrize("sentence, buyer, seller, plant", [
    ("Orlan Cars has agreed to sell its idle engine plant in Leipzig to Kestrel Motors.",
     "kestrel-motors", "orlan-cars", "leipzig-engine-plant"),
    ("Varda Auto agreed to buy Kestrel Motors' plant in Gdansk.", "varda-auto", "kestrel-motors", "kestrel-motors-gdansk-plant"),
    ("Kestrel Motors agrees to sell its Graz plant to Varda Auto.", "varda-auto", "kestrel-motors", "kestrel-motors-graz-plant"),
])
def test_an_agreed_sale_is_pending_and_changes_no_ownership_yet(tmp_path, sentence, buyer, seller, plant):
    facts = {(f["from"], f["type"], f["to"]): f for f in draft_text(tmp_path, sentence, KNOWN)["facts"]}
    assert facts[(buyer, "ACQUIRED", plant)]["status"] == "pending approval"
    assert (buyer, "OWNS", plant) not in facts
    assert facts[(seller, "OPERATES", plant)].get("status") in (None, "active")
    assert not any(f.get("status") == "pending approval" for k, f in facts.items() if k[1] != "ACQUIRED")


@pytest.mark.parametrize("sentence, models, places", [
    ("Kestrel Motors builds the Kestrel Falco and the Kestrel Vento for customers in Europe and Asia.",
     ("kestrel-falco", "kestrel-vento"), ("europe", "asia")),
    ("The plant produces the Varda Sprint and the Varda Mira for China.", ("varda-sprint", "varda-mira"), ("china",)),
    ("Orlan Cars makes the Orlan Tavi pickup for Brazilian buyers.", ("orlan-tavi",), ("brazil",)),
])
def test_a_model_built_for_a_market_targets_it(tmp_path, sentence, models, places):
    f = _facts(tmp_path, sentence)
    assert {x for x in f if x[1] == "TARGETS_MARKET"} == {(m, "TARGETS_MARKET", p) for m in models for p in places}


@pytest.mark.parametrize("sentence, seller, places", [
    ("Kestrel Motors sells its cars through distributors in Germany, the United Kingdom and Scandinavia.",
     "kestrel-motors", ("germany", "united-kingdom", "scandinavia")),
    ("Varda Auto sells its vans to dealers in Spain and Portugal.", "varda-auto", ("spain", "portugal")),
    ("Orlan Cars now sells its pickups through importers in Brazil.", "orlan-cars", ("brazil",)),
])
def test_a_company_selling_through_distributors_in_a_country_targets_it(tmp_path, sentence, seller, places):
    f = _facts(tmp_path, sentence)
    assert {x for x in f if x[1] == "TARGETS_MARKET"} == {(seller, "TARGETS_MARKET", p) for p in places}
