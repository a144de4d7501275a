"""Helpers for the bad-input tests: small curated files built beside a copy of a seed
article, and the check that a rejected load named the place and changed nothing."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from conftest import counts, dump
from motorgraph.errors import ValidationFailed
from motorgraph.loaders import load

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
ARTICLE = DATA / "articles" / "moskvich-jac-kamaz.txt"

# Sentences of the article (with its curly apostrophes where it has them).
Q_RENAULT = "Renault\u2019s Moscow plant, by comparison, has an established capacity of about 180 thousand cars per year."
Q_KAMAZ = ("The collaboration also involves KAMAZ, a partner that has publicly acknowledged its "
           "role alongside JAC in producing the Compass medium duty truck.")


def state(driver, settings) -> tuple:
    d = dump(driver, settings.database)
    return counts(driver, settings.database), hashlib.sha256(repr(d).encode()).hexdigest()


def indexes_not_online(driver, settings) -> list[tuple]:
    records = driver.execute_query("SHOW INDEXES YIELD name, state WHERE state <> 'ONLINE' RETURN name, state",
                                   database_=settings.database).records
    return [(r["name"], r["state"]) for r in records]


def rejected(driver, settings, paths) -> list[str]:
    """Load `paths` with --dry-run and for real, expect ValidationFailed with the same problems
    from both, check the database is unchanged and its indexes online; the problems."""
    before = state(driver, settings)
    assert before[0]["nodes"], "the seed should be loaded first"
    paths = [Path(p) for p in paths]
    with pytest.raises(ValidationFailed) as dry:
        load(paths, driver=driver, database=settings.database, dry_run=True)
    with pytest.raises(ValidationFailed) as info:
        load(paths, driver=driver, database=settings.database)
    assert dry.value.problems == info.value.problems, "--dry-run and the load disagree"
    assert state(driver, settings) == before, "a rejected load changed the database"
    assert indexes_not_online(driver, settings) == []
    problems = info.value.problems
    assert problems
    assert "nothing was written" in str(info.value)
    return problems


def problem_at(problems: list[str], path: Path, line: int | None = None, alone: bool = True) -> str:
    """The one problem reported for `path` (at `line`, when given).

    With `alone`, it must be the only problem: one mistake must not bring follow-up
    messages that point at the wrong fix (e.g. "unknown entity" for an entity that is
    defined, only invalid).
    """
    prefix = f"{path}:{line}:" if line is not None else f"{path}:"
    hits = [p for p in problems if p.startswith(prefix)]
    assert len(hits) == 1, (prefix, problems)
    if alone:
        assert problems == hits, problems
    return hits[0]


def line_of(text: str, needle: str, exact: bool = False) -> int:
    """1-based number of the first line of `text` containing `needle` (or, exact, equal to it stripped)."""
    for n, line in enumerate(text.splitlines(), 1):
        if (line.strip() == needle) if exact else (needle in line):
            return n
    raise AssertionError(f"{needle!r} not in the text")


def article(dir: Path, src: Path = ARTICLE) -> tuple[str, str]:
    """Copy an article beside the YAML files; (relative path, sha256)."""
    (dir / "articles").mkdir(exist_ok=True)
    dest = dir / "articles" / src.name
    shutil.copyfile(src, dest)
    return f"articles/{src.name}", hashlib.sha256(dest.read_bytes()).hexdigest()


def csv_source(dir: Path, sid: str = "csv-source") -> Path:
    """A curated file that only declares the source `sid` (a copy of the Moskvich article), for CSV rows to cite."""
    rel, sha = article(dir)
    path = dir / f"{sid}.yaml"
    path.write_text(f"source:\n  id: {sid}\n  title: {sid}\n  file: {rel}\n  sha256: {sha}\n"
                    "entities: []\nfacts: []\n", encoding="utf-8")
    return path


GOOD_ENTITIES = """\
  - id: test-co
    label: Company
    name: Test Co
    properties: {kind: supplier}
"""
GOOD_FACTS = f"""\
  - from: test-co
    type: SUPPLIES
    to: test-co-two
    properties: {{goods: axles}}
    quote: {Q_KAMAZ}
"""
SECOND_ENTITY = """\
  - id: test-co-two
    label: Company
    name: Test Co Two
    properties: {kind: automaker}
"""


def curated(dir: Path, name: str, entities: str = GOOD_ENTITIES + SECOND_ENTITY, facts: str = GOOD_FACTS,
            source_id: str | None = None, with_source: bool = True) -> tuple[Path, str]:
    """Write a curated YAML file (its source is a copy of the Moskvich article)."""
    rel, sha = article(dir)
    head = (f"source:\n  id: {source_id or Path(name).stem}\n  title: A test article\n"
            f"  file: {rel}\n  sha256: {sha}\n") if with_source else ""
    text = head + "entities:\n" + entities + "facts:\n" + facts
    path = dir / name
    path.write_text(text, encoding="utf-8")
    return path, text


def fact(type_: str, to: str, props: str = "", quote: str = Q_KAMAZ, start: str = "test-co") -> str:
    """One fact of a curated file (props as YAML flow text, e.g. "{goods: axles}")."""
    return (f"  - from: {start}\n    type: {type_}\n    to: {to}\n"
            + (f"    properties: {props}\n" if props else "") + f"    quote: {quote}\n")


def refused(driver, settings, tmp_path: Path, at: str = "- from: test-co", name: str = "bad.yaml", **kw) -> str:
    """Build a curated file (`curated`'s keywords), load it, expect it refused with nothing
    written; the one problem, which must be at the line that holds `at`."""
    path, text = curated(tmp_path, name, **kw)
    return problem_at(rejected(driver, settings, [path]), path, line_of(text, at))


def plant(capacity: str = "1000", ident: str = "test-plant") -> str:
    """A Plant entity of a curated file, with `capacity_per_year` written as given."""
    return (f"  - id: {ident}\n    label: Plant\n    name: Test plant\n"
            f"    properties: {{capacity_per_year: {capacity}}}\n")
