"""`motorgraph schema apply | check | docs`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from motorgraph.graph import Graph
from motorgraph.paths import DOCS_DIR
from motorgraph.schema_ops import write_derived


@click.group()
def schema():
    """Constraints, indexes and docs derived from schema/model.yaml."""


@schema.command()
@click.option("--timeout", type=float, default=300.0, show_default=True,
              help="Seconds to wait for the indexes to be ONLINE.")
def apply(timeout):
    """Create the constraints and indexes (IF NOT EXISTS), rebuild FAILED ones, wait until all are ONLINE."""
    with Graph.connect() as g:
        click.echo(g.apply_schema(timeout=timeout).text())


@schema.command()
def check():
    """Compare the database with schema/constraints.cypher and list indexes not ONLINE; exit 1 if any."""
    with Graph.connect() as g:
        report = g.check_schema()
    click.echo(report.text())
    sys.exit(0 if report.ok else 1)


@schema.command()
@click.option("--docs-dir", type=click.Path(file_okay=False, path_type=Path), default=DOCS_DIR,
              show_default="docs/ of the checkout")
def docs(docs_dir):
    """Regenerate docs/model.md (Mermaid diagram) and schema/constraints.cypher from the model."""
    for path in write_derived(docs_dir):
        click.echo(f"wrote {path}")


COMMANDS = [schema]
