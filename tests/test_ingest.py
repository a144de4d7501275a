"""The article drafter (`motorgraph ingest`): motorgraph.loaders.ingest. No database needed.

Floors for precision/recall were set a little below what was measured when the tests were
written (see docs/ingest-quality.md). The held-out set (tests/ingest_eval/heldout/) is never
drafted by these tests unless MOTORGRAPH_SCORE_HELDOUT=1: it is scored once, at the end of a
round of drafter work, and its floor is the target for a new article.

    set        measured P / R     floor P / R
    seed       1.00 / 0.61        0.95 / 0.58
    dev        0.77 / 0.54        0.74 / 0.51   (28 articles: the three earlier held-out sets included)
    held-out   (scored once)      0.85 / 0.60  (the target for a new article)

Entity recall (ENTITY_FLOORS) is floored the same way on dev; every seed and dev draft must
load after only deleting its wrong items (ingest_score.check_loadable).
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

import pytest
import yaml

import rapidfuzz  # noqa: F401  (runtime dependencies of the drafter: a missing one should fail loudly)
import spacy  # noqa: F401

import ingest_score
from motorgraph import yamlio
from motorgraph.loaders import ingest as ig
from motorgraph.loaders import validate
from motorgraph.loaders.records import normalise
from motorgraph.paths import MODEL_FILE

REPO = Path(__file__).resolve().parents[1]
EVAL = REPO / "tests" / "ingest_eval"
SEED_NAMES = ["moskvich-jac-kamaz", "iran-russia-joint-production"]

FLOORS = {
    "seed": (0.95, 0.58),
    "dev": (0.74, 0.51),
    "held-out": (0.85, 0.60),
}
SCORED_SETS = ["seed", "dev"] + (["held-out"] if os.environ.get("MOTORGRAPH_SCORE_HELDOUT") == "1" else [])


def _seed_article(name: str) -> Path:
    p = REPO / "data" / "articles" / f"{name}.txt"
    assert p.is_file(), f"seed article {p} is missing"
    return p


def _labels(draft: dict, known: list[dict]) -> dict[str, str]:
    labels = {e["id"]: e["label"] for e in known}
    labels.update({e["id"]: e["label"] for e in draft["entities"]})
    return labels


@pytest.fixture(scope="module")
def schema():
    with open(MODEL_FILE, encoding="utf-8") as fh:
        return yamlio.load(fh)


@pytest.fixture(scope="module")
def known():
    return ig.load_known_entities()


@pytest.fixture(scope="module", params=SEED_NAMES)
def seed_draft(request, known):
    art = _seed_article(request.param)
    return art, ig.draft_article(art, source_id=f"{request.param}-draft", known_entities=known)


# ---- drafting the seed articles -----------------------------------------------------------
def test_draft_round_trips_through_yaml(seed_draft, tmp_path):
    art, draft = seed_draft
    out = tmp_path / "drafts" / "new.yaml"
    ig.write_draft(draft, out)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# DRAFT"), "the reviewer header comes first"
    back = yaml.safe_load(text)
    assert list(back) == ["source", "entities", "facts"]
    # The article is copied beside the draft, and named relative to it (never ../).
    assert back["source"]["file"] == f"articles/{art.name}"
    assert (out.parent / "articles" / art.name).read_bytes() == art.read_bytes()
    expected = dict(draft, source=dict(draft["source"], file=back["source"]["file"]))
    # known_mentioned (the known entities the article names) is for the caller, not the file
    assert "russia" in expected.pop("known_mentioned")
    assert back == expected
    assert back["facts"], "a seed article yields facts"


def test_source_block(seed_draft):
    art, draft = seed_draft
    src = draft["source"]
    assert src["id"].endswith("-draft")
    first = next(line.strip() for line in art.read_text(encoding="utf-8").splitlines() if line.strip())
    if len(first) <= 150:
        assert src["title"] == first
    else:  # a first line that is a whole paragraph: its first sentence, shortened
        assert first.startswith(src["title"].rstrip("…")) and len(src["title"]) <= 121
    import hashlib

    assert src["sha256"] == hashlib.sha256(art.read_bytes()).hexdigest()


def test_source_defaults(tmp_path):
    p = tmp_path / "some-article.txt"
    p.write_text("Ford Buys a Stake\n\nFord bought a 10 percent stake in Rivian in 2019.\n", encoding="utf-8")
    d = ig.draft_article(p)
    assert d["source"]["id"] == "some-article"
    assert d["source"]["title"] == "Ford Buys a Stake"


def test_quotes_are_verbatim_sentences(seed_draft):
    art, draft = seed_draft
    text = art.read_text(encoding="utf-8")
    for f in draft["facts"]:
        assert f["quote"] in text, f["quote"]
        assert normalise(f["quote"]) in normalise(text)  # the loader's quote check


def test_every_fact_and_entity_is_marked_for_review(seed_draft):
    _, draft = seed_draft
    for item in draft["entities"] + draft["facts"]:
        assert item["review"] is True
        assert 0.0 <= item["confidence"] <= 1.0
    for f in draft["facts"]:
        assert set(f) >= {"from", "type", "to", "properties", "quote"}
        assert set(f) <= {"from", "type", "to", "properties", "status", "since", "until", "quote",
                          "review", "confidence", "review_note"}


def test_candidates_respect_the_model(seed_draft, schema, known):
    _, draft = seed_draft
    labels = _labels(draft, known)
    rels = schema["relationships"]
    for e in draft["entities"]:
        assert e["label"] in schema["labels"]
        assert re.match(r"^[a-z0-9][a-z0-9-]*$", e["id"])
        spec = schema["labels"][e["label"]].get("properties") or {}
        for k, v in e["properties"].items():
            assert k in spec, (e["id"], k)
            if spec[k].get("enum"):
                assert v in spec[k]["enum"], (e["id"], k, v)
        for k, p in spec.items():
            if p.get("required"):
                assert k in e["properties"], (e["id"], k)
    for f in draft["facts"]:
        r = rels[f["type"]]
        assert labels[f["from"]] in r["from"], f
        assert labels[f["to"]] in r["to"], f
        for k in f["properties"]:
            assert k in (r.get("properties") or {}), f
        for k, p in (r.get("properties") or {}).items():
            if p.get("required"):
                assert f["properties"].get(k), f
        if "status" in f:
            assert f["status"] in schema["statuses"]


def test_every_drafted_candidate_respects_label_pairs_on_all_articles(schema, known):
    arts = [_seed_article(n) for n in SEED_NAMES] + sorted((EVAL / "dev").glob("*.txt"))
    rels = schema["relationships"]
    for art in arts:
        d = ig.draft_article(art, known_entities=known)
        labels = _labels(d, known)
        text = art.read_text(encoding="utf-8")
        for f in d["facts"]:
            assert labels[f["from"]] in rels[f["type"]]["from"], (art.name, f)
            assert labels[f["to"]] in rels[f["type"]]["to"], (art.name, f)
            assert f["quote"] in text


def _dev_articles() -> list[Path]:
    return sorted((EVAL / "dev").glob("*.txt"))


@pytest.mark.parametrize("art", [_seed_article(n) for n in SEED_NAMES] + _dev_articles(), ids=lambda p: p.stem)
def test_draft_passes_the_project_validator(art, known, tmp_path):
    """The ordinary loader's checks (no database) on the drafts of the seed and dev articles:
    every entity has its required properties, every fact its required ones, allowed end
    labels and a quote found in the article; what is left is only the review gate."""
    from motorgraph.loaders.checks import build_plan
    from motorgraph.model import load_model

    model = load_model()
    draft = ig.draft_article(art, source_id=f"{art.stem}-draft", known_entities=known)
    out = tmp_path / "draft.yaml"
    ig.write_draft(draft, out)
    plan = build_plan(sorted((REPO / "data").glob("*.yaml")) + [out], model)
    # What is left for the review gate (motorgraph.loaders.validate): every drafted item.
    assert len(plan.sources[draft["source"]["id"]].unreviewed) == len(draft["entities"]) + len(draft["facts"])
    assert draft["facts"]


def test_a_draft_keeps_its_article_beside_it(tmp_path):
    art = _seed_article("moskvich-jac-kamaz")
    # Already in the draft's articles/ folder: referenced where it is, not copied.
    here = tmp_path / "articles" / art.name
    here.parent.mkdir()
    here.write_bytes(art.read_bytes())
    ig.ingest_article(here, tmp_path / "x.yaml", known_entities=[])
    assert sorted(p.name for p in (tmp_path / "articles").iterdir()) == [art.name]
    assert yaml.safe_load((tmp_path / "x.yaml").read_text(encoding="utf-8"))["source"]["file"] == f"articles/{art.name}"
    # Another text under the same name is not overwritten.
    other = tmp_path / "elsewhere" / art.name
    other.parent.mkdir()
    other.write_text("Another article\n\nKAMAZ builds trucks.\n", encoding="utf-8")
    with pytest.raises(ig.IngestError, match="already holds another article"):
        ig.ingest_article(other, tmp_path / "y.yaml", known_entities=[])
    assert here.read_bytes() == art.read_bytes() and not (tmp_path / "y.yaml").exists()


def test_plants_in_one_city_of_two_owners_stay_two_and_keep_the_city_as_written(known, tmp_path):
    art = tmp_path / "two-plants.txt"
    art.write_text("Carmakers Leave Russia\n\n"
                   "Hyundai Motor sold its car plant in St. Petersburg to the Russian company AGR Holding "
                   "in December 2023.\nNissan took a similar path in 2022, when it sold its St. Petersburg "
                   "plant to the state research institute NAMI for one euro.\n", encoding="utf-8")
    d = ig.draft_article(art, known_entities=known)
    plants = {e["id"]: e for e in d["entities"] if e["label"] == "Plant"}
    assert set(plants) == {"hyundai-st-petersburg-car-plant", "nissan-st-petersburg-plant"}
    # "car" only says what it makes: an alias without it is the name a reviewer would write
    assert "Hyundai St. Petersburg plant" in plants["hyundai-st-petersburg-car-plant"]["aliases"]
    ops = {(f["from"], f["to"]) for f in d["facts"] if f["type"] == "OPERATES"}
    assert ops == {("hyundai", "hyundai-st-petersburg-car-plant"), ("nissan", "nissan-st-petersburg-plant")}


def test_brands_model_numbers_rivals_and_bare_plant_nouns(known, tmp_path):
    art = tmp_path / "brands.txt"
    art.write_text("Brands and Models\n\nNissan also owns the Infiniti brand.\n"
                   "The carmaker's Shanghai plant produces the Model 3 and the Model Y for China.\n"
                   "The electric Range Rover will compete with the BMW iX and the Mercedes-Benz EQS SUV.\n"
                   "Panasonic supplies cells to the Gigafactory in Nevada. Tesla builds the Model Y at "
                   "Gigafactory Berlin-Brandenburg in Germany.\n", encoding="utf-8")
    d = ig.draft_article(art, known_entities=known)
    facts = {(f["from"], f["type"], f["to"]) for f in d["facts"]}
    ents = {e["id"]: e for e in d["entities"]}
    # a company's brand is the brand's BRAND_OF, as the curated data writes it
    assert ("infiniti", "BRAND_OF", "nissan") in facts and ("nissan", "OWNS", "infiniti") not in facts
    # a number the name governs is part of it
    assert ents["model-3"]["name"] == "Model 3" and ("shanghai-plant", "PRODUCES", "model-3") in facts
    # a model competes with models, named whole ("the BMW iX", "the Mercedes-Benz EQS SUV");
    # the maker BMW is no rival of the Range Rover
    assert ("range-rover", "COMPETES_WITH", "mercedes-benz-eqs-suv") in facts
    assert ("range-rover", "COMPETES_WITH", "bmw-ix") in facts and ("bmw", "MAKES", "bmw-ix") in facts
    assert not any(t == "COMPETES_WITH" and "bmw" in (a, b) for a, t, b in facts)
    # "the EX30 small electric SUV": the model is the EX30, not "SUV"; "Leapmotor cars" names no model
    art2 = tmp_path / "suv.txt"
    art2.write_text("Volvo\n\nVolvo Cars, for its part, builds the EX30 small electric SUV in Zhangjiakou, "
                    "China, and ships it to Europe by sea. Leapmotor International, a joint venture, will export, sell and "
                    "manufacture Leapmotor cars outside China.\n", encoding="utf-8")
    models = {e["name"] for e in ig.draft_article(art2, known_entities=known)["entities"] if e["label"] == "VehicleModel"}
    assert models == {"EX30"}
    # "the Gigafactory in Nevada" gives no alias "Gigafactory" that would take Gigafactory Berlin for it
    # (only the wording of the article, which names Nevada)
    assert ents["nevada-gigafactory"]["aliases"] == ["Gigafactory in Nevada"]
    assert ("tesla", "OPERATES", "nevada-gigafactory") not in facts


# ---- entity resolution ------------------------------------------------------------------
KNOWN = [
    {"id": "kamaz", "label": "Company", "name": "KAMAZ", "aliases": ["Kamaz", "KamAZ"], "properties": {"kind": "automaker"}},
    {"id": "koc-holding", "label": "Company", "name": "Koç Holding", "aliases": [], "properties": {"kind": "holding"}},
    {"id": "kazim-celali", "label": "Person", "name": "Kazım Celali", "aliases": ["Kazem Jalali"]},
]


def _draft_text(tmp_path, text, known=KNOWN, name="t.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return ig.draft_article(p, known_entities=known)


def test_alias_resolves_to_the_existing_id(tmp_path):
    d = _draft_text(tmp_path, "Trucks\n\nKamaz delivered trucks to Kazakhstan via a logistics link with Astana Motors, a distributor based in Almaty.\n")
    ids = {e["id"] for e in d["entities"]}
    assert "kamaz" not in ids, "a known entity is referenced, not drafted again"
    assert not any(e["name"].lower() == "kamaz" for e in d["entities"])
    assert any(f["from"] == "kamaz" for f in d["facts"]), d["facts"]


def test_resolution_is_diacritic_and_case_insensitive(tmp_path):
    d = _draft_text(tmp_path, "Deal\n\nFord and KOC HOLDING announced a partnership on commercial vans. Kazim Celali visited the Moscow plant of Renault.\n")
    ends = {f["from"] for f in d["facts"]} | {f["to"] for f in d["facts"]}
    assert "koc-holding" in ends, d["facts"]
    assert not any(e["name"].lower().startswith("koc") for e in d["entities"])


def test_near_miss_is_a_new_entity_flagged_with_the_nearest_id(tmp_path):
    d = _draft_text(tmp_path, "Trucks\n\nKAMAS, a Russian truck maker, signed a supply contract with JAC. Buyers in Kazakhstan like trucks built by KAMAS.\n")
    near = [e for e in d["entities"] if e["name"] == "KAMAS"]
    assert near, d["entities"]
    assert near[0]["review_note"].startswith("near kamaz")
    assert near[0]["confidence"] <= 0.5
    assert near[0]["id"] != "kamaz"


def test_near_miss_without_a_cue_keeps_the_known_label(tmp_path):
    d = _draft_text(tmp_path, "Trucks\n\nThe new trucks built by KAMAS are sold in Kazakhstan and Uzbekistan.\n")
    near = [e for e in d["entities"] if e["name"] == "KAMAS"]
    assert near and near[0]["label"] == "Company" and "near kamaz" in near[0]["review_note"]


def test_load_known_entities_reads_curated_files(tmp_path):
    f = tmp_path / "a.yaml"
    f.write_text(yaml.safe_dump({"source": {"id": "a"}, "entities": [
        {"id": "x", "label": "Company", "name": "X", "aliases": ["Ex"], "properties": {"kind": "supplier"}}]}))
    g = tmp_path / "b.yaml"
    g.write_text(yaml.safe_dump({"source": {"id": "b"}, "entities": [
        {"id": "x", "label": "Company", "name": "X", "aliases": ["Eks"]}]}))
    got = ig.load_known_entities([tmp_path])
    assert got == [{"id": "x", "label": "Company", "name": "X", "aliases": ["Ex", "Eks"], "properties": {"kind": "supplier"}}]
    bundled = ig.load_known_entities()
    assert any(e["id"] == "kamaz" for e in bundled) or not (REPO / "data" / "moskvich-jac-kamaz.yaml").is_file()


# ---- numbers with units -----------------------------------------------------------------
@pytest.mark.parametrize("phrase, expected", [
    ("a target production capacity reaching as high as 300 thousand vehicles annually", {"capacity_per_year": 300000}),
    ("an established capacity of about 180 thousand cars per year", {"capacity_per_year": 180000}),
    ("a capacity of about 200,000 vehicles a year", {"capacity_per_year": 200000}),
    ("1.5 million units a year", {"capacity_per_year": 1500000}),
    ("an electric range around 300 kilometers", {"ev_range_km": 300}),
    ("a range of up to 533 km", {"ev_range_km": 533}),
    ("a range of about 300 miles", {"ev_range_km": 483}),
    ("a 34 percent stake", {"share_percent": 34.0}),
    ("holds 51% of the venture", {"share_percent": 51.0}),
    ("in October 2023", {"year": 2023, "date": "2023-10"}),
    ("since 2019", {"year": 2019, "date": 2019}),
])
def test_numbers_with_units(phrase, expected):
    got = ig.parse_quantity(phrase)
    for k, v in expected.items():
        assert got.get(k) == v, (phrase, got)


def test_numbers_land_on_the_right_entities(known):
    art = _seed_article("moskvich-jac-kamaz")
    d = ig.draft_article(art, known_entities=[])
    by_name = {e["name"]: e for e in d["entities"]}
    assert by_name["Renault Moscow plant"]["properties"]["capacity_per_year"] == 180000
    assert by_name["iEV7S"]["properties"]["ev_range_km"] == 300
    assert by_name["iEV7S"]["properties"]["powertrain"] == "electric"


# ---- evaluation ---------------------------------------------------------------------------
def test_evaluate_matches_by_name_and_alias_and_can_fail():
    gold = {"entities": [{"id": "a", "name": "Alpha Motors", "aliases": ["Alpha"]},
                         {"id": "b", "name": "Beta", "aliases": []}],
            "facts": [{"from": "a", "type": "PARTNERS_WITH", "to": "b"},
                      {"from": "a", "type": "OWNS", "to": "b"}]}
    draft = {"entities": [{"id": "alpha", "name": "ALPHA", "aliases": []},
                          {"id": "beta-2", "name": "Béta", "aliases": []}],
             "facts": [{"from": "beta-2", "type": "PARTNERS_WITH", "to": "alpha"},
                       {"from": "alpha", "type": "SUPPLIES", "to": "beta-2"}]}
    r = ingest_score.evaluate(draft, gold)
    assert r["overall"]["tp"] == 1 and r["overall"]["fp"] == 1 and r["overall"]["fn"] == 1
    assert r["per_type"]["PARTNERS_WITH"]["precision"] == 1.0
    assert r["per_type"]["OWNS"]["recall"] == 0.0
    assert r["per_type"]["SUPPLIES"]["precision"] == 0.0


def test_entity_recall_counts_gold_entities_by_label_and_needs_the_same_label():
    gold = {"entities": [{"id": "alpha", "label": "Company", "name": "Alpha Motors", "aliases": ["Alpha"]},
                         {"id": "sund", "label": "City", "name": "Sunderland", "aliases": []},
                         {"id": "jp", "label": "Country", "name": "Japan", "aliases": []},
                         {"id": "uk", "label": "Country", "name": "United Kingdom", "aliases": ["UK"]},
                         {"id": "p1", "label": "Plant", "name": "Alpha Sunderland plant", "aliases": []}],
            "facts": []}
    known = [{"id": "japan", "label": "Country", "name": "Japan", "aliases": []},
             {"id": "united-kingdom", "label": "Country", "name": "United Kingdom", "aliases": ["Britain"]}]
    draft = {"entities": [{"id": "alpha-2", "label": "Company", "name": "ALPHA", "aliases": []},
                          {"id": "sunderland", "label": "Company", "name": "Sunderland", "aliases": []},
                          {"id": "p", "label": "Plant", "name": "Sunderland plant", "aliases": ["Alpha Sunderland Plant"]}],
             # a known entity counts when a fact shows it; united-kingdom is known but not shown
             "facts": [{"from": "p", "type": "LOCATED_IN", "to": "japan"}]}
    r = ingest_score.entity_recall(draft, gold, known_entities=known)
    assert r["per_label"] == {"Company": {"gold": 1, "found": 1}, "City": {"gold": 1, "found": 0},
                              "Country": {"gold": 2, "found": 1}, "Plant": {"gold": 1, "found": 1}}
    assert sorted(r["missed"]) == ["sund", "uk"]
    per_label, groups = ingest_score._recall_table(r["per_label"])
    assert groups == {"organisations": {"gold": 1, "found": 1, "recall": 1.0},
                      "plants": {"gold": 1, "found": 1, "recall": 1.0},
                      "places": {"gold": 3, "found": 1, "recall": 0.333}}
    assert per_label["Country"]["recall"] == 0.5


def test_pruning_to_gold_deletes_wrong_items_and_what_dangles_and_rewrites_nothing():
    gold = {"entities": [{"id": "a", "label": "Company", "name": "Alpha", "aliases": []},
                         {"id": "b", "label": "Company", "name": "Beta", "aliases": []},
                         {"id": "c", "label": "City", "name": "Gamma", "aliases": []}],
            "facts": [{"from": "a", "type": "PARTNERS_WITH", "to": "b"},
                      {"from": "a", "type": "OWNS", "to": "b"}]}
    alpha = {"id": "alpha", "label": "Company", "name": "Alpha", "aliases": [], "properties": {},
             "review": True, "confidence": 0.9}
    beta = {"id": "beta", "label": "Company", "name": "Beta", "aliases": [], "properties": {}, "review": True}
    gamma = {"id": "gamma", "label": "Company", "name": "Gamma", "aliases": [], "properties": {}, "review": True}
    right = {"from": "beta", "type": "PARTNERS_WITH", "to": "alpha", "properties": {}, "quote": "q", "review": True}
    wrong = {"from": "alpha", "type": "SUPPLIES", "to": "beta", "properties": {}, "quote": "q", "review": True}
    # right type and ends by name, but its end "gamma" has the wrong label: deleted, so the fact dangles
    dangling = {"from": "alpha", "type": "OWNS", "to": "gamma", "properties": {}, "quote": "q", "review": True}
    draft = {"source": {"id": "s"}, "entities": [alpha, beta, gamma], "facts": [right, wrong, dangling]}
    gold["facts"].append({"from": "a", "type": "OWNS", "to": "c"})
    out = ingest_score.prune_to_gold(draft, gold)
    assert out["entities"] == [{k: v for k, v in e.items() if k != "review"} for e in (alpha, beta)]
    assert out["facts"] == [{k: v for k, v in right.items() if k != "review"}]
    assert draft["facts"][0]["review"] is True  # the draft itself is left as it was


def test_a_pruned_draft_that_does_not_load_is_reported_with_the_loaders_problem(known, tmp_path):
    art = EVAL / "dev" / "nissan-sunderland.txt"
    gold = yaml.safe_load((EVAL / "dev" / "nissan-sunderland.yaml").read_text(encoding="utf-8"))
    data_files = sorted((REPO / "data").glob("*.yaml"))
    draft = ig.draft_article(art, source_id=gold["source"]["id"], known_entities=known)
    ok = ingest_score.check_loadable(draft, gold, data_files, tmp_path / "ok", known_entities=known)
    assert ok["loadable"] and ok["problems"] == [] and ok["facts"] >= 10
    assert (tmp_path / "ok" / "articles" / art.name).read_bytes() == art.read_bytes()
    kept = ingest_score.prune_to_gold(draft, gold, known_entities=known)["facts"][0]
    for f in draft["facts"]:
        if f["quote"] == kept["quote"]:
            f["quote"] = "words that the article never says"
    bad = ingest_score.check_loadable(draft, gold, data_files, tmp_path / "bad", known_entities=known)
    assert not bad["loadable"]
    assert any("the quote does not occur in the article" in p for p in bad["problems"]), bad["problems"]


@functools.cache
def _measured(which: str) -> dict:
    return ingest_score.measure(which)


# The entity recall measured on dev (see docs/ingest-quality.md), floors a little below it.
ENTITY_FLOORS = {"dev": {"organisations": 0.80, "plants": 0.76, "places": 0.90}}


def test_dev_entity_recall_stays_above_its_floors():
    groups = _measured("dev")["entity_groups"]
    for g, floor in ENTITY_FLOORS["dev"].items():
        assert groups[g]["gold"] >= 10, (g, groups[g])
        assert groups[g]["recall"] >= floor, (g, groups[g])


@pytest.mark.parametrize("which", ["seed", "dev"])
def test_every_draft_loads_after_only_deleting_its_wrong_items(which):
    loads = _measured(which)["loadable"]
    assert len(loads) >= (2 if which == "seed" else 8)
    refused = {f: ld["problems"] for f, ld in loads.items() if not ld["loadable"]}
    assert refused == {}
    assert all(ld["facts"] > 0 for ld in loads.values()), loads


@pytest.mark.parametrize("which", SCORED_SETS)
def test_precision_and_recall_stay_above_the_floors(which):
    m = _measured(which)
    assert m["files"], f"no {which} gold files"
    if which == "seed":
        assert set(m["files"]) >= set(SEED_NAMES)
    else:
        assert len(m["files"]) >= 3
    p, r = FLOORS[which]
    o = m["overall"]
    assert o["precision"] >= p, (which, o, m["files"])
    assert o["recall"] >= r, (which, o, m["files"])


def test_quality_report_is_current():
    doc = REPO / "docs" / "ingest-quality.md"
    current = ingest_score.report_outside_heldout(doc.read_text(encoding="utf-8"))
    assert current == ingest_score.report_outside_heldout(ingest_score.quality_report()), \
        "regenerate: python tests/ingest_score.py"
    assert ingest_score.HELDOUT_HEADING in doc.read_text(encoding="utf-8")


def test_regenerating_the_report_keeps_the_held_out_score(tmp_path):
    """The held-out set is scored once: a later `python tests/ingest_score.py` (no --heldout)
    keeps the scored section, and still replaces a placeholder by a placeholder."""
    doc = (REPO / "docs" / "ingest-quality.md").read_text(encoding="utf-8")
    names = sorted(t.stem for t in ingest_score.HELDOUT_DIR.glob("*.txt"))
    rows = "".join(f"| {n} | 0.42 |\n" for n in names)
    scored = doc.replace(ingest_score._heldout_section(doc),
                         ingest_score.HELDOUT_HEADING + "\n\n| **overall** | 9 | 9 | 9 | **0.42** |\n" + rows + "\n")
    out = tmp_path / "ingest-quality.md"
    out.write_text(scored, encoding="utf-8")
    ingest_score.write_quality_report(out)
    text = out.read_text(encoding="utf-8")
    assert "| **overall** | 9 | 9 | 9 | **0.42** |" in text
    assert ingest_score.HELDOUT_PLACEHOLDER[0] not in text
    assert "## What the parser is for" in text
    # the score of another set (an article of heldout/ missing from it) is not kept
    out.write_text(scored.replace(f"| {names[0]} | 0.42 |\n", ""), encoding="utf-8")
    ingest_score.write_quality_report(out)
    assert ingest_score.HELDOUT_PLACEHOLDER[0] in out.read_text(encoding="utf-8")
    out.write_text(ingest_score.quality_report(), encoding="utf-8")
    ingest_score.write_quality_report(out)
    assert ingest_score.HELDOUT_PLACEHOLDER[0] in out.read_text(encoding="utf-8")


def test_held_out_gold_files_are_valid_and_unchanged():
    """The held-out labels load as written and still match their articles (sha256); nothing is drafted."""
    pairs = ingest_score._gold_sets("held-out")["held-out"]
    assert len(pairs) >= 9, pairs
    assert all(y.parent == EVAL / "heldout" for y, _ in pairs)
    assert validate([str(y) for y, _ in pairs]).problems.items == []
