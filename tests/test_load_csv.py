"""The CSV bulk format against a real Neo4j: typed headers give typed values, and a file of
100,000 relationships loads completely with flat memory (measured in a subprocess that
loads through the Python API, as a user's script would).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import counts, wipe
from motorgraph.loaders import load

# Peak RSS of a whole Python process (interpreter, driver, pydantic, the loader) loading
# 100,000 relationships. The loader streams CSV rows in batches, so this must not depend
# on the row count: 100k rows may use at most MAX_GROWTH times the peak of 20k rows.
MAX_PEAK_RSS_MB = 400
MAX_GROWTH = 1.5

BULK_ARTICLE = ("Bulk Motors buys parts from many suppliers.\n"
                "Every one of the suppliers ships its parts to Bulk Motors by rail.\n")
BULK_QUOTE = "Every one of the suppliers ships its parts to Bulk Motors by rail."


def source_file(dir: Path, sid: str, text: str) -> Path:
    """A curated file that only declares a source, with its own small article."""
    art = dir / f"{sid}.txt"
    art.write_text(text, encoding="utf-8")
    sha = hashlib.sha256(art.read_bytes()).hexdigest()
    path = dir / f"{sid}.yaml"
    path.write_text(f"source:\n  id: {sid}\n  title: {sid}\n  file: {art.name}\n  sha256: {sha}\n"
                    "entities: []\nfacts: []\n", encoding="utf-8")
    return path


def query(driver, settings, cypher: str, **params) -> list[dict]:
    with driver.session(database=settings.database) as s:
        return [r.data() for r in s.run(cypher, **params)]


# ---- types ------------------------------------------------------------------------------

SMALL_ARTICLE = ("CSV Maker, also known as CSVM, owns 40 percent of the CSV plant since 2021.\n"
                 "CSV Maker is not yet a holder of the CSV deal, where it is the founder.\n"
                 "CSV Maker and CSV Partner build vans and trucks together.\n")


def test_small_csv_values_have_the_header_types(db, settings, tmp_path):
    src = source_file(tmp_path, "csv-small-source", SMALL_ARTICLE)
    nodes = tmp_path / "nodes.csv"
    nodes.write_text(
        "id:ID,:LABEL,name,aliases:string[],kind,founded:int,capacity_per_year:int,capacity_note,opened:date,status\n"
        "csv-maker,Company,CSV Maker,CSVM;CSV Maker Ltd,automaker,1999,,,,\n"
        "csv-partner,Company,CSV Partner,,supplier,,,,,\n"
        'csv-plant,Plant,CSV plant,,,,250000,"about 250,000 a year",2021-05,operating\n'
        "csv-deal,Agreement,CSV deal,CSV JV,joint venture,,,,,\n", encoding="utf-8")
    rels = tmp_path / "rels.csv"
    q_owns = "CSV Maker, also known as CSVM, owns 40 percent of the CSV plant since 2021."
    q_party = "CSV Maker is not yet a holder of the CSV deal, where it is the founder."
    q_partner = "CSV Maker and CSV Partner build vans and trucks together."
    rels.write_text(
        ":START_ID,:TYPE,:END_ID,share_percent:float,holds:boolean,role,on,since:date,status,source,quote\n"
        f'csv-maker,OWNS,csv-plant,40,,,,2021,active,csv-small-source,"{q_owns}"\n'
        f'csv-maker,PARTY_TO,csv-deal,,false,founder,,,,csv-small-source,"{q_party}"\n'
        f'csv-maker,PARTNERS_WITH,csv-partner,,,,vans,,,csv-small-source,"{q_partner}"\n'
        f'csv-maker,PARTNERS_WITH,csv-partner,,,,trucks,,,csv-small-source,"{q_partner}"\n',
        encoding="utf-8")

    summary = load([src, nodes, rels], driver=db, database=settings.database)
    assert summary.nodes_created == 5  # 4 CSV nodes + the Source
    assert summary.relationships_created == 4
    assert counts(db, settings.database) == {
        "nodes": {"Source": 1, "Company": 2, "Plant": 1, "Agreement": 1},
        "relationships": {"OWNS": 1, "PARTY_TO": 1, "PARTNERS_WITH": 2},
    }

    maker = query(db, settings, "MATCH (n:Company {id: 'csv-maker'}) RETURN properties(n) AS p, "
                  "valueType(n.founded) AS founded, valueType(n.aliases) AS aliases")[0]
    assert maker["p"] == {"id": "csv-maker", "name": "CSV Maker", "aliases": ["CSV Maker Ltd", "CSVM"],
                          "kind": "automaker", "founded": 1999,
                          "keys": ["csv-maker", "csv maker", "csv maker ltd", "csvm"],  # what lookups match
                          "relationship_count": 4, "partner_count": 1}  # kept by the graph (counts.py)
    assert maker["founded"] == "INTEGER NOT NULL"
    assert maker["aliases"].startswith("LIST<STRING")
    # Empty cells are absent properties (no "" and no nulls), aliases default to [].
    partner = query(db, settings, "MATCH (n:Company {id: 'csv-partner'}) RETURN properties(n) AS p")[0]["p"]
    assert partner == {"id": "csv-partner", "name": "CSV Partner", "aliases": [], "kind": "supplier",
                       "keys": ["csv-partner", "csv partner"], "relationship_count": 2, "partner_count": 1}

    plant = query(db, settings, "MATCH (n:Plant {id: 'csv-plant'}) RETURN properties(n) AS p, "
                  "valueType(n.capacity_per_year) AS cap, valueType(n.opened) AS opened")[0]
    assert plant["p"] == {"id": "csv-plant", "name": "CSV plant", "aliases": [], "capacity_per_year": 250000,
                          "capacity_note": "about 250,000 a year", "opened": "2021-05", "status": "operating",
                          "keys": ["csv-plant", "csv plant"]}
    assert type(plant["p"]["capacity_per_year"]) is int and plant["cap"] == "INTEGER NOT NULL"
    assert plant["opened"] == "STRING NOT NULL"  # dates are stored as YYYY[-MM[-DD]] strings, as from YAML

    owns = query(db, settings, "MATCH (:Company {id: 'csv-maker'})-[r:OWNS]->(:Plant {id: 'csv-plant'}) "
                 "RETURN properties(r) AS p, valueType(r.share_percent) AS share")[0]
    assert owns["p"] == {"share_percent": 40.0, "since": "2021", "status": "active",
                         "sources": ["csv-small-source"], "quotes": [q_owns],
                         "claims": ['{"share_percent":40.0,"since":"2021","status":"active"}']}
    assert type(owns["p"]["share_percent"]) is float and owns["share"] == "FLOAT NOT NULL"

    party = query(db, settings, "MATCH (:Company {id: 'csv-maker'})-[r:PARTY_TO]->(:Agreement {id: 'csv-deal'}) "
                  "RETURN properties(r) AS p, valueType(r.holds) AS holds")[0]
    assert party["p"] == {"holds": False, "role": "founder", "sources": ["csv-small-source"], "quotes": [q_party],
                          "claims": ['{"holds":false,"role":"founder"}']}
    assert party["p"]["holds"] is False and party["holds"] == "BOOLEAN NOT NULL"

    # `on` is PARTNERS_WITH's key: two rows on different things are two relationships.
    partners = query(db, settings, "MATCH (:Company {id: 'csv-maker'})-[r:PARTNERS_WITH]->(:Company {id: 'csv-partner'}) "
                     "RETURN r.on AS on, r.sources AS sources ORDER BY on")
    assert partners == [{"on": "trucks", "sources": ["csv-small-source"]},
                        {"on": "vans", "sources": ["csv-small-source"]}]

    # Loading the same files again changes nothing.
    again = load([src, nodes, rels], driver=db, database=settings.database)
    assert again.nodes_created == 0 and again.relationships_created == 0


# ---- 100,000 relationships -------------------------------------------------------------------

N_COMPANIES = 2000

LOAD_SCRIPT = """
import json, resource, sys, time
from motorgraph import Graph

t0 = time.time()
with Graph.connect() as g:                       # same settings (environment) as the CLI
    # The online writer's memory (an empty local database would take the bulk path).
    summary = g.load(sys.argv[1:], mode="online")
print(json.dumps({
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # KiB on Linux
    "relationships_created": summary.relationships_created,
    "nodes_created": summary.nodes_created,
    "seconds": time.time() - t0,
}))
"""


def write_bulk(dir: Path, n_rels: int) -> list[Path]:
    """2,000 Company nodes and n_rels distinct SUPPLIES relationships between them."""
    dir.mkdir()
    src = source_file(dir, "bulk-source", BULK_ARTICLE)
    nodes = dir / "companies.csv"
    with open(nodes, "w", encoding="utf-8", newline="") as fh:
        fh.write("id:ID,:LABEL,name,aliases:string[],kind,founded:int\n")
        for i in range(N_COMPANIES):
            fh.write(f"co-{i:04d},Company,Company {i},Co {i};C{i},supplier,{1900 + i % 120}\n")
    rels = dir / "supplies.csv"
    with open(rels, "w", encoding="utf-8", newline="") as fh:
        fh.write(":START_ID,:TYPE,:END_ID,goods,mode,status,source,quote\n")
        for k in range(n_rels):
            # (start, offset) is unique for k < 2000 * 1999, so every row is its own relationship.
            a, off = k % N_COMPANIES, k // N_COMPANIES + 1
            b = (a + off) % N_COMPANIES
            fh.write(f'co-{a:04d},SUPPLIES,co-{b:04d},parts batch {k},rail,active,bulk-source,"{BULK_QUOTE}"\n')
    return [src, nodes, rels]


def load_in_subprocess(paths: list[Path]) -> dict:
    proc = subprocess.run([sys.executable, "-c", LOAD_SCRIPT, *map(str, paths)], capture_output=True,
                          text=True, env=dict(os.environ), timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_100k_relationships_load_completely_with_flat_memory(db, settings, tmp_path):
    t0 = time.time()
    small = load_in_subprocess(write_bulk(tmp_path / "k20", 20_000))
    assert small["relationships_created"] == 20_000
    assert query(db, settings, "MATCH ()-[r:SUPPLIES]->() RETURN count(r) AS c") == [{"c": 20_000}]

    wipe(db, settings.database)
    big = load_in_subprocess(write_bulk(tmp_path / "k100", 100_000))
    print(f"\npeak RSS: 20k rels {small['peak_rss_mb']:.1f} MB ({small['seconds']:.0f} s), "
          f"100k rels {big['peak_rss_mb']:.1f} MB ({big['seconds']:.0f} s); total {time.time() - t0:.0f} s")

    assert big["nodes_created"] == N_COMPANIES + 1
    assert big["relationships_created"] == 100_000
    assert counts(db, settings.database) == {"nodes": {"Company": N_COMPANIES, "Source": 1},
                                             "relationships": {"SUPPLIES": 100_000}}
    sample = query(db, settings, "MATCH (a:Company {id: 'co-1999'})-[r:SUPPLIES]->(b:Company {id: 'co-0049'}) "
                   "RETURN properties(r) AS p")
    assert sample == [{"p": {"goods": "parts batch 99999", "mode": "rail", "status": "active",
                             "sources": ["bulk-source"], "quotes": [BULK_QUOTE],
                             "claims": ['{"goods":"parts batch 99999","mode":"rail","status":"active"}']}}]
    assert query(db, settings, "MATCH ()-[r:SUPPLIES]->() WHERE r.sources <> ['bulk-source'] "
                 "OR size(r.quotes) <> 1 OR r.goods IS NULL RETURN count(r) AS c") == [{"c": 0}]

    assert big["peak_rss_mb"] < MAX_PEAK_RSS_MB, big
    assert big["peak_rss_mb"] < MAX_GROWTH * small["peak_rss_mb"], (small, big)
