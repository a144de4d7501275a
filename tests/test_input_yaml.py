"""YAML is read as written (the YAML 1.2 core schema) and a key given twice is an error.

Under YAML 1.1 rules these files loaded with values nobody wrote: a second `facts:` block
dropped the first, a repeated property kept its last value, `0300000` became 98304 and
`3:00` became 180. Each case is rejected with its file and line, and the graph is unchanged.
"""

from __future__ import annotations

from inputs import GOOD_ENTITIES, GOOD_FACTS, SECOND_ENTITY, curated, line_of, problem_at, refused, rejected
from motorgraph import yamlio
from motorgraph.loaders import load


def test_a_second_facts_block_is_an_error_at_its_line(seeded, settings, tmp_path):
    path, text = curated(tmp_path, "twice.yaml", facts=GOOD_FACTS + "facts:\n" + GOOD_FACTS)
    second = [n for n, line in enumerate(text.splitlines(), 1) if line == "facts:"][1]
    p = problem_at(rejected(seeded, settings, [path]), path, second)
    assert "found duplicate key 'facts'" in p and f"first given at line {second - 6}" in p, p
    assert "give each key once" in p


def test_a_repeated_property_is_an_error(seeded, settings, tmp_path):
    entities = GOOD_ENTITIES.replace("properties: {kind: supplier}",
                                     "properties:\n      kind: supplier\n      kind: automaker") + SECOND_ENTITY
    p = refused(seeded, settings, tmp_path, at="kind: automaker", name="prop.yaml", entities=entities)
    assert "found duplicate key 'kind'" in p, p


def test_numbers_are_read_as_written(seeded, settings, tmp_path):
    """`0300000` is three hundred thousand (not octal 98304); `3:00` is text, so not a capacity."""
    plant = ("  - id: test-plant\n    label: Plant\n    name: Test Plant\n"
             "    properties: {capacity_per_year: 0300000}\n")
    path, _ = curated(tmp_path, "octal.yaml", entities=GOOD_ENTITIES + SECOND_ENTITY + plant)
    load([path], driver=seeded, database=settings.database)
    got = seeded.execute_query("MATCH (p:Plant {id: 'test-plant'}) RETURN p.capacity_per_year AS c",
                               database_=settings.database).records
    assert got[0]["c"] == 300000

    sexagesimal = plant.replace("0300000", "3:00").replace("test-plant", "test-plant-2")
    path, text = curated(tmp_path / "b" if (tmp_path / "b").mkdir() is None else tmp_path, "base60.yaml",
                         entities=GOOD_ENTITIES.replace("test-co", "test-co-b") + sexagesimal,
                         facts="  []\n")
    p = problem_at(rejected(seeded, settings, [path]), path, line_of(text, "id: test-plant-2"))
    assert "`capacity_per_year` must be a integer, not '3:00'" in p or "must be an integer" in p, p


def test_an_impossible_unquoted_date_is_an_error_at_its_line(seeded, settings, tmp_path):
    facts = GOOD_FACTS.replace("    quote:", "    since: 2022-13-45\n    quote:")
    p = refused(seeded, settings, tmp_path, at="- from: test-co", name="date.yaml", facts=facts)
    assert "`since` must be a real date written YYYY-MM-DD, YYYY-MM or YYYY, not '2022-13-45'" in p, p


def test_dates_stay_strings_and_a_year_is_a_year():
    doc = yamlio.load("a: 2022-03-01\nb: 2023\nc: on\nd: NO\ne: 0o17\nf: 1_000\n")
    assert doc == {"a": "2022-03-01", "b": 2023, "c": "on", "d": "NO", "e": 15, "f": "1_000"}
