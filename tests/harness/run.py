"""Run every reliability scenario on a throw-away Neo4j and write docs/reliability.md.

From a checkout: `make reliability` (short mode, as CI runs it), which is
`PYTHONPATH=tests python -m harness [--short] [-o FILE]`. The server is a temporary home
on free ports (its database wiped between scenarios), never the demo database; the exit
code is 1 when a check fails.
"""

from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path
from typing import Callable

import click

from motorgraph.settings import get_settings

from .context import Context
from .faults import scenario_concurrent, scenario_loader_killed, scenario_neo4j_killed, scenario_restart_session
from .hostile import hostile_csv_class, hostile_query_params, hostile_yaml
from .processes import spare_server
from .refusals import refusal_rows
from .replacing import (
    scenario_replace_concurrent, scenario_replace_loader_killed, scenario_replace_neo4j_killed,
    scenario_replace_vs_unload
)
from .report import DOC, Row, kept_prose, write_report
from .security import security_rows


def run_reliability(short: bool = True, out: Path | None = None, *, seed_home: Path | None = None,
                    echo: Callable[[str], None] = lambda m: None) -> list[Row]:
    """Run every scenario on a throw-away local server and write the report to `out`."""
    out = Path(out) if out is not None else DOC
    prose = kept_prose(out, DOC)  # before the run: a report that would lose its prose fails at once
    seed_home = seed_home or get_settings().home
    t0 = time.monotonic()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="motorgraph-reliability-") as tmp:
        work = Path(tmp)
        echo(f"Starting a throw-away Neo4j in {work / 'home'} ...")
        with spare_server(work / "home", seed_home, echo=echo) as srv:
            ctx = Context(srv, work, short, echo)
            try:
                steps = [
                    ("loader killed mid-load", lambda: scenario_loader_killed(ctx)),
                    ("Neo4j killed mid-load", lambda: scenario_neo4j_killed(ctx)),
                    ("four loaders at once", lambda: scenario_concurrent(ctx)),
                    ("restart during a session", lambda: scenario_restart_session(ctx)),
                    ("loader killed during a replacing load", lambda: scenario_replace_loader_killed(ctx)),
                    ("Neo4j killed during a replacing load", lambda: scenario_replace_neo4j_killed(ctx)),
                    ("two replacing loads at once", lambda: scenario_replace_concurrent(ctx)),
                    ("a replacing load and an unload at once",
                     lambda: scenario_replace_vs_unload(ctx, 4 if short else 8)),
                    ("hostile YAML", lambda: hostile_yaml(ctx, 40 if short else 200)),
                    ("hostile CSV", lambda: hostile_csv_class(ctx, 40 if short else 200)),
                    ("hostile query parameters", lambda: hostile_query_params(ctx, 5 if short else 25)),
                    ("input the loader must refuse, by class", lambda: refusal_rows(ctx)),
                    ("security", lambda: security_rows(ctx)),
                ]
                for name, step in steps:
                    echo(f"- {name} ...")
                    t = time.monotonic()
                    try:
                        got = step()
                    except Exception as exc:  # noqa: BLE001 - a scenario that breaks is a finding
                        got = Row(name, "-", f"the scenario itself failed: {type(exc).__name__}: {exc}",
                                  None, False)
                    for r in got if isinstance(got, list) else [got]:
                        r.seconds = time.monotonic() - t
                        rows.append(r)
                        echo(f"  {'ok' if r.ok else 'FAILED'}: {r.what}: {r.outcome}")
            finally:
                ctx.driver.close()
    write_report(rows, out, short, time.monotonic() - t0, prose)
    return rows


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--short", is_flag=True, help="CI mode: 10k instead of 50k relationships, curated sources of 5k "
              "instead of 20k facts, 4 instead of 8 load/unload rounds, 40 hostile documents per class "
              "instead of 200.")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), default=DOC,
              show_default="docs/reliability.md of the checkout",
              help="Report file; its section on what the checks found is kept.")
def main(short, out):
    """Inject faults and hostile input; check that nothing is lost; write the report.

    Kills the loader and Neo4j (SIGKILL) mid-load and during a replacing load, runs four
    loaders at once, two replacing loads at once and a replacing load beside an unload of
    the same source, restarts Neo4j during a query session, feeds mutated YAML / CSV and hostile query parameters,
    and checks the security basics (loopback, auth, password secrecy, read-only saved
    queries, no path traversal on Browser's folder). Runs its own throw-away local Neo4j
    on free ports, never the demo database. Exits 1 when a check fails.
    """
    # The driver's retry warnings stay off stderr, as under the `motorgraph` command: the
    # restart scenario causes them on purpose, and the report says how each call ended.
    logging.getLogger("neo4j").addHandler(logging.NullHandler())
    rows = run_reliability(short=short, out=out, echo=lambda m: click.echo(m, err=True))
    failed = [r for r in rows if not r.ok]
    click.echo(f"{len(rows) - len(failed)} of {len(rows)} checks passed; report: {out}")
    if failed:
        raise SystemExit(1)
