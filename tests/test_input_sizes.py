"""Values too large for an index are refused before anything is written, by `--dry-run` too.

Neo4j refuses a full-text term over 32,766 bytes (the index `entity_key` holds each
lowercased id, name and alias whole) and a range-index key over about 8 kB (the id
constraints). The loader used to pass such values in `--dry-run` and then commit whole
batches before Neo4j refused one; a 40,000-character name once left `entity_key` FAILED.
The limits in schema/model.yaml are far below Neo4j's; each is checked with its file and
line (or CSV record), the field, the size and the limit.
"""

from __future__ import annotations

import hashlib

import pytest

from inputs import (GOOD_ENTITIES, GOOD_FACTS, Q_KAMAZ, SECOND_ENTITY, curated, line_of, problem_at,
                    rejected, state)
from motorgraph.errors import ValidationFailed
from motorgraph.loaders import load

THIRD = "  - id: test-co-three\n    label: Company\n    name: Test Co Three\n    properties: {kind: supplier}\n"
LIMIT = "over the limit of {limit}; shorten it"


@pytest.mark.parametrize("field, size, limit", [
    ("id", 121, 120), ("name", 301, 300), ("alias", 301, 300), ("description", 10_001, 10_000),
    ("quote", 2_001, 2_000),
])
def test_a_value_over_its_limit_in_yaml(seeded, settings, tmp_path, field, size, limit):
    entities, facts = GOOD_ENTITIES + SECOND_ENTITY + THIRD, GOOD_FACTS
    if field == "id":
        entities = entities.replace("test-co-three", "c" * size)
    elif field == "name":
        entities = entities.replace("Test Co Three", "\u00e9" * (size // 2) + "x" * (size % 2))  # 2 bytes each
    elif field == "alias":
        entities = entities.replace("name: Test Co Three\n", f"name: Test Co Three\n    aliases: [TC3, {'a' * size}]\n")
    elif field == "description":
        entities = entities.replace("Three\n    properties: {kind: supplier}\n",
                                    f"Three\n    properties: {{kind: supplier, description: {'d' * size}}}\n")
    else:
        facts = facts.replace(f"quote: {Q_KAMAZ}", f"quote: {'word ' * (size // 5)}{'q' * (size % 5)}")
    path, text = curated(tmp_path, "big.yaml", entities=entities, facts=facts)
    line = line_of(text, "- from: test-co") if field == "quote" else _third_line(text)
    p = problem_at(rejected(seeded, settings, [path]), path, line)
    what = {"alias": "`aliases` item 2", "description": "`description`"}.get(field, f"`{field}`")
    assert p.endswith(f"{what} is {size} bytes long (UTF-8), {LIMIT.format(limit=limit)}"), p


def _third_line(text: str) -> int:
    """The line of the third entity (its id may be the long one)."""
    lines = [n for n, line in enumerate(text.splitlines(), 1) if line.startswith("  - id: ")]
    return lines[2]


def test_too_many_aliases(seeded, settings, tmp_path):
    aliases = ", ".join(f"TC{i}" for i in range(51))
    entities = GOOD_ENTITIES + SECOND_ENTITY + THIRD.replace("{kind: supplier}\n",
                                                             f"{{kind: supplier}}\n    aliases: [{aliases}]\n")
    path, text = curated(tmp_path, "many.yaml", entities=entities)
    p = problem_at(rejected(seeded, settings, [path]), path, _third_line(text))
    assert p.endswith("`aliases` has 51 items, over the limit of 50; keep the spellings people use"), p


def test_an_article_over_its_limit(seeded, settings, tmp_path):
    (tmp_path / "articles").mkdir()
    art = tmp_path / "articles" / "huge.txt"
    art.write_text(Q_KAMAZ + "\n" + "filler text. " * 160_000, encoding="utf-8")  # 2,080,000+ bytes
    sha = hashlib.sha256(art.read_bytes()).hexdigest()
    path = tmp_path / "huge.yaml"
    path.write_text(f"source:\n  id: huge\n  title: Huge\n  file: articles/huge.txt\n  sha256: {sha}\n"
                    "entities: []\nfacts: []\n", encoding="utf-8")
    p = problem_at(rejected(seeded, settings, [path]), path, 2)
    assert p.endswith(f"`articles/huge.txt` is {art.stat().st_size} bytes long (UTF-8), "
                      f"{LIMIT.format(limit=2_000_000)}"), p


def test_values_over_their_limits_in_csv(seeded, settings, tmp_path):
    nodes = tmp_path / "nodes.csv"
    nodes.write_text("id:ID,:LABEL,name,aliases:string[],kind\n"
                     "csv-a,Company,CSV A,,supplier\n"
                     f"csv-b,Company,{'B' * 40_000},,supplier\n"
                     f"csv-c,Company,CSV C,C;{'c' * 33_000},supplier\n"
                     f"{'d' * 200},Company,CSV D,,supplier\n", encoding="utf-8")
    problems = rejected(seeded, settings, [nodes])
    assert problems == [
        f"{nodes}:3: node csv-b: `name` is 40000 bytes long (UTF-8), {LIMIT.format(limit=300)}",
        f"{nodes}:4: node csv-c: `aliases` item 2 is 33000 bytes long (UTF-8), {LIMIT.format(limit=300)}",
        f"{nodes}:5: node {'d' * 200}: `id` is 200 bytes long (UTF-8), {LIMIT.format(limit=120)}",
    ], problems


def test_dry_run_refuses_what_the_load_refuses_and_the_indexes_stay_online(seeded, settings, tmp_path):
    """A 40,000-character name and a 33,000-byte alias: over Lucene's 32,766-byte term limit."""
    alias = "\u00e4" * 16_500  # 2 bytes each
    entities = (GOOD_ENTITIES.replace("name: Test Co\n", f"name: {'N' * 40_000}\n")
                + SECOND_ENTITY.replace("name: Test Co Two\n", f"name: Test Co Two\n    aliases: [{alias}]\n"))
    path, text = curated(tmp_path, "huge-keys.yaml", entities=entities)
    before = state(seeded, settings)
    with pytest.raises(ValidationFailed) as dry:
        load([path], driver=seeded, database=settings.database, dry_run=True)
    problems = rejected(seeded, settings, [path])
    assert dry.value.problems == problems
    assert problems == [
        f"{path}:{line_of(text, '- id: test-co', exact=True)}: entity test-co: `name` is 40000 bytes long (UTF-8), "
        f"{LIMIT.format(limit=300)}",
        f"{path}:{line_of(text, '- id: test-co-two')}: entity test-co-two: `aliases` item 1 is 33000 bytes long "
        f"(UTF-8), {LIMIT.format(limit=300)}",
    ], problems
    assert state(seeded, settings) == before
    indexes = seeded.execute_query("SHOW INDEXES YIELD name, state RETURN name, state",
                                   database_=settings.database).records
    assert indexes and {r["name"]: r["state"] for r in indexes} == {r["name"]: "ONLINE" for r in indexes}
