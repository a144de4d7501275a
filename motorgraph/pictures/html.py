"""Interactive pictures of the graph: one self-contained HTML file, drawn with neo4j-viz.

    from motorgraph.pictures.html import render_query, render_all
    render_query(driver, "supply-routes", {"brand": "JAC", "market": "Russia"}, "out/route.html")
    render_all(driver, "out/overview.html")

Nodes are coloured by label from the one palette in motorgraph/browser/style.py (the same colours
as schema/style.grass in Neo4j Browser) with a legend, captioned with their `name` and
sized by degree (relationships other than MENTIONS, counted in the database). A
relationship's caption is its type and status; click it (or a node) and the details panel
shows every property, with the sources and quotes that support the fact spelt out in
`evidence`. The page opens fitted (fit.js): every node on screen at a readable size, and
still on screen when the details panel opens.

The file needs no network: neo4j-viz's template carries its JavaScript, CSS and fonts
inline; `_self_contained()` checks that (and inlines any asset a future template refers to
from the installed package) before a file is written. `to_png()` turns a picture into a PNG
with headless Chromium (motorgraph/pictures/png.py, through Playwright).
"""

from __future__ import annotations

import html as html_lib
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

import neo4j
import neo4j.graph

from motorgraph.errors import MotorgraphError
from motorgraph.library import node_dict, relationship_dict
from motorgraph.browser.style import (LABEL_COLORS, MENTIONS_COLOR, NODE_CAPTION, RELATIONSHIP_COLOR,
                              color_for, primary_label)

DATA_ELEMENT_ID = "neo4j-viz-data"
RADIUS_MIN_MAX = (22, 56)


class VizError(MotorgraphError):
    pass


@dataclass
class Picture:
    """What was drawn: the file, and the nodes and relationships in it."""

    path: Path
    nodes: list[dict]
    relationships: list[dict]
    title: str = ""
    rows: list[dict] = field(default_factory=list)

    @property
    def node_ids(self) -> set[str]:
        return {n["element_id"] for n in self.nodes}

    @property
    def relationship_ids(self) -> set[str]:
        return {r["element_id"] for r in self.relationships}


# ---- graph elements as plain dicts: library.node_dict / relationship_dict, as in QueryResult
def collect(values: Iterable[Any]) -> tuple[list[dict], list[dict]]:
    """Every node, relationship and path element in `values` (records, lists, maps), once each."""
    nodes: dict[str, dict] = {}
    rels: dict[str, dict] = {}

    def walk(v: Any) -> None:
        if isinstance(v, neo4j.graph.Node):
            nodes.setdefault(v.element_id, node_dict(v))
        elif isinstance(v, neo4j.graph.Relationship):
            rels.setdefault(v.element_id, relationship_dict(v))
        elif isinstance(v, neo4j.graph.Path):
            for n in v.nodes:
                walk(n)
            for r in v.relationships:
                walk(r)
        elif isinstance(v, neo4j.Record):
            for x in v.values():
                walk(x)
        elif isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, (list, tuple)):
            for x in v:
                walk(x)

    for value in values:
        walk(value)
    return list(nodes.values()), list(rels.values())


def fetch_all(driver: neo4j.Driver, database: str | None = None,
              include_sources: bool = True) -> tuple[list[dict], list[dict]]:
    """The whole graph as plain dicts (with include_sources=False: without Source/MENTIONS)."""
    where = "" if include_sources else "WHERE NOT n:Source"
    rwhere = "" if include_sources else "WHERE type(r) <> 'MENTIONS'"
    records, _, _ = driver.execute_query(f"MATCH (n) {where} RETURN n", database_=database,
                                         routing_=neo4j.RoutingControl.READ)
    nodes, _ = collect(r["n"] for r in records)
    records, _, _ = driver.execute_query(f"MATCH ()-[r]->() {rwhere} RETURN r", database_=database,
                                         routing_=neo4j.RoutingControl.READ)
    _, rels = collect(r["r"] for r in records)
    return nodes, rels


def fetch_query(driver: neo4j.Driver, name: str, params: Mapping[str, Any] | None = None,
                database: str | None = None, use_examples: bool = False):
    """Run a saved query through the library; returns (QueryResult, SavedQuery, params)."""
    from motorgraph import library

    result = library.run_query(driver, name, params, database=database, use_examples=use_examples)
    return result, result.query, result.params


def degrees(driver: neo4j.Driver, element_ids: list[str], database: str | None = None) -> dict[str, int]:
    """Each node's number of relationships in the database, MENTIONS not counted."""
    if not element_ids:
        return {}
    records, _, _ = driver.execute_query(
        "UNWIND $ids AS eid MATCH (n) WHERE elementId(n) = eid "
        "RETURN eid, COUNT { (n)-[r]-() WHERE type(r) <> 'MENTIONS' } AS degree",
        ids=element_ids, database_=database, routing_=neo4j.RoutingControl.READ)
    return {r["eid"]: r["degree"] for r in records}


def source_titles(driver: neo4j.Driver, database: str | None = None) -> dict[str, str]:
    records, _, _ = driver.execute_query("MATCH (s:Source) RETURN s.id AS id, s.title AS title",
                                         database_=database, routing_=neo4j.RoutingControl.READ)
    return {r["id"]: r["title"] or r["id"] for r in records}


def complete_endpoints(driver: neo4j.Driver, nodes: list[dict], rels: list[dict],
                       database: str | None = None) -> list[dict]:
    """Nodes at the ends of `rels` that `nodes` lacks (fetched, so nothing dangles)."""
    have = {n["element_id"] for n in nodes}
    missing = sorted({e for r in rels for e in (r["start"], r["end"]) if e and e not in have})
    if not missing:
        return []
    records, _, _ = driver.execute_query("UNWIND $ids AS eid MATCH (n) WHERE elementId(n) = eid RETURN n",
                                         ids=missing, database_=database,
                                         routing_=neo4j.RoutingControl.READ)
    extra, _ = collect(r["n"] for r in records)
    return extra


# ---- the picture ------------------------------------------------------------------------
MAX_TEXT = 1000  # longer strings (an article's text on a Source) are cut in the picture


def _shown(value: Any) -> Any:
    if isinstance(value, str) and len(value) > MAX_TEXT:
        return value[:MAX_TEXT] + f"… ({len(value)} characters)"
    return value


def rel_caption(rel: dict) -> str:
    status = rel["properties"].get("status")
    return f"{rel['type']} · {status}" if status else rel["type"]


def evidence(props: Mapping[str, Any], titles: Mapping[str, str]) -> list[str]:
    """One line per supporting source: “quote” (source title, id)."""
    sources = props.get("sources") or []
    quotes = props.get("quotes") or []
    out = []
    for i, sid in enumerate(sources):
        quote = quotes[i] if i < len(quotes) else ""
        title = titles.get(sid, sid)
        out.append(f"“{quote}” ({title}; source {sid})" if quote else f"({title}; source {sid})")
    return out


def _sizes(element_ids: list[str], degree: Mapping[str, int]) -> dict[str, float]:
    lo, hi = RADIUS_MIN_MAX
    top = max([degree.get(e, 0) for e in element_ids] + [1])
    return {e: round(lo + (hi - lo) * math.sqrt(degree.get(e, 0) / top), 1) for e in element_ids}


def build_graph(nodes: list[dict], rels: list[dict], degree: Mapping[str, int] | None = None,
                titles: Mapping[str, str] | None = None):
    """A neo4j_viz.VisualizationGraph: colours, captions, sizes and legend set."""
    from neo4j_viz import Node, Relationship, VisualizationGraph

    degree = degree or {}
    titles = titles or {}
    sizes = _sizes([n["element_id"] for n in nodes], degree)
    vnodes = []
    for n in nodes:
        props = {k: _shown(v) for k, v in n["properties"].items()}
        props["labels"] = list(n["labels"])
        props["degree"] = degree.get(n["element_id"], 0)
        caption = props.get(NODE_CAPTION) or props.get("title") or props.get("id") or ":".join(n["labels"])
        vnodes.append(Node(id=n["element_id"], caption=str(caption), color=color_for(n["labels"]),
                           size=sizes[n["element_id"]], properties=props))
    vrels = []
    for r in rels:
        props = {k: _shown(v) for k, v in r["properties"].items()}
        props["type"] = r["type"]
        ev = evidence(props, titles)
        if ev:
            props["evidence"] = ev
        vrels.append(Relationship(
            id=r["element_id"], source=r["start"], target=r["end"], caption=rel_caption(r),
            color=MENTIONS_COLOR if r["type"] == "MENTIONS" else RELATIONSHIP_COLOR,
            width=1 if r["type"] == "MENTIONS" else 2, properties=props))
    vg = VisualizationGraph(vnodes, vrels)
    present = {primary_label(n["labels"]) for n in nodes}
    legend = {lab: col for lab, col in LABEL_COLORS.items() if lab in present}
    for lab in sorted(present - set(legend)):
        legend[lab] = color_for([lab])
    if legend:
        vg.set_legend(nodes=legend)
    return vg


HEADER_PX = 58
_BANNER_CSS = (
    f"#motorgraph-title{{box-sizing:border-box;height:{HEADER_PX}px;padding:8px 16px;overflow:hidden;"
    "background:#fff;border-bottom:1px solid #E2E3E5;text-align:center;"
    "font:600 16px/1.3 'Public Sans',system-ui,sans-serif;color:#2A2C34;white-space:nowrap;"
    "text-overflow:ellipsis}"
    "#motorgraph-title small{font-weight:400;font-size:12px;color:#5E636A}"
    "#motorgraph-title .hint{color:#8A8F98}"
)
HINT = ("Click a node or relationship, then open the details panel (top right) for its "
        "properties, sources and quotes")


# The details panel breaks lines between words (neo4j-viz breaks anywhere, mid-word); a word
# longer than the panel, such as a URL, still wraps.
_PANEL_CSS = (".ndl-graph-visualization-container .ndl-graph-visualization-properties-table"
              "{word-break:normal !important;overflow-wrap:break-word !important}")
# Opens fitted, and keeps every node on screen when the details panel opens (fit.js says how).
_FIT_JS = (Path(__file__).with_name("fit.js")).read_text(encoding="utf-8")
FITTED = "document.body.dataset.motorgraphFitted === '1'"  # true once the page has fitted itself

LAYOUTS = ("force", "hierarchical")


def to_html(vg, title: str, subtitle: str = "", layout: str = "force") -> str:
    """The standalone page: neo4j-viz's template with the data, a title strip and no network.

    layout: "force" (a force-directed layout) or "hierarchical" (left to right, following
    the relationships' direction: good for routes).
    """
    from neo4j_viz import Layout
    from neo4j_viz.options import Direction, HierarchicalLayoutOptions

    if layout not in LAYOUTS:
        raise VizError(f"unknown layout {layout!r}; use one of {', '.join(LAYOUTS)}")
    kwargs: dict[str, Any] = {}
    if layout == "hierarchical":
        kwargs = {"layout": Layout.HIERARCHICAL,
                  "layout_options": HierarchicalLayoutOptions(direction=Direction.RIGHT)}
    # The picture fills the window below the title strip.
    rendered = vg.render(height=f"calc(100vh - {HEADER_PX}px)", width="100%", theme="light",
                         on_dangling="error", show_layout_button=True, show_search_button=True,
                         max_allowed_nodes=20_000, **kwargs)
    page = rendered.data
    page = re.sub(r"<title>.*?</title>", f"<title>{html_lib.escape(title)}</title>", page, count=1, flags=re.S)
    small = " · ".join(html_lib.escape(x) for x in (subtitle,) if x)
    banner = (f'<div id="motorgraph-title">{html_lib.escape(title)}<br><small>{small}'
              + f'<span class="hint">{" · " if small else ""}{html_lib.escape(HINT)}</span></small></div>')
    page = page.replace("</head>", f"<style>{_BANNER_CSS}{_PANEL_CSS}</style>\n</head>", 1)
    page = page.replace("<body>", f"<body>\n    {banner}", 1)
    page = page.replace("</body>", f"<script>{_FIT_JS}</script>\n</body>", 1)
    return _self_contained(page)


_BLOCK = re.compile(r"(<script\b[^>]*>.*?</script\s*>|<style\b[^>]*>.*?</style\s*>)", re.I | re.S)
_SRC = re.compile(r"""\b(src|href)\s*=\s*["']([^"']*)["']""", re.I)
_REFERRING = re.compile(r"<(link|img|iframe|embed|object|source)\b[^>]*>", re.I)


def _self_contained(page: str) -> str:
    """Inline every <script src> / stylesheet <link> the template refers to; fail on remote ones.

    neo4j-viz 1.x already inlines everything (one module script, CSS and fonts as data:
    URIs), so this normally changes nothing; it guards against a template that does not.
    """
    from importlib.resources import files

    resources = Path(str(files("neo4j_viz") / "resources" / "nvl_entrypoint"))

    def local_text(url: str) -> str:
        if re.match(r"^[a-z][a-z0-9+.-]*:|^//", url, re.I):
            raise VizError(f"neo4j-viz's template loads {url} from the network; the picture must work "
                           "offline (use a neo4j-viz version that inlines its assets)")
        path = (resources / url.split("?")[0].split("#")[0].lstrip("./")).resolve()
        if not path.is_file():
            raise VizError(f"neo4j-viz's template refers to {url}, which is not in {resources}")
        return path.read_text(encoding="utf-8")

    out = []
    for i, part in enumerate(_BLOCK.split(page)):
        if i % 2 == 1:  # a <script> or <style> element: only its opening tag can refer out
            head = part[: part.index(">") + 1]
            m = _SRC.search(head) if head.lower().startswith("<script") else None
            if m and not m.group(2).startswith("data:"):
                kind = ' type="module"' if re.search(r"type=[\"']module", head) else ""
                text = local_text(m.group(2)).replace("</script", "<\\/script")
                part = f"<script{kind}>{text}</script>"
            out.append(part)
            continue
        def markup(m: re.Match) -> str:
            tag = m.group(0)
            ref = _SRC.search(tag)
            if not ref or ref.group(2).startswith(("data:", "#")) or not ref.group(2):
                return tag
            if m.group(1).lower() == "link" and re.search(r"rel=[\"']?stylesheet", tag, re.I):
                return f"<style>{local_text(ref.group(2))}</style>"
            if m.group(1).lower() == "link" and not re.match(r"^[a-z][a-z0-9+.-]*:|^//", ref.group(2), re.I):
                return ""  # an icon or preload of a local file: not needed
            local_text(ref.group(2))  # raises for anything remote
            raise VizError(f"neo4j-viz's template refers to {ref.group(2)} in <{m.group(1)}>; cannot inline it")
        out.append(_REFERRING.sub(markup, part))
    return "".join(out)


def embedded_data(page: str) -> dict:
    """The graph data neo4j-viz embedded in a page (for tests and tools)."""
    m = re.search(r'<script type="application/json" id="%s">(.*?)</script>' % DATA_ELEMENT_ID, page, re.S)
    if not m:
        raise VizError("no neo4j-viz data block in the page")
    return json.loads(m.group(1))


def write_picture(nodes: list[dict], rels: list[dict], out_path: str | Path, *, title: str,
                  subtitle: str = "", driver: neo4j.Driver | None = None,
                  database: str | None = None, layout: str = "force") -> Picture:
    """Draw these nodes and relationships into `out_path` (sizes and titles from `driver`)."""
    if not nodes and not rels:
        raise VizError(f"nothing to draw for {title!r}: the result has no nodes or relationships")
    if driver is not None:
        nodes = nodes + complete_endpoints(driver, nodes, rels, database)
        degree = degrees(driver, [n["element_id"] for n in nodes], database)
        titles = source_titles(driver, database)
    else:
        degree = _local_degrees(nodes, rels)
        titles = {}
    vg = build_graph(nodes, rels, degree, titles)
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(to_html(vg, title, subtitle, layout), encoding="utf-8")
    return Picture(out, nodes, rels, title)


def _local_degrees(nodes: list[dict], rels: list[dict]) -> dict[str, int]:
    deg = {n["element_id"]: 0 for n in nodes}
    for r in rels:
        if r["type"] != "MENTIONS":
            for e in (r["start"], r["end"]):
                deg[e] = deg.get(e, 0) + 1
    return deg


def _describe_params(params: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in params.items() if v is not None)


def render_query(driver: neo4j.Driver, name: str, params: Mapping[str, Any] | None,
                 out_path: str | Path, *, database: str | None = None,
                 use_examples: bool = False, title: str | None = None,
                 layout: str = "force") -> Picture:
    """Run the saved query `name` and draw every node and relationship of its result."""
    result, query, coerced = fetch_query(driver, name, params, database, use_examples)
    nodes, rels = list(result.nodes), list(result.relationships)
    if not nodes and not rels:
        raise VizError(f"query {name!r} returned no nodes or relationships to draw "
                       f"({len(result.rows)} row(s)); check the parameters, or use "
                       f"`motorgraph query {name}` for a table")
    subtitle = f"{name}" + (f" ({_describe_params(coerced)})" if coerced else "")
    pic = write_picture(nodes, rels, out_path, title=title or query.question or name,
                        subtitle=subtitle, driver=driver, database=database, layout=layout)
    pic.rows = list(result.rows)
    return pic


def render_all(driver: neo4j.Driver, out_path: str | Path, *, database: str | None = None,
               include_sources: bool = True, title: str | None = None,
               layout: str = "force") -> Picture:
    """Draw the whole graph (with include_sources=False: without Source nodes and MENTIONS)."""
    nodes, rels = fetch_all(driver, database, include_sources)
    if not nodes:
        raise VizError("the database is empty; load data first (`motorgraph load`)")
    n_facts = sum(1 for r in rels if r["type"] != "MENTIONS")
    subtitle = f"{len(nodes)} nodes, {len(rels)} relationships ({n_facts} facts)"
    return write_picture(nodes, rels, out_path, title=title or "The motorgraph knowledge graph",
                         subtitle=subtitle, driver=driver, database=database, layout=layout)


# ---- PNG ---------------------------------------------------------------------------------
_READY = ("(() => { const f = window.__Nvl_dumpNodes; if (!f) return false;"
          " const ns = f(); return Array.isArray(ns) && ns.length > 0; })()")
_POSITIONS = ("JSON.stringify((window.__Nvl_dumpNodes() || [])"
              ".map(n => [Math.round(n.x || 0), Math.round(n.y || 0)]))")
_FIT = ("(() => { const b = document.querySelector('button[aria-label=\"Zoom to fit\"]');"
        " if (b) b.click(); return !!b; })()")
_ZOOM_OUT = ("(() => { const b = document.querySelector('button[aria-label=\"Zoom out\"]');"
             " if (b) b.click(); return !!b; })()")
_UNDER_LEGEND = """(() => {
  const legend = [...document.querySelectorAll('div')].find(d => (d.innerText || '').startsWith('Legend')
      && d.getBoundingClientRect().width < 400);
  const canvas = document.querySelector('canvas');
  if (!legend || !canvas || !window.__Nvl_dumpNodes) return false;
  const b = legend.getBoundingClientRect(), c = canvas.getBoundingClientRect();
  const z = (window.__Nvl_getZoomLevel && window.__Nvl_getZoomLevel()) || 1;
  return (window.__Nvl_dumpNodes() || []).some(n => {
    const r = (n.size || 25) * z, x = c.left + n.x, y = c.top + n.y;
    return x + r > b.left - 8 && x - r < b.right + 8 && y + r > b.top - 8 && y - r < b.bottom + 8;
  });
})()"""
_CLEAN = ("(() => { const s = document.createElement('style'); s.textContent ="
          " '.ndl-graph-visualization-interaction-island.ndl-top-left,"
          " .ndl-graph-visualization-interaction-island.ndl-top-right,"
          " .ndl-graph-visualization-interaction-island.ndl-bottom-right,"
          " #motorgraph-title .hint {display: none !important}';"
          " document.head.appendChild(s); return true; })()")


def to_png(html_path: str | Path, png_path: str | Path, *, width: int = 1600, height: int = 1000,
           scale: float = 2.0, chrome: bool = False, timeout: float = 60.0):
    """Render a picture to PNG in headless Chromium (offline), once its layout has settled.

    The view is zoomed to fit; with chrome=False the interactive buttons are hidden (the
    title banner and legend stay). Raises if the page logs console errors.
    """
    from motorgraph.pictures.png import ChromiumError, launch, open_page

    html_path = Path(html_path)
    with launch() as browser, open_page(browser, html_path, width=width, height=height,
                                        scale=scale, timeout=timeout) as view:
        shot = _drive(view, chrome, timeout)
    if view.errors:
        raise ChromiumError(f"{html_path} logged errors in Chromium: " + "; ".join(view.errors[:5]))
    out = Path(png_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(shot)
    return out


def _drive(view, chrome: bool, timeout: float) -> bytes:
    import time

    from motorgraph.pictures.png import wait_until

    page = view.page
    wait_until(view, _READY, timeout=timeout, what="the graph did not draw")
    # Wait for the force layout to come to rest (positions unchanged for a second).
    deadline, last, still_since = time.monotonic() + timeout, None, None
    while time.monotonic() < deadline:
        pos = page.evaluate(_POSITIONS)
        if pos == last:
            still_since = still_since or time.monotonic()
            if time.monotonic() - still_since >= 1.0:
                break
        else:
            last, still_since = pos, None
        page.wait_for_timeout(250)
    page.evaluate(_FIT)
    page.wait_for_timeout(1500)
    # A tight fit may put nodes under the legend: then step back once.
    if page.evaluate(_UNDER_LEGEND):
        page.evaluate(_ZOOM_OUT)
        page.wait_for_timeout(1000)
    if not chrome:
        page.evaluate(_CLEAN)
        page.wait_for_timeout(300)
    return page.screenshot(type="png")
