"""The bulk path's import files: written during validation by a forked process (CsvPart) they
hold the same rows as written afterwards in one process, with and without facts that several
rows state (the case that makes the writer read the relationship files again); the
organisations' kept counts in them agree with the relationships they hold."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.generate import generate
from conftest import REPO
from motorgraph.loaders import validate
from motorgraph.loaders.bulk import CsvPart, ImportWriter
from test_load_bulk import overlap_files


def rows(files) -> Counter:
    """Each import row with its file's header (file names and order aside)."""
    out: Counter = Counter()
    for path, _ in files.nodes + files.relationships:
        header, *lines = Path(path).read_text(encoding="utf-8").splitlines()
        out.update((header, line) for line in lines)
    return out


def read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def kept_counts(files) -> dict[str, tuple[int, int]]:
    """id -> (relationship_count, partner_count) as the node files hold them."""
    out = {}
    for path, _ in files.nodes:
        for row in read(path):
            if "relationship_count:long" in row:
                out[row["id:ID"]] = (int(row["relationship_count:long"]), int(row["partner_count:long"]))
    return out


def counted(files, ids) -> dict[str, tuple[int, int]]:
    """The same counts worked out from the relationship files (one row, one relationship)."""
    rels: Counter = Counter()
    partners: dict[str, set] = {i: set() for i in ids}
    for path, _ in files.relationships:
        for row in read(path):
            start, end, rtype = row[":START_ID"], row[":END_ID"], row[":TYPE"]
            if rtype != "MENTIONS":
                rels.update({start, end})
            if rtype == "PARTNERS_WITH":
                partners.setdefault(start, set()).add(end)
                partners.setdefault(end, set()).add(start)
    return {i: (rels[i], len(partners[i])) for i in ids}


@pytest.mark.parametrize("twice", [False, True], ids=["held rows", "a fact two rows state"])
def test_import_files_written_during_validation_equal_the_sequential_ones(tmp_path, twice):
    ds = generate("tiny", tmp_path / "tiny")
    overlap = overlap_files(tmp_path / "overlap")
    if not twice:  # drop the second statement of kamaz LOCATED_IN russia
        rels = overlap[1]
        rels.write_text("\n".join(rels.read_text(encoding="utf-8").splitlines()[:-1]) + "\n", encoding="utf-8")
    paths = [REPO / "data", *ds.inputs, *overlap]
    sequential = validate(paths)
    assert not sequential.problems
    expected = ImportWriter(sequential, tmp_path / "one").write()
    parts: list[CsvPart] = []
    plan = validate(paths, before_scan=lambda p: parts.append(CsvPart(p, tmp_path / "two")))
    assert not plan.problems and len(parts) == 1
    part = parts[0].result()
    assert [h[0][:3] for h in part["held_rels"]] == [("moscow", "LOCATED_IN", "russia"), ("jac", "LOCATED_IN", "china")]
    assert [n["id"] for n in part["held_nodes"]] == ["kamaz"]
    got = ImportWriter(plan, tmp_path / "two").write(part)
    parts[0].close(remove=False)
    assert rows(got) == rows(expected)
    assert sum(rows(got).values()) > 3000
    kept = kept_counts(got)
    orgs = {n.id for n in plan.nodes.values() if n.label in ("Company", "Country", "Region")}
    assert orgs < set(kept) and len(kept) > 100  # every organisation, the CSV files' ones too
    assert kept == counted(got, kept)
    assert any(p > 0 for _, p in kept.values())
    for p in (sequential, plan):
        p.labels.close()


def test_a_refused_input_stops_the_writing_process_and_removes_its_files(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id:ID,:LABEL,name\nNot An Id,Company,Bad\n", encoding="utf-8")
    ds = generate("tiny", tmp_path / "tiny")
    parts: list[CsvPart] = []
    plan = validate([*ds.inputs, bad],
                    before_scan=lambda p: parts.append(CsvPart(p, tmp_path / "files")))
    assert plan.problems
    parts[0].close()
    assert not (tmp_path / "files").exists()
    plan.labels.close()


def test_the_row_lane_writes_what_the_general_path_writes(tmp_path):
    """loaders/importrows.py writes most CSV relationship rows straight from their cells; the
    files equal those of the general path (a row dict per row), byte for byte, including the
    rows the lane leaves to it: an escaped cell, a boolean, an integer in a float column, a
    row of a YAML fact, a fact two rows state."""
    ds = generate("tiny", tmp_path / "tiny")
    overlap = overlap_files(tmp_path / "overlap")
    q = "Every fact in this data set is synthetic."
    odd = tmp_path / "odd.csv"
    odd.write_text(":START_ID,:TYPE,:END_ID,goods,share_percent:int,holds:boolean,source,quote\n"
                   f"co-0000000,SUPPLIES,co-0000001,'=axles,,,bench-00000,{q}\n"
                   f"co-0000000,OWNS,co-0000002,,40,,bench-00000,{q}\n"
                   f"co-0000001,PARTY_TO,ag-0000000,,,false,bench-00001,{q}\n"
                   f'co-0000002,SUPPLIES,co-0000001,"seats, ""premium""",,,bench-00001,{q}\n', encoding="utf-8")
    plan = validate([REPO / "data", *ds.inputs, *overlap, odd])
    assert not plan.problems, plan.problems.items
    lane = ImportWriter(plan, tmp_path / "lane").write()
    general = ImportWriter(plan, tmp_path / "general", lane=False).write()
    assert [(Path(p).name, m) for p, m in lane.relationships] == [(Path(p).name, m) for p, m in general.relationships]
    for (a, _), (b, _) in zip(lane.relationships + lane.nodes, general.relationships + general.nodes):
        assert Path(a).read_bytes() == Path(b).read_bytes(), Path(a).name
    text = "".join(Path(p).read_text(encoding="utf-8") for p, _ in lane.relationships)
    assert '"=axles"' in text and '"seats, ""premium"""' in text and ',40,' in text and ',false,' in text
    plan.labels.close()
