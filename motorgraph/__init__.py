"""motorgraph: a Neo4j knowledge graph of the automotive industry's partnerships and supply routes."""

import os as _os

__version__ = "0.1.0"

# In a wheel, schema/, loaders/, queries/ and data/ are installed inside this package.
# In a source checkout they sit beside it at the repository root; adding the root to the
# package path makes `motorgraph.loaders` importable the same way in both layouts.
_here = _os.path.dirname(__file__)
_root = _os.path.dirname(_here)
if not _os.path.isdir(_os.path.join(_here, "loaders")) and _os.path.isfile(
    _os.path.join(_root, "loaders", "__init__.py")
):
    __path__.append(_root)  # type: ignore[name-defined]


def __getattr__(name):
    # Lazy, so `import motorgraph` stays cheap for the CLI.
    if name == "Graph":
        from motorgraph.graph import Graph

        return Graph
    if name == "Settings":
        from motorgraph.settings import Settings

        return Settings
    raise AttributeError(name)


__all__ = ["Graph", "Settings", "__version__"]
