"""CSV rows are checked like YAML records and against each other: ids follow the one id rule,
a node or a column given twice is an error, a node given in YAML and in CSV must agree, a
byte order mark is read as such, a file with another delimiter says so, and a cell escaped
against spreadsheet formulas reads back as written.

Before, each of these bad files loaded (keeping the last row, the last column, or whichever
batch committed last). Each is now rejected with its file:line and fix, and the graph is
byte-for-byte unchanged.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from inputs import GOOD_ENTITIES, Q_KAMAZ, SECOND_ENTITY, csv_source, curated, line_of, problem_at, rejected
from motorgraph.loaders import load

ID_FIX = "ids are lowercase a-z, 0-9 and '-', starting with a letter or digit"


def csv_file(dir: Path, name: str, *lines: str) -> Path:
    path = dir / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def node_props(driver, settings, ident: str) -> dict | None:
    rec = driver.execute_query("MATCH (n {id: $id}) RETURN properties(n) AS p", id=ident,
                               database_=settings.database).records
    return rec[0]["p"] if rec else None


# ---- ids: the same rule as YAML ---------------------------------------------------------

BAD_IDS = {
    "empty": ("", "the id is empty; give every entity an id"),
    "uppercase": ("csv-B", "it contains the uppercase letter 'B'"),
    "spaced": ("csv b", "it contains a space"),
    "padded": (" csv-b", "it contains a space"),
    "cyrillic": ("csv-\u0432", "(U+0432 CYRILLIC SMALL LETTER VE)"),
    "homoglyph": ("\u0441sv-b", "(U+0441 CYRILLIC SMALL LETTER ES)"),  # looks like "csv-b"
    "fullwidth": ("csv-\uff42", "(U+FF42 FULLWIDTH LATIN SMALL LETTER B)"),
    "leading-dash": ("-csv-b", "it starts with '-'"),
}


@pytest.mark.parametrize("case", BAD_IDS, ids=list(BAD_IDS))
def test_csv_ids_follow_the_yaml_id_rule(seeded, settings, tmp_path, case):
    ident, why = BAD_IDS[case]
    nodes = csv_file(tmp_path, "nodes.csv", "id:ID,:LABEL,name,kind", "csv-a,Company,CSV A,supplier",
                     f'"{ident}",Company,CSV B,supplier')
    p = problem_at(rejected(seeded, settings, [nodes]), nodes, 3)
    assert why in p, p
    if ident:
        assert f"id {ident!r} is not valid" in p and ID_FIX in p, p
    # The same id is refused in a curated YAML file (one rule for both formats).
    entities = GOOD_ENTITIES + SECOND_ENTITY.replace("id: test-co-two", f'id: "{ident}"')
    path, text = curated(tmp_path, "ids.yaml", entities=entities, facts="  []\n")
    p = problem_at(rejected(seeded, settings, [path]), path, line_of(text, "name: Test Co Two") - 2)
    assert "`id`: string should match pattern" in p, p


# ---- the same node, column or fact twice ------------------------------------------------

def test_a_node_given_on_two_rows_is_an_error_naming_both(seeded, settings, tmp_path):
    nodes = csv_file(tmp_path, "nodes.csv", "id:ID,:LABEL,name,kind", "csv-a,Company,CSV A,supplier",
                     "csv-b,Company,CSV B,supplier", "csv-a,Company,CSV A,automaker")
    p = problem_at(rejected(seeded, settings, [nodes]), nodes, 4)
    assert f"node 'csv-a' is defined twice in the CSV input: also at {nodes}:2: node csv-a" in p, p
    assert "give each node one row" in p, p


def test_a_node_given_in_two_csv_files_is_an_error(seeded, settings, tmp_path):
    a = csv_file(tmp_path, "a.csv", "id:ID,:LABEL,name,kind", "csv-a,Company,CSV A,supplier")
    b = csv_file(tmp_path, "b.csv", "id:ID,:LABEL,name,kind", "csv-b,Company,CSV B,supplier",
                 "csv-a,Company,CSV A,supplier")
    p = problem_at(rejected(seeded, settings, [a, b]), b, 3)
    assert f"also at {a}:2" in p, p


@pytest.mark.parametrize("header,first,second", [
    ("id:ID,:LABEL,name,kind,name", 3, 5),
    ("id:ID,:LABEL,name,founded:int,kind,founded", 4, 6),
    ("id:ID,:LABEL,name,kind,:ID", 1, 5),
], ids=["name", "typed-and-untyped", "id"])
def test_a_column_given_twice_is_an_error_at_the_header(seeded, settings, tmp_path, header, first, second):
    cells = {"id:ID": "csv-a", ":ID": "csv-a", ":LABEL": "Company", "name": "CSV A", "kind": "supplier",
             "founded:int": "1990", "founded": "1991"}
    nodes = csv_file(tmp_path, "nodes.csv", header, ",".join(cells[h] for h in header.split(",")))
    p = problem_at(rejected(seeded, settings, [nodes]), nodes, 1)
    column = header.split(",")[second - 1]
    assert f"column `{column}` is in the header twice (columns {first} and {second}); keep one" in p, p


REL_HEADER = ":START_ID,:TYPE,:END_ID,goods,source,quote"


def test_a_fact_given_twice_for_one_source_is_an_error_naming_both(seeded, settings, tmp_path):
    src = csv_source(tmp_path, "csv-source")
    rels = csv_file(tmp_path, "rels.csv", REL_HEADER,
                    f'kamaz,SUPPLIES,jac,axles,csv-source,"{Q_KAMAZ}"',
                    f'kamaz,SUPPLIES,moskvich,axles,csv-source,"{Q_KAMAZ}"',
                    f'kamaz,SUPPLIES,jac,engines,csv-source,"{Q_KAMAZ}"')   # line 4: line 2 again
    p = problem_at(rejected(seeded, settings, [src, rels]), rels, 4)
    assert p.startswith(f"{rels}:4: relationship kamaz -[SUPPLIES]-> jac: the fact is given twice for source "
                        f"'csv-source': also at {rels}:2"), p
    assert "give each fact one row per source" in p, p


def test_a_fact_with_a_key_given_twice_names_the_key(seeded, settings, tmp_path):
    src = csv_source(tmp_path, "csv-source")
    rels = csv_file(tmp_path, "rels.csv", ":START_ID,:TYPE,:END_ID,on,source,quote",
                    f'kamaz,PARTNERS_WITH,jac,vans,csv-source,"{Q_KAMAZ}"',
                    f'kamaz,PARTNERS_WITH,jac,trucks,csv-source,"{Q_KAMAZ}"',   # another key: another fact
                    f'kamaz,PARTNERS_WITH,jac,vans,csv-source,"{Q_KAMAZ}"')
    p = problem_at(rejected(seeded, settings, [src, rels]), rels, 4)
    assert f"the fact with on='vans' is given twice for source 'csv-source': also at {rels}:2" in p, p


def test_the_same_fact_from_two_sources_merges_its_evidence(seeded, settings, tmp_path):
    src_a, src_b = csv_source(tmp_path, "csv-source-a"), csv_source(tmp_path, "csv-source-b")
    rels = csv_file(tmp_path, "rels.csv", REL_HEADER,
                    f'kamaz,SUPPLIES,jac,axles,csv-source-a,"{Q_KAMAZ}"',
                    f'kamaz,SUPPLIES,jac,axles,csv-source-b,"{Q_KAMAZ}"')
    load([src_a, src_b, rels], driver=seeded, database=settings.database)
    got = seeded.execute_query("MATCH (:Company {id: 'kamaz'})-[r:SUPPLIES]->(:Company {id: 'jac'}) "
                               "RETURN r.sources AS s, r.goods AS g", database_=settings.database).records
    assert [(r["s"], r["g"]) for r in got] == [(["csv-source-a", "csv-source-b"], "axles")]


# ---- one node in YAML and in CSV --------------------------------------------------------

@pytest.mark.parametrize("row,message", [
    ("test-co,Company,Test Company,supplier", "'test-co' is named 'Test Company' here but 'Test Co' at {yaml}:{line}"),
    ("test-co,Company,Test Co,automaker", "'test-co' has kind='automaker' here but kind='supplier' at {yaml}:{line}"),
    ("test-co,Brand,Test Co,", "'test-co' is a Brand here but a Company at {yaml}:{line}"),
], ids=["name", "property", "label"])
def test_a_node_defined_differently_in_yaml_and_csv_names_both(seeded, settings, tmp_path, row, message):
    yaml, text = curated(tmp_path, "yaml-side.yaml")
    nodes = csv_file(tmp_path, "nodes.csv", "id:ID,:LABEL,name,kind", "csv-a,Company,CSV A,supplier", row)
    p = problem_at(rejected(seeded, settings, [yaml, nodes]), nodes, 3)
    assert message.format(yaml=yaml, line=line_of(text, "- id: test-co", exact=True)) in p, p


def test_a_node_given_alike_in_yaml_and_csv_loads(seeded, settings, tmp_path):
    """Agreeing definitions are allowed (as between two YAML files): a CSV row may add aliases."""
    yaml, _ = curated(tmp_path, "yaml-side.yaml")
    nodes = csv_file(tmp_path, "nodes.csv", "id:ID,:LABEL,name,aliases:string[],kind",
                     "test-co,Company,Test Co,TCO,supplier")
    load([yaml, nodes], driver=seeded, database=settings.database)
    props = node_props(seeded, settings, "test-co")
    assert (props["name"], props["aliases"], props["kind"]) == ("Test Co", ["TCO"], "supplier")


def test_a_node_given_in_yaml_and_on_two_csv_rows_is_a_duplicate(seeded, settings, tmp_path):
    yaml, _ = curated(tmp_path, "yaml-side.yaml")
    nodes = csv_file(tmp_path, "nodes.csv", "id:ID,:LABEL,name,kind", "test-co,Company,Test Co,supplier",
                     "test-co,Company,Test Co,supplier")
    p = problem_at(rejected(seeded, settings, [yaml, nodes]), nodes, 3)
    assert f"node 'test-co' is defined twice in the CSV input: also at {nodes}:2" in p, p


def test_a_fact_in_yaml_and_csv_with_other_values_names_both(seeded, settings, tmp_path):
    yaml, text = curated(tmp_path, "yaml-side.yaml")
    rels = csv_file(tmp_path, "rels.csv", REL_HEADER,
                    f'test-co,SUPPLIES,test-co-two,engines,yaml-side,"{Q_KAMAZ}"')
    p = problem_at(rejected(seeded, settings, [yaml, rels]), rels, 2)
    assert (f"test-co -[SUPPLIES]-> test-co-two has goods='engines' here but goods='axles' at "
            f"{yaml}:{line_of(text, '- from: test-co')}") in p, p


# ---- encoding, delimiter, spreadsheet escapes --------------------------------------------

def test_a_byte_order_mark_is_not_part_of_the_first_column(seeded, settings, tmp_path):
    nodes = tmp_path / "nodes.csv"
    nodes.write_bytes("name,id:ID,:LABEL,kind\nBOM Co,csv-bom,Company,supplier\n".encode("utf-8-sig"))
    load([nodes], driver=seeded, database=settings.database)
    props = node_props(seeded, settings, "csv-bom")
    assert (props["name"], props["kind"]) == ("BOM Co", "supplier")


@pytest.mark.parametrize("sep,name", [(";", "semicolons"), ("\t", "tabs")], ids=["semicolon", "tab"])
def test_another_delimiter_is_named(seeded, settings, tmp_path, sep, name):
    nodes = csv_file(tmp_path, "nodes.csv", sep.join(["id:ID", ":LABEL", "name", "kind"]),
                     sep.join(["csv-a", "Company", "CSV A", "supplier"]))
    p = problem_at(rejected(seeded, settings, [nodes]), nodes, 1)
    assert f"the header is separated by {name}, but the delimiter is `,`" in p, p
    assert "save the file with commas between the cells" in p and "unknown type" not in p, p


def test_a_quote_before_a_formula_character_is_removed(seeded, settings, tmp_path):
    """`motorgraph export` writes `'=...` so a spreadsheet shows text; the loader reads it back."""
    nodes = csv_file(tmp_path, "nodes.csv", "id:ID,:LABEL,name,aliases:string[],kind,description",
                     "csv-f1,Company,'=SUM(A1),'@home;'-x,supplier,'-5 bar",
                     "csv-f2,Company,''+1,,supplier,'plain 'text'")
    load([nodes], driver=seeded, database=settings.database)
    f1, f2 = node_props(seeded, settings, "csv-f1"), node_props(seeded, settings, "csv-f2")
    assert (f1["name"], f1["aliases"], f1["description"]) == ("=SUM(A1)", ["'-x", "@home"], "-5 bar")
    # One quote is removed, and only before a formula character.
    assert (f2["name"], f2["description"]) == ("'+1", "'plain 'text'")
