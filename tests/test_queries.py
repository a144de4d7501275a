"""The saved-query library (queries/*.cypher, motorgraph.library, Graph.query) on the seed graph.

The expected rows below are written from the two articles in data/articles/ (A1 =
moskvich-jac-kamaz.txt, A2 = iran-russia-joint-production.txt) and from
tests/seed_expectations.yaml, not from the queries' output. Quotes are the articles'
sentences, checked below to occur in the article text.
"""

from __future__ import annotations

import contextlib
import re
import sys
import types
import zipfile
from pathlib import Path

import pytest

from motorgraph import library as L
from motorgraph import yamlio
from motorgraph.errors import QueryError
from motorgraph.model import load_model
from motorgraph.graph import Graph

REPO = Path(__file__).resolve().parent.parent
QUERIES = REPO / "queries"
ARTICLES = REPO / "data" / "articles"
EXPECT = yamlio.load((Path(__file__).parent / "seed_expectations.yaml").read_text(encoding="utf-8"))

A1, A2 = "moskvich-jac-kamaz", "iran-russia-joint-production"
# A1's headline; A2 has none, so its curated title is derived from its first sentence.
T1 = "Moskvich Production Plans Align with JAC and KAMAZ Partners in Russia"
T2 = "Iran seeks joint car production with Russia"

# ---- the articles' sentences ---------------------------------------------------------------
Q_LINKED = ("The Moskvich project is widely linked to the Chinese automaker JAC, with a target production "
            "capacity reaching as high as 300 thousand vehicles annually at the new facility.")
Q_RENAULT_PLANT = ("Renault’s Moscow plant, by comparison, has an established capacity of about 180 thousand "
                   "cars per year.")
Q_KAMAZ = ("The collaboration also involves KAMAZ, a partner that has publicly acknowledged its role alongside "
           "JAC in producing the Compass medium duty truck.")
Q_PURCHASE = ("JAC, for its part, is noted for producing both passenger cars and electric vehicles, and "
              "discussions about the Moskvich plant manufacturing these products have persisted since the "
              "purchase of the brand from Renault.")
Q_RUSSIAN_MARKET = ("These developments reflect a broader commitment to reestablishing production lines and to "
                    "diversifying product segments in the Russian market.")
Q_ROUTE = ("JAC vehicles were initially delivered to Russia via a logistics link with SaryarkaAvtoProm, a "
           "company based in Kazakhstan.")
Q_BATCH = ("The batch included five models: the S3 and S7 crossovers, a liftback with a silhouette that "
           "resembles a four-door coupe, the J7, the T6 pickup, and the iEV7S electric crossover, which offers "
           "an electric range around 300 kilometers.")
Q_SPIC = ("The timeline for obtaining this contract is not immediate, and it is understood that KAMAZ does not "
          "currently hold a separate SPIC for passenger cars, though there is optimism about potential "
          "eligibility in the near term.")
Q_SUNRAY = ("The arrangement also foresees the introduction of a commercial van, the Sunray, intended to replace "
            "older German models in the same class, with anticipated competition from established players such "
            "as the Mercedes-Benz Sprinter.")
Q_OVERALL = ("Overall, the Moskvich project appears to be structured around a collaborative ecosystem that "
             "connects JAC expertise in both passenger and electric vehicles with KAMAZ’s manufacturing "
             "capabilities and Renault’s historical footprint in the region.")
Q_INTERVIEW = ("Iran has expressed a clear interest in establishing joint car production with Russia, a topic "
               "conveyed by Kazım Celali, Iran’s ambassador to Russia, in an interview carried by Izvestia and "
               "summarized by the News bureau.")
Q_NEGOTIATIONS = ("The ambassador highlighted ongoing discussions and negotiations aimed at turning this interest "
                  "into a concrete project, framing it as a mutually beneficial collaboration between the two "
                  "nations.")
Q_REGIONS = ("The ambassador highlighted concrete regional engagements, pointing to collaborations initiated "
             "with the Tver and Kaluga regions.")
Q_VISIT = ("In addition, he mentioned a visit to the Nizhny Novgorod automobile plant, signaling recognition of "
           "the plant’s capabilities and its potential role in a bilateral program.")
Q_MARCH = ("Publicized information from March of this year indicated that Iran’s interest in joint automobile "
           "production with Russia is moving from discussion to planning, though a definitive launch date "
           "remains undisclosed.")
Q_FACTORIES = ("Celali detailed his personal observations from visits to several Russian automobile factories, "
               "noting that the collaboration could leverage each country’s strengths.")
Q_FAURECIA = ("In related developments, reports noted that Russian managers are exploring opportunities to "
              "acquire assets from Faurecia, an international automotive parts manufacturer, within the Russian "
              "Federation.")

QUOTES = {A1: [Q_LINKED, Q_RENAULT_PLANT, Q_KAMAZ, Q_PURCHASE, Q_RUSSIAN_MARKET, Q_ROUTE, Q_BATCH, Q_SPIC,
               Q_SUNRAY, Q_OVERALL, T1],
          A2: [Q_INTERVIEW, Q_NEGOTIATIONS, Q_REGIONS, Q_VISIT, Q_MARCH, Q_FAURECIA, Q_FACTORIES]}

SPIC_NAME = "Special investment contract (SPIC) for the Moskvich project"
JCP = "iran-russia-joint-car-production"
JCP_NAME = "Iran–Russia joint car production"
PASSENGER = "JAC passenger cars and electric vehicles at the Moskvich plant"


def venture(kind, party, party_name, counterpart, counterpart_name, subject, status, source, quote, **extra):
    return {"kind": kind, "party": party, "party_name": party_name, "counterpart": counterpart,
            "counterpart_name": counterpart_name, "subject": subject, "status": status,
            "sources": [source], "quotes": [quote], **extra}


def model(id_, name, body, vclass, relation, source_quote, powertrain=None, ev=None, role=None, status=None):
    return {"model": id_, "name": name, "body": body, "vehicle_class": vclass, "segment": None,
            "powertrain": powertrain, "ev_range_km": ev, "relation": relation, "role": role, "status": status,
            "sources": [A1], "quotes": [source_quote]}


UNDATED = [
    venture("acquisition", "moskvich", "Moskvich", "moskvich-brand", "Moskvich", "Moskvich brand", None, A1, Q_PURCHASE),
    venture("acquisition", "russian-managers", "Russian managers", "faurecia", "Faurecia",
            "Faurecia's assets in the Russian Federation", "negotiating", A2, Q_FAURECIA),
    venture("agreement", "iran", "Iran", JCP, JCP_NAME, JCP_NAME, "negotiating", A2, Q_NEGOTIATIONS),
    venture("agreement", "jac", "JAC", "moskvich-project", "Moskvich project", "Moskvich project", None, A1, Q_OVERALL),
    venture("agreement", "kamaz", "KAMAZ", "moskvich-project", "Moskvich project", "Moskvich project", None, A1, Q_OVERALL),
    venture("agreement", "kamaz", "KAMAZ", "moskvich-spic", SPIC_NAME, SPIC_NAME, "pending approval", A1, Q_SPIC),
    venture("agreement", "moskvich", "Moskvich", "moskvich-project", "Moskvich project", "Moskvich project", None, A1, Q_LINKED),
    venture("agreement", "russia", "Russia", JCP, JCP_NAME, JCP_NAME, "negotiating", A2, Q_NEGOTIATIONS),
    venture("partnership", "iran", "Iran", "kaluga-region", "Kaluga region", "regional collaboration", "active", A2, Q_REGIONS),
    venture("partnership", "iran", "Iran", "russia", "Russia", "joint car production", "planned", A2, Q_MARCH),
    venture("partnership", "iran", "Iran", "tver-region", "Tver region", "regional collaboration", "active", A2, Q_REGIONS),
    venture("partnership", "jac", "JAC", "kamaz", "KAMAZ", "Moskvich project", None, A1, Q_OVERALL),
    venture("partnership", "kamaz", "KAMAZ", "jac", "JAC", "Compass medium duty truck", "announced", A1, Q_KAMAZ),
    venture("partnership", "moskvich", "Moskvich", "jac", "JAC", PASSENGER, "negotiating", A1, Q_PURCHASE),
    venture("partnership", "moskvich", "Moskvich", "jac", "JAC", "Moskvich project", None, A1, Q_LINKED),
    venture("partnership", "moskvich", "Moskvich", "kamaz", "KAMAZ", "Moskvich project", None, A1, Q_KAMAZ),
]

# The non-dated, not yet active ones, by status (alphabetical), kind, party, counterpart.
PENDING = [
    {**v, "since": None} for v in (
        venture("partnership", "kamaz", "KAMAZ", "jac", "JAC", "Compass medium duty truck", "announced", A1, Q_KAMAZ),
        venture("acquisition", "russian-managers", "Russian managers", "faurecia", "Faurecia",
                "Faurecia's assets in the Russian Federation", "negotiating", A2, Q_FAURECIA),
        venture("agreement", "iran", "Iran", JCP, JCP_NAME, JCP_NAME, "negotiating", A2, Q_NEGOTIATIONS),
        venture("agreement", "russia", "Russia", JCP, JCP_NAME, JCP_NAME, "negotiating", A2, Q_NEGOTIATIONS),
        venture("partnership", "moskvich", "Moskvich", "jac", "JAC", PASSENGER, "negotiating", A1, Q_PURCHASE),
        venture("agreement", "kamaz", "KAMAZ", "moskvich-spic", SPIC_NAME, SPIC_NAME, "pending approval", A1, Q_SPIC),
        venture("partnership", "iran", "Iran", "russia", "Russia", "joint car production", "planned", A2, Q_MARCH),
    )
]


def partner(pid, name, label, on, status, source, quote):
    return {"partner": pid, "partner_name": name, "partner_label": label, "on": on, "status": status,
            "since": None, "until": None, "sources": [source], "quotes": [quote]}


def engagement(kind, item, name, label, detail, status, source, quote):
    return {"engagement": kind, "item": item, "item_name": name, "item_label": label, "detail": detail,
            "status": status, "sources": [source], "quotes": [quote]}


def fact_row(kind, source, title, fact, quote):
    return {"kind": kind, "source": source, "title": title, "fact": fact, "quote": quote}


# Every saved query with its example parameters (from its header) and the rows expected.
EXPECTED: dict[str, list[dict]] = {
    "partners": [  # company=KAMAZ
        partner("jac", "JAC", "Company", "Compass medium duty truck", "announced", A1, Q_KAMAZ),
        partner("jac", "JAC", "Company", "Moskvich project", None, A1, Q_OVERALL),
        partner("moskvich", "Moskvich", "Company", "Moskvich project", None, A1, Q_KAMAZ),
    ],
    "partnership-network": [  # company=Russia, hops=2 (default)
        {"organisation": "iran", "name": "Iran", "label": "Country", "distance": 1,
         "partnerships": ["joint car production"]},
        {"organisation": "kaluga-region", "name": "Kaluga region", "label": "Region", "distance": 2,
         "partnerships": ["joint car production", "regional collaboration"]},
        {"organisation": "tver-region", "name": "Tver region", "label": "Region", "distance": 2,
         "partnerships": ["joint car production", "regional collaboration"]},
    ],
    "supply-routes": [  # brand=JAC, market=Russia
        {"route": ["JAC", "SaryarkaAvtoProm", "Russia"], "countries": ["China", "Kazakhstan", "Russia"],
         "goods": ["JAC vehicles", "JAC vehicles"], "modes": ["logistics link", "logistics link"],
         "statuses": [None, None], "hops": 2, "sources": [A1], "quotes": [Q_ROUTE]},
    ],
    "route-intermediaries": [  # market=Russia
        {"intermediary": "saryarkaavtoprom", "name": "SaryarkaAvtoProm", "hops": 1, "label": "Company", "country": "Kazakhstan",
         "origins": ["JAC"], "goods": ["JAC vehicles"], "routes": 1},
    ],
    "plant-owners": [  # plant="Renault's Moscow plant" (an alias)
        {"plant": "renault-moscow-plant", "plant_name": "Renault Moscow plant", "city": "Moscow", "country": "Russia",
         "company": "renault", "company_name": "Renault", "role": "operates", "share_percent": None, "status": None,
         "sources": [A1], "quotes": [Q_RENAULT_PLANT]},
    ],
    "plants-by-capacity": [  # limit=10 (default)
        {"rank": 1, "plant": "moskvich-plant", "name": "Moskvich plant", "capacity_per_year": 300000,
         "capacity_note": "target production capacity, as high as 300 thousand vehicles annually", "status": None,
         "operators": ["Moskvich"], "country": "Russia"},
        {"rank": 2, "plant": "renault-moscow-plant", "name": "Renault Moscow plant", "capacity_per_year": 180000,
         "capacity_note": "established capacity of about 180 thousand cars per year", "status": None,
         "operators": ["Renault"], "country": "Russia"},
    ],
    "models": [  # maker=JAC
        model("compass-truck", "Compass", "truck", "medium duty truck", "produces", Q_KAMAZ,
              role="partner alongside KAMAZ", status="announced"),
        model("jac-iev7s", "iEV7S", "crossover", "passenger car", "makes", Q_BATCH, powertrain="electric", ev=300),
        model("jac-j7", "J7", "liftback", "passenger car", "makes", Q_BATCH),
        model("jac-s3", "S3", "crossover", "passenger car", "makes", Q_BATCH),
        model("jac-s7", "S7", "crossover", "passenger car", "makes", Q_BATCH),
        model("jac-t6", "T6", "pickup", "pickup", "makes", Q_BATCH),
    ],
    "competitors-and-replacements": [  # model=Sunray
        {"relation": "competes with", "other": "mercedes-benz-sprinter", "other_name": "Mercedes-Benz Sprinter",
         "other_label": "VehicleModel", "makers": ["Mercedes-Benz"], "status": "planned", "sources": [A1],
         "quotes": [Q_SUNRAY]},
        {"relation": "replaces", "other": "older-german-commercial-vans",
         "other_name": "older German models in the same class", "other_label": "VehicleModel", "makers": [],
         "status": "planned", "sources": [A1], "quotes": [Q_SUNRAY]},
    ],
    "asset-transfers": [
        {"buyer": "moskvich", "buyer_name": "Moskvich", "target": "moskvich-brand", "target_name": "Moskvich",
         "target_label": "Brand", "what": "Moskvich brand", "seller": "renault", "seller_name": "Renault",
         "condition": None, "status": None, "since": None, "reported_on": None, "sources": [A1],
         "quotes": [Q_PURCHASE]},
        {"buyer": "russian-managers", "buyer_name": "Russian managers", "target": "faurecia",
         "target_name": "Faurecia", "target_label": "Company", "what": "Faurecia's assets in the Russian Federation",
         "seller": "faurecia", "seller_name": "Faurecia", "condition": None, "status": "negotiating", "since": None,
         "reported_on": None, "sources": [A2], "quotes": [Q_FAURECIA]},
    ],
    "agreement-parties": [  # agreement="Moskvich project"
        {"agreement": "moskvich-project", "agreement_name": "Moskvich project", "kind": "project", "party": p,
         "party_name": n, "party_label": "Company", "role": role, "holds": None, "status": None, "since": None,
         "sources": [A1], "quotes": [q]}
        for p, n, role, q in [("jac", "JAC", "passenger and electric vehicle expertise", Q_OVERALL),
                              ("kamaz", "KAMAZ", "manufacturing capabilities", Q_OVERALL),
                              ("moskvich", "Moskvich", None, Q_LINKED)]
    ],
    "contract-holders": [
        {"agreement": "moskvich-spic", "agreement_name": SPIC_NAME, "kind": "special investment contract",
         "party": "kamaz", "party_name": "KAMAZ", "holds": False, "role": "prospective holder (passenger cars)",
         "status": "pending approval", "sources": [A1], "quotes": [Q_SPIC]},
    ],
    "agreements": [
        {"agreement": JCP, "name": JCP_NAME, "kind": "joint production", "parties": ["Iran", "Russia"],
         "covers": ["Nizhny Novgorod automobile plant"], "markets": [], "statuses": ["negotiating"]},
        {"agreement": "moskvich-project", "name": "Moskvich project", "kind": "project",
         "parties": ["JAC", "KAMAZ", "Moskvich"], "covers": ["Moskvich plant", SPIC_NAME, "Sunray"],
         "markets": ["Canada", "North America", "Russia", "United States"], "statuses": []},
        {"agreement": "moskvich-spic", "name": SPIC_NAME, "kind": "special investment contract",
         "parties": ["KAMAZ"], "covers": [], "markets": [], "statuses": ["pending approval"]},
    ],
    "pending-ventures": PENDING,
    "undated-ventures": UNDATED,
    "country-engagement": [  # country=Iran
        engagement("agreement", JCP, JCP_NAME, "Agreement", None, "negotiating", A2, Q_NEGOTIATIONS),
        engagement("interview", "izvestia", "Izvestia", "Company", "Kazım Celali", None, A2, Q_INTERVIEW),
        engagement("partner", "kaluga-region", "Kaluga region", "Region", "regional collaboration", "active", A2,
                   Q_REGIONS),
        engagement("partner", "russia", "Russia", "Country", "joint car production", "planned", A2, Q_MARCH),
        engagement("partner", "tver-region", "Tver region", "Region", "regional collaboration", "active", A2,
                   Q_REGIONS),
        engagement("spokesperson", "kazim-celali", "Kazım Celali", "Person", "ambassador to Russia", None, A2,
                   Q_INTERVIEW),
        engagement("visit", "nizhny-novgorod-automobile-plant", "Nizhny Novgorod automobile plant", "Plant",
                   "Kazım Celali", None, A2, Q_VISIT),
    ],
    "shortest-connection": [  # from_org=JAC, to_org=Iran: two connections of 3 hops
        {"hops": 3, "route": ["JAC", "Moskvich project", "Russia", "Iran"],
         "steps": ["JAC -[PARTY_TO]-> Moskvich project", "Moskvich project -[TARGETS_MARKET]-> Russia",
                   "Russia <-[PARTNERS_WITH]- Iran"],
         "sources": [A1, A2], "quotes": [Q_OVERALL, Q_RUSSIAN_MARKET, Q_MARCH]},
        {"hops": 3, "route": ["JAC", "SaryarkaAvtoProm", "Russia", "Iran"],
         "steps": ["JAC -[SHIPS_TO]-> SaryarkaAvtoProm", "SaryarkaAvtoProm -[SHIPS_TO]-> Russia",
                   "Russia <-[PARTNERS_WITH]- Iran"],
         "sources": [A1, A2], "quotes": [Q_ROUTE, Q_MARCH]},
    ],
    "entity-provenance": [  # entity=SaryarkaAvtoProm
        fact_row("mention", A1, T1, None, None),
        fact_row("fact", A1, T1, "JAC -[SHIPS_TO]-> SaryarkaAvtoProm", Q_ROUTE),
        fact_row("fact", A1, T1, "SaryarkaAvtoProm -[LOCATED_IN]-> Kazakhstan", Q_ROUTE),
        fact_row("fact", A1, T1, "SaryarkaAvtoProm -[SHIPS_TO]-> Russia", Q_ROUTE),
    ],
    "relationship-provenance": [  # entity=JAC, other=KAMAZ
        {"relationship": "PARTNERS_WITH", "fact": "JAC -[PARTNERS_WITH on Moskvich project]-> KAMAZ", "status": None,
         "source": A1, "title": T1, "quote": Q_OVERALL},
        {"relationship": "PARTNERS_WITH", "fact": "KAMAZ -[PARTNERS_WITH on Compass medium duty truck]-> JAC",
         "status": "announced", "source": A1, "title": T1, "quote": Q_KAMAZ},
    ],
    "most-connected": [  # limit=10 (default); relationships counted by hand from the facts of both articles
        {"organisation": o, "name": n, "label": lab, "relationships": r, "partners": p}
        for o, n, lab, r, p in [
            ("jac", "JAC", "Company", 13, 2), ("russia", "Russia", "Country", 9, 1),
            ("moskvich", "Moskvich", "Company", 7, 2), ("kamaz", "KAMAZ", "Company", 6, 2),
            ("iran", "Iran", "Country", 5, 3), ("saryarkaavtoprom", "SaryarkaAvtoProm", "Company", 3, 0),
            ("izvestia", "Izvestia", "Company", 2, 0), ("kaluga-region", "Kaluga region", "Region", 2, 1),
            ("renault", "Renault", "Company", 2, 0), ("tver-region", "Tver region", "Region", 2, 1),
        ]
    ],
}

# Further questions with other parameters than the examples.
MORE: list[tuple[str, dict, list[dict]]] = [
    ("agreement-parties", {"agreement": "SPIC"}, [
        {"agreement": "moskvich-spic", "agreement_name": SPIC_NAME, "kind": "special investment contract",
         "party": "kamaz", "party_name": "KAMAZ", "party_label": "Company",
         "role": "prospective holder (passenger cars)", "holds": False, "status": "pending approval", "since": None,
         "sources": [A1], "quotes": [Q_SPIC]}]),
    ("agreement-parties", {"agreement": JCP_NAME}, [
        {"agreement": JCP, "agreement_name": JCP_NAME, "kind": "joint production", "party": p, "party_name": n,
         "party_label": "Country", "role": None, "holds": None, "status": "negotiating", "since": None,
         "sources": [A2], "quotes": [Q_NEGOTIATIONS]} for p, n in [("iran", "Iran"), ("russia", "Russia")]]),
    ("models", {"maker": "Mercedes-Benz"}, [
        {"model": "mercedes-benz-sprinter", "name": "Mercedes-Benz Sprinter", "body": "van",
         "vehicle_class": "light commercial", "segment": None, "powertrain": None, "ev_range_km": None,
         "relation": "makes", "role": None, "status": None, "sources": [A1], "quotes": [Q_SUNRAY]}]),
    ("models", {"maker": "KAMAZ"}, [
        model("compass-truck", "Compass", "truck", "medium duty truck", "produces", Q_KAMAZ,
              role="partner alongside JAC", status="announced")]),
    # Neither article names a model built at a particular plant.
    ("models", {"maker": "Moskvich plant"}, []),
    ("competitors-and-replacements", {"model": "older German commercial vans"}, [
        {"relation": "replaced by", "other": "sunray", "other_name": "Sunray", "other_label": "VehicleModel",
         "makers": [], "status": "planned", "sources": [A1], "quotes": [Q_SUNRAY]}]),
    ("partnership-network", {"company": "Iran", "hops": 1}, [
        {"organisation": o, "name": n, "label": lab, "distance": 1, "partnerships": [on]}
        for o, n, lab, on in [("kaluga-region", "Kaluga region", "Region", "regional collaboration"),
                              ("russia", "Russia", "Country", "joint car production"),
                              ("tver-region", "Tver region", "Region", "regional collaboration")]]),
    ("partnership-network", {"company": "Moskvich", "hops": 4}, [
        {"organisation": "jac", "name": "JAC", "label": "Company", "distance": 1,
         "partnerships": [PASSENGER]},
        {"organisation": "kamaz", "name": "KAMAZ", "label": "Company", "distance": 1,
         "partnerships": ["Moskvich project"]}]),
    ("plant-owners", {"plant": "GAZ plant"}, [  # the article names no owner or operator
        {"plant": "nizhny-novgorod-automobile-plant", "plant_name": "Nizhny Novgorod automobile plant",
         "city": "Nizhny Novgorod", "country": "Russia", "company": None, "company_name": None, "role": None,
         "share_percent": None, "status": None, "sources": None, "quotes": None}]),
    ("plants-by-capacity", {"limit": 1}, EXPECTED["plants-by-capacity"][:1]),
    # `limit` keeps the first rows in the query's own order.
    ("partners", {"company": "KAMAZ", "limit": 1}, EXPECTED["partners"][:1]),
    ("models", {"maker": "JAC", "limit": 2}, EXPECTED["models"][:2]),
    ("country-engagement", {"country": "Iran", "limit": 3}, EXPECTED["country-engagement"][:3]),
    ("entity-provenance", {"entity": "SaryarkaAvtoProm", "limit": 1}, EXPECTED["entity-provenance"][:1]),
    ("supply-routes", {"brand": "JAC", "market": "North America"}, []),
    ("route-intermediaries", {"market": "Kazakhstan"}, []),
    ("country-engagement", {"country": "Russia"}, [
        engagement("agreement", JCP, JCP_NAME, "Agreement", None, "negotiating", A2, Q_NEGOTIATIONS),
        engagement("partner", "iran", "Iran", "Country", "joint car production", "planned", A2, Q_MARCH),
        engagement("supplied by", "saryarkaavtoprom", "SaryarkaAvtoProm", "Company", "JAC vehicles", None, A1,
                   Q_ROUTE),
        engagement("targeted by", "moskvich-project", "Moskvich project", "Agreement", None, None, A1,
                   Q_RUSSIAN_MARKET)]),
    ("shortest-connection", {"from_org": "Izvestia", "to_org": "KAMAZ"}, [
        {"hops": 5, "route": ["Izvestia", "Kazım Celali", "Iran", "Russia", "Moskvich project", "KAMAZ"],
         "steps": ["Izvestia <-[INTERVIEWED_BY]- Kazım Celali", "Kazım Celali -[REPRESENTS]-> Iran",
                   "Iran -[PARTNERS_WITH]-> Russia", "Russia <-[TARGETS_MARKET]- Moskvich project",
                   "Moskvich project <-[PARTY_TO]- KAMAZ"],
         "sources": [A2, A1], "quotes": [Q_INTERVIEW, Q_MARCH, Q_RUSSIAN_MARKET, Q_OVERALL]}]),
    ("shortest-connection", {"from_org": "JAC", "to_org": "JAC"}, []),
    ("entity-provenance", {"entity": "Kazım Celali"}, [
        fact_row("mention", A2, T2, None, None),
        fact_row("fact", A2, T2, "Kazım Celali -[INTERVIEWED_BY]-> Izvestia", Q_INTERVIEW),
        fact_row("fact", A2, T2, "Kazım Celali -[REPRESENTS]-> Iran", Q_INTERVIEW),
        fact_row("fact", A2, T2, "Kazım Celali -[VISITED]-> Nizhny Novgorod automobile plant", Q_VISIT)]),
    ("entity-provenance", {"entity": "Russia"}, [  # the one entity both articles share
        fact_row("mention", A2, T2, None, None), fact_row("mention", A1, T1, None, None)] + sorted(
        [fact_row("fact", A1, T1, f, q) for f, q in [
            ("Moskvich plant -[LOCATED_IN]-> Russia", T1),  # the quote is A1's headline
            ("Moscow -[LOCATED_IN]-> Russia", Q_RENAULT_PLANT),
            ("Moskvich project -[TARGETS_MARKET]-> Russia", Q_RUSSIAN_MARKET),
            ("SaryarkaAvtoProm -[SHIPS_TO]-> Russia", Q_ROUTE)]]
        + [fact_row("fact", A2, T2, f, q) for f, q in [
            ("Iran -[PARTNERS_WITH on joint car production]-> Russia", Q_MARCH),
            ("Kaluga region -[LOCATED_IN]-> Russia", Q_REGIONS),
            ("Nizhny Novgorod -[LOCATED_IN]-> Russia", Q_FACTORIES),
            ("Russia -[PARTY_TO]-> " + JCP_NAME, Q_NEGOTIATIONS),
            ("Tver region -[LOCATED_IN]-> Russia", Q_REGIONS)]],
        key=lambda r: (r["source"], r["fact"]))),
    ("relationship-provenance", {"entity": "Moskvich", "other": "Renault"}, [
        {"relationship": "BRAND_OF", "fact": "Moskvich -[BRAND_OF]-> Renault", "status": "ended", "source": A1,
         "title": T1, "quote": Q_PURCHASE}]),
    ("most-connected", {"limit": 3}, EXPECTED["most-connected"][:3]),
]


# ---- fixtures ------------------------------------------------------------------------------



@pytest.fixture(scope="module")
def run(seed, neo4j_server):
    def run(name, params=None, **kw):
        return L.run_query(seed, name, params or {}, database=neo4j_server.database, **kw)
    return run


def example_params(query: L.SavedQuery) -> dict:
    return {p.name: p.sample for p in query.params}


ALL = L.list_queries()
NAMES = [q.name for q in ALL]


# ---- the files ---------------------------------------------------------------------------------

def test_the_library_has_the_questions_of_the_issue():
    assert len(ALL) >= 15
    assert sorted(p.stem for p in QUERIES.glob("*.cypher")) == sorted(NAMES)
    for topic in ("partners", "partnership-network", "supply-routes", "route-intermediaries", "plant-owners",
                  "plants-by-capacity", "models", "competitors-and-replacements", "asset-transfers",
                  "agreement-parties", "contract-holders", "pending-ventures", "undated-ventures",
                  "country-engagement", "shortest-connection", "entity-provenance", "relationship-provenance",
                  "most-connected"):
        assert topic in NAMES


@pytest.mark.parametrize("query", ALL, ids=NAMES)
def test_header_parses(query):
    text = query.path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first == f"// {query.question}" and len(query.question) > 15
    assert query.question.endswith("?")
    assert f"// name: {query.name}\n" in text and query.path.name == f"{query.name}.cypher"
    assert query.returns and all(c.name for c in query.returns)
    for p in query.params:
        assert p.type in L.TYPES and p.description
        assert p.sample is not None, f"{p.name} needs an example or a default"
        assert p.required == (p.default is None)
    # (test_rows_are_plain_and_graph_columns_feed_nodes checks the declared columns against the answers.)


@pytest.mark.parametrize("query", ALL, ids=NAMES)
def test_every_parameter_is_declared_and_used(query):
    declared = {p.name for p in query.params}
    assert L.used_params(query.cypher) == declared
    assert L.check_query(query) == []


def test_header_parser_rejects_malformed_headers(tmp_path):
    def parse(text, name="bad-query"):
        f = tmp_path / f"{name}.cypher"
        f.write_text(text, encoding="utf-8")
        return L.parse_query(text, f)

    ok = "// A question?\n// name: bad-query\n// param: x integer default=3 range=1..4 X\n// returns: a (A)\nRETURN $x AS a\n"
    q = parse(ok)
    assert q.params[0] == L.Param("x", "integer", 3, None, False, "X", 1, 4)
    quoted = parse(ok.replace("default=3 range=1..4 X", 'example="two words \\"here\\"" Text').replace("integer", "string"))
    assert quoted.params[0].example == 'two words "here"' and quoted.params[0].required
    for bad, message in [
        (ok.replace("// A question?\n", ""), "question"),
        (ok.replace("// name: bad-query\n", ""), "name:"),
        (ok.replace("name: bad-query", "name: other"), "does not match"),
        (ok.replace("integer", "int"), "type"),
        (ok.replace("default=3 ", ""), "default=VALUE"),
        (ok.replace("default=3", "default=three"), "not a valid integer"),
        (ok.replace("// returns: a (A)\n", ""), "returns"),
        (ok.replace("range=1..4", "range=a..b"), "range"),
    ]:
        with pytest.raises(QueryError, match=message):
            parse(bad)


# ---- read-only ------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ALL, ids=NAMES)
def test_no_query_file_writes(query):
    assert L.write_clauses(query.path.read_text(encoding="utf-8")) == []


WRITES = [
    "CREATE (n:X {id: $id}) RETURN n",
    "MATCH (n:Company) SET n.kind = 'x' RETURN n",
    "MATCH (n) DETACH DELETE n",
    "MATCH (n)-[r]->() DELETE r",
    "MERGE (n:X {id: 1}) RETURN n",
    "MATCH (n:Company) REMOVE n.kind RETURN n",
    "LOAD CSV FROM 'file:///x.csv' AS row RETURN row",
    "MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10 ROWS",
    "UNWIND range(1, 3) AS i CALL (i) { RETURN i AS j } IN TRANSACTIONS RETURN j",
    "CALL apoc.create.node(['X'], {id: 1}) YIELD node RETURN node",
    "CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DETACH DELETE n', {})",
    "CALL apoc.refactor.mergeNodes([]) YIELD node RETURN node",
    "MATCH (n) FOREACH (x IN [1] | SET n.y = x)",
    "CALL db.createLabel('X')",
    "match (n) set n.x = 1",
]


@pytest.mark.parametrize("cypher", WRITES)
def test_the_write_check_catches_writes(cypher, tmp_path):
    assert L.write_clauses(cypher)
    # The same check, through a query file as in the library.
    f = tmp_path / "sample-write.cypher"
    f.write_text(f"// Does it write?\n// name: sample-write\n// returns: n (graph: it)\n{cypher}\n", encoding="utf-8")
    problems = L.check_query(L.parse_query(f.read_text(encoding="utf-8"), f))
    assert any("write clause" in p for p in problems), problems


def test_the_write_check_ignores_comments_strings_and_reads():
    cypher = ("// we never CREATE, MERGE or SET anything here\n"
              "/* DETACH DELETE */ MATCH (n {name: 'MERGE SET DELETE'}) WHERE n.status = \"LOAD CSV\"\n"
              "CALL db.index.fulltext.queryNodes('entity_lookup', 'x') YIELD node\n"
              "CALL { WITH node RETURN node AS m } RETURN n.settings, n.created, `SET` AS offset")
    assert L.write_clauses(cypher) == []


def test_run_query_runs_in_a_read_transaction(seed, neo4j_server, tmp_path):
    db = neo4j_server.database
    for cypher in ("CREATE (n:MustNotExist {id: $id}) RETURN n",
                   "MERGE (n:MustNotExist {id: $id}) RETURN n",
                   "MATCH (c:Company {id: $id}) SET c.hacked = true RETURN c"):
        f = tmp_path / "sneaky-write.cypher"
        f.write_text(f"// Does it write?\n// name: sneaky-write\n// param: id string example=kamaz An id\n"
                     f"// returns: n (graph: it)\n{cypher}\n", encoding="utf-8")
        query = L.parse_query(f.read_text(encoding="utf-8"), f)
        with pytest.raises(QueryError, match="read transactions"):
            L.run_query(seed, query, {"id": "kamaz"}, database=db)
    with seed.session(database=db) as s:
        assert s.run("MATCH (n:MustNotExist) RETURN count(n) AS c").single()["c"] == 0
        assert s.run("MATCH (c:Company {id: 'kamaz'}) RETURN c.hacked AS h").single()["h"] is None


# ---- answers -------------------------------------------------------------------------------------

def test_quotes_are_the_articles_sentences():
    for source, quotes in QUOTES.items():
        text = (ARTICLES / f"{source}.txt").read_text(encoding="utf-8")
        for q in quotes:
            assert q in text, q


def test_every_query_has_expected_rows():
    assert sorted(EXPECTED) == sorted(NAMES)


@pytest.mark.parametrize("query", ALL, ids=NAMES)
def test_example_rows(run, query):
    result = run(query.name, example_params(query))
    assert result.rows == EXPECTED[query.name]
    # --example gives the same answer as passing the header's examples.
    assert run(query.name, {}, use_examples=True).rows == result.rows


@pytest.mark.parametrize("name, params, expected", MORE, ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(MORE)])
def test_more_rows(run, name, params, expected):
    assert run(name, params).rows == expected


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
    assert result.columns == [c.name for c in query.returns if not c.graph]
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


def _spelled(path) -> tuple[list[str], list[str]]:
    names = [n["name"] for n in path.nodes]
    steps = [f"{names[i]} -[{r.type}]-> {names[i + 1]}" if r.start_node.element_id == path.nodes[i].element_id
             else f"{names[i]} <-[{r.type}]- {names[i + 1]}" for i, r in enumerate(path.relationships)]
    return names, steps


def test_shortest_connection_is_every_shortest_path_of_each_length(seed, neo4j_server, run):
    """The query spells out 1, 2 and 3 hops itself and searches beyond: for every pair of
    organisations in the seed graph its rows are exactly allShortestPaths' paths, in order."""
    ids = [r["id"] for r in seed.execute_query(
        "MATCH (o) WHERE o:Company OR o:Country OR o:Region RETURN o.id AS id ORDER BY id",
        database_=neo4j_server.database).records]
    lengths = set()
    for a in ids:
        for b in (b for b in ids if b != a):  # both ways round: the directed checks differ
            want = sorted(_spelled(r["path"]) for r in seed.execute_query(
                _ALL_SHORTEST, a=a, b=b, database_=neo4j_server.database).records)
            result = run("shortest-connection", {"from_org": a, "to_org": b, "limit": 1000})
            assert [(row["route"], row["steps"]) for row in result.rows] == want, (a, b)
            assert all(row["hops"] == len(row["steps"]) for row in result.rows)
            lengths.update(len(steps) for _, steps in want)
    assert {1, 2, 3, 4} <= lengths  # every branch of the query was compared


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


@contextlib.contextmanager
def _rolled_back(seed, neo4j_server, setup: str):
    """A transaction that first runs `setup` (a few made-up facts) and is always rolled back."""
    with seed.session(database=neo4j_server.database) as session:
        tx = session.begin_transaction()
        try:
            tx.run(setup)
            yield tx
        finally:
            tx.rollback()


def test_partnership_network_follows_a_partnership_stored_towards_the_partner(seed, neo4j_server):
    """A second hop stored pointing at the middle organisation ((o)-[:PARTNERS_WITH]->(m)): the
    seed has none, so one is added in a transaction that is rolled back."""
    cypher = L.get_query("partnership-network").cypher
    with _rolled_back(seed, neo4j_server, "MATCH (iran:Country {id: 'iran'}) "
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
    with _rolled_back(seed, neo4j_server, "MATCH (ru:Country {id: 'russia'}), (jac:Company {id: 'jac'}) "
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


def test_query_result_without_a_query():
    result = L.QueryResult.from_records(None, {}, ["a"], [])
    assert result.rows == [] and result.columns == ["a"] and result.nodes == []


# ---- lookups ---------------------------------------------------------------------------------------

ANCHORED = [q for q in ALL if any(p.type == "string" for p in q.params)]


@pytest.mark.parametrize("query", ANCHORED, ids=[q.name for q in ANCHORED])
def test_anchored_plans_start_from_the_fulltext_index(seed, neo4j_server, query):
    plan = L.explain(seed, query.name, example_params(query), database=neo4j_server.database)
    operators = [o["operator"] for o in plan["operators"]]
    assert "AllNodesScan" not in operators, plan["text"]
    assert "NodeByLabelScan" not in operators, plan["text"]
    assert "UnionNodeByLabelsScan" not in operators, plan["text"]
    calls = [o for o in plan["operators"] if o["operator"] == "ProcedureCall"]
    assert calls and all("db.index.fulltext.queryNodes" in o["details"] for o in calls)


def test_the_plan_check_would_catch_a_label_scan(seed, neo4j_server, tmp_path):
    f = tmp_path / "naive-lookup.cypher"
    f.write_text("// Naive?\n// name: naive-lookup\n// param: company string example=KAMAZ A company\n"
                 "// returns: id (its id)\nMATCH (c:Company) WHERE toLower(c.name) = toLower($company) "
                 "RETURN c.id AS id\n", encoding="utf-8")
    plan = L.explain(seed, L.parse_query(f.read_text(encoding="utf-8"), f), {"company": "KAMAZ"},
                     database=neo4j_server.database)
    assert "NodeByLabelScan" in [o["operator"] for o in plan["operators"]]


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
    assert run("partners", {"company": value}).rows == []


# ---- parameters and names --------------------------------------------------------------------------

def test_coerce_params():
    network = L.get_query("partnership-network")
    assert L.coerce_params(network, {"company": " Russia ", "hops": "3"}) == {"company": "Russia", "hops": 3,
                                                                              "limit": 25}
    assert L.coerce_params(network, {"company": "Russia"}) == {"company": "Russia", "hops": 2, "limit": 25}
    assert L.coerce_params(network, {"company": "Iran", "hops": 1, "limit": "5"}) == {"company": "Iran", "hops": 1,
                                                                                       "limit": 5}
    assert L.coerce_params(network, {}, use_examples=True) == {"company": "Russia", "hops": 2, "limit": 25}
    assert L.coerce_params(network, {"hops": "4"}, use_examples=True) == {"company": "Russia", "hops": 4,
                                                                           "limit": 25}
    for raw, problem in [({}, "missing parameter company"),
                         ({"company": "x", "hops": "lots"}, "hops must be an integer"),
                         ({"company": "x", "hops": True}, "hops must be an integer"),
                         ({"company": "x", "hops": "9"}, "between 1 and 4"),
                         ({"company": "x", "hops": "0"}, "between 1 and 4"),
                         ({"company": "x", "depth": "2"}, "unknown parameter 'depth'"),
                         ({"company": ""}, "company is empty"),
                         ({"company": 5}, "company must be a string")]:
        with pytest.raises(QueryError) as err:
            L.coerce_params(network, raw)
        message = str(err.value)
        assert problem in message
        # The message lists the query's parameters with their types and examples.
        assert "company (string, required, e.g. Russia)" in message
        assert "hops (integer, default 2, 1..4)" in message


def test_boolean_and_float_parameters(tmp_path):
    f = tmp_path / "typed.cypher"
    f.write_text("// Typed?\n// name: typed\n// param: flag boolean default=false A flag\n"
                 "// param: share float example=12.5 A share\n// returns: a (A)\nRETURN $flag AS a, $share AS b\n",
                 encoding="utf-8")
    q = L.parse_query(f.read_text(encoding="utf-8"), f)
    assert L.coerce_params(q, {"flag": "yes", "share": "3"}) == {"flag": True, "share": 3.0}
    assert L.coerce_params(q, {"share": 1}) == {"flag": False, "share": 1.0}
    with pytest.raises(QueryError, match="flag must be a boolean"):
        L.coerce_params(q, {"flag": "maybe", "share": "1"})
    with pytest.raises(QueryError, match="share must be a float"):
        L.coerce_params(q, {"share": "a lot"})


def test_unknown_query_names():
    with pytest.raises(QueryError, match="did you mean partners"):
        L.get_query("partner")
    with pytest.raises(QueryError, match="did you mean supply-routes"):
        L.get_query("supply-route")
    with pytest.raises(QueryError, match="unknown query 'xyzzy'"):
        L.get_query("xyzzy")
    assert L.get_query("partners.cypher").name == "partners"


def test_get_query_reads_a_changed_file_again_and_only_its_own_file(tmp_path):
    f = tmp_path / "counted.cypher"
    f.write_text("// How many companies are there?\n// name: counted\n// returns: n (count)\n"
                 "MATCH (c:Company) RETURN count(c) AS n\n", encoding="utf-8")
    # A broken neighbour does not stop a good query from being found by name.
    (tmp_path / "broken.cypher").write_text("MATCH (n) RETURN n\n", encoding="utf-8")
    first = L.get_query("counted", tmp_path)
    assert first.question == "How many companies are there?"
    assert L.get_query("counted", tmp_path) is first  # parsed once while the file is unchanged
    f.write_text("// How many companies are listed?\n// name: counted\n// returns: n (count)\n"
                 "MATCH (c:Company) RETURN count(*) AS n\n", encoding="utf-8")
    again = L.get_query("counted", tmp_path)
    assert again.question == "How many companies are listed?"
    assert again.cypher == "MATCH (c:Company) RETURN count(*) AS n"
    with pytest.raises(QueryError, match="broken.cypher:1: the first line must be"):
        L.list_queries(tmp_path)


# ---- Python API --------------------------------------------------------------------------------------

def test_graph_api(seed, neo4j_server, monkeypatch):
    g = Graph(seed, neo4j_server)  # not closed: the driver is the session's
    assert [q.name for q in g.queries()] == NAMES
    assert g.query("partners", company="KAMAZ") == EXPECTED["partners"]
    result = g.query_result("supply-routes", brand="JAC", market="Russia")
    assert result.rows == EXPECTED["supply-routes"] and len(result.nodes) == 3
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
    assert frame == ("frame", EXPECTED["plants-by-capacity"], list(EXPECTED["plants-by-capacity"][0]))


def test_profile_reports_db_hits(run):
    result = run("supply-routes", {"brand": "JAC", "market": "Russia"}, profile=True)
    assert result.rows == EXPECTED["supply-routes"]
    assert result.profile["db_hits"] > 0 and result.profile["operators"][0]["operator"] == "ProduceResults"


# ---- Browser export and docs ---------------------------------------------------------------------------

def test_export_favorites(tmp_path):
    out = tmp_path / "fav.zip"
    lines = L.export_favorites(out)
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert sorted(n for n in names if n.endswith(".cypher")) == sorted(f"motorgraph/{n}.cypher" for n in NAMES)
        for q in ALL:
            content = zf.read(f"motorgraph/{q.name}.cypher").decode("utf-8")
            assert content == q.path.read_text(encoding="utf-8")
            assert content.splitlines()[0] == f"// {q.question}"  # Browser's favorite name
        params = zf.read("params.txt").decode("utf-8")
    assert ":param company => 'KAMAZ'" in lines
    assert ":param plant => 'Renault\\'s Moscow plant'" in lines
    assert ":param hops => 2" in lines
    for q in ALL:
        assert f"// {q.name}: {q.question}" in params
        for p in q.params:
            assert f":param {p.name} => " in params
    assert [line for line in params.splitlines() if line] == lines


def test_readme_lists_every_query():
    readme = (QUERIES / "README.md").read_text(encoding="utf-8")
    for q in ALL:
        assert f"[`{q.name}`]({q.name}.cypher)" in readme
        assert q.question in readme
