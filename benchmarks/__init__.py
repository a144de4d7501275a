"""The benchmark: load throughput and query latency at scale, beside Neo4j's own load paths.

Not part of the installed package: it runs from a checkout, `python -m benchmarks --scale
small` (what `make bench` runs), or from Python with the repository root on sys.path:

    from benchmarks import bench_settings, run_bench
    from motorgraph.settings import get_settings

    report = run_bench(bench_settings(get_settings()), scale="small", out=Path("out/bench"))

Sections (see docs/benchmark.md): a synthetic industry in the CSV bulk format
(`generate`); load throughput of motorgraph's loader, LOAD CSV with CALL IN TRANSACTIONS,
the naive one-MERGE-per-transaction script and `neo4j-admin database import full`;
replacing reloads of the dataset's source (unchanged, and with one fact changed); warm
p50/p95/p99 of every saved query with each plan's anchor; the loader's peak RSS per input
size. The database of the server `settings` points at is WIPED: by default the bench runs
its own local server (`bench_settings`: home `<MOTORGRAPH_HOME>/../motorgraph-bench`,
Bolt 7697, HTTP 7484). It uses only motorgraph's public modules.
"""

from benchmarks.generate import DEFAULT_SEED, SCALES, Dataset, generate, load_dataset
from benchmarks.run import BENCH_BOLT_PORT, BENCH_HTTP_PORT, TARGETS, BenchError, bench_settings, run_bench

__all__ = ["BENCH_BOLT_PORT", "BENCH_HTTP_PORT", "DEFAULT_SEED", "SCALES", "TARGETS", "BenchError", "Dataset",
           "bench_settings", "generate", "load_dataset", "run_bench"]
