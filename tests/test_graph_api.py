"""`Graph`, the front door: every CLI feature as one method, driver errors translated once."""

from __future__ import annotations

import json

import pytest

from motorgraph import Graph
from motorgraph.errors import ConnectionFailed, DatabaseError, QueryError, UnknownName
from motorgraph.settings import Settings


@pytest.fixture(scope="module")
def g(seed, neo4j_server):
    with Graph.connect(neo4j_server) as graph:
        yield graph


def test_query_takes_keywords_or_a_mapping_of_strings(g):
    by_keyword = g.query_result("partnership-network", company="Russia", hops=1)
    by_strings = g.query_result("partnership-network", {"company": "Russia", "hops": "1"})
    assert by_keyword.params == by_strings.params == {"company": "Russia", "hops": 1, "limit": 25}
    assert by_keyword.rows == by_strings.rows and by_keyword.rows
    assert {r["name"] for r in by_keyword.rows} >= {"Iran"}


def test_profile_through_the_api(g):
    result = g.query_result("partners", company="KAMAZ", profile=True)
    assert result.profile["db_hits"] > 0
    assert any(op["operator"].startswith("ProduceResults") for op in result.profile["operators"])


def test_picture_and_export_through_the_api(g, tmp_path):
    pic = g.picture(tmp_path / "route.html", "supply-routes", {"brand": "JAC", "market": "Russia"})
    assert pic.path.is_file() and {n["properties"]["name"] for n in pic.nodes} >= {"JAC", "Russia"}
    whole = g.picture(tmp_path / "all.html", include_sources=False)
    assert not any("Source" in n["labels"] for n in whole.nodes)
    exported = g.export("json", tmp_path / "kamaz.json", "partners", {"company": "KAMAZ"})
    doc = json.loads((tmp_path / "kamaz.json").read_text(encoding="utf-8"))
    assert exported.nodes == len(doc["nodes"]) > 0


def test_a_statement_neo4j_refuses_is_a_database_error(g):
    with pytest.raises(DatabaseError) as info:
        g.run("MATCH (n RETURN n")
    assert info.value.code == "Neo.ClientError.Statement.SyntaxError"
    assert str(info.value).startswith("Neo4j said: Neo.ClientError.Statement.SyntaxError: ")


def test_parameter_problems_are_query_errors(g):
    with pytest.raises(QueryError, match="missing parameter company"):
        g.query_result("partners")


def test_an_unknown_name_is_a_typed_error(g):
    for call in (lambda: g.query_result("partners", company="Kamas"), lambda: g.query("partners", company="Kamas")):
        with pytest.raises(UnknownName) as info:
            call()
        assert (info.value.param, info.value.value, info.value.suggestions) == ("company", "Kamas", ["KAMAZ"])
        assert isinstance(info.value, QueryError)
    with pytest.raises(UnknownName) as info:
        g.query("supply-routes", brand="JAC", market="Rusia")
    assert (info.value.param, info.value.value, info.value.suggestions) == ("market", "Rusia", ["Russia"])
    assert g.query("supply-routes", brand="JAC", market="Canada") == []  # a real name, no rows


def test_run_prints_no_server_notifications(g, caplog, capfd):
    """A property some facts lack (`since`) is a notification Neo4j would send on every call."""
    import logging

    with caplog.at_level(logging.INFO, logger="neo4j"):
        rows = g.run("MATCH (:Company {id: 'jac'})-[r:SHIPS_TO]->() RETURN r.not_a_property AS x LIMIT 1")
    assert rows == [{"x": None}]
    assert [r.getMessage() for r in caplog.records if r.name.startswith("neo4j.notifications")] == []
    assert capfd.readouterr().err == ""


def test_no_server_is_connection_failed(tmp_path):
    settings = Settings(uri="bolt://127.0.0.1:9", password="x")
    with pytest.raises(ConnectionFailed, match="cannot reach Neo4j at bolt://127.0.0.1:9"):
        Graph.connect(settings)
