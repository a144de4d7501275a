"""Values the model cannot mean are refused, YAML and CSV alike, by the rules in schema/model.yaml.

NaN and infinity, control characters and invisible direction marks, blank names and names
with stray spaces, one-word quotes, numbers outside their range, relationships from an entity
to itself, article files outside the curated file's folder and dates that are not dates:
each is rejected with its file and line (or CSV record) and the fix, and the graph is
unchanged. (tests/test_input_sizes.py covers values too large for an index.)
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from inputs import (GOOD_ENTITIES, GOOD_FACTS, Q_KAMAZ, SECOND_ENTITY, article, csv_source, curated, line_of,
                    problem_at, rejected)
from motorgraph.loaders import load
from motorgraph.loaders.checks import build_plan
from motorgraph.model import load_model, parse_model
from motorgraph import yamlio

OWNS = GOOD_FACTS.replace("type: SUPPLIES", "type: OWNS").replace("{goods: axles}", "{share_percent: SHARE}")
PLANT = "  - id: test-plant\n    label: Plant\n    name: Test Plant\n    properties: PROPS\n"


def _csv(dir: Path, name: str, text: str) -> Path:
    path = dir / name
    path.write_text(text, encoding="utf-8")
    return path


# ---- numbers ------------------------------------------------------------------------------

@pytest.mark.parametrize("written, shown", [(".nan", "nan"), (".inf", "inf"), ("-.inf", "-inf")])
def test_a_float_must_be_finite_in_yaml(seeded, settings, tmp_path, written, shown):
    path, text = curated(tmp_path, "nan.yaml", facts=OWNS.replace("SHARE", written))
    p = problem_at(rejected(seeded, settings, [path]), path, line_of(text, "- from: test-co"))
    assert f"`share_percent` must be a finite number, not {shown}; give the number or leave it out" in p, p


@pytest.mark.parametrize("cell, shown", [("nan", "nan"), ("inf", "inf"), ("-Infinity", "-inf"), ("1e999", "inf")])
def test_a_float_must_be_finite_in_csv(seeded, settings, tmp_path, cell, shown):
    rels = _csv(tmp_path, "rels.csv", ":START_ID,:TYPE,:END_ID,share_percent:float,source,quote\n"
                f'kamaz,OWNS,jac,10,csv-source,"{Q_KAMAZ}"\n'
                f'kamaz,OWNS,moskvich,{cell},csv-source,"{Q_KAMAZ}"\n')
    p = problem_at(rejected(seeded, settings, [csv_source(tmp_path), rels]), rels, 3)
    assert p.startswith(f"{rels}:3: relationship kamaz -[OWNS]-> moskvich: "), p
    assert f"`share_percent` must be a finite number, not {shown}" in p, p


@pytest.mark.parametrize("prop, value, rule", [
    ("capacity_per_year", "-1", "at least 0"),
    ("founded", "1066", "from 1600 to 2100"),
    ("founded", "20230", "from 1600 to 2100"),
])
def test_a_number_outside_its_range_in_yaml(seeded, settings, tmp_path, prop, value, rule):
    entity = (PLANT.replace("PROPS", f"{{capacity_per_year: {value}}}") if prop == "capacity_per_year"
              else GOOD_ENTITIES.replace("{kind: supplier}", f"{{kind: supplier, founded: {value}}}"))
    entities = entity + SECOND_ENTITY + (GOOD_ENTITIES if prop == "capacity_per_year" else "")
    path, text = curated(tmp_path, "range.yaml", entities=entities)
    line = line_of(text, "- id: test-plant" if prop == "capacity_per_year" else "- id: test-co")
    p = problem_at(rejected(seeded, settings, [path]), path, line)
    assert f"`{prop}` must be {rule}, not {value}; fix the value" in p, p


@pytest.mark.parametrize("header, cell, rule", [
    ("share_percent:float", "100.5", "from 0 to 100"),
    ("share_percent:float", "-3", "from 0 to 100"),
])
def test_a_share_outside_0_to_100_in_csv(seeded, settings, tmp_path, header, cell, rule):
    rels = _csv(tmp_path, "rels.csv", f":START_ID,:TYPE,:END_ID,{header},source,quote\n"
                f'kamaz,OWNS,moskvich,{cell},csv-source,"{Q_KAMAZ}"\n')
    p = problem_at(rejected(seeded, settings, [csv_source(tmp_path), rels]), rels, 2)
    assert f"`share_percent` must be {rule}, not {float(cell)}; fix the value" in p, p


def test_a_negative_ev_range_in_csv(seeded, settings, tmp_path):
    nodes = _csv(tmp_path, "models.csv", "id:ID,:LABEL,name,ev_range_km:int\n"
                 "csv-ev,VehicleModel,CSV EV,300\ncsv-ev-2,VehicleModel,CSV EV 2,-300\n")
    p = problem_at(rejected(seeded, settings, [nodes]), nodes, 3)
    assert p == f"{nodes}:3: node csv-ev-2: `ev_range_km` must be at least 0, not -300; fix the value", p


# ---- characters ---------------------------------------------------------------------------

CHARS = [("\\0", "U+0000 (NUL)"), ("\\e", "U+001B (ESC)"), ("\\t", "U+0009 (TAB)"),
         ("\\x85", "U+0085 (a control character)"), ("\\u202E", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
         ("\\u2066", "U+2066 (LEFT-TO-RIGHT ISOLATE)"), ("\\u200F", "U+200F (RIGHT-TO-LEFT MARK)"),
         ("\\u061C", "U+061C (ARABIC LETTER MARK)")]


@pytest.mark.parametrize("field", ["name", "aliases", "goods"])
@pytest.mark.parametrize("escape, named", CHARS, ids=[c[1].split()[0] for c in CHARS])
def test_invisible_characters_are_refused_in_yaml(seeded, settings, tmp_path, field, escape, named):
    # Written as YAML escapes: raw control characters are refused by the YAML reader already.
    entities, facts = GOOD_ENTITIES + SECOND_ENTITY, GOOD_FACTS
    if field == "name":
        entities = entities.replace("name: Test Co\n", f'name: "Test{escape}Co"\n')
    elif field == "aliases":
        entities = entities.replace("name: Test Co\n", f'name: Test Co\n    aliases: [TC, "T{escape}C"]\n')
    else:
        facts = facts.replace("{goods: axles}", f'{{goods: "ax{escape}les"}}')
    path, text = curated(tmp_path, "chars.yaml", entities=entities, facts=facts)
    line = line_of(text, "- from: test-co" if field == "goods" else "- id: test-co", exact=True)
    p = problem_at(rejected(seeded, settings, [path]), path, line)
    what, at = {"name": ("`name`", 5), "aliases": ("`aliases` item 2", 2), "goods": ("`goods`", 3)}[field]
    assert p.endswith(f"{what} holds the invisible character {named} at character {at}; remove it"), p


@pytest.mark.parametrize("escape, named", [("\\e", "U+001B (ESC)"), ("\\u202D", "U+202D (LEFT-TO-RIGHT OVERRIDE)")])
def test_invisible_characters_are_refused_in_a_quote_and_a_description(seeded, settings, tmp_path, escape, named):
    """Multi-line text may hold line breaks and tabs (the description's line break passes), nothing else
    invisible."""
    facts = GOOD_FACTS.replace(f"quote: {Q_KAMAZ}", f'quote: "{Q_KAMAZ[:20]}{escape}{Q_KAMAZ[20:]}"')
    entities = GOOD_ENTITIES.replace("{kind: supplier}", f'{{kind: supplier, description: "one\\ntwo{escape}"}}')
    path, text = curated(tmp_path, "quote.yaml", entities=entities + SECOND_ENTITY, facts=facts)
    problems = rejected(seeded, settings, [path])
    p = problem_at(problems, path, line_of(text, "- from: test-co"), alone=False)
    assert f"`quote` holds the invisible character {named} at character 21; remove it" in p, p
    p = problem_at(problems, path, line_of(text, "- id: test-co", exact=True), alone=False)
    assert f"`description` holds the invisible character {named} at character 8; remove it" in p, p
    assert len(problems) == 2, problems


def test_invisible_characters_are_refused_in_csv(seeded, settings, tmp_path):
    nodes = _csv(tmp_path, "nodes.csv", "id:ID,:LABEL,name,aliases:string[],kind\n"
                 "csv-a,Company,CSV A,,supplier\n"
                 "csv-b,Company,CSV\u202eB,,supplier\n"
                 "csv-c,Company,CSV C,C;C\x1bC,supplier\n"
                 "csv-d,Company,CSV D,,supp\x00lier\n")
    problems = rejected(seeded, settings, [nodes])
    assert problems == [
        f"{nodes}:3: node csv-b: `name` holds the invisible character U+202E (RIGHT-TO-LEFT OVERRIDE) "
        "at character 4; remove it",
        f"{nodes}:4: node csv-c: `aliases` item 2 holds the invisible character U+001B (ESC) at character 2; "
        "remove it",
        f"{nodes}:5: node csv-d: `kind` holds the invisible character U+0000 (NUL) at character 5; remove it",
    ], problems


# ---- blank values and stray spaces ----------------------------------------------------------

@pytest.mark.parametrize("written, message", [
    ('name: "   "', "`name` is blank; give it a value or leave it out"),
    ('name: " Test Co"', "`name` begins or ends with a space (' Test Co'); remove the space"),
    ('name: "Test Co\\u00a0"', "`name` begins or ends with a space ('Test Co\\xa0'); remove the space"),
    ('name: Test Co\n    aliases: [TC, " "]', "`aliases` item 2 is blank; give it a value or leave it out"),
    ('name: Test Co\n    aliases: ["TC "]', "`aliases` item 1 begins or ends with a space ('TC '); remove the space"),
], ids=["blank-name", "leading-space", "trailing-nbsp", "blank-alias", "alias-space"])
def test_blank_names_and_stray_spaces_are_refused(seeded, settings, tmp_path, written, message):
    entities = GOOD_ENTITIES.replace("name: Test Co", written) + SECOND_ENTITY
    path, text = curated(tmp_path, "blank.yaml", entities=entities)
    p = problem_at(rejected(seeded, settings, [path]), path, line_of(text, "- id: test-co", exact=True))
    assert p.endswith(message), p


def test_blank_and_padded_csv_cells_are_refused(seeded, settings, tmp_path):
    nodes = _csv(tmp_path, "nodes.csv", "id:ID,:LABEL,name,aliases:string[],kind\n"
                 "csv-a,Company, ,,supplier\n"
                 "csv-b,Company,CSV B,B ;BB,supplier\n")
    problems = rejected(seeded, settings, [nodes])
    assert problems == [
        f"{nodes}:2: node csv-a: `name` is blank; give it a value or leave it out",
        f"{nodes}:3: node csv-b: `aliases` item 1 begins or ends with a space ('B '); remove the space",
    ], problems


# ---- quotes ---------------------------------------------------------------------------------

@pytest.mark.parametrize("quote, chars, words", [("a", 1, 1), ("KAMAZ", 5, 1), ("of the", 6, 2)])
def test_a_quote_must_be_a_sentence(seeded, settings, tmp_path, quote, chars, words):
    """Each of these occurs in the article, but says nothing on its own."""
    path, text = curated(tmp_path, "short.yaml", facts=GOOD_FACTS.replace(f"quote: {Q_KAMAZ}", f"quote: {quote}"))
    p = problem_at(rejected(seeded, settings, [path]), path, line_of(text, "- from: test-co"))
    assert p.endswith(f"`quote` is too short ({chars} characters, {words} words): it needs at least 2 words and "
                      "8 characters; quote the whole sentence"), p


def test_a_short_quote_in_csv(seeded, settings, tmp_path):
    rels = _csv(tmp_path, "rels.csv", ":START_ID,:TYPE,:END_ID,goods,source,quote\n"
                f'kamaz,SUPPLIES,jac,axles,csv-source,"{Q_KAMAZ}"\n'
                "kamaz,SUPPLIES,moskvich,axles,csv-source,JAC\n")
    p = problem_at(rejected(seeded, settings, [csv_source(tmp_path), rels]), rels, 3)
    assert "`quote` is too short (3 characters, 1 words)" in p, p


# ---- relationships from an entity to itself ---------------------------------------------------

def test_a_relationship_from_an_entity_to_itself(seeded, settings, tmp_path):
    facts = GOOD_FACTS.replace("to: test-co-two", "to: test-co")
    path, text = curated(tmp_path, "self.yaml", facts=facts)
    p = problem_at(rejected(seeded, settings, [path]), path, line_of(text, "- from: test-co"))
    assert p.endswith("a SUPPLIES from 'test-co' to itself means nothing in the model; fix `from` or `to`"), p

    rels = _csv(tmp_path, "rels.csv", ":START_ID,:TYPE,:END_ID,on,source,quote\n"
                f'kamaz,PARTNERS_WITH,kamaz,trucks,csv-source,"{Q_KAMAZ}"\n')
    p = problem_at(rejected(seeded, settings, [csv_source(tmp_path), rels]), rels, 2)
    assert "a PARTNERS_WITH from 'kamaz' to itself means nothing in the model" in p, p


def test_a_type_with_allow_self_takes_a_self_loop(tmp_path):
    """The model may allow a self-loop per type (none does today); checked without a database."""
    with open(load_model().source_file, encoding="utf-8") as fh:
        raw = yamlio.load(fh)
    raw["relationships"]["SUPPLIES"]["allow_self"] = True
    path, _ = curated(tmp_path, "self.yaml", facts=GOOD_FACTS.replace("to: test-co-two", "to: test-co"))
    assert build_plan([path], parse_model(raw)).problems.items == []
    assert build_plan([path], load_model()).problems.items != []


def test_a_misspelt_rule_in_the_model_file_is_an_error():
    with open(load_model().source_file, encoding="utf-8") as fh:
        raw = yamlio.load(fh)
    raw["labels"]["Plant"]["properties"]["capacity_per_year"]["mn"] = 0
    with pytest.raises(ValueError, match=r"Plant.capacity_per_year: unknown key\(s\) \['mn'\]"):
        parse_model(raw)


# ---- the article lives beside the curated file ------------------------------------------------

def _outside(tmp_path: Path, how: str) -> tuple[Path, str]:
    """A curated file in tmp_path/cur whose source.file reaches outside tmp_path/cur."""
    rel, sha = article(tmp_path)  # tmp_path/articles/..., outside tmp_path/cur
    cur = tmp_path / "cur"
    cur.mkdir()
    if how == "absolute":
        (cur / "articles").mkdir()
        file = str(cur / "articles" / Path(rel).name)
        article(cur)
    elif how == "dotdot":
        file = f"../{rel}"
    else:
        (cur / "articles").mkdir()
        os.symlink(tmp_path / rel, cur / "articles" / "link.txt")
        file = "articles/link.txt"
    text = (f"source:\n  id: outside\n  title: A test article\n  file: {file}\n  sha256: {sha}\n"
            "entities:\n" + GOOD_ENTITIES + SECOND_ENTITY + "facts:\n" + GOOD_FACTS)
    path = cur / "outside.yaml"
    path.write_text(text, encoding="utf-8")
    return path, file


@pytest.mark.parametrize("how", ["absolute", "dotdot", "symlink"])
def test_source_file_outside_the_curated_files_folder(seeded, settings, tmp_path, how):
    path, file = _outside(tmp_path, how)
    p = problem_at(rejected(seeded, settings, [path]), path, 2)
    assert p == (f"{path}:2: source outside: source.file {file!r} is outside this file's folder; put the article "
                 "in the folder of this file or below (e.g. articles/NAME.txt) and give that relative path"), p


# ---- dates ----------------------------------------------------------------------------------

DATE_FIX = "must be a real date written YYYY-MM-DD, YYYY-MM or YYYY, not"


@pytest.mark.parametrize("where", ["fact", "entity", "source"])
@pytest.mark.parametrize("written, shown", [("20230101", "20230101"), ("2023-01-01T10:00:00", "'2023-01-01T10:00:00'"),
                                            ("99", "99")])
def test_a_date_that_is_not_a_date_in_yaml(seeded, settings, tmp_path, where, written, shown):
    entities, facts = GOOD_ENTITIES + SECOND_ENTITY, GOOD_FACTS
    if where == "fact":
        facts = facts.replace("    quote:", f"    since: {written}\n    quote:")
    elif where == "entity":
        entities += PLANT.replace("PROPS", f"{{opened: {written}}}")
    path, text = curated(tmp_path, "date.yaml", entities=entities, facts=facts)
    if where == "source":
        text = text.replace("  title: A test article\n", f"  title: A test article\n  date: {written}\n")
        path.write_text(text, encoding="utf-8")
    line = 2 if where == "source" else line_of(text, "- from: test-co" if where == "fact" else "- id: test-plant")
    field = {"fact": "since", "entity": "opened", "source": "source.date"}[where]
    p = problem_at(rejected(seeded, settings, [path]), path, line)
    assert p.endswith(f"`{field}` {DATE_FIX} {shown}"), p


def test_a_bare_year_is_a_date_everywhere(seeded, settings, tmp_path):
    entities = GOOD_ENTITIES + SECOND_ENTITY + PLANT.replace("PROPS", "{opened: 2019}")
    path, text = curated(tmp_path, "year.yaml", entities=entities,
                         facts=GOOD_FACTS.replace("    quote:", "    since: 2021\n    quote:"))
    path.write_text(text.replace("  title: A test article\n", "  title: A test article\n  date: 2023\n"),
                    encoding="utf-8")
    load([path], driver=seeded, database=settings.database)
    got = seeded.execute_query(
        "MATCH (p:Plant {id: 'test-plant'}), (:Company {id: 'test-co'})-[r:SUPPLIES]->(), (s:Source {id: 'year'}) "
        "RETURN p.opened AS opened, r.since AS since, s.date AS date", database_=settings.database).records
    assert [dict(r) for r in got] == [{"opened": "2019", "since": "2021", "date": "2023"}]


@pytest.mark.parametrize("cell", ["2023-01-01T10:00:00", "20230101", "2023-02-30"])
def test_a_date_that_is_not_a_date_in_csv(seeded, settings, tmp_path, cell):
    nodes = _csv(tmp_path, "plants.csv", "id:ID,:LABEL,name,opened:date\n"
                 "csv-plant-a,Plant,Plant A,2020-05\n"
                 f"csv-plant-b,Plant,Plant B,{cell}\n")
    p = problem_at(rejected(seeded, settings, [nodes]), nodes, 3)
    assert p == f"{nodes}:3: node csv-plant-b: `opened` {DATE_FIX} {cell!r}", p
