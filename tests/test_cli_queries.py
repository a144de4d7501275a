"""`motorgraph queries`, `motorgraph query NAME ...` and `motorgraph browser export`, on the seed graph."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from motorgraph.cli import cli
from motorgraph.library import list_queries

REPO = Path(__file__).resolve().parent.parent
MOTORGRAPH = Path(sys.executable).parent / "motorgraph"
QUERIES = list_queries()
NAMES = [q.name for q in QUERIES]
Q_ROUTE = ("JAC vehicles were initially delivered to Russia via a logistics link with SaryarkaAvtoProm, a "
           "company based in Kazakhstan.")
Q_KAMAZ = ("The collaboration also involves KAMAZ, a partner that has publicly acknowledged its role alongside "
           "JAC in producing the Compass medium duty truck.")




def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def failed(result, *fragments: str) -> str:
    """A user error: exit status 1, "Error: ..." on stderr, no traceback, nothing on stdout."""
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr
    assert result.stdout == ""
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    return result.stderr


# ---- listing --------------------------------------------------------------------------------

def test_queries_lists_the_library():
    result = invoke("queries")
    assert result.exit_code == 0, result.output
    listed = [name for name in NAMES if name in result.stdout]
    assert len(listed) == len(NAMES) >= 15
    assert "Who are a company's partners" in result.stdout
    assert "company=KAMAZ" in result.stdout and "hops=2 (default)" in result.stdout


def test_help_names_the_commands():
    result = invoke("--help")
    commands = {line.split()[0] for line in result.stdout.split("Commands:", 1)[1].splitlines() if line.strip()}
    assert {"queries", "query"} <= commands
    assert "export" in invoke("browser", "--help").stdout


# ---- formats ---------------------------------------------------------------------------------

def test_query_json(seed):
    result = invoke("query", "partners", "-p", "company=kamaz", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [(r["partner"], r["on"], r["status"]) for r in rows] == [
        ("jac", "Compass medium duty truck", "announced"), ("jac", "Moskvich project", None),
        ("moskvich", "Moskvich project", None)]
    assert rows[0]["quotes"] == [Q_KAMAZ] and "path" not in rows[0]


def test_query_csv(seed):
    result = invoke("query", "supply-routes", "-p", "brand=JAC", "-p", "market=Russia", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["route", "countries", "goods", "modes", "statuses", "hops", "sources", "quotes"]
    assert rows[1:] == [["JAC; SaryarkaAvtoProm; Russia", "China; Kazakhstan; Russia", "JAC vehicles; JAC vehicles",
                         "logistics link; logistics link", "; ", "2", "moskvich-jac-kamaz", Q_ROUTE]]
    booleans = list(csv.DictReader(io.StringIO(invoke("query", "contract-holders", "--format", "csv").stdout)))
    assert [(r["party"], r["holds"], r["status"]) for r in booleans] == [("kamaz", "false", "pending approval")]


def test_query_table_shows_the_values(seed):
    result = invoke("query", "supply-routes", "-p", "brand=JAC Motors", "-p", "market=Russian Federation")
    assert result.exit_code == 0, result.output
    for value in ("SaryarkaAvtoProm", "Kazakhstan", "China", "JAC vehicles", "logistics link", "moskvich-jac-kamaz",
                  "1 row(s)"):
        assert value in result.stdout
    empty = invoke("query", "supply-routes", "-p", "brand=JAC", "-p", "market=Canada")
    assert empty.exit_code == 0 and "No rows" in empty.stdout


def test_json_and_csv_are_clean_for_pipes(seed):
    """The installed script: stdout holds the JSON / CSV and nothing else, even with --show-cypher/--profile."""
    for fmt, parse in (("json", json.loads), ("csv", lambda s: list(csv.reader(io.StringIO(s))))):
        proc = subprocess.run([str(MOTORGRAPH), "query", "models", "-p", "maker=JAC", "--format", fmt,
                               "--show-cypher", "--profile"], capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        parsed = parse(proc.stdout)
        assert len(parsed) == (6 if fmt == "json" else 7)
        assert "db.index.fulltext.queryNodes" in proc.stderr and "db hits" in proc.stderr


# ---- parameters ------------------------------------------------------------------------------

def test_missing_parameter():
    failed(invoke("query", "partners"), "missing parameter company", "company (string, required, e.g. KAMAZ)")


def test_unknown_parameter():
    failed(invoke("query", "partners", "-p", "company=KAMAZ", "-p", "compnay=x"), "unknown parameter 'compnay'",
           "Parameters of partners:", "company (string")


def test_badly_typed_parameter():
    failed(invoke("query", "partnership-network", "-p", "company=Russia", "-p", "hops=lots"),
           "hops must be an integer", "company (string, required, e.g. Russia)", "hops (integer, default 2, 1..4)")
    failed(invoke("query", "partnership-network", "-p", "company=Russia", "-p", "hops=7"), "between 1 and 4")
    failed(invoke("query", "partners", "-p", "company"), "-p takes key=value")


UNKNOWN = "Error: query {q}: no {labels} has the id, name or alias {value!r} (parameter {param}); {hint}\n"


@pytest.mark.parametrize("args, q, labels, param, value, hint", [
    (["partners", "-p", "company=Kamas"], "partners", "Company, Brand, Country or Region", "company", "Kamas",
     "did you mean KAMAZ?"),
    (["partners", "-p", "company=KAMAZ LLC"], "partners", "Company, Brand, Country or Region", "company",
     "KAMAZ LLC", "did you mean KAMAZ?"),
    (["supply-routes", "-p", "brand=JAC", "-p", "market=Rusia"], "supply-routes", "Country or Region", "market",
     "Rusia", "did you mean Russia?"),
    (["relationship-provenance", "-p", "entity=JAC", "-p", "other=Kamazz"], "relationship-provenance", "entity",
     "other", "Kamazz", "did you mean KAMAZ?"),
    (["partners", "-p", "company=qqqq"], "partners", "Company, Brand, Country or Region", "company", "qqqq",
     "no name is close to it"),
])
def test_a_name_that_matches_nobody_is_an_error_with_the_closest_names(seed, args, q, labels, param, value, hint):
    """Not "No rows": the name is unknown, in every format, with exit status 1 and nothing on stdout."""
    expected = UNKNOWN.format(q=q, labels=labels, param=param, value=value, hint=hint)
    for fmt in ("table", "json", "csv"):
        result = invoke("query", *args, "--format", fmt)
        assert (result.exit_code, result.stdout, result.stderr) == (1, "", expected)


def test_a_real_name_without_rows_is_still_an_empty_answer(seed):
    """Canada is in the graph; no route reaches it."""
    result = invoke("query", "supply-routes", "-p", "brand=JAC", "-p", "market=Canada")
    assert (result.exit_code, result.stdout.strip()) == (
        0, "No rows for supply-routes with brand='JAC', market='Canada', limit=25.")
    assert invoke("query", "supply-routes", "-p", "brand=JAC", "-p", "market=Canada", "--format", "json").stdout == "[]\n"


def test_a_limit_past_the_maximum_names_it(seed):
    failed(invoke("query", "partners", "-p", "company=KAMAZ", "-p", "limit=1001"),
           "parameter limit must be between 1 and 1000: got 1001")


def test_unknown_query_name():
    err = failed(invoke("query", "partner", "-p", "company=KAMAZ"), "unknown query 'partner'", "did you mean partners")
    assert len(err.strip().splitlines()) == 1
    failed(invoke("query", "supply-route"), "did you mean supply-routes")


@pytest.mark.parametrize("name", NAMES)
def test_example(seed, name):
    result = invoke("query", name, "--example", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert isinstance(rows, list) and rows, name  # every example has an answer on the seed graph


def test_example_values_can_be_overridden(seed):
    rows = json.loads(invoke("query", "partnership-network", "--example", "-p", "hops=1", "--format", "json").stdout)
    assert [(r["organisation"], r["distance"]) for r in rows] == [("iran", 1)]


# ---- --show-cypher and --profile ---------------------------------------------------------------

def test_show_cypher(seed):
    result = invoke("query", "partners", "-p", "company=KAMAZ", "--show-cypher")
    assert result.exit_code == 0, result.output
    assert "// partners: Who are a company's partners" in result.stdout
    assert '// $company = "KAMAZ"' in result.stdout
    assert "db.index.fulltext.queryNodes('entity_key'" in result.stdout
    assert "Compass medium duty truck" in result.stdout  # and the answer
    as_json = invoke("query", "partners", "-p", "company=KAMAZ", "--show-cypher", "--format", "json")
    assert len(json.loads(as_json.stdout)) == 3 and "PARTNERS_WITH" in as_json.stderr


def test_profile(seed):
    result = invoke("query", "shortest-connection", "--example", "--profile")
    assert result.exit_code == 0, result.output
    assert "Profile:" in result.stdout and "db hits" in result.stdout and "ProcedureCall" in result.stdout
    assert "Moskvich project" in result.stdout
    as_csv = invoke("query", "shortest-connection", "--example", "--profile", "--format", "csv")
    assert len(list(csv.reader(io.StringIO(as_csv.stdout)))) == 3 and "db hits" in as_csv.stderr


# ---- Browser export --------------------------------------------------------------------------------

def test_browser_export(tmp_path):
    out = tmp_path / "favorites.zip"
    result = invoke("browser", "export", "-o", str(out))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        params = zf.read("params.txt").decode("utf-8")
        contents = {Path(n).name: zf.read(n).decode("utf-8") for n in names if n.endswith(".cypher")}
    assert "params.txt" in names
    assert sorted(contents) == sorted(p.name for p in (REPO / "queries").glob("*.cypher"))
    for q in QUERIES:
        assert contents[f"{q.name}.cypher"] == q.path.read_text(encoding="utf-8")
    assert str(out) in result.stdout
    for step in ("1. ", "2. ", "3. ", "4. "):
        assert step in result.stdout
    assert "Favorites" in result.stdout and "paste its block of :param lines" in result.stdout
    for line in (":param company => 'KAMAZ';", ":param brand => 'JAC';", ":param market => 'Russia';",
                 ":param hops => 2;", ":param plant => 'Renault\\'s Moscow plant';"):
        assert line in result.stdout.splitlines() and line in params.splitlines()
    missing = invoke("browser", "export")
    assert missing.exit_code == 2 and "-o" in missing.stderr


def test_one_parameter_parser_for_every_command():
    """query, viz and export share one -p parser: the same errors, and a repeated key is refused."""
    for command in (["query", "partners"], ["viz", "partners"], ["export", "--format", "json", "-o", "x.json",
                                                                  "--query", "partners"]):
        failed(invoke(*command, "-p", "company"), "-p takes key=value, got 'company' (e.g. -p company=KAMAZ)")
        failed(invoke(*command, "-p", "company=KAMAZ", "-p", "company=JAC"),
               "-p company is given twice ('KAMAZ' and 'JAC'); give each parameter once")
