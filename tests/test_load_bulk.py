"""The bulk path of `motorgraph load` (neo4j-admin import into the local server) against the
project's own local Neo4j: the same graph as the online loader, the refusals and the reasons
the command prints, and a failed import that leaves the previous database and a running server.

Each bulk load stops and starts the test server, so the tests here keep to three of them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks.generate import generate
from benchmarks.sources import QUOTE, source_id
from conftest import REPO, dump, wipe
from motorgraph.adminimport import ImportFailed, replace_database
from motorgraph.cli import cli
from motorgraph.loaders import load, validate
from motorgraph.loaders.bulk import BULK_MIN_ROWS, ImportWriter, choose_path, reconnect
from motorgraph.loaders.counts import stale_counts
from motorgraph.schema_ops import apply_schema
from motorgraph.server import LocalServer

pytestmark = pytest.mark.skipif(bool(os.environ.get("NEO4J_URI")),
                                reason="NEO4J_URI is set: the bulk path runs on motorgraph's own local server only")


@pytest.fixture(scope="module")
def tiny_ds(tmp_path_factory):
    return generate("tiny", tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="module")
def tiny(tiny_ds) -> list[Path]:
    """The benchmark's `tiny` generated industry: its sources' folder, a node file, a relationship file."""
    return tiny_ds.inputs


def online_dump(driver, settings, paths) -> list:
    wipe(driver, settings.database)
    apply_schema(driver, settings.database)
    summary = load(paths, driver=driver, database=settings.database, show_progress=False,
                   settings=settings, mode="online")
    assert summary.path == "online"
    return dump(driver, settings.database)


def overlap_files(folder: Path) -> list[Path]:
    """CSV rows the bulk writer holds back and merges: a row of an entity a YAML file defines,
    rows restating YAML facts (another source), and one fact that two rows (two sources) state."""
    folder.mkdir(parents=True, exist_ok=True)
    nodes, rels = folder / "overlap-nodes.csv", folder / "overlap-rels.csv"
    nodes.write_text("id:ID,:LABEL,name,aliases:string[],kind\nkamaz,Company,KAMAZ,Kamaz,automaker\n", encoding="utf-8")
    synthetic = f"{source_id(0)},{QUOTE}"
    seed = "moskvich-jac-kamaz,Moskvich Production Plans Align with JAC and KAMAZ Partners in Russia"
    rels.write_text(":START_ID,:TYPE,:END_ID,source,quote\n"
                    f"moscow,LOCATED_IN,russia,{synthetic}\njac,LOCATED_IN,china,{synthetic}\n"
                    f"kamaz,LOCATED_IN,russia,{synthetic}\nkamaz,LOCATED_IN,russia,{seed}\n", encoding="utf-8")
    return [nodes, rels]


def test_bulk_path_gives_the_online_loaders_graph(db, settings, tiny, tiny_ds, tmp_path):
    """Seed data and the generated industry together: YAML and CSV, provenance lists, Sources,
    MENTIONS, CSV rows merged into YAML entities and facts, a fact two rows state. The database
    holds the online load when the bulk load replaces it."""
    paths = [REPO / "data", *tiny, *overlap_files(tmp_path)]
    online = online_dump(db, settings, paths)
    # Take the replaced store's transaction ids well past the new store's, with bookmarks the
    # driver keeps for execute_query: the driver must not wait for them after the swap.
    for i in range(150):
        db.execute_query("CREATE (:BookmarkProbe {i: $i})", i=i, database_=settings.database)
    told = []
    summary = load(paths, driver=db, database=settings.database, show_progress=False, settings=settings,
                   replace=True, on_path=told.append)
    assert [c.bulk for c in told] == [True]
    assert summary.path == "bulk"
    assert list(summary.phases) == ["validate + write CSV", "finish CSV", "import + stop", "start", "lists + markets",
                                    "indexes online"]
    assert all(s >= 0 for s in summary.phases.values())
    bulk = dump(db, settings.database)
    assert len(bulk[0]) == len(online[0]) and len(bulk[1]) == len(online[1])
    assert bulk == online
    assert stale_counts(db, settings.database) == []  # the counts came in the import files
    facts = [r for r in bulk[1] if r[1] != "MENTIONS"]
    assert all(dict(props).get("sources") for *_, props in facts)  # provenance came through
    stated_twice = [dict(props)["sources"] for start, rtype, end, props in facts
                    if (start, rtype, end) == ("kamaz", "LOCATED_IN", "russia")]
    assert stated_twice == [repr([source_id(0), "moskvich-jac-kamaz"])]
    assert summary.nodes_created == len(bulk[0])
    assert summary.relationships_created == len(bulk[1])
    # The schema is back and ONLINE, and the driver the load was given still works.
    with db.session(database=settings.database) as s:
        states = {r["state"] for r in s.run("SHOW INDEXES YIELD state")}
    assert states == {"ONLINE"}
    records, _, _ = db.execute_query("MATCH (n:Source) RETURN count(n) AS n", database_=settings.database)
    assert records[0]["n"] == 2 + tiny_ds.sources  # the seed data's two articles and the generated ones


def test_bulk_refuses_a_database_with_data_without_replace_and_replace_replaces(seeded, settings, tiny):
    seed = dump(seeded, settings.database)
    nodes = len(seed[0])
    refused = CliRunner().invoke(cli, ["load", "--bulk", *map(str, tiny)])
    assert refused.exit_code == 1
    assert refused.output.strip().splitlines()[-1] == (
        f"Error: the local database is not empty ({nodes:,} nodes) and --bulk would replace it; add "
        "--replace to replace it with the input, or drop --bulk to add the input with the online loader")
    assert dump(seeded, settings.database) == seed
    # Without a flag, a database with data gets the online loader, and the command says why.
    chosen = choose_path(settings, seeded, settings.database, 10 * BULK_MIN_ROWS)
    assert chosen.describe() == (f"Load path: online (transactions): the local database is not empty ({nodes:,} "
                                 "nodes); the online loader adds to it (--replace would replace it with the input).")

    tiny_only = online_dump(seeded, settings, tiny)
    load([REPO / "data"], driver=seeded, database=settings.database, show_progress=False, settings=settings)
    held = len(dump(seeded, settings.database)[0])
    assert held > len(tiny_only[0])
    replaced = CliRunner().invoke(cli, ["load", "--replace", *map(str, tiny)])
    assert replaced.exit_code == 0, replaced.output
    lines = replaced.output.splitlines()
    assert lines[0] == (f"Load path: bulk (neo4j-admin database import): --replace given: the local database "
                        f"({held:,} nodes) is replaced by the input.")
    assert any(line.startswith("Phases: validate ") and " import " in line for line in lines)
    assert dump(seeded, settings.database) == tiny_only  # the seed data is gone


def test_a_failed_import_keeps_the_database_and_the_server(seeded, settings, tiny, tmp_path):
    before = dump(seeded, settings.database)
    plan = validate(tiny)
    assert not plan.problems
    files = ImportWriter(plan, tmp_path / "files").write()
    rels = files.relationships[0][0]
    header, first = rels.read_text(encoding="utf-8").splitlines()[:2]
    rtype = first.split(",")[2]
    with open(rels, "a", encoding="utf-8") as fh:  # a relationship between nodes no file has
        fh.write('"nobody","nowhere",' + rtype + "," * (len(header.split(",")) - 3) + "\n")
    server = LocalServer(settings)
    with pytest.raises(ImportFailed, match="neo4j-admin database import full failed") as failed:
        replace_database(server, files, settings.database or "neo4j")
    plan.labels.close()
    assert "nobody" in str(failed.value)  # the tool's report names the bad row
    assert server.is_running()
    reconnect(seeded, settings.database)
    assert dump(seeded, settings.database) == before
    assert not (server.home / "bulk-import" / "data").exists()  # the half-made store is gone


def test_small_input_and_remote_target_take_the_online_path(db, settings):
    chosen = choose_path(settings, db, settings.database, 40)
    assert chosen.describe() == ("Load path: online (transactions): the input has 40 rows, under 50,000: a "
                                 "server stop and start would cost more than it saves.")
    big = choose_path(settings, db, settings.database, BULK_MIN_ROWS)
    assert big.describe() == ("Load path: bulk (neo4j-admin database import): the local database is empty and "
                              "the input has 50,000 rows (the bulk path pays off from 50,000).")
    uri = f"bolt://127.0.0.1:{settings.bolt_port}"
    remote = {"NEO4J_URI": uri, "NEO4J_USERNAME": "neo4j",
              "NEO4J_PASSWORD": settings.password_file.read_text().strip()}
    result = CliRunner().invoke(cli, ["load", str(REPO / "data")], env=remote)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        f"Load path: online (transactions): the target {uri} is not motorgraph's local server "
        "(NEO4J_URI is set); the bulk path writes the local server's files.")
    refused = CliRunner().invoke(cli, ["load", "--bulk", str(REPO / "data")], env=remote)
    assert refused.exit_code == 1
    assert refused.output.strip().splitlines()[-1] == (
        f"Error: --bulk needs motorgraph's local server, but NEO4J_URI points at {uri} (not motorgraph's "
        "local server); drop --bulk: the online loader works with any server")


def test_a_multi_line_file_longer_than_one_read_buffer_imports(settings, tmp_path):
    """Articles quote people (`said, "…"`): in a multi-line file longer than the admin tool's
    4 MiB read buffer, that once made the tool cut a row in two ("Weird input data, found CR
    outside a text cell"); the read buffer now holds the whole file."""
    from motorgraph.adminimport import READ_BUFFER, ImportFiles, run_import

    para = 'He said, "we build cars, trucks and vans", and left.\nThen: "more", again, "and more".\n'
    text = (para * 1200).replace('"', '""')
    nodes = tmp_path / "nodes.csv"
    nodes.write_text("id:ID,:LABEL,text\n" + "".join(f'"s{i}",Source,"{text}"\n' for i in range(60)),
                     encoding="utf-8")
    assert nodes.stat().st_size > READ_BUFFER
    files = ImportFiles(tmp_path, nodes=[(nodes, True)])
    assert f"--read-buffer-size={nodes.stat().st_size + READ_BUFFER}" in files.arguments()
    staging = tmp_path / "staging"
    staging.mkdir()
    got = run_import(LocalServer(settings), files, "neo4j", staging)
    assert got["counts"]["nodes"] == 60
