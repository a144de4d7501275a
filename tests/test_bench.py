"""The benchmark (benchmarks/, `python -m benchmarks`): the generator is deterministic and valid,
and a tiny run fills every section.

No timing thresholds here: speed is what the bench reports, not what the tests assert.
The end-to-end run uses the test server (its database is wiped, like every database test).
"""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from benchmarks import SCALES, generate, run_bench
from benchmarks.latency import classify, failures, measure_queries, percentile, sample_params, summarise
from benchmarks.sources import QUOTE, source_count
from motorgraph.loaders import load, validate
from motorgraph.model import load_model
from motorgraph.settings import child_env

REPO = Path(__file__).resolve().parent.parent


def _digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _csv_counts(folder: Path) -> dict:
    """Rows per label and per type, read straight from the CSV files (not the generator's counters)."""
    with open(folder / "nodes.csv", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        col = header.index(":LABEL")
        rows = list(reader)
        nodes = Counter(r[col] for r in rows)
        assert len({r[0] for r in rows}) == len(rows), "node ids are unique"
    with open(folder / "relationships.csv", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        t = header.index(":TYPE")
        on = header.index("on")
        rels = list(reader)
        identities = {(r[0], r[t], r[2], r[on]) for r in rels}
        assert len(identities) == len(rels), "no two rows are the same relationship (MERGE would fold them)"
        types = Counter(r[t] for r in rels)
    sources = len(list((folder / "sources").glob("*.yaml")))
    return {"nodes": {**nodes, "Source": sources}, "relationships": dict(types)}


def test_generator_is_deterministic(tmp_path):
    a = generate("tiny", tmp_path / "a", seed=7)
    b = generate("tiny", tmp_path / "b", seed=7)
    assert _digests(a.dir) == _digests(b.dir)
    # In another process with another hash seed: still byte-identical (no set or hash order).
    code = ("import sys; from pathlib import Path; from benchmarks import generate; "
            "generate('tiny', Path(sys.argv[1]), seed=7)")
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "c")], check=True, cwd=REPO,
                   env=child_env(PYTHONHASHSEED="12345"))
    assert _digests(tmp_path / "c") == _digests(a.dir)
    other = generate("tiny", tmp_path / "d", seed=8)
    assert _digests(other.dir)["relationships.csv"] != _digests(a.dir)["relationships.csv"]


def test_generated_data_validates_and_has_the_shape(tmp_path):
    ds = generate("tiny", tmp_path / "tiny")
    plan = validate([ds.dir])
    assert not plan.problems, plan.problems.items[:5]
    assert plan.csv_counts == {str(ds.nodes_csv): ds.node_rows, str(ds.rels_csv): ds.rel_rows}
    assert _csv_counts(ds.dir) == ds.expected()
    assert abs(ds.rel_rows - SCALES["tiny"]) / SCALES["tiny"] < 0.25
    for label in ("Company", "Brand", "Plant", "VehicleModel", "Country", "Agreement"):
        assert ds.nodes.get(label), label
    # Every relationship type of the model, read from the file (MENTIONS is the loader's own:
    # it links a curated file's source to the entities the file defines).
    model_types = set(load_model().relationships) - {"MENTIONS"}
    assert set(_csv_counts(ds.dir)["relationships"]) == model_types
    with open(ds.rels_csv, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    statuses = Counter(r["status"] for r in rows)
    assert statuses["pending approval"] and statuses["ended"] and statuses["active"]
    assert any(r["until:date"] and r["status"] == "ended" for r in rows)
    acquired = [r for r in rows if r[":TYPE"] == "ACQUIRED"]
    assert all(r["what"] and r["from_party"] not in (r[":START_ID"], r[":END_ID"]) for r in acquired)
    assert {r[":END_ID"][:3] for r in acquired} >= {"co-", "br-"}
    # Supply routes: SHIPS_TO hops with goods and mode, ending in a country.
    with open(ds.rels_csv, encoding="utf-8", newline="") as fh:
        ships = [r for r in csv.DictReader(fh) if r[":TYPE"] == "SHIPS_TO"]
    assert ships and all(r["goods"] and r["mode"] for r in ships)
    assert any(r[":END_ID"].startswith("country-") for r in ships)
    assert any(not r[":END_ID"].startswith("country-") for r in ships), "routes have intermediaries"
    # Power-law degrees: the busiest company has many times the median degree.
    with open(ds.rels_csv, encoding="utf-8", newline="") as fh:
        degree = Counter(x for r in csv.DictReader(fh) for x in (r[":START_ID"], r[":END_ID"]) if x.startswith("co-"))
    ranked = sorted(degree.values())
    assert ranked[-1] >= 5 * ranked[len(ranked) // 2]


def test_generated_rows_cite_many_small_sources_each_with_its_own_article(tmp_path):
    ds = generate("tiny", tmp_path / "tiny")
    with open(ds.rels_csv, encoding="utf-8", newline="") as fh:
        cites = Counter(r["source"] for r in csv.DictReader(fh))
    files = sorted(p.stem for p in ds.sources_dir.glob("*.yaml"))
    assert ds.sources == len(files) == 4 and sorted(cites) == files
    # Zipf-ish, with no source holding most of the data: the busiest under 4x the mean.
    assert min(cites.values()) > 0 and max(cites.values()) < 4 * ds.rel_rows / ds.sources
    assert max(cites.values()) > 2 * min(cites.values())
    articles = [(ds.sources_dir / "articles" / f"{f}.txt").read_text(encoding="utf-8") for f in files]
    assert len(set(articles)) == 4 and all(QUOTE in a for a in articles)
    plan = validate([ds.dir])  # each file and its article pass the loader's checks (sha256 included)
    assert not plan.problems, plan.problems.items[:5]
    assert sorted(plan.sources) == files
    plan.labels.close()
    # The sampler draws source parameters from all of them.
    assert sorted(s["id"] for s in ds.catalog["Source"]) == files
    # Generated again into the same folder at a smaller scale: no source of the first run is left.
    again = generate(600, ds.dir)
    assert again.sources == 3 and len(list(ds.sources_dir.glob("*.yaml"))) == 3
    # ~500 facts per source at every scale: a few thousand sources at medium, ~10k at large.
    assert {s: source_count(n) for s, n in SCALES.items()} == {"tiny": 4, "small": 200, "medium": 2_000,
                                                               "large": 10_000}


def test_plan_classification_and_percentiles():
    plan = {"operatorType": "ProduceResults@neo4j", "args": {}, "children": [
        {"operatorType": "Expand(All)@neo4j", "args": {}, "children": [
            {"operatorType": "NodeByLabelScan@neo4j", "args": {"Details": "c:Company"}, "children": []}]}]}
    got = classify(plan)
    assert got["kind"] == "scan" and got["scans"] == ["NodeByLabelScan(c:Company)"]
    plan["children"][0]["children"][0]["operatorType"] = "NodeUniqueIndexSeek@neo4j"
    assert classify(plan)["kind"] == "seek"
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.0 and percentile(list(map(float, range(1, 101))), 99) == 99.0
    catalog = {"routes": [{"maker": "co-1", "maker_name": "Acme Motors", "market": "country-ru",
                           "market_name": "Russia"}], "Company": [{"id": "co-2", "name": "Beta Parts"}]}
    q = {"name": "supply-routes", "params": [{"name": "brand", "type": "string"}, {"name": "market", "type": "string"}]}
    assert sample_params(q, catalog, __import__("random").Random(0)) == {"brand": "Acme Motors", "market": "Russia"}


def test_a_parameter_set_counts_with_the_median_of_its_runs():
    # 20 parameter sets taking 10..29 ms; one run of every fifth set stalls at 500 ms.
    draws = [[10.0 + i, 500.0 if i % 5 == 0 else 10.0 + i, 10.5 + i] for i in range(20)]
    got = summarise(draws)
    assert got["runs"] == 20
    assert (got["p50_ms"], got["p95_ms"], got["p99_ms"]) == (19.0, 28.0, 29.0)
    every = got["every_run"]
    assert every["runs"] == 60 and every["p50_ms"] == 20.5 and every["p95_ms"] == 500.0
    # An even count takes the lower middle; one run is its own median.
    assert summarise([[3.0, 1.0, 2.0, 9.0]])["p50_ms"] == 2.0
    assert summarise([[7.0]])["p95_ms"] == 7.0


def test_every_question_answers_on_the_generated_data_and_an_all_empty_one_fails_the_run(db, neo4j_server, tmp_path):
    ds = generate("tiny", tmp_path / "tiny")
    database = neo4j_server.database
    load([ds.dir], driver=db, database=database, show_progress=False)
    with db.session(database=database) as session:
        types = {r["t"] for r in session.run("MATCH ()-[r]->() RETURN DISTINCT type(r) AS t")}
    assert types == set(load_model().relationships) - {"MENTIONS"}  # the generated sources name no entity
    got = measure_queries(db, database, ds.catalog, runs=10, warmup=0, tries=1)
    empty = {name: e["empty_results"] for name, e in got["queries"].items() if e["empty_results"]}
    assert got["all_empty"] == [] and failures(got) == [], empty
    for name in ("asset-transfers", "article-facts"):  # once 0 rows for every parameter set
        assert got["queries"][name]["empty_results"] == 0 and got["queries"][name]["mean_rows"] > 0
    # A company without partners for every parameter set: `partners` measures nothing, so the run fails.
    with db.session(database=database) as session:
        loner = session.run("MATCH (c:Company) WHERE NOT (c)-[:PARTNERS_WITH]-() RETURN c.id AS id, c.name AS name "
                            "ORDER BY c.id LIMIT 1").single().data()
    got = measure_queries(db, database, {**ds.catalog, "Company": [loner]}, runs=3, warmup=0, tries=1)
    assert "partners" in got["all_empty"] and got["queries"]["partners"]["runs"] == 3
    assert "asset-transfers" not in got["all_empty"]
    assert failures(got)[got["all_empty"].index("partners")] == (
        "every parameter set of 'partners' came back empty: its timing measured nothing; draw parameters "
        "that have answers, or generate data that answers it")


def test_entry_point_runs_from_the_checkout():
    """`python -m benchmarks` (what `make bench` runs) takes the scales; `motorgraph` has no bench command."""
    res = subprocess.run([sys.executable, "-m", "benchmarks", "--help"], capture_output=True, text=True,
                         cwd=REPO, env=child_env())
    assert res.returncode == 0, res.stderr
    for opt in ("--scale", "--out", "tiny", "large"):
        assert opt in res.stdout
    bad = subprocess.run([sys.executable, "-m", "benchmarks", "--scale", "huge"], capture_output=True, text=True,
                         cwd=REPO, env=child_env())
    assert bad.returncode == 2 and "'huge' is not one of" in bad.stderr
    from motorgraph.cli import cli

    assert "bench" not in cli.commands


@pytest.mark.slow
def test_bench_tiny_end_to_end(neo4j_server, tmp_path):
    report = run_bench(neo4j_server, "tiny", tmp_path, query_runs=50, repeats=1, naive_rows=600,
                       echo=lambda m: None)
    ds_dir = Path(report["dataset"]["dir"])
    expected = _csv_counts(ds_dir)

    # Load throughput: every method with rows/s (the ceiling may be unavailable, with a reason).
    load = report["load"]
    for method in ("loader", "load_csv", "naive"):
        assert "error" not in load[method], load[method]
        assert load[method]["rows_per_s"] > 0 and load[method]["rows"] > 0
    if neo4j_server.local:
        assert "error" not in load["admin_import"], load["admin_import"]
        assert load["admin_import"]["rows_per_s"] > 0
        # The fresh load by the bulk path, end to end, with its phases and the generated counts.
        assert "error" not in load["bulk"], load["bulk"]
        assert load["bulk"]["counts_match"] is True
        assert list(load["bulk"]["phases"]) == ["validate + write CSV", "finish CSV", "import + stop", "start", "lists + markets",
                                    "indexes online"]
        assert report["ratios"]["bulk_vs_load_csv"] > 0 and report["ratios"]["bulk_vs_loader"] > 0
    else:
        assert load["admin_import"]["error"]
        assert load["bulk"]["error"]
    for name in ("loader_vs_load_csv", "loader_vs_naive"):
        assert report["ratios"][name] > 0

    # The loader created exactly what was generated (summary and database), and so did LOAD CSV.
    assert load["loader"]["created"] == expected
    assert load["loader"]["db_counts"] == expected
    assert report["counts_match"] is True
    assert load["load_csv"]["counts_match"] is True

    # Replacing reloads of the sources the rows cite: unchanged sets nothing and takes
    # nothing back; one changed fact sets properties and changes that fact.
    reload = report["reload"]
    assert reload["sources"] == report["dataset"]["expected"]["nodes"]["Source"] == 4
    assert reload["paths"] == ["sources", "nodes.csv", "relationships.csv"]
    unchanged, changed = reload["unchanged"], reload["one_fact_changed"]
    assert unchanged["properties_set"] == 0
    assert unchanged["retraction"] == {"facts_removed": 0, "facts_changed": 0, "entities_removed": 0,
                                       "entities_changed": 0}
    assert changed["properties_set"] > 0 and changed["fact"].startswith("co-")
    assert changed["retraction"]["facts_removed"] == 0
    for r in (unchanged, changed):
        assert r["elapsed_s"] > 0 and r["vs_first_load"] > 0
    # The graph holds the changed fact's new goods.
    start, _, end = changed["fact"].split(" ")
    from motorgraph.db import open_driver
    with open_driver(neo4j_server) as drv, drv.session(database=neo4j_server.database) as s:
        goods = s.run("MATCH (:Company {id: $a})-[r:SUPPLIES]->({id: $b}) RETURN r.goods AS g",
                      a=start, b=end).single()["g"]
    assert goods.endswith(" and software")

    # Every saved query: p50/p95/p99 over >= 50 runs, and its plan's kind.
    from motorgraph import library

    names = {getattr(q, "name", q) for q in library.list_queries()}
    assert names, "the saved-query library is empty"
    queries = report["queries"]["queries"]
    assert set(queries) == names
    for name, q in queries.items():
        assert "error" not in q, (name, q)
        assert q["runs"] >= 50, name
        assert 0 < q["p50_ms"] <= q["p95_ms"] <= q["p99_ms"], (name, q)
        assert q["kind"] in ("seek", "scan", "other"), (name, q)
        # Each parameter set ran `tries` (3) times; every run is also counted alone.
        assert q["tries"] == 3 and q["every_run"]["runs"] == 3 * q["runs"], (name, q)
    # Every question answered some parameter sets, so the run did not fail.
    assert report["queries"]["all_empty"] == [] and report["failures"] == []
    # The round-trip floor: one RETURN 1 before every timed run of every query.
    floor = report["queries"]["round_trip"]
    assert floor["runs"] == sum(q["every_run"]["runs"] for q in queries.values())
    assert 0 < floor["p50_ms"] <= floor["p95_ms"] <= floor["p99_ms"]

    # Peak RSS per input size.
    sizes = report["rss"]["sizes"]
    assert len(sizes) >= 2 and all(s["peak_rss_mb"] > 0 for s in sizes)
    assert report["rss"]["growth"] > 0

    # Machine, and both output files with every section.
    assert report["machine"]["cores"] and report["machine"]["neo4j_version"].startswith("5.")
    md = Path(report["files"]["markdown"]).read_text(encoding="utf-8")
    for heading in ("## Ratios", "## Load throughput", "## Query latency", "## Loader peak RSS vs input size"):
        assert heading in md
    for method in ("motorgraph loader", "LOAD CSV", "naive script", "neo4j-admin database import full",
                   "fresh load (bulk path)", "replacing reload: unchanged sources", "replacing reload: one fact changed"):
        assert method in md
    assert "replacing reload, unchanged sources / first load" in md and "**0 properties set**" in md
    for name in names:
        assert f"`{name}`" in md
    assert "| *round trip: `RETURN 1 AS one`" in md
    saved = json.loads(Path(report["files"]["json"]).read_text(encoding="utf-8"))
    assert saved["load"]["loader"]["created"] == expected
