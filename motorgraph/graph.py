"""The Python API, and the one front door: everything the CLI does is a `Graph` method.

    from motorgraph import Graph

    with Graph.connect() as g:                      # same settings as the CLI
        for row in g.query("supply-routes", brand="JAC", market="Russia"):
            print(row)

Every method translates driver errors the same way (`motorgraph.db.translate`): a lost or
refused connection is `ConnectionFailed`, a statement Neo4j refuses is `DatabaseError`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

import neo4j

from motorgraph.db import open_driver, translated
from motorgraph.settings import Settings, get_settings

ARTICLE_COLUMNS = ["id", "title", "publisher", "date", "file", "facts", "entities"]
ARTICLES_CYPHER = """
MATCH (s:Source)
RETURN s.id AS id, s.title AS title, s.publisher AS publisher, s.date AS date, s.file AS file,
       COUNT { (s)-[:MENTIONS]->() } AS entities
ORDER BY id
"""
# A fact cites its articles in `sources` (kept free of repeats): one pass over the facts
# counts them for every article at once.
ARTICLE_FACTS_CYPHER = """
MATCH ()-[r]->() WHERE r.sources IS NOT NULL
UNWIND r.sources AS id
RETURN id, count(*) AS facts
"""


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

    def _translated(self):
        return translated(self.settings)

    # ---- schema and loading ------------------------------------------------------------
    def apply_schema(self, timeout: float = 300.0):
        """Create the model's constraints and indexes (IF NOT EXISTS), rebuild FAILED ones, wait until all are ONLINE.

        A `SchemaApplied` (`.statements` run, `.repaired` indexes, `.text()`); `DatabaseError`
        when an index fails again or is not ONLINE within `timeout` seconds.
        """
        from motorgraph.schema_ops import apply_schema

        with self._translated():
            return apply_schema(self.driver, self.database, timeout=timeout)

    def check_schema(self):
        """A `SchemaReport`: how the database differs from schema/constraints.cypher (`.diff`),
        the indexes not ONLINE (`.indexes`), `.ok` when both are empty, and `.text()`."""
        from motorgraph.schema_ops import check_schema

        with self._translated():
            return check_schema(self.driver, self.database)

    def load(self, paths: Iterable[str | Path] | None = None, *, dry_run: bool = False,
             batch_size: int | None = None, show_progress: bool | None = None, accept_drafts: bool = False,
             mode: str = "auto", replace: bool = False, on_path=None):
        """Validate, then write curated YAML / CSV (default: the bundled data); a `LoadSummary`.

        Draft items still marked `review: true` are refused unless `accept_drafts`; then
        `summary.unreviewed` counts them. `mode` ("auto", "bulk", "online") and `replace` choose
        between the online writer and the bulk path (neo4j-admin import into the local server:
        docs/data-format.md); `summary.path`, `.reason` and `.phases` say which ran, why, and how long
        each phase took; `on_path(LoadPath)` is told before the write starts.
        """
        from motorgraph.loaders import load

        with self._translated():
            return load(paths, driver=self.driver, database=self.database,
                        batch_size=batch_size or self.settings.batch_size, dry_run=dry_run,
                        show_progress=show_progress, accept_drafts=accept_drafts,
                        max_input_bytes=self.settings.max_input_bytes, settings=self.settings,
                        mode=mode, replace=replace, on_path=on_path)

    def articles(self) -> list[dict]:
        """Every loaded article (Source): id, title, publisher, date, file, and how many facts
        cite it and entities it mentions; sorted by id."""
        def read(tx) -> list[dict]:
            rows = [r.data() for r in tx.run(ARTICLES_CYPHER)]
            facts = {r["id"]: r["facts"] for r in tx.run(ARTICLE_FACTS_CYPHER)}
            return [dict(r, facts=facts.get(r["id"], 0)) for r in rows]

        with self._translated(), self.driver.session(database=self.database) as session:
            return [{k: r[k] for k in ARTICLE_COLUMNS} for r in session.execute_read(read)]

    def unload(self, source_id: str, dry_run: bool = False):
        """Take a source out: its facts, what only it said of entities, entities nothing else refers
        to, and the Source; one transaction. A `Retraction` (with dry_run: what would go)."""
        from motorgraph.loaders import unload

        with self._translated():
            return unload(source_id, driver=self.driver, database=self.database, dry_run=dry_run)

    def entities(self) -> list[dict]:
        """Every entity's id, label, name and aliases (what `ingest` matches new names against)."""
        from motorgraph.model import load_model

        out = []
        with self._translated(), self.driver.session(database=self.database) as session:
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
        with self._translated():
            records, _, _ = self.driver.execute_query(cypher, params, database_=self.database)
            return [r.data() for r in records]

    # ---- saved queries (queries/*.cypher, run in read transactions) ---------------------------
    def queries(self) -> list:
        """The saved queries (`SavedQuery`: name, question, params, returns, cypher, path)."""
        from motorgraph.library import list_queries

        return list_queries()

    def query_result(self, name, params: Mapping[str, Any] | None = None, *, use_examples: bool = False,
                     profile: bool = False, **kwargs: Any):
        """Run a saved query; a `QueryResult` with `.rows`, `.columns`, `.nodes`, `.relationships`.

        `name` is a query name or a `SavedQuery`. Parameters come as a mapping (strings from a
        command line, Python values, or the `Values` that `coerce_params` returns) and/or
        keyword arguments; they are typed once (`Values` are not typed again).
        With `use_examples`, missing ones take the header's examples; with `profile`, the
        result's `.profile` holds the plan's operators and db hits.
        """
        from motorgraph.library import run_query

        values = {**params, **kwargs} if params and kwargs else (params or kwargs)
        with self._translated():
            return run_query(self.driver, name, values, database=self.database, profile=profile,
                             use_examples=use_examples)

    def pages(self, name, params: Mapping[str, Any] | None = None, **kwargs: Any) -> Iterator:
        """A listing page by page: each a `QueryResult` of `limit` rows (default 25) in the
        listing's order, until the last. `result.cursor` is the `after` of the next page (None
        on the last); pass `after=` to start after a page seen before. A query that does not
        page (no `after` parameter) gives its one answer."""
        from motorgraph.library import get_query

        saved = get_query(name) if isinstance(name, str) else name
        values = {**(params or {}), **kwargs}
        while True:
            result = self.query_result(saved, values)
            yield result
            if not result.cursor or saved.param("after") is None:
                return
            values = {**values, "after": result.cursor}

    def query(self, name: str, as_frame: bool = False, all: bool = False, **params: Any):
        """Run a saved query by name: plain dicts, or a pandas DataFrame with as_frame=True.

        Parameters are keyword arguments (`g.query("partners", company="KAMAZ")`); names
        and aliases work wherever an id does. Graph values (paths) are left out of the rows;
        use `query_result()` for them. A listing answers its first page (`limit` rows, 25 by
        default; `after=` a cursor for a later one); `all=True` reads every page (`pages()`).
        """
        if as_frame:
            try:
                import pandas
            except ImportError:
                from motorgraph.errors import QueryError

                raise QueryError("as_frame=True needs pandas, which is not installed: "
                                 "pip install pandas (or use the list of dicts)") from None
        if all:
            pages = list(self.pages(name, params))
            rows, columns = [r for page in pages for r in page.rows], pages[0].columns
        else:
            result = self.query_result(name, params)
            rows, columns = result.rows, result.columns
        if not as_frame:
            return rows
        return pandas.DataFrame(rows, columns=columns)

    # ---- pictures and files ----------------------------------------------------------------
    def picture(self, output: str | Path, query: str | None = None, params: Mapping[str, Any] | None = None,
                *, use_examples: bool = False, layout: str = "force", include_sources: bool = True):
        """Draw a saved query's result (or, without `query`, the whole graph) as an offline HTML page.

        Returns a `Picture` (path, nodes, relationships). `include_sources=False` leaves
        Source nodes and MENTIONS out of the whole-graph picture.
        """
        from motorgraph.pictures.html import render_all, render_query

        with self._translated():
            if query is None:
                return render_all(self.driver, output, database=self.database,
                                  include_sources=include_sources, layout=layout)
            return render_query(self.driver, query, params, output, database=self.database,
                                use_examples=use_examples, layout=layout)

    def export(self, fmt: str, output: str | Path, query: str | None = None,
               params: Mapping[str, Any] | None = None, *, use_examples: bool = False):
        """Write the whole graph (or a saved query's result) as graphml, json or a csv folder."""
        from motorgraph.export import export

        with self._translated():
            return export(self.driver, fmt, output, query=query, params=params, database=self.database,
                          use_examples=use_examples)
