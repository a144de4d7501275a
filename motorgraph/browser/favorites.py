"""Neo4j Browser favorites: the saved queries as a zip Browser imports, with their `:param` lines.

`cypher_literal` and `cypher_key` write Python values as Cypher literals for a `:param`
or `:params` line (the guide uses them too).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from motorgraph.library import SavedQuery, list_queries

def cypher_literal(value: Any) -> str:
    """A Cypher literal for a :params map (strings single-quoted and escaped)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{cypher_key(k)}: {cypher_literal(v)}" for k, v in value.items()) + "}"
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


def cypher_key(name: str) -> str:
    """A map key as Cypher writes it: backquoted unless a plain name."""
    return name if name.replace("_", "a").isalnum() and not name[0].isdigit() else f"`{name}`"


def param_lines(query: SavedQuery) -> list[str]:
    """`:param name => value;` for each parameter, with its example (or default).

    The `;` lets Browser run the lines pasted as one block (its multi-statement editor, on by
    default, runs `:param` commands); without it the block is one command and a syntax error.
    `=>` has Neo4j evaluate the value, so an integer stays an integer.
    """
    return [f":param {p.name} => {cypher_literal(p.sample)};" for p in query.params]


FAVORITES_FOLDER = "motorgraph"


def export_favorites(out_zip_path: str | Path, directory: Path | str | None = None) -> list[str]:
    """Write a zip of the query files for Neo4j Browser's Favorites; returns the params.txt lines.

    The .cypher files sit in a `motorgraph/` folder of the zip (Browser turns it into a
    Favorites folder; each favorite is named after its first comment line, the question).
    `params.txt` (which Browser does not import) holds, per query, a `// name` line and the
    `:param` lines to run before it, a block to paste into Browser's editor and run as one.
    """
    queries = list_queries(directory)
    lines: list[str] = []
    for q in queries:
        lines.append(f"// {q.name}: {q.question}")
        lines += param_lines(q) or ["// (no parameters)"]
        lines.append("")
    out = Path(out_zip_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for q in queries:
            zf.writestr(f"{FAVORITES_FOLDER}/{q.path.name}", q.text)
        zf.writestr("params.txt", "\n".join(lines).rstrip() + "\n")
    return [line for line in lines if line]
