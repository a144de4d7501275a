"""The markets each contract assembly reaches, kept on its ASSEMBLES_FOR relationship.

`markets` is the sorted ids of the Country and Region nodes the assembler lies in, up to
three LOCATED_IN hops away: the assembler itself, and for a company also each plant it
OPERATES or OWNS (the saved question `foreign-assembly`'s own reading of "assembled in the
market"). The full-text index `assembly_markets` (keyword analyzer) holds each id as one term,
so the question starts from the market's assemblies instead of reading every ASSEMBLES_FOR.

It is derived data, like the counts (loaders/counts.py): input may not set it, exports leave it
out, and every write recomputes it in the transaction that changes what it is read from. That
is a relationship of a type in READ_FROM whose start node is the assembler, one of its plants,
or a place at most two LOCATED_IN hops above either; so after a change the recomputation starts
from the changed relationships' start nodes and walks down. Those start nodes are write-locked
first, and each assembly before it is recomputed, so two loads that change the same assembler's
or the same place's relationships recompute one after the other. Two loads that at the same
moment change different hops of one chain of places (a plant's city in one, that city's
country in the other) can leave an assembly's markets behind; `stale_markets` finds such
assemblies and `refresh_all_markets` mends them. Locking every place on the way instead would
make the two writer threads of one load wait on each other at every country.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable, Iterable

import neo4j

from motorgraph.model import load_model

from .counts import locked

ASSEMBLY = "ASSEMBLES_FOR"
MARKETS = "markets"
READ_FROM = ("ASSEMBLES_FOR", "OPERATES", "OWNS", "LOCATED_IN")

# The markets of the assemblies of one assembler `a` (every ASSEMBLES_FOR of `a` has the same).
_MARKETS_EXPR = """COLLECT {
    UNWIND [a] + CASE WHEN a:Plant THEN [] ELSE [(a)-[:OPERATES|OWNS]->(p:Plant) | p] END AS n
    MATCH (n)-[:LOCATED_IN]->{1,3}(m) WHERE m:Country OR m:Region
    RETURN DISTINCT m.id AS id ORDER BY id
  }"""

# Sets `markets` on every assembly of each assembler `a` in the rows (written only if it changed).
_SET = f"""
WITH a, collect(f) AS assemblies
WITH a, assemblies, {_MARKETS_EXPR} AS markets
UNWIND assemblies AS f
WITH f, markets WHERE f.{MARKETS} IS NULL OR f.{MARKETS} <> markets
SET f.{MARKETS} = markets
"""


def start_labels() -> tuple[str, ...]:
    """The labels a relationship of a READ_FROM type can start from."""
    rels = load_model().relationships
    return tuple(sorted({label for t in READ_FROM for label in rels[t].start}))


@lru_cache(maxsize=None)
def remarket_cypher(labels: tuple[str, ...]) -> str:
    """Recompute the markets of every assembly that a change of a READ_FROM relationship
    starting at a node whose `id` is in $ids (of one of `labels`) can have moved."""
    return f"""{locked("s", labels)}
WITH collect(s) AS starts
UNWIND starts AS s
MATCH (n)-[:LOCATED_IN]->{{0,2}}(s)
WITH DISTINCT n
CALL (n) {{
  MATCH (n)-[f:{ASSEMBLY}]->() RETURN f
  UNION
  MATCH (n:Plant)<-[:OPERATES|OWNS]-()-[f:{ASSEMBLY}]->() RETURN f
}}
WITH DISTINCT f ORDER BY elementId(f)
SET f += {{}}
WITH startNode(f) AS a, f
{_SET}"""


def remarket(run: Callable, ids: Iterable[str], labels: Iterable[str] | None = None) -> None:
    """Recompute, in the caller's transaction (`run(cypher, **params)`), the markets that a
    change of READ_FROM relationships starting at the nodes `ids` can have moved."""
    ids = sorted(set(ids))
    if ids:
        run(remarket_cypher(tuple(sorted(labels)) if labels else start_labels()), ids=ids)


# Every assembly's markets in one statement of the caller's transaction (a graph written by hand).
ALL = f"""
MATCH (a)-[f:{ASSEMBLY}]->()
{_SET}"""

REFRESH_ALL = f"""
MATCH (a)-[:{ASSEMBLY}]->()
WITH DISTINCT a
CALL (a) {{
  MATCH (a)-[f:{ASSEMBLY}]->()
  {_SET.strip()}
}} IN TRANSACTIONS OF 1000 ROWS
"""

STALE = f"""
MATCH (a)-[f:{ASSEMBLY}]->(b)
WITH a, b, f, {_MARKETS_EXPR} AS counted
WHERE f.{MARKETS} IS NULL OR f.{MARKETS} <> counted
RETURN a.id AS assembler, b.id AS brand, f.{MARKETS} AS kept, counted ORDER BY assembler, brand
"""


def refresh_all_markets(driver: neo4j.Driver, database: str | None = None) -> int:
    """Recompute the markets of every assembly, in batches (for a store built without the
    loader, or loaded before the graph kept them). Returns how many changed. Run it while
    nothing else writes: each batch commits on its own."""
    with driver.session(database=database) as session:
        return session.run(REFRESH_ALL).consume().counters.properties_set


def stale_markets(driver: neo4j.Driver, database: str | None = None) -> list[dict]:
    """Assemblies whose kept markets differ from a fresh reading: [{assembler, brand, kept,
    counted}] (none is the invariant every committed transaction keeps)."""
    with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
        return [r.data() for r in session.run(STALE)]
