"""motorgraph: a Neo4j knowledge graph of the automotive industry's partnerships and supply routes."""

__version__ = "0.1.0"


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
