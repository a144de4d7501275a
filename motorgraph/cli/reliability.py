"""`motorgraph reliability`."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.option("--short", is_flag=True, help="CI mode: 10k instead of 50k relationships, 40 hostile documents "
              "per class instead of 200.")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Report file (default: docs/reliability.md of the checkout).")
def reliability(short, out):
    """Inject faults and hostile input; check that nothing is lost; write the report.

    Kills the loader and Neo4j (SIGKILL) mid-load, runs four loaders at once, restarts
    Neo4j during a query session, feeds mutated YAML / CSV and hostile query parameters,
    and checks the security basics (loopback, auth, password secrecy, read-only saved
    queries, no path traversal on Browser's folder). Runs its own throw-away local Neo4j
    on free ports, never the demo database. Exits 1 when a check fails.
    """
    from motorgraph.reliability import run_reliability

    rows = run_reliability(short=short, out=out, echo=lambda m: click.echo(m, err=True))
    failed = [r for r in rows if not r.ok]
    click.echo(f"{len(rows) - len(failed)} of {len(rows)} checks passed; report: "
               f"{out or 'docs/reliability.md'}")
    if failed:
        raise SystemExit(1)


COMMANDS = [reliability]
