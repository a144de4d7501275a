"""The Python API: `Graph.connect()` and everything the CLI does, as methods.

    from motorgraph import Graph

    with Graph.connect() as g:                      # same settings as the CLI
        for row in g.query("supply-routes", brand="JAC", market="Russia"):
            print(row)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import neo4j

from motorgraph.db import open_driver, translated
from motorgraph.settings import Settings, get_settings


class Graph:
    def __init__(self, driver: neo4j.Driver, settings: Settings):
        self.driver = driver
        self.settings = settings

    @classmethod
    def connect(cls, settings: Settings | None = None) -> "Graph":
        """Connect with the environment's settings (NEO4J_URI...) or the local server."""
        settings = settings or get_settings()
        return cls(open_driver(settings), settings)

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> "Graph":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def database(self) -> str | None:
        return self.settings.database

    # ---- schema and loading ------------------------------------------------------------
    def apply_schema(self) -> list[str]:
        from motorgraph.schema_ops import apply_schema

        with translated(self.settings):
            return apply_schema(self.driver, self.database)

    def check_schema(self) -> list[str]:
        from motorgraph.schema_ops import check_schema

        with translated(self.settings):
            return check_schema(self.driver, self.database)

    def load(self, paths: Iterable[str | Path] | None = None, *, dry_run: bool = False,
             batch_size: int | None = None, show_progress: bool | None = None):
        """Validate, then write curated YAML / CSV (default: the bundled data)."""
        from motorgraph.loaders import load

        with translated(self.settings):
            return load(paths, driver=self.driver, database=self.database,
                        batch_size=batch_size or self.settings.batch_size, dry_run=dry_run,
                        show_progress=show_progress)

    def entities(self) -> list[dict]:
        """Every entity's id, label, name and aliases (what `ingest` matches new names against)."""
        from motorgraph.model import load_model

        out = []
        with translated(self.settings), self.driver.session(database=self.database) as session:
            for label in load_model().labels:
                if label == "Source":
                    continue
                # The label is a model name, never input.
                res = session.run(f"MATCH (n:{label}) RETURN n.id AS id, n.name AS name, "
                                  "coalesce(n.aliases, []) AS aliases")
                out += [dict(r.data(), label=label) for r in res]
        return out

    # ---- ad-hoc Cypher -------------------------------------------------------------------
    def run(self, cypher: str, **params: Any) -> list[dict]:
        """Run trusted Cypher (yours, not a user's string) and return plain dicts.

        This is for the person writing the script: it can write. Saved queries (`query`)
        run in read transactions instead. Trusted users only: never build `cypher` from
        untrusted input; pass values as parameters.
        """
        with translated(self.settings):
            records, _, _ = self.driver.execute_query(cypher, params, database_=self.database)
            return [r.data() for r in records]

    # ---- saved queries (queries/*.cypher, run in read transactions) ---------------------------
    def queries(self) -> list:
        """The saved queries (`SavedQuery`: name, question, params, returns, cypher, path)."""
        from motorgraph.library import list_queries

        return list_queries()

    def query_result(self, name: str, **params: Any):
        """Run a saved query; a `QueryResult` with `.rows`, `.columns`, `.nodes`, `.relationships`."""
        from motorgraph.library import run_query

        with translated(self.settings):
            return run_query(self.driver, name, params, database=self.database)

    def query(self, name: str, as_frame: bool = False, **params: Any):
        """Run a saved query by name: plain dicts, or a pandas DataFrame with as_frame=True.

        Parameters are keyword arguments (`g.query("partners", company="KAMAZ")`); names
        and aliases work wherever an id does. Graph values (paths) are left out of the rows;
        use `query_result()` for them.
        """
        if as_frame:
            try:
                import pandas
            except ImportError:
                from motorgraph.errors import QueryError

                raise QueryError("as_frame=True needs pandas, which is not installed: "
                                 "pip install pandas (or use the list of dicts)") from None
        result = self.query_result(name, **params)
        if not as_frame:
            return result.rows
        return pandas.DataFrame(result.rows, columns=result.columns)
