"""The benchmark run: load throughput by four paths, replacing reloads, query latency, loader RSS; JSON + Markdown."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import neo4j

from benchmarks import latency, loadpaths
from benchmarks.generate import DEFAULT_SEED, SCALES, Dataset, generate, with_one_fact_changed
from motorgraph.db import open_driver
from motorgraph.errors import MotorgraphError
from motorgraph.loaders.bulk import reconnect
from motorgraph.model import load_model
from motorgraph.schema_ops import apply_schema
from motorgraph.server import LocalServer
from motorgraph.settings import Settings

BENCH_BOLT_PORT = 7697
BENCH_HTTP_PORT = 7484
WARMUP_RELS = 1000
CHILD = Path(__file__).with_name("child.py")
# Rounds of the load paths (the fastest run of each counts): noise on a shared machine.
DEFAULT_REPEATS = {"tiny": 2, "small": 2, "medium": 1, "large": 1}
TARGETS = {"loader_vs_load_csv": 1.0, "loader_vs_naive": 100.0, "rss_growth_max": 1.5,
           "anchored_p95_ms_max": 20.0, "anchored_p95_scale": "medium",
           "bulk_vs_load_csv": {"medium": 1.25, "large": 2.5}}


class BenchError(MotorgraphError):
    pass


def bench_settings(base: Settings, home: Path | None = None, bolt_port: int = BENCH_BOLT_PORT,
                   http_port: int = BENCH_HTTP_PORT) -> Settings:
    """The benchmark's own local server: never the user's database (it is wiped between runs)."""
    return base.with_(uri=None, database=None, home=Path(home) if home else base.home.parent / "motorgraph-bench",
                      bolt_port=bolt_port, http_port=http_port)


def rss_growth(sizes: list[dict]) -> dict:
    """Peak RSS of the largest input over that of `small` (the target's base: below it the
    process's fixed size dominates), or over the smallest input when small was not loaded."""
    base = next((s for s in sizes if s["size"] == "small"), sizes[0])
    return {"sizes": sizes, "base": base["size"], "growth": _ratio(sizes[-1]["peak_rss_mb"], base["peak_rss_mb"])}


def rss_sizes(scale: str) -> list[str | int]:
    """Input sizes the loader's RSS is measured at: every named scale up to `scale`."""
    names = list(SCALES)
    upto = names[: names.index(scale) + 1]
    return ([SCALES["tiny"] // 4] if len(upto) == 1 else []) + upto


# ---- helpers --------------------------------------------------------------------------------------
def wipe(driver: neo4j.Driver, database: str | None) -> None:
    """An empty database with the schema applied (relationships first, in batches)."""
    with driver.session(database=database) as s:
        s.run("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS").consume()
        s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 20000 ROWS").consume()
    apply_schema(driver, database)


def db_counts(driver: neo4j.Driver, database: str | None) -> dict:
    with driver.session(database=database) as s:
        nodes = {r["l"]: r["c"] for r in s.run("MATCH (n) UNWIND labels(n) AS l RETURN l, count(*) AS c")}
        rels = {r["t"]: r["c"] for r in s.run("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS c")}
    return {"nodes": dict(sorted(nodes.items())), "relationships": dict(sorted(rels.items()))}


def machine(driver: neo4j.Driver | None, settings: Settings) -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = None
    try:
        with open("/proc/meminfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    mem = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    info = {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": mem, "os": f"{platform.system()} {platform.release()}",
            "python": platform.python_version(), "neo4j_version": None, "neo4j_edition": None,
            "heap": settings.heap if settings.local else None, "pagecache": settings.pagecache if settings.local else None,
            "load_average": None}
    try:
        info["load_average"] = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        pass
    if driver is not None:
        rec = driver.execute_query("CALL dbms.components() YIELD versions, edition "
                                   "RETURN versions[0] AS v, edition AS e", database_="system").records[0]
        info["neo4j_version"], info["neo4j_edition"] = rec["v"], rec["e"]
    return info


def _settings_json(settings: Settings) -> str:
    d = dataclasses.asdict(settings)
    d["home"] = str(d["home"])
    return json.dumps(d)


def run_loader_child(settings: Settings, paths: list[Path], batch_size: int | None = None,
                     mode: str = "online") -> dict:
    """motorgraph's loader in a fresh Python process; its time, summary and peak RSS.
    `mode`: "online" (the writer) or "bulk" (the bulk path, into the local server's empty database)."""
    cfg = json.loads(_settings_json(settings))
    if batch_size:
        cfg["batch_size_override"] = batch_size
    cfg["load_mode"] = mode
    # child.py run as a script: it imports only motorgraph, so it needs no checkout on sys.path.
    proc = subprocess.run([sys.executable, str(CHILD), *map(str, paths)],
                          input=json.dumps(cfg), capture_output=True, text=True)
    if proc.returncode != 0:
        raise BenchError("the loader failed in its subprocess:\n" + (proc.stderr or proc.stdout)[-2000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _rss_row(size, rows: int, res: dict) -> dict:
    return {"size": size, "rows": rows, "peak_rss_mb": res["peak_rss_mb"], "source": res["peak_rss_source"],
            "ru_maxrss_mb": res["ru_maxrss_mb"], "baseline_rss_mb": res["baseline_rss_mb"],
            "elapsed_s": res["elapsed_s"]}


def _created(summary: dict) -> dict:
    return {kind: {k: v["created"] for k, v in summary[kind].items() if not k.startswith("(csv)")}
            for kind in ("nodes", "relationships")}


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a and b else None


# ---- the run ---------------------------------------------------------------------------------------
def run_bench(settings: Settings, scale: str = "small", out: Path = Path("out/bench"), *,
              seed: int = DEFAULT_SEED, query_runs: int = 50, naive_rows: int = 2000,
              admin_import: bool = True, repeats: int | None = None, manage_server: bool = True,
              keep_server: bool = False, queries: bool = True, query_budget_s: float = 300.0,
              query_tries: int = 3, echo: Callable[[str], None] = print) -> dict:
    """Run every section against the server `settings` describes (its database is WIPED).

    With manage_server, a local server that is not running is started, and stopped at the
    end (unless keep_server). Writes <out>/bench-<scale>.json and .md; returns the report.
    """
    if scale not in SCALES:
        raise BenchError(f"unknown scale {scale!r}; use one of {', '.join(SCALES)}")
    if query_runs < 1:
        raise BenchError("query_runs must be at least 1")
    if query_tries < 1:
        raise BenchError("query_tries must be at least 1")
    if repeats is not None and repeats < 1:
        raise BenchError("repeats must be at least 1")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    model = load_model()
    server = LocalServer(settings) if settings.local else None
    started = False
    if server is not None and manage_server and not server.is_running():
        (settings.home / "import").mkdir(parents=True, exist_ok=True)
        echo(f"Starting the benchmark's Neo4j in {settings.home} (bolt {settings.bolt_port})...")
        try:
            started = server.start(echo=echo)
        except MotorgraphError as exc:
            raise BenchError(f"{exc}\n(for `python -m benchmarks`: choose its ports with --bolt-port and "
                             "--http-port, its home with --home)") from None
    try:
        driver = open_driver(settings)
        try:
            return _run(driver, settings, model, scale, out, seed, query_runs, naive_rows, admin_import,
                        repeats, echo, queries, query_budget_s, query_tries)
        finally:
            driver.close()
    finally:
        if started and not keep_server:
            echo("Stopping the benchmark's Neo4j.")
            server.stop()


def _run(driver, settings, model, scale, out, seed, query_runs, naive_rows, admin_import, repeats, echo,
         queries, query_budget_s, query_tries) -> dict:
    db = settings.database
    batch = settings.batch_size
    if repeats is None:
        repeats = DEFAULT_REPEATS.get(scale, 1)
    report: dict = {"scale": scale, "seed": seed, "batch_size": batch, "targets": TARGETS, "repeats": repeats,
                    "started_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
                    "machine": machine(driver, settings)}
    # ---- data --------------------------------------------------------------------------------
    t0 = time.perf_counter()
    data_root = out / "data"
    ds = generate(scale, data_root / scale, seed)
    gen_s = time.perf_counter() - t0
    report["dataset"] = {"dir": str(ds.dir), "nodes": ds.nodes, "relationships": ds.relationships,
                         "node_rows": ds.node_rows, "relationship_rows": ds.rel_rows, "rows": ds.rows,
                         "bytes": ds.nodes_csv.stat().st_size + ds.rels_csv.stat().st_size,
                         "generate_s": round(gen_s, 2), "expected": ds.expected()}
    echo(f"Generated {scale}: {ds.node_rows:,} nodes + {ds.rel_rows:,} relationships in {gen_s:.1f}s ({ds.dir})")
    load: dict = {}
    report["load"] = load
    rows = ds.rows
    imp, why = loadpaths.import_dir(driver, settings)

    # ---- warm-up: every path once on a small data set, untimed (JIT, plan cache, page cache) -------
    echo("Warm-up (every load path once on a small data set, not timed)...")
    t0 = time.perf_counter()
    warm = generate(WARMUP_RELS, data_root / "warmup", seed + 1)
    if imp is not None:
        dest = imp / "motorgraph-bench" / "warmup"
        try:
            split = loadpaths.split_for_load_csv(warm, model, dest)
            wipe(driver, db)
            loadpaths.run_load_csv(driver, db, loadpaths.load_csv_statements(
                split, model, lambda p: "file:///" + p.relative_to(imp).as_posix(), batch))
        finally:
            shutil.rmtree(imp / "motorgraph-bench", ignore_errors=True)
    wipe(driver, db)
    loadpaths.run_naive(driver, db, model, *loadpaths.naive_subset(warm, 200))
    wipe(driver, db)
    from motorgraph.loaders import load as _load

    _load([warm.dir], driver=driver, database=db, batch_size=batch, show_progress=False)
    report["warmup_s"] = round(time.perf_counter() - t0, 1)

    # ---- loader RSS at the smaller sizes (its RSS at this scale comes with its timed runs) ------------
    rss: list[dict] = []
    for size in rss_sizes(scale):
        if size == scale:
            continue
        sds = generate(size, data_root / (size if isinstance(size, str) else f"rss-{size}"), seed)
        wipe(driver, db)
        echo(f"Loader peak RSS at {sds.scale} ({sds.rows:,} rows)...")
        rss.append(_rss_row(sds.scale, sds.rows, run_loader_child(settings, [sds.dir])))

    # ---- the four load paths, in rounds (each path once per round; the fastest run counts) ------------
    expected = ds.expected()
    no_source = {"nodes": {k: v for k, v in expected["nodes"].items() if k != "Source"},
                 "relationships": expected["relationships"]}

    def load_csv() -> dict:
        if imp is None:
            return {"error": why}
        dest = imp / "motorgraph-bench" / scale
        try:
            t0 = time.perf_counter()
            split = loadpaths.split_for_load_csv(ds, model, dest)
            prep = time.perf_counter() - t0
            stmts = loadpaths.load_csv_statements(
                split, model, lambda p: "file:///" + p.relative_to(imp).as_posix(), batch)
            wipe(driver, db)
            elapsed = loadpaths.run_load_csv(driver, db, stmts)
        except neo4j.exceptions.Neo4jError as exc:
            return {"error": f"{exc.code}: {exc.message}"}
        finally:
            shutil.rmtree(imp / "motorgraph-bench", ignore_errors=True)
        counts = db_counts(driver, db)
        return {"rows": rows, "elapsed_s": elapsed, "rows_per_s": rows / elapsed, "counts_match": counts == no_source,
                "db_counts": counts, "prep_s": prep, "files": len(split["nodes"]) + len(split["rels"]),
                "statements": len(stmts), "batch_size": batch, "example_statement": stmts[-1][1]}

    subset = loadpaths.naive_subset(ds, naive_rows)

    def naive() -> dict:
        wipe(driver, db)
        nv = loadpaths.run_naive(driver, db, model, *subset)
        n_rows, n_s = nv["node_rows"] + nv["rel_rows"], nv["node_s"] + nv["rel_s"]
        return {"rows": n_rows, "elapsed_s": n_s, "rows_per_s": n_rows / n_s,
                "extrapolated_s": rows / (n_rows / n_s), "subset": nv}

    def admin() -> dict:
        if not admin_import:
            return {"error": "skipped (--no-admin-import)"}
        if not settings.local:
            return {"error": "it needs the local server's Neo4j jars, and NEO4J_URI points elsewhere"}
        try:
            res = loadpaths.run_admin_import(ds, LocalServer(settings))
        except MotorgraphError as exc:
            return {"error": str(exc)}
        if "error" not in res:
            wall = res["elapsed_s"]
            res["elapsed_s"] = res.get("tool_s") or wall  # the tool's own time, without the JVM start
            res.update({"rows": rows, "rows_per_s": rows / res["elapsed_s"], "wall_s": wall,
                        "rows_per_s_wall": rows / wall})
        return res

    def bulk() -> dict:
        if not settings.local:
            return {"error": "the bulk path runs on the local server only, and NEO4J_URI points elsewhere"}
        wipe(driver, db)  # an empty database: `motorgraph load` would choose the bulk path
        res = run_loader_child(settings, [ds.dir], mode="bulk")
        reconnect(driver, db)  # the server was restarted under this driver
        counts = db_counts(driver, db)
        return {"rows": rows, "elapsed_s": res["elapsed_s"], "rows_per_s": rows / res["elapsed_s"],
                "phases": res["summary"]["phases"], "created": _created(res["summary"]),
                "counts_match": counts == expected, "db_counts": counts, "peak_rss_mb": res["peak_rss_mb"]}

    def loader() -> dict:
        wipe(driver, db)
        res = run_loader_child(settings, [ds.dir])
        counts = db_counts(driver, db)
        return {"rows": rows, "elapsed_s": res["elapsed_s"], "rows_per_s": rows / res["elapsed_s"],
                "batch_size": batch, "summary": res["summary"], "created": _created(res["summary"]),
                "db_counts": counts, "peak_rss_mb": res["peak_rss_mb"], "child": res}

    methods = [("load_csv", "LOAD CSV with CALL { ... } IN TRANSACTIONS", load_csv),
               ("naive", f"naive script (one MERGE per row per transaction, {sum(map(len, subset[:2])):,}-row subset)",
                naive),
               ("admin_import", "neo4j-admin database import full (fresh store in a temporary NEO4J_HOME)", admin),
               ("bulk", "fresh load (bulk path): validate, write CSV, import + stop, start, lists + markets, indexes online",
                bulk),
               ("loader", "motorgraph loader (validate, then batched UNWIND ... MERGE)", loader)]  # last: its graph stays
    runs: dict[str, list[dict]] = {key: [] for key, _, _ in methods}
    for rnd in range(1, repeats + 1):
        for key, title, fn in methods:
            echo(f"[round {rnd}/{repeats}] {title}...")
            runs[key].append(fn())
            _echo_load(echo, runs[key][-1])
    for key, got in runs.items():
        ok = [r for r in got if "error" not in r]
        if not ok:
            load[key] = got[0]
            continue
        best = dict(min(ok, key=lambda r: r["elapsed_s"]))
        best["all_elapsed_s"] = [r["elapsed_s"] for r in ok]
        if key == "loader":  # the database holds the last run's graph; every run's counts must match
            best["created"], best["db_counts"] = ok[-1]["created"], ok[-1]["db_counts"]
            best["all_counts_equal"] = all(r["created"] == ok[0]["created"] and r["db_counts"] == ok[0]["db_counts"]
                                           for r in ok)
            best["all_peak_rss_mb"] = [r["peak_rss_mb"] for r in ok]
        if key in ("load_csv", "bulk"):
            best["counts_match"] = all(r["counts_match"] for r in ok)
        load[key] = best
    lo = load["loader"]
    rss.append(_rss_row(scale, rows, {**lo["child"], "peak_rss_mb": max(lo["all_peak_rss_mb"])}))
    report["rss"] = rss_growth(rss)
    counts = lo["db_counts"]

    lr = load["loader"]["rows_per_s"]
    report["ratios"] = {
        "loader_vs_load_csv": _ratio(lr, load["load_csv"].get("rows_per_s")),
        "loader_vs_naive": _ratio(lr, load["naive"].get("rows_per_s")),
        "admin_import_vs_load_csv": _ratio(load["admin_import"].get("rows_per_s"), load["load_csv"].get("rows_per_s")),
        "loader_vs_admin_import": _ratio(lr, load["admin_import"].get("rows_per_s")),
        "bulk_vs_load_csv": _ratio(load["bulk"].get("rows_per_s"), load["load_csv"].get("rows_per_s")),
        "bulk_vs_loader": _ratio(load["bulk"].get("rows_per_s"), lr),
        "load_csv_vs_naive": _ratio(load["load_csv"].get("rows_per_s"), load["naive"].get("rows_per_s")),
    }
    report["counts_match"] = lo["created"] == expected and counts == expected and lo["all_counts_equal"]

    # ---- query latency (on the loader's graph) -------------------------------------------------
    if queries:
        echo(f"Query latency ({query_runs} parameter sets per query, {query_tries} tries each, warm)...")
        report["queries"] = latency.measure_queries(driver, db, ds.catalog, runs=query_runs, tries=query_tries,
                                                    seed=seed, budget_s=query_budget_s, echo=echo)
    else:
        report["queries"] = {"error": "skipped (--no-queries)", "queries": {}}
    report["anchored_p95"] = latency.slowest_anchored(report["queries"].get("queries", {}))
    report["failures"] = latency.failures(report["queries"])  # the run fails with these (after the report)
    # ---- replacing reloads (after the queries: the second one changes the graph) ------------------
    report["reload"] = replacing_reloads(settings, ds, data_root / f"{scale}-one-fact-changed", lo["elapsed_s"], echo)
    report["finished_at"] = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")

    from benchmarks.report import markdown

    md = markdown(report)
    (out / f"bench-{scale}.json").write_text(json.dumps(report, indent=1, default=str) + "\n", encoding="utf-8")
    (out / f"bench-{scale}.md").write_text(md, encoding="utf-8")
    report["files"] = {"json": str(out / f"bench-{scale}.json"), "markdown": str(out / f"bench-{scale}.md")}
    return report


def replacing_reloads(settings: Settings, ds: Dataset, changed_dir: Path, first_s: float,
                      echo: Callable[[str], None]) -> dict:
    """Load the dataset again over its own graph, unchanged, then with one fact changed.

    The rows cite the dataset's sources, so the whole dataset (the sources' YAML files and
    both CSV files) is the truth of all of them: a reload replaces every source, and must
    find nothing to take back and set nothing when unchanged. (The YAML files alone, which
    state no fact, would take every fact back.)"""
    def row(res: dict) -> dict:
        counters = {k: v for k, v in sorted(res["counters"].items()) if v}
        return {"elapsed_s": res["elapsed_s"], "vs_first_load": _ratio(res["elapsed_s"], first_s),
                "properties_set": res["counters"].get("properties_set", 0), "counters": counters,
                "retraction": res["retraction"], "peak_rss_mb": res["peak_rss_mb"]}

    echo(f"Replacing reload of the unchanged dataset ({ds.sources:,} sources)...")
    out = {"sources": ds.sources, "paths": [p.name for p in ds.inputs],
           "rows": ds.rows, "first_load_s": first_s, "unchanged": row(run_loader_child(settings, [ds.dir]))}
    fact = with_one_fact_changed(ds, changed_dir)
    echo(f"Replacing reload with one fact changed ({fact})...")
    out["one_fact_changed"] = {**row(run_loader_child(settings, [changed_dir])), "fact": fact}
    for key in ("unchanged", "one_fact_changed"):
        r = out[key]
        echo(f"  {key}: {r['elapsed_s']:.1f}s ({r['vs_first_load']}x the first load), "
             f"{r['properties_set']} properties set")
    return out


def _echo_load(echo, res: dict) -> None:
    if "error" in res:
        echo(f"  not run: {res['error']}")
    else:
        echo(f"  {res['rows']:,} rows in {res.get('tool_s') or res['elapsed_s']:.1f}s: "
             f"{res['rows_per_s']:,.0f} rows/s")
