"""The columnar CSV checks (loaders/csvfast.py) report exactly what the per-row checks report:
the same problems, in the same order, and the same row counts, on generated data damaged in
many ways (bad cells of every kind, rows of the wrong width, repeated rows, self loops, YAML
records that meet CSV rows), with chunks of every size and an id map in memory or on disk.
"""

from __future__ import annotations

import csv
import random
import shutil
from pathlib import Path

import pytest

from benchmarks import generate
from motorgraph.loaders import csvfast, idindex, validate
from motorgraph.loaders.csvscan import CsvScan

CELLS = ["", " ", "x", "Bad Id", "co-0000001", "co-0000002", "OWNS", "NOPE", "'=x", "'x", "1.5", "abc", "-3",
         "true", "TRUE", "ended", "pending approval", "weird", "2020", "2020-13-01", "a\x01b", " lead", "trail ",
         "Every fact in this data set is synthetic.", "short", "bench-00000", "bench-00001", "other-src", "Company",
         "Source", "Brand", "VehicleModel", "MENTIONS", "country-de", "region-europe", "x" * 400, "a;b", ";",
         "CKD kits", "rail", "co-0000001\u200e", "ag-0000001", "pe-0000001"]


def _damage(src: Path, dst: Path, rng: random.Random, edits: int) -> None:
    with open(src, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    for _ in range(edits):
        r = rng.randrange(1, len(rows))
        roll = rng.random()
        if roll < 0.1:
            rows.insert(rng.randrange(1, len(rows)), list(rows[r]))  # the same row twice
        elif roll < 0.15:
            rows[r] = rows[r][:-1]
        elif roll < 0.2:
            rows[r] = rows[r] + ["extra"]
        elif roll < 0.25:
            rows[r][2] = rows[r][0]  # a relationship to itself, or a node named like its id
        else:
            rows[r][rng.randrange(len(rows[r]))] = rng.choice(CELLS)
    with open(dst, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def _meet_in_yaml(base: Path, case: Path, rng: random.Random) -> None:
    """Entities and facts in a source's YAML that the CSV rows also give, some of them differently."""
    with open(base / "nodes.csv", encoding="utf-8", newline="") as fh:
        nodes = list(csv.reader(fh))[1:]
    with open(base / "relationships.csv", encoding="utf-8", newline="") as fh:
        rels = [r for r in list(csv.reader(fh))[1:] if r[1] in ("PARTNERS_WITH", "OWNS", "LOCATED_IN")]
    entities = []
    for row in rng.sample(nodes, 5):
        label = row[1] if rng.random() < 0.8 else "Brand"
        name = row[2] if rng.random() < 0.7 else row[2] + " X"
        props = "{kind: automaker}" if label == "Company" else "{}"
        entities.append(f"  - {{id: {row[0]}, label: {label}, name: '{name}', properties: {props}}}")
    facts = []
    for row in rng.sample(rels, 5):
        props = f'{{"on": {row[3]}}}' if row[1] == "PARTNERS_WITH" else "{status: ended}" if rng.random() < 0.5 else "{}"
        facts.append(f"  - {{from: {row[0]}, type: {row[1]}, to: {row[2]}, properties: {props}, "
                     "quote: Every fact in this data set is synthetic.}")
    yaml = case / "sources" / "bench-00000.yaml"
    text = yaml.read_text(encoding="utf-8")
    text = text.replace("entities: []", "entities:\n" + "\n".join(entities))
    yaml.write_text(text.replace("facts: []", "facts:\n" + "\n".join(facts)), encoding="utf-8")


def _checked(folder: Path, columnar: bool) -> tuple[list[str], dict, int]:
    CsvScan.columnar = columnar
    try:
        plan = validate([folder])
    finally:
        CsvScan.columnar = True
    try:
        return plan.problems.items, dict(plan.csv_counts), len(plan.labels)
    finally:
        plan.labels.close()


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    return generate(600, tmp_path_factory.mktemp("columnar") / "base").dir


@pytest.mark.parametrize("seed", range(24))
def test_columnar_checks_report_what_the_per_row_checks_report(base, tmp_path, monkeypatch, seed):
    rng = random.Random(seed)
    case = tmp_path / "case"
    shutil.copytree(base, case)
    _damage(base / "nodes.csv", case / "nodes.csv", rng, rng.choice((1, 3, 10, 40)))
    _damage(base / "relationships.csv", case / "relationships.csv", rng, rng.choice((1, 3, 10, 40)))
    if seed % 2:
        _meet_in_yaml(base, case, rng)
    monkeypatch.setattr(csvfast, "CHUNK", (1, 7, 64, 2048)[seed % 4])
    monkeypatch.setattr(idindex, "SPILL_AT", (50, 100_000)[seed // 4 % 2])
    per_row = _checked(case, columnar=False)
    assert per_row[0], "the damage makes problems"
    assert _checked(case, columnar=True) == per_row


def test_clean_generated_data_has_no_problem_either_way(base):
    assert _checked(base, columnar=True) == _checked(base, columnar=False)
    assert _checked(base, columnar=True)[0] == []
