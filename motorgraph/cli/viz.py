"""`motorgraph viz`, `screenshot`, `export`, `style` and `demo`: pictures, files and the tour."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from motorgraph.cli.options import example_option, param_option, parse_pairs

OUT_DIR = Path("out")


@click.command()
@click.argument("query", required=False)
@param_option
@example_option
@click.option("--all", "whole", is_flag=True, help="Draw the whole graph instead of a query's result.")
@click.option("--no-sources", is_flag=True, help="With --all: leave out Source nodes and MENTIONS.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML file (default: out/QUERY.html, or out/overview.html with --all).")
@click.option("--layout", type=click.Choice(["force", "hierarchical"]), default="force", show_default=True,
              help="force-directed, or hierarchical (left to right along the arrows: for routes).")
@click.option("--png", type=click.Path(dir_okay=False, path_type=Path),
              help="Also render the picture to this PNG with headless Chromium.")
def viz(query, pairs, example, whole, no_sources, output, layout, png):
    """Draw a saved query's result (or --all: the whole graph) as an interactive HTML page.

    The page works offline: open it in any browser. Nodes are coloured by label (the same
    colours as schema/style.grass), sized by degree and captioned with their names; click a
    relationship and open the details panel to see its sources and quotes.

    \b
      motorgraph viz supply-routes -p brand=JAC -p market=Russia --layout hierarchical -o out/route.html
      motorgraph viz --all -o out/overview.html --png docs/img/seed-graph.png
    """
    from motorgraph.graph import Graph
    from motorgraph.pictures.html import to_png

    if whole == bool(query):
        raise click.UsageError("give a QUERY name or --all (not both)")
    if whole and (pairs or example):
        raise click.UsageError("-p and --example go with a QUERY, not with --all")
    params = parse_pairs(pairs)
    output = output or OUT_DIR / ("overview.html" if whole else f"{query}.html")
    with Graph.connect() as g:
        pic = g.picture(output, query, params, use_examples=example, layout=layout,
                        include_sources=not no_sources)
    click.echo(f"wrote {pic.path} ({len(pic.nodes)} nodes, {len(pic.relationships)} relationships)")
    if png:
        to_png(pic.path, png)
        click.echo(f"wrote {png}")


@click.command()
@click.argument("html", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("png", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--width", default=1600, show_default=True, help="Viewport width in CSS pixels.")
@click.option("--height", default=1000, show_default=True, help="Viewport height in CSS pixels.")
@click.option("--scale", default=2.0, show_default=True, help="Device pixel ratio (2: sharp for READMEs).")
@click.option("--chrome", is_flag=True, help="Keep the picture's buttons in the PNG.")
def screenshot(html, png, width, height, scale, chrome):
    """Render a picture from `motorgraph viz` to PNG in headless Chromium (no network)."""
    from motorgraph.pictures.html import to_png

    to_png(html, png, width=width, height=height, scale=scale, chrome=chrome)
    click.echo(f"wrote {png}")


@click.command()
@click.option("--format", "fmt", type=click.Choice(["graphml", "json", "csv"]), required=True,
              help="graphml (networkx, Gephi), json, or csv (a folder in the bulk format).")
@click.option("--query", help="Export this saved query's result instead of the whole graph.")
@param_option
@example_option
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="The file (graphml, json) or folder (csv) to write.")
def export(fmt, query, pairs, example, output):
    """Export the whole graph or a query's result as GraphML, JSON or CSV.

    \b
      motorgraph export --format graphml -o out/motorgraph.graphml
      motorgraph export --format csv -o out/csv          # nodes.csv, relationships.csv: `motorgraph load out/csv`
      motorgraph export --format json --query partners -p company=KAMAZ -o out/kamaz.json
    """
    from motorgraph.graph import Graph

    if not query and (pairs or example):
        raise click.UsageError("-p and --example go with --query")
    params = parse_pairs(pairs)
    with Graph.connect() as g:
        res = g.export(fmt, output, query, params, use_examples=example)
    click.echo(f"exported {res.nodes} nodes and {res.relationships} relationships as {fmt}:")
    for f in res.files:
        click.echo(f"  {f}")


@click.command()
@click.option("--check", is_flag=True, help="Exit 1 if a file is out of date; write nothing.")
def style(check):
    """Write Neo4j Browser's files: schema/style.grass and schema/guide/motorgraph.html.

    The style comes from the palette in motorgraph/style.py (the pictures' colours), the
    guide from motorgraph/guide.py and the saved queries.
    """
    from motorgraph.browser.guide import GUIDE_FILE, guide_html
    from motorgraph.paths import STYLE_FILE
    from motorgraph.browser.style import grass

    files = [(STYLE_FILE, grass()), (GUIDE_FILE, guide_html())]
    if check:
        stale = [p for p, text in files if not p.exists() or p.read_text(encoding="utf-8") != text]
        for p in stale:
            click.echo(f"{p} is out of date; run `motorgraph style`")
        if stale:
            sys.exit(1)
        click.echo("schema/style.grass and schema/guide/motorgraph.html are up to date.")
        return
    for path, text in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        click.echo(f"wrote {path}")


@click.command()
@click.option("-o", "--out-dir", type=click.Path(file_okay=False, path_type=Path), default=OUT_DIR,
              show_default=True, help="Where the pictures go.")
def demo(out_dir):
    """The tour: start Neo4j, load the data, answer questions, draw pictures (what `make demo` runs)."""
    from motorgraph.demo import run_demo

    run_demo(echo=click.echo, out_dir=out_dir)


COMMANDS = [viz, screenshot, export, style, demo]
