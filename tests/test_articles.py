"""The article lifecycle's first steps on a real Neo4j: the review gate on drafts from
`motorgraph ingest` (refused by name, or loaded with --accept-drafts and counted), the draft's
article kept beside it, and `motorgraph articles` (Graph.articles()) on the seed graph.

Expected counts come from the draft and the YAML files in data/ (tests/seed_articles.py),
never from the graph.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import counts
from inputs import rejected, state
from motorgraph.cli import cli
from motorgraph.errors import ValidationFailed
from motorgraph.graph import Graph
from motorgraph.loaders import ingest as ig
from motorgraph.loaders import load
from seed_articles import article_list

REPO = Path(__file__).resolve().parent.parent
ARTICLE = REPO / "data" / "articles" / "moskvich-jac-kamaz.txt"
DRAFT_ID = "moskvich-draft"


@pytest.fixture
def draft(tmp_path) -> tuple[Path, dict]:
    """A draft straight from the drafter, as `motorgraph ingest ARTICLE -o drafts/moskvich-draft.yaml`."""
    out = tmp_path / "drafts" / f"{DRAFT_ID}.yaml"
    return out, ig.ingest_article(ARTICLE, out)


def _items(path: Path) -> list[tuple[int, str, str]]:
    """(line, id or from, "id" or "from") of every `review: true` item of a draft, read from its text: an item is a
    `- id:` or `- from:` line, and the `review: true` line below it (before the next item) is its."""
    items, current = [], None
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if m := re.match(r"^  - (id|from): (\S+)", line):
            current = (n, m.group(2), m.group(1))
        elif line.strip() == "review: true":
            items.append(current)
    return items


def test_a_draft_is_refused_with_every_unreviewed_item_named(seeded, settings, draft):
    out, drafted = draft
    items = _items(out)
    assert len(items) == len(drafted["entities"]) + len(drafted["facts"]) > 10
    problems = rejected(seeded, settings, [out])  # --dry-run says the same; nothing written
    assert len(problems) == len(items)
    for problem, (line, name, kind) in zip(problems, items):
        assert problem.startswith(f"{out}:{line}: "), problem
        what = f"entity {name}" if kind == "id" else f"({name} -["
        assert what in problem, problem
        assert "check it, then delete its `review: true` line" in problem and "--accept-drafts" in problem
    facts = [f"fact {i} ({f['from']} -[{f['type']}]-> {f['to']}): " for i, f in enumerate(drafted["facts"], 1)]
    assert [next(f for f in facts if f in p) for p in problems if "-[" in p] == facts


def test_reviewed_items_load_and_review_false_counts_as_reviewed(seeded, settings, draft):
    out, drafted = draft
    text = out.read_text(encoding="utf-8")
    # The reviewer accepts every item: deletes the line, or (some) sets it to false.
    reviewed = re.sub(r"\n *review: true", "", text, count=3)
    reviewed = reviewed.replace("review: true", "review: false")
    out.write_text(reviewed, encoding="utf-8")
    summary = load([out], driver=seeded, database=settings.database)
    assert summary.unreviewed == 0 and summary.as_dict()["unreviewed"] == 0
    assert summary.rels["MENTIONS"][0] == len(drafted["entities"])
    assert sum(v[0] for k, v in summary.rels.items() if k != "MENTIONS") == len(drafted["facts"])


def test_accept_drafts_loads_and_says_how_many(seeded, settings, draft):
    out, drafted = draft
    n = len(drafted["entities"]) + len(drafted["facts"])
    before = state(seeded, settings)
    dry = CliRunner().invoke(cli, ["load", "--dry-run", "--accept-drafts", str(out)])
    assert dry.exit_code == 0, dry.output
    assert f"{n} unreviewed draft item(s) (`review: true`) would go in (--accept-drafts)." in dry.output
    assert state(seeded, settings) == before
    result = CliRunner().invoke(cli, ["load", "--accept-drafts", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{n} unreviewed draft item(s) (`review: true`) went in (--accept-drafts)." in result.output
    rows = seeded.execute_query("MATCH (s:Source {id: $id}) RETURN s.file AS file, "
                                "COUNT { ()-[r]->() WHERE $id IN r.sources } AS facts", id=DRAFT_ID,
                                database_=settings.database).records
    assert [(r["file"], r["facts"]) for r in rows] == [("articles/moskvich-jac-kamaz.txt", len(drafted["facts"]))]
    # Loading it again without the flag is refused as before; the Python API counts the same.
    with pytest.raises(ValidationFailed):
        Graph(seeded, settings).load([out])
    assert Graph(seeded, settings).load([out], accept_drafts=True).unreviewed == n


def test_the_cli_refuses_a_draft_without_the_flag(seeded, settings, draft):
    out, drafted = draft
    before = counts(seeded, settings.database)
    result = CliRunner().invoke(cli, ["load", str(out)])
    assert result.exit_code == 1
    n = len(drafted["entities"]) + len(drafted["facts"])
    assert f"{n} problem(s) in the input; nothing was written" in result.output
    assert result.output.count("check it, then delete its `review: true` line") == n
    assert counts(seeded, settings.database) == before


def test_ingest_puts_the_article_beside_the_draft(tmp_path, seeded):
    out = tmp_path / "out" / "x.yaml"
    result = CliRunner().invoke(cli, ["ingest", str(ARTICLE), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "\n  file: articles/moskvich-jac-kamaz.txt\n" in text and "../" not in text
    assert (out.parent / "articles" / ARTICLE.name).read_bytes() == ARTICLE.read_bytes()
    # The draft folder stands on its own: moved elsewhere, it still loads (checked by --dry-run).
    moved = tmp_path / "moved"
    out.parent.rename(moved)
    dry = CliRunner().invoke(cli, ["load", "--dry-run", "--accept-drafts", str(moved / "x.yaml")])
    assert dry.exit_code == 0, dry.output


# ---- motorgraph articles -------------------------------------------------------------------------

def test_articles_lists_the_seed_sources(seed, neo4j_server):
    expected = article_list()
    assert [a["id"] for a in expected] == ["iran-russia-joint-production", "moskvich-jac-kamaz"]
    assert [(a["facts"], a["entities"]) for a in expected] == [(15, 12), (39, 27)]
    assert Graph(seed, neo4j_server).articles() == expected
    result = CliRunner().invoke(cli, ["articles", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == expected
    csv = CliRunner().invoke(cli, ["articles", "--format", "csv"]).output.splitlines()
    assert csv[0] == "id,title,publisher,date,file,facts,entities"
    assert csv[2] == f"moskvich-jac-kamaz,{expected[1]['title']},,,articles/moskvich-jac-kamaz.txt,39,27"
    table = CliRunner().invoke(cli, ["articles"]).output
    assert "iran-russia-joint-production" in table and "2 row(s)" in table
