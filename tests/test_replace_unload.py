"""A curated file is the whole truth for its source: replacing loads and `unload`, against Neo4j.

Every comparison is between canonical dumps (harness.dump.dump), bookkeeping included: a
source's v1 then v2 must leave exactly the graph a clean load with v2 leaves.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from harness.dump import dump, duplicates, wipe
from motorgraph.cli import cli
from motorgraph.errors import NotFound, ValidationFailed
from motorgraph.loaders import load, unload

REPO = Path(__file__).resolve().parent.parent
SEEDS = {"moskvich-jac-kamaz": REPO / "data" / "moskvich-jac-kamaz.yaml",
         "iran-russia-joint-production": REPO / "data" / "iran-russia-joint-production.yaml"}
ARTICLE = ("RT Motors is based in Russia. RT Motors runs the RT Plant. RT Motors has its seat in Russia. "
           "RT Motors and KAMAZ work together on trucks. SaryarkaAvtoProm sends cars to Russia by rail.\n")
Q_BASED, Q_PLANT, Q_SEAT = "RT Motors is based in Russia.", "RT Motors runs the RT Plant.", "RT Motors has its seat in Russia."
Q_TRUCKS, Q_RAIL = "RT Motors and KAMAZ work together on trucks.", "SaryarkaAvtoProm sends cars to Russia by rail."


def v1() -> dict:
    return {
        "source": {"id": "rt-news", "title": "RT news", "file": "rt.txt",
                   "sha256": hashlib.sha256(ARTICLE.encode()).hexdigest()},
        "entities": [
            # shared with both seed sources, which state iso2 and the alias Russian Federation
            {"id": "russia", "label": "Country", "name": "Russia", "aliases": ["Rossiya"],
             "properties": {"iso2": "RU"}},
            {"id": "rt-maker", "label": "Company", "name": "RT Motors", "aliases": ["RTM"],
             "properties": {"kind": "automaker", "founded": 1990}},
            {"id": "rt-plant", "label": "Plant", "name": "RT Plant"},
        ],
        "facts": [
            {"from": "rt-maker", "type": "LOCATED_IN", "to": "russia", "quote": Q_BASED},
            {"from": "rt-maker", "type": "OPERATES", "to": "rt-plant", "quote": Q_PLANT},
            {"from": "rt-maker", "type": "PARTNERS_WITH", "to": "kamaz", "properties": {"on": "trucks"},
             "status": "active", "since": 2020, "quote": Q_TRUCKS},
            # a seed fact (goods, mode: logistics link) that this source restates with another mode
            {"from": "saryarkaavtoprom", "type": "SHIPS_TO", "to": "russia",
             "properties": {"goods": "JAC vehicles", "mode": "rail"}, "status": "active", "quote": Q_RAIL},
        ],
    }


def v2() -> dict:
    doc = v1()
    doc["entities"] = [{"id": "russia", "label": "Country", "name": "Russia"},            # alias, iso2 gone
                       {"id": "rt-maker", "label": "Company", "name": "RT Motors",        # alias, founded gone
                        "properties": {"kind": "automaker"}}]                              # rt-plant dropped
    doc["facts"] = [{"from": "rt-maker", "type": "LOCATED_IN", "to": "russia", "quote": Q_SEAT},  # new quote
                    {"from": "rt-maker", "type": "PARTNERS_WITH", "to": "kamaz", "properties": {"on": "trucks"},
                     "status": "planned", "quote": Q_TRUCKS}]                        # status changed, since gone
    return doc


def write(folder: Path, doc: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rt.txt").write_text(ARTICLE, encoding="utf-8")
    path = folder / "rt-news.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _load(db, settings, *paths):
    return load(list(paths), driver=db, database=settings.database, show_progress=False)


def _fresh(db, settings, *paths) -> list:
    wipe(db, settings.database)
    for p in paths:
        _load(db, settings, p)
    return dump(db, settings.database)


def props(db, settings, cypher: str):
    with db.session(database=settings.database) as s:
        return [r.data() for r in s.run(cypher)]


def test_v1_then_v2_equals_a_clean_load_of_v2(db, settings, tmp_path):
    seeds = list(SEEDS.values())
    p1, p2 = write(tmp_path / "v1", v1()), write(tmp_path / "v2", v2())
    reference = _fresh(db, settings, *seeds, p2)
    _fresh(db, settings, *seeds, p1)
    summary = _load(db, settings, p2)
    assert dump(db, settings.database) == reference
    r = summary.retraction.as_dict()
    assert r["facts_removed"] == ["rt-maker -[OPERATES]-> rt-plant"]
    assert r["facts_changed"] == ["rt-maker -[LOCATED_IN]-> russia", "rt-maker -[PARTNERS_WITH 'trucks']-> kamaz",
                                  "saryarkaavtoprom -[SHIPS_TO]-> russia"]  # each lost an old entry
    assert r["entities_removed"] == ["rt-plant"]
    assert r["entities_changed"] == ["rt-maker", "russia"]
    # the seeds' values survive: russia's iso2 and alias, the SHIPS_TO mode the seed stated
    assert props(db, settings, "MATCH (c:Country {id: 'russia'}) RETURN c.iso2 AS iso2, c.aliases AS aliases") == \
        [{"iso2": "RU", "aliases": ["Russian Federation"]}]
    assert props(db, settings, "MATCH (:Company {id: 'saryarkaavtoprom'})-[r:SHIPS_TO]->(:Country {id: 'russia'}) "
                 "RETURN r.mode AS mode, r.status AS status, r.sources AS sources") == \
        [{"mode": "logistics link", "status": None, "sources": ["moskvich-jac-kamaz"]}]
    assert props(db, settings, "MATCH (:Company {id: 'rt-maker'})-[r:PARTNERS_WITH]->() "
                 "RETURN r.status AS status, r.since AS since") == [{"status": "planned", "since": None}]


def test_unchanged_reload_sets_nothing(db, settings, tmp_path):
    """The seeds reloaded over the seeds, then the test source reloaded over itself. (Facts two
    sources state with different values take the last load's value, so reloading the seeds
    over v1's `mode: rail` would set it back: that is not an unchanged reload.)"""
    p1 = write(tmp_path / "v1", v1())
    _fresh(db, settings, REPO / "data")
    for path in (REPO / "data", p1, p1):
        before = dump(db, settings.database)
        summary = _load(db, settings, path)
        if path == p1 and not summary.nodes_created:
            assert dict(summary.counters) == {"properties_set": 0, "nodes_created": 0, "nodes_deleted": 0,
                                              "relationships_created": 0, "relationships_deleted": 0}
            assert dump(db, settings.database) == before
        elif path != p1:
            assert summary.counters["properties_set"] == 0 and dump(db, settings.database) == before


def test_unload_each_seed_equals_the_other_alone_and_reload_restores(db, settings):
    both = _fresh(db, settings, REPO / "data")
    for gone, other in (("moskvich-jac-kamaz", "iran-russia-joint-production"),
                        ("iran-russia-joint-production", "moskvich-jac-kamaz")):
        alone = _fresh(db, settings, SEEDS[other])
        _fresh(db, settings, REPO / "data")
        dry = unload(gone, driver=db, database=settings.database, dry_run=True)
        assert dump(db, settings.database) == both  # a dry run writes nothing
        done = unload(gone, driver=db, database=settings.database)
        assert done.as_dict() == dry.as_dict() and done.facts_removed
        assert dump(db, settings.database) == alone
        _load(db, settings, SEEDS[gone])
        assert dump(db, settings.database) == both


def test_unload_unknown_source_names_the_closest(db, settings):
    _load(db, settings, REPO / "data")
    with pytest.raises(NotFound) as exc:
        unload("moskvich-jac", driver=db, database=settings.database)
    assert str(exc.value) == "no source 'moskvich-jac' in the graph; closest: moskvich-jac-kamaz"
    res = CliRunner().invoke(cli, ["unload", "moskvich-jac", "--dry-run"])
    assert res.exit_code == 1 and "closest: moskvich-jac-kamaz" in res.output


def test_unload_command_dry_run_lists_and_writes_nothing(db, settings):
    before = _fresh(db, settings, REPO / "data")
    res = CliRunner().invoke(cli, ["unload", "iran-russia-joint-production", "--dry-run"])
    assert res.exit_code == 0, res.output
    assert "Would unload source iran-russia-joint-production:" in res.output
    assert "    kazim-celali\n" in res.output and "entities removed:" in res.output
    assert dump(db, settings.database) == before
    res = CliRunner().invoke(cli, ["unload", "iran-russia-joint-production"])
    assert res.exit_code == 0 and dump(db, settings.database) == _fresh(db, settings, SEEDS["moskvich-jac-kamaz"])


def test_refused_replacing_load_changes_nothing(db, settings, tmp_path):
    before = _fresh(db, settings, *SEEDS.values(), write(tmp_path / "v1", v1()))
    bad = v2()
    bad["facts"][0]["type"] = "LOCATED_AT"
    with pytest.raises(ValidationFailed):
        _load(db, settings, write(tmp_path / "bad", bad))
    assert dump(db, settings.database) == before


def _run_both(*jobs):
    errors = []

    def wrap(job):
        try:
            job()
        except Exception as exc:  # reported below
            errors.append(exc)
    threads = [threading.Thread(target=wrap, args=(j,)) for j in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors


def other_source(doc: dict, sid: str, tag: str) -> dict:
    """v1 as another source: same shared entities (russia, rt-maker), its own aliases."""
    doc = v1()
    doc["source"]["id"] = sid
    for e in doc["entities"]:
        e["aliases"] = [f"{a} {tag}" for a in e.get("aliases", [])]
    return doc


@pytest.mark.timeout(300)
def test_two_replacing_loads_of_sources_sharing_entities_lose_nothing(db, settings, tmp_path):
    pa = write(tmp_path / "a", other_source(v1(), "rt-a", "A"))
    pb = write(tmp_path / "b", other_source(v1(), "rt-b", "B"))
    pa2 = write(tmp_path / "a2", {**other_source(v1(), "rt-a", "A"), "facts": v2()["facts"]})
    pb2 = write(tmp_path / "b2", {**other_source(v1(), "rt-b", "B"), "facts": v2()["facts"]})
    reference = _fresh(db, settings, *SEEDS.values(), pa2, pb2)
    for _ in range(4):
        _fresh(db, settings, *SEEDS.values(), pa, pb)
        _run_both(lambda: _load(db, settings, pa2), lambda: _load(db, settings, pb2))
        assert duplicates(db, settings.database) == {"nodes": 0, "relationships": 0}
        assert dump(db, settings.database) == reference
        facts = props(db, settings, "MATCH ()-[r]->() WHERE 'rt-a' IN r.sources OR 'rt-b' IN r.sources "
                      "RETURN count(r) AS n, sum(size(r.sources)) AS cited")
        assert facts == [{"n": 2, "cited": 4}]


@pytest.mark.timeout(300)
def test_replacing_load_and_unload_of_one_source_end_in_one_clean_state(db, settings, tmp_path):
    p1, p2 = write(tmp_path / "v1", v1()), write(tmp_path / "v2", v2())
    loaded = _fresh(db, settings, *SEEDS.values(), p2)
    unloaded = _fresh(db, settings, *SEEDS.values())
    seen = set()
    for _ in range(4):
        _fresh(db, settings, *SEEDS.values(), p1)
        _run_both(lambda: _load(db, settings, p2),
                  lambda: unload("rt-news", driver=db, database=settings.database))
        now = dump(db, settings.database)
        if now not in (loaded, unloaded):
            for name, ref in (("loaded", loaded), ("unloaded", unloaded)):
                print(name, [x for x in now[0] + now[1] if x not in ref[0] + ref[1]],
                      [x for x in ref[0] + ref[1] if x not in now[0] + now[1]])
        assert now in (loaded, unloaded)
        seen.add("loaded" if now == loaded else "unloaded")
    print(f"end states seen: {sorted(seen)}")
