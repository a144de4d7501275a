"""Input the loader must refuse, one report row per class, each case checked the same way.

The classes are those of docs/reliability.md's limits: values too large for an index, YAML
the parser would change, values the model cannot mean, CSV rows that contradict each other,
input that contradicts the database, paths that are not files, and query parameters that
are not text. Every case is loaded on the harness's server (holding the seed graph) with
--dry-run and for real; it passes when both refuse it with the same problems, a problem
names the file (with its line, or the record) and says what is wrong, the graph is byte for
byte what it was, and every index is ONLINE.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from motorgraph.errors import QueryError, ValidationFailed
from motorgraph.loaders import load

from .context import Context
from .dump import dump
from .report import Row

REPO = Path(__file__).resolve().parents[2]
ARTICLE = REPO / "data" / "articles" / "moskvich-jac-kamaz.txt"
QUOTE = ("The collaboration also involves KAMAZ, a partner that has publicly acknowledged its role "
         "alongside JAC in producing the Compass medium duty truck.")
CO = "  - id: test-co\n    label: Company\n    name: Test Co\n    properties: {kind: supplier}\n"
CO2 = "  - id: test-co-two\n    label: Company\n    name: Test Co Two\n    properties: {kind: automaker}\n"
FACT = f"  - from: test-co\n    type: SUPPLIES\n    to: test-co-two\n    properties: {{goods: axles}}\n    quote: {QUOTE}\n"


@dataclass
class Case:
    """Files to write (name -> text or bytes, or a callable that makes the path), the file a
    problem must name, and words the problem must hold."""
    what: str
    files: dict[str, object]
    names: str
    says: str
    extra: list[str] = field(default_factory=list)  # further paths to load (not written here)


def curated(name: str = "bad.yaml", entities: str = CO + CO2, facts: str = FACT, source: str | None = None,
            file: str = "articles/moskvich-jac-kamaz.txt") -> dict[str, object]:
    sha = hashlib.sha256(ARTICLE.read_bytes()).hexdigest()
    head = (f"source:\n  id: {source or Path(name).stem}\n  title: A hostile test article\n"
            f"  file: {file}\n  sha256: {sha}\n")
    return {name: head + "entities:\n" + entities + "facts:\n" + facts}


def _with(old: str, new: str, text: str = CO) -> str:
    assert old in text
    return text.replace(old, new)


def sizes() -> list[Case]:
    return [
        Case("a 40,000-character name", curated(entities=_with("name: Test Co", "name: " + "N" * 40_000) + CO2),
             "bad.yaml", "name"),
        Case("a 33,000-byte alias", curated(entities=CO.replace("properties", "aliases: [" + "é" * 16_500
                                                                  + "]\n    properties") + CO2), "bad.yaml", "alias"),
        Case("a 500-character id", curated(entities=_with("id: test-co", "id: " + "a" * 500) + CO2,
                                           facts=FACT.replace("from: test-co", "from: " + "a" * 500)),
             "bad.yaml", "id"),
        Case("a 20,000-byte description", curated(entities=_with("{kind: supplier}", "{kind: supplier, description: "
                                                                  + "d" * 20_000 + "}") + CO2), "bad.yaml",
             "description"),
    ]


def yaml_as_written() -> list[Case]:
    return [
        Case("a second facts: block", curated(facts=FACT + "facts:\n" + FACT), "bad.yaml", "duplicate key 'facts'"),
        Case("a repeated property", curated(entities=_with("{kind: supplier}", "\n      kind: supplier\n"
                                                             "      kind: automaker") + CO2),
             "bad.yaml", "duplicate key 'kind'"),
        Case("a repeated entity key", curated(entities=_with("name: Test Co\n", "name: Test Co\n    name: Other\n")
                                              + CO2), "bad.yaml", "duplicate key 'name'"),
        Case("a base-60 capacity (3:00)", curated(entities=CO + CO2 + "  - id: test-plant\n    label: Plant\n"
                                                  "    name: Test plant\n    properties: {capacity_per_year: 3:00}\n"),
             "bad.yaml", "capacity_per_year"),
        Case("an impossible unquoted date", curated(facts=FACT.replace("    quote:", "    since: 2022-13-45\n    quote:")),
             "bad.yaml", "since"),
    ]


def _owns(share: str) -> str:
    return (f"  - from: test-co\n    type: OWNS\n    to: test-co-two\n    properties: {{share_percent: {share}}}\n"
            f"    quote: {QUOTE}\n")


def model_values() -> list[Case]:
    plant = "  - id: test-plant\n    label: Plant\n    name: Test plant\n    properties: {capacity_per_year: -1}\n"
    return [
        Case("NaN", curated(facts=_owns(".nan")), "bad.yaml", "share_percent"),
        Case("+Infinity", curated(facts=_owns(".inf")), "bad.yaml", "share_percent"),
        Case("-Infinity", curated(facts=_owns("-.inf")), "bad.yaml", "share_percent"),
        Case("a share over 100", curated(facts=_owns("150")), "bad.yaml", "share_percent"),
        Case("a negative capacity", curated(entities=CO + CO2 + plant), "bad.yaml", "capacity_per_year"),
        Case("U+202E in a name", curated(entities=_with("name: Test Co", "name: \"Test \\u202eCo\"") + CO2),
             "bad.yaml", "U+202E"),
        Case("ESC in a name", curated(entities=_with("name: Test Co", "name: \"Test \\eCo\"") + CO2),
             "bad.yaml", "name"),
        Case("a blank name", curated(entities=_with("name: Test Co", "name: '   '") + CO2), "bad.yaml", "name"),
        Case("a one-letter quote", curated(facts=FACT.replace(QUOTE, "a")), "bad.yaml", "quote"),
        Case("a fact from an entity to itself", curated(facts=FACT.replace("to: test-co-two", "to: test-co")),
             "bad.yaml", "itself"),
        Case("source.file absolute", curated(file=str(ARTICLE)), "bad.yaml", "source.file"),
        Case("source.file outside the folder", curated(file="../outside.txt"), "bad.yaml", "source.file"),
    ]


def against_database() -> list[Case]:
    kamaz = "  - id: kamaz\n    label: Company\n    name: {name}\n    properties: {{kind: {kind}}}\n"
    return [
        Case("another source renames KAMAZ", curated(entities=CO + CO2 + kamaz.format(name="Kamaz Group",
                                                                                       kind="automaker")),
             "bad.yaml", "is named 'KAMAZ' in the database"),
        Case("another source changes KAMAZ's kind", curated(entities=CO + CO2 + kamaz.format(name="KAMAZ",
                                                                                              kind="supplier")),
             "bad.yaml", "kind='automaker' in the database"),
        Case("an id reused under another label", curated(entities=CO + CO2 + "  - id: jac\n    label: Brand\n"
                                                          "    name: JAC\n"), "bad.yaml", "is a Company in the database"),
        Case("an entity takes a source id", curated(entities=CO + CO2 + "  - id: moskvich-jac-kamaz\n"
                                                    "    label: Company\n    name: M J K\n    properties: {kind: holding}\n"),
             "bad.yaml", "is a source (article) id"),
        Case("a source takes an entity id", curated(name="kamaz.yaml"), "kamaz.yaml", "already a Company"),
    ]


HEADER = "id:ID,:LABEL,name,kind\n"


def csv_rows() -> list[Case]:
    return [
        Case("an uppercase id", {"nodes.csv": HEADER + "CSV-A,Company,A,supplier\n"}, "nodes.csv", "uppercase"),
        Case("an id with a space", {"nodes.csv": HEADER + "csv a,Company,A,supplier\n"}, "nodes.csv", "space"),
        Case("a look-alike (Cyrillic) id", {"nodes.csv": HEADER + "\u0441sv-a,Company,A,supplier\n"}, "nodes.csv",
             "CYRILLIC"),
        Case("a node on two rows", {"nodes.csv": HEADER + "csv-a,Company,A,supplier\ncsv-a,Company,A,automaker\n"},
             "nodes.csv", "defined twice"),
        Case("a column twice", {"nodes.csv": "id:ID,:LABEL,name,name\ncsv-a,Company,A,B\n"}, "nodes.csv",
             "in the header twice"),
        Case("a ;-delimited file", {"nodes.csv": "id:ID;:LABEL;name\ncsv-a;Company;A\n"}, "nodes.csv", "semicolons"),
        Case("a node defined differently in YAML and CSV", {**curated(), "nodes.csv": HEADER
                                                           + "test-co,Company,Test Co,automaker\n"},
             "nodes.csv", "kind"),
    ]


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _to_dev_zero(path: Path) -> None:
    path.symlink_to("/dev/zero")


def _oversize(path: Path) -> None:
    with open(path, "wb") as fh:  # sparse: a 17 MiB YAML file that takes no disk
        fh.truncate(17 * 1024 * 1024)


def paths_not_files() -> list[Case]:
    return [
        Case("a FIFO named .yaml", {"pipe.yaml": _fifo}, "pipe.yaml", "FIFO"),
        Case("a link to /dev/zero named .csv", {"zero.csv": _to_dev_zero}, "zero.csv", "/dev/zero"),
        Case("a YAML file over its size limit", {"big.yaml": _oversize}, "big.yaml", "MOTORGRAPH_MAX_INPUT_BYTES"),
    ]


CLASSES: list[tuple[str, Callable[[], list[Case]]]] = [
    ("values too large for an index", sizes),
    ("YAML the parser would change", yaml_as_written),
    ("values the model cannot mean", model_values),
    ("CSV rows that contradict each other or the YAML", csv_rows),
    ("input that contradicts the database", against_database),
    ("paths that are not files", paths_not_files),
]


def _write(folder: Path, case: Case) -> list[Path]:
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "articles").mkdir(parents=True)
    shutil.copyfile(ARTICLE, folder / "articles" / ARTICLE.name)
    paths = []
    for name, content in case.files.items():
        path = folder / name
        if callable(content):
            content(path)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        paths.append(path)
    return paths + [Path(p) for p in case.extra]


def indexes_not_online(driver) -> list[str]:
    records = driver.execute_query("SHOW INDEXES YIELD name, state WHERE state <> 'ONLINE' RETURN name, state").records
    return [f"{r['name']} {r['state']}" for r in records]


def check_refused(ctx: Context, folder: Path, case: Case) -> str | None:
    """None when the case is refused as it must be; otherwise what went wrong."""
    paths = _write(folder, case)
    before = dump(ctx.driver)
    problems = []
    for dry_run in (True, False):
        try:
            load(paths, driver=ctx.driver, dry_run=dry_run, show_progress=False)
        except ValidationFailed as exc:
            problems.append(exc.problems)
            continue
        except Exception as exc:  # noqa: BLE001 - a crash is a finding
            return f"{'--dry-run' if dry_run else 'the load'} crashed: {type(exc).__name__}: {str(exc)[:100]}"
        return f"{'--dry-run' if dry_run else 'the load'} accepted it"
    if problems[0] != problems[1]:
        return "--dry-run and the load reported different problems"
    if dump(ctx.driver) != before:
        return "the graph changed"
    if bad := indexes_not_online(ctx.driver):
        return f"indexes not online: {', '.join(bad)}"
    named = [p for p in problems[1] if p.startswith(str(folder / case.names) + ":")]
    if not any(case.says in p for p in named):
        return f"no problem at {case.names} says {case.says!r}: {problems[1][:2]}"
    return None


def query_parameters(ctx: Context) -> Row:
    from motorgraph.library import run_query

    cases = [("bytes that are not UTF-8", {"company": "KAMAZ\udcff"}, "not UTF-8 text"),
             ("a lone surrogate", {"company": "KAMAZ\ud800"}, "lone surrogate"),
             ("a 100,000-character value", {"company": "x" * 100_000}, "at most 1,000")]
    before, failures = dump(ctx.driver), []
    for what, params, says in cases:
        try:
            run_query(ctx.driver, "partners", params)
            failures.append(f"{what}: accepted")
        except QueryError as exc:
            if says not in str(exc) or len(str(exc)) > 2_000:
                failures.append(f"{what}: {str(exc)[:80]}")
        except Exception as exc:  # noqa: BLE001
            failures.append(f"{what}: {type(exc).__name__}")
    if dump(ctx.driver) != before:
        failures.append("the graph changed")
    return _row("query parameters that are not text", [c[0] for c in cases], failures)


def _row(name: str, tried: list[str], failures: list[str]) -> Row:
    outcome = (f"{len(tried)} of {len(tried)} refused with the place and the fix; --dry-run agreed; "
               "nothing written; indexes online") if not failures else "; ".join(failures[:3])
    return Row(f"Refused input: {name}", f"{len(tried)} cases: {', '.join(tried)}", outcome, not failures,
               not failures)


def refusal_rows(ctx: Context, classes=None) -> list[Row]:
    """One row per class: every case refused as it must be (seed graph loaded first)."""
    ctx.fresh()
    ctx.load([REPO / "data"])
    rows = []
    for name, make in classes or CLASSES:
        cases = make()
        failures = []
        for i, case in enumerate(cases):
            why = check_refused(ctx, ctx.work / "refusals" / f"{make.__name__}-{i}", case)
            if why is not None:
                failures.append(f"{case.what}: {why}")
        rows.append(_row(name, [c.what for c in cases], failures))
    rows.append(query_parameters(ctx))
    return rows


