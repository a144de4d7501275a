"""Pictures of the graph (motorgraph.pictures.html): exactly the query's elements, the shared palette,
offline drawing in headless Chromium without console errors, PNGs, and `motorgraph demo`.

Chromium is Debian's `chromium` (`make install` puts it there); without it these tests
fail with the reason, they do not skip.
"""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from motorgraph import yamlio
from motorgraph.cli import cli
from motorgraph.browser.style import LABEL_COLORS, MENTIONS_COLOR

REPO = Path(__file__).resolve().parent.parent
ROUTE = ("supply-routes", {"brand": "JAC", "market": "Russia"})
# (query, params): pictures of these must hold exactly the query's nodes and relationships
QUERIES = [
    ROUTE,
    ("partners", {"company": "KAMAZ"}),
    ("partnership-network", None),  # None: the query's example parameters
]


def seed_node_count() -> int:
    """Entities (deduplicated by id) plus one Source per file, read from the YAML alone."""
    files = sorted((REPO / "data").glob("*.yaml"))
    ids = set()
    for f in files:
        doc = yamlio.load(f.read_text(encoding="utf-8"))
        ids |= {e["id"] for e in doc.get("entities") or []}
    return len(ids) + len(files)






def run(driver, settings, name, params):
    from motorgraph import library

    query = library.get_query(name)
    coerced = library.coerce_params(query, dict(params or {}), use_examples=params is None)
    return library.run_query(driver, name, coerced, database=settings.database)


def pixel_stddev(png: bytes) -> float:
    from PIL import Image, ImageStat

    img = Image.open(io.BytesIO(png)).convert("L")
    return math.sqrt(ImageStat.Stat(img).var[0])


# ---- the data in the page ------------------------------------------------------------------
@pytest.mark.parametrize("name,params", QUERIES, ids=[q[0] for q in QUERIES])
def test_query_picture_holds_exactly_the_query_result(seed, neo4j_server, tmp_path, name, params):
    from motorgraph.pictures.html import embedded_data, render_query

    result = run(seed, neo4j_server, name, params)
    want_rels = {r["element_id"] for r in result.relationships}
    want_nodes = {n["element_id"] for n in result.nodes}
    assert want_nodes or want_rels, f"{name} returned nothing to draw on the seed graph"
    # every relationship's ends are part of the result (a picture has no dangling edges)
    assert {e for r in result.relationships for e in (r["start"], r["end"])} <= want_nodes

    out = tmp_path / f"{name}.html"
    pic = render_query(seed, name, params or {}, out, database=neo4j_server.database,
                       use_examples=params is None)
    data = embedded_data(out.read_text(encoding="utf-8"))
    got_nodes = {n["id"] for n in data["nodes"]}
    got_rels = {r["id"] for r in data["relationships"]}
    assert got_nodes == want_nodes
    assert got_rels == want_rels
    assert pic.node_ids == want_nodes and pic.relationship_ids == want_rels
    for r in data["relationships"]:
        assert r["from"] in got_nodes and r["to"] in got_nodes


def test_supply_route_picture_is_jacs_route(seed, neo4j_server, tmp_path):
    from motorgraph.pictures.html import embedded_data, render_query

    render_query(seed, *ROUTE, tmp_path / "route.html", database=neo4j_server.database,
                 layout="hierarchical")
    data = embedded_data((tmp_path / "route.html").read_text(encoding="utf-8"))
    ids = {n["properties"]["id"] for n in data["nodes"]}
    assert {"jac", "saryarkaavtoprom", "russia"} <= ids
    ships = [r for r in data["relationships"] if r["properties"]["type"] == "SHIPS_TO"]
    assert len(ships) == 2
    assert data["options"]["layout"] == "hierarchical"
    assert data["options"]["layoutOptions"] == {"direction": "right"}


def test_picture_style_colours_captions_sizes_evidence(seed, neo4j_server, tmp_path):
    from motorgraph.pictures.html import embedded_data, render_all

    render_all(seed, tmp_path / "all.html", database=neo4j_server.database)
    data = embedded_data((tmp_path / "all.html").read_text(encoding="utf-8"))
    for n in data["nodes"]:
        label = n["properties"]["labels"][0]
        assert n["color"].lower() == LABEL_COLORS[label].lower(), label
        assert n["caption"] == (n["properties"].get("name") or n["properties"].get("title"))
    # the legend: one entry per label present, in the palette's colours
    entries = {e["label"]: e["color"].lower() for e in data["legend"]["nodes"]["entries"]}
    present = {n["properties"]["labels"][0] for n in data["nodes"]}
    assert entries == {lab: LABEL_COLORS[lab].lower() for lab in present}
    # size grows with degree (relationships other than MENTIONS)
    by_degree = sorted((n["properties"]["degree"], n["size"]) for n in data["nodes"])
    assert all(a[1] <= b[1] for a, b in zip(by_degree, by_degree[1:]))
    assert by_degree[0][1] < by_degree[-1][1]
    # relationship captions: type, and status when there is one; provenance on every fact
    for r in data["relationships"]:
        p = r["properties"]
        want = f"{p['type']} · {p['status']}" if p.get("status") else p["type"]
        assert r["caption"] == want
        if p["type"] == "MENTIONS":
            assert r["color"].lower() == MENTIONS_COLOR.lower()
            continue
        assert p["sources"] and len(p["quotes"]) == len(p["sources"])
        assert len(p["evidence"]) == len(p["sources"])
        for quote, line in zip(p["quotes"], p["evidence"]):
            assert quote in line
    route = [r for r in data["relationships"] if r["properties"]["type"] == "SHIPS_TO"]
    assert any("SaryarkaAvtoProm" in q for r in route for q in r["properties"]["quotes"])


def test_whole_graph_picture_has_the_seed_node_count(seed, neo4j_server, tmp_path):
    from motorgraph.pictures.html import embedded_data, render_all

    pic = render_all(seed, tmp_path / "all.html", database=neo4j_server.database)
    data = embedded_data(pic.path.read_text(encoding="utf-8"))
    n_rels = seed.execute_query("MATCH ()-[r]->() RETURN count(r) AS c",
                                  database_=neo4j_server.database).records[0]["c"]
    assert len(data["nodes"]) == seed_node_count()
    assert len(data["relationships"]) == n_rels
    facts = render_all(seed, tmp_path / "facts.html", database=neo4j_server.database,
                       include_sources=False)
    assert all("Source" not in n["labels"] for n in facts.nodes)
    assert all(r["type"] != "MENTIONS" for r in facts.relationships)


def test_page_is_self_contained(seed, neo4j_server, tmp_path):
    from motorgraph.pictures.html import render_all

    page = render_all(seed, tmp_path / "all.html", database=neo4j_server.database).path.read_text(encoding="utf-8")
    outside_scripts = re.sub(r"<(script|style)\b[^>]*>.*?</\1\s*>", "", page, flags=re.S | re.I)
    assert not re.search(r"<script\b[^>]*\bsrc=", page, re.I)
    assert not re.search(r"\b(src|href)\s*=\s*[\"']?(https?:)?//", outside_scripts, re.I)
    assert not re.search(r"@import\s+url\(\s*[\"']?(https?:)?//", page, re.I)
    assert "<title>The motorgraph knowledge graph</title>" in page


# ---- in a browser ------------------------------------------------------------------------------
def drawn(browser, html: Path, nodes: int, width: int, height: int):
    """Open a picture offline, wait until it has drawn `nodes` nodes and 2 s more; (view, PNG)."""
    from motorgraph.pictures.png import open_page, wait_until

    count = "(() => { const f = window.__Nvl_dumpNodes; return f ? (f() || []).length : 0 })()"
    with open_page(browser, html, width=width, height=height) as view:
        wait_until(view, f"{count} === {nodes}")
        view.page.wait_for_timeout(2000)
        png = view.page.screenshot()
    return view, png


@pytest.mark.parametrize("layout", ["force", "hierarchical"])
def test_picture_draws_offline_without_console_errors(seed, neo4j_server, tmp_path, browser, layout):
    from motorgraph.pictures.html import render_query

    pic = render_query(seed, *ROUTE, tmp_path / "route.html", database=neo4j_server.database,
                       layout=layout)
    view, png = drawn(browser, pic.path, len(pic.nodes), 1200, 800)
    assert view.errors == [], view.errors
    assert view.requests == [], f"the page asked the network for {view.requests}"
    assert pixel_stddev(png) > 8, "the screenshot is (nearly) blank"


def test_whole_graph_draws_offline(seed, neo4j_server, tmp_path, browser):
    from motorgraph.pictures.html import render_all

    pic = render_all(seed, tmp_path / "all.html", database=neo4j_server.database)
    view, png = drawn(browser, pic.path, seed_node_count(), 1400, 900)
    assert view.errors == [] and view.requests == [], (view.errors, view.requests)
    assert pixel_stddev(png) > 8


# What the page shows once it has fitted itself: NVL's own count of node centres inside the
# canvas (__Nvl_getNodesOnScreen), the zoom, and the nodes' extent (positions before zoom).
_ON_SCREEN = """(() => {
  const ns = window.__Nvl_dumpNodes() || [], z = window.__Nvl_getZoomLevel();
  const c = document.querySelector('canvas').getBoundingClientRect();
  const left = Math.min(...ns.map(n => n.x - n.size)), right = Math.max(...ns.map(n => n.x + n.size));
  const top = Math.min(...ns.map(n => n.y - n.size)), bottom = Math.max(...ns.map(n => n.y + n.size));
  return {canvas: [c.width, c.height], zoom: z, counted: window.__Nvl_getNodesOnScreen().nodes.length,
          nodes: ns.length, extent: [(right - left) * z, (bottom - top) * z],
          radius: Math.min(...ns.map(n => n.size)) * z};
})()"""
# The properties table's line breaking, as the page's CSS (neo4j-viz's, then ours) sets it.
_WORD_BREAK = """(() => {
  const t = document.createElement('div');
  t.className = 'ndl-graph-visualization-properties-table';
  document.querySelector('.ndl-graph-visualization-container').appendChild(t);
  const style = getComputedStyle(t), out = [style.wordBreak, style.overflowWrap];
  t.remove();
  return out;
})()"""
MIN_RADIUS_PX = 18  # the smallest radius on screen when the page opens (degree-0 nodes: 22 before zoom)


@pytest.mark.parametrize("size", [(1400, 900), (1920, 1080)], ids=["1400x900", "1920x1080"])
def test_pictures_open_fitted_and_stay_fitted_with_the_details_panel(seed, neo4j_server, tmp_path, browser, size):
    from motorgraph.pictures.html import FITTED, render_all, render_query
    from motorgraph.pictures.png import open_page, wait_until

    pictures = [render_query(seed, *ROUTE, tmp_path / "route.html", database=neo4j_server.database),
                render_all(seed, tmp_path / "all.html", database=neo4j_server.database)]
    for pic in pictures:
        with open_page(browser, pic.path, width=size[0], height=size[1]) as view:
            wait_until(view, FITTED, timeout=30, what=f"{pic.path.name} did not fit itself")
            shown = view.page.evaluate(_ON_SCREEN)
            assert shown["nodes"] == len(pic.nodes) == shown["counted"], (pic.path.name, shown)
            assert shown["extent"][0] <= shown["canvas"][0] and shown["extent"][1] <= shown["canvas"][1], shown
            assert shown["radius"] >= MIN_RADIUS_PX, (pic.path.name, shown)
            # The details panel takes the right of the window: every node stays on screen.
            view.page.click('button[aria-label="Toggle graph details panel"]')
            view.page.wait_for_timeout(3500)
            panel = view.page.evaluate(_ON_SCREEN)
            assert panel["canvas"][0] < shown["canvas"][0] - 200, "the details panel did not open"
            assert panel["counted"] == len(pic.nodes), (pic.path.name, panel)
            # Its properties break lines between words, not inside them.
            assert view.page.evaluate(_WORD_BREAK) == ["normal", "break-word"]
            assert view.errors == [], view.errors


def test_viz_and_screenshot_commands_write_html_and_png(seed, tmp_path, chromium):
    from PIL import Image

    html, png = tmp_path / "route.html", tmp_path / "route.png"
    runner = CliRunner()
    res = runner.invoke(cli, ["viz", ROUTE[0], *sum((["-p", f"{k}={v}"] for k, v in ROUTE[1].items()), []),
                              "-o", str(html), "--png", str(png)])
    assert res.exit_code == 0, res.output
    assert html.exists() and png.exists()
    img = Image.open(png)
    assert img.size == (3200, 2000)  # 1600x1000 CSS pixels at scale 2
    assert pixel_stddev(png.read_bytes()) > 8
    again = tmp_path / "small.png"
    res = runner.invoke(cli, ["screenshot", str(html), str(again), "--width", "800", "--height", "500",
                              "--scale", "1"])
    assert res.exit_code == 0, res.output
    assert Image.open(again).size == (800, 500)


def test_offline_page_refuses_and_records_the_network_and_its_errors(browser, tmp_path):
    """The detectors the picture tests rely on see a page that reaches out and fails."""
    from motorgraph.pictures.png import ChromiumError, open_page, wait_until

    page = tmp_path / "leaky.html"
    page.write_text("<h1>hi</h1><img src='http://example.com/x.png'>"
                    "<script>fetch('https://example.org/a').catch(() => {}); console.error('boom');"
                    "setTimeout(() => { throw new Error('late') }, 50)</script>", encoding="utf-8")
    with open_page(browser, page, width=300, height=200) as view:
        view.page.wait_for_timeout(500)
        with pytest.raises(ChromiumError, match="did not draw"):
            wait_until(view, "false", timeout=0.5, what="the graph did not draw")
    assert sorted(view.requests) == ["http://example.com/x.png", "https://example.org/a"]
    assert "console.error: boom" in view.errors
    assert any(e.startswith("uncaught:") and "late" in e for e in view.errors), view.errors


def test_missing_chromium_is_a_clear_error(tmp_path, monkeypatch):
    from motorgraph.pictures.png import ChromiumError, find_chromium, launch

    monkeypatch.setenv("CHROMIUM", str(tmp_path / "no-chromium"))
    with pytest.raises(ChromiumError, match="apt-get install -y chromium"):
        find_chromium()
    with pytest.raises(ChromiumError, match="did not start"):
        with launch(str(tmp_path / "no-chromium")):
            pass


def test_viz_command_needs_a_query_or_all(seed):
    res = CliRunner().invoke(cli, ["viz"])
    assert res.exit_code == 2 and "QUERY" in res.output
    res = CliRunner().invoke(cli, ["viz", "supply-routes", "-p", "brand"])
    assert res.exit_code == 1 and "-p takes key=value" in res.output


# ---- the demo ---------------------------------------------------------------------------------
def test_demo_loads_answers_and_draws(seed, neo4j_server, tmp_path):
    from motorgraph.demo import run_demo

    lines: list[str] = []
    info = run_demo(echo=lines.append, out_dir=tmp_path / "out")
    text = "\n".join(lines)
    assert info["skipped"] == {}, info["skipped"]
    assert {"supply-routes", "partners", "plants-by-capacity"} <= set(info["answers"])
    routes = info["answers"]["supply-routes"]
    assert [r["route"] for r in routes] == [["JAC", "SaryarkaAvtoProm", "Russia"]]
    assert (tmp_path / "out" / "overview.html").exists()
    assert (tmp_path / "out" / "supply-route.html").exists()
    assert "JAC → SaryarkaAvtoProm" in text
    assert f"Nodes: {seed_node_count()} (0 new" in text  # the seed was loaded already: nothing new
    needles = ["bolt://", "overview.html", "supply-route.html", "motorgraph query"]
    if neo4j_server.local:
        needles += ["Browser:", f":play http://localhost:{neo4j_server.http_port}/browser/guides/motorgraph.html"]
    for needle in needles:
        assert needle in text, needle
