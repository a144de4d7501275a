"""`motorgraph schema apply | check` against a real Neo4j, and the files derived from the model."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from motorgraph.cli import cli
from motorgraph.model import load_model
from motorgraph.schema_ops import apply_schema, check_schema, expected_items, statement_names

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


# ---- index states: FAILED and rebuilt ----------------------------------------------------

TOO_LONG = "x" * 40_000  # one keyword term longer than Lucene's limit of 32,766 bytes
ROOT_CAUSE = "bytes can be at most 32766 in length; got 40000"


def index_row(driver, database, name) -> dict:
    """SHOW INDEXES' row for `name` once it is ONLINE or FAILED (population is asynchronous)."""
    deadline = time.monotonic() + 120
    while True:
        recs = driver.execute_query("SHOW INDEXES YIELD name, state, failureMessage WHERE name = $name "
                                    "RETURN state, failureMessage", name=name, database_=database).records
        assert recs, f"no index {name}"
        if recs[0]["state"] in ("ONLINE", "FAILED") or time.monotonic() > deadline:
            return recs[0].data()
        time.sleep(0.2)


@pytest.mark.timeout(400)
def test_check_reports_a_failed_fulltext_index(driver, neo4j_server):
    db = neo4j_server.database
    apply_schema(driver, db)
    try:
        # The node first, then the index: the population job fails (writing the value into an
        # online index would panic the database instead).
        driver.execute_query("CREATE (:ZzIndexProbe {v: $v})", v=TOO_LONG, database_=db)
        driver.execute_query("CREATE FULLTEXT INDEX zz_probe_key FOR (n:ZzIndexProbe) ON EACH [n.v] "
                             "OPTIONS {indexConfig: {`fulltext.analyzer`: 'keyword'}}", database_=db)
        row = index_row(driver, db, "zz_probe_key")
        assert row["state"] == "FAILED", row
        assert ROOT_CAUSE in row["failureMessage"]

        report = check_schema(driver, db)
        assert not report.ok
        assert len(report.indexes) == 1, report.indexes
        line = report.indexes[0]
        assert line.startswith("! FULLTEXT index zz_probe_key is FAILED: "), line
        assert ROOT_CAUSE in line and "\n" not in line and "\tat " not in line

        bad = run("schema", "check")
        assert bad.exit_code == 1, bad.output
        assert line in bad.output.splitlines()
        # apply cannot rebuild an index that is not the model's: it says which, and how to drop it
        applied = run("schema", "apply")
        assert applied.exit_code == 1, applied.output
        assert "zz_probe_key is FAILED" in applied.output and "DROP INDEX zz_probe_key" in applied.output
    finally:
        driver.execute_query("DROP INDEX zz_probe_key IF EXISTS", database_=db)
        driver.execute_query("MATCH (n:ZzIndexProbe) DELETE n", database_=db)
    assert check_schema(driver, db).ok, "the probe index is left behind"


@pytest.mark.timeout(400)
def test_apply_rebuilds_a_failed_model_index(driver, neo4j_server):
    """entity_key FAILED over a too-long key: apply rebuilds it, and says so once the data is fixed."""
    db = neo4j_server.database
    apply_schema(driver, db)
    probe = "zz-too-long-key"
    try:
        driver.execute_query("DROP INDEX entity_key", database_=db)
        driver.execute_query("CREATE (:Company {id: $id, name: 'Zz', keys: [$v]})", id=probe, v=TOO_LONG,
                             database_=db)
        driver.execute_query(statement_names()["entity_key"], database_=db)  # as the file says
        assert index_row(driver, db, "entity_key")["state"] == "FAILED"

        check = run("schema", "check")
        assert check.exit_code == 1, check.output
        lines = [l for l in check.output.splitlines() if l.startswith("!")]
        assert len(lines) == 1, check.output
        assert "entity_key is FAILED" in lines[0] and ROOT_CAUSE in lines[0]
        assert "motorgraph schema apply" in lines[0]
        assert not [l for l in check.output.splitlines() if l.startswith(("-", "+", "~"))]

        # While the graph holds the value, the rebuilt index fails again: apply says so, in a few lines.
        again = run("schema", "apply")
        assert again.exit_code == 1, again.output
        assert "entity_key is FAILED" in again.output and "failed again" in again.output
        assert ROOT_CAUSE in again.output and "\tat " not in again.output
        assert index_row(driver, db, "entity_key")["state"] == "FAILED"

        driver.execute_query("MATCH (n:Company {id: $id}) DELETE n", id=probe, database_=db)
        fixed = run("schema", "apply")
        assert fixed.exit_code == 0, fixed.output
        repaired = [l for l in fixed.output.splitlines() if l.startswith("Repaired")]
        assert len(repaired) == 1, fixed.output
        assert repaired[0].startswith("Repaired entity_key: it was FAILED (") and ROOT_CAUSE in repaired[0]
        assert index_row(driver, db, "entity_key")["state"] == "ONLINE"
        ok = run("schema", "check")
        assert ok.exit_code == 0, ok.output
        # the rebuilt index is the file's: same type, labels, property and analyzer
        assert check_schema(driver, db).ok
        config = driver.execute_query("SHOW INDEXES YIELD name, options WHERE name = 'entity_key' RETURN options",
                                      database_=db).records[0]["options"]
        assert config["indexConfig"]["fulltext.analyzer"] == "keyword"
    finally:
        driver.execute_query("MATCH (n:Company {id: $id}) DELETE n", id=probe, database_=db)
        apply_schema(driver, db)
