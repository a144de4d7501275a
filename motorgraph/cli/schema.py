"""`motorgraph schema apply | check | docs`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from motorgraph.db import driver_for
from motorgraph.paths import DOCS_DIR
from motorgraph.schema_ops import apply_schema, check_schema, write_derived
from motorgraph.settings import get_settings


@click.group()
def schema():
    """Constraints, indexes and docs derived from schema/model.yaml."""


@schema.command()
def apply():
    """Create the constraints and indexes (idempotent: IF NOT EXISTS)."""
    settings = get_settings()
    with driver_for(settings) as driver:
        stmts = apply_schema(driver, settings.database)
    click.echo(f"Applied {len(stmts)} constraint/index statements (existing ones left as they were).")


@schema.command()
def check():
    """Compare the database with schema/constraints.cypher; exit 1 with a diff when they differ."""
    settings = get_settings()
    with driver_for(settings) as driver:
        diff = check_schema(driver, settings.database)
    if diff:
        click.echo("The database schema differs from schema/constraints.cypher:")
        click.echo("\n".join(diff))
        sys.exit(1)
    click.echo("The database schema matches schema/constraints.cypher.")


@schema.command()
@click.option("--docs-dir", type=click.Path(file_okay=False, path_type=Path), default=DOCS_DIR,
              show_default=True)
def docs(docs_dir):
    """Regenerate docs/model.md (Mermaid diagram) and schema/constraints.cypher from the model."""
    for path in write_derived(docs_dir):
        click.echo(f"wrote {path}")


COMMANDS = [schema]
