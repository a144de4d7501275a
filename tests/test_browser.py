"""Neo4j Browser: schema/style.grass (colours and captions, the same palette as the pictures),
the guide schema/guide/motorgraph.html (current, parseable, read-only, served by the local
server, and played by Browser itself in headless Chromium) and the favorites export.
"""

from __future__ import annotations

import html
import re
import urllib.request
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import neo4j
import pytest

from motorgraph.browser.favorites import export_favorites
from motorgraph.browser.style import LABEL_COLORS, grass, parse_grass
from motorgraph.library import list_queries
from motorgraph.model import load_model

REPO = Path(__file__).resolve().parent.parent
GRASS = REPO / "schema" / "style.grass"
GUIDE = REPO / "schema" / "guide" / "motorgraph.html"






# ---- the style sheet ---------------------------------------------------------------------------
def test_grass_parses_and_styles_every_label():
    rules = parse_grass(GRASS.read_text(encoding="utf-8"))
    for label in load_model().labels:
        rule = rules.get(f"node.{label}")
        assert rule is not None, f"style.grass has no rule for {label}"
        assert rule["color"].lower() == LABEL_COLORS[label].lower()
        assert rule["caption"] == "{name}"
        assert re.fullmatch(r"#[0-9A-Fa-f]{6}", rule["border-color"])
        assert re.fullmatch(r"#[0-9A-Fa-f]{6}", rule["text-color-internal"])
        assert re.fullmatch(r"\d+px", rule["diameter"])
    assert rules["relationship"]["caption"] == "<type>"
    assert rules["node"]["caption"] == "{name}"
    # the palette has exactly the model's labels: a new label needs a colour
    assert set(LABEL_COLORS) == set(load_model().labels)


def test_grass_is_current():
    assert GRASS.read_text(encoding="utf-8") == grass(), "schema/style.grass is stale: run `motorgraph style`"


@pytest.mark.parametrize("bad", [
    "node { color: #fff ",                       # unclosed
    "/* a comment */ node { color: #fff; }",     # Browser has no comments
    "node { color #fff; }",                      # no colon
    "node.Company { caption: '{name}; }",        # unclosed string
    "edge { color: #fff; }",                     # not a GraSS selector
])
def test_grass_parser_rejects_what_browser_would_misread(bad):
    with pytest.raises(ValueError):
        parse_grass(bad)


# ---- the guide -------------------------------------------------------------------------------
class GuideParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, dict]] = []
        self.slides = 0
        self.titles: list[str] = []
        self.blocks: list[str] = []  # text of runnable <pre> blocks, in order
        self.article_guide = False
        self._pre: list[str] | None = None
        self._h3: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "article" and "guide" in (a.get("class") or "").split():
            self.article_guide = True
        if tag == "slide":
            self.slides += 1
        if tag == "pre" and "runnable" in (a.get("class") or "").split():
            self._pre = []
        if tag == "h3":
            self._h3 = []

    def handle_endtag(self, tag):
        if tag == "pre" and self._pre is not None:
            self.blocks.append("".join(self._pre).strip())
            self._pre = None
        if tag == "h3" and self._h3 is not None:
            self.titles.append("".join(self._h3).strip())
            self._h3 = None

    def handle_data(self, data):
        if self._pre is not None:
            self._pre.append(data)
        if self._h3 is not None:
            self._h3.append(data)


def parsed_guide() -> GuideParser:
    p = GuideParser()
    p.feed(GUIDE.read_text(encoding="utf-8"))
    return p


def test_guide_is_current():
    from motorgraph.browser.guide import guide_html

    assert GUIDE.read_text(encoding="utf-8") == guide_html(), \
        "schema/guide/motorgraph.html is stale: run `motorgraph style`"


def test_guide_has_slides_and_every_saved_question():
    from motorgraph import library
    from motorgraph.browser.guide import saved_query_names

    g = parsed_guide()
    assert g.article_guide
    names = saved_query_names()
    assert names, "no saved queries in queries/"
    assert g.slides == len(g.titles) >= 5 + len(names) + 1
    for name in names:
        assert name in g.titles, f"no slide for the saved query {name}"
        assert library.get_query(name).cypher.strip() in g.blocks


def test_guide_cypher_is_read_only_and_runs_on_the_seed_graph(seed, neo4j_server):
    """Neo4j plans every runnable block as read-only, and it runs in a READ transaction,
    with the parameters of the `:params` block before it, and the questions find something."""
    g = parsed_guide()
    params: dict = {}
    ran = 0
    with seed.session(database=neo4j_server.database, default_access_mode=neo4j.READ_ACCESS) as s:
        for block in g.blocks:
            if block.startswith(":params"):
                params = s.run("RETURN " + block[len(":params"):].strip() + " AS p").single()["p"]
                continue
            assert not block.startswith(":"), f"unexpected Browser command {block!r}"
            kind = s.run("EXPLAIN " + block, params).consume().query_type
            assert kind == "r", f"Neo4j plans a guide block as {kind!r}, not read-only: {block}"
            s.execute_read(lambda tx, q=block, p=params: tx.run(q, p).data())
            ran += 1
    assert ran >= 6


# ---- served by the local server, played by Browser ------------------------------------------
def guide_url(settings) -> str:
    return f"http://localhost:{settings.http_port}/browser/guides/motorgraph.html"


def test_guide_is_served_by_the_local_server(neo4j_server):
    if not neo4j_server.local:
        pytest.skip("NEO4J_URI is set: the guide is served by motorgraph's own local server only")
    from motorgraph.server import LocalServer

    def fetch() -> tuple[int, bytes]:
        with urllib.request.urlopen(guide_url(neo4j_server).replace("localhost", "127.0.0.1"), timeout=20) as r:
            return r.status, r.read()

    status, body = fetch()
    if body != GUIDE.read_bytes():
        # A server kept from an earlier run copied an older guide at its start; copy again
        # (what every start does) and ask once more.
        server = LocalServer(neo4j_server)
        server._prepare_static(server.classpath(echo=lambda *_: None))
        status, body = fetch()
    assert status == 200
    assert body == GUIDE.read_bytes()
    conf = (neo4j_server.home / "conf" / "neo4j.conf").read_text()
    assert f"browser.post_connect_cmd=play {guide_url(neo4j_server)}" in conf


def local_origins(settings) -> tuple[str, ...]:
    """The local server's HTTP origins, the only network a Browser page may reach."""
    return tuple(f"http://{host}:{settings.http_port}/" for host in ("127.0.0.1", "localhost"))


def test_browser_loads_in_headless_chromium(neo4j_server, browser):
    if not neo4j_server.local:
        pytest.skip("NEO4J_URI is set: Browser is checked on motorgraph's own local server only")
    from motorgraph.pictures.png import open_page, wait_until

    with open_page(browser, f"http://127.0.0.1:{neo4j_server.http_port}/browser/",
                   allow=local_origins(neo4j_server), timeout=60) as view:
        wait_until(view, "document.body.innerText.trim().length > 0", timeout=60)  # the app has drawn
        title = view.page.title()
        dom = view.page.content()
    assert html.unescape(title).strip() == "Neo4j Browser", dom[:500]


def test_browser_plays_the_guide(neo4j_server, browser):
    """Browser fetches the guide from the allow-listed localhost and shows its slides."""
    if not neo4j_server.local:
        pytest.skip("NEO4J_URI is set: Browser is checked on motorgraph's own local server only")
    from motorgraph.pictures.png import open_page, wait_until

    test_guide_is_served_by_the_local_server(neo4j_server)  # the server has the current guide
    g = parsed_guide()
    url = (f"http://127.0.0.1:{neo4j_server.http_port}/browser/?cmd=play&arg={guide_url(neo4j_server)}")
    shown = "document.querySelectorAll('pre.runnable').length > 0"
    with open_page(browser, url, width=1400, height=900, allow=local_origins(neo4j_server),
                   timeout=60) as view:
        wait_until(view, shown, timeout=60)
        view.page.wait_for_timeout(1000)
        title = view.page.title()
        text = view.page.inner_text("body")
    assert title == "Neo4j Browser"
    assert f"1 / {g.slides}" in text.replace("\u2009", " ")
    assert g.titles[0] in text
    first_code = html.unescape(g.blocks[0])
    assert first_code in text


# ---- favorites ---------------------------------------------------------------------------------

ALL = list_queries()
NAMES = [q.name for q in ALL]


def test_export_favorites(tmp_path):
    out = tmp_path / "fav.zip"
    lines = export_favorites(out)
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert sorted(n for n in names if n.endswith(".cypher")) == sorted(f"motorgraph/{n}.cypher" for n in NAMES)
        for q in ALL:
            content = zf.read(f"motorgraph/{q.name}.cypher").decode("utf-8")
            assert content == q.path.read_text(encoding="utf-8")
            assert content.splitlines()[0] == f"// {q.question}"  # Browser's favorite name
        params = zf.read("params.txt").decode("utf-8")
    assert ":param company => 'KAMAZ'" in lines
    assert ":param plant => 'Renault\\'s Moscow plant'" in lines
    assert ":param hops => 2" in lines
    for q in ALL:
        assert f"// {q.name}: {q.question}" in params
        for p in q.params:
            assert f":param {p.name} => " in params
    assert [line for line in params.splitlines() if line] == lines
