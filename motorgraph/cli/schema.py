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
def apply():
    """Create the constraints and indexes (idempotent: IF NOT EXISTS)."""
    with Graph.connect() as g:
        stmts = g.apply_schema()
    click.echo(f"Applied {len(stmts)} constraint/index statements (existing ones left as they were).")


@schema.command()
def check():
    """Compare the database with schema/constraints.cypher; exit 1 with a diff when they differ."""
    with Graph.connect() as g:
        diff = g.check_schema()
    if diff:
        click.echo("The database schema differs from schema/constraints.cypher:")
        click.echo("\n".join(diff))
        sys.exit(1)
    click.echo("The database schema matches schema/constraints.cypher.")


@schema.command()
@click.option("--docs-dir", type=click.Path(file_okay=False, path_type=Path), default=DOCS_DIR,
              show_default="docs/ of the checkout")
def docs(docs_dir):
    """Regenerate docs/model.md (Mermaid diagram) and schema/constraints.cypher from the model."""
    for path in write_derived(docs_dir):
        click.echo(f"wrote {path}")


COMMANDS = [schema]
