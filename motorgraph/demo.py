"""The tour behind `make demo` / `motorgraph demo`.

Starts the local Neo4j (unless NEO4J_URI points elsewhere), applies the schema, loads the
bundled data, answers a few saved questions as small tables, draws out/overview.html and
out/supply-route.html, and says where to look next.

    from motorgraph.demo import run_demo
    info = run_demo()            # {"summary": ..., "answers": ..., "files": ..., "uri": ..., ...}
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Callable

from motorgraph.errors import MotorgraphError
from motorgraph.settings import get_settings

# (saved query, parameters, the question in words, the columns shown)
QUESTIONS: list[tuple[str, dict[str, Any], str, list[str]]] = [
    ("supply-routes", {"brand": "JAC", "market": "Russia"}, "How do JAC's cars reach Russia?",
     ["route", "countries", "goods", "hops"]),
    ("partners", {"company": "KAMAZ"}, "Who are KAMAZ's partners, and on what?",
     ["partner_name", "on", "status", "sources"]),
    ("plants-by-capacity", {}, "Which plants build how many vehicles a year?",
     ["rank", "name", "capacity_per_year", "operators", "country"]),
    ("partnership-network", {"company": "Moskvich"}, "Who is linked to Moskvich by partnerships?",
     ["name", "label", "distance", "partnerships"]),
]
ROUTE = ("supply-routes", {"brand": "JAC", "market": "Russia"})
MAX_ROWS = 8
MAX_CELL = 60


def _cell(value: Any, column: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        text = value.get("name") or value.get("id") or ", ".join(f"{k}: {v}" for k, v in value.items())
        text = str(text)
    elif isinstance(value, (list, tuple)):
        sep = " → " if column in ("route", "countries", "goods", "modes", "partnerships") else ", "
        text = sep.join(_cell(v) or "-" for v in value)
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= MAX_CELL else text[:MAX_CELL - 1] + "…"


def table_text(rows: list[dict], title: str = "", max_rows: int = MAX_ROWS,
               columns: list[str] | None = None) -> str:
    """A small table as text (rich): at most `max_rows` rows, only `columns` (default: all)."""
    from rich.console import Console
    from rich.table import Table

    from rich.text import Text

    # Titles, headers and cells are Text: values with `[...]` are data, not rich markup.
    table = Table(title=Text(title) if title else None, title_justify="left", show_lines=False)
    if rows:
        columns = [c for c in (columns or list(rows[0])) if c in rows[0]] or list(rows[0])
    else:
        columns = ["(no rows)"]
    for c in columns:
        table.add_column(Text(str(c)), overflow="fold")
    for row in rows[:max_rows]:
        table.add_row(*(Text(_cell(row.get(c), c)) for c in columns))
    buf = io.StringIO()
    Console(file=buf, width=120, force_terminal=False, color_system=None).print(table)
    text = buf.getvalue().rstrip()
    if len(rows) > max_rows:
        text += f"\n… and {len(rows) - max_rows} more row(s)"
    return text


def summary_lines(summary) -> list[str]:
    """The load summary in a few lines: rows per label and type, and what was new."""
    data = summary.as_dict()
    out = []
    for kind, title in (("nodes", "Nodes"), ("relationships", "Relationships")):
        rows = data[kind]
        total = sum(c["rows"] for c in rows.values())
        created = sum(c["created"] for c in rows.values())
        parts = ", ".join(f"{name} {c['rows']}" for name, c in rows.items())
        out.append(f"{title}: {total} ({created} new, {total - created} already there): {parts}")
    return out


def run_demo(echo: Callable[[str], Any] = print, out_dir: str | Path = "out") -> dict:
    """The whole tour; returns what it did (for tests and scripts)."""
    from motorgraph.graph import Graph
    from motorgraph.server import LocalServer

    settings = get_settings()
    out_dir = Path(out_dir)
    info: dict[str, Any] = {"uri": settings.bolt_uri, "local": settings.local, "answers": {},
                            "files": {}, "skipped": {}}

    echo("== 1. Neo4j")
    if settings.local:
        started = LocalServer(settings).start(echo=echo)
        echo(("Started" if started else "Already running:") + f" the local Neo4j at {settings.bolt_uri}")
        info["started"] = started
    else:
        echo(f"Using NEO4J_URI: {settings.describe()}")

    with Graph.connect(settings) as g:
        echo("\n== 2. Schema and data")
        applied = g.apply_schema()
        echo(applied.text())
        summary = g.load(show_progress=False)
        for line in summary_lines(summary):
            echo(line)
        info["summary"] = summary.as_dict()

        echo("\n== 3. Saved questions")
        for name, raw, question, columns in QUESTIONS:
            try:
                result = g.query_result(name, raw, use_examples=True)
            except MotorgraphError as exc:
                info["skipped"][name] = str(exc)
                echo(f"\n({name}: skipped: {exc})")
                continue
            params = result.params
            shown = ", ".join(f"{k}={v}" for k, v in params.items())
            echo(f"\n{question}   motorgraph query {name}"
                 + "".join(f" -p {k}={v}" for k, v in params.items()))
            echo(table_text(list(result.rows), title=f"{name}({shown})" if shown else name,
                            columns=columns))
            info["answers"][name] = list(result.rows)

        echo("\n(All columns, sources and quotes: motorgraph query NAME ... --format json)")
        echo("\n== 4. Pictures (open them in a browser; they work offline)")
        out_dir.mkdir(parents=True, exist_ok=True)
        overview = g.picture(out_dir / "overview.html")
        info["files"]["overview"] = overview.path
        echo(f"{overview.path.resolve()}  (the whole graph: {len(overview.nodes)} nodes, "
             f"{len(overview.relationships)} relationships)")
        try:
            name, raw = ROUTE
            route = g.picture(out_dir / "supply-route.html", name, raw, use_examples=True,
                              layout="hierarchical")
            info["files"]["supply-route"] = route.path
            echo(f"{route.path.resolve()}  (JAC's supply route to Russia)")
        except MotorgraphError as exc:
            info["skipped"]["supply-route.html"] = str(exc)
            echo(f"(supply-route.html: skipped: {exc})")

    echo("\n== 5. Where to look")
    echo(f"Bolt:     {settings.bolt_uri}" + (f"  (user neo4j, password in {settings.password_file})"
                                              if settings.local else ""))
    if settings.local:
        guide = f"http://localhost:{settings.http_port}/browser/guides/motorgraph.html"
        echo(f"Browser:  {settings.browser_url}  (log in as neo4j; it then plays the motorgraph guide)")
        echo(f"Guide:    :play {guide}")
        info["browser"], info["guide"] = settings.browser_url, guide
    echo("Style:    drag schema/style.grass onto the Browser window for the pictures' colours")
    echo("Next:     motorgraph queries                      # every saved question")
    echo("          motorgraph query partners -p company=KAMAZ --format json")
    echo("          motorgraph viz --all -o out/overview.html --png out/overview.png")
    echo("          motorgraph export --format graphml -o out/motorgraph.graphml")
    if settings.local:
        echo("          motorgraph server stop              # when you are done")
    return info
