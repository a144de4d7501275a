"""The counts the graph keeps on organisations, and the one place that recomputes them.

Every Company, Country and Region (the model's `counts.labels`) carries
`relationship_count` (its relationships of every type but MENTIONS, either direction) and
`partner_count` (the distinct entities it PARTNERS_WITH, either direction), so that
`most-connected` reads the top of a range index instead of counting every organisation's
relationships per call. They are derived data: the loader refuses input that sets them.

Every write path keeps them right in the transaction that changes the relationships:
the writer sets 0 on a new organisation, and after each batch of relationships (and after
the retraction step deletes some, and in `unload`) recomputes them for the batch's ends
with `recount`. Recomputing (not adding deltas) is what makes concurrent loaders safe:
`recount` write-locks each node first, so the transaction that commits last counted after
every other one's relationships were committed. The bulk path writes them into its import
files (loaders/importfiles.py counts the same way). `refresh_all_counts` recomputes the whole
graph in batches (on a store built by `neo4j-admin import` without them, or a database loaded
before the counts existed).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable, Iterable

import neo4j

from motorgraph.model import load_model

RELATIONSHIPS = "relationship_count"
PARTNERS = "partner_count"
COUNT_PROPS = (RELATIONSHIPS, PARTNERS)
PARTNER_TYPE = "PARTNERS_WITH"
UNCOUNTED_TYPE = "MENTIONS"

# What each count is, as Cypher over one node `o` (MENTIONS are bookkeeping, not relationships;
# both subtractions read the node's degree, not its relationships).
_REL_EXPR = f"COUNT {{ (o)--() }} - COUNT {{ (o)<-[:{UNCOUNTED_TYPE}]-() }}"
_PARTNER_EXPR = f"COUNT {{ MATCH (o)-[:{PARTNER_TYPE}]-(p) RETURN DISTINCT p }}"


def counted_labels() -> tuple[str, ...]:
    """The labels whose nodes keep counts (schema/model.yaml, `counts.labels`)."""
    return load_model().counts.labels


@lru_cache(maxsize=None)
def recount_cypher(labels: tuple[str, ...], partners: bool = True) -> str:
    """Recompute the counts of the nodes whose `id` is in $ids (ids of other labels are skipped).

    Locks the nodes in id order (`SET o += {}` sets nothing), then counts, then writes only
    counts that changed (an unchanged reload sets no property). Without `partners`, only
    `relationship_count` is recomputed: a batch without PARTNERS_WITH cannot change the other.
    """
    partner = _PARTNER_EXPR if partners else f"o.{PARTNERS}"
    return f"""{locked("o", labels)}
WITH o, {_REL_EXPR} AS relationships, {partner} AS partners
WHERE o.{RELATIONSHIPS} IS NULL OR o.{RELATIONSHIPS} <> relationships
   OR o.{PARTNERS} IS NULL OR o.{PARTNERS} <> partners
SET o.{RELATIONSHIPS} = relationships, o.{PARTNERS} = partners
"""


def locked(var: str, labels: Iterable[str]) -> str:
    """Cypher that binds `var` to each node of `labels` whose id is in $ids, write-locked in id
    order (`SET n += {}` takes the lock and sets nothing)."""
    seeks = "\n  UNION\n".join(f"  MATCH ({var}:{label} {{id: id}}) RETURN {var}" for label in labels)
    return f"""
UNWIND $ids AS id
CALL (id) {{
{seeks}
}}
WITH DISTINCT {var} ORDER BY {var}.id
SET {var} += {{}}"""


def recount(run: Callable, ids: Iterable[str], partners: bool = True) -> None:
    """Recompute the counts of the entities `ids` in the caller's transaction
    (`run(cypher, **params)`, as in retract.py)."""
    ids = sorted(set(ids))
    if ids:
        run(recount_cypher(counted_labels(), partners), ids=ids)


def refresh_cypher(label: str) -> str:
    """Recompute the counts of every node of `label`, in transactions of 5,000 nodes."""
    return f"""
MATCH (o:{label})
CALL (o) {{
  WITH o, {_REL_EXPR} AS relationships, {_PARTNER_EXPR} AS partners
  WHERE o.{RELATIONSHIPS} IS NULL OR o.{RELATIONSHIPS} <> relationships
     OR o.{PARTNERS} IS NULL OR o.{PARTNERS} <> partners
  SET o.{RELATIONSHIPS} = relationships, o.{PARTNERS} = partners
}} IN TRANSACTIONS OF 5000 ROWS
"""


def refresh_all_counts(driver: neo4j.Driver, database: str | None = None) -> int:
    """Recompute the counts of every organisation in the graph, in batches (for a store built
    without the loader, e.g. by `neo4j-admin database import`). Returns how many nodes changed.
    Run it while nothing else writes: each batch commits on its own."""
    changed = 0
    with driver.session(database=database) as session:
        for label in counted_labels():
            changed += session.run(refresh_cypher(label)).consume().counters.properties_set // 2
    return changed


def stale_counts(driver: neo4j.Driver, database: str | None = None) -> list[dict]:
    """Organisations whose kept counts differ from a fresh count: [{id, kept, counted}] (none
    is the invariant every committed transaction keeps; the tests and the harness check it)."""
    out = []
    with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
        for label in counted_labels():
            out += [r.data() for r in session.run(
                f"MATCH (o:{label}) WITH o, [o.{RELATIONSHIPS}, o.{PARTNERS}] AS kept, "
                f"[{_REL_EXPR}, {_PARTNER_EXPR}] AS counted WHERE kept <> counted OR kept[0] IS NULL "
                "OR kept[1] IS NULL RETURN o.id AS id, kept, counted ORDER BY id")]
    return out
