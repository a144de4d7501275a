"""`motorgraph schema apply | check` against a real Neo4j, and the files derived from the model."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from motorgraph.cli import cli
from motorgraph.model import load_model
from motorgraph.schema_ops import apply_schema, expected_items

REPO = Path(__file__).resolve().parent.parent


def constraints(driver, database) -> list[tuple]:
    recs = driver.execute_query(
        "SHOW CONSTRAINTS YIELD name, type, entityType, labelsOrTypes, properties, ownedIndex",
        database_=database).records
    return sorted((r["name"], r["type"], r["entityType"], tuple(r["labelsOrTypes"]),
                   tuple(r["properties"]), r["ownedIndex"]) for r in recs)


def indexes(driver, database) -> list[tuple]:
    recs = driver.execute_query(
        "SHOW INDEXES YIELD name, type, entityType, labelsOrTypes, properties, owningConstraint",
        database_=database).records
    return sorted((r["name"], r["type"], r["entityType"], tuple(r["labelsOrTypes"] or ()),
                   tuple(r["properties"] or ()), r["owningConstraint"]) for r in recs)


def run(*args):
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.output
    return result


def drop_model_schema(driver, database) -> None:
    """Drop the model's constraints and indexes (only those: anything else is left alone)."""
    for item in expected_items():
        kind = "CONSTRAINT" if item.kind == "UNIQUENESS" else "INDEX"
        driver.execute_query(f"DROP {kind} {item.name} IF EXISTS", database_=database)


@pytest.mark.timeout(400)
def test_apply_twice_is_identical(driver, neo4j_server):
    db = neo4j_server.database
    try:
        drop_model_schema(driver, db)
        names = {c[0] for c in constraints(driver, db)} | {i[0] for i in indexes(driver, db)}
        assert not names & {i.name for i in expected_items()}

        first = run("schema", "apply")
        assert first.exit_code == 0, first.output
        assert "Applied" in first.output
        c1, i1 = constraints(driver, db), indexes(driver, db)

        second = run("schema", "apply")
        assert second.exit_code == 0, second.output
        c2, i2 = constraints(driver, db), indexes(driver, db)
        assert c1 == c2
        assert i1 == i2

        # and what was applied is the file: every statement became one constraint or index
        applied = {c[0] for c in c1} | {i[0] for i in i1}
        assert {i.name for i in expected_items()} <= applied
        by_name = {c[0]: c for c in c1}
        assert by_name["company_id"][1] in ("UNIQUENESS", "NODE_PROPERTY_UNIQUENESS")
        assert by_name["company_id"][2:5] == ("NODE", ("Company",), ("id",))
        idx = {i[0]: i for i in i1}
        assert idx["entity_lookup"][1] == "FULLTEXT"
        assert set(idx["entity_lookup"][4]) == {"id", "name", "aliases"}
        assert idx["entity_key"][1] == "FULLTEXT" and idx["entity_key"][4] == ("keys",)
        assert idx["company_kind"][1:5] == ("RANGE", "NODE", ("Company",), ("kind",))
    finally:
        apply_schema(driver, db)


@pytest.mark.timeout(400)
def test_check_reports_a_dropped_constraint(driver, neo4j_server):
    db = neo4j_server.database
    apply_schema(driver, db)
    ok = run("schema", "check")
    assert ok.exit_code == 0, ok.output
    assert "matches" in ok.output
    try:
        driver.execute_query("DROP CONSTRAINT company_id", database_=db)
        bad = run("schema", "check")
        assert bad.exit_code == 1, bad.output
        diff = [l for l in bad.output.splitlines() if l.startswith(("-", "+", "~"))]
        assert len(diff) == 1, bad.output
        assert "company_id" in diff[0]
        assert "missing in the database" in diff[0]
        assert "schema apply" in diff[0]
    finally:
        restored = run("schema", "apply")
        assert restored.exit_code == 0, restored.output
    again = run("schema", "check")
    assert again.exit_code == 0, again.output


@pytest.mark.timeout(400)
def test_check_reports_an_extra_index(driver, neo4j_server):
    db = neo4j_server.database
    apply_schema(driver, db)
    try:
        driver.execute_query("CREATE INDEX zz_test_extra IF NOT EXISTS FOR (n:Company) ON (n.description)",
                             database_=db)
        bad = run("schema", "check")
        assert bad.exit_code == 1, bad.output
        assert "only in the database" in bad.output and "zz_test_extra" in bad.output
    finally:
        driver.execute_query("DROP INDEX zz_test_extra IF EXISTS", database_=db)


def test_committed_files_match_the_model():
    model = load_model()
    assert (REPO / "schema" / "constraints.cypher").read_text(encoding="utf-8") == model.constraints_cypher(), \
        "schema/constraints.cypher is out of date: run `motorgraph schema docs`"
    assert (REPO / "docs" / "model.md").read_text(encoding="utf-8") == model.markdown(), \
        "docs/model.md is out of date: run `motorgraph schema docs`"


def test_every_label_has_a_unique_id(driver, neo4j_server):
    recs = driver.execute_query(
        "SHOW CONSTRAINTS YIELD type, entityType, labelsOrTypes, properties "
        "WHERE type IN ['UNIQUENESS', 'NODE_PROPERTY_UNIQUENESS'] AND entityType = 'NODE' "
        "RETURN labelsOrTypes, properties", database_=neo4j_server.database).records
    unique_on_id = {r["labelsOrTypes"][0] for r in recs if r["properties"] == ["id"]}
    labels = set(load_model().labels)
    assert labels, "the model has no labels"
    assert labels <= unique_on_id, f"labels without a unique id: {sorted(labels - unique_on_id)}"
