"""Drafting a folder of articles (`motorgraph ingest DIR/ -o OUTDIR/`, loaders/ingest/batch.py)
and the drafting benchmark's article generator. No database.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from benchmarks.ingest import make_article
from motorgraph.cli import cli
from motorgraph.loaders import ingest as ig

REPO = Path(__file__).resolve().parents[1]
SEEDS = sorted((REPO / "data" / "articles").glob("*.txt"))


@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for p in SEEDS:
        shutil.copy(p, d / p.name)
    return d


def test_a_folder_drafts_like_one_article_at_a_time(folder, tmp_path):
    known = ig.load_known_entities()
    written = ig.ingest_folder(folder, tmp_path / "out", known_entities=known)
    assert [p.name for p in written] == [f"{p.stem}.yaml" for p in SEEDS]
    for art, out in zip(sorted(folder.glob("*.txt")), written):
        one = ig.draft_article(art, known_entities=known)
        batch = yaml.safe_load(out.read_text(encoding="utf-8"))
        assert batch["facts"] == one["facts"], art.name
        assert batch["entities"] == one["entities"], art.name
        assert (tmp_path / "out" / "articles" / art.name).read_bytes() == art.read_bytes()


def test_two_parsing_processes_write_the_same_drafts_as_one(folder, tmp_path):
    known = ig.load_known_entities()
    one = ig.ingest_folder(folder, tmp_path / "one", known_entities=known, n_process=1)
    two = ig.ingest_folder(folder, tmp_path / "two", known_entities=known, n_process=2)
    assert [p.name for p in two] == [p.name for p in one]
    for a, b in zip(one, two):
        assert b.read_text(encoding="utf-8") == a.read_text(encoding="utf-8"), b.name


def test_drafts_written_by_libyaml_read_as_the_pure_python_dumper_writes_them(folder):
    """write_draft dumps entity by entity with libyaml, indented by hand: the text must be
    the one PyYAML's own emitter writes for the whole draft."""
    import re

    from motorgraph.loaders.ingest import draft as dr

    for art in sorted(folder.glob("*.txt")):
        data = dr._yaml_ready(ig.draft_article(art))  # no known entities: all are drafted
        assert data["entities"] and data["facts"]
        data["entities"][0]["name"] = "A name long enough to be folded " * 4  # a wrapped scalar
        slow = yaml.dump(data, Dumper=dr._Dumper, sort_keys=False, allow_unicode=True, width=92,
                         default_flow_style=False)
        slow = re.sub(r"\n(entities|facts):", r"\n\n\1:", slow)
        assert dr._dump(data) == slow, art.name
        empty = {"source": data["source"], "entities": [], "facts": []}
        assert dr._dump(empty).endswith("\n\nentities: []\n\nfacts: []\n")


def test_the_cli_drafts_a_folder_and_a_single_file(folder, tmp_path):
    out = tmp_path / "drafts"
    r = CliRunner().invoke(cli, ["ingest", str(folder), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert f"Wrote {len(SEEDS)} drafts" in r.output
    assert sorted(p.name for p in out.glob("*.yaml")) == sorted(f"{p.stem}.yaml" for p in SEEDS)
    one = tmp_path / "one.yaml"
    r = CliRunner().invoke(cli, ["ingest", str(SEEDS[0]), "-o", str(one)])
    assert r.exit_code == 0, r.output
    assert yaml.safe_load(one.read_text(encoding="utf-8"))["facts"]


def test_an_empty_folder_is_refused(tmp_path):
    with pytest.raises(ig.IngestError, match="no articles"):
        ig.ingest_folder(tmp_path, tmp_path / "out")


def test_benchmark_articles_are_about_300_words_and_draft_to_facts(tmp_path):
    import random

    text = make_article(random.Random(1), 0)
    assert 300 <= len(text.split()) <= 420
    p = tmp_path / "a.txt"
    p.write_text(text, encoding="utf-8")
    assert ig.draft_article(p, known_entities=[])["facts"]


def test_the_drafting_benchmark_reports_both_modes_with_the_core_count(tmp_path):
    import os

    from benchmarks.ingest import run

    report = run(4, tmp_path, rounds=1)
    assert f"**{os.cpu_count()} CPU cores**" in report
    rows = [ln for ln in report.splitlines() if ln.startswith("| one process") or ln.startswith("| two parsing")]
    assert len(rows) == 2
    assert all(float(r.split("|")[3].strip().strip("*")) > 0 for r in rows)  # articles/s by the wall clock
    assert (tmp_path / "bench-ingest.md").read_text(encoding="utf-8") == report
    one, two = (sorted((tmp_path / f"ingest-drafts-{m}").glob("*.yaml")) for m in (1, 2))
    assert len(one) == 4 and [p.read_text(encoding="utf-8") for p in one] == [p.read_text(encoding="utf-8") for p in two]
