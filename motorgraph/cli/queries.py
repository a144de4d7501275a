"""`motorgraph queries` and `motorgraph query NAME -p key=value ...`: the saved-query library;
`motorgraph articles`: the loaded articles, the ids `query article-facts` takes."""

from __future__ import annotations

import csv
import io
import itertools
import json
import shlex
import sys
import textwrap

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from motorgraph.cli.options import example_option, param_option, parse_pairs
from motorgraph.library import coerce_params, get_query, list_queries, shown


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
        if p.type == "cursor":
            parts.append(f"{p.name}=CURSOR (next page)")
            continue
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
        table.add_row(Text(q.name), Text(q.question), Text(_params_summary(q)))
    _console().print(table)


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


def _print_table(rows: list[dict], columns: list[str], empty: str) -> None:
    console = _console()
    if not rows:
        console.print(empty, style="dim", markup=False, highlight=False)
        return
    table = Table(show_lines=True, caption=f"{len(rows)} row(s)")
    for col in columns:
        table.add_column(Text(col), overflow="fold")
    for row in rows:  # data as Text: a `[word]` in a value is text, never rich markup
        table.add_row(*[Text(_cell(row.get(c), "\n")) for c in columns])
    console.print(table)


def _write_csv(rows: list[dict], columns: list[str]) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c), "; ") for c in columns])
    sys.stdout.write(buf.getvalue())


def emit(rows: list[dict], columns: list[str], fmt: str, empty: str) -> None:
    """Rows as json (a list of objects), csv (a header, lists joined with '; ') or a table."""
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        _write_csv(rows, columns)
    else:
        _print_table(rows, columns, empty)


format_option = click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True,
    help="json: a list of row objects; csv: a header and the rows (lists joined with '; ').")


def _print_profile(profile: dict, fmt: str) -> None:
    console = _console(err=fmt != "table")
    table = Table(title=f"Profile: {profile.get('db_hits', 0)} db hits, {profile.get('rows', 0)} rows")
    for col in ("operator", "details", "rows", "db hits"):
        table.add_column(col, overflow="fold")
    for op in profile["operators"]:
        table.add_row(Text("  " * op["depth"] + op["operator"]), Text(op["details"] or ""),
                      str(op.get("rows", "")), str(op.get("db_hits", "")))
    console.print(table)


@click.command("query")
@click.argument("name")
@param_option
@format_option
@example_option
@click.option("--show-cypher", is_flag=True, help="Print the Cypher and the parameter values too (on stderr for json/csv).")
@click.option("--profile", is_flag=True, help="Run with PROFILE and print the plan's db hits (on stderr for json/csv).")
@click.option("--all", "all_pages", is_flag=True,
              help="A listing: every page, one after another (each `limit` rows), not just the first.")
def query(name, pairs, fmt, example, show_cypher, profile, all_pages):
    """Run the saved query NAME (see `motorgraph queries`) in a read transaction.

    A listing answers its first page (`limit` rows, 25 by default) and prints how to ask
    for the next (`-p after=CURSOR`); --all prints every page.

    \b
      motorgraph query supply-routes -p brand=JAC -p market=Russia
      motorgraph query partners -p company=kamaz --format json
      motorgraph query models --example
      motorgraph query pending-ventures --all --format csv
    """
    from motorgraph.graph import Graph

    # An unknown name or a bad parameter fails before connecting; the values are typed here, once.
    saved = get_query(name)
    given_pairs = parse_pairs(pairs)
    values = coerce_params(saved, given_pairs, use_examples=example)
    if all_pages:
        if profile:
            raise click.UsageError("--profile runs one page; leave out --all")
        with Graph.connect() as g:
            pages = g.pages(saved, values)
            first = next(pages)
            if show_cypher:
                _print_cypher(first, fmt)
            _emit_pages(first, pages, fmt)
        return
    with Graph.connect() as g:
        result = g.query_result(saved, values, profile=profile)
    if show_cypher:
        _print_cypher(result, fmt)
    given = ", ".join(f"{k}={shown(v)}" for k, v in result.params.items()) or "no parameters"
    emit(result.rows, result.columns, fmt, f"No rows for {result.query.name} with {given}.")
    if profile and result.profile:
        _print_profile(result.profile, fmt)
    if result.cursor:
        _console(err=True).print(next_page_hint(saved.name, given_pairs, example, result.cursor),
                                 markup=False, highlight=False, soft_wrap=True)


def next_page_hint(name: str, pairs: dict[str, str], example: bool, cursor: str) -> str:
    """The line under a full page of a listing: the command for the next page."""
    args = "".join(f" -p {shlex.quote(f'{k}={v}')}" for k, v in pairs.items() if k != "after")
    return (f"More rows may follow: motorgraph query {name}{args}{' --example' if example else ''} "
            f"-p after={cursor}  (or --all for every page)")


def _emit_pages(first, pages, fmt: str) -> None:
    """Every page as it comes: one json array, one csv header, a table per page."""
    columns, count = first.columns, 0
    for page in itertools.chain([first], pages):
        if fmt == "json":
            for row in page.rows:
                item = textwrap.indent(json.dumps(row, ensure_ascii=False, indent=2), "  ")
                sys.stdout.write(("[\n" if count == 0 else ",\n") + item)
                count += 1
        elif fmt == "csv":
            buf = io.StringIO()
            writer = csv.writer(buf, lineterminator="\n")
            if count == 0:
                writer.writerow(columns)
            for row in page.rows:
                writer.writerow([_cell(row.get(c), "; ") for c in columns])
                count += 1
            sys.stdout.write(buf.getvalue())
        elif page.rows or count == 0:
            _print_table(page.rows, columns, f"No rows for {first.query.name}.")
            count += len(page.rows)
        sys.stdout.flush()
    if fmt == "json":
        sys.stdout.write("\n]\n" if count else "[]\n")


def _print_cypher(result, fmt: str) -> None:
    out = _console(err=fmt != "table")
    out.print(f"// {result.query.name}: {result.query.question}", markup=False, highlight=False)
    for k, v in result.params.items():
        out.print(f"// ${k} = {json.dumps(v, ensure_ascii=False)}", markup=False, highlight=False)
    out.print(result.query.cypher, markup=False, highlight=False)


@click.command("articles")
@format_option
def articles(fmt):
    """List the loaded articles (sources): id, title, publisher, date, file, and how many facts
    cite each and how many entities each mentions.

    \b
      motorgraph articles
      motorgraph query article-facts -p source=moskvich-jac-kamaz   # what one article says
    """
    from motorgraph.graph import ARTICLE_COLUMNS, Graph

    with Graph.connect() as g:
        rows = g.articles()
    emit(rows, ARTICLE_COLUMNS, fmt, "No articles loaded yet: `motorgraph load FILE.yaml` adds one.")


COMMANDS = [queries, query, articles]
