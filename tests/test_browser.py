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
ALL_QUERIES = list_queries()






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


def as_browser_sends(params: dict) -> dict:
    """Browser's `:params {...}` reads the map in JavaScript: every number reaches Neo4j as a float."""
    return {k: float(v) if isinstance(v, int) and not isinstance(v, bool) else v for k, v in params.items()}


def test_guide_cypher_is_read_only_and_runs_on_the_seed_graph(seed, neo4j_server):
    """Neo4j plans every runnable block as read-only, and it runs in a READ transaction,
    with the parameters of the `:params` block before it as Browser sends them (numbers as
    floats), and every block finds something."""
    g = parsed_guide()
    params: dict = {}
    ran, failed = 0, []
    with seed.session(database=neo4j_server.database, default_access_mode=neo4j.READ_ACCESS) as s:
        for block in g.blocks:
            if block.startswith(":params"):
                params = as_browser_sends(s.run("RETURN " + block[len(":params"):].strip() + " AS p").single()["p"])
                continue
            assert not block.startswith(":"), f"unexpected Browser command {block!r}"
            kind = s.run("EXPLAIN " + block, params).consume().query_type
            assert kind == "r", f"Neo4j plans a guide block as {kind!r}, not read-only: {block}"
            try:
                rows = s.execute_read(lambda tx, q=block, p=params: tx.run(q, p).data())
            except neo4j.exceptions.Neo4jError as exc:
                failed.append(f"{block.splitlines()[0][:60]}... with {params}: {exc.message}")
                continue
            if not rows:
                failed.append(f"{block.splitlines()[0][:60]}... with {params}: no rows")
            ran += 1
    assert not failed, "guide blocks that fail as Browser runs them:\n" + "\n".join(failed)
    assert ran >= 6


@pytest.mark.parametrize("query", ALL_QUERIES, ids=[q.name for q in ALL_QUERIES])
def test_saved_query_answers_the_same_with_browsers_float_numbers(seed, neo4j_server, query):
    """`:params {limit: 25}` in Browser sends 25.0: each saved query gives the rows it gives for 25."""
    from motorgraph import library

    example = library.coerce_params(query, {}, use_examples=True)
    with seed.session(database=neo4j_server.database, default_access_mode=neo4j.READ_ACCESS) as s:
        as_ints = s.execute_read(lambda tx: tx.run(query.cypher, example).data())
        as_floats = s.execute_read(lambda tx: tx.run(query.cypher, as_browser_sends(example)).data())
    assert as_floats == as_ints


@pytest.mark.parametrize("query", ALL_QUERIES, ids=[q.name for q in ALL_QUERIES])
def test_every_integer_parameter_is_made_an_integer_in_the_cypher(query):
    """Wherever an integer parameter is used it is `toInteger($name)`, so a float from Browser
    works in LIMIT, slices and ranges alike (the float test above sees only the seed graph's paths)."""
    code = "\n".join(line.split("//")[0] if not line.lstrip().startswith("//") else ""
                     for line in query.cypher.splitlines())
    for p in query.params:
        if p.type != "integer":
            continue
        uses = re.findall(r"(\w*\(?)\$" + re.escape(p.name) + r"\b", code)
        assert uses, f"{query.name}: ${p.name} is not used"
        bare = [u for u in uses if u != "toInteger("]
        assert not bare, f"{query.name}: ${p.name} used without toInteger() {len(bare)} time(s)"


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


# ---- Browser as a person uses it: connect, play, run, import, style -----------------------------
@pytest.fixture
def connected(neo4j_server, seed, browser):
    """The served Browser, connected with the local server's generated password; the guide
    it plays after connecting is open (and pinned, so it stays however many frames follow)."""
    if not neo4j_server.local:
        pytest.skip("NEO4J_URI is set: Browser is checked on motorgraph's own local server only")
    from browser_ui import connect
    from motorgraph.pictures.png import open_page, wait_until

    test_guide_is_served_by_the_local_server(neo4j_server)  # the server has the current guide
    user, password = neo4j_server.auth()
    with open_page(browser, neo4j_server.browser_url, width=1400, height=1000,
                   allow=local_origins(neo4j_server), timeout=60) as view:
        connect(view, f"127.0.0.1:{neo4j_server.bolt_port}", user, password)
        wait_until(view, "document.querySelector('[data-testid=carousel] pre.runnable') !== null", timeout=60,
                   what="Browser did not play the guide after connecting")
        guide = view.page.locator("[data-testid=frame]", has=view.page.locator("[data-testid=carousel]"))
        assert guide.locator("[data-testid=frameCommand]").inner_text().replace("\u00a0", " ").strip() \
            == f":play {guide_url(neo4j_server)}"
        guide.locator("button[title='Pin at top']").click()
        yield view, guide


def test_browser_runs_every_block_of_every_guide_slide(connected):
    """Slide by slide, every code block is clicked into the editor and run, as the guide says:
    each `:params` block is accepted, and each query shows rows and no error."""
    from browser_ui import click_into_editor, error_banner, run_editor, screenshot

    view, guide = connected
    g = parsed_guide()
    failed: list[str] = []
    ran: list[str] = []
    for number, title in enumerate(g.titles, start=1):
        guide.locator(f"li[aria-label='{number}']").click()
        guide.locator("h3", has_text=title).first.wait_for()
        blocks = guide.locator("[data-testid=carousel] pre.runnable")
        for i in range(blocks.count()):
            code = click_into_editor(view, blocks.nth(i))
            frame = run_editor(view)
            if code.startswith(":params"):
                if "Successfully set your parameters" not in frame.text:
                    failed.append(f"slide {number} ({title}): {code} was not accepted: {frame.text[:300]}")
            elif frame.error is not None:
                failed.append(f"slide {number} ({title}): error {frame.error[:300]}")
            elif not frame.records:
                failed.append(f"slide {number} ({title}): no rows; the status bar says {frame.status!r}")
            else:
                ran.append(title)
        if title == "supply-routes":
            screenshot(view, "guide-supply-routes.png")
    screenshot(view, "guide-last-slide.png")
    assert error_banner(view) is None
    assert not failed, f"{len(failed)} guide block(s) fail in Browser:\n" + "\n".join(failed)
    from motorgraph.browser.guide import saved_query_names
    assert set(saved_query_names()) <= set(ran)


def favorite_params_block(params_txt: str, name: str) -> str:
    """The lines params.txt gives for one saved query: its `// name:` comment to the blank line."""
    blocks = params_txt.strip().split("\n\n")
    return next(b for b in blocks if b.startswith(f"// {name}:"))


def test_browser_imports_the_favorites_and_runs_one(connected, tmp_path):
    """The favorites zip dropped on Browser becomes a `motorgraph` folder with one favorite per
    saved question, named after it; a query's `:param` block from params.txt, pasted as one
    block, sets its parameters; the favorite then shows rows."""
    import json

    from browser_ui import drop_file, error_banner, run_editor, run_favorite, screenshot, type_in_editor

    view, _guide = connected
    page = view.page
    zip_path = tmp_path / "motorgraph-favorites.zip"
    export_favorites(zip_path)
    drop_file(view, zip_path)
    assert error_banner(view) is None
    page.click("button[name=Favorites]")
    page.locator("[data-testid='expandFolder-motorgraph']").click()
    shown = page.locator("[data-testid=savedScriptListItem] [data-testid^='scriptTitle-']").all_inner_texts()
    assert sorted(t.strip() for t in shown) == sorted(q.question for q in ALL)

    with zipfile.ZipFile(zip_path) as zf:
        block = favorite_params_block(zf.read("params.txt").decode("utf-8"), "partners")
    type_in_editor(view, block)
    frame = run_editor(view)
    assert frame.error is None and "Status: error" not in frame.text, frame.text
    type_in_editor(view, ":params")
    shown_params = run_editor(view).text
    params = json.loads(shown_params[shown_params.index("{"):shown_params.index("}") + 1])
    assert params == {"company": "KAMAZ", "limit": 25}, shown_params

    question = next(q.question for q in ALL if q.name == "partners")
    frame = run_favorite(view, question)
    screenshot(view, "favorites-partners.png")
    assert frame.error is None, frame.error
    assert frame.records and frame.records > 0, frame.text[:500]


def test_browser_applies_the_style(connected):
    """schema/style.grass dropped on Browser colours the drawn nodes with the palette's colours."""
    from browser_ui import drop_file, error_banner, node_fills, run_editor, screenshot, type_in_editor

    view, _guide = connected
    query = "MATCH (n) WHERE n.id IN ['kamaz', 'russia'] RETURN n"
    expected = {"KAMAZ": LABEL_COLORS["Company"].upper(), "Russia": LABEL_COLORS["Country"].upper()}
    type_in_editor(view, query)
    run_editor(view, table=False)
    before = node_fills(view, query, len(expected))
    assert set(before) == set(expected), before
    assert before != expected, "Browser's own colours already are the style's: the check would prove nothing"
    drop_file(view, GRASS)
    view.page.wait_for_timeout(500)
    assert error_banner(view) is None
    type_in_editor(view, query)
    run_editor(view, table=False)
    after = node_fills(view, query, len(expected))
    screenshot(view, "style-applied.png")
    assert after == expected


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
    assert ":param company => 'KAMAZ';" in lines
    assert ":param plant => 'Renault\\'s Moscow plant';" in lines
    assert ":param hops => 2;" in lines
    for q in ALL:
        assert f"// {q.name}: {q.question}" in params
        for p in q.params:
            assert re.search(rf"^:param {p.name} => .+;$", params, re.M)
    assert [line for line in params.splitlines() if line] == lines
