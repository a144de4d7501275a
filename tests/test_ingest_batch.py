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
