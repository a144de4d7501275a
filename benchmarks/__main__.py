"""The benchmark's command line: `python -m benchmarks --scale tiny|small|medium|large` from a checkout.

`make bench` runs it at the small scale. The options are those of :func:`benchmarks.run_bench`;
the report goes to OUT/bench-SCALE.md (also printed) and OUT/bench-SCALE.json.
"""

from __future__ import annotations

import logging
from pathlib import Path

import click

from benchmarks import BENCH_BOLT_PORT, BENCH_HTTP_PORT, DEFAULT_SEED, SCALES, bench_settings, run_bench
from motorgraph.errors import MotorgraphError
from motorgraph.settings import get_settings


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--scale", type=click.Choice(list(SCALES)), default="small", show_default=True,
              help="tiny ≈ 2k relationships, small ≈ 100k, medium ≈ 1M, large ≈ 5M.")
@click.option("--out", "out", type=click.Path(path_type=Path), default=Path("out/bench"), show_default=True,
              help="Folder for the report (bench-SCALE.md, bench-SCALE.json) and the generated data.")
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Generator seed.")
@click.option("--runs", type=click.IntRange(1), default=50, show_default=True,
              help="Random parameter sets per saved query.")
@click.option("--tries", type=click.IntRange(1), default=3, show_default=True,
              help="Runs of each parameter set; its latency is their median (1: every run counts alone).")
@click.option("--naive-rows", type=click.IntRange(2), default=2000, show_default=True,
              help="Rows the naive one-MERGE-per-transaction script loads (its rate is extrapolated).")
@click.option("--repeats", type=click.IntRange(1), default=None,
              help="Rounds of the load paths; the fastest run of each counts (default 2 up to small, else 1).")
@click.option("--home", type=click.Path(path_type=Path), default=None,
              help="Home of the benchmark's own Neo4j (default: motorgraph-bench beside MOTORGRAPH_HOME).")
@click.option("--bolt-port", type=click.IntRange(1, 65535), default=BENCH_BOLT_PORT, show_default=True)
@click.option("--http-port", type=click.IntRange(1, 65535), default=BENCH_HTTP_PORT, show_default=True)
@click.option("--keep-server", is_flag=True, help="Leave the benchmark's server running at the end.")
@click.option("--no-admin-import", is_flag=True, help="Skip the neo4j-admin database import comparison.")
@click.option("--no-queries", is_flag=True, help="Skip the query latency section (loads and memory only).")
@click.option("--query-budget", type=click.FloatRange(1), default=300.0, show_default=True,
              help="Seconds one saved query's runs may take together before it stops early.")
def bench(scale, out, seed, runs, tries, naive_rows, repeats, home, bolt_port, http_port, keep_server, no_admin_import,
          no_queries, query_budget):
    """Benchmark load throughput and query latency on a synthetic industry.

    Compares motorgraph's loader with LOAD CSV (CALL IN TRANSACTIONS), a naive
    one-MERGE-per-transaction script and neo4j-admin database import; times every saved
    query (p50/p95/p99) and marks plans that scan a label; measures the loader's peak RSS
    per input size. Runs its own local Neo4j (its database is wiped), never the demo one.
    Writes OUT/bench-SCALE.md and OUT/bench-SCALE.json.
    """
    # The driver's retry warnings stay off stderr, as under the `motorgraph` command.
    logging.getLogger("neo4j").addHandler(logging.NullHandler())
    base = get_settings()
    if not base.local:
        click.echo(f"Note: NEO4J_URI is set ({base.uri}); the benchmark wipes the database it loads into, "
                   "so it runs its own local server instead.", err=True)
    settings = bench_settings(base, home=home, bolt_port=bolt_port, http_port=http_port)
    try:
        report = run_bench(settings, scale, out, seed=seed, query_runs=runs, query_tries=tries,
                           naive_rows=naive_rows, admin_import=not no_admin_import, repeats=repeats,
                           keep_server=keep_server, queries=not no_queries, query_budget_s=query_budget,
                           echo=lambda m: click.echo(m, err=True))
    except MotorgraphError as exc:  # a server that cannot start, a busy port: one line, exit 1
        raise click.ClickException(str(exc)) from None
    click.echo(Path(report["files"]["markdown"]).read_text(encoding="utf-8"))
    click.echo(f"Wrote {report['files']['markdown']} and {report['files']['json']}.", err=True)
    if report.get("failures"):  # the report is written first: it shows which question failed and why
        raise click.ClickException("the run failed: " + "; ".join(report["failures"]))


if __name__ == "__main__":
    bench(prog_name="python -m benchmarks")
