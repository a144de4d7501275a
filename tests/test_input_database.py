"""Input that contradicts the database is refused, naming the source that said otherwise.

The rule (loaders/existing.py, docs/data-format.md): an id is one entity under one label
across the graph, sources included; a name or property value that one source stated is not
changed by another (a file may add properties and aliases); the source that stated a value
may change it by loading its new version. The writer holds the rule under concurrency.
"""

from __future__ import annotations

import pytest

from inputs import GOOD_FACTS, curated, line_of, problem_at, refused, rejected, state
from motorgraph.errors import ValidationFailed
from motorgraph.loaders import load, validate
from motorgraph.loaders.writer import Writer

KAMAZ = "  - id: kamaz\n    label: Company\n    name: {name}\n    properties: {{kind: {kind}}}\n"
OTHER = "  - id: test-co-two\n    label: Company\n    name: Test Co Two\n    properties: {kind: automaker}\n"
TEST_CO = "  - id: test-co\n    label: Company\n    name: Test Co\n    properties: {kind: supplier}\n"


def test_another_source_cannot_rename_an_entity(seeded, settings, tmp_path):
    path, text = curated(tmp_path, "rename.yaml", entities=TEST_CO + OTHER + KAMAZ.format(name="Kamaz Group",
                                                                                          kind="automaker"))
    p = problem_at(rejected(seeded, settings, [path]), path, line_of(text, "id: kamaz"))
    assert p.endswith("'kamaz' is named 'KAMAZ' in the database (from source moskvich-jac-kamaz), not "
                      "'Kamaz Group'; use that name and put 'Kamaz Group' in aliases"), p


def test_another_source_cannot_change_a_property(seeded, settings, tmp_path):
    path, text = curated(tmp_path, "kind.yaml", entities=TEST_CO + OTHER + KAMAZ.format(name="KAMAZ",
                                                                                        kind="supplier"))
    p = problem_at(rejected(seeded, settings, [path]), path, line_of(text, "id: kamaz"))
    assert "'kamaz' has kind='automaker' in the database (from source moskvich-jac-kamaz), not 'supplier'" in p, p
    assert "leave `kind` out to keep it" in p


def test_another_source_may_add_aliases_and_agree(seeded, settings, tmp_path):
    entities = TEST_CO + OTHER + "  - id: kamaz\n    label: Company\n    name: KAMAZ\n    aliases: [Kamaz Trucks]\n" \
        "    properties: {kind: automaker}\n"
    path, _ = curated(tmp_path, "agree.yaml", entities=entities)
    load([path], driver=seeded, database=settings.database)
    row = seeded.execute_query("MATCH (c:Company {id: 'kamaz'}) RETURN c.name AS name, c.aliases AS aliases",
                               database_=settings.database).records[0]
    assert row["name"] == "KAMAZ" and "Kamaz Trucks" in row["aliases"] and "KAMAZ PJSC" in row["aliases"]


def test_an_id_is_one_label_across_the_graph(seeded, settings, tmp_path):
    brand = "  - id: jac\n    label: Brand\n    name: JAC\n"
    p = refused(seeded, settings, tmp_path, at="id: jac", name="label.yaml", entities=TEST_CO + OTHER + brand)
    assert "id 'jac' is a Company in the database (from source moskvich-jac-kamaz), not a Brand" in p, p
    assert "use label Company or another id" in p


def test_an_entity_cannot_take_a_source_id(seeded, settings, tmp_path):
    entity = "  - id: moskvich-jac-kamaz\n    label: Company\n    name: Moskvich JAC KAMAZ\n" \
             "    properties: {kind: holding}\n"
    p = refused(seeded, settings, tmp_path, at="id: moskvich-jac-kamaz", name="srcid.yaml", entities=TEST_CO + OTHER + entity)
    assert "id 'moskvich-jac-kamaz' is a source (article) id in the database; give the entity another id" in p, p


def test_a_source_cannot_take_an_entity_id(seeded, settings, tmp_path):
    p = refused(seeded, settings, tmp_path, at="id: kamaz", name="kamaz.yaml", source_id="kamaz")
    assert "source id 'kamaz' is already a Company in the database (from source moskvich-jac-kamaz)" in p, p


def test_the_source_that_stated_a_value_may_change_it(seeded, settings, tmp_path):
    path, _ = curated(tmp_path, "mine.yaml")
    load([path], driver=seeded, database=settings.database)
    path, _ = curated(tmp_path, "mine.yaml", entities=TEST_CO.replace("supplier", "distributor") + OTHER)
    load([path], driver=seeded, database=settings.database)
    kind = seeded.execute_query("MATCH (c:Company {id: 'test-co'}) RETURN c.kind AS kind",
                                database_=settings.database).records[0]["kind"]
    assert kind == "distributor"


def test_a_concurrent_redefinition_is_caught_when_writing(seeded, settings, tmp_path):
    """A validated plan whose entity another load defined meanwhile is refused whole at write time."""
    mine, _ = curated(tmp_path, "mine.yaml")
    plan = validate([mine], seeded, settings.database)
    assert not plan.problems
    (tmp_path / "other").mkdir()
    theirs, _ = curated(tmp_path / "other", "theirs.yaml", facts=GOOD_FACTS,
                        entities=TEST_CO.replace("Test Co", "Test Company") + OTHER)
    load([theirs], driver=seeded, database=settings.database)
    before = state(seeded, settings)
    with pytest.raises(ValidationFailed) as info:
        Writer(seeded, plan, settings.database, 1000).write()
    assert state(seeded, settings) == before
    assert any(p.startswith(f"{mine}:") and "'test-co' was stated as 'Test Company' (not 'Test Co') by another "
               "load that ran at the same time" in p for p in info.value.problems), info.value.problems


@pytest.mark.parametrize("row, says", [
    ("kamaz,Company,Kamaz Group,automaker", "'kamaz' is named 'KAMAZ' in the database (from source "
     "moskvich-jac-kamaz), not 'Kamaz Group'"),
    ("kamaz,Company,KAMAZ,supplier", "'kamaz' has kind='automaker' in the database (from source "
     "moskvich-jac-kamaz), not 'supplier'"),
    ("jac,Brand,JAC,", "id 'jac' is a Company in the database (from source moskvich-jac-kamaz), not a Brand"),
], ids=["rename", "property", "label"])
def test_csv_rows_are_held_to_the_same_rule(seeded, settings, tmp_path, row, says):
    nodes = tmp_path / "nodes.csv"
    nodes.write_text("id:ID,:LABEL,name,kind\ncsv-ok,Company,CSV OK,supplier\n" + row + "\n", encoding="utf-8")
    p = problem_at(rejected(seeded, settings, [nodes]), nodes, 3)
    assert says in p, p
