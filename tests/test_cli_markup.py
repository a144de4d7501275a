"""Text with square brackets, from the user or the data, prints as written: rich markup is only
the CLI's own (a `[/x]` is no traceback, `[bold]x` is not swallowed, plans keep `[x IN list]`)."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from motorgraph import Graph
from motorgraph.cli import cli
from motorgraph.demo import table_text

NAME = "[bold]Bracket[/bold] [/x] Co"
REPO = Path(__file__).resolve().parent.parent


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_a_parameter_with_markup_is_text_in_the_error(seed):
    for value in ("[/x]", "[bold]x"):
        result = invoke("query", "partners", "-p", f"company={value}")
        assert (result.exit_code, result.stdout, result.stderr) == (
            1, "", f"Error: query partners: no Company, Brand, Country or Region has the id, name or alias "
                   f"'{value}' (parameter company); no name is close to it\n")


def test_data_with_brackets_prints_as_written(seeded, neo4j_server):
    with Graph.connect(neo4j_server) as g:
        g.run("MATCH (k:Company {id: 'kamaz'}) "
              "CREATE (c:Company {id: 'bracket-co', name: $name, aliases: [], keys: ['bracket-co', toLower($name)]}) "
              "CREATE (c)-[:PARTNERS_WITH {on: '[word] trucks', sources: ['moskvich-jac-kamaz'], quotes: ['[q]']}]->(k)",
              name=NAME)
    result = invoke("query", "partners", "-p", "company=KAMAZ")
    assert result.exit_code == 0, result.output
    row = r"│\s*bracket-co\s*│\s*\[bold\]Bracket\[/bold\] \[/x\] Co\s*│\s*Company\s*│\s*\[word\] trucks\s*│"
    assert re.search(row, result.stdout), result.stdout
    assert "│ [q]" in result.stdout, result.stdout


def test_profile_keeps_list_expressions(seed):
    result = invoke("query", "supply-routes", "-p", "brand=JAC", "-p", "market=Russia", "--profile")
    assert result.exit_code == 0, result.output
    assert "length(path) AS hops, [n IN nodes(path) | n.name] AS route" in result.stdout, result.stdout


def test_demo_tables_print_values_as_written():
    text = table_text([{"name": NAME, "on": "[word] trucks"}], title="partners(company=[/x])")
    assert text.splitlines()[0].rstrip() == "partners(company=[/x])"
    assert re.search(r"│ \[bold\]Bracket\[/bold\] \[/x\] Co\s*│ \[word\] trucks\s*│", text), text


def test_ingest_progress_prints_file_names_as_written(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "[bold]moskvich.txt").write_bytes((REPO / "data" / "articles" / "moskvich-jac-kamaz.txt").read_bytes())
    result = CliRunner().invoke(cli, ["ingest", str(folder), "-o", str(tmp_path / "out")], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert re.search(r"drafting .* 1/1 .* \[bold\]moskvich\.txt\n", result.output), result.output
