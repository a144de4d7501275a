"""`motorgraph load`."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from motorgraph.graph import Graph


def summary_table(summary) -> Table:
    data = summary.as_dict()
    title = "Would write (dry run: nothing written)" if summary.dry_run else "Loaded"
    table = Table(title=title)
    for col in ("kind", "label / type", "rows", "created", "matched"):
        table.add_column(col, justify="right" if col in ("rows", "created", "matched") else "left")
    for kind in ("nodes", "relationships"):
        for name, c in data[kind].items():
            if summary.dry_run:  # a name may be a file's (`(csv) [x].csv`): Text, not markup
                table.add_row(kind, Text(name), str(c["rows"]), "-", "-")
            else:
                table.add_row(kind, Text(name), str(c["rows"]), str(c["created"]), str(c["matched"]))
    return table


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Validate and print what would be written; write nothing.")
@click.option("--batch-size", type=int, default=None, help="Rows per transaction (default MOTORGRAPH_BATCH_SIZE or 1000).")
@click.option("--accept-drafts", is_flag=True,
              help="Load draft items still marked `review: true` (from `motorgraph ingest`) as they are.")
@click.option("--bulk", "mode", flag_value="bulk",
              help="Take the bulk path (neo4j-admin import into the local server) even for a small input.")
@click.option("--online", "mode", flag_value="online", help="Take the online path (transactions) whatever the input.")
@click.option("--replace", is_flag=True,
              help="Replace the local database, empty or not, with the input (bulk path; the input is "
                   "validated as if the database were empty).")
def load(paths, dry_run, batch_size, accept_drafts, mode, replace):
    """Validate and load curated YAML / CSV files (default: the bundled data/).

    Everything is checked before the first write; on any problem nothing is written and
    every problem is listed with its file, line and fix. Loading the same input twice
    changes nothing. A draft from `motorgraph ingest` is refused until every item's
    `review: true` line is deleted (after checking it), unless --accept-drafts.

    Two paths write the graph, with the same result. The bulk path (`neo4j-admin database
    import`) imports into a new store, then restarts the local server on it and builds the
    indexes; it is
    taken when the target is motorgraph's local server, its database is empty and the input
    has at least 50,000 rows, or with --bulk (or --replace). Otherwise (a database with data,
    a server given by NEO4J_URI, Aura, a small input, --online) the online path writes in
    transactions while the server keeps serving. The command says which path it took and why.
    A failed import leaves the previous database in place and the server running.
    """
    def said(choice) -> None:
        click.echo(choice.describe())

    with Graph.connect() as g:
        summary = g.load(list(paths) or None, dry_run=dry_run, batch_size=batch_size,
                         accept_drafts=accept_drafts, mode=mode or "auto", replace=replace, on_path=said)
    Console().print(summary_table(summary))
    if not summary.dry_run:
        click.echo(f"{summary.nodes_created} nodes and {summary.relationships_created} relationships created.")
    if summary.path == "bulk":
        click.echo("Phases: " + ", ".join(f"{name} {s:.1f}s" for name, s in summary.phases.items()))
    if summary.unreviewed:
        verb = "would go in" if summary.dry_run else "went in"
        click.echo(f"{summary.unreviewed} unreviewed draft item(s) (`review: true`) {verb} (--accept-drafts).")


@click.command()
@click.argument("source")
@click.option("--dry-run", is_flag=True, help="Show what would go; write nothing.")
def unload(source, dry_run):
    """Take a source (an article) and everything only it said out of the graph.

    Its facts lose it (and go when no other source states them), aliases and properties only
    it stated go, and so do entities nothing refers to any more; one transaction.
    """
    with Graph.connect() as g:
        report = g.unload(source, dry_run=dry_run)
    click.echo(("Would unload" if dry_run else "Unloaded") + f" source {source}:")
    labels = {"facts_removed": "facts removed", "facts_changed": "facts that only lose this source",
              "entities_removed": "entities removed", "entities_changed": "entities changed"}
    for key, items in report.as_dict().items():
        click.echo(f"  {labels[key]}: {len(items)}")
        for item in items:
            click.echo(f"    {item}")


COMMANDS = [load, unload]
