"""Bad input is rejected with a message that names the file, the line (or record) and the
fix, and the database is left exactly as it was (the loader validates everything first).

Each test loads the seed dataset, takes counts and a checksum of the whole graph, runs the
bad load against the real Neo4j and compares afterwards. The bad inputs are small files
built in tmp_path beside a copy of a seed article.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import counts
from inputs import (GOOD_ENTITIES, GOOD_FACTS, Q_KAMAZ, Q_RENAULT, SECOND_ENTITY, csv_source, curated,
                    fact, line_of, plant, problem_at, refused, rejected, state)
from motorgraph.loaders import load

MOTORGRAPH = Path(sys.executable).parent / "motorgraph"


# ---- YAML files ---------------------------------------------------------------------------

def test_the_good_template_loads(seeded, settings, tmp_path):
    """The template the bad cases are made from is itself valid (so each case fails for its own reason)."""
    path, _ = curated(tmp_path, "good.yaml")
    summary = load([path], driver=seeded, database=settings.database)
    assert summary.nodes["Company"][1] == 2 and summary.rels["SUPPLIES"][1] == 1


def test_yaml_syntax_error(seeded, settings, tmp_path):
    path, text = curated(tmp_path, "bad.yaml", entities=GOOD_ENTITIES.replace(
        "name: Test Co", "name: Test: Co"))
    line = line_of(text, "name: Test: Co")
    column = text.splitlines()[line - 1].index(": Co") + 1  # 1-based column of the second ':'
    problems = rejected(seeded, settings, [path])
    assert problems == [problems[0]]
    p = problem_at(problems, path, line)
    assert p.startswith(f"{path}:{line}:{column}: "), p
    assert "YAML syntax error" in p and "mapping values are not allowed here" in p
    assert "fix the syntax" in p


@pytest.mark.parametrize("content", [b"", b"\n  \n", b"# only a comment\n"], ids=["empty", "blank", "comment"])
def test_empty_file(seeded, settings, tmp_path, content):
    path = tmp_path / "empty.yaml"
    path.write_bytes(content)
    p = problem_at(rejected(seeded, settings, [path]), path)
    assert "empty" in p or "no YAML document" in p, p
    assert "source, entities and facts" in p or "give it content or remove it" in p, p


def test_file_not_utf8(seeded, settings, tmp_path):
    path, text = curated(tmp_path, "latin1.yaml", entities=GOOD_ENTITIES.replace("Test Co", "Test Caf\u00e9"))
    path.write_bytes(text.encode("latin-1"))
    line = line_of(text, "Test Caf\u00e9")
    p = problem_at(rejected(seeded, settings, [path]), path, line)
    assert "not UTF-8" in p and "0xe9" in p and "save it as UTF-8" in p, p


def test_unknown_label(seeded, settings, tmp_path):
    path, text = curated(tmp_path, "bad.yaml", entities=GOOD_ENTITIES + SECOND_ENTITY.replace(
        "label: Company", "label: Compnay"))
    line = line_of(text, "id: test-co-two")
    p = problem_at(rejected(seeded, settings, [path]), path, line)
    assert "unknown label 'Compnay'" in p and "did you mean 'Company'" in p, p


def test_unknown_relationship_type(seeded, settings, tmp_path):
    path, text = curated(tmp_path, "bad.yaml", facts=GOOD_FACTS.replace("type: SUPPLIES", "type: SUPPLYS"))
    line = line_of(text, "- from: test-co")
    p = problem_at(rejected(seeded, settings, [path]), path, line)
    assert "unknown relationship type 'SUPPLYS'" in p and "did you mean 'SUPPLIES'" in p, p
    assert "fact 1 (test-co -[SUPPLYS]-> test-co-two)" in p, p


def test_label_pair_not_allowed(seeded, settings, tmp_path):
    # REPRESENTS starts at a Person; test-co is a Company (defined in the same file).
    facts = fact("REPRESENTS", "test-co-two")
    p = refused(seeded, settings, tmp_path, at="- from: test-co", facts=facts)
    assert "REPRESENTS cannot start at a Company (test-co)" in p, p
    assert "the model allows Person -> Country|Company" in p, p


def test_label_pair_not_allowed_with_a_database_entity(seeded, settings, tmp_path):
    # OPERATES ends at a Plant; kamaz (only in the database) is a Company.
    facts = fact("OPERATES", "kamaz")
    p = refused(seeded, settings, tmp_path, at="- from: test-co", facts=facts)
    assert "OPERATES cannot end at a Company (kamaz)" in p, p
    assert "the model allows Company -> Plant" in p, p


def test_missing_required_property(seeded, settings, tmp_path):
    path, text = curated(tmp_path, "bad.yaml", entities=SECOND_ENTITY + GOOD_ENTITIES.replace(
        "properties: {kind: supplier}", "properties: {description: no kind here}"))
    p = problem_at(rejected(seeded, settings, [path]), path, line_of(text, "- id: test-co", exact=True))
    assert "entity test-co:" in p, p
    assert "required property `kind` of Company is missing; add it" in p, p
    assert "one of automaker" in p, p


def test_wrong_property_type(seeded, settings, tmp_path):
    p = refused(seeded, settings, tmp_path, at="- id: test-plant", entities=GOOD_ENTITIES + SECOND_ENTITY + plant("lots"))
    assert "entity test-plant" in p, p
    assert "`capacity_per_year` must be a integer, not 'lots'" in p or \
        "`capacity_per_year` must be an integer, not 'lots'" in p, p


def test_reference_to_an_entity_defined_nowhere(seeded, settings, tmp_path):
    # A typo of an id defined in the same file...
    p = refused(seeded, settings, tmp_path, at="- from: test-co", facts=GOOD_FACTS.replace("to: test-co-two", "to: test-co-tow"))
    assert "unknown entity 'test-co-tow'" in p and "defined neither in the input nor in the database" in p, p
    assert "did you mean 'test-co-two'" in p, p
    assert "Define it under entities, or fix the id" in p, p


def test_reference_to_a_misspelt_database_entity(seeded, settings, tmp_path):
    # ...and of an id that only the database knows: the suggestion comes from the database.
    p = refused(seeded, settings, tmp_path, at="- from: test-co", facts=GOOD_FACTS.replace("to: test-co-two", "to: saryarkavtoprom"))
    assert "unknown entity 'saryarkavtoprom'" in p, p
    assert "did you mean 'saryarkaavtoprom'" in p, p


def test_reference_to_an_entity_only_in_the_database_is_allowed(seeded, settings, tmp_path):
    facts = fact("SUPPLIES", "kamaz", "{goods: axles}")
    path, _ = curated(tmp_path, "ok.yaml", entities=GOOD_ENTITIES, facts=facts)
    before = counts(seeded, settings.database)
    load([path], driver=seeded, database=settings.database)
    with seeded.session(database=settings.database) as s:
        got = [r.data() for r in s.run(
            "MATCH (a:Company {id: 'test-co'})-[r:SUPPLIES]->(b:Company {id: 'kamaz'}) "
            "RETURN r.goods AS goods, r.sources AS sources, b.name AS name, "
            "[(src:Source)-[:MENTIONS]->(b) | src.id] AS kamaz_mentioned_by")]
    # kamaz is not listed in ok.yaml, so ok.yaml's source does not mention it.
    assert [dict(g, kamaz_mentioned_by=sorted(g["kamaz_mentioned_by"])) for g in got] == [
        {"goods": "axles", "sources": ["ok"], "name": "KAMAZ", "kamaz_mentioned_by": ["moskvich-jac-kamaz"]}]
    after = counts(seeded, settings.database)
    assert after["nodes"]["Company"] == before["nodes"]["Company"] + 1
    assert after["nodes"]["Source"] == before["nodes"]["Source"] + 1


def test_conflicting_properties_in_two_files(seeded, settings, tmp_path):
    a, _ = curated(tmp_path, "a.yaml", entities=GOOD_ENTITIES + SECOND_ENTITY + plant("1000"))
    b, text_b = curated(tmp_path, "b.yaml", entities=plant("2000") + GOOD_ENTITIES + SECOND_ENTITY)
    problems = rejected(seeded, settings, [a, b])
    p = problem_at(problems, b, line_of(text_b, "- id: test-plant"))
    assert "'test-plant' has capacity_per_year=2000 here but capacity_per_year=1000" in p, p
    assert f"at {a}:" in p and "make them agree" in p, p


def test_fact_without_a_quote(seeded, settings, tmp_path):
    facts = GOOD_FACTS.split("    quote:")[0]
    p = refused(seeded, settings, tmp_path, at="- from: test-co", facts=facts)
    assert "fact 1 (test-co -[SUPPLIES]-> test-co-two)" in p, p
    assert "`quote`" in p and "add it" in p, p


def test_file_without_a_source_block(seeded, settings, tmp_path):
    path, _ = curated(tmp_path, "bad.yaml", with_source=False)
    p = problem_at(rejected(seeded, settings, [path]), path)
    assert "`source`" in p and ("missing" in p.lower() or "required" in p.lower()), p
    assert "add it" in p, p


def test_quote_not_in_the_article(seeded, settings, tmp_path):
    wrong = GOOD_FACTS.replace(Q_KAMAZ, Q_KAMAZ.replace("Compass", "Compas"))
    p = refused(seeded, settings, tmp_path, at="- from: test-co", facts=wrong)
    assert "the quote does not occur in the article articles/moskvich-jac-kamaz.txt" in p, p
    assert "copy the sentence from the article" in p, p
    # Case is not normalised either.
    lower = GOOD_FACTS.replace(Q_KAMAZ, Q_KAMAZ.lower())
    path2, text2 = curated(tmp_path, "bad2.yaml", facts=lower)
    p = problem_at(rejected(seeded, settings, [path2]), path2, line_of(text2, "- from: test-co"))
    assert "the quote does not occur" in p, p


def test_quote_differing_only_in_whitespace_and_quote_marks_passes(seeded, settings, tmp_path):
    # Straight apostrophe for the article's curly one, a line break and doubled spaces.
    quote = Q_RENAULT.replace("\u2019", "'").replace(" by comparison,", "\n      by  comparison,")
    facts = f"""\
  - from: test-co
    type: SUPPLIES
    to: test-co-two
    properties: {{goods: axles}}
    quote: |-
      {quote}
"""
    path, _ = curated(tmp_path, "ok.yaml", facts=facts)
    load([path], driver=seeded, database=settings.database)
    with seeded.session(database=settings.database) as s:
        quotes = s.run("MATCH (:Company {id: 'test-co'})-[r:SUPPLIES]->() RETURN r.quotes AS q").single()["q"]
    assert quotes == [" ".join(Q_RENAULT.replace("\u2019", "'").split())]


# ---- CSV files ------------------------------------------------------------------------------------

def _rels(dir: Path, header: str, *rows: str) -> Path:
    """`rels.csv` in `dir`: the header, then the rows from line 2 on."""
    path = dir / "rels.csv"
    path.write_text(header + "\n" + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def _refused_rels(driver, settings, dir: Path, header: str, *rows: str, line: int) -> str:
    """`rels.csv` (with the `csv-source` file beside it) loaded and refused; the one problem, at `line`."""
    src = csv_source(dir)
    rels = _rels(dir, header, *rows)
    return problem_at(rejected(driver, settings, [src, rels]), rels, line)


def test_csv_row_with_the_wrong_number_of_cells(seeded, settings, tmp_path):
    nodes = tmp_path / "nodes.csv"
    nodes.write_text("id:ID,:LABEL,name,kind\n"
                     "csv-a,Company,CSV A,supplier\n"
                     "csv-b,Company,CSV B,supplier\n"
                     "csv-c,Company,CSV C, Inc.,supplier\n"   # line 4: an unquoted comma
                     "csv-d,Company,CSV D,supplier\n", encoding="utf-8")
    p = problem_at(rejected(seeded, settings, [nodes]), nodes, 4)
    assert "5 cells, the header has 4" in p and "quote cells that contain commas" in p, p


def test_csv_syntax_error(seeded, settings, tmp_path):
    nodes = tmp_path / "nodes.csv"
    nodes.write_text("id:ID,:LABEL,name,kind\n"
                     "csv-a,Company,CSV A,supplier\n"
                     'csv-b,Company,"CSV B,supplier\n'       # line 3: the quote is never closed
                     "csv-c,Company,CSV C,supplier\n"
                     "csv-d,Company,CSV D,supplier\n", encoding="utf-8")
    problems = rejected(seeded, settings, [nodes])
    p = problem_at(problems, nodes, 3)
    assert "CSV syntax error" in p and "quot" in p, p


@pytest.mark.parametrize("bad_line", [3, 400], ids=["in-the-first-block", "deep-in-the-file"])
def test_csv_file_not_utf8(seeded, settings, tmp_path, bad_line):
    # The reader decodes in blocks of some kilobytes: a bad byte far from the header must
    # still be reported at its own line, as an encoding problem (not as a quoting one).
    rows = ["id:ID,:LABEL,name,kind"] + [f"csv-{i},Company,Company {i},supplier" for i in range(2, 500)]
    rows[bad_line - 1] = f"csv-{bad_line},Company,Caf\u00e9 {bad_line},supplier"
    nodes = tmp_path / "nodes.csv"
    nodes.write_bytes(("\n".join(rows) + "\n").encode("latin-1"))
    p = problem_at(rejected(seeded, settings, [nodes]), nodes, bad_line)
    assert "not UTF-8" in p and "0xe9" in p and "save it as UTF-8" in p, p


def test_csv_relationship_between_labels_the_model_does_not_allow(seeded, settings, tmp_path):
    # Both ends exist only in the database: OPERATES must end at a Plant, jac is a Company.
    p = _refused_rels(seeded, settings, tmp_path, ":START_ID,:TYPE,:END_ID,source,quote",
                       f'moskvich,OPERATES,moskvich-plant,csv-source,"{Q_KAMAZ}"',
                       f'kamaz,OPERATES,jac,csv-source,"{Q_KAMAZ}"', line=3)
    assert "OPERATES cannot end at a Company (jac); the model allows Company -> Plant" in p, p


def test_csv_relationship_to_an_unknown_entity(seeded, settings, tmp_path):
    p = _refused_rels(seeded, settings, tmp_path, ":START_ID,:TYPE,:END_ID,goods,source,quote",
                       f'kamaz,SUPPLIES,jac,axles,csv-source,"{Q_KAMAZ}"',
                       f'kamaz,SUPPLIES,mosckvich,axles,csv-source,"{Q_KAMAZ}"', line=3)
    assert "unknown entity 'mosckvich'" in p and "did you mean 'moskvich'" in p, p


def test_csv_badly_typed_cell(seeded, settings, tmp_path):
    nodes = tmp_path / "plants.csv"
    nodes.write_text("id:ID,:LABEL,name,capacity_per_year:int\n"
                     "csv-plant-a,Plant,Plant A,1000\n"
                     "csv-plant-b,Plant,Plant B,lots\n"       # line 3
                     "csv-plant-c,Plant,Plant C,3000\n", encoding="utf-8")
    p = problem_at(rejected(seeded, settings, [nodes]), nodes, 3)
    assert "`capacity_per_year` must be integer, not 'lots'" in p and "fix the cell" in p, p


def test_csv_relationship_with_an_unknown_source(seeded, settings, tmp_path):
    p = _refused_rels(seeded, settings, tmp_path, ":START_ID,:TYPE,:END_ID,goods,source,quote",
                       f'kamaz,SUPPLIES,jac,axles,csv-source,"{Q_KAMAZ}"',
                       f'kamaz,SUPPLIES,moskvich,axles,csv-sauce,"{Q_KAMAZ}"', line=3)
    assert "unknown source 'csv-sauce'" in p and "did you mean 'csv-source'" in p, p
    assert "load its YAML file" in p, p


def test_csv_quote_not_in_the_article(seeded, settings, tmp_path):
    p = _refused_rels(seeded, settings, tmp_path, ":START_ID,:TYPE,:END_ID,goods,source,quote",
                      f'kamaz,SUPPLIES,jac,axles,csv-source,"{Q_KAMAZ}"',
                      'kamaz,SUPPLIES,moskvich,axles,csv-source,"KAMAZ supplies axles to Moskvich."', line=3)
    assert "the quote does not occur in the article" in p, p


def test_csv_quote_checked_against_a_source_already_in_the_database(seeded, settings, tmp_path):
    src = csv_source(tmp_path)
    load([src], driver=seeded, database=settings.database)
    rels = _rels(tmp_path, ":START_ID,:TYPE,:END_ID,goods,source,quote",
                 'kamaz,SUPPLIES,jac,axles,csv-source,"KAMAZ supplies axles to JAC."')
    p = problem_at(rejected(seeded, settings, [rels]), rels, 2)
    assert "the quote does not occur in the article" in p, p


def test_a_bad_file_among_good_ones_writes_nothing(seeded, settings, tmp_path):
    good_dir = tmp_path / "good"
    good_dir.mkdir()
    good, _ = curated(good_dir, "good.yaml")
    src = csv_source(good_dir)
    nodes = good_dir / "nodes.csv"
    nodes.write_text("id:ID,:LABEL,name,kind\ncsv-a,Company,CSV A,supplier\n", encoding="utf-8")
    rels = good_dir / "rels.csv"
    rels.write_text(":START_ID,:TYPE,:END_ID,goods,source,quote\n"
                    f'csv-a,SUPPLIES,kamaz,axles,csv-source,"{Q_KAMAZ}"\n', encoding="utf-8")
    bad_dir = tmp_path / "bad"
    bad_dir.mkdir()
    bad, text = curated(bad_dir, "bad.yaml", source_id="bad-one",
                        entities=GOOD_ENTITIES.replace("id: test-co", "id: other-co").replace(
                            "kind: supplier", "kind: superstar") + SECOND_ENTITY.replace(
                            "test-co-two", "other-co-two"),
                        facts=GOOD_FACTS.replace("test-co", "other-co"))
    # The good files alone are valid (checked without writing)...
    from motorgraph.loaders import validate
    assert validate([good, src, nodes, rels], seeded, settings.database).problems.items == []
    # ...but together with the bad one, nothing at all is written.
    problems = rejected(seeded, settings, [good, src, nodes, rels, bad])
    assert all(p.startswith(str(bad)) for p in problems), problems
    p = problem_at(problems, bad, line_of(text, "- id: other-co"))
    assert "`kind` must be one of" in p and "'superstar'" in p, p
    with seeded.session(database=settings.database) as s:
        assert s.run("MATCH (n) WHERE n.id IN ['test-co', 'csv-a', 'good', 'csv-source'] "
                     "RETURN count(n) AS c").single()["c"] == 0


# ---- through the command line -------------------------------------------------------------

def test_cli_reports_problems_without_a_traceback(seeded, settings, tmp_path):
    path, text = curated(tmp_path, "bad.yaml", facts=GOOD_FACTS.replace("type: SUPPLIES", "type: SUPPLYS"))
    line = line_of(text, "- from: test-co")
    before = state(seeded, settings)
    proc = subprocess.run([str(MOTORGRAPH), "load", str(path)], capture_output=True, text=True,
                          env=dict(os.environ), timeout=180)
    assert proc.returncode != 0, (proc.stdout, proc.stderr)
    assert proc.stderr.startswith("Error: 1 problem(s) in the input; nothing was written"), proc.stderr
    assert f"{path}:{line}:" in proc.stderr and "did you mean 'SUPPLIES'" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "Loaded" not in proc.stdout
    assert state(seeded, settings) == before
