"""Pictures of the graph: offline HTML pages drawn with neo4j-viz (`html`), rendered to PNG
in headless Chromium through Playwright (`png`)."""

from motorgraph.pictures.html import Picture, VizError, render_all, render_query, to_png

__all__ = ["Picture", "VizError", "render_all", "render_query", "to_png"]
