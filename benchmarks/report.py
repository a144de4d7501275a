"""The benchmark report as Markdown: ratios first (shared, noisy machines), absolute numbers after."""

from __future__ import annotations

import re

METHODS = [
    ("loader", "motorgraph loader (validate, then batched `UNWIND … MERGE`)"),
    ("load_csv", "`LOAD CSV` + `CALL { … } IN TRANSACTIONS` (MERGE)"),
    ("naive", "naive script: one `MERGE` per row per transaction"),
    ("admin_import", "`neo4j-admin database import full` (ceiling: fresh store, no MERGE, no indexes)"),
    ("bulk", "fresh load (bulk path): `motorgraph load` into the empty local database, end to end"),
]

RELOADS = [("unchanged", "unchanged sources"), ("one_fact_changed", "one fact changed")]


def _n(x, digits: int = 0) -> str:
    if x is None:
        return "–"
    if isinstance(x, float) and x != x:  # NaN
        return "–"
    return f"{x:,.{digits}f}"


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _short(message: str, limit: int = 160) -> str:
    """An error's first useful words (a Neo4j error: its code and message, without the GQL tail)."""
    text = " ".join(str(message).split())
    m = re.search(r"neo4j_code: ([\w.]+)\} \{message: (.*?)\}", text)
    if m:
        text = f"{m.group(1).rsplit('.', 1)[-1]}: {m.group(2)}"
    text = text.split(" {gql_status")[0]
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _check(value, target, higher_is_better: bool = True) -> str:
    if value is None:
        return "n/a"
    ok = value >= target if higher_is_better else value <= target
    return "✅ met" if ok else "❌ not met"


def markdown(r: dict) -> str:
    m, ds, load, ratios, t = r["machine"], r["dataset"], r["load"], r["ratios"], r["targets"]
    out = [f"# motorgraph benchmark: scale `{r['scale']}`", ""]
    out.append(f"Machine: {m['cpu']}, {m['cores']} cores, {_n(m['memory_gib'], 1)} GiB RAM, {m['os']}; "
               f"Neo4j {m['neo4j_version']} {m['neo4j_edition'] or ''} (heap {m['heap'] or '?'}, page cache "
               f"{m['pagecache'] or '?'}); Python {m['python']}; load average at start "
               f"{', '.join(map(str, m['load_average'] or [])) or '?'}. Run {r['started_at']}.")
    out.append("")
    out.append(f"Data (seed {r['seed']}): {ds['node_rows']:,} nodes + {ds['relationship_rows']:,} relationships "
               f"= **{ds['rows']:,} rows** ({ds['bytes'] / 1e6:.1f} MB of CSV), generated in {ds['generate_s']}s.")
    out += ["", "## Ratios", "",
            "Absolute timings move with whatever else the machine runs; the ratios below compare paths "
            "run in interleaved rounds on the same server and data, and are what this report is about.", "",
            "| ratio | value | target | |", "| --- | ---: | ---: | --- |"]
    out.append(f"| **loader / LOAD CSV** (rows/s) | **{_n(ratios['loader_vs_load_csv'], 2)}x** | ≥ {t['loader_vs_load_csv']}x "
               f"| {_check(ratios['loader_vs_load_csv'], t['loader_vs_load_csv'])} |")
    out.append(f"| **loader / naive** (rows/s) | **{_n(ratios['loader_vs_naive'], 1)}x** | ≥ {t['loader_vs_naive']:g}x "
               f"| {_check(ratios['loader_vs_naive'], t['loader_vs_naive'])} |")
    rss = r.get("rss", {})
    out.append(f"| **loader peak RSS, largest input / {rss.get('base', 'smallest')}** | **{_n(rss.get('growth'), 2)}x** "
               f"| ≤ {t['rss_growth_max']}x "
               f"| {_check(rss.get('growth'), t['rss_growth_max'], higher_is_better=False)} |")
    worst = r.get("anchored_p95")
    if worst:
        at = t["anchored_p95_scale"]
        where = "" if r["scale"] == at else f" (the target is for `{at}`)"
        verdict = _check(worst["p95_ms"], t["anchored_p95_ms_max"], higher_is_better=False) if r["scale"] == at \
            else "–"
        out.append(f"| **slowest anchored query p95** (of {worst['anchored']}: `{worst['query']}`){where} "
                   f"| **{_n(worst['p95_ms'], 1)} ms** | ≤ {t['anchored_p95_ms_max']:g} ms | {verdict} |")
    bulk_t = t.get("bulk_vs_load_csv", {}).get(r["scale"])
    bulk_r = ratios.get("bulk_vs_load_csv")
    out.append(f"| **fresh load (bulk path) / LOAD CSV** (rows/s, end to end) | **{_n(bulk_r, 2)}x** "
               f"| {'≥ ' + format(bulk_t, 'g') + 'x' if bulk_t else '–'} | {_check(bulk_r, bulk_t) if bulk_t else ''} |")
    out.append(f"| fresh load (bulk path) / loader | {_n(ratios.get('bulk_vs_loader'), 2)}x | – | |")
    out.append(f"| neo4j-admin import / LOAD CSV (the ceiling) | {_n(ratios['admin_import_vs_load_csv'], 2)}x | – | |")
    out.append(f"| loader / neo4j-admin import | {_n(ratios['loader_vs_admin_import'], 2)}x | – | |")
    out.append(f"| LOAD CSV / naive | {_n(ratios['load_csv_vs_naive'], 1)}x | – | |")
    for key, what in RELOADS:
        rel = r.get("reload", {}).get(key)
        if rel:
            out.append(f"| replacing reload, {what} / first load (seconds) | {_n(rel['vs_first_load'], 2)}x | – | |")

    out += ["", "## Load throughput", "",
            f"Same server, same data, an empty database (schema applied) before each run; MERGE semantics "
            f"and {r['batch_size']} rows per transaction for the loader and LOAD CSV. After an untimed warm-up, "
            f"the paths ran in {r.get('repeats', 1)} round(s), one run of each per round; the fastest run counts.", "",
            "| method | rows | seconds | rows/s | vs LOAD CSV | notes |", "| --- | ---: | ---: | ---: | ---: | --- |"]
    csv_rate = load.get("load_csv", {}).get("rows_per_s")
    for key, label in METHODS:
        res = load.get(key, {})
        if "error" in res:
            out.append(f"| {label} | – | – | – | – | not run: {res['error']} |")
            continue
        secs = res.get("elapsed_s")
        note = ""
        if key == "loader":
            note = f"whole load incl. validation; fresh process, peak RSS {_n(res.get('peak_rss_mb'), 0)} MB"
        elif key == "load_csv":
            note = (f"{res['statements']} statements (one per label / relationship type and end labels); "
                    f"splitting the CSV for them took {res['prep_s']:.1f}s, not counted")
        elif key == "naive":
            note = (f"measured on an evenly spread {res['rows']:,}-row subset; the whole data would take "
                    f"≈ {_duration(res['extrapolated_s'])}")
        elif key == "admin_import":
            note = (f"tool's own time; {res['wall_s']:.1f}s wall with JVM start "
                    f"({_n(res.get('rows_per_s_wall'))} rows/s); {res.get('threads')} threads")
        elif key == "bulk":
            note = (f"validation, import files, import while the server stops, start, indexes ONLINE (phases below); "
                    f"fresh process, peak RSS {_n(res.get('peak_rss_mb'), 0)} MB; counts "
                    f"{'equal the generated ones' if res.get('counts_match') else '**differ from the generated ones**'}")
        if len(res.get("all_elapsed_s", [])) > 1:
            note += "; runs: " + ", ".join(f"{x:.1f}s" for x in res["all_elapsed_s"])
        vs = _n(res["rows_per_s"] / csv_rate, 2) + "x" if csv_rate and res.get("rows_per_s") else "–"
        out.append(f"| {label} | {res['rows']:,} | {_n(secs, 1)} | {_n(res.get('rows_per_s'))} | {vs} | {note} |")
    reload = r.get("reload")
    for key, what in RELOADS if reload else ():
        rel = reload[key]
        rate = reload["rows"] / rel["elapsed_s"]
        vs = _n(rate / csv_rate, 2) + "x" if csv_rate else "–"
        took = rel["retraction"]
        out.append(f"| motorgraph loader, replacing reload: {what} | {reload['rows']:,} | {_n(rel['elapsed_s'], 1)} "
                   f"| {_n(rate)} | {vs} | {_n(rel['vs_first_load'], 2)}x the first load; "
                   f"**{rel['properties_set']:,} properties set**; retraction: {took['facts_removed']} facts "
                   f"removed, {took['facts_changed']} changed"
                   + (f"; `{rel['fact']}`" if rel.get("fact") else "") + " |")
    phases = load.get("bulk", {}).get("phases")
    if phases:
        total = sum(phases.values())
        out += ["", "Fresh load (bulk path), its phases in the fastest run:", "",
                "| " + " | ".join(phases) + " | total |", "|" + " ---: |" * (len(phases) + 1),
                "| " + " | ".join(f"{v:.1f} s" for v in phases.values()) + f" | {total:.1f} s |"]
    lo = load.get("loader", {})
    if lo:
        ok = "yes" if r.get("counts_match") else "**NO**"
        out += ["", f"Loader counts equal the generated counts (summary and database): {ok}."]
    if reload:
        out += ["", f"Replacing reloads: the generated rows cite {reload.get('sources', 1):,} sources, so their "
                f"truth is the whole dataset ({', '.join(reload['paths'])}), loaded again over the loader's graph "
                "in a fresh process after the query timings: once unchanged (it must set nothing), once with "
                "the goods of one SUPPLIES fact changed. The first load is the loader's row above (an empty "
                "database)."]

    q = r.get("queries", {})
    out += ["", "## Query latency", ""]
    if q.get("error"):
        out.append(f"Not run: {q['error']}")
    else:
        tries = q.get("tries", 1)
        out += [f"Every saved query on the loader's graph, warm ({q.get('warmup', 0)} warm-up runs), with "
                f"{q.get('runs')} sets of random valid parameters each (a query stops early once its runs pass "
                f"{q.get('budget_s', 0):g}s), drawn from the generated data: entity names, a maker and market that "
                "have a route, two ends of an existing relationship; optional knobs (hops, limit) keep their "
                "default, so a listing is timed on its first page (25 rows, no `after` cursor). "
                f"Each set runs {tries} time(s) back to back and counts with the median of its runs "
                "(p50/p95/p99, and the target); *p95 every run* counts each run alone, stalls of the shared "
                "machine included. Latency includes the driver and the library's result conversion. *empty*: "
                "parameter sets that returned no row. Anchor: the plan's leaf operators (from EXPLAIN); ⚠ scan = "
                "the anchor reads a whole label or relationship type (NodeByLabelScan, AllNodesScan, "
                "RelationshipTypeScan). The first row is the floor: a `RETURN 1` run the same way just before "
                "every timed run, so the queries' milliseconds can be read against what the machine allowed at "
                "the time.", "",
                "| query | parameter sets | p50 ms | p95 ms | p99 ms | p95 every run | rows (mean) | empty | anchor |",
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
        scans = sorted(n for n, e in q.get("queries", {}).items() if e.get("kind") == "scan")
        failed = sorted(n for n, e in q.get("queries", {}).items() if e.get("error"))
        empty = q.get("all_empty") or []
        summary = (f"**{len(scans)} of {len(q.get('queries', {}))} queries anchor on a scan**"
                   + (f" ({', '.join(f'`{n}`' for n in scans)})" if scans else "")
                   + (f"; **{len(failed)} failed** ({', '.join(f'`{n}`' for n in failed)})" if failed else "")
                   + (f"; **{len(empty)} came back empty for every parameter set, so the run fails** "
                      f"({', '.join(f'`{n}`' for n in empty)})" if empty else "") + ".")
        out[len(out) - 2:len(out) - 2] = [summary, ""]
        rt = q.get("round_trip")
        if rt and rt.get("runs"):
            out.append(f"| *round trip: `{rt['cypher']}`, one before each timed run* | {rt['runs']} "
                       f"| {_n(rt.get('p50_ms'), 1)} | {_n(rt.get('p95_ms'), 1)} | {_n(rt.get('p99_ms'), 1)} "
                       f"| {_n(rt.get('p95_ms'), 1)} | 1 | 0 "
                       "| the floor: session, read transaction, one row |")
        for name, e in sorted(q.get("queries", {}).items()):
            kind = e.get("kind", "unknown")
            anchor = ", ".join(e.get("scans") or e.get("anchors") or []) or "–"
            mark = f"⚠ scan: {anchor}" if kind == "scan" else f"{kind}: {anchor}"
            if e.get("error"):
                mark += f" — **failed**: {_short(e['error'])}"
            if name in empty:
                mark += " — **failed**: every parameter set came back empty"
            if e.get("stopped"):
                mark += f" — {e['stopped']}"
            every = (e.get("every_run") or {}).get("p95_ms")
            out.append(f"| `{name}` | {e.get('runs', 0)} | {_n(e.get('p50_ms'), 1)} | {_n(e.get('p95_ms'), 1)} "
                       f"| {_n(e.get('p99_ms'), 1)} | {_n(every, 1)} | {_n(e.get('mean_rows'), 1)} "
                       f"| {e.get('empty_results', 0)} "
                       f"| {mark.replace('|', '/')} |")
    out += ["", "## Loader peak RSS vs input size", "",
            "Each size loaded by the loader in a fresh Python process into an empty database. Peak RSS is "
            "the process's own high-water mark (`VmHWM`; on Linux `getrusage().ru_maxrss` also counts the "
            "parent's size at fork + exec, so it is kept in the JSON only); baseline = after imports and "
            "connecting, before loading.", "",
            f"| input | rows | peak RSS MB | baseline MB | vs {rss.get('base', 'smallest')} |", "| --- | ---: | ---: | ---: | ---: |"]
    sizes = rss.get("sizes", [])
    base_mb = next((s["peak_rss_mb"] for s in sizes if s["size"] == rss.get("base")), sizes[0]["peak_rss_mb"] if sizes else 1)
    for s in sizes:
        out.append(f"| {s['size']} | {s['rows']:,} | {_n(s['peak_rss_mb'], 1)} | {_n(s['baseline_rss_mb'], 1)} "
                   f"| {_n(s['peak_rss_mb'] / base_mb, 2)}x |")
    return "\n".join(out) + "\n"
