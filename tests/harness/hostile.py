"""Hostile input: values, snippets and mutations for YAML, CSV and saved-query parameters.

The generators (`mutate_yaml`, `hostile_csv`, the HOSTILE_* pools) are shared with the
Hypothesis fuzz tests in tests/test_reliability.py. The three scenario functions load or
run each hostile input on the harness's server: the only allowed outcomes are success or
ValidationFailed / QueryError, and a rejected input leaves the database exactly as it was.
"""

from __future__ import annotations

import copy
import random
import shutil
from pathlib import Path
from typing import Iterable

from motorgraph.errors import QueryError, ValidationFailed
from motorgraph.loaders import load

from .context import Context, saved_query_library
from .data import dump_yaml, write_fuzz_base
from .dump import dump
from .report import Row


# Values an attacker or a careless editor might put anywhere.
HOSTILE_STRINGS = (
    "", " ", "x' OR 1=1 //", "\" OR \"\"=\"", "}) DETACH DELETE n //", "') DETACH DELETE n //",
    "MATCH (n) DETACH DELETE n", "`) DETACH DELETE n //", "$rows", "{id: 'x'}", "\\u0000", "\x00",
    "Robert'); DROP TABLE cars;--", "../../../etc/passwd", "%2e%2e%2f", "é\u0301", "日本語", "🚗💥",
    "\u202eevil", "\ufeffbom", "a" * 5000, "line\nbreak", "tab\there", "null", "~", "true", "NO",
    "2022-13-45", "1e309", "-0", "NaN", "<script>alert(1)</script>", "{{7*7}}", "${jndi:ldap://x}",
)
HOSTILE_NUMBERS = (0, -1, 2**31, 2**63 - 1, 2**63, -(2**63) - 1, 10**30, 1e308, float("inf"),
                   float("-inf"), float("nan"), 1e-320, True, False)
# Raw text spliced into a YAML or CSV file at a random place.
HOSTILE_SNIPPETS = ("\x01", "\x00", "\x1b[2J", "\t", ":", ": ", "- ", "[", "]", "{", "}", "&a", "*a",
                    "!!python/object:os.system", "!!binary", "'", '"', "#", "|", ">", "%YAML 1.1\n---\n",
                    "\n---\n", "\r", "\u2028", "\ufeff", "\ud7ff", "\\ud800", ",", "\n", "2022-13-45",
                    "99999999999999999999", "[" * 400, "<<: *a")


def value_paths(obj, prefix=()):
    """Every (path, value) in a nested structure of dicts and lists."""
    yield prefix, obj
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from value_paths(v, prefix + (k,))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from value_paths(v, prefix + (i,))


def _copy_to_parent(doc, path):
    """A deep copy of `doc` and, in it, the container that holds the value at `path`."""
    doc = copy.deepcopy(doc)
    node = doc
    for p in path[:-1]:
        node = node[p]
    return doc, node


def set_path(doc, path, value):
    """A copy of `doc` with the value at `path` replaced (path () replaces the document)."""
    if not path:
        return value
    doc, parent = _copy_to_parent(doc, path)
    parent[path[-1]] = value
    return doc


def del_path(doc, path):
    if not path:
        return None
    doc, parent = _copy_to_parent(doc, path)
    del parent[path[-1]]
    return doc


def random_value(rnd: random.Random, depth: int = 0):
    kind = rnd.randrange(6 if depth < 2 else 3)
    if kind == 0:
        return rnd.choice(HOSTILE_STRINGS)
    if kind == 1:
        return rnd.choice(HOSTILE_NUMBERS)
    if kind == 2:
        return rnd.choice([None, "".join(chr(rnd.randrange(32, 0x2FFF)) for _ in range(rnd.randrange(12)))])
    if kind == 3:
        return [random_value(rnd, depth + 1) for _ in range(rnd.randrange(4))]
    if kind == 4:
        return {rnd.choice(["id", "label", "name", "kind", "on", "x", "from", "to", "quote"]):
                random_value(rnd, depth + 1) for _ in range(rnd.randrange(4))}
    return rnd.choice(["Company", "Brand", "SUPPLIES", "PARTNERS_WITH", "MENTIONS", "Source", "fz-maker"])


def mutate_yaml(doc: dict, rnd: random.Random) -> str:
    """One mutated curated document, as YAML text (structure and text mutations)."""
    for _ in range(rnd.randrange(1, 4)):
        paths = [p for p, _ in value_paths(doc)]
        path = rnd.choice(paths)
        op = rnd.randrange(3)
        if op == 0:
            doc = set_path(doc, path, random_value(rnd))
        elif op == 1 and path:
            doc = del_path(doc, path)
        elif isinstance(doc, dict):
            doc = dict(doc, **{rnd.choice(["extra", "review", "entities"]): random_value(rnd)})
    try:
        text = dump_yaml(doc)
    except Exception:  # a value PyYAML cannot write (never expected): use the base text
        text = "source: {}\n"
    for _ in range(rnd.randrange(3)):
        pos = rnd.randrange(len(text) + 1)
        op = rnd.randrange(3)
        if op == 0:
            text = text[:pos] + rnd.choice(HOSTILE_SNIPPETS) + text[pos:]
        elif op == 1:
            text = text[:pos]
        else:
            end = min(len(text), pos + rnd.randrange(40))
            text = text[:pos] + text[end:]
    return text


CSV_NODE_COLUMNS = ("id:ID", ":LABEL", "name", "aliases:string[]", "kind", "founded:int", "founded",
                    "capacity_per_year:int", "name:int", "aliases:int", "kind:float", "x:boolean",
                    "opened:date", "bogus:type", ":ID", "status")
CSV_REL_COLUMNS = (":START_ID", ":TYPE", ":END_ID", "goods", "on", "status", "source", "quote",
                   "share_percent:float", "since:date", "source:int", "quote:string[]", "holds:boolean",
                   "goods:int", "mode", "unknown")


def hostile_csv(rnd: random.Random, known_ids: Iterable[str], source_id: str, quote: str) -> tuple[str, str]:
    """(nodes.csv text, rels.csv text): some well-formed, most with hostile headers and cells."""
    bad = rnd.choice([0.0, 0.05, 0.15, 0.4])  # how hostile this pair of files is
    known = list(known_ids)
    good = {"Company": known[:1] + known[3:], "Brand": known[1:2]}
    ncols = ["id:ID", ":LABEL", "name", "kind"]
    if rnd.random() < bad * 2:
        ncols.append(rnd.choice(CSV_NODE_COLUMNS))
    lines = [",".join(ncols)]
    new_ids = []
    for i in range(rnd.randrange(1, 5)):
        label = rnd.choice(["Brand", "Source", "company", "Nope"]) if rnd.random() < bad else "Company"
        kind = "" if label == "Brand" else (rnd.choice(["car maker", "", "AUTOMAKER"]) if rnd.random() < bad
                                             else rnd.choice(["automaker", "supplier"]))
        cells = [f"fz-n{i}", label, f"Node {i}", kind] + [_cell(rnd) for _ in ncols[4:]]
        if rnd.random() < bad:
            cells[rnd.randrange(len(cells))] = _cell(rnd)
        lines.append(",".join(cells))
        new_ids.append(f"fz-n{i}")
    companies = good["Company"] + new_ids
    rcols = [":START_ID", ":TYPE", ":END_ID", "goods", "on", "source", "quote"]
    if rnd.random() < bad * 2:
        rcols.append(rnd.choice(CSV_REL_COLUMNS))
    rlines = [",".join(rcols)]
    for _ in range(rnd.randrange(1, 5)):
        rtype = rnd.choice(["MENTIONS", "supplies", "X", "BRAND_OF"]) if rnd.random() < bad else \
            rnd.choice(["SUPPLIES", "PARTNERS_WITH"])
        goods, on = ("parts", "") if rtype != "PARTNERS_WITH" else ("", "engines")
        ends = [rnd.choice(known + ["", "Fz-Bad", "ghost", "fz-n9"]) if rnd.random() < bad
                else rnd.choice(companies) for _ in range(2)]
        cells = [ends[0], rtype, ends[1], goods, on, source_id, _quoted(quote)] + [_cell(rnd) for _ in rcols[7:]]
        if rnd.random() < bad:
            cells[rnd.randrange(len(cells))] = _cell(rnd)
        rlines.append(",".join(cells))
    nodes, rels = "\n".join(lines) + "\n", "\n".join(rlines) + "\n"
    if rnd.random() < bad:
        pos = rnd.randrange(len(rels) + 1)
        rels = rels[:pos] + rnd.choice(HOSTILE_SNIPPETS) + rels[pos:]
    return nodes, rels


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _cell(rnd: random.Random) -> str:
    v = rnd.choice(HOSTILE_STRINGS + tuple(str(n) for n in HOSTILE_NUMBERS) + ("", "1", "true", "a;b"))
    return _quoted(v) if rnd.random() < 0.7 else v.replace("\x00", "")



def hostile_yaml(ctx: Context, examples: int, seed: int = 20240501) -> Row:
    rnd = random.Random(seed)
    folder = ctx.work / "hostile-yaml"
    base = write_fuzz_base(folder)
    ctx.fresh()
    counts = {"rejected": 0, "loaded": 0, "crashed": 0, "changed on rejection": 0}
    crashes = []
    for i in range(examples):
        text = mutate_yaml(base, rnd)
        path = folder / f"doc-{i}.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        _attempt_load(ctx, path, counts, crashes)
        path.unlink()
    ok = counts["crashed"] == 0 and counts["changed on rejection"] == 0
    return Row("Hostile curated YAML", f"{examples} mutated documents (structure: random values, deleted and "
               "unknown keys; text: control characters, bad dates, huge integers, anchors, deep nesting, "
               "truncation)", ", ".join(f"{v} {k}" for k, v in counts.items()) + (
                   f" ({'; '.join(crashes[:2])})" if crashes else ""),
               counts["changed on rejection"] == 0, ok)


def _attempt_load(ctx: Context, path: Path, counts: dict, crashes: list) -> None:
    """Load one hostile input; count loaded / rejected / crashed and any change on rejection."""
    before = dump(ctx.driver)
    try:
        ctx.load([path])
        counts["loaded"] += 1
    except ValidationFailed:
        counts["rejected"] += 1
        if dump(ctx.driver) != before:
            counts["changed on rejection"] += 1
    except Exception as exc:  # noqa: BLE001
        counts["crashed"] += 1
        crashes.append(f"{type(exc).__name__}: {str(exc)[:80]}")


def hostile_csv_class(ctx: Context, examples: int, seed: int = 7) -> Row:
    rnd = random.Random(seed)
    folder = ctx.work / "hostile-csv"
    base = write_fuzz_base(folder)
    (folder / "base.yaml").write_text(dump_yaml(base), encoding="utf-8")
    ctx.fresh()
    ctx.load([folder / "base.yaml"])
    counts = {"rejected": 0, "loaded": 0, "crashed": 0, "changed on rejection": 0}
    crashes = []
    known = [e["id"] for e in base["entities"]]
    for i in range(examples):
        nodes, rels = hostile_csv(rnd, known, base["source"]["id"], base["facts"][0]["quote"])
        d = folder / f"case-{i}"
        d.mkdir()
        (d / "nodes.csv").write_text(nodes, encoding="utf-8")
        (d / "rels.csv").write_text(rels, encoding="utf-8")
        _attempt_load(ctx, d, counts, crashes)
        shutil.rmtree(d)
    ok = counts["crashed"] == 0 and counts["changed on rejection"] == 0
    return Row("Hostile CSV bulk files", f"{examples} generated node/relationship file pairs (typed headers "
               "that clash with reserved columns, unknown labels and types, Source/MENTIONS, missing "
               "endpoints, huge numbers, Cypher-looking and unicode cells, broken quoting)",
               ", ".join(f"{v} {k}" for k, v in counts.items()) + (
                   f" ({'; '.join(crashes[:2])})" if crashes else ""),
               counts["changed on rejection"] == 0, ok)


CYPHER_LOOKING = ("x' OR 1=1 //", "}) DETACH DELETE n //", "') DETACH DELETE n //", "KAMAZ' OR '1'='1",
                  "MATCH (n) DETACH DELETE n", "$market", "` OR true //", "\\' OR 1=1 //", "*:*", "name:KAMAZ OR id:*")


def hostile_query_params(ctx: Context, per_query: int, seed: int = 11) -> Row:
    library = saved_query_library()
    if library is None:
        return Row("Hostile saved-query parameters", "-", "skipped: the saved-query library "
                   "(motorgraph/library.py) is not installed", None, True)
    rnd = random.Random(seed)
    ctx.fresh()
    load(None, driver=ctx.driver, show_progress=False)  # the bundled seed data
    before = dump(ctx.driver)
    with ctx.driver.session() as s:
        names = set(s.run("MATCH (n) UNWIND [n.id, n.name] + coalesce(n.aliases, []) AS x "
                          "RETURN collect(DISTINCT toLower(x)) AS xs").single()["xs"])
    pool = CYPHER_LOOKING + HOSTILE_STRINGS + tuple(map(str, HOSTILE_NUMBERS)) + HOSTILE_NUMBERS
    counts = {"QueryError": 0, "result": 0, "crashed": 0, "matched a non-entity": 0}
    crashes, tried = [], 0
    queries = library.list_queries()
    for q in queries:
        for i in range(per_query):
            # Optional knobs (limit, hops) get a hostile value on every third call only: one
            # out-of-range knob refuses the whole call, and the strings must reach Cypher too.
            raw = {p.name: (CYPHER_LOOKING[i % len(CYPHER_LOOKING)] if p.type == "string" and i % 2 == 0
                            else rnd.choice(pool)) for p in q.params if p.required or i % 3 == 2}
            tried += 1
            try:
                rows = list(library.run_query(ctx.driver, q, raw))
                counts["result"] += 1
                if rows and any(p.type == "string" and isinstance(raw.get(p.name), str) and raw[p.name].strip()
                                and raw[p.name].strip().lower() not in names for p in q.params):
                    counts["matched a non-entity"] += 1
            except QueryError:
                counts["QueryError"] += 1
            except Exception as exc:  # noqa: BLE001
                counts["crashed"] += 1
                crashes.append(f"{q.name}: {type(exc).__name__}: {str(exc)[:80]}")
    same = dump(ctx.driver) == before
    ok = same and counts["crashed"] == 0 and counts["matched a non-entity"] == 0
    return Row("Hostile saved-query parameters", f"{tried} calls over the {len(queries)} saved queries, on the "
               "seed data: Cypher-looking strings (\"x' OR 1=1 //\", \"}) DETACH DELETE n //\"), Lucene syntax, "
               "unicode, huge and non-finite numbers, as text and as values",
               ", ".join(f"{v} {k}" for k, v in counts.items()) + (f" ({'; '.join(crashes[:2])})" if crashes else "")
               + f"; Cypher-looking values stayed values; database {'unchanged' if same else 'CHANGED'}", same, ok)
