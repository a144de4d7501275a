"""Unknown names: a saved query that answers no rows is asked whether its lookups found anyone.

A parameter declared `lookup=Company|Brand` (queries/README.md) names an entity through the
`entity_key` index, as the query itself looks it up. When the query answers no rows,
`check_names` runs LOOKUP_CYPHER: for each lookup parameter, how many entities of its labels
have that id, name or alias. One that found none raises `UnknownName` with the closest names
(rapidfuzz over the ids, names and aliases of those labels), so a misspelt name never reads
like a real empty answer. A query with rows costs nothing more.
"""

from __future__ import annotations

from typing import Any, Mapping

import neo4j

from motorgraph.errors import UnknownName
from motorgraph.library.format import SavedQuery, either, shown

# How many entities each lookup finds, with the same exact, case-insensitive match as the
# saved queries (one Lucene term per key, quotes and backslashes escaped).
LOOKUP_CYPHER = r"""
UNWIND $lookups AS l
CALL (l) {
  CALL db.index.fulltext.queryNodes('entity_key',
       '"' + replace(replace(toLower(l.value), '\\', '\\\\'), '"', '\\"') + '"') YIELD node
  WHERE any(x IN labels(node) WHERE x IN l.labels)
  RETURN count(node) AS found
}
RETURN l.param AS param, found
"""

# The names and keys a missing name is compared with (only run when a lookup found nobody).
NAMES_CYPHER = """
MATCH (n) WHERE n.keys IS NOT NULL AND any(x IN labels(n) WHERE x IN $labels)
RETURN n.name AS name, n.keys AS keys
"""

SUGGESTIONS = 3
CUTOFF = 70  # rapidfuzz token_set_ratio, 0-100: "Kamas" and "KAMAZ LLC" reach KAMAZ, "Rusia" Russia
MARGIN = 10  # and no further below the best than this: "Rusia" is Russia (91), not USA (75)


def _labels(param_labels: tuple[str, ...]) -> list[str]:
    if param_labels:
        return list(param_labels)
    from motorgraph.model import load_model

    return [label for label in load_model().labels if label != "Source"]


def closest_names(value: str, names: list[tuple[str, list[str]]]) -> list[str]:
    """Up to SUGGESTIONS entity names whose id, name or an alias is closest to `value`."""
    from rapidfuzz import fuzz, process

    choices: dict[int, str] = {}
    owner: list[str] = []
    for name, keys in names:
        for key in keys or []:
            choices[len(owner)] = key
            owner.append(name)
    best: list[str] = []
    top = None
    for _, score, i in process.extract(value.strip().lower(), choices, scorer=fuzz.token_set_ratio,
                                       limit=SUGGESTIONS * 10, score_cutoff=CUTOFF):
        top = score if top is None else top
        if score < top - MARGIN:
            break
        if owner[i] and owner[i] not in best:
            best.append(owner[i])
        if len(best) == SUGGESTIONS:
            break
    return best


def check_names(driver: neo4j.Driver, database: str | None, query: SavedQuery, values: Mapping[str, Any]) -> None:
    """UnknownName for the first lookup parameter (in header order) that names no entity."""
    lookups = [{"param": p.name, "value": values[p.name], "labels": _labels(p.lookup)}
               for p in query.params if p.lookup is not None and isinstance(values.get(p.name), str)]
    if not lookups:
        return
    with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
        found = {r["param"]: r["found"] for r in session.execute_read(
            lambda tx: list(tx.run(LOOKUP_CYPHER, lookups=lookups)))}
        missing = next((lk for lk in lookups if found.get(lk["param"]) == 0), None)
        if missing is None:
            return
        names = session.execute_read(lambda tx: [(r["name"], r["keys"]) for r in
                                                 tx.run(NAMES_CYPHER, labels=missing["labels"])])
    suggestions = closest_names(missing["value"], names)
    what = either(missing["labels"]) if query.param(missing["param"]).lookup else "entity"
    hint = f"; did you mean {either(suggestions)}?" if suggestions else "; no name is close to it"
    raise UnknownName(f"query {query.name}: no {what} has the id, name or alias {shown(missing['value'])} "
                      f"(parameter {missing['param']}){hint}",
                      param=missing["param"], value=missing["value"], suggestions=suggestions)
