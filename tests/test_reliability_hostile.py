"""Reliability: hostile input against a real Neo4j, with nothing written on refusal.

Hypothesis fuzz of the YAML and CSV loader (only ValidationFailed or success; the database
unchanged on failure) and of saved-query parameters (a QueryError or a result; the
database unchanged), plus the hostile inputs that once crashed the loader half-way.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from conftest import counts, dump
from harness.data import write_fuzz_base
from harness.hostile import (
    CSV_NODE_COLUMNS, CSV_REL_COLUMNS, HOSTILE_NUMBERS, HOSTILE_SNIPPETS, HOSTILE_STRINGS, del_path,
    set_path, value_paths
)
from harness.processes import (
    run_cli
)
from motorgraph.errors import QueryError, ValidationFailed
from motorgraph.loaders import load

FUZZ = hsettings(max_examples=40, deadline=None, database=None, derandomize=False,
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                        HealthCheck.data_too_large, HealthCheck.filter_too_much])


def _load(driver, settings, paths):
    return load([Path(p) for p in paths], driver=driver, database=settings.database, show_progress=False)



# ---- hostile YAML --------------------------------------------------------------------------

@pytest.fixture
def fuzz_dir(tmp_path):
    base = write_fuzz_base(tmp_path)
    return tmp_path, base


def _load_or_reject(db, settings, path):
    """Load `path`: ValidationFailed leaves the database exactly as it was; anything else
    than ValidationFailed or success (a traceback) fails the test."""
    before = dump(db, settings.database)
    try:
        _load(db, settings, [path])
    except ValidationFailed as exc:
        assert dump(db, settings.database) == before, f"a rejected input changed the database: {exc}"
        assert exc.problems and all(isinstance(p, str) and p for p in exc.problems)
        assert len(str(exc)) < 200_000, "the error message is unbounded"
        return False
    return True


def _write_text(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    return path


KEYS = st.sampled_from(["id", "label", "name", "aliases", "properties", "kind", "on", "from", "to",
                        "type", "quote", "status", "since", "founded", "ev_range_km", "x", ""])
SCALARS = (st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=True)
           | st.sampled_from(HOSTILE_STRINGS) | st.sampled_from(HOSTILE_NUMBERS)
           | st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=20)
           | st.text(max_size=5) | st.dates() | st.datetimes())
VALUES = st.recursive(SCALARS, lambda ch: st.lists(ch, max_size=3) | st.dictionaries(KEYS, ch, max_size=3),
                      max_leaves=6)


@FUZZ
@given(data=st.data())
def test_fuzz_yaml_loader(db, settings, fuzz_dir, data):
    folder, base = fuzz_dir
    doc = base
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        paths = [p for p, _ in value_paths(doc)]
        path = paths[data.draw(st.integers(0, len(paths) - 1), label="path")]
        op = data.draw(st.sampled_from(["set", "delete", "add"]), label="op")
        if op == "set":
            doc = set_path(doc, path, data.draw(VALUES, label="value"))
        elif op == "delete" and path:
            doc = del_path(doc, path)
        elif isinstance(doc, dict):
            doc = dict(doc, **{data.draw(KEYS, label="key"): data.draw(VALUES, label="new")})
    try:
        text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    except yaml.YAMLError:
        text = yaml.safe_dump(base)
    for _ in range(data.draw(st.integers(0, 2), label="splices")):
        pos = data.draw(st.integers(0, len(text)), label="pos")
        snippet = data.draw(st.sampled_from(HOSTILE_SNIPPETS) | st.text(max_size=4), label="snippet")
        text = text[:pos] + snippet + text[pos:]
    if data.draw(st.booleans(), label="truncate"):
        text = text[: data.draw(st.integers(0, len(text)), label="cut")]
    _load_or_reject(db, settings, _write_text(folder / "doc.yaml", text))


def _base_text(base: dict) -> str:
    return yaml.safe_dump(base, sort_keys=False, allow_unicode=True)


BOMB = "[" + ", ".join(['&a ["x","x","x","x","x","x","x","x","x"]'] + [
    f"&{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(6)]) + "]"  # 9**7 leaves

# Inputs that crashed the loader (a traceback, some after a partial write) before the fixes
# in loaders/curated.py, loaders/csvbulk.py and motorgraph/model.py.
YAML_CASES = {
    "impossible date (ValueError from the YAML parser)": lambda t: t.replace("date: 2024-05", "date: 2024-13-45"),
    "control character (ReaderError)": lambda t: t.replace("Fuzz article", "Fuzz \x01article"),
    "NUL byte": lambda t: t.replace("Fuzz article", "Fuzz \x00article"),
    "nesting too deep (RecursionError)": lambda t: t + "review: " + "[" * 3000 + "]" * 3000 + "\n",
    "integer beyond 64 bits (OverflowError after the Source was written)":
        lambda t: t.replace("founded: 1990", "founded: 99999999999999999999"),
    "negative integer beyond 64 bits": lambda t: t.replace("ev_range_km: 300", "ev_range_km: -9223372036854775809"),
    "integer beyond 64 bits for a float property":
        lambda t: t.replace("from: fz-brand\n  type: MAKES\n  to: fz-model",
                            "from: fz-maker\n  type: OWNS\n  to: fz-partner\n  properties:\n"
                            "    share_percent: 18446744073709551616"),
    "lone surrogate in a property (UnicodeEncodeError after the Source was written)":
        lambda t: t.replace("kind: automaker", 'kind: automaker\n    description: "bad \\ud800 text"'),
    "lone surrogate in a partnership key":
        lambda t: t.replace("'on': batteries", "'on': \"batteries \\udfff\""),
    "alias bomb (gigabytes of error message)":
        lambda t: t.replace("kind: automaker", "kind: automaker\n    description: " + BOMB),
    "alias bomb as an entity id": lambda t: t.replace("id: fz-brand", "id: " + BOMB),
}


@pytest.mark.parametrize("case", sorted(YAML_CASES))
def test_hostile_yaml_cases_are_rejected_without_writes(db, settings, fuzz_dir, case):
    folder, base = fuzz_dir
    text = YAML_CASES[case](_base_text(base))
    assert text != _base_text(base)
    path = _write_text(folder / "hostile.yaml", text)
    assert _load_or_reject(db, settings, path) is False, "hostile input was loaded"
    assert counts(db, settings.database) == {"nodes": {}, "relationships": {}}


# ---- hostile CSV ----------------------------------------------------------------------------

CELLS = (st.sampled_from(HOSTILE_STRINGS) | st.sampled_from([str(n) for n in HOSTILE_NUMBERS])
         | st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
         | st.sampled_from(["", "1", "true", "a;b", "automaker", "fz-maker", "fz-partner", "Company", "SUPPLIES"]))


def _csv_text(rows: list[list[str]], raw: bool) -> str:
    if raw:  # no quoting at all: commas and quotes in cells break the row
        return "".join(",".join(r) + "\n" for r in rows)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


@FUZZ
@given(data=st.data())
def test_fuzz_csv_loader(db, settings, fuzz_dir, data):
    folder, base = fuzz_dir
    src = folder / "base.yaml"
    if not src.exists():
        src.write_text(_base_text(base), encoding="utf-8")
        _load(db, settings, [src])
    quote = base["facts"][0]["quote"]
    ncols = ["id:ID", ":LABEL", "name", "kind"] + data.draw(
        st.lists(st.sampled_from(CSV_NODE_COLUMNS), max_size=2), label="node columns")
    nrows = [ncols]
    for i in range(data.draw(st.integers(0, 3), label="nodes")):
        row = [f"fz-c{i}", data.draw(st.sampled_from(["Company", "Company", "Brand", "Source", "Nope"])),
               f"Node {i}", data.draw(st.sampled_from(["automaker", "supplier", "", "car maker"]))]
        row += [data.draw(CELLS) for _ in ncols[4:]]
        if data.draw(st.booleans(), label="spoil a node cell"):
            row[data.draw(st.integers(0, len(row) - 1))] = data.draw(CELLS)
        nrows.append(row)
    rcols = [":START_ID", ":TYPE", ":END_ID", "goods", "on", "source", "quote"] + data.draw(
        st.lists(st.sampled_from(CSV_REL_COLUMNS), max_size=2), label="rel columns")
    rrows = [rcols]
    ids = st.sampled_from(["fz-maker", "fz-partner", "fz-c0", "fz-c1", "fz-brand", "ghost", ""])
    for _ in range(data.draw(st.integers(0, 3), label="rels")):
        rtype = data.draw(st.sampled_from(["SUPPLIES", "PARTNERS_WITH", "MENTIONS", "X"]))
        row = [data.draw(ids), rtype, data.draw(ids), "parts" if rtype != "PARTNERS_WITH" else "",
               "engines" if rtype == "PARTNERS_WITH" else "", base["source"]["id"], quote]
        row += [data.draw(CELLS) for _ in rcols[7:]]
        if data.draw(st.booleans(), label="spoil a rel cell"):
            row[data.draw(st.integers(0, len(row) - 1))] = data.draw(CELLS)
        rrows.append(row)
    case = folder / "case"
    case.mkdir(exist_ok=True)
    for name, rows in (("nodes.csv", nrows), ("rels.csv", rrows)):
        text = _csv_text(rows, raw=data.draw(st.booleans(), label="unquoted"))
        if data.draw(st.booleans(), label="splice"):
            pos = data.draw(st.integers(0, len(text)))
            text = text[:pos] + data.draw(st.sampled_from(HOSTILE_SNIPPETS)) + text[pos:]
        _write_text(case / name, text)
    _load_or_reject(db, settings, case)


CSV_CASES = {
    # header, row (relationship files cite the fuzz source and its first quote)
    "quote typed as a list (AttributeError)": ("rels", ":START_ID,:TYPE,:END_ID,goods,source,quote:string[]",
                                               "fz-maker,SUPPLIES,fz-partner,parts,fuzz-source,{quote}"),
    "source typed as an integer (TypeError)": ("rels", ":START_ID,:TYPE,:END_ID,goods,source:int,quote",
                                   "fz-maker,SUPPLIES,fz-partner,parts,7,{quote}"),
    "aliases typed as an integer (CypherTypeError at write time: mixed-type list)":
        ("nodes", "id:ID,:LABEL,name,kind,aliases:int", "fz-maker,Company,Fuzz Motors,automaker,5"),
    "name typed as an integer (stored a number as the name)":
        ("nodes", "id:ID,:LABEL,name:int,kind", "fz-c9,Company,5,automaker"),
    "integer beyond 64 bits (OverflowError at write time)":
        ("nodes", "id:ID,:LABEL,name,kind,founded:int", "fz-c9,Company,Big,automaker,99999999999999999999"),
    "integer beyond 64 bits in a relationship":
        ("rels", ":START_ID,:TYPE,:END_ID,share_percent:int,source,quote",
         "fz-maker,OWNS,fz-partner,-99999999999999999999,fuzz-source,{quote}"),
}


@pytest.mark.parametrize("case", sorted(CSV_CASES))
def test_hostile_csv_cases_are_rejected_without_writes(db, settings, fuzz_dir, case):
    folder, base = fuzz_dir
    (folder / "base.yaml").write_text(_base_text(base), encoding="utf-8")
    _load(db, settings, [folder / "base.yaml"])
    kind, header, row = CSV_CASES[case]
    d = folder / "case"
    d.mkdir()
    (d / f"{kind}.csv").write_text(header + "\n" + row.format(quote=base["facts"][0]["quote"]) + "\n",
                                   encoding="utf-8")
    assert _load_or_reject(db, settings, d) is False, "hostile input was loaded"


def test_cli_rejects_hostile_yaml_with_one_message_and_no_traceback(neo4j_server, fuzz_dir):
    folder, base = fuzz_dir
    path = _write_text(folder / "hostile.yaml",
                       YAML_CASES["integer beyond 64 bits (OverflowError after the Source was written)"](
                           _base_text(base)))
    res = run_cli(neo4j_server, "load", str(path))
    assert res.returncode == 1, res.stdout + res.stderr
    assert "Traceback" not in res.stderr and res.stderr.startswith("Error: ")
    assert "out of range" in res.stderr and "nothing was written" in res.stderr


# ---- hostile saved-query parameters ------------------------------------------------------

@pytest.fixture
def library():
    from motorgraph import library

    return library


CYPHERISH = ["x' OR 1=1 //", "}) DETACH DELETE n //", "') DETACH DELETE n //", "KAMAZ' OR '1'='1",
             "MATCH (n) DETACH DELETE n", "$market", "` OR true //", "\\' OR 1=1 //", 'KAMAZ" OR ""="',
             "kamaz'})-[:X]->() DETACH DELETE n //", "*:*", "KAMAZ~", "name:KAMAZ OR id:*", "\\"]
PARAM_VALUES = (st.sampled_from(CYPHERISH) | st.sampled_from(HOSTILE_STRINGS)
                | st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)
                | st.integers(-(2**80), 2**80).map(str) | st.integers(-(2**80), 2**80)
                | st.floats(allow_nan=True) | st.booleans() | st.none()
                | st.sampled_from(["1e309", "-1e309", "nan", "inf", "9" * 5000, "-0", "0x10", "1_000", "2"]))


def _identifiers(driver, database) -> set[str]:
    with driver.session(database=database) as s:
        rec = s.run("MATCH (n) UNWIND [n.id, n.name] + coalesce(n.aliases, []) AS x "
                    "RETURN collect(DISTINCT toLower(x)) AS xs").single()
    return set(rec["xs"])


def _run_hostile(library, db, settings, q, raw, before, identifiers):
    """QueryError or a result; the database unchanged; a value that names no entity finds
    nothing (every string parameter of the saved queries is an exact id/name/alias lookup)."""
    try:
        rows = list(library.run_query(db, q, raw, database=settings.database))
    except QueryError as exc:
        assert str(exc).startswith(f"query {q.name}") or "unknown" in str(exc), exc
        rows = None
    if before is not None:
        assert dump(db, settings.database) == before
    if rows:
        for p in q.params:
            v = raw.get(p.name)
            if p.type == "string" and isinstance(v, str) and v.strip() and v.strip().lower() not in identifiers:
                raise AssertionError(f"{q.name} with {p.name}={v!r} (no such entity) returned {rows[:2]}")
    return rows


@FUZZ
@given(data=st.data())
def test_fuzz_saved_query_parameters(seeded, settings, library, data):
    before = dump(seeded, settings.database)
    identifiers = _identifiers(seeded, settings.database)
    q = data.draw(st.sampled_from(library.list_queries()), label="query")
    # Optional knobs (limit, hops) less often: a bad one refuses the call before the strings
    # reach Cypher.
    raw = {p.name: data.draw(PARAM_VALUES, label=p.name) for p in q.params
           if data.draw(st.integers(0, 9), label=f"give {p.name}") > (0 if p.required else 6)}
    if data.draw(st.integers(0, 9), label="unknown parameter") == 0:
        raw[data.draw(st.sampled_from(["x", "company'", "$x", "limit }"]))] = "1"
    _run_hostile(library, seeded, settings, q, raw, before, identifiers)


def test_cypher_looking_parameters_stay_values(seeded, settings, library):
    before = dump(seeded, settings.database)
    identifiers = _identifiers(seeded, settings.database)
    answered = 0
    for q in library.list_queries():
        # not vacuous: the examples find something for most queries
        answered += bool(list(library.run_query(seeded, q, {}, database=settings.database,
                                                use_examples=True)))
        for p in q.params:
            values = CYPHERISH[:9] if p.type == "string" else ["1 OR 1=1", "2 }) DETACH DELETE n //"]
            for v in values:
                raw = {x.name: x.sample for x in q.params if x.required}
                raw[p.name] = v
                _run_hostile(library, seeded, settings, q, raw, None, identifiers)
    assert answered >= len(library.list_queries()) // 2
    assert dump(seeded, settings.database) == before
    assert counts(seeded, settings.database) == counts_before(before)


def counts_before(d: list) -> dict:
    """counts() of a dump."""
    from collections import Counter

    nodes = Counter(l for labels, _ in d[0] for l in labels)
    rels = Counter(t for _, t, _, _ in d[1])
    return {"nodes": dict(nodes), "relationships": dict(rels)}


# ---- input the loader must refuse, by class (the harness's rows) ---------------------------

def test_every_refusal_class_refuses_every_case(db, settings, tmp_path):
    """The harness's refusal rows against the test server: every case refused as it must be."""
    from types import SimpleNamespace

    from harness.refusals import refusal_rows
    from motorgraph.schema_ops import apply_schema
    from conftest import wipe

    def fresh():
        wipe(db, settings.database)
        apply_schema(db, settings.database)

    ctx = SimpleNamespace(driver=db, work=tmp_path, fresh=fresh,
                          load=lambda paths: load(list(paths), driver=db, database=settings.database,
                                                  show_progress=False))
    rows = refusal_rows(ctx)
    assert [r.what for r in rows if not r.ok] == [], [r.outcome for r in rows if not r.ok]
    assert len(rows) >= 5 and all(r.nothing_lost for r in rows)
