"""Loading the seed dataset (data/*.yaml) into a real Neo4j: counts, provenance, idempotence,
order independence, merged evidence, the articles' exact values and `--dry-run`.

Expected counts are computed here straight from the YAML files (motorgraph.yamlio), not
from the loader's own plan, so a loader that drops, duplicates or invents anything fails.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

from click.testing import CliRunner

from conftest import counts, dump, wipe
from motorgraph import yamlio
from motorgraph.cli import cli
from motorgraph.loaders import load

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
SEED_FILES = sorted(DATA.glob("*.yaml"))
MODEL = yamlio.load((REPO / "schema" / "model.yaml").read_text(encoding="utf-8"))
# Key properties per relationship type, read from the model file (PARTNERS_WITH: on).
KEYS = {t: tuple(spec.get("key") or ()) for t, spec in MODEL["relationships"].items()}


def _normalise(text: str) -> str:
    """Whitespace runs and curly/straight quote marks only, as docs/data-format.md says."""
    text = (text.replace("\u2018", "'").replace("\u2019", "'")
                .replace("\u201c", '"').replace("\u201d", '"'))
    return " ".join(text.split())


def expected_counts(files: list[Path]) -> dict:
    """Node counts per label and relationship counts per type, from the YAML alone."""
    entities: dict[str, str] = {}  # id -> label, deduplicated across files
    facts: set[tuple] = set()
    mentions = 0
    for f in files:
        doc = yamlio.load(f.read_text(encoding="utf-8"))
        ids = set()
        for e in doc.get("entities") or []:
            assert entities.setdefault(e["id"], e["label"]) == e["label"], e["id"]
            ids.add(e["id"])
        mentions += len(ids)
        for fact in doc.get("facts") or []:
            props = fact.get("properties") or {}
            key = tuple((k, props.get(k)) for k in KEYS[fact["type"]])
            facts.add((fact["from"], fact["type"], fact["to"], key))
    nodes = Counter(entities.values())
    nodes["Source"] = len(files)
    rels = Counter(t for _, t, _, _ in facts)
    rels["MENTIONS"] = mentions
    return {"nodes": dict(nodes), "relationships": dict(rels)}


def load_seed(driver, settings, paths=None, **kw):
    return load(paths or [DATA], driver=driver, database=settings.database, **kw)


def one(driver, settings, cypher: str, **params):
    with driver.session(database=settings.database) as s:
        rows = [r.data() for r in s.run(cypher, **params)]
    assert len(rows) == 1, (cypher, rows)
    return rows[0]


def rows(driver, settings, cypher: str, **params) -> list[dict]:
    with driver.session(database=settings.database) as s:
        return [r.data() for r in s.run(cypher, **params)]


# ---- counts ---------------------------------------------------------------------------

def test_seed_counts_match_the_yaml(db, settings):
    expected = expected_counts(SEED_FILES)
    # Sanity of the independent computation itself: both files share `russia`, and
    # PARTNERS_WITH moskvich->jac exists twice with different `on` values.
    assert expected["nodes"]["Source"] == 2
    assert expected["nodes"]["Country"] == 6
    assert expected["relationships"]["PARTNERS_WITH"] == 8
    load_seed(db, settings)
    assert counts(db, settings.database) == expected


def test_provenance_on_every_relationship(db, settings):
    load_seed(db, settings)
    articles = {}
    for r in rows(db, settings, "MATCH (s:Source) RETURN s.id AS id, s.file AS file, s.sha256 AS sha"):
        raw = (DATA / r["file"]).read_bytes()
        assert hashlib.sha256(raw).hexdigest() == r["sha"]
        articles[r["id"]] = _normalise(raw.decode("utf-8"))
    assert set(articles) == {"moskvich-jac-kamaz", "iran-russia-joint-production"}
    rels = rows(db, settings, "MATCH (a)-[r]->(b) WHERE type(r) <> 'MENTIONS' "
                "RETURN a.id AS a, type(r) AS t, b.id AS b, r.sources AS sources, r.quotes AS quotes")
    assert len(rels) == sum(v for k, v in counts(db, settings.database)["relationships"].items()
                            if k != "MENTIONS")
    for r in rels:
        where = f"{r['a']} -[{r['t']}]-> {r['b']}"
        assert isinstance(r["sources"], list) and r["sources"], where
        assert isinstance(r["quotes"], list) and len(r["quotes"]) == len(r["sources"]), where
        for sid, quote in zip(r["sources"], r["quotes"]):
            assert quote.strip(), where
            assert _normalise(quote) in articles[sid], (where, quote)
    # MENTIONS carry no provenance lists.
    assert rows(db, settings, "MATCH ()-[r:MENTIONS]->() WHERE r.sources IS NOT NULL RETURN r") == []


# ---- idempotence and order ---------------------------------------------------------------

def test_loading_twice_changes_nothing(db, settings):
    first = load_seed(db, settings)
    assert first.nodes_created == sum(expected_counts(SEED_FILES)["nodes"].values())
    c1, d1 = counts(db, settings.database), dump(db, settings.database)
    second = load_seed(db, settings)
    assert second.nodes_created == 0
    assert second.relationships_created == 0
    assert all(v["created"] == 0 for kind in ("nodes", "relationships")
               for v in second.as_dict()[kind].values())
    assert counts(db, settings.database) == c1
    assert dump(db, settings.database) == d1


def test_file_order_does_not_matter(db, settings):
    load_seed(db, settings, SEED_FILES)
    forward = dump(db, settings.database)
    wipe(db, settings.database)
    assert counts(db, settings.database) == {"nodes": {}, "relationships": {}}
    load_seed(db, settings, list(reversed(SEED_FILES)))
    assert dump(db, settings.database) == forward


# ---- the same fact in two articles ------------------------------------------------------------

def _article_file(dir: Path, name: str, text: str) -> tuple[str, str]:
    (dir / "articles").mkdir(exist_ok=True)
    path = dir / "articles" / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    return f"articles/{name}.txt", hashlib.sha256(path.read_bytes()).hexdigest()


def _two_article_files(tmp_path: Path) -> list[Path]:
    out = []
    for sid, text, quote in (
        ("article-one", "Acme Motors said on Monday it will build vans with Bolt Works.\n",
         "Acme Motors said on Monday it will build vans with Bolt Works."),
        ("article-two", "Bolt Works confirmed the van deal with Acme Motors.\nNothing else.\n",
         "Bolt Works confirmed the van deal with Acme Motors."),
    ):
        rel, sha = _article_file(tmp_path, sid, text)
        f = tmp_path / f"{sid}.yaml"
        f.write_text(f"""\
source:
  id: {sid}
  title: {sid}
  file: {rel}
  sha256: {sha}
entities:
  - {{id: acme-motors, label: Company, name: Acme Motors, properties: {{kind: automaker}}}}
  - {{id: bolt-works, label: Company, name: Bolt Works, properties: {{kind: supplier}}}}
facts:
  - from: acme-motors
    type: PARTNERS_WITH
    to: bolt-works
    properties: {{"on": vans}}
    quote: {quote}
""", encoding="utf-8")
        out.append(f)
    return out


def test_a_fact_in_two_articles_is_one_relationship(db, settings, tmp_path):
    files = _two_article_files(tmp_path)
    load_seed(db, settings, files)
    rels = rows(db, settings, "MATCH (:Company {id: 'acme-motors'})-[r:PARTNERS_WITH]->(:Company {id: 'bolt-works'}) "
                "RETURN r.on AS on, r.sources AS sources, r.quotes AS quotes")
    assert rels == [{
        "on": "vans",
        "sources": ["article-one", "article-two"],
        "quotes": ["Acme Motors said on Monday it will build vans with Bolt Works.",
                   "Bolt Works confirmed the van deal with Acme Motors."],
    }]
    assert counts(db, settings.database) == {
        "nodes": {"Source": 2, "Company": 2},
        "relationships": {"PARTNERS_WITH": 1, "MENTIONS": 4},
    }
    # Loading one of the files again adds nothing (neither a second relationship nor a
    # repeated source), and the other order gives the same graph.
    before = dump(db, settings.database)
    again = load_seed(db, settings, files[1:])
    assert again.relationships_created == 0
    assert dump(db, settings.database) == before
    wipe(db, settings.database)
    load_seed(db, settings, list(reversed(files)))
    assert dump(db, settings.database) == before


# ---- what the articles say --------------------------------------------------------------------

def test_seed_content_from_the_articles(db, settings):
    load_seed(db, settings)
    plant = one(db, settings, "MATCH (c:Company)-[:OPERATES]->(p:Plant {id: 'moskvich-plant'}) "
                "RETURN p.capacity_per_year AS cap, c.id AS operator, c.name AS name")
    assert plant == {"cap": 300000, "operator": "moskvich", "name": "Moskvich"}
    assert type(plant["cap"]) is int
    renault = one(db, settings, "MATCH (c:Company)-[:OPERATES]->(p:Plant {id: 'renault-moscow-plant'}) "
                  "RETURN p.capacity_per_year AS cap, c.id AS operator")
    assert renault == {"cap": 180000, "operator": "renault"}
    assert one(db, settings, "MATCH (p:Plant {id: 'renault-moscow-plant'})-[:LOCATED_IN]->(c:City) "
               "RETURN c.name AS city") == {"city": "Moscow"}

    route = rows(db, settings, """
        MATCH (:Company {id: 'jac'})-[h1:SHIPS_TO]->(mid)-[h2:SHIPS_TO]->(:Country {id: 'russia'})
        OPTIONAL MATCH (mid)-[:LOCATED_IN]->(c:Country)
        RETURN mid.id AS id, mid.name AS name, labels(mid) AS labels, c.name AS country,
               h1.goods AS goods, h1.mode AS mode""")
    assert route == [{"id": "saryarkaavtoprom", "name": "SaryarkaAvtoProm", "labels": ["Company"],
                      "country": "Kazakhstan", "goods": "JAC vehicles", "mode": "logistics link"}]

    iev = one(db, settings, "MATCH (:Company {id: 'jac'})-[:MAKES]->(m:VehicleModel {name: 'iEV7S'}) "
              "RETURN m.id AS id, m.ev_range_km AS range, m.powertrain AS powertrain")
    assert iev == {"id": "jac-iev7s", "range": 300, "powertrain": "electric"}
    assert type(iev["range"]) is int

    spic = one(db, settings, "MATCH (:Company {id: 'kamaz'})-[r:PARTY_TO]->(a:Agreement {id: 'moskvich-spic'}) "
               "RETURN r.holds AS holds, r.status AS status, a.kind AS kind")
    assert spic == {"holds": False, "status": "pending approval", "kind": "special investment contract"}
    assert spic["holds"] is False  # a boolean, not the string "false" nor null

    person = one(db, settings, """
        MATCH (p:Person {id: 'kazim-celali'})
        RETURN p.name AS name,
               [(p)-[:REPRESENTS]->(c) | c.id] AS represents,
               [(p)-[:VISITED]->(x) | x.id] AS visited,
               [(p)-[:VISITED]->(x:Plant) | x.name] AS plants""")
    assert person == {"name": "Kazım Celali", "represents": ["iran"],
                      "visited": ["nizhny-novgorod-automobile-plant"],
                      "plants": ["Nizhny Novgorod automobile plant"]}

    # Entities of both files are merged into one node; each article mentions it.
    mentioned_by = one(db, settings, "MATCH (s:Source)-[:MENTIONS]->(:Country {id: 'russia'}) "
                       "RETURN collect(s.id) AS ids")["ids"]
    assert sorted(mentioned_by) == ["iran-russia-joint-production", "moskvich-jac-kamaz"]


# ---- dry run ------------------------------------------------------------------------------------

def test_dry_run_prints_the_plan_and_writes_nothing(db, settings):
    expected = expected_counts(SEED_FILES)
    result = CliRunner().invoke(cli, ["load", "--dry-run", str(DATA)], terminal_width=200)
    assert result.exit_code == 0, (result.output, result.exception)
    out = result.output
    assert "dry run" in out.lower() and "nothing written" in out.lower(), out
    # The plan lists each label and type with its row count.
    for kind, label, n in [("nodes", "Company", expected["nodes"]["Company"]),
                           ("nodes", "Source", 2),
                           ("relationships", "PARTNERS_WITH", expected["relationships"]["PARTNERS_WITH"]),
                           ("relationships", "MENTIONS", expected["relationships"]["MENTIONS"])]:
        assert re.search(rf"{kind}\s*│\s*{label}\s*│\s*{n}\s*│", out), (label, out)
    assert "created." not in out  # the "N nodes and M relationships created." line of a real load
    assert counts(db, settings.database) == {"nodes": {}, "relationships": {}}

    # Also on a database that already holds data: still nothing changes.
    load_seed(db, settings)
    before = dump(db, settings.database)
    result = CliRunner().invoke(cli, ["load", "--dry-run", str(DATA)], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert dump(db, settings.database) == before
