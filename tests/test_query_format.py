"""The saved-query files and their format (motorgraph.library.format): headers, parameters, names.

No database: what is checked here is read from queries/*.cypher and made-up files.
"""

from __future__ import annotations

import re

import pytest

from motorgraph import library as L
from motorgraph.errors import QueryError
from query_helpers import ALL, NAMES, QUERIES


# ---- the files ---------------------------------------------------------------------------------

def test_the_library_has_the_questions_of_the_issue():
    assert len(ALL) >= 15
    assert sorted(p.stem for p in QUERIES.glob("*.cypher")) == sorted(NAMES)
    for topic in ("partners", "partnership-network", "supply-routes", "route-intermediaries", "plant-owners",
                  "plants-by-capacity", "models", "competitors-and-replacements", "asset-transfers",
                  "agreement-parties", "contract-holders", "pending-ventures", "undated-ventures",
                  "country-engagement", "shortest-connection", "entity-provenance", "relationship-provenance",
                  "most-connected"):
        assert topic in NAMES


@pytest.mark.parametrize("query", ALL, ids=NAMES)
def test_header_parses(query):
    text = query.path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first == f"// {query.question}" and len(query.question) > 15
    assert query.question.endswith("?")
    assert f"// name: {query.name}\n" in text and query.path.name == f"{query.name}.cypher"
    assert query.returns and all(c.name for c in query.returns)
    for p in query.params:
        assert p.type in L.TYPES and p.description
        if p.type == "cursor":  # a listing's `after`: optional, its absence is the first page
            assert p.name == "after" and not p.required and p.sample is None and query.cursor_column
            continue
        assert p.sample is not None, f"{p.name} needs an example or a default"
        assert p.required == (p.default is None)
    # A listing that pages has both halves: the `after` parameter and the `cursor` column.
    assert (query.param("after") is not None) == (query.cursor_column is not None)
    # (test_rows_are_plain_and_graph_columns_feed_nodes checks the declared columns against the answers.)


@pytest.mark.parametrize("query", ALL, ids=NAMES)
def test_every_parameter_is_declared_and_used(query):
    declared = {p.name for p in query.params}
    assert L.used_params(query.cypher) == declared
    assert L.check_query(query) == []


def test_header_parser_rejects_malformed_headers(tmp_path):
    def parse(text, name="bad-query"):
        f = tmp_path / f"{name}.cypher"
        f.write_text(text, encoding="utf-8")
        return L.parse_query(text, f)

    ok = "// A question?\n// name: bad-query\n// param: x integer default=3 range=1..4 X\n// returns: a (A)\nRETURN $x AS a\n"
    q = parse(ok)
    assert q.params[0] == L.Param("x", "integer", 3, None, False, "X", 1, 4)
    quoted = parse(ok.replace("default=3 range=1..4 X", 'example="two words \\"here\\"" Text').replace("integer", "string"))
    assert quoted.params[0].example == 'two words "here"' and quoted.params[0].required
    for bad, message in [
        (ok.replace("// A question?\n", ""), "question"),
        (ok.replace("// name: bad-query\n", ""), "name:"),
        (ok.replace("name: bad-query", "name: other"), "does not match"),
        (ok.replace("integer", "int"), "type"),
        (ok.replace("default=3 ", ""), "default=VALUE"),
        (ok.replace("default=3", "default=three"), "not a valid integer"),
        (ok.replace("// returns: a (A)\n", ""), "returns"),
        (ok.replace("range=1..4", "range=a..b"), "range"),
    ]:
        with pytest.raises(QueryError, match=message):
            parse(bad)


def test_lookup_parameters_declare_their_labels(tmp_path):
    def parse(line):
        f = tmp_path / "look.cypher"
        text = ("// Look?\n// name: look\n" + line + "\n// returns: a (A)\n"
                "CALL db.index.fulltext.queryNodes('entity_key', toLower($who)) YIELD node RETURN node.id AS a\n")
        f.write_text(text, encoding="utf-8")
        return L.parse_query(text, f)

    assert parse("// param: who string example=JAC lookup=Company|Brand Who").params[0].lookup == ("Company", "Brand")
    assert parse("// param: who string example=JAC lookup=any Who").params[0].lookup == ()
    assert parse("// param: who string example=JAC Who").params[0].lookup is None
    with pytest.raises(QueryError, match="lookup= must be labels joined by"):
        parse("// param: who string example=JAC lookup=company,brand Who")
    with pytest.raises(QueryError, match=r"lookup= is only for string parameters \(who\)"):
        parse("// param: who integer example=1 lookup=Company Who")
    loose = tmp_path / "loose.cypher"
    text = "// Loose?\n// name: loose\n// param: who string example=x lookup=Company Who\n// returns: a (A)\nRETURN $who AS a\n"
    loose.write_text(text, encoding="utf-8")
    assert L.check_query(L.parse_query(text, loose)) == [
        "loose: parameter who is declared lookup= but the query does not look $who up in entity_key"]


@pytest.mark.parametrize("query", ALL, ids=NAMES)
def test_every_entity_lookup_is_declared(query):
    """A parameter the query looks up in entity_key is declared lookup= (so a name that matches
    nobody is an UnknownName, not an empty answer)."""
    looked_up = set(re.findall(r"queryNodes\('entity_key'[^)]*\$([A-Za-z_]+)", query.cypher))
    assert looked_up == {p.name for p in query.params if p.lookup is not None}


# ---- read-only ------------------------------------------------------------------------------


def test_used_params_ignores_comments_strings_and_quoted_names():
    cypher = ("// $commented\nMATCH (n {id: $id}) /* $block\n $more */ WHERE n.name = '$quoted // $x'\n"
              "AND n.alias = \"it's $also \\\" $quoted\" RETURN n.`$name` AS a, $limit AS b // $trailing")
    assert L.used_params(cypher) == {"id", "limit"}


def test_check_query_names_undeclared_and_unused_parameters(tmp_path):
    f = tmp_path / "sloppy.cypher"
    text = "// Sloppy?\n// name: sloppy\n// param: unused string example=x X\n// returns: a (A)\nRETURN $other AS a\n"
    f.write_text(text, encoding="utf-8")
    assert L.check_query(L.parse_query(text, f)) == [
        "sloppy: $other is used but not declared (`// param: other ...`)",
        "sloppy: parameter unused is declared but not used"]


def test_query_result_without_a_query():
    result = L.QueryResult.from_records(None, {}, ["a"], [])
    assert result.rows == [] and result.columns == ["a"] and result.nodes == []


# ---- parameters and names --------------------------------------------------------------------------

def test_coerce_params():
    network = L.get_query("partnership-network")
    assert L.coerce_params(network, {"company": " Russia ", "hops": "3"}) == {"company": "Russia", "hops": 3,
                                                                              "limit": 25}
    assert L.coerce_params(network, {"company": "Russia"}) == {"company": "Russia", "hops": 2, "limit": 25}
    assert L.coerce_params(network, {"company": "Iran", "hops": 1, "limit": "5"}) == {"company": "Iran", "hops": 1,
                                                                                       "limit": 5}
    assert L.coerce_params(network, {}, use_examples=True) == {"company": "Russia", "hops": 2, "limit": 25}
    assert L.coerce_params(network, {"hops": "4"}, use_examples=True) == {"company": "Russia", "hops": 4,
                                                                           "limit": 25}
    for raw, problem in [({}, "missing parameter company"),
                         ({"company": "x", "hops": "lots"}, "hops must be an integer"),
                         ({"company": "x", "hops": True}, "hops must be an integer"),
                         ({"company": "x", "hops": "9"}, "between 1 and 4"),
                         ({"company": "x", "hops": "0"}, "between 1 and 4"),
                         ({"company": "x", "depth": "2"}, "unknown parameter 'depth'"),
                         ({"company": ""}, "company is empty"),
                         ({"company": 5}, "company must be a string")]:
        with pytest.raises(QueryError) as err:
            L.coerce_params(network, raw)
        message = str(err.value)
        assert problem in message
        # The message lists the query's parameters with their types and examples.
        assert "company (string, required, e.g. Russia)" in message
        assert "hops (integer, default 2, 1..4)" in message


def test_boolean_and_float_parameters(tmp_path):
    f = tmp_path / "typed.cypher"
    f.write_text("// Typed?\n// name: typed\n// param: flag boolean default=false A flag\n"
                 "// param: share float example=12.5 A share\n// returns: a (A)\nRETURN $flag AS a, $share AS b\n",
                 encoding="utf-8")
    q = L.parse_query(f.read_text(encoding="utf-8"), f)
    assert L.coerce_params(q, {"flag": "yes", "share": "3"}) == {"flag": True, "share": 3.0}
    assert L.coerce_params(q, {"share": 1}) == {"flag": False, "share": 1.0}
    with pytest.raises(QueryError, match="flag must be a boolean"):
        L.coerce_params(q, {"flag": "maybe", "share": "1"})
    with pytest.raises(QueryError, match="share must be a float"):
        L.coerce_params(q, {"share": "a lot"})


def test_unknown_query_names():
    with pytest.raises(QueryError, match="did you mean partners"):
        L.get_query("partner")
    with pytest.raises(QueryError, match="did you mean supply-routes"):
        L.get_query("supply-route")
    with pytest.raises(QueryError, match="unknown query 'xyzzy'"):
        L.get_query("xyzzy")
    assert L.get_query("partners.cypher").name == "partners"


def test_get_query_reads_a_changed_file_again_and_only_its_own_file(tmp_path):
    f = tmp_path / "counted.cypher"
    f.write_text("// How many companies are there?\n// name: counted\n// returns: n (count)\n"
                 "MATCH (c:Company) RETURN count(c) AS n\n", encoding="utf-8")
    # A broken neighbour does not stop a good query from being found by name.
    (tmp_path / "broken.cypher").write_text("MATCH (n) RETURN n\n", encoding="utf-8")
    first = L.get_query("counted", tmp_path)
    assert first.question == "How many companies are there?"
    assert L.get_query("counted", tmp_path) is first  # parsed once while the file is unchanged
    f.write_text("// How many companies are listed?\n// name: counted\n// returns: n (count)\n"
                 "MATCH (c:Company) RETURN count(*) AS n\n", encoding="utf-8")
    again = L.get_query("counted", tmp_path)
    assert again.question == "How many companies are listed?"
    assert again.cypher == "MATCH (c:Company) RETURN count(*) AS n"
    with pytest.raises(QueryError, match="broken.cypher:1: the first line must be"):
        L.list_queries(tmp_path)


# ---- Python API --------------------------------------------------------------------------------------


def test_readme_lists_every_query():
    readme = (QUERIES / "README.md").read_text(encoding="utf-8")
    for q in ALL:
        assert f"[`{q.name}`]({q.name}.cypher)" in readme
        assert q.question in readme
