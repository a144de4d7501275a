"""The one palette: a colour per label, shared by the HTML pictures and Neo4j Browser.

`motorgraph viz` colours nodes from `LABEL_COLORS`; schema/style.grass (the Graph Style
Sheet you drag onto Neo4j Browser) is generated from the same table by `grass()` and
written by `motorgraph style` (a test fails when the committed file is out of date).
"""

from __future__ import annotations

import re
from pathlib import Path

from motorgraph.paths import STYLE_FILE

# Neo4j's own graph colours, one per label of schema/model.yaml.
LABEL_COLORS: dict[str, str] = {
    "Company": "#4C8EDA",
    "Brand": "#F79767",
    "VehicleModel": "#57C7E3",
    "Plant": "#8DCC93",
    "Country": "#F16667",
    "Region": "#D9C8AE",
    "City": "#C990C0",
    "Person": "#FFC454",
    "Agreement": "#DA7194",
    "Source": "#A5ABB6",
}
FALLBACK_COLOR = "#A5ABB6"  # a label the palette does not know (the model grew)
NODE_CAPTION = "name"       # nodes are captioned with this property everywhere
RELATIONSHIP_COLOR = "#A5ABB6"
MENTIONS_COLOR = "#DCDFE4"  # provenance edges recede behind the facts
# Node diameters in Browser (the HTML picture sizes nodes by degree instead).
BROWSER_DIAMETER = {"Source": "40px", "City": "45px", "Region": "45px"}
DEFAULT_DIAMETER = "55px"


def color_for(labels) -> str:
    """The colour of a node with these labels: the first label the palette knows."""
    for label in labels:
        if label in LABEL_COLORS:
            return LABEL_COLORS[label]
    return FALLBACK_COLOR


def primary_label(labels) -> str:
    """The label a node is drawn and listed under."""
    labels = list(labels)
    for label in labels:
        if label in LABEL_COLORS:
            return label
    return labels[0] if labels else ""


def _rgb(hex_color: str) -> tuple[int, int, int]:
    h = hex_color.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def darker(hex_color: str, factor: float = 0.8) -> str:
    r, g, b = (max(0, min(255, round(c * factor))) for c in _rgb(hex_color))
    return f"#{r:02X}{g:02X}{b:02X}"


def text_color(hex_color: str) -> str:
    """Black or white, whichever reads better on the colour (WCAG relative luminance)."""
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(hex_color))
    lum = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#2A2C34" if (lum + 0.05) / 0.05 > 1.05 / (lum + 0.05) else "#FFFFFF"


def grass(labels=None) -> str:
    """The Graph Style Sheet for Neo4j Browser, for `labels` (default: the model's).

    No comments and no apostrophes: Browser's GraSS parser knows neither (it would read a
    comment as part of the first selector, and a quote mark starts a string). Captions are
    quoted with single quotes, as Browser writes them itself.
    """
    if labels is None:
        from motorgraph.model import load_model

        labels = list(load_model().labels)
    out = [
        "node {",
        "  diameter: 50px;",
        f"  color: {FALLBACK_COLOR};",
        f"  border-color: {darker(FALLBACK_COLOR)};",
        "  border-width: 2px;",
        f"  text-color-internal: {text_color(FALLBACK_COLOR)};",
        "  font-size: 10px;",
        f"  caption: '{{{NODE_CAPTION}}}';",
        "}",
        "",
        "relationship {",
        f"  color: {RELATIONSHIP_COLOR};",
        "  shaft-width: 1px;",
        "  font-size: 8px;",
        "  padding: 3px;",
        "  text-color-external: #000000;",
        "  text-color-internal: #FFFFFF;",
        "  caption: '<type>';",
        "}",
        "",
        "relationship.MENTIONS {",
        f"  color: {MENTIONS_COLOR};",
        "}",
    ]
    for label in labels:
        color = LABEL_COLORS.get(label, FALLBACK_COLOR)
        out += [
            "",
            f"node.{label} {{",
            f"  color: {color};",
            f"  border-color: {darker(color)};",
            f"  text-color-internal: {text_color(color)};",
            f"  diameter: {BROWSER_DIAMETER.get(label, DEFAULT_DIAMETER)};",
            f"  caption: '{{{NODE_CAPTION}}}';",
            "}",
        ]
    return "\n".join(out) + "\n"


def write_grass(path: Path = STYLE_FILE) -> Path:
    path = Path(path)
    path.write_text(grass(), encoding="utf-8")
    return path


def parse_grass(text: str) -> dict[str, dict[str, str]]:
    """Parse GraSS the way Neo4j Browser does when a file is dropped on it, but strictly.

    Browser's parser (neo4j-browser `parseGrass`) walks the characters: `{` opens a rule's
    properties, `}` closes them, a quote mark (' or ") toggles a string in which braces are
    plain text, whitespace outside the properties is dropped from the selector; then each
    `key: value` is split on `;` and `:`. This does the same and raises ValueError where
    Browser would silently lose something: a comment, an unbalanced brace or quote, a
    declaration that is not exactly `key: value`, an empty selector.
    """
    if "/*" in text or "//" in text:
        raise ValueError("GraSS has no comments (Browser would read one as part of a selector)")
    rules: dict[str, str] = {}
    in_string = in_props = False
    selector = props = ""
    for ch in text:
        if ch in "'\"":
            in_string = not in_string
            continue
        if ch == "{" and not in_string:
            if in_props:
                raise ValueError(f"GraSS: a brace inside the rule for {selector!r}")
            in_props = True
            continue
        if ch == "}" and not in_string:
            if not in_props:
                raise ValueError("GraSS: a closing brace without an opening one")
            if not selector:
                raise ValueError("GraSS: a rule without a selector")
            if selector in rules:
                raise ValueError(f"GraSS: the selector {selector!r} appears twice")
            rules[selector] = props
            in_props, selector, props = False, "", ""
            continue
        if in_props:
            props += ch
        elif not ch.isspace():
            selector += ch
    if in_string or in_props or selector:
        raise ValueError("GraSS: the text ends inside a string, a rule or a selector")
    out: dict[str, dict[str, str]] = {}
    for sel, body in rules.items():
        if not re.fullmatch(r"(node|relationship)(\.[A-Za-z_][A-Za-z0-9_]*)?", sel):
            raise ValueError(f"GraSS: {sel!r} is not node, node.Label, relationship or relationship.TYPE")
        decls: dict[str, str] = {}
        for decl in body.split(";"):
            if not decl.strip():
                continue
            parts = decl.split(":")
            if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
                raise ValueError(f"GraSS: {decl.strip()!r} in {sel} is not `key: value` "
                                 "(Browser ignores it)")
            decls[parts[0].strip()] = parts[1].strip()
        out[sel] = decls
    return out
