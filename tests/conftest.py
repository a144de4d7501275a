"""Test fixtures: every database test talks to a real Neo4j 5.

By default that is the project's own local server, run in a separate home and on separate
ports (.cache/test-home, Bolt 7688, HTTP 7475) so tests never touch the demo database.
With NEO4J_URI set, tests use that server instead (and wipe its database!).
If the server cannot start, database tests fail with the reason; they never skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

if not os.environ.get("NEO4J_URI"):
    os.environ["MOTORGRAPH_HOME"] = os.environ.get("MOTORGRAPH_TEST_HOME", str(REPO / ".cache" / "test-home"))
    os.environ["MOTORGRAPH_BOLT_PORT"] = os.environ.get("MOTORGRAPH_TEST_BOLT_PORT", "7688")
    os.environ["MOTORGRAPH_HTTP_PORT"] = os.environ.get("MOTORGRAPH_TEST_HTTP_PORT", "7475")

from harness.dump import dump, wipe  # noqa: E402,F401 - the canonical dump and wipe, for every test
from motorgraph.db import open_driver  # noqa: E402
from motorgraph.schema_ops import apply_schema  # noqa: E402
from motorgraph.server import LocalServer  # noqa: E402
from motorgraph.settings import Settings  # noqa: E402


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings.from_env()


@pytest.fixture(scope="session")
def neo4j_server(settings):
    """The running server's settings; starts the local one when NEO4J_URI is not set."""
    started = False
    if settings.local:
        server = LocalServer(settings)
        try:
            started = server.start()
        except Exception as exc:  # a database test must fail, not skip, without a server
            pytest.fail(f"could not start the local Neo4j for the tests: {exc}", pytrace=False)
    yield settings
    if started and not os.environ.get("MOTORGRAPH_TEST_KEEP_SERVER"):
        LocalServer(settings).stop()


@pytest.fixture(scope="session")
def driver(neo4j_server):
    try:
        drv = open_driver(neo4j_server)
    except Exception as exc:
        pytest.fail(f"cannot connect to the test Neo4j: {exc}", pytrace=False)
    apply_schema(drv, neo4j_server.database)
    yield drv
    drv.close()


@pytest.fixture
def db(driver, neo4j_server):
    """An empty database with the schema applied; yields the driver."""
    wipe(driver, neo4j_server.database)
    apply_schema(driver, neo4j_server.database)
    yield driver


@pytest.fixture(scope="module")
def seed(driver, neo4j_server):
    """The seed graph, loaded once per test module: wipe, apply the schema, load data/."""
    from motorgraph.loaders import load

    wipe(driver, neo4j_server.database)
    apply_schema(driver, neo4j_server.database)
    load([REPO / "data"], driver=driver, database=neo4j_server.database, show_progress=False)
    return driver


@pytest.fixture(scope="module")
def chromium():
    """Debian's headless Chromium; its absence fails the picture tests (never a skip)."""
    from motorgraph.pictures.png import ChromiumError, find_chromium

    try:
        return find_chromium()
    except ChromiumError as exc:
        pytest.fail(f"{exc} (the picture and Browser tests need it; `make install` installs it)", pytrace=False)


@pytest.fixture
def seeded(db, settings):
    """The seed dataset in an otherwise empty database (for tests that change it)."""
    from motorgraph.loaders import load

    load([REPO / "data"], driver=db, database=settings.database, show_progress=False)
    return db


@pytest.fixture
def browser(chromium):
    """That Chromium, launched by Playwright for one test (its sync API allows one at a time,
    so a test that runs `to_png` through the CLI must not hold this fixture)."""
    from motorgraph.pictures.png import launch

    with launch(chromium) as b:
        yield b


def counts(driver, database=None) -> dict:
    """Node counts per label and relationship counts per type."""
    with driver.session(database=database) as s:
        nodes = {r["l"]: r["c"] for r in s.run("MATCH (n) UNWIND labels(n) AS l RETURN l, count(*) AS c")}
        rels = {r["t"]: r["c"] for r in s.run("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS c")}
    return {"nodes": nodes, "relationships": rels}
