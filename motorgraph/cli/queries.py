"""`motorgraph queries` and `motorgraph query NAME -p key=value ...`: the saved-query library."""

from __future__ import annotations

import csv
import io
import json
import sys

import click
from rich.console import Console
from rich.table import Table

from motorgraph.errors import QueryError
from motorgraph.library import get_query, list_queries


def _console(err: bool = False) -> Console:
    console = Console(stderr=err)
    if not console.is_terminal:  # piped or captured: no wrapping of long cells at 80 columns
        console = Console(stderr=err, width=max(console.width, 200))
    return console


def _params_summary(query) -> str:
    if not query.params:
        return "-"
    parts = []
    for p in query.params:
        value = p.example if p.required else p.default
        parts.append(f"{p.name}={value}" + ("" if p.required else " (default)"))
    return "\n".join(parts)


@click.command("queries")
def queries():
    """List the saved questions: name, question and parameters (with examples)."""
    table = Table(title="Saved queries (run one with `motorgraph query NAME -p key=value` or --example)")
    table.add_column("name", style="bold", no_wrap=True)
    table.add_column("question")
    table.add_column("parameters (example)", no_wrap=True)
    for q in list_queries():
        table.add_row(q.name, q.question, _params_summary(q))
    _console().print(table)


def _parse_pairs(pairs: tuple[str, ...], query) -> dict[str, str]:
    raw: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise QueryError(f"query {query.name}: -p takes key=value, got {pair!r}\n" + query.describe_params())
        raw[key.strip()] = value
    return raw


def _cell(value, sep: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return sep.join(_cell(v, sep) if not isinstance(v, (dict, list)) else json.dumps(v, ensure_ascii=False)
                        for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _print_table(result) -> None:
    console = _console()
    if not result.rows:
        console.print(f"[dim]No rows for {result.query.name} with {result.params or 'no parameters'}.[/dim]")
        return
    table = Table(show_lines=True, caption=f"{len(result.rows)} row(s)")
    for col in result.columns:
        table.add_column(col, overflow="fold")
    for row in result.rows:
        table.add_row(*[_cell(row.get(c), "\n") for c in result.columns])
    console.print(table)


def _write_csv(result) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow([_cell(row.get(c), "; ") for c in result.columns])
    sys.stdout.write(buf.getvalue())


def _print_profile(profile: dict, fmt: str) -> None:
    console = _console(err=fmt != "table")
    table = Table(title=f"Profile: {profile.get('db_hits', 0)} db hits, {profile.get('rows', 0)} rows")
    for col in ("operator", "details", "rows", "db hits"):
        table.add_column(col, overflow="fold")
    for op in profile["operators"]:
        table.add_row("  " * op["depth"] + op["operator"], op["details"], str(op.get("rows", "")),
                      str(op.get("db_hits", "")))
    console.print(table)


@click.command("query")
@click.argument("name")
@click.option("-p", "--param", "pairs", multiple=True, metavar="KEY=VALUE",
              help="A parameter (repeatable), e.g. -p company=KAMAZ. Names and aliases work like ids.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True,
              help="json: a list of row objects; csv: a header and the rows (lists joined with '; ').")
@click.option("--example", is_flag=True, help="Use the examples of the query's header for parameters not given.")
@click.option("--show-cypher", is_flag=True, help="Print the Cypher and the parameter values too (on stderr for json/csv).")
@click.option("--profile", is_flag=True, help="Run with PROFILE and print the plan's db hits (on stderr for json/csv).")
def query(name, pairs, fmt, example, show_cypher, profile):
    """Answer a saved question (see `motorgraph queries`), in a read transaction.

    \b
    motorgraph query supply-routes -p brand=JAC -p market=Russia
    motorgraph query partners -p company=kamaz --format json
    motorgraph query plants-by-capacity --format csv > plants.csv
    """
    from motorgraph.graph import Graph
    from motorgraph.library import coerce_params, run_query

    saved = get_query(name)
    raw = _parse_pairs(pairs, saved)
    values = coerce_params(saved, raw, use_examples=example)  # fail before connecting
    if show_cypher:
        out = _console(err=fmt != "table")
        out.print(f"// {saved.name}: {saved.question}", markup=False, highlight=False)
        for k, v in values.items():
            out.print(f"// ${k} = {json.dumps(v, ensure_ascii=False)}", markup=False, highlight=False)
        out.print(saved.cypher, markup=False, highlight=False)
    with Graph.connect() as g:
        result = run_query(g.driver, saved, values, database=g.database, profile=profile)
    if fmt == "json":
        sys.stdout.write(json.dumps(result.rows, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        _write_csv(result)
    else:
        _print_table(result)
    if profile and result.profile:
        _print_profile(result.profile, fmt)


COMMANDS = [queries, query]
