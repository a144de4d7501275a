"""The session the reliability scenarios share: a throw-away server, its driver, a work folder.

`Context` also caches the bulk dataset and the dump of a clean load of it, which the
fault scenarios compare against after every kill and reload.
"""

from __future__ import annotations

from pathlib import Path

from motorgraph.db import open_driver
from motorgraph.loaders import load
from motorgraph.schema_ops import apply_schema
from motorgraph.settings import Settings

from .data import write_bulk_dataset
from .dump import dump, wipe


def saved_query_library():
    """motorgraph's saved-query library, or None where that module is absent."""
    try:
        from motorgraph import library
    except ImportError:
        return None
    return library


class Context:
    """A started LocalServer `srv` with a driver on it, a work folder and the run's mode (short: CI)."""

    def __init__(self, srv, work: Path, short: bool, echo):
        self.srv = srv
        self.settings: Settings = srv.settings
        self.work = work
        self.short = short
        self.echo = echo
        self.driver = open_driver(self.settings)
        self.n_rels = 10_000 if short else 50_000
        self.n_nodes = 500 if short else 2_000
        self.n_facts = 5_000 if short else 20_000  # one curated source, loaded in one transaction
        self._ref: list | None = None
        self._bulk: Path | None = None

    def fresh(self) -> None:
        """An empty database with the schema applied."""
        wipe(self.driver)
        apply_schema(self.driver)

    def load(self, paths) -> None:
        load(list(paths), driver=self.driver, show_progress=False)

    def bulk(self) -> tuple[Path, list]:
        """The bulk dataset and the dump of a clean load of it."""
        if self._bulk is None:
            self._bulk = write_bulk_dataset(self.work / "bulk", self.n_rels, self.n_nodes)
            self.fresh()
            self.load([self._bulk])
            self._ref = dump(self.driver)
        return self._bulk, self._ref
