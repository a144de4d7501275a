"""What the database already holds, as validation asks it, and the rule for redefinitions.

The rule: an id is one entity under one label across the graph (sources included), and an
entity's name and properties, once stated by one source, are not changed by another. A
file that gives an existing entity another name or another value for a property is
refused, naming the source(s) that stated the current one; a file may add properties and
aliases. Reloading the source that stated a value may change it (the file is that
source's truth). Entities written by a CSV bulk load, which has no source, count as
stated by "a bulk load".

The writer holds the same rule under concurrency (`writer.NODE_CYPHER` compares again
after MERGE has locked the node), so two loads that define one entity differently at the
same time cannot both succeed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import neo4j

from motorgraph.model import DERIVED_NODE_PROPS

from .records import NodeRec, Problems, SourceRec

# Properties the loader keeps itself; never part of a definition.
_INTERNAL = frozenset({"id", "name", "aliases"}) | DERIVED_NODE_PROPS
_CHUNK = 5000


@dataclass(frozen=True)
class Existing:
    label: str
    name: str | None
    props: dict
    sources: tuple[str, ...]  # the sources that mention it (empty: a bulk load)


class DatabaseView:
    """Read-only questions validation asks the database; labels come from the model only."""

    def __init__(self, driver: neo4j.Driver, database: str | None, labels: Iterable[str]):
        self.driver = driver
        self.database = database
        self.labels = list(labels)

    def _session(self):
        return self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS)

    def __call__(self, ids: list[str]) -> dict[str, str]:
        """ids -> label for entities and sources already in the database (one seek per label)."""
        found: dict[str, str] = {}
        with self._session() as session:
            for label in self.labels:
                res = session.run(f"MATCH (n:{label}) WHERE n.id IN $ids RETURN n.id AS id", ids=ids)
                found.update({r["id"]: label for r in res})
        return found

    def candidates(self, ids: list[str]) -> list[str]:
        """Entity ids in the database that share a first letter with a misspelt id (for hints)."""
        prefixes = sorted({i[:1] for i in ids if i})
        out: list[str] = []
        with self._session() as session:
            for label in self.labels:
                if label == "Source":
                    continue
                res = session.run(f"UNWIND $prefixes AS p MATCH (n:{label}) WHERE n.id STARTS WITH p "
                                  "RETURN n.id AS id", prefixes=prefixes)
                out.extend(r["id"] for r in res)
        return out

    def source_texts(self, ids: list[str]) -> dict[str, str]:
        """Article texts of Sources already in the database, for the quote check."""
        with self._session() as session:
            res = session.run("MATCH (s:Source) WHERE s.id IN $ids RETURN s.id AS id, s.text AS text", ids=ids)
            return {r["id"]: r["text"] for r in res if r["text"]}

    def definitions(self, ids: list[str]) -> dict[str, Existing]:
        """What the database says of each id: its label, name, properties and mentioning sources."""
        out: dict[str, Existing] = {}
        with self._session() as session:
            if not session.run("MATCH (n) RETURN n LIMIT 1").peek():
                return out  # an empty database: a fresh load asks nothing more
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start:start + _CHUNK]
                for label in self.labels:
                    res = session.run(
                        f"MATCH (n:{label}) WHERE n.id IN $ids "
                        "RETURN n.id AS id, n.name AS name, properties(n) AS props, "
                        "COLLECT { MATCH (s:Source)-[:MENTIONS]->(n) RETURN s.id ORDER BY s.id } AS sources",
                        ids=chunk)
                    for r in res:
                        props = {k: v for k, v in r["props"].items() if k not in _INTERNAL}
                        out[r["id"]] = Existing(label, r["name"], props, tuple(r["sources"]))
        return out


def _who(sources: Iterable[str]) -> str:
    sources = sorted(sources)
    if not sources:
        return "a bulk load (no source)"
    return ("source " if len(sources) == 1 else "sources ") + ", ".join(sources)


def check_against_database(nodes: Iterable[NodeRec], sources: Iterable[SourceRec], owners: dict[str, set[str]],
                           view: DatabaseView, problems: Problems) -> set[str]:
    """Refuse ids taken under another label (or by a source) and redefinitions of what another
    source stated. `owners` maps an entity id to the sources of this load that define it.
    Returns the ids whose stated values this load may change (only its own sources stated them)."""
    nodes, sources = list(nodes), list(sources)
    db = view.definitions(sorted({n.id for n in nodes} | {s.id for s in sources}))
    own: set[str] = set()
    for src in sources:
        found = db.get(src.id)
        if found is not None and found.label != "Source":
            problems.add(src.origin, f"source id {src.id!r} is already a {found.label} in the database "
                         f"(from {_who(found.sources)}); give the article another id")
    for rec in nodes:
        found = db.get(rec.id)
        if found is None:
            continue
        if found.label == "Source":
            problems.add(rec.origin, f"id {rec.id!r} is a source (article) id in the database; "
                         "give the entity another id")
            continue
        if found.label != rec.label:
            problems.add(rec.origin, f"id {rec.id!r} is a {found.label} in the database (from "
                         f"{_who(found.sources)}), not a {rec.label}; ids are unique across labels: "
                         f"use label {found.label} or another id")
            continue
        others = set(found.sources) - owners.get(rec.id, set())
        if found.sources and not others:
            own.add(rec.id)  # only this load's sources stated it: a new version may change it
            continue
        who = _who(others)
        if found.name is not None and rec.name != found.name:
            problems.add(rec.origin, f"{rec.id!r} is named {found.name!r} in the database (from {who}), "
                         f"not {rec.name!r}; use that name and put {rec.name!r} in aliases")
        for key, value in rec.props.items():
            if key in found.props and found.props[key] != value:
                problems.add(rec.origin, f"{rec.id!r} has {key}={found.props[key]!r} in the database (from "
                             f"{who}), not {value!r}; use the same value, or leave `{key}` out to keep it")
    return own
