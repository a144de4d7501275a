"""The Neo4j Browser guide, schema/guide/motorgraph.html, generated so it never drifts.

The first slides walk through the seed graph with hand-written, read-only Cypher; then one
slide per saved question (queries/*.cypher, through motorgraph.library) shows its `:params`
line, filled with the query's example values, and its Cypher, both clickable. Browser reads
a `:params` map in JavaScript, so its numbers reach Neo4j as floats (`limit: 25` is 25.0):
the queries take every integer parameter through `toInteger()` (queries/README.md). `motorgraph
style` writes the file (with schema/style.grass); a test fails when it is out of date.

The local server copies schema/guide/ to /browser/guides/ at every start and plays the
guide after Browser connects (`:play http://localhost:7474/browser/guides/motorgraph.html`).

Format (Neo4j Browser 5): an HTML page whose <slide> elements become the carousel's
slides; a click on <pre class="code runnable"> puts its text in the editor.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from motorgraph.browser.favorites import cypher_key, cypher_literal
from motorgraph.paths import QUERIES_DIR, SCHEMA_DIR

GUIDE_FILE = SCHEMA_DIR / "guide" / "motorgraph.html"


def params_line(params: dict[str, Any]) -> str:
    return ":params {" + ", ".join(f"{cypher_key(k)}: {cypher_literal(v)}" for k, v in params.items()) + "}"


def _code(text: str) -> str:
    return f'<pre mode="cypher" class="pre-scrollable code runnable">{html.escape(text.strip(), quote=False)}</pre>'


def _slide(title: str, lead: str, body: str) -> str:
    return (
        '    <slide class="row-fluid">\n'
        '      <div class="col-sm-3">\n'
        f"        <h3>{html.escape(title)}</h3>\n"
        f'        <p class="lead">{lead}</p>\n'
        "      </div>\n"
        '      <div class="col-sm-9">\n'
        + body.strip()  # not indented: a <pre> block keeps its text as written
        + "\n      </div>\n"
        "    </slide>\n"
    )


INTRO = [
    ("motorgraph", "Partnerships and supply routes of the automotive industry, as a graph.", f"""
<p>Every company, brand, plant, vehicle model, agreement, place and person in this graph comes from a
news article, and every relationship keeps the article (<code>sources</code>) and the sentence that
supports it (<code>quotes</code>).</p>
<p>Use the arrows to move through this guide. <b>Click a grey code block</b> to put it in the editor, then
run it with the play button or <kbd>Ctrl</kbd>+<kbd>Enter</kbd>. Everything here only reads.</p>
<p>For the colours of motorgraph's pictures, drag <code>schema/style.grass</code> from the project folder
onto this window. What is in the database:</p>
{_code("MATCH (n) RETURN labels(n)[0] AS label, count(*) AS nodes ORDER BY nodes DESC")}
"""),
    ("The model", "Ten labels, one relationship type per kind of fact.", f"""
<p><b>Company</b>, <b>Brand</b>, <b>VehicleModel</b>, <b>Plant</b>, <b>Agreement</b>, <b>Person</b>, and the
places <b>Country</b>, <b>Region</b> and <b>City</b>; each has an <code>id</code>, a <code>name</code> and
<code>aliases</code>. <b>Source</b> nodes are the articles. Facts are relationships such as
<code>PARTNERS_WITH</code>, <code>SHIPS_TO</code>, <code>SUPPLIES</code>, <code>OWNS</code>,
<code>PRODUCES</code>, <code>LOCATED_IN</code> and <code>PARTY_TO</code>, with a <code>status</code>
(announced, planned, negotiating, pending approval, active, ended) where the article gives one.
The model lives in <code>schema/model.yaml</code>; <code>docs/model.md</code> describes every property.</p>
{_code("CALL db.schema.visualization()")}
"""),
    ("The seed graph", "Everything the two seed articles say, without the articles themselves.", f"""
<p>The companies, places and agreements with every fact between them (Source nodes and their
<code>MENTIONS</code> left out). Double-click a node to expand it; click a relationship to see its
properties, including its <code>sources</code> and <code>quotes</code>.</p>
{_code('''MATCH (n) WHERE NOT n:Source
OPTIONAL MATCH (n)-[r]->(m) WHERE NOT m:Source
RETURN n, r, m''')}
"""),
    ("Where facts come from", "Each fact carries its article and sentence.", f"""
<p>Every relationship except <code>MENTIONS</code> lists the Source ids it comes from in
<code>sources</code> and, at the same position in <code>quotes</code>, the sentence that supports it.
The facts about one entity, with their evidence:</p>
{_code(":params {id: 'jac'}")}
{_code('''MATCH (a {id: $id})-[r]-(b)
WHERE type(r) <> 'MENTIONS'
RETURN a.name AS entity, type(r) AS fact, b.name AS other, r.status AS status,
       r.sources AS sources, r.quotes AS quotes''')}
<p>And the articles, with what each one mentions:</p>
{_code('''MATCH (s:Source)-[:MENTIONS]->(e)
RETURN s.title AS article, count(e) AS entities, collect(e.name)[..8] AS some_of_them''')}
"""),
    ("Finding things by name", "Names and aliases, case-insensitively.", f"""
<p>The full-text index <code>entity_lookup</code> covers the words of every entity's <code>id</code>,
<code>name</code> and <code>aliases</code>, so <i>Kamaz</i>, <i>KAMAZ PJSC</i> and <i>kamaz</i> all find
the same company. The saved questions use its exact twin, <code>entity_key</code>: one whole,
lowercased key per id, name and alias.</p>
{_code(":params {q: 'Kamaz'}")}
{_code('''CALL db.index.fulltext.queryNodes('entity_lookup', $q) YIELD node, score
RETURN labels(node)[0] AS label, node.id AS id, node.name AS name, node.aliases AS aliases, score
LIMIT 10''')}
"""),
]

OUTRO = ("Next steps", "The same questions from the command line, Python and pictures.", """
<p>In the project folder (<code>.venv/bin/motorgraph</code>):</p>
<ul>
  <li><code>motorgraph queries</code>: every saved question; <code>motorgraph query NAME -p key=value</code> answers one as a table, JSON or CSV.</li>
  <li><code>motorgraph viz supply-routes -p brand=JAC -p market=Russia -o out/route.html</code>: an interactive picture that works offline; <code>motorgraph viz --all</code> draws everything.</li>
  <li><code>motorgraph export --format graphml|json|csv -o PATH</code>: for networkx, Gephi or a spreadsheet.</li>
  <li><code>motorgraph load data/my-article.yaml</code>: add an article (see <code>docs/data-format.md</code>).</li>
  <li>Python: <code>from motorgraph import Graph; Graph.connect().query("partners", company="KAMAZ")</code>.</li>
</ul>
<p>Play this guide again with <code>:play http://localhost:7474/browser/guides/motorgraph.html</code>
(with your HTTP port if it is not 7474).</p>
""")


# The questions a newcomer meets first; the others follow in alphabetical order.
FIRST = ("supply-routes", "partners", "partnership-network", "plants-by-capacity")


def saved_query_names() -> list[str]:
    names = sorted(p.stem for p in Path(QUERIES_DIR).glob("*.cypher"))
    return [n for n in FIRST if n in names] + [n for n in names if n not in FIRST]


def _cli_value(v: Any) -> str:
    if isinstance(v, list):  # a list[string] parameter: comma-separated on the command line
        v = ",".join(v)
    return json.dumps(v) if not isinstance(v, str) else (v if " " not in v else repr(v))


def query_slide(name: str) -> str:
    from motorgraph import library

    query = library.get_query(name)
    example = library.coerce_params(query, {}, use_examples=True)
    cli = f"motorgraph query {name}" + "".join(
        f" -p {k}={_cli_value(v)}"
        for k, v in example.items() if v is not None)
    body = f"<p>{html.escape(query.question or name)}</p>\n"
    if example:
        body += ("<p>First set the parameters (change the values to ask about something else):</p>\n"
                 + _code(params_line(example)) + "\n")
    body += "<p>Then run the saved query:</p>\n" + _code(query.cypher) + "\n"
    body += f"<p>From the command line: <code>{html.escape(cli)}</code></p>"
    return _slide(f"{name}", "A saved question (<code>queries/" + html.escape(name) + ".cypher</code>).", body)


def guide_html(names: list[str] | None = None) -> str:
    names = saved_query_names() if names is None else names
    slides = [_slide(t, lead, body) for t, lead, body in INTRO]
    slides += [query_slide(n) for n in names]
    slides.append(_slide(*OUTRO))
    # The comment keeps naming the module's old path: the committed guide stays byte-identical.
    return (
        "<!DOCTYPE html>\n"
        "<!-- Generated by `motorgraph style` (motorgraph/guide.py) from queries/*.cypher; do not edit. -->\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>motorgraph</title>\n</head>\n<body>\n'
        '<article class="guide">\n'
        '  <carousel class="deck container-fluid">\n'
        + "".join(slides)
        + "  </carousel>\n</article>\n</body>\n</html>\n"
    )


def write_guide(path: Path = GUIDE_FILE) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(guide_html(), encoding="utf-8")
    return path
